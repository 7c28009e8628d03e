//! `/admin/requirements`: the year's study requirement of every unit in the administrator's
//! scope (hours and concentrated sessions, from curriculum.toml or a unit's override), and
//! the form that overrides it for one unit (audited by the learning module).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

use super::account_pages::PageForm;
use super::auth::AdminUser;
use super::kit::{form_error, parse_id, render, year_param};
use super::{AppState, PageError, WebError};
use crate::accounts::Role;
use crate::db::commit_if_ok;
use crate::learning::{self, Curriculum, Override};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequirementsQuery {
    year: String,
    saved: String,
}

pub async fn requirements(
    State(state): State<AppState>,
    a: AdminUser,
    Query(q): Query<RequirementsQuery>,
) -> Result<Response, PageError> {
    let year = year_or_this(&state, &q.year)?;
    let notice =
        (!q.saved.is_empty()).then(|| format!("已保存「{}」的 {year} 年学法要求", q.saved));
    page(&state, &a, year, StatusCode::OK, notice, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequirementForm {
    unit_id: String,
    year: String,
    hours: String,
    sessions: String,
}

pub async fn save(
    State(state): State<AppState>,
    a: AdminUser,
    PageForm(f): PageForm<RequirementForm>,
) -> Result<Response, PageError> {
    let year = year_or_this(&state, &f.year)?;
    let unit_id = parse_id(&f.unit_id, "单位不存在")?;
    let value = match (
        count(&f.hours, "年度学时"),
        count(&f.sessions, "集中学法次数"),
    ) {
        (Ok(hours), Ok(sessions)) => Override { hours, sessions },
        (Err(m), _) | (_, Err(m)) => {
            return page(&state, &a, year, StatusCode::BAD_REQUEST, None, Some(m)).await;
        }
    };
    let ctx = a.ctx(state.app.clock.now());
    let mut tx = state.app.db.write().await?;
    let set = learning::set_unit_requirement(&mut tx, &ctx, unit_id, year, value).await;
    match commit_if_ok(tx, set).await {
        Ok(path) => {
            let query = super::kit::encode_query(&[("year", &year.to_string()), ("saved", &path)]);
            Ok(Redirect::to(&format!("/admin/requirements?{query}")).into_response())
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            page(&state, &a, year, status, None, Some(message)).await
        }
    }
}

async fn page(
    state: &AppState,
    a: &AdminUser,
    year: i32,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let c = Curriculum::load(&state.app.config.project_corpus).map_err(WebError::from)?;
    let units = {
        let mut conn = state.app.db.read().await?;
        learning::unit_requirements(&mut conn, &c, &a.session.actor, year)
            .await
            .map_err(WebError::from)?
    };
    let official = c.requirement(&[Role::Official], None);
    let officer = c.requirement(&[Role::Officer], None);
    let officer_laws: Vec<String> = c.officer.laws.iter().map(|l| l.title.clone()).collect();
    let ctx = context! {
        section => "requirements",
        year,
        units => Serde(&units),
        official_hours => official.hours,
        official_sessions => official.sessions,
        official_laws => official.laws.iter().map(|l| (l.title.clone(), l.minutes)).collect::<Vec<_>>(),
        officer_hours => officer.hours,
        officer_sessions => officer.sessions,
        officer_laws,
        notice,
        error,
    };
    render(status, "admin_requirements.html", Some(&a.session), ctx)
}

fn year_or_this(state: &AppState, raw: &str) -> Result<i32, WebError> {
    Ok(year_param(raw)?.unwrap_or_else(|| learning::year_of(state.app.clock.now())))
}

/// A whole number from a form field, or the message saying which field is wrong.
fn count(raw: &str, field: &str) -> Result<u32, String> {
    let t = raw.trim();
    t.parse::<u32>()
        .map_err(|_| format!("{field}应为不小于 0 的整数，收到「{t}」"))
}
