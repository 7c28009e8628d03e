//! CSRF: state-changing API calls need the session's `X-CSRF-Token`, page forms their
//! `csrf_token` field, and sign-in takes JSON only.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::accounts_support::{
    ADMIN_NEW_PASSWORD, Session, USER_PASSWORD, add_unit, admin_session, api_get, audit_entries,
    call, change_password, login, page, sign_in, signed_in, unit_paths, user_session,
};
use crate::helpers::{ADMIN_PASSWORD, TestApp, request, spawn_accounts_app};

/// `POST /api/admin/units` creating 柱山乡, as `s` with whatever CSRF token it carries.
async fn create_unit(t: &TestApp, s: &Session) -> (StatusCode, Value) {
    let body = Some(json!({ "path": "柱山乡" }));
    call(&t.router, Method::POST, "/api/admin/units", Some(s), body).await
}

#[tokio::test]
async fn an_api_change_without_the_right_csrf_token_is_403_and_changes_nothing() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let before = unit_paths(&t, &admin).await;
    let (_, me) = api_get(&t.router, "/api/me", Some(&admin)).await;
    let token = me["csrf_token"].as_str().expect("csrf_token").to_string();
    // The same length, the last digit changed.
    let last = if token.ends_with('0') { '1' } else { '0' };
    let wrong_token = format!("{}{last}", &token[..63]);

    // Act
    let (missing, missing_body) = create_unit(&t, &admin.with_csrf("")).await;
    let (wrong, _) = create_unit(&t, &admin.with_csrf(&wrong_token)).await;
    let (short, _) = create_unit(&t, &admin.with_csrf(&token[..32])).await;
    let unchanged = unit_paths(&t, &admin).await;
    let (right, _) = create_unit(&t, &admin.with_csrf(&token)).await;

    // Assert
    assert_eq!(missing, StatusCode::FORBIDDEN, "{missing_body}");
    let message = missing_body["error"].as_str().unwrap_or_default();
    assert!(message.contains("安全校验失败"), "{message}");
    assert_eq!(wrong, StatusCode::FORBIDDEN);
    assert_eq!(short, StatusCode::FORBIDDEN);
    assert_eq!(unchanged, before, "nothing was created");
    assert_eq!(right, StatusCode::CREATED);
    assert!(unit_paths(&t, &admin).await.contains(&"柱山乡".to_string()));
}

#[tokio::test]
async fn logout_and_password_change_through_the_api_need_the_csrf_token_too() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let bare = admin.with_csrf("");

    // Act
    let (logout, _) = call(&t.router, Method::POST, "/api/logout", Some(&bare), None).await;
    let change = json!({ "old_password": ADMIN_NEW_PASSWORD, "new_password": "Another-Pass-99" });
    let (changed, _) = call(
        &t.router,
        Method::POST,
        "/api/me/password",
        Some(&bare),
        Some(change),
    )
    .await;

    // Assert
    assert_eq!(logout, StatusCode::FORBIDDEN);
    assert_eq!(changed, StatusCode::FORBIDDEN);
    assert!(signed_in(&t.router, &admin).await, "the session goes on");
    let (status, _, _) = login(&t.router, "admin", ADMIN_NEW_PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK, "the password is unchanged");
}

#[tokio::test]
async fn page_forms_without_their_csrf_token_get_the_403_page_and_change_nothing() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let user = user_session(&t, &admin, "sunqi", "柱山乡", "").await;
    let before = unit_paths(&t, &admin).await;
    let audit_before = audit_entries(&t, &admin).await.len();
    let reset = format!("/admin/users/{}/reset", user.user_id);
    let edit = format!("/admin/users/{}", user.user_id);
    let forms: [(&str, Vec<(&str, &str)>); 6] = [
        ("/admin/units", vec![("path", "另一乡")]),
        (
            "/admin/users",
            vec![("username", "x1"), ("name", "某"), ("unit", "柱山乡")],
        ),
        (&edit, vec![("name", "改掉"), ("active", "0")]),
        (&reset, vec![]),
        (
            "/me/password",
            vec![
                ("old_password", ADMIN_NEW_PASSWORD),
                ("new_password", "Another-Pass-99"),
                ("confirm_password", "Another-Pass-99"),
            ],
        ),
        ("/logout", vec![]),
    ];

    // Act
    let mut answers = Vec::new();
    for (uri, form) in &forms {
        let (status, headers, html) = page(&t.router, uri, Some(&admin), Some(form)).await;
        answers.push((
            uri.to_string(),
            status,
            headers.get(header::CONTENT_TYPE).cloned(),
            html,
        ));
    }

    // Assert
    for (uri, status, content_type, html) in &answers {
        assert_eq!(*status, StatusCode::FORBIDDEN, "{uri}");
        let html_page = content_type.as_ref().and_then(|c| c.to_str().ok());
        assert!(
            html_page.is_some_and(|c| c.starts_with("text/html")),
            "{uri}"
        );
        assert!(html.contains("请刷新页面后重试"), "{uri}: {html:.300}");
    }
    assert_eq!(unit_paths(&t, &admin).await, before);
    assert_eq!(
        audit_entries(&t, &admin).await.len(),
        audit_before,
        "no audit row"
    );
    assert!(signed_in(&t.router, &user).await, "the session goes on");
    let (status, _, _) = login(&t.router, "sunqi", USER_PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK, "sunqi's password is unchanged");
}

#[tokio::test]
async fn the_login_page_without_its_csrf_token_signs_nobody_in() {
    // Arrange
    let t = spawn_accounts_app().await;
    let form = [("username", "admin"), ("password", ADMIN_PASSWORD)];

    // Act
    let (status, headers, html) = page(&t.router, "/login", None, Some(&form)).await;

    // Assert
    assert_eq!(status, StatusCode::FORBIDDEN, "{html:.300}");
    let cookies: Vec<&str> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        !cookies.iter().any(|c| c.starts_with("xuefa_session=")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn a_form_post_to_the_sign_in_api_is_refused_and_signs_nobody_in() {
    // Arrange: what a cross-site form can send.
    let t = spawn_accounts_app().await;
    let body = format!("username=admin&password={ADMIN_PASSWORD}");

    // Act
    let mut answers = Vec::new();
    for content_type in ["application/x-www-form-urlencoded", "text/plain"] {
        let req = Request::post("/api/login")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.clone()))
            .expect("request");
        answers.push(request(&t.router, req).await);
    }

    // Assert
    for (status, headers, body) in &answers {
        assert!(status.is_client_error(), "{status}: {body}");
        assert!(headers.get(header::SET_COOKIE).is_none());
    }
    let admin = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;
    change_password(&t.router, &admin, ADMIN_PASSWORD, ADMIN_NEW_PASSWORD).await;
    let logins = audit_entries(&t, &admin).await;
    let count = logins.iter().filter(|e| e["action"] == "login").count();
    assert_eq!(count, 1, "only the JSON sign-in above: {logins:?}");
}

#[tokio::test]
async fn no_spelling_of_an_api_path_slips_past_the_csrf_check() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let before = unit_paths(&t, &admin).await;
    let bare = admin.with_csrf("");
    let spellings = [
        "//api/admin/units",
        "/api//admin/units",
        "/%61pi/admin/units",
        "/api/admin/units/",
        "/./api/admin/units",
        "/API/admin/units",
        "/api/admin/../admin/units",
        "http://xuefa.example/api/admin/units",
    ];

    // Act
    let mut answers = Vec::new();
    for (n, uri) in spellings.iter().enumerate() {
        let body = Some(json!({ "path": format!("绕过{n}") }));
        let (status, _) = call(&t.router, Method::POST, uri, Some(&bare), body).await;
        answers.push((uri, status));
    }

    // Assert
    for (uri, status) in &answers {
        let refused = [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND];
        assert!(refused.contains(status), "{uri}: {status}");
    }
    assert_eq!(unit_paths(&t, &admin).await, before, "no unit was created");
}
