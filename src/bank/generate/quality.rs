//! The quality rules a generated question must pass, checked against the articles of its
//! law. Texts are compared normalised (`spans::normalize`): no whitespace or punctuation,
//! numerals read as numbers.
//!
//! 1. The answer occurs in the basis article (and no wrong option does).
//! 2. A false (判断 错) statement matches no article of the law.
//! 3. Options are distinct; 2–8 for choice types; a multiple has ≥ 2 right and ≥ 1 wrong.
//! 4. The basis is a real article: not the preamble, not empty, short or heading-only.
//! 5. A fill stem has as many blanks as its answer.
//! 6. Short enough for a phone: stem ≤ 120 characters, options ≤ 60; difficulty 1–5.

use std::sync::LazyLock;

use regex::Regex;

use super::SourceArticle;
use super::text::{char_len, normalize, sentences};
use crate::bank::model::{Answer, QuestionDraft, QuestionType};

pub(super) const MAX_STEM: usize = 120;
pub(super) const MAX_OPTION: usize = 60;
/// Articles with fewer characters (punctuation aside) are not worth a question.
const MIN_ARTICLE_CHARS: usize = 10;

/// `根据《信访工作条例》第二十二条，` and similar openings of a stem.
static STEM_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^根据《[^》]+》(?:第[零〇一二两三四五六七八九十百千万]+条",
        r"(?:之[零〇一二两三四五六七八九十百千万]+)?)?(?:的规定|规定)?[，,：:]"
    ))
    .unwrap()
});
/// A blank: `（ ）`, `( )` or `____`.
static BLANK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"（[ \t\u{3000}]*）|\([ \t\u{3000}]*\)|_{2,}").unwrap());
static HEADING_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第[零〇一二两三四五六七八九十百千万]+[编章节]\s*\S{0,30}$").unwrap()
});

/// The quality rules; `generate` only returns drafts that pass them. Returns the list of
/// violations (empty = pass).
pub fn check_quality(draft: &QuestionDraft, articles: &[SourceArticle<'_>]) -> Vec<String> {
    Checker::new(articles).check(draft)
}

/// Why an article cannot carry a question (rule 4), if it cannot.
pub(super) fn article_problem(article: &SourceArticle<'_>) -> Option<String> {
    let text = article.text.trim();
    if article.article_no == 0 {
        return Some("rule 4: the preamble (article 0) is not an article".into());
    }
    if HEADING_ONLY.is_match(text) {
        return Some(format!("rule 4: {} is a heading only", article.label));
    }
    if char_len(&normalize(text)) < MIN_ARTICLE_CHARS || text.contains("（删除）") {
        return Some(format!("rule 4: {} is empty or too short", article.label));
    }
    if !sentences(text).iter().any(|s| char_len(s.text) >= 6) {
        return Some(format!("rule 4: {} contains no sentence", article.label));
    }
    None
}

/// The stem without its `根据《…》第N条，` opening and final punctuation: the statement
/// (judge) or the sentence with blanks (fill, single).
pub(super) fn stem_body(stem: &str) -> &str {
    let stem = stem.trim();
    let body = STEM_PREFIX.find(stem).map_or(stem, |m| &stem[m.end()..]);
    body.trim_end_matches(['。', '？', '?', '！', '!', ' '])
}

pub(super) fn count_blanks(stem: &str) -> usize {
    BLANK.find_iter(stem).count()
}

/// Fills the blanks of `body` in order; None if the numbers differ.
fn unblank(body: &str, answers: &[&str]) -> Option<String> {
    if count_blanks(body) != answers.len() {
        return None;
    }
    let mut next = answers.iter();
    Some(
        BLANK
            .replace_all(body, |_: &regex::Captures<'_>| {
                next.next().copied().unwrap_or_default().to_string()
            })
            .into_owned(),
    )
}

/// The articles of one law, normalised once, for checking many drafts.
pub(super) struct Checker<'s, 'a> {
    articles: &'s [SourceArticle<'a>],
    norms: Vec<String>,
}

impl<'s, 'a> Checker<'s, 'a> {
    pub fn new(articles: &'s [SourceArticle<'a>]) -> Self {
        let norms = articles.iter().map(|a| normalize(a.text)).collect();
        Checker { articles, norms }
    }

    pub fn check(&self, draft: &QuestionDraft) -> Vec<String> {
        let mut v = Vec::new();
        form(draft, &mut v);
        if let Some(i) = self.basis_article(draft, &mut v) {
            self.answer_in_article(draft, i, &mut v);
            self.false_statement(draft, i, &mut v);
        }
        v
    }

    /// Rule 4: the basis names an article of these, and one that can carry a question.
    fn basis_article(&self, draft: &QuestionDraft, v: &mut Vec<String>) -> Option<usize> {
        let Some(b) = draft.basis.first() else {
            v.push("rule 4: no basis article".into());
            return None;
        };
        if b.article_no == 0 {
            v.push("rule 4: the basis is the preamble (article 0)".into());
            return None;
        }
        let found = self.articles.iter().position(|a| {
            a.law_id == b.law_id && a.article_no == b.article_no && a.article_sub == b.article_sub
        });
        let Some(i) = found else {
            v.push(format!(
                "rule 4: basis {} not among the articles",
                b.article_label
            ));
            return None;
        };
        if let Some(problem) = article_problem(&self.articles[i]) {
            v.push(problem);
            return None;
        }
        Some(i)
    }

    /// Rule 1: the answer occurs in the basis article, and no wrong option does.
    fn answer_in_article(&self, draft: &QuestionDraft, i: usize, v: &mut Vec<String>) {
        let article = &self.norms[i];
        let label = self.articles[i].label;
        let occurs = |text: &str| {
            let n = normalize(text);
            !n.is_empty() && article.contains(&n)
        };
        let body = stem_body(&draft.stem);
        match &draft.answer {
            Answer::Fill { blanks } => {
                let canonical: Vec<&str> = blanks
                    .iter()
                    .map(|b| b.first().map_or("", String::as_str))
                    .collect();
                for answer in canonical.iter().filter(|a| !occurs(a)) {
                    v.push(format!("rule 1: answer “{answer}” not in {label}"));
                }
                if unblank(body, &canonical).is_some_and(|text| !occurs(&text)) {
                    v.push(format!("rule 1: the filled-in stem is not in {label}"));
                }
            }
            Answer::Single { option } => {
                let Some(right) = draft.options.get(*option) else {
                    return;
                };
                if !occurs(right) {
                    v.push(format!("rule 1: answer “{right}” not in {label}"));
                }
                if unblank(body, &[right]).is_some_and(|text| !occurs(&text)) {
                    v.push(format!(
                        "rule 1: the stem with the answer is not in {label}"
                    ));
                }
                for (j, wrong) in draft.options.iter().enumerate() {
                    if j != *option && unblank(body, &[wrong]).is_some_and(|t| occurs(&t)) {
                        v.push(format!("rule 1: wrong option “{wrong}” also fits {label}"));
                    }
                }
            }
            Answer::Multiple { options } => {
                for (j, text) in draft.options.iter().enumerate() {
                    match (options.contains(&j), occurs(text)) {
                        (true, false) => v.push(format!("rule 1: option “{text}” not in {label}")),
                        (false, true) => {
                            v.push(format!("rule 1: wrong option “{text}” is in {label}"))
                        }
                        _ => {}
                    }
                }
            }
            Answer::Judge { correct: true } if !occurs(body) => {
                v.push(format!("rule 1: the true statement is not in {label}"));
            }
            Answer::Judge { .. } => {}
        }
    }

    /// Rule 2: a false statement matches no article of the basis law.
    fn false_statement(&self, draft: &QuestionDraft, i: usize, v: &mut Vec<String>) {
        if draft.answer != (Answer::Judge { correct: false }) {
            return;
        }
        let statement = normalize(stem_body(&draft.stem));
        if statement.is_empty() {
            v.push("rule 2: empty false statement".into());
            return;
        }
        let law_id = self.articles[i].law_id;
        for (a, norm) in self.articles.iter().zip(&self.norms) {
            if a.law_id == law_id && norm.contains(&statement) {
                v.push(format!("rule 2: the false statement matches {}", a.label));
            }
        }
    }
}

/// Rules 3, 5 and 6: the shape of the options, answer, blanks and lengths.
fn form(draft: &QuestionDraft, v: &mut Vec<String>) {
    let n = draft.options.len();
    let choice = matches!(draft.qtype, QuestionType::Single | QuestionType::Multiple);
    if choice && !(2..=8).contains(&n) {
        v.push(format!("rule 3: {n} options (2–8 needed)"));
    }
    if !choice && n > 0 {
        v.push(format!(
            "rule 3: a {} question has options",
            draft.qtype.label()
        ));
    }
    let norms: Vec<String> = draft.options.iter().map(|o| normalize(o.trim())).collect();
    for (j, o) in norms.iter().enumerate() {
        if o.is_empty() {
            v.push(format!("rule 3: option {} is empty", j + 1));
        } else if norms[..j].contains(o) {
            v.push(format!("rule 3: option “{}” repeats", draft.options[j]));
        }
    }
    match (&draft.answer, draft.qtype) {
        (Answer::Single { option }, QuestionType::Single) if *option >= n => {
            v.push(format!("rule 3: answer {option} out of {n} options"));
        }
        (Answer::Single { .. }, QuestionType::Single)
        | (Answer::Judge { .. }, QuestionType::Judge) => {}
        (Answer::Multiple { options }, QuestionType::Multiple) => {
            let ascending = options.windows(2).all(|w| w[0] < w[1]);
            if !ascending || options.iter().any(|&o| o >= n) {
                v.push("rule 3: answer indexes not ascending or out of range".into());
            }
            if options.len() < 2 || options.len() >= n {
                v.push("rule 3: a multiple needs ≥ 2 right and ≥ 1 wrong options".into());
            }
        }
        (Answer::Fill { blanks }, QuestionType::Fill) => {
            let in_stem = count_blanks(&draft.stem);
            if blanks.is_empty() || in_stem != blanks.len() {
                v.push(format!(
                    "rule 5: {in_stem} blanks in the stem, {} in the answer",
                    blanks.len()
                ));
            }
            if blanks.iter().any(|b| b.iter().all(|s| s.trim().is_empty())) {
                v.push("rule 5: a blank without an accepted answer".into());
            }
        }
        _ => v.push("rule 3: the answer does not fit the question type".into()),
    }
    let stem_len = char_len(draft.stem.trim());
    if stem_len == 0 || stem_len > MAX_STEM {
        v.push(format!(
            "rule 6: stem of {stem_len} characters (1–{MAX_STEM})"
        ));
    }
    if let Some(o) = draft.options.iter().find(|o| char_len(o) > MAX_OPTION) {
        v.push(format!(
            "rule 6: option longer than {MAX_OPTION} characters: “{o}”"
        ));
    }
    if !(1..=5).contains(&draft.difficulty) {
        v.push(format!("rule 6: difficulty {} (1–5)", draft.difficulty));
    }
}
