//! `/admin/exams/{id}/people/{user_id}`: one person's attempts at an exam (answers, right or
//! wrong, once the exam has closed for them), each attempt's evidence log, their override,
//! and the form granting one (extra time, an extra attempt, another window; reason required,
//! audited by the domain).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::account_pages::PageForm;
use super::admin_exam_form::beijing_rfc3339;
use super::admin_pages::ctx_of;
use super::auth::{AdminUser, ClientIp};
use super::extract::PagePath;
use super::kit::{beijing_time, form_error, parse_id, render};
use super::{AppState, PageError};
use crate::db::commit_if_ok;
use crate::exam::admin::{self, OverrideRequest};
use crate::exam::person::{PersonRecord, person_record};

/// 离开页面, 回到页面, … for the kinds of logged events.
fn event_label(kind: &str) -> &str {
    match kind {
        "hidden" => "离开页面",
        "visible" => "回到页面",
        "blur" => "窗口失去焦点",
        "focus" => "窗口获得焦点",
        "offline" => "网络断开",
        "online" => "网络恢复",
        other => other,
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "in_progress" => "作答中",
        "submitted" => "已交卷",
        "expired" => "超时自动交卷",
        _ => "已结束",
    }
}

fn shown(r: &PersonRecord) -> Value {
    let attempts: Vec<Value> = r
        .attempts
        .iter()
        .map(|a| {
            let events: Vec<Value> = a
                .events
                .iter()
                .map(|e| {
                    context! { at => beijing_time(e.at), kind => event_label(&e.kind),
                    detail => e.detail.clone() }
                })
                .collect();
            let items: Vec<Value> = a
                .result
                .iter()
                .flat_map(|res| res.items.iter().enumerate())
                .map(|(i, item)| {
                    context! {
                        seq => item.seq + 1,
                        question_id => item.question_id,
                        stem => a.stems.get(i).cloned().unwrap_or_default(),
                        answer => item.answer.as_ref().map(|v| v.join("、")),
                        correct_answer => item.correct_answer.as_ref().map(|v| v.join("、")),
                        correct => item.correct,
                        earned => item.earned,
                        points => item.points,
                    }
                })
                .collect();
            context! {
                s => Serde(&a.summary),
                status => status_label(&a.summary.status),
                events,
                items,
                graded => a.summary.score.is_some(),
            }
        })
        .collect();
    let ov = r.override_.as_ref().map(|o| {
        context! {
            extra_minutes => o.extra_minutes,
            extra_attempts => o.extra_attempts,
            opens_at => o.opens_at.map(beijing_time),
            closes_at => o.closes_at.map(beijing_time),
            reason => o.reason.clone(),
        }
    });
    context! {
        exam_id => r.exam_id,
        title => r.title.clone(),
        user_id => r.user_id,
        username => r.username.clone(),
        name => r.name.clone(),
        unit => r.unit.clone(),
        closed => r.closed,
        closes_at => r.closes_at.clone(),
        attempts,
        ov,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonQuery {
    granted: String,
}

/// The override form as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OverrideForm {
    extra_minutes: String,
    extra_attempts: String,
    opens_at: String,
    closes_at: String,
    reason: String,
}

fn ids(exam: &str, user: &str) -> Result<(i64, i64), PageError> {
    Ok((parse_id(exam, "考试不存在")?, parse_id(user, "用户不存在")?))
}

pub async fn person(
    State(state): State<AppState>,
    a: AdminUser,
    PagePath((exam, user)): PagePath<(String, String)>,
    Query(q): Query<PersonQuery>,
) -> Result<Response, PageError> {
    let (exam_id, user_id) = ids(&exam, &user)?;
    let notice = (q.granted == "1").then_some("已保存个人调整");
    let form = OverrideForm::default();
    person_page(
        &state,
        &a,
        (exam_id, user_id),
        StatusCode::OK,
        notice,
        None,
        &form,
    )
    .await
}

async fn person_page(
    state: &AppState,
    a: &AdminUser,
    (exam_id, user_id): (i64, i64),
    status: StatusCode,
    notice: Option<&str>,
    error: Option<String>,
    form: &OverrideForm,
) -> Result<Response, PageError> {
    let ctx = a.ctx(state.app.clock.now());
    let record = person_record(&mut *state.app.db.read().await?, &ctx, exam_id, user_id).await?;
    let page = context! {
        section => "exams",
        p => shown(&record),
        notice,
        error,
        form => Serde(form),
    };
    render(status, "admin_exam_person.html", Some(&a.session), page)
}

fn whole(raw: &str, field: &str) -> Result<i64, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(0);
    }
    raw.parse().map_err(|_| format!("{field}须为整数"))
}

fn blank_none(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| beijing_rfc3339(raw))
}

pub async fn grant(
    State(state): State<AppState>,
    a: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath((exam, user)): PagePath<(String, String)>,
    PageForm(f): PageForm<OverrideForm>,
) -> Result<Response, PageError> {
    let (exam_id, user_id) = ids(&exam, &user)?;
    let ctx = ctx_of(&state, &a.session, &ip);
    // The record says who the person is, and refuses one outside the actor's scope.
    let record = person_record(
        &mut *state.app.db.read().await?,
        &a.ctx(ctx.now),
        exam_id,
        user_id,
    )
    .await?;
    let numbers = whole(&f.extra_minutes, "延长时间")
        .and_then(|m| Ok((m, whole(&f.extra_attempts, "增加次数")?)));
    let (extra_minutes, extra_attempts) = match numbers {
        Ok(n) => n,
        Err(message) => {
            let status = StatusCode::BAD_REQUEST;
            return person_page(
                &state,
                &a,
                (exam_id, user_id),
                status,
                None,
                Some(message),
                &f,
            )
            .await;
        }
    };
    let req = OverrideRequest {
        username: record.username,
        extra_minutes,
        extra_attempts,
        opens_at: blank_none(&f.opens_at),
        closes_at: blank_none(&f.closes_at),
        reason: f.reason.clone(),
    };
    let mut tx = state.app.db.write().await?;
    let done = admin::set_override(&mut tx, &ctx, exam_id, &req).await;
    match commit_if_ok(tx, done).await {
        Ok(()) => {
            let to = format!("/admin/exams/{exam_id}/people/{user_id}?granted=1");
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            person_page(
                &state,
                &a,
                (exam_id, user_id),
                status,
                None,
                Some(message),
                &f,
            )
            .await
        }
    }
}
