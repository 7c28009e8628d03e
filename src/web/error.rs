//! The web layer's one error type, mapped to a response in one place: JSON under `/api`,
//! a Chinese error page elsewhere. Internal errors are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;

use super::auth::MaybeUser;
use super::{AppState, views};
use crate::accounts::AccountsError;
use crate::app::AppError;
use crate::bank::BankError;
use crate::certificates::CertError;
use crate::exam::ExamError;
use crate::learning::LearningError;
use crate::materials::MaterialsError;
use crate::practice::PracticeError;
use crate::reports::ReportError;
use crate::search::SearchError;
use crate::training::TrainingError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    /// The account is locked after repeated failed sign-ins.
    #[error("{0}")]
    Locked(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("不支持该请求方式")]
    MethodNotAllowed,
    /// A name that means several things: 400, with what it may mean (`candidates` in JSON).
    #[error("{message}")]
    Ambiguous {
        message: String,
        candidates: Vec<String>,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<SearchError> for WebError {
    fn from(e: SearchError) -> Self {
        if let SearchError::AmbiguousLaw { candidates, .. } = &e {
            WebError::Ambiguous {
                message: e.to_string(),
                candidates: candidates.clone(),
            }
        } else if e.is_user_error() {
            WebError::BadRequest(e.to_string())
        } else {
            WebError::Internal(e.to_string())
        }
    }
}

impl From<AccountsError> for WebError {
    fn from(e: AccountsError) -> Self {
        let m = e.to_string();
        match e {
            AccountsError::InvalidCredentials
            | AccountsError::TriesLeft { .. }
            | AccountsError::NowLocked { .. } => WebError::Unauthorized(m),
            AccountsError::Locked { .. } => WebError::Locked(m),
            AccountsError::Validation { .. } | AccountsError::WeakPassword(_) => {
                WebError::BadRequest(m)
            }
            AccountsError::Conflict(_) => WebError::Conflict(m),
            AccountsError::NotFound(_) => WebError::NotFound(m),
            AccountsError::Forbidden => WebError::Forbidden(m),
            AccountsError::Internal(_) | AccountsError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<BankError> for WebError {
    fn from(e: BankError) -> Self {
        let m = e.to_string();
        match e {
            BankError::File(_) | BankError::Invalid(_) | BankError::Refused(_) => {
                WebError::BadRequest(m)
            }
            BankError::NotFound(_) => WebError::NotFound(m),
            BankError::Conflict(_) => WebError::Conflict(m),
            BankError::Forbidden => WebError::Forbidden(m),
            BankError::Internal(_) | BankError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<ExamError> for WebError {
    fn from(e: ExamError) -> Self {
        let m = e.to_string();
        match e {
            ExamError::Invalid(_) => WebError::BadRequest(m),
            ExamError::NotFound(_) => WebError::NotFound(m),
            ExamError::Conflict(_) => WebError::Conflict(m),
            ExamError::Forbidden => WebError::Forbidden(m),
            ExamError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<TrainingError> for WebError {
    fn from(e: TrainingError) -> Self {
        let m = e.to_string();
        match e {
            TrainingError::Invalid(_) => WebError::BadRequest(m),
            TrainingError::NotFound(_) => WebError::NotFound(m),
            TrainingError::Conflict(_) => WebError::Conflict(m),
            TrainingError::NotExpected(_) | TrainingError::Forbidden => WebError::Forbidden(m),
            TrainingError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<CertError> for WebError {
    fn from(e: CertError) -> Self {
        let m = e.to_string();
        match e {
            CertError::Validation { .. } => WebError::BadRequest(m),
            CertError::NotFound(_) => WebError::NotFound(m),
            CertError::Conflict(_) => WebError::Conflict(m),
            CertError::Forbidden => WebError::Forbidden(m),
            CertError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<PracticeError> for WebError {
    fn from(e: PracticeError) -> Self {
        let m = e.to_string();
        match e {
            PracticeError::BadSource(_) | PracticeError::BadAnswer(_) => WebError::BadRequest(m),
            PracticeError::NotFound(_) => WebError::NotFound(m),
            PracticeError::DuringExam => WebError::Conflict(m),
            PracticeError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<LearningError> for WebError {
    fn from(e: LearningError) -> Self {
        let m = e.to_string();
        match e {
            LearningError::Invalid(_) => WebError::BadRequest(m),
            LearningError::NotFound(_) => WebError::NotFound(m),
            LearningError::Forbidden => WebError::Forbidden(m),
            // A broken curriculum file is the operator's to fix; the log says what is wrong.
            LearningError::Curriculum(_) | LearningError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<MaterialsError> for WebError {
    fn from(e: MaterialsError) -> Self {
        let m = e.to_string();
        match e {
            MaterialsError::Invalid(_) => WebError::BadRequest(m),
            MaterialsError::NotFound(_) => WebError::NotFound(m),
            MaterialsError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<ReportError> for WebError {
    fn from(e: ReportError) -> Self {
        let m = e.to_string();
        match e {
            ReportError::Invalid(_) => WebError::BadRequest(m),
            ReportError::NotFound(_) => WebError::NotFound(m),
            ReportError::Forbidden => WebError::Forbidden(m),
            ReportError::Learning(e) => e.into(),
            ReportError::Db(_) => WebError::Internal(m),
        }
    }
}

impl From<sqlx::Error> for WebError {
    fn from(e: sqlx::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Search(s) => s.into(),
            AppError::Accounts(a) => a.into(),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        WebError::Internal(format!("template: {e:#}"))
    }
}

impl WebError {
    fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            WebError::NotFound(m) => (StatusCode::NOT_FOUND, m.clone()),
            WebError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone()),
            WebError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, m.clone()),
            WebError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
            WebError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
            WebError::Locked(m) => (StatusCode::LOCKED, m.clone()),
            WebError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, m.clone()),
            WebError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m.clone()),
            WebError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, self.to_string()),
            WebError::Ambiguous { message, .. } => (StatusCode::BAD_REQUEST, message.clone()),
            WebError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "服务器内部错误，请稍后再试".to_string(),
                )
            }
        }
    }
}

/// Errors of JSON routes: `{"error": "…"}`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = self.0.status_and_message();
        match &self.0 {
            WebError::Ambiguous { candidates, .. } => (
                status,
                Json(json!({ "error": message, "candidates": candidates })),
            )
                .into_response(),
            _ => (status, Json(json!({ "error": message }))).into_response(),
        }
    }
}

/// Errors of page routes: the error page.
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = self.0.status_and_message();
        let ctx = minijinja::context! { status => status.as_u16(), message => message.clone() };
        let mut response = match views::render("error.html", ctx) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, message.clone()).into_response(),
        };
        // `error_pages` renders it again with the signed-in user's header.
        response.extensions_mut().insert(ErrorPage { message });
        response
    }
}

/// Marks a response as an error page, for `error_pages`.
#[derive(Debug, Clone)]
struct ErrorPage {
    message: String,
}

/// Re-renders error pages with the signed-in user in the header. The session is looked up
/// only when a page actually failed, so ordinary requests pay nothing.
pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only the cookie is kept: the session is looked up from it if the page failed.
    let cookie = req.headers().get(axum::http::header::COOKIE).cloned();
    let response = next.run(req).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let mut lookup = Request::new(axum::body::Body::empty()).into_parts().0;
    if let Some(cookie) = cookie {
        lookup.headers.insert(axum::http::header::COOKIE, cookie);
    }
    let Ok(MaybeUser(Some(session))) = MaybeUser::from_request_parts(&mut lookup, &state).await
    else {
        return response;
    };
    let status = response.status();
    let ctx = minijinja::context! { status => status.as_u16(), message => page.message };
    match views::page("error.html", Some(&session), ctx) {
        Ok(html) => {
            let (mut head, _) = response.into_parts();
            head.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(head, axum::body::Body::from(html))
        }
        Err(_) => response,
    }
}
