//! What administrators do with the bank, for the CLI and the web layer alike: list, read,
//! create, edit (a new version), approve, retire, and the review queue. System administrators
//! and bank editors (题库管理员) read and change it; nobody else sees it. Every change is written to the audit
//! log in the same transaction.

use serde::Serialize;
use sqlx::{Any, AnyConnection, Executor};

use super::BankError;
use super::import::resolve::{self, current_laws};
use super::model::{QuestionDraft, Status};
use super::rules;
use super::store::{self, BasisRow, Inserted, NewVersion, QuestionDetail, VersionInfo};
use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::accounts::session;
use crate::db::OnConstraint;

mod basis;
mod list;

pub use self::basis::{confirm_basis, pick_basis, unconfirmed};
pub use self::list::{ListFilter, MAX_PER_PAGE, Page, Within, list, neighbours, review_queue};

/// The bank, answer keys included, is for system admins and bank editors only: unit admins
/// and their staff sit the exams drawn from it.
pub(crate) fn require_editor(actor: &Actor) -> Result<(), BankError> {
    if actor.may_edit_bank() {
        Ok(())
    } else {
        Err(BankError::Forbidden)
    }
}

/// How records name who changed them: `张三（zhangsan）`.
pub fn actor_label(actor: &Actor) -> String {
    format!("{}（{}）", actor.name, actor.username)
}

pub(crate) async fn audit(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    session::audit(&mut *tx, &ctx.audit(action, target, detail), ctx.now).await
}

/// `题目 #1, #2, #3 …` for the audit log (at most 20 ids, then the count).
fn targets(ids: &[i64]) -> String {
    let shown: Vec<String> = ids.iter().take(20).map(|id| format!("#{id}")).collect();
    let more = ids.len().saturating_sub(20);
    let tail = if more > 0 {
        format!(" 等 {} 题", ids.len())
    } else {
        String::new()
    };
    format!("题目 {}{tail}", shown.join(", "))
}

/// One question with its articles (law version, label, text).
pub async fn get(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<QuestionDetail, BankError> {
    require_editor(actor)?;
    store::get(&mut *conn, id)
        .await?
        .ok_or_else(|| not_found(id))
}

/// A question's versions, oldest first.
pub async fn history<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    actor: &Actor,
    id: i64,
) -> Result<Vec<VersionInfo>, BankError> {
    require_editor(actor)?;
    let versions = store::versions(ex, id).await?;
    if versions.is_empty() {
        return Err(not_found(id));
    }
    Ok(versions)
}

/// 草稿, 已审核, 已停用: how records and pages name a status.
pub fn status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "草稿",
        Status::Approved => "已审核",
        Status::Retired => "已停用",
    }
}

fn not_found(id: i64) -> BankError {
    BankError::NotFound(format!("题目 #{id} 不存在"))
}

/// Checks a draft and resolves its basis (law versions and articles as given).
async fn checked(
    conn: &mut AnyConnection,
    draft: &QuestionDraft,
) -> Result<Vec<BasisRow>, BankError> {
    let mut problems = rules::check(draft);
    match resolve::by_law_id(&mut *conn, &draft.basis).await? {
        Ok(rows) if problems.is_empty() => return Ok(rows),
        Ok(_) => {}
        Err(more) => problems.extend(more),
    }
    Err(BankError::Invalid(problems))
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateReport {
    pub created: Vec<i64>,
    /// (index in the input, the live question it duplicates)
    pub duplicates: Vec<(usize, Option<i64>)>,
}

/// Creates one question; a duplicate of a live question is reported, not stored.
pub async fn create(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    draft: &QuestionDraft,
    status: Status,
) -> Result<Inserted, BankError> {
    let report = create_many(&mut *conn, ctx, std::slice::from_ref(draft), status).await?;
    Ok(match (report.created.first(), report.duplicates.first()) {
        (Some(id), _) => {
            let version_id = store::get(&mut *conn, *id)
                .await?
                .map_or(0, |d| d.summary.version_id);
            Inserted::New {
                question_id: *id,
                version_id,
            }
        }
        (None, Some((_, existing))) => Inserted::Duplicate {
            existing: *existing,
        },
        (None, None) => Inserted::Duplicate { existing: None },
    })
}

/// Creates questions (e.g. generated ones) in one transaction with one audit entry. Every
/// draft is checked first; any invalid draft stores nothing.
#[tracing::instrument(skip_all)]
pub async fn create_many(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    drafts: &[QuestionDraft],
    status: Status,
) -> Result<CreateReport, BankError> {
    require_editor(ctx.actor)?;
    let mut ready = Vec::with_capacity(drafts.len());
    for d in drafts {
        ready.push(checked(&mut *tx, d).await?);
    }
    let by = actor_label(ctx.actor);
    let mut report = CreateReport::default();
    for (i, (draft, basis)) in drafts.iter().zip(&ready).enumerate() {
        let v = NewVersion {
            draft,
            basis,
            by: &by,
            now: ctx.now,
        };
        match store::insert_or_find(&mut *tx, status, &v).await? {
            Inserted::New { question_id, .. } => report.created.push(question_id),
            Inserted::Duplicate { existing } => report.duplicates.push((i, existing)),
        }
    }
    if !report.created.is_empty() {
        let detail = format!(
            "新建 {} 题（{}），重复 {} 题未保存",
            report.created.len(),
            status_label(status),
            report.duplicates.len()
        );
        let target = targets(&report.created);
        audit(&mut *tx, ctx, "questions_created", &target, &detail).await?;
    }
    Ok(report)
}

/// Saves an edit as a new version (the old ones stay, for attempts that used them) and clears
/// the review flag. `expected` is the current version the editor started from: when someone
/// else saved a version meanwhile the edit is refused with a conflict, not stored over theirs.
/// Returns the new version's id.
#[tracing::instrument(skip_all)]
pub async fn edit(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
    expected: i64,
    draft: &QuestionDraft,
) -> Result<i64, BankError> {
    require_editor(ctx.actor)?;
    let basis = checked(&mut *tx, draft).await?;
    let by = actor_label(ctx.actor);
    let status: Option<String> =
        sqlx::query_scalar("select status from question where question_id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(status) = status else {
        return Err(not_found(id));
    };
    if status != "retired"
        && let Some(other) = store::duplicate_of(&mut *tx, draft).await?
        && other != id
    {
        return Err(BankError::Conflict(format!("修改后与题目 #{other} 重复")));
    }
    let v = NewVersion {
        draft,
        basis: &basis,
        by: &by,
        now: ctx.now,
    };
    let Some((version_id, version_no)) = store::add_version(&mut *tx, id, Some(expected), &v)
        .await
        .on_constraint(duplicate_edit)?
    else {
        return Err(BankError::Conflict(EDITED_MEANWHILE.into()));
    };
    let detail = format!("保存为第 {version_no} 版");
    audit(&mut *tx, ctx, "question_edited", &targets(&[id]), &detail).await?;
    Ok(version_id)
}

/// The refusal of an edit made on a version someone else has replaced meanwhile.
pub const EDITED_MEANWHILE: &str = "已被他人修改，请刷新后再改";

/// A unique violation while saving a version: the content now duplicates a live question
/// that another request stored meanwhile.
fn duplicate_edit() -> BankError {
    BankError::Conflict("修改后与题库中已有题目重复".into())
}

/// Approves questions, all or none; a question whose basis is an unconfirmed suggestion is
/// refused. A question flagged for review is re-based first: a new
/// version citing its laws' current versions (the approver has checked it against them).
/// A retired question comes back, unless a live one now has the same content.
#[tracing::instrument(skip_all)]
pub async fn approve(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    ids: &[i64],
) -> Result<usize, BankError> {
    require_editor(ctx.actor)?;
    let by = actor_label(ctx.actor);
    for &id in ids {
        let q = store::get(&mut *tx, id)
            .await?
            .ok_or_else(|| not_found(id))?;
        // An approved question rests on a basis an editor has seen.
        if store::suggested::is_marked(&mut *tx, id).await? == Some(true) {
            return Err(BankError::Refused(unconfirmed(id)));
        }
        let draft = q.draft();
        if q.summary.status == Status::Retired
            && let Some(other) = store::duplicate_of(&mut *tx, &draft).await?
        {
            return Err(BankError::Conflict(format!(
                "题目 #{id} 与题目 #{other} 重复，不能恢复"
            )));
        }
        if q.summary.needs_review {
            let basis = rebased(&mut *tx, &q).await?;
            let v = NewVersion {
                draft: &draft,
                basis: &basis,
                by: &by,
                now: ctx.now,
            };
            store::add_version(&mut *tx, id, None, &v)
                .await
                .on_constraint(duplicate_edit)?;
        }
        store::set_status(&mut *tx, id, Status::Approved, &by, ctx.now).await?;
    }
    if !ids.is_empty() {
        let detail = format!("审核通过 {} 题", ids.len());
        audit(&mut *tx, ctx, "questions_approved", &targets(ids), &detail).await?;
    }
    Ok(ids.len())
}

/// The articles of a question, each in its law's current version where it still exists.
async fn rebased(conn: &mut AnyConnection, q: &QuestionDetail) -> Result<Vec<BasisRow>, BankError> {
    let statutes: Vec<i64> = q.articles.iter().map(|a| a.statute_id).collect();
    let current = current_laws(&mut *conn, &statutes).await?;
    Ok(q.articles
        .iter()
        .map(|a| {
            let now = current.get(&a.statute_id).and_then(|law| {
                let text = law.articles.get(&(a.article_no, a.article_sub))?;
                Some((law.law_id, text.clone()))
            });
            let (law_id, text) = now.unwrap_or_else(|| (a.law_id, a.article_text.clone()));
            BasisRow {
                statute_id: a.statute_id,
                law_id,
                law_title: a.law_title.clone(),
                article_no: a.article_no,
                article_sub: a.article_sub,
                text,
            }
        })
        .collect())
}

/// How many generated questions are still in draft (what `approve_all_generated` approves).
pub async fn generated_drafts<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<usize, BankError> {
    Ok(store::generated_drafts(ex).await?.len())
}

/// Approves every generated question still in draft. Returns how many.
pub async fn approve_all_generated(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
) -> Result<usize, BankError> {
    require_editor(ctx.actor)?;
    let ids = store::generated_drafts(&mut *conn).await?;
    approve(&mut *conn, ctx, &ids).await
}

/// Retires questions: they leave the lists for papers and free their content for new
/// questions; their versions stay for the attempts that used them.
#[tracing::instrument(skip_all)]
pub async fn retire(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    ids: &[i64],
) -> Result<usize, BankError> {
    require_editor(ctx.actor)?;
    let by = actor_label(ctx.actor);
    for &id in ids {
        if store::set_status(&mut *tx, id, Status::Retired, &by, ctx.now).await? == 0 {
            return Err(not_found(id));
        }
    }
    if !ids.is_empty() {
        let detail = format!("停用 {} 题", ids.len());
        audit(&mut *tx, ctx, "questions_retired", &targets(ids), &detail).await?;
    }
    Ok(ids.len())
}
