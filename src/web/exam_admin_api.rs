//! JSON API for administrators' exams: create, publish, per-person overrides, results and
//! regrading. The area's guard is `AdminUser`; the domain checks each exam's unit scope.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::auth::AdminUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::exam::admin::{self, OverrideRequest};
use crate::exam::analysis_view::{self, ExamAnalysis};
use crate::exam::model::{ExamDefinition, format_time};
use crate::exam::regrade::{self, RegradeReport};
use crate::exam::results::{self, ExamResults};
use crate::exam::store;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExamSummary {
    exam_id: i64,
    title: String,
    kind: String,
    /// draft or published
    status: String,
    opens_at: String,
    closes_at: String,
    created_by: String,
}

#[utoipa::path(get, path = "/api/admin/exams",
    responses((status = 200, body = [ExamSummary]), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    a: AdminUser,
) -> Result<Json<Vec<ExamSummary>>, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let rows = store::list(&state.app.db.pool, false).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| admin::manages(&ctx, r))
            .map(|r| ExamSummary {
                exam_id: r.exam_id,
                title: r.title,
                kind: r.kind,
                status: r.status,
                opens_at: format_time(r.opens_at),
                closes_at: format_time(r.closes_at),
                created_by: r.created_by,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedExam {
    exam_id: i64,
}

/// Creates a draft exam from its definition (the same JSON as `xuefa exams create`).
#[utoipa::path(post, path = "/api/admin/exams", request_body = ExamDefinition,
    responses((status = 201, body = CreatedExam), (status = 400), (status = 403)))]
pub async fn create(
    State(state): State<AppState>,
    a: AdminUser,
    ApiJson(def): ApiJson<ExamDefinition>,
) -> Result<(StatusCode, Json<CreatedExam>), ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let exam_id = admin::create(&mut tx, &ctx, &def).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(CreatedExam { exam_id })))
}

/// Publishes a draft once the approved bank can fill every section; 409 says which section
/// is short by how many.
#[utoipa::path(post, path = "/api/admin/exams/{exam_id}/publish",
    params(("exam_id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
pub async fn publish(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(exam_id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    admin::publish(&mut tx, &ctx, exam_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Extra time, an extra attempt or another window for one person, with a reason (audited).
#[utoipa::path(post, path = "/api/admin/exams/{exam_id}/overrides",
    params(("exam_id" = i64, Path)), request_body = OverrideRequest,
    responses((status = 204), (status = 400), (status = 403), (status = 404)))]
pub async fn set_override(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(exam_id): ApiPath<i64>,
    ApiJson(req): ApiJson<OverrideRequest>,
) -> Result<StatusCode, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    admin::set_override(&mut tx, &ctx, exam_id, &req).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/admin/exams/{exam_id}/results",
    params(("exam_id" = i64, Path)),
    responses((status = 200, body = ExamResults), (status = 403), (status = 404)))]
pub async fn exam_results(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(exam_id): ApiPath<i64>,
) -> Result<Json<ExamResults>, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut conn = state.app.db.read().await?;
    Ok(Json(results::exam_results(&mut conn, &ctx, exam_id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AnalysisParams {
    /// A unit path within the administrator's scope: analyse only its subtree's candidates.
    unit: Option<String>,
}

/// Item analysis: per question facility, discrimination (upper minus lower third), option
/// choices and flags; per basis article the share of wrong answers, worst first.
#[utoipa::path(get, path = "/api/admin/exams/{exam_id}/analysis",
    params(("exam_id" = i64, Path), AnalysisParams),
    responses((status = 200, body = ExamAnalysis), (status = 403), (status = 404)))]
pub async fn analysis(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(exam_id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<AnalysisParams>,
) -> Result<Json<ExamAnalysis>, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut conn = state.app.db.read().await?;
    let unit = q.unit.as_deref();
    Ok(Json(
        analysis_view::exam_analysis(&mut conn, &ctx, exam_id, unit).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RegradeRequest {
    /// false (default): a dry run that only lists the changes.
    apply: bool,
}

/// Regrades the exam's graded attempts with the current version of each question.
#[utoipa::path(post, path = "/api/admin/exams/{exam_id}/regrade",
    params(("exam_id" = i64, Path)), request_body = RegradeRequest,
    responses((status = 200, body = RegradeReport), (status = 403), (status = 404)))]
pub async fn regrade(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(exam_id): ApiPath<i64>,
    ApiJson(req): ApiJson<RegradeRequest>,
) -> Result<Json<RegradeReport>, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let mut report = regrade::regrade(&mut tx, &ctx, exam_id, req.apply).await?;
    if req.apply {
        // Certificates follow: pass→fail revokes, fail→pass issues.
        state.app.follow_regrade(&mut tx, &ctx, &mut report).await?;
        tx.commit().await?;
    }
    Ok(Json(report))
}
