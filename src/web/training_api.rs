//! Study sessions through the JSON API: administrators record sessions, see one with its
//! roster and correct attendance; attendees check in with the code, see their sessions and
//! make up the ones they missed. The admin area's guard is `AdminUser`; the domain checks
//! each session's unit scope.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use rand_core::OsRng;
use serde::{Deserialize, Serialize};

use super::auth::{AdminUser, CurrentUser};
use super::certificate_pages::public_base;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::training::makeup::{self, MakeupAnswers, MakeupResult, MakeupView};
use crate::training::model::new_code;
use crate::training::ops::{self, CheckedIn, Correction, TrainingDetail};
use crate::training::store::{self, Attended, MyTraining, year_start};
use crate::training::{TrainingRequest, attended_sessions};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrainingSummary {
    training_id: i64,
    title: String,
    kind: String,
    starts_at: i64,
    ends_at: i64,
    hours: f64,
    checkin_code: String,
}

#[utoipa::path(get, path = "/api/admin/trainings",
    responses((status = 200, body = [TrainingSummary]), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    a: AdminUser,
) -> Result<Json<Vec<TrainingSummary>>, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let rows = store::list(&mut *state.app.db.read().await?).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| ops::manages(&ctx, r))
            .map(|r| TrainingSummary {
                training_id: r.training_id,
                title: r.title,
                kind: r.kind,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                hours: r.credited_minutes as f64 / 60.0,
                checkin_code: r.checkin_code,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedTraining {
    training_id: i64,
    checkin_code: String,
    /// The link the session's QR code holds.
    checkin_url: String,
}

#[utoipa::path(post, path = "/api/admin/trainings", request_body = TrainingRequest,
    responses((status = 201, body = CreatedTraining), (status = 400), (status = 403)))]
pub async fn create(
    State(state): State<AppState>,
    a: AdminUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<TrainingRequest>,
) -> Result<(StatusCode, Json<CreatedTraining>), ApiError> {
    let (training_id, code) = record(&state, &a, &req).await?;
    let checkin_url = checkin_url(&state, &headers, &code);
    Ok((
        StatusCode::CREATED,
        Json(CreatedTraining {
            training_id,
            checkin_code: code,
            checkin_url,
        }),
    ))
}

/// Records a session with a new check-in code, in its own unit of work: (id, code).
pub(super) async fn record(
    state: &AppState,
    a: &AdminUser,
    req: &TrainingRequest,
) -> Result<(i64, String), ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let code = new_code(&mut OsRng);
    let mut tx = state.app.db.write().await?;
    let id = ops::create(&mut tx, &ctx, req, &code).await?;
    tx.commit().await?;
    Ok((id, code))
}

/// `https://…/checkin?code=K7QMXA`.
pub(super) fn checkin_url(state: &AppState, headers: &HeaderMap, code: &str) -> String {
    format!("{}/checkin?code={code}", public_base(state, headers))
}

#[utoipa::path(get, path = "/api/admin/trainings/{training_id}",
    params(("training_id" = i64, Path)),
    responses((status = 200, body = TrainingDetail), (status = 403), (status = 404)))]
pub async fn get(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingDetail>, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let detail = ops::detail(&mut *state.app.db.read().await?, &ctx, id).await?;
    Ok(Json(detail))
}

/// Marks an expected attendee present or absent; the reason is mandatory and audited.
#[utoipa::path(post, path = "/api/admin/trainings/{training_id}/attendance",
    params(("training_id" = i64, Path)), request_body = Correction,
    responses((status = 204), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn correct(
    State(state): State<AppState>,
    a: AdminUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(c): ApiJson<Correction>,
) -> Result<StatusCode, ApiError> {
    let ctx = a.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    ops::correct(&mut tx, &ctx, id, &c).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CheckinRequest {
    code: String,
}

/// Signs in to the session whose code is given, during its window; a second check-in
/// credits nothing more.
#[utoipa::path(post, path = "/api/checkin", request_body = CheckinRequest,
    responses((status = 200, body = CheckedIn), (status = 401), (status = 403),
              (status = 404), (status = 409)))]
pub async fn checkin(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiJson(req): ApiJson<CheckinRequest>,
) -> Result<Json<CheckedIn>, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let done = ops::check_in(&mut tx, &s.actor, &req.code, now).await?;
    tx.commit().await?;
    Ok(Json(done))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct YearParams {
    /// Defaults to this year (Beijing time).
    year: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyTrainings {
    year: i32,
    attended: Attended,
    sessions: Vec<MyTraining>,
}

#[utoipa::path(get, path = "/api/me/trainings", params(YearParams),
    responses((status = 200, body = MyTrainings), (status = 401)))]
pub async fn mine(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiQuery(q): ApiQuery<YearParams>,
) -> Result<Json<MyTrainings>, ApiError> {
    let year = q
        .year
        .unwrap_or_else(|| crate::learning::year_of(state.app.clock.now()));
    let mut conn = state.app.db.read().await?;
    let attended = attended_sessions(&mut conn, s.actor.user_id, year).await?;
    let (from, until) = (year_start(year), year_start(year.saturating_add(1)));
    let sessions = store::of_user(&mut conn, s.actor.user_id)
        .await?
        .into_iter()
        .filter(|t| t.starts_at >= from && t.starts_at < until)
        .collect();
    Ok(Json(MyTrainings {
        year,
        attended,
        sessions,
    }))
}

/// Starts (or resumes) the make-up of a missed session: its laws and a 3-question check.
#[utoipa::path(post, path = "/api/trainings/{training_id}/makeup",
    params(("training_id" = i64, Path)),
    responses((status = 200, body = MakeupView), (status = 403), (status = 404), (status = 409)))]
pub async fn makeup_start(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MakeupView>, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let view = makeup::start(&mut tx, &s.actor, id, now).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Answers the make-up check: 2 of 3 right credits the session as made up.
#[utoipa::path(post, path = "/api/trainings/{training_id}/makeup/answers",
    params(("training_id" = i64, Path)), request_body = MakeupAnswers,
    responses((status = 200, body = MakeupResult), (status = 400), (status = 409)))]
pub async fn makeup_submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(answers): ApiJson<MakeupAnswers>,
) -> Result<Json<MakeupResult>, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let result = makeup::submit(&mut tx, &s.actor, id, &answers, now).await?;
    tx.commit().await?;
    Ok(Json(result))
}
