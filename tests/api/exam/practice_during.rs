//! The bank is shared by practice and exams: while someone sits an exam, practice gives no
//! feedback (it would show the keys of the paper's questions); after submitting it does.

use axum::http::StatusCode;
use serde_json::json;
use xuefa::bank::model::QuestionType;

use super::support::*;

#[tokio::test]
async fn practice_shows_no_key_while_an_exam_is_in_progress() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Judge, 3, "信访/程序").await;
    let sections = json!([{"types": ["judge"], "count": 3, "points": 20}]);
    let exam_id = published_exam(&site, definition(sections, json!({"pass_score": 20}))).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    let qid = paper["questions"][0]["question_id"].as_i64().unwrap();

    let practise = || {
        api_post(
            &site.t.router,
            "/api/practice/answers",
            &site.officer,
            json!({"question_id": qid, "answer": ["对"]}),
        )
    };
    let (status, refused) = practise().await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        refused["error"].as_str().unwrap().contains("考试进行中"),
        "{refused}"
    );
    assert_no_key("practice during the exam", &refused);

    let (status, _) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(status, StatusCode::OK);
    let (status, feedback) = practise().await;
    assert_eq!(status, StatusCode::OK, "{feedback}");
    assert_eq!(feedback["correct"], true, "{feedback}");
}
