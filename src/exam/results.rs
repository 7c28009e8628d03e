//! Results: a taker's exams and attempts, and an exam's results for administrators (within
//! their unit scope): per person, per unit rolled up, and the score distribution.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::AnyConnection;

use super::admin::managed;
use super::model::{Counts, Exam, format_time};
use super::rollup::{Bin, Tally, UnitTotals, distribution, unit_tree};
use super::rules::eligible;
use super::store::{self, ExamRow};
use super::store_attempt::{self as st, AttemptRow};
use super::store_results::{self as sr, Person};
use super::{ExamError, points};
use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::accounts::types::within;

/// The attempt whose score counts: the best or the last graded one.
pub fn counted<'a>(counts: Counts, attempts: &[&'a AttemptRow]) -> Option<&'a AttemptRow> {
    let graded = attempts.iter().copied().filter(|a| a.score.is_some());
    match counts {
        Counts::Best => graded.max_by_key(|a| (a.score, -a.attempt_no)),
        Counts::Last => graded.max_by_key(|a| a.attempt_no),
    }
}

/// An exam as `GET /api/exams` lists it for one person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MyExam {
    pub exam_id: i64,
    pub title: String,
    pub kind: String,
    pub opens_at: String,
    pub closes_at: String,
    pub time_limit_minutes: i64,
    pub attempts_used: i64,
    pub max_attempts: i64,
    /// The score that counts (best or last, as the exam says); null before any is graded.
    pub best_score: Option<f64>,
    pub passed: bool,
    /// An attempt in progress, to resume.
    pub attempt_in_progress: Option<i64>,
}

/// Published exams open to `actor`: not yet closed, or already sat.
pub async fn my_exams(
    conn: &mut AnyConnection,
    actor: &Actor,
    now: i64,
) -> Result<Vec<MyExam>, ExamError> {
    let mine = st::of_user(&mut *conn, actor.user_id, None).await?;
    let mut out = Vec::new();
    for row in store::list(&mut *conn, true).await? {
        let exam = row.exam()?;
        if !eligible(&row, &exam, actor) {
            continue;
        }
        let ov = store::override_of(&mut *conn, row.exam_id, actor.user_id)
            .await?
            .unwrap_or_default();
        let (opens, closes) = super::rules::window(&exam, &ov);
        let here: Vec<&AttemptRow> = mine.iter().filter(|a| a.exam_id == row.exam_id).collect();
        if now >= closes && here.is_empty() {
            continue;
        }
        let best = counted(exam.counts, &here);
        out.push(MyExam {
            exam_id: row.exam_id,
            title: row.title.clone(),
            kind: row.kind.clone(),
            opens_at: format_time(opens),
            closes_at: format_time(closes),
            time_limit_minutes: exam.time_limit_secs / 60 + ov.extra_minutes,
            attempts_used: here.len() as i64,
            max_attempts: exam.max_attempts + ov.extra_attempts,
            best_score: best.and_then(|a| a.score).map(points),
            passed: best.is_some_and(|a| a.passed == Some(1)),
            attempt_in_progress: here.iter().find(|a| a.in_progress()).map(|a| a.attempt_id),
        });
    }
    Ok(out)
}

/// One attempt as its owner's list (`GET /api/me/attempts`) shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttemptSummary {
    pub attempt_id: i64,
    pub exam_id: i64,
    pub title: String,
    pub attempt_no: i64,
    pub status: String,
    pub started_at: String,
    pub deadline: String,
    pub finished_at: Option<String>,
    pub score: Option<f64>,
    pub max_score: f64,
    pub passed: Option<bool>,
}

pub async fn my_attempts(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Vec<AttemptSummary>, ExamError> {
    let titles: HashMap<i64, String> = store::list(&mut *conn, false)
        .await?
        .into_iter()
        .map(|r| (r.exam_id, r.title))
        .collect();
    Ok(st::of_user(&mut *conn, user_id, None)
        .await?
        .into_iter()
        .map(|a| summary(&a, titles.get(&a.exam_id).cloned().unwrap_or_default()))
        .collect())
}

pub fn summary(a: &AttemptRow, title: String) -> AttemptSummary {
    AttemptSummary {
        attempt_id: a.attempt_id,
        exam_id: a.exam_id,
        title,
        attempt_no: a.attempt_no,
        status: a.status.clone(),
        started_at: format_time(a.started_at),
        deadline: format_time(a.deadline),
        finished_at: a.finished_at.map(format_time),
        score: a.score.map(points),
        max_score: points(a.max_score),
        passed: a.passed.map(|p| p == 1),
    }
}

/// One person's line in an exam's results: everyone invited, and anyone else who attempted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonResult {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    /// In the exam's audience now (someone who attempted may have left it since).
    pub invited: bool,
    pub attempts: i64,
    pub in_progress: bool,
    /// The score that counts (best or last); null before any attempt is graded.
    pub score: Option<f64>,
    pub passed: bool,
    /// Visibility changes and similar events logged over all attempts.
    pub events: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExamResults {
    pub exam_id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub max_score: f64,
    pub pass_score: f64,
    /// People in the audience (within the administrator's scope).
    pub invited: i64,
    pub started: i64,
    pub submitted: i64,
    pub passed: i64,
    pub people: Vec<PersonResult>,
    /// Per unit, each with its sub-units rolled up, parents before children.
    pub units: Vec<UnitTotals>,
    /// The counted scores in bins of 10 points.
    pub distribution: Vec<Bin>,
}

/// The people in an exam's audience, within `scope`, from the active users.
pub fn invited_people<'a>(
    row: &ExamRow,
    exam: &Exam,
    people: &'a [(Person, Actor)],
    scope: Option<&str>,
) -> impl Iterator<Item = &'a Person> {
    people
        .iter()
        .filter(move |(p, actor)| {
            scope.is_none_or(|s| within(&p.unit, s)) && eligible(row, exam, actor)
        })
        .map(|(p, _)| p)
}

/// The results of an exam the actor manages, for the people within their scope.
pub async fn exam_results(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
) -> Result<ExamResults, ExamError> {
    let row = managed(&mut *conn, ctx, exam_id).await?;
    let active = sr::active_people(&mut *conn).await?;
    results_of(conn, ctx, &row, &active).await
}

/// An exam as the administrators' list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ExamOverview {
    pub exam_id: i64,
    pub title: String,
    pub kind: String,
    /// draft, published (not yet open), open or closed.
    pub phase: &'static str,
    pub opens_at: i64,
    pub closes_at: i64,
    pub invited: i64,
    pub started: i64,
    pub submitted: i64,
    pub passed: i64,
    /// passed / submitted, in percent; None before anyone is graded.
    pub pass_rate: Option<f64>,
}

/// Where an exam stands at `now`.
pub fn phase(row: &ExamRow, now: i64) -> &'static str {
    if !row.published() {
        "draft"
    } else if now < row.opens_at {
        "published"
    } else if now < row.closes_at {
        "open"
    } else {
        "closed"
    }
}

/// The exams the actor manages, newest first, with their counts within the actor's scope.
pub async fn overview(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
) -> Result<Vec<ExamOverview>, ExamError> {
    let active = sr::active_people(&mut *conn).await?;
    let mut out = Vec::new();
    for row in store::list(&mut *conn, false).await? {
        if !super::admin::manages(ctx, &row) {
            continue;
        }
        let r = results_of(&mut *conn, ctx, &row, &active).await?;
        out.push(ExamOverview {
            exam_id: row.exam_id,
            phase: phase(&row, ctx.now),
            title: r.title,
            kind: r.kind,
            opens_at: row.opens_at,
            closes_at: row.closes_at,
            invited: r.invited,
            started: r.started,
            submitted: r.submitted,
            passed: r.passed,
            pass_rate: (r.submitted > 0)
                .then(|| (r.passed as f64 * 1000.0 / r.submitted as f64).round() / 10.0),
        });
    }
    Ok(out)
}

async fn results_of(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    row: &ExamRow,
    active: &[(Person, Actor)],
) -> Result<ExamResults, ExamError> {
    let exam_id = row.exam_id;
    let exam = row.exam()?;
    let scope = ctx.actor.admin_scope().map_err(|_| ExamError::Forbidden)?;
    let invited: HashSet<i64> = invited_people(row, &exam, active, scope)
        .map(|p| p.user_id)
        .collect();
    let mut people: Vec<Person> = invited_people(row, &exam, active, scope).cloned().collect();
    for p in sr::attempted(&mut *conn, exam_id).await? {
        if !invited.contains(&p.user_id) && scope.is_none_or(|s| within(&p.unit, s)) {
            people.push(p);
        }
    }
    people.sort_by(|a, b| (&a.unit, &a.username).cmp(&(&b.unit, &b.username)));
    let events = sr::event_counts(&mut *conn, exam_id).await?;
    let attempts = st::of_exam(&mut *conn, exam_id).await?;
    let mut out = results_head(row, &exam);
    let mut tallies = Vec::new();
    let mut scores = Vec::new();
    for p in people {
        let here: Vec<&AttemptRow> = attempts.iter().filter(|a| a.user_id == p.user_id).collect();
        let best = counted(exam.counts, &here);
        let passed = best.is_some_and(|a| a.passed == Some(1));
        let tally = Tally {
            invited: i64::from(invited.contains(&p.user_id)),
            started: i64::from(!here.is_empty()),
            submitted: i64::from(best.is_some()),
            passed: i64::from(passed),
        };
        out.invited += tally.invited;
        out.started += tally.started;
        out.submitted += tally.submitted;
        out.passed += tally.passed;
        scores.extend(best.and_then(|a| a.score));
        tallies.push((p.unit.clone(), tally));
        out.people.push(PersonResult {
            invited: tally.invited == 1,
            attempts: here.len() as i64,
            in_progress: here.iter().any(|a| a.in_progress()),
            score: best.and_then(|a| a.score).map(points),
            passed,
            events: events.get(&p.user_id).copied().unwrap_or(0),
            user_id: p.user_id,
            username: p.username,
            name: p.name,
            unit: p.unit,
        });
    }
    let lines: Vec<(&str, Tally)> = tallies.iter().map(|(u, t)| (u.as_str(), *t)).collect();
    out.units = unit_tree(&lines, scope);
    out.distribution = distribution(&scores, exam.max_score);
    Ok(out)
}

fn results_head(row: &ExamRow, exam: &Exam) -> ExamResults {
    ExamResults {
        exam_id: row.exam_id,
        title: row.title.clone(),
        kind: row.kind.clone(),
        status: row.status.clone(),
        max_score: points(exam.max_score),
        pass_score: points(exam.pass_score),
        invited: 0,
        started: 0,
        submitted: 0,
        passed: 0,
        people: Vec::new(),
        units: Vec::new(),
        distribution: Vec::new(),
    }
}
