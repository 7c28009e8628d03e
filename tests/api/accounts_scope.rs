//! The edges of a unit administrator's scope: look-alike unit names, moving users out, their
//! own root unit and account, system administrators inside their subtree. And the API's
//! refusals, which must be JSON.

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::accounts_support::{
    USER_PASSWORD, add_unit, add_user, admin_session, api_get, api_post, call, login, sign_in,
    user_session,
};
use crate::helpers::{enc, request, spawn_accounts_app};

#[tokio::test]
async fn a_unit_admin_cannot_reach_a_unit_whose_name_merely_starts_like_theirs() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    add_unit(&t, &admin, "柱山乡镇").await;
    let (outsider, _) = add_user(&t, &admin, "waiyuan", "柱山乡镇", "").await;
    let (insider, _) = add_user(&t, &admin, "neiyuan", "柱山乡/综合行政执法大队", "").await;
    let ua = user_session(&t, &admin, "guanli", "柱山乡", "unit_admin").await;

    // Act
    let (list, listed) = api_get(&t.router, "/api/admin/users", Some(&ua)).await;
    let (filter, _) = api_get(
        &t.router,
        &format!("/api/admin/users?unit={}", enc("柱山乡镇")),
        Some(&ua),
    )
    .await;
    let (read, _) = api_get(
        &t.router,
        &format!("/api/admin/users/{outsider}"),
        Some(&ua),
    )
    .await;
    let (unit, _) = api_post(
        &t.router,
        "/api/admin/units",
        &ua,
        json!({ "path": "柱山乡镇/新队" }),
    )
    .await;
    let moved = json!({ "unit": "柱山乡镇" });
    let uri = format!("/api/admin/users/{insider}");
    let (move_out, _) = call(&t.router, Method::PATCH, &uri, Some(&ua), Some(moved)).await;
    let (_, units) = api_get(&t.router, "/api/admin/units", Some(&ua)).await;

    // Assert
    assert_eq!(list, StatusCode::OK);
    let names: Vec<&str> = listed["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .collect();
    assert!(
        names.contains(&"neiyuan") && !names.contains(&"waiyuan"),
        "{names:?}"
    );
    assert_eq!(filter, StatusCode::FORBIDDEN);
    assert_eq!(read, StatusCode::FORBIDDEN);
    assert_eq!(unit, StatusCode::FORBIDDEN);
    assert_eq!(move_out, StatusCode::FORBIDDEN);
    let paths: Vec<&str> = units
        .as_array()
        .expect("units")
        .iter()
        .filter_map(|u| u["path"].as_str())
        .collect();
    assert!(
        paths
            .iter()
            .all(|p| *p == "柱山乡" || p.starts_with("柱山乡/")),
        "{paths:?}"
    );
}

#[tokio::test]
async fn a_unit_admin_can_neither_rename_their_own_unit_nor_deactivate_themselves() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let root = add_unit(&t, &admin, "柱山乡").await;
    let ua = user_session(&t, &admin, "guanli", "柱山乡", "unit_admin").await;

    // Act
    let rename = json!({ "name": "柱山镇" });
    let (renamed, _) = call(
        &t.router,
        Method::PATCH,
        &format!("/api/admin/units/{root}"),
        Some(&ua),
        Some(rename),
    )
    .await;
    let uri = format!("/api/admin/users/{}/deactivate", ua.user_id);
    let (deactivated, body) = call(&t.router, Method::POST, &uri, Some(&ua), None).await;

    // Assert
    assert_eq!(renamed, StatusCode::FORBIDDEN);
    assert_eq!(deactivated, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        api_get(&t.router, "/api/me", Some(&ua)).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_unit_admin_cannot_take_over_a_system_admin_in_their_unit() {
    // Arrange: a county system administrator who sits in 柱山乡.
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let (sysadmin, _) = add_user(&t, &admin, "xianji", "柱山乡", "系统管理员").await;
    let ua = user_session(&t, &admin, "guanli", "柱山乡", "unit_admin").await;

    // Act
    let uri = format!("/api/admin/users/{sysadmin}");
    let (reset, pw) = call(
        &t.router,
        Method::POST,
        &format!("{uri}/reset-password"),
        Some(&ua),
        None,
    )
    .await;
    let (deactivate, _) = call(
        &t.router,
        Method::POST,
        &format!("{uri}/deactivate"),
        Some(&ua),
        None,
    )
    .await;

    // Assert
    let taken_over = match pw["initial_password"].as_str() {
        Some(p) => login(&t.router, "xianji", p, None).await.0 == StatusCode::OK,
        None => false,
    };
    assert!(
        !taken_over,
        "the unit admin signed in as a system admin: {pw}"
    );
    assert_eq!(reset, StatusCode::FORBIDDEN, "{pw}");
    assert_eq!(deactivate, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn api_refusals_are_json_401_and_403_never_redirects_or_pages() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let official = user_session(&t, &admin, "xueyuan", "柱山乡", "").await;
    let ended = sign_in(&t.router, "xueyuan", USER_PASSWORD).await;
    let (logout, _) = call(&t.router, Method::POST, "/api/logout", Some(&ended), None).await;
    assert_eq!(logout, StatusCode::NO_CONTENT);

    // Act
    let mut answers = Vec::new();
    let callers = [
        ("anonymous", None),
        ("ended session", Some(&ended.cookie)),
        ("official", Some(&official.cookie)),
    ];
    for (who, cookie) in callers {
        for uri in ["/api/me", "/api/admin/users", "/api/admin/audit"] {
            let mut req = axum::http::Request::get(uri);
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c);
            }
            let (status, headers, body) =
                request(&t.router, req.body(axum::body::Body::empty()).expect("req")).await;
            answers.push((who, uri, status, headers, body));
        }
    }

    // Assert
    let mut wrong = Vec::new();
    for (who, uri, status, headers, body) in &answers {
        let want = match (*who, *uri) {
            ("anonymous" | "ended session", _) => StatusCode::UNAUTHORIZED,
            (_, "/api/me") => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        };
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|c| c.to_str().ok())
            == Some("application/json");
        let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
        let has_error = want == StatusCode::OK || parsed.is_some_and(|v| v["error"].is_string());
        if *status != want || !json || !has_error {
            wrong.push(format!(
                "{who} {uri}: {status} {:?} {body:.80}",
                headers.get(header::CONTENT_TYPE)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
