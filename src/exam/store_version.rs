//! SQL reading the question versions an attempt shows or grades with, in batches: what a
//! taker sees (never the key), the keys, the current versions and the basis for review.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

use crate::bank::model::{Answer, QuestionType};
use crate::db::placeholders;

/// What a taker sees of a version: never its key, explanation or basis.
#[derive(Debug, Clone, FromRow)]
pub struct Shown {
    pub version_id: i64,
    pub qtype: String,
    pub stem: String,
    pub options: String,
}

fn in_list(n: usize) -> String {
    placeholders(1, n.max(1), 0)
}

pub async fn shown(
    conn: &mut AnyConnection,
    version_ids: &[i64],
) -> Result<HashMap<i64, Shown>, sqlx::Error> {
    let sql = format!(
        "select version_id, qtype, stem, options from question_version where version_id in {}",
        in_list(version_ids.len())
    );
    let mut q = sqlx::query_as::<_, Shown>(&sql);
    for id in version_ids_or_none(version_ids) {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|r| (r.version_id, r)).collect())
}

/// A version's key and what review shows after grading.
#[derive(Debug, Clone)]
pub struct Key {
    pub qtype: QuestionType,
    pub answer: Answer,
    pub explanation: String,
}

pub async fn keys(
    conn: &mut AnyConnection,
    version_ids: &[i64],
) -> Result<HashMap<i64, Key>, sqlx::Error> {
    let sql = format!(
        "select version_id, qtype, answer, explanation from question_version \
         where version_id in {}",
        in_list(version_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, String, String)>(&sql);
    for id in version_ids_or_none(version_ids) {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, qtype, answer, explanation)| {
            Some((
                id,
                Key {
                    qtype: QuestionType::parse(&qtype)?,
                    answer: serde_json::from_str(&answer).ok()?,
                    explanation,
                },
            ))
        })
        .collect())
}

/// `in ($1)` needs one value even for an empty list; no version has id 0.
fn version_ids_or_none(ids: &[i64]) -> Vec<i64> {
    if ids.is_empty() {
        vec![0]
    } else {
        ids.to_vec()
    }
}

/// The current version of each question.
pub async fn current_versions(
    conn: &mut AnyConnection,
    question_ids: &[i64],
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let sql = format!(
        "select question_id, current_version_id from question where question_id in {}",
        in_list(question_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, Option<i64>)>(&sql);
    for id in version_ids_or_none(question_ids) {
        q = q.bind(id);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(q, v)| Some((q, v?)))
        .collect())
}

/// Basis of versions for review: (law id, law title, article no, sub, article text) per
/// version.
pub async fn basis(
    conn: &mut AnyConnection,
    version_ids: &[i64],
) -> Result<HashMap<i64, Vec<(i64, String, u32, u32, String)>>, sqlx::Error> {
    let sql = format!(
        "select b.version_id, b.law_id, s.title, b.article_no, b.article_sub, b.article_text \
         from question_basis b join statute s on s.statute_id = b.statute_id \
         where b.version_id in {} order by b.version_id, b.seq",
        in_list(version_ids.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String, i64, i64, String)>(&sql);
    for id in version_ids_or_none(version_ids) {
        q = q.bind(id);
    }
    let mut out: HashMap<i64, Vec<_>> = HashMap::new();
    for (v, law_id, title, no, sub, text) in q.fetch_all(&mut *conn).await? {
        out.entry(v)
            .or_default()
            .push((law_id, title, no as u32, sub as u32, text));
    }
    Ok(out)
}
