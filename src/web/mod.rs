//! HTTP: the JSON API under `/api` and the Chinese pages, on one router.

mod account_pages;
mod accounts_api;
mod admin_api;
mod admin_audit;
mod admin_bank;
mod admin_bank_basis;
mod admin_bank_io;
mod admin_bank_question;
mod admin_exam_analysis;
mod admin_exam_form;
mod admin_exam_person;
mod admin_exam_results;
mod admin_exams;
mod admin_import;
mod admin_pages;
mod admin_requirements;
mod admin_units;
mod admin_user;
mod api;
mod assets;
mod attempt_pages;
mod auth;
mod certificate_admin;
mod certificate_api;
mod certificate_pages;
mod client_ip;
mod conditional;
mod csrf;
mod error;
mod exam_admin_api;
mod exam_api;
mod exam_pages;
mod extract;
mod housekeeping;
mod kit;
mod law_cache;
mod law_parts;
mod law_view;
mod makeup_pages;
mod material_pages;
mod pages;
mod practice_api;
mod practice_pages;
mod report_api;
mod report_pages;
mod routes;
mod session_api;
mod study_api;
mod training_api;
mod training_pages;
mod upload;
mod views;

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::compression::CompressionLayer;

pub use csrf::ALLOW_LIST as CSRF_ALLOW_LIST;
pub use error::{ApiError, PageError, WebError};
pub use routes::RouteTable;
pub use views::check as check_templates;

use crate::app::App;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    /// Sign-in attempts per client address: a burst from one address is slowed down.
    pub login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// Certificate checks per client address (`/verify`): numbers are not for guessing.
    pub verify_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    /// Law pages rendered once per import.
    pub law_pages: Arc<law_cache::LawPages>,
}

/// Sign-in attempts one address may make per minute (accounts lock after 5 failures anyway;
/// this limits spraying many names from one address).
const LOGINS_PER_MINUTE: u32 = 30;

/// Certificate checks one address may make per minute: plenty for a checker at a counter,
/// far too few to walk the random part of the numbers.
const VERIFIES_PER_MINUTE: u32 = 60;

/// The whole HTTP surface; tests call this directly.
pub fn router(app: App) -> Router {
    router_and_table(app).0
}

/// The router and its route table (what the CSRF walk test iterates).
pub fn router_and_table(app: App) -> (Router, RouteTable) {
    let per_minute = NonZeroU32::new(LOGINS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
    let state = AppState {
        app: Arc::new(app),
        login_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
        verify_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(
            NonZeroU32::new(VERIFIES_PER_MINUTE).unwrap_or(NonZeroU32::MIN),
        ))),
        law_pages: Arc::default(),
    };
    housekeeping::spawn(&state);
    let (routes, table) = routes::table(&state).into_parts();
    let router = routes
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(middleware::from_fn_with_state(
            (state.clone(), table.clone()),
            csrf::csrf_layer,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::error_pages,
        ))
        .layer(middleware::from_fn(security_headers))
        // Officials are often on slow links: compress every text response.
        .layer(CompressionLayer::new())
        .with_state(state);
    (router, table)
}

async fn api_not_found() -> ApiError {
    ApiError(WebError::NotFound("接口不存在".into()))
}

async fn api_method_not_allowed() -> ApiError {
    ApiError(WebError::MethodNotAllowed)
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
