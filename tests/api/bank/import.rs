//! Importing messy banks: every accepted spelling, every rejected row, all-or-nothing,
//! `--skip-invalid`, duplicates, the CLI's summary line and exit code.

use xuefa::bank::import::ImportOptions;
use xuefa::bank::model::Status;

use super::support::*;

const SKIP: ImportOptions = ImportOptions {
    approve: false,
    skip_invalid: true,
    suggest_basis: false,
};

/// The messy file as GB18030 CSV and as .xlsx.
fn messy_files() -> Vec<(&'static str, Vec<u8>)> {
    let (rows, _) = messy_rows();
    vec![
        ("题库.csv", csv_gb18030(&rows)),
        ("题库.xlsx", xlsx_of(&rows)),
    ]
}

#[tokio::test]
async fn a_file_with_invalid_rows_imports_nothing_and_reports_each_row_and_column() {
    for (name, bytes) in messy_files() {
        // Arrange
        let t = bank_app().await;
        let first_rejected = accepted().len() + 3; // header, accepted rows, the duplicate

        // Act
        let report = import_file(&t, name, &bytes, ImportOptions::default()).await;

        // Assert
        assert_eq!(report.imported, 0, "{name}");
        assert_eq!(
            report.invalid_rows,
            rejected().len(),
            "{name}: {:?}",
            report.problems
        );
        for (i, (_, column, message)) in rejected().iter().enumerate() {
            let row = first_rejected + i;
            assert!(
                report
                    .problems
                    .iter()
                    .any(|p| p.row == row && p.column == *column && p.problem.contains(message)),
                "{name}: row {row} [{column}] {message}: {:?}",
                report.problems
            );
        }
        assert!(all(&t).await.is_empty(), "{name}: nothing stored");
        assert!(report.rejected());
    }
}

#[tokio::test]
async fn with_skip_invalid_every_accepted_spelling_is_imported_as_meant() {
    for (name, bytes) in messy_files() {
        // Arrange
        let t = bank_app().await;
        let (_, dup_row) = messy_rows();

        // Act
        let report = import_file(&t, name, &bytes, SKIP).await;

        // Assert
        assert_eq!(
            report.imported,
            accepted().len(),
            "{name}: {:?}",
            report.problems
        );
        assert_eq!(report.invalid_rows, rejected().len());
        assert_eq!(report.duplicates.len(), 1, "{name}");
        assert_eq!(report.duplicates[0].row, dup_row);
        assert_eq!(report.duplicates[0].first_row, Some(2));
        assert_eq!(
            report.summary(),
            format!(
                "导入 {} 题，重复 1 题，无效 {} 行",
                accepted().len(),
                rejected().len()
            )
        );
        let stored = all(&t).await;
        for a in accepted() {
            let q = by_stem(&stored, a.stem);
            assert_eq!(q.summary.qtype, a.qtype, "{}", a.stem);
            assert_eq!(q.answer, a.answer, "{}", a.stem);
            assert_eq!(q.summary.status, Status::Draft);
            assert_eq!(q.summary.tags, ["信访", "测试"]);
            assert_eq!(q.summary.difficulty, 2);
        }
        // Bases resolve against the current version; unknown ones made their rows invalid.
        let q = by_stem(&stored, accepted()[0].stem);
        assert_eq!(q.summary.basis, ["《信访工作条例》第二十二条"]);
        assert!(q.articles[0].article_text.contains("15日"));
        assert!(q.articles[0].current);
        let fill = by_stem(&stored, accepted()[12].stem);
        assert_eq!(fill.articles.len(), 2);
        assert!(
            stored.iter().all(|q| !q.articles.is_empty()),
            "no question stored without its basis"
        );
        assert_eq!(
            report
                .warnings
                .iter()
                .filter(|w| w.column == "依据")
                .count(),
            0,
            "{:?}",
            report.warnings
        );
    }
}

#[tokio::test]
async fn importing_the_same_questions_again_reports_duplicates_and_stores_nothing_new() {
    // Arrange
    let t = bank_app().await;
    let (rows, _) = messy_rows();
    let first = import_file(&t, "a.xlsx", &xlsx_of(&rows), SKIP).await;

    // Act: the same questions, as CSV, with other punctuation and width in one stem
    let mut again = rows.clone();
    again[2][1] = again[2][1].replace('，', ",").replace("（　）", "____");
    let second = import_file(&t, "b.csv", &csv_gb18030(&again), SKIP).await;

    // Assert
    assert_eq!(second.imported, 0);
    assert_eq!(second.duplicates.len(), first.imported + 1);
    let in_bank: Vec<Option<i64>> = second.duplicates.iter().map(|d| d.question_id).collect();
    assert_eq!(
        in_bank.iter().filter(|id| id.is_some()).count(),
        first.imported
    );
    assert_eq!(all(&t).await.len(), first.imported);
}

#[tokio::test]
async fn approve_stores_the_questions_as_approved_and_the_import_is_audited() {
    // Arrange
    let t = bank_app().await;
    let rows: Vec<Vec<String>> = std::iter::once(HEADER.iter().map(|h| h.to_string()).collect())
        .chain(accepted().into_iter().take(3).map(|a| a.row))
        .collect();

    // Act
    let opts = ImportOptions {
        approve: true,
        skip_invalid: false,
        suggest_basis: false,
    };
    let report = import_file(&t, "ok.xlsx", &xlsx_of(&rows), opts).await;

    // Assert
    assert_eq!(report.imported, 3);
    assert!(
        all(&t)
            .await
            .iter()
            .all(|q| q.summary.status == Status::Approved)
    );
    let audited: Vec<(String, String)> =
        sqlx::query_as("select action, target from audit_log order by audit_id")
            .fetch_all(&t.app.db.pool)
            .await
            .expect("audit");
    assert_eq!(
        audited,
        [("questions_imported".to_string(), "ok.xlsx".to_string())]
    );
}

#[tokio::test]
async fn the_cli_prints_the_summary_last_and_fails_when_invalid_rows_stop_the_import() {
    // Arrange
    let t = bank_app().await;
    let (rows, _) = messy_rows();
    let file = t.dir.path().join("题库.csv");
    std::fs::write(&file, csv_gb18030(&rows)).expect("write file");
    let path = file.to_str().expect("utf-8 path");

    // Act
    let refused = t.cli(&["questions", "import", path]);
    let skipped = t.cli(&["questions", "import", path, "--skip-invalid", "--approve"]);
    let listed = t.cli(&[
        "questions",
        "list",
        "--json",
        "--status",
        "approved",
        "--law",
        "信访工作条例",
    ]);

    // Assert
    let last = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .trim_end()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let n = accepted().len();
    let bad = rejected().len();
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        last(&refused),
        format!("导入 0 题，重复 1 题，无效 {bad} 行")
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("[答案] 答案 E 不在选项中"), "{stderr}");
    assert!(
        skipped.status.success(),
        "{}",
        String::from_utf8_lossy(&skipped.stderr)
    );
    assert_eq!(
        last(&skipped),
        format!("导入 {n} 题，重复 1 题，无效 {bad} 行")
    );
    assert!(listed.status.success());
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let items = list.as_array().expect("array");
    // Every imported question cites 信访工作条例.
    assert_eq!(items.len(), n);
    for field in [
        "question_id",
        "version_id",
        "type",
        "stem",
        "status",
        "basis",
        "needs_review",
    ] {
        assert!(items[0].get(field).is_some(), "{field}");
    }
    assert_eq!(items[0]["status"], "approved");
}

#[tokio::test]
async fn the_cli_refuses_an_unusable_file_with_a_message() {
    // Arrange
    let t = bank_app().await;
    let file = t.dir.path().join("bank.csv");
    std::fs::write(&file, "题干,答案\n甲,对\n").expect("write");

    // Act
    let out = t.cli(&["questions", "import", file.to_str().expect("path")]);

    // Assert
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("缺少必需的列：题型"), "{stderr}");
}
