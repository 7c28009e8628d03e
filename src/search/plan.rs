//! A search request validated and taken apart: the parsed query, the filters, the page.

use tantivy::Term;
use tantivy::query::{Occur, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::compile::{Clauses, any_u64, u64_term};
use super::names::{LawNames, Resolution};
use super::query::{self, MAX_QUERY_CHARS, ParsedQuery};
use super::rank::region_code;
use super::schema::Fields;
use super::{DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, SearchError, SearchRequest};
use crate::corpus::classify::{LEVELS, NATIONAL, PROVINCES};

/// A validated request.
pub struct Plan {
    pub parsed: ParsedQuery,
    pub law_filter: Option<Vec<i64>>,
    pub category: Option<String>,
    /// The `level` filter, one of `classify::LEVELS`.
    pub level: Option<String>,
    /// The `region` filter as a region code (0 national).
    pub region: Option<u64>,
    /// Region codes ranked first: national, home, and provinces the query names.
    pub regions: Vec<u64>,
    /// Statutes the query names (`信访工作条例从什么时候开始施行`), ranked up.
    pub named: Vec<u64>,
    pub limit: usize,
    pub offset: usize,
    pub all_versions: bool,
}

/// Validates the request and takes the query apart.
pub fn plan(req: &SearchRequest, names: &LawNames, home_region: u64) -> Result<Plan, SearchError> {
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
            "每页条数应在 1 到 {MAX_LIMIT} 之间"
        )));
    }
    let offset = req.offset.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(SearchError::BadParam(format!(
            "最多只能翻到第 {MAX_OFFSET} 条结果，请缩小搜索范围"
        )));
    }
    let law_filter = match req.law.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(name) => Some(resolve_law(names, name)?),
        None => None,
    };
    let category = req
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let level = blank(&req.level);
    if let Some(l) = &level
        && !LEVELS.contains(&l.as_str())
    {
        return Err(SearchError::BadParam(format!(
            "没有名为「{l}」的法规层级，可选：{}",
            LEVELS.join("、")
        )));
    }
    let region = match blank(&req.region) {
        None => None,
        Some(r) if r == NATIONAL => Some(0),
        Some(r) => Some(region_code(&r).ok_or_else(|| {
            SearchError::BadParam(format!(
                "没有名为「{r}」的地区，请写“全国”或省份名，如“北京”"
            ))
        })?),
    };
    let parsed = query::parse(
        q,
        names,
        law_filter.as_ref().and_then(|ids| ids.first().copied()),
    );
    // Other provinces' regulations come after these unless the query names them.
    let mut regions = vec![0, home_region];
    regions.extend(
        PROVINCES
            .iter()
            .enumerate()
            .filter(|(_, p)| q.contains(*p))
            .map(|(i, _)| i as u64 + 1),
    );
    let named = names.named_in(q).into_iter().map(|id| id as u64).collect();
    Ok(Plan {
        named,
        category: category.map(str::to_string),
        level,
        region,
        law_filter,
        parsed,
        regions,
        limit,
        offset,
        all_versions: req.all_versions.unwrap_or(false),
    })
}

/// Version, law and category filters.
pub fn filters(f: &Fields, plan: &Plan) -> Clauses {
    let mut filters: Clauses = Vec::new();
    if !plan.all_versions {
        filters.push((Occur::Must, u64_term(f.current, 1)));
    }
    if let Some(ids) = &plan.law_filter {
        filters.push((
            Occur::Must,
            any_u64(f.statute_id, ids.iter().map(|i| *i as u64)),
        ));
    }
    if let Some(cat) = &plan.category {
        let term = Term::from_field_text(f.category, cat);
        filters.push((
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    filters
}

/// The level and region filters, kept apart from `filters` so facets can be counted
/// without them.
pub fn narrowing(f: &Fields, plan: &Plan) -> Clauses {
    let mut filters: Clauses = Vec::new();
    if let Some(level) = &plan.level {
        // The level name is one of each article's category terms.
        let term = Term::from_field_text(f.category, level);
        filters.push((
            Occur::Must,
            Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        ));
    }
    if let Some(code) = plan.region {
        filters.push((Occur::Must, u64_term(f.region_code, code)));
    }
    filters
}

/// The statutes a law filter names: exactly, or by an unambiguous short form.
fn resolve_law(names: &LawNames, name: &str) -> Result<Vec<i64>, SearchError> {
    match names.resolve(name) {
        Resolution::Found(ids) => Ok(ids),
        Resolution::Ambiguous { candidates, total } => Err(SearchError::AmbiguousLaw {
            name: name.to_string(),
            candidates: candidates
                .iter()
                .filter_map(|id| names.title(*id))
                .map(str::to_string)
                .collect(),
            total,
        }),
        Resolution::Unknown => Err(SearchError::UnknownLaw(name.to_string())),
    }
}
