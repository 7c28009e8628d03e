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

/// How an article's BM25 score is weighed: by 效力位阶, higher for the laws the query names,
/// other provinces' texts (when admitted) further down, repealed ones last.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    /// The deployment's region code.
    pub home: u64,
    /// Regions ranked like the home region (national, home, those the query names).
    pub allowed: Vec<u64>,
    /// Statutes the query names.
    pub named: Vec<u64>,
}

impl Ranking {
    /// The factor of an article, from its statute's properties.
    pub fn factor(&self, level_rank: u64, region: u64, repealed: bool, statute: u64) -> f32 {
        let mut f = LEVEL_FACTOR
            .get(level_rank as usize)
            .copied()
            .unwrap_or(1.0);
        if repealed {
            f *= REPEALED_FACTOR;
        }
        if self.named.contains(&statute) {
            f *= NAMED_LAW_FACTOR;
        }
        if region != 0 && region != self.home && !self.allowed.contains(&region) {
            f *= OTHER_REGION_FACTOR;
        } else if region != 0 && region != self.home {
            f *= NAMED_REGION_FACTOR;
        }
        f
    }

    /// The tweak for tantivy's `tweak_score`: BM25 times the article's factor.
    pub fn tweak(&self) -> impl Fn(&SegmentReader) -> Tweak + Send + Sync + 'static {
        let ranking = self.clone();
        move |segment: &SegmentReader| {
            let columns = StatuteColumns::of(segment);
            let ranking = ranking.clone();
            Box::new(move |doc: DocId, score: Score| {
                let a = columns.read(doc);
                score * ranking.factor(a.level_rank, a.region, a.repealed, a.statute)
            })
        }
    }
}

/// What the ranking and the facets need of an article: all of it its statute's.
#[derive(Debug, Clone, Copy)]
pub struct Statute {
    pub statute: u64,
    pub level_rank: u64,
    pub region: u64,
    pub repealed: bool,
}

/// A segment's columns of the statute properties.
pub struct StatuteColumns {
    statute: Option<Column>,
    level: Option<Column>,
    region: Option<Column>,
    repealed: Option<Column>,
}

impl StatuteColumns {
    pub fn of(segment: &SegmentReader) -> StatuteColumns {
        StatuteColumns {
            statute: column(segment, "statute_id", 0),
            level: column(segment, "level_rank", LEVEL_FACTOR.len() as u64 - 1),
            region: column(segment, "region_code", 0),
            repealed: column(segment, "repealed", 0),
        }
    }

    /// The statute id of `doc` alone (one column read).
    pub fn statute(&self, doc: DocId) -> u64 {
        self.statute.as_ref().map_or(0, |c| c.get_val(doc))
    }

    /// Everything of `doc`'s statute.
    pub fn read(&self, doc: DocId) -> Statute {
        let value = |c: &Option<Column>, default| c.as_ref().map_or(default, |c| c.get_val(doc));
        Statute {
            statute: self.statute(doc),
            level_rank: value(&self.level, LEVEL_FACTOR.len() as u64 - 1),
            region: value(&self.region, 0),
            repealed: value(&self.repealed, 0) == 1,
        }
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
            .map(|r| (column(r, "region_code", 0), column(r, "repealed", 0)))
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

fn column(segment: &SegmentReader, name: &str, default: u64) -> Option<Column> {
    segment
        .fast_fields()
        .u64(name)
        .ok()
        .map(|c| c.first_or_default_col(default))
}

/// Region code of a province name (`重庆`, `重庆市`), as stored in the index.
pub fn region_code(region: &str) -> Option<u64> {
    PROVINCES
        .iter()
        .position(|p| region.starts_with(p))
        .map(|i| i as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_follow_the_hierarchy_the_region_and_the_names() {
        let chongqing = region_code("重庆").unwrap_or_default();
        let beijing = region_code("北京").unwrap_or_default();
        let r = Ranking {
            home: chongqing,
            allowed: vec![0, chongqing],
            named: vec![7],
        };
        let law = r.factor(1, 0, false, 1);
        assert!(
            law > r.factor(6, chongqing, false, 2),
            "法律 above 地方性法规"
        );
        assert!(r.factor(6, chongqing, false, 2) > r.factor(6, beijing, false, 3));
        assert!(r.factor(1, 0, true, 1) < law, "repealed below in force");
        assert!(
            r.factor(1, 0, false, 7) > law,
            "a named law above the others"
        );
        let named_region = Ranking {
            allowed: vec![0, chongqing, beijing],
            ..r.clone()
        };
        assert!(named_region.factor(6, beijing, false, 3) > r.factor(6, beijing, false, 3));
    }
}
