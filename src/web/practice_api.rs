//! Practice through the API (`/api/practice/…`): start a session, answer, the wrong-answer
//! book and today's summary. Every route is the signed-in person's own practice.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use super::auth::CurrentUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::pages::article_url;
use super::{ApiError, AppState, WebError};
use crate::practice::{
    self, AnswerRequest, DailySummary, Feedback, SessionView, SourceRequest, WrongBook,
};

#[utoipa::path(post, path = "/api/practice/sessions", request_body = SourceRequest,
    responses((status = 201, body = SessionView,
        description = "the first question, without its key (none when the source is empty)"),
        (status = 400), (status = 401), (status = 404)))]
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiJson(req): ApiJson<SourceRequest>,
) -> Result<(StatusCode, Json<SessionView>), ApiError> {
    let app = &state.app;
    let mut tx = app.db.write().await?;
    let view = practice::start(&mut tx, s.actor.user_id, &req, app.clock.now()).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/api/practice/sessions/{id}",
    responses((status = 200, body = SessionView), (status = 404)))]
pub async fn session(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SessionView>, ApiError> {
    let mut conn = state.app.db.read().await?;
    Ok(Json(
        practice::current(&mut conn, s.actor.user_id, id).await?,
    ))
}

/// The body of an answer; `answer` is checked here so a wrong shape gets its own message.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AnswerBody {
    session_id: Option<i64>,
    question_id: i64,
    /// Option keys (`["A", "C"]`), `["对"]`/`["错"]`, or one text per blank.
    #[schema(value_type = Vec<String>)]
    answer: Value,
}

/// `answer` as a list of texts: a list of strings, or one string.
pub fn answer_list(v: Value) -> Result<Vec<String>, WebError> {
    let bad =
        || WebError::BadRequest("答案格式不正确，应为文字列表，例如 [\"A\"]、[\"对\"]".into());
    match v {
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) if items.len() <= 20 => items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Ok(s),
                _ => Err(bad()),
            })
            .collect(),
        _ => Err(bad()),
    }
}

/// Links each basis article to its law page.
pub fn with_links(mut f: Feedback) -> Feedback {
    for b in &mut f.basis {
        b.url = article_url(b.law_id, &b.anchor);
    }
    f
}

#[utoipa::path(post, path = "/api/practice/answers", request_body = AnswerBody,
    responses((status = 200, body = Feedback,
        description = "right or wrong, the key, the explanation and the basis articles"),
        (status = 400), (status = 404)))]
pub async fn answer(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<Json<Feedback>, ApiError> {
    let req = AnswerRequest {
        session_id: body.session_id,
        question_id: body.question_id,
        answer: answer_list(body.answer)?,
    };
    let app = &state.app;
    let mut tx = app.db.write().await?;
    let feedback = practice::answer(&mut tx, s.actor.user_id, &req, app.clock.now()).await?;
    tx.commit().await?;
    Ok(Json(with_links(feedback)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct BookQuery {
    /// Only questions on this law (any version's id).
    law_id: Option<i64>,
    /// Only questions with this tag.
    tag: Option<String>,
}

#[utoipa::path(get, path = "/api/practice/wrong-book", params(BookQuery),
    responses((status = 200, body = WrongBook)))]
pub async fn wrong_book(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiQuery(q): ApiQuery<BookQuery>,
) -> Result<Json<WrongBook>, ApiError> {
    let mut conn = state.app.db.read().await?;
    let book = practice::wrong_book(&mut conn, s.actor.user_id, q.law_id, q.tag.as_deref());
    Ok(Json(book.await?))
}

#[utoipa::path(get, path = "/api/practice/today",
    responses((status = 200, body = DailySummary)))]
pub async fn today(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
) -> Result<Json<DailySummary>, ApiError> {
    let mut conn = state.app.db.read().await?;
    let now = state.app.clock.now();
    Ok(Json(
        practice::daily_summary(&mut conn, s.actor.user_id, now).await?,
    ))
}
