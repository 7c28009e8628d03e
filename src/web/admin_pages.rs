//! The user list and the create-user form, for system administrators and (within their
//! unit) unit administrators, and what the other admin pages share. One user's page lives in
//! `admin_user`, units in `admin_units`, the audit log in `admin_audit`, bulk import in
//! `admin_import`.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_api::PER_PAGE;
use super::admin_user::{Shown, user_page};
use super::auth::{AdminUser, ClientIp, Session};
use super::kit::{Pager, encode_query, form_error, page_number, render};
use super::{AppState, PageError};
use crate::accounts::admin::PreparedUser;
use crate::accounts::admin::{self, Ctx, UserForm};
use crate::accounts::{Actor, Role, store};
use crate::db::commit_if_ok;

/// A form body as name/value pairs, for fields that repeat (the role checkboxes).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// Checked role checkboxes as a list `Role::parse_list` reads.
    pub(super) fn roles(&self) -> String {
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
pub(super) fn grantable(actor: &Actor, checked: &[Role]) -> Value {
    let roles: Vec<Value> = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Official && actor.may_grant(&[*r]))
        .map(|r| context! { code => r.as_str(), label => r.label(), checked => checked.contains(&r) })
        .collect();
    Value::from(roles)
}

/// Unit paths in the actor's scope, for the unit selects.
pub(super) async fn unit_paths(state: &AppState, actor: &Actor) -> Result<Vec<String>, PageError> {
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
    AdminUser { session: s, .. }: AdminUser,
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
        &mut *state.app.db.read().await?,
        &s.actor,
        Some(&q.unit),
        Some(&q.q),
        page,
        PER_PAGE,
        state.app.clock.now(),
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
                locked => u.locked,
                must_change_password => u.must_change_password,
            }
        })
        .collect();
    let pager = Pager::new(page, total, PER_PAGE, |n| {
        let n = n.to_string();
        let params = [
            ("unit", q.unit.as_str()),
            ("q", q.q.as_str()),
            ("page", n.as_str()),
        ];
        format!("/admin/users?{}", encode_query(&params))
    });
    if let Some(last) = pager.past_end.as_deref()
        && status == StatusCode::OK
    {
        return Ok(Redirect::to(last).into_response());
    }
    let checked: Vec<Role> = Role::parse_list(&draft.fields.roles()).unwrap_or_default();
    let ctx = context! {
        section => "users",
        units,
        unit => q.unit.clone(),
        q => q.q.clone(),
        users,
        total,
        pager,
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
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    PageForm(f): PageForm<Fields>,
) -> Result<Response, PageError> {
    let form = UserForm {
        username: f.text("username"),
        name: f.text("name"),
        unit: f.text("unit"),
        phone: f.text("phone"),
        roles: f.roles(),
    };
    let app = &state.app;
    let ctx = ctx_of(&state, &s, &ip);
    let created = async {
        let prepared = PreparedUser::new(app.config.hash_cost, &ctx, &form, None).await?;
        let mut tx = app.db.write().await?;
        let created = admin::create_user(&mut tx, &ctx, prepared).await;
        commit_if_ok(tx, created).await
    };
    match created.await {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
