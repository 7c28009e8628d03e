//! Certificate pages for everyone: the public check `/verify/{number}`, the printable
//! certificate with its QR code `/certificates/{number}`, the officer's own list
//! `/me/certificates` and the expiry reminder on `/me`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use minijinja::{Value, context};
use qrcode::{EcLevel, QrCode};

use super::auth::{ClientIp, CurrentUser, Session};
use super::extract::PagePath;
use super::kit::render;
use super::{AppState, PageError, WebError};
use crate::certificates::beijing_date as day;
use crate::certificates::{
    self, CertificateNumber, CertificateRow, DAY, REMIND_DAYS, Status, last_day, store,
};

/// Whole days from `now` until `valid_until`, rounded up (0 once it has ended).
pub(super) fn days_left(valid_until: i64, now: i64) -> i64 {
    ((valid_until - now).max(0) + DAY - 1) / DAY
}

/// `/verify/{number}`: whether a certificate holds, and only what a checker needs to see
/// that it belongs to the officer in front of them. Anyone may ask, a few dozen times a
/// minute per address (numbers are not for guessing).
pub async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    if state.verify_limiter.check_key(&ip).is_err() {
        return Err(WebError::TooManyRequests("查询过于频繁，请稍后再试".into()).into());
    }
    let now = state.app.clock.now();
    let found = match CertificateNumber::parse(&raw) {
        Some(n) => store::by_number(&state.app.db.pool, n.as_str()).await?,
        None => None,
    };
    let Some(c) = found else {
        let ctx = context! { status => "unknown", label => "查无此证", number => raw.trim() };
        return render(StatusCode::NOT_FOUND, "verify.html", None, ctx);
    };
    let status = c.status(now);
    let ctx = context! {
        status => status.as_str(),
        label => status.label(),
        number => c.number,
        holder => c.holder_name,
        unit => c.unit_path,
        category => c.category,
        area => c.area,
        issuer => c.issuer,
        issued_on => day(c.issued_at),
        valid_through => last_day(c.valid_until),
        revoked_on => c.revoked_at.map(day),
        checked_at => super::kit::beijing_time(now),
    };
    render(StatusCode::OK, "verify.html", None, ctx)
}

/// Where checkers reach the server: the configured public address, else the one this
/// request came to.
fn verify_url(state: &AppState, headers: &HeaderMap, number: &str) -> String {
    format!("{}/verify/{number}", public_base(state, headers))
}

/// The server's address as people outside reach it (`https://xuefa.example.gov.cn`): the
/// configured public address, else the host this request came to. QR codes link there.
pub(super) fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    match &state.app.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| {
                    h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
                })
                .unwrap_or("localhost");
            let scheme = if state.app.config.secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}")
        }
    }
}

/// The QR code of `text` as an inline SVG element (black on white, quiet zone included).
pub fn qr_svg(text: &str) -> Result<String, WebError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| WebError::Internal(format!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .build();
    // Inline in HTML: the XML declaration in front of <svg> has no place there.
    Ok(svg
        .find("<svg")
        .map_or(svg.clone(), |at| svg[at..].to_string()))
}

/// The certificate's facts for a template.
pub(super) fn shown(c: &CertificateRow, now: i64) -> Value {
    let status = c.status(now);
    context! {
        number => c.number.clone(),
        holder => c.holder_name.clone(),
        unit => c.unit_path.clone(),
        category => c.category.clone(),
        area => c.area.clone(),
        issuer => c.issuer.clone(),
        source => c.source.clone(),
        exam_title => c.exam_title.clone(),
        score => c.score,
        original_number => c.original_number.clone(),
        issued_on => day(c.issued_at),
        valid_through => last_day(c.valid_until),
        days_left => days_left(c.valid_until, now),
        status => status.as_str(),
        label => status.label(),
        valid => status == Status::Valid,
        revoked_on => c.revoked_at.map(day),
        revoked_reason => c.revoked_reason.clone(),
        superseded_by => c.superseded_number.clone(),
    }
}

/// `/certificates/{number}`: the printable certificate, for its holder and the
/// administrators of the holder's unit (who also get the revoke and re-issue forms).
pub async fn certificate(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    headers: HeaderMap,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    certificate_page(&state, &s, &headers, &raw, StatusCode::OK, None).await
}

pub(super) async fn certificate_page(
    state: &AppState,
    s: &Session,
    headers: &HeaderMap,
    raw: &str,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let unknown = || PageError(WebError::NotFound("证件不存在".into()));
    let number = CertificateNumber::parse(raw).ok_or_else(unknown)?;
    let c = store::by_number(&state.app.db.pool, number.as_str())
        .await?
        .ok_or_else(unknown)?;
    // Someone else's certificate is "not found" to an official: no hint that it exists.
    if !certificates::ops::visible_to(&s.actor, &c) {
        return Err(unknown());
    }
    let now = state.app.clock.now();
    let url = verify_url(state, headers, &c.number);
    let ctx = context! {
        cert => shown(&c, now),
        verify_url => url.clone(),
        qr_svg => qr_svg(&url)?,
        manages => s.actor.can_manage_unit(&c.holder_unit),
        error,
    };
    render(status, "certificate.html", Some(s), ctx)
}

/// `/me/certificates`: the officer's certificates, newest first.
pub async fn mine(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let rows = store::of_user(&state.app.db.pool, s.actor.user_id).await?;
    let list: Vec<Value> = rows.iter().map(|c| shown(c, now)).collect();
    let ctx = context! { certificates => list };
    render(StatusCode::OK, "my_certificates.html", Some(&s), ctx)
}

/// The holder's valid certificates that end within `REMIND_DAYS`, for the reminder on `/me`.
pub(super) async fn expiring_soon(state: &AppState, user_id: i64) -> Result<Vec<Value>, WebError> {
    let now = state.app.clock.now();
    let rows = store::of_user(&state.app.db.pool, user_id).await?;
    Ok(rows
        .iter()
        .filter(|c| c.status(now) == Status::Valid && c.valid_until - now <= REMIND_DAYS * DAY)
        .map(|c| shown(c, now))
        .collect())
}
