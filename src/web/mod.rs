//! HTTP: the JSON API under `/api` and the Chinese pages, on one router.

mod api;
mod error;
mod law_view;
mod pages;
mod views;

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::compression::CompressionLayer;

pub use error::{ApiError, PageError, WebError};

use crate::app::App;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
}

/// The whole HTTP surface; tests call this directly.
pub fn router(app: App) -> Router {
    let state = AppState { app: Arc::new(app) };
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/laws", get(pages::laws))
        .route("/laws/{law_id}", get(pages::law))
        .route("/static/app.css", get(stylesheet))
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api", api::routes())
        .fallback(pages::not_found)
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
