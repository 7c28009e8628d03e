//! The second pass of a keyword search. BM25 finds candidates with any of the query's words;
//! they are then ordered by how much of the query each covers (every word weighted by its
//! rarity), so an article with all the words comes first and one with a single common word
//! last, then by the kind of answer the question asks for (`intent`), within the tiers of
//! `rank::tier` (in force here, other provinces, repealed).

use std::collections::HashSet;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, Weight};
use tantivy::schema::Value;
use tantivy::{
    DocAddress, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, TantivyDocument,
};

use super::SearchError;
use super::compile::{Clauses, Unit, clone_clauses};
use super::intent::Asked;
use super::rank::{Ranking, Tiers, Tweak};
use super::schema::Fields;

/// Candidates re-ranked for the first pages; deeper pages re-rank enough to reach them.
pub const POOL: usize = 200;
/// How steeply missing words cost: the score is multiplied by coverage to this power.
const COVERAGE_POWER: i32 = 2;
/// The best candidates whose text is read to see whether it holds the answer asked for.
const INTENT_HEAD: usize = 40;
/// Score factor of an article holding the kind of answer asked for (per kind).
const INTENT_FACTOR: f32 = 2.0;

/// Units at least this rare (BM25 IDF; about one article in 50) get their own candidates.
const RARE_UNIT: f32 = 4.0;
/// The rarest units that get their own candidates (an exam stem has dozens of words).
const RARE_UNITS: usize = 6;
/// Candidates taken per rare unit.
const PER_UNIT: usize = 50;

/// A candidate with its final score.
pub type Ranked = (Score, DocAddress);

/// Orders the candidates (BM25 with the hierarchy factors) best first.
pub fn order(
    searcher: &Searcher,
    f: &Fields,
    units: &[Unit],
    asked: &Asked,
    tiers: &Tiers,
    candidates: Vec<Ranked>,
) -> Result<Vec<Ranked>, SearchError> {
    let addrs: Vec<DocAddress> = candidates.iter().map(|(_, a)| *a).collect();
    let covered = coverage(searcher, units, &addrs)?;
    let tier = tiers.of(searcher, &addrs);
    // With each candidate's place in `candidates`, to find its coverage after sorting.
    let mut scored: Vec<(u8, Score, DocAddress, usize)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, (score, addr))| {
            let c = covered.share(i, &[]);
            (tier[i], score * c.powi(COVERAGE_POWER), addr, i)
        })
        .collect();
    sort(&mut scored);
    if !asked.is_empty() {
        let head = scored.len().min(INTENT_HEAD);
        for entry in &mut scored[..head] {
            let doc: TantivyDocument = searcher.doc(entry.2)?;
            let text = doc.get_first(f.text).and_then(|v| v.as_str()).unwrap_or("");
            let answered = asked.answered(text);
            // The answer stands for the word that asked for it: 六个月内 answers 起诉期限
            // without saying 期限.
            let asking: Vec<usize> = (0..units.len())
                .filter(|u| answered.iter().any(|k| asked.asks(*k, &units[*u].label)))
                .collect();
            let (before, after) = (covered.share(entry.3, &[]), covered.share(entry.3, &asking));
            if before > 0.0 {
                entry.1 *= (after / before).powi(COVERAGE_POWER);
            }
            entry.1 *= INTENT_FACTOR.powi(answered.len() as i32);
        }
        sort(&mut scored[..head]);
    }
    Ok(scored.into_iter().map(|(_, s, a, _)| (s, a)).collect())
}

/// BM25 alone fills its pool with the articles that repeat a common word of the query (公司
/// in every article of the 公司法, for 公司裁员) and can miss the one that holds the rarer
/// words. When the pool is full, the best articles for each of the rarest units are added,
/// each with the score the whole query and the hierarchy give it, so `order` weighs them by
/// coverage too.
pub struct Widen<'a> {
    /// The keyword query with its filters, as the BM25 pool was drawn.
    pub query: &'a dyn Query,
    /// The filters alone (version, law, category).
    pub filters: &'a Clauses,
    pub units: &'a [Unit],
    /// How many articles the query matches.
    pub count: usize,
}

impl Widen<'_> {
    pub fn add(
        &self,
        searcher: &Searcher,
        ranking: &Ranking,
        mut candidates: Vec<Ranked>,
    ) -> Result<Vec<Ranked>, SearchError> {
        if self.units.len() < 2 || self.count <= candidates.len() {
            return Ok(candidates);
        }
        let mut rare: Vec<&Unit> = self
            .units
            .iter()
            .filter(|u| u.weight >= RARE_UNIT)
            .collect();
        rare.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        rare.truncate(RARE_UNITS);
        let mut seen: HashSet<DocAddress> = candidates.iter().map(|(_, a)| *a).collect();
        let mut extra = Vec::new();
        for unit in rare {
            let mut clauses = vec![(Occur::Must, unit.query.box_clone())];
            clauses.extend(clone_clauses(self.filters));
            let top = TopDocs::with_limit(PER_UNIT).tweak_score(ranking.tweak());
            for (_, addr) in searcher.search(&BooleanQuery::new(clauses), &top)? {
                if seen.insert(addr) {
                    extra.push(addr);
                }
            }
        }
        let scores = scores(searcher, self.query, &extra, ranking.tweak())?;
        candidates.extend(scores.into_iter().zip(extra));
        Ok(candidates)
    }
}

/// The score `query` and the ranking tweak give each address (as the BM25 pool has them).
fn scores(
    searcher: &Searcher,
    query: &dyn Query,
    addrs: &[DocAddress],
    ranking: impl Fn(&SegmentReader) -> Tweak,
) -> Result<Vec<Score>, SearchError> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut out = vec![0.0; addrs.len()];
    let mut tweak: Option<(u32, Tweak)> = None;
    walk(
        searcher,
        weight.as_ref(),
        addrs,
        &in_doc_order(addrs),
        |i, reader, scorer| {
            let DocAddress {
                segment_ord,
                doc_id,
            } = addrs[i];
            if tweak.as_ref().is_none_or(|(ord, _)| *ord != segment_ord) {
                tweak = Some((segment_ord, ranking(reader)));
            }
            if let Some((_, t)) = &tweak {
                out[i] = t(doc_id, scorer.score());
            }
        },
    )?;
    Ok(out)
}

/// Tier first, then score; ties in index order so pages never shuffle.
fn sort(scored: &mut [(u8, Score, DocAddress, usize)]) {
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then((a.2.segment_ord, a.2.doc_id).cmp(&(b.2.segment_ord, b.2.doc_id)))
    });
}

/// Which units each candidate's article matches, to weigh its share of the query.
pub struct Covered {
    /// Per address, per unit: matched.
    matched: Vec<Vec<bool>>,
    weights: Vec<f32>,
    total: f32,
}

impl Covered {
    /// The share of the units' weight address `i` matches, counting `granted` units as
    /// matched (1.0 without units).
    pub fn share(&self, i: usize, granted: &[usize]) -> f32 {
        if self.total <= 0.0 {
            return 1.0;
        }
        let Some(matched) = self.matched.get(i) else {
            return 1.0;
        };
        let sum: f32 = self
            .weights
            .iter()
            .enumerate()
            .filter(|(u, _)| matched[*u] || granted.contains(u))
            .map(|(_, w)| w)
            .sum();
        sum / self.total
    }
}

/// For each address, the units its article matches. Each unit's postings are walked once per
/// segment, skipping to the candidates in doc order.
pub fn coverage(
    searcher: &Searcher,
    units: &[Unit],
    addrs: &[DocAddress],
) -> Result<Covered, SearchError> {
    let weights: Vec<f32> = units.iter().map(|u| u.weight).collect();
    let total = weights.iter().sum();
    let mut matched = vec![vec![false; units.len()]; addrs.len()];
    if total > 0.0 {
        let in_order = in_doc_order(addrs);
        for (u, unit) in units.iter().enumerate() {
            let weight = unit
                .query
                .weight(EnableScoring::disabled_from_searcher(searcher))?;
            walk(searcher, weight.as_ref(), addrs, &in_order, |i, _, _| {
                matched[i][u] = true;
            })?;
        }
    }
    Ok(Covered {
        matched,
        weights,
        total,
    })
}

/// The indexes of `addrs` sorted by segment and document, the order postings are walked in.
fn in_doc_order(addrs: &[DocAddress]) -> Vec<usize> {
    let mut in_order: Vec<usize> = (0..addrs.len()).collect();
    in_order.sort_by_key(|i| (addrs[*i].segment_ord, addrs[*i].doc_id));
    in_order
}

/// Calls `found` with the index (into `addrs`, visited in `in_order`), the segment and the
/// scorer positioned on it, for each document `weight` matches. Each segment's postings are
/// walked once, skipping forward to the next address.
fn walk(
    searcher: &Searcher,
    weight: &dyn Weight,
    addrs: &[DocAddress],
    in_order: &[usize],
    mut found: impl FnMut(usize, &SegmentReader, &mut dyn Scorer),
) -> Result<(), SearchError> {
    let mut segment = None;
    let mut scorer = None;
    for &i in in_order {
        let DocAddress {
            segment_ord,
            doc_id,
        } = addrs[i];
        if segment != Some(segment_ord) {
            let reader = searcher.segment_reader(segment_ord);
            scorer = Some(weight.scorer(reader, 1.0)?);
            segment = Some(segment_ord);
        }
        let Some(s) = scorer.as_mut() else { continue };
        if advance_to(s.as_mut(), doc_id) == doc_id {
            found(i, searcher.segment_reader(segment_ord), s.as_mut());
        }
    }
    Ok(())
}

/// Moves forward to `target` (never back); the document reached.
fn advance_to<D: DocSet + ?Sized>(docs: &mut D, target: DocId) -> DocId {
    let at = docs.doc();
    if at == TERMINATED || at >= target {
        at
    } else {
        docs.seek(target)
    }
}
