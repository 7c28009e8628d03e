//! What the accounts tests share: signing in through the API, JSON and form requests with the
//! session cookie and CSRF token, and setting up units and users as the system administrator.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{ADMIN_PASSWORD, TestApp, request};

/// The administrator's password after the forced change at first sign-in.
pub const ADMIN_NEW_PASSWORD: &str = "Xuefa-Guanli-7788";
/// The password every user set up by `user_session` changes to.
pub const USER_PASSWORD: &str = "Xuexi-Falv-2468";

/// A signed-in browser: its session cookie (`xuefa_session=…`) and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub user_id: i64,
}

impl Session {
    /// The same session sending another (or no, when empty) CSRF token.
    pub fn with_csrf(&self, csrf: &str) -> Session {
        Session {
            csrf: csrf.to_string(),
            ..self.clone()
        }
    }
}

/// `xuefa_session=…` from a response's `Set-Cookie`, when it sets a non-empty session.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| c.starts_with("xuefa_session=") && c.len() > "xuefa_session=".len())
        .map(str::to_string)
}

/// The body as JSON: `null` when empty, a string when it is not JSON.
pub fn json_of(body: &str) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_string()))
}

/// `POST /api/login`, optionally from a browser that already has a session cookie.
pub async fn login(
    router: &Router,
    username: &str,
    password: &str,
    cookie: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut req = Request::post("/api/login").header(header::CONTENT_TYPE, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let body = json!({ "username": username, "password": password }).to_string();
    let (status, headers, body) = request(router, req.body(Body::from(body)).expect("req")).await;
    (status, headers, json_of(&body))
}

/// Signs in; anything but 200 with a cookie fails the test.
pub async fn sign_in(router: &Router, username: &str, password: &str) -> Session {
    let (status, headers, me) = login(router, username, password, None).await;
    assert_eq!(status, StatusCode::OK, "sign-in of {username}: {me}");
    Session {
        cookie: session_cookie(&headers).expect("session cookie"),
        csrf: me["csrf_token"].as_str().expect("csrf_token").to_string(),
        user_id: me["user_id"].as_i64().expect("user_id"),
    }
}

/// An API request with the session's cookie and `X-CSRF-Token`, and a JSON body if given.
pub async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    session: Option<&Session>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(s) = session {
        req = req.header(header::COOKIE, &s.cookie);
        if !s.csrf.is_empty() {
            req = req.header("x-csrf-token", &s.csrf);
        }
    }
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let (status, _, body) = request(router, req.body(body).expect("request")).await;
    (status, json_of(&body))
}

pub async fn api_get(router: &Router, uri: &str, s: Option<&Session>) -> (StatusCode, Value) {
    call(router, Method::GET, uri, s, None).await
}

pub async fn api_post(router: &Router, uri: &str, s: &Session, body: Value) -> (StatusCode, Value) {
    call(router, Method::POST, uri, Some(s), Some(body)).await
}

/// A page request: GET when `form` is None, else a urlencoded POST of `form`.
pub async fn page(
    router: &Router,
    uri: &str,
    session: Option<&Session>,
    form: Option<&[(&str, &str)]>,
) -> (StatusCode, HeaderMap, String) {
    let method = if form.is_some() {
        Method::POST
    } else {
        Method::GET
    };
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(s) = session {
        req = req.header(header::COOKIE, &s.cookie);
    }
    let body = match form {
        Some(f) => {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(serde_urlencoded::to_string(f).expect("form"))
        }
        None => Body::empty(),
    };
    request(router, req.body(body).expect("request")).await
}

/// A multipart body with text fields and one file field last: (content type, bytes).
pub fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----xuefa-test-boundary-7b1c9e";
    let mut body = Vec::with_capacity(file.len() + 1024);
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\ncontent-disposition: form-data; name=\"file\"; \
             filename=\"{file_name}\"\r\ncontent-type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads a file to the import page with the session's CSRF token.
pub async fn upload(
    t: &TestApp,
    s: &Session,
    file_name: &str,
    file: &[u8],
) -> (StatusCode, String) {
    let (content_type, body) = multipart(&[("csrf_token", &s.csrf)], file_name, file);
    let req = Request::post("/admin/users/import")
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let (status, _, html) = request(&t.router, req).await;
    (status, html)
}

/// Changes the session user's password; 204 or the test fails.
pub async fn change_password(router: &Router, s: &Session, old: &str, new: &str) {
    let body = json!({ "old_password": old, "new_password": new });
    let (status, v) = api_post(router, "/api/me/password", s, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "password change: {v}");
}

/// Whether the session still signs its user in: `/api/me` answers 200 with the user.
pub async fn signed_in(router: &Router, s: &Session) -> bool {
    let (status, me) = api_get(router, "/api/me", Some(s)).await;
    status == StatusCode::OK && me["user_id"].as_i64() == Some(s.user_id)
}

/// Asserts that the session has ended: `/api/me` is a JSON 401.
pub async fn assert_signed_out(router: &Router, s: &Session, why: &str) {
    let (status, me) = api_get(router, "/api/me", Some(s)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{why}: {me}");
    assert!(me["error"].is_string(), "{why}: {me}");
}

/// The first administrator, signed in, with the forced password change done.
pub async fn admin_session(t: &TestApp) -> Session {
    let s = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;
    change_password(&t.router, &s, ADMIN_PASSWORD, ADMIN_NEW_PASSWORD).await;
    s
}

/// Creates a unit (and its missing ancestors); returns its id.
pub async fn add_unit(t: &TestApp, admin: &Session, path: &str) -> i64 {
    let (status, v) = api_post(
        &t.router,
        "/api/admin/units",
        admin,
        json!({ "path": path }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "create unit {path}: {v}");
    v["id"].as_i64().expect("unit id")
}

/// Creates a user; returns (user id, one-time password).
pub async fn add_user(
    t: &TestApp,
    admin: &Session,
    username: &str,
    unit: &str,
    roles: &str,
) -> (i64, String) {
    let body = json!({ "username": username, "name": "测试用户", "unit": unit, "roles": roles });
    let (status, v) = api_post(&t.router, "/api/admin/users", admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "create user {username}: {v}");
    let password = v["initial_password"]
        .as_str()
        .expect("password")
        .to_string();
    (v["user_id"].as_i64().expect("user id"), password)
}

/// A new user, signed in, whose password is already changed to `USER_PASSWORD`.
pub async fn user_session(
    t: &TestApp,
    admin: &Session,
    username: &str,
    unit: &str,
    roles: &str,
) -> Session {
    let (_, initial) = add_user(t, admin, username, unit, roles).await;
    let s = sign_in(&t.router, username, &initial).await;
    change_password(&t.router, &s, &initial, USER_PASSWORD).await;
    s
}

/// The audit log as the system administrator sees it, newest first (first page).
pub async fn audit_entries(t: &TestApp, admin: &Session) -> Vec<Value> {
    let (status, v) = api_get(&t.router, "/api/admin/audit", Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "audit: {v}");
    v["entries"].as_array().expect("entries").clone()
}

/// The newest audit entry with this action and target.
pub fn find_audit<'a>(entries: &'a [Value], action: &str, target: &str) -> Option<&'a Value> {
    entries
        .iter()
        .find(|e| e["action"] == action && e["target"] == target)
}

/// How many users the system administrator sees (all of them).
pub async fn user_count(t: &TestApp, admin: &Session) -> i64 {
    let (status, v) = api_get(&t.router, "/api/admin/users", Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "users: {v}");
    v["total"].as_i64().expect("total")
}

/// Every unit path, in path order.
pub async fn unit_paths(t: &TestApp, admin: &Session) -> Vec<String> {
    let (status, v) = api_get(&t.router, "/api/admin/units", Some(admin)).await;
    assert_eq!(status, StatusCode::OK, "units: {v}");
    v.as_array()
        .expect("units")
        .iter()
        .filter_map(|u| u["path"].as_str().map(str::to_string))
        .collect()
}

/// Whether a message is written for people: it has Chinese in it.
pub fn is_chinese(message: &str) -> bool {
    message
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}
