//! Study notes in the search index: one document per note section (`doc_kind` material, its
//! own `note_*` fields), written beside the articles and searched apart from them, so the
//! articles rank exactly as before and the notes show in a block of their own (学习资料).

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument, Term, doc};

use super::schema::{self, Fields};
use super::tokenizer::{cut_query, sub_words};
use super::{SearchEngine, SearchError};
use crate::materials::{Material, render};

const KIND: &str = "material";
/// Note sections shown with a search, at most.
pub const NOTE_HITS: usize = 3;

/// A note section found by a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MaterialHit {
    /// Always `material`: hits of the 学习资料 block.
    pub kind: &'static str,
    pub material_id: i64,
    pub slug: String,
    pub title: String,
    pub law_title: String,
    pub section: u64,
    pub heading: String,
    /// `sec-N`, the section's anchor on the note page.
    pub anchor: String,
    /// `/materials/{slug}#sec-N`
    pub url: String,
    /// HTML-escaped text around the matches, the matches in `<em>`.
    pub snippet: String,
    pub score: f32,
}

/// Replaces every note document with `notes`' sections, keeping the index's payload (the
/// database fingerprint the articles were synced with).
pub fn write(index: &Index, notes: &[Material]) -> Result<usize, SearchError> {
    let (_, f) = schema::build();
    let payload = index.load_metas()?.payload;
    let mut writer = super::indexer::open_writer(index, 1)?;
    writer.delete_term(Term::from_field_text(f.doc_kind, KIND));
    let mut written = 0;
    for m in notes {
        for s in &m.note.sections {
            writer.add_document(doc!(
                f.doc_kind => KIND,
                f.note_id => m.material_id as u64,
                f.note_section => s.no as u64,
                f.note_slug => m.note.slug.as_str(),
                f.note_law => m.note.law.as_str(),
                f.note_title => m.note.title.as_str(),
                f.note_heading => s.heading.as_str(),
                f.note_text => render::to_text(&s.body),
            ))?;
            written += 1;
        }
    }
    let mut commit = writer.prepare_commit()?;
    if let Some(p) = payload {
        commit.set_payload(&p);
    }
    commit.commit()?;
    Ok(written)
}

fn words_query(f: &Fields, q: &str) -> Option<Box<dyn Query>> {
    let mut words = cut_query(q);
    let subs: Vec<String> = words.iter().flat_map(|w| sub_words(w)).collect();
    words.extend(subs);
    words.sort();
    words.dedup();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for w in &words {
        for (field, boost) in [
            (f.note_title, 2.0),
            (f.note_heading, 1.5),
            (f.note_text, 1.0),
        ] {
            let t = TermQuery::new(
                Term::from_field_text(field, w),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(t), boost))));
        }
    }
    if clauses.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Should, Box::new(BooleanQuery::new(clauses))),
        (
            Occur::Must,
            Box::new(TermQuery::new(
                Term::from_field_text(f.doc_kind, KIND),
                IndexRecordOption::Basic,
            )),
        ),
    ])))
}

impl SearchEngine {
    /// The note sections best matching the words of `q`, best first.
    pub fn search_notes(&self, q: &str, limit: usize) -> Result<Vec<MaterialHit>, SearchError> {
        let f = self.fields();
        let Some(query) = words_query(f, q) else {
            return Ok(Vec::new());
        };
        let searcher = self.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let snippets = SnippetGenerator::create(&searcher, query.as_ref(), f.note_text).ok();
        let mut out = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let text = |field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let num = |field| d.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let body = text(f.note_text);
            let snippet = snippets
                .as_ref()
                .map(|g| {
                    let mut s = g.snippet(&body);
                    s.set_snippet_prefix_postfix("<em>", "</em>");
                    s.to_html()
                })
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| {
                    body.chars()
                        .take(100)
                        .collect::<String>()
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;")
                });
            let (slug, section) = (text(f.note_slug), num(f.note_section));
            out.push(MaterialHit {
                kind: KIND,
                material_id: num(f.note_id) as i64,
                url: format!("/materials/{slug}#sec-{section}"),
                anchor: format!("sec-{section}"),
                slug,
                title: text(f.note_title),
                law_title: text(f.note_law),
                section,
                heading: text(f.note_heading),
                snippet,
                score,
            });
        }
        Ok(out)
    }
}
