//! SQL for the question bank. A `question` row holds what lasts (status, origin, review flag)
//! and points at its current `question_version`; every edit inserts a new version and moves the
//! pointer, and versions are never changed afterwards, so attempts can cite the version they
//! used. Functions take a transaction or a pool; callers decide where transactions begin.

mod filter;
mod read;
pub mod suggested;

use sqlx::{Any, AnyConnection, Executor};

pub use self::filter::{ListQuery, current_drafts, list, neighbours};
pub use self::read::{
    BasisView, QuestionDetail, QuestionSummary, StoredVersion, VersionInfo, get, needs_review,
    version, versions,
};
use super::model::{Basis, Origin, QuestionDraft, Status};
use super::rules::{dedup_key, text_hash};
use crate::corpus::numerals::article_label;
use crate::db::placeholders;

/// One article a version tests, resolved: the statute, the law version, and the article's text
/// when the question was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisRow {
    pub statute_id: i64,
    pub law_id: i64,
    pub law_title: String,
    pub article_no: u32,
    pub article_sub: u32,
    pub text: String,
}

impl BasisRow {
    pub fn basis(&self) -> Basis {
        Basis {
            law_id: self.law_id,
            law_title: self.law_title.clone(),
            article_no: self.article_no,
            article_sub: self.article_sub,
            article_label: article_label(self.article_no, self.article_sub),
        }
    }

    pub fn same_article(&self, other: &BasisRow) -> bool {
        (self.statute_id, self.article_no, self.article_sub)
            == (other.statute_id, other.article_no, other.article_sub)
    }
}

/// The content of a new version and who writes it when. `draft.basis` is ignored: `basis`
/// is what gets stored.
pub struct NewVersion<'a> {
    pub draft: &'a QuestionDraft,
    pub basis: &'a [BasisRow],
    pub by: &'a str,
    pub now: i64,
}

pub fn status_str(s: Status) -> &'static str {
    match s {
        Status::Draft => "draft",
        Status::Approved => "approved",
        Status::Retired => "retired",
    }
}

/// `draft`/`approved`/`retired` or 草稿/已审核/已停用.
pub fn parse_status(s: &str) -> Option<Status> {
    match s.trim() {
        "draft" | "草稿" | "待审核" => Some(Status::Draft),
        "approved" | "已审核" | "已发布" => Some(Status::Approved),
        "retired" | "已停用" | "停用" => Some(Status::Retired),
        _ => None,
    }
}

pub fn origin_str(o: Origin) -> &'static str {
    match o {
        Origin::Authored => "authored",
        Origin::Imported => "imported",
        Origin::Generated => "generated",
    }
}

pub fn parse_origin(s: &str) -> Option<Origin> {
    match s.trim() {
        "authored" | "编写" => Some(Origin::Authored),
        "imported" | "导入" => Some(Origin::Imported),
        "generated" | "生成" => Some(Origin::Generated),
        _ => None,
    }
}

/// Creates a question with its first version. None when a live question with the same
/// duplicate key exists (the unique index decides, so concurrent imports cannot both win).
pub async fn insert_question(
    tx: &mut AnyConnection,
    status: Status,
    v: &NewVersion<'_>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let key = dedup_key(v.draft);
    let live_key = (status != Status::Retired).then_some(key.as_str());
    let question_id: Option<i64> = sqlx::query_scalar(
        "insert into question (qtype, status, origin, dedup_key, created_by, created_at, \
         updated_by, updated_at) values ($1, $2, $3, $4, $5, $6, $5, $6) \
         on conflict do nothing returning question_id",
    )
    .bind(v.draft.qtype.as_str())
    .bind(status_str(status))
    .bind(origin_str(v.draft.origin))
    .bind(live_key)
    .bind(v.by)
    .bind(v.now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(question_id) = question_id else {
        return Ok(None);
    };
    let version_id = insert_version(tx, question_id, 1, &key, v).await?;
    sqlx::query("update question set current_version_id = $1 where question_id = $2")
        .bind(version_id)
        .bind(question_id)
        .execute(&mut *tx)
        .await?;
    insert_tags(tx, question_id, &v.draft.tags).await?;
    Ok(Some((question_id, version_id)))
}

/// What `insert_or_find` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New {
        question_id: i64,
        version_id: i64,
    },
    /// A live question with the same content exists (None if it was retired meanwhile).
    Duplicate {
        existing: Option<i64>,
    },
}

/// Creates a question, or finds the live question it duplicates.
pub async fn insert_or_find(
    tx: &mut AnyConnection,
    status: Status,
    v: &NewVersion<'_>,
) -> Result<Inserted, sqlx::Error> {
    Ok(match insert_question(tx, status, v).await? {
        Some((question_id, version_id)) => Inserted::New {
            question_id,
            version_id,
        },
        None => Inserted::Duplicate {
            existing: duplicate_of(tx, v.draft).await?,
        },
    })
}

/// The live question with this content's duplicate key, if any.
pub async fn duplicate_of(
    tx: &mut AnyConnection,
    draft: &QuestionDraft,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select question_id from question where dedup_key = $1")
        .bind(dedup_key(draft))
        .fetch_optional(&mut *tx)
        .await
}

/// Adds a version to a question and makes it current; clears the review flag. A unique
/// violation means the new content duplicates another live question. With `expected`, the
/// version is added only if that is still the current version: None when another edit came
/// first. Returns the version's id and its number (2 for the first edit).
///
/// The question row is claimed first, by an update: on PostgreSQL a concurrent edit waits for
/// its row lock and then sees the new current version (so one of two concurrent edits wins
/// and the other gets None, never a duplicate `version_no`); on SQLite the unit of work holds
/// the write lock already.
pub async fn add_version(
    tx: &mut AnyConnection,
    question_id: i64,
    expected: Option<i64>,
    v: &NewVersion<'_>,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let claim = match expected {
        Some(_) => {
            "update question set updated_by = $1, updated_at = $2 \
             where question_id = $3 and current_version_id = $4"
        }
        None => "update question set updated_by = $1, updated_at = $2 where question_id = $3",
    };
    let mut q = sqlx::query(claim).bind(v.by).bind(v.now).bind(question_id);
    if let Some(expected) = expected {
        q = q.bind(expected);
    }
    if q.execute(&mut *tx).await?.rows_affected() == 0 {
        return Ok(None);
    }
    let key = dedup_key(v.draft);
    let next: i64 = sqlx::query_scalar(
        "select coalesce(max(version_no), 0) + 1 from question_version where question_id = $1",
    )
    .bind(question_id)
    .fetch_one(&mut *tx)
    .await?;
    let version_id = insert_version(tx, question_id, next, &key, v).await?;
    sqlx::query(
        "update question set current_version_id = $1, qtype = $2, \
         dedup_key = case when status = 'retired' then null else $3 end, \
         needs_review = 0, review_note = '', basis_suggested = 0, updated_by = $4, \
         updated_at = $5 where question_id = $6",
    )
    .bind(version_id)
    .bind(v.draft.qtype.as_str())
    .bind(&key)
    .bind(v.by)
    .bind(v.now)
    .bind(question_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("delete from question_tag where question_id = $1")
        .bind(question_id)
        .execute(&mut *tx)
        .await?;
    insert_tags(tx, question_id, &v.draft.tags).await?;
    Ok(Some((version_id, next)))
}

async fn insert_version(
    tx: &mut AnyConnection,
    question_id: i64,
    version_no: i64,
    key: &str,
    v: &NewVersion<'_>,
) -> Result<i64, sqlx::Error> {
    let d = v.draft;
    let json = |value: serde_json::Result<String>| value.unwrap_or_else(|_| "[]".into());
    let version_id: i64 = sqlx::query_scalar(
        "insert into question_version (question_id, version_no, qtype, stem, options, answer, \
         explanation, difficulty, tags, dedup_key, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning version_id",
    )
    .bind(question_id)
    .bind(version_no)
    .bind(d.qtype.as_str())
    .bind(&d.stem)
    .bind(json(serde_json::to_string(&d.options)))
    .bind(json(serde_json::to_string(&d.answer)))
    .bind(&d.explanation)
    .bind(i64::from(d.difficulty))
    .bind(json(serde_json::to_string(&d.tags)))
    .bind(key)
    .bind(v.by)
    .bind(v.now)
    .fetch_one(&mut *tx)
    .await?;
    if !v.basis.is_empty() {
        let sql = format!(
            "insert into question_basis (version_id, seq, statute_id, law_id, article_no, \
             article_sub, text_hash, article_text) values {}",
            placeholders(v.basis.len(), 8, 0)
        );
        let mut q = sqlx::query(&sql);
        for (seq, b) in v.basis.iter().enumerate() {
            q = q
                .bind(version_id)
                .bind(seq as i64)
                .bind(b.statute_id)
                .bind(b.law_id)
                .bind(i64::from(b.article_no))
                .bind(i64::from(b.article_sub))
                .bind(text_hash(&b.text))
                .bind(b.text.clone());
        }
        q.execute(&mut *tx).await?;
    }
    Ok(version_id)
}

async fn insert_tags(
    tx: &mut AnyConnection,
    question_id: i64,
    tags: &[String],
) -> Result<(), sqlx::Error> {
    let mut unique: Vec<&String> = Vec::new();
    for t in tags {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    if unique.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "insert into question_tag (question_id, tag) values {}",
        placeholders(unique.len(), 2, 0)
    );
    let mut q = sqlx::query(&sql);
    for t in unique {
        q = q.bind(question_id).bind(t.clone());
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// Sets the status of a question. Approving also clears the review flag; approving or drafting
/// a retired question makes it live again (its duplicate key back in the unique index, which
/// may conflict). Returns how many rows changed.
pub async fn set_status(
    tx: &mut AnyConnection,
    question_id: i64,
    status: Status,
    by: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let sql = match status {
        Status::Retired => {
            "update question set status = $1, dedup_key = null, updated_by = $2, \
             updated_at = $3 where question_id = $4"
        }
        Status::Approved => {
            "update question set status = $1, needs_review = 0, review_note = '', \
             dedup_key = (select v.dedup_key from question_version v \
                          where v.version_id = question.current_version_id), \
             updated_by = $2, updated_at = $3 where question_id = $4"
        }
        Status::Draft => {
            "update question set status = $1, \
             dedup_key = (select v.dedup_key from question_version v \
                          where v.version_id = question.current_version_id), \
             updated_by = $2, updated_at = $3 where question_id = $4"
        }
    };
    let done = sqlx::query(sql)
        .bind(status_str(status))
        .bind(by)
        .bind(now)
        .bind(question_id)
        .execute(&mut *tx)
        .await?;
    Ok(done.rows_affected())
}

/// The generated questions still in draft, oldest first.
pub async fn generated_drafts<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select question_id from question where origin = 'generated' and status = 'draft' \
         order by question_id",
    )
    .fetch_all(ex)
    .await
}

/// Flags questions for review with a note saying which articles changed.
pub async fn flag<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    question_id: i64,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update question set needs_review = 1, review_note = $1 where question_id = $2")
        .bind(note)
        .bind(question_id)
        .execute(ex)
        .await?;
    Ok(())
}
