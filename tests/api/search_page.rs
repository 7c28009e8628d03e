//! The search results page and its JSON twin: level and region facets over the whole result
//! set, the filters they link to, 只看本法, the closest titles when nothing is found, and
//! law-name suggestions while typing.

use std::path::PathBuf;

use axum::http::StatusCode;
use xuefa::search::SearchRequest;

use crate::helpers::*;

/// Two national texts, two provinces' petition regulations and a repealed national one.
fn petitions_fixture() -> Vec<PathBuf> {
    [
        "行政法规/信访工作条例(2022-02-25).md",
        "行政法规/信访条例(2005-01-10).md",
        "DLC/北京地方法规/地方性法规/北京/北京市信访条例.md",
        "DLC/上海地方法规/地方性法规/上海/上海市信访条例(2018-05-24).md",
        "行政法/行政处罚法(2021-01-22).md",
    ]
    .iter()
    .map(|p| corpus_path(p))
    .collect()
}

fn count(facets: &serde_json::Value, kind: &str, value: &str) -> Option<u64> {
    facets[kind]
        .as_array()?
        .iter()
        .find(|c| c["value"] == value)
        .and_then(|c| c["count"].as_u64())
}

#[tokio::test]
async fn facets_count_every_hit_not_just_the_page() {
    // Arrange
    let t = spawn_app(&petitions_fixture()).await;
    let q = "信访事项";

    // Act
    let (status, body) = get_json(&t.router, &search_uri(q, "&limit=1")).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{body}");
    let total = body["total"].as_u64().unwrap();
    let facets = &body["facets"];
    let by_level: u64 = facets["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    let by_region: u64 = facets["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert!(total > 10, "{total}");
    assert_eq!(by_level, total, "{facets}");
    assert_eq!(by_region, total, "{facets}");
    assert_eq!(facets["regions"][0]["value"], "全国", "{facets}");
    assert!(count(facets, "regions", "北京").unwrap() > 0, "{facets}");
    assert!(count(facets, "regions", "上海").unwrap() > 0, "{facets}");
    assert!(
        count(facets, "levels", "地方性法规").unwrap() > 0,
        "{facets}"
    );
    // The current 信访工作条例 and the two provinces' regulations at least (the repealed
    // national one is not current).
    assert!(facets["laws"].as_u64().unwrap() >= 3, "{facets}");
    let (_, spec) = get_json(&t.router, "/api/openapi.json").await;
    assert!(spec["paths"]["/api/suggest"].is_object());
    let params = spec["paths"]["/api/search"]["get"]["parameters"].to_string();
    assert!(
        params.contains("\"level\"") && params.contains("\"region\""),
        "{params}"
    );
}

#[tokio::test]
async fn level_and_region_filters_narrow_to_their_facet_count() {
    // Arrange
    let t = spawn_app(&petitions_fixture()).await;
    let q = "信访事项";
    let (_, all) = get_json(&t.router, &search_uri(q, "")).await;
    let beijing = count(&all["facets"], "regions", "北京").unwrap();
    let local = count(&all["facets"], "levels", "地方性法规").unwrap();

    // Act
    let (_, in_beijing) = get_json(
        &t.router,
        &search_uri(q, &format!("&region={}&limit=50", enc("北京"))),
    )
    .await;
    let (_, in_local) = get_json(
        &t.router,
        &search_uri(q, &format!("&level={}", enc("地方性法规"))),
    )
    .await;
    let (bad, err) = get_json(
        &t.router,
        &search_uri(q, &format!("&level={}", enc("法令"))),
    )
    .await;
    let (bad_region, _) = get_json(
        &t.router,
        &search_uri(q, &format!("&region={}", enc("火星"))),
    )
    .await;

    // Assert
    assert_eq!(in_beijing["total"].as_u64(), Some(beijing));
    assert!(
        in_beijing["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["region"] == "北京" && h["law_title"] == "北京市信访条例")
    );
    assert_eq!(in_beijing["facets"]["laws"], 1);
    // The region choices are counted without the region filter: every province stays offered.
    assert!(count(&in_beijing["facets"], "regions", "上海").is_some());
    assert_eq!(in_local["total"].as_u64(), Some(local));
    assert!(local < all["total"].as_u64().unwrap());
    assert_eq!(bad, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("法规层级"), "{err}");
    assert_eq!(bad_region, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_page_groups_hits_by_law_and_links_facets_and_only_this_law() {
    // Arrange
    let t = spawn_app(&petitions_fixture()).await;

    // Act
    let (status, _, html) = get(&t.router, "/search?q=%E4%BF%A1%E8%AE%BF%E4%BA%8B%E9%A1%B9").await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let summary = regex_like(&html, "条，来自 ", " 部法规");
    assert!(summary.is_some(), "no “N 条，来自 M 部法规”");
    let links: Vec<String> = hrefs(&html).into_iter().map(|h| unescape(&h)).collect();
    let region_link = links
        .iter()
        .find(|h| h.contains("region=%E5%8C%97%E4%BA%AC"))
        .unwrap_or_else(|| panic!("no 北京 facet link: {links:?}"));
    assert!(
        region_link.contains("q=%E4%BF%A1%E8%AE%BF"),
        "keeps the query: {region_link}"
    );
    assert!(
        links.iter().any(|h| h.contains("level=%E5%9C%B0%E6%96%B9")),
        "no 地方性法规 link"
    );
    assert!(html.contains("只看本法"));
    let only = links
        .iter()
        .find(|h| h.contains("law=") && h.starts_with("/search?"))
        .expect("只看本法 link")
        .clone();

    // Act: follow 只看本法 and the facet.
    let (status, _, within) = get(&t.router, &only).await;
    let (_, _, beijing) = get(&t.router, region_link).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(within.contains("来自 1 部法规"), "只看本法 keeps one law");
    assert!(
        within.contains("法规："),
        "the law filter is shown as a chip"
    );
    assert!(beijing.contains("地区：北京"));
    assert!(beijing.contains("来自 1 部法规"));
}

#[tokio::test]
async fn a_search_that_finds_nothing_offers_the_closest_law_titles() {
    // Arrange
    let t = spawn_app(&petitions_fixture()).await;
    // A quoted phrase must occur verbatim: a mistyped title in quotes finds nothing.
    let q = "\"信访工作条列\"";
    let none = t.app.search.search(&SearchRequest {
        q: q.into(),
        ..SearchRequest::default()
    });
    assert_eq!(
        none.map(|r| r.total).ok(),
        Some(0),
        "the fixture has no such phrase"
    );
    let petitions = t.current("信访工作条例").await;

    // Act
    let (status, _, html) = get(&t.router, &format!("/search?q={}", enc(q))).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("未找到相关条文"));
    assert!(html.contains("您要找的是不是这些法规"), "{html}");
    let first = html
        .find("class=\"choices closest\"")
        .expect("closest list");
    let link = format!("/laws/{}", petitions.law_id);
    assert!(
        html[first..].find(&link).is_some(),
        "links the current 信访工作条例"
    );
    assert!(html[first..].contains("《信访工作条例》"));
}

#[tokio::test]
async fn suggestions_put_national_laws_in_force_first_and_stop_at_eight() {
    // Arrange
    let t = spawn_app(&petitions_fixture()).await;
    let petitions = t.current("信访工作条例").await;

    // Act
    let (status, body) = get_json(&t.router, &format!("/api/suggest?q={}", enc("信访"))).await;
    let (_, infix) = get_json(&t.router, &format!("/api/suggest?q={}", enc("处罚"))).await;
    let (_, empty) = get_json(&t.router, "/api/suggest?q=").await;
    let (_, nothing) = get_json(&t.router, &format!("/api/suggest?q={}", enc("天气"))).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let titles: Vec<&str> = body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    // National in force, then the provinces (in either order), then repealed.
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert_eq!(
        (titles[0], titles[3]),
        ("信访工作条例", "信访条例"),
        "{titles:?}"
    );
    let mut provinces = titles[1..3].to_vec();
    provinces.sort();
    assert_eq!(
        provinces,
        ["上海市信访条例", "北京市信访条例"],
        "{titles:?}"
    );
    assert_eq!(body[0]["law_id"], petitions.law_id);
    assert_eq!(body[0]["level"], "行政法规");
    let region_of = |title: &str| {
        body.as_array()
            .unwrap()
            .iter()
            .find(|s| s["title"] == title)
            .map(|s| s["region"].clone())
    };
    assert_eq!(region_of("北京市信访条例"), Some(serde_json::json!("北京")));
    assert_eq!(infix[0]["title"], "中华人民共和国行政处罚法");
    assert_eq!(empty, serde_json::json!([]));
    assert_eq!(nothing, serde_json::json!([]));
    let long = "法".repeat(300);
    let (status, many) = get_json(&t.router, &format!("/api/suggest?q={}", enc("条"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(many.as_array().unwrap().len() <= 8);
    let (status, _) = get_json(&t.router, &format!("/api/suggest?q={}", enc(&long))).await;
    assert_eq!(status, StatusCode::OK);
}

/// The text between `before` and `after` in `html`, if both occur in that order.
fn regex_like<'a>(html: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let start = html.find(before)? + before.len();
    let len = html[start..].find(after)?;
    Some(&html[start..start + len])
}
