//! The SQL connection pool: SQLite by default, PostgreSQL for scale-out, one code path.
//!
//! Queries go through sqlx's `Any` driver with `$N` placeholders, which both backends accept.
//! Only the DDL differs, so each backend has its own migration folder.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(sqlx::Error::Configuration(
                format!("unsupported database URL (use sqlite:// or postgres://): {url}").into(),
            ))
        }
    }
}

/// A unit of work: a write transaction the handler or CLI command opens with [`Db::write`],
/// hands to the domain functions as `&mut tx` (they take `&mut AnyConnection` or an executor)
/// and commits. Dropped without `commit`, it rolls back.
pub type Tx = sqlx::Transaction<'static, Any>;

/// A connection for reads that need several queries, from [`Db::read`].
pub type ReadConn = PoolConnection<Any>;

/// The pools plus the backend they talk to.
///
/// `pool` serves reads and single-statement writes; `writer` serves the units of work. On
/// SQLite they are two pools on one file: SQLite has one writer at a time whatever we do, so
/// the writer pool holds exactly one connection and concurrent units of work queue in sqlx's
/// fair async queue (no thread sleeps in SQLite's busy handler, no `SQLITE_BUSY` between our
/// own requests), while WAL readers in `pool` go on beside the writer and never block it. On
/// PostgreSQL both are one pool: it has row locks and many writers at once.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    writer: AnyPool,
    pub backend: Backend,
}

/// SQLite connections for reads: each runs on its own worker thread, and WAL readers do not
/// wait for each other, so a few per core keep both cores busy while the rest of hundreds of
/// concurrent requests wait in the pool's queue (in memory, no thread each).
const SQLITE_READERS: u32 = 8;

/// PostgreSQL connections per node. Throughput stops growing at a few per core of the
/// database host, and two `serve` nodes plus a CLI import must stay under PostgreSQL's default
/// `max_connections = 100`; requests beyond this wait in the pool's queue.
const POSTGRES_CONNECTIONS: u32 = 32;

/// How long a request waits for a pooled connection before it fails. Hundreds of concurrent
/// requests queue here; with one SQLite writer a unit of work of a few milliseconds leaves
/// room for thousands of waiting writers in this time.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// SQLite's `busy_timeout` (ms): only another process's writer makes ours wait now (a CLI
/// import beside `serve`, which commits law by law, or a single-statement write from the read
/// pool), and a law's transaction lasts well under a second, so 30 s never fails a request
/// that would have succeeded a moment later. `BEGIN IMMEDIATE` takes the write lock first, so
/// a waiting writer is retried by this timeout and never fails with `SQLITE_BUSY_SNAPSHOT`,
/// which a deferred read-then-write transaction would after another writer's commit.
const SQLITE_PRAGMAS: &str = "pragma journal_mode = wal; pragma busy_timeout = 30000; \
                              pragma foreign_keys = on; pragma synchronous = normal;";

impl Db {
    /// Connects (creating the SQLite file if needed) and runs the pending migrations.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                Db::pool_options(backend, SQLITE_READERS)
                    .connect(url)
                    .await?
            }
            Backend::Postgres => {
                Db::pool_options(backend, POSTGRES_CONNECTIONS)
                    .connect(url)
                    .await?
            }
        };
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        let writer = match backend {
            Backend::Sqlite => Db::pool_options(backend, 1).connect(url).await?,
            Backend::Postgres => pool.clone(),
        };
        Ok(Db {
            pool,
            writer,
            backend,
        })
    }

    fn pool_options(backend: Backend, max: u32) -> AnyPoolOptions {
        AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
    }

    /// Opens a unit of work: `BEGIN IMMEDIATE` on SQLite (the write lock is taken up front, so
    /// what the transaction reads stays true until it commits), plain `BEGIN` on PostgreSQL
    /// (row locks and unique indexes decide there). Never open a second one while holding one:
    /// on SQLite the second would wait for the first.
    pub async fn write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("begin immediate").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }

    /// The pool for a write of one statement that commits on its own and must be serialized
    /// with the units of work: SQLite's single writer (no wait in `busy_timeout`),
    /// PostgreSQL's pool.
    pub fn single(&self) -> &AnyPool {
        &self.writer
    }

    /// A connection for reads (on SQLite a WAL snapshot that never blocks the writer) and for
    /// single statements that commit on their own, such as counting a sign-in attempt before
    /// the slow password check; on SQLite those wait for the writer through `busy_timeout`.
    pub async fn read(&self) -> Result<ReadConn, sqlx::Error> {
        self.pool.acquire().await
    }
}

/// Commits the unit of work when the domain function succeeded and hands its result on;
/// otherwise drops it (rolls back) and hands on the error. For handlers that answer a refusal
/// with a page rather than `?`.
pub async fn commit_if_ok<T, E: From<sqlx::Error>>(tx: Tx, result: Result<T, E>) -> Result<T, E> {
    let value = result?;
    tx.commit().await?;
    Ok(value)
}

/// Whether a database error is a unique-constraint violation, on either backend: SQLite's
/// extended codes 2067 (`SQLITE_CONSTRAINT_UNIQUE`) and 1555 (`SQLITE_CONSTRAINT_PRIMARYKEY`),
/// PostgreSQL's SQLSTATE 23505.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db
                    .code()
                    .is_some_and(|c| matches!(c.as_ref(), "2067" | "1555" | "23505"))
        }
        _ => false,
    }
}

/// Turns a unique violation into the caller's conflict error (which the web layer answers with
/// 409 and the message); other errors pass through. The database decides uniqueness, so
/// concurrent requests cannot both pass a check and both insert.
pub trait OnConstraint<T> {
    fn on_constraint<E: From<sqlx::Error>>(self, conflict: impl FnOnce() -> E) -> Result<T, E>;
}

impl<T> OnConstraint<T> for Result<T, sqlx::Error> {
    fn on_constraint<E: From<sqlx::Error>>(self, conflict: impl FnOnce() -> E) -> Result<T, E> {
        self.map_err(|e| {
            if is_unique_violation(&e) {
                conflict()
            } else {
                E::from(e)
            }
        })
    }
}

/// `($1, $2), ($3, $4)…`: `rows` groups of `cols` numbered placeholders, counting on from
/// `after`. sqlx's `QueryBuilder<Any>` writes `?`, which PostgreSQL rejects; `$N` suits both.
pub fn placeholders(rows: usize, cols: usize, after: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(after + r * cols + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(super::placeholders(2, 2, 0), "($1, $2), ($3, $4)");
        assert_eq!(super::placeholders(1, 3, 1), "($2, $3, $4)");
    }
}
