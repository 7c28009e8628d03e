//! Export then import into an empty bank gives the same questions, in every format; the
//! template's data sheet is only the header, its examples are valid questions, and rows that
//! are exactly those examples are refused.

use xuefa::bank::export::{self, Format};
use xuefa::bank::import::{ImportOptions, template_xlsx};
use xuefa::bank::model::{Answer, QuestionType};
use xuefa::bank::store::QuestionDetail;

use super::support::*;
use crate::helpers::TestApp;

/// What must survive a round trip: content and cited articles (not ids or law versions).
fn content(q: &QuestionDetail) -> impl PartialEq + std::fmt::Debug + use<> {
    let s = &q.summary;
    let articles: Vec<(String, u32, u32, String)> = q
        .articles
        .iter()
        .map(|a| {
            (
                a.law_title.clone(),
                a.article_no,
                a.article_sub,
                a.article_text.clone(),
            )
        })
        .collect();
    (
        s.qtype,
        s.stem.clone(),
        q.options.clone(),
        q.answer.clone(),
        q.explanation.clone(),
        articles,
        s.difficulty,
        s.tags.clone(),
    )
}

/// A bank with the template's examples (made its own), the messy file's valid rows and a few
/// awkward ones:
/// a CSV formula look-alike, text with quotes, commas and new lines, eight options.
async fn filled_bank() -> TestApp {
    let t = bank_app().await;
    let template = import_file(
        &t,
        "examples.xlsx",
        &examples_as_own_questions(),
        ImportOptions::default(),
    )
    .await;
    assert_eq!(template.imported, 4, "{:?}", template.problems);
    assert!(template.warnings.is_empty(), "{:?}", template.warnings);
    let (rows, _) = messy_rows();
    let skip = ImportOptions {
        approve: true,
        skip_invalid: true,
        ..ImportOptions::default()
    };
    import_file(&t, "messy.xlsx", &xlsx_of(&rows), skip).await;
    let eight: Vec<String> = (1..=8).map(|i| format!("第{i}项")).collect();
    let eight: Vec<&str> = eight.iter().map(String::as_str).collect();
    let mut awkward = vec![
        row(
            "单选",
            "=SUM(A1:A2) 是公式吗（ ）",
            &["-1元", "+2元", "@x", "'=y"],
            "A",
            "《信访工作条例》第一条",
        ),
        row(
            "多选",
            "含\"引号\"、逗号,和\n换行的题（ ）",
            &eight,
            "BDFH",
            "《信访工作条例》第二条；《信访工作条例》第三条",
        ),
        row(
            "填空",
            "第一空____，第二空（ ），第三空()",
            &[],
            "甲/乙|丙|丁/戊/己",
            "",
        ),
    ];
    awkward[0][11] = "解析，含,逗号\n和换行".into();
    awkward[1][14] = "信访/原则；多选".into();
    awkward[2][13] = "5".into();
    awkward[2][14] = String::new();
    let rows: Vec<Vec<String>> = std::iter::once(HEADER.iter().map(|h| h.to_string()).collect())
        .chain(awkward)
        .collect();
    let r = import_file(
        &t,
        "awkward.xlsx",
        &xlsx_of(&rows),
        ImportOptions::default(),
    )
    .await;
    assert_eq!(r.imported, 3, "{:?}", r.problems);
    t
}

#[tokio::test]
async fn export_then_import_into_an_empty_bank_gives_the_same_questions_in_every_format() {
    // Arrange
    let source = filled_bank().await;
    let original: Vec<_> = all(&source).await.iter().map(content).collect();
    assert!(original.len() > 20);

    for format in [Format::Xlsx, Format::Csv, Format::Json] {
        // Act
        let bytes = export::export(
            &mut source.app.db.pool.acquire().await.unwrap(),
            &ctx(&admin()),
            format,
            None,
        )
        .await
        .expect("export");
        let target = bank_app().await;
        let name = format!("export.{}", format.extension());
        let report = import_file(&target, &name, &bytes, ImportOptions::default()).await;

        // Assert
        assert_eq!(report.problems, vec![], "{format:?}");
        assert_eq!(report.warnings, vec![], "{format:?}");
        assert_eq!(report.imported, original.len(), "{format:?}");
        let copied: Vec<_> = all(&target).await.iter().map(content).collect();
        assert_eq!(copied, original, "{format:?}");
    }
}

#[tokio::test]
async fn the_json_export_has_the_documented_shape() {
    // Arrange
    let t = filled_bank().await;

    // Act
    let bytes = export::export(
        &mut t.app.db.pool.acquire().await.unwrap(),
        &ctx(&admin()),
        Format::Json,
        None,
    )
    .await
    .expect("export");

    // Assert
    let items: Vec<serde_json::Value> = serde_json::from_slice(&bytes).expect("json array");
    let fill = items
        .iter()
        .find(|q| q["stem"] == "第一空____，第二空（ ），第三空()")
        .expect("fill question");
    assert_eq!(fill["type"], "fill");
    assert_eq!(fill["answer"], "甲/乙|丙|丁/戊/己");
    assert_eq!(fill["options"], serde_json::json!([]));
    assert_eq!(fill["difficulty"], 5);
    let first = &items[0];
    assert_eq!(
        first["basis"],
        serde_json::json!(["《信访工作条例》第二十二条"])
    );
    assert_eq!(first["tags"], serde_json::json!(["信访/办理期限"]));
    for key in [
        "id",
        "type",
        "stem",
        "options",
        "answer",
        "explanation",
        "basis",
        "difficulty",
        "tags",
        "status",
        "origin",
        "version",
    ] {
        assert!(first.get(key).is_some(), "{key}");
    }
}

#[tokio::test]
async fn the_template_examples_cover_every_type() {
    // Arrange
    let t = bank_app().await;

    // Act
    import_file(
        &t,
        "examples.xlsx",
        &examples_as_own_questions(),
        ImportOptions::default(),
    )
    .await;

    // Assert
    let qs = all(&t).await;
    let types: Vec<QuestionType> = qs.iter().map(|q| q.summary.qtype).collect();
    assert_eq!(
        types,
        [
            QuestionType::Single,
            QuestionType::Multiple,
            QuestionType::Judge,
            QuestionType::Fill
        ]
    );
    let Answer::Fill { blanks } = &qs[3].answer else {
        panic!("fill answer")
    };
    for (blank, article) in blanks.iter().zip([0, 0]) {
        assert!(
            qs[3].articles[article].article_text.contains(&blank[0]),
            "{blank:?}"
        );
    }
}

#[tokio::test]
async fn the_template_data_sheet_is_only_the_header_and_rows_that_are_its_examples_are_refused() {
    // Arrange
    let t = bank_app().await;
    let header = template_sheet("题目");
    let examples = template_sheet("示例");
    let skip = ImportOptions {
        approve: false,
        skip_invalid: true,
        ..ImportOptions::default()
    };

    // Act
    let template = t
        .app
        .import_questions(
            &book(&t).await,
            &ctx(&admin()),
            "template.xlsx",
            &template_xlsx().expect("template"),
            ImportOptions::default(),
        )
        .await;
    let copied = import_file(&t, "old-template.xlsx", &xlsx_of(&examples), skip).await;

    // Assert
    assert_eq!(header.len(), 1, "{header:?}");
    assert_eq!(examples.len(), 5, "a header and one example per type");
    assert!(template.is_err(), "nothing but the header to import");
    assert_eq!(copied.imported, 0);
    assert_eq!(copied.invalid_rows, 4, "{:?}", copied.problems);
    assert!(
        copied
            .problems
            .iter()
            .all(|p| p.column == "题干" && p.problem.contains("示例")),
        "{:?}",
        copied.problems
    );
    assert!(all(&t).await.is_empty());
}
