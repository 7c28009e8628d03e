//! Choosing the drafts of a run from the candidates that passed the quality rules:
//! round-robin over the law's articles (in a seeded order, the articles the bank covers
//! least first), at most `ceil(max / articles) + SLACK` per article, the types mixed, and
//! no stem a near duplicate of a question already in the bank or of another draft.

use std::collections::HashMap;

use rand::Rng;
use rand::seq::SliceRandom;

use super::ExistingQuestion;
use super::law::Candidate;
use super::quality::stem_body;
use super::text::normalize;
use crate::bank::model::{QuestionDraft, QuestionType};

/// Two stems whose bodies (the `根据《…》第N条，` opening and punctuation dropped) share this
/// share of their character bigrams (Jaccard) ask the same thing. Measured on 信访工作条例
/// and 行政处罚法 (`measure_stem_similarity`): questions on different sentences of a law
/// stay below 0.4 but for a handful of parallel clauses, while a blank moved within one
/// sentence (`在（ ）内作出` / `（ ）在15日内作出`), a mutated number or the sentence stated
/// true score 0.6 and above.
pub(super) const NEAR_DUPLICATE: f64 = 0.6;
/// How many more drafts than its fair share one article may give, so articles with many
/// facts make up for those with few.
pub(super) const SLACK: usize = 1;

const TYPES: [QuestionType; 4] = [
    QuestionType::Fill,
    QuestionType::Single,
    QuestionType::Judge,
    QuestionType::Multiple,
];

/// The sorted, distinct character bigrams of a stem's body (its characters if it has one).
pub(super) fn fingerprint(stem: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = normalize(stem_body(stem)).chars().collect();
    let mut grams: Vec<(char, char)> = match chars.as_slice() {
        [c] => vec![(*c, *c)],
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Jaccard similarity of two fingerprints.
pub(super) fn similarity(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// The stems a draft must not nearly repeat: the bank's and the run's so far.
struct Taken {
    stems: Vec<Vec<(char, char)>>,
}

impl Taken {
    /// Whether `f` nearly repeats one of the stems from `from` on.
    fn near_duplicate(&self, f: &[(char, char)], from: usize) -> bool {
        // Jaccard ≥ t needs the smaller set to be at least t of the larger one.
        self.stems[from..].iter().any(|s| {
            let (lo, hi) = (s.len().min(f.len()), s.len().max(f.len()));
            lo as f64 >= NEAR_DUPLICATE * hi as f64 && similarity(s, f) >= NEAR_DUPLICATE
        })
    }
}

/// One article's candidates, best first, with their fingerprints.
struct Pool {
    article: usize,
    candidates: Vec<(Candidate, Vec<(char, char)>)>,
    taken: usize,
    /// How many of the taken stems the remaining candidates have been checked against.
    checked: usize,
}

/// Up to `max` drafts, spread over the articles and mixed over the types; returned in
/// article order.
pub(super) fn select<R: Rng>(
    mut passed: Vec<Candidate>,
    existing: &[ExistingQuestion<'_>],
    rng: &mut R,
    max: usize,
) -> Vec<QuestionDraft> {
    passed.shuffle(rng);
    passed.sort_by_key(|c| c.priority);
    let mut pools: Vec<Pool> = Vec::new();
    for c in passed {
        let f = fingerprint(&c.draft.stem);
        match pools.iter_mut().find(|p| p.article == c.article) {
            Some(p) => p.candidates.push((c, f)),
            None => pools.push(Pool {
                article: c.article,
                candidates: vec![(c, f)],
                taken: 0,
                checked: 0,
            }),
        }
    }
    let covered = coverage(existing);
    pools.shuffle(rng);
    // Every pool has a candidate, and every candidate one basis (`Law::draft`).
    pools.sort_by_key(|p| {
        let best = p.candidates.first().map(|(c, _)| c);
        let n = best
            .and_then(|c| c.draft.basis.first())
            .and_then(|b| covered.get(&(b.law_id, b.article_no, b.article_sub)));
        (
            n.copied().unwrap_or(0),
            best.map_or(u8::MAX, |c| c.priority),
        )
    });
    let cap = max.div_ceil(pools.len().max(1)).saturating_add(SLACK);
    let mut taken = Taken {
        stems: existing.iter().map(|q| fingerprint(q.stem)).collect(),
    };
    let mut per_type = [0usize; TYPES.len()];
    let mut chosen: Vec<(usize, usize, Candidate)> = Vec::new();
    let mut progress = true;
    while chosen.len() < max && progress {
        progress = false;
        for pool in &mut pools {
            if chosen.len() >= max || pool.taken >= cap {
                continue;
            }
            if let Some((c, f)) = pick(pool, &taken, &per_type) {
                let t = type_index(c.draft.qtype);
                per_type[t] += 1;
                pool.taken += 1;
                taken.stems.push(f);
                chosen.push((t, chosen.len(), c));
                progress = true;
            }
        }
    }
    chosen.sort_by_key(|(t, seq, c)| (c.article, *t, *seq));
    chosen.into_iter().map(|(_, _, c)| c.draft).collect()
}

/// The article's best candidate of the type the run has fewest of, skipping (and
/// dropping for good) near duplicates of what is taken.
fn pick(
    pool: &mut Pool,
    taken: &Taken,
    per_type: &[usize; TYPES.len()],
) -> Option<(Candidate, Vec<(char, char)>)> {
    let from = pool.checked;
    pool.candidates
        .retain(|(_, f)| !taken.near_duplicate(f, from));
    pool.checked = taken.stems.len();
    let best = (0..pool.candidates.len())
        .min_by_key(|&i| (per_type[type_index(pool.candidates[i].0.draft.qtype)], i))?;
    Some(pool.candidates.remove(best))
}

fn type_index(t: QuestionType) -> usize {
    TYPES.iter().position(|x| *x == t).unwrap_or(0)
}

/// How many questions of the bank cite each article (law version, number, sub-number).
fn coverage(existing: &[ExistingQuestion<'_>]) -> HashMap<(i64, u32, u32), usize> {
    let mut out = HashMap::new();
    for q in existing {
        for b in q.basis {
            *out.entry((b.law_id, b.article_no, b.article_sub))
                .or_insert(0) += 1;
        }
    }
    out
}
