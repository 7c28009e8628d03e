//! Facet counts of a search: how many of its hits are of each level and region, and how many
//! laws they come from, over the whole result set (not just the page). Counted in the pass
//! that counts and ranks the hits (`pool`).

use tantivy::{DocAddress, Searcher};

use super::rank::StatuteColumns;
use super::{FacetCount, Facets};
use crate::corpus::classify::{LEVELS, NATIONAL, PROVINCES};

/// Hits per statute, with each statute's level and region: a statute's articles share
/// them, so a hit reads one column and the other two are read once per statute.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Hits per statute id (ids are small and dense).
    hits: Vec<u32>,
    /// Level rank and region code of each statute hit, read at its first hit.
    class: Vec<(u8, u8)>,
}

impl Tally {
    pub fn add(&mut self, level_rank: u64, region_code: u64, statute_id: u64) {
        if self.count(statute_id) == 0 {
            self.classify(statute_id, level_rank, region_code);
        }
        self.hits[statute_id as usize] += 1;
    }

    fn count(&mut self, statute_id: u64) -> u32 {
        let i = statute_id as usize;
        if i >= self.hits.len() {
            self.hits.resize(i + 1, 0);
            self.class.resize(i + 1, (0, 0));
        }
        self.hits[i]
    }

    fn classify(&mut self, statute_id: u64, level_rank: u64, region_code: u64) {
        let level = level_rank.min(LEVELS.len() as u64 - 1) as u8;
        let region = region_code.min(PROVINCES.len() as u64 + 1) as u8;
        self.class[statute_id as usize] = (level, region);
    }

    pub fn merge(&mut self, other: Tally) {
        for (i, (n, class)) in other.hits.into_iter().zip(other.class).enumerate() {
            if n > 0 {
                if self.count(i as u64) == 0 {
                    self.class[i] = class;
                }
                self.hits[i] += n;
            }
        }
    }

    /// The tally of given documents (phrase searches, whose matches are checked one by one).
    pub fn of_addrs(searcher: &Searcher, addrs: &[DocAddress]) -> Tally {
        let mut tally = Tally::default();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let columns = StatuteColumns::of(segment);
            for a in addrs.iter().filter(|a| a.segment_ord as usize == ord) {
                let s = columns.read(a.doc_id);
                tally.add(s.level_rank, s.region, s.statute);
            }
        }
        tally
    }

    /// Laws hit, and the levels and regions with their counts: levels in the order of the
    /// hierarchy, 全国 first and then the provinces by count.
    pub fn facets(&self, levels_from: &Tally) -> Facets {
        let mut by_level = [0usize; LEVELS.len()];
        let mut by_region = [0usize; PROVINCES.len() + 1];
        for (&n, &(level, region)) in levels_from.hits.iter().zip(&levels_from.class) {
            by_level[level as usize] += n as usize;
            if let Some(r) = by_region.get_mut(region as usize) {
                *r += n as usize;
            }
        }
        let levels = LEVELS
            .iter()
            .zip(by_level)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| FacetCount {
                value: l.to_string(),
                count: n,
            })
            .collect();
        let mut regions: Vec<FacetCount> = std::iter::once(NATIONAL)
            .chain(PROVINCES)
            .zip(by_region)
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| FacetCount {
                value: r.to_string(),
                count: n,
            })
            .collect();
        if regions.len() > 1 {
            let national = usize::from(regions[0].value == NATIONAL);
            regions[national..].sort_by_key(|r| std::cmp::Reverse(r.count));
        }
        Facets {
            laws: self.hits.iter().filter(|&&n| n > 0).count(),
            levels,
            regions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facets_list_levels_in_order_and_national_first() {
        let mut t = Tally::default();
        t.add(6, 1, 10); // 地方性法规, 北京
        t.add(6, 3, 11); // 地方性法规, 上海
        t.add(6, 3, 11);
        t.add(1, 0, 12); // 法律, 全国
        let f = t.facets(&t);
        assert_eq!(f.laws, 3);
        let levels: Vec<_> = f
            .levels
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect();
        assert_eq!(levels, [("法律", 1), ("地方性法规", 3)]);
        let regions: Vec<_> = f
            .regions
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect();
        assert_eq!(regions, [("全国", 1), ("上海", 2), ("北京", 1)]);
    }
}
