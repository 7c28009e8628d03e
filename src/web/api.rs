//! The JSON API, described by `/api/openapi.json`.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use super::extract::{ApiPath, ApiQuery};
use super::{
    ApiError, AppState, WebError, accounts_api, admin_api, certificate_api, exam_admin_api,
    exam_api, law_view, material_pages, practice_api, report_api, session_api, study_api,
    training_api,
};
use crate::corpus::numerals::{article_label, parse_article_ref};
use crate::corpus::store::{self, LawSummary};
use crate::search::{
    FacetCount, Facets, LawSuggestion, RepealNotice, SearchError, SearchHit, SearchRequest,
    SearchResults, Successor,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "xuefa 学法 API",
        description = "法规检索与阅读 (law search and reading)"
    ),
    paths(
        search,
        suggest,
        laws,
        law,
        article,
        accounts_api::login,
        accounts_api::logout,
        accounts_api::me,
        accounts_api::change_password,
        admin_api::list_users,
        admin_api::create_user,
        admin_api::get_user,
        admin_api::update_user,
        admin_api::deactivate_user,
        admin_api::reset_password,
        admin_api::unlock_user,
        admin_api::list_units,
        admin_api::create_unit,
        admin_api::rename_unit,
        admin_api::audit,
        exam_api::exams,
        exam_api::start,
        exam_api::get_attempt,
        exam_api::save_answer,
        exam_api::submit,
        exam_api::event,
        exam_api::my_attempts,
        exam_admin_api::list,
        exam_admin_api::create,
        exam_admin_api::publish,
        exam_admin_api::set_override,
        exam_admin_api::exam_results,
        exam_admin_api::analysis,
        exam_admin_api::regrade,
        certificate_api::mine,
        certificate_api::list,
        certificate_api::record,
        certificate_api::revoke,
        certificate_api::reissue,
        practice_api::start,
        practice_api::session,
        practice_api::answer,
        practice_api::wrong_book,
        practice_api::today,
        study_api::heartbeat,
        material_pages::check_questions,
        material_pages::check_api,
        study_api::my_study,
        study_api::my_progress,
        study_api::get_requirement,
        study_api::put_requirement,
        training_api::list,
        training_api::create,
        training_api::get,
        training_api::correct,
        training_api::checkin,
        training_api::mine,
        training_api::makeup_start,
        training_api::makeup_submit,
        session_api::create,
        session_api::checkin,
        report_api::units,
        report_api::annual
    ),
    components(schemas(
        SearchResults,
        SearchHit,
        Facets,
        FacetCount,
        LawSuggestion,
        Successor,
        RepealNotice,
        LawSummary,
        law_view::LawDetail,
        law_view::TocEntry,
        law_view::ArticleView,
        law_view::ParagraphView
    ))
)]
struct ApiDoc;

pub(super) async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// Full-text search over the articles of the current laws.
#[utoipa::path(get, path = "/api/search", params(SearchRequest),
    responses((status = 200, body = SearchResults),
        (status = 400, description = "bad query; an ambiguous `law` also lists `candidates`")))]
pub(super) async fn search(
    State(state): State<AppState>,
    ApiQuery(req): ApiQuery<SearchRequest>,
) -> Result<Json<SearchResults>, ApiError> {
    Ok(Json(state.app.search.search_async(req).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct SuggestQuery {
    /// What has been typed of a law's title or alias.
    q: Option<String>,
}

/// Law names starting with or containing the typed text, national laws in force first,
/// at most 8: for suggestions while typing in a search box.
#[utoipa::path(get, path = "/api/suggest", params(SuggestQuery),
    responses((status = 200, body = [LawSuggestion])))]
pub(super) async fn suggest(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SuggestQuery>,
) -> Json<Vec<LawSuggestion>> {
    Json(state.app.search.suggest_laws(q.q.as_deref().unwrap_or("")))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct LawsQuery {
    /// Only laws whose category folder starts with this, or of this level.
    category: Option<String>,
    /// Only current versions.
    current: Option<bool>,
}

/// Every law version: title, date, category, article count, whether current.
#[utoipa::path(get, path = "/api/laws", params(LawsQuery), responses((status = 200, body = [LawSummary])))]
pub(super) async fn laws(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LawsQuery>,
) -> Result<Json<Vec<LawSummary>>, ApiError> {
    let app = &state.app;
    let lib = app.library.get(&app.db, &app.config.region).await?;
    let category = q
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let in_category = |l: &LawSummary| category.is_none_or(|c| l.in_category(c) || l.level == c);
    if let Some(cat) = category
        && !lib.laws.iter().any(in_category)
    {
        return Err(SearchError::UnknownCategory(cat.to_string()).into());
    }
    // Only the laws listed are copied out of the shared snapshot.
    let all = lib
        .laws
        .iter()
        .filter(|l| in_category(l) && (q.current != Some(true) || l.current != 0))
        .cloned()
        .collect();
    Ok(Json(all))
}

/// A law version's metadata, header events, table of contents and other versions.
#[utoipa::path(get, path = "/api/laws/{law_id}", params(("law_id" = i64, Path)),
    responses((status = 200, body = law_view::LawDetail), (status = 404)))]
pub(super) async fn law(
    State(state): State<AppState>,
    ApiPath(law_id): ApiPath<String>,
) -> Result<Json<law_view::LawDetail>, ApiError> {
    let law_id = parse_id(&law_id)?;
    Ok(Json(law_view::detail(&state.app.db.pool, law_id).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(super) struct ArticleResponse {
    law_id: i64,
    law_title: String,
    version_date: String,
    #[serde(flatten)]
    article: law_view::ArticleView,
}

/// One article, by number: `17`, `第十七条`, `123-1` or `第一百二十三条之一`.
#[utoipa::path(get, path = "/api/laws/{law_id}/articles/{no}",
    params(("law_id" = i64, Path), ("no" = String, Path)),
    responses((status = 200, body = law_view::ArticleView), (status = 404)))]
pub(super) async fn article(
    State(state): State<AppState>,
    ApiPath((law_id, no)): ApiPath<(String, String)>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let law_id = parse_id(&law_id)?;
    let (no, sub) = parse_article_ref(&no).ok_or_else(|| {
        WebError::BadRequest("条号无效，请写作“17”“第十七条”或“17-1”（第十七条之一）".into())
    })?;
    let pool = &state.app.db.pool;
    let law = store::get_law(pool, law_id)
        .await?
        .ok_or_else(|| WebError::NotFound(NO_SUCH_LAW.into()))?;
    let record = store::article(pool, law_id, no, sub)
        .await?
        .ok_or_else(|| {
            WebError::NotFound(format!(
                "《{}》（{} 版）没有{}",
                law.title,
                law.version_date,
                article_label(no, sub)
            ))
        })?;
    Ok(Json(ArticleResponse {
        law_id,
        law_title: law.title,
        version_date: law.version_date,
        article: law_view::ArticleView::from(&record),
    }))
}

/// The one message for a law id that names no stored version.
pub const NO_SUCH_LAW: &str = "法规不存在，请从法规库或搜索结果进入";

pub fn parse_id(raw: &str) -> Result<i64, WebError> {
    super::kit::parse_id(raw, NO_SUCH_LAW)
}
