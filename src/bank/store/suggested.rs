//! The suggested-basis mark (`question.basis_suggested`, migration 0009): set when an import
//! stored the suggester's best article as a question's basis, cleared when an editor confirms
//! it, picks another article or saves an edit. A marked question waits in the review queue.

use sqlx::{Any, Executor};

/// Marks a question's basis as suggested and puts it in the review queue with `note`.
pub async fn mark<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    question_id: i64,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update question set basis_suggested = 1, needs_review = 1, review_note = $1 \
         where question_id = $2",
    )
    .bind(note)
    .bind(question_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Whether the question's basis is a suggestion nobody has confirmed (None: no such question).
pub async fn is_marked<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    question_id: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let mark: Option<i64> =
        sqlx::query_scalar("select basis_suggested from question where question_id = $1")
            .bind(question_id)
            .fetch_optional(ex)
            .await?;
    Ok(mark.map(|m| m != 0))
}

/// The basis is confirmed as it stands: the mark and the review flag it raised go.
/// Returns whether the question was marked.
pub async fn confirm<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    question_id: i64,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update question set basis_suggested = 0, needs_review = 0, review_note = '', \
         updated_by = $1, updated_at = $2 where question_id = $3 and basis_suggested = 1",
    )
    .bind(by)
    .bind(now)
    .bind(question_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}
