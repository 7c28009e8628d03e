//! Signing in: the cookie, the `/api/me` contract, one answer for every failure, lockout after
//! five failures for known and unknown names alike, and deactivated accounts.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::accounts_support::{
    ADMIN_NEW_PASSWORD, Session, add_unit, add_user, admin_session, api_get, assert_signed_out,
    audit_entries, call, find_audit, login, sign_in,
};
use crate::helpers::{ADMIN_PASSWORD, TestApp, spawn_accounts_app};

const UNIT: &str = "柱山乡/综合行政执法大队";

/// An app with its administrator signed in and user `zhangsan` (an officer) created; returns
/// the administrator's session, zhangsan's id and one-time password.
async fn with_zhangsan() -> (TestApp, Session, i64, String) {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    let (id, password) = add_user(&t, &admin, "zhangsan", UNIT, "执法人员").await;
    (t, admin, id, password)
}

#[tokio::test]
async fn signing_in_sets_an_http_only_same_site_lax_cookie_and_me_gives_the_contract() {
    // Arrange
    let t = spawn_accounts_app().await;

    // Act
    let (status, headers, body) = login(&t.router, "admin", ADMIN_PASSWORD, None).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{body}");
    let set_cookie: Vec<&str> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter(|c| c.starts_with("xuefa_session="))
        .collect();
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    let attrs: Vec<String> = set_cookie[0]
        .split(';')
        .map(|a| a.trim().to_lowercase())
        .collect();
    for attr in ["httponly", "samesite=lax", "path=/"] {
        assert!(attrs.iter().any(|a| a == attr), "{attr} missing: {attrs:?}");
    }
    let cookie = set_cookie[0].split(';').next().expect("cookie").to_string();
    let s = Session {
        cookie,
        csrf: String::new(),
        user_id: 0,
    };
    let (status, me) = api_get(&t.router, "/api/me", Some(&s)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let mut keys: Vec<&str> = me
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let want = [
        "csrf_token",
        "must_change_password",
        "name",
        "roles",
        "unit",
        "user_id",
        "username",
    ];
    assert_eq!(keys, want, "{me}");
    assert_eq!(me["username"], "admin");
    assert_eq!(me["name"], "系统管理员");
    assert_eq!(me["unit"], "系统管理");
    assert_eq!(me["roles"], json!(["official", "admin"]));
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["csrf_token"], body["csrf_token"]);
    assert_eq!(me["csrf_token"].as_str().map(str::len), Some(64));
    assert!(me["user_id"].as_i64().is_some_and(|id| id > 0));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_401() {
    // Arrange
    let (t, _, _, _) = with_zhangsan().await;

    // Act
    let (wrong_status, wrong_headers, wrong) =
        login(&t.router, "zhangsan", "Wrong-Password-1", None).await;
    let (unknown_status, unknown_headers, unknown) =
        login(&t.router, "lisi", "Wrong-Password-1", None).await;
    let (bad_name_status, _, bad_name) = login(&t.router, "张 三", "Wrong-Password-1", None).await;

    // Assert
    assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad_name_status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong, unknown);
    assert_eq!(wrong, bad_name);
    assert_eq!(wrong["error"], "用户名或密码错误");
    assert!(wrong_headers.get(header::SET_COOKIE).is_none());
    assert!(unknown_headers.get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn five_failures_lock_the_name_for_fifteen_minutes_even_with_the_right_password() {
    // Arrange
    let (t, admin, _, password) = with_zhangsan().await;
    for n in 1..=5 {
        let (status, _, v) = login(&t.router, "zhangsan", "Wrong-Password-1", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "failure {n}: {v}");
    }

    // Act
    let (locked, headers, body) = login(&t.router, "ZhangSan", &password, None).await;
    t.app.clock.advance(14 * 60 + 59);
    let (still_locked, _, _) = login(&t.router, "zhangsan", &password, None).await;
    t.app.clock.advance(1);
    let (after, _, me) = login(&t.router, "zhangsan", &password, None).await;

    // Assert
    assert_eq!(locked, StatusCode::LOCKED, "{body}");
    assert!(headers.get(header::SET_COOKIE).is_none());
    let message = body["error"].as_str().unwrap_or_default();
    assert!(
        message.contains("锁定") && message.contains("15 分钟"),
        "{message}"
    );
    assert_eq!(still_locked, StatusCode::LOCKED);
    assert_eq!(after, StatusCode::OK, "{me}");
    assert_eq!(me["username"], "zhangsan");
    let entries = audit_entries(&t, &admin).await;
    let entry = find_audit(&entries, "account_locked", "zhangsan").expect("account_locked row");
    assert_eq!(entry["actor"], "zhangsan");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("锁定"),
        "{entry}"
    );
    let failed = entries
        .iter()
        .filter(|e| e["action"] == "login_failed")
        .count();
    assert_eq!(failed, 5, "one login_failed row per failure");
}

#[tokio::test]
async fn an_unknown_name_locks_after_five_failures_like_a_real_one() {
    // Arrange
    let (t, admin, _, _) = with_zhangsan().await;
    for name in ["zhangsan", "nobody"] {
        for _ in 0..5 {
            login(&t.router, name, "Wrong-Password-1", None).await;
        }
    }

    // Act
    let (known_status, _, known) = login(&t.router, "zhangsan", "Wrong-Password-1", None).await;
    let (unknown_status, _, unknown) = login(&t.router, "nobody", "Wrong-Password-1", None).await;

    // Assert: nothing tells the two apart.
    assert_eq!(known_status, StatusCode::LOCKED);
    assert_eq!(unknown_status, StatusCode::LOCKED);
    assert_eq!(known, unknown);
    let entries = audit_entries(&t, &admin).await;
    assert!(find_audit(&entries, "account_locked", "nobody").is_some());
}

#[tokio::test]
async fn failures_more_than_fifteen_minutes_apart_do_not_add_up_to_a_lock() {
    // Arrange
    let (t, _, _, password) = with_zhangsan().await;
    for _ in 0..4 {
        login(&t.router, "zhangsan", "Wrong-Password-1", None).await;
    }
    t.app.clock.advance(15 * 60);

    // Act
    let (fifth, _, _) = login(&t.router, "zhangsan", "Wrong-Password-1", None).await;
    let (right, _, body) = login(&t.router, "zhangsan", &password, None).await;

    // Assert
    assert_eq!(fifth, StatusCode::UNAUTHORIZED);
    assert_eq!(right, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_deactivated_user_cannot_sign_in_and_their_sessions_end() {
    // Arrange
    let (t, admin, id, password) = with_zhangsan().await;
    let zhangsan = sign_in(&t.router, "zhangsan", &password).await;
    let (_, _, wrong) = login(&t.router, "zhangsan", "Wrong-Password-1", None).await;

    // Act
    let uri = format!("/api/admin/users/{id}/deactivate");
    let (status, view) = call(&t.router, Method::POST, &uri, Some(&admin), None).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["active"], false);
    assert_signed_out(&t.router, &zhangsan, "the old session has ended").await;
    let (status, headers, body) = login(&t.router, "zhangsan", &password, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body, wrong, "the same answer as a wrong password");
    assert!(headers.get(header::SET_COOKIE).is_none());
    let entries = audit_entries(&t, &admin).await;
    let entry = find_audit(&entries, "user_deactivated", "zhangsan").expect("audit row");
    assert_eq!(entry["actor"], "系统管理员（admin）");
}

#[tokio::test]
async fn a_reactivated_user_signs_in_again() {
    // Arrange
    let (t, admin, id, password) = with_zhangsan().await;
    let uri = format!("/api/admin/users/{id}");
    call(
        &t.router,
        Method::POST,
        &format!("{uri}/deactivate"),
        Some(&admin),
        None,
    )
    .await;

    // Act
    let body = json!({ "active": true });
    let (status, view) = call(&t.router, Method::PATCH, &uri, Some(&admin), Some(body)).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["active"], true);
    let (status, _, me) = login(&t.router, "zhangsan", &password, None).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    // The administrator's own password is the changed one.
    let (status, _, _) = login(&t.router, "admin", ADMIN_NEW_PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_twenty_five_parallel_wrong_guesses_at_most_five_are_checked_and_the_name_locks() {
    // Arrange
    let (t, admin, _, password) = with_zhangsan().await;

    // Act: 25 wrong guesses at once, then the right password.
    let guesses: Vec<_> = (0..25)
        .map(|n| {
            let router = t.router.clone();
            tokio::spawn(async move {
                let guess = format!("Wrong-Password-{n}");
                login(&router, "zhangsan", &guess, None).await.0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for g in guesses {
        statuses.push(g.await.expect("guess"));
    }
    let (right, _, body) = login(&t.router, "zhangsan", &password, None).await;
    t.app.clock.advance(15 * 60);
    let (later, _, me) = login(&t.router, "zhangsan", &password, None).await;

    // Assert
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::LOCKED)
        .count();
    assert!(checked <= 5, "{checked} guesses were checked: {statuses:?}");
    assert_eq!(checked + refused, 25, "{statuses:?}");
    assert_eq!(
        right,
        StatusCode::LOCKED,
        "the right password during the lock: {body}"
    );
    assert_eq!(later, StatusCode::OK, "after the lock: {me}");
    let entries = audit_entries(&t, &admin).await;
    let failed = entries
        .iter()
        .filter(|e| e["action"] == "login_failed")
        .count();
    assert_eq!(failed, checked, "one login_failed row per checked guess");
}
