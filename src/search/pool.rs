//! The first pass of a keyword search in one collector: every match counted (in all and by
//! facet) and the best `n` of them by BM25 times the ranking factor. An article's level,
//! region and repeal are its statute's, so a match reads one column (its statute) and the
//! others are read once per statute: the pass over tens of thousands of matches of a common
//! word is most of a search's time.

use tantivy::collector::sort_key::NaturalComparator;
use tantivy::collector::{Collector, SegmentCollector, TopNComputer};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::facets::Tally;
use super::rank::{Ranking, Statute, StatuteColumns};
use super::rerank::Ranked;

/// Count, facet tally and the best `n` matches, best first (ties in index order).
pub struct Pool {
    pub ranking: Ranking,
    pub n: usize,
}

pub type PoolFruit = (usize, Tally, Vec<Ranked>);

pub struct PoolSegment {
    ord: SegmentOrdinal,
    columns: StatuteColumns,
    ranking: Ranking,
    /// Per statute id seen in this segment: its properties and factor.
    statutes: Vec<Option<(Statute, f32)>>,
    count: usize,
    tally: Tally,
    best: TopNComputer<Score, DocId, NaturalComparator>,
}

impl Collector for Pool {
    type Fruit = PoolFruit;
    type Child = PoolSegment;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<PoolSegment> {
        Ok(PoolSegment {
            ord,
            columns: StatuteColumns::of(segment),
            ranking: self.ranking.clone(),
            statutes: Vec::new(),
            count: 0,
            tally: Tally::default(),
            best: TopNComputer::new_with_comparator(self.n, NaturalComparator),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<PoolFruit>) -> tantivy::Result<PoolFruit> {
        let mut count = 0;
        let mut tally = Tally::default();
        let mut best = Vec::new();
        for (n, t, b) in fruits {
            count += n;
            tally.merge(t);
            best.extend(b);
        }
        best.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then((a.1.segment_ord, a.1.doc_id).cmp(&(b.1.segment_ord, b.1.doc_id)))
        });
        best.truncate(self.n);
        Ok((count, tally, best))
    }
}

impl SegmentCollector for PoolSegment {
    type Fruit = PoolFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.count += 1;
        let id = self.columns.statute(doc);
        let i = id as usize;
        if i >= self.statutes.len() {
            self.statutes.resize(i + 1, None);
        }
        let (statute, factor) = *self.statutes[i].get_or_insert_with(|| {
            let s = self.columns.read(doc);
            let factor = self
                .ranking
                .factor(s.level_rank, s.region, s.repealed, s.statute);
            (s, factor)
        });
        self.tally
            .add(statute.level_rank, statute.region, statute.statute);
        self.best.push(score * factor, doc);
    }

    fn harvest(self) -> PoolFruit {
        let ord = self.ord;
        let best = self
            .best
            .into_sorted_vec()
            .into_iter()
            .map(|d| (d.sort_key, DocAddress::new(ord, d.doc)))
            .collect();
        (self.count, self.tally, best)
    }
}
