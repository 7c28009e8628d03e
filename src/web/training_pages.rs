//! Study-session pages: `/checkin` (the phone page a session's QR code opens), `/me/trainings`
//! (my sessions and this year's count), and for administrators `/admin/trainings` (list and
//! create form) and `/admin/trainings/{id}` (QR, roster and attendance corrections).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use rand_core::OsRng;
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_exam_form::{beijing_rfc3339, datetime_local};
use super::auth::{AdminUser, CurrentUser};
use super::certificate_pages::qr_svg;
use super::extract::PagePath;
use super::kit::{beijing_time, form_error, parse_id, render};
use super::training_api::checkin_url;
use super::{AppState, PageError, WebError};
use crate::db::commit_if_ok;
use crate::training::model::{Kind, new_code};
use crate::training::ops::{self, Correction};
use crate::training::{TrainingRequest, attended_sessions, store};

fn kind_label(kind: &str) -> &'static str {
    Kind::parse(kind).map_or("学法活动", Kind::label)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeForm {
    code: String,
}

pub async fn checkin_form(
    CurrentUser(s): CurrentUser,
    Query(q): Query<CodeForm>,
) -> Result<Response, PageError> {
    let ctx = context! { code => q.code.trim(), error => None::<String>, done => None::<Value> };
    render(StatusCode::OK, "checkin.html", Some(&s), ctx)
}

pub async fn checkin_submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PageForm(f): PageForm<CodeForm>,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let done = ops::check_in(&mut tx, &s.actor, &f.code, now).await;
    let (status, ctx) = match commit_if_ok(tx, done).await {
        Ok(d) => (
            StatusCode::OK,
            context! { code => f.code, error => None::<String>, done => Serde(&d) },
        ),
        Err(e) => {
            let (status, message) = match WebError::from(e) {
                WebError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
                other => form_error(other)?,
            };
            (
                status,
                context! { code => f.code, error => message, done => None::<Value> },
            )
        }
    };
    render(status, "checkin.html", Some(&s), ctx)
}

pub async fn mine(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let year = crate::learning::year_of(now);
    let mut conn = state.app.db.read().await?;
    let attended = attended_sessions(&mut conn, s.actor.user_id, year).await?;
    let rows = store::of_user(&mut conn, s.actor.user_id).await?;
    let sessions: Vec<Value> = rows
        .iter()
        .map(|t| {
            let missed = t.present != Some(1) && now > t.ends_at;
            context! {
                training_id => t.training_id,
                title => t.title.clone(),
                kind => kind_label(&t.kind),
                starts_at => beijing_time(t.starts_at),
                hours => t.credited_minutes as f64 / 60.0,
                status => match (t.present, t.how.as_deref()) {
                    (Some(1), Some("makeup")) => "已补学",
                    (Some(1), _) => "已出席",
                    _ if missed => "缺席",
                    _ => "未签到",
                },
                missed,
            }
        })
        .collect();
    let ctx = context! { year, count => attended.count, hours => attended.hours, sessions };
    render(StatusCode::OK, "my_trainings.html", Some(&s), ctx)
}

/// The create form as typed: times as `datetime-local`, laws as ids and rosters one a line.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct TrainingForm {
    title: String,
    kind: String,
    starts_at: String,
    ends_at: String,
    hours: String,
    laws: String,
    units: String,
    people: String,
}

impl TrainingForm {
    fn request(&self) -> Result<TrainingRequest, WebError> {
        let list = |s: &str| -> Vec<String> {
            s.split(['\n', ',', '，', '、'])
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        };
        // A law is named by its number or its title.
        let (ids, titles): (Vec<String>, Vec<String>) = list(&self.laws)
            .into_iter()
            .partition(|l| l.bytes().all(|b| b.is_ascii_digit()));
        let laws = ids
            .iter()
            .map(|l| l.parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| WebError::BadRequest("法规编号有误".into()))?;
        Ok(TrainingRequest {
            title: self.title.clone(),
            kind: self.kind.clone(),
            starts_at: beijing_rfc3339(&self.starts_at),
            ends_at: beijing_rfc3339(&self.ends_at),
            hours: self.hours.trim().parse().unwrap_or(0.0),
            laws,
            law_titles: titles,
            units: list(&self.units),
            people: list(&self.people),
            grace_before_minutes: None,
            grace_after_minutes: None,
        })
    }
}

/// A prefill of the new-session form, e.g. from an exam's analysis: `?law=TITLE&title=TOPIC`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Prefill {
    law: String,
    title: String,
}

pub async fn list(
    State(state): State<AppState>,
    a: AdminUser,
    Query(p): Query<Prefill>,
) -> Result<Response, PageError> {
    let cut = |s: &str, n: usize| s.trim().chars().take(n).collect::<String>();
    let form = TrainingForm {
        laws: cut(&p.law, 100),
        title: cut(&p.title, 100),
        ..TrainingForm::default()
    };
    list_page(&state, &a, StatusCode::OK, form, None).await
}

async fn list_page(
    state: &AppState,
    a: &AdminUser,
    status: StatusCode,
    mut form: TrainingForm,
    error: Option<String>,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let ctx = a.ctx(now);
    let rows = store::list(&mut *state.app.db.read().await?).await?;
    let trainings: Vec<Value> = rows
        .iter()
        .filter(|r| ops::manages(&ctx, r))
        .map(|r| {
            context! {
                training_id => r.training_id,
                title => r.title.clone(),
                kind => kind_label(&r.kind),
                starts_at => beijing_time(r.starts_at),
                hours => r.credited_minutes as f64 / 60.0,
            }
        })
        .collect();
    if form.starts_at.is_empty() && error.is_none() {
        form.starts_at = datetime_local(now + 86_400);
        form.ends_at = datetime_local(now + 86_400 + 7200);
        form.hours = "2".into();
        form.units = a.scope().unwrap_or_default().to_string();
    }
    let page = context! {
        section => "trainings",
        trainings,
        form => Serde(&form),
        error,
    };
    render(status, "admin_trainings.html", Some(&a.session), page)
}

pub async fn create(
    State(state): State<AppState>,
    a: AdminUser,
    PageForm(form): PageForm<TrainingForm>,
) -> Result<Response, PageError> {
    let created = async {
        let req = form.request()?;
        let mut tx = state.app.db.write().await?;
        let code = new_code(&mut OsRng);
        let made = ops::create(&mut tx, &a.ctx(state.app.clock.now()), &req, &code).await;
        commit_if_ok(tx, made.map_err(WebError::from)).await
    };
    match created.await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/trainings/{id}")).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            list_page(&state, &a, status, form, Some(message)).await
        }
    }
}

pub async fn training(
    State(state): State<AppState>,
    a: AdminUser,
    headers: HeaderMap,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, "学法活动不存在")?;
    detail_page(&state, &a, &headers, id, StatusCode::OK, None).await
}

async fn detail_page(
    state: &AppState,
    a: &AdminUser,
    headers: &HeaderMap,
    id: i64,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let ctx = a.ctx(state.app.clock.now());
    let d = ops::detail(&mut *state.app.db.read().await?, &ctx, id).await?;
    let url = checkin_url(state, headers, &d.checkin_code);
    let page = context! {
        section => "trainings",
        kind => kind_label(&d.kind),
        starts_at => beijing_time(d.starts_at),
        ends_at => beijing_time(d.ends_at),
        opens_at => beijing_time(d.checkin_opens_at),
        closes_at => beijing_time(d.checkin_closes_at),
        qr_svg => qr_svg(&url)?,
        checkin_url => url,
        t => Serde(&d),
        error,
    };
    render(status, "admin_training.html", Some(&a.session), page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    username: String,
    present: String,
    reason: String,
}

pub async fn correct(
    State(state): State<AppState>,
    a: AdminUser,
    headers: HeaderMap,
    PagePath(raw): PagePath<String>,
    PageForm(f): PageForm<CorrectionForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, "学法活动不存在")?;
    let c = Correction {
        username: f.username,
        present: f.present == "1",
        reason: f.reason,
    };
    let mut tx = state.app.db.write().await?;
    let done = ops::correct(&mut tx, &a.ctx(state.app.clock.now()), id, &c).await;
    match commit_if_ok(tx, done).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/trainings/{id}")).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            detail_page(&state, &a, &headers, id, status, Some(message)).await
        }
    }
}
