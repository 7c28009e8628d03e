//! Admin pages that help: confirmations that say how many questions they touch, the bulk
//! approval only where it applies, the editor's preview anchor and option boxes, 上一题 /
//! 下一题 within a filtered list and the review queue, a page past the end.

use axum::http::{StatusCode, header};

use super::site::*;
use crate::accounts_support::page;
use crate::helpers::{hrefs, unescape};

#[tokio::test]
async fn a_page_past_the_end_of_the_list_redirects_to_the_last_page_keeping_the_filters() {
    // Arrange
    let (t, admin) = bank_site().await;
    judge(&t, "信访工作应当坚持党的领导。", &[20]).await;

    // Act
    let (status, headers, _) = page(
        &t.router,
        "/admin/questions?type=judge&page=99999",
        Some(&admin),
        None,
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/admin/questions?type=judge&page=1"
    );
}

#[tokio::test]
async fn the_bulk_approval_is_offered_on_the_generated_drafts_list_with_a_confirmation_and_count() {
    // Arrange: five generated drafts.
    let (t, admin) = bank_site().await;
    let (status, _) = generate(&t, &admin, "信访工作条例").await;
    assert_eq!(status, StatusCode::OK);
    let drafts = xuefa::bank::admin::generated_drafts(&t.app.db.pool)
        .await
        .expect("count");

    // Act
    let everything = admin_page(&t, &admin, "/admin/questions").await;
    let approved = admin_page(&t, &admin, "/admin/questions?status=approved").await;
    let generated = admin_page(&t, &admin, "/admin/questions?origin=generated&status=draft").await;

    // Assert
    assert!(drafts > 0);
    for other in [&everything, &approved] {
        assert!(!other.contains("approve-generated"), "not on every list");
        assert!(other.contains(&format!("有 {drafts} 道生成的草稿待审核")));
    }
    assert!(
        generated.contains("<details class=\"confirm\" id=\"approve-generated\">"),
        "{generated}"
    );
    assert!(generated.contains(&format!("确认审核通过全部 {drafts} 道")));
    assert!(generated.contains(&format!("确认审核通过 {drafts} 题")));
}

#[tokio::test]
async fn retiring_asks_for_confirmation_and_the_editor_returns_to_its_preview() {
    // Arrange
    let (t, admin) = bank_site().await;
    let id = judge(&t, "信访工作应当坚持党的领导。", &[20]).await;
    let uri = format!("/admin/questions/{id}");

    // Act
    let html = admin_page(&t, &admin, &uri).await;
    let form = judge_form(
        &admin,
        "preview",
        "信访工作应当坚持党的领导。",
        "对",
        "《信访工作条例》第二十条",
    );
    let (status, _, previewed) = page(&t.router, &uri, Some(&admin), Some(&form)).await;

    // Assert
    let html = unescape(&html);
    assert!(
        html.contains("<details class=\"confirm\" id=\"retire\">"),
        "{html}"
    );
    assert!(html.contains(&format!("确认停用题目 #{id}？")));
    assert!(html.contains("将影响 1 道题"));
    assert!(html.contains(&format!("action=\"/admin/questions/{id}#preview\"")));
    assert_eq!(status, StatusCode::OK);
    assert!(previewed.contains("<section id=\"preview\""), "{previewed}");
}

#[tokio::test]
async fn the_editor_shows_a_box_per_option_plus_one_and_none_for_judge_questions() {
    // Arrange
    let (t, admin) = bank_site().await;
    let choice = single(
        &t,
        "信访事项应当在（ ）内处理。",
        &["7日", "10日", "15日", "30日"],
    )
    .await;
    let judged = judge(&t, "信访工作应当坚持党的领导。", &[20]).await;

    // Act
    let choice_page = admin_page(&t, &admin, &format!("/admin/questions/{choice}")).await;
    let judge_page = admin_page(&t, &admin, &format!("/admin/questions/{judged}")).await;

    // Assert
    for name in ["option_a", "option_d", "option_e"] {
        assert!(choice_page.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(
        !choice_page.contains("name=\"option_f\""),
        "one empty box only"
    );
    assert!(
        !judge_page.contains("name=\"option_a\""),
        "judge: no options"
    );
}

#[tokio::test]
async fn a_question_page_links_to_its_neighbours_in_the_filtered_list_and_the_review_queue() {
    // Arrange: three judge questions and one choice question between them.
    let (t, admin) = bank_site().await;
    let first = judge(&t, "第一题。", &[20]).await;
    let choice = single(&t, "第二题（ ）", &["甲", "乙"]).await;
    let middle = judge(&t, "第三题。", &[21]).await;
    let last = judge(&t, "第四题。", &[22]).await;
    for id in [first, middle, last] {
        sqlx::query("update question set needs_review = 1 where question_id = $1")
            .bind(id)
            .execute(&t.app.db.pool)
            .await
            .expect("flag");
    }

    // Act
    let list = admin_page(&t, &admin, "/admin/questions?type=judge").await;
    let listed = admin_page(&t, &admin, &format!("/admin/questions/{middle}?type=judge")).await;
    let queue = admin_page(&t, &admin, "/admin/questions/review").await;
    let reviewed = admin_page(
        &t,
        &admin,
        &format!("/admin/questions/{middle}?from=review"),
    )
    .await;

    // Assert: the list runs newest first, the queue oldest first; the choice question is skipped.
    let links = hrefs(&list);
    assert!(links.contains(&format!("/admin/questions/{middle}?type=judge")));
    let links = hrefs(&listed);
    assert!(
        links.contains(&format!("/admin/questions/{last}?type=judge")),
        "{links:?}"
    );
    assert!(links.contains(&format!("/admin/questions/{first}?type=judge")));
    assert!(
        !links
            .iter()
            .any(|l| l.starts_with(&format!("/admin/questions/{choice}")))
    );
    assert!(
        links.contains(&"/admin/questions?type=judge".to_string()),
        "back to the list"
    );
    assert!(listed.contains("rel=\"prev\""));
    assert!(hrefs(&queue).contains(&format!("/admin/questions/{middle}?from=review")));
    let links = hrefs(&reviewed);
    assert!(
        links.contains(&format!("/admin/questions/{first}?from=review")),
        "{links:?}"
    );
    assert!(links.contains(&format!("/admin/questions/{last}?from=review")));
    assert!(links.contains(&"/admin/questions/review".to_string()));
}
