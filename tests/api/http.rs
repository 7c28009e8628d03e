//! The HTTP surface: every API route's status and JSON shape, the Chinese pages and their
//! links, security headers, compression and not-found answers.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::helpers::*;

/// 示例管理法 in two versions, 信访工作条例 and the fixtures' other laws.
async fn library() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("法律")).unwrap();
    let old = dir.path().join("法律/示例管理法(2018-06-30).md");
    let text = std::fs::read_to_string(fixtures().join("示例管理法(2023-05-01).md")).unwrap();
    std::fs::write(
        &old,
        text.replace("第二条之一 示例事务管理遵循公开、便民的原则。\n", ""),
    )
    .unwrap();
    let t = spawn_app(&[
        fixtures(),
        old,
        corpus_path("行政法规/信访工作条例(2022-02-25).md"),
    ])
    .await;
    drop(dir);
    t
}

#[tokio::test]
async fn healthz_answers_ok() {
    let t = spawn_app(&[]).await;
    let (status, _, body) = get(&t.router, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn api_search_returns_the_contract_fields() {
    // Arrange
    let t = library().await;

    // Act
    let (status, headers, body) = get(&t.router, &search_uri("信访事项 期限", "&limit=5")).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    has_fields(&v, &["total", "took_ms", "hits"]);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert!(v["total"].as_u64().unwrap() >= 5);
    for hit in hits {
        has_fields(hit, &HIT_FIELDS);
        assert_eq!(hit["law_title"], "信访工作条例");
        assert!(hit["article_label"].as_str().unwrap().starts_with('第'));
    }
    let (_, reference) = get_json(&t.router, &search_uri("信访工作条例第十七条", "")).await;
    assert_eq!(reference["hits"][0]["article_label"], "第十七条");
    assert_eq!(reference["hits"][0]["article_no"], 17);
}

#[tokio::test]
async fn api_laws_lists_every_version_with_its_metadata() {
    // Arrange
    let t = library().await;

    // Act
    let (status, all) = get_json(&t.router, "/api/laws").await;
    let (_, current) = get_json(&t.router, "/api/laws?current=true").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), t.laws().await.len());
    for law in all {
        has_fields(law, &LAW_FIELDS);
        assert!(law["current"].is_boolean());
    }
    let versions: Vec<&Value> = all.iter().filter(|l| l["title"] == "示例管理法").collect();
    assert_eq!(versions.len(), 2);
    assert_eq!(current.as_array().unwrap().len(), all.len() - 1);
    let petitions = all.iter().find(|l| l["title"] == "信访工作条例").unwrap();
    assert_eq!(
        (
            petitions["articles"].as_i64(),
            petitions["current"].as_bool()
        ),
        (Some(50), Some(true))
    );
}

#[tokio::test]
async fn api_law_gives_metadata_table_of_contents_and_versions() {
    // Arrange
    let t = library().await;
    let law = t.current("示例管理法").await;

    // Act
    let (status, v) = get_json(&t.router, &format!("/api/laws/{}", law.law_id)).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    has_fields(&v, &["law", "events", "toc", "versions"]);
    assert_eq!(v["law"]["title"], "示例管理法");
    assert_eq!(v["law"]["law_id"], law.law_id);
    let toc = v["toc"].as_array().unwrap();
    let labels: Vec<&str> = toc.iter().map(|e| e["label"].as_str().unwrap()).collect();
    assert!(
        labels.starts_with(&[
            "第一编",
            "第一章",
            "第二章",
            "第一节",
            "第二节",
            "第二编",
            "第三章"
        ]),
        "{labels:?}"
    );
    assert_eq!(toc[0]["level"], 1);
    assert_eq!(toc[0]["first_article_no"], 1);
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["current"], true, "newest first");
    assert_eq!(versions[0]["is_this"], true);
    assert!(!v["events"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn api_article_accepts_every_way_of_writing_the_number() {
    // Arrange
    let t = library().await;
    let petitions = t.current("信访工作条例").await.law_id;
    let sample = t.current("示例管理法").await.law_id;

    for (law_id, no, label) in [
        (petitions, "17", "第十七条"),
        (petitions, "第十七条", "第十七条"),
        (petitions, "第17条", "第十七条"),
        (sample, "2-1", "第二条之一"),
        (sample, "第二条之一", "第二条之一"),
    ] {
        // Act
        let uri = format!("/api/laws/{law_id}/articles/{}", enc(no));
        let (status, v) = get_json(&t.router, &uri).await;

        // Assert
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        has_fields(
            &v,
            &[
                "law_id",
                "law_title",
                "version_date",
                "label",
                "anchor",
                "text",
                "paragraphs",
            ],
        );
        assert_eq!(
            (v["law_id"].as_i64(), v["label"].as_str()),
            (Some(law_id), Some(label)),
            "{uri}"
        );
    }
    let (_, v) = get_json(&t.router, &format!("/api/laws/{sample}/articles/2")).await;
    let kinds: Vec<&str> = v["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["kuan", "xiang", "xiang", "mu", "mu", "xiang", "kuan"]
    );
}

#[tokio::test]
async fn unknown_laws_and_articles_are_json_404s() {
    // Arrange
    let t = library().await;
    let law_id = t.current("信访工作条例").await.law_id;

    for uri in [
        "/api/laws/999999".to_string(),
        "/api/laws/999999/articles/1".to_string(),
        format!("/api/laws/{law_id}/articles/51"),
        format!("/api/laws/{law_id}/articles/17-1"),
    ] {
        // Act
        let (status, v) = get_json(&t.router, &uri).await;

        // Assert
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            v["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{uri}: {v}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_names_the_four_paths() {
    let t = spawn_app(&[]).await;
    let (status, v) = get_json(&t.router, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v["openapi"].as_str().unwrap().starts_with('3'));
    let paths = v["paths"].as_object().unwrap();
    for p in [
        "/api/search",
        "/api/laws",
        "/api/laws/{law_id}",
        "/api/laws/{law_id}/articles/{no}",
    ] {
        assert!(
            paths.contains_key(p),
            "{p} not in {:?}",
            paths.keys().collect::<Vec<_>>()
        );
    }
}

#[tokio::test]
async fn pages_render_in_chinese_with_links_to_laws_and_search() {
    // Arrange
    let t = library().await;
    let petitions = t.current("信访工作条例").await.law_id;

    // Act
    let (home_status, home_headers, home) = get(&t.router, "/").await;
    let (_, _, laws) = get(&t.router, "/laws").await;
    let (_, _, regulations) = get(&t.router, &format!("/laws?category={}", enc("行政法规"))).await;
    let (search_status, _, results) = get(
        &t.router,
        &format!("/search?q={}", enc("信访工作条例第十七条")),
    )
    .await;
    let (_, _, css) = get(&t.router, "/static/app.css").await;

    // Assert
    assert_eq!(
        (home_status, search_status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert!(
        home_headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(home.contains(r#"<html lang="zh-CN">"#) && home.contains("法规条文检索"));
    assert!(home.contains(r#"action="/search""#));
    assert!(
        hrefs(&laws).contains(&format!("/laws?category={}", enc("行政法规"))),
        "{laws}"
    );
    assert!(
        hrefs(&regulations).contains(&format!("/laws/{petitions}"))
            && regulations.contains("信访工作条例")
    );
    assert!(
        hrefs(&results).contains(&format!("/laws/{petitions}?art=art-17#art-17")),
        "{results}"
    );
    assert!(results.contains("第十七条") && results.contains(" 条，来自 "));
    assert!(!css.is_empty());
}

#[tokio::test]
async fn a_law_page_has_article_anchors_a_contents_and_its_other_versions() {
    // Arrange
    let t = library().await;
    let versions = t.versions("示例管理法").await;
    let (old, new) = (versions[0].law_id, versions[1].law_id);
    let petitions = t.current("信访工作条例").await.law_id;

    // Act
    let (status, _, page) = get(&t.router, &format!("/laws/{new}")).await;
    let (_, _, old_page) = get(&t.router, &format!("/laws/{old}")).await;
    let (_, _, long) = get(&t.router, &format!("/laws/{petitions}")).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>示例管理法</h1>") && page.contains("现行有效"));
    for anchor in [r#"id="art-1""#, r#"id="art-2-1""#, r#"id="art-7""#] {
        assert!(page.contains(anchor), "{anchor}");
    }
    assert!(page.contains("目录") && hrefs(&page).contains(&"#h-0".to_string()));
    assert!(
        hrefs(&page).contains(&format!("/laws/{old}")),
        "links the old version"
    );
    assert!(old_page.contains("历史版本") && hrefs(&old_page).contains(&format!("/laws/{new}")));
    assert!(!old_page.contains(r#"id="art-2-1""#));
    for n in 1..=50 {
        assert!(long.contains(&format!(r#"id="art-{n}""#)), "art-{n}");
    }
}

#[tokio::test]
async fn pages_and_api_send_security_headers() {
    let t = library().await;
    for uri in [
        "/",
        "/laws",
        "/search?q=%E4%BF%A1%E8%AE%BF",
        "/api/laws",
        "/api/laws/999999",
        "/no/such/page",
    ] {
        let (_, headers, _) = get(&t.router, uri).await;
        let csp = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(
            headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{uri}"
        );
        assert!(headers.contains_key(header::REFERRER_POLICY), "{uri}");
    }
}

#[tokio::test]
async fn responses_are_gzipped_when_the_client_accepts_it() {
    // Arrange
    let t = library().await;
    for uri in ["/api/laws", "/laws"] {
        let req = Request::get(uri)
            .header(header::ACCEPT_ENCODING, "gzip")
            .body(Body::empty())
            .unwrap();

        // Act
        let (status, headers, body) = request_bytes(&t.router, req).await;

        // Assert
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            Some("gzip"),
            "{uri}"
        );
        assert_eq!(&body[..2], &[0x1f, 0x8b], "{uri}: gzip magic");
    }
    let (_, plain, _) = get(&t.router, "/api/laws").await;
    assert!(plain.get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn an_unknown_page_is_a_chinese_404_page() {
    let t = spawn_app(&[]).await;
    for uri in ["/no/such/page", "/laws/999999", "/laws/abc"] {
        let (status, headers, body) = get(&t.router, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{uri}"
        );
        assert!(body.contains("404") && body.contains("返回首页"), "{uri}");
    }
}
