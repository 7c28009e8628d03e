//! `/me/trainings/{id}/makeup`: the make-up (补学) of a missed study session for an official
//! on a phone: the session's laws and study notes to read, and its short check; passing it
//! credits the session as made up (the training module grades and credits).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Serde;

use super::account_pages::PageForm;
use super::auth::{CurrentUser, Session};
use super::extract::PagePath;
use super::kit::{check_answers, form_error, parse_id, render};
use super::{AppState, PageError, WebError};
use crate::db::commit_if_ok;
use crate::training::makeup::{self, MakeupAnswer, MakeupAnswers, MakeupResult, MakeupView};

const MISSING: &str = "学法活动不存在";

/// Starts the make-up, or resumes the one begun (the same questions until it is passed).
pub async fn page(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, MISSING)?;
    let view = begin(&state, &s, id).await?;
    show(&state, &s, &view, StatusCode::OK, None, None).await
}

pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(raw): PagePath<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw, MISSING)?;
    let answers = MakeupAnswers {
        answers: check_answers(&form)
            .into_iter()
            .map(|(question_id, answer)| MakeupAnswer {
                question_id,
                answer,
            })
            .collect(),
    };
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let graded = makeup::submit(&mut tx, &s.actor, id, &answers, now).await;
    match commit_if_ok(tx, graded).await {
        // Passed: nothing is owed any more, so the page shows the result alone.
        Ok(result) if result.passed => passed(&s, &result),
        Ok(result) => {
            let retry = begin(&state, &s, id).await?;
            show(&state, &s, &retry, StatusCode::OK, Some(&result), None).await
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            let view = begin(&state, &s, id).await?;
            show(&state, &s, &view, status, None, Some(message)).await
        }
    }
}

async fn begin(state: &AppState, s: &Session, id: i64) -> Result<MakeupView, WebError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let started = makeup::start(&mut tx, &s.actor, id, now).await;
    Ok(commit_if_ok(tx, started).await?)
}

async fn show(
    state: &AppState,
    s: &Session,
    view: &MakeupView,
    status: StatusCode,
    result: Option<&MakeupResult>,
    error: Option<String>,
) -> Result<Response, PageError> {
    // The study notes of the session's laws, to read before the check.
    let notes: Vec<(String, String)> = {
        let mut conn = state.app.db.read().await?;
        crate::materials::with_ids(&mut conn, &state.app.config.project_corpus)
            .await
            .map_err(WebError::from)?
            .into_iter()
            .filter(|m| view.laws.iter().any(|l| l.title == m.note.law))
            .map(|m| (m.note.slug, m.note.title))
            .collect()
    };
    let ctx = context! {
        training_id => view.training_id,
        title => view.title.clone(),
        laws => view.laws.iter().map(|l| (l.law_id, l.title.clone())).collect::<Vec<_>>(),
        notes,
        questions => Serde(&view.questions),
        pass_mark => view.pass_mark,
        result => result.map(Serde),
        error,
    };
    render(status, "makeup.html", Some(s), ctx)
}

fn passed(s: &Session, result: &MakeupResult) -> Result<Response, PageError> {
    let ctx = context! { result => Serde(result), done => true };
    render(StatusCode::OK, "makeup.html", Some(s), ctx)
}
