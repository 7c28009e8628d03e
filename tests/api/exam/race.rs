//! Saves racing the submit: every answer acknowledged with 200 is in the grade, every other
//! one is refused with the clear "已交卷" message; nothing is half-stored. The requests run on
//! a multi-threaded runtime so the save path and the submit really overlap.

use axum::http::StatusCode;
use serde_json::json;
use xuefa::bank::model::QuestionType;
use xuefa::exam::attempt::FINISHED;

use super::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_answer_is_graded_when_saves_race_the_submit() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Single, 10, "信访/原则").await;
    let sections = json!([{"name": "单选题", "types": ["single"], "count": 10, "points": 10}]);
    let exam_id = published_exam(&site, definition(sections, json!({}))).await;

    // Officers submit after 0, 3, 6 and 9 saves have been sent, so the submit lands
    // before, among and after the saves.
    for (round, submit_after) in [0usize, 3, 6, 9].into_iter().enumerate() {
        let who = another_officer(&site, &format!("racer{round}")).await;
        let (status, paper) = start(&site, &who, exam_id).await;
        assert_eq!(status, StatusCode::CREATED, "{paper}");
        let attempt_id = paper["attempt_id"].as_i64().expect("attempt_id");
        let questions = paper["questions"].as_array().expect("questions").clone();

        let mut saves = Vec::new();
        let mut submitting = None;
        for (i, q) in questions.iter().enumerate() {
            if i == submit_after {
                let (router, who) = (site.t.router.clone(), who.clone());
                submitting = Some(tokio::spawn(async move {
                    let uri = format!("/api/attempts/{attempt_id}/submit");
                    api_post(&router, &uri, &who, json!({})).await
                }));
            }
            let qid = q["question_id"].as_i64().expect("question_id");
            let body = json!({"answer": right_answer(q)});
            let (router, who) = (site.t.router.clone(), who.clone());
            saves.push(tokio::spawn(async move {
                let uri = format!("/api/attempts/{attempt_id}/answers/{qid}");
                call(
                    &router,
                    axum::http::Method::PUT,
                    &uri,
                    Some(&who),
                    Some(body),
                )
                .await
            }));
        }

        let mut acknowledged = 0;
        for save in saves {
            let (status, v) = save.await.expect("save task");
            match status {
                StatusCode::OK => acknowledged += 1,
                StatusCode::CONFLICT => assert_eq!(v["error"], FINISHED, "{v}"),
                other => panic!("round {round}: a save answered {other}: {v}"),
            }
        }
        let (status, result) = submitting.expect("submit sent").await.expect("submit task");
        assert_eq!(status, StatusCode::OK, "{result}");
        assert_eq!(
            result["score"],
            json!(f64::from(acknowledged * 10)),
            "round {round}: {acknowledged} answers acknowledged, all right: {result}"
        );
        let (_, again) = submit(&site, &who, attempt_id).await;
        assert_eq!(
            again["score"], result["score"],
            "a second submit changes nothing"
        );
    }
}
