//! SQL for attempts: the attempt row, its paper (items with saved answers) and the evidence
//! log. The versions a paper shows or grades with are read in `store_version`.

use std::collections::HashSet;

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::paper::PaperItem;
use crate::db::placeholders;

#[derive(Debug, Clone, FromRow)]
pub struct AttemptRow {
    pub attempt_id: i64,
    pub exam_id: i64,
    pub user_id: i64,
    pub attempt_no: i64,
    pub seed: String,
    pub status: String,
    pub started_at: i64,
    pub deadline: i64,
    pub finished_at: Option<i64>,
    pub score: Option<i64>,
    pub max_score: i64,
    pub passed: Option<i64>,
}

impl AttemptRow {
    pub fn in_progress(&self) -> bool {
        self.status == "in_progress"
    }
}

const SELECT: &str = "select attempt_id, exam_id, user_id, attempt_no, seed, status, started_at, \
     deadline, finished_at, score, max_score, passed from attempt";

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
) -> Result<Option<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where attempt_id = $1"))
        .bind(attempt_id)
        .fetch_optional(ex)
        .await
}

/// A person's attempts at an exam (all exams when `exam_id` is None), oldest first.
pub async fn of_user<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
    exam_id: Option<i64>,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where user_id = $1 and ($2 = 0 or exam_id = $2) order by attempt_id"
    ))
    .bind(user_id)
    .bind(exam_id.unwrap_or(0))
    .fetch_all(ex)
    .await
}

/// Every attempt at an exam, oldest first.
pub async fn of_exam<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where exam_id = $1 order by attempt_id"))
        .bind(exam_id)
        .fetch_all(ex)
        .await
}

/// The questions of a person's earlier attempts at an exam.
pub async fn seen_questions(
    conn: &mut AnyConnection,
    exam_id: i64,
    user_id: i64,
) -> Result<HashSet<i64>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "select i.question_id from attempt_item i join attempt a on a.attempt_id = i.attempt_id \
         where a.exam_id = $1 and a.user_id = $2",
    )
    .bind(exam_id)
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().collect())
}

pub struct NewAttempt<'a> {
    pub exam_id: i64,
    pub user_id: i64,
    pub attempt_no: i64,
    pub seed: u64,
    pub now: i64,
    pub deadline: i64,
    pub max_score: i64,
    pub paper: &'a [PaperItem],
}

/// Stores an attempt and its paper. A second attempt in progress for the same person and
/// exam fails with a unique violation (index `attempt_one_open`).
pub async fn insert(tx: &mut AnyConnection, a: &NewAttempt<'_>) -> Result<i64, sqlx::Error> {
    let attempt_id: i64 = sqlx::query_scalar(
        "insert into attempt (exam_id, user_id, attempt_no, seed, status, started_at, deadline, \
         max_score) values ($1, $2, $3, $4, 'in_progress', $5, $6, $7) returning attempt_id",
    )
    .bind(a.exam_id)
    .bind(a.user_id)
    .bind(a.attempt_no)
    .bind(a.seed.to_string())
    .bind(a.now)
    .bind(a.deadline)
    .bind(a.max_score)
    .fetch_one(&mut *tx)
    .await?;
    for chunk in a.paper.chunks(200).enumerate() {
        let (c, items) = chunk;
        let sql = format!(
            "insert into attempt_item (attempt_id, seq, question_id, version_id, section, \
             points, option_order) values {}",
            placeholders(items.len(), 7, 0)
        );
        let mut q = sqlx::query(&sql);
        for (i, item) in items.iter().enumerate() {
            let order = serde_json::to_string(&item.option_order).unwrap_or_else(|_| "[]".into());
            q = q
                .bind(attempt_id)
                .bind((c * 200 + i + 1) as i64)
                .bind(item.question_id)
                .bind(item.version_id)
                .bind(&item.section)
                .bind(item.points)
                .bind(order);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(attempt_id)
}

#[derive(Debug, Clone, FromRow)]
pub struct ItemRow {
    pub seq: i64,
    pub question_id: i64,
    pub version_id: i64,
    pub section: String,
    pub points: i64,
    pub option_order: String,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub flagged: i64,
    pub graded_version_id: Option<i64>,
    pub earned: Option<i64>,
}

impl ItemRow {
    pub fn order(&self) -> Vec<usize> {
        serde_json::from_str(&self.option_order).unwrap_or_default()
    }

    pub fn given(&self) -> Option<Vec<String>> {
        self.answer
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
    }
}

pub async fn items<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as(
        "select seq, question_id, version_id, section, points, option_order, answer, \
         answered_at, flagged, graded_version_id, earned from attempt_item \
         where attempt_id = $1 order by seq",
    )
    .bind(attempt_id)
    .fetch_all(ex)
    .await
}

/// Locks an attempt in progress for a change (PostgreSQL: its row; SQLite: the write lock
/// is held already) and returns its deadline; None when it is not in progress. Saving and
/// submitting both lock the attempt first, so an answer is either in the grade or refused.
pub async fn lock_open(
    tx: &mut AnyConnection,
    attempt_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "update attempt set status = status where attempt_id = $1 and status = 'in_progress' \
         returning deadline",
    )
    .bind(attempt_id)
    .fetch_optional(&mut *tx)
    .await
}

/// Stores an answer (None clears it) and, when given, the review flag; false when the
/// question is not on the paper.
pub async fn save_answer(
    tx: &mut AnyConnection,
    attempt_id: i64,
    question_id: i64,
    answer: Option<Option<&str>>,
    flagged: Option<bool>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "update attempt_item set \
         answer = case when $3 = 1 then $4 else answer end, \
         answered_at = case when $3 = 1 then $5 else answered_at end, \
         flagged = case when $6 < 0 then flagged else $6 end \
         where attempt_id = $1 and question_id = $2",
    )
    .bind(attempt_id)
    .bind(question_id)
    .bind(i64::from(answer.is_some()))
    .bind(answer.flatten())
    .bind(now)
    .bind(flagged.map_or(-1, i64::from))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Stores the grades of an attempt's items, `(seq, graded version, earned)`: one statement
/// per 100 items, not one per item, since a submit holds the writer while it grades.
pub async fn set_item_grades(
    tx: &mut AnyConnection,
    attempt_id: i64,
    grades: &[(i64, i64, i64)],
) -> Result<(), sqlx::Error> {
    for chunk in grades.chunks(100) {
        let mut version = String::new();
        let mut earned = String::new();
        for i in 0..chunk.len() {
            let p = 2 + 3 * i;
            version.push_str(&format!(" when ${p} then cast(${} as bigint)", p + 1));
            earned.push_str(&format!(" when ${p} then cast(${} as bigint)", p + 2));
        }
        let sql = format!(
            "update attempt_item set graded_version_id = case seq{version} end, \
             earned = case seq{earned} end where attempt_id = $1 and seq in ({})",
            (0..chunk.len())
                .map(|i| format!("${}", 2 + 3 * i))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut q = sqlx::query(&sql).bind(attempt_id);
        for (seq, v, e) in chunk {
            q = q.bind(*seq).bind(*v).bind(*e);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// Records the result; `status` is submitted or expired.
pub async fn set_result(
    tx: &mut AnyConnection,
    attempt_id: i64,
    status: &str,
    finished_at: i64,
    score: i64,
    passed: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update attempt set status = $2, finished_at = $3, score = $4, passed = $5 \
         where attempt_id = $1",
    )
    .bind(attempt_id)
    .bind(status)
    .bind(finished_at)
    .bind(score)
    .bind(i64::from(passed))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Moves the deadline of a person's attempt in progress (after an override).
pub async fn set_deadline(
    tx: &mut AnyConnection,
    attempt_id: i64,
    deadline: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update attempt set deadline = $2 where attempt_id = $1 and status = 'in_progress'",
    )
    .bind(attempt_id)
    .bind(deadline)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Whether this person is sitting an exam now: an attempt in progress before its deadline.
pub async fn sitting_now<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let open: i64 = sqlx::query_scalar(
        "select count(*) from attempt where user_id = $1 and status = 'in_progress' \
         and deadline > $2",
    )
    .bind(user_id)
    .bind(now)
    .fetch_one(ex)
    .await?;
    Ok(open > 0)
}

/// Attempts still in progress whose deadline has passed.
pub async fn overdue<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    now: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select attempt_id from attempt where status = 'in_progress' and deadline <= $1 \
         order by deadline limit $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

pub async fn add_event(
    tx: &mut AnyConnection,
    attempt_id: i64,
    now: i64,
    kind: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into attempt_event (attempt_id, at, kind, detail) values ($1, $2, $3, $4)")
        .bind(attempt_id)
        .bind(now)
        .bind(kind)
        .bind(detail)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// (at, kind, detail) of an attempt's events, oldest first.
pub async fn events<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "select at, kind, detail from attempt_event where attempt_id = $1 order by event_id",
    )
    .bind(attempt_id)
    .fetch_all(ex)
    .await
}
