//! The bank's answer keys: a bank editor (题库管理员) works the bank through the pages, a
//! unit administrator cannot read or export it, and every export is in the audit log.

use axum::http::StatusCode;

use super::site::{bank_site, upload_questions};
use crate::accounts_support::{admin_session, audit_entries, find_audit, page, user_session};
use crate::helpers::spawn_accounts_app;

#[tokio::test]
async fn a_bank_editor_imports_and_exports_while_a_unit_admin_gets_no_answer_keys() {
    // Arrange: 信访工作条例, a bank editor and a unit administrator in one township.
    let (t, admin) = bank_site().await;
    crate::accounts_support::add_unit(&t, &admin, "柱山乡").await;
    let editor = user_session(&t, &admin, "tiku01", "柱山乡", "题库管理员").await;
    let unit_admin = user_session(&t, &admin, "guanli01", "柱山乡", "unit_admin").await;
    let csv = "题型,题干,选项A,选项B,答案,解析,依据,难度,标签\n\
               判断,信访工作坚持党的领导。,,,对,见第四条。,《信访工作条例》第四条,1,信访\n\
               判断,信访事项应当登记。,,,对,见第二十二条。,《信访工作条例》第二十二条,1,信访\n";

    // Act
    let (imported, import_html) = upload_questions(&t, &editor, &[], csv).await;
    let export = "/admin/questions/export?format=json";
    let (exported, _, keys) = page(&t.router, export, Some(&editor), None).await;
    let (editor_home, _, home) = page(&t.router, "/admin/questions", Some(&editor), None).await;
    let (editor_users, _, _) = page(&t.router, "/admin/users", Some(&editor), None).await;
    let mut refused = Vec::new();
    for uri in [
        "/admin/questions",
        export,
        "/admin/questions/export?format=xlsx",
        "/admin/questions/review",
    ] {
        let (status, _, html) = page(&t.router, uri, Some(&unit_admin), None).await;
        refused.push((uri, status, html.contains("对")));
    }
    let (_, _, unit_home) = page(&t.router, "/admin/users", Some(&unit_admin), None).await;
    let entries = audit_entries(&t, &admin).await;

    // Assert
    assert_eq!(imported, StatusCode::OK, "{import_html:.400}");
    assert_eq!(exported, StatusCode::OK);
    let questions: serde_json::Value = serde_json::from_str(&keys).expect("JSON export");
    assert_eq!(questions.as_array().map(Vec::len), Some(2), "{keys:.300}");
    assert_eq!(questions[0]["answer"], "对");
    assert_eq!(editor_home, StatusCode::OK);
    assert!(
        !home.contains("href=\"/admin/users\""),
        "no users link for a bank editor"
    );
    assert_eq!(
        editor_users,
        StatusCode::FORBIDDEN,
        "bank editors manage no users"
    );
    for (uri, status, _) in &refused {
        assert_eq!(*status, StatusCode::FORBIDDEN, "unit admin on {uri}");
    }
    assert!(
        !unit_home.contains("href=\"/admin/questions\""),
        "no bank link for a unit admin"
    );
    let audit = find_audit(&entries, "questions_exported", "题库").expect("export audited");
    assert_eq!(audit["actor"], "测试用户（tiku01）");
    let detail = audit["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("json") && detail.contains("共 2 道题"),
        "{detail}"
    );
    let exports = entries
        .iter()
        .filter(|e| e["action"] == "questions_exported")
        .count();
    assert_eq!(exports, 1, "the refused exports left no entry");
}

#[tokio::test]
async fn only_a_system_administrator_grants_the_bank_editor_role() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    crate::accounts_support::add_unit(&t, &admin, "柱山乡").await;
    let unit_admin = user_session(&t, &admin, "guanli02", "柱山乡", "unit_admin").await;
    let body = serde_json::json!({
        "username": "tiku02", "name": "某", "unit": "柱山乡", "roles": "bank_editor"
    });

    // Act
    let (by_unit_admin, v) =
        crate::accounts_support::api_post(&t.router, "/api/admin/users", &unit_admin, body.clone())
            .await;
    let (by_admin, created) =
        crate::accounts_support::api_post(&t.router, "/api/admin/users", &admin, body).await;

    // Assert
    assert_eq!(by_unit_admin, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(by_admin, StatusCode::CREATED, "{created}");
}
