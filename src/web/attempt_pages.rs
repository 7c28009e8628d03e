//! `/attempts/{id}`: the paper while the attempt is in progress, its result once graded.
//! The paper is built from `PaperView` only (no key, explanation or basis); `web/static/
//! exam.js` saves each answer through the JSON API as it is chosen. Without script every
//! question is its own form (`POST /attempts/{id}/answers/{question_id}`) and 交卷 is a form
//! too, so the paper can be sat on any browser.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};

use super::account_pages::PageForm;
use super::admin_bank::article_url;
use super::auth::{CurrentUser, Session};
use super::exam_api::quick_save;
use super::extract::PagePath;
use super::kit::{beijing_time, parse_id, render};
use super::{AppState, PageError, WebError};
use crate::certificates::store as certificates;
use crate::exam::attempt::{self, AnswerInput, AttemptState, Saved};
use crate::exam::model::parse_time;
use crate::exam::overview::{self, blank_count};
use crate::exam::resume;
use crate::exam::view::{PaperView, QuestionView, ResultView};

const NO_ATTEMPT: &str = "答卷不存在";

fn v<T: serde::Serialize>(t: &T) -> Value {
    Value::from(Serde(t))
}

pub fn type_label(qtype: &str) -> &'static str {
    match qtype {
        "single" => "单选题",
        "multiple" => "多选题",
        "judge" => "判断题",
        _ => "填空题",
    }
}

/// The answer as the page shows it: option keys joined, 对/错, or the blanks' texts.
fn answer_text(answer: Option<&Vec<String>>) -> String {
    match answer {
        Some(a) if !a.is_empty() => a.join("、"),
        _ => "未作答".into(),
    }
}

/// One question of the paper with what the template needs beside the view.
fn paper_question(q: &QuestionView) -> Value {
    let given = q.answer.clone().unwrap_or_default();
    let blanks = if q.qtype == "fill" {
        blank_count(&q.stem).max(given.len())
    } else {
        0
    };
    context! {
        q => v(q),
        type_label => type_label(&q.qtype),
        given,
        blanks,
        answered => q.answer.as_ref().is_some_and(|a| !a.is_empty()),
    }
}

/// `/attempts/{id}`: the paper or the result. Reading an attempt past its deadline closes
/// and grades it (a unit of work, like the API's).
pub async fn attempt(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let attempt_id = parse_id(&raw, NO_ATTEMPT)?;
    let app = &state.app;
    let now = app.clock.now();
    let open = resume::paper(&mut *app.db.read().await?, attempt_id, s.actor.user_id, now).await?;
    if let Some(paper) = open {
        return paper_page(&s, &paper);
    }
    let mut tx = app.db.write().await?;
    let shown = attempt::state(&mut tx, attempt_id, s.actor.user_id, now).await?;
    if matches!(shown, AttemptState::Finished(_)) {
        app.issue_earned_certificates(&mut tx, Some(s.actor.user_id))
            .await?;
    }
    tx.commit().await?;
    match shown {
        AttemptState::InProgress(paper) => paper_page(&s, &paper),
        AttemptState::Finished(result) => result_page(&state, &s, &result, None).await,
    }
}

fn paper_page(s: &Session, paper: &PaperView) -> Result<Response, PageError> {
    let questions: Vec<Value> = paper.questions.iter().map(paper_question).collect();
    let unanswered = paper
        .questions
        .iter()
        .filter(|q| q.answer.as_ref().is_none_or(Vec::is_empty))
        .count();
    let flagged = paper.questions.iter().filter(|q| q.flagged).count();
    let ctx = context! {
        paper => v(paper),
        questions,
        unanswered,
        flagged,
        deadline => beijing_time(paper.deadline_unix),
    };
    render(StatusCode::OK, "attempt.html", Some(s), ctx)
}

async fn result_page(
    state: &AppState,
    s: &Session,
    result: &ResultView,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let app = &state.app;
    let now = app.clock.now();
    let mut conn = app.db.read().await?;
    let questions =
        overview::graded_questions(&mut conn, result.attempt_id, s.actor.user_id, now).await?;
    let items: Vec<Value> = result
        .items
        .iter()
        .map(|item| {
            let q = questions.iter().find(|q| q.question_id == item.question_id);
            let basis: Vec<Value> = item
                .basis
                .iter()
                .flatten()
                .map(|b| {
                    context! {
                        b => v(b),
                        url => article_url(b.law_id, b.article_no, b.article_sub),
                    }
                })
                .collect();
            let verdict = match item.correct {
                Some(true) => "right",
                Some(false) => "wrong",
                None => "",
            };
            context! {
                item => v(item),
                verdict,
                earned => item.earned,
                explanation => item.explanation.clone(),
                q => q.map(v),
                type_label => type_label(q.map_or("", |q| q.qtype.as_str())),
                given => answer_text(item.answer.as_ref()),
                key => item.correct_answer.as_ref().map(|k| answer_text(Some(k))),
                basis,
            }
        })
        .collect();
    let certificate = certificates::by_attempt(&app.db.pool, result.attempt_id)
        .await?
        .map(|c| c.number);
    let title = crate::exam::store::get(&mut *conn, result.exam_id)
        .await?
        .map(|r| r.title)
        .unwrap_or_default();
    let ctx = context! {
        result => v(result),
        title,
        items,
        certificate,
        finished => parse_time(&result.finished_at, "").map(beijing_time).unwrap_or_default(),
        status_label => super::exam_pages::status_label(&result.status),
        notice,
    };
    render(StatusCode::OK, "attempt_result.html", Some(s), ctx)
}

/// The values of a form field that may repeat (`answer` of a multiple-choice question).
fn values<'a>(form: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a String> {
    form.iter().filter(move |(k, _)| k == name).map(|(_, v)| v)
}

/// `POST /attempts/{id}/answers/{question_id}`: one question's form without script. Saves
/// the answer and the flag, and goes back to that question on the paper.
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath((raw_attempt, raw_question)): PagePath<(String, String)>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let attempt_id = parse_id(&raw_attempt, NO_ATTEMPT)?;
    let question_id = parse_id(&raw_question, "试卷中没有这道题")?;
    // Blank texts are no answer (an empty second blank of a fill-in is kept in place).
    let given: Vec<String> = values(&form, "answer")
        .map(|a| a.trim().to_string())
        .collect();
    let answer = if given.iter().all(String::is_empty) {
        Vec::new()
    } else {
        given
    };
    let input = AnswerInput {
        answer: Some(answer),
        flagged: Some(values(&form, "flagged").any(|f| f == "1")),
    };
    let app = &state.app;
    let now = app.clock.now();
    let quick = quick_save(app, attempt_id, s.actor.user_id, question_id, &input, now).await;
    if let Ok(Some(_)) = quick {
        let to = format!("/attempts/{attempt_id}#q-{question_id}");
        return Ok(Redirect::to(&to).into_response());
    }
    let mut tx = app.db.write().await?;
    let saved = attempt::save(
        &mut tx,
        attempt_id,
        s.actor.user_id,
        question_id,
        &input,
        now,
    )
    .await;
    match saved {
        Ok(Saved::Stored { .. }) => {
            tx.commit().await?;
            let to = format!("/attempts/{attempt_id}#q-{question_id}");
            Ok(Redirect::to(&to).into_response())
        }
        Ok(Saved::TooLate(_)) => {
            // The attempt is closed and graded even though this answer is refused.
            app.issue_earned_certificates(&mut tx, Some(s.actor.user_id))
                .await?;
            tx.commit().await?;
            late_result(&state, &s, attempt_id).await
        }
        Err(e) => Err(WebError::from(e).into()),
    }
}

/// The result with the server's refusal of a late answer above it.
async fn late_result(
    state: &AppState,
    s: &Session,
    attempt_id: i64,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let shown = attempt::state(&mut tx, attempt_id, s.actor.user_id, now).await?;
    tx.commit().await?;
    match shown {
        AttemptState::Finished(r) => {
            let mut res = result_page(state, s, &r, Some(attempt::TOO_LATE)).await?;
            *res.status_mut() = StatusCode::CONFLICT;
            Ok(res)
        }
        AttemptState::InProgress(p) => paper_page(s, &p),
    }
}

/// `POST /attempts/{id}/submit`: grades the attempt and shows its result (a second submit
/// shows the same result).
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let attempt_id = parse_id(&raw, NO_ATTEMPT)?;
    let app = &state.app;
    let now = app.clock.now();
    let mut tx = app.db.write().await?;
    let (_, graded) = attempt::submit(&mut tx, attempt_id, s.actor.user_id, now).await?;
    if graded.is_some() {
        app.issue_earned_certificates(&mut tx, Some(s.actor.user_id))
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/attempts/{attempt_id}")).into_response())
}
