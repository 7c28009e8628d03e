//! JSON API for signing in and for administering users and units.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};

use super::auth::{ClientIp, CurrentUser, MaybeUser, expired_session_cookie, session_cookie};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{ApiError, AppState, WebError};
use crate::accounts::admin::{self, Ctx, UserEdit, UserForm, UserView};
use crate::accounts::login::{self, Origin};
use crate::accounts::{Role, session, store};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .route("/me/password", post(change_password))
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/{user_id}", get(get_user).patch(update_user))
        .route("/admin/users/{user_id}/deactivate", post(deactivate_user))
        .route(
            "/admin/users/{user_id}/reset-password",
            post(reset_password),
        )
        .route("/admin/units", get(list_units).post(create_unit))
        .route("/admin/units/{unit_id}", axum::routing::patch(rename_unit))
        .route("/admin/audit", get(audit))
}

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
    let signed = login::login(
        &app.db.pool,
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
    login::change_password(
        &app.db.pool,
        app.config.hash_cost,
        &s.actor,
        &req.old_password,
        &req.new_password,
        Origin { ip: &ip },
        now,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UserQuery {
    /// Unit path; its sub-units included.
    unit: Option<String>,
    /// Part of a username or name.
    q: Option<String>,
    page: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserPage {
    total: i64,
    page: i64,
    per_page: i64,
    users: Vec<UserView>,
}

pub const PER_PAGE: i64 = 50;

#[utoipa::path(get, path = "/api/admin/users", params(UserQuery),
    responses((status = 200, body = UserPage), (status = 401), (status = 403)))]
pub async fn list_users(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<Json<UserPage>, ApiError> {
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let (users, total) = admin::list_users(
        &state.app.db.pool,
        &s.actor,
        q.unit.as_deref(),
        q.q.as_deref(),
        page,
        PER_PAGE,
    )
    .await?;
    Ok(Json(UserPage {
        total,
        page,
        per_page: PER_PAGE,
        users,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUserRequest {
    #[serde(flatten)]
    form: UserForm,
    /// Initial password; when absent a one-time password is generated and returned.
    password: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InitialPassword {
    user_id: i64,
    /// Shown once; the user must change it at first sign-in.
    initial_password: String,
}

#[utoipa::path(post, path = "/api/admin/users", request_body = NewUserRequest,
    responses((status = 201, body = InitialPassword), (status = 400), (status = 403), (status = 409)))]
pub async fn create_user(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<InitialPassword>), ApiError> {
    let app = &state.app;
    let ctx = Ctx {
        actor: &s.actor,
        ip: &ip,
        now: app.clock.now(),
    };
    s.actor.admin_scope()?;
    let given = req.password.is_some();
    let (user_id, password) = admin::create_user(
        &app.db.pool,
        app.config.hash_cost,
        &ctx,
        &req.form,
        req.password,
    )
    .await?;
    let initial_password = if given { String::new() } else { password };
    Ok((
        StatusCode::CREATED,
        Json(InitialPassword {
            user_id,
            initial_password,
        }),
    ))
}

#[utoipa::path(get, path = "/api/admin/users/{user_id}", params(("user_id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403), (status = 404)))]
pub async fn get_user(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    s.actor.admin_scope()?;
    let user = admin::managed_user(&state.app.db.pool, &s.actor, user_id).await?;
    Ok(Json(admin::view(&state.app.db.pool, user).await?))
}

#[utoipa::path(patch, path = "/api/admin/users/{user_id}", params(("user_id" = i64, Path)), request_body = UserEdit,
    responses((status = 200, body = UserView), (status = 400), (status = 403), (status = 404)))]
pub async fn update_user(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    ApiPath(user_id): ApiPath<i64>,
    ApiJson(edit): ApiJson<UserEdit>,
) -> Result<Json<UserView>, ApiError> {
    s.actor.admin_scope()?;
    let app = &state.app;
    let ctx = Ctx {
        actor: &s.actor,
        ip: &ip,
        now: app.clock.now(),
    };
    admin::update_user(&app.db.pool, &ctx, user_id, &edit).await?;
    get_user(
        State(state.clone()),
        CurrentUser(s.clone()),
        ApiPath(user_id),
    )
    .await
}

#[utoipa::path(post, path = "/api/admin/users/{user_id}/deactivate", params(("user_id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403), (status = 404)))]
pub async fn deactivate_user(
    state: State<AppState>,
    user: CurrentUser,
    ip: ClientIp,
    id: ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    update_user(
        state,
        user,
        ip,
        id,
        ApiJson(UserEdit {
            active: Some(false),
            ..Default::default()
        }),
    )
    .await
}

#[utoipa::path(post, path = "/api/admin/users/{user_id}/reset-password", params(("user_id" = i64, Path)),
    responses((status = 200, body = InitialPassword), (status = 403), (status = 404)))]
pub async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<InitialPassword>, ApiError> {
    s.actor.admin_scope()?;
    let app = &state.app;
    let ctx = Ctx {
        actor: &s.actor,
        ip: &ip,
        now: app.clock.now(),
    };
    let initial_password =
        admin::reset_password(&app.db.pool, app.config.hash_cost, &ctx, user_id).await?;
    Ok(Json(InitialPassword {
        user_id,
        initial_password,
    }))
}

#[utoipa::path(get, path = "/api/admin/units", responses((status = 200, body = [store::UnitRow]), (status = 403)))]
pub async fn list_units(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Json<Vec<store::UnitRow>>, ApiError> {
    let scope = s.actor.admin_scope()?;
    Ok(Json(store::list_units(&state.app.db.pool, scope).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UnitRequest {
    /// Full path, e.g. 柱山乡/综合行政执法大队 (missing ancestors are created).
    path: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    id: i64,
}

#[utoipa::path(post, path = "/api/admin/units", request_body = UnitRequest,
    responses((status = 201, body = Created), (status = 400), (status = 403), (status = 409)))]
pub async fn create_unit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<UnitRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    s.actor.admin_scope()?;
    let ctx = Ctx {
        actor: &s.actor,
        ip: &ip,
        now: state.app.clock.now(),
    };
    let id = admin::create_unit(&state.app.db.pool, &ctx, &req.path).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RenameRequest {
    name: String,
}

#[utoipa::path(patch, path = "/api/admin/units/{unit_id}", params(("unit_id" = i64, Path)), request_body = RenameRequest,
    responses((status = 204), (status = 400), (status = 403), (status = 404)))]
pub async fn rename_unit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    ApiPath(unit_id): ApiPath<i64>,
    ApiJson(req): ApiJson<RenameRequest>,
) -> Result<StatusCode, ApiError> {
    s.actor.admin_scope()?;
    let ctx = Ctx {
        actor: &s.actor,
        ip: &ip,
        now: state.app.clock.now(),
    };
    admin::rename_unit(&state.app.db.pool, &ctx, unit_id, &req.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    page: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    total: i64,
    page: i64,
    entries: Vec<session::AuditRow>,
}

/// The audit log, newest first: system administrators only.
#[utoipa::path(get, path = "/api/admin/audit", params(PageQuery),
    responses((status = 200, body = AuditPage), (status = 403)))]
pub async fn audit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    if !s.actor.is_admin() {
        return Err(WebError::Forbidden("仅系统管理员可查看审计日志".into()).into());
    }
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let (entries, total) =
        session::audit_page(&state.app.db.pool, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(Json(AuditPage {
        total,
        page,
        entries,
    }))
}
