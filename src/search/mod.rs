//! Article search: one tantivy index for the program's life, queries as officials type them,
//! ranked by relevance and by the legal hierarchy.

pub mod indexer;
pub mod lexicon;
pub mod names;
pub mod query;
pub mod schema;
pub mod tokenizer;

mod compile;
mod engine;
mod hit;
mod rank;

pub use engine::SearchEngine;
pub use rank::region_code;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("请输入搜索内容 (empty query)")]
    EmptyQuery,
    #[error("搜索内容过长，请不超过 {max} 个字 (query longer than {max} characters)")]
    QueryTooLong { max: usize },
    #[error("参数无效 (invalid parameter): {0}")]
    BadParam(String),
    #[error("未找到法规 (no law named): {0}")]
    UnknownLaw(String),
    #[error(transparent)]
    Index(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("search task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
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
        )
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
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub total: usize,
    pub took_ms: f64,
    pub hits: Vec<SearchHit>,
    /// Set when the results were widened, e.g. to other provinces' regulations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}
