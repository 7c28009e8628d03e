//! Laws in: idempotent imports, versions, split laws, bad files and the CLI.

use std::path::PathBuf;

use xuefa::corpus::store;
use xuefa::search::SearchRequest;

use crate::helpers::*;

fn as_json<T: serde::Serialize>(t: &T) -> serde_json::Value {
    serde_json::to_value(t).expect("serialisable")
}

#[tokio::test]
async fn importing_the_fixtures_twice_changes_nothing_the_second_time() {
    // Arrange
    let t = spawn_app(&[fixtures()]).await;
    let before = t.laws().await;
    let rows_before = count_rows(&t).await;

    // Act
    let second = t.import(&[fixtures()]).await;

    // Assert
    assert!(t.report.imported >= 6, "first import: {}", t.report);
    assert_eq!(second.imported, 0, "{second}");
    assert_eq!(second.articles, 0);
    assert_eq!(second.unchanged, t.report.imported, "{second}");
    assert!(second.changed_statutes.is_empty());
    assert_eq!(as_json(&t.laws().await), as_json(&before));
    assert_eq!(count_rows(&t).await, rows_before);
}

async fn count_rows(t: &TestApp) -> (i64, i64, i64, i64) {
    let count = |table: &'static str| {
        let pool = t.app.db.pool.clone();
        async move {
            let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(&pool)
                .await
                .expect("count rows");
            n
        }
    };
    (
        count("statute").await,
        count("law").await,
        count("heading").await,
        count("article").await,
    )
}

#[tokio::test]
async fn a_changed_file_replaces_its_version_in_place_and_nothing_else() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let edited = copy_into(&fixtures().join("示例条例(2021-07-01).txt"), dir.path());
    copy_into(&fixtures().join("示例宪章.md"), dir.path());
    let t = spawn_app(&[dir.path().to_path_buf()]).await;
    let before = t.laws().await;
    let charter_before = as_json(&t.versions("示例共和国宪章").await);
    let old = t.current("示例条例").await;
    let text = std::fs::read_to_string(&edited).expect("read copy");
    std::fs::write(
        &edited,
        text.replace("为了示例，制定本条例。", "为了检验蒸汽机车，制定本条例。"),
    )
    .expect("edit copy");

    // Act
    let report = t.import(&[dir.path().to_path_buf()]).await;

    // Assert
    assert_eq!((report.imported, report.unchanged), (1, 1), "{report}");
    assert_eq!(t.laws().await.len(), before.len());
    let new = t.current("示例条例").await;
    assert_eq!(new.law_id, old.law_id, "replaced in place");
    assert_eq!(new.version_date, old.version_date);
    assert_eq!(new.articles, old.articles);
    let first = store::article(&t.app.db.pool, new.law_id, 1, 0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.text, "为了检验蒸汽机车，制定本条例。");
    assert_eq!(as_json(&t.versions("示例共和国宪章").await), charter_before);
    let hits = find(&t.app, req("蒸汽机车", 10));
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].law_id, old.law_id);
}

/// An older version of 示例管理法, written here: its first article says 蒸汽机车.
fn older_version(dir: &std::path::Path) -> PathBuf {
    let current = std::fs::read_to_string(fixtures().join("示例管理法(2023-05-01).md")).unwrap();
    let old = current
        .replace(
            "为了规范示例事务的管理，制定本法。",
            "为了规范蒸汽机车的管理，制定本法。",
        )
        .replace("第二条之一 示例事务管理遵循公开、便民的原则。\n", "");
    let path = dir.join("示例管理法(2018-06-30).md");
    std::fs::write(&path, old).expect("write old version");
    path
}

#[tokio::test]
async fn two_dated_files_of_one_title_are_two_versions_and_the_newest_is_current() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    let old = older_version(dir.path());
    let new = copy_into(&fixtures().join("示例管理法(2023-05-01).md"), dir.path());

    // Act
    let t = spawn_app(&[old, new]).await;

    // Assert
    let versions = t.versions("示例管理法").await;
    let dates: Vec<_> = versions
        .iter()
        .map(|v| (v.version_date.as_str(), v.current != 0))
        .collect();
    assert_eq!(dates, [("2018-06-30", false), ("2023-05-01", true)]);
    assert_eq!(versions[0].statute_id, versions[1].statute_id);
    assert_eq!(versions[1].articles, versions[0].articles + 1);
    let default = find(&t.app, req("蒸汽机车", 10));
    assert_eq!(default.total, 0, "the old text is not searched by default");
    let all = SearchRequest {
        all_versions: Some(true),
        ..req("蒸汽机车", 10)
    };
    let all = find(&t.app, all);
    assert_eq!(all.total, 1);
    let hit = &all.hits[0];
    assert_eq!(
        (hit.law_id, hit.article_no, hit.current),
        (versions[0].law_id, 1, false)
    );
    assert_eq!(hit.version_date, "2018-06-30");
}

#[tokio::test]
async fn a_law_split_over_two_files_becomes_one_law_with_a_part_heading_each() {
    // Arrange
    let split = fixtures().join("示例法典");

    // Act
    let t = spawn_app(&[split]).await;

    // Assert
    let laws = t.laws().await;
    assert_eq!(laws.len(), 1, "{laws:?}");
    let law = &laws[0];
    assert_eq!(
        (law.title.as_str(), law.articles, law.current),
        ("示例法典", 5, 1)
    );
    assert_eq!(
        law.source.lines().count(),
        2,
        "both files are its source: {}",
        law.source
    );
    let articles = store::articles(&t.app.db.pool, law.law_id).await.unwrap();
    let numbers: Vec<i64> = articles
        .iter()
        .filter(|a| a.article_no > 0)
        .map(|a| a.article_no)
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert!(
        articles[0].heading_path.starts_with("第一编 甲"),
        "{}",
        articles[0].heading_path
    );
    let fourth = articles.iter().find(|a| a.article_no == 4).unwrap();
    assert!(
        fourth.heading_path.starts_with("第二编 乙"),
        "{}",
        fourth.heading_path
    );
    let headings = store::headings(&t.app.db.pool, law.law_id).await.unwrap();
    let parts: Vec<(String, String)> = headings
        .iter()
        .filter(|h| h.level == 1)
        .map(|h| (h.label.clone(), h.name.clone()))
        .collect();
    assert_eq!(
        parts,
        [
            ("第一编".into(), "甲".into()),
            ("第二编".into(), "乙".into())
        ]
    );
}

#[tokio::test]
async fn the_civil_code_imports_as_one_current_law_of_1260_articles() {
    // Arrange
    let civil_code = corpus_path("民法典");
    assert_eq!(std::fs::read_dir(&civil_code).unwrap().count(), 8);

    // Act
    let t = spawn_app(&[civil_code]).await;

    // Assert
    let laws = t.laws().await;
    assert_eq!(laws.len(), 1);
    let law = &laws[0];
    assert_eq!(law.title, "中华人民共和国民法典");
    assert_eq!((law.articles, law.current), (1260, 1));
    assert_eq!(law.source.lines().count(), 8);
    let articles = store::articles(&t.app.db.pool, law.law_id).await.unwrap();
    let numbers: Vec<i64> = articles
        .iter()
        .filter(|a| a.article_no > 0)
        .map(|a| a.article_no)
        .collect();
    assert_eq!(
        numbers,
        (1..=1260).collect::<Vec<_>>(),
        "every article once, in order"
    );
    let hits = find(&t.app, req("民法典1079条", 10));
    let first = &hits.hits[0];
    assert_eq!((first.law_id, first.article_no), (law.law_id, 1079));
    assert_eq!(first.article_label, "第一千零七十九条");
    assert!(first.text.contains("离婚"), "{}", first.text);
}

#[tokio::test]
async fn empty_and_binary_files_warn_and_an_article_less_decision_imports_by_its_items() {
    // Arrange
    let dir = tempfile::tempdir().expect("temp dir");
    copy_into(&fixtures().join("空文件.md"), dir.path());
    std::fs::copy(
        fixtures().join("二进制文件.bin"),
        dir.path().join("图片.md"),
    )
    .unwrap();
    copy_into(
        &fixtures().join("关于示例事项的决定(2019-06-30).md"),
        dir.path(),
    );
    copy_into(&fixtures().join("示例条例(2021-07-01).txt"), dir.path());

    // Act
    let t = spawn_app(&[dir.path().to_path_buf()]).await;

    // Assert
    let report = &t.report;
    assert_eq!(report.imported, 2, "{report}: {:?}", report.warnings);
    for name in ["空文件.md", "图片.md"] {
        assert!(
            report.warnings.iter().any(|w| w.contains(name)),
            "no warning for {name}: {:?}",
            report.warnings
        );
    }
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);
    let decision = t.current("示例代表大会常务委员会关于示例事项的决定").await;
    assert_eq!(decision.articles, 2, "items 一、 and 二、");
    let body = store::articles(&t.app.db.pool, decision.law_id)
        .await
        .unwrap();
    let labels: Vec<_> = body
        .iter()
        .map(|a| (a.article_no, a.label.as_str()))
        .collect();
    assert_eq!(labels, [(0, "序言"), (1, "第一条"), (2, "第二条")]);
    assert_eq!(body[0].text, "为了推进示例工作，作如下决定：");
    assert!(body[1].text.contains("坚持依法示例"));
    assert_eq!(t.current("示例条例").await.articles, 3);
}

#[tokio::test]
async fn the_cli_exits_1_for_a_missing_path_and_stores_nothing() {
    // Arrange
    let t = spawn_app(&[fixtures().join("示例宪章.md")]).await;
    let before = t.cli(&["laws", "--json"]);
    assert!(before.status.success());
    let missing = t.dir.path().join("没有这个文件夹");

    // Act
    let out = t.cli(&[
        "import-laws",
        fixtures().to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);

    // Assert
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("路径不存在") && stderr.contains("没有这个文件夹"),
        "{stderr}"
    );
    let after = t.cli(&["laws", "--json"]);
    assert_eq!(
        String::from_utf8_lossy(&after.stdout),
        String::from_utf8_lossy(&before.stdout)
    );
    assert_eq!(t.laws().await.len(), 1);
}

#[tokio::test]
async fn the_cli_reports_what_it_imported_on_its_last_line() {
    // Arrange
    let t = spawn_app(&[]).await;
    let fixtures = fixtures();
    let path = fixtures.to_str().unwrap();

    // Act
    let first = t.cli(&["import-laws", path]);
    let second = t.cli(&["import-laws", path]);

    // Assert
    let last_line = |out: &std::process::Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let laws = t.laws().await;
    let articles: i64 = laws.iter().map(|l| l.articles).sum();
    let warnings = String::from_utf8_lossy(&first.stderr)
        .matches("warning:")
        .count();
    // 空文件.md: the fixtures' only file that holds no law.
    assert_eq!(warnings, 1, "{}", String::from_utf8_lossy(&first.stderr));
    let n = laws.len();
    assert_eq!(
        last_line(&first),
        format!("imported {n} laws ({articles} articles), 0 unchanged, {warnings} warnings")
    );
    assert_eq!(
        last_line(&second),
        format!("imported 0 laws (0 articles), {n} unchanged, {warnings} warnings")
    );
}

#[tokio::test]
async fn the_cli_lists_laws_and_searches_as_json() {
    // Arrange
    let t = spawn_app(&[fixtures().join("示例条例(2021-07-01).txt")]).await;

    // Act
    let laws = t.cli(&["laws", "--json"]);
    let hits = t.cli(&["search", "示例活动", "--json", "--limit", "5"]);

    // Assert
    let laws: serde_json::Value = serde_json::from_slice(&laws.stdout).expect("laws --json");
    let law = &laws[0];
    has_fields(law, &LAW_FIELDS);
    assert_eq!(law["title"], "示例条例");
    assert_eq!(law["version_date"], "2021-07-01");
    assert_eq!(law["articles"], 3);
    assert_eq!(law["current"], true);
    let hits: serde_json::Value = serde_json::from_slice(&hits.stdout).expect("search --json");
    let hit = &hits[0];
    has_fields(hit, &HIT_FIELDS);
    assert_eq!(hit["article_label"], "第二条");
    assert!(hit["snippet"].as_str().unwrap().contains("<em>"), "{hit}");
}

#[tokio::test]
async fn the_index_is_rebuilt_from_sql_with_the_same_results() {
    // Arrange
    let t = spawn_app(&[fixtures()]).await;
    let q = || req("示例", 50);
    let before = find(&t.app, q());

    // Act
    let reopened = xuefa::app::App::open_in_memory_index(t.config())
        .await
        .expect("reopen");
    let indexed = t.app.reindex().await.expect("reindex");

    // Assert
    let stored: i64 = sqlx::query_scalar("select count(*) from article")
        .fetch_one(&t.app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        indexed as i64, stored,
        "one document per stored article and preamble"
    );
    assert!(before.total > 0);
    let again = find(&t.app, q());
    let elsewhere = find(&reopened, q());
    // Equal scores may come out in another order: segments differ after a rebuild.
    let scored = |r: &xuefa::search::SearchResults| {
        let mut v: Vec<_> = r
            .hits
            .iter()
            .map(|h| {
                (
                    h.law_id,
                    h.article_no,
                    h.article_sub,
                    (h.score * 1000.0).round() as i64,
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        (again.total, scored(&again)),
        (before.total, scored(&before))
    );
    assert_eq!(
        (elsewhere.total, scored(&elsewhere)),
        (before.total, scored(&before))
    );
}
