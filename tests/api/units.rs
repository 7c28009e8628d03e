//! Texts without `第N条` articles: 修正案 and 决定 numbered `一、` `二、` import one article per
//! item, texts of plain paragraphs one unit per paragraph; both are shown, anchored, counted
//! and found like articles. A law filed in two folders is one law listed under both.

use axum::http::StatusCode;
use xuefa::corpus::store;

use crate::helpers::*;

const AMENDMENT: &str = "中华人民共和国示例刑法修正案（十一）";
const PARAGRAPHS: &str = "示例委员会关于示例段落事项的决定";
const DECISION: &str = "示例省人民代表大会常务委员会关于示例保障“一网通办”改革的决定";

#[tokio::test]
async fn items_and_paragraphs_are_stored_counted_and_anchored_as_units() {
    // Act
    let t = spawn_app(&[fixtures_dir("units")]).await;

    // Assert
    assert!(t.report.warnings.is_empty(), "{:?}", t.report.warnings);
    assert_eq!(t.report.articles, 9, "{}", t.report);
    let mut units = Vec::new();
    for title in [AMENDMENT, PARAGRAPHS, DECISION] {
        let law = t.current(title).await;
        assert_eq!(law.articles, 3, "{title}");
        let rows = store::articles(&t.app.db.pool, law.law_id).await.unwrap();
        units.push(
            rows.iter()
                .map(|a| (a.article_no, a.article_sub, a.label.clone()))
                .collect::<Vec<_>>(),
        );
    }
    let s = |no, sub, label: &str| (no, sub, label.to_string());
    assert_eq!(
        units[0],
        [s(1, 0, "第一条"), s(2, 0, "第二条"), s(3, 0, "第三条")]
    );
    assert_eq!(
        units[1],
        [s(0, 1, "第一段"), s(0, 2, "第二段"), s(0, 3, "第三段")]
    );
    assert_eq!(
        units[2],
        [
            s(0, 0, "序言"),
            s(1, 0, "第一条"),
            s(2, 0, "第二条"),
            s(3, 0, "第三条")
        ]
    );

    let page = |title: &'static str| {
        let t = &t;
        async move {
            let law = t.current(title).await;
            let (status, _, html) = get(&t.router, &format!("/laws/{}", law.law_id)).await;
            assert_eq!(status, StatusCode::OK);
            html
        }
    };
    let amendment = page(AMENDMENT).await;
    assert!(amendment.contains(r#"id="art-2""#), "{amendment:.3000}");
    let paragraphs = page(PARAGRAPHS).await;
    assert!(paragraphs.contains(r#"id="p-2""#), "{paragraphs:.3000}");
    assert!(paragraphs.contains("第二段"));
    let decision = page(DECISION).await;
    assert!(decision.contains(r#"id="preamble""#));
    assert!(decision.contains("（一）以人民为中心；"));
}

#[tokio::test]
async fn a_reference_to_an_item_finds_it_with_or_without_brackets() {
    // Arrange
    let t = spawn_app(&[fixtures_dir("units")]).await;

    for q in [
        "示例刑法修正案（十一）第二条",
        "《示例刑法修正案（十一）》第二条",
        "示例刑法修正案十一 第2条",
        "示例刑法修正案(十一)第2条",
    ] {
        // Act
        let results = find(&t.app, req(q, 10));

        // Assert
        let first = results
            .hits
            .first()
            .unwrap_or_else(|| panic!("{q}: no hit"));
        assert_eq!(
            (first.law_title.as_str(), first.article_label.as_str()),
            (AMENDMENT, "第二条"),
            "{q}: {:?}",
            show(&results.hits)
        );
        assert_eq!(first.anchor, "art-2");
        assert!(first.text.contains("第一百三十四条之一"), "{}", first.text);
    }
}

#[tokio::test]
async fn keywords_find_the_paragraph_or_item_that_holds_them() {
    // Arrange
    let t = spawn_app(&[fixtures_dir("units")]).await;

    // Act
    let paragraph = find(&t.app, req("篡改 国歌 歌词", 10));
    let item = find(&t.app, req("政务服务事项目录", 10));

    // Assert
    let first = paragraph.hits.first().expect("a hit");
    assert_eq!(
        (first.law_title.as_str(), first.article_label.as_str()),
        (PARAGRAPHS, "第二段"),
        "{:?}",
        show(&paragraph.hits)
    );
    assert_eq!(first.anchor, "p-2");
    assert!(
        !first.text.contains("本决定自公布之日起施行"),
        "only its paragraph"
    );
    let first = item.hits.first().expect("a hit");
    assert_eq!(
        (first.law_title.as_str(), first.article_label.as_str()),
        (DECISION, "第二条"),
        "{:?}",
        show(&item.hits)
    );
}

/// The fixture decision filed under 行政法 and 经济法, the second copy `edited` or not.
fn filed_twice(edited: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let name = "示例委员会关于示例段落事项的决定(2020-01-01).md";
    let text = std::fs::read_to_string(fixtures_dir("units").join(name)).unwrap();
    for (folder, text) in [
        ("经济法", text.clone()),
        (
            "行政法",
            if edited {
                text.replace("本决定", "此决定")
            } else {
                text
            },
        ),
    ] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join(name), text).unwrap();
    }
    dir
}

#[tokio::test]
async fn a_law_filed_in_two_folders_is_one_law_listed_under_both() {
    for edited in [false, true] {
        // Arrange
        let dir = filed_twice(edited);

        // Act
        let t = spawn_app(&[dir.path().to_path_buf()]).await;

        // Assert
        let laws = t.laws().await;
        assert_eq!(laws.len(), 1, "edited {edited}");
        let law = &laws[0];
        assert_eq!(law.category, "经济法", "the first folder's text is kept");
        assert_eq!(law.categories, "经济法\n行政法");
        assert_eq!(law.articles, 3);
        // An identical copy is not a source of its own; a copy that differs is, with a warning.
        assert_eq!(law.source.lines().count(), if edited { 2 } else { 1 });
        assert_eq!(
            t.report.warnings.len(),
            usize::from(edited),
            "{:?}",
            t.report.warnings
        );
        for folder in ["经济法", "行政法"] {
            let (status, listed) =
                get_json(&t.router, &format!("/api/laws?category={}", enc(folder))).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(
                listed.as_array().map(Vec::len),
                Some(1),
                "{folder}: {listed}"
            );
            assert_eq!(
                listed[0]["categories"],
                serde_json::json!(["经济法", "行政法"])
            );
        }

        // Importing one folder again keeps the other.
        std::fs::write(
            dir.path().join("经济法/示例委员会关于示例段落事项的决定(2020-01-01).md"),
            "# 示例委员会关于示例段落事项的决定\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n新的一段。\n",
        )
        .unwrap();
        t.import(&[dir.path().join("经济法")]).await;
        let law = t.current(PARAGRAPHS).await;
        assert_eq!(
            (law.categories.as_str(), law.articles),
            ("经济法\n行政法", 1)
        );
    }
}
