//! Question generation from the law texts. Pure and seeded: the articles of one law and a
//! `&mut impl Rng` in, drafts out; the same input and seed give the same drafts.
//!
//! Questions are built on sentences (an article split at `。`, `；` and line ends) and the
//! key spans in them — time limits (`15日`, `二十个工作日`), amounts (`一千元`), counts
//! (`三人`), multiples, the obligated party and the modal verbs 应当/可以/不得:
//! - 填空: a span blanked `（ ）`, Arabic and Chinese numeral forms accepted;
//! - 单选: a span blanked, with 3 distractors of the same kind from the same law (other
//!   time limits for a time limit, written in the answer's numerals; other parties; for a
//!   modal verb the other two of 应当/可以/不得);
//! - 判断: the sentence as written (对), or with one span changed to another time limit
//!   (amount, count) of the law, 应当→可以, 不得→可以, 可以→应当/不得 (错) — never
//!   matching any article of the law;
//! - 多选: 2–4 of an article's enumerated 项 mixed with 1–3 items of other articles.
//!
//! Every raw candidate goes through [`check_quality`]; only those that pass come out.

mod build;
mod items;
mod law;
mod quality;
mod spans;
mod text;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod quality_tests;
#[cfg(test)]
mod spans_tests;
#[cfg(test)]
mod tests;

use std::collections::{HashSet, VecDeque};

use rand::Rng;
use rand::seq::SliceRandom;

use self::law::{Candidate, Law};
use self::quality::Checker;
pub use self::quality::check_quality;
use super::model::{QuestionDraft, QuestionType};

/// One article of one law version, as the generator sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceArticle<'a> {
    pub law_id: i64,
    pub law_title: &'a str,
    pub article_no: u32,
    pub article_sub: u32,
    /// e.g. 第二十二条
    pub label: &'a str,
    /// The article's text, one paragraph per line (`Article::text()`).
    pub text: &'a str,
}

/// Generates draft questions from the articles of ONE law (all its articles, so distractors
/// and mutations can come from the same law). Pure and seeded: the same input and seed give
/// the same output. At most `max` drafts, mixed over the four types, the questions on
/// numbers and lists first; returned in article order.
#[tracing::instrument(skip_all, fields(articles = articles.len(), max))]
pub fn generate(
    articles: &[SourceArticle<'_>],
    rng: &mut impl Rng,
    max: usize,
) -> Vec<QuestionDraft> {
    generate_counted(articles, rng, max).0
}

/// `generate`, also returning how many raw candidates were built (the pass share is the
/// candidates that passed the quality rules over these).
fn generate_counted<R: Rng>(
    articles: &[SourceArticle<'_>],
    rng: &mut R,
    max: usize,
) -> (Vec<QuestionDraft>, usize, usize) {
    let law = Law::new(articles);
    let mut candidates = build::sentence_candidates(&law, rng);
    candidates.extend(items::multiple_candidates(&law, rng));
    let raw = candidates.len();
    let checker = Checker::new(articles);
    let mut seen = HashSet::new();
    let passed: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| checker.check(&c.draft).is_empty())
        .filter(|c| seen.insert(dedup_key(&c.draft)))
        .collect();
    let n_passed = passed.len();
    (select(passed, rng, max), raw, n_passed)
}

/// Drafts with the same type, stem and set of options are one question.
fn dedup_key(d: &QuestionDraft) -> (QuestionType, String, Vec<String>) {
    let mut options = d.options.clone();
    options.sort();
    (d.qtype, d.stem.clone(), options)
}

/// Takes up to `max` drafts round-robin over the types (so a small `max` still mixes
/// them), each type's drafts shuffled and then ordered by priority; returns them in
/// article order.
fn select<R: Rng>(mut passed: Vec<Candidate>, rng: &mut R, max: usize) -> Vec<QuestionDraft> {
    const TYPES: [QuestionType; 4] = [
        QuestionType::Fill,
        QuestionType::Single,
        QuestionType::Judge,
        QuestionType::Multiple,
    ];
    passed.shuffle(rng);
    passed.sort_by_key(|c| c.priority);
    let mut queues: Vec<VecDeque<(usize, usize, Candidate)>> =
        TYPES.iter().map(|_| VecDeque::new()).collect();
    for (seq, c) in passed.into_iter().enumerate() {
        let t = TYPES.iter().position(|t| *t == c.draft.qtype).unwrap_or(0);
        queues[t].push_back((t, seq, c));
    }
    let mut chosen = Vec::new();
    while chosen.len() < max && queues.iter().any(|q| !q.is_empty()) {
        for q in &mut queues {
            if chosen.len() < max {
                chosen.extend(q.pop_front());
            }
        }
    }
    chosen.sort_by_key(|(t, seq, c)| (c.article, *t, *seq));
    chosen.into_iter().map(|(_, _, c)| c.draft).collect()
}
