//! Regrading after a key is corrected: a dry run lists who changes from fail to pass and
//! changes nothing; applying stores the new grades and is audited.

use axum::http::StatusCode;
use serde_json::json;
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::model::{Answer, QuestionType};
use xuefa::bank::{admin, store};

use super::support::*;

#[tokio::test]
async fn a_corrected_key_regrades_the_exam_dry_run_first_then_applied_and_audited() {
    let site = exam_site().await;
    let ids = add_questions(&site, QuestionType::Judge, 5, "信访/程序").await;
    let sections = json!([{"questions": ids, "points": 20}]);
    let exam_id = published_exam(&site, definition(sections, json!({"shuffle": false}))).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    // Right on two, "错" on three: 40, a fail.
    for (i, qid) in ids.iter().enumerate() {
        let given = if i < 2 { "对" } else { "错" };
        answer(
            &site,
            &site.officer,
            attempt_id,
            *qid,
            json!({"answer": [given]}),
        )
        .await;
    }
    let (_, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(
        (result["score"].as_f64(), result["passed"].as_bool()),
        (Some(40.0), Some(false))
    );

    // The key of the third question was wrong: it is 错.
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: T0,
    };
    let q = ids[2];
    let detail = store::get(&mut site.t.app.db.pool.acquire().await.unwrap(), q)
        .await
        .unwrap()
        .unwrap();
    let mut fixed = detail.draft();
    fixed.answer = Answer::Judge { correct: false };
    site.t
        .write(async |tx| admin::edit(tx, &ctx, q, detail.summary.version_id, &fixed).await)
        .await
        .expect("correct the key");

    let uri = format!("/api/admin/exams/{exam_id}/regrade");
    let (status, dry) = api_post(&site.t.router, &uri, &site.admin, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert_eq!(dry["applied"], false);
    assert_eq!(dry["changes"].as_array().unwrap().len(), 1);
    let change = &dry["changes"][0];
    assert_eq!(
        (
            change["username"].as_str(),
            change["old_score"].as_f64(),
            change["new_score"].as_f64()
        ),
        (Some("officer1"), Some(40.0), Some(60.0))
    );
    assert_eq!(
        (
            change["old_passed"].as_bool(),
            change["new_passed"].as_bool()
        ),
        (Some(false), Some(true))
    );
    let (_, unchanged) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(unchanged["score"], 40.0, "a dry run changes nothing");

    let (status, applied) =
        api_post(&site.t.router, &uri, &site.admin, json!({"apply": true})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(applied["applied"], true);
    let (_, now) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(
        (now["score"].as_f64(), now["passed"].as_bool()),
        (Some(60.0), Some(true))
    );
    assert_eq!(
        now["items"][2]["correct_answer"],
        json!(["错"]),
        "reviewed with the corrected key"
    );
    let entries = audit_entries(&site.t, &site.admin).await;
    let entry =
        find_audit(&entries, "exam_regraded", &format!("考试 #{exam_id}")).expect("audited");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap()
            .contains("1 人及格与否改变"),
        "{entry}"
    );

    // Nothing left to change.
    let out = site.t.cli(&["exams", "regrade", &exam_id.to_string()]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("分数变化 0 份"),
        "{out:?}"
    );
}
