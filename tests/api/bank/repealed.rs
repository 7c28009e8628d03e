//! Repealed laws in the bank: generation from 信访条例 (2005) is refused naming 信访工作条例;
//! questions citing it are warned about on import, on preview and after save.

use axum::http::StatusCode;

use super::site::*;
use super::support::{admin as cli_admin, all, book, ctx};
use crate::helpers::unescape;

const NOTICE: &str = "《信访条例》已废止，现行为《信访工作条例》";

#[tokio::test]
async fn generating_from_a_repealed_law_is_refused_on_the_page_and_names_its_successor() {
    // Arrange
    let (t, admin) = bank_site().await;

    // Act
    let (status, html) = generate(&t, &admin, "信访条例").await;

    // Assert
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(unescape(&html).contains(NOTICE), "{html}");
    assert!(
        html.contains("value=\"信访条例\""),
        "the form keeps the law"
    );
    assert!(all(&t).await.is_empty(), "nothing generated");
}

#[tokio::test]
async fn generating_from_a_repealed_law_is_refused_by_the_domain_the_cli_calls() {
    // Arrange
    let (t, _) = bank_site().await;
    let names = book(&t).await;
    let statute = names.statute("信访条例").expect("信访条例");
    let actor = cli_admin();

    // Act
    let result = t
        .write(async |tx| {
            xuefa::bank::drafting::generate_drafts(tx, &ctx(&actor), statute, 5, Some(7)).await
        })
        .await;

    // Assert
    let Err(e) = result else {
        panic!("generated from a repealed law")
    };
    assert!(e.to_string().contains(NOTICE), "{e}");
    assert!(all(&t).await.is_empty());
}

#[tokio::test]
async fn an_import_row_citing_a_repealed_law_is_imported_with_a_warning_naming_the_current_law() {
    // Arrange
    let (t, _) = bank_site().await;
    let csv = "题型,题干,答案,依据\n判断,信访人应当依法信访。,对,《信访条例》第二十条\n";

    // Act
    let report = super::support::import_file(
        &t,
        "old.csv",
        csv.as_bytes(),
        xuefa::bank::import::ImportOptions::default(),
    )
    .await;

    // Assert
    assert_eq!(report.imported, 1, "{:?}", report.problems);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.row == 2 && w.column == "依据" && w.problem.contains(NOTICE)),
        "{:?}",
        report.warnings
    );
}

#[tokio::test]
async fn a_question_on_a_repealed_law_is_warned_about_on_preview_and_after_save() {
    // Arrange
    let (t, admin) = bank_site().await;
    let id = judge(&t, "信访人应当依法信访。", &[20]).await;
    let uri = format!("/admin/questions/{id}");
    let old = "《信访条例》第二十条";
    let stem = "信访人应当依法信访。";

    // Act
    let (preview, _, previewed) = post(
        &t,
        &admin,
        &uri,
        &judge_form(&admin, "preview", stem, "对", old),
    )
    .await;
    let (save, headers, _) = post(
        &t,
        &admin,
        &uri,
        &judge_form(&admin, "save", stem, "对", old),
    )
    .await;
    let location = headers[axum::http::header::LOCATION]
        .to_str()
        .expect("location");
    let after = admin_page(&t, &admin, location).await;

    // Assert
    assert_eq!(preview, StatusCode::OK, "{previewed}");
    assert!(unescape(&previewed).contains(NOTICE), "{previewed}");
    assert!(save.is_redirection());
    let after = unescape(&after);
    assert!(after.contains("已保存为第 2 版"), "{after}");
    assert!(
        after.contains("class=\"notice warning basis-warning\""),
        "{after}"
    );
    assert!(after.contains(NOTICE), "{after}");
}
