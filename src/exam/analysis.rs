//! Item analysis of a graded exam: per question how many answered it, its facility, its
//! discrimination and the choices its options drew, with flags for questions that are too
//! easy, too hard or discriminate the wrong way; per basis article the share of wrong
//! answers (which articles the candidates do not know). Pure functions over the candidates'
//! counted attempts; `analysis_view` reads them and scopes them for an administrator.
//!
//! - **Facility** is the mean credit over the candidates whose paper had the question: an
//!   item's earned points divided by its points, so partial credit counts as its share and
//!   an unanswered item as 0.
//! - **Discrimination** uses the upper-minus-lower *third* method (not Kelley's 27%): the
//!   candidates are ranked by total score (ties by user id, so the split is reproducible),
//!   the top `n / 3` (rounded down) form the upper group and the bottom `n / 3` the lower
//!   one; an item's discrimination is the facility in the upper group minus the facility in
//!   the lower group, each over the group members whose paper had it. None when either
//!   group is empty or no member of it had the question (papers drawn from a pool).
//! - **Wrong share** per article: of the items citing the article that candidates had, the
//!   share not earning full points.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::bank::model::QuestionType;
use crate::corpus::numerals::{anchor, article_label};

pub const TOO_EASY: f64 = 0.9;
pub const TOO_HARD: f64 = 0.2;

/// One item of a candidate's counted attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub question_id: i64,
    /// The version it was graded with.
    pub version_id: i64,
    /// Hundredths.
    pub points: i64,
    pub earned: i64,
    pub answered: bool,
    /// Options picked, as indexes in the question's own order (shuffling undone).
    pub picked: Vec<usize>,
}

/// A candidate: their counted score and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub user_id: i64,
    pub score: i64,
    pub items: Vec<Item>,
}

/// What the analysis shows of a question version.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    pub qtype: QuestionType,
    pub stem: String,
    pub options: Vec<String>,
    /// Indexes of the right options (single and multiple choice).
    pub key: Vec<usize>,
}

/// An article a version cites.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Article {
    pub law_id: i64,
    pub law_title: String,
    pub article_no: u32,
    pub article_sub: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    TooEasy,
    TooHard,
    NegativeDiscrimination,
}

impl Flag {
    pub fn label(self) -> &'static str {
        match self {
            Flag::TooEasy => "过易",
            Flag::TooHard => "过难",
            Flag::NegativeDiscrimination => "区分度为负",
        }
    }
}

/// How many candidates picked an option, keyed by the question's own letter (A = its first
/// option), not the shuffled letter a candidate saw.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OptionCount {
    pub key: String,
    pub text: String,
    pub count: i64,
    /// Whether the option is right; absent until the exam has closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionStats {
    pub question_id: i64,
    /// single, multiple, judge, fill
    pub qtype: String,
    pub stem: String,
    /// Candidates whose paper had it.
    pub seen: i64,
    pub answered: i64,
    /// 0–1, rounded to 3 places; None when nobody had it.
    pub facility: Option<f64>,
    /// −1–1, rounded to 3 places.
    pub discrimination: Option<f64>,
    /// Single and multiple choice only.
    pub options: Vec<OptionCount>,
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ArticleStats {
    pub law_id: i64,
    pub law_title: String,
    pub article_no: u32,
    pub article_sub: u32,
    /// e.g. 第十五条
    pub article_label: String,
    /// `/laws/{law_id}#art-15`
    pub url: String,
    /// Items citing it that candidates had, and how many of those were not fully right.
    pub answers: i64,
    pub wrong: i64,
    /// wrong / answers, rounded to 3 places.
    pub wrong_share: f64,
}

/// The numbers, before the exam's title and scope are added.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub candidates: usize,
    /// Size of the upper and of the lower group.
    pub group_size: usize,
    /// In paper order of first appearance (by question id for ties).
    pub questions: Vec<QuestionStats>,
    /// Worst known first.
    pub articles: Vec<ArticleStats>,
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn credit(item: &Item) -> f64 {
    if item.points <= 0 {
        0.0
    } else {
        item.earned as f64 / item.points as f64
    }
}

/// Credit sum and count of a question, per group.
#[derive(Default)]
struct Acc {
    seen: i64,
    answered: i64,
    credit: f64,
    upper: (f64, i64),
    lower: (f64, i64),
    picks: BTreeMap<usize, i64>,
    /// The newest version graded (the one shown).
    version_id: i64,
}

fn share((sum, n): (f64, i64)) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

/// Analyses the candidates' counted attempts. `show_key` marks the right options (only once
/// the exam has closed).
pub fn analyse(
    candidates: &[Candidate],
    versions: &HashMap<i64, Version>,
    basis: &HashMap<i64, Vec<Article>>,
    show_key: bool,
) -> Analysis {
    let mut ranked: Vec<&Candidate> = candidates.iter().collect();
    ranked.sort_by_key(|c| (std::cmp::Reverse(c.score), c.user_id));
    let n = ranked.len();
    let g = n / 3;
    let mut order: Vec<i64> = Vec::new();
    let mut acc: HashMap<i64, Acc> = HashMap::new();
    let mut articles: BTreeMap<&Article, (i64, i64)> = BTreeMap::new();
    for (rank, c) in ranked.iter().enumerate() {
        for item in &c.items {
            let a = acc.entry(item.question_id).or_insert_with(|| {
                order.push(item.question_id);
                Acc::default()
            });
            let cr = credit(item);
            a.seen += 1;
            a.answered += i64::from(item.answered);
            a.credit += cr;
            if rank < g {
                a.upper = (a.upper.0 + cr, a.upper.1 + 1);
            } else if rank >= n - g {
                a.lower = (a.lower.0 + cr, a.lower.1 + 1);
            }
            for &p in &item.picked {
                *a.picks.entry(p).or_default() += 1;
            }
            a.version_id = a.version_id.max(item.version_id);
            for art in basis.get(&item.version_id).into_iter().flatten() {
                let e = articles.entry(art).or_default();
                e.0 += 1;
                e.1 += i64::from(item.earned < item.points);
            }
        }
    }
    let questions = order
        .iter()
        .filter_map(|q| Some((*q, acc.get(q)?)))
        .map(|(q, a)| question_stats(q, a, versions.get(&a.version_id), show_key))
        .collect();
    let mut articles: Vec<ArticleStats> = articles
        .into_iter()
        .map(|(art, (answers, wrong))| ArticleStats {
            law_id: art.law_id,
            law_title: art.law_title.clone(),
            article_no: art.article_no,
            article_sub: art.article_sub,
            article_label: article_label(art.article_no, art.article_sub),
            url: format!(
                "/laws/{}#{}",
                art.law_id,
                anchor(art.article_no, art.article_sub)
            ),
            answers,
            wrong,
            wrong_share: round3(wrong as f64 / answers.max(1) as f64),
        })
        .collect();
    // Worst first; among equals the one more people got wrong, then the law's order.
    articles.sort_by(|a, b| {
        (b.wrong * a.answers)
            .cmp(&(a.wrong * b.answers))
            .then(b.wrong.cmp(&a.wrong))
            .then((a.law_id, a.article_no, a.article_sub).cmp(&(
                b.law_id,
                b.article_no,
                b.article_sub,
            )))
    });
    Analysis {
        candidates: n,
        group_size: g,
        questions,
        articles,
    }
}

fn question_stats(q: i64, a: &Acc, v: Option<&Version>, show_key: bool) -> QuestionStats {
    let facility = share((a.credit, a.seen));
    let discrimination = match (share(a.upper), share(a.lower)) {
        (Some(u), Some(l)) => Some(u - l),
        _ => None,
    };
    let mut flags = Vec::new();
    if facility.is_some_and(|f| f > TOO_EASY) {
        flags.push(Flag::TooEasy);
    }
    if facility.is_some_and(|f| f < TOO_HARD) {
        flags.push(Flag::TooHard);
    }
    if discrimination.is_some_and(|d| d < -1e-9) {
        flags.push(Flag::NegativeDiscrimination);
    }
    let choice =
        v.is_some_and(|v| matches!(v.qtype, QuestionType::Single | QuestionType::Multiple));
    let options = match v {
        Some(v) if choice => v
            .options
            .iter()
            .enumerate()
            .map(|(i, text)| OptionCount {
                key: char::from(b'A' + (i as u8).min(25)).to_string(),
                text: text.clone(),
                count: a.picks.get(&i).copied().unwrap_or(0),
                correct: show_key.then(|| v.key.contains(&i)),
            })
            .collect(),
        _ => Vec::new(),
    };
    QuestionStats {
        question_id: q,
        qtype: v.map_or("", |v| v.qtype.as_str()).to_string(),
        stem: v.map(|v| v.stem.clone()).unwrap_or_default(),
        seen: a.seen,
        answered: a.answered,
        facility: facility.map(round3),
        discrimination: discrimination.map(round3),
        options,
        flags,
    }
}

#[cfg(test)]
#[path = "analysis_tests.rs"]
mod tests;
