//! SQL for the quick answer save: what a save checks, read beside the writer, and the one
//! statement that stores the answer only while its attempt is open and before its deadline.

use sqlx::{Any, Executor, FromRow};

use crate::db::Backend;

/// The attempt a save names and, when it is on the paper, the question's item.
#[derive(Debug, Clone, FromRow)]
pub struct SaveTarget {
    pub user_id: i64,
    pub status: String,
    pub deadline: i64,
    /// None (with `qtype`) when the question is not on the paper.
    pub option_order: Option<String>,
    pub qtype: Option<String>,
}

pub async fn target<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
    question_id: i64,
) -> Result<Option<SaveTarget>, sqlx::Error> {
    sqlx::query_as(
        "select a.user_id, a.status, a.deadline, i.option_order, v.qtype from attempt a \
         left join attempt_item i on i.attempt_id = a.attempt_id and i.question_id = $2 \
         left join question_version v on v.version_id = i.version_id \
         where a.attempt_id = $1",
    )
    .bind(attempt_id)
    .bind(question_id)
    .fetch_optional(ex)
    .await
}

/// What is on record for the item after a save.
#[derive(Debug, Clone, FromRow)]
pub struct StoredRow {
    pub answer: Option<String>,
    pub flagged: i64,
    pub deadline: i64,
}

/// Stores an answer (None keeps it, Some(None) clears it) and, when given, the review flag,
/// in one statement that commits on its own; None when the attempt is no longer open or its
/// deadline has passed. On PostgreSQL the statement share-locks the attempt row, so it waits
/// for a submit holding the row and then sees it closed: an answer is in the grade or
/// refused. On SQLite the caller runs it on the single writer, which serializes it with
/// every unit of work.
#[allow(clippy::too_many_arguments)]
pub async fn save_if_open<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    backend: Backend,
    attempt_id: i64,
    question_id: i64,
    answer: Option<Option<&str>>,
    flagged: Option<bool>,
    now: i64,
) -> Result<Option<StoredRow>, sqlx::Error> {
    let lock = match backend {
        Backend::Postgres => " for share",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "update attempt_item set \
         answer = case when $3 = 1 then $4 else answer end, \
         answered_at = case when $3 = 1 then $5 else answered_at end, \
         flagged = case when $6 < 0 then flagged else $6 end \
         where attempt_id = $1 and question_id = $2 and exists (select 1 from attempt \
         where attempt_id = $1 and status = 'in_progress' and deadline > $5{lock}) \
         returning answer, flagged, (select deadline from attempt where attempt_id = $1) as deadline"
    );
    sqlx::query_as(&sql)
        .bind(attempt_id)
        .bind(question_id)
        .bind(i64::from(answer.is_some()))
        .bind(answer.flatten())
        .bind(now)
        .bind(flagged.map_or(-1, i64::from))
        .fetch_optional(ex)
        .await
}
