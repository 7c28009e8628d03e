//! Request extractors whose rejections are the API's JSON errors, not axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};

use super::{ApiError, PageError, WebError};

/// `Query<T>` answering a malformed query string with `400 {"error": …}`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Json<T>` answering a malformed body with `400 {"error": …}`.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

// The rejections' own texts are serde's English ("Failed to deserialize query string: limit:
// invalid digit found in string"): they go to the log, and the client gets a Chinese message
// naming the parameter when it is one of ours.
impl From<QueryRejection> for WebError {
    fn from(r: QueryRejection) -> Self {
        let detail = r.body_text();
        tracing::debug!(%detail, "query string rejected");
        WebError::BadRequest(query_message(&detail))
    }
}

/// Chinese names of the query parameters the API takes.
const PARAMETERS: [(&str, &str); 8] = [
    ("q", "搜索内容"),
    ("law", "法规名称"),
    ("category", "类别"),
    ("limit", "每页条数"),
    ("offset", "起始位置"),
    ("all_versions", "是否包含历史版本"),
    ("current", "是否只列现行版本"),
    ("page", "页码"),
];

fn query_message(detail: &str) -> String {
    let detail = detail
        .strip_prefix("Failed to deserialize query string: ")
        .unwrap_or(detail);
    let missing = detail
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    let named = detail.split_once(": ").map(|(name, _)| name);
    let label = |name: &str| {
        PARAMETERS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, label)| *label)
    };
    match (missing.and_then(label), named.and_then(label)) {
        (Some(l), _) => format!("缺少请求参数「{l}」"),
        (None, Some(l)) if l.starts_with("是否") => format!("请求参数「{l}」应为 true 或 false"),
        (None, Some(l)) if ["每页条数", "起始位置", "页码"].contains(&l) => {
            format!("请求参数「{l}」应为不小于 0 的整数")
        }
        (None, Some(l)) => format!("请求参数「{l}」的值无效"),
        (None, None) => "请求参数格式不正确".to_string(),
    }
}

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        tracing::debug!(detail = %r.body_text(), "JSON body rejected");
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

/// `Path<T>` for pages: a malformed segment (`/laws/%FF`) is the Chinese 404 page, not
/// axum's plain English text.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(PageError))]
pub struct PagePath<T>(pub T);

impl From<PathRejection> for WebError {
    fn from(r: PathRejection) -> Self {
        let detail = r.body_text();
        tracing::debug!(%detail, "path rejected");
        WebError::NotFound("要找的内容不存在".into())
    }
}

#[cfg(test)]
mod tests {
    use super::query_message;

    #[test]
    fn query_errors_name_the_parameter_in_chinese_and_nothing_of_serde() {
        let m = |d| query_message(d);
        assert_eq!(
            m("Failed to deserialize query string: limit: invalid digit found in string"),
            "请求参数「每页条数」应为不小于 0 的整数"
        );
        assert_eq!(
            m("Failed to deserialize query string: missing field `q`"),
            "缺少请求参数「搜索内容」"
        );
        assert_eq!(
            m(
                "Failed to deserialize query string: all_versions: provided string was not `true` or `false`"
            ),
            "请求参数「是否包含历史版本」应为 true 或 false"
        );
        assert_eq!(
            m("Failed to deserialize query string: x: y"),
            "请求参数格式不正确"
        );
    }
}
