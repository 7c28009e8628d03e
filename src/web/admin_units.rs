//! The unit administration page: the unit tree in the actor's scope, creating and renaming.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_pages::ctx_of;
use super::auth::{AdminUser, ClientIp, Session};
use super::extract::PagePath;
use super::kit::{form_error, render};
use super::{AppState, PageError, WebError};
use crate::accounts::{admin, store};
use crate::db::commit_if_ok;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitsQuery {
    created: String,
    renamed: String,
}

pub async fn units(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    Query(q): Query<UnitsQuery>,
) -> Result<Response, PageError> {
    let notice = if q.created == "1" {
        Some("单位已创建")
    } else if q.renamed == "1" {
        Some("单位已重命名")
    } else {
        None
    };
    units_page(&state, &s, StatusCode::OK, notice, None, "").await
}

async fn units_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<String>,
    path: &str,
) -> Result<Response, PageError> {
    let scope = s.actor.admin_scope()?;
    let top = scope.map_or(0, |root| root.split('/').count());
    let units: Vec<Value> = store::list_units(&state.app.db.pool, scope)
        .await?
        .into_iter()
        .map(|u| {
            let depth = u.path.split('/').count().saturating_sub(top.max(1)).min(5);
            // A unit administrator may not rename the unit they administer.
            let renamable = s.actor.is_admin() || u.path != s.actor.unit;
            context! { unit_id => u.unit_id, name => u.name, path => u.path, depth, renamable }
        })
        .collect();
    let prefix = scope.map(|root| format!("{root}/")).unwrap_or_default();
    let ctx = context! { section => "units", units, notice, error, path, prefix, root => scope };
    render(status, "admin_units.html", Some(s), ctx)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    path: String,
}

pub async fn create_unit(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    PageForm(f): PageForm<UnitForm>,
) -> Result<Response, PageError> {
    let mut tx = state.app.db.write().await?;
    let created = admin::create_unit(&mut tx, &ctx_of(&state, &s, &ip), &f.path).await;
    match commit_if_ok(tx, created).await {
        Ok(_) => Ok(Redirect::to("/admin/units?created=1").into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            units_page(&state, &s, status, None, Some(message), &f.path).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RenameForm {
    name: String,
}

pub async fn rename_unit(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(id): PagePath<String>,
    PageForm(f): PageForm<RenameForm>,
) -> Result<Response, PageError> {
    let unit_id = id
        .parse::<i64>()
        .map_err(|_| PageError(WebError::NotFound("单位不存在".into())))?;
    if store::unit_by_id(&state.app.db.pool, unit_id)
        .await?
        .is_none()
    {
        return Err(PageError(WebError::NotFound("单位不存在".into())));
    }
    let mut tx = state.app.db.write().await?;
    let renamed = admin::rename_unit(&mut tx, &ctx_of(&state, &s, &ip), unit_id, &f.name).await;
    match commit_if_ok(tx, renamed).await {
        Ok(()) => Ok(Redirect::to("/admin/units?renamed=1").into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            units_page(&state, &s, status, None, Some(message), "").await
        }
    }
}
