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

/// A body that is not the JSON a route takes: a Chinese message saying which way it is wrong;
/// serde's English detail (field names, positions) goes to the log only.
impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        tracing::debug!(detail = %r.body_text(), "JSON body rejected");
        let message = match r {
            JsonRejection::JsonDataError(_) => "请求内容缺少必填项，或某项的类型不对",
            JsonRejection::JsonSyntaxError(_) => "请求内容不是格式正确的 JSON",
            JsonRejection::MissingJsonContentType(_) => "请求内容的类型应为 JSON",
            _ => "无法读取请求内容",
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
        tracing::debug!(detail = %r.body_text(), "path rejected");
        WebError::NotFound("要找的记录不存在".into())
    }
}
