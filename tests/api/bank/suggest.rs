//! The basis suggester: `questions suggest-basis`, `import --suggest-basis` and the 推荐依据 of a
//! question page (confirm, pick another), on a bank that does not say which article it tests.

use axum::http::StatusCode;
use xuefa::bank::BankError;
use xuefa::bank::admin;
use xuefa::bank::import::ImportOptions;
use xuefa::bank::model::Status;
use xuefa::bank::store;

use super::site::{admin_page, bank_site, post, upload_questions};
use super::support::*;
use crate::accounts_support::{add_unit, audit_entries, page, user_session};
use crate::helpers::*;

const HEADER: &str = "题型,题干,选项A,选项B,选项C,选项D,答案,解析,依据,难度,标签\n";

/// Three questions on 信访工作条例 that cite nothing (第二十二条, 第三十四条, 第三十五条 of it
/// answer them), and one that cites its article.
fn uncited_bank() -> String {
    format!(
        "{HEADER}\
单选,各级党委和政府信访部门收到信访事项，应当予以登记，并区分情况，在多长时间内分别按照规定方式处理？,5日,10日,15日,30日,C,,,2,信访\n\
单选,信访事项情况复杂的，经本机关、单位负责人批准，办理期限可以适当延长，但延长期限不得超过多少日？,10日,15日,30日,60日,C,,,2,信访\n\
单选,信访人对信访处理意见不服的，可以自收到书面答复之日起30日内请求哪一机关、单位复查？,国家信访局,本级信访部门,原办理机关、单位,原办理机关、单位的上一级机关、单位,D,,,2,信访\n\
判断,信访人应当遵守法律、法规，不得损害国家、社会、集体的利益和其他公民的合法权利。,,,,,对,,《信访工作条例》第二十六条,1,信访\n"
    )
}

fn write_bank(t: &TestApp) -> String {
    let path = t.dir.path().join("uncited.csv");
    std::fs::write(&path, uncited_bank()).expect("write bank");
    path.to_string_lossy().into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn suggest_basis_proposes_up_to_three_articles_per_question_with_the_answering_one_first() {
    // Arrange
    let t = bank_app().await;
    let file = write_bank(&t);

    // Act
    let json = stdout(&t.cli(&["questions", "suggest-basis", &file, "--json"]));
    let table = stdout(&t.cli(&["questions", "suggest-basis", &file]));

    // Assert
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json");
    assert_eq!(rows.len(), 4, "{json}");
    let numbers: Vec<i64> = rows.iter().filter_map(|r| r["row"].as_i64()).collect();
    assert_eq!(numbers, vec![2, 3, 4, 5]);
    assert!(
        rows[0]["stem"]
            .as_str()
            .unwrap()
            .starts_with("各级党委和政府信访部门")
    );
    for (row, expected) in rows.iter().zip([22, 34, 35, 26]) {
        let candidates = row["candidates"].as_array().expect("candidates");
        assert!((1..=3).contains(&candidates.len()), "{}", row["candidates"]);
        let first = &candidates[0];
        assert_eq!(first["law_title"], "信访工作条例", "{row}");
        assert_eq!(first["article_no"], expected, "{row}");
        assert!(first["article_label"].as_str().unwrap().starts_with('第'));
        let scores: Vec<f64> = candidates
            .iter()
            .filter_map(|c| c["score"].as_f64())
            .collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "best first: {scores:?}"
        );
    }
    assert!(table.starts_with("行\t题干\t推荐依据"), "{table}");
    assert!(table.contains("《信访工作条例》第二十二条"), "{table}");
}

#[tokio::test]
async fn import_with_suggest_basis_stores_a_suggested_basis_that_must_be_confirmed_before_approval()
{
    // Arrange
    let t = bank_app().await;
    let opts = ImportOptions {
        approve: true,
        suggest_basis: true,
        ..ImportOptions::default()
    };
    let actor = admin();

    // Act
    let report = import_file(&t, "uncited.csv", uncited_bank().as_bytes(), opts).await;
    let ids = report.question_ids.clone();
    let refused = t
        .write(async |tx| admin::approve(tx, &ctx(&actor), &[ids[0]]).await)
        .await;
    let queue = admin::review_queue(&mut t.app.db.pool.acquire().await.unwrap(), &actor)
        .await
        .expect("queue");
    t.write(async |tx| admin::confirm_basis(tx, &ctx(&actor), ids[0]).await)
        .await
        .expect("confirm");
    let again = t
        .write(async |tx| admin::confirm_basis(tx, &ctx(&actor), ids[0]).await)
        .await;
    t.write(async |tx| admin::approve(tx, &ctx(&actor), &[ids[0]]).await)
        .await
        .expect("approve once confirmed");

    // Assert
    assert_eq!(report.imported, 4, "{report:?}");
    let rows: Vec<usize> = report.suggested.iter().map(|s| s.row).collect();
    assert_eq!(rows, vec![2, 3, 4], "the cited row keeps its own basis");
    assert_eq!(report.suggested[0].basis, "《信访工作条例》第二十二条");
    assert!(
        report.summary().ends_with("推荐依据 3 题"),
        "{}",
        report.summary()
    );
    let stored = store::get(&mut t.app.db.pool.acquire().await.unwrap(), ids[1])
        .await
        .unwrap()
        .expect("question");
    assert_eq!(
        stored.summary.status,
        Status::Draft,
        "not approved on import"
    );
    assert!(stored.summary.needs_review);
    assert_eq!(stored.summary.basis, vec!["《信访工作条例》第三十四条"]);
    assert!(
        stored.summary.review_note.contains("待确认"),
        "{}",
        stored.summary.review_note
    );
    let cited = store::get(&mut t.app.db.pool.acquire().await.unwrap(), ids[3])
        .await
        .unwrap()
        .expect("question");
    assert_eq!(cited.summary.status, Status::Approved);
    assert!(!cited.summary.needs_review);
    assert!(matches!(refused, Err(BankError::Refused(_))), "{refused:?}");
    let queued: Vec<i64> = queue.iter().map(|q| q.question_id).collect();
    assert_eq!(queued, ids[..3].to_vec());
    assert!(matches!(again, Err(BankError::Conflict(_))), "{again:?}");
    let approved = store::get(&mut t.app.db.pool.acquire().await.unwrap(), ids[0])
        .await
        .unwrap()
        .expect("question");
    assert_eq!(approved.summary.status, Status::Approved);
    assert_eq!(
        store::suggested::is_marked(&t.app.db.pool, ids[0])
            .await
            .unwrap(),
        Some(false)
    );
}

/// The id after `/admin/questions/` in a page's first question link of the review queue.
fn queued_ids(html: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = html
        .split("/admin/questions/")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect();
    ids.dedup();
    ids
}

#[tokio::test]
async fn the_page_shows_the_candidates_with_their_text_and_confirming_or_picking_is_audited() {
    // Arrange
    let (t, admin) = bank_site().await;
    let (status, report) = upload_questions(
        &t,
        &admin,
        &[("suggest_basis", "1"), ("approve", "1")],
        &uncited_bank(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let queue = admin_page(&t, &admin, "/admin/questions/review").await;
    let ids = queued_ids(&queue);
    let (first, second) = (ids[0], ids[1]);

    // Act
    let shown = admin_page(&t, &admin, &format!("/admin/questions/{first}")).await;
    let confirm = [("csrf_token", admin.csrf.as_str())];
    let (confirmed, _, _) = post(
        &t,
        &admin,
        &format!("/admin/questions/{first}/basis/confirm"),
        &confirm,
    )
    .await;
    let after = admin_page(&t, &admin, &format!("/admin/questions/{first}")).await;
    let before_pick = store::get(&mut t.app.db.pool.acquire().await.unwrap(), second)
        .await
        .unwrap()
        .expect("question");
    let law_id = t.current("信访工作条例").await.law_id.to_string();
    let version = before_pick.summary.version_id.to_string();
    let pick = [
        ("csrf_token", admin.csrf.as_str()),
        ("version_id", version.as_str()),
        ("law_id", law_id.as_str()),
        ("article_no", "22"),
        ("article_sub", "0"),
    ];
    let (picked, _, _) = post(
        &t,
        &admin,
        &format!("/admin/questions/{second}/basis/pick"),
        &pick,
    )
    .await;
    let stale = post(
        &t,
        &admin,
        &format!("/admin/questions/{second}/basis/pick"),
        &pick,
    )
    .await;

    // Assert
    assert!(report.contains("id=\"import-suggested\""), "{report}");
    assert!(report.contains("《信访工作条例》第二十二条"), "{report}");
    assert_eq!(ids.len(), 3, "{queue}");
    assert!(shown.contains("id=\"candidates\""), "{shown}");
    assert!(shown.contains("依据待确认"), "{shown}");
    assert!(shown.contains("id=\"confirm-basis\""), "{shown}");
    assert!(
        shown.contains("并区分情况"),
        "the article's text is shown: {shown}"
    );
    assert!(shown.contains("选用此条为依据"), "{shown}");
    assert_eq!(confirmed, StatusCode::SEE_OTHER);
    assert!(!after.contains("依据待确认"), "{after}");
    assert!(
        !after.contains("id=\"candidates\""),
        "a confirmed basis needs no candidates"
    );
    assert_eq!(picked, StatusCode::SEE_OTHER);
    assert_eq!(
        stale.0,
        StatusCode::CONFLICT,
        "a pick from a replaced version: {}",
        stale.2
    );
    let now = store::get(&mut t.app.db.pool.acquire().await.unwrap(), second)
        .await
        .unwrap()
        .expect("question");
    assert_eq!(now.summary.basis, vec!["《信访工作条例》第二十二条"]);
    assert_eq!(now.summary.version_no, before_pick.summary.version_no + 1);
    assert!(!now.summary.needs_review);
    let entries = audit_entries(&t, &admin).await;
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"question_basis_confirmed"), "{actions:?}");
    assert!(actions.contains(&"question_basis_picked"), "{actions:?}");
}

#[tokio::test]
async fn unit_administrators_may_neither_see_the_candidates_nor_confirm_or_pick() {
    // Arrange
    let (t, admin) = bank_site().await;
    upload_questions(&t, &admin, &[("suggest_basis", "1")], &uncited_bank()).await;
    let id = queued_ids(&admin_page(&t, &admin, "/admin/questions/review").await)[0];
    add_unit(&t, &admin, "柱山乡").await;
    let unit_admin = user_session(&t, &admin, "guanli09", "柱山乡", "unit_admin").await;
    let token = [("csrf_token", unit_admin.csrf.as_str())];

    // Act
    let (shown, _, _) = page(
        &t.router,
        &format!("/admin/questions/{id}"),
        Some(&unit_admin),
        None,
    )
    .await;
    let (confirmed, _, _) = page(
        &t.router,
        &format!("/admin/questions/{id}/basis/confirm"),
        Some(&unit_admin),
        Some(&token),
    )
    .await;

    // Assert
    assert_eq!(shown, StatusCode::FORBIDDEN);
    assert_eq!(confirmed, StatusCode::FORBIDDEN);
    assert_eq!(
        store::suggested::is_marked(&t.app.db.pool, id)
            .await
            .unwrap(),
        Some(true),
        "still awaiting confirmation"
    );
}
