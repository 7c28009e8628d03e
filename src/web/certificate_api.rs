//! Certificates through the JSON API: one's own, and for administrators those expiring in
//! their units, entering one held before xuefa, revoking and re-issuing.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rand_core::OsRng;
use serde::{Deserialize, Serialize};

use super::auth::{AdminUser, CurrentUser};
use super::certificate_admin::{days_ahead, expiring};
use super::certificate_pages::days_left;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{ApiError, AppState};
use crate::certificates::{self, Certificate, HeldForm, Settings, store};
use crate::db::commit_if_ok;

/// One of my certificates.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MyCertificate {
    number: String,
    category: String,
    area: String,
    issued_at: i64,
    /// Unix seconds; valid before this moment.
    valid_until: i64,
    /// `valid`, `expired`, `revoked` or `superseded`.
    status: String,
}

#[utoipa::path(get, path = "/api/me/certificates",
    responses((status = 200, body = [MyCertificate]), (status = 401)))]
pub async fn mine(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Json<Vec<MyCertificate>>, ApiError> {
    let now = state.app.clock.now();
    let rows = store::of_user(&state.app.db.pool, s.actor.user_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|c| MyCertificate {
                status: c.status(now).as_str().to_string(),
                number: c.number,
                category: c.category,
                area: c.area,
                issued_at: c.issued_at,
                valid_until: c.valid_until,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExpiringParams {
    /// Days ahead (default 90, at most 3660).
    expiring_days: Option<String>,
}

/// A certificate in the expiry list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Expiring {
    #[serde(flatten)]
    certificate: Certificate,
    days_left: i64,
}

#[utoipa::path(get, path = "/api/admin/certificates", params(ExpiringParams),
    responses((status = 200, body = [Expiring]), (status = 401), (status = 403)))]
pub async fn list(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiQuery(q): ApiQuery<ExpiringParams>,
) -> Result<Json<Vec<Expiring>>, ApiError> {
    let days = days_ahead(q.expiring_days.as_deref().unwrap_or_default());
    let now = state.app.clock.now();
    let rows = expiring(&state, admin.scope(), days).await?;
    Ok(Json(
        rows.iter()
            .map(|c| Expiring {
                certificate: c.view(now),
                days_left: days_left(c.valid_until, now),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/admin/certificates", request_body = HeldForm,
    responses((status = 201, body = Certificate), (status = 400), (status = 403), (status = 404)))]
pub async fn record(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiJson(form): ApiJson<HeldForm>,
) -> Result<(StatusCode, Json<Certificate>), ApiError> {
    let settings = Settings::of(&state.app.config);
    let ctx = admin.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let done = certificates::record_held(&mut tx, &ctx, &settings, &form, &mut OsRng).await;
    let c = commit_if_ok(tx, done).await?;
    Ok((StatusCode::CREATED, Json(c.view(ctx.now))))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RevokeBody {
    reason: String,
}

#[utoipa::path(post, path = "/api/admin/certificates/{number}/revoke", request_body = RevokeBody,
    responses((status = 200, body = Certificate), (status = 400), (status = 403), (status = 404), (status = 409)))]
pub async fn revoke(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> Result<Json<Certificate>, ApiError> {
    let ctx = admin.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let done = certificates::revoke(&mut tx, &ctx, &number, &body.reason).await;
    Ok(Json(commit_if_ok(tx, done).await?.view(ctx.now)))
}

#[utoipa::path(post, path = "/api/admin/certificates/{number}/reissue",
    responses((status = 201, body = Certificate), (status = 403), (status = 404), (status = 409)))]
pub async fn reissue(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(number): ApiPath<String>,
) -> Result<(StatusCode, Json<Certificate>), ApiError> {
    let settings = Settings::of(&state.app.config);
    let ctx = admin.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let done = certificates::reissue(&mut tx, &ctx, &settings, &number, &mut OsRng).await;
    let c = commit_if_ok(tx, done).await?;
    Ok((StatusCode::CREATED, Json(c.view(ctx.now))))
}
