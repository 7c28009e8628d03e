use axum::http::StatusCode;
use serde_json::{Value, json};

use super::support::*;

async fn missed_session(site: &Site) -> i64 {
    add_questions(site, 5).await;
    let laws = json!({ "laws": [site.law_id] });
    let (id, _) = create(site, &site.admin, request(laws)).await;
    id
}

async fn start(site: &Site, id: i64) -> (StatusCode, Value) {
    let uri = format!("/api/trainings/{id}/makeup");
    api_post(&site.t.router, &uri, &site.official, json!({})).await
}

/// Answers each question with `right[i]` ? 对 : 错.
async fn submit(site: &Site, id: i64, view: &Value, right: [bool; 3]) -> (StatusCode, Value) {
    let answers: Vec<Value> = view["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .zip(right)
        .map(|(q, r)| json!({ "question_id": q["question_id"], "answer": [if r { "对" } else { "错" }] }))
        .collect();
    let uri = format!("/api/trainings/{id}/makeup/answers");
    api_post(
        &site.t.router,
        &uri,
        &site.official,
        json!({ "answers": answers }),
    )
    .await
}

#[tokio::test]
async fn a_make_up_opens_only_after_the_check_in_closes() {
    let site = site().await;
    let id = missed_session(&site).await;
    set_time(&site, 2 * HOUR).await;
    let (status, v) = start(&site, id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(v["error"].as_str().unwrap_or("").contains("补学"), "{v}");
}

#[tokio::test]
async fn two_of_three_right_credits_the_missed_session_as_made_up() {
    let site = site().await;
    let id = missed_session(&site).await;
    set_time(&site, 5 * HOUR).await;
    let (status, view) = start(&site, id).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["questions"].as_array().map(Vec::len), Some(3));
    assert_eq!(view["laws"][0]["title"], json!("信访工作条例"));
    // No key reaches the absentee before answering.
    assert!(!view.to_string().contains("依据信访工作条例"), "{view}");
    // Asking again resumes the same check.
    let (_, again) = start(&site, id).await;
    assert_eq!(again["makeup_id"], view["makeup_id"]);

    let (status, failed) = submit(&site, id, &view, [true, false, false]).await;
    assert_eq!(status, StatusCode::OK, "{failed}");
    assert_eq!(failed["passed"], json!(false));
    assert_eq!(attended(&site, &site.official).await, (0, 0.0));

    let (_, retry) = start(&site, id).await;
    assert_ne!(retry["makeup_id"], view["makeup_id"]);
    let (_, passed) = submit(&site, id, &retry, [true, false, true]).await;
    assert_eq!(passed["passed"], json!(true), "{passed}");
    assert_eq!(passed["right"], json!(2));
    assert_eq!(passed["credited_hours"], json!(2.0));
    assert_eq!(attended(&site, &site.official).await, (1, 2.0));

    let (status, v) = start(&site, id).await;
    assert_eq!(status, StatusCode::CONFLICT, "made up once: {v}");
    let uri = format!("/api/admin/trainings/{id}");
    let (_, detail) = api_get(&site.t.router, &uri, Some(&site.admin)).await;
    let me = detail["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|e| e["username"] == "zhangsan"))
        .expect("on the roster");
    assert_eq!(me["how"], json!("makeup"));
}

#[tokio::test]
async fn a_make_up_without_enough_approved_questions_says_so() {
    let site = site().await;
    add_questions(&site, 2).await;
    let (id, _) = create(
        &site,
        &site.admin,
        request(json!({ "laws": [site.law_id] })),
    )
    .await;
    set_time(&site, 5 * HOUR).await;
    let (status, v) = start(&site, id).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(v["error"].as_str().unwrap_or("").contains("不足"), "{v}");
}

#[tokio::test]
async fn those_present_or_off_the_roster_have_nothing_to_make_up() {
    let site = site().await;
    let id = missed_session(&site).await;
    set_time(&site, 5 * HOUR).await;
    let uri = format!("/api/trainings/{id}/makeup");
    let (status, _) = api_post(&site.t.router, &uri, &site.outsider, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let body = json!({ "username": "zhangsan", "present": true, "reason": "会后补签" });
    let att = format!("/api/admin/trainings/{id}/attendance");
    api_post(&site.t.router, &att, &site.admin, body).await;
    assert_eq!(start(&site, id).await.0, StatusCode::CONFLICT);
}
