//! Ranking beyond BM25: the legal hierarchy (效力位阶), the deployment's region, repeal.

use tantivy::columnar::ColumnValues;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use crate::corpus::classify::PROVINCES;

/// Score factor by 效力位阶 rank (0 宪法 … 7 其他): higher law first on the same topic. A
/// statute answers an official's question more often than the rules and interpretations
/// that repeat its words (measured with `xuefa bench-relevance`).
const LEVEL_FACTOR: [f32; 8] = [3.2, 3.0, 1.5, 1.4, 0.9, 0.8, 0.9, 0.7];
/// Score factor of another province's regulation the query does not name.
const OTHER_REGION_FACTOR: f32 = 0.6;
/// Score factor of a province's text when the query names the province: what was asked for,
/// so it makes up for the lower rank of local regulations.
const NAMED_REGION_FACTOR: f32 = 2.0;
/// Score factor of the articles of a law the query names: asked about by name.
const NAMED_LAW_FACTOR: f32 = 3.0;
/// Score factor of a repealed statute: still findable, below everything in force.
const REPEALED_FACTOR: f32 = 0.3;

/// A segment's score tweak: BM25 in, final score out.
pub type Tweak = Box<dyn Fn(DocId, Score) -> Score>;

/// BM25 times the 效力位阶 factor, higher for the laws the query names; other provinces'
/// texts (when admitted) further down.
pub fn ranking(
    home: u64,
    allowed: Vec<u64>,
    named: Vec<u64>,
) -> impl Fn(&SegmentReader) -> Tweak + Send + Sync + 'static {
    move |segment: &SegmentReader| {
        let fast = segment.fast_fields();
        let level = fast
            .u64("level_rank")
            .ok()
            .map(|c| c.first_or_default_col(7));
        let region = fast
            .u64("region_code")
            .ok()
            .map(|c| c.first_or_default_col(0));
        let repealed = fast.u64("repealed").ok().map(|c| c.first_or_default_col(0));
        let statute = (!named.is_empty())
            .then(|| fast.u64("statute_id").ok())
            .flatten()
            .map(|c| c.first_or_default_col(0));
        let allowed = allowed.clone();
        let named = named.clone();
        Box::new(move |doc: DocId, score: Score| {
            let rank = level.as_ref().map_or(7, |c| c.get_val(doc)) as usize;
            let region = region.as_ref().map_or(0, |c| c.get_val(doc));
            let mut s = score * LEVEL_FACTOR.get(rank).copied().unwrap_or(1.0);
            if repealed.as_ref().is_some_and(|c| c.get_val(doc) == 1) {
                s *= REPEALED_FACTOR;
            }
            if statute
                .as_ref()
                .is_some_and(|c| named.contains(&c.get_val(doc)))
            {
                s *= NAMED_LAW_FACTOR;
            }
            if region != 0 && region != home && !allowed.contains(&region) {
                s *= OTHER_REGION_FACTOR;
            } else if region != 0 && region != home {
                s *= NAMED_REGION_FACTOR;
            }
            s
        })
    }
}

/// The tiers results are shown in, whatever words they cover: texts in force of national
/// law, the home region and the provinces the query names (0), other provinces' texts in
/// force (1), repealed texts (2).
pub struct Tiers {
    pub home: u64,
    pub allowed: Vec<u64>,
}

impl Tiers {
    pub fn of(&self, searcher: &Searcher, addrs: &[DocAddress]) -> Vec<u8> {
        let readers = searcher.segment_readers();
        let columns: Vec<_> = readers
            .iter()
            .map(|r| (column(r, "region_code"), column(r, "repealed")))
            .collect();
        addrs
            .iter()
            .map(|a| {
                let Some((region, repealed)) = columns.get(a.segment_ord as usize) else {
                    return 0;
                };
                let value = |c: &Option<Column>| c.as_ref().map_or(0, |c| c.get_val(a.doc_id));
                let region = value(region);
                if value(repealed) == 1 {
                    2
                } else if region != 0 && region != self.home && !self.allowed.contains(&region) {
                    1
                } else {
                    0
                }
            })
            .collect()
    }
}

impl Tiers {
    /// A region (province name or 全国) of the first tier.
    pub fn admits(&self, region: &str) -> bool {
        region_code(region).is_none_or(|c| c == self.home || self.allowed.contains(&c))
    }
}

type Column = std::sync::Arc<dyn ColumnValues<u64>>;

fn column(segment: &SegmentReader, name: &str) -> Option<Column> {
    segment
        .fast_fields()
        .u64(name)
        .ok()
        .map(|c| c.first_or_default_col(0))
}

/// Region code of a province name (`重庆`, `重庆市`), as stored in the index.
pub fn region_code(region: &str) -> Option<u64> {
    PROVINCES
        .iter()
        .position(|p| region.starts_with(p))
        .map(|i| i as u64 + 1)
}
