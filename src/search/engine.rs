//! The search engine: owns the index, its reader, the lexicon and the law names.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tantivy::query::Occur;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, Term};

use super::cache::{Key, ResultCache};
use super::compile::{Clauses, Compiler, u64_term};
use super::facets::Tally;
use super::intent::Asked;
use super::keyword::{Keywords, Page};
use super::lexicon::Lexicon;
use super::names::LawNames;
use super::plan::{self, Plan};
use super::query::ArticleRef;
use super::schema::{self, Fields};
use super::succession::{self, Catalog};
use super::{LawSuggestion, hit, rank, suggest};
use super::{RepealNotice, SearchError, SearchHit, SearchRequest, SearchResults};
use crate::corpus::classify::level_rank;
use crate::corpus::repeal::tsv_pairs;
use crate::corpus::store;
use crate::db::Db;

pub struct SearchEngine {
    index: Index,
    reader: IndexReader,
    pub(super) f: Fields,
    pub(super) lexicon: Lexicon,
    aliases: Vec<(String, String)>,
    /// Law names and repeal links, replaced whole after an import.
    catalog: RwLock<Arc<Catalog>>,
    /// Region code (see `schema::Fields::region_code`) of the deployment's province.
    pub(super) home_region: u64,
    /// Results pages of repeated searches, emptied by `refresh`.
    results: ResultCache,
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
            catalog: RwLock::new(Arc::new(Catalog::default())),
            home_region,
            results: ResultCache::default(),
        };
        engine.refresh(db).await?;
        Ok(engine)
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub(super) fn fields(&self) -> &Fields {
        &self.f
    }

    pub(super) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Picks up committed index changes and reloads law names after an import.
    pub async fn refresh(&self, db: &Db) -> Result<(), SearchError> {
        self.reader.reload()?;
        let statutes = store::statute_names(&db.pool).await?;
        let names = LawNames::new(&statutes, &self.aliases);
        let catalog = Arc::new(Catalog::new(names, store::successions(&db.pool).await?));
        if let Ok(mut slot) = self.catalog.write() {
            *slot = catalog;
        }
        self.results.clear();
        Ok(())
    }

    /// The lexicon's (typed, statutory word) pairs whose statutory word matches no article
    /// of the index: such a word widens no search (`xuefa bench-relevance` lists them).
    pub fn unmatched_lexicon_words(&self) -> Result<Vec<(String, String)>, SearchError> {
        let searcher = self.reader.searcher();
        let compiler = Compiler::new(&searcher, &self.f, &self.lexicon);
        // Many terms share a statutory word (死亡, 交通事故): each is searched once.
        let mut matched: HashMap<&str, bool> = HashMap::new();
        let mut out = Vec::new();
        for (typed, statutory) in self.lexicon.entries() {
            let found = match matched.get(statutory) {
                Some(found) => *found,
                None => {
                    let found = compiler.matches_any(statutory)?;
                    matched.insert(statutory, found);
                    found
                }
            };
            if !found {
                out.push((typed.to_string(), statutory.to_string()));
            }
        }
        Ok(out)
    }

    /// Laws whose names start with or contain `typed`, best first (see `suggest`).
    pub fn suggest_laws(&self, typed: &str) -> Vec<LawSuggestion> {
        suggest::suggest(&self.catalog().names, typed)
    }

    /// The laws whose names look most like `text`, for a search that found nothing.
    pub fn closest_laws(&self, text: &str) -> Vec<LawSuggestion> {
        suggest::closest(&self.catalog().names, text)
    }

    fn catalog(&self) -> Arc<Catalog> {
        self.catalog
            .read()
            .map(|n| Arc::clone(&n))
            .unwrap_or_default()
    }

    /// Runs a search on the blocking pool (tantivy work must stay off the async threads);
    /// a search made before (since the last import) is answered from the results cache.
    pub async fn search_async(
        self: &Arc<Self>,
        req: SearchRequest,
    ) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let key = Key::of(&req);
        if let Some(mut cached) = self.results.get(&key) {
            cached.took_ms = elapsed_ms(started);
            return Ok(cached);
        }
        let generation = self.results.generation();
        let engine = Arc::clone(self);
        let results = tokio::task::spawn_blocking(move || engine.search(&req)).await??;
        self.results.put(key, &results, generation);
        Ok(results)
    }

    /// Searches the articles. See `SearchRequest` for the parameters.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, SearchError> {
        let started = Instant::now();
        let catalog = self.catalog();
        let plan = plan::plan(req, &catalog.names, self.home_region)?;
        let searcher = self.reader.searcher();
        if let Some(cat) = &plan.category
            && searcher.doc_freq(&Term::from_field_text(self.f.category, cat))? == 0
        {
            return Err(SearchError::UnknownCategory(cat.clone()));
        }
        let compiler = Compiler::new(&searcher, &self.f, &self.lexicon);
        let (asked, words) = Asked::parse(&plan.parsed.keywords);
        let keywords = compiler.keywords(&words, &plan.parsed.phrases)?;
        tracing::debug!(
            asked = ?asked,
            units = ?keywords.units.iter().map(|u| (&u.label, u.weight)).collect::<Vec<_>>(),
            "search units"
        );
        let mut restrict: Clauses = plan::filters(&self.f, &plan);
        // Keywords after a reference search within the referenced law.
        if let Some(ArticleRef {
            statute_id: Some(id),
            ..
        }) = &plan.parsed.reference
            && plan.law_filter.is_none()
        {
            restrict.push((Occur::Must, u64_term(self.f.statute_id, *id as u64)));
        }

        let mut page = Page::default();
        if let Some(r) = &plan.parsed.reference
            && let Some(hit) = hit::reference(&searcher, &self.f, r, plan.all_versions)?
            && narrowed_to(&plan, &hit)
        {
            page.total += 1;
            let tally_hit = |t: &mut Tally| {
                let region = rank::region_code(&hit.region).unwrap_or(0);
                t.add(level_rank(&hit.level), region, hit.statute_id as u64);
            };
            tally_hit(&mut page.tally);
            tally_hit(&mut page.unfiltered);
            page.has_reference = true;
            // The keyword hits must not count or show the referenced article again.
            restrict.push((
                Occur::MustNot,
                u64_term(self.f.article_id, hit.article_id as u64),
            ));
            if plan.offset == 0 {
                page.hits.push(hit);
            }
        }
        let notice = if !keywords.is_empty() {
            let keywords = Keywords {
                compiled: keywords,
                asked,
            };
            self.keyword_hits(&searcher, &plan, keywords, &words, restrict, &mut page)?
        } else if plan.parsed.reference.is_none() {
            return Err(SearchError::EmptyQuery);
        } else {
            None
        };
        catalog.annotate(&mut page.hits);
        let repealed_law = self.repeal_notice(&compiler, &plan, &page, &catalog)?;
        let unfiltered = req.law.is_none()
            && req.category.is_none()
            && req.level.is_none()
            && req.region.is_none();
        // Study notes in their own block, on the first page of an unfiltered search.
        let materials = if plan.offset == 0 && unfiltered {
            self.search_notes(&req.q, super::notes::NOTE_HITS)?
        } else {
            Vec::new()
        };
        let mut results = page.finish(started, notice, repealed_law);
        results.materials = materials;
        Ok(results)
    }

    /// The notice for a repealed statute the query names (by reference or filter) or that
    /// holds the best hit, with the successor's best articles on the first page.
    fn repeal_notice(
        &self,
        compiler: &Compiler<'_>,
        plan: &Plan,
        page: &Page,
        catalog: &Catalog,
    ) -> Result<Option<RepealNotice>, SearchError> {
        let referenced = plan.parsed.reference.as_ref().and_then(|r| r.statute_id);
        let filtered = plan
            .law_filter
            .as_ref()
            .and_then(|ids| ids.first().copied());
        let first = page
            .hits
            .first()
            .filter(|h| h.repealed)
            .map(|h| h.statute_id);
        let Some((statute_id, mut notice)) = [referenced, filtered, first]
            .into_iter()
            .flatten()
            .find_map(|id| catalog.notice(id).map(|n| (id, n)))
        else {
            return Ok(None);
        };
        if let Some(successor_id) = catalog.successor_id(statute_id)
            && plan.offset == 0
        {
            let reference_text = page
                .hits
                .first()
                .filter(|_| page.has_reference)
                .map(|h| h.text.as_str());
            notice.successor_hits =
                succession::successor_hits(compiler, &plan.parsed, reference_text, successor_id)?;
        }
        Ok(Some(notice))
    }
}

/// Whether a hit passes the request's level and region filters.
fn narrowed_to(plan: &Plan, hit: &SearchHit) -> bool {
    let region = rank::region_code(&hit.region).unwrap_or(0);
    plan.level.as_ref().is_none_or(|l| *l == hit.level) && plan.region.is_none_or(|r| r == region)
}

/// Milliseconds since `started`, to two decimals.
pub(super) fn elapsed_ms(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0
}
