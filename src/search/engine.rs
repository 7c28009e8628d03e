//! The search engine: owns the index, its reader, the lexicon and the law names.

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, QueryClone, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, ReloadPolicy, Score, Searcher, TantivyDocument, Term,
};

use super::compile::{Clauses, Compiler, any_u64, u64_term};
use super::lexicon::Lexicon;
use super::names::LawNames;
use super::query::{self, ArticleRef, MAX_QUERY_CHARS, ParsedQuery};
use super::schema::{self, Fields};
use super::{
    DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, SearchError, SearchHit, SearchRequest, SearchResults,
};
use super::{hit, rank};
use crate::corpus::classify::PROVINCES;
use crate::corpus::repeal::tsv_pairs;
use crate::corpus::store;
use crate::db::Db;

/// Candidates examined when quoted phrases must be checked verbatim.
const PHRASE_CANDIDATES: usize = 2000;

pub struct SearchEngine {
    index: Index,
    reader: IndexReader,
    f: Fields,
    lexicon: Lexicon,
    aliases: Vec<(String, String)>,
    names: RwLock<Arc<LawNames>>,
    /// Region code (see `schema::Fields::region_code`) of the deployment's province.
    home_region: u64,
}

impl SearchEngine {
    /// Wraps an index (already holding documents or about to), loading the lexicon and law
    /// aliases from the project corpus folder and the law names from SQL.
    pub async fn new(
        index: Index,
        db: &Db,
        project_corpus: &Path,
        region: &str,
    ) -> Result<SearchEngine, SearchError> {
        // Load the dictionary now, not on the first official's search.
        super::tokenizer::warm_up();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let lexicon = Lexicon::load(&project_corpus.join("synonyms.tsv"))?;
        let aliases = match std::fs::read_to_string(project_corpus.join("law_aliases.tsv")) {
            Ok(text) => tsv_pairs(&text),
            Err(_) => Vec::new(),
        };
        let home_region = rank::region_code(region).unwrap_or(0);
        let (_, f) = schema::build();
        let engine = SearchEngine {
            index,
            reader,
            f,
            lexicon,
            aliases,
            names: RwLock::new(Arc::new(LawNames::default())),
            home_region,
        };
        engine.refresh(db).await?;
        Ok(engine)
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Picks up committed index changes and reloads law names after an import.
    pub async fn refresh(&self, db: &Db) -> Result<(), SearchError> {
        self.reader.reload()?;
        let statutes = store::statute_names(&db.pool).await?;
        let names = Arc::new(LawNames::new(&statutes, &self.aliases));
        if let Ok(mut slot) = self.names.write() {
            *slot = names;
        }
        Ok(())
    }

    fn names(&self) -> Arc<LawNames> {
        self.names
            .read()
            .map(|n| Arc::clone(&n))
            .unwrap_or_default()
    }

    /// Runs a search on the blocking pool (tantivy work must stay off the async threads).
    pub async fn search_async(
        self: &Arc<Self>,
        req: SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let engine = Arc::clone(self);
        tokio::task::spawn_blocking(move || engine.search(&req)).await?
    }

    /// Searches the articles. See `SearchRequest` for the parameters.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let plan = self.plan(req)?;
        let searcher = self.reader.searcher();
        let compiler = Compiler {
            searcher: &searcher,
            f: &self.f,
            lexicon: &self.lexicon,
        };
        let mut keywords = compiler.keywords(&plan.parsed.keywords, &plan.parsed.phrases)?;
        // Keywords after a reference search within the referenced law.
        if let Some(ArticleRef {
            statute_id: Some(id),
            ..
        }) = &plan.parsed.reference
            && !keywords.is_empty()
            && plan.law_filter.is_none()
        {
            keywords.push((Occur::Must, u64_term(self.f.statute_id, *id as u64)));
        }

        let has_keywords = !keywords.is_empty();
        let mut page = Page::default();
        if let Some(r) = &plan.parsed.reference
            && let Some(hit) = hit::reference(&searcher, &self.f, r, plan.all_versions)?
        {
            page.total += 1;
            page.has_reference = true;
            // The keyword hits must not count or show the referenced article again.
            keywords.push((
                Occur::MustNot,
                u64_term(self.f.article_id, hit.article_id as u64),
            ));
            if plan.offset == 0 {
                page.hits.push(hit);
            }
        }
        if !has_keywords {
            if plan.parsed.reference.is_none() {
                return Err(SearchError::EmptyQuery);
            }
            return Ok(page.finish(started, None));
        }
        keywords.extend(self.filters(&plan));
        let notice = self.keyword_page(&searcher, &plan, keywords, &mut page)?;
        Ok(page.finish(started, notice))
    }

    /// Validates the request and takes the query apart.
    fn plan(&self, req: &SearchRequest) -> Result<Plan, SearchError> {
        let q = req.q.trim();
        if q.is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong {
                max: MAX_QUERY_CHARS,
            });
        }
        let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(SearchError::BadParam(format!(
                "limit 应在 1–{MAX_LIMIT} 之间"
            )));
        }
        let offset = req.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(SearchError::BadParam(format!(
                "offset 不能超过 {MAX_OFFSET}"
            )));
        }
        let names = self.names();
        let law_filter = match req.law.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            Some(name) => match names.lookup(name) {
                [] => return Err(SearchError::UnknownLaw(name.to_string())),
                ids => Some(ids.to_vec()),
            },
            None => None,
        };
        let category = req
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let parsed = query::parse(
            q,
            &names,
            law_filter.as_ref().and_then(|ids| ids.first().copied()),
        );
        // Other provinces' regulations only when named, unless nothing else matches.
        let mut regions = vec![0, self.home_region];
        regions.extend(
            PROVINCES
                .iter()
                .enumerate()
                .filter(|(_, p)| q.contains(*p))
                .map(|(i, _)| i as u64 + 1),
        );
        Ok(Plan {
            gate_regions: law_filter.is_none() && category.is_none(),
            category: category.map(str::to_string),
            law_filter,
            parsed,
            regions,
            limit,
            offset,
            all_versions: req.all_versions.unwrap_or(false),
        })
    }

    /// Version, law and category filters.
    fn filters(&self, plan: &Plan) -> Clauses {
        let mut filters: Clauses = Vec::new();
        if !plan.all_versions {
            filters.push((Occur::Must, u64_term(self.f.current, 1)));
        }
        if let Some(ids) = &plan.law_filter {
            filters.push((
                Occur::Must,
                any_u64(self.f.statute_id, ids.iter().map(|i| *i as u64)),
            ));
        }
        if let Some(cat) = &plan.category {
            let term = Term::from_field_text(self.f.category, cat);
            filters.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        filters
    }

    /// Fills `page` with the keyword hits: first within national law and the admitted regions,
    /// then, if that finds nothing, everywhere. Returns a notice when it had to widen.
    fn keyword_page(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        clauses: Clauses,
        page: &mut Page,
    ) -> Result<Option<String>, SearchError> {
        // The referenced article holds the first place of the first page.
        let skip = plan
            .offset
            .saturating_sub(usize::from(plan.offset > 0 && page.has_reference));
        let limit = plan.limit - page.hits.len().min(plan.limit);
        let open = BooleanQuery::new(clauses);
        let gated = if plan.gate_regions {
            BooleanQuery::new(vec![
                (Occur::Must, open.box_clone()),
                (
                    Occur::Must,
                    any_u64(self.f.region_code, plan.regions.iter().copied()),
                ),
            ])
        } else {
            BooleanQuery::new(vec![(Occur::Must, open.box_clone())])
        };
        let mut notice = None;
        let mut found = self.run(
            searcher,
            &gated,
            &plan.parsed.phrases,
            skip,
            limit,
            &plan.regions,
        )?;
        if found.0 == 0 && plan.gate_regions {
            found = self.run(
                searcher,
                &open,
                &plan.parsed.phrases,
                skip,
                limit,
                &plan.regions,
            )?;
            if found.0 > 0 {
                notice = Some("全国及本地区法规中未找到，以下为其他省份的地方性法规".to_string());
            }
        }
        let (count, docs) = found;
        page.total += count;
        let snippets = SnippetGenerator::create(searcher, &open, self.f.text).ok();
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            page.hits
                .push(hit::from_doc(&self.f, &doc, score, snippets.as_ref()));
        }
        Ok(notice)
    }

    /// Counts matches and returns one page of them, best first, with verbatim phrases checked.
    fn run(
        &self,
        searcher: &Searcher,
        query: &BooleanQuery,
        phrases: &[String],
        offset: usize,
        limit: usize,
        allowed_regions: &[u64],
    ) -> Result<(usize, Vec<(Score, DocAddress)>), SearchError> {
        let ranking = rank::ranking(self.home_region, allowed_regions.to_vec());
        if phrases.is_empty() {
            let top = TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .tweak_score(ranking);
            let (count, docs) = searcher.search(query, &(Count, top))?;
            return Ok((count, if limit == 0 { Vec::new() } else { docs }));
        }
        let top = TopDocs::with_limit(PHRASE_CANDIDATES).tweak_score(ranking);
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
        Ok((
            count,
            matching.into_iter().skip(offset).take(limit).collect(),
        ))
    }
}

/// A validated request.
struct Plan {
    parsed: ParsedQuery,
    law_filter: Option<Vec<i64>>,
    category: Option<String>,
    /// Region codes admitted by default: national, home, and provinces the query names.
    regions: Vec<u64>,
    gate_regions: bool,
    limit: usize,
    offset: usize,
    all_versions: bool,
}

/// The hits of one results page as they are gathered.
#[derive(Default)]
struct Page {
    hits: Vec<SearchHit>,
    total: usize,
    /// A directly referenced article leads the results.
    has_reference: bool,
}

impl Page {
    fn finish(self, started: Instant, notice: Option<String>) -> SearchResults {
        let took_ms = (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
        SearchResults {
            total: self.total,
            took_ms,
            hits: self.hits,
            notice,
        }
    }
}
