//! Request extractors whose rejections are the API's JSON errors, not axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};

use super::{ApiError, WebError};

/// `Query<T>` answering a malformed query string with `400 {"error": …}`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Json<T>` answering a malformed body with `400 {"error": …}`.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

impl From<QueryRejection> for WebError {
    fn from(r: QueryRejection) -> Self {
        WebError::BadRequest(format!("参数无效 (invalid parameter): {}", r.body_text()))
    }
}

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        WebError::BadRequest(format!(
            "请求内容无效 (invalid JSON body): {}",
            r.body_text()
        ))
    }
}

/// `Path<T>` answering a malformed id with `404 {"error": …}`: no such thing exists.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

impl From<PathRejection> for WebError {
    fn from(r: PathRejection) -> Self {
        WebError::NotFound(format!("不存在 (not found): {}", r.body_text()))
    }
}
