//! What the accounts API and audit log say is written for people, in Chinese: malformed
//! bodies and ids get Chinese errors without serde's English, audit details are words, not
//! JSON, and the first administrator is created by 系统.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::accounts_support::{
    add_unit, add_user, admin_session, api_get, audit_entries, call, find_audit, is_chinese,
    json_of, upload,
};
use crate::helpers::{request, spawn_accounts_app};

/// ASCII words in a message, but for the few technical names users of an API know.
fn english_words(message: &str) -> Vec<String> {
    message
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty() && !["JSON"].contains(w))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn malformed_account_api_bodies_and_ids_get_chinese_errors_only() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let raw = |uri: &str, content_type: Option<&str>, body: &str| {
        let mut req = Request::post(uri)
            .header(header::COOKIE, &admin.cookie)
            .header("x-csrf-token", &admin.csrf);
        if let Some(c) = content_type {
            req = req.header(header::CONTENT_TYPE, c);
        }
        req.body(Body::from(body.to_string())).expect("request")
    };
    let json_type = Some("application/json");

    // Act
    let mut answers = Vec::new();
    for req in [
        raw("/api/admin/users", json_type, r#"{"username": "x1"}"#),
        raw(
            "/api/admin/users",
            json_type,
            r#"{"username": 5, "name": "某", "unit": "乡"}"#,
        ),
        raw("/api/admin/users", json_type, "{not json"),
        raw("/api/admin/users", None, r#"{"username": "x1"}"#),
        raw("/api/admin/units", json_type, "[]"),
        raw("/api/login", json_type, r#"{"user": "admin"}"#),
    ] {
        let uri = req.uri().to_string();
        let (status, _, body) = request(&t.router, req).await;
        answers.push((uri, status, json_of(&body)));
    }
    let (bad_id, bad_id_body) = api_get(&t.router, "/api/admin/users/abc", Some(&admin)).await;
    let (unlock_bad, unlock_body) = call(
        &t.router,
        Method::POST,
        "/api/admin/users/abc/unlock",
        Some(&admin),
        None,
    )
    .await;
    answers.push(("/api/admin/users/abc".into(), bad_id, bad_id_body));
    answers.push((
        "/api/admin/users/abc/unlock".into(),
        unlock_bad,
        unlock_body,
    ));

    // Assert
    for (uri, status, body) in &answers {
        assert!(status.is_client_error(), "{uri}: {status}");
        let message = body["error"].as_str().unwrap_or_default();
        assert!(is_chinese(message), "{uri}: {body}");
        assert_eq!(
            english_words(message),
            Vec::<String>::new(),
            "{uri}: {message}"
        );
    }
    assert_eq!(answers[0].1, StatusCode::BAD_REQUEST);
    assert_eq!(answers[6].1, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn audit_details_of_user_edits_and_imports_are_words_and_the_first_admin_is_made_by_the_system()
 {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡").await;
    let (id, _) = add_user(&t, &admin, "lisi", "柱山乡", "").await;

    // Act
    let edit = json!({ "name": "李四", "phone": "", "roles": "执法人员", "active": false });
    let uri = format!("/api/admin/users/{id}");
    let (status, _) = call(&t.router, Method::PATCH, &uri, Some(&admin), Some(edit)).await;
    let file = "用户名,姓名,单位\nww1,王五,柱山乡\n";
    let (imported, _) = upload(&t, &admin, "名单.csv", file.as_bytes()).await;
    let entries = audit_entries(&t, &admin).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(imported, StatusCode::OK);
    let import = find_audit(&entries, "users_imported", "名单.csv").expect("import row");
    assert_eq!(
        import["detail"],
        "文件「名单.csv」共 1 行：新建 1 人，已存在跳过 0 人"
    );
    let edited = find_audit(&entries, "user_deactivated", "lisi").expect("row");
    assert_eq!(
        edited["detail"],
        "姓名：李四；手机号：（空）；角色：学员、执法人员；状态：停用"
    );
    let first = find_audit(&entries, "user_created", "admin").expect("first admin row");
    assert_eq!(first["actor"], "系统");
}
