//! Regrading from the administrators' pages with certificates following (pass→fail revoked,
//! fail→pass issued), and a key edited mid-exam: a new version the attempt does not use.

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::model::{Answer, QuestionType};
use xuefa::bank::{admin, store};

use super::admin_pages::sit;
use super::support::*;

/// Sets a judge question's key through the bank editor's domain (a new version).
async fn set_judge_key(site: &ExamSite, qid: i64, correct: bool) {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: site.t.app.clock.now(),
    };
    let detail = store::get(&mut site.t.app.db.pool.acquire().await.unwrap(), qid)
        .await
        .unwrap()
        .unwrap();
    let mut fixed = detail.draft();
    fixed.answer = Answer::Judge { correct };
    site.t
        .write(async |tx| admin::edit(tx, &ctx, qid, detail.summary.version_id, &fixed).await)
        .await
        .expect("edit the key");
}

async fn certificates_of(site: &ExamSite, s: &Session) -> Vec<Value> {
    let (_, v) = api_get(&site.t.router, "/api/me/certificates", Some(s)).await;
    v.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_regrade_from_the_page_revokes_pass_to_fail_and_issues_fail_to_pass() {
    let site = exam_site().await;
    let ids = add_questions(&site, QuestionType::Judge, 4, "信访/程序").await;
    let second = another_officer(&site, "officer2").await;
    let sections = json!([{"questions": ids, "points": 25}]);
    let extra = json!({"kind": "qualification", "pass_score": 50, "category": "综合行政执法"});
    let exam_id = published_exam(&site, definition(sections, extra)).await;
    assert_eq!(
        sit(&site, &site.officer, exam_id, "对").await["passed"],
        true
    );
    assert_eq!(sit(&site, &second, exam_id, "错").await["passed"], false);
    let earned = certificates_of(&site, &site.officer).await;
    assert_eq!(earned.len(), 1);
    let number = earned[0]["number"].as_str().unwrap().to_string();

    // Three keys were wrong: the answer is 错.
    for qid in &ids[..3] {
        set_judge_key(&site, *qid, false).await;
    }
    let uri = format!("/admin/exams/{exam_id}/regrade");
    let (status, _, dry) = page(&site.t.router, &uri, Some(&site.admin), None).await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert!(
        dry.contains("由不及格变为及格（1 人）") && dry.contains("由及格变为不及格（1 人）"),
        "{dry}"
    );
    assert!(dry.contains("确认重新评分"));
    assert_eq!(
        certificates_of(&site, &site.officer).await[0]["status"],
        "valid",
        "a dry run changes nothing"
    );
    assert!(certificates_of(&site, &second).await.is_empty());

    let form = [("csrf_token", site.admin.csrf.as_str())];
    let (status, _, applied) = page(&site.t.router, &uri, Some(&site.admin), Some(&form)).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert!(
        applied.contains("已吊销证件") && applied.contains(&number),
        "{applied}"
    );

    let revoked = certificates_of(&site, &site.officer).await;
    assert_eq!(revoked[0]["status"], "revoked", "{revoked:?}");
    let issued = certificates_of(&site, &second).await;
    assert_eq!(issued.len(), 1, "fail→pass earns the certificate");
    assert_eq!(
        (issued[0]["status"].as_str(), issued[0]["category"].as_str()),
        (Some("valid"), Some("综合行政执法"))
    );
    let entries = audit_entries(&site.t, &site.admin).await;
    let entry =
        find_audit(&entries, "certificate_revoked", &number).expect("the revocation is audited");
    assert_eq!(entry["detail"], "重新评分后未通过");
    assert!(find_audit(&entries, "exam_regraded", &format!("考试 #{exam_id}")).is_some());
    let (_, _, verify) = page(&site.t.router, &format!("/verify/{number}"), None, None).await;
    assert!(verify.contains("吊销"), "{verify}");

    // The keys are put back: the CLI regrade (in Chinese) restores the revoked certificate.
    for qid in &ids[..3] {
        set_judge_key(&site, *qid, true).await;
    }
    let out = site
        .t
        .cli(&["exams", "regrade", &exam_id.to_string(), "--apply"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("已重新评分") && text.contains("不及格→及格") && text.contains("及格→不及格"),
        "{text}"
    );
    assert_eq!(
        certificates_of(&site, &site.officer).await[0]["status"],
        "valid"
    );
    let revoked_again = certificates_of(&site, &second).await;
    assert_eq!(revoked_again[0]["status"], "revoked");
}

#[tokio::test]
async fn a_key_edited_mid_exam_is_a_new_version_the_attempt_does_not_use() {
    let site = exam_site().await;
    let ids = add_questions(&site, QuestionType::Judge, 3, "信访/程序").await;
    let editor = user_session(
        &site.t,
        &site.admin,
        "editor1",
        "柱山乡/执法大队",
        "题库管理员",
    )
    .await;
    let sections = json!([{"questions": ids, "points": 20}]);
    let exam_id = published_exam(&site, definition(sections, json!({"pass_score": 40}))).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    for qid in &ids {
        answer(
            &site,
            &site.officer,
            attempt_id,
            *qid,
            json!({"answer": ["对"]}),
        )
        .await;
    }

    // Someone else's exam in progress does not stop the editor; the edit is a new version.
    let q = format!("/admin/questions/{}", ids[0]);
    let (status, _, _) = page(&site.t.router, &q, Some(&editor), None).await;
    assert_eq!(status, StatusCode::OK);
    set_judge_key(&site, ids[0], false).await;
    let (_, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(
        result["score"], 60.0,
        "graded with the version on the paper: {result}"
    );
    assert_eq!(result["items"][0]["correct_answer"], json!(["对"]));

    // A bank editor sitting an exam may not open the bank (it shows the keys).
    let (status, _) = start(&site, &editor, exam_id).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _, body) = page(&site.t.router, &q, Some(&editor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("考试进行中，不能查看或修改题库"), "{body}");
    let (status, _, _) = page(&site.t.router, "/admin/questions", Some(&editor), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
