//! The assembled application: database, search index and the operations the CLI, the web
//! server and the tests share.

use std::path::PathBuf;
use std::sync::Arc;

use tantivy::Index;

use crate::accounts::AccountsError;
use crate::accounts::admin::Ctx;
use crate::accounts::import::{self, ImportOptions, ImportReport as UsersReport};
use crate::bank::BankError;
use crate::bank::import::{
    self as bank_import, ImportOptions as QuestionOptions, ImportReport as QuestionsReport, LawBook,
};
use crate::certificates::store::CertificateRow;
use crate::certificates::{CertError, Settings as CertificateSettings, earned};
use crate::clock::Clock;
use crate::config::Config;
use crate::corpus::library::LibraryCache;
use crate::corpus::{self, CorpusError, ImportReport, Progress};
use crate::db::Db;
use crate::exam::bank_cache::BankCache;
use crate::exam::blueprint::BankEntry;
use crate::search::{SearchEngine, SearchError, indexer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("data folder: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Accounts(#[from] AccountsError),
    #[error(transparent)]
    Materials(#[from] crate::materials::MaterialsError),
}

/// Beyond this many changed statutes, rebuilding the index beats deleting and re-adding.
const FULL_REINDEX_AT: usize = 300;

#[derive(Clone)]
pub struct App {
    pub config: Config,
    pub db: Db,
    pub search: Arc<SearchEngine>,
    /// The law list and counts the pages show, kept until laws change.
    pub library: Arc<LibraryCache>,
    /// The approved question bank papers are drawn from.
    pub bank: Arc<BankCache>,
    pub clock: Clock,
}

impl App {
    /// The approved bank, read beside the writer (before a start takes it).
    pub async fn approved_bank(&self) -> Result<Arc<Vec<BankEntry>>, sqlx::Error> {
        self.bank.get(&mut *self.db.read().await?).await
    }

    /// Issues the enforcement certificates that passed qualification attempts earned (of one
    /// person, or of all), inside the caller's unit of work: every grading calls it.
    pub async fn issue_earned_certificates(
        &self,
        conn: &mut sqlx::AnyConnection,
        user_id: Option<i64>,
    ) -> Result<Vec<CertificateRow>, CertError> {
        let settings = CertificateSettings::of(&self.config);
        let now = self.clock.now();
        earned::issue_earned(conn, &settings, user_id, now, &mut rand_core::OsRng).await
    }

    /// Makes certificates follow an applied regrade inside its unit of work: a pass turned
    /// fail loses its certificate, a fail turned pass earns one (see `earned::follow_regrade`).
    pub async fn follow_regrade(
        &self,
        conn: &mut sqlx::AnyConnection,
        ctx: &crate::accounts::admin::Ctx<'_>,
        report: &mut crate::exam::regrade::RegradeReport,
    ) -> Result<(), CertError> {
        if !report.applied {
            return Ok(());
        }
        let settings = CertificateSettings::of(&self.config);
        let followed =
            earned::follow_regrade(conn, ctx, &settings, &report.changes, &mut rand_core::OsRng)
                .await?;
        report.revoked_certificates = followed.revoked;
        report.issued_certificates = followed.issued;
        Ok(())
    }

    /// Connects and migrates the database, opens the index under the data folder and fills
    /// it from SQL when it is new or was built by another schema version.
    pub async fn open(config: Config) -> Result<App, AppError> {
        std::fs::create_dir_all(&config.data_dir)?;
        let db = Db::connect(&config.database_url).await?;
        let (index, fresh) = indexer::open_or_create(&config.index_dir())?;
        App::assemble(config, db, index, fresh).await
    }

    /// Like `open`, with the index in memory: for tests, which must not share folders.
    pub async fn open_in_memory_index(config: Config) -> Result<App, AppError> {
        let db = Db::connect(&config.database_url).await?;
        App::assemble(config, db, indexer::in_ram(), true).await
    }

    async fn assemble(config: Config, db: Db, index: Index, fresh: bool) -> Result<App, AppError> {
        if fresh || !indexer::is_current(&index, &db).await? {
            indexer::sync(&index, &db, None).await?;
        }
        let search = SearchEngine::new(index, &db, &config.project_corpus, &config.region).await?;
        let app = App {
            config,
            db,
            search: Arc::new(search),
            library: Arc::new(LibraryCache::default()),
            bank: Arc::new(BankCache::default()),
            clock: Clock::system(),
        };
        app.index_notes().await?;
        Ok(app)
    }

    /// Registers the study notes of the project corpus (logging the article mentions that
    /// resolve to nothing imported) and writes their sections to the index beside the
    /// articles. After every sync that may have emptied the index.
    pub async fn index_notes(&self) -> Result<usize, AppError> {
        let notes = crate::materials::load(&self.config.project_corpus);
        let mut tx = self.db.write().await?;
        let materials = crate::materials::register(&mut tx, &notes).await?;
        tx.commit().await?;
        let index = self.search.index().clone();
        let n =
            tokio::task::spawn_blocking(move || crate::search::notes::write(&index, &materials))
                .await
                .map_err(SearchError::from)??;
        self.search.refresh(&self.db).await?;
        Ok(n)
    }

    /// Imports law files and brings the index and the library up to date with what changed
    /// (also when the import stops half-way: each law is committed on its own).
    pub async fn import_laws(
        &self,
        paths: &[PathBuf],
        progress: Progress<'_>,
    ) -> Result<ImportReport, AppError> {
        let result = self.import_and_index(paths, progress).await;
        self.library.invalidate();
        result
    }

    async fn import_and_index(
        &self,
        paths: &[PathBuf],
        progress: Progress<'_>,
    ) -> Result<ImportReport, AppError> {
        let mut report = self.store_laws(paths, progress).await?;
        let list = self.config.project_corpus.join("repealed.tsv");
        let mut tx = self.db.write().await?;
        let mut changed = corpus::repeal::apply(&mut tx, &list).await?;
        crate::bank::review::flag_changed(&mut tx, &changed).await?;
        tx.commit().await?;
        changed.extend(&report.changed_statutes);
        changed.sort_unstable();
        changed.dedup();
        if changed.len() > FULL_REINDEX_AT {
            indexer::sync(self.search.index(), &self.db, None).await?;
            self.search.refresh(&self.db).await?;
        } else if !changed.is_empty() {
            indexer::sync(self.search.index(), &self.db, Some(&changed)).await?;
            self.search.refresh(&self.db).await?;
        }
        if !changed.is_empty() {
            self.index_notes().await?;
        }
        report.changed_statutes = changed;
        Ok(report)
    }

    /// Stores the changed law versions under `paths`, each in its own unit of work, so an
    /// interrupted import leaves whole laws or nothing of them. The questions citing a changed
    /// article are flagged for review in the same transaction as the law change: a crash
    /// cannot store the new text and lose the flags (the index, by contrast, is derived and
    /// rebuilt at start-up).
    async fn store_laws(
        &self,
        paths: &[PathBuf],
        progress: Progress<'_>,
    ) -> Result<ImportReport, AppError> {
        let (versions, mut report) = corpus::read_laws(paths).await?;
        let stored = corpus::store::stored_hashes(&self.db.pool).await?;
        let now = now_rfc3339();
        let total = versions.len() as u64;
        for (i, v) in versions.iter().enumerate() {
            progress(i as u64, total);
            let key = (v.law.title.clone(), v.version_date.clone());
            if stored.get(&key) == Some(&v.content_hash) {
                report.unchanged += 1;
                continue;
            }
            let mut tx = self.db.write().await?;
            let statute_id = corpus::store::save_version(&mut tx, v, &now).await?;
            crate::bank::review::flag_changed(&mut tx, &[statute_id]).await?;
            tx.commit().await?;
            report.imported += 1;
            report.articles += v.law.articles.len();
            report.changed_statutes.push(statute_id);
        }
        progress(total, total);
        report.changed_statutes.sort_unstable();
        report.changed_statutes.dedup();
        Ok(report)
    }

    /// Imports users from a spreadsheet: checked and hashed first, then stored in one unit of
    /// work that is committed only when every row could be stored (all or nothing per file).
    pub async fn import_users(
        &self,
        ctx: &Ctx<'_>,
        file_name: &str,
        bytes: &[u8],
        opts: ImportOptions,
    ) -> Result<UsersReport, AccountsError> {
        let pool = &self.db.pool;
        let cost = self.config.hash_cost;
        let plan = import::check_users(pool, cost, ctx, file_name, bytes, opts).await?;
        if !plan.has_users() {
            return Ok(plan.report());
        }
        let mut tx = self.db.write().await?;
        let report = plan.store(&mut tx).await?;
        if report.is_ok() {
            tx.commit().await?;
        }
        Ok(report)
    }

    /// Imports questions from a spreadsheet: read and checked first, then stored in one unit
    /// of work.
    pub async fn import_questions(
        &self,
        laws: &LawBook,
        ctx: &Ctx<'_>,
        file_name: &str,
        bytes: &[u8],
        opts: QuestionOptions,
    ) -> Result<QuestionsReport, BankError> {
        let pool = &self.db.pool;
        let mut plan =
            bank_import::check_questions(pool, laws, ctx, file_name, bytes, opts).await?;
        if opts.suggest_basis {
            plan.suggest_basis(&self.search, laws).await?;
        }
        if !plan.has_questions() {
            return Ok(plan.report());
        }
        let mut tx = self.db.write().await?;
        let report = bank_import::store_questions(&mut tx, ctx, plan).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// On an empty database, creates the first administrator; returns its one-time password
    /// (None when it was given in the configuration or users already exist).
    pub async fn ensure_first_admin(&self) -> Result<Option<String>, AppError> {
        use crate::accounts::{login, password};
        if !login::needs_first_admin(&self.db.pool).await? {
            return Ok(None);
        }
        let given = self.config.admin_password.clone();
        let prepared = password::Prepared::new(given.clone(), self.config.hash_cost).await?;
        let mut tx = self.db.write().await?;
        if !login::create_first_admin(&mut tx, &prepared, self.clock.now()).await? {
            return Ok(None);
        }
        tx.commit().await?;
        Ok(given.is_none().then_some(prepared.password))
    }

    /// Whether the laws in the database changed since the last call (another node or the
    /// command line imported, or this node did): then the search index catches up with the
    /// database, and the search results, the library and the law pages cached from the old
    /// laws are dropped. The first call only records the fingerprint. On error `last` stays,
    /// so the next call tries again.
    pub async fn notice_law_changes(&self, last: &mut Option<String>) -> Result<bool, AppError> {
        let now = crate::corpus::store::index_fingerprint(&self.db.pool).await?;
        let changed = last.as_ref().is_some_and(|l| *l != now);
        if changed {
            if indexer::catch_up(self.search.index(), &self.db).await? {
                tracing::info!(fingerprint = %now, "search index caught up with the database");
                self.index_notes().await?;
            }
            self.search.refresh(&self.db).await?;
            self.library.invalidate();
        }
        *last = Some(now);
        Ok(changed)
    }

    /// Polls `notice_law_changes` every `every` for the life of the server, starting from
    /// what the index was built from: a change made while this node started is caught too.
    pub fn watch_law_changes(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut last = indexer::synced_fingerprint(app.search.index())
                .ok()
                .flatten();
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = app.notice_law_changes(&mut last).await {
                    tracing::warn!(error = %e, "checking the database for law changes failed");
                }
            }
        })
    }

    /// Rebuilds the whole index from SQL.
    pub async fn reindex(&self) -> Result<usize, AppError> {
        let n = indexer::sync(self.search.index(), &self.db, None).await?;
        self.index_notes().await?;
        self.library.invalidate();
        Ok(n)
    }
}

/// The current time for records; read once per operation and passed down.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
