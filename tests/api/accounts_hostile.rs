//! Hostile input to the accounts API and pages: overlong fields, control characters, markup,
//! SQL, files that are not spreadsheets and uploads over the limit. Each is refused with a
//! message, stores nothing, and the server keeps answering.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::accounts_support::{
    Session, add_unit, admin_session, api_get, api_post, audit_entries, is_chinese, page,
    unit_paths, upload, user_count,
};
use crate::helpers::{TestApp, get, spawn_accounts_app};

const UNIT: &str = "柱山乡";
const SQL: &str = "Robert'); drop table app_user;--";
const SCRIPT: &str = "<script>alert(1)</script>";

async fn arrange() -> (TestApp, Session) {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    (t, admin)
}

fn user(username: &str, name: &str, unit: &str) -> Value {
    json!({ "username": username, "name": name, "unit": unit })
}

/// What the server holds: every user and unit, and the audit log's length.
async fn snapshot(t: &TestApp, admin: &Session) -> (i64, Vec<String>, usize) {
    (
        user_count(t, admin).await,
        unit_paths(t, admin).await,
        audit_entries(t, admin).await.len(),
    )
}

async fn assert_healthy(t: &TestApp) {
    let (status, _, body) = get(&t.router, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn overlong_control_and_markup_fields_are_400s_with_a_message_and_store_nothing() {
    // Arrange
    let (t, admin) = arrange().await;
    let before = snapshot(&t, &admin).await;
    let long_segment = format!("{UNIT}/{}", "队".repeat(41));
    let users = [
        ("username of 33", user(&"a".repeat(33), "张三", UNIT)),
        ("name of 41", user("zs1", &"张".repeat(41), UNIT)),
        ("unit segment of 41", user("zs2", "张三", &long_segment)),
        (
            "control character in the name",
            user("zs3", "张\u{7}三", UNIT),
        ),
        ("newline in the username", user("zs4\nadmin", "张三", UNIT)),
        ("NUL in the unit", user("zs5", "张三", "柱山\u{0}乡")),
        ("SQL as the username", user(SQL, "张三", UNIT)),
        ("markup as the name", user("zs6", SCRIPT, UNIT)),
        ("markup as the username", user(SCRIPT, "张三", UNIT)),
        (
            "markup as the unit",
            user("zs7", "张三", &format!("{UNIT}/{SCRIPT}")),
        ),
        ("empty name", user("zs8", "  ", UNIT)),
    ];
    let units = [
        ("unit segment of 41", long_segment.clone()),
        ("markup unit", format!("{UNIT}/<b>队</b>")),
        ("control character", format!("{UNIT}/一\u{1b}[31m队")),
        ("seven levels", "一/二/三/四/五/六/七".to_string()),
        ("nothing but slashes", " / / ".to_string()),
    ];

    // Act
    let mut answers = Vec::new();
    for (why, body) in users {
        answers.push((
            why,
            api_post(&t.router, "/api/admin/users", &admin, body).await,
        ));
    }
    for (why, path) in units {
        let body = json!({ "path": path });
        answers.push((
            why,
            api_post(&t.router, "/api/admin/units", &admin, body).await,
        ));
    }

    // Assert
    for (why, (status, body)) in &answers {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{why}: {body}");
        let message = body["error"].as_str().unwrap_or_default();
        assert!(is_chinese(message), "{why}: {message}");
    }
    assert_eq!(snapshot(&t, &admin).await, before, "nothing stored");
    assert_healthy(&t).await;
}

#[tokio::test]
async fn sql_in_a_name_or_unit_is_stored_as_plain_text_and_every_table_still_works() {
    // Arrange: names and units may hold apostrophes and semicolons (only markup and control
    // characters are refused), so SQL there must come back verbatim and do nothing.
    let (t, admin) = arrange().await;
    let before = user_count(&t, &admin).await;
    let unit = format!("{UNIT}/{SQL}");

    // Act
    let new_unit = json!({ "path": unit });
    let (unit_status, _) = api_post(&t.router, "/api/admin/units", &admin, new_unit).await;
    let bobby = user("bobby", SQL, &unit);
    let (status, body) = api_post(&t.router, "/api/admin/users", &admin, bobby).await;
    let uri = "/api/admin/users?q=%27%29%3B%20drop";
    let (search, found) = api_get(&t.router, uri, Some(&admin)).await;
    let (_, wildcard) = api_get(&t.router, "/api/admin/users?q=%25", Some(&admin)).await;

    // Assert
    assert_eq!(unit_status, StatusCode::CREATED);
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(search, StatusCode::OK);
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["users"][0]["name"], SQL, "stored verbatim");
    assert_eq!(found["users"][0]["unit"], unit.as_str());
    assert_eq!(
        wildcard["total"], 0,
        "% is a character, not a wildcard: {wildcard}"
    );
    assert_eq!(
        user_count(&t, &admin).await,
        before + 1,
        "app_user is intact"
    );
    assert!(unit_paths(&t, &admin).await.contains(&unit));
    assert_healthy(&t).await;
}

#[tokio::test]
async fn the_user_and_unit_pages_refuse_hostile_fields_with_a_message_and_store_nothing() {
    // Arrange
    let (t, admin) = arrange().await;
    let before = snapshot(&t, &admin).await;
    let (long_name, long_unit) = ("张".repeat(41), format!("{UNIT}/{}", "队".repeat(41)));
    let user_forms: [(&str, [&str; 3]); 4] = [
        ("username of 33", [&"a".repeat(33), "张三", UNIT]),
        ("name of 41", ["zs1", &long_name, UNIT]),
        ("markup as the name", ["zs2", SCRIPT, UNIT]),
        ("control character", ["zs3", "张\u{7}三", UNIT]),
    ];
    let markup_unit = format!("{UNIT}/{SCRIPT}");
    let unit_forms = [
        ("unit segment of 41", &long_unit),
        ("markup unit", &markup_unit),
    ];

    // Act
    let mut answers = Vec::new();
    for (why, [username, name, unit]) in &user_forms {
        let form = [
            ("csrf_token", admin.csrf.as_str()),
            ("username", *username),
            ("name", *name),
            ("unit", *unit),
        ];
        let (status, _, html) = page(&t.router, "/admin/users", Some(&admin), Some(&form)).await;
        answers.push((*why, status, html));
    }
    for (why, path) in unit_forms {
        let form = [("csrf_token", admin.csrf.as_str()), ("path", path.as_str())];
        let (status, _, html) = page(&t.router, "/admin/units", Some(&admin), Some(&form)).await;
        answers.push((why, status, html));
    }

    // Assert
    for (why, status, html) in &answers {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{why}: {html:.300}");
        assert!(html.contains("role=\"alert\""), "{why}: the form shows why");
        assert!(!html.contains(SCRIPT), "{why}: markup is escaped");
    }
    assert_eq!(snapshot(&t, &admin).await, before, "nothing stored");
    assert_healthy(&t).await;
}

#[tokio::test]
async fn a_file_that_is_not_a_spreadsheet_uploaded_as_xlsx_is_a_400_in_chinese() {
    // Arrange
    let (t, admin) = arrange().await;
    let before = snapshot(&t, &admin).await;
    let files: [(&str, &[u8]); 4] = [
        ("名单.xlsx", b"%PDF-1.4 not a spreadsheet at all"),
        ("名单.xlsx", b"PK\x03\x04 a broken zip"),
        ("名单.exe", b"MZ\x90\x00"),
        ("名单.csv", b"\xff\xfe\x00\xd8"),
    ];

    // Act
    let mut answers = Vec::new();
    for (name, bytes) in files {
        answers.push((name, upload(&t, &admin, name, bytes).await));
    }

    // Assert
    for (name, (status, html)) in &answers {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{name}: {html:.300}");
        assert!(html.contains("id=\"error\""), "{name}: {html:.1500}");
    }
    let (_, first) = &answers[0].1;
    assert!(
        first.contains("不是有效的 Excel (.xlsx) 文件"),
        "{first:.1500}"
    );
    assert_eq!(snapshot(&t, &admin).await, before, "nothing stored");
    assert_healthy(&t).await;
}

#[tokio::test]
async fn an_upload_over_fifty_megabytes_is_a_413_and_stores_nothing() {
    // Arrange: a valid CSV padded with blank lines past the limit.
    let (t, admin) = arrange().await;
    let before = snapshot(&t, &admin).await;
    let mut csv = format!("用户名,姓名,单位\nbig01,张三,{UNIT}\n").into_bytes();
    csv.resize(50 * 1024 * 1024 + 1, b'\n');

    // Act
    let (status, html) = upload(&t, &admin, "名单.csv", &csv).await;

    // Assert
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{html:.300}");
    assert!(html.contains("50 MB"), "{html:.1500}");
    assert_eq!(snapshot(&t, &admin).await, before, "nothing stored");
    assert_healthy(&t).await;
}
