//! SQL for laws: saving versions (here) and reading them back (`read`). Every function
//! takes a pool or a transaction; callers decide where transactions begin and end.

use std::collections::HashMap;

use sqlx::{Any, AnyConnection, Executor};

use super::classify;
use super::import::VersionDraft;
use super::model::{Article, Paragraph};
use crate::db::placeholders;

/// Rows per multi-row insert: 8 binds each stays far below both backends' parameter limits.
const INSERT_CHUNK: usize = 500;

/// What is already stored of every version, keyed by (title, version date) → content hash.
pub async fn stored_hashes<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<HashMap<(String, String), String>, sqlx::Error> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "select s.title, l.version_date, l.content_hash \
         from law l join statute s on s.statute_id = l.statute_id",
    )
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|(t, d, h)| ((t, d), h)).collect())
}

/// Saves one version (replacing a stored version of the same date whose text changed) and
/// marks the statute's newest version current. Returns the statute id.
pub async fn save_version(
    tx: &mut AnyConnection,
    draft: &VersionDraft,
    now: &str,
) -> Result<i64, sqlx::Error> {
    let law = &draft.law;
    let level = classify::level(&draft.category, &law.title);
    let region = classify::region(level, &draft.category, &law.title);
    let stored: Option<(i64, String)> =
        sqlx::query_as("select statute_id, categories from statute where title = $1")
            .bind(&law.title)
            .fetch_optional(&mut *tx)
            .await?;
    let statute_id: i64 = match stored {
        Some((id, stored_categories)) => {
            // Importing one folder must not drop the law from the other it is filed in.
            let mut categories: Vec<&str> = stored_categories.lines().collect();
            for c in &draft.categories {
                if !categories.contains(&c.as_str()) {
                    categories.push(c);
                }
            }
            sqlx::query("update statute set categories = $1 where statute_id = $2")
                .bind(categories.join("\n"))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "insert into statute (title, short_title, category, categories, level, region) \
                 values ($1, $2, $3, $4, $5, $6) returning statute_id",
            )
            .bind(&law.title)
            .bind(classify::short_title(&law.title))
            .bind(&draft.category)
            .bind(draft.categories.join("\n"))
            .bind(level)
            .bind(&region)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    let events = serde_json::to_string(&law.events).unwrap_or_else(|_| "[]".into());
    let sources = draft
        .sources
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let existing: Option<i64> =
        sqlx::query_scalar("select law_id from law where statute_id = $1 and version_date = $2")
            .bind(statute_id)
            .bind(&draft.version_date)
            .fetch_optional(&mut *tx)
            .await?;
    let law_id = match existing {
        Some(law_id) => {
            sqlx::query("delete from article where law_id = $1")
                .bind(law_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from heading where law_id = $1")
                .bind(law_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "update law set content_hash = $1, source = $2, events = $3, imported_at = $4 \
                 where law_id = $5",
            )
            .bind(&draft.content_hash)
            .bind(&sources)
            .bind(&events)
            .bind(now)
            .bind(law_id)
            .execute(&mut *tx)
            .await?;
            law_id
        }
        None => sqlx::query_scalar(
            "insert into law (statute_id, version_date, content_hash, source, events, imported_at) \
                 values ($1, $2, $3, $4, $5, $6) returning law_id",
        )
        .bind(statute_id)
        .bind(&draft.version_date)
        .bind(&draft.content_hash)
        .bind(&sources)
        .bind(&events)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
    };
    insert_headings(tx, law_id, draft).await?;
    insert_articles(tx, law_id, draft).await?;
    sqlx::query(
        "update law set is_current = case when version_date = \
           (select max(version_date) from law where statute_id = $1) then 1 else 0 end \
         where statute_id = $1",
    )
    .bind(statute_id)
    .execute(&mut *tx)
    .await?;
    Ok(statute_id)
}

async fn insert_headings(
    tx: &mut AnyConnection,
    law_id: i64,
    draft: &VersionDraft,
) -> Result<(), sqlx::Error> {
    let headings: Vec<_> = draft.law.headings.iter().enumerate().collect();
    for chunk in headings.chunks(INSERT_CHUNK) {
        let sql = format!(
            "insert into heading (law_id, seq, level, label, name, parent_seq, first_article_seq) values {}",
            placeholders(chunk.len(), 7, 0)
        );
        let mut q = sqlx::query(&sql);
        for (seq, h) in chunk {
            q = q
                .bind(law_id)
                .bind(*seq as i64)
                .bind(h.level as i64)
                .bind(h.label.clone())
                .bind(h.name.clone())
                .bind(h.parent.map(|p| p as i64))
                // Article seqs start at 1: seq 0 is the preamble.
                .bind(h.first_article as i64 + 1);
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

/// One row of the article table, preamble included.
struct ArticleRow {
    seq: i64,
    no: i64,
    sub: i64,
    label: String,
    heading_path: String,
    body: String,
    text: String,
}

async fn insert_articles(
    tx: &mut AnyConnection,
    law_id: i64,
    draft: &VersionDraft,
) -> Result<(), sqlx::Error> {
    let law = &draft.law;
    let mut rows = Vec::with_capacity(law.articles.len() + 1);
    if let Some(p) = &law.preamble {
        rows.push(ArticleRow {
            seq: 0,
            no: 0,
            sub: 0,
            label: p.label.clone(),
            heading_path: String::new(),
            body: body_json(&p.paragraphs),
            text: p.text(),
        });
    }
    for (i, a) in law.articles.iter().enumerate() {
        rows.push(ArticleRow {
            seq: i as i64 + 1,
            no: a.no as i64,
            sub: a.sub as i64,
            label: a.label.clone(),
            heading_path: heading_path(draft, a),
            body: body_json(&a.paragraphs),
            text: a.text(),
        });
    }
    for chunk in rows.chunks(INSERT_CHUNK) {
        let sql = format!(
            "insert into article (law_id, seq, article_no, article_sub, label, heading_path, body, text) \
             values {}",
            placeholders(chunk.len(), 8, 0)
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(law_id)
                .bind(a.seq)
                .bind(a.no)
                .bind(a.sub)
                .bind(a.label.clone())
                .bind(a.heading_path.clone())
                .bind(a.body.clone())
                .bind(a.text.clone());
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

fn heading_path(draft: &VersionDraft, article: &Article) -> String {
    draft
        .law
        .heading_path(article)
        .iter()
        .map(|h| {
            if h.name.is_empty() {
                h.label.clone()
            } else {
                format!("{} {}", h.label, h.name)
            }
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

fn body_json(paragraphs: &[Paragraph]) -> String {
    serde_json::to_string(paragraphs).unwrap_or_else(|_| "[]".into())
}

mod read;

pub use read::*;
