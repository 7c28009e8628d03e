//! Confirming a suggested basis, or picking another article for it (the 推荐依据 of a
//! question page). Both are audited; picking saves a new version citing the chosen article.

use sqlx::AnyConnection;

use super::{actor_label, audit, not_found, require_editor, targets};
use crate::accounts::admin::Ctx;
use crate::bank::BankError;
use crate::bank::import::resolve;
use crate::bank::model::Basis;
use crate::bank::store::{self, NewVersion};
use crate::db::OnConstraint;

/// Why a question with a suggested basis cannot be approved yet.
pub fn unconfirmed(id: i64) -> String {
    format!("题目 #{id} 的依据是自动推荐的，请先确认或另选依据，再审核通过")
}

/// The editor accepts the suggested basis as it stands.
#[tracing::instrument(skip_all)]
pub async fn confirm_basis(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
) -> Result<(), BankError> {
    require_editor(ctx.actor)?;
    let q = store::get(&mut *tx, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if q.summary.basis.is_empty() {
        return Err(BankError::Refused(format!(
            "题目 #{id} 没有依据可确认，请从推荐依据中选择"
        )));
    }
    let by = actor_label(ctx.actor);
    if !store::suggested::confirm(&mut *tx, id, &by, ctx.now).await? {
        return Err(BankError::Conflict(format!(
            "题目 #{id} 的依据已确认，无需再确认"
        )));
    }
    let detail = format!("确认推荐依据：{}", q.summary.basis.join("；"));
    audit(
        &mut *tx,
        ctx,
        "question_basis_confirmed",
        &targets(&[id]),
        &detail,
    )
    .await?;
    Ok(())
}

/// The editor picks `article` as the basis: a new version citing it alone (the old versions
/// stay), which also clears the suggestion mark. `expected` is the version the editor saw.
#[tracing::instrument(skip_all)]
pub async fn pick_basis(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
    expected: i64,
    article: &Basis,
) -> Result<(), BankError> {
    require_editor(ctx.actor)?;
    let q = store::get(&mut *tx, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let basis = match resolve::by_law_id(&mut *tx, std::slice::from_ref(article)).await? {
        Ok(rows) => rows,
        Err(problems) => return Err(BankError::Invalid(problems)),
    };
    let mut draft = q.draft();
    draft.basis = basis.iter().map(|b| b.basis()).collect();
    let by = actor_label(ctx.actor);
    let v = NewVersion {
        draft: &draft,
        basis: &basis,
        by: &by,
        now: ctx.now,
    };
    let Some((_, version_no)) = store::add_version(&mut *tx, id, Some(expected), &v)
        .await
        .on_constraint(super::duplicate_edit)?
    else {
        return Err(BankError::Conflict(super::EDITED_MEANWHILE.into()));
    };
    let cited: Vec<String> = basis
        .iter()
        .map(|b| format!("《{}》{}", b.law_title, b.basis().article_label))
        .collect();
    let detail = format!("选定依据 {}，保存为第 {version_no} 版", cited.join("；"));
    audit(
        &mut *tx,
        ctx,
        "question_basis_picked",
        &targets(&[id]),
        &detail,
    )
    .await?;
    Ok(())
}
