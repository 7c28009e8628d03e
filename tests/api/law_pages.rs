//! Law pages under load and on a phone: the biggest laws come in parts whose first response
//! stays under 60 KB gzipped, every article stays one link away (old `#art-N` links too),
//! pages and static files answer 304 to a browser that holds them.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::accounts_support::admin_session;
use crate::helpers::*;

/// The largest law texts of the corpus, and the 民法典 (one law over eight files).
fn biggest_laws(n: usize) -> Vec<PathBuf> {
    let mut files: Vec<(u64, PathBuf)> = walk(&corpus())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.len(), p)))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    let mut paths: Vec<PathBuf> = files.into_iter().take(n).map(|(_, p)| p).collect();
    paths.push(corpus_path("民法典"));
    paths
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn gzipped_len(body: &str) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).expect("gzip");
    gz.finish().expect("gzip").len()
}

/// The `id="art-…"` anchors of a page, articles and index stubs alike.
fn article_ids(html: &str) -> Vec<String> {
    html.split("id=\"art-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| format!("art-{s}"))
        .collect()
}

/// The `?part=N` links of a page.
fn part_links(html: &str) -> HashSet<usize> {
    hrefs(html)
        .iter()
        .filter_map(|h| h.split("?part=").nth(1)?.split('#').next()?.parse().ok())
        .collect()
}

#[tokio::test]
async fn every_part_of_the_biggest_laws_is_under_60_kb_gzipped_and_holds_every_article_once() {
    // Arrange
    let t = spawn_app(&biggest_laws(8)).await;
    let laws = t.laws().await;
    assert!(laws.len() >= 8, "{} laws imported", laws.len());
    let civil = t.current("中华人民共和国民法典").await;

    for law in &laws {
        // Act: the first response, then every part it links to.
        let (status, _, first) = get(&t.router, &format!("/laws/{}", law.law_id)).await;
        assert_eq!(status, StatusCode::OK, "{}", law.title);
        let mut parts = vec![first.clone()];
        let mut numbers: Vec<usize> = part_links(&first).into_iter().filter(|&n| n > 1).collect();
        numbers.sort_unstable();
        for n in &numbers {
            let (status, _, page) = get(&t.router, &format!("/laws/{}?part={n}", law.law_id)).await;
            assert_eq!(status, StatusCode::OK, "{} part {n}", law.title);
            parts.push(page);
        }

        // Assert: each response is small; each article is shown in exactly one part and
        // every other part has its anchor (a stub linking to it).
        for (i, page) in parts.iter().enumerate() {
            let kb = gzipped_len(page) as f64 / 1024.0;
            assert!(
                kb < 60.0,
                "{} part {}: {kb:.1} KB gzipped",
                law.title,
                i + 1
            );
        }
        let shown: Vec<String> = parts
            .iter()
            .flat_map(|p| {
                p.split("<section class=\"article\" id=\"")
                    .skip(1)
                    .filter_map(|s| s.split('"').next().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .collect();
        let unique: HashSet<&String> = shown.iter().collect();
        assert_eq!(
            unique.len(),
            shown.len(),
            "{}: an article shown twice",
            law.title
        );
        assert!(
            shown.len() as i64 >= law.articles,
            "{}: {} shown",
            law.title,
            shown.len()
        );
        let first_ids: HashSet<String> = article_ids(&first).into_iter().collect();
        for anchor in &shown {
            assert!(
                first_ids.contains(anchor),
                "{}: no {anchor} on part 1",
                law.title
            );
        }
    }
    let (_, _, civil_page) = get(&t.router, &format!("/laws/{}", civil.law_id)).await;
    assert!(
        part_links(&civil_page).len() >= 5,
        "the 民法典 is read in parts"
    );
}

#[tokio::test]
async fn an_old_link_to_an_article_of_a_long_law_is_one_tap_from_it_and_search_links_its_part() {
    // Arrange
    let t = spawn_app(&[corpus_path("民法典")]).await;
    let civil = t.current("中华人民共和国民法典").await.law_id;
    let article = r#"<section class="article" id="art-1079">"#;

    // Act: the old link lands on part 1; the search hit names the article.
    let (_, _, first) = get(&t.router, &format!("/laws/{civil}")).await;
    let stub = first
        .split(r#"id="art-1079" href=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(unescape)
        .expect("part 1 has an anchor for 第1079条");
    let (_, _, target) = get(&t.router, &format!("/laws/{civil}{stub}")).await;
    let (_, _, by_article) = get(&t.router, &format!("/laws/{civil}?art=art-1079")).await;
    let (_, _, results) = get(
        &t.router,
        &format!("/search?q={}", enc("民法典第一千零七十九条")),
    )
    .await;

    // Assert
    assert!(!first.contains(article), "第1079条 is not in part 1");
    assert!(
        stub.starts_with("?part=") && stub.ends_with("#art-1079"),
        "{stub}"
    );
    assert!(
        target.contains(article),
        "the stub's part holds the article"
    );
    assert!(by_article.contains(article), "?art= picks the part");
    let hit = format!("/laws/{civil}?art=art-1079#art-1079");
    assert!(
        hrefs(&results).contains(&hit),
        "search links the article's part"
    );
    let (status, _, _) = get(&t.router, &format!("/laws/{civil}?part=99")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_law_page_answers_304_to_its_etag_or_date_and_comes_gzipped_when_asked() {
    // Arrange
    let t = spawn_app(&[corpus_path("行政法规/信访工作条例(2022-02-25).md")]).await;
    let id = t.current("信访工作条例").await.law_id;
    let uri = format!("/laws/{id}");
    let (status, headers, plain) = get(&t.router, &uri).await;
    let etag = headers[header::ETAG].to_str().expect("etag").to_string();
    let modified = headers[header::LAST_MODIFIED]
        .to_str()
        .expect("date")
        .to_string();
    let with = |name: header::HeaderName, value: &str| {
        Request::get(&uri)
            .header(name, value)
            .body(Body::empty())
            .expect("request")
    };

    // Act
    let (by_tag, _, empty) = request(&t.router, with(header::IF_NONE_MATCH, &etag)).await;
    let (by_date, _, _) = request(&t.router, with(header::IF_MODIFIED_SINCE, &modified)).await;
    let (stale, _, _) = request(&t.router, with(header::IF_NONE_MATCH, "\"other\"")).await;
    let (_, gz_headers, gz) = request_bytes(&t.router, with(header::ACCEPT_ENCODING, "gzip")).await;
    let admin = {
        let a = spawn_accounts_app().await;
        // A signed-in page is the same law with a personal header: another tag.
        let s = admin_session(&a).await;
        a.import(&[corpus_path("行政法规/信访工作条例(2022-02-25).md")])
            .await;
        let id = a.current("信访工作条例").await.law_id;
        let req = Request::get(format!("/laws/{id}"))
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .expect("request");
        request(&a.router, req).await
    };

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (by_tag, by_date),
        (StatusCode::NOT_MODIFIED, StatusCode::NOT_MODIFIED)
    );
    assert!(empty.is_empty());
    assert_eq!(stale, StatusCode::OK);
    assert_eq!(gz_headers[header::CONTENT_ENCODING], "gzip");
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped)
        .expect("gunzip");
    assert_eq!(unzipped, plain);
    let (signed_status, signed_headers, signed) = admin;
    assert_eq!(signed_status, StatusCode::OK);
    assert!(signed.contains("退出") && signed.contains("信访工作条例"));
    assert_ne!(
        signed_headers[header::ETAG].to_str().ok(),
        Some(etag.as_str())
    );
    assert!(signed_headers.get(header::LAST_MODIFIED).is_none());
}

#[tokio::test]
async fn a_cached_law_page_follows_the_import_of_a_newer_version() {
    // Arrange: the 2018 text shown (and so cached).
    let dir = tempfile::tempdir().expect("dir");
    let text =
        std::fs::read_to_string(fixtures().join("示例管理法(2023-05-01).md")).expect("fixture");
    let old = dir.path().join("示例管理法(2018-06-30).md");
    std::fs::write(&old, &text).expect("write");
    let t = spawn_app(&[old]).await;
    let id = t.current("示例管理法").await.law_id;
    let (_, before_headers, before) = get(&t.router, &format!("/laws/{id}")).await;

    // Act
    t.import(&[fixtures().join("示例管理法(2023-05-01).md")])
        .await;
    let (_, after_headers, after) = get(&t.router, &format!("/laws/{id}")).await;

    // Assert
    assert!(before.contains("现行有效") && !before.contains("您正在查看"));
    assert!(
        after.contains("您正在查看<strong>历史版本</strong>"),
        "{after:.3000}"
    );
    assert_ne!(before_headers[header::ETAG], after_headers[header::ETAG]);
}

#[tokio::test]
async fn static_files_have_versioned_urls_long_lifetimes_etags_and_a_chinese_404() {
    // Arrange
    let t = spawn_app(&[]).await;
    let (_, _, home) = get(&t.router, "/").await;
    let css = hrefs(&home)
        .into_iter()
        .find(|h| h.starts_with("/static/app.css?v="))
        .expect("the page links the versioned stylesheet");

    // Act
    let (status, headers, body) = get(&t.router, &css).await;
    let etag = headers[header::ETAG].to_str().expect("etag").to_string();
    let req = Request::get(&css)
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .expect("request");
    let (revalidated, _, _) = request(&t.router, req).await;
    let (_, plain_headers, _) = get(&t.router, "/static/app.css").await;
    let (missing, _, missing_page) = get(&t.router, "/static/nope.js").await;
    let (outside, _, _) = get(&t.router, "/static/../Cargo.toml").await;
    let (_, script_headers, script) = get(&t.router, "/static/law.js").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("body{"), "{body:.200}");
    assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap_or("")
            .contains("immutable")
    );
    assert_eq!(revalidated, StatusCode::NOT_MODIFIED);
    assert_eq!(plain_headers[header::CACHE_CONTROL], "public, no-cache");
    assert_eq!(missing, StatusCode::NOT_FOUND);
    assert!(
        missing_page.contains("要找的文件不存在"),
        "{missing_page:.500}"
    );
    assert_eq!(outside, StatusCode::NOT_FOUND);
    assert_eq!(
        script_headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert!(script.contains("art-index"));
}
