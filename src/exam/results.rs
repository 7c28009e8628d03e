//! Results: a taker's exams and attempts, an exam's results per person for administrators
//! (within their unit scope), and regrading after a question's key was corrected.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::AnyConnection;

use super::admin::managed;
use super::model::{Counts, Exam, format_time};
use super::rules::eligible;
use super::store::{self, ExamRow};
use super::store_attempt::{self as st, AttemptRow};
use super::{ExamError, GradedAttempt, attempt, points};
use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::accounts::session;
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

fn summary(a: &AttemptRow, title: String) -> AttemptSummary {
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

/// One person's line in an exam's results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonResult {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
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
    pub started: i64,
    pub submitted: i64,
    pub passed: i64,
    pub people: Vec<PersonResult>,
}

/// The results of an exam the actor manages, for the people within their scope.
pub async fn exam_results(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
) -> Result<ExamResults, ExamError> {
    let row = managed(&mut *conn, ctx, exam_id).await?;
    let exam = row.exam()?;
    let scope = ctx.actor.admin_scope().map_err(|_| ExamError::Forbidden)?;
    let people: Vec<(i64, String, String, String)> = sqlx::query_as(
        "select distinct u.user_id, u.username, u.name, n.path from attempt a \
         join app_user u on u.user_id = a.user_id join unit n on n.unit_id = u.unit_id \
         where a.exam_id = $1 order by n.path, u.username",
    )
    .bind(exam_id)
    .fetch_all(&mut *conn)
    .await?;
    let events: HashMap<i64, i64> = sqlx::query_as(
        "select a.user_id, count(*) from attempt_event e join attempt a \
         on a.attempt_id = e.attempt_id where a.exam_id = $1 group by a.user_id",
    )
    .bind(exam_id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let attempts = st::of_exam(&mut *conn, exam_id).await?;
    let mut out = results_head(&row, &exam);
    for (user_id, username, name, unit) in people {
        if scope.is_some_and(|s| !within(&unit, s)) {
            continue;
        }
        let here: Vec<&AttemptRow> = attempts.iter().filter(|a| a.user_id == user_id).collect();
        let best = counted(exam.counts, &here);
        let passed = best.is_some_and(|a| a.passed == Some(1));
        out.started += 1;
        out.submitted += i64::from(best.is_some());
        out.passed += i64::from(passed);
        out.people.push(PersonResult {
            user_id,
            username,
            name,
            unit,
            attempts: here.len() as i64,
            in_progress: here.iter().any(|a| a.in_progress()),
            score: best.and_then(|a| a.score).map(points),
            passed,
            events: events.get(&user_id).copied().unwrap_or(0),
        });
    }
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
        started: 0,
        submitted: 0,
        passed: 0,
        people: Vec::new(),
    }
}

/// One graded attempt whose score a regrade changes.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub attempt_id: i64,
    pub user_id: i64,
    pub username: String,
    pub old_score: f64,
    pub new_score: f64,
    pub old_passed: bool,
    pub new_passed: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegradeReport {
    pub exam_id: i64,
    pub applied: bool,
    /// Graded attempts looked at.
    pub attempts: i64,
    /// Those whose score changes; `old_passed != new_passed` are the fail→pass / pass→fail.
    pub changes: Vec<Change>,
    /// The regraded attempts, as grading reports them (for certificates to follow).
    #[serde(skip)]
    pub graded: Vec<GradedAttempt>,
}

/// Grades every graded attempt of the exam again with the current version of each of its
/// questions. A dry run changes nothing; `apply` stores the new grades and audits it.
#[tracing::instrument(skip_all)]
pub async fn regrade(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
    apply: bool,
) -> Result<RegradeReport, ExamError> {
    let row = managed(&mut *tx, ctx, exam_id).await?;
    let exam = row.exam()?;
    let mut report = RegradeReport {
        exam_id,
        applied: apply,
        attempts: 0,
        changes: Vec::new(),
        graded: Vec::new(),
    };
    for a in st::of_exam(&mut *tx, exam_id).await? {
        let Some(old) = a.score else { continue };
        report.attempts += 1;
        let items = st::items(&mut *tx, a.attempt_id).await?;
        let qids: Vec<i64> = items.iter().map(|i| i.question_id).collect();
        let current = super::store_version::current_versions(&mut *tx, &qids).await?;
        let version_of =
            |i: &st::ItemRow| current.get(&i.question_id).copied().unwrap_or(i.version_id);
        let graded = attempt::grade_items(&mut *tx, &exam, &items, version_of).await?;
        let score: i64 = graded.iter().map(|g| g.2).sum();
        let passed = score >= exam.pass_score;
        if score == old {
            continue;
        }
        let username: String =
            sqlx::query_scalar("select username from app_user where user_id = $1")
                .bind(a.user_id)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or_default();
        report.changes.push(Change {
            attempt_id: a.attempt_id,
            user_id: a.user_id,
            username,
            old_score: points(old),
            new_score: points(score),
            old_passed: a.passed == Some(1),
            new_passed: passed,
        });
        if apply {
            for (seq, version, earned) in &graded {
                st::set_item_grade(&mut *tx, a.attempt_id, *seq, *version, *earned).await?;
            }
            let at = a.finished_at.unwrap_or(a.deadline);
            st::set_result(&mut *tx, a.attempt_id, &a.status, at, score, passed).await?;
            report.graded.push(GradedAttempt {
                attempt_id: a.attempt_id,
                exam_id,
                user_id: a.user_id,
                score,
                max_score: a.max_score,
                passed,
                kind: exam.kind,
            });
        }
    }
    if apply {
        let flips = report
            .changes
            .iter()
            .filter(|c| c.old_passed != c.new_passed)
            .count();
        let detail = format!(
            "重新评分：{} 份答卷中 {} 份分数变化，{} 人及格与否改变",
            report.attempts,
            report.changes.len(),
            flips
        );
        let target = format!("考试 #{exam_id}");
        session::audit(
            &mut *tx,
            &ctx.audit("exam_regraded", &target, &detail),
            ctx.now,
        )
        .await?;
    }
    Ok(report)
}
