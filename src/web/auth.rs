//! Who is asking: the session cookie, the signed-in user extractors (with the role and unit
//! scope checks the admin areas rely on) and the client address. Authorization decisions themselves live in `accounts`.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

pub use super::client_ip::ClientIp;
use super::{AppState, WebError};
use crate::accounts::admin::Ctx;
use crate::accounts::{Actor, session};

pub const SESSION_COOKIE: &str = "xuefa_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The one place session cookies are made: HttpOnly, SameSite=Lax, Secure when configured.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// A cookie that removes the session cookie.
pub fn expired_session_cookie(secure: bool) -> Cookie<'static> {
    let mut c = session_cookie(String::new(), secure);
    c.make_removal();
    c
}

/// A signed-in user's session.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub csrf_token: String,
    pub token: String,
}

/// The session, if the request carries a live one.
pub struct MaybeUser(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = super::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, super::ApiError> {
        if let Some(s) = parts.extensions.get::<Option<Session>>() {
            return Ok(MaybeUser(s.clone()));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let session = match jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
            Some(token) if !token.is_empty() && token.len() <= 128 => {
                let now = state.app.clock.now();
                session::resolve(&mut *state.app.db.read().await?, &token, now)
                    .await?
                    .map(|(actor, csrf_token)| Session {
                        actor,
                        csrf_token,
                        token,
                    })
            }
            _ => None,
        };
        parts.extensions.insert(session.clone());
        Ok(MaybeUser(session))
    }
}

/// Paths a user who must change their password may still use.
const PASSWORD_CHANGE_PATHS: [&str; 6] = [
    "/api/me",
    "/api/me/password",
    "/api/logout",
    "/me",
    "/me/password",
    "/logout",
];

/// The request's full URI: inside `.nest("/api", …)` routes see their path without `/api`.
fn original_uri(parts: &Parts) -> axum::http::Uri {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| parts.uri.clone(), |u| u.0.clone())
}

/// A signed-in user. API requests without one get 401; pages redirect to the login page.
/// A user who must change their password is sent to do so first.
pub struct CurrentUser(pub Session);

/// Why `CurrentUser` refused.
pub enum AuthRejection {
    Login {
        api: bool,
        next: String,
    },
    MustChangePassword {
        api: bool,
    },
    Forbidden {
        api: bool,
    },
    /// A bank editor sitting an exam: the bank holds the keys of their paper.
    SittingExam {
        api: bool,
    },
    Error(WebError),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login { api: true, .. } => {
                super::ApiError(WebError::Unauthorized("请先登录".into())).into_response()
            }
            AuthRejection::Login { api: false, next } => {
                let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                Redirect::to(&format!("/login?{q}")).into_response()
            }
            AuthRejection::MustChangePassword { api: true } => {
                let body = serde_json::json!({ "error": "首次登录或密码被重置后，请先修改密码", "code": "must_change_password" });
                (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
            }
            AuthRejection::MustChangePassword { api: false } => {
                Redirect::to("/me/password").into_response()
            }
            AuthRejection::Forbidden { api } => {
                let e = WebError::Forbidden("无权进行此操作（需要管理员权限）".into());
                if api {
                    super::ApiError(e).into_response()
                } else {
                    super::PageError(e).into_response()
                }
            }
            AuthRejection::SittingExam { api } => {
                let e = WebError::Forbidden(SITTING_EXAM.into());
                if api {
                    super::ApiError(e).into_response()
                } else {
                    super::PageError(e).into_response()
                }
            }
            AuthRejection::Error(e) => super::ApiError(e).into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, AuthRejection> {
        let uri = original_uri(parts);
        let path = uri.path().to_string();
        let api = path.starts_with("/api/");
        let MaybeUser(session) = MaybeUser::from_request_parts(parts, state)
            .await
            .map_err(|e| AuthRejection::Error(e.0))?;
        let Some(session) = session else {
            let next = uri
                .path_and_query()
                .map_or("/".to_string(), |p| p.to_string());
            return Err(AuthRejection::Login { api, next });
        };
        if session.actor.must_change_password && !PASSWORD_CHANGE_PATHS.contains(&path.as_str()) {
            return Err(AuthRejection::MustChangePassword { api });
        }
        Ok(CurrentUser(session))
    }
}

/// A signed-in system or unit administrator, with the client address for the audit log.
/// Others get 403 (API) or the 403 page. The guard of the users, units and audit areas.
pub struct AdminUser {
    pub session: Session,
    pub ip: String,
    /// The subtree this administrator manages: `None` for a system administrator.
    scope: Option<String>,
}

impl AdminUser {
    /// The context admin operations run in.
    pub fn ctx(&self, now: i64) -> Ctx<'_> {
        Ctx {
            actor: &self.session.actor,
            ip: &self.ip,
            now,
        }
    }

    /// The unit subtree whose records this administrator sees (`None` = all).
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, AuthRejection> {
        let CurrentUser(session) = CurrentUser::from_request_parts(parts, state).await?;
        let Ok(scope) = session.actor.admin_scope().map(|s| s.map(str::to_string)) else {
            return Err(forbidden(parts));
        };
        let Ok(ClientIp(ip)) = ClientIp::from_request_parts(parts, state).await;
        Ok(AdminUser { session, ip, scope })
    }
}

/// Someone who may read and change the question bank with its answer keys: a system
/// administrator or a bank editor (题库管理员), not a unit administrator. The guard of the
/// bank area.
pub struct BankEditor {
    pub session: Session,
}

impl FromRequestParts<AppState> for BankEditor {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, AuthRejection> {
        let CurrentUser(session) = CurrentUser::from_request_parts(parts, state).await?;
        if !session.actor.may_edit_bank() {
            return Err(forbidden(parts));
        }
        // The bank shows every key: not to someone sitting an exam drawn from it. (Editing a
        // key while others sit an exam is safe: an edit is a new version, and an attempt
        // keeps grading with the versions its paper recorded until a regrade.)
        let now = state.app.clock.now();
        let sitting =
            crate::exam::store_attempt::sitting_now(&state.app.db.pool, session.actor.user_id, now)
                .await
                .map_err(|e| AuthRejection::Error(e.into()))?;
        if sitting {
            let api = original_uri(parts).path().starts_with("/api/");
            return Err(AuthRejection::SittingExam { api });
        }
        Ok(BankEditor { session })
    }
}

/// Why the bank refuses a bank editor who is sitting an exam.
pub const SITTING_EXAM: &str = "考试进行中，不能查看或修改题库，请交卷后再试";

fn forbidden(parts: &Parts) -> AuthRejection {
    let api = original_uri(parts).path().starts_with("/api/");
    AuthRejection::Forbidden { api }
}

pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
