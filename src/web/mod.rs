//! HTTP: the JSON API under `/api` and the Chinese pages, on one router.

mod account_pages;
mod accounts_api;
mod admin_api;
mod admin_audit;
mod admin_bank;
mod admin_bank_io;
mod admin_bank_question;
mod admin_import;
mod admin_pages;
mod admin_units;
mod admin_user;
mod api;
mod assets;
mod auth;
mod conditional;
mod error;
mod extract;
mod law_cache;
mod law_parts;
mod law_view;
mod pages;
mod upload;
mod views;

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
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
    /// Law pages rendered once per import.
    pub law_pages: Arc<law_cache::LawPages>,
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
        law_pages: Arc::default(),
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/laws", get(pages::laws))
        .route("/laws/{law_id}", get(pages::law))
        .route(
            "/login",
            get(account_pages::login_form).post(account_pages::login_submit),
        )
        .route("/logout", post(account_pages::logout))
        .route("/me", get(account_pages::me))
        .route(
            "/me/password",
            get(account_pages::password_form).post(account_pages::password_submit),
        )
        .route(
            "/admin/users",
            get(admin_pages::users).post(admin_pages::create_user),
        )
        .route("/admin/users/template.xlsx", get(admin_import::template))
        .route(
            "/admin/users/import",
            get(admin_import::import_form)
                .post(admin_import::import_upload)
                .layer(DefaultBodyLimit::max(upload::MAX_UPLOAD)),
        )
        .route(
            "/admin/users/import/passwords.xlsx",
            post(admin_import::passwords)
                .layer(DefaultBodyLimit::max(admin_import::MAX_PASSWORDS_FORM)),
        )
        .route(
            "/admin/users/{user_id}",
            get(admin_user::user).post(admin_user::update_user),
        )
        .route(
            "/admin/users/{user_id}/reset",
            post(admin_user::reset_password),
        )
        .route(
            "/admin/users/{user_id}/unlock",
            post(admin_user::unlock_user),
        )
        .route(
            "/admin/units",
            get(admin_units::units).post(admin_units::create_unit),
        )
        .route("/admin/units/{unit_id}", post(admin_units::rename_unit))
        .route("/admin/audit", get(admin_audit::audit))
        .route("/admin/questions", get(admin_bank::list))
        .route(
            "/admin/questions/approve-generated",
            post(admin_bank::approve_generated),
        )
        .route("/admin/questions/review", get(admin_bank::review))
        .route(
            "/admin/questions/template.xlsx",
            get(admin_bank_io::template),
        )
        .route("/admin/questions/export", get(admin_bank_io::export))
        .route(
            "/admin/questions/import",
            get(admin_bank_io::import_form)
                .post(admin_bank_io::import_upload)
                .layer(DefaultBodyLimit::max(upload::MAX_UPLOAD)),
        )
        .route(
            "/admin/questions/generate",
            get(admin_bank_io::generate_form).post(admin_bank_io::generate),
        )
        .route(
            "/admin/questions/{id}",
            get(admin_bank_question::question).post(admin_bank_question::edit),
        )
        .route(
            "/admin/questions/{id}/approve",
            post(admin_bank_question::approve),
        )
        .route(
            "/admin/questions/{id}/retire",
            post(admin_bank_question::retire),
        )
        .route("/static/{*path}", get(assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .nest(
            "/api",
            api::routes()
                .merge(accounts_api::routes())
                .fallback(api_not_found)
                .method_not_allowed_fallback(api_method_not_allowed),
        )
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::error_pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ))
        .layer(middleware::from_fn(security_headers))
        // Officials are often on slow links: compress every text response.
        .layer(CompressionLayer::new())
        .with_state(state)
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
