//! Repealed laws in search: what replaced them (on every hit of theirs), and for a query that
//! names one (`信访条例第二十条`), a notice pointing at the law in force with its best matching
//! articles for the same words.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query};
use tantivy::schema::OwnedValue;
use tantivy::{Searcher, TantivyDocument};

use super::compile::{Compiler, u64_term};
use super::names::LawNames;
use super::query::ParsedQuery;
use super::schema::Fields;
use super::{RepealNotice, SearchError, SearchHit, Successor, hit};
use crate::corpus::store::Succession;

/// Articles of the successor shown under the notice.
const SUCCESSOR_HITS: usize = 3;
/// Words of the repealed article that look for its counterpart in the successor.
const SIMILAR_TERMS: usize = 25;

/// The law names and the repeal links, reloaded together after every import.
#[derive(Debug, Default)]
pub struct Catalog {
    pub names: LawNames,
    successions: HashMap<i64, Succession>,
}

impl Catalog {
    pub fn new(names: LawNames, successions: Vec<Succession>) -> Catalog {
        Catalog {
            names,
            successions: successions.into_iter().map(|s| (s.statute_id, s)).collect(),
        }
    }

    /// The statute in force that replaced a repealed one.
    pub fn successor(&self, statute_id: i64) -> Option<Successor> {
        let s = self.successions.get(&statute_id)?;
        Some(Successor {
            title: s.successor_title.clone()?,
            law_id: s.successor_law_id?,
        })
    }

    /// Marks every hit of a repealed statute with its successor.
    pub fn annotate(&self, hits: &mut [SearchHit]) {
        for h in hits.iter_mut().filter(|h| h.repealed) {
            h.successor = self.successor(h.statute_id);
        }
    }

    /// The notice for a repealed statute the query named; None while it is in force.
    pub fn notice(&self, statute_id: i64) -> Option<RepealNotice> {
        let s = self.successions.get(&statute_id)?;
        let successor = self.successor(statute_id);
        let message = match &successor {
            Some(n) => format!("《{}》已废止，现行为《{}》", s.title, n.title),
            None => format!("《{}》已废止（{}）", s.title, s.repealed_by),
        };
        Some(RepealNotice {
            title: s.title.clone(),
            repealed_by: s.repealed_by.clone(),
            successor,
            successor_hits: Vec::new(),
            message,
        })
    }

    pub fn successor_id(&self, statute_id: i64) -> Option<i64> {
        self.successions.get(&statute_id)?.successor_id
    }
}

/// The successor's best articles for what was asked of the repealed law: the same keywords,
/// or, for a bare article reference, the words of the referenced article.
pub fn successor_hits(
    compiler: &Compiler<'_>,
    parsed: &ParsedQuery,
    reference_text: Option<&str>,
    successor_id: i64,
) -> Result<Vec<SearchHit>, SearchError> {
    let (f, searcher): (&Fields, &Searcher) = (compiler.f, compiler.searcher);
    let keywords = compiler.keywords(&parsed.keywords, &parsed.phrases)?;
    let mut clauses = Vec::new();
    if !keywords.is_empty() {
        clauses.push((Occur::Must, keywords.matcher()));
    } else {
        let Some(text) = reference_text else {
            return Ok(Vec::new());
        };
        let similar = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_min_term_frequency(1)
            .with_max_query_terms(SIMILAR_TERMS)
            // Bytes: skips one-character words (3 bytes in UTF-8).
            .with_min_word_length(4)
            .with_document_fields(vec![(f.text, vec![OwnedValue::Str(text.to_string())])]);
        clauses.push((Occur::Must, Box::new(similar) as Box<dyn Query>));
    }
    clauses.push((Occur::Must, u64_term(f.statute_id, successor_id as u64)));
    clauses.push((Occur::Must, u64_term(f.current, 1)));
    let docs = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(SUCCESSOR_HITS).order_by_score(),
    )?;
    let mut hits = Vec::with_capacity(docs.len());
    for (score, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        hits.push(hit::from_doc(f, &doc, score, None));
    }
    Ok(hits)
}
