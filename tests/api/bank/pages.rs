//! The question bank's admin pages: who may open them, import through the page, a question's
//! page with its basis, preview and save of an edit, generation.

use axum::http::StatusCode;

use super::site::upload_questions;
use crate::accounts_support::{admin_session, page, user_session};
use crate::helpers::spawn_accounts_app;

const SEED_LAW: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/行政法规");

#[tokio::test]
async fn bank_pages_are_for_administrators_and_import_edit_and_generate_work() {
    // Arrange: the 行政法规 folder (信访工作条例) and a signed-in system administrator.
    let t = spawn_accounts_app().await;
    t.app
        .import_laws(&[SEED_LAW.into()], &|_, _| {})
        .await
        .expect("import laws");
    let admin = admin_session(&t).await;
    let official = user_session(&t, &admin, "xy001", "系统管理", "").await;

    // Who may open the list.
    let (anonymous, _, _) = page(&t.router, "/admin/questions", None, None).await;
    assert_eq!(
        anonymous,
        StatusCode::SEE_OTHER,
        "anonymous callers are sent to sign in"
    );
    let (plain, _, _) = page(&t.router, "/admin/questions", Some(&official), None).await;
    assert_eq!(
        plain,
        StatusCode::FORBIDDEN,
        "an official may not see the bank"
    );

    // Import through the page: one fill question on 信访工作条例 第二十二条.
    let csv = "题型,题干,选项A,选项B,答案,解析,依据,难度,标签\n\
               填空,信访部门收到信访事项，应当予以登记，并区分情况，在（ ）内分别按照规定方式处理。,,,15日/十五日,\
               登记后十五日内处理。,《信访工作条例》第二十二条,2,信访/办理期限\n";
    let (status, html) = upload_questions(&t, &admin, &[], csv).await;
    assert_eq!(status, StatusCode::OK, "import page: {html}");

    // The list shows it with a link to the article it tests.
    let (status, _, list) = page(&t.router, "/admin/questions", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains("#art-22"),
        "the basis links to the article: {list}"
    );
    let id = list
        .split("/admin/questions/")
        .filter_map(|s| s.split('"').next()?.parse::<i64>().ok())
        .next()
        .expect("a link to the question");

    // Its page shows the basis article text; a preview changes nothing, a save makes version 2.
    let uri = format!("/admin/questions/{id}");
    let (status, _, q) = page(&t.router, &uri, Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        q.contains("各级党委和政府信访部门收到信访事项"),
        "the article text is shown"
    );
    let form = |action: &'static str| {
        vec![
            ("csrf_token", admin.csrf.as_str()),
            ("action", action),
            ("type", "填空"),
            (
                "stem",
                "信访部门收到信访事项，应当在（ ）内分别按照规定方式处理。",
            ),
            ("answer", "15日/十五日"),
            (
                "explanation",
                "《信访工作条例》第二十二条规定十五日内处理。",
            ),
            ("basis", "《信访工作条例》第二十二条"),
            ("difficulty", "2"),
            ("tags", "信访/办理期限"),
        ]
    };
    let (status, _, preview) = page(&t.router, &uri, Some(&admin), Some(&form("preview"))).await;
    assert_eq!(status, StatusCode::OK, "preview: {preview}");
    let (status, _, _) = page(&t.router, &uri, Some(&admin), Some(&form("save"))).await;
    assert!(status.is_redirection(), "save redirects, got {status}");
    let (_, _, saved) = page(&t.router, &uri, Some(&admin), None).await;
    assert!(saved.contains("第 2 版"), "the edit is a new version");

    // Generation makes drafts from the law.
    let generate = [
        ("csrf_token", admin.csrf.as_str()),
        ("law", "信访工作条例"),
        ("count", "5"),
        ("seed", "7"),
    ];
    let (status, _, generated) = page(
        &t.router,
        "/admin/questions/generate",
        Some(&admin),
        Some(&generate),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "generate: {generated}");
    assert!(generated.contains("信访工作条例"));
}
