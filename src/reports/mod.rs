//! Learning records reports: per unit (sub-units rolled up) and per person for a year, and
//! the annual report a 法治政府建设情况报告 needs with the archive behind its figures (台账).
//!
//! `store` reads a year of one unit subtree in a few grouped queries; `people`, `tree` and
//! `annual` are pure computations over those rows; `export` writes .xlsx, .csv and Markdown;
//! `charts` draws the page's SVG. Scoping is decided here: a unit administrator sees only
//! their subtree. "Now" is a parameter.

pub mod annual;
pub mod charts;
pub mod export;
pub mod markdown;
pub mod people;
pub mod store;
pub mod tree;

use std::collections::HashSet;

use serde::Serialize;
use sqlx::AnyConnection;

pub use annual::{ExamRecord, SessionRecord};
pub use people::PersonLine;
pub use tree::UnitRow;

use crate::accounts::Actor;
use crate::exam::rollup::{Bin, distribution};
use crate::learning::{Curriculum, LearningError};
use people::ExamOf;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("无权查看该单位的报表：只能查看本单位及下级单位")]
    Forbidden,
    #[error(transparent)]
    Learning(#[from] LearningError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a report is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub year: i32,
    /// A unit path; None: the administrator's whole scope.
    pub unit: Option<String>,
}

/// The subtree the actor gets for the request: the unit asked for (which they must manage
/// and which must exist), else their own scope (None: every unit).
pub async fn scope_of(
    conn: &mut AnyConnection,
    actor: &Actor,
    unit: Option<&str>,
) -> Result<Option<String>, ReportError> {
    let mine = actor.admin_scope().map_err(|_| ReportError::Forbidden)?;
    let Some(unit) = unit
        .map(|u| u.trim().trim_matches('/'))
        .filter(|u| !u.is_empty())
    else {
        return Ok(mine.map(str::to_string));
    };
    // Refused before looking it up, so the answer never tells which units exist elsewhere.
    if !actor.can_manage_unit(unit) {
        return Err(ReportError::Forbidden);
    }
    if crate::accounts::store::unit_by_path(&mut *conn, unit)
        .await?
        .is_none()
    {
        return Err(ReportError::NotFound(format!("单位「{unit}」不存在")));
    }
    Ok(Some(unit.to_string()))
}

/// Per unit and per person for a year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitReport {
    pub year: i32,
    /// The subtree reported on; null: every unit.
    pub unit: Option<String>,
    /// Certificates are counted as they stand at this moment (the year's end, or now).
    pub as_of: String,
    pub total: UnitRow,
    pub units: Vec<UnitRow>,
    pub people: Vec<PersonLine>,
    /// Study hours of the subtree per month, January first.
    pub hours_by_month: Vec<f64>,
    /// Counted exam scores in percent, in bins of 10.
    pub score_distribution: Vec<Bin>,
}

/// The annual report: the figures and the archive lists behind them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnnualReport {
    pub year: i32,
    pub unit: Option<String>,
    pub as_of: String,
    pub officials: i64,
    /// 集中学法 and 中心组学法 held.
    pub sessions_held: i64,
    /// Over sessions and trainings: places attended / expected, percent.
    pub session_attendance_rate: Option<f64>,
    /// 法治培训班 held.
    pub trainings_held: i64,
    pub study_hours_total: f64,
    pub study_hours_per_official: Option<f64>,
    pub on_track: i64,
    pub completion_rate: Option<f64>,
    pub exams_held: i64,
    pub candidates: i64,
    pub submitted: i64,
    pub participation_rate: Option<f64>,
    pub pass_rate: Option<f64>,
    pub average_score: Option<f64>,
    /// Issued during the year.
    pub certificates_issued: i64,
    pub certificates_valid: i64,
    pub certificates_expiring: i64,
    pub certificates_expired: i64,
    pub units: Vec<UnitRow>,
    pub sessions: Vec<SessionRecord>,
    pub exams: Vec<ExamRecord>,
}

/// The report of `root` for `year` at `now`: what happened in the year up to now.
pub async fn unit_report(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    root: Option<&str>,
    year: i32,
    now: i64,
) -> Result<UnitReport, ReportError> {
    Ok(build(conn, curriculum, root, year, now).await?.0)
}

pub async fn annual_report(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    root: Option<&str>,
    year: i32,
    now: i64,
) -> Result<AnnualReport, ReportError> {
    let (r, a) = build(conn, curriculum, root, year, now).await?;
    let t = &r.total;
    Ok(AnnualReport {
        year,
        unit: r.unit.clone(),
        as_of: r.as_of.clone(),
        officials: t.officials,
        sessions_held: t.sessions_held,
        session_attendance_rate: t.attendance_rate,
        trainings_held: t.trainings_held,
        study_hours_total: t.study_hours,
        study_hours_per_official: t.study_hours_per_official,
        on_track: t.on_track,
        completion_rate: t.completion_rate,
        exams_held: t.exams_held,
        candidates: t.candidates,
        submitted: t.submitted,
        participation_rate: t.participation_rate,
        pass_rate: t.pass_rate,
        average_score: t.average_score,
        certificates_issued: a.issued,
        certificates_valid: t.certificates_valid,
        certificates_expiring: t.certificates_expiring,
        certificates_expired: t.certificates_expired,
        units: r.units,
        sessions: a.sessions,
        exams: a.exams,
    })
}

struct Archive {
    sessions: Vec<SessionRecord>,
    exams: Vec<ExamRecord>,
    issued: i64,
}

async fn build(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    root: Option<&str>,
    year: i32,
    now: i64,
) -> Result<(UnitReport, Archive), ReportError> {
    let (from, end) = crate::learning::year_bounds(year).map_err(|e| match e {
        LearningError::Invalid(m) => ReportError::Invalid(m),
        other => other.into(),
    })?;
    // Only what has happened counts as held; certificates stand as at the year's end.
    let as_of = end.min(now).max(from);
    let d = store::load(&mut *conn, root, year, from, as_of).await?;
    let exams: Vec<ExamOf<'_>> = d
        .exams
        .iter()
        .filter_map(|row| row.exam().ok().map(|exam| ExamOf { row, exam }))
        .collect();
    let lines = people::lines(&d, curriculum, &exams, year, as_of);
    let trainings: HashSet<i64> = d
        .sessions
        .iter()
        .filter(|s| s.kind == crate::training::Kind::Training.as_str())
        .map(|s| s.training_id)
        .collect();
    let mut months = vec![0_i64; 12];
    for (day, secs) in &d.daily {
        let month =
            time::Date::from_julian_day(2_440_588 + *day as i32).map_or(1, |d| u8::from(d.month()));
        months[usize::from(month.clamp(1, 12)) - 1] += secs;
    }
    let archive = Archive {
        sessions: annual::sessions(&d, &lines),
        exams: annual::exams(&d, &exams, &lines),
        issued: annual::issued(&d, &lines, from, as_of),
    };
    // The counted scores, in hundredths of a percent.
    let scores: Vec<i64> = archive
        .exams
        .iter()
        .flat_map(|e| {
            let max = e.max_score.max(0.01);
            e.results
                .iter()
                .filter_map(move |r| r.score.map(|s| (s * 10_000.0 / max).round() as i64))
        })
        .collect();
    let report = UnitReport {
        year,
        unit: root.map(str::to_string),
        as_of: crate::exam::model::format_time(as_of),
        total: tree::total(&lines, root, &trainings),
        units: tree::units(&lines, root, &trainings),
        hours_by_month: months.into_iter().map(people::hours).collect(),
        score_distribution: distribution(&scores, 10_000),
        people: lines,
    };
    Ok((report, archive))
}
