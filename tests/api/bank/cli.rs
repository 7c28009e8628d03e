//! `xuefa questions generate | approve | export | template | retire` through the binary.

use super::support::*;
use crate::helpers::*;

fn stdout(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).trim_end().to_string()
}

/// The number after `word ` in `text` (`generated 12 questions` → 12).
fn number_after(text: &str, word: &str) -> usize {
    text.split(word)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {word:?} in {text:?}"))
}

#[tokio::test]
async fn generated_questions_are_drafts_until_approved_and_a_second_run_asks_new_questions() {
    // Arrange
    let t = bank_app().await;
    let args = [
        "questions",
        "generate",
        "--law",
        "信访工作条例",
        "--count",
        "12",
        "--seed",
        "7",
    ];

    // Act
    let first = stdout(&t.cli(&args));
    let again = stdout(&t.cli(&args));
    let drafts = stdout(&t.cli(&["questions", "list", "--json", "--status", "draft"]));
    let approved = stdout(&t.cli(&["questions", "approve", "--all-generated"]));
    let listed = stdout(&t.cli(&[
        "questions",
        "list",
        "--json",
        "--status",
        "approved",
        "--law",
        "信访工作条例",
    ]));

    // Assert
    let n = number_after(&first, "generated");
    assert!(n >= 8, "{first}");
    assert!(first.contains("seed 7"), "{first}");
    // The same seed again: the bank's questions are passed in, so the run asks others
    // rather than repeating the first run's.
    let m = number_after(&again, "generated");
    assert!(m >= 8, "{again}");
    assert!(again.contains("(0 duplicates)"), "{again}");
    let drafts: Vec<serde_json::Value> = serde_json::from_str(&drafts).expect("json");
    assert_eq!(drafts.len(), n + m);
    assert!(drafts.iter().all(|q| q["origin"] == "generated"));
    let mut stems: Vec<&str> = drafts.iter().filter_map(|q| q["stem"].as_str()).collect();
    stems.sort_unstable();
    stems.dedup();
    assert_eq!(stems.len(), n + m, "no stem twice");
    assert_eq!(approved, format!("approved {} questions", n + m));
    let listed: Vec<serde_json::Value> = serde_json::from_str(&listed).expect("json");
    assert_eq!(listed.len(), n + m);
}

#[tokio::test]
async fn export_template_approve_and_retire_work_from_the_command_line() {
    // Arrange
    let t = bank_app().await;
    let dir = t.dir.path();
    let template = dir.join("模板.xlsx");
    let out = dir.join("bank.json");
    let path = |p: &std::path::Path| p.to_str().expect("utf-8 path").to_string();

    // Act
    stdout(&t.cli(&["questions", "template", &path(&template)]));
    let written = std::fs::read(&template).expect("template written");
    let questions = dir.join("题目.xlsx");
    std::fs::write(&questions, examples_as_own_questions()).expect("write questions");
    let imported = stdout(&t.cli(&["questions", "import", &path(&questions)]));
    let approved = stdout(&t.cli(&["questions", "approve", "1", "3"]));
    let retired = stdout(&t.cli(&["questions", "retire", "2"]));
    stdout(&t.cli(&[
        "questions",
        "export",
        "--format",
        "json",
        "--out",
        &path(&out),
    ]));
    let missing = t.cli(&["questions", "approve", "99"]);

    // Assert
    assert!(written.starts_with(b"PK"), "an .xlsx");
    assert_eq!(imported, "导入 4 题，重复 0 题，无效 0 行");
    assert_eq!(approved, "approved 2 questions");
    assert_eq!(retired, "retired 1 questions");
    let exported: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&out).expect("export file")).expect("json");
    let status: Vec<(i64, &str)> = exported
        .iter()
        .map(|q| {
            (
                q["id"].as_i64().unwrap_or(0),
                q["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(status, [(1, "approved"), (3, "approved"), (4, "draft")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("题目 #99 不存在"));
}

/// The 10,000-row measurement on this test's database (SQLite, or PostgreSQL with
/// XUEFA_TEST_DATABASE_URL): `cargo test --release --test api bench_import -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a measurement, not a check"]
async fn bench_import_of_ten_thousand_rows() {
    let t = spawn_app(&[]).await;
    let figures = xuefa::bank::bench::measure_on(&t.app, 10_000)
        .await
        .expect("bench");
    println!("{figures}");
}
