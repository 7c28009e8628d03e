//! Article search: one tantivy index for the program's life, queries as officials type them,
//! ranked by relevance and by the legal hierarchy.

pub mod indexer;
pub mod lexicon;
pub mod names;
pub mod notes;
pub mod query;
pub mod schema;
pub mod tokenizer;

mod cache;
mod compile;
mod engine;
mod facets;
mod hit;
mod intent;
mod keyword;
mod plan;
mod pool;
mod rank;
mod rerank;
mod succession;
mod suggest;

pub use engine::SearchEngine;
pub use rank::region_code;
use serde::{Deserialize, Serialize};
pub use suggest::{LawSuggestion, MAX_SUGGESTIONS};

/// What a search can fail with. The messages of user errors are shown to officials as they
/// are, so they are Chinese and name no internals; the others are logged, never shown.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("请输入搜索内容")]
    EmptyQuery,
    #[error("搜索内容过长，请不超过 {max} 个字")]
    QueryTooLong { max: usize },
    /// A page size, offset or similar out of range: the message says which and how.
    #[error("{0}")]
    BadParam(String),
    #[error("没有找到名为「{0}」的法规，请检查名称，或写全称")]
    UnknownLaw(String),
    /// A short form several laws share: their full titles, best first.
    #[error("{}", ambiguous_message(.name, .candidates, *.total))]
    AmbiguousLaw {
        name: String,
        candidates: Vec<String>,
        total: usize,
    },
    #[error("没有名为「{0}」的法规类别")]
    UnknownCategory(String),
    #[error(transparent)]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("search task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

fn ambiguous_message(name: &str, candidates: &[String], total: usize) -> String {
    let listed = candidates
        .iter()
        .map(|t| format!("《{t}》"))
        .collect::<Vec<_>>()
        .join("、");
    let more = if total > candidates.len() { "等" } else { "" };
    format!("「{name}」可指 {total} 部法规：{listed}{more}，请选择其一或写全称")
}

impl SearchError {
    /// Errors caused by the request rather than by the server.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            SearchError::EmptyQuery
                | SearchError::QueryTooLong { .. }
                | SearchError::BadParam(_)
                | SearchError::UnknownLaw(_)
                | SearchError::AmbiguousLaw { .. }
                | SearchError::UnknownCategory(_)
        )
    }

    /// The laws an ambiguous name may mean (empty for other errors).
    pub fn candidates(&self) -> &[String] {
        match self {
            SearchError::AmbiguousLaw { candidates, .. } => candidates,
            _ => &[],
        }
    }
}

/// Default and largest page size.
pub const DEFAULT_LIMIT: usize = 10;
pub const MAX_LIMIT: usize = 50;
/// Deepest result reachable by paging; beyond it, refine the query.
pub const MAX_OFFSET: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct SearchRequest {
    /// Keywords, a quoted "phrase", or a reference such as 信访工作条例第十七条.
    pub q: String,
    /// Limit to one law, by full or short title.
    pub law: Option<String>,
    /// Limit to a category folder (行政法规, DLC/重庆地方法规) or a level (法律, 地方性法规).
    pub category: Option<String>,
    /// Limit to a level (效力位阶): 法律, 行政法规, 地方性法规, 部门规章, 司法解释…
    pub level: Option<String>,
    /// Limit to a region: 全国, or a province such as 北京.
    pub region: Option<String>,
    /// Page size, 1–50 (default 10).
    pub limit: Option<usize>,
    /// Hits to skip, up to 1000.
    pub offset: Option<usize>,
    /// Include superseded versions.
    pub all_versions: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    /// The article's id in the database.
    pub article_id: i64,
    pub law_id: i64,
    /// The law across its versions.
    pub statute_id: i64,
    pub law_title: String,
    pub version_date: String,
    pub article_no: u32,
    pub article_sub: u32,
    /// e.g. 第十七条
    pub article_label: String,
    /// 编/章/节 path, e.g. `第三章 信访事项的提出和受理`.
    pub heading: String,
    pub text: String,
    /// HTML-escaped text around the matches, the matches in `<em>`.
    pub snippet: String,
    pub score: f32,
    /// Anchor of the article on its law page, e.g. `art-17`.
    pub anchor: String,
    pub level: String,
    /// 全国, or the province of a local regulation.
    pub region: String,
    pub current: bool,
    /// The statute is no longer in force (ranked last, marked 已废止).
    pub repealed: bool,
    /// For a repealed statute, the one in force that replaced it, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub successor: Option<Successor>,
}

/// The statute in force that replaced a repealed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Successor {
    /// e.g. 信访工作条例
    pub title: String,
    /// Its current version (`/laws/{law_id}`).
    pub law_id: i64,
}

/// Set when the query names a repealed statute (by a reference or the law filter), or its
/// best hit is one: where to look instead.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RepealNotice {
    /// The repealed statute, e.g. 信访条例.
    pub title: String,
    /// What repealed it, e.g. 《信访工作条例》（2022年5月1日起施行）.
    pub repealed_by: String,
    pub successor: Option<Successor>,
    /// The successor's best articles for the same words (first page only).
    pub successor_hits: Vec<SearchHit>,
    /// e.g. 《信访条例》已废止，现行为《信访工作条例》
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<SearchHit>,
    /// Counts over all `total` hits, for filtering by level and region.
    pub facets: Facets,
    /// Set when the results were widened, e.g. to other provinces' regulations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repealed_law: Option<RepealNotice>,
    /// Sections of study notes (学习资料) matching the words, first page only, apart from
    /// the article hits so they never push articles down.
    pub materials: Vec<notes::MaterialHit>,
}

/// Counts of a search's hits, over the whole result set.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Facets {
    /// How many laws (statutes) the hits come from.
    pub laws: usize,
    /// Hits per level, in the order of the hierarchy. Counted without the `level` and
    /// `region` filters, so every choice shows what it would find.
    pub levels: Vec<FacetCount>,
    /// Hits per region: 全国 first, then provinces by count.
    pub regions: Vec<FacetCount>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FacetCount {
    /// e.g. 法律, 地方性法规, 全国, 北京
    pub value: String,
    pub count: usize,
}
