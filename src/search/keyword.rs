//! The keyword part of a search: the candidates BM25 finds with any of the words (`pool`),
//! widened by the rarest words' own best (`rerank::Widen`), ordered by coverage, intent and
//! tier (`rerank::order`), and the page of hits with their snippets.

use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, QueryClone};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::compile::{Clauses, Compiled, Compiler, clone_clauses};
use super::engine::{SearchEngine, elapsed_ms};
use super::facets::Tally;
use super::intent::Asked;
use super::lexicon::Lexicon;
use super::plan::{self, Plan};
use super::pool::Pool;
use super::{MAX_LIMIT, MAX_OFFSET, hit, rank, rerank};
use super::{RepealNotice, SearchError, SearchHit, SearchResults};

/// Candidates examined when quoted phrases must be checked verbatim.
const PHRASE_CANDIDATES: usize = 2000;

impl SearchEngine {
    /// Fills `page` with the keyword hits (`keyword_page`). A lexicon term whose statutory
    /// phrases match no article as the index cuts them must not leave the words typed
    /// unsearched: when nothing is found, they are searched as typed.
    pub(super) fn keyword_hits(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        keywords: Keywords,
        words: &str,
        restrict: Clauses,
        page: &mut Page,
    ) -> Result<Option<String>, SearchError> {
        let found = page.total;
        let (notice, unfiltered) = self.keyword_page(searcher, plan, &keywords, &restrict, page)?;
        if page.total > found || self.lexicon.is_empty() {
            page.unfiltered.merge(unfiltered);
            return Ok(notice);
        }
        let plain = Lexicon::default();
        let literal = Compiler::new(searcher, &self.f, &plain);
        let compiled = literal.keywords(words, &plan.parsed.phrases)?;
        if compiled.is_empty() {
            page.unfiltered.merge(unfiltered);
            return Ok(notice);
        }
        let keywords = Keywords {
            compiled,
            asked: keywords.asked,
        };
        // The facets count what the page shows: the words as typed, not the first attempt.
        let (notice, unfiltered) = self.keyword_page(searcher, plan, &keywords, &restrict, page)?;
        page.unfiltered.merge(unfiltered);
        Ok(notice)
    }

    /// Fills `page` with the keyword hits: the candidates BM25 finds with any of the words,
    /// re-ranked by coverage, intent and tier (see `rerank`). Returns a notice when the best
    /// of them is another province's text, and the facet counts without the level and region
    /// filters (for the caller to keep or drop).
    fn keyword_page(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        keywords: &Keywords,
        restrict: &Clauses,
        page: &mut Page,
    ) -> Result<(Option<String>, Tally), SearchError> {
        // The referenced article holds the first place of the first page.
        let skip = plan
            .offset
            .saturating_sub(usize::from(plan.offset > 0 && page.has_reference));
        let limit = plan.limit - page.hits.len().min(plan.limit);
        let matcher = keywords.compiled.matcher();
        let mut clauses = vec![(Occur::Must, matcher.box_clone())];
        clauses.extend(clone_clauses(restrict));
        let narrowing = plan::narrowing(&self.f, plan);
        let mut unfiltered = Tally::default();
        // Facets of the level and region choices are counted without those filters.
        if !narrowing.is_empty() {
            let query = BooleanQuery::new(clone_clauses(&clauses));
            unfiltered.merge(self.candidates(searcher, &query, plan, 1)?.1);
        }
        let narrowed = !narrowing.is_empty();
        clauses.extend(narrowing);
        // The filters alone, for the rare words' own candidates (`rerank::Widen`).
        let filters = clone_clauses(&clauses[1..]);
        let query = BooleanQuery::new(clauses);
        // One pool for every page within it, so pages never overlap.
        let pool = if skip + limit <= rerank::POOL {
            rerank::POOL
        } else {
            MAX_OFFSET + MAX_LIMIT
        };
        let (count, tally, mut candidates) = self.candidates(searcher, &query, plan, pool)?;
        if !narrowed {
            unfiltered.merge(tally.clone());
        }
        page.tally.merge(tally);
        if plan.parsed.phrases.is_empty() {
            let ranking = self.ranking(plan);
            let units = &keywords.compiled.units;
            let widen = rerank::Widen {
                query: &query,
                filters: &filters,
                units,
                count,
            };
            candidates = widen.add(searcher, &ranking, candidates)?;
        }
        let tiers = rank::Tiers {
            home: self.home_region,
            allowed: plan.regions.clone(),
        };
        let ranked = rerank::order(
            searcher,
            &self.f,
            &keywords.compiled.units,
            &keywords.asked,
            &tiers,
            candidates,
        )?;
        page.total += count;
        let snippets = SnippetGenerator::create(searcher, matcher.as_ref(), self.f.text).ok();
        let mut notice = None;
        for (i, (score, addr)) in ranked.into_iter().skip(skip).take(limit).enumerate() {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let hit = hit::from_doc(&self.f, &doc, score, snippets.as_ref());
            if i + skip == 0 && !hit.repealed && !tiers.admits(&hit.region) {
                notice = Some("全国及本地区法规中未找到，以下为其他省份的地方性法规".to_string());
            }
            page.hits.push(hit);
        }
        Ok((notice, unfiltered))
    }

    fn ranking(&self, plan: &Plan) -> rank::Ranking {
        rank::Ranking {
            home: self.home_region,
            allowed: plan.regions.clone(),
            named: plan.named.clone(),
        }
    }

    /// Counts matches (in all and by facet) and returns the best `pool` of them by BM25 and
    /// the hierarchy factors, with quoted phrases checked verbatim.
    fn candidates(
        &self,
        searcher: &Searcher,
        query: &BooleanQuery,
        plan: &Plan,
        pool: usize,
    ) -> Result<(usize, Tally, Vec<rerank::Ranked>), SearchError> {
        let phrases = &plan.parsed.phrases;
        let ranking = self.ranking(plan);
        if phrases.is_empty() {
            let pool = Pool { ranking, n: pool };
            return Ok(searcher.search(query, &pool)?);
        }
        let top = TopDocs::with_limit(PHRASE_CANDIDATES).tweak_score(ranking.tweak());
        let mut matching = Vec::new();
        for (score, addr) in searcher.search(query, &top)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let haystack = [self.f.text, self.f.heading, self.f.title]
                .iter()
                .filter_map(|f| doc.get_first(*f).and_then(|v| v.as_str()))
                .collect::<Vec<_>>()
                .join("\n");
            if phrases.iter().all(|p| haystack.contains(p.as_str())) {
                matching.push((score, addr));
            }
        }
        let count = matching.len();
        let addrs: Vec<DocAddress> = matching.iter().map(|(_, a)| *a).collect();
        let tally = Tally::of_addrs(searcher, &addrs);
        matching.truncate(pool);
        Ok((count, tally, matching))
    }
}

/// The keywords of a query, compiled, and the kinds of answer it asks for.
pub(super) struct Keywords {
    pub compiled: Compiled,
    pub asked: Asked,
}

/// The hits of one results page as they are gathered.
#[derive(Default)]
pub(super) struct Page {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    /// A directly referenced article leads the results.
    pub has_reference: bool,
    /// Facet counts of all the hits, and of them without the level and region filters.
    pub tally: Tally,
    pub unfiltered: Tally,
}

impl Page {
    pub fn finish(
        self,
        started: Instant,
        notice: Option<String>,
        repealed_law: Option<RepealNotice>,
    ) -> SearchResults {
        SearchResults {
            total: self.total,
            took_ms: elapsed_ms(started),
            hits: self.hits,
            facets: self.tally.facets(&self.unfiltered),
            notice,
            repealed_law,
            materials: Vec::new(),
        }
    }
}
