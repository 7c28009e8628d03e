//! Issue 7 on the search and law pages: repealed laws point to their successors, short law
//! names resolve (or offer their candidates), the results page keeps to what officials need,
//! and every error of the search and laws routes is Chinese.

use axum::http::{StatusCode, header};
use serde_json::Value;

use crate::helpers::*;

const OLD: &str = "信访条例";
const NEW: &str = "信访工作条例";

/// The repealed 2005 信访条例 and the 信访工作条例 that replaced it.
async fn petitions() -> TestApp {
    spawn_app(&[
        corpus_path("行政法规/信访条例(2005-01-10).md"),
        corpus_path("行政法规/信访工作条例(2022-02-25).md"),
    ])
    .await
}

#[tokio::test]
async fn a_search_by_a_repealed_laws_name_points_to_its_successor() {
    // Arrange
    let t = petitions().await;
    let new = t.current(NEW).await.law_id;
    let q = "信访条例第二十条";

    // Act
    let (status, v) = get_json(&t.router, &search_uri(q, "")).await;
    let (_, _, page) = get(&t.router, &format!("/search?q={}", enc(q))).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{v}");
    let hit = &v["hits"][0];
    assert_eq!(
        (hit["law_title"].as_str(), hit["article_no"].as_u64()),
        (Some(OLD), Some(20))
    );
    assert_eq!(hit["repealed"], true);
    assert_eq!(hit["successor"]["title"], NEW);
    assert_eq!(hit["successor"]["law_id"], new);
    let notice = &v["repealed_law"];
    assert_eq!(
        notice["message"],
        "《信访条例》已废止，现行为《信访工作条例》"
    );
    assert_eq!(notice["successor"]["law_id"], new);
    let better = notice["successor_hits"].as_array().expect("successor hits");
    assert!(!better.is_empty(), "{notice}");
    assert!(better.iter().all(|h| h["law_title"] == NEW), "{notice}");
    assert!(page.contains("已废止，现行为"), "the page says so");
    assert!(
        hrefs(&page).contains(&format!("/laws/{new}")),
        "the page links to the successor"
    );
}

#[tokio::test]
async fn keywords_filtered_to_a_repealed_law_also_find_the_successors_articles() {
    // Arrange
    let t = petitions().await;

    // Act
    let (_, v) = get_json(
        &t.router,
        &search_uri("信访事项 期限", &format!("&law={}", enc(OLD))),
    )
    .await;

    // Assert
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["law_title"] == OLD),
        "{v}"
    );
    let better = v["repealed_law"]["successor_hits"]
        .as_array()
        .expect("notice");
    assert!(!better.is_empty());
    assert!(
        better
            .iter()
            .all(|h| h["law_title"] == NEW && h["text"].as_str().unwrap().contains("期限"))
    );
}

#[tokio::test]
async fn a_repealed_laws_page_links_to_its_successor_and_lists_mark_it_repealed() {
    // Arrange
    let t = petitions().await;
    let (old, new) = (t.current(OLD).await.law_id, t.current(NEW).await.law_id);

    // Act
    let (_, _, law_page) = get(&t.router, &format!("/laws/{old}")).await;
    let (_, _, library) = get(&t.router, &format!("/laws?category={}", enc("行政法规"))).await;
    let (_, laws) = get_json(&t.router, "/api/laws").await;

    // Assert
    assert!(
        hrefs(&law_page).contains(&format!("/laws/{new}")),
        "{law_page:.2000}"
    );
    assert!(
        !law_page.contains(".md") && !law_page.contains("/corpus/"),
        "no server file path on the page"
    );
    let library = unescape(&library);
    let row = library
        .split("<li>")
        .find(|li| li.contains(&format!("href=\"/laws/{old}\"")))
        .expect("the repealed law is listed");
    assert!(row.contains("已废止"), "{row}");
    assert!(row.contains(&format!("/laws/{new}")), "{row}");
    let current_row = library
        .split("<li>")
        .find(|li| li.contains(&format!("href=\"/laws/{new}\">")))
        .expect("the successor is listed");
    assert!(!current_row.contains("已废止"), "{current_row}");
    let entry = |title: &str| -> Value {
        laws.as_array()
            .unwrap()
            .iter()
            .find(|l| l["title"] == title)
            .cloned()
            .unwrap()
    };
    assert_eq!(entry(OLD)["repealed"], true);
    assert_eq!(entry(OLD)["successor_law_id"], new);
    assert_eq!(entry(OLD)["successor_title"], NEW);
    assert_eq!(entry(NEW)["repealed"], false);
}

/// The petition texts (national, repealed and provincial) and two national texts that share
/// the word 治安.
async fn names_library() -> TestApp {
    spawn_app(&[
        corpus_path("行政法规/信访条例(2005-01-10).md"),
        corpus_path("行政法规/信访工作条例(2022-02-25).md"),
        corpus_path("DLC/北京地方法规/地方性法规/北京/北京市信访条例.md"),
        corpus_path("行政法/治安管理处罚法(2012-10-26).md"),
        corpus_path("DLC/北京地方法规/地方性法规/北京/北京市社会治安综合治理条例.md"),
        corpus_path("DLC/上海地方法规/地方性法规/上海/上海市社会治安综合治理条例(2018-05-24).md"),
    ])
    .await
}

#[tokio::test]
async fn an_unambiguous_short_law_name_filters_the_search_everywhere() {
    // Arrange
    let t = names_library().await;

    // Act
    let (status, v) = get_json(
        &t.router,
        &search_uri("期限", &format!("&law={}", enc("信访"))),
    )
    .await;
    let (page_status, _, page) = get(
        &t.router,
        &format!("/search?q={}&law={}", enc("期限"), enc("信访")),
    )
    .await;
    let cli = t.cli(&["search", "期限", "--law", "信访", "--json"]);

    // Assert
    assert_eq!(status, StatusCode::OK, "{v}");
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["law_title"] == NEW), "{v}");
    assert_eq!(page_status, StatusCode::OK);
    assert!(!page.contains("没有找到名为"), "{page:.3000}");
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let cli_hits: Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert!(
        cli_hits
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["law_title"] == NEW)
    );
}

#[tokio::test]
async fn an_ambiguous_short_law_name_offers_its_candidates() {
    // Arrange
    let t = names_library().await;
    let law = "治安";

    // Act: 治安 is in one national law and in two provinces' regulations, so it is not
    // ambiguous; 综合治理 is in two provinces' regulations and in no national text.
    let (one, v_one) = get_json(
        &t.router,
        &search_uri("处罚", &format!("&law={}", enc(law))),
    )
    .await;
    let (status, v) = get_json(
        &t.router,
        &search_uri("治安", &format!("&law={}", enc("综合治理"))),
    )
    .await;
    let (page_status, _, page) = get(
        &t.router,
        &format!("/search?q={}&law={}", enc("治安"), enc("综合治理")),
    )
    .await;

    // Assert
    assert_eq!(one, StatusCode::OK, "{v_one}");
    assert!(
        v_one["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["law_title"] == "中华人民共和国治安管理处罚法"),
        "{v_one}"
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let candidates: Vec<&str> = v["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(candidates.len(), 2, "{v}");
    assert!(candidates.contains(&"北京市社会治安综合治理条例"), "{v}");
    assert!(v["error"].as_str().unwrap().contains("综合治理"), "{v}");
    assert_eq!(page_status, StatusCode::BAD_REQUEST);
    let links = hrefs(&page);
    for c in &candidates {
        let wanted = format!("/search?q={}&law={}", enc("治安"), enc(c));
        assert!(
            links.iter().any(|l| l.replace('+', "%20") == wanted),
            "{wanted} in {links:?}"
        );
    }
    assert!(!page.contains("未找到相关条文"), "no tips with an error");
}

#[tokio::test]
async fn the_results_page_shows_no_timing_and_never_an_error_with_the_tips() {
    // Arrange
    let t = petitions().await;
    let long = "信".repeat(201);

    // Act
    let (_, _, found) = get(&t.router, &format!("/search?q={}", enc("信访 期限"))).await;
    let (_, _, nothing) = get(&t.router, &format!("/search?q={}", enc("qzxjvk"))).await;
    let (status, _, refused) = get(&t.router, &format!("/search?q={}", enc(&long))).await;
    let (_, api) = get_json(&t.router, &search_uri("信访 期限", "")).await;

    // Assert
    for page in [&found, &nothing, &refused] {
        assert!(
            !page.contains("用时") && !page.contains("毫秒"),
            "{page:.3000}"
        );
    }
    assert!(nothing.contains("未找到相关条文"));
    assert!(
        !nothing.contains("role=\"alert\""),
        "no error box with the tips"
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(refused.contains("role=\"alert\""));
    assert!(
        !refused.contains("未找到相关条文"),
        "no tips with the error box"
    );
    assert!(api["took_ms"].is_number(), "the API keeps took_ms");
}

#[tokio::test]
async fn a_page_beyond_the_last_redirects_to_the_last_page() {
    // Arrange
    let t = petitions().await;
    let q = "信访";
    let total = get_json(&t.router, &search_uri(q, "")).await.1["total"]
        .as_u64()
        .unwrap();
    let last = total.div_ceil(10);
    assert!(last > 1, "{total}");

    for asked in [last + 1, 99_999] {
        // Act
        let (status, headers, _) =
            get(&t.router, &format!("/search?q={}&page={asked}", enc(q))).await;

        // Assert
        assert!(status.is_redirection(), "page={asked}: {status}");
        let to = headers[header::LOCATION].to_str().unwrap();
        assert!(to.ends_with(&format!("page={last}")), "page={asked} → {to}");
        let (status, _, page) = get(&t.router, to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&format!("第 {last}/{last} 页")),
            "{page:.3000}"
        );
    }
}

/// A message with an English word in it (ASCII letters outside the API's literal values).
fn english_in(message: &str) -> Option<String> {
    const ALLOWED: [&str; 2] = ["true", "false"];
    message
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty() && !ALLOWED.contains(w))
        .map(str::to_string)
}

/// The text of the error box (`class="alert"`) of a page.
fn alert_of(page: &str) -> String {
    let at = page
        .find("class=\"alert\"")
        .unwrap_or_else(|| panic!("no alert: {page:.2000}"));
    let rest = &page[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find("</").unwrap();
    unescape(&rest[start..end])
}

#[tokio::test]
async fn every_error_of_the_search_and_laws_routes_is_chinese_only() {
    // Arrange
    let t = names_library().await;
    let law = t.current(NEW).await.law_id;
    let q = enc("信访");
    let long = enc(&"信".repeat(201));
    let api = [
        "/api/search".to_string(),
        "/api/search?q=".into(),
        format!("/api/search?q={long}"),
        format!("/api/search?q={q}&limit=0"),
        format!("/api/search?q={q}&limit=abc"),
        format!("/api/search?q={q}&offset=-1"),
        format!("/api/search?q={q}&offset=5000"),
        format!("/api/search?q={q}&all_versions=perhaps"),
        format!("/api/search?q={q}&law={}", enc("没有这部法")),
        format!("/api/search?q={q}&law={}", enc("综合治理")),
        format!("/api/search?q={q}&category={}", enc("不存在的类别")),
        "/api/laws/999999".into(),
        "/api/laws/abc".into(),
        "/api/laws/%FF".into(),
        format!("/api/laws/{law}/articles/abc"),
        format!("/api/laws/{law}/articles/999"),
        "/api/laws/999999/articles/1".into(),
        format!("/api/laws?category={}", enc("不存在的类别")),
        "/api/laws?current=perhaps".into(),
    ];
    let pages = [
        format!("/search?q={long}"),
        format!("/search?q={q}&law={}", enc("没有这部法")),
        format!("/search?q={q}&category={}", enc("不存在的类别")),
        "/laws/999999".into(),
        "/laws/abc".into(),
        format!("/laws?category={}", enc("不存在的类别")),
    ];

    for uri in &api {
        // Act
        let (status, v) = get_json(&t.router, uri).await;

        // Assert
        assert!(status.is_client_error(), "{uri}: {status} {v}");
        let message = v["error"].as_str().unwrap_or_else(|| panic!("{uri}: {v}"));
        assert_eq!(english_in(message), None, "{uri}: {message}");
    }
    for uri in &pages {
        let (status, _, page) = get(&t.router, uri).await;
        assert!(status.is_client_error(), "{uri}: {status}");
        let message = alert_of(&page);
        assert!(!message.trim().is_empty(), "{uri}");
        assert_eq!(english_in(&message), None, "{uri}: {message}");
    }
}
