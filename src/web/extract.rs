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
        tracing::debug!(detail = %r.body_text(), "query string refused");
        WebError::BadRequest("请求参数格式不正确，请检查后重试".into())
    }
}

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        tracing::debug!(detail = %r.body_text(), "JSON body refused");
        let message = match r {
            JsonRejection::MissingJsonContentType(_) => "请以 JSON 格式提交请求内容",
            JsonRejection::JsonSyntaxError(_) => "请求内容不是有效的 JSON",
            JsonRejection::JsonDataError(_) => "请求内容缺少必填项或类型不正确",
            _ => "请求内容无法读取，请检查后重试",
        };
        WebError::BadRequest(message.into())
    }
}

/// `Path<T>` answering a malformed id with `404 {"error": …}`: no such thing exists.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

impl From<PathRejection> for WebError {
    fn from(r: PathRejection) -> Self {
        tracing::debug!(detail = %r.body_text(), "path refused");
        WebError::NotFound("请求的对象不存在".into())
    }
}
