//! Study notes (学习资料): the project's own Markdown notes in `corpus/materials/`, one or more
//! per required law, rendered as pages whose article mentions link to the law pages, indexed
//! for search by section, and each closed by a 3-question check from the bank.
//!
//! `parse` reads a note, `render` turns a section into HTML, `resolve` maps article mentions
//! to imported articles, `check` draws and grades the check, `store` the SQL.

pub mod check;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod store;

use std::path::Path;

use sqlx::AnyConnection;

pub use parse::{Mention, Note, ParseError, Section};
pub use resolve::{Resolved, Resolver};

/// The folder inside the project corpus.
pub const DIR: &str = "materials";

#[derive(Debug, thiserror::Error)]
pub enum MaterialsError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Every note under `dir` (`*.md`, by file name), and the files that did not parse.
pub fn read_dir(dir: &Path) -> (Vec<Note>, Vec<ParseError>) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let (mut notes, mut errors) = (Vec::new(), Vec::new());
    for path in files {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse::parse(&name, &text) {
                Ok(note) if notes.iter().any(|n: &Note| n.slug == note.slug) => {
                    errors.push(ParseError {
                        file: name,
                        message: format!("slug {} used twice", note.slug),
                    });
                }
                Ok(note) => notes.push(note),
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(ParseError {
                file: name,
                message: e.to_string(),
            }),
        }
    }
    (notes, errors)
}

/// The notes of the project corpus folder; files that do not parse are logged and left out.
pub fn load(project_corpus: &Path) -> Vec<Note> {
    let (notes, errors) = read_dir(&project_corpus.join(DIR));
    for e in errors {
        tracing::warn!(file = %e.file, problem = %e.message, "study note skipped");
    }
    notes
}

/// A note with its database id.
#[derive(Debug, Clone)]
pub struct Material {
    pub material_id: i64,
    pub note: Note,
}

/// Registers the notes in the database (an id per slug, kept across restarts) and logs
/// the article mentions that resolve to no imported article. Called at start-up.
pub async fn register(
    conn: &mut AnyConnection,
    notes: &[Note],
) -> Result<Vec<Material>, MaterialsError> {
    let mut out = Vec::with_capacity(notes.len());
    for note in notes {
        let material_id = store::ensure(&mut *conn, &note.slug, &note.law).await?;
        out.push(Material {
            material_id,
            note: note.clone(),
        });
    }
    let resolver = Resolver::load(&mut *conn, notes).await?;
    // One line, not one per mention: on a fresh database no law is imported yet and every
    // note's mentions are unresolved until `xuefa import` runs.
    let problems = resolver.unresolved(notes);
    if !problems.is_empty() {
        let first = problems
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("；");
        tracing::warn!(
            count = problems.len(),
            %first,
            "study note article mentions unresolved (laws not imported?)"
        );
        tracing::debug!(?problems, "every unresolved study note mention");
    }
    Ok(out)
}

/// The notes with their ids, read from the folder and the database (a note added since
/// start-up has no id yet and is left out until the next start).
pub async fn with_ids(
    conn: &mut AnyConnection,
    project_corpus: &Path,
) -> Result<Vec<Material>, MaterialsError> {
    let ids = store::ids(&mut *conn).await?;
    Ok(load(project_corpus)
        .into_iter()
        .filter_map(|note| {
            ids.get(&note.slug)
                .map(|&material_id| Material { material_id, note })
        })
        .collect())
}

/// One note by slug.
pub async fn by_slug(
    conn: &mut AnyConnection,
    project_corpus: &Path,
    slug: &str,
) -> Result<Material, MaterialsError> {
    with_ids(conn, project_corpus)
        .await?
        .into_iter()
        .find(|m| m.note.slug == slug)
        .ok_or_else(|| MaterialsError::NotFound("学习资料不存在".into()))
}
