//! Which article does a question test? Proposes up to three articles for a question from its
//! stem and correct answer (`clues`), through the public search API only.
//!
//! The engine finds the candidates: each content word alone (whose hit count also tells how
//! rare the word is), pairs of the rarest words, and all of them at once, within the law the
//! stem names as well when it names one. The candidates are then ranked by how much of the
//! question their text covers, each word weighted by its rarity (answer words a little
//! more) and discounted for very long articles (which cover words by length alone), with
//! small bonuses for the law the stem names, for national law and for the engine's own
//! rank, which carries the hierarchy between copies of the same wording.

pub mod clues;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use self::clues::{Clues, Source};
use super::import::LawBook;
use super::import::basis::BasisRef;
use super::import::columns;
use super::import::row::parse_row;
use super::model::{Origin, QuestionDraft};
use crate::search::{SearchEngine, SearchHit, SearchRequest};

/// Candidates proposed per question.
pub const MAX_CANDIDATES: usize = 3;
/// Hits read per search.
const DEPTH: usize = 10;
/// Rarest words combined in pairs.
const PAIRED_WORDS: usize = 6;
/// Most content words used from one question (a long case stem has hundreds).
const MAX_WORDS: usize = 24;
/// Scale of the rarity weight: about the number of articles in a full corpus.
const ARTICLES: f64 = 100_000.0;
const ANSWER_WEIGHT: f64 = 1.3;
const LAW_BONUS: f64 = 0.25;
/// National law before the provinces' copies of its wording.
const NATIONAL_BONUS: f64 = 0.08;
const RANK_BONUS: f64 = 0.1;
/// Articles longer than this many characters cover more words by their length alone…
const LONG_ARTICLE: f64 = 600.0;
/// …so their coverage counts less, by this much per e-fold of length.
const LENGTH_PENALTY: f64 = 0.15;

/// One proposed article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    #[serde(skip)]
    pub article_id: i64,
    #[serde(skip)]
    pub statute_id: i64,
    /// The law version (`law.law_id`) the article was found in.
    #[serde(skip)]
    pub law_id: i64,
    pub law_title: String,
    pub article_no: u32,
    #[serde(skip)]
    pub article_sub: u32,
    pub article_label: String,
    #[serde(skip)]
    pub text: String,
    /// 0–1.4 or so; higher is better. Comparable within one question only.
    pub score: f64,
}

impl Candidate {
    /// `《信访工作条例》第二十二条`
    pub fn cite(&self) -> String {
        format!("《{}》{}", self.law_title, self.article_label)
    }
}

/// The clues of a question with the law its stem names resolved to a title.
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub clues: Clues,
    pub law_title: Option<String>,
}

impl Question {
    pub fn of(draft: &QuestionDraft, book: &LawBook) -> Question {
        let clues = clues::clues(draft);
        let law_title = clues
            .laws
            .iter()
            .find_map(|l| book.statute(l))
            .map(|id| book.title(id).to_string())
            .filter(|t| !t.is_empty());
        Question { clues, law_title }
    }
}

/// Runs the searches; remembers how many articles each word is in across questions.
pub struct Suggester {
    engine: Arc<SearchEngine>,
    hits_of_word: HashMap<(String, Option<String>), (usize, Vec<SearchHit>)>,
}

struct Pooled {
    hit: SearchHit,
    /// Σ 1/(rank+1) over the searches that found it.
    ranks: f64,
}

impl Suggester {
    pub fn new(engine: Arc<SearchEngine>) -> Suggester {
        Suggester {
            engine,
            hits_of_word: HashMap::new(),
        }
    }

    /// The total and first hits of a search; a refused one (e.g. a word that reads as an
    /// ambiguous law name) finds nothing.
    fn search(&self, q: &str, law: Option<&str>) -> (usize, Vec<SearchHit>) {
        let req = SearchRequest {
            q: q.to_string(),
            law: law.map(str::to_string),
            limit: Some(DEPTH),
            ..SearchRequest::default()
        };
        match self.engine.search(&req) {
            Ok(r) => (r.total, r.hits),
            Err(_) => (0, Vec::new()),
        }
    }

    fn word(&mut self, w: &str, law: Option<&str>) -> &(usize, Vec<SearchHit>) {
        let key = (w.to_string(), law.map(str::to_string));
        if !self.hits_of_word.contains_key(&key) {
            let found = self.search(w, law);
            self.hits_of_word.insert(key.clone(), found);
        }
        &self.hits_of_word[&key]
    }

    /// Up to `MAX_CANDIDATES` articles, best first. Blocking: call on the blocking pool.
    pub fn suggest(&mut self, q: &Question) -> Vec<Candidate> {
        let law = q.law_title.as_deref();
        let mut pool: HashMap<i64, Pooled> = HashMap::new();
        let mut add = |hits: &[SearchHit]| {
            for (rank, h) in hits.iter().enumerate() {
                let p = pool.entry(h.article_id).or_insert_with(|| Pooled {
                    hit: h.clone(),
                    ranks: 0.0,
                });
                p.ranks += 1.0 / (rank as f64 + 1.0);
            }
        };
        // Each word alone: candidates, and how rare the word is.
        let mut weighted: Vec<Weighted> = Vec::new();
        for w in q.clues.words.iter().take(MAX_WORDS) {
            let mut total = 0;
            for form in std::iter::once(&w.text).chain(&w.alt) {
                let (n, hits) = self.word(form, None).clone();
                total += n;
                add(&hits);
                if law.is_some() {
                    add(&self.word(form, law).1.clone());
                }
            }
            if total == 0 {
                continue;
            }
            let rarity = (1.0 + ARTICLES / total as f64).ln();
            let source = match w.source {
                Source::Stem => 1.0,
                Source::Answer => ANSWER_WEIGHT,
            };
            weighted.push(Weighted {
                forms: std::iter::once(w.text.clone())
                    .chain(w.alt.clone())
                    .collect(),
                weight: rarity * source,
            });
        }
        let mut rarest: Vec<&Weighted> = weighted.iter().collect();
        rarest.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        rarest.truncate(PAIRED_WORDS);
        let mut queries: Vec<String> = Vec::new();
        for (i, a) in rarest.iter().enumerate() {
            for b in &rarest[i + 1..] {
                queries.push(format!("{} {}", a.forms[0], b.forms[0]));
            }
        }
        let all: Vec<&str> = weighted.iter().map(|w| w.forms[0].as_str()).collect();
        if all.len() > 2 {
            queries.push(all.join(" "));
        }
        for text in &queries {
            add(&self.search(text, None).1);
            if law.is_some() {
                add(&self.search(text, law).1);
            }
        }
        rank(pool.into_values().collect(), &weighted, law)
    }
}

/// A content word in the forms an article may write it, and how much finding it counts.
struct Weighted {
    forms: Vec<String>,
    weight: f64,
}

/// Orders the pooled hits by weighted coverage of the words plus the bonuses.
fn rank(pool: Vec<Pooled>, words: &[Weighted], law: Option<&str>) -> Vec<Candidate> {
    let total: f64 = words.iter().map(|w| w.weight).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut scored: Vec<Candidate> = pool
        .into_iter()
        // A basis is an article: not the body of a decision without articles (`正文`, 0).
        .filter(|p| p.hit.current && !p.hit.repealed && p.hit.article_no > 0)
        .map(|p| {
            let covered: f64 = words
                .iter()
                .filter(|w| w.forms.iter().any(|f| p.hit.text.contains(f.as_str())))
                .map(|w| w.weight)
                .sum();
            let length = p.hit.text.chars().count() as f64;
            let long = (length / LONG_ARTICLE).ln().max(0.0);
            let mut score = covered / total / (1.0 + LENGTH_PENALTY * long)
                + RANK_BONUS * (p.ranks / (p.ranks + 1.0));
            if law == Some(p.hit.law_title.as_str()) {
                score += LAW_BONUS;
            }
            if p.hit.region == "全国" {
                score += NATIONAL_BONUS;
            }
            let h = p.hit;
            Candidate {
                article_id: h.article_id,
                statute_id: h.statute_id,
                law_id: h.law_id,
                law_title: h.law_title,
                article_no: h.article_no,
                article_sub: h.article_sub,
                article_label: h.article_label,
                text: h.text,
                score: (score * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.article_id.cmp(&b.article_id))
    });
    scored.truncate(MAX_CANDIDATES);
    scored
}

/// Candidates for each question, on the blocking pool.
pub async fn suggest_all(
    engine: &Arc<SearchEngine>,
    questions: Vec<Question>,
) -> Result<Vec<Vec<Candidate>>, super::BankError> {
    let engine = Arc::clone(engine);
    tokio::task::spawn_blocking(move || {
        let mut s = Suggester::new(engine);
        questions.iter().map(|q| s.suggest(q)).collect()
    })
    .await
    .map_err(|e| super::BankError::Internal(e.to_string()))
}

/// A question read from a bank file, for the suggester.
#[derive(Debug, Clone)]
pub struct BankRow {
    /// The row as the spreadsheet shows it (the header is row 1), or the position in a JSON
    /// array from 1.
    pub row: usize,
    pub draft: QuestionDraft,
    /// The articles the file cites for it (its 依据 column), not yet looked up.
    pub refs: Vec<BasisRef>,
}

/// A row that is not a question: its number and why.
pub type Unread = (usize, String);

/// Reads a bank file as the import does (any of its formats). Rows that are not questions are
/// returned as (row, problems) so the caller can report them.
pub fn read_bank(
    file_name: &str,
    bytes: &[u8],
) -> Result<(Vec<BankRow>, Vec<Unread>), super::BankError> {
    let raw = columns::read_file(file_name, bytes).map_err(super::BankError::File)?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for r in &raw {
        let p = parse_row(r, Origin::Imported);
        match p.draft {
            Some(draft) => rows.push(BankRow {
                row: p.row,
                draft,
                refs: p.refs,
            }),
            None => {
                let why: Vec<String> = p
                    .problems
                    .iter()
                    .map(|(c, m)| format!("{c}：{m}"))
                    .collect();
                problems.push((p.row, why.join("；")));
            }
        }
    }
    Ok((rows, problems))
}
