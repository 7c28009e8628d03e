//! The forced password change (first administrator, new and reset users) and the password
//! policy as the API applies it.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::accounts_support::{
    ADMIN_NEW_PASSWORD, add_unit, add_user, admin_session, api_get, api_post, call,
    change_password, is_chinese, login, page, sign_in,
};
use crate::helpers::{ADMIN_PASSWORD, spawn_accounts_app};

#[tokio::test]
async fn the_first_admin_must_change_the_password_before_using_admin_pages_or_api() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;
    let (_, me) = api_get(&t.router, "/api/me", Some(&admin)).await;
    assert_eq!(me["must_change_password"], true);

    // Act
    let mut redirects = Vec::new();
    for uri in [
        "/admin/users",
        "/admin/units",
        "/admin/audit",
        "/me/password",
    ] {
        let (status, headers, _) = page(&t.router, uri, Some(&admin), None).await;
        let to = headers.get(header::LOCATION).and_then(|l| l.to_str().ok());
        redirects.push((uri, status, to.map(str::to_string)));
    }
    let (api_before, refusal) = api_get(&t.router, "/api/admin/users", Some(&admin)).await;
    change_password(&t.router, &admin, ADMIN_PASSWORD, ADMIN_NEW_PASSWORD).await;

    // Assert
    for (uri, status, to) in &redirects[..3] {
        assert_eq!(*status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(to.as_deref(), Some("/me/password"), "{uri}");
    }
    assert_eq!(
        redirects[3].1,
        StatusCode::OK,
        "the password page itself opens"
    );
    assert_eq!(api_before, StatusCode::FORBIDDEN, "{refusal}");
    assert_eq!(refusal["code"], "must_change_password");
    assert!(is_chinese(refusal["error"].as_str().unwrap_or_default()));
    let (_, me) = api_get(&t.router, "/api/me", Some(&admin)).await;
    assert_eq!(me["must_change_password"], false);
    assert_eq!(
        api_get(&t.router, "/api/admin/users", Some(&admin)).await.0,
        StatusCode::OK
    );
    let (status, _, _) = page(&t.router, "/admin/users", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn new_and_reset_users_must_change_their_password_at_first_sign_in() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let (id, initial) = add_user(&t, &admin, "zhouba", "柱山乡", "").await;

    // Act
    let (_, _, new_user) = login(&t.router, "zhouba", &initial, None).await;
    let uri = format!("/api/admin/users/{id}/reset-password");
    let (_, reset) = call(&t.router, Method::POST, &uri, Some(&admin), None).await;
    let one_time = reset["initial_password"].as_str().expect("password");
    let (_, _, reset_user) = login(&t.router, "zhouba", one_time, None).await;
    let (_, view) = api_get(&t.router, &format!("/api/admin/users/{id}"), Some(&admin)).await;

    // Assert
    assert_eq!(new_user["must_change_password"], true);
    assert_eq!(reset_user["must_change_password"], true);
    assert_eq!(view["must_change_password"], true);
}

#[tokio::test]
async fn weak_passwords_are_400s_with_a_chinese_reason_and_change_nothing() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let weak = [
        ("too short", "Ab1-x"),
        ("common", "password123"),
        ("common digits", "12345678"),
        ("contains the username", "Admin-2026-xyz"),
        ("same as the old one", ADMIN_NEW_PASSWORD),
        ("control character", "Abc-123\u{7}xyz"),
    ];

    // Act
    let mut answers = Vec::new();
    for (why, new) in weak {
        let body = json!({ "old_password": ADMIN_NEW_PASSWORD, "new_password": new });
        let (status, v) = api_post(&t.router, "/api/me/password", &admin, body).await;
        answers.push((why, status, v));
    }
    let wrong_old = json!({ "old_password": "Not-The-Old-1", "new_password": "Xin-Mima-2026!" });
    let (wrong_status, wrong_body) =
        api_post(&t.router, "/api/me/password", &admin, wrong_old).await;

    // Assert
    for (why, status, v) in &answers {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{why}: {v}");
        let message = v["error"].as_str().unwrap_or_default();
        assert!(is_chinese(message), "{why}: {message}");
    }
    assert!(
        answers[4].2["error"]
            .as_str()
            .unwrap_or_default()
            .contains("相同")
    );
    assert!(
        answers[3].2["error"]
            .as_str()
            .unwrap_or_default()
            .contains("用户名")
    );
    assert_eq!(wrong_status, StatusCode::BAD_REQUEST, "{wrong_body}");
    let (status, _, _) = login(&t.router, "admin", ADMIN_NEW_PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK, "the password is unchanged");
}
