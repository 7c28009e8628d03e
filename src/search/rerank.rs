//! The second pass of a keyword search. BM25 finds candidates with any of the query's words;
//! they are then ordered by how much of the query each covers (every word weighted by its
//! rarity), so an article with all the words comes first and one with a single common word
//! last, then by the kind of answer the question asks for (`intent`), within the tiers of
//! `rank::tier` (in force here, other provinces, repealed).

use tantivy::query::{EnableScoring, Weight};
use tantivy::schema::Value;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, TERMINATED, TantivyDocument};

use super::SearchError;
use super::compile::Unit;
use super::intent::Asked;
use super::rank::Tiers;
use super::schema::Fields;

/// Candidates re-ranked for the first pages; deeper pages re-rank enough to reach them.
pub const POOL: usize = 200;
/// How steeply missing words cost: the score is multiplied by coverage to this power.
const COVERAGE_POWER: i32 = 3;
/// The best candidates whose text is read to see whether it holds the answer asked for.
const INTENT_HEAD: usize = 40;
/// Score factor of an article holding the kind of answer asked for (per kind).
const INTENT_FACTOR: f32 = 1.6;

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
    let mut scored: Vec<(u8, Score, DocAddress)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, (score, addr))| {
            let c = covered.get(i).copied().unwrap_or(1.0);
            (tier[i], score * c.powi(COVERAGE_POWER), addr)
        })
        .collect();
    sort(&mut scored);
    if !asked.is_empty() {
        let head = scored.len().min(INTENT_HEAD);
        for entry in &mut scored[..head] {
            let doc: TantivyDocument = searcher.doc(entry.2)?;
            let text = doc.get_first(f.text).and_then(|v| v.as_str()).unwrap_or("");
            let answered = asked.answered(text) as i32;
            entry.1 *= INTENT_FACTOR.powi(answered);
        }
        sort(&mut scored[..head]);
    }
    Ok(scored.into_iter().map(|(_, s, a)| (s, a)).collect())
}

/// Tier first, then score; ties in index order so pages never shuffle.
fn sort(scored: &mut [(u8, Score, DocAddress)]) {
    scored.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.total_cmp(&a.1))
            .then((a.2.segment_ord, a.2.doc_id).cmp(&(b.2.segment_ord, b.2.doc_id)))
    });
}

/// For each address, the share of the units' weight its article matches (1.0 without units).
/// Each unit's postings are walked once per segment, skipping to the candidates in doc order.
pub fn coverage(
    searcher: &Searcher,
    units: &[Unit],
    addrs: &[DocAddress],
) -> Result<Vec<f32>, SearchError> {
    let total: f32 = units.iter().map(|u| u.weight).sum();
    if total <= 0.0 {
        return Ok(vec![1.0; addrs.len()]);
    }
    let mut in_order: Vec<usize> = (0..addrs.len()).collect();
    in_order.sort_by_key(|i| (addrs[*i].segment_ord, addrs[*i].doc_id));
    let mut covered = vec![0.0f32; addrs.len()];
    for unit in units {
        let weight = unit
            .query
            .weight(EnableScoring::disabled_from_searcher(searcher))?;
        for i in matching(searcher, weight.as_ref(), addrs, &in_order)? {
            covered[i] += unit.weight;
        }
    }
    Ok(covered.into_iter().map(|c| c / total).collect())
}

/// The indexes (into `addrs`, visited in `in_order`) of the documents `weight` matches.
fn matching(
    searcher: &Searcher,
    weight: &dyn Weight,
    addrs: &[DocAddress],
    in_order: &[usize],
) -> Result<Vec<usize>, SearchError> {
    let mut found = Vec::new();
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
            found.push(i);
        }
    }
    Ok(found)
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
