//! Sessions: a new id at every sign-in, logout, idle and absolute expiry, and the sessions
//! that end when a password is reset or changed. Time moves by the manual clock.

use axum::http::{Method, StatusCode, header};

use crate::accounts_support::{
    Session, USER_PASSWORD, add_unit, admin_session, assert_signed_out, call, login,
    session_cookie, sign_in, signed_in, user_session,
};
use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_accounts_app};

async fn alive(t: &TestApp, s: &Session) -> bool {
    signed_in(&t.router, s).await
}

/// The session has ended: its cookie gets 401 from the API.
async fn ended(t: &TestApp, s: &Session, why: &str) {
    assert_signed_out(&t.router, s, why).await;
}

#[tokio::test]
async fn signing_in_again_rotates_the_session_id_and_ends_the_old_one() {
    // Arrange
    let t = spawn_accounts_app().await;
    let first = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;

    // Act: the same browser signs in again, sending its cookie.
    let (status, headers, me) =
        login(&t.router, "admin", ADMIN_PASSWORD, Some(&first.cookie)).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{me}");
    let cookie = session_cookie(&headers).expect("a new cookie");
    assert_ne!(cookie, first.cookie);
    assert_ne!(me["csrf_token"].as_str(), Some(first.csrf.as_str()));
    let second = Session {
        cookie,
        ..first.clone()
    };
    ended(&t, &first, "the session before sign-in again").await;
    assert!(alive(&t, &second).await);
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    // Arrange
    let t = spawn_accounts_app().await;
    let s = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;

    // Act
    let req = axum::http::Request::post("/api/logout")
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .body(axum::body::Body::empty())
        .expect("request");
    let (status, headers, _) = crate::helpers::request(&t.router, req).await;

    // Assert
    assert_eq!(status, StatusCode::NO_CONTENT);
    let cleared = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.starts_with("xuefa_session=;") || c.starts_with("xuefa_session=\"\""));
    assert!(cleared, "{headers:?}");
    ended(&t, &s, "after logout").await;
}

#[tokio::test]
async fn a_session_idle_for_more_than_thirty_minutes_ends() {
    // Arrange
    let t = spawn_accounts_app().await;
    let s = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;
    t.app.clock.advance(29 * 60);
    assert!(alive(&t, &s).await, "29 minutes idle");

    // Act
    t.app.clock.advance(31 * 60);

    // Assert
    ended(&t, &s, "idle for 31 minutes").await;
}

#[tokio::test]
async fn an_active_session_ends_twelve_hours_after_sign_in() {
    // Arrange: a request every 20 minutes keeps the session from going idle.
    let t = spawn_accounts_app().await;
    let s = sign_in(&t.router, "admin", ADMIN_PASSWORD).await;
    let mut elapsed = 0;
    while elapsed + 20 * 60 < 12 * 3600 {
        t.app.clock.advance(20 * 60);
        elapsed += 20 * 60;
        assert!(alive(&t, &s).await, "after {} minutes", elapsed / 60);
    }

    // Act
    t.app.clock.advance(20 * 60);
    elapsed += 20 * 60;

    // Assert
    assert!(elapsed >= 12 * 3600);
    ended(&t, &s, "12 hours after sign-in").await;
}

#[tokio::test]
async fn a_password_reset_by_an_administrator_ends_the_users_sessions() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let user = user_session(&t, &admin, "wangwu", "柱山乡", "").await;
    assert!(alive(&t, &user).await);

    // Act
    let uri = format!("/api/admin/users/{}/reset-password", user.user_id);
    let (status, v) = call(&t.router, Method::POST, &uri, Some(&admin), None).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{v}");
    ended(&t, &user, "after the reset").await;
    let (old, _, _) = login(&t.router, "wangwu", USER_PASSWORD, None).await;
    assert_eq!(
        old,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    let one_time = v["initial_password"].as_str().expect("one-time password");
    let (status, _, me) = login(&t.router, "wangwu", one_time, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["must_change_password"], true);
    assert!(alive(&t, &admin).await, "the admin's own session stays");
}

#[tokio::test]
async fn changing_ones_password_ends_ones_other_sessions_but_not_this_one() {
    // Arrange: the same user signed in on two devices.
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let phone = user_session(&t, &admin, "zhaoliu", "柱山乡", "").await;
    let desk = sign_in(&t.router, "zhaoliu", USER_PASSWORD).await;

    // Act
    crate::accounts_support::change_password(&t.router, &desk, USER_PASSWORD, "Xin-Mima-2026!")
        .await;

    // Assert
    assert!(alive(&t, &desk).await);
    ended(&t, &phone, "the other device").await;
}
