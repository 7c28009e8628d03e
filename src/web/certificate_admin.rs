//! Certificates for administrators, within their units: those expiring soon, entering one
//! held before xuefa, and the revoke and re-issue forms of the certificate page.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use rand_core::OsRng;
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_pages::ctx_of;
use super::auth::{AdminUser, ClientIp, Session};
use super::certificate_pages::{certificate_page, days_left, shown};
use super::extract::PagePath;
use super::kit::{form_error, render};
use super::{AppState, PageError, WebError};
use crate::certificates::{self, CertificateRow, DAY, HeldForm, REMIND_DAYS, Settings, store};
use crate::db::commit_if_ok;

/// Days ahead an expiry list looks by default, and at most.
pub(super) const MAX_DAYS: i64 = 3660;

/// `?days=N` (90 when missing or malformed, at most ten years).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExpiringQuery {
    days: String,
}

pub(super) fn days_ahead(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .map_or(REMIND_DAYS, |d| d.clamp(1, MAX_DAYS))
}

/// The valid certificates in the administrator's units that end within `days`.
pub(super) async fn expiring(
    state: &AppState,
    scope: Option<&str>,
    days: i64,
) -> Result<Vec<CertificateRow>, WebError> {
    let now = state.app.clock.now();
    Ok(store::expiring(&state.app.db.pool, scope, now, now + days * DAY).await?)
}

pub async fn list(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(q): Query<ExpiringQuery>,
) -> Result<Response, PageError> {
    let days = days_ahead(&q.days);
    admin_page(
        &state,
        &admin,
        days,
        StatusCode::OK,
        None,
        HeldForm::default(),
    )
    .await
}

async fn admin_page(
    state: &AppState,
    admin: &AdminUser,
    days: i64,
    status: StatusCode,
    error: Option<String>,
    form: HeldForm,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let rows = expiring(state, admin.scope(), days).await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|c| context! { days_left => days_left(c.valid_until, now), ..shown(c, now) })
        .collect();
    let ctx = context! {
        section => "certificates",
        days,
        certificates => list,
        error,
        form => Value::from(minijinja::value::Serde(&form)),
    };
    render(status, "admin_certificates.html", Some(&admin.session), ctx)
}

/// Enters a certificate held before xuefa, then shows it.
pub async fn record(
    State(state): State<AppState>,
    admin: AdminUser,
    PageForm(form): PageForm<HeldForm>,
) -> Result<Response, PageError> {
    let settings = Settings::of(&state.app.config);
    let ctx = admin.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let done = certificates::record_held(&mut tx, &ctx, &settings, &form, &mut OsRng).await;
    match commit_if_ok(tx, done).await {
        Ok(c) => Ok(Redirect::to(&format!("/certificates/{}", c.number)).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            admin_page(&state, &admin, REMIND_DAYS, status, Some(message), form).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevokeForm {
    reason: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PagePath(number): PagePath<String>,
    PageForm(f): PageForm<RevokeForm>,
) -> Result<Response, PageError> {
    let mut tx = state.app.db.write().await?;
    let done = certificates::revoke(&mut tx, &ctx_of(&state, &s, &ip), &number, &f.reason).await;
    after(&state, &s, &headers, &number, commit_if_ok(tx, done).await).await
}

pub async fn reissue(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    PagePath(number): PagePath<String>,
) -> Result<Response, PageError> {
    let settings = Settings::of(&state.app.config);
    let mut tx = state.app.db.write().await?;
    let ctx = ctx_of(&state, &s, &ip);
    let done = certificates::reissue(&mut tx, &ctx, &settings, &number, &mut OsRng).await;
    after(&state, &s, &headers, &number, commit_if_ok(tx, done).await).await
}

/// To the resulting certificate, or back to the one acted on with why it was refused.
async fn after(
    state: &AppState,
    s: &Session,
    headers: &HeaderMap,
    number: &str,
    done: Result<CertificateRow, certificates::CertError>,
) -> Result<Response, PageError> {
    match done {
        Ok(c) => Ok(Redirect::to(&format!("/certificates/{}", c.number)).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            certificate_page(state, s, headers, number, status, Some(message)).await
        }
    }
}
