//! The sign-in page (double-submit token, where it leads, lockout), the per-address sign-in
//! throttle, and markup from files and cells shown escaped on the admin pages.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};

use crate::accounts_support::{
    ADMIN_NEW_PASSWORD, add_unit, admin_session, login, page, session_cookie, upload,
};
use crate::helpers::{ADMIN_PASSWORD, TestApp, request, spawn_accounts_app};

const SCRIPT: &str = "<script>alert(1)</script>";

/// The login form's token and the cookie that must come back with it.
pub async fn login_form(t: &TestApp) -> (String, String) {
    let (status, headers, html) = page(&t.router, "/login", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|c| c.starts_with("xuefa_login_csrf="))
        .expect("login CSRF cookie")
        .to_string();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("csrf_token field")
        .to_string();
    (cookie, token)
}

/// Posts the login form; (status, headers, page).
async fn submit(
    t: &TestApp,
    user: &str,
    password: &str,
    next: &str,
) -> (StatusCode, HeaderMap, String) {
    let (cookie, token) = login_form(t).await;
    let form = [
        ("csrf_token", token.as_str()),
        ("username", user),
        ("password", password),
        ("next", next),
    ];
    let req = Request::post("/login")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).expect("form")))
        .expect("request");
    request(&t.router, req).await
}

fn location(headers: &HeaderMap) -> &str {
    headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_login_page_signs_in_and_sends_a_user_who_must_change_to_the_password_page() {
    // Arrange
    let t = spawn_accounts_app().await;

    // Act
    let (status, headers, _) = submit(&t, "admin", ADMIN_PASSWORD, "/laws").await;

    // Assert
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/me/password?next=%2Flaws");
    assert!(session_cookie(&headers).is_some(), "{headers:?}");
}

#[tokio::test]
async fn the_login_page_follows_local_next_paths_only() {
    // Arrange
    let t = spawn_accounts_app().await;
    admin_session(&t).await;

    // Act
    let mut answers = Vec::new();
    for next in [
        "/laws?category=x",
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let (status, headers, _) = submit(&t, "admin", ADMIN_NEW_PASSWORD, next).await;
        answers.push((next, status, location(&headers).to_string()));
    }

    // Assert
    assert_eq!(answers[0].1, StatusCode::SEE_OTHER);
    assert_eq!(answers[0].2, "/laws?category=x");
    for (next, status, to) in &answers[1..] {
        assert_eq!(*status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(to, "/", "{next} is another site");
    }
}

#[tokio::test]
async fn the_login_page_answers_a_wrong_password_and_a_lock_in_chinese() {
    // Arrange
    let t = spawn_accounts_app().await;

    // Act
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(submit(&t, "admin", "Wrong-Password-1", "").await.0);
    }
    let (locked, headers, html) = submit(&t, "admin", ADMIN_PASSWORD, "").await;

    // Assert
    assert!(
        statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert_eq!(locked, StatusCode::LOCKED);
    assert!(html.contains("锁定"), "{html:.600}");
    assert!(session_cookie(&headers).is_none());
}

#[tokio::test]
async fn a_burst_of_sign_ins_from_one_address_is_throttled_and_others_are_not() {
    // Arrange: every attempt a different unknown name, so no name locks.
    let t = spawn_accounts_app().await;

    // Act: far more attempts than the 30 a minute allowed; the first 429 ends the burst.
    let mut throttled_after = None;
    for n in 0..200 {
        let (status, _, body) =
            login(&t.router, &format!("nobody{n}"), "Wrong-Password-1", None).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(
                body["error"].as_str().unwrap_or_default().contains("频繁"),
                "{body}"
            );
            throttled_after = Some(n);
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    let elsewhere: SocketAddr = "10.0.0.7:50000".parse().expect("address");
    let body = serde_json::json!({ "username": "admin", "password": ADMIN_PASSWORD }).to_string();
    let mut req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("request");
    req.extensions_mut().insert(ConnectInfo(elsewhere));
    let (other, _, _) = request(&t.router, req).await;

    // Assert
    assert!(
        throttled_after.is_some_and(|n| n >= 30),
        "{throttled_after:?}"
    );
    assert_eq!(other, StatusCode::OK, "another address signs in");
}

#[tokio::test]
async fn markup_in_an_imported_file_name_or_cell_is_shown_escaped() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let bad = format!("用户名,姓名,单位,角色\nzs1,张三,柱山乡,{SCRIPT}\n");
    let good = "用户名,姓名,单位\nzs2,李四,柱山乡\n";
    let name = format!("{SCRIPT}.csv");

    // Act
    let (bad_status, report) = upload(&t, &admin, &name, bad.as_bytes()).await;
    let (good_status, _) = upload(&t, &admin, &name, good.as_bytes()).await;
    let (audit_status, _, audit) = page(&t.router, "/admin/audit", Some(&admin), None).await;

    // Assert
    assert_eq!(bad_status, StatusCode::BAD_REQUEST);
    assert!(report.contains("<td>2</td><td>角色</td>"), "{report:.2000}");
    assert_eq!(good_status, StatusCode::OK);
    assert_eq!(audit_status, StatusCode::OK);
    assert!(audit.contains("批量导入"), "{audit:.2000}");
    for html in [&report, &audit] {
        assert!(!html.contains(SCRIPT), "{html:.3000}");
        assert!(html.contains("&lt;script&gt;"), "{html:.3000}");
    }
}
