//! The law library as the pages list it: every law version with its summary, and the counts
//! on the home page. It changes only when laws are imported, so it is read from SQL once and
//! kept until an import (or a re-index) invalidates it: the home page and `/laws` no longer
//! recount 147,000 articles per request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::db::Db;

use super::classify::{LEVELS, NATIONAL};
use super::store::{self, LawSummary};

/// One snapshot of the library.
#[derive(Debug)]
pub struct Library {
    /// Every version, by title then date (as `store::list_laws`).
    pub laws: Vec<LawSummary>,
    /// Laws in force and their articles, for the home page.
    pub current_laws: i64,
    pub current_articles: i64,
    /// The current laws by level, national first, the home region's regulations next.
    pub groups: Vec<Group>,
    /// When laws were last imported (RFC 3339), for `Last-Modified`.
    pub last_import: Option<String>,
}

/// A group of the library: a level (法律, 行政法规 …) or a province's local regulations.
#[derive(Debug)]
pub struct Group {
    /// `法律`, or `地方性法规·重庆` for a province's.
    pub name: String,
    /// Positions in `Library::laws`, by title.
    pub laws: Vec<usize>,
}

/// Current laws grouped by level, national first, the home region's regulations next, then
/// the other provinces'.
fn group(all: &[LawSummary], home_region: &str) -> Vec<Group> {
    let key = |l: &LawSummary| -> (usize, String) {
        let rank = LEVELS
            .iter()
            .position(|x| *x == l.level)
            .unwrap_or(LEVELS.len());
        if l.region == NATIONAL {
            (rank, l.level.clone())
        } else if home_region.starts_with(l.region.as_str()) {
            (LEVELS.len() + 1, format!("{}·{}", l.level, l.region))
        } else {
            (LEVELS.len() + 2, format!("{}·{}", l.level, l.region))
        }
    };
    let mut map: std::collections::BTreeMap<(usize, String), Vec<usize>> = Default::default();
    for (i, l) in all.iter().enumerate().filter(|(_, l)| l.current != 0) {
        map.entry(key(l)).or_default().push(i);
    }
    map.into_iter()
        .map(|((_, name), laws)| Group { name, laws })
        .collect()
}

/// The current snapshot, loaded on first use after each invalidation.
#[derive(Debug, Default)]
pub struct LibraryCache {
    snapshot: RwLock<Option<Arc<Library>>>,
    /// Bumped by every invalidation, so a load that began before one is not kept after it.
    generation: AtomicU64,
}

impl LibraryCache {
    /// The snapshot, grouped for `home_region` (the deployment's, which does not change).
    /// A read connection is taken only on a miss: a hit costs no pool slot.
    pub async fn get(&self, db: &Db, home_region: &str) -> Result<Arc<Library>, sqlx::Error> {
        if let Some(s) = self.cached() {
            return Ok(s);
        }
        let mut conn = db.read().await?;
        // Loaded outside the lock: concurrent first requests may each load it once, which
        // costs less than making every reader wait behind an async lock.
        let generation = self.generation.load(Ordering::Acquire);
        let laws = store::list_laws(&mut *conn).await?;
        let (current_laws, current_articles) = store::totals(&mut *conn).await?;
        let last_import = store::last_import(&mut *conn).await?;
        let groups = group(&laws, home_region);
        let snapshot = Arc::new(Library {
            laws,
            current_laws,
            current_articles,
            groups,
            last_import,
        });
        if let Ok(mut slot) = self.snapshot.write()
            && self.generation.load(Ordering::Acquire) == generation
        {
            *slot = Some(snapshot.clone());
        }
        Ok(snapshot)
    }

    /// Drops the snapshot: the next reader loads the library again.
    pub fn invalidate(&self) {
        if let Ok(mut slot) = self.snapshot.write() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            *slot = None;
        }
    }

    /// Moves on every invalidation: what was derived from the laws (rendered law pages) is
    /// valid while it stays the same.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn cached(&self) -> Option<Arc<Library>> {
        self.snapshot.read().ok().and_then(|s| s.clone())
    }
}
