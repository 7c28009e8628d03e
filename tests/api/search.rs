//! Search out: references, topics, synonyms, phrases, the legal hierarchy and regions,
//! filters, paging and snippets, on a realistic part of the shared corpus.

use std::collections::BTreeSet;

use xuefa::app::App;
use xuefa::search::{SearchRequest, SearchResults};

use crate::helpers::*;

/// The position of 《title》label among the first `n` hits of `q`.
fn rank_of(app: &App, q: &str, title: &str, label: &str, n: usize) -> Option<usize> {
    let hits = find(app, req(q, n)).hits;
    hits.iter()
        .position(|h| h.law_title == title && h.article_label == label)
}

fn titles(r: &SearchResults) -> BTreeSet<String> {
    r.hits.iter().map(|h| h.law_title.clone()).collect()
}

const PETITIONS: &str = "信访工作条例";
const PENALTIES: &str = "中华人民共和国行政处罚法";
const CIVIL_CODE: &str = "中华人民共和国民法典";

#[tokio::test]
async fn direct_references_rank_the_article_first_in_every_form() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    let cases = [
        ("信访工作条例第十七条", PETITIONS, "第十七条"),
        ("信访工作条例 第17条", PETITIONS, "第十七条"),
        ("《信访工作条例》第十七条", PETITIONS, "第十七条"),
        ("行政处罚法 第36条", PENALTIES, "第三十六条"),
        ("处罚法第三十六条", PENALTIES, "第三十六条"),
        ("民法典1079条", CIVIL_CODE, "第一千零七十九条"),
        (
            "《中华人民共和国民法典》第一千零七十九条",
            CIVIL_CODE,
            "第一千零七十九条",
        ),
    ];

    for (q, title, label) in cases {
        // Act
        let results = find(&t.app, req(q, 10));

        // Assert
        let first = results
            .hits
            .first()
            .unwrap_or_else(|| panic!("{q}: no hits"));
        let found = (first.law_title.as_str(), first.article_label.as_str());
        assert_eq!(found, (title, label), "{q}");
        assert!(first.current, "{q}: the current version");
        assert_eq!(first.anchor, format!("art-{}", first.article_no));
    }
    let petitions = t.current(PETITIONS).await;
    let first = &find(&t.app, req("信访工作条例第十七条", 1)).hits[0];
    assert_eq!((first.law_id, first.article_no), (petitions.law_id, 17));
    assert!(
        first
            .text
            .starts_with("公民、法人或者其他组织可以采用信息网络")
    );
}

#[tokio::test]
async fn a_reference_followed_by_keywords_searches_within_that_law() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act
    let results = find(&t.app, req("民法典1079条 离婚", 10));

    // Assert
    let hits = &results.hits;
    assert_eq!(hits[0].article_label, "第一千零七十九条");
    assert!(hits.len() > 1, "{:?}", show(hits));
    assert!(
        hits.iter().all(|h| h.law_title == CIVIL_CODE),
        "{:?}",
        show(hits)
    );
    assert!(
        hits[1..].iter().all(|h| h.text.contains("离婚")),
        "{:?}",
        show(hits)
    );
    let unique: BTreeSet<_> = keys(hits).into_iter().collect();
    assert_eq!(
        unique.len(),
        hits.len(),
        "the referenced article is listed once"
    );
}

#[tokio::test]
async fn topical_queries_find_the_governing_article_near_the_top() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    let app = &t.app;

    // Act + Assert: 信访工作条例 第三十四条 is the 60-day rule for handling a petition.
    let rule = find(
        app,
        SearchRequest {
            law: Some(PETITIONS.into()),
            ..req("第三十四条", 1)
        },
    );
    assert!(rule.hits[0].text.contains("应当自受理之日起60日内办结"));
    assert_eq!(
        rank_of(app, "信访事项 办理期限", PETITIONS, "第三十四条", 5),
        Some(0)
    );
    assert!(rank_of(app, "信访事项受理期限", PETITIONS, "第三十四条", 5).is_some());
    // 行政复议法 第二十条: 六十日 to apply for reconsideration.
    let reconsideration = "中华人民共和国行政复议法";
    let apply = rank_of(app, "行政复议 申请期限", reconsideration, "第二十条", 5);
    assert!(
        apply.is_some(),
        "{:?}",
        show(&find(app, req("行政复议 申请期限", 5)).hits)
    );
    // The lexicon maps 拆迁补偿 to 征收补偿/补偿安置.
    let expropriation = find(app, req("拆迁补偿", 5));
    assert!(
        titles(&expropriation).contains("国有土地上房屋征收与补偿条例"),
        "{:?}",
        show(&expropriation.hits)
    );
}

#[tokio::test]
async fn a_run_together_query_finds_what_the_spaced_query_finds() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act
    let joined = find(&t.app, req("信访事项受理期限", 50));
    let spaced = find(&t.app, req("信访事项 受理 期限", 50));

    // Assert
    // The same words are found; only the proximity of words typed together ranks differently.
    assert!(joined.total > 0);
    assert_eq!(joined.total, spaced.total);
    let set = |r: &SearchResults| keys(&r.hits).into_iter().collect::<BTreeSet<_>>();
    let shared = set(&joined).intersection(&set(&spaced)).count();
    assert!(shared >= 40, "{shared} of the first 50 shared");
}

#[tokio::test]
async fn colloquial_words_find_the_statutory_words_through_the_lexicon() {
    // Arrange
    let t = spawn_app(&search_subset()).await;

    // Act
    let results = find(&t.app, req("低保", 10));

    // Assert: 低保 never occurs in the statutes; 最低生活保障 does.
    assert!(results.total >= 10, "{}", results.total);
    for h in &results.hits {
        let found = format!("{}{}", h.law_title, h.text);
        assert!(
            found.contains("最低生活保障"),
            "{}: {}",
            h.law_title,
            h.text
        );
    }
    assert!(
        results.hits.iter().any(|h| h.snippet.contains("<em>")),
        "matches are marked"
    );
}

#[tokio::test]
async fn a_quoted_phrase_returns_only_texts_that_contain_it_literally() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    let phrase = "六十日";
    let q = format!("\"{phrase}\"");

    // Act
    let first = find(&t.app, req(&q, 50));
    let mut hits = first.hits.clone();
    for offset in (50..first.total).step_by(50) {
        hits.extend(
            find(
                &t.app,
                SearchRequest {
                    offset: Some(offset),
                    ..req(&q, 50)
                },
            )
            .hits,
        );
    }

    // Assert
    assert_eq!(hits.len(), first.total);
    for h in &hits {
        let found = [&h.text, &h.law_title, &h.heading]
            .iter()
            .any(|s| s.contains(phrase));
        assert!(found, "《{}》{}: {}", h.law_title, h.article_label, h.text);
    }
    // Every current article that says 六十日 (other provinces' ones ranked after the rest).
    let literal: i64 = sqlx::query_scalar(
        "select count(*) from article a join law l on l.law_id = a.law_id \
         where l.is_current = 1 and a.text like $1",
    )
    .bind(format!("%{phrase}%"))
    .fetch_one(&t.app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        first.total as i64, literal,
        "every literal occurrence is found"
    );
}

#[tokio::test]
async fn national_texts_come_before_other_provinces_and_the_home_region_is_searched() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    let beijing = "北京市信访条例";

    // Act
    let plain = find(&t.app, req("信访 受理", 10));
    let named = find(&t.app, req("北京 信访 受理", 10));
    let volunteers = find(&t.app, req("志愿服务", 50));

    // Assert
    assert!(!titles(&plain).contains(beijing), "{:?}", show(&plain.hits));
    assert_eq!(
        plain.hits[0].law_title,
        PETITIONS,
        "{:?}",
        show(&plain.hits)
    );
    assert!(titles(&named).contains(beijing), "{:?}", show(&named.hits));
    let order: Vec<&str> = volunteers
        .hits
        .iter()
        .map(|h| h.law_title.as_str())
        .collect();
    assert!(
        order.contains(&"重庆市志愿服务条例"),
        "home region admitted: {order:?}"
    );
    assert!(
        !order.contains(&"北京市志愿服务促进条例"),
        "other province not named: {order:?}"
    );
    let first_local = order.iter().position(|t| t.starts_with("重庆"));
    let national = order.iter().position(|t| *t == "志愿服务条例");
    assert!(
        national < first_local,
        "national 志愿服务条例 first: {order:?}"
    );
}

#[tokio::test]
async fn filters_by_law_and_category_keep_only_matching_articles() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    // A category is the folder relative to the imported path (here `地方性法规/重庆`), any of
    // its ancestors, or a level.
    let chongqing = t.current("重庆市安全生产条例").await.category;
    let beijing = t.current("北京市安全生产条例").await.category;
    let filtered = |q: &str, law: Option<&str>, category: Option<&str>| {
        let law = law.map(Into::into);
        find(
            &t.app,
            SearchRequest {
                law,
                category: category.map(Into::into),
                ..req(q, 50)
            },
        )
    };

    // Act
    let by_law = filtered("期限", Some("处罚法"), None);
    let by_folder = filtered("安全 生产", None, Some(&chongqing));
    let by_parent = filtered("安全 生产", None, Some("地方性法规"));
    let by_level = filtered("安全 生产", None, Some("法律"));
    let other_province = filtered("安全 生产", None, Some(&beijing));
    let everything = filtered("安全 生产", None, None);

    // Assert
    assert_eq!(titles(&by_law), BTreeSet::from([PENALTIES.to_string()]));
    assert!(by_folder.total > 0, "{chongqing}");
    assert!(
        titles(&by_folder).iter().all(|t| t.starts_with("重庆")),
        "{:?}",
        titles(&by_folder)
    );
    assert!(by_parent.hits.iter().all(|h| h.level == "地方性法规"));
    assert!(by_level.total > 0 && by_level.hits.iter().all(|h| h.level == "法律"));
    let beijing_titles = titles(&other_province);
    assert!(
        other_province.total > 0,
        "a chosen category admits its province"
    );
    assert!(
        beijing_titles.iter().all(|t| t.starts_with("北京")),
        "{beijing_titles:?}"
    );
    assert!(by_folder.total < everything.total && by_level.total < everything.total);
    assert!(by_parent.total >= by_folder.total + other_province.total);
}

/// `n` pages of `size` hits, and one page as long as all of them.
fn pages(app: &App, q: &str, size: usize, n: usize) -> (Vec<SearchResults>, SearchResults) {
    let page = |offset, limit| {
        find(
            app,
            SearchRequest {
                offset: Some(offset),
                ..req(q, limit)
            },
        )
    };
    (
        (0..n).map(|i| page(i * size, size)).collect(),
        page(0, size * n),
    )
}

#[tokio::test]
async fn pages_are_disjoint_and_together_equal_one_long_page() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    for q in ["信访", "民法典1079条 离婚"] {
        // Act
        let (pages, long) = pages(&t.app, q, 7, 3);

        // Assert
        let all: Vec<_> = pages.iter().flat_map(|p| keys(&p.hits)).collect();
        let unique: BTreeSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "{q}: pages overlap");
        assert_eq!(all, keys(&long.hits), "{q}");
    }
}

#[tokio::test]
async fn every_page_of_a_reference_query_is_full_and_reports_the_same_total() {
    // Arrange
    let t = spawn_app(&[corpus_path("民法典")]).await;

    // Act: 第一千零七十九条 is both the reference and a match for 离婚.
    let (pages, long) = pages(&t.app, "民法典1079条 离婚", 7, 3);

    // Assert
    let totals: Vec<usize> = pages.iter().map(|p| p.total).collect();
    assert_eq!(totals, [long.total; 3], "one total on every page");
    assert_eq!(pages[0].hits.len(), 7, "{:?}", show(&pages[0].hits));
}

#[tokio::test]
async fn snippets_mark_matches_and_escape_the_text() {
    // Arrange
    let t = spawn_app(&[fixtures_dir("search")]).await;

    // Act
    let results = find(&t.app, req("标记 转义", 10));

    // Assert
    let (text, snippet) = (&results.hits[0].text, &results.hits[0].snippet);
    assert!(
        text.contains("<b>") && text.contains("<script>"),
        "the fixture holds markup"
    );
    assert!(snippet.contains("<em>"), "{snippet}");
    assert!(
        !snippet.contains("<b>") && !snippet.contains("<script"),
        "{snippet}"
    );
    assert!(
        snippet.contains("&lt;b&gt;") || snippet.contains("&lt;script&gt;"),
        "{snippet}"
    );
}
