//! The whole shared corpus, imported once, checked file by file against its MANIFEST.tsv.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use xuefa::corpus::store::{self, LawSummary};

use crate::helpers::*;

/// Files with the same title and date as a file in another folder (the national database
/// files some laws under two categories): (twin, the file whose text is kept, byte-identical).
/// Each law is stored once and listed under both folders; an identical twin is no source of
/// its own, a twin whose text differs is one, with a warning.
const TWINS: [(&str, &str, bool); 4] = [
    (
        "行政法/反电信网络诈骗法(2022-09-02).md",
        "社会法/反电信网络诈骗法(2022-09-02).md",
        true,
    ),
    (
        "行政法/居民身份证法(2011-10-29).md",
        "宪法相关法/居民身份证法(2011-10-29).md",
        true,
    ),
    (
        "行政法/广告法(2021-04-29).md",
        "经济法/广告法(2021-04-29).md",
        false,
    ),
    (
        "经济法/职业病防治法(2018-12-29).md",
        "社会法/职业病防治法(2018-12-29).md",
        true,
    ),
];

/// The category folder of a corpus file.
fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(folder, _)| folder)
}

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

/// What one of MANIFEST's article-less files now holds, from tests/fixtures/manifest_units.tsv
/// (counted apart from the importer: items numbered on from 一、, else paragraphs, a table
/// one paragraph).
struct Units {
    kind: String,
    units: i64,
    preamble: bool,
}

fn units_table() -> BTreeMap<String, Units> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/manifest_units.tsv"
    );
    let text = std::fs::read_to_string(path).expect("manifest_units.tsv");
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            let units = Units {
                kind: f[1].into(),
                units: f[2].parse().expect("units"),
                preamble: f[3] == "1",
            };
            (f[0].to_string(), units)
        })
        .collect()
}

#[tokio::test]
async fn every_file_of_the_shared_corpus_is_stored_with_its_manifest_article_count() {
    // Arrange
    let rows = manifest();
    assert_eq!(rows.len(), 3422);
    let table = units_table();

    // Act
    let t = spawn_app(&[corpus()]).await;

    // Assert
    let laws = t.laws().await;
    let stored = by_source(&laws);
    let twins: BTreeMap<&str, (&str, bool)> = TWINS
        .iter()
        .map(|(twin, kept, same)| (*twin, (*kept, *same)))
        .collect();
    let warned = |path: &str| t.report.warnings.iter().any(|w| w.contains(path));
    let mut differences = Vec::new();
    let mut split_sums: BTreeMap<&str, i64> = BTreeMap::new();
    for row in &rows {
        let split = SPLIT_LAWS
            .iter()
            .find(|(folder, ..)| row.path.starts_with(folder));
        // MANIFEST counts 第N条 only: its 0 means items or paragraphs now (see below).
        let expected = match table.get(&row.path) {
            Some(u) if row.articles == 0 => u.units,
            _ => row.articles,
        };
        match (stored.get(&row.path), twins.get(row.path.as_str())) {
            (found, Some((kept, same))) => {
                let law = stored
                    .get(*kept)
                    .unwrap_or_else(|| panic!("{kept} not stored"));
                assert_eq!(
                    (law.title.as_str(), law.articles),
                    (row.title.as_str(), row.articles)
                );
                assert!(
                    law.categories.lines().any(|c| c == folder_of(&row.path)),
                    "{}: {:?}",
                    row.path,
                    law.categories
                );
                // An identical twin is no source; one that differs is, and warns.
                match found {
                    None if *same => assert!(!warned(&row.path)),
                    Some(l) if !*same && l.law_id == law.law_id => assert!(warned(&row.path)),
                    _ => differences.push(format!("{}: twin stored wrongly", row.path)),
                }
            }
            (None, None) => differences.push(format!("{}: not stored", row.path)),
            (Some(law), None) => match split {
                Some((folder, title, _)) => {
                    assert_eq!(&law.title, title, "{}", row.path);
                    *split_sums.entry(folder).or_default() += row.articles;
                }
                None if law.title != row.title || law.articles != expected => {
                    differences.push(format!(
                        "{}: expected {} ({} units), stored {} ({} units)",
                        row.path, row.title, expected, law.title, law.articles
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

    // The 106 files without 第N条 articles (修正案, 决定, 批复, 罪名 rules…): items numbered
    // 一、 become 第一条…, the text before them the 序言; a text with neither is divided into
    // paragraphs (article 0, the paragraph's number as sub); header-only files hold nothing.
    let empty: Vec<&Row> = rows.iter().filter(|r| r.articles == 0).collect();
    assert_eq!(
        empty.len(),
        106,
        "SOURCE.md: 106 files have no 第N条 articles"
    );
    assert_eq!(
        table.keys().map(String::as_str).collect::<BTreeSet<_>>(),
        empty
            .iter()
            .map(|r| r.path.as_str())
            .collect::<BTreeSet<_>>()
    );
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &empty {
        let (law, u) = (stored[&row.path], &table[&row.path]);
        *kinds.entry(u.kind.as_str()).or_default() += 1;
        let body = store::articles(&t.app.db.pool, law.law_id).await.unwrap();
        let preamble = body.iter().find(|a| a.seq == 0);
        assert_eq!(preamble.is_some(), u.preamble, "{}: preamble", row.path);
        assert!(preamble.is_none_or(|p| p.label == "序言"), "{}", row.path);
        let units: Vec<(i64, i64)> = body
            .iter()
            .filter(|a| a.seq > 0)
            .map(|a| (a.article_no, a.article_sub))
            .collect();
        let numbered = |n: i64| -> Vec<(i64, i64)> {
            (1..=n)
                .map(|i| if u.kind == "items" { (i, 0) } else { (0, i) })
                .collect()
        };
        assert_eq!(units, numbered(u.units), "{}: {}", row.path, u.kind);
        assert_eq!(units.is_empty(), u.kind == "empty", "{}", row.path);
    }
    assert_eq!(
        kinds,
        BTreeMap::from([("empty", 4), ("items", 73), ("paragraphs", 29)])
    );
    let truncated: Vec<&str> = empty
        .iter()
        .map(|r| r.path.as_str())
        .filter(|p| header_only(p))
        .collect();
    assert_eq!(truncated, HEADER_ONLY);
    let no_text: Vec<&String> = t
        .report
        .warnings
        .iter()
        .filter(|w| w.contains("no text after the header"))
        .collect();
    assert_eq!(no_text.len(), HEADER_ONLY.len(), "{no_text:?}");
    assert!(HEADER_ONLY.iter().all(|p| warned(p)));
    let differing_twins = TWINS.iter().filter(|(.., same)| !same).count();
    assert_eq!(
        t.report.warnings.len(),
        HEADER_ONLY.len() + differing_twins,
        "{:#?}",
        t.report.warnings
    );

    // Totals: every manifest article is stored once (a twin's in its kept file), plus the
    // units of the 106.
    let manifest_total: i64 = rows.iter().map(|r| r.articles).sum();
    let twins_total: i64 = rows
        .iter()
        .filter(|r| twins.contains_key(r.path.as_str()))
        .map(|r| r.articles)
        .sum();
    let units_total: i64 = table.values().map(|u| u.units).sum();
    let stored_total: i64 = laws.iter().map(|l| l.articles).sum();
    assert_eq!(manifest_total, 147_292, "SOURCE.md's count");
    assert_eq!(stored_total, manifest_total - twins_total + units_total);
    assert_eq!(t.report.articles as i64, stored_total);
    assert_eq!(
        laws.len(),
        rows.len() - TWINS.len() - 7,
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
