//! HTTP: the JSON API under `/api` and the Chinese pages, on one router.

mod accounts_api;
mod api;
mod auth;
mod error;
mod law_view;
mod pages;
mod views;

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::compression::CompressionLayer;

pub use error::{ApiError, PageError, WebError};

use crate::app::App;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    /// Sign-in attempts per client address: a burst from one address is slowed down.
    pub login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
}

/// Sign-in attempts one address may make per minute (accounts lock after 5 failures anyway;
/// this limits spraying many names from one address).
const LOGINS_PER_MINUTE: u32 = 30;

/// The whole HTTP surface; tests call this directly.
pub fn router(app: App) -> Router {
    let per_minute = NonZeroU32::new(LOGINS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
    let state = AppState {
        app: Arc::new(app),
        login_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/laws", get(pages::laws))
        .route("/laws/{law_id}", get(pages::law))
        .route("/static/app.css", get(stylesheet))
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api", api::routes().merge(accounts_api::routes()))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::csrf_guard))
        .layer(middleware::from_fn(security_headers))
        // Officials are often on slow links: compress every text response.
        .layer(CompressionLayer::new())
        .with_state(state)
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        views::APP_CSS,
    )
        .into_response()
}

/// Security headers on every response: no inline script, no framing, no sniffing.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    res
}
