//! JSON API for taking exams: the exams open to me, starting or resuming an attempt, saving
//! each answer as it is given, submitting, the visibility log and my attempts. Every handler
//! takes the signed-in user; an attempt of someone else's is a 404.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};

use super::auth::CurrentUser;
use super::extract::{ApiJson, ApiPath};
use super::{ApiError, AppState, WebError};
use crate::app::App;
use crate::exam::attempt::{self, AnswerInput, AttemptState, Saved};
use crate::exam::results::{self, AttemptSummary, MyExam};
use crate::exam::view::{PaperView, ResultView};
use crate::exam::{ExamError, answer, resume};

#[utoipa::path(get, path = "/api/exams",
    responses((status = 200, body = [MyExam]), (status = 401)))]
pub async fn exams(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Json<Vec<MyExam>>, ApiError> {
    let mut conn = state.app.db.read().await?;
    let now = state.app.clock.now();
    Ok(Json(results::my_exams(&mut conn, &s.actor, now).await?))
}

/// Starts an attempt (201) or returns the one in progress with its saved answers (200).
/// Neither the paper nor anything else here carries the key, explanations or basis.
#[utoipa::path(post, path = "/api/exams/{exam_id}/attempts", params(("exam_id" = i64, Path)),
    responses((status = 201, body = PaperView), (status = 200, body = PaperView),
        (status = 404), (status = 409)))]
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(exam_id): ApiPath<i64>,
) -> Result<(StatusCode, Json<PaperView>), ApiError> {
    let app = &state.app;
    let now = app.clock.now();
    if let Some(paper) =
        resume::open_paper(&mut *app.db.read().await?, exam_id, &s.actor, now).await?
    {
        return Ok((StatusCode::OK, Json(paper)));
    }
    let seed = OsRng.next_u64();
    let bank = app.approved_bank().await?;
    let mut tx = app.db.write().await?;
    let started = attempt::start(&mut tx, exam_id, &s.actor, now, seed, &bank).await?;
    if started.closed {
        app.issue_earned_certificates(&mut tx, Some(s.actor.user_id))
            .await?;
    }
    tx.commit().await?;
    let status = if started.new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(started.paper)))
}

/// The paper while in progress, the result once graded.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AttemptBody {
    InProgress(PaperView),
    Finished(ResultView),
}

#[utoipa::path(get, path = "/api/attempts/{attempt_id}", params(("attempt_id" = i64, Path)),
    responses((status = 200, body = AttemptBody), (status = 404)))]
pub async fn get_attempt(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(attempt_id): ApiPath<i64>,
) -> Result<Json<AttemptBody>, ApiError> {
    let now = state.app.clock.now();
    if let Some(paper) = resume::paper(
        &mut *state.app.db.read().await?,
        attempt_id,
        s.actor.user_id,
        now,
    )
    .await?
    {
        return Ok(Json(AttemptBody::InProgress(paper)));
    }
    // A unit of work: reading an attempt past its deadline closes and grades it.
    let mut tx = state.app.db.write().await?;
    let body = match attempt::state(&mut tx, attempt_id, s.actor.user_id, now).await? {
        AttemptState::InProgress(p) => AttemptBody::InProgress(p),
        AttemptState::Finished(r) => AttemptBody::Finished(r),
    };
    if matches!(body, AttemptBody::Finished(_)) {
        state
            .app
            .issue_earned_certificates(&mut tx, Some(s.actor.user_id))
            .await?;
    }
    tx.commit().await?;
    Ok(Json(body))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SavedAnswer {
    question_id: i64,
    answer: Option<Vec<String>>,
    flagged: bool,
    /// Seconds left until the server closes the attempt (the page's countdown resyncs).
    remaining_seconds: i64,
}

/// Saves one answer (and/or the review flag); 200 means it is committed. Idempotent. After
/// the deadline: 409, nothing stored, and the attempt is closed and graded.
#[utoipa::path(put, path = "/api/attempts/{attempt_id}/answers/{question_id}",
    params(("attempt_id" = i64, Path), ("question_id" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = SavedAnswer), (status = 400), (status = 404), (status = 409)))]
pub async fn save_answer(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath((attempt_id, question_id)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Json<SavedAnswer>, ApiError> {
    let now = state.app.clock.now();
    let user_id = s.actor.user_id;
    let saved = match quick_save(&state.app, attempt_id, user_id, question_id, &input, now).await? {
        Some(saved) => saved,
        None => {
            let mut tx = state.app.db.write().await?;
            let saved =
                attempt::save(&mut tx, attempt_id, user_id, question_id, &input, now).await?;
            // Closing a late attempt is kept even though this answer is refused.
            if matches!(saved, Saved::TooLate(_)) {
                state
                    .app
                    .issue_earned_certificates(&mut tx, Some(user_id))
                    .await?;
            }
            tx.commit().await?;
            saved
        }
    };
    match saved {
        Saved::Stored {
            answer,
            flagged,
            deadline,
        } => Ok(Json(SavedAnswer {
            question_id,
            answer,
            flagged,
            remaining_seconds: (deadline - now).max(0),
        })),
        Saved::TooLate(_) => Err(WebError::Conflict(attempt::TOO_LATE.into()).into()),
    }
}

/// Saves an answer without a unit of work: checked on a read connection, stored by one
/// statement. None when the attempt is past its deadline: then [`attempt::save`] in a unit of
/// work refuses the answer and closes the attempt.
pub(super) async fn quick_save(
    app: &App,
    attempt_id: i64,
    user_id: i64,
    question_id: i64,
    input: &AnswerInput,
    now: i64,
) -> Result<Option<Saved>, ExamError> {
    let checked = {
        let mut conn = app.db.read().await?;
        answer::check(&mut conn, attempt_id, user_id, question_id, input, now).await?
    };
    match checked {
        Some(c) => answer::store(app.db.single(), app.db.backend, &c, now).await,
        None => Ok(None),
    }
}

/// Grades the attempt; a second submit returns the same result.
#[utoipa::path(post, path = "/api/attempts/{attempt_id}/submit",
    params(("attempt_id" = i64, Path)),
    responses((status = 200, body = ResultView), (status = 404)))]
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(attempt_id): ApiPath<i64>,
) -> Result<Json<ResultView>, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    let (result, graded) = attempt::submit(&mut tx, attempt_id, s.actor.user_id, now).await?;
    if graded.is_some() {
        state
            .app
            .issue_earned_certificates(&mut tx, Some(s.actor.user_id))
            .await?;
    }
    tx.commit().await?;
    Ok(Json(result))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventRequest {
    /// hidden, visible, blur, focus, offline, online
    kind: String,
    #[serde(default)]
    detail: String,
}

/// Logs a visibility change (evidence for the administrator; never an automatic fail).
#[utoipa::path(post, path = "/api/attempts/{attempt_id}/events",
    params(("attempt_id" = i64, Path)), request_body = EventRequest,
    responses((status = 204), (status = 400), (status = 404), (status = 409)))]
pub async fn event(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(attempt_id): ApiPath<i64>,
    ApiJson(req): ApiJson<EventRequest>,
) -> Result<StatusCode, ApiError> {
    let now = state.app.clock.now();
    let mut tx = state.app.db.write().await?;
    attempt::log_event(
        &mut tx,
        attempt_id,
        s.actor.user_id,
        &req.kind,
        &req.detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/me/attempts",
    responses((status = 200, body = [AttemptSummary]), (status = 401)))]
pub async fn my_attempts(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Json<Vec<AttemptSummary>>, ApiError> {
    let mut conn = state.app.db.read().await?;
    Ok(Json(
        results::my_attempts(&mut conn, s.actor.user_id).await?,
    ))
}
