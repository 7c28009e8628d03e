//! What administrators and attendees do to sessions: create (scoped to the administrator's
//! units, audited), check in with the code inside the window, and correct attendance with a
//! reason (audited).

use serde::Serialize;
use sqlx::AnyConnection;

use super::TrainingError;
use super::model::{Timing, TrainingRequest, normalize_code};
use super::store::{self, LawRef, NewTraining, RosterEntry, TrainingRow};
use crate::accounts::admin::Ctx;
use crate::accounts::store as accounts;
use crate::accounts::types::within;
use crate::accounts::{Actor, session};
use crate::bank::admin::actor_label;
use crate::corpus::store as laws;

const NO_TRAINING: &str = "学法活动不存在";

/// Whether the actor manages this session: system administrators all, unit administrators
/// those made within their unit.
pub fn manages(ctx: &Ctx<'_>, row: &TrainingRow) -> bool {
    ctx.actor.is_admin() || (!row.scope.is_empty() && ctx.actor.can_manage_unit(&row.scope))
}

/// The deepest unit path that holds every path of `units` ("" for none or no common unit).
fn common_unit(units: &[String]) -> String {
    let Some(first) = units.first() else {
        return String::new();
    };
    let mut common: Vec<&str> = first.split('/').collect();
    for unit in &units[1..] {
        let parts: Vec<&str> = unit.split('/').collect();
        let same = common
            .iter()
            .zip(&parts)
            .take_while(|(a, b)| a == b)
            .count();
        common.truncate(same);
    }
    common.join("/")
}

/// A session the actor manages (404 when missing, 403 outside their scope).
pub async fn managed(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
) -> Result<TrainingRow, TrainingError> {
    let row = store::get(&mut *conn, id)
        .await?
        .ok_or_else(|| TrainingError::NotFound(NO_TRAINING.into()))?;
    if !manages(ctx, &row) {
        return Err(TrainingError::Forbidden);
    }
    Ok(row)
}

/// Records a session with the check-in code `code` (drawn by the caller); returns its id.
/// A unit administrator's roster must lie within their unit.
#[tracing::instrument(skip_all)]
pub async fn create(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    req: &TrainingRequest,
    code: &str,
) -> Result<i64, TrainingError> {
    let scope = ctx
        .actor
        .admin_scope()
        .map_err(|_| TrainingError::Forbidden)?
        .map(str::to_string);
    let mut t = req.validate()?;
    for law_id in &t.laws {
        if laws::get_law(&mut *tx, *law_id).await?.is_none() {
            return Err(TrainingError::invalid(format!("法规 #{law_id} 不存在")));
        }
    }
    for title in &t.law_titles {
        let law = laws::current_by_title(&mut *tx, title)
            .await?
            .ok_or_else(|| TrainingError::invalid(format!("法规《{title}》不存在或未导入")))?;
        t.laws.push(law.law_id);
    }
    t.laws.sort_unstable();
    t.laws.dedup();
    for unit in &t.units {
        if scope.as_deref().is_some_and(|s| !within(unit, s)) {
            return Err(TrainingError::Forbidden);
        }
        if accounts::unit_by_path(&mut *tx, unit).await?.is_none() {
            return Err(TrainingError::invalid(format!("单位「{unit}」不存在")));
        }
    }
    let mut people = Vec::new();
    let mut roster_units: Vec<String> = t.units.clone();
    for username in &t.people {
        let user = accounts::user_by_username(&mut *tx, username)
            .await?
            .ok_or_else(|| TrainingError::invalid(format!("用户「{username}」不存在")))?;
        if scope.as_deref().is_some_and(|s| !within(&user.unit, s)) {
            return Err(TrainingError::Forbidden);
        }
        roster_units.push(user.unit.clone());
        people.push(user.user_id);
    }
    // The unique index is the guard; this check only spares the caller a failed unit of
    // work in the one-in-a-billion case of a repeated code.
    if store::code_taken(&mut *tx, code).await? {
        return Err(TrainingError::Conflict("签到码重复，请重新提交".into()));
    }
    let by = actor_label(ctx.actor);
    let new = NewTraining {
        title: &t.title,
        kind: t.kind.as_str(),
        window: t.window,
        credited_minutes: t.credited_minutes,
        code,
        // A system administrator's session belongs to the unit holding its whole roster, so
        // that unit's administrators can run it (check attendance, correct it).
        scope: &scope.unwrap_or_else(|| common_unit(&roster_units)),
        by: &by,
        now: ctx.now,
    };
    let id = store::insert(&mut *tx, &new).await?;
    for law_id in &t.laws {
        store::add_law(&mut *tx, id, *law_id).await?;
    }
    for unit in &t.units {
        store::add_unit(&mut *tx, id, unit).await?;
    }
    for user_id in people {
        store::add_person(&mut *tx, id, user_id).await?;
    }
    let detail = format!(
        "{}（{}，{}）",
        t.title,
        t.kind.label(),
        hours(t.credited_minutes)
    );
    audit(tx, ctx, "training_created", id, &detail).await?;
    Ok(id)
}

async fn audit(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    action: &str,
    id: i64,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let target = format!("学法活动 #{id}");
    session::audit(&mut *tx, &ctx.audit(action, &target, detail), ctx.now).await
}

/// `1.5 学时`.
pub fn hours(minutes: i64) -> String {
    format!("{} 学时", minutes as f64 / 60.0)
}

/// A session with its laws and roster, as its administrators see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrainingDetail {
    pub training_id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub checkin_opens_at: i64,
    pub checkin_closes_at: i64,
    pub hours: f64,
    pub checkin_code: String,
    pub laws: Vec<LawRef>,
    pub units: Vec<String>,
    pub roster: Vec<RosterEntry>,
    pub expected: usize,
    pub present: usize,
    pub created_by: String,
}

pub async fn detail(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
) -> Result<TrainingDetail, TrainingError> {
    let row = managed(&mut *conn, ctx, id).await?;
    let roster = store::roster(&mut *conn, id).await?;
    let w = row.window();
    Ok(TrainingDetail {
        training_id: row.training_id,
        title: row.title,
        kind: row.kind,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        checkin_opens_at: w.opens_at(),
        checkin_closes_at: w.closes_at(),
        hours: row.credited_minutes as f64 / 60.0,
        checkin_code: row.checkin_code,
        laws: store::laws(&mut *conn, id).await?,
        units: store::units(&mut *conn, id).await?,
        expected: roster.len(),
        present: roster.iter().filter(|r| r.present == Some(1)).count(),
        roster,
        created_by: row.created_by,
    })
}

/// What a check-in answers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckedIn {
    pub training_id: i64,
    pub title: String,
    /// Hours credited by this check-in: 0 when already signed in.
    pub credited_hours: f64,
    pub already: bool,
}

/// Signs `who` in to the session whose code they typed, if now is within its window and
/// they are on its roster. A second check-in changes nothing.
#[tracing::instrument(skip_all)]
pub async fn check_in(
    tx: &mut AnyConnection,
    who: &Actor,
    raw_code: &str,
    now: i64,
) -> Result<CheckedIn, TrainingError> {
    let wrong = || TrainingError::NotFound(WRONG_CODE.into());
    let code = normalize_code(raw_code).ok_or_else(wrong)?;
    let row = store::by_code(&mut *tx, &code).await?.ok_or_else(wrong)?;
    sign_in(tx, who, row, now).await
}

const WRONG_CODE: &str = "签到码不正确，请核对后重新输入";

/// Signs `who` in to session `id` with the code they typed (`POST /api/sessions/{id}/checkin`):
/// the same rules as [`check_in`]; a code that is not this session's is refused as invalid.
#[tracing::instrument(skip_all)]
pub async fn check_in_to(
    tx: &mut AnyConnection,
    who: &Actor,
    id: i64,
    raw_code: &str,
    now: i64,
) -> Result<CheckedIn, TrainingError> {
    let row = store::get(&mut *tx, id)
        .await?
        .ok_or_else(|| TrainingError::NotFound(NO_TRAINING.into()))?;
    if normalize_code(raw_code).as_deref() != Some(row.checkin_code.as_str()) {
        return Err(TrainingError::invalid(WRONG_CODE));
    }
    sign_in(tx, who, row, now).await
}

/// Records the check-in if now is within the window and `who` is on the roster.
async fn sign_in(
    tx: &mut AnyConnection,
    who: &Actor,
    row: TrainingRow,
    now: i64,
) -> Result<CheckedIn, TrainingError> {
    let w = row.window();
    match w.timing(now) {
        Timing::TooEarly => {
            return Err(TrainingError::Conflict(format!(
                "签到尚未开始，请于 {} 之后签到",
                super::model::beijing_minute(w.opens_at())
            )));
        }
        Timing::Closed => {
            return Err(TrainingError::Conflict(
                "签到已结束；未签到的可在活动结束后参加补学".into(),
            ));
        }
        Timing::Open => {}
    }
    if !store::on_roster(&mut *tx, row.training_id, who.user_id).await? {
        return Err(TrainingError::NotExpected(
            "您不在本次学法活动的应到人员名单中，请联系组织单位".into(),
        ));
    }
    let changed = store::check_in(&mut *tx, row.training_id, who.user_id, now).await?;
    Ok(CheckedIn {
        training_id: row.training_id,
        title: row.title,
        credited_hours: if changed {
            row.credited_minutes as f64 / 60.0
        } else {
            0.0
        },
        already: !changed,
    })
}

/// An administrator's correction: `{"username", "present", "reason"}`.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Correction {
    pub username: String,
    pub present: bool,
    pub reason: String,
}

/// Marks an expected attendee present or absent, with a mandatory reason, audited.
#[tracing::instrument(skip_all)]
pub async fn correct(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
    c: &Correction,
) -> Result<(), TrainingError> {
    let row = managed(&mut *tx, ctx, id).await?;
    let reason = c.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(TrainingError::invalid("请填写更正理由（不超过 200 字）"));
    }
    let user = accounts::user_by_username(&mut *tx, &c.username.trim().to_lowercase())
        .await?
        .ok_or_else(|| TrainingError::NotFound(format!("用户「{}」不存在", c.username)))?;
    if !store::on_roster(&mut *tx, id, user.user_id).await? {
        return Err(TrainingError::Conflict(format!(
            "{}不在本次学法活动的应到人员名单中",
            user.name
        )));
    }
    store::set_attendance(
        &mut *tx,
        id,
        user.user_id,
        c.present,
        "corrected",
        reason,
        ctx.now,
    )
    .await?;
    let mark = if c.present { "出席" } else { "缺席" };
    let detail = format!(
        "{}：{}（{}）标记为{mark}；理由：{reason}",
        row.title, user.name, user.username
    );
    audit(tx, ctx, "training_attendance_corrected", id, &detail).await?;
    Ok(())
}
