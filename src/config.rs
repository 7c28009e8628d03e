//! Where xuefa keeps its data and how it ranks, resolved once at start-up.

use std::path::{Path, PathBuf};

use crate::accounts::password::HashCost;

/// Settings shared by every command.
#[derive(Debug, Clone)]
pub struct Config {
    /// Data folder: the SQLite file (by default) and the tantivy index live here.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The deployment's province: its local regulations rank right after national texts.
    pub region: String,
    /// Folder of the project's own content (synonym lexicon, law aliases, study material).
    pub project_corpus: PathBuf,
    /// Mark session cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Argon2 cost: production, or cheap for tests.
    pub hash_cost: HashCost,
    /// Password of the first administrator; when unset a one-time password is printed.
    pub admin_password: Option<String>,
}

impl Config {
    pub fn new(data_dir: &Path, database_url: Option<String>, region: Option<String>) -> Self {
        let database_url = database_url.unwrap_or_else(|| {
            format!("sqlite://{}?mode=rwc", data_dir.join("xuefa.db").display())
        });
        Config {
            data_dir: data_dir.to_path_buf(),
            database_url,
            region: region.unwrap_or_else(|| "重庆".to_string()),
            project_corpus: default_project_corpus(),
            secure_cookies: false,
            hash_cost: HashCost::Production,
            admin_password: None,
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

/// The repository's `corpus/` when run from a checkout, else `./corpus`.
fn default_project_corpus() -> PathBuf {
    let here = PathBuf::from("corpus");
    if here.join("synonyms.tsv").exists() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}
