//! JSON API for administrators: users, units and the audit log. The area's guard and every
//! handler take an `AdminUser` (system or unit administrator, with their unit scope); the
//! domain checks each target's scope.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::admin_audit::audit_filter;
use super::auth::AdminUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{ApiError, AppState, WebError};
use crate::accounts::admin::{self, PreparedUser, UserEdit, UserForm, UserView};
use crate::accounts::password;
use crate::accounts::{audit, session, store};

pub const PER_PAGE: i64 = 50;

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

#[utoipa::path(get, path = "/api/admin/users", params(UserQuery),
    responses((status = 200, body = UserPage), (status = 401), (status = 403)))]
pub async fn list_users(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<Json<UserPage>, ApiError> {
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let pool = &state.app.db.pool;
    let actor = &admin.session.actor;
    let (users, total) = admin::list_users(
        &mut *pool.acquire().await?,
        actor,
        q.unit.as_deref(),
        q.q.as_deref(),
        page,
        PER_PAGE,
        state.app.clock.now(),
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
    /// Shown once; the user must change it at first sign-in. Empty when the request set it.
    initial_password: String,
}

#[utoipa::path(post, path = "/api/admin/users", request_body = NewUserRequest,
    responses((status = 201, body = InitialPassword), (status = 400), (status = 403), (status = 409)))]
pub async fn create_user(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> Result<(StatusCode, Json<InitialPassword>), ApiError> {
    let app = &state.app;
    let given = req.password.is_some();
    let ctx = admin.ctx(app.clock.now());
    let prepared = PreparedUser::new(app.config.hash_cost, &ctx, &req.form, req.password).await?;
    let mut tx = app.db.write().await?;
    let (user_id, password) = admin::create_user(&mut tx, &ctx, prepared).await?;
    tx.commit().await?;
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
    admin: AdminUser,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    let mut conn = state.app.db.read().await?;
    let user = admin::managed_user(&mut conn, &admin.session.actor, user_id).await?;
    Ok(Json(
        admin::view(&mut *conn, user, state.app.clock.now()).await?,
    ))
}

#[utoipa::path(patch, path = "/api/admin/users/{user_id}", params(("user_id" = i64, Path)),
    request_body = UserEdit,
    responses((status = 200, body = UserView), (status = 400), (status = 403), (status = 404)))]
pub async fn update_user(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(user_id): ApiPath<i64>,
    ApiJson(edit): ApiJson<UserEdit>,
) -> Result<Json<UserView>, ApiError> {
    edit_and_view(&state, &admin, user_id, &edit).await
}

#[utoipa::path(post, path = "/api/admin/users/{user_id}/deactivate", params(("user_id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403), (status = 404)))]
pub async fn deactivate_user(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    let edit = UserEdit {
        active: Some(false),
        ..Default::default()
    };
    edit_and_view(&state, &admin, user_id, &edit).await
}

async fn edit_and_view(
    state: &AppState,
    admin: &AdminUser,
    user_id: i64,
    edit: &UserEdit,
) -> Result<Json<UserView>, ApiError> {
    let mut tx = state.app.db.write().await?;
    admin::update_user(&mut tx, &admin.ctx(state.app.clock.now()), user_id, edit).await?;
    let user = admin::managed_user(&mut tx, &admin.session.actor, user_id).await?;
    let view = admin::view(&mut *tx, user, state.app.clock.now()).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(post, path = "/api/admin/users/{user_id}/reset-password",
    params(("user_id" = i64, Path)),
    responses((status = 200, body = InitialPassword), (status = 403), (status = 404)))]
pub async fn reset_password(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<InitialPassword>, ApiError> {
    let app = &state.app;
    let ctx = admin.ctx(app.clock.now());
    let new = password::Prepared::new(None, app.config.hash_cost).await?;
    let mut tx = app.db.write().await?;
    let initial_password = admin::reset_password(&mut tx, &ctx, user_id, new).await?;
    tx.commit().await?;
    Ok(Json(InitialPassword {
        user_id,
        initial_password,
    }))
}

/// Lifts the lock after failed sign-ins (the lock is on the login name); the user as now.
#[utoipa::path(post, path = "/api/admin/users/{user_id}/unlock", params(("user_id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403), (status = 404)))]
pub async fn unlock_user(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    admin::unlock_user(&mut tx, &admin.ctx(now), user_id).await?;
    let user = admin::managed_user(&mut tx, &admin.session.actor, user_id).await?;
    let view = admin::view(&mut *tx, user, now).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(get, path = "/api/admin/units",
    responses((status = 200, body = [store::UnitRow]), (status = 403)))]
pub async fn list_units(
    State(state): State<AppState>,
    admin: AdminUser,
) -> Result<Json<Vec<store::UnitRow>>, ApiError> {
    Ok(Json(
        store::list_units(&state.app.db.pool, admin.scope()).await?,
    ))
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
    admin: AdminUser,
    ApiJson(req): ApiJson<UnitRequest>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let ctx = admin.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let id = admin::create_unit(&mut tx, &ctx, &req.path).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RenameRequest {
    name: String,
}

#[utoipa::path(patch, path = "/api/admin/units/{unit_id}", params(("unit_id" = i64, Path)),
    request_body = RenameRequest,
    responses((status = 204), (status = 400), (status = 403), (status = 404)))]
pub async fn rename_unit(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath(unit_id): ApiPath<i64>,
    ApiJson(req): ApiJson<RenameRequest>,
) -> Result<StatusCode, ApiError> {
    let ctx = admin.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    admin::rename_unit(&mut tx, &ctx, unit_id, &req.name).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Filters of the audit log; dates are `YYYY-MM-DD`, Beijing time, both inclusive.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct AuditQuery {
    page: Option<i64>,
    /// Part of the actor (name or login name).
    actor: String,
    /// An action code, e.g. `password_reset`.
    action: String,
    /// Part of the target (login name, unit path, question, file).
    target: String,
    from: String,
    to: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    total: i64,
    page: i64,
    entries: Vec<session::AuditRow>,
}

/// The audit log, newest first: everything for system administrators, their subtree's
/// entries for unit administrators.
#[utoipa::path(get, path = "/api/admin/audit", params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400), (status = 403)))]
pub async fn audit(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    let scope = admin.scope().map(str::to_string);
    let filter = audit_filter(scope, &q.actor, &q.action, &q.target, &q.from, &q.to)
        .map_err(WebError::BadRequest)?;
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let offset = (page - 1) * PER_PAGE;
    let (entries, total) =
        audit::page(&mut *state.app.db.read().await?, &filter, PER_PAGE, offset).await?;
    Ok(Json(AuditPage {
        total,
        page,
        entries,
    }))
}
