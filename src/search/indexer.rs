//! Builds the tantivy index from SQL, the source of truth: all of it, or the statutes an
//! import changed.

use std::path::Path;

use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

use super::SearchError;
use super::schema::{self, Fields, SCHEMA_VERSION};
use super::tokenizer;
use crate::corpus::classify::{self, PROVINCES};
use crate::corpus::store::{self, IndexRow};
use crate::db::Db;

const VERSION_FILE: &str = "xuefa-schema-version";
/// Rows fetched from SQL per round trip while indexing.
const PAGE: i64 = 20_000;
/// Indexing memory for the writer, shared by its threads.
const WRITER_MEMORY: usize = 120_000_000;

/// Opens the index under `dir`, or creates an empty one when it is missing or was built with
/// another schema version. Returns the index and whether it must be (re)filled.
pub fn open_or_create(dir: &Path) -> Result<(Index, bool), SearchError> {
    let (schema, _) = schema::build();
    let version_path = dir.join(VERSION_FILE);
    let same_version =
        std::fs::read_to_string(&version_path).is_ok_and(|v| v.trim() == SCHEMA_VERSION);
    if same_version && let Ok(index) = Index::open_in_dir(dir) {
        tokenizer::register(&index);
        return Ok((index, false));
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, schema)?;
    tokenizer::register(&index);
    std::fs::write(&version_path, SCHEMA_VERSION)?;
    Ok((index, true))
}

/// Whether the index was last synced with the database as it is now.
pub async fn is_current(index: &Index, db: &Db) -> Result<bool, SearchError> {
    let payload = index.load_metas()?.payload;
    Ok(payload.as_deref() == Some(store::index_fingerprint(&db.pool).await?.as_str()))
}

/// The fingerprint of the database as the index last saw it (None before the first sync).
pub fn synced_fingerprint(index: &Index) -> Result<Option<String>, SearchError> {
    Ok(index.load_metas()?.payload)
}

/// Brings the index up to date with a database that another process changed (a node sharing
/// the PostgreSQL, or the command line): the statutes imported since the index's fingerprint
/// are re-indexed; a change that cannot be placed (repeals, a first import) rebuilds it all.
/// Returns whether anything was written.
pub async fn catch_up(index: &Index, db: &Db) -> Result<bool, SearchError> {
    let synced = synced_fingerprint(index)?;
    let now = store::index_fingerprint(&db.pool).await?;
    if synced.as_deref() == Some(now.as_str()) {
        return Ok(false);
    }
    let statutes = match synced.as_deref().and_then(|s| imported_since(s, &now)) {
        // `>=`: an import in progress shares one timestamp, the rest of it comes later.
        Some(since) => store::statutes_imported_since(&db.pool, since).await?,
        None => Vec::new(),
    };
    if statutes.is_empty() {
        sync(index, db, None).await?;
    } else {
        sync(index, db, Some(&statutes)).await?;
    }
    Ok(true)
}

/// The last import time of fingerprint `synced` when only imports happened since (the
/// repeal count is unchanged); see `store::index_fingerprint` for the format.
fn imported_since<'a>(synced: &'a str, now: &str) -> Option<&'a str> {
    let old: Vec<&str> = synced.split('/').collect();
    let new: Vec<&str> = now.split('/').collect();
    match (old.as_slice(), new.as_slice()) {
        ([_, _, last, repealed], [_, _, _, repealed_now])
            if repealed == repealed_now && !last.is_empty() =>
        {
            Some(last)
        }
        _ => None,
    }
}

/// An in-memory index, for tests and benchmarks.
pub fn in_ram() -> Index {
    let (schema, _) = schema::build();
    let index = Index::create_in_ram(schema);
    tokenizer::register(&index);
    index
}

/// Replaces the documents of `statutes` (or of everything, when `None`) with what SQL holds.
/// Returns the number of documents written.
#[tracing::instrument(skip_all)]
pub async fn sync(index: &Index, db: &Db, statutes: Option<&[i64]>) -> Result<usize, SearchError> {
    if statutes.is_some_and(<[i64]>::is_empty) {
        return Ok(0);
    }
    let fingerprint = store::index_fingerprint(&db.pool).await?;
    let (index, db, statutes) = (index.clone(), db.clone(), statutes.map(<[i64]>::to_vec));
    let rt = tokio::runtime::Handle::current();
    // Indexing blocks on the writer's threads: run it off the async threads, fetching rows
    // from SQL page by page so memory stays bounded.
    tokio::task::spawn_blocking(move || {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        let mut writer = open_writer(&index, threads)?;
        let (_, f) = schema::build();
        match &statutes {
            None => {
                writer.delete_all_documents()?;
            }
            Some(ids) => {
                for id in ids {
                    writer.delete_term(Term::from_field_u64(f.statute_id, *id as u64));
                }
            }
        }
        let mut after = 0;
        let mut written = 0;
        loop {
            let rows = rt.block_on(store::index_rows(
                &db.pool,
                statutes.as_deref(),
                after,
                PAGE,
            ))?;
            let Some(last) = rows.last() else { break };
            after = last.article_id;
            written += rows.len();
            for row in &rows {
                writer.add_document(document(&f, row))?;
            }
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&fingerprint);
        commit.commit()?;
        Ok(written)
    })
    .await?
}

/// How long `sync` waits for another process's writer on the same index folder (a server
/// catching up while the command line imports into its data folder, or the reverse).
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The index writer, waiting while another process holds it (tantivy refuses at once).
pub(super) fn open_writer(index: &Index, threads: usize) -> Result<IndexWriter, SearchError> {
    let started = std::time::Instant::now();
    loop {
        match index.writer_with_num_threads(threads, WRITER_MEMORY) {
            Err(tantivy::TantivyError::LockFailure(
                tantivy::directory::error::LockError::LockBusy,
                _,
            )) if started.elapsed() < WRITER_WAIT => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            other => return Ok(other?),
        }
    }
}

fn document(f: &Fields, row: &IndexRow) -> TantivyDocument {
    let region_code = PROVINCES
        .iter()
        .position(|p| *p == row.region)
        .map_or(0, |i| i as u64 + 1);
    let mut d = doc!(
        f.article_id => row.article_id as u64,
        f.law_id => row.law_id as u64,
        f.statute_id => row.statute_id as u64,
        f.article_no => row.article_no as u64,
        f.article_sub => row.article_sub as u64,
        f.current => row.is_current as u64,
        f.repealed => row.repealed as u64,
        f.level_rank => classify::level_rank(&row.level),
        f.region_code => region_code,
        f.title => row.title.as_str(),
        f.short_title => row.short_title.as_str(),
        f.heading => row.heading_path.as_str(),
        f.text => row.text.as_str(),
        f.label => row.label.as_str(),
        f.version_date => row.version_date.as_str(),
        f.level => row.level.as_str(),
        f.category => row.level.as_str(),
    );
    // Every ancestor folder is a category too: `DLC`, `DLC/重庆地方法规`, …
    let mut prefix = String::new();
    for part in row.category.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        d.add_text(f.category, &prefix);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::imported_since;

    #[test]
    fn only_imports_since_a_known_time_are_caught_up_statute_by_statute() {
        let t = "2026-12-01T08:00:00Z";
        assert_eq!(
            imported_since(&format!("10/2/{t}/0"), "20/3/2026-12-02T08:00:00Z/0"),
            Some(t)
        );
        assert_eq!(
            imported_since(&format!("10/2/{t}/0"), "20/3/2026-12-02T08:00:00Z/1"),
            None
        );
        assert_eq!(
            imported_since("0/0//0", "20/3/2026-12-02T08:00:00Z/0"),
            None
        );
        assert_eq!(imported_since("garbage", "20/3/x/0"), None);
    }
}
