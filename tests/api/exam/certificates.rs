//! Passing a qualification exam earns an enforcement certificate, issued in the unit of work
//! that grades the attempt (submit, or the first touch after the deadline); failing, a quiz,
//! or grading twice issues none more.

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::bank::model::QuestionType;

use super::support::*;

/// 4 judge questions of 25 points, pass 50, 10 minutes; `kind` and the certificate's
/// category given.
async fn judge_exam(site: &ExamSite, kind: &str) -> i64 {
    add_questions(site, QuestionType::Judge, 4, "信访/程序").await;
    let sections = json!([{"types": ["judge"], "count": 4, "points": 25}]);
    let extra = json!({"kind": kind, "pass_score": 50, "category": "综合行政执法",
        "time_limit_minutes": 10});
    published_exam(site, definition(sections, extra)).await
}

/// Starts an attempt and saves `given` for every question; returns the attempt id.
async fn answer_all(site: &ExamSite, s: &Session, exam_id: i64, given: Value) -> i64 {
    let (status, paper) = start(site, s, exam_id).await;
    assert_eq!(status, StatusCode::CREATED, "{paper}");
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    for q in paper["questions"].as_array().unwrap() {
        let qid = q["question_id"].as_i64().unwrap();
        let (status, v) = answer(site, s, attempt_id, qid, json!({"answer": given})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    attempt_id
}

async fn my_certificates(site: &ExamSite, s: &Session) -> Vec<Value> {
    let (status, v) = api_get(&site.t.router, "/api/me/certificates", Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v.as_array().expect("a list").clone()
}

#[tokio::test]
async fn passing_a_qualification_exam_issues_one_certificate_that_verifies() {
    let site = exam_site().await;
    let exam_id = judge_exam(&site, "qualification").await;
    assert!(my_certificates(&site, &site.officer).await.is_empty());

    let attempt_id = answer_all(&site, &site.officer, exam_id, json!(["对"])).await;
    let (status, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["passed"], true, "{result}");
    let certs = my_certificates(&site, &site.officer).await;
    assert_eq!(certs.len(), 1, "{certs:?}");
    assert_eq!(certs[0]["category"], "综合行政执法");
    assert_eq!(certs[0]["status"], "valid");

    // A second submit grades nothing and issues nothing.
    let (status, _) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(my_certificates(&site, &site.officer).await.len(), 1);

    let number = certs[0]["number"].as_str().unwrap();
    let (status, _, page) = get(&site.t.router, &format!("/verify/{number}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("综合行政执法"), "{page:.600}");
    assert!(!page.contains("查无此证"), "{page:.600}");
}

#[tokio::test]
async fn failing_or_passing_a_quiz_issues_no_certificate() {
    let site = exam_site().await;
    let qualification = judge_exam(&site, "qualification").await;
    let attempt_id = answer_all(&site, &site.officer, qualification, json!(["错"])).await;
    let (_, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(result["passed"], false, "{result}");
    assert!(my_certificates(&site, &site.officer).await.is_empty());

    let quiz = judge_exam(&site, "quiz").await;
    let attempt_id = answer_all(&site, &site.officer, quiz, json!(["对"])).await;
    let (_, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(result["passed"], true, "{result}");
    assert!(my_certificates(&site, &site.officer).await.is_empty());
}

#[tokio::test]
async fn an_attempt_graded_at_its_deadline_earns_its_certificate_too() {
    let site = exam_site().await;
    let exam_id = judge_exam(&site, "qualification").await;
    let attempt_id = answer_all(&site, &site.officer, exam_id, json!(["对"])).await;
    // The phone died; the deadline passes; the officer opens the attempt again.
    site.t.app.clock.advance(11 * 60);
    let (status, state) = api_get(
        &site.t.router,
        &format!("/api/attempts/{attempt_id}"),
        Some(&site.officer),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["passed"], true, "{state}");
    assert_eq!(my_certificates(&site, &site.officer).await.len(), 1);
}
