//! The rules of sitting an exam, as pure functions: who may sit it, the window, the
//! deadline, and when a graded attempt may show its key.

use super::model::{Exam, Review};
use super::store::{ExamRow, Override};
use crate::accounts::Actor;
use crate::accounts::types::within;

/// Whether `actor` may sit the exam: within the creating unit administrator's unit, and in
/// the audience (all lists empty: everyone).
pub fn eligible(row: &ExamRow, exam: &Exam, actor: &Actor) -> bool {
    let a = &exam.audience;
    let in_scope = row.scope.is_empty() || within(&actor.unit, &row.scope);
    let everyone = a.units.is_empty() && a.roles.is_empty() && a.users.is_empty();
    in_scope
        && (everyone
            || a.units.iter().any(|u| within(&actor.unit, u))
            || exam.roles.iter().any(|r| actor.has(*r))
            || a.users
                .iter()
                .any(|u| u.eq_ignore_ascii_case(&actor.username)))
}

/// The window this person may start in.
pub fn window(exam: &Exam, ov: &Override) -> (i64, i64) {
    (
        ov.opens_at.unwrap_or(exam.opens_at),
        ov.closes_at.unwrap_or(exam.closes_at),
    )
}

/// Start + time limit (+ extra minutes), but never after the window closes.
pub fn deadline(exam: &Exam, ov: &Override, started: i64) -> i64 {
    let by_limit = started + exam.time_limit_secs + ov.extra_minutes * 60;
    by_limit.min(window(exam, ov).1)
}

/// Whether a graded attempt may show keys, explanations and basis now.
pub fn review_allowed(exam: &Exam, now: i64) -> bool {
    match exam.review {
        Review::AfterSubmit => true,
        Review::AfterClose => now >= exam.closes_at,
        Review::Never => false,
    }
}
