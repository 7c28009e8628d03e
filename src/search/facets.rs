//! Facet counts of a search: how many of its hits are of each level and region, and how many
//! laws they come from, over the whole result set (not just the page). Counted by a tantivy
//! collector reading fast fields, in the same pass that counts and ranks the hits.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::{FacetCount, Facets};
use crate::corpus::classify::{LEVELS, NATIONAL, PROVINCES};

/// Raw counts by level rank and region code, and the statutes seen.
#[derive(Debug, Clone)]
pub struct Tally {
    levels: [usize; LEVELS.len()],
    regions: [usize; PROVINCES.len() + 1],
    /// A bit per statute id seen (ids are small and dense; a set per hit cost more than the
    /// search on broad queries).
    statutes: Vec<u64>,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            levels: [0; LEVELS.len()],
            regions: [0; PROVINCES.len() + 1],
            statutes: Vec::new(),
        }
    }
}

impl Tally {
    pub fn add(&mut self, level_rank: u64, region_code: u64, statute_id: u64) {
        let level = (level_rank as usize).min(LEVELS.len() - 1);
        self.levels[level] += 1;
        if let Some(n) = self.regions.get_mut(region_code as usize) {
            *n += 1;
        }
        let word = (statute_id / 64) as usize;
        if word >= self.statutes.len() {
            self.statutes.resize(word + 1, 0);
        }
        self.statutes[word] |= 1 << (statute_id % 64);
    }

    pub fn merge(&mut self, other: Tally) {
        for (a, b) in self.levels.iter_mut().zip(other.levels) {
            *a += b;
        }
        for (a, b) in self.regions.iter_mut().zip(other.regions) {
            *a += b;
        }
        if other.statutes.len() > self.statutes.len() {
            self.statutes.resize(other.statutes.len(), 0);
        }
        for (a, b) in self.statutes.iter_mut().zip(other.statutes) {
            *a |= b;
        }
    }

    /// The tally of given documents (phrase searches, whose matches are checked one by one).
    pub fn of_addrs(searcher: &Searcher, addrs: &[DocAddress]) -> Tally {
        let mut tally = Tally::default();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let columns = Columns::of(segment);
            addrs
                .iter()
                .filter(|a| a.segment_ord as usize == ord)
                .for_each(|a| columns.add_to(&mut tally, a.doc_id));
        }
        tally
    }

    /// Laws hit, and the levels and regions with their counts: levels in the order of the
    /// hierarchy, 全国 first and then the provinces by count.
    pub fn facets(&self, levels_from: &Tally) -> Facets {
        let levels = LEVELS
            .iter()
            .zip(levels_from.levels)
            .filter(|(_, n)| *n > 0)
            .map(|(l, n)| FacetCount {
                value: l.to_string(),
                count: n,
            })
            .collect();
        let mut regions: Vec<FacetCount> = std::iter::once(NATIONAL)
            .chain(PROVINCES)
            .zip(levels_from.regions)
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| FacetCount {
                value: r.to_string(),
                count: n,
            })
            .collect();
        if regions.len() > 1 {
            let national = usize::from(regions[0].value == NATIONAL);
            regions[national..].sort_by(|a, b| b.count.cmp(&a.count));
        }
        Facets {
            laws: self.statutes.iter().map(|w| w.count_ones() as usize).sum(),
            levels,
            regions,
        }
    }
}

/// Counts every matching document into a `Tally`.
pub struct FacetCollector;

pub struct FacetSegment {
    columns: Columns,
    tally: Tally,
}

struct Columns {
    level: Option<std::sync::Arc<dyn ColumnValues<u64>>>,
    region: Option<std::sync::Arc<dyn ColumnValues<u64>>>,
    statute: Option<std::sync::Arc<dyn ColumnValues<u64>>>,
}

impl Columns {
    fn of(segment: &SegmentReader) -> Columns {
        let fast = segment.fast_fields();
        let col =
            |name: &str, default| fast.u64(name).ok().map(|c| c.first_or_default_col(default));
        Columns {
            level: col("level_rank", LEVELS.len() as u64 - 1),
            region: col("region_code", 0),
            statute: col("statute_id", 0),
        }
    }

    fn add_to(&self, tally: &mut Tally, doc: DocId) {
        let get = |c: &Option<std::sync::Arc<dyn ColumnValues<u64>>>, default| {
            c.as_ref().map_or(default, |c| c.get_val(doc))
        };
        tally.add(
            get(&self.level, LEVELS.len() as u64 - 1),
            get(&self.region, 0),
            get(&self.statute, 0),
        );
    }
}

impl Collector for FacetCollector {
    type Fruit = Tally;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        Ok(FacetSegment {
            columns: Columns::of(segment),
            tally: Tally::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut all = Tally::default();
        for t in fruits {
            all.merge(t);
        }
        Ok(all)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Tally;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.columns.add_to(&mut self.tally, doc);
    }

    fn harvest(self) -> Tally {
        self.tally
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
