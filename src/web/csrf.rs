//! CSRF: one layer for every state-changing request, pages and API alike.
//!
//! A signed-in browser's POST/PUT/PATCH/DELETE must carry its session's CSRF token, either in
//! the `X-CSRF-Token` header (the API, scripts) or as the **first field** of its form body
//! (pages: `application/x-www-form-urlencoded` and `multipart/form-data` alike). Browsers send
//! form fields in document order and every form of ours starts with its hidden `csrf_token`
//! (a test checks the templates), so the layer reads at most `MAX_PREFIX` bytes of a body and
//! hands the handler the whole body unchanged: no second buffer, and each route's own body
//! limit still applies when the handler reads it. A form whose token is not first is refused,
//! so the rule fails closed.
//!
//! Without a session there is nobody to impersonate; such requests go on to the handler,
//! which asks for a sign-in. The short allow-list below is the sign-in itself.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Body as _, Frame, SizeHint};

use super::auth::{CSRF_HEADER, MaybeUser, Session, constant_time_eq};
use super::routes::{RouteTable, changes_state};
use super::{ApiError, AppState, PageError, WebError};

/// State-changing routes the layer lets through without a session token. The login form
/// checks its double-submit cookie itself (`account_pages::login_submit`); the JSON sign-in
/// takes only `application/json`, which a cross-site form cannot send.
pub const ALLOW_LIST: [(Method, &str); 2] =
    [(Method::POST, "/login"), (Method::POST, "/api/login")];

/// The field a page form carries its token in, and the most of a body read to find it.
pub const FORM_FIELD: &str = "csrf_token";
const MAX_PREFIX: usize = 4096;

pub async fn csrf_layer(
    State((state, table)): State<(AppState, RouteTable)>,
    req: Request,
    next: Next,
) -> Response {
    if !changes_state(req.method()) {
        return next.run(req).await;
    }
    // No matched route: the fallback answers 404 and nothing runs.
    let Some(path) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        return next.run(req).await;
    };
    let api = path.starts_with("/api/");
    // A route registered around the table would escape the walk in the tests: refuse it.
    // (`{*…}` is axum's own catch-all for a nested router's fallback.)
    if !table.knows_path(&path) && !path.contains("{*") {
        tracing::error!(%path, "state-changing route missing from the route table");
        return refusal(api);
    }
    if ALLOW_LIST
        .iter()
        .any(|(m, p)| m == req.method() && *p == path)
    {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let session = match MaybeUser::from_request_parts(&mut parts, &state).await {
        Ok(MaybeUser(s)) => s,
        Err(e) => return e.into_response(),
    };
    let Some(session) = session else {
        return next.run(Request::from_parts(parts, body)).await;
    };
    if let Some(sent) = parts.headers.get(CSRF_HEADER) {
        let ok = sent.to_str().is_ok_and(|t| matches(&session, t));
        return if ok {
            next.run(Request::from_parts(parts, body)).await
        } else {
            refusal(api)
        };
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (prefix, rest) = match read_prefix(body, &content_type).await {
        Ok(read) => read,
        Err(e) => {
            tracing::debug!(error = %e, "request body ended while looking for the CSRF token");
            return refusal(api);
        }
    };
    match first_field_token(&content_type, &prefix) {
        Some(t) if matches(&session, &t) => {
            let body = Body::new(Prefixed {
                prefix: Some(prefix),
                rest,
            });
            next.run(Request::from_parts(parts, body)).await
        }
        _ => refusal(api),
    }
}

fn matches(session: &Session, sent: &str) -> bool {
    constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes())
}

/// 403 with the Chinese message: JSON under `/api`, the error page elsewhere.
fn refusal(api: bool) -> Response {
    if api {
        ApiError(WebError::Forbidden("安全校验失败，请刷新页面后重试".into())).into_response()
    } else {
        PageError(WebError::Forbidden(
            "表单已过期或来源不明，请刷新页面后重试".into(),
        ))
        .into_response()
    }
}

/// Reads the body until its first field is complete, it ends, or `MAX_PREFIX` bytes are in.
async fn read_prefix(mut body: Body, content_type: &str) -> Result<(Bytes, Body), axum::Error> {
    let mut prefix = Vec::new();
    while prefix.len() < MAX_PREFIX && !first_field_complete(content_type, &prefix) {
        match poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            None => break,
            Some(frame) => {
                if let Ok(data) = frame?.into_data() {
                    prefix.extend_from_slice(&data);
                }
            }
        }
    }
    Ok((Bytes::from(prefix), body))
}

fn is_form(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|m| {
        m.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// The multipart boundary of a `multipart/form-data` content type.
fn boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    let mime = parts.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

fn first_field_complete(content_type: &str, prefix: &[u8]) -> bool {
    if is_form(content_type) {
        prefix.contains(&b'&')
    } else if let Some(b) = boundary(content_type) {
        multipart_first(&b, prefix).is_some()
    } else {
        // Neither form kind: there is no field to find, so there is nothing to read.
        true
    }
}

/// The token in the body's first field, if that field is `csrf_token`.
pub fn first_field_token(content_type: &str, prefix: &[u8]) -> Option<String> {
    if is_form(content_type) {
        let first = prefix.split(|b| *b == b'&').next()?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(first).ok()?;
        let (name, value) = pairs.into_iter().next()?;
        (name == FORM_FIELD).then_some(value)
    } else {
        let (name, value) = multipart_first(&boundary(content_type)?, prefix)?;
        (name == FORM_FIELD).then_some(value)
    }
}

/// The first part of a multipart body: its field name and text, once it is complete.
fn multipart_first(boundary: &str, prefix: &[u8]) -> Option<(String, String)> {
    let text = std::str::from_utf8(prefix).ok().or_else(|| {
        // The prefix may end inside a multi-byte character of a later part.
        let valid = std::str::from_utf8(prefix).err()?.valid_up_to();
        std::str::from_utf8(&prefix[..valid]).ok()
    })?;
    let opening = format!("--{boundary}\r\n");
    let rest = text.strip_prefix(opening.as_str())?;
    let (head, rest) = rest.split_once("\r\n\r\n")?;
    let closing = format!("\r\n--{boundary}");
    let (value, _) = rest.split_once(closing.as_str())?;
    let disposition = head.lines().find(|l| {
        l.split(':')
            .next()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case("content-disposition"))
    })?;
    if disposition.contains("filename") {
        return None;
    }
    let name = disposition
        .split(';')
        .find_map(|p| p.trim().strip_prefix("name="))?
        .trim_matches('"');
    Some((name.to_string(), value.to_string()))
}

/// The body as it came: the bytes already read, then the rest.
struct Prefixed {
    prefix: Option<Bytes>,
    rest: Body,
}

impl http_body::Body for Prefixed {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        if let Some(prefix) = self.prefix.take().filter(|p| !p.is_empty()) {
            return Poll::Ready(Some(Ok(Frame::data(prefix))));
        }
        Pin::new(&mut self.rest).poll_frame(cx)
    }

    fn size_hint(&self) -> SizeHint {
        let mut hint = self.rest.size_hint();
        let extra = self.prefix.as_ref().map_or(0, |p| p.len() as u64);
        hint.set_lower(hint.lower() + extra);
        if let Some(upper) = hint.upper() {
            hint.set_upper(upper + extra);
        }
        hint
    }

    fn is_end_stream(&self) -> bool {
        self.prefix.as_ref().is_none_or(Bytes::is_empty) && self.rest.is_end_stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = "application/x-www-form-urlencoded";

    #[test]
    fn the_token_is_read_from_the_first_form_field_only() {
        assert_eq!(
            first_field_token(FORM, b"csrf_token=abc&name=x").as_deref(),
            Some("abc")
        );
        assert_eq!(
            first_field_token(FORM, b"csrf_token=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(first_field_token(FORM, b"name=x&csrf_token=abc"), None);
        assert_eq!(first_field_token("text/plain", b"csrf_token=abc"), None);
    }

    #[test]
    fn the_token_is_read_from_the_first_multipart_part() {
        let ct = "multipart/form-data; boundary=XYZ";
        let body = "--XYZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc\r\n--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n账号\r\n--XYZ--\r\n";
        assert_eq!(
            first_field_token(ct, body.as_bytes()).as_deref(),
            Some("abc")
        );
        let file_first = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"csrf_token\"\r\n\r\nabc\r\n--XYZ--\r\n";
        assert_eq!(first_field_token(ct, file_first.as_bytes()), None);
        let cut = &body.as_bytes()[..40];
        assert_eq!(
            first_field_token(ct, cut),
            None,
            "an incomplete part is no token"
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=\"q q\"").as_deref(),
            Some("q q")
        );
    }
}
