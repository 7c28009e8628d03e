//! The server's deadline with an injected clock: answers after it are refused and the
//! attempt is graded with what was saved, on the next touch or by the sweep; the window caps
//! the deadline; an attempt survives a restart of the server.

use axum::http::StatusCode;
use serde_json::json;
use xuefa::app::App;
use xuefa::bank::model::QuestionType;
use xuefa::clock::Clock;

use super::support::*;

async fn judge_exam(site: &ExamSite, minutes: i64, closes_after: i64) -> i64 {
    add_questions(site, QuestionType::Judge, 5, "信访/程序").await;
    let sections = json!([{"types": ["judge"], "count": 5, "points": 20}]);
    let extra = json!({"time_limit_minutes": minutes, "closes_at": at(closes_after)});
    published_exam(site, definition(sections, extra)).await
}

#[tokio::test]
async fn after_the_deadline_answers_are_refused_and_what_was_saved_is_graded() {
    let site = exam_site().await;
    let exam_id = judge_exam(&site, 30, 86_400).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    assert_eq!(paper["deadline_unix"], T0 + 30 * 60);
    let q = |i: usize| paper["questions"][i]["question_id"].as_i64().unwrap();

    site.t.app.clock.advance(29 * 60);
    let (status, _) = answer(
        &site,
        &site.officer,
        attempt_id,
        q(0),
        json!({"answer": ["对"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "a minute before the deadline");
    site.t.app.clock.advance(60);
    let (status, refused) = answer(
        &site,
        &site.officer,
        attempt_id,
        q(1),
        json!({"answer": ["对"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        refused["error"].as_str().unwrap().contains("考试时间已到"),
        "{refused}"
    );

    let (status, state) = api_get(
        &site.t.router,
        &format!("/api/attempts/{attempt_id}"),
        Some(&site.officer),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["status"], "expired");
    assert_eq!(
        state["score"], 20.0,
        "only the answer saved in time counts: {state}"
    );
    assert_eq!(state["items"][1]["answer"], serde_json::Value::Null);
    let (_, again) = submit(&site, &site.officer, attempt_id).await;
    assert_eq!(again["score"], 20.0);
}

#[tokio::test]
async fn the_sweep_closes_an_attempt_nobody_touches_and_the_window_caps_the_deadline() {
    let site = exam_site().await;
    // Closes ten minutes after opening: the 30-minute limit is cut to 10.
    let exam_id = judge_exam(&site, 30, 600).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    assert_eq!(paper["deadline_unix"], T0 + 600);
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    let qid = paper["questions"][0]["question_id"].as_i64().unwrap();
    answer(
        &site,
        &site.officer,
        attempt_id,
        qid,
        json!({"answer": ["对"]}),
    )
    .await;

    let db = &site.t.app.db;
    assert!(
        xuefa::exam::sweep::close_overdue(db, T0 + 599)
            .await
            .unwrap()
            .is_empty()
    );
    let graded = xuefa::exam::sweep::close_overdue(db, T0 + 600)
        .await
        .unwrap();
    assert_eq!(graded.len(), 1);
    assert_eq!(
        (graded[0].attempt_id, graded[0].score, graded[0].passed),
        (attempt_id, 2000, false)
    );
    assert_eq!(graded[0].kind, xuefa::exam::ExamKind::Qualification);
    assert!(
        xuefa::exam::sweep::close_overdue(db, T0 + 700)
            .await
            .unwrap()
            .is_empty(),
        "once"
    );

    site.t.app.clock.advance(700);
    let (status, refused) = start(&site, &site.officer, exam_id).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the exam has closed: {refused}"
    );
    assert!(refused["error"].as_str().unwrap().contains("已结束"));
}

#[tokio::test]
async fn an_attempt_survives_a_restart_of_the_server() {
    let site = exam_site().await;
    let exam_id = judge_exam(&site, 30, 86_400).await;
    let (_, paper) = start(&site, &site.officer, exam_id).await;
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    let qid = paper["questions"][2]["question_id"].as_i64().unwrap();
    answer(
        &site,
        &site.officer,
        attempt_id,
        qid,
        json!({"answer": ["错"]}),
    )
    .await;

    // Another process on the same database: a new App and router, the same session cookie.
    let mut app = App::open_in_memory_index(site.t.config())
        .await
        .expect("reopen");
    app.clock = Clock::manual(T0 + 60);
    let router = xuefa::web::router(app);
    let (status, resumed) = api_post(
        &router,
        &format!("/api/exams/{exam_id}/attempts"),
        &site.officer,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{resumed}");
    assert_eq!(resumed["attempt_id"], attempt_id);
    assert_eq!(resumed["questions"], {
        let mut q = paper["questions"].clone();
        q[2]["answer"] = json!(["错"]);
        q
    });
    let (status, result) = api_post(
        &router,
        &format!("/api/attempts/{attempt_id}/submit"),
        &site.officer,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        result["score"], 0.0,
        "the one saved answer was wrong: {result}"
    );
}
