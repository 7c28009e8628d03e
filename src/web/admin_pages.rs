//! The user administration pages, for system administrators and (within their unit) unit
//! administrators, and what the other admin pages share. Units live in `admin_units`, the
//! audit log in `admin_audit`, bulk import in `admin_import`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use super::account_pages::{CsrfForm, PageForm, encode_query, form_error, render};
use super::admin_api::PER_PAGE;
use super::auth::{ClientIp, CurrentUser, Session, check_form_csrf};
use super::{AppState, PageError, WebError};
use crate::accounts::admin::{self, Ctx, UserEdit, UserForm};
use crate::accounts::{Actor, Role, store};

/// Unix seconds as Beijing time (UTC+8 all year), `YYYY-MM-DD HH:MM:SS`.
pub(super) fn beijing_time(unix: i64) -> String {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_offset(offset))
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .ok()
        })
        .unwrap_or_default()
}

/// A form body as name/value pairs, for fields that repeat (the role checkboxes).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// Checked role checkboxes as a list `Role::parse_list` reads.
    fn roles(&self) -> String {
        let codes: Vec<&str> = self
            .0
            .iter()
            .filter(|(k, _)| k == "roles")
            .map(|(_, v)| v.as_str())
            .collect();
        codes.join(",")
    }
}

/// Roles the actor may tick for a user (学员 is every user's and not a choice).
fn grantable(actor: &Actor, checked: &[Role]) -> Value {
    let roles: Vec<Value> = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Official && actor.may_grant(&[*r]))
        .map(|r| context! { code => r.as_str(), label => r.label(), checked => checked.contains(&r) })
        .collect();
    Value::from(roles)
}

/// Unit paths in the actor's scope, for the unit selects.
async fn unit_paths(state: &AppState, actor: &Actor) -> Result<Vec<String>, PageError> {
    let scope = actor.admin_scope()?;
    let units = store::list_units(&state.app.db.pool, scope).await?;
    Ok(units.into_iter().map(|u| u.path).collect())
}

pub(super) fn ctx_of<'a>(state: &AppState, s: &'a Session, ip: &'a str) -> Ctx<'a> {
    Ctx {
        actor: &s.actor,
        ip,
        now: state.app.clock.now(),
    }
}

fn parse_user_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError(WebError::NotFound("用户不存在".into())))
}

/// Pages of `PER_PAGE` rows for `total` rows; at least one.
pub(super) fn page_count(total: i64) -> i64 {
    ((total.max(0) + PER_PAGE - 1) / PER_PAGE).max(1)
}

/// Page number from a query; the first page when missing or malformed.
pub(super) fn page_number(raw: &str) -> i64 {
    raw.parse::<i64>().unwrap_or(1).clamp(1, 100_000)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsersQuery {
    unit: String,
    q: String,
    page: String,
}

/// What the create-user form shows: empty, or what was typed when it was refused.
#[derive(Default)]
struct Draft {
    error: Option<String>,
    fields: Fields,
}

pub async fn users(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<UsersQuery>,
) -> Result<Response, PageError> {
    users_page(&state, &s, &q, StatusCode::OK, Draft::default()).await
}

async fn users_page(
    state: &AppState,
    s: &Session,
    q: &UsersQuery,
    status: StatusCode,
    draft: Draft,
) -> Result<Response, PageError> {
    let units = unit_paths(state, &s.actor).await?;
    let page = page_number(&q.page);
    let (rows, total) = admin::list_users(
        &state.app.db.pool,
        &s.actor,
        Some(&q.unit),
        Some(&q.q),
        page,
        PER_PAGE,
    )
    .await?;
    let users: Vec<Value> = rows
        .into_iter()
        .map(|u| {
            let roles: Vec<&str> = u.roles.iter().map(|r| r.label()).collect();
            context! {
                user_id => u.user_id,
                username => u.username,
                name => u.name,
                unit => u.unit,
                roles => roles.join("、"),
                active => u.active,
                must_change_password => u.must_change_password,
            }
        })
        .collect();
    let pages = page_count(total);
    let page_url = |n: i64| {
        let n = n.to_string();
        let params = [
            ("unit", q.unit.as_str()),
            ("q", q.q.as_str()),
            ("page", n.as_str()),
        ];
        format!("/admin/users?{}", encode_query(&params))
    };
    if page > pages && status == StatusCode::OK {
        return Ok(Redirect::to(&page_url(pages)).into_response());
    }
    let checked: Vec<Role> = Role::parse_list(&draft.fields.roles()).unwrap_or_default();
    let ctx = context! {
        section => "users",
        units,
        unit => q.unit.clone(),
        q => q.q.clone(),
        users,
        total,
        page,
        pages,
        prev_url => (page > 1).then(|| page_url(page - 1)),
        next_url => (page < pages).then(|| page_url(page + 1)),
        roles => grantable(&s.actor, &checked),
        draft => context! {
            username => draft.fields.text("username"),
            name => draft.fields.text("name"),
            unit => draft.fields.text("unit"),
            phone => draft.fields.text("phone"),
        },
        error => draft.error,
    };
    render(status, "admin_users.html", Some(s), ctx)
}

/// Creates a user with a one-time password and shows it, once, on the new user's page.
pub async fn create_user(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, PageError> {
    check_form_csrf(&s, f.get("csrf_token").unwrap_or_default())?;
    s.actor.admin_scope()?;
    let form = UserForm {
        username: f.text("username"),
        name: f.text("name"),
        unit: f.text("unit"),
        phone: f.text("phone"),
        roles: f.roles(),
    };
    let app = &state.app;
    match admin::create_user(
        &app.db.pool,
        app.config.hash_cost,
        &ctx_of(&state, &s, &ip),
        &form,
        None,
    )
    .await
    {
        Ok((user_id, password)) => {
            let shown = Shown {
                created: true,
                one_time_password: Some(password),
                ..Shown::default()
            };
            user_page(&state, &s, user_id, StatusCode::CREATED, shown).await
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            let draft = Draft {
                error: Some(message),
                fields: f,
            };
            users_page(&state, &s, &UsersQuery::default(), status, draft).await
        }
    }
}

/// What the user page shows besides the user.
#[derive(Default)]
struct Shown {
    created: bool,
    saved: bool,
    one_time_password: Option<String>,
    error: Option<String>,
    /// The edit form as submitted, when it was refused.
    fields: Option<Fields>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserQuery {
    saved: String,
}

pub async fn user(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<UserQuery>,
) -> Result<Response, PageError> {
    let user_id = parse_user_id(&id)?;
    let shown = Shown {
        saved: q.saved == "1",
        ..Shown::default()
    };
    user_page(&state, &s, user_id, StatusCode::OK, shown).await
}

async fn user_page(
    state: &AppState,
    s: &Session,
    user_id: i64,
    status: StatusCode,
    shown: Shown,
) -> Result<Response, PageError> {
    let pool = &state.app.db.pool;
    let units = unit_paths(state, &s.actor).await?;
    let u = admin::view(pool, admin::managed_user(pool, &s.actor, user_id).await?).await?;
    // Only system administrators change the roles of a system administrator.
    let roles_editable = s.actor.is_admin() || !u.roles.contains(&Role::Admin);
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
            unit => typed("unit", &u.unit),
            phone => typed("phone", &u.phone),
            roles => labels.join("、"),
            active => u.active,
            must_change_password => u.must_change_password,
            created_at => beijing_time(u.created_at),
        },
        roles => grantable(&s.actor, &u.roles),
        roles_editable,
        is_self => u.user_id == s.actor.user_id,
        created => shown.created,
        saved => shown.saved,
        one_time_password => shown.one_time_password,
        error => shown.error,
    };
    render(status, "admin_user.html", Some(s), ctx)
}

/// Saves the edit form, or just `active` from the 停用/启用 button. Fields not sent stay.
pub async fn update_user(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, PageError> {
    check_form_csrf(&s, f.get("csrf_token").unwrap_or_default())?;
    let user_id = parse_user_id(&id)?;
    s.actor.admin_scope()?;
    // Missing or out of scope: the error page, before any form message.
    admin::managed_user(&state.app.db.pool, &s.actor, user_id).await?;
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
    match admin::update_user(&state.app.db.pool, &ctx_of(&state, &s, &ip), user_id, &edit).await {
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

/// Sets a new one-time password and shows it once.
pub async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    PageForm(f): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    check_form_csrf(&s, &f.csrf_token)?;
    let user_id = parse_user_id(&id)?;
    s.actor.admin_scope()?;
    let app = &state.app;
    let ctx = ctx_of(&state, &s, &ip);
    let password = admin::reset_password(&app.db.pool, app.config.hash_cost, &ctx, user_id).await?;
    let shown = Shown {
        one_time_password: Some(password),
        ..Shown::default()
    };
    user_page(&state, &s, user_id, StatusCode::OK, shown).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_beijing_time() {
        assert_eq!(beijing_time(0), "1970-01-01 08:00:00");
        assert_eq!(beijing_time(1_767_225_600), "2026-01-01 08:00:00");
    }

    #[test]
    fn role_checkboxes_become_a_role_list() {
        let f = Fields(vec![
            ("roles".into(), "officer".into()),
            ("roles".into(), "unit_admin".into()),
        ]);
        assert_eq!(
            Role::parse_list(&f.roles()).unwrap(),
            vec![Role::Official, Role::Officer, Role::UnitAdmin]
        );
    }

    #[test]
    fn page_counts_round_up() {
        assert_eq!(page_count(0), 1);
        assert_eq!(page_count(PER_PAGE), 1);
        assert_eq!(page_count(PER_PAGE + 1), 2);
    }
}
