//! The candidate's exam pages before the paper: `/exams` (the exams open to me and my past
//! attempts) and `/exams/{id}` (the rules, and the form that starts or resumes an attempt).
//! The paper and its result are `attempt_pages`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use rand_core::{OsRng, RngCore};

use super::auth::{CurrentUser, Session};
use super::extract::PagePath;
use super::kit::{beijing_time, form_error, parse_id, render};
use super::{AppState, PageError};
use crate::exam::overview::{self, kind_label};
use crate::exam::results::{self, AttemptSummary};
use crate::exam::{attempt, model::parse_time, resume};

const NO_EXAM: &str = "考试不存在，或您不在本场考试的范围内";

fn v<T: serde::Serialize>(t: &T) -> Value {
    Value::from(Serde(t))
}

/// An RFC 3339 time from the domain, shown in Beijing time.
fn shown_time(rfc3339: &str) -> String {
    parse_time(rfc3339, "")
        .map(beijing_time)
        .unwrap_or_default()
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        "in_progress" => "作答中",
        "submitted" => "已交卷",
        "expired" => "时间到，已自动交卷",
        _ => "已结束",
    }
}

fn attempt_row(a: &AttemptSummary) -> Value {
    context! {
        attempt => v(a),
        status_label => status_label(&a.status),
        started => shown_time(&a.started_at),
    }
}

/// `/exams`: what I may sit now, with my attempts used and best score, and my attempts.
pub async fn exams(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Response, PageError> {
    let mut conn = state.app.db.read().await?;
    let now = state.app.clock.now();
    let exams: Vec<Value> = results::my_exams(&mut conn, &s.actor, now)
        .await?
        .iter()
        .map(|e| {
            context! {
                exam => v(e),
                kind_label => kind_label(&e.kind),
                opens => shown_time(&e.opens_at),
                closes => shown_time(&e.closes_at),
                open_now => parse_time(&e.opens_at, "").is_ok_and(|t| t <= now)
                    && parse_time(&e.closes_at, "").is_ok_and(|t| now < t),
            }
        })
        .collect();
    let attempts: Vec<Value> = results::my_attempts(&mut conn, s.actor.user_id)
        .await?
        .iter()
        .rev()
        .map(attempt_row)
        .collect();
    let ctx = context! { exams, attempts };
    render(StatusCode::OK, "exams.html", Some(&s), ctx)
}

/// `/exams/{id}`: the rules before starting, and the start (or resume) button.
pub async fn exam(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, NO_EXAM)?;
    rules_page(&state, &s, exam_id, StatusCode::OK, None).await
}

async fn rules_page(
    state: &AppState,
    s: &Session,
    exam_id: i64,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let mut conn = state.app.db.read().await?;
    let now = state.app.clock.now();
    let rules = overview::exam_rules(&mut conn, exam_id, &s.actor, now).await?;
    let ctx = context! {
        rules => v(&rules),
        opens => beijing_time(rules.opens_at),
        closes => beijing_time(rules.closes_at),
        error,
    };
    render(status, "exam.html", Some(s), ctx)
}

/// `POST /exams/{id}/attempts` (the page form): starts an attempt or resumes the one in
/// progress, then shows its paper. A refusal (not open, no attempts left) is shown on the
/// rules page.
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, NO_EXAM)?;
    let app = &state.app;
    let now = app.clock.now();
    let resumed = resume::open_paper(&mut *app.db.read().await?, exam_id, &s.actor, now).await;
    if let Ok(Some(paper)) = resumed {
        return Ok(Redirect::to(&format!("/attempts/{}", paper.attempt_id)).into_response());
    }
    let bank = app.approved_bank().await?;
    let mut tx = app.db.write().await?;
    let seed = OsRng.next_u64();
    let started = match attempt::start(&mut tx, exam_id, &s.actor, now, seed, &bank).await {
        Ok(started) => started,
        Err(e) => {
            // Nothing was written; dropping the transaction rolls it back.
            drop(tx);
            let (status, message) = form_error(e)?;
            return rules_page(&state, &s, exam_id, status, Some(message)).await;
        }
    };
    if started.closed {
        app.issue_earned_certificates(&mut tx, Some(s.actor.user_id))
            .await?;
    }
    tx.commit().await?;
    let to = format!("/attempts/{}", started.paper.attempt_id);
    Ok(Redirect::to(&to).into_response())
}
