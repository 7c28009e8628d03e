//! Law texts: parsing the official Markdown/plain-text files, grouping them into versions,
//! and storing them in SQL (the source of truth the search index is derived from).

pub mod classify;
mod decode;
pub mod import;
pub mod library;
pub mod model;
pub mod numerals;
pub mod parse;
pub mod repeal;
pub mod store;
pub mod units;

use std::path::PathBuf;

use rayon::prelude::*;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("路径不存在 (path not found): {}", .0.display())]
    MissingPath(PathBuf),
    #[error("cannot read folder: {0}")]
    Walk(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What an import did; `changed_statutes` tells the indexer what to refresh.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: usize,
    pub articles: usize,
    pub unchanged: usize,
    pub warnings: Vec<String>,
    pub changed_statutes: Vec<i64>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {} laws ({} articles), {} unchanged, {} warnings",
            self.imported,
            self.articles,
            self.unchanged,
            self.warnings.len()
        )
    }
}

/// Progress callback: (versions done, versions to store).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// The law versions found under `paths`, parsed and grouped, with the import's report so far
/// (warnings). Storing them is the caller's unit of work, one version at a time
/// (`store::save_version`); versions whose files are byte-identical to what is stored
/// (`store::stored_hashes`) are skipped.
#[tracing::instrument(skip_all)]
pub async fn read_laws(
    paths: &[PathBuf],
) -> Result<(Vec<import::VersionDraft>, ImportReport), CorpusError> {
    let files = import::find_files(paths)?;
    let mut report = ImportReport::default();
    // Parsing is pure CPU work: spread it over the cores, off the async threads.
    let parsed: Vec<Result<import::ParsedFile, String>> =
        tokio::task::spawn_blocking(move || files.into_par_iter().map(import::read_file).collect())
            .await
            .map_err(|e| CorpusError::Walk(e.to_string()))?;
    let mut ok = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(f) => {
                // Texts without articles are divided into items or paragraphs: only a
                // file with no text after its header has nothing to cite.
                if f.law.articles.is_empty() && f.law.preamble.is_none() {
                    report.warnings.push(format!(
                        "{}: no text after the header",
                        f.file.path.display()
                    ));
                }
                ok.push(f);
            }
            Err(w) => report.warnings.push(w),
        }
    }
    let (versions, dup_warnings) = import::group_versions(ok);
    report.warnings.extend(dup_warnings);
    Ok((versions, report))
}
