//! Keeping questions true to the law: when a law gains a new version, questions citing an
//! article whose text differs in the new current version (or that no longer exists) are
//! flagged `needs_review` with a note, and listed for administrators (`store::needs_review`).
//! Editing or approving a question clears its flag.

use std::collections::BTreeMap;

use sqlx::AnyConnection;

use super::import::resolve::current_laws;
use super::rules::text_hash;
use super::store;
use crate::corpus::numerals::unit_label;
use crate::db::placeholders;

/// Compares the articles cited by live questions of these statutes with the statutes'
/// current versions and flags the questions whose articles changed or vanished. Call after a
/// law import with the statutes it changed. Returns how many questions were flagged.
#[tracing::instrument(skip_all, fields(statutes = statute_ids.len()))]
pub async fn flag_changed(
    conn: &mut AnyConnection,
    statute_ids: &[i64],
) -> Result<usize, sqlx::Error> {
    let mut notes: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for chunk in statute_ids.chunks(500) {
        // Every article of each question that cites one of these statutes, so the note is
        // whole whichever of its laws changed (imports flag law by law, see `App::store_laws`).
        let sql = format!(
            "select q.question_id, b.statute_id, s.title, b.article_no, b.article_sub, b.text_hash \
             from question q join question_basis b on b.version_id = q.current_version_id \
             join statute s on s.statute_id = b.statute_id \
             where q.status <> 'retired' and q.current_version_id in \
             (select c.version_id from question_basis c where c.statute_id in {}) \
             order by q.question_id, b.seq",
            placeholders(1, chunk.len(), 0)
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String, i64, i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        let cited = q.fetch_all(&mut *conn).await?;
        if cited.is_empty() {
            continue;
        }
        let mut statutes: Vec<i64> = cited.iter().map(|c| c.1).collect();
        statutes.sort_unstable();
        statutes.dedup();
        let current = current_laws(&mut *conn, &statutes).await?;
        for (question_id, statute_id, title, no, sub, hash) in cited {
            let (no, sub) = (no as u32, sub as u32);
            let label = unit_label(no, sub);
            let Some(law) = current.get(&statute_id) else {
                continue;
            };
            let note = match law.articles.get(&(no, sub)) {
                Some(text) if text_hash(text) == hash => continue,
                Some(_) => format!(
                    "《{title}》{label}在现行版本（{}）中已修改",
                    law.version_date
                ),
                None => format!("《{title}》现行版本（{}）中已没有{label}", law.version_date),
            };
            let lines = notes.entry(question_id).or_default();
            if !lines.contains(&note) {
                lines.push(note);
            }
        }
    }
    for (question_id, lines) in &notes {
        store::flag(&mut *conn, *question_id, &lines.join("；")).await?;
    }
    if !notes.is_empty() {
        tracing::info!(flagged = notes.len(), "questions flagged for review");
    }
    Ok(notes.len())
}
