//! One user's administration page: the user as stored (with a lock from failed sign-ins), the
//! edit form, and the account actions (重置密码, 停用/启用, 解锁). Destructive actions are
//! confirmed on the page first (`<details class="confirm">`, no script needed).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_pages::{Fields, ctx_of, grantable, unit_paths};
use super::auth::{AdminUser, ClientIp, Session};
use super::extract::PagePath;
use super::kit::{beijing_time, parse_id};
use super::kit::{form_error, render};
use super::{AppState, PageError};
use crate::accounts::Role;
use crate::accounts::admin::{self, UserEdit};
use crate::accounts::password;
use crate::db::commit_if_ok;

/// What the user page shows besides the user.
#[derive(Default)]
pub(super) struct Shown {
    pub created: bool,
    pub saved: bool,
    pub unlocked: bool,
    pub one_time_password: Option<String>,
    pub error: Option<String>,
    /// The edit form as submitted, when it was refused.
    pub fields: Option<Fields>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    saved: String,
    unlocked: String,
}

pub async fn user(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    PagePath(id): PagePath<String>,
    Query(q): Query<UserQuery>,
) -> Result<Response, PageError> {
    let user_id = parse_id(&id, "用户不存在")?;
    let shown = Shown {
        saved: q.saved == "1",
        unlocked: q.unlocked == "1",
        ..Shown::default()
    };
    user_page(&state, &s, user_id, StatusCode::OK, shown).await
}

pub(super) async fn user_page(
    state: &AppState,
    s: &Session,
    user_id: i64,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, PageError> {
    let pool = &state.app.db.pool;
    let units = unit_paths(state, &s.actor).await?;
    let now = state.app.clock.now();
    let u = admin::view(
        pool,
        admin::managed_user(&mut *pool.acquire().await?, &s.actor, user_id).await?,
        now,
    )
    .await?;
    // Only system administrators change the roles of a system administrator.
    // 系统管理员 and 题库管理员 are granted and taken away by system administrators only.
    let reserved = u.roles.contains(&Role::Admin) || u.roles.contains(&Role::BankEditor);
    let roles_editable = s.actor.is_admin() || !reserved;
    let typed = |name: &str, stored: &str| {
        shown
            .fields
            .as_ref()
            .and_then(|f| f.get(name))
            .unwrap_or(stored)
            .to_string()
    };
    let labels: Vec<&str> = u.roles.iter().map(|r| r.label()).collect();
    let ctx = context! {
        section => "users",
        units,
        user => context! {
            user_id => u.user_id,
            username => u.username.clone(),
            name => typed("name", &u.name),
            stored_name => u.name.clone(),
            unit => typed("unit", &u.unit),
            phone => typed("phone", &u.phone),
            roles => labels.join("、"),
            active => u.active,
            locked => u.locked,
            locked_until => u.locked_until.map(beijing_time),
            must_change_password => u.must_change_password,
            created_at => beijing_time(u.created_at),
        },
        roles => grantable(&s.actor, &u.roles),
        roles_editable,
        is_self => u.user_id == s.actor.user_id,
        created => shown.created,
        saved => shown.saved,
        unlocked => shown.unlocked,
        one_time_password => shown.one_time_password,
        error => shown.error,
    };
    render(status, "admin_user.html", Some(s), ctx)
}

/// Saves the edit form, or just `active` from the 停用/启用 button. Fields not sent stay.
pub async fn update_user(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(id): PagePath<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, PageError> {
    let user_id = parse_id(&id, "用户不存在")?;
    // Missing or out of scope: the error page, before any form message.
    admin::managed_user(&mut *state.app.db.read().await?, &s.actor, user_id).await?;
    let edit = UserEdit {
        name: f.get("name").map(str::to_string),
        unit: f.get("unit").map(str::to_string),
        phone: f.get("phone").map(str::to_string),
        // Unticked checkboxes send nothing: the form says when it carried the roles.
        roles: f.get("roles_shown").map(|_| f.roles()),
        active: match f.get("active") {
            Some("1") => Some(true),
            Some("0") => Some(false),
            _ => None,
        },
    };
    let saved = format!("/admin/users/{user_id}?saved=1");
    let nothing = edit.name.is_none() && edit.unit.is_none() && edit.phone.is_none();
    if nothing && edit.roles.is_none() && edit.active.is_none() {
        // Nothing to change: no audit entry for it either.
        return Ok(Redirect::to(&saved).into_response());
    }
    let mut tx = state.app.db.write().await?;
    let updated = admin::update_user(&mut tx, &ctx_of(&state, &s, &ip), user_id, &edit).await;
    match commit_if_ok(tx, updated).await {
        Ok(()) => Ok(Redirect::to(&saved).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            let shown = Shown {
                error: Some(message),
                fields: Some(f),
                ..Shown::default()
            };
            user_page(&state, &s, user_id, status, shown).await
        }
    }
}

/// Sets a new one-time password (lifting a lock from failed sign-ins) and shows it once.
pub async fn reset_password(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    // The user's own scope is the domain's to check.
    let user_id = parse_id(&id, "用户不存在")?;
    let app = &state.app;
    let ctx = ctx_of(&state, &s, &ip);
    let new = password::Prepared::new(None, app.config.hash_cost).await?;
    let mut tx = app.db.write().await?;
    let password = admin::reset_password(&mut tx, &ctx, user_id, new).await?;
    tx.commit().await?;
    let shown = Shown {
        one_time_password: Some(password),
        ..Shown::default()
    };
    user_page(&state, &s, user_id, StatusCode::OK, shown).await
}

/// Lifts the lock after failed sign-ins, then back to the user's page with a notice.
pub async fn unlock_user(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let user_id = parse_id(&id, "用户不存在")?;
    let ctx = ctx_of(&state, &s, &ip);
    let mut tx = state.app.db.write().await?;
    admin::unlock_user(&mut tx, &ctx, user_id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/users/{user_id}?unlocked=1")).into_response())
}
