//! The whole shared corpus, imported once, checked file by file against its MANIFEST.tsv.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use xuefa::corpus::store::{self, LawSummary};

use crate::helpers::*;

/// Files the importer drops on purpose: each has the same title and date as a file in
/// another folder (the national database files some laws under two categories). The
/// importer keeps the first by path and warns about the other.
const DROPPED_DUPLICATES: [(&str, &str); 4] = [
    (
        "行政法/反电信网络诈骗法(2022-09-02).md",
        "社会法/反电信网络诈骗法(2022-09-02).md",
    ),
    (
        "行政法/居民身份证法(2011-10-29).md",
        "宪法相关法/居民身份证法(2011-10-29).md",
    ),
    (
        "行政法/广告法(2021-04-29).md",
        "经济法/广告法(2021-04-29).md",
    ),
    (
        "经济法/职业病防治法(2018-12-29).md",
        "社会法/职业病防治法(2018-12-29).md",
    ),
];

/// Folders whose files are parts of one law (one file per 编): MANIFEST.tsv counts each
/// part (title `中华人民共和国民法典 物权编`); the stored law holds the sum.
const SPLIT_LAWS: [(&str, &str, i64); 1] = [("民法典/", "中华人民共和国民法典", 1260)];

/// Files upstream truncated to their header (title and dates, nothing after
/// `<!-- INFO END -->`): no article and no text to keep, so nothing but the version is stored.
const HEADER_ONLY: [&str; 4] = [
    "DLC/广东地方法规/地方性法规/广东/汕头经济特区突发公共卫生事件应急条例(2022-05-30).md",
    "DLC/重庆地方法规/地方性法规/重庆/重庆市实施《农业技术推广法》办法(2016-09-29).md",
    "DLC/重庆地方法规/地方性法规/重庆/重庆市实施《国家赔偿法》办法(2012-09-27).md",
    "DLC/重庆地方法规/地方性法规/重庆/重庆市实施《母婴保健法》办法(2018-07-26).md",
];

/// Whether a file has nothing after its header.
fn header_only(rel: &str) -> bool {
    let text = std::fs::read_to_string(corpus().join(rel)).expect("read corpus file");
    text.split_once("<!-- INFO END -->")
        .is_some_and(|(_, body)| body.trim().is_empty())
}

struct Row {
    path: String,
    title: String,
    articles: i64,
}

fn manifest() -> Vec<Row> {
    let text = std::fs::read_to_string(corpus().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "bad manifest line {line}");
            Row {
                path: f[0].into(),
                title: f[1].into(),
                articles: f[3].parse().expect("count"),
            }
        })
        .collect()
}

/// Every stored version by each of its source files, relative to the corpus folder.
fn by_source(laws: &[LawSummary]) -> HashMap<String, &LawSummary> {
    let root = corpus().display().to_string();
    let mut map = HashMap::new();
    for law in laws {
        for source in law.source.lines() {
            let rel = source
                .strip_prefix(&root)
                .unwrap_or(source)
                .trim_start_matches('/');
            assert!(
                map.insert(rel.to_string(), law).is_none(),
                "{rel} stored twice"
            );
        }
    }
    map
}

#[tokio::test]
async fn every_file_of_the_shared_corpus_is_stored_with_its_manifest_article_count() {
    // Arrange
    let rows = manifest();
    assert_eq!(rows.len(), 3422);

    // Act
    let t = spawn_app(&[corpus()]).await;

    // Assert
    let laws = t.laws().await;
    let stored = by_source(&laws);
    let dropped: BTreeMap<&str, &str> = DROPPED_DUPLICATES.into_iter().collect();
    let mut differences = Vec::new();
    let mut split_sums: BTreeMap<&str, i64> = BTreeMap::new();
    for row in &rows {
        let split = SPLIT_LAWS
            .iter()
            .find(|(folder, ..)| row.path.starts_with(folder));
        match (stored.get(&row.path), dropped.get(row.path.as_str())) {
            (None, Some(kept)) => {
                // Known difference: a duplicate, dropped with a warning; its twin is stored.
                let twin = stored
                    .get(*kept)
                    .unwrap_or_else(|| panic!("{kept} not stored"));
                assert_eq!(
                    (twin.title.as_str(), twin.articles),
                    (row.title.as_str(), row.articles)
                );
                assert!(
                    t.report
                        .warnings
                        .iter()
                        .any(|w| w.contains(&row.path) && w.contains("skipped"))
                );
            }
            (Some(_), Some(_)) => {
                differences.push(format!("{}: stored, expected dropped", row.path))
            }
            (None, None) => differences.push(format!("{}: not stored", row.path)),
            (Some(law), None) => match split {
                Some((folder, title, _)) => {
                    assert_eq!(&law.title, title, "{}", row.path);
                    *split_sums.entry(folder).or_default() += row.articles;
                }
                None if law.title != row.title || law.articles != row.articles => {
                    differences.push(format!(
                        "{}: manifest {} ({} articles), stored {} ({} articles)",
                        row.path, row.title, row.articles, law.title, law.articles
                    ))
                }
                None => {}
            },
        }
    }
    assert!(
        differences.is_empty(),
        "{} unexplained differences:\n{}",
        differences.len(),
        differences.join("\n")
    );

    for (folder, title, articles) in SPLIT_LAWS {
        assert_eq!(
            split_sums.get(folder),
            Some(&articles),
            "{folder} parts in the manifest"
        );
        let law = t.current(title).await;
        assert_eq!(law.articles, articles);
        let parts = rows.iter().filter(|r| r.path.starts_with(folder)).count();
        assert_eq!(law.source.lines().count(), parts);
    }

    // Files without 第N条 articles (修正案, 决定, 司法解释 numbered 一、二、) are stored with
    // their text as a preamble and 0 articles, and each gives a warning.
    let empty: Vec<&Row> = rows.iter().filter(|r| r.articles == 0).collect();
    assert_eq!(
        empty.len(),
        106,
        "SOURCE.md: 106 files have no 第N条 articles"
    );
    let preambles: BTreeMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "select law_id, label from article where article_no = 0",
    )
    .fetch_all(&t.app.db.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let mut without_text = Vec::new();
    for row in &empty {
        let law = stored[&row.path];
        assert_eq!(law.articles, 0, "{}", row.path);
        match preambles.get(&law.law_id) {
            Some(label) => assert!(
                label == "正文" || label == "序言",
                "{}: preamble {label}",
                row.path
            ),
            None => without_text.push(row.path.as_str()),
        }
    }
    let truncated: Vec<&str> = empty
        .iter()
        .map(|r| r.path.as_str())
        .filter(|p| header_only(p))
        .collect();
    assert_eq!(truncated, HEADER_ONLY);
    assert_eq!(
        without_text, HEADER_ONLY,
        "only header-only files lack a preamble"
    );
    let no_article_warnings = t
        .report
        .warnings
        .iter()
        .filter(|w| w.contains("no 第N条 articles"))
        .count();
    assert_eq!(no_article_warnings, empty.len());
    assert_eq!(
        t.report.warnings.len(),
        empty.len() + DROPPED_DUPLICATES.len(),
        "{:#?}",
        t.report.warnings
    );

    // Totals: every manifest article is stored once, except those of the dropped twins.
    let manifest_total: i64 = rows.iter().map(|r| r.articles).sum();
    let dropped_total: i64 = rows
        .iter()
        .filter(|r| dropped.contains_key(r.path.as_str()))
        .map(|r| r.articles)
        .sum();
    let stored_total: i64 = laws.iter().map(|l| l.articles).sum();
    assert_eq!(manifest_total, 147_292, "SOURCE.md's count");
    assert_eq!(stored_total, manifest_total - dropped_total);
    assert_eq!(t.report.articles as i64, stored_total);
    assert_eq!(
        laws.len(),
        rows.len() - DROPPED_DUPLICATES.len() - 7,
        "民法典's 8 files are one version"
    );
    assert_eq!(t.report.imported, laws.len());
    let current: Vec<&LawSummary> = laws.iter().filter(|l| l.current != 0).collect();
    let current_articles: i64 = current.iter().map(|l| l.articles).sum();
    let (law_count, article_count) = store::totals(&t.app.db.pool).await.unwrap();
    assert_eq!(
        (law_count, article_count),
        (current.len() as i64, current_articles)
    );
    let statutes: BTreeSet<&str> = laws.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(current.len(), statutes.len(), "one current version per law");

    let petitions = t.current("信访工作条例").await;
    assert_eq!(
        (petitions.articles, petitions.version_date.as_str()),
        (50, "2022-02-25")
    );
    assert_eq!(
        (petitions.level.as_str(), petitions.region.as_str()),
        ("行政法规", "全国")
    );
}
