//! What administrators do to exams: create (a draft), publish (after checking that the
//! approved bank can fill every section) and grant per-person overrides. Each is checked
//! against the actor's scope and audited in the same transaction.

use std::collections::HashSet;

use serde::Deserialize;
use sqlx::AnyConnection;

use super::model::{ExamDefinition, parse_time};
use super::store::{self, ExamRow, NewExam, Override};
use super::store_attempt as st;
use super::{ExamError, blueprint, paper, rules};
use crate::accounts::admin::Ctx;
use crate::accounts::session;
use crate::accounts::store as accounts;
use crate::accounts::types::within;
use crate::bank::admin::actor_label;

/// Whether the actor manages this exam: system administrators all, unit administrators the
/// exams made for their unit or below.
pub fn manages(ctx: &Ctx<'_>, row: &ExamRow) -> bool {
    ctx.actor.is_admin() || (!row.scope.is_empty() && ctx.actor.can_manage_unit(&row.scope))
}

/// An exam the actor manages (404 when missing, 403 when outside their scope).
pub async fn managed(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
) -> Result<ExamRow, ExamError> {
    let row = store::get(&mut *conn, exam_id)
        .await?
        .ok_or_else(|| ExamError::NotFound("考试不存在".into()))?;
    if !manages(ctx, &row) {
        return Err(ExamError::Forbidden);
    }
    Ok(row)
}

/// Creates a draft exam; returns its id.
#[tracing::instrument(skip_all)]
pub async fn create(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    def: &ExamDefinition,
) -> Result<i64, ExamError> {
    let scope = ctx
        .actor
        .admin_scope()
        .map_err(|_| ExamError::Forbidden)?
        .map(str::to_string);
    let mut def = def.clone();
    if let Some(unit) = &scope
        && def.audience.units.is_empty()
    {
        def.audience.units.push(unit.clone());
    }
    let exam = def.validate()?;
    for unit in &def.audience.units {
        if scope.as_deref().is_some_and(|s| !within(unit, s)) {
            return Err(ExamError::Forbidden);
        }
        if accounts::unit_by_path(&mut *tx, unit).await?.is_none() {
            return Err(ExamError::invalid(format!(
                "考试对象中的单位「{unit}」不存在"
            )));
        }
    }
    for username in &def.audience.users {
        if accounts::user_by_username(&mut *tx, &username.to_lowercase())
            .await?
            .is_none()
        {
            return Err(ExamError::invalid(format!(
                "考试对象中的用户「{username}」不存在"
            )));
        }
    }
    let definition = serde_json::to_string(&def).map_err(|e| ExamError::invalid(e.to_string()))?;
    let by = actor_label(ctx.actor);
    let new = NewExam {
        exam: &exam,
        definition: &definition,
        scope: scope.as_deref().unwrap_or(""),
        by: &by,
        now: ctx.now,
    };
    let exam_id = store::insert(&mut *tx, &new).await?;
    let detail = format!("{}（{}，{} 道题）", exam.title, exam.kind.as_str(), {
        exam.sections.iter().map(|s| s.count).sum::<usize>()
    });
    audit(tx, ctx, "exam_created", exam_id, &detail).await?;
    Ok(exam_id)
}

async fn audit(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    action: &str,
    exam_id: i64,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let target = format!("考试 #{exam_id}");
    session::audit(&mut *tx, &ctx.audit(action, &target, detail), ctx.now).await
}

/// Whether the approved bank can fill every section now (a paper drawn with a fixed seed
/// and nobody's history); the message says which section is short by how many.
pub async fn check_bank(conn: &mut AnyConnection, row: &ExamRow) -> Result<(), ExamError> {
    let exam = row.exam()?;
    let bank = store::approved_bank(&mut *conn).await?;
    let pools = blueprint::pools(&exam, &bank, &HashSet::new());
    paper::draw(&pools, exam.shuffle, 0)
        .map(|_| ())
        .map_err(|short| ExamError::Conflict(paper::Shortfall::message(&short)))
}

/// Draft → published, once the bank can fill it.
#[tracing::instrument(skip_all)]
pub async fn publish(tx: &mut AnyConnection, ctx: &Ctx<'_>, exam_id: i64) -> Result<(), ExamError> {
    let row = managed(&mut *tx, ctx, exam_id).await?;
    if row.published() {
        return Err(ExamError::Conflict("考试已发布".into()));
    }
    check_bank(&mut *tx, &row).await?;
    store::publish(&mut *tx, exam_id, ctx.now).await?;
    audit(tx, ctx, "exam_published", exam_id, &row.title).await?;
    Ok(())
}

/// A per-person override as an administrator asks for it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    pub username: String,
    #[serde(default)]
    pub extra_minutes: i64,
    #[serde(default)]
    pub extra_attempts: i64,
    /// Another window (RFC 3339), both or neither.
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    /// Why (required; it goes to the audit log).
    pub reason: String,
}

/// Sets a person's override; an attempt of theirs in progress gets the new deadline.
#[tracing::instrument(skip_all)]
pub async fn set_override(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
    req: &OverrideRequest,
) -> Result<(), ExamError> {
    let row = managed(&mut *tx, ctx, exam_id).await?;
    let exam = row.exam()?;
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ExamError::invalid("请填写调整原因（不超过 500 字）"));
    }
    if !(0..=24 * 60).contains(&req.extra_minutes) || !(0..=20).contains(&req.extra_attempts) {
        return Err(ExamError::invalid(
            "延长时间须在 0 到 1440 分钟之间，增加次数须在 0 到 20 之间",
        ));
    }
    let window = match (&req.opens_at, &req.closes_at) {
        (None, None) => None,
        (Some(o), Some(c)) => {
            let (o, c) = (parse_time(o, "开始时间")?, parse_time(c, "结束时间")?);
            if c <= o {
                return Err(ExamError::invalid("结束时间必须晚于开始时间"));
            }
            Some((o, c))
        }
        _ => return Err(ExamError::invalid("另定考试时间须同时给出开始和结束时间")),
    };
    let user = accounts::user_by_username(&mut *tx, &req.username.trim().to_lowercase())
        .await?
        .ok_or_else(|| ExamError::NotFound(format!("用户「{}」不存在", req.username)))?;
    if !ctx.actor.can_manage_unit(&user.unit) {
        return Err(ExamError::Forbidden);
    }
    let ov = Override {
        extra_minutes: req.extra_minutes,
        extra_attempts: req.extra_attempts,
        opens_at: window.map(|w| w.0),
        closes_at: window.map(|w| w.1),
        reason: reason.to_string(),
    };
    store::set_override(
        &mut *tx,
        exam_id,
        user.user_id,
        &ov,
        &actor_label(ctx.actor),
        ctx.now,
    )
    .await?;
    for a in st::of_user(&mut *tx, user.user_id, Some(exam_id)).await? {
        if a.in_progress() {
            st::set_deadline(
                &mut *tx,
                a.attempt_id,
                rules::deadline(&exam, &ov, a.started_at),
            )
            .await?;
        }
    }
    let detail = format!(
        "{}：延长 {} 分钟，增加 {} 次{}；原因：{reason}",
        user.username,
        ov.extra_minutes,
        ov.extra_attempts,
        if window.is_some() {
            "，另定考试时间"
        } else {
            ""
        }
    );
    audit(tx, ctx, "exam_override", exam_id, &detail).await?;
    Ok(())
}
