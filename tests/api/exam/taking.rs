//! Sitting an exam through the API: the paper, autosave, resume, submit twice, review, and
//! that nothing of the key reaches the taker before grading or anyone else's attempt.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use xuefa::bank::model::QuestionType;

use super::support::*;

/// 3 single, 3 judge, 2 multiple, 2 fill, 10 points each: 100, pass 60.
async fn mixed_exam(site: &ExamSite, extra: Value) -> i64 {
    add_questions(site, QuestionType::Single, 4, "信访/原则").await;
    add_questions(site, QuestionType::Judge, 4, "信访/程序").await;
    add_questions(site, QuestionType::Multiple, 2, "信访/原则").await;
    add_questions(site, QuestionType::Fill, 2, "信访/期限").await;
    let sections = json!([
        {"name": "单选题", "types": ["single"], "count": 3, "points": 10},
        {"name": "判断题", "types": ["judge"], "count": 3, "points": 10},
        {"name": "多选与填空", "types": ["multiple", "fill"], "count": 4, "points": 10},
    ]);
    published_exam(site, definition(sections, extra)).await
}

fn questions(paper: &Value) -> Vec<Value> {
    paper["questions"].as_array().expect("questions").clone()
}

#[tokio::test]
async fn an_officer_sits_an_exam_resumes_it_and_submits_twice_for_the_same_result() {
    let site = exam_site().await;
    let exam_id = mixed_exam(&site, json!({})).await;

    let (status, paper) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::CREATED, "{paper}");
    assert_no_key("the paper", &paper);
    let qs = questions(&paper);
    assert_eq!(qs.len(), 10);
    let types: Vec<&str> = qs.iter().map(|q| q["type"].as_str().unwrap()).collect();
    assert!(types[..3].iter().all(|t| *t == "single"), "{types:?}");
    assert!(types[3..6].iter().all(|t| *t == "judge"), "{types:?}");
    assert!(types[6..].iter().all(|t| *t == "multiple" || *t == "fill"));
    let mut ids: Vec<i64> = qs
        .iter()
        .map(|q| q["question_id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 10, "no question twice");
    let attempt_id = paper["attempt_id"].as_i64().unwrap();

    // Every answer right but the first judge; the fills in both written forms.
    let mut fills = ["60", "六十"].into_iter();
    for (i, q) in qs.iter().enumerate() {
        let mut given = right_answer(q);
        if i == 3 {
            given = json!(["错"]);
        }
        if q["type"] == "fill" {
            given = json!([fills.next().unwrap()]);
        }
        let qid = q["question_id"].as_i64().unwrap();
        let (status, saved) = answer(
            &site,
            &site.officer,
            attempt_id,
            qid,
            json!({"answer": given}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_no_key("a saved answer", &saved);
        // Saving the same answer again is fine (a retry after a dropped connection).
        let (again, _) = answer(
            &site,
            &site.officer,
            attempt_id,
            qid,
            json!({"answer": given}),
        )
        .await;
        assert_eq!(again, StatusCode::OK);
    }
    let flag = qs[0]["question_id"].as_i64().unwrap();
    let (status, _) = answer(
        &site,
        &site.officer,
        attempt_id,
        flag,
        json!({"flagged": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Starting again resumes: the same paper, the same option order, the answers kept.
    let (status, resumed) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_no_key("the resumed paper", &resumed);
    assert_eq!(resumed["attempt_id"], paper["attempt_id"]);
    let rq = questions(&resumed);
    for (a, b) in qs.iter().zip(&rq) {
        assert_eq!(a["question_id"], b["question_id"]);
        assert_eq!(a["options"], b["options"]);
        assert!(b["answer"].is_array(), "answer kept: {b}");
    }
    assert_eq!(rq[0]["flagged"], true);
    let uri = format!("/api/attempts/{attempt_id}");
    let (status, state) = api_get(&site.t.router, &uri, Some(&site.officer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_no_key("the attempt", &state);
    let (status, list) = api_get(&site.t.router, "/api/exams", Some(&site.officer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_no_key("the exam list", &list);
    let (status, mine) = api_get(&site.t.router, "/api/me/attempts", Some(&site.officer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_no_key("my attempts", &mine);
    let events = format!("/api/attempts/{attempt_id}/events");
    let (status, v) = api_post(
        &site.t.router,
        &events,
        &site.officer,
        json!({"kind": "hidden"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");

    let (status, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["score"], 90.0);
    assert_eq!(result["max_score"], 100.0);
    assert_eq!(result["passed"], true);
    // Review after submit: now the key, explanation and basis are there.
    let first = &result["items"][0];
    assert_eq!(first["correct"], true);
    assert_eq!(first["correct_answer"], right_answer(&qs[0]));
    assert_eq!(first["explanation"], EXPLANATION);
    assert!(
        first["basis"][0]["article_text"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert_eq!(result["items"][3]["correct"], false);

    let (status, again) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, result, "a second submit returns the same result");
    let (status, late) = answer(
        &site,
        &site.officer,
        attempt_id,
        flag,
        json!({"answer": ["A"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(late["error"].as_str().unwrap().contains("已交卷"), "{late}");

    let (_, list) = api_get(&site.t.router, "/api/exams", Some(&site.officer)).await;
    assert_eq!(list[0]["attempts_used"], 1);
    assert_eq!(list[0]["best_score"], 90.0);
    assert_eq!(list[0]["passed"], true);
    let (_, mine) = api_get(&site.t.router, "/api/me/attempts", Some(&site.officer)).await;
    assert_eq!(mine[0]["status"], "submitted");
}

#[tokio::test]
async fn nobody_sees_or_touches_another_person_s_attempt() {
    let site = exam_site().await;
    let exam_id = mixed_exam(&site, json!({})).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    let qid = paper["questions"][0]["question_id"].as_i64().unwrap();
    let other = another_officer(&site, "officer2").await;

    let r = &site.t.router;
    let checks = [
        call(
            r,
            Method::GET,
            &format!("/api/attempts/{attempt_id}"),
            Some(&other),
            None,
        )
        .await,
        answer(&site, &other, attempt_id, qid, json!({"answer": ["A"]})).await,
        submit(&site, &other, attempt_id).await,
        api_post(
            r,
            &format!("/api/attempts/{attempt_id}/events"),
            &other,
            json!({"kind": "hidden"}),
        )
        .await,
    ];
    for (status, body) in checks {
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_no_key("a refusal", &body);
    }
    // The owner's attempt is untouched.
    let (status, state) = api_get(
        r,
        &format!("/api/attempts/{attempt_id}"),
        Some(&site.officer),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["status"], "in_progress");
    assert!(state["questions"][0]["answer"].is_null());
}

#[tokio::test]
async fn partial_credit_for_multiple_choice_when_the_exam_allows_it_and_review_can_wait() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Multiple, 2, "信访/原则").await;
    let sections = json!([{"types": ["multiple"], "count": 2, "points": 10}]);
    let extra = json!({"multiple_partial_credit": 0.5, "pass_score": 10, "review": "after_close",
                    "closes_at": at(1200)});
    let exam_id = published_exam(&site, definition(sections, extra)).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    let qs = questions(&paper);
    // One right option of two on the first (half), one right and one wrong on the second (0).
    let one_right = right_answer(&qs[0])[0].clone();
    let q0 = qs[0]["question_id"].as_i64().unwrap();
    answer(
        &site,
        &site.officer,
        attempt_id,
        q0,
        json!({"answer": [one_right]}),
    )
    .await;
    let wrong: Vec<Value> = qs[1]["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["text"].as_str().unwrap().starts_with("错误"))
        .map(|o| o["key"].clone())
        .collect();
    let mixed = json!([right_answer(&qs[1])[0], wrong[0]]);
    let q1 = qs[1]["question_id"].as_i64().unwrap();
    answer(
        &site,
        &site.officer,
        attempt_id,
        q1,
        json!({"answer": mixed}),
    )
    .await;

    let (_, result) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(result["score"], 5.0, "{result}");
    assert_eq!(result["passed"], false);
    // Review waits for the exam to close: nothing per question yet.
    assert_eq!(result["review"], false);
    assert_no_key("a result before the exam closes", &result);

    // (Less than the 30 minutes a session may stay idle.)
    site.t.app.clock.advance(1200);
    let (_, later) = api_get(
        &site.t.router,
        &format!("/api/attempts/{attempt_id}"),
        Some(&site.officer),
    )
    .await;
    assert_eq!(later["review"], true, "{later}");
    assert_eq!(later["items"][0]["earned"], 5.0);
}

#[tokio::test]
async fn the_database_refuses_a_second_attempt_in_progress_for_the_same_person_and_exam() {
    use xuefa::exam::store_attempt::{NewAttempt, insert};
    let site = exam_site().await;
    let exam_id = mixed_exam(&site, json!({})).await;
    let (status, _) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::CREATED);
    // Around the check in `start`, straight at the table: the unique index decides.
    let second = NewAttempt {
        exam_id,
        user_id: site.officer.user_id,
        attempt_no: 2,
        seed: 1,
        now: T0,
        deadline: T0 + 60,
        max_score: 0,
        paper: &[],
    };
    let err = site
        .t
        .write(async |tx| insert(tx, &second).await)
        .await
        .expect_err("a second attempt in progress");
    assert!(xuefa::db::is_unique_violation(&err), "{err}");
}
