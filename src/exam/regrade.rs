//! Regrading after a question's key was corrected: every graded attempt of the exam is graded
//! again with the current version of each of its questions. A dry run lists who changes
//! (fail→pass, pass→fail) and changes nothing; applying stores the new grades, audited. The
//! certificates follow in the caller's unit of work (`App::follow_regrade`).

use serde::Serialize;
use sqlx::AnyConnection;

use super::admin::managed;
use super::store_attempt as st;
use super::store_results as sr;
use super::{ExamError, GradedAttempt, attempt, points};
use crate::accounts::admin::Ctx;
use crate::accounts::session;

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
    /// Certificate numbers revoked because a pass became a fail (when applied).
    pub revoked_certificates: Vec<String>,
    /// Certificate numbers issued or restored because a fail became a pass (when applied).
    pub issued_certificates: Vec<String>,
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
        revoked_certificates: Vec::new(),
        issued_certificates: Vec::new(),
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
        report.changes.push(Change {
            attempt_id: a.attempt_id,
            user_id: a.user_id,
            username: String::new(),
            old_score: points(old),
            new_score: points(score),
            old_passed: a.passed == Some(1),
            new_passed: passed,
        });
        if apply {
            st::set_item_grades(&mut *tx, a.attempt_id, &graded).await?;
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
    let ids: Vec<i64> = report.changes.iter().map(|c| c.user_id).collect();
    let names = sr::usernames(&mut *tx, &ids).await?;
    for c in &mut report.changes {
        c.username = names.get(&c.user_id).cloned().unwrap_or_default();
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
