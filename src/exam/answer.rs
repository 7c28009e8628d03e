//! Saving an answer without a unit of work, the hot path of a sitting: the checks read
//! beside the writer (the attempt's owner, status and deadline and the question's type and
//! options do not change while it is open) and one statement stores the answer only while
//! the attempt is open and before its deadline. When that statement finds the attempt closed
//! or late, the caller falls back to [`attempt::save`] in a unit of work, which refuses the
//! answer or closes and grades the attempt.

use sqlx::{Any, AnyConnection, Executor};

use super::ExamError;
use super::attempt::{self, AnswerInput, FINISHED, NO_ATTEMPT, NOT_ON_PAPER, Saved};
use super::store_answer as sa;
use crate::db::Backend;

/// A save that passed its checks, in stored form.
pub struct Checked {
    attempt_id: i64,
    question_id: i64,
    answer: Option<Option<String>>,
    flagged: Option<bool>,
}

/// Checks a save on a read connection; None when the deadline has passed (the attempt
/// must be closed in a unit of work).
pub async fn check(
    conn: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    question_id: i64,
    input: &AnswerInput,
    now: i64,
) -> Result<Option<Checked>, ExamError> {
    let t = sa::target(&mut *conn, attempt_id, question_id)
        .await?
        .filter(|t| t.user_id == user_id)
        .ok_or_else(|| ExamError::NotFound(NO_ATTEMPT.into()))?;
    if t.status != "in_progress" {
        return Err(ExamError::Conflict(FINISHED.into()));
    }
    if now >= t.deadline {
        return Ok(None);
    }
    let (Some(order), Some(qtype)) = (t.option_order, t.qtype) else {
        return Err(ExamError::NotFound(NOT_ON_PAPER.into()));
    };
    let options = serde_json::from_str::<Vec<usize>>(&order).map_or(0, |o| o.len());
    Ok(Some(Checked {
        attempt_id,
        question_id,
        answer: attempt::stored_form(&qtype, options, input)?,
        flagged: input.flagged,
    }))
}

/// Stores a checked save in one statement that commits on its own (run it on
/// [`crate::db::Db::single`]); None when the attempt closed or passed its deadline since the
/// check.
pub async fn store<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    backend: Backend,
    c: &Checked,
    now: i64,
) -> Result<Option<Saved>, ExamError> {
    let row = sa::save_if_open(
        ex,
        backend,
        c.attempt_id,
        c.question_id,
        c.answer.as_ref().map(|a| a.as_deref()),
        c.flagged,
        now,
    )
    .await?;
    Ok(row.map(|r| Saved::Stored {
        answer: r.answer.and_then(|a| serde_json::from_str(&a).ok()),
        flagged: r.flagged != 0,
        deadline: r.deadline,
    }))
}
