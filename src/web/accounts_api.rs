//! JSON API for signing in and for administering users and units.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};

use super::auth::{ClientIp, CurrentUser, MaybeUser, expired_session_cookie, session_cookie};
use super::extract::ApiJson;
use super::{ApiError, AppState, WebError};
use crate::accounts::login::{self, Origin};
use crate::accounts::{Role, session};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    username: String,
    password: String,
}

/// The signed-in user, with the CSRF token state-changing calls must send as `X-CSRF-Token`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    user_id: i64,
    username: String,
    name: String,
    unit: String,
    #[schema(value_type = Vec<String>)]
    roles: Vec<Role>,
    csrf_token: String,
    must_change_password: bool,
}

fn me_response(s: &super::auth::Session) -> MeResponse {
    MeResponse {
        user_id: s.actor.user_id,
        username: s.actor.username.clone(),
        name: s.actor.name.clone(),
        unit: s.actor.unit.clone(),
        roles: s.actor.roles.clone(),
        csrf_token: s.csrf_token.clone(),
        must_change_password: s.actor.must_change_password,
    }
}

/// Signs in; the session id is new on every sign-in (any old session of this browser ends).
#[utoipa::path(post, path = "/api/login", request_body = LoginRequest,
    responses((status = 200, body = MeResponse), (status = 401), (status = 423), (status = 429)))]
pub async fn login(
    State(state): State<AppState>,
    MaybeUser(old): MaybeUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let session = sign_in(&state, old, &ip, &req.username, &req.password).await?;
    let jar = jar.add(session_cookie(
        session.token.clone(),
        state.app.config.secure_cookies,
    ));
    Ok((jar, Json(me_response(&session))))
}

/// Sign-in shared by the API and the login page: per-address throttling, rotation.
pub async fn sign_in(
    state: &AppState,
    old: Option<super::auth::Session>,
    ip: &str,
    username: &str,
    password: &str,
) -> Result<super::auth::Session, WebError> {
    if state.login_limiter.check_key(&ip.to_string()).is_err() {
        return Err(WebError::TooManyRequests(
            "登录请求过于频繁，请稍后再试".into(),
        ));
    }
    if username.len() > 256 || password.len() > 1024 {
        return Err(WebError::Unauthorized("用户名或密码错误".into()));
    }
    let app = &state.app;
    let now = app.clock.now();
    // Not one unit of work: the attempt is counted in its own statement before the slow
    // password check, so parallel guesses see each other's counts.
    let signed = login::login(
        &mut *app.db.read().await?,
        app.config.hash_cost,
        username,
        password,
        Origin { ip },
        now,
    )
    .await?;
    // Rotation: whatever session this browser had ends once the new one exists.
    if let Some(old) = old {
        session::end(&app.db.pool, &old.token).await?;
    }
    Ok(super::auth::Session {
        actor: signed.actor,
        csrf_token: signed.csrf_token,
        token: signed.session_token,
    })
}

#[utoipa::path(post, path = "/api/logout", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    MaybeUser(session): MaybeUser,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
) -> Result<impl IntoResponse, ApiError> {
    sign_out(&state, session, &ip).await?;
    Ok((
        jar.add(expired_session_cookie(state.app.config.secure_cookies)),
        StatusCode::NO_CONTENT,
    ))
}

pub async fn sign_out(
    state: &AppState,
    session: Option<super::auth::Session>,
    ip: &str,
) -> Result<(), WebError> {
    if let Some(s) = session {
        let pool = &state.app.db.pool;
        session::end(pool, &s.token).await?;
        let entry = session::Audit {
            actor: Some(&s.actor),
            actor_name: "",
            action: "logout",
            target: &s.actor.username,
            detail: "",
            ip,
        };
        session::audit(pool, &entry, state.app.clock.now()).await?;
    }
    Ok(())
}

#[utoipa::path(get, path = "/api/me", responses((status = 200, body = MeResponse), (status = 401)))]
pub async fn me(CurrentUser(s): CurrentUser) -> Json<MeResponse> {
    Json(me_response(&s))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    old_password: String,
    new_password: String,
}

#[utoipa::path(post, path = "/api/me/password", request_body = PasswordChange,
    responses((status = 204), (status = 400)))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let app = &state.app;
    let now = app.clock.now();
    let change = login::NewPassword {
        old: &req.old_password,
        new: &req.new_password,
    };
    let checked =
        login::CheckedChange::new(&app.db.pool, app.config.hash_cost, &s.actor, change).await?;
    let mut tx = app.db.write().await?;
    login::change_password(
        &mut tx,
        &s.actor,
        &s.token,
        checked,
        Origin { ip: &ip },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
