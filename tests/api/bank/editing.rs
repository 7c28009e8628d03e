//! Editing a question on its page: a basis that does not resolve is refused (never dropped),
//! the version table says what each version changed, the audit says it in Chinese.

use axum::http::StatusCode;

use super::site::*;
use super::support::all;
use crate::accounts_support::{audit_entries, find_audit, page};
use crate::helpers::unescape;

#[tokio::test]
async fn saving_a_mistyped_basis_is_refused_with_the_preview_message_and_keeps_the_form() {
    // Arrange: question on 第二十条; its editor mistypes 第九十九条.
    let (t, admin) = bank_site().await;
    let id = judge(&t, "信访工作应当坚持党的领导。", &[20]).await;
    let uri = format!("/admin/questions/{id}");
    let stem = "信访工作应当坚持党的全面领导。";
    let typo = "《信访工作条例》第九十九条";

    // Act
    let (preview, _, previewed) = post(
        &t,
        &admin,
        &uri,
        &judge_form(&admin, "preview", stem, "对", typo),
    )
    .await;
    let (save, _, saved) = post(
        &t,
        &admin,
        &uri,
        &judge_form(&admin, "save", stem, "对", typo),
    )
    .await;

    // Assert
    let message = "《信访工作条例》现行版本没有第九十九条";
    assert_eq!(preview, StatusCode::BAD_REQUEST, "{previewed}");
    assert_eq!(save, StatusCode::BAD_REQUEST, "save is refused: {saved}");
    for html in [&previewed, &saved] {
        let html = unescape(html);
        assert!(html.contains(message), "{html}");
        assert!(
            html.contains(&format!("value=\"{typo}\"")),
            "basis kept as typed"
        );
        assert!(html.contains(stem), "stem kept as typed");
        assert!(!html.contains("已保存为第"));
    }
    let q = &all(&t).await[0];
    assert_eq!(q.summary.version_no, 1, "nothing saved");
    assert_eq!(q.summary.basis, ["《信访工作条例》第二十条"]);
}

#[tokio::test]
async fn a_basis_with_one_unknown_article_or_no_law_name_is_refused_too() {
    // Arrange
    let (t, admin) = bank_site().await;
    let id = judge(&t, "信访工作应当坚持党的领导。", &[20]).await;
    let uri = format!("/admin/questions/{id}");
    let stem = "信访工作应当坚持党的领导。";

    for (basis, message) in [
        (
            "《信访工作条例》第二十条；第九十九条",
            "《信访工作条例》现行版本没有第九十九条",
        ),
        ("第二十条", "没有写明法规名称"),
        ("《不存在的条例》第一条", "未找到法规《不存在的条例》"),
    ] {
        // Act
        let form = judge_form(&admin, "save", stem, "错", basis);
        let (status, _, html) = page(&t.router, &uri, Some(&admin), Some(&form)).await;

        // Assert
        assert_eq!(status, StatusCode::BAD_REQUEST, "{basis}: {html}");
        assert!(unescape(&html).contains(message), "{basis}: {html}");
    }
    assert_eq!(all(&t).await[0].summary.version_no, 1, "nothing saved");
}

#[tokio::test]
async fn the_version_table_shows_what_each_version_changed_and_the_audit_names_the_version() {
    // Arrange
    let (t, admin) = bank_site().await;
    let id = judge(&t, "信访工作应当坚持党的领导。", &[20]).await;
    let uri = format!("/admin/questions/{id}");
    let form = judge_form(
        &admin,
        "save",
        "信访工作应当坚持党的全面领导。",
        "错",
        "《信访工作条例》第二十一条",
    );

    // Act
    let (status, _, _) = page(&t.router, &uri, Some(&admin), Some(&form)).await;
    let html = unescape(&admin_page(&t, &admin, &uri).await);

    // Assert
    assert!(status.is_redirection(), "saved: {status}");
    let table = html
        .split("id=\"versions\"")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .expect("version table");
    assert!(table.contains("第 1 版"), "{table}");
    assert!(table.contains("第 2 版（当前）"), "{table}");
    assert!(table.contains("<ins>全面</ins>"), "stem diff: {table}");
    assert!(
        table.contains("<strong>答案：</strong><del>对</del> → <ins>错</ins>"),
        "{table}"
    );
    assert!(
        table.contains(
            "<del>《信访工作条例》第二十条</del> → <ins>《信访工作条例》第二十一条</ins>"
        ),
        "{table}"
    );
    let entries = audit_entries(&t, &admin).await;
    let edited =
        find_audit(&entries, "question_edited", &format!("题目 #{id}")).expect("audit entry");
    assert_eq!(edited["detail"], "保存为第 2 版");
}

#[tokio::test]
async fn the_import_result_and_its_audit_entry_are_in_chinese() {
    // Arrange: one good row and one whose basis article does not exist.
    let (t, admin) = bank_site().await;
    let csv = "题型,题干,答案,依据\n\
               判断,信访工作应当坚持党的领导。,对,《信访工作条例》第二十条\n\
               判断,信访工作条例共有九十九条。,错,《信访工作条例》第九十九条\n";

    // Act
    let (status, html) = upload_questions(&t, &admin, &[("skip_invalid", "1")], csv).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{html}");
    let html = unescape(&html);
    assert!(html.contains("导入 1 题，重复 0 题，无效 1 行"), "{html}");
    assert!(html.contains("《信访工作条例》现行版本没有第九十九条"));
    for english in ["questions,", "duplicates", "invalid rows"] {
        assert!(!html.contains(english), "{english}: {html}");
    }
    let entries = audit_entries(&t, &admin).await;
    let imported = find_audit(&entries, "questions_imported", "bank.csv").expect("audit entry");
    let detail = imported["detail"].as_str().expect("detail");
    assert!(
        detail.contains("导入 1 题，重复 0 题，无效 1 行"),
        "{detail}"
    );
    assert!(!detail.contains('{'), "not JSON: {detail}");
}
