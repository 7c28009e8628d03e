//! `/admin/exams`: the exams an administrator manages (phase, candidates, submitted, pass
//! rate), the create-exam form (the API's definition, validated alike) and publishing.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_exam_form::{ExamForm, SECTIONS_EXAMPLE, datetime_local};
use super::admin_exam_results::exam_page;
use super::admin_pages::ctx_of;
use super::auth::{AdminUser, ClientIp};
use super::extract::PagePath;
use super::kit::{beijing_time, form_error, parse_id, render};
use super::{AppState, PageError};
use crate::db::commit_if_ok;
use crate::exam::admin;
use crate::exam::results::{self, ExamOverview};

/// 年度学法考试 / 执法资格考试 / 测验.
pub(super) fn kind_label(kind: &str) -> &'static str {
    match kind {
        "annual" => "年度学法考试",
        "qualification" => "执法资格考试",
        _ => "测验",
    }
}

pub(super) fn phase_label(phase: &str) -> &'static str {
    match phase {
        "draft" => "草稿",
        "published" => "已发布（未开始）",
        "open" => "进行中",
        _ => "已结束",
    }
}

fn shown(o: &ExamOverview) -> Value {
    context! {
        exam_id => o.exam_id,
        title => o.title.clone(),
        kind => kind_label(&o.kind),
        phase => o.phase,
        phase_label => phase_label(o.phase),
        opens_at => beijing_time(o.opens_at),
        closes_at => beijing_time(o.closes_at),
        invited => o.invited,
        started => o.started,
        submitted => o.submitted,
        passed => o.passed,
        pass_rate => o.pass_rate.map(|r| format!("{r}%")),
    }
}

pub async fn list(State(state): State<AppState>, a: AdminUser) -> Result<Response, PageError> {
    list_page(&state, &a, StatusCode::OK, ExamForm::blank(), None).await
}

async fn list_page(
    state: &AppState,
    a: &AdminUser,
    status: StatusCode,
    form: ExamForm,
    error: Option<String>,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let ctx = a.ctx(now);
    let exams = results::overview(&mut *state.app.db.read().await?, &ctx).await?;
    let exams: Vec<Value> = exams.iter().map(shown).collect();
    let mut form = form;
    if form.opens_at.is_empty() && error.is_none() {
        form.opens_at = datetime_local(now);
        form.closes_at = datetime_local(now + 7 * 86_400);
    }
    let page = context! {
        section => "exams",
        exams,
        form => Serde(&form),
        example => SECTIONS_EXAMPLE,
        error,
        scope => a.scope().map(str::to_string),
    };
    render(status, "admin_exams.html", Some(&a.session), page)
}

pub async fn create(
    State(state): State<AppState>,
    a: AdminUser,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm<ExamForm>,
) -> Result<Response, PageError> {
    let created = async {
        let def = form.definition()?;
        let mut tx = state.app.db.write().await?;
        let made = admin::create(&mut tx, &ctx_of(&state, &a.session, &ip), &def).await;
        commit_if_ok(tx, made).await
    };
    match created.await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/exams/{id}?created=1")).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            list_page(&state, &a, status, form, Some(message)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Empty {}

/// Publishes a draft; when the bank is short the exam page says which section by how many.
pub async fn publish(
    State(state): State<AppState>,
    a: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    PageForm(_): PageForm<Empty>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, "考试不存在")?;
    let mut tx = state.app.db.write().await?;
    let done = admin::publish(&mut tx, &ctx_of(&state, &a.session, &ip), exam_id).await;
    match commit_if_ok(tx, done).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/exams/{exam_id}?published=1")).into_response()),
        Err(e) => {
            let (status, message) = form_error(e)?;
            exam_page(&state, &a, exam_id, status, None, Some(message)).await
        }
    }
}
