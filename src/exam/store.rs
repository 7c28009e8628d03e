//! SQL for exams, their per-person overrides and the approved bank that papers are drawn
//! from. Functions take the caller's transaction or executor.

use std::collections::HashMap;

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::ExamError;
use super::blueprint::BankEntry;
use super::model::{Exam, parse_definition};
use crate::bank::model::QuestionType;

#[derive(Debug, Clone, FromRow)]
pub struct ExamRow {
    pub exam_id: i64,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub definition: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub scope: String,
    pub created_by: String,
    pub created_at: i64,
    pub published_at: Option<i64>,
}

impl ExamRow {
    /// The stored definition, validated again (it was valid when stored).
    pub fn exam(&self) -> Result<Exam, ExamError> {
        parse_definition(&self.definition)?.validate()
    }

    pub fn published(&self) -> bool {
        self.status == "published"
    }
}

const SELECT: &str = "select exam_id, title, kind, status, definition, opens_at, closes_at, \
     scope, created_by, created_at, published_at from exam";

pub struct NewExam<'a> {
    pub exam: &'a Exam,
    pub definition: &'a str,
    pub scope: &'a str,
    pub by: &'a str,
    pub now: i64,
}

pub async fn insert(tx: &mut AnyConnection, e: &NewExam<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into exam (title, kind, status, definition, opens_at, closes_at, scope, \
         created_by, created_at) values ($1, $2, 'draft', $3, $4, $5, $6, $7, $8) \
         returning exam_id",
    )
    .bind(&e.exam.title)
    .bind(e.exam.kind.as_str())
    .bind(e.definition)
    .bind(e.exam.opens_at)
    .bind(e.exam.closes_at)
    .bind(e.scope)
    .bind(e.by)
    .bind(e.now)
    .fetch_one(&mut *tx)
    .await
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
) -> Result<Option<ExamRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where exam_id = $1"))
        .bind(exam_id)
        .fetch_optional(ex)
        .await
}

/// Every exam, newest first; `published_only` for what takers may see.
pub async fn list<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    published_only: bool,
) -> Result<Vec<ExamRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where ($1 = 0 or status = 'published') order by opens_at desc, exam_id desc"
    ))
    .bind(i64::from(published_only))
    .fetch_all(ex)
    .await
}

/// Draft → published; false when it was not a draft.
pub async fn publish(tx: &mut AnyConnection, exam_id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query(
        "update exam set status = 'published', published_at = $2 \
         where exam_id = $1 and status = 'draft'",
    )
    .bind(exam_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// One person's exceptions to an exam's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct Override {
    pub extra_minutes: i64,
    pub extra_attempts: i64,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub reason: String,
}

pub async fn override_of<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
    user_id: i64,
) -> Result<Option<Override>, sqlx::Error> {
    sqlx::query_as(
        "select extra_minutes, extra_attempts, opens_at, closes_at, reason from exam_override \
         where exam_id = $1 and user_id = $2",
    )
    .bind(exam_id)
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

/// Sets (replaces) a person's override.
pub async fn set_override(
    tx: &mut AnyConnection,
    exam_id: i64,
    user_id: i64,
    o: &Override,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into exam_override (exam_id, user_id, extra_minutes, extra_attempts, opens_at, \
         closes_at, reason, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         on conflict (exam_id, user_id) do update set extra_minutes = excluded.extra_minutes, \
         extra_attempts = excluded.extra_attempts, opens_at = excluded.opens_at, \
         closes_at = excluded.closes_at, reason = excluded.reason, \
         created_by = excluded.created_by, created_at = excluded.created_at",
    )
    .bind(exam_id)
    .bind(user_id)
    .bind(o.extra_minutes)
    .bind(o.extra_attempts)
    .bind(o.opens_at)
    .bind(o.closes_at)
    .bind(&o.reason)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct EntryRow {
    question_id: i64,
    version_id: i64,
    qtype: String,
    difficulty: i64,
    tags: String,
    options: String,
}

/// What changes whenever the approved bank does (see `bank_cache`).
pub async fn bank_stamp(conn: &mut AnyConnection) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select count(*), cast(coalesce(sum(current_version_id), 0) as bigint), \
         cast(coalesce(max(current_version_id), 0) as bigint) \
         from question where status = 'approved'",
    )
    .fetch_one(&mut *conn)
    .await
}

/// The approved questions at their current versions, with the titles of the laws they cite.
pub async fn approved_bank(conn: &mut AnyConnection) -> Result<Vec<BankEntry>, sqlx::Error> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "select q.question_id, v.version_id, v.qtype, v.difficulty, v.tags, v.options \
         from question q join question_version v on v.version_id = q.current_version_id \
         where q.status = 'approved'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let laws: Vec<(i64, String, String)> = sqlx::query_as(
        "select b.version_id, s.title, s.short_title from question_basis b \
         join statute s on s.statute_id = b.statute_id \
         join question q on q.current_version_id = b.version_id where q.status = 'approved'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_version: HashMap<i64, Vec<String>> = HashMap::new();
    for (version_id, title, short) in laws {
        let titles = by_version.entry(version_id).or_default();
        titles.push(title);
        titles.push(short);
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let options: Vec<String> = serde_json::from_str(&r.options).ok()?;
            Some(BankEntry {
                question_id: r.question_id,
                version_id: r.version_id,
                qtype: QuestionType::parse(&r.qtype)?,
                difficulty: u8::try_from(r.difficulty).ok()?,
                tags: serde_json::from_str(&r.tags).unwrap_or_default(),
                laws: by_version.remove(&r.version_id).unwrap_or_default(),
                option_count: options.len(),
            })
        })
        .collect())
}
