//! From query words to a tantivy query: lexicon expansion, fallback to shorter words, field
//! weights and the proximity bonus.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::SearchError;
use super::lexicon::{Lexicon, Segment};
use super::schema::Fields;
use super::tokenizer::{cut_query, sub_words};

/// Clauses of a boolean query.
pub type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Words that carry no meaning in a query (`如何` in `如何申请行政复议`).
const STOPWORDS: [&str; 24] = [
    "的",
    "了",
    "吗",
    "呢",
    "啊",
    "吧",
    "和",
    "与",
    "及",
    "或",
    "请问",
    "怎么",
    "怎么办",
    "怎样",
    "如何",
    "什么",
    "哪些",
    "哪个",
    "多少",
    "多久",
    "是否",
    "能否",
    "有没有",
    "可以吗",
];

/// Field weights: a word in a law's title or heading says more than one in its text.
const FIELD_BOOSTS: [(FieldKind, f32); 4] = [
    (FieldKind::Text, 1.0),
    (FieldKind::Heading, 1.5),
    (FieldKind::Title, 2.0),
    (FieldKind::ShortTitle, 2.0),
];

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
}

impl Compiler<'_> {
    /// One `Must` clause per keyword group; a lexicon term matches its own words or any of
    /// its statutory words. Quoted phrases add their words too (checked verbatim later).
    pub fn keywords(&self, keywords: &str, phrases: &[String]) -> Result<Clauses, SearchError> {
        let mut clauses = Vec::new();
        let mut texts: Vec<&str> = keywords.split_whitespace().collect();
        texts.extend(phrases.iter().map(String::as_str));
        for chunk in texts {
            let words = meaningful(cut_query(chunk));
            let mut run: Vec<String> = Vec::new();
            for segment in self.lexicon.segment(&words) {
                match segment {
                    Segment::Plain(word) => {
                        clauses.push((Occur::Must, self.word_query(&word)?));
                        run.push(word);
                    }
                    Segment::Term { typed, statutory } => {
                        let mut alternatives = Vec::new();
                        for phrase in std::iter::once(&typed).chain(&statutory) {
                            if let Some(q) = self.term_query(phrase, phrase == &typed)? {
                                alternatives.push((Occur::Should, q));
                            }
                        }
                        if !alternatives.is_empty() {
                            clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
                        }
                        run.clear();
                    }
                }
                if run.len() >= 2 {
                    let pair = &run[run.len() - 2..];
                    if let Some(q) = self.proximity(pair)? {
                        clauses.push((Occur::Should, q));
                    }
                }
            }
        }
        Ok(clauses)
    }

    /// One side of a lexicon entry: a word found in any field, or a multi-word statutory term
    /// as a phrase of the article text (行政执法证件 must not match 行政 … 执法 … 证件 spread over
    /// an article). A multi-word typed form (执法证 → 执法+证) is too loose to match on its own.
    fn term_query(&self, phrase: &str, typed: bool) -> Result<Option<Box<dyn Query>>, SearchError> {
        let words = cut_query(phrase);
        match words.as_slice() {
            [] => Ok(None),
            [word] if !typed || self.is_known(word)? => Ok(Some(self.fields_query(word))),
            [_] => Ok(None),
            _ if typed => Ok(None),
            _ => self.text_phrase(&words),
        }
    }

    /// The words near each other, in order, in the article text; None if one never occurs.
    fn text_phrase(&self, words: &[String]) -> Result<Option<Box<dyn Query>>, SearchError> {
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(self.f.text, w))
            .collect();
        for t in &terms {
            if self.searcher.doc_freq(t)? == 0 {
                return Ok(None);
            }
        }
        let mut q = PhraseQuery::new(terms);
        q.set_slop(PROXIMITY_SLOP);
        Ok(Some(Box::new(q)))
    }

    /// Rewards texts where two words typed together also stand together (信访事项 … 办理期限),
    /// which plain BM25 ignores. Search-mode tokens interleave compounds with their parts, so
    /// adjacent words can be a few positions apart.
    fn proximity(&self, pair: &[String]) -> Result<Option<Box<dyn Query>>, SearchError> {
        let phrase = self.text_phrase(pair)?;
        Ok(phrase.map(|q| Box::new(BoostQuery::new(q, PROXIMITY_BOOST)) as Box<dyn Query>))
    }

    /// A word in the text, heading or title. A word the index never saw (jieba cut the query
    /// differently from the text) is replaced by the shorter words inside it.
    fn word_query(&self, word: &str) -> Result<Box<dyn Query>, SearchError> {
        if !self.is_known(word)? {
            let mut subs = Vec::new();
            for sub in sub_words(word) {
                if self.is_known(&sub)? {
                    subs.push(sub);
                }
            }
            // Keep only the sub-words not contained in a longer known sub-word.
            let kept: Vec<&String> = subs
                .iter()
                .filter(|s| {
                    !subs
                        .iter()
                        .any(|o| o.len() > s.len() && o.contains(String::as_str(s)))
                })
                .collect();
            if !kept.is_empty() {
                let all = kept
                    .into_iter()
                    .map(|s| (Occur::Must, self.fields_query(s)))
                    .collect::<Vec<_>>();
                return Ok(Box::new(BooleanQuery::new(all)));
            }
        }
        Ok(self.fields_query(word))
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

    fn is_known(&self, word: &str) -> Result<bool, SearchError> {
        for (kind, _) in FIELD_BOOSTS {
            if self
                .searcher
                .doc_freq(&Term::from_field_text(self.field(kind), word))?
                > 0
            {
                return Ok(true);
            }
        }
        Ok(false)
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

/// Drops stopwords, unless nothing else is left.
fn meaningful(words: Vec<String>) -> Vec<String> {
    let kept: Vec<String> = words
        .iter()
        .filter(|w| !STOPWORDS.contains(&String::as_str(w)))
        .cloned()
        .collect();
    if kept.is_empty() { words } else { kept }
}
