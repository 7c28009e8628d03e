//! Results pages kept between requests. On exam day a township types the same few queries
//! hundreds of times a minute; a repeated search is answered from here, with no tantivy work
//! at all. Keys are the normalised request; `SearchEngine::refresh` (an import here or on
//! another node) empties the cache, and a search that began before that is not kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{DEFAULT_LIMIT, SearchRequest, SearchResults};

/// Pages kept; each is ten hits with snippets, a few KB.
const CAPACITY: usize = 2048;

/// The request as the engine reads it: blanks collapsed, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    q: String,
    law: String,
    category: String,
    level: String,
    region: String,
    limit: usize,
    offset: usize,
    all_versions: bool,
}

impl Key {
    pub fn of(req: &SearchRequest) -> Key {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        Key {
            q: squash(&req.q),
            law: squash(req.law.as_deref().unwrap_or("")),
            category: squash(req.category.as_deref().unwrap_or("")),
            level: squash(req.level.as_deref().unwrap_or("")),
            region: squash(req.region.as_deref().unwrap_or("")),
            limit: req.limit.unwrap_or(DEFAULT_LIMIT),
            offset: req.offset.unwrap_or(0),
            all_versions: req.all_versions.unwrap_or(false),
        }
    }
}

struct Slot {
    results: SearchResults,
    last_used: u64,
}

#[derive(Default)]
pub struct ResultCache {
    slots: Mutex<HashMap<Key, Slot>>,
    /// Moves on every `clear`: a search that started before one is not stored after it.
    generation: AtomicU64,
    ticks: AtomicU64,
}

impl ResultCache {
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &Key) -> Option<SearchResults> {
        let tick = self.ticks.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.slots.lock().ok()?;
        let slot = slots.get_mut(key)?;
        slot.last_used = tick;
        Some(slot.results.clone())
    }

    /// Keeps `results` for `key` unless the cache was cleared since `generation` was read.
    pub fn put(&self, key: Key, results: &SearchResults, generation: u64) {
        let tick = self.ticks.fetch_add(1, Ordering::Relaxed);
        let Ok(mut slots) = self.slots.lock() else {
            return;
        };
        if self.generation() != generation {
            return;
        }
        if slots.len() >= CAPACITY && !slots.contains_key(&key) {
            // The least recently used eighth goes at once, so the scan is rare.
            let mut ages: Vec<u64> = slots.values().map(|s| s.last_used).collect();
            let cut = ages.len() / 8;
            ages.select_nth_unstable(cut);
            let oldest = ages[cut];
            slots.retain(|_, s| s.last_used > oldest);
        }
        let slot = Slot {
            results: results.clone(),
            last_used: tick,
        };
        slots.insert(key, slot);
    }

    pub fn clear(&self) {
        if let Ok(mut slots) = self.slots.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            slots.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(q: &str, offset: Option<usize>) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            offset,
            ..SearchRequest::default()
        }
    }

    fn results(total: usize) -> SearchResults {
        SearchResults {
            facets: Default::default(),
            total,
            took_ms: 1.0,
            hits: Vec::new(),
            notice: None,
            repealed_law: None,
            materials: Vec::new(),
        }
    }

    #[test]
    fn the_same_search_typed_differently_shares_one_key() {
        assert_eq!(
            Key::of(&req(" 信访事项  受理 期限 ", None)),
            Key::of(&req("信访事项 受理 期限", Some(0)))
        );
        assert_ne!(
            Key::of(&req("信访事项", None)),
            Key::of(&req("信访事项", Some(10)))
        );
    }

    #[test]
    fn a_clear_drops_pages_and_refuses_searches_begun_before_it() {
        let cache = ResultCache::default();
        let key = Key::of(&req("受理", None));
        cache.put(key.clone(), &results(3), cache.generation());
        assert_eq!(cache.get(&key).map(|r| r.total), Some(3));
        let before = cache.generation();
        cache.clear();
        assert!(cache.get(&key).is_none());
        cache.put(key.clone(), &results(4), before);
        assert!(cache.get(&key).is_none());
    }

    #[test]
    fn a_full_cache_drops_its_least_recently_used_pages() {
        let cache = ResultCache::default();
        let g = cache.generation();
        for i in 0..CAPACITY {
            cache.put(Key::of(&req(&format!("q{i}"), None)), &results(i), g);
        }
        let first = Key::of(&req("q0", None));
        let second = Key::of(&req("q1", None));
        assert!(cache.get(&first).is_some());
        cache.put(Key::of(&req("new", None)), &results(0), g);
        assert!(cache.get(&first).is_some(), "recently read, kept");
        assert!(cache.get(&second).is_none(), "least recently used, dropped");
        assert!(cache.slots.lock().map(|s| s.len()).unwrap_or(0) <= CAPACITY);
    }
}
