//! What administrators do to units and users, the status of each outcome, and the audit row
//! each writes. The audit log has no route that changes it.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::accounts_support::{
    Session, add_unit, add_user, admin_session, api_get, api_post, audit_entries, call, find_audit,
    unit_paths, user_session,
};
use crate::helpers::{TestApp, spawn_accounts_app};

const ADMIN_ACTOR: &str = "系统管理员（admin）";

async fn patch(t: &TestApp, s: &Session, uri: &str, body: Value) -> (StatusCode, Value) {
    call(&t.router, Method::PATCH, uri, Some(s), Some(body)).await
}

fn assert_audit(entries: &[Value], action: &str, target: &str, actor: &str) {
    let entry = find_audit(entries, action, target)
        .unwrap_or_else(|| panic!("no {action} row for {target} in {entries:#?}"));
    assert_eq!(entry["actor"], actor, "{entry}");
}

#[tokio::test]
async fn units_are_created_once_and_a_duplicate_is_a_409() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;

    // Act
    let path = json!({ "path": "柱山乡 › 综合行政执法大队" });
    let (created, body) = api_post(&t.router, "/api/admin/units", &admin, path.clone()).await;
    let (again, dup) = api_post(&t.router, "/api/admin/units", &admin, path).await;
    let slash = json!({ "path": "柱山乡/综合行政执法大队" });
    let (spelled, _) = api_post(&t.router, "/api/admin/units", &admin, slash).await;

    // Assert
    assert_eq!(created, StatusCode::CREATED, "{body}");
    assert!(body["id"].as_i64().is_some());
    assert_eq!(again, StatusCode::CONFLICT, "{dup}");
    assert!(dup["error"].as_str().unwrap_or_default().contains("已存在"));
    assert_eq!(
        spelled,
        StatusCode::CONFLICT,
        "the same path written with /"
    );
    let paths = unit_paths(&t, &admin).await;
    assert!(
        paths.contains(&"柱山乡".to_string()),
        "ancestors are created: {paths:?}"
    );
    let entries = audit_entries(&t, &admin).await;
    assert_audit(
        &entries,
        "unit_created",
        "柱山乡/综合行政执法大队",
        ADMIN_ACTOR,
    );
    let rows = entries
        .iter()
        .filter(|e| e["action"] == "unit_created")
        .count();
    assert_eq!(rows, 1, "the refused duplicates wrote nothing");
}

#[tokio::test]
async fn a_new_user_gets_a_twelve_character_one_time_password_and_duplicates_are_409s() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let user = |username: &str, unit: &str| json!({ "username": username, "name": "张三", "unit": unit, "phone": "138-0000-0000", "roles": "执法人员" });

    // Act
    let (created, body) = api_post(
        &t.router,
        "/api/admin/users",
        &admin,
        user("ZS001", "柱山乡"),
    )
    .await;
    let (dup, dup_body) = api_post(
        &t.router,
        "/api/admin/users",
        &admin,
        user("zs001", "柱山乡"),
    )
    .await;
    let (missing, missing_body) = api_post(
        &t.router,
        "/api/admin/users",
        &admin,
        user("zs002", "无此乡"),
    )
    .await;

    // Assert
    assert_eq!(created, StatusCode::CREATED, "{body}");
    let password = body["initial_password"].as_str().unwrap_or_default();
    assert_eq!(password.chars().count(), 12, "{body}");
    assert_eq!(
        dup,
        StatusCode::CONFLICT,
        "usernames ignore case: {dup_body}"
    );
    assert_eq!(missing, StatusCode::NOT_FOUND, "{missing_body}");
    assert!(
        missing_body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("不存在")
    );
    let id = body["user_id"].as_i64().expect("id");
    let (_, view) = api_get(&t.router, &format!("/api/admin/users/{id}"), Some(&admin)).await;
    assert_eq!(view["username"], "zs001");
    assert_eq!(view["roles"], json!(["official", "officer"]));
    assert_eq!(view["phone"], "138-0000-0000");
    assert!(view.get("password_hash").is_none());
    let entries = audit_entries(&t, &admin).await;
    assert_audit(&entries, "user_created", "zs001", ADMIN_ACTOR);
    assert!(find_audit(&entries, "user_created", "zs002").is_none());
}

#[tokio::test]
async fn a_unit_admin_may_not_make_a_system_admin() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let unit_admin = user_session(&t, &admin, "guanli", "柱山乡", "单位管理员").await;
    let (target, _) = add_user(&t, &admin, "xueyuan", "柱山乡/综合行政执法大队", "").await;

    // Act
    let new =
        json!({ "username": "boss", "name": "某某", "unit": "柱山乡", "roles": "系统管理员" });
    let (create, _) = api_post(&t.router, "/api/admin/users", &unit_admin, new).await;
    let uri = format!("/api/admin/users/{target}");
    let (grant, _) = patch(&t, &unit_admin, &uri, json!({ "roles": "admin" })).await;
    let (officer, _) = patch(&t, &unit_admin, &uri, json!({ "roles": "执法人员" })).await;

    // Assert
    assert_eq!(create, StatusCode::FORBIDDEN);
    assert_eq!(grant, StatusCode::FORBIDDEN);
    assert_eq!(officer, StatusCode::OK, "other roles are theirs to grant");
    let (_, view) = api_get(&t.router, &uri, Some(&admin)).await;
    assert_eq!(view["roles"], json!(["official", "officer"]));
    let (_, users) = api_get(&t.router, "/api/admin/users?q=boss", Some(&admin)).await;
    assert_eq!(users["total"], 0);
}

#[tokio::test]
async fn updating_deactivating_and_resetting_a_user_each_write_their_audit_row() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    add_unit(&t, &admin, "另一乡").await;
    let (id, _) = add_user(&t, &admin, "lisi", "柱山乡", "").await;
    let uri = format!("/api/admin/users/{id}");

    // Act
    let edit = json!({ "name": "李四", "unit": "柱山乡/综合行政执法大队", "phone": "13900000000", "roles": "officer" });
    let (updated, view) = patch(&t, &admin, &uri, edit).await;
    let (deactivated, off) = call(
        &t.router,
        Method::POST,
        &format!("{uri}/deactivate"),
        Some(&admin),
        None,
    )
    .await;
    let (reset, pw) = call(
        &t.router,
        Method::POST,
        &format!("{uri}/reset-password"),
        Some(&admin),
        None,
    )
    .await;
    let (missing, _) = patch(
        &t,
        &admin,
        "/api/admin/users/999999",
        json!({ "name": "某" }),
    )
    .await;

    // Assert
    assert_eq!(updated, StatusCode::OK, "{view}");
    assert_eq!(view["name"], "李四");
    assert_eq!(view["unit"], "柱山乡/综合行政执法大队");
    assert_eq!(view["roles"], json!(["official", "officer"]));
    assert_eq!(deactivated, StatusCode::OK);
    assert_eq!(off["active"], false);
    assert_eq!(reset, StatusCode::OK);
    assert_eq!(
        pw["initial_password"].as_str().map(|p| p.chars().count()),
        Some(12)
    );
    assert_eq!(missing, StatusCode::NOT_FOUND);
    let entries = audit_entries(&t, &admin).await;
    for action in ["user_updated", "user_deactivated", "password_reset"] {
        assert_audit(&entries, action, "lisi", ADMIN_ACTOR);
    }
    let update = find_audit(&entries, "user_updated", "lisi").expect("row");
    assert!(
        update["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("李四"),
        "{update}"
    );
}

#[tokio::test]
async fn renaming_a_unit_moves_its_sub_units_and_users_and_is_audited() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let id = add_unit(&t, &admin, "柱山乡").await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队/一中队").await;
    add_unit(&t, &admin, "柱山乡镇").await;
    let (user, _) = add_user(&t, &admin, "wangwu", "柱山乡/综合行政执法大队", "").await;

    // Act
    let (status, body) = patch(
        &t,
        &admin,
        &format!("/api/admin/units/{id}"),
        json!({ "name": "柱山镇" }),
    )
    .await;
    let (taken, _) = patch(
        &t,
        &admin,
        &format!("/api/admin/units/{id}"),
        json!({ "name": "柱山乡镇" }),
    )
    .await;
    let (slash, _) = patch(
        &t,
        &admin,
        &format!("/api/admin/units/{id}"),
        json!({ "name": "a/b" }),
    )
    .await;
    let (missing, _) = patch(
        &t,
        &admin,
        "/api/admin/units/999999",
        json!({ "name": "x" }),
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let mut paths = unit_paths(&t, &admin).await;
    paths.sort_unstable();
    let want = [
        "柱山乡镇",
        "柱山镇",
        "柱山镇/综合行政执法大队",
        "柱山镇/综合行政执法大队/一中队",
        "系统管理",
    ];
    assert_eq!(paths, want);
    let (_, view) = api_get(&t.router, &format!("/api/admin/users/{user}"), Some(&admin)).await;
    assert_eq!(view["unit"], "柱山镇/综合行政执法大队");
    assert_eq!(taken, StatusCode::CONFLICT);
    assert_eq!(slash, StatusCode::BAD_REQUEST);
    assert_eq!(missing, StatusCode::NOT_FOUND);
    let entries = audit_entries(&t, &admin).await;
    assert_audit(&entries, "unit_renamed", "柱山乡", ADMIN_ACTOR);
    let rename = find_audit(&entries, "unit_renamed", "柱山乡").expect("row");
    assert_eq!(rename["detail"], "柱山镇");
}

#[tokio::test]
async fn the_audit_log_has_no_route_that_changes_it() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let before = audit_entries(&t, &admin).await;
    let id = before[0]["audit_id"].as_i64().expect("audit id");

    // Act
    let mut answers = Vec::new();
    for method in [Method::PUT, Method::PATCH, Method::DELETE, Method::POST] {
        for uri in [
            "/api/admin/audit".to_string(),
            format!("/api/admin/audit/{id}"),
        ] {
            let body = Some(json!({ "action": "nothing", "target": "" }));
            let (status, _) = call(&t.router, method.clone(), &uri, Some(&admin), body).await;
            answers.push((method.clone(), uri, status));
        }
    }

    // Assert: the log's own path has GET only (405); nothing exists below it (404).
    for (method, uri, status) in &answers {
        let want = if uri.ends_with("audit") {
            StatusCode::METHOD_NOT_ALLOWED
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(*status, want, "{method} {uri}");
    }
    let after = audit_entries(&t, &admin).await;
    assert_eq!(after, before, "the log is as it was");
}
