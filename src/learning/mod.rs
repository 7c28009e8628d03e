//! Study records (学法记录): reading time credited from page heartbeats, the annual
//! curriculum by role with per-unit overrides, and each person's progress against it.
//!
//! `credit` is the pure crediting rule, `curriculum` the requirements file, `progress` the
//! pure comparison, `store` the SQL. Practice and exam time are not copied into the ledger:
//! the progress query computes them from the answers' and attempts' own timestamps (see
//! `store::practice_seconds`, `store::exam_seconds`), so they can never disagree.
//! "Now" is always a parameter; the caller owns the transaction.

pub mod credit;
pub mod curriculum;
pub mod progress;
pub mod store;

use sqlx::AnyConnection;
use time::{Date, Month, OffsetDateTime, UtcOffset};

pub use credit::{Beat, beijing_day};
pub use curriculum::{Curriculum, Override};
pub use progress::{Progress, Totals};

use crate::accounts::admin::Ctx;
use crate::accounts::session;
use crate::accounts::{Actor, Role};
use crate::materials;

#[derive(Debug, thiserror::Error)]
pub enum LearningError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("无权管理该单位的学法要求")]
    Forbidden,
    /// The curriculum file is missing or malformed: an operator's problem, shown as such.
    #[error("{0}")]
    Curriculum(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn beijing() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The Beijing year a moment falls in.
pub fn year_of(unix: i64) -> i32 {
    OffsetDateTime::from_unix_timestamp(unix).map_or(1970, |t| t.to_offset(beijing()).year())
}

/// The unix seconds `[start, end)` of a Beijing calendar year.
pub fn year_bounds(year: i32) -> Result<(i64, i64), LearningError> {
    let bad = || LearningError::Invalid(format!("年份 {year} 不正确"));
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    let start = |y| {
        Date::from_calendar_date(y, Month::January, 1)
            .map(|d| d.midnight().assume_offset(beijing()).unix_timestamp())
            .map_err(|_| bad())
    };
    Ok((start(year)?, start(year + 1)?))
}

/// What a reading page shows: a law version or a study note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Law(i64),
    Material(i64),
}

/// Credits a heartbeat from a law or note page at `now`: the seconds added to the ledger.
/// One mark per person whatever is read, so the caps hold across laws and notes.
#[tracing::instrument(skip_all)]
pub async fn heartbeat(
    conn: &mut AnyConnection,
    user_id: i64,
    reading: Reading,
    beat: Beat,
    now: i64,
) -> Result<i64, LearningError> {
    let (kind, ref_id) = match reading {
        Reading::Law(law_id) => {
            let statute = store::statute_of(&mut *conn, law_id)
                .await?
                .ok_or_else(|| LearningError::NotFound("法规不存在".into()))?;
            ("law", statute)
        }
        Reading::Material(id) => {
            crate::materials::store::law_of(&mut *conn, id)
                .await?
                .ok_or_else(|| LearningError::NotFound("学习资料不存在".into()))?;
            ("material", id)
        }
    };
    let day = beijing_day(now);
    let mark = store::mark(&mut *conn, user_id).await?;
    let today = store::day_total(&mut *conn, user_id, day).await?;
    let c = credit::credit(now, mark, beat, today);
    if !store::move_mark(&mut *conn, user_id, mark, c.mark).await? {
        return Ok(0);
    }
    if c.seconds > 0 {
        store::add_time(&mut *conn, user_id, day, kind, ref_id, c.seconds).await?;
    }
    Ok(c.seconds)
}

/// Who progress is computed for.
pub struct Person<'a> {
    pub user_id: i64,
    pub unit: &'a str,
    pub roles: &'a [Role],
}

/// The person's progress in `year`; `attended` is their concentrated sessions attended that
/// year, counted by the caller (None leaves sessions out).
#[tracing::instrument(skip_all)]
pub async fn progress(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    who: &Person<'_>,
    year: i32,
    attended: Option<u32>,
) -> Result<Progress, LearningError> {
    let (from, until) = year_bounds(year)?;
    let unit = store::nearest_override(&mut *conn, who.unit, year)
        .await?
        .map(|o| Override {
            hours: u32::try_from(o.hours).unwrap_or(0),
            sessions: u32::try_from(o.sessions).unwrap_or(0),
        });
    let req = curriculum.requirement(who.roles, unit);
    let (day_from, day_until) = (beijing_day(from), beijing_day(until));
    let laws = store::law_seconds(&mut *conn, who.user_id, day_from, day_until).await?;
    let totals = Totals {
        laws,
        practice: store::practice_seconds(&mut *conn, who.user_id, day_from, day_until).await?,
        exams: store::exam_seconds(&mut *conn, who.user_id, from, until).await?,
        checks: materials::store::checks_by_law(&mut *conn, who.user_id, from, until).await?,
    };
    let known = store::known_titles(&mut *conn).await?;
    Ok(progress::compute(year, &req, &totals, &known, attended))
}

/// A unit's requirement for a year as administrators see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UnitRequirement {
    pub unit_id: i64,
    pub unit: String,
    pub year: i32,
    pub hours: u32,
    pub sessions: u32,
    /// Whether the unit (or a unit above it) overrides the curriculum for the year.
    pub overridden: bool,
    /// Whether the override is this unit's own (false: inherited from a unit above).
    pub own: bool,
}

async fn managed_unit(
    conn: &mut AnyConnection,
    actor: &Actor,
    unit_id: i64,
) -> Result<String, LearningError> {
    let unit = crate::accounts::store::unit_by_id(&mut *conn, unit_id)
        .await?
        .ok_or_else(|| LearningError::NotFound("单位不存在".into()))?;
    if !actor.can_manage_unit(&unit.path) {
        return Err(LearningError::Forbidden);
    }
    Ok(unit.path)
}

/// The requirement of officials (not officers) in a unit for a year.
pub async fn unit_requirement(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    actor: &Actor,
    unit_id: i64,
    year: i32,
) -> Result<UnitRequirement, LearningError> {
    year_bounds(year)?;
    let path = managed_unit(&mut *conn, actor, unit_id).await?;
    let o = store::nearest_override(&mut *conn, &path, year).await?;
    let own = match o {
        Some(_) => store::override_of(&mut *conn, unit_id, year)
            .await?
            .is_some(),
        None => false,
    };
    let base = curriculum.requirement(&[Role::Official], None);
    Ok(UnitRequirement {
        unit_id,
        unit: path,
        year,
        hours: o
            .as_ref()
            .map_or(base.hours, |o| u32::try_from(o.hours).unwrap_or(0)),
        sessions: o
            .as_ref()
            .map_or(base.sessions, |o| u32::try_from(o.sessions).unwrap_or(0)),
        overridden: o.is_some(),
        own,
    })
}

/// The requirements of every unit `actor` manages for a year, in the units' path order.
pub async fn unit_requirements(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    actor: &Actor,
    year: i32,
) -> Result<Vec<UnitRequirement>, LearningError> {
    let scope = actor.admin_scope().map_err(|_| LearningError::Forbidden)?;
    let units = crate::accounts::store::list_units(&mut *conn, scope).await?;
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        out.push(unit_requirement(&mut *conn, curriculum, actor, u.unit_id, year).await?);
    }
    Ok(out)
}

/// Sets a unit's hours and sessions for a year, audited in the same unit of work; returns
/// the unit's path.
#[tracing::instrument(skip_all)]
pub async fn set_unit_requirement(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    unit_id: i64,
    year: i32,
    value: Override,
) -> Result<String, LearningError> {
    year_bounds(year)?;
    if value.hours > 1000 || value.sessions > 365 {
        return Err(LearningError::Invalid(
            "学时应在 0–1000 之间，集中学法次数应在 0–365 之间".into(),
        ));
    }
    let path = managed_unit(&mut *conn, ctx.actor, unit_id).await?;
    let before = store::override_of(&mut *conn, unit_id, year).await?;
    store::set_override(
        &mut *conn,
        unit_id,
        year,
        value.hours,
        value.sessions,
        ctx.actor.user_id,
        ctx.now,
    )
    .await?;
    let was = before.map_or("按学法要求文件".to_string(), |b| {
        format!("{} 学时、{} 次", b.hours, b.sessions)
    });
    let detail = format!(
        "{year} 年学法要求：{} 学时、集中学法 {} 次（原为 {was}）",
        value.hours, value.sessions
    );
    session::audit(
        &mut *conn,
        &ctx.audit("study_requirement_set", &path, &detail),
        ctx.now,
    )
    .await?;
    Ok(path)
}
