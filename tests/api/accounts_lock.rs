//! A locked account is no dead end: the lock and its end shown on the user page, in the list
//! and in the API; 解锁 (page and API, audited, scope-checked); a password reset lifts it; the
//! sign-in error counts down the tries left, the same for every name; and the destructive user
//! actions ask for confirmation.

use axum::http::{Method, StatusCode};

use crate::accounts_support::{
    Session, add_unit, add_user, admin_session, api_get, audit_entries, call, find_audit, login,
    page, user_session,
};
use crate::helpers::{T0, TestApp, spawn_accounts_app};

const UNIT: &str = "柱山乡/综合行政执法大队";
const WRONG: &str = "Wrong-Password-1";

/// The administrator, user `zhangsan` (id, one-time password) in `UNIT`, locked at `T0`.
async fn with_locked_zhangsan() -> (TestApp, Session, i64, String) {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    let (id, password) = add_user(&t, &admin, "zhangsan", UNIT, "执法人员").await;
    for _ in 0..5 {
        login(&t.router, "zhangsan", WRONG, None).await;
    }
    let (status, _, _) = login(&t.router, "zhangsan", &password, None).await;
    assert_eq!(status, StatusCode::LOCKED, "the setup locks zhangsan");
    (t, admin, id, password)
}

/// The text of the element with this id, tags and all, up to its closing `</p>`.
fn paragraph<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html:.2000}"));
    let rest = &html[start..];
    &rest[..rest.find("</p>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn a_locked_user_shows_as_locked_until_its_end_on_the_page_in_the_list_and_in_the_api() {
    // Arrange
    let (t, admin, id, _) = with_locked_zhangsan().await;

    // Act
    let (_, _, html) = page(&t.router, &format!("/admin/users/{id}"), Some(&admin), None).await;
    let (_, _, list) = page(&t.router, "/admin/users", Some(&admin), None).await;
    let (_, view) = api_get(&t.router, &format!("/api/admin/users/{id}"), Some(&admin)).await;
    let (_, users) = api_get(&t.router, "/api/admin/users?q=zhangsan", Some(&admin)).await;
    t.app.clock.advance(15 * 60);
    let (_, later) = api_get(&t.router, &format!("/api/admin/users/{id}"), Some(&admin)).await;

    // Assert: T0 + 15 minutes is 08:15 in Beijing.
    let status = paragraph(&html, "user-status");
    assert!(status.contains("已锁定"), "{status}");
    assert!(status.contains("2026-01-01 08:15:00"), "{status}");
    assert!(
        !status.contains("启用"),
        "a locked user is not shown as 启用: {status}"
    );
    assert!(
        html.contains(&format!("/admin/users/{id}/unlock")),
        "a 解锁 action"
    );
    let row = list
        .split("<tr>")
        .find(|r| r.contains(">zhangsan</a>"))
        .expect("zhangsan's row");
    assert!(row.contains("已锁定"), "{row}");
    assert_eq!(view["locked"], true, "{view}");
    assert_eq!(view["locked_until"], T0 + 15 * 60, "{view}");
    assert_eq!(users["users"][0]["locked"], true, "{users}");
    assert_eq!(later["locked"], false, "the lock has run out: {later}");
    assert!(later["locked_until"].is_null(), "{later}");
}

#[tokio::test]
async fn an_admin_unlocks_a_user_from_the_page_who_then_signs_in_and_the_unlock_is_audited() {
    // Arrange
    let (t, admin, id, password) = with_locked_zhangsan().await;
    let form = [("csrf_token", admin.csrf.as_str())];

    // Act
    let uri = format!("/admin/users/{id}/unlock");
    let (status, headers, _) = page(&t.router, &uri, Some(&admin), Some(&form)).await;
    let to = headers
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let (_, _, html) = page(&t.router, &to, Some(&admin), None).await;
    let (signed_in, _, me) = login(&t.router, "zhangsan", &password, None).await;

    // Assert
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("/admin/users/{id}?unlocked=1"));
    assert!(html.contains("已解锁"), "{html:.2000}");
    assert!(!paragraph(&html, "user-status").contains("已锁定"));
    assert!(!html.contains(&uri), "no 解锁 action once unlocked");
    assert_eq!(signed_in, StatusCode::OK, "{me}");
    let entries = audit_entries(&t, &admin).await;
    let entry = find_audit(&entries, "user_unlocked", "zhangsan").expect("user_unlocked row");
    assert_eq!(entry["actor"], "系统管理员（admin）");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("解除"),
        "{entry}"
    );
}

#[tokio::test]
async fn the_unlock_api_answers_the_user_unlocked_and_unlocking_again_changes_nothing() {
    // Arrange
    let (t, admin, id, password) = with_locked_zhangsan().await;
    let uri = format!("/api/admin/users/{id}/unlock");

    // Act
    let (status, view) = call(&t.router, Method::POST, &uri, Some(&admin), None).await;
    let (again, _) = call(&t.router, Method::POST, &uri, Some(&admin), None).await;
    let (missing, gone) = call(
        &t.router,
        Method::POST,
        "/api/admin/users/999999/unlock",
        Some(&admin),
        None,
    )
    .await;
    let (signed_in, _, _) = login(&t.router, "zhangsan", &password, None).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["locked"], false);
    assert_eq!(view["username"], "zhangsan");
    assert_eq!(again, StatusCode::OK);
    assert_eq!(missing, StatusCode::NOT_FOUND);
    assert_eq!(gone["error"], "用户不存在");
    assert_eq!(signed_in, StatusCode::OK);
    let entries = audit_entries(&t, &admin).await;
    let unlocks = entries
        .iter()
        .filter(|e| e["action"] == "user_unlocked")
        .count();
    assert_eq!(unlocks, 1, "the second unlock had nothing to lift");
}

#[tokio::test]
async fn a_password_reset_lifts_the_lock_so_the_new_password_works_at_once() {
    // Arrange
    let (t, admin, id, old) = with_locked_zhangsan().await;

    // Act
    let uri = format!("/api/admin/users/{id}/reset-password");
    let (status, reset) = call(&t.router, Method::POST, &uri, Some(&admin), None).await;
    let new = reset["initial_password"].as_str().unwrap_or_default();
    let (with_old, _, _) = login(&t.router, "zhangsan", &old, None).await;
    let (with_new, _, me) = login(&t.router, "zhangsan", new, None).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(
        with_old,
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );
    assert_eq!(with_new, StatusCode::OK, "{me}");
    assert_eq!(me["must_change_password"], true);
    let entries = audit_entries(&t, &admin).await;
    let entry = find_audit(&entries, "password_reset", "zhangsan").expect("row");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("解除登录锁定"),
        "{entry}"
    );
}

#[tokio::test]
async fn a_unit_admin_unlocks_users_of_their_subtree_only() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    add_unit(&t, &admin, "另一乡").await;
    let ua = user_session(&t, &admin, "guanli", "柱山乡", "unit_admin").await;
    let (inside, _) = add_user(&t, &admin, "neiyuan", UNIT, "").await;
    let (outside, _) = add_user(&t, &admin, "waiyuan", "另一乡", "").await;
    for name in ["neiyuan", "waiyuan"] {
        for _ in 0..5 {
            login(&t.router, name, WRONG, None).await;
        }
    }

    // Act
    let unlock = |id: i64| format!("/api/admin/users/{id}/unlock");
    let (own, _) = call(&t.router, Method::POST, &unlock(inside), Some(&ua), None).await;
    let (other, refused) = call(&t.router, Method::POST, &unlock(outside), Some(&ua), None).await;
    let form = [("csrf_token", ua.csrf.as_str())];
    let page_uri = format!("/admin/users/{outside}/unlock");
    let (other_page, _, _) = page(&t.router, &page_uri, Some(&ua), Some(&form)).await;
    let (_, still) = api_get(
        &t.router,
        &format!("/api/admin/users/{outside}"),
        Some(&admin),
    )
    .await;

    // Assert
    assert_eq!(own, StatusCode::OK);
    assert_eq!(other, StatusCode::FORBIDDEN);
    assert!(refused["error"].is_string(), "{refused}");
    assert_eq!(other_page, StatusCode::FORBIDDEN);
    assert_eq!(still["locked"], true, "{still}");
}

#[tokio::test]
async fn from_the_third_failure_the_error_says_how_many_tries_are_left_for_any_name() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    add_user(&t, &admin, "zhangsan", UNIT, "").await;

    // Act: a real name, a name no one has, a name no one can have.
    let mut answers = Vec::new();
    for name in ["zhangsan", "nobody", "张 三"] {
        let mut errors = Vec::new();
        for _ in 0..5 {
            let (status, _, body) = login(&t.router, name, WRONG, None).await;
            errors.push((
                status,
                body["error"].as_str().unwrap_or_default().to_string(),
            ));
        }
        answers.push(errors);
    }

    // Assert
    let messages: Vec<&str> = answers[0].iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        messages,
        [
            "用户名或密码错误",
            "用户名或密码错误",
            "用户名或密码错误，再错 2 次将锁定 15 分钟",
            "用户名或密码错误，再错 1 次将锁定 15 分钟",
            "用户名或密码错误，已连续失败 5 次，账号锁定 15 分钟，请稍后再试",
        ]
    );
    assert!(
        answers[0]
            .iter()
            .all(|(s, _)| *s == StatusCode::UNAUTHORIZED)
    );
    assert_eq!(answers[1], answers[0], "an unknown name is told the same");
    assert_eq!(answers[2], answers[0], "a malformed name is told the same");
}

#[tokio::test]
async fn the_login_page_warns_before_the_last_try() {
    // Arrange
    let t = spawn_accounts_app().await;
    let (cookie, token) = crate::accounts_pages::login_form(&t).await;
    let browser = Session {
        cookie,
        csrf: token.clone(),
        user_id: 0,
    };
    let form = [
        ("csrf_token", token.as_str()),
        ("username", "admin"),
        ("password", WRONG),
        ("next", ""),
    ];

    // Act
    let mut pages = Vec::new();
    for _ in 0..4 {
        pages.push(page(&t.router, "/login", Some(&browser), Some(&form)).await);
    }

    // Assert
    let (status, _, third) = &pages[2];
    assert_eq!(*status, StatusCode::UNAUTHORIZED);
    assert!(third.contains("再错 2 次将锁定 15 分钟"), "{third:.3000}");
    assert!(pages[3].2.contains("再错 1 次将锁定 15 分钟"));
    assert!(!pages[1].2.contains("再错"), "no warning before the third");
}

#[tokio::test]
async fn deactivating_and_resetting_on_the_user_page_ask_for_confirmation_naming_the_user() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    let body = serde_json::json!({ "username": "lisi", "name": "李四", "unit": UNIT });
    let (_, created) =
        crate::accounts_support::api_post(&t.router, "/api/admin/users", &admin, body).await;
    let id = created["user_id"].as_i64().expect("id");

    // Act
    let (_, _, html) = page(&t.router, &format!("/admin/users/{id}"), Some(&admin), None).await;

    // Assert: each action's form sits inside a <details class="confirm"> that names the user
    // and the one account it touches.
    for (form_id, confirm) in [
        (
            "reset-password",
            "确认重置用户「李四」（lisi）的密码？将影响 1 个账号",
        ),
        (
            "toggle-active",
            "确认停用用户「李四」（lisi）？将影响 1 个账号",
        ),
    ] {
        let form = html
            .find(&format!("<form id=\"{form_id}\""))
            .unwrap_or_else(|| panic!("no form #{form_id} in {html:.3000}"));
        let details = html[..form]
            .rfind("<details class=\"confirm\"")
            .expect("a confirm block before the form");
        let between = &html[details..form];
        assert!(between.contains(confirm), "{between}");
        assert!(
            !between.contains("</details>"),
            "the form is inside the details"
        );
    }
    assert!(html.contains("class=\"danger\">确认停用</button>"));
    assert!(html.contains("class=\"danger\">确认重置密码</button>"));
    assert!(
        !html.contains("id=\"active-no\""),
        "no unconfirmed 停用 in the edit form"
    );
}
