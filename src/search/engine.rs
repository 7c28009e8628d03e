//! The search engine: owns the index, its reader, the lexicon and the law names.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, SegmentReader};
use tantivy::{TantivyDocument, Term};

use super::lexicon::{Lexicon, Segment};
use super::names::{LawNames, parse_aliases};
use super::query::{self, ArticleRef, MAX_QUERY_CHARS};
use super::schema::{self, Fields};
use super::tokenizer::{cut_query, sub_words};
use super::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, SearchError, SearchHit, SearchRequest, SearchResults};
use crate::corpus::classify::PROVINCES;
use crate::corpus::numerals::anchor;
use crate::corpus::store;
use crate::db::Db;

/// Words that carry no meaning in a query (`如何` in `如何申请行政复议`).
const STOPWORDS: [&str; 24] = [
    "的", "了", "吗", "呢", "啊", "吧", "和", "与", "及", "或", "请问", "怎么", "怎么办", "怎样",
    "如何", "什么", "哪些", "哪个", "多少", "多久", "是否", "能否", "有没有", "可以吗",
];

/// Field weights: a word in a law's title or heading says more than one in its text.
const FIELD_BOOSTS: [(FieldKind, f32); 4] = [
    (FieldKind::Text, 1.0),
    (FieldKind::Heading, 1.5),
    (FieldKind::Title, 2.0),
    (FieldKind::ShortTitle, 2.0),
];

/// Score factor by 效力位阶 rank (0 宪法 … 7 其他): higher law first on the same topic.
const LEVEL_FACTOR: [f32; 8] = [1.5, 1.4, 1.35, 1.3, 1.15, 1.1, 1.0, 0.9];
/// Score factor of another province's regulation when the query names that province.
const OTHER_REGION_FACTOR: f32 = 0.6;
/// Score factor of a repealed statute: still findable, below everything in force.
const REPEALED_FACTOR: f32 = 0.3;
/// How far apart (in tokens) and how much two typed-together words count when near each other.
const PROXIMITY_SLOP: u32 = 3;
const PROXIMITY_BOOST: f32 = 0.8;
/// Candidates examined when quoted phrases must be checked verbatim.
const PHRASE_CANDIDATES: usize = 2000;

#[derive(Clone, Copy)]
enum FieldKind {
    Text,
    Heading,
    Title,
    ShortTitle,
}

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
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let lexicon = Lexicon::load(&project_corpus.join("synonyms.tsv"))?;
        let aliases = match std::fs::read_to_string(project_corpus.join("law_aliases.tsv")) {
            Ok(text) => parse_aliases(&text),
            Err(_) => Vec::new(),
        };
        let home_region = region_code(region).unwrap_or(0);
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

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
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
        self.names.read().map(|n| Arc::clone(&n)).unwrap_or_default()
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
        let q = req.q.trim();
        if q.is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(SearchError::QueryTooLong { max: MAX_QUERY_CHARS });
        }
        let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(SearchError::BadParam(format!("limit 应在 1–{MAX_LIMIT} 之间")));
        }
        let offset = req.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            return Err(SearchError::BadParam(format!("offset 不能超过 {MAX_OFFSET}")));
        }
        let all_versions = req.all_versions.unwrap_or(false);
        let names = self.names();
        let law_filter = match req.law.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            Some(name) => match names.lookup(name) {
                [] => return Err(SearchError::UnknownLaw(name.to_string())),
                ids => Some(ids.to_vec()),
            },
            None => None,
        };
        let parsed = query::parse(q, &names, law_filter.as_ref().and_then(|ids| ids.first().copied()));
        let searcher = self.reader.searcher();

        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !all_versions {
            filters.push((Occur::Must, self.u64_term(self.f.current, 1)));
        }
        if let Some(ids) = &law_filter {
            filters.push((Occur::Must, self.any_u64(self.f.statute_id, ids.iter().map(|i| *i as u64))));
        }
        if let Some(cat) = req.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let term = Term::from_field_text(self.f.category, cat);
            filters.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        let mut keyword_clauses = self.keyword_clauses(&searcher, &parsed.keywords, &parsed.phrases)?;
        // Keywords after a reference search within the referenced law.
        if let Some(ArticleRef { statute_id: Some(id), .. }) = &parsed.reference
            && !keyword_clauses.is_empty()
            && law_filter.is_none()
        {
            keyword_clauses.push((Occur::Must, self.u64_term(self.f.statute_id, *id as u64)));
        }

        let mut hits = Vec::new();
        let mut total = 0;
        let mut seen = HashSet::new();
        if let Some(r) = &parsed.reference
            && let Some(hit) = self.reference_hit(&searcher, r, all_versions)?
        {
            total += 1;
            seen.insert((hit.law_id, hit.article_no, hit.article_sub));
            if offset == 0 {
                hits.push(hit);
            }
        }
        if keyword_clauses.is_empty() {
            if parsed.reference.is_none() {
                return Err(SearchError::EmptyQuery);
            }
            return Ok(self.finish(hits, total, started, None));
        }

        // Other provinces' regulations only when named, unless nothing else matches.
        let named: Vec<u64> = PROVINCES
            .iter()
            .enumerate()
            .filter(|(_, p)| q.contains(*p))
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let gate = law_filter.is_none() && req.category.is_none();
        let mut allowed = vec![0, self.home_region];
        allowed.extend(&named);
        let mut notice = None;
        let mut clauses = keyword_clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect::<Vec<_>>();
        clauses.extend(filters.iter().map(|(o, q)| (*o, q.box_clone())));
        let gated = if gate {
            let mut c = clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect::<Vec<_>>();
            c.push((Occur::Must, self.any_u64(self.f.region_code, allowed.iter().copied())));
            BooleanQuery::new(c)
        } else {
            BooleanQuery::new(clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect())
        };
        let skip = offset.saturating_sub(usize::from(offset > 0 && !seen.is_empty()));
        let page_limit = limit - hits.len().min(limit);
        let mut found = self.run(&searcher, &gated, &parsed.phrases, skip, page_limit, &allowed)?;
        if found.0 == 0 && gate {
            let open = BooleanQuery::new(clauses);
            found = self.run(&searcher, &open, &parsed.phrases, skip, page_limit, &allowed)?;
            if found.0 > 0 {
                notice = Some("全国及本地区法规中未找到，以下为其他省份的地方性法规".to_string());
            }
        }
        let (count, docs) = found;
        total += count;
        let snippets = SnippetGenerator::create(&searcher, &gated, self.f.text).ok();
        for (score, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let hit = self.hit(&doc, score, snippets.as_ref());
            if seen.contains(&(hit.law_id, hit.article_no, hit.article_sub)) {
                total -= 1;
                continue;
            }
            hits.push(hit);
        }
        Ok(self.finish(hits, total, started, notice))
    }

    fn finish(
        &self,
        hits: Vec<SearchHit>,
        total: usize,
        started: Instant,
        notice: Option<String>,
    ) -> SearchResults {
        let took_ms = (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
        SearchResults { total, took_ms, hits, notice }
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
        let ranking = self.ranking(allowed_regions.to_vec());
        if phrases.is_empty() {
            let top = TopDocs::with_limit(limit.max(1)).and_offset(offset).tweak_score(ranking);
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
        Ok((count, matching.into_iter().skip(offset).take(limit).collect()))
    }

    /// BM25 times the 效力位阶 factor; other provinces' texts (when admitted) further down.
    fn ranking(
        &self,
        allowed: Vec<u64>,
    ) -> impl Fn(&SegmentReader) -> Box<dyn Fn(DocId, Score) -> Score> + Send + Sync + 'static {
        let home = self.home_region;
        move |segment: &SegmentReader| {
            let fast = segment.fast_fields();
            let level = fast.u64("level_rank").ok().map(|c| c.first_or_default_col(7));
            let region = fast.u64("region_code").ok().map(|c| c.first_or_default_col(0));
            let repealed = fast.u64("repealed").ok().map(|c| c.first_or_default_col(0));
            let allowed = allowed.clone();
            Box::new(move |doc: DocId, score: Score| {
                let rank = level.as_ref().map_or(7, |c| c.get_val(doc)) as usize;
                let region = region.as_ref().map_or(0, |c| c.get_val(doc));
                let mut s = score * LEVEL_FACTOR.get(rank).copied().unwrap_or(1.0);
                if repealed.as_ref().is_some_and(|c| c.get_val(doc) == 1) {
                    s *= REPEALED_FACTOR;
                }
                if region != 0 && region != home && !allowed.contains(&region) {
                    s *= OTHER_REGION_FACTOR;
                } else if region != 0 && region != home {
                    s *= OTHER_REGION_FACTOR.sqrt();
                }
                s
            })
        }
    }

    /// One `Must` clause per keyword group; a lexicon term matches its own words or any of
    /// its statutory words. Quoted phrases add their words too (checked verbatim later).
    fn keyword_clauses(
        &self,
        searcher: &Searcher,
        keywords: &str,
        phrases: &[String],
    ) -> Result<Vec<(Occur, Box<dyn Query>)>, SearchError> {
        let mut clauses = Vec::new();
        let mut texts: Vec<&str> = keywords.split_whitespace().collect();
        texts.extend(phrases.iter().map(String::as_str));
        for chunk in texts {
            let words = meaningful(cut_query(chunk));
            let mut run: Vec<String> = Vec::new();
            for segment in self.lexicon.segment(&words) {
                match segment {
                    Segment::Plain(word) => {
                        clauses.push((Occur::Must, self.word_query(searcher, &word)?));
                        run.push(word);
                    }
                    Segment::Term { typed, statutory } => {
                        let mut alternatives = Vec::new();
                        for phrase in std::iter::once(&typed).chain(&statutory) {
                            if let Some(q) = self.term_query(searcher, phrase, phrase == &typed)? {
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
                    if let Some(q) = self.proximity(searcher, pair)? {
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
    fn term_query(
        &self,
        searcher: &Searcher,
        phrase: &str,
        typed: bool,
    ) -> Result<Option<Box<dyn Query>>, SearchError> {
        let words = cut_query(phrase);
        match words.as_slice() {
            [] => Ok(None),
            [word] if !typed || self.is_known(searcher, word)? => Ok(Some(self.fields_query(word))),
            [_] => Ok(None),
            _ if typed => Ok(None),
            _ => {
                let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(self.f.text, w)).collect();
                for t in &terms {
                    if searcher.doc_freq(t)? == 0 {
                        return Ok(None);
                    }
                }
                let mut q = PhraseQuery::new(terms);
                q.set_slop(PROXIMITY_SLOP);
                Ok(Some(Box::new(q)))
            }
        }
    }

    /// Rewards texts where two words typed together also stand together (信访事项 … 办理期限),
    /// which plain BM25 ignores. Search-mode tokens interleave compounds with their parts, so
    /// adjacent words can be a few positions apart.
    fn proximity(&self, searcher: &Searcher, pair: &[String]) -> Result<Option<Box<dyn Query>>, SearchError> {
        let terms: Vec<Term> = pair.iter().map(|w| Term::from_field_text(self.f.text, w)).collect();
        for t in &terms {
            if searcher.doc_freq(t)? == 0 {
                return Ok(None);
            }
        }
        let mut phrase = PhraseQuery::new(terms);
        phrase.set_slop(PROXIMITY_SLOP);
        Ok(Some(Box::new(BoostQuery::new(Box::new(phrase), PROXIMITY_BOOST))))
    }

    /// A word in the text, heading or title. A word the index never saw (jieba cut the query
    /// differently from the text) is replaced by the shorter words inside it.
    fn word_query(&self, searcher: &Searcher, word: &str) -> Result<Box<dyn Query>, SearchError> {
        if !self.is_known(searcher, word)? {
            let mut subs = Vec::new();
            for sub in sub_words(word) {
                if self.is_known(searcher, &sub)? {
                    subs.push(sub);
                }
            }
            // Keep only the sub-words not contained in a longer known sub-word.
            let kept: Vec<&String> =
                subs.iter().filter(|s| !subs.iter().any(|o| o.len() > s.len() && o.contains(String::as_str(s)))).collect();
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
                let tq: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, Box::new(BoostQuery::new(tq, *boost)) as Box<dyn Query>)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn is_known(&self, searcher: &Searcher, word: &str) -> Result<bool, SearchError> {
        for (kind, _) in FIELD_BOOSTS {
            if searcher.doc_freq(&Term::from_field_text(self.field(kind), word))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn field(&self, kind: FieldKind) -> tantivy::schema::Field {
        match kind {
            FieldKind::Text => self.f.text,
            FieldKind::Heading => self.f.heading,
            FieldKind::Title => self.f.title,
            FieldKind::ShortTitle => self.f.short_title,
        }
    }

    /// The referenced article: of the current version, or with `all_versions` of the newest
    /// version that has it.
    fn reference_hit(
        &self,
        searcher: &Searcher,
        r: &ArticleRef,
        all_versions: bool,
    ) -> Result<Option<SearchHit>, SearchError> {
        let Some(statute_id) = r.statute_id else { return Ok(None) };
        let mut clauses = vec![
            (Occur::Must, self.u64_term(self.f.statute_id, statute_id as u64)),
            (Occur::Must, self.u64_term(self.f.article_no, u64::from(r.no))),
            (Occur::Must, self.u64_term(self.f.article_sub, u64::from(r.sub))),
        ];
        if !all_versions {
            clauses.push((Occur::Must, self.u64_term(self.f.current, 1)));
        }
        let docs = searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(50).order_by_score())?;
        let mut best: Option<SearchHit> = None;
        for (_, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let hit = self.hit(&doc, f32::MAX, None);
            let better = best.as_ref().is_none_or(|b| {
                (hit.current, &hit.version_date) > (b.current, &b.version_date)
            });
            if better {
                best = Some(hit);
            }
        }
        Ok(best)
    }

    fn hit(&self, doc: &TantivyDocument, score: Score, snippets: Option<&SnippetGenerator>) -> SearchHit {
        let text_of = |f| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let u64_of = |f| doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or_default();
        let text = text_of(self.f.text);
        let snippet = snippets
            .map(|g| {
                let mut s = g.snippet(&text);
                s.set_snippet_prefix_postfix("<em>", "</em>");
                s.to_html()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| escape_html(&text.chars().take(120).collect::<String>()));
        let no = u64_of(self.f.article_no) as u32;
        let sub = u64_of(self.f.article_sub) as u32;
        SearchHit {
            law_id: u64_of(self.f.law_id) as i64,
            law_title: text_of(self.f.title),
            version_date: text_of(self.f.version_date),
            article_no: no,
            article_sub: sub,
            article_label: text_of(self.f.label),
            heading: text_of(self.f.heading),
            text,
            snippet,
            score,
            anchor: if no == 0 { "preamble".to_string() } else { anchor(no, sub) },
            level: text_of(self.f.level),
            current: u64_of(self.f.current) == 1,
            repealed: u64_of(self.f.repealed) == 1,
        }
    }

    fn u64_term(&self, field: tantivy::schema::Field, value: u64) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_u64(field, value), IndexRecordOption::Basic))
    }

    fn any_u64(&self, field: tantivy::schema::Field, values: impl Iterator<Item = u64>) -> Box<dyn Query> {
        let clauses = values.map(|v| (Occur::Should, self.u64_term(field, v))).collect();
        Box::new(BooleanQuery::new(clauses))
    }
}

/// Region code of a province name (`重庆`, `重庆市`), as stored in the index.
pub fn region_code(region: &str) -> Option<u64> {
    PROVINCES.iter().position(|p| region.starts_with(p)).map(|i| i as u64 + 1)
}

/// Drops stopwords, unless nothing else is left.
fn meaningful(words: Vec<String>) -> Vec<String> {
    let kept: Vec<String> = words.iter().filter(|w| !STOPWORDS.contains(&String::as_str(w))).cloned().collect();
    if kept.is_empty() { words } else { kept }
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
