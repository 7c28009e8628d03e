//! Search hits built from stored index documents, and the lookup of a referenced article.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher, TantivyDocument};

use super::compile::u64_term;
use super::query::ArticleRef;
use super::schema::Fields;
use super::{SearchError, SearchHit};
use crate::corpus::classify::{NATIONAL, PROVINCES};
use crate::corpus::numerals::anchor;

pub fn from_doc(
    f: &Fields,
    doc: &TantivyDocument,
    score: Score,
    snippets: Option<&SnippetGenerator>,
) -> SearchHit {
    let text_of = |f| {
        doc.get_first(f)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let u64_of = |f| {
        doc.get_first(f)
            .and_then(|v| v.as_u64())
            .unwrap_or_default()
    };
    let text = text_of(f.text);
    let snippet = snippets
        .map(|g| {
            let mut s = g.snippet(&text);
            s.set_snippet_prefix_postfix("<em>", "</em>");
            s.to_html()
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| escape_html(&text.chars().take(120).collect::<String>()));
    let no = u64_of(f.article_no) as u32;
    let sub = u64_of(f.article_sub) as u32;
    SearchHit {
        article_id: u64_of(f.article_id) as i64,
        law_id: u64_of(f.law_id) as i64,
        statute_id: u64_of(f.statute_id) as i64,
        law_title: text_of(f.title),
        version_date: text_of(f.version_date),
        article_no: no,
        article_sub: sub,
        article_label: text_of(f.label),
        heading: text_of(f.heading),
        text,
        snippet,
        score,
        anchor: anchor(no, sub),
        level: text_of(f.level),
        region: region_name(u64_of(f.region_code)),
        current: u64_of(f.current) == 1,
        repealed: u64_of(f.repealed) == 1,
        successor: None,
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The province behind a region code, 全国 for national texts.
fn region_name(code: u64) -> String {
    match code.checked_sub(1).and_then(|i| PROVINCES.get(i as usize)) {
        Some(p) => (*p).to_string(),
        None => NATIONAL.to_string(),
    }
}

/// The referenced article: of the current version, or with `all_versions` of the newest
/// version that has it.
pub fn reference(
    searcher: &Searcher,
    f: &Fields,
    r: &ArticleRef,
    all_versions: bool,
) -> Result<Option<SearchHit>, SearchError> {
    let Some(statute_id) = r.statute_id else {
        return Ok(None);
    };
    let mut clauses = vec![
        (Occur::Must, u64_term(f.statute_id, statute_id as u64)),
        (Occur::Must, u64_term(f.article_no, u64::from(r.no))),
        (Occur::Must, u64_term(f.article_sub, u64::from(r.sub))),
    ];
    if !all_versions {
        clauses.push((Occur::Must, u64_term(f.current, 1)));
    }
    let docs = searcher.search(
        &BooleanQuery::new(clauses),
        &TopDocs::with_limit(50).order_by_score(),
    )?;
    let mut best: Option<SearchHit> = None;
    for (_, addr) in docs {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let hit = from_doc(f, &doc, f32::MAX, None);
        let better = best
            .as_ref()
            .is_none_or(|b| (hit.current, &hit.version_date) > (b.current, &b.version_date));
        if better {
            best = Some(hit);
        }
    }
    Ok(best)
}
