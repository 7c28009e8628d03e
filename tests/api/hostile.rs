//! Hostile and careless input: oversized and empty queries, out-of-range paging, SQL and
//! HTML in every parameter, malformed ids and article numbers, binary files.

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::*;

const SQL: [&str; 3] = ["'; drop table law; --", "\" or 1=1 --", "1) or (1=1"];
const HTML: &str = "<script>alert(1)</script>";

/// 信访工作条例 and the fixtures: enough to search.
async fn small_library() -> TestApp {
    spawn_app(&[
        fixtures(),
        corpus_path("行政法规/信访工作条例(2022-02-25).md"),
    ])
    .await
}

/// A JSON user error: status 400 and `{"error": "…"}` with a Chinese message.
async fn assert_api_400(t: &TestApp, uri: &str) -> String {
    let (status, headers, body) = get(&t.router, uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{uri:.200}: {body:.300}");
    let json: Value = serde_json::from_str(&body).unwrap_or_else(|_| {
        panic!(
            "{uri:.200}: not JSON ({:?}): {body:.300}",
            headers.get("content-type")
        )
    });
    let message = json["error"].as_str().unwrap_or_default().to_string();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{uri:.200}: {message}"
    );
    message
}

#[tokio::test]
async fn a_ten_thousand_character_query_is_refused_politely() {
    // Arrange
    let t = small_library().await;
    // Half Chinese, so that the URI stays under the http crate's 64 KiB limit.
    let q = "信a".repeat(5000);
    assert_eq!(q.chars().count(), 10_000);

    // Act
    let message = assert_api_400(&t, &search_uri(&q, "")).await;
    let direct = t.app.search.search(&xuefa::search::SearchRequest {
        q: "信".repeat(10_000),
        ..Default::default()
    });
    let (status, _, page) = get(&t.router, &format!("/search?q={}", enc(&q))).await;

    // Assert
    assert!(message.contains("过长"), "{message}");
    assert!(matches!(
        direct,
        Err(xuefa::search::SearchError::QueryTooLong { .. })
    ));
    assert!(
        status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
        "{status}"
    );
    assert!(page.contains("过长"), "the page says why");
}

/// Status 400 whatever the body.
async fn assert_400(t: &TestApp, uri: &str) {
    let (status, _, body) = get(&t.router, uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body:.300}");
}

/// Query strings the extractor cannot read: no `q`, a negative or non-numeric number.
const UNREADABLE: [&str; 6] = [
    "/api/search",
    "/api/search?q=%E4%BF%A1%E8%AE%BF&limit=-1",
    "/api/search?q=%E4%BF%A1%E8%AE%BF&limit=abc",
    "/api/search?q=%E4%BF%A1%E8%AE%BF&offset=-1",
    "/api/search?q=%E4%BF%A1%E8%AE%BF&offset=1e3",
    "/api/search?q=%E4%BF%A1%E8%AE%BF&all_versions=perhaps",
];

#[tokio::test]
async fn unreadable_query_strings_are_400s() {
    let t = small_library().await;
    for uri in UNREADABLE {
        assert_400(&t, uri).await;
    }
}

#[tokio::test]
async fn unreadable_query_strings_are_json_400s_in_chinese() {
    let t = small_library().await;
    for uri in UNREADABLE {
        assert_api_400(&t, uri).await;
    }
}

#[tokio::test]
async fn empty_and_blank_queries_are_400s() {
    let t = small_library().await;
    assert_400(&t, "/api/search").await;
    for uri in ["/api/search?q=", "/api/search?q=%20%20%E3%80%80"] {
        let message = assert_api_400(&t, uri).await;
        assert!(
            message.contains("搜索内容") || message.contains("参数"),
            "{uri}: {message}"
        );
    }
    let (status, _, page) = get(&t.router, "/search?q=").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an empty search page invites a query"
    );
    assert!(page.contains("请输入"));
}

#[tokio::test]
async fn out_of_range_paging_parameters_are_400s() {
    let t = small_library().await;
    for extra in [
        "&limit=0",
        "&limit=1000",
        "&limit=51",
        "&offset=99999",
        "&offset=1001",
    ] {
        assert_api_400(&t, &search_uri("信访", extra)).await;
    }
    let (status, _, _) = get(&t.router, &search_uri("信访", "&limit=50&offset=1000")).await;
    assert_eq!(status, StatusCode::OK, "the limits themselves are allowed");
    for page in ["-1", "0", "abc", "99999999999999999999"] {
        let (status, _, _) =
            get(&t.router, &format!("/search?q={}&page={page}", enc("信访"))).await;
        assert_eq!(status, StatusCode::OK, "page={page}");
    }
}

#[tokio::test]
async fn sql_and_html_in_any_parameter_are_inert_and_escaped() {
    // Arrange
    let t = small_library().await;
    let before = serde_json::to_value(t.laws().await).unwrap();
    let mut values: Vec<String> = SQL.iter().map(|s| s.to_string()).collect();
    values.push(HTML.into());
    values.push(format!("信访 {HTML}"));

    for value in &values {
        for param in ["q", "law", "category"] {
            let query = match param {
                "q" => format!("q={}", enc(value)),
                other => format!("q={}&{other}={}", enc("信访"), enc(value)),
            };

            // Act
            let (api_status, _, api) = get(&t.router, &format!("/api/search?{query}")).await;
            let (page_status, _, page) = get(&t.router, &format!("/search?{query}")).await;

            // Assert
            assert!(!api_status.is_server_error(), "{query}: {api_status} {api}");
            assert!(!page_status.is_server_error(), "{query}: {page_status}");
            assert!(
                serde_json::from_str::<Value>(&api).is_ok(),
                "{query}: {api}"
            );
            assert!(!page.contains("<script>"), "{query}: raw markup echoed");
            if value.contains('<') {
                assert!(
                    page.contains("&lt;script&gt;"),
                    "{query}: the value is shown escaped"
                );
            }
        }
    }
    assert_eq!(serde_json::to_value(t.laws().await).unwrap(), before);
    let (status, _) = get_json(&t.router, "/api/laws").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_law_filter_is_a_400_naming_it() {
    let t = small_library().await;
    let message = assert_api_400(
        &t,
        &search_uri("信访", &format!("&law={}", enc("不存在的法"))),
    )
    .await;
    assert!(
        message.contains("没有找到名为「不存在的法」的法规"),
        "{message}"
    );
    let (status, _, page) = get(
        &t.router,
        &format!("/search?q={}&law={}", enc("信访"), enc("不存在的法")),
    )
    .await;
    assert!(!status.is_server_error());
    assert!(page.contains("没有找到名为「不存在的法」的法规"));
}

#[tokio::test]
async fn malformed_law_ids_are_404s() {
    let t = small_library().await;
    for id in [
        "abc",
        "-1",
        "0",
        "99999999999999999999",
        "1.5",
        "%E4%BF%A1",
        "1%20or%201=1",
    ] {
        let (status, v) = get_json(&t.router, &format!("/api/laws/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "/api/laws/{id}: {v}");
        assert!(v["error"].is_string());
        let (status, _) = get_json(&t.router, &format!("/api/laws/{id}/articles/1")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "/api/laws/{id}/articles/1");
        let (status, _, page) = get(&t.router, &format!("/laws/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "/laws/{id}");
        assert!(page.contains("404"));
    }
}

#[tokio::test]
async fn malformed_article_numbers_are_400s_or_404s() {
    let t = small_library().await;
    let law_id = t.current("信访工作条例").await.law_id;
    for no in [
        "第零条",
        "0",
        "abc",
        "-1",
        "17-0",
        "之一",
        "99999999999",
        "第一万亿条",
        "%3Cscript%3E",
    ] {
        let uri = format!("/api/laws/{law_id}/articles/{}", enc(&unescape_percent(no)));
        let (status, v) = get_json(&t.router, &uri).await;
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND,
            "{uri}: {status} {v}"
        );
        assert!(v["error"].is_string(), "{uri}: {v}");
    }
}

/// `%3C` → `<`, so that `enc` encodes the value once.
fn unescape_percent(s: &str) -> String {
    s.replace("%3C", "<").replace("%3E", ">")
}

#[tokio::test]
async fn a_binary_file_named_md_in_a_folder_imports_as_a_warning() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bytes = b"# \xE7\xA4\xBA\xE4\xBE\x8B\n\n".to_vec();
    bytes.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    std::fs::write(dir.path().join("坏文件.md"), &bytes).unwrap();
    copy_into(&fixtures().join("示例条例(2021-07-01).txt"), dir.path());

    // Act
    let t = spawn_app(&[dir.path().to_path_buf()]).await;

    // Assert
    assert_eq!(t.report.imported, 1, "{}", t.report);
    assert_eq!(t.report.warnings.len(), 1, "{:?}", t.report.warnings);
    assert!(
        t.report.warnings[0].contains("坏文件.md"),
        "{:?}",
        t.report.warnings
    );
    let titles: Vec<String> = t.laws().await.into_iter().map(|l| l.title).collect();
    assert_eq!(titles, ["示例条例"]);
}
