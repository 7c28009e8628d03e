//! The library the pages list (home counts, `/laws`, `/api/laws`) is kept between requests and
//! follows every import.

use axum::http::StatusCode;

use crate::helpers::*;

fn stats(html: &str) -> String {
    html.split("<p class=\"stats\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_home_page_and_the_law_list_follow_an_import_made_after_they_were_shown() {
    // Arrange: one law, its pages shown once (and so cached).
    let t = spawn_app(&[corpus_path("行政法规/信访工作条例(2022-02-25).md")]).await;
    let (_, _, before) = get(&t.router, "/").await;
    let (_, listed_before) = get_json(&t.router, "/api/laws").await;

    // Act: a second law arrives.
    t.import(&[corpus_path("宪法/宪法.md")]).await;
    let (status, _, after) = get(&t.router, "/").await;
    let (_, listed_after) = get_json(&t.router, "/api/laws").await;
    let (_, _, library) = get(&t.router, &format!("/laws?category={}", enc("宪法"))).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(
        stats(&before).contains("<strong>1</strong> 部法规"),
        "{}",
        stats(&before)
    );
    assert!(
        stats(&after).contains("<strong>2</strong> 部法规"),
        "{}",
        stats(&after)
    );
    assert_eq!(listed_before.as_array().map(Vec::len), Some(1));
    assert_eq!(listed_after.as_array().map(Vec::len), Some(2));
    assert!(library.contains("中华人民共和国宪法"), "{library:.2000}");
}

#[tokio::test]
async fn a_node_drops_its_cached_library_when_another_node_imports_into_the_same_database() {
    // Arrange: node A (the test app) and node B (a second app on the same database), B's
    // home page shown once and so cached, B's watcher having seen the database once.
    let t = spawn_app(&[corpus_path("行政法规/信访工作条例(2022-02-25).md")]).await;
    let b = xuefa::app::App::open_in_memory_index(t.config())
        .await
        .expect("second node");
    let b_router = xuefa::web::router(b.clone());
    let mut seen = None;
    assert!(!b.notice_law_changes(&mut seen).await.expect("first look"));
    let (_, _, before) = get(&b_router, "/").await;

    // Act: A imports; B's watcher looks again.
    t.import(&[corpus_path("宪法/宪法.md")]).await;
    let changed = b.notice_law_changes(&mut seen).await.expect("second look");
    let unchanged = b.notice_law_changes(&mut seen).await.expect("third look");
    let (_, _, after) = get(&b_router, "/").await;

    // Assert
    assert!(changed && !unchanged);
    assert!(
        stats(&before).contains("<strong>1</strong> 部法规"),
        "{}",
        stats(&before)
    );
    assert!(
        stats(&after).contains("<strong>2</strong> 部法规"),
        "{}",
        stats(&after)
    );
}
