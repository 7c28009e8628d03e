//! The sessions interface of issue 11, over the training domain: `POST /api/admin/sessions`
//! records a session (laws named by title, kind `center_group` for 中心组学法) and
//! `POST /api/sessions/{id}/checkin` signs in with its code. The older routes
//! (`/api/admin/trainings`, `POST /api/checkin`) stay for the pages.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use super::auth::{AdminUser, CurrentUser};
use super::extract::{ApiJson, ApiPath};
use super::training_api::{checkin_url, record};
use super::{ApiError, AppState};
use crate::training::TrainingRequest;
use crate::training::ops;

/// `{title, kind: "concentrated"|"center_group"|"training", starts_at, ends_at, hours,
/// laws: [TITLE], units: [PATH]}`; times RFC 3339.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SessionRequest {
    title: String,
    /// concentrated (集中学法), center_group (党委理论学习中心组学法; group_study is accepted
    /// too) or training (法治培训班).
    kind: String,
    starts_at: String,
    ends_at: String,
    /// Study hours credited to each attendee.
    hours: f64,
    /// Law titles, full or without 中华人民共和国; the current version is meant.
    laws: Vec<String>,
    /// Expected units (each with its sub-units).
    units: Vec<String>,
    /// Expected people by username, besides the units.
    people: Vec<String>,
    grace_before_minutes: Option<i64>,
    grace_after_minutes: Option<i64>,
}

impl SessionRequest {
    fn training(self) -> TrainingRequest {
        TrainingRequest {
            title: self.title,
            kind: self.kind,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            hours: self.hours,
            laws: Vec::new(),
            law_titles: self.laws,
            units: self.units,
            people: self.people,
            grace_before_minutes: self.grace_before_minutes,
            grace_after_minutes: self.grace_after_minutes,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedSession {
    session_id: i64,
    checkin_code: String,
    /// The link the session's QR code holds.
    checkin_url: String,
}

/// Records a study session (audited); a unit administrator's roster must lie in their unit.
#[utoipa::path(post, path = "/api/admin/sessions", request_body = SessionRequest,
    responses((status = 201, body = CreatedSession), (status = 400), (status = 403)))]
pub async fn create(
    State(state): State<AppState>,
    a: AdminUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SessionRequest>,
) -> Result<(StatusCode, Json<CreatedSession>), ApiError> {
    let (session_id, code) = record(&state, &a, &req.training()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedSession {
            session_id,
            checkin_url: checkin_url(&state, &headers, &code),
            checkin_code: code,
        }),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SessionCheckin {
    code: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SessionCheckedIn {
    session_id: i64,
    title: String,
    /// Hours credited by this check-in: 0 when already signed in.
    credited_hours: f64,
    already: bool,
}

/// Signs in to the session with its code, during its window (15 minutes before the start to
/// 30 after the end unless the session says otherwise). A wrong code is 400, outside the
/// window 409, not on the roster 403; a second check-in credits 0 hours.
#[utoipa::path(post, path = "/api/sessions/{session_id}/checkin",
    params(("session_id" = i64, Path)), request_body = SessionCheckin,
    responses((status = 200, body = SessionCheckedIn), (status = 400), (status = 401),
              (status = 403), (status = 404), (status = 409)))]
pub async fn checkin(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<SessionCheckin>,
) -> Result<Json<SessionCheckedIn>, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let done = ops::check_in_to(&mut tx, &s.actor, id, &req.code, now).await?;
    tx.commit().await?;
    Ok(Json(SessionCheckedIn {
        session_id: done.training_id,
        title: done.title,
        credited_hours: done.credited_hours,
        already: done.already,
    }))
}
