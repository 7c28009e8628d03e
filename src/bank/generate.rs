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
//! Every raw candidate goes through [`check_quality`]; of those that pass, a run takes its
//! drafts round-robin over the articles, the types mixed, and none whose stem nearly repeats
//! a question of the bank or another draft of the run (`select`).

mod build;
mod items;
mod kinds;
mod law;
mod quality;
mod select;
mod spans;
mod text;

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod kinds_tests;
#[cfg(test)]
mod measure_tests;
#[cfg(test)]
mod quality_tests;
#[cfg(test)]
mod spans_tests;
#[cfg(test)]
mod spread_tests;
#[cfg(test)]
mod tests;

use std::collections::HashSet;

use rand::Rng;

use self::law::{Candidate, Law};
use self::quality::Checker;
pub use self::quality::check_quality;
use super::model::{Basis, QuestionDraft, QuestionType};

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

/// A question already in the bank: no draft may nearly repeat its stem, and the articles it
/// cites are drawn on last.
#[derive(Debug, Clone, Copy)]
pub struct ExistingQuestion<'a> {
    pub stem: &'a str,
    pub basis: &'a [Basis],
}

/// What a run draws on besides the law's own articles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'c, 'a> {
    /// The bank's questions on the law.
    pub existing: &'c [ExistingQuestion<'c>],
    /// Articles of related laws: the distractors of a multiple choice whose kind of list
    /// the law itself has too few of.
    pub related: &'c [SourceArticle<'a>],
}

/// Generates draft questions from the articles of ONE law (all its articles, so distractors
/// and mutations can come from the same law). Pure and seeded: the same input and seed give
/// the same output. At most `max` drafts, spread over the articles and mixed over the four
/// types, the questions on numbers and lists first; returned in article order.
#[tracing::instrument(skip_all, fields(articles = articles.len(), max))]
pub fn generate(
    articles: &[SourceArticle<'_>],
    rng: &mut impl Rng,
    max: usize,
) -> Vec<QuestionDraft> {
    generate_in(articles, &Context::default(), rng, max)
}

/// `generate` for a law with questions in the bank and related laws (`Context`).
#[tracing::instrument(skip_all, fields(articles = articles.len(), existing = ctx.existing.len(), max))]
pub fn generate_in(
    articles: &[SourceArticle<'_>],
    ctx: &Context<'_, '_>,
    rng: &mut impl Rng,
    max: usize,
) -> Vec<QuestionDraft> {
    generate_counted(articles, ctx, rng, max).0
}

/// `generate`, also returning how many raw candidates were built (the pass share is the
/// candidates that passed the quality rules over these).
fn generate_counted<R: Rng>(
    articles: &[SourceArticle<'_>],
    ctx: &Context<'_, '_>,
    rng: &mut R,
    max: usize,
) -> (Vec<QuestionDraft>, usize, usize) {
    let law = Law::new(articles);
    let related = items::related_lists(ctx.related);
    let mut candidates = build::sentence_candidates(&law, rng);
    candidates.extend(items::multiple_candidates(&law, &related, rng));
    let raw = candidates.len();
    let checker = Checker::new(articles);
    let mut seen = HashSet::new();
    let passed: Vec<Candidate> = candidates
        .into_iter()
        .filter(|c| checker.check(&c.draft).is_empty())
        .filter(|c| seen.insert(dedup_key(&c.draft)))
        .collect();
    let n_passed = passed.len();
    (
        select::select(passed, ctx.existing, rng, max),
        raw,
        n_passed,
    )
}

/// Every candidate that passes the rules, before a run chooses among them (for tests of
/// the builders: a run drops near duplicates, such as a single choice on the blank of a
/// fill).
#[cfg(test)]
fn passed_candidates(articles: &[SourceArticle<'_>], rng: &mut impl Rng) -> Vec<QuestionDraft> {
    let law = Law::new(articles);
    let mut candidates = build::sentence_candidates(&law, rng);
    candidates.extend(items::multiple_candidates(&law, &[], rng));
    let checker = Checker::new(articles);
    candidates
        .into_iter()
        .map(|c| c.draft)
        .filter(|d| checker.check(d).is_empty())
        .collect()
}

/// Drafts with the same type, stem and set of options are one question.
fn dedup_key(d: &QuestionDraft) -> (QuestionType, String, Vec<String>) {
    let mut options = d.options.clone();
    options.sort();
    (d.qtype, d.stem.clone(), options)
}
