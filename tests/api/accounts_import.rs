//! Bulk import of users from a spreadsheet, through the upload page and the domain function:
//! all or nothing per file, problems named by row and column, nobody created twice.

use axum::http::StatusCode;
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::accounts::import::ImportOptions;

use crate::accounts_support::{
    add_unit, admin_session, audit_entries, find_audit, upload, user_count,
};
use crate::helpers::{T0, spawn_accounts_app};

const GOOD: &str = "用户名,姓名,单位,角色,手机号\n\
    zs001,张三,柱山乡/综合行政执法大队,执法人员,13800000001\n\
    ls002,李四,柱山乡/综合行政执法大队,,\n\
    ww003,王五,柱山乡,单位管理员,\n";

/// The good file with row 3 (李四's) given a username that is not allowed.
fn with_bad_row() -> String {
    GOOD.replace("ls002,", "li si!,")
}

#[tokio::test]
async fn one_bad_row_imports_nothing_and_the_report_names_its_row_and_column() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let before = user_count(&t, &admin).await;

    // Act
    let (status, html) = upload(&t, &admin, "名单.csv", with_bad_row().as_bytes()).await;

    // Assert
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html:.500}");
    assert!(html.contains("未导入任何用户"), "{html:.500}");
    let table = html
        .split("id=\"import-problems\"")
        .nth(1)
        .expect("problem table");
    assert!(table.contains("<td>3</td><td>用户名</td>"), "{table:.600}");
    assert_eq!(
        table.matches("<tr><td>").count(),
        1,
        "one problem: {table:.600}"
    );
    assert_eq!(user_count(&t, &admin).await, before, "nobody imported");
    let entries = audit_entries(&t, &admin).await;
    assert!(entries.iter().all(|e| e["action"] != "users_imported"));
}

#[tokio::test]
async fn the_good_file_creates_its_users_and_the_same_file_again_creates_nobody_twice() {
    // Arrange
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let before = user_count(&t, &admin).await;

    // Act
    let (first, first_html) = upload(&t, &admin, "名单.csv", GOOD.as_bytes()).await;
    let after_first = user_count(&t, &admin).await;
    let (second, second_html) = upload(&t, &admin, "名单.csv", GOOD.as_bytes()).await;

    // Assert
    assert_eq!(first, StatusCode::OK, "{first_html:.500}");
    assert!(
        first_html.contains("id=\"created-count\">3<"),
        "{first_html:.2000}"
    );
    assert_eq!(first_html.matches("class=\"otp\"").count(), 3);
    assert_eq!(after_first, before + 3);
    assert_eq!(second, StatusCode::OK, "{second_html:.500}");
    assert!(second_html.contains("id=\"created-count\">0<"));
    assert!(second_html.contains("id=\"skipped-count\">3<"));
    assert_eq!(user_count(&t, &admin).await, before + 3, "nobody twice");
    let entries = audit_entries(&t, &admin).await;
    assert!(find_audit(&entries, "user_created", "ww003").is_some());
    let imports = entries
        .iter()
        .filter(|e| e["action"] == "users_imported")
        .count();
    assert_eq!(imports, 1, "the second file had nobody to import");
}

#[tokio::test]
async fn the_import_function_reports_every_problem_by_row_and_column_and_stores_nothing() {
    // Arrange
    let t = spawn_accounts_app().await;
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: T0,
    };
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let file = format!(
        "{}dup01,甲,柱山乡,,\ndup01,乙,柱山乡,,\nxx9,丙,无此乡,,\nyy8,{},柱山乡,boss,call me\n",
        with_bad_row(),
        "名".repeat(41)
    );
    let opts = ImportOptions::default();

    // Act
    let bad = t
        .app
        .import_users(&ctx, "名单.csv", file.as_bytes(), opts)
        .await;
    let good = t
        .app
        .import_users(&ctx, "名单.csv", GOOD.as_bytes(), opts)
        .await;
    let again = t
        .app
        .import_users(&ctx, "名单.csv", GOOD.as_bytes(), opts)
        .await;

    // Assert
    let bad = bad.expect("a report");
    let found: Vec<(usize, &str)> = bad
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    let want = vec![
        (3, "用户名"),
        (6, "用户名"),
        (7, "单位"),
        (8, "姓名"),
        (8, "角色"),
        (8, "手机号"),
    ];
    assert_eq!(found, want, "{:#?}", bad.problems);
    assert!(bad.problems.iter().all(|p| !p.problem.is_empty()));
    assert!(bad.created.is_empty());
    let good = good.expect("a report");
    assert!(good.is_ok(), "{:?}", good.problems);
    let created: Vec<&str> = good.created.iter().map(|c| c.username.as_str()).collect();
    assert_eq!(created, ["zs001", "ls002", "ww003"]);
    assert!(
        good.created
            .iter()
            .all(|c| c.initial_password.chars().count() == 12)
    );
    let again = again.expect("a report");
    assert!(again.created.is_empty());
    assert_eq!(again.skipped_existing, ["zs001", "ls002", "ww003"]);
}
