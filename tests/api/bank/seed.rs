//! The authored seed bank imports cleanly against the real laws: every row valid, every basis
//! resolved, and each fill blank's first answer found in the article it cites.

use std::path::PathBuf;

use xuefa::bank::import::ImportOptions;
use xuefa::bank::model::Answer;

use super::support::*;
use crate::helpers::*;

fn seed_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/questions/seed.csv"
    ))
}

/// Where the seed bank's laws live: 信访工作条例 in 行政法规; 行政处罚法, 行政许可法 and
/// 行政强制法 in 行政法; 行政复议法 in 诉讼与非诉讼程序法; the constitution in 宪法.
fn seed_laws() -> Vec<PathBuf> {
    ["行政法规", "行政法", "诉讼与非诉讼程序法", "宪法"]
        .iter()
        .map(|p| corpus_path(p))
        .collect()
}

#[tokio::test]
async fn the_seed_bank_imports_cleanly_with_every_basis_resolved() {
    let file = seed_file();
    if !file.exists() {
        eprintln!("skipped: {} is not there yet", file.display());
        return;
    }
    // Arrange
    let t = spawn_app(&seed_laws()).await;
    let bytes = std::fs::read(&file).expect("read seed bank");

    // Act
    let report = import_file(&t, "seed.csv", &bytes, ImportOptions::default()).await;

    // Assert
    assert_eq!(report.problems, vec![], "invalid rows");
    assert_eq!(report.warnings, vec![], "unresolved bases");
    assert_eq!(report.duplicates, vec![], "duplicates");
    assert_eq!(report.imported, report.rows, "{}", report.summary());
    let questions = all(&t).await;
    assert_eq!(questions.len(), report.imported);
    for q in &questions {
        let stem = &q.summary.stem;
        assert!(!q.articles.is_empty(), "no basis: {stem}");
        assert!(q.articles.iter().all(|a| a.current), "{stem}");
        let Answer::Fill { blanks } = &q.answer else {
            continue;
        };
        for blank in blanks {
            let first = &blank[0];
            assert!(
                q.articles
                    .iter()
                    .any(|a| a.article_text.contains(first.as_str())),
                "{stem}: 「{first}」 is not in {:?}",
                q.summary.basis
            );
        }
    }
}
