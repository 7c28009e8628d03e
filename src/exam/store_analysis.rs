//! SQL behind an exam's item analysis: the graded items of its attempts, in one read, and
//! the latest close an override grants.

use sqlx::{Any, Executor, FromRow};

/// One item of a graded attempt, with the version it was graded with.
#[derive(Debug, Clone, FromRow)]
pub struct GradedItem {
    pub attempt_id: i64,
    pub question_id: i64,
    pub version_id: i64,
    pub points: i64,
    pub earned: i64,
    /// The shown keys given (JSON), as saved.
    pub answer: Option<String>,
    /// Shown position → the option's index in the question (JSON).
    pub option_order: String,
}

/// Every item of the exam's graded attempts, by attempt and seq. Items graded before the
/// `earned` column was filled count as 0.
pub async fn graded_items<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
) -> Result<Vec<GradedItem>, sqlx::Error> {
    sqlx::query_as(
        "select i.attempt_id, i.question_id, coalesce(i.graded_version_id, i.version_id) \
         as version_id, i.points, coalesce(i.earned, 0) as earned, i.answer, i.option_order \
         from attempt_item i join attempt a on a.attempt_id = i.attempt_id \
         where a.exam_id = $1 and a.score is not null order by i.attempt_id, i.seq",
    )
    .bind(exam_id)
    .fetch_all(ex)
    .await
}

/// The latest close any person's override grants (None without one).
pub async fn latest_override_close<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select max(closes_at) from exam_override where exam_id = $1")
        .bind(exam_id)
        .fetch_one(ex)
        .await
}
