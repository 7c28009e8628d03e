//! The practice pages: `/practice` (choose what to practise, or confirm a 考考我 link), one
//! question at a time under `/practice/sessions/{id}` with feedback after each answer, and
//! `/review` (the wrong-answer book and today's queue). Plain forms: they work without script.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::{Serde, Value};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::auth::{CurrentUser, Session};
use super::kit::{beijing_time, form_error, parse_id, render};
use super::practice_api::with_links;
use super::{AppState, PageError, WebError};
use crate::practice::{self, AnswerRequest, PracticeError, SourceRequest};

const NO_SESSION: &str = "练习不存在";

/// A source from a query string or form: every field text, so a malformed number is a
/// message on the page rather than a bare rejection.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageSource {
    source: String,
    law_id: String,
    chapter: String,
    article: String,
    tag: String,
}

impl PageSource {
    fn request(&self) -> Result<SourceRequest, PracticeError> {
        let number = |raw: &str, what: &str| -> Result<Option<i64>, PracticeError> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            raw.parse::<i64>()
                .map(Some)
                .map_err(|_| PracticeError::BadSource(format!("{what}编号不正确")))
        };
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(SourceRequest {
            source: self.source.trim().to_string(),
            law_id: number(&self.law_id, "法规")?,
            chapter: number(&self.chapter, "章节")?,
            article: text(&self.article),
            tag: text(&self.tag),
            limit: None,
        })
    }

    fn fields(&self) -> Value {
        context! {
            source => self.source.clone(), law_id => self.law_id.clone(),
            chapter => self.chapter.clone(), article => self.article.clone(),
            tag => self.tag.clone(),
        }
    }
}

fn v<T: serde::Serialize>(t: &T) -> Value {
    Value::from(Serde(t))
}

/// The choices page; with a source in the query, the offer to start it.
pub async fn practice(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<PageSource>,
) -> Result<Response, PageError> {
    let offer = if q.source.trim().is_empty() {
        None
    } else {
        let mut conn = state.app.db.read().await?;
        let now = state.app.clock.now();
        match q.request() {
            Ok(req) => Some(practice::preview(&mut conn, s.actor.user_id, &req, now).await),
            Err(e) => Some(Err(e)),
        }
    };
    match offer {
        None => choices_page(&state, &s, StatusCode::OK, None, None).await,
        Some(Ok((title, count))) => {
            let offer = context! { title, count, fields => q.fields() };
            choices_page(&state, &s, StatusCode::OK, Some(offer), None).await
        }
        Some(Err(e)) => {
            let (status, message) = form_error(e)?;
            choices_page(&state, &s, status, None, Some(message)).await
        }
    }
}

async fn choices_page(
    state: &AppState,
    s: &Session,
    status: StatusCode,
    offer: Option<Value>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let mut conn = state.app.db.read().await?;
    let catalog = practice::catalog::catalog(&mut conn).await?;
    let now = state.app.clock.now();
    let today = practice::daily_summary(&mut conn, s.actor.user_id, now).await?;
    let ctx = context! { catalog => v(&catalog), today => v(&today), offer, error };
    render(status, "practice.html", Some(s), ctx)
}

/// Starts a session from the form and goes to its first question.
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PageForm(form): PageForm<PageSource>,
) -> Result<Response, PageError> {
    let app = &state.app;
    let started = match form.request() {
        Ok(req) => {
            let mut tx = app.db.write().await?;
            let r = practice::start(&mut tx, s.actor.user_id, &req, app.clock.now()).await;
            crate::db::commit_if_ok(tx, r).await
        }
        Err(e) => Err(e),
    };
    match started {
        Ok(view) => match view.session_id {
            Some(id) => Ok(Redirect::to(&format!("/practice/sessions/{id}")).into_response()),
            None => {
                let message = format!("{}暂无可练习的题目", view.title);
                choices_page(&state, &s, StatusCode::OK, None, Some(message)).await
            }
        },
        Err(e) => {
            let (status, message) = form_error(e)?;
            choices_page(&state, &s, status, None, Some(message)).await
        }
    }
}

/// The session's next question (or its end).
pub async fn session(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, NO_SESSION)?;
    let mut conn = state.app.db.read().await?;
    let view = practice::current(&mut conn, s.actor.user_id, id).await?;
    let ctx = context! { session => v(&view), feedback => None::<Value>, error => None::<String> };
    render(StatusCode::OK, "practice_session.html", Some(&s), ctx)
}

/// Takes the form's answer and shows the feedback with the link to the next question.
pub async fn answer(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, NO_SESSION)?;
    let question_id = values(&form, "question_id")
        .next()
        .and_then(|q| q.trim().parse::<i64>().ok())
        .ok_or_else(|| WebError::NotFound("题目不存在或未发布".into()))?;
    let req = AnswerRequest {
        session_id: Some(id),
        question_id,
        answer: values(&form, "answer").cloned().collect(),
    };
    let app = &state.app;
    let mut tx = app.db.write().await?;
    let result = practice::answer(&mut tx, s.actor.user_id, &req, app.clock.now()).await;
    let result = crate::db::commit_if_ok(tx, result).await;
    match result {
        Ok(feedback) => {
            let feedback = with_links(feedback);
            let ctx = context! {
                session => v(&feedback.session), feedback => v(&feedback), error => None::<String>,
            };
            render(StatusCode::OK, "practice_session.html", Some(&s), ctx)
        }
        Err(PracticeError::BadAnswer(message)) => {
            let mut conn = app.db.read().await?;
            let view = practice::current(&mut conn, s.actor.user_id, id).await?;
            let ctx = context! { session => v(&view), feedback => None::<Value>, error => message };
            render(
                StatusCode::BAD_REQUEST,
                "practice_session.html",
                Some(&s),
                ctx,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The values of a form field that may repeat (`answer` of a multiple-choice question).
fn values<'a>(form: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a String> {
    form.iter().filter(move |(k, _)| k == name).map(|(_, v)| v)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewQuery {
    law_id: String,
    tag: String,
}

/// The wrong-answer book (by law and tag) and today's queue with the streak.
pub async fn review(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, PageError> {
    let law_id = match q.law_id.trim() {
        "" => None,
        raw => Some(parse_id(raw, "法规不存在")?),
    };
    let mut conn = state.app.db.read().await?;
    let me = s.actor.user_id;
    let book = practice::wrong_book(&mut conn, me, law_id, Some(&q.tag)).await?;
    let today = practice::daily_summary(&mut conn, me, state.app.clock.now()).await?;
    let times: Vec<String> = book
        .entries
        .iter()
        .map(|e| beijing_time(e.last_wrong_at))
        .collect();
    let ctx = context! {
        book => v(&book), today => v(&today), times,
        law_id => law_id.unwrap_or(0), tag => q.tag.trim().to_string(),
    };
    render(StatusCode::OK, "review.html", Some(&s), ctx)
}
