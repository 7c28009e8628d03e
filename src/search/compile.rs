//! From query words to a tantivy query: lexicon expansion, fallback to shorter words, field
//! weights and the proximity bonus.

use std::cell::RefCell;
use std::collections::HashMap;

use tantivy::collector::Count;
use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, QueryClone, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::SearchError;
use super::intent::{is_question_word, join_question_words, meaningful};
use super::lexicon::{Lexicon, Segment};
use super::schema::Fields;
use super::tokenizer::{cut_query, everyday_rarity, sub_words};

/// Clauses of a boolean query.
pub type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Field weights: a word in a heading says more than one in the text. A title word counts like
/// a text word: weighed more, every article of a law on 赌博 outranked the statute's one
/// article on it (measured with `xuefa bench-relevance`).
const FIELD_BOOSTS: [(FieldKind, f32); 4] = [
    (FieldKind::Text, 1.0),
    (FieldKind::Heading, 1.5),
    (FieldKind::Title, 1.0),
    (FieldKind::ShortTitle, 1.0),
];

/// Weight of a colloquial word the statutes do not use (加班工资): texts that use it are
/// mostly lower-level rules and explanations, not the statute that answers.
const COLLOQUIAL_BOOST: f32 = 0.4;

/// Most a one-character word of the query counts for coverage. As a token of its own it is
/// rare (IDF 7–10: the character mostly stands inside words), which let a stray 格 of
/// 商店/不标价/格 or 签 of 租房合同最长签几年 outweigh the words that say what is asked.
/// About one article in 50, as `rerank::RARE_UNIT`; measured with `xuefa bench-relevance`.
const LONE_CHARACTER_WEIGHT: f32 = 4.0;

/// A word counts for coverage at most this much above its rarity in everyday Chinese
/// (`tokenizer::everyday_rarity`): words of speech (说, 不用, 这种) are rare in the statutes
/// only because statutes do not talk that way, and must not outweigh 宾馆 or 土葬. Words the
/// statutes use often are weighed by their statute rarity as before. 0–4 measured with
/// `xuefa bench-relevance`; 1 helped colloquial queries most and hurt no class.
const EVERYDAY_SLACK: f32 = 1.0;

/// Articles assumed to hold a character found only inside longer words (its weight; counting
/// them would cost a pass over the matches).
const INSIDE_DOC_FREQ: u64 = 1000;

/// How far apart (in tokens) and how much two typed-together words count when near each other.
const PROXIMITY_SLOP: u32 = 3;
const PROXIMITY_BOOST: f32 = 0.8;

#[derive(Clone, Copy)]
enum FieldKind {
    Text,
    Heading,
    Title,
    ShortTitle,
}

/// Builds query clauses against one searcher (whose term statistics guide the fallbacks).
pub struct Compiler<'a> {
    pub searcher: &'a Searcher,
    pub f: &'a Fields,
    pub lexicon: &'a Lexicon,
    /// Words already looked up: a word is checked when split and again when compiled.
    doc_freqs: RefCell<HashMap<String, u64>>,
}

impl<'a> Compiler<'a> {
    pub fn new(searcher: &'a Searcher, f: &'a Fields, lexicon: &'a Lexicon) -> Compiler<'a> {
        Compiler {
            searcher,
            f,
            lexicon,
            doc_freqs: RefCell::default(),
        }
    }
}

impl Compiler<'_> {
    /// The keywords as alternatives (an article needs only one of them to be found) and as
    /// units of meaning for the coverage ranking; a lexicon term matches its own words or any
    /// of its statutory words. Quoted phrases add their words as requirements (checked
    /// verbatim later).
    pub fn keywords(&self, keywords: &str, phrases: &[String]) -> Result<Compiled, SearchError> {
        let mut out = Compiled::default();
        let chunks = keywords
            .split_whitespace()
            .map(|c| (c, Occur::Should))
            .chain(phrases.iter().map(|p| (p.as_str(), Occur::Must)));
        for (chunk, occur) in chunks {
            let words = self.split_unknown(join_question_words(cut_query(chunk)))?;
            // Lexicon terms first: a term may end in a function word (私了 is 私 + 了).
            let segments = meaningful(
                self.lexicon
                    .segment(&words, |rest| join_question_words(cut_query(rest))),
                |s| match s {
                    Segment::Plain(w) => Some(w.as_str()),
                    Segment::Term { .. } => None,
                },
            );
            let mut run: Vec<String> = Vec::new();
            for segment in segments {
                match segment {
                    Segment::Plain(word) => {
                        let ((q, df), by_characters) = self.word_query(&word)?;
                        out.add(&word, occur, q, df, self.searcher.num_docs());
                        if (by_characters || word.chars().count() == 1)
                            && let Some(unit) = out.units.last_mut()
                        {
                            unit.weight = unit.weight.min(LONE_CHARACTER_WEIGHT);
                        }
                        run.push(word);
                    }
                    Segment::Term { typed, statutory } => {
                        let mut alternatives = Vec::new();
                        let mut df = 0;
                        let colloquial = (!statutory.contains(&typed)).then_some(&typed);
                        for phrase in statutory.iter().chain(colloquial) {
                            let typed_only = Some(phrase) == colloquial;
                            if let Some((mut q, n)) = self.term_query(phrase, typed_only)? {
                                if typed_only {
                                    q = Box::new(BoostQuery::new(q, COLLOQUIAL_BOOST));
                                }
                                alternatives.push((Occur::Should, q));
                                df = df.max(n);
                            }
                        }
                        if !alternatives.is_empty() {
                            let q = Box::new(BooleanQuery::new(alternatives));
                            out.add(&typed, occur, q, df, self.searcher.num_docs());
                        } else {
                            // No statutory word or phrase is in the index as cut: the typed
                            // words themselves, rather than nothing.
                            for word in meaningful(cut_query(&typed), |w| Some(w.as_str())) {
                                let ((q, df), _) = self.word_query(&word)?;
                                out.add(&word, occur, q, df, self.searcher.num_docs());
                            }
                        }
                        run.clear();
                    }
                }
                if run.len() >= 2 {
                    let pair = &run[run.len() - 2..];
                    if let Some((q, _)) = self.proximity(pair)? {
                        out.clauses.push((Occur::Should, q));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Whether a statutory word or phrase of the lexicon matches any article as the search
    /// compiles it: a phrase found verbatim in a statute can still be cut differently there.
    pub fn matches_any(&self, statutory: &str) -> Result<bool, SearchError> {
        Ok(match self.term_query(statutory, false)? {
            None => false,
            Some((q, _)) => self.searcher.search(&q, &Count)? > 0,
        })
    }

    /// Replaces a word the index never saw and the lexicon does not know (偷税漏税, 进网吧:
    /// jieba keeps them whole) by its parts when one of them is a lexicon term, so the term's
    /// statutory words are searched; each part is then a unit of its own.
    fn split_unknown(&self, words: Vec<String>) -> Result<Vec<String>, SearchError> {
        let mut out = Vec::with_capacity(words.len());
        for word in words {
            if self.lexicon.contains(&word) || self.doc_freq(&word)? > 0 {
                out.push(word);
                continue;
            }
            // The longest parts only: 偷税 and 漏税, not also 税.
            let parts = outermost(sub_words(&word), String::as_str);
            if parts.iter().any(|p| self.lexicon.contains(p)) {
                out.extend(parts);
            } else {
                out.push(word);
            }
        }
        Ok(out)
    }

    /// One side of a lexicon entry: a word found in any field, or a multi-word statutory term
    /// as a phrase of the article text (行政执法证件 must not match 行政 … 执法 … 证件 spread over
    /// an article). A multi-word typed form (执法证 → 执法+证) is too loose to match on its own.
    /// With the query, how many articles it may match (for its weight).
    fn term_query(&self, phrase: &str, typed: bool) -> Result<Option<Weighed>, SearchError> {
        let words = cut_query(phrase);
        match words.as_slice() {
            [] => Ok(None),
            [word] => {
                let df = self.doc_freq(word)?;
                if typed && df == 0 {
                    return Ok(None);
                }
                Ok(Some((self.fields_query(word), df)))
            }
            _ if typed => Ok(None),
            _ => self.text_phrase(&words),
        }
    }

    /// The words near each other, in order, in the article text; None if one never occurs.
    /// The rarest word bounds how many articles the phrase matches.
    fn text_phrase(&self, words: &[String]) -> Result<Option<Weighed>, SearchError> {
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(self.f.text, w))
            .collect();
        let mut rarest = u64::MAX;
        for t in &terms {
            let df = self.searcher.doc_freq(t)?;
            if df == 0 {
                return Ok(None);
            }
            rarest = rarest.min(df);
        }
        let mut q = PhraseQuery::new(terms);
        q.set_slop(PROXIMITY_SLOP);
        Ok(Some((Box::new(q), rarest)))
    }

    /// Rewards texts where two words typed together also stand together (信访事项 … 办理期限),
    /// which plain BM25 ignores. Search-mode tokens interleave compounds with their parts, so
    /// adjacent words can be a few positions apart.
    fn proximity(&self, pair: &[String]) -> Result<Option<Weighed>, SearchError> {
        let phrase = self.text_phrase(pair)?;
        Ok(phrase.map(|(q, df)| {
            (
                Box::new(BoostQuery::new(q, PROXIMITY_BOOST)) as Box<dyn Query>,
                df,
            )
        }))
    }

    /// A word in the text, heading or title. A word the index never saw (jieba cut the query
    /// differently from the text) is replaced by the shorter words inside it, all required;
    /// true when those are single characters, which count no more than a one-character word
    /// (偷偷 is no word of the statutes, and its 偷 alone is rarer than the 土葬 typed with it).
    fn word_query(&self, word: &str) -> Result<(Weighed, bool), SearchError> {
        let df = self.doc_freq(word)?;
        if df == 0 {
            let mut subs = Vec::new();
            for sub in sub_words(word) {
                let n = self.doc_freq(&sub)?;
                if n > 0 {
                    subs.push((sub, n));
                }
            }
            // Keep only the sub-words not contained in a longer known sub-word.
            let kept = outermost(subs, |(s, _)| s.as_str());
            if !kept.is_empty() {
                let rarest = kept.iter().map(|(_, n)| *n).min().unwrap_or(0);
                let by_characters = kept.iter().all(|(s, _)| s.chars().count() == 1);
                let all = kept
                    .into_iter()
                    .map(|(s, _)| (Occur::Must, self.fields_query(&s)))
                    .collect::<Vec<_>>();
                return Ok(((Box::new(BooleanQuery::new(all)), rarest), by_characters));
            }
            // No known word inside either (被车撞, 撞): any of its characters, alone or inside
            // the words of the text (撞 in 碰撞), rather than nothing at all.
            let mut chars = Vec::new();
            let mut commonest = 0;
            for c in word.chars().map(String::from) {
                if is_question_word(&c) || !c.chars().all(char::is_alphanumeric) {
                    continue;
                }
                let n = self.doc_freq(&c)?;
                if n > 0 {
                    chars.push((Occur::Should, self.fields_query(&c)));
                    commonest = commonest.max(n);
                } else {
                    let pattern = format!(".*{}.*", regex::escape(&c));
                    let inside = RegexQuery::from_pattern(&pattern, self.f.text)?;
                    chars.push((Occur::Should, Box::new(inside)));
                    commonest = commonest.max(INSIDE_DOC_FREQ);
                }
            }
            if !chars.is_empty() {
                return Ok(((Box::new(BooleanQuery::new(chars)), commonest), true));
            }
        }
        Ok(((self.fields_query(word), df), false))
    }

    fn fields_query(&self, word: &str) -> Box<dyn Query> {
        let clauses = FIELD_BOOSTS
            .iter()
            .map(|(kind, boost)| {
                let term = Term::from_field_text(self.field(*kind), word);
                let tq: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(tq, *boost)) as Box<dyn Query>,
                )
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// Articles holding the word in their most common field (0: the index never saw it).
    fn doc_freq(&self, word: &str) -> Result<u64, SearchError> {
        if let Some(n) = self.doc_freqs.borrow().get(word) {
            return Ok(*n);
        }
        let mut most = 0;
        for (kind, _) in FIELD_BOOSTS {
            let n = self
                .searcher
                .doc_freq(&Term::from_field_text(self.field(kind), word))?;
            most = most.max(n);
        }
        self.doc_freqs.borrow_mut().insert(word.to_string(), most);
        Ok(most)
    }

    fn field(&self, kind: FieldKind) -> Field {
        match kind {
            FieldKind::Text => self.f.text,
            FieldKind::Heading => self.f.heading,
            FieldKind::Title => self.f.title,
            FieldKind::ShortTitle => self.f.short_title,
        }
    }
}

/// The items whose word is not inside another item's longer word.
fn outermost<T>(items: Vec<T>, word: impl Fn(&T) -> &str) -> Vec<T> {
    let words: Vec<String> = items.iter().map(|i| word(i).to_string()).collect();
    items
        .into_iter()
        .zip(&words)
        .filter(|(_, w)| {
            !words
                .iter()
                .any(|o| o.len() > w.len() && o.contains(w.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A query and how many articles it may match.
type Weighed = (Box<dyn Query>, u64);

/// A query unit: one word or lexicon term of what was typed, and how much finding it counts
/// (its rarity, as BM25's IDF).
pub struct Unit {
    /// The word or lexicon term as typed (for the debug log).
    pub label: String,
    pub query: Box<dyn Query>,
    pub weight: f32,
}

/// Compiled keywords: the clauses that find the candidates (any word suffices; quoted phrases
/// are required) and the units whose share an article covers.
#[derive(Default)]
pub struct Compiled {
    pub clauses: Clauses,
    pub units: Vec<Unit>,
}

impl Compiled {
    fn add(&mut self, label: &str, occur: Occur, query: Box<dyn Query>, doc_freq: u64, docs: u64) {
        let (n, df) = (docs as f32, doc_freq as f32);
        let rarity = (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.0);
        let weight = rarity.min(everyday_rarity(label) + EVERYDAY_SLACK).max(0.0);
        self.units.push(Unit {
            label: label.to_string(),
            query: query.box_clone(),
            weight,
        });
        self.clauses.push((occur, query));
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// One query matching what the keywords find, to combine with filters as a `Must`.
    pub fn matcher(&self) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(clone_clauses(&self.clauses)))
    }
}

/// A copy of boolean clauses (queries are boxed trait objects).
pub fn clone_clauses(clauses: &[(Occur, Box<dyn Query>)]) -> Clauses {
    clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect()
}

pub fn u64_term(field: Field, value: u64) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_u64(field, value),
        IndexRecordOption::Basic,
    ))
}

pub fn any_u64(field: Field, values: impl Iterator<Item = u64>) -> Box<dyn Query> {
    let clauses = values
        .map(|v| (Occur::Should, u64_term(field, v)))
        .collect();
    Box::new(BooleanQuery::new(clauses))
}
