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

/// The question ids of a check form, in order.
fn form_questions(html: &str) -> Vec<String> {
    html.split("type=\"hidden\" name=\"q\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

async fn submit_page(site: &Site, id: i64, html: &str, right: usize) -> (StatusCode, String) {
    let ids = form_questions(html);
    let mut form: Vec<(String, String)> = vec![("csrf_token".into(), site.official.csrf.clone())];
    for (i, q) in ids.iter().enumerate() {
        form.push(("q".into(), q.clone()));
        let given = if i < right { "对" } else { "错" };
        form.push((format!("a-{q}"), given.into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let uri = format!("/me/trainings/{id}/makeup");
    let (status, _, html) = page(&site.t.router, &uri, Some(&site.official), Some(&pairs)).await;
    (status, html)
}

#[tokio::test]
async fn an_absentee_makes_up_on_the_pages_linked_from_my_sessions() {
    let site = site().await;
    let id = missed_session(&site).await;
    set_time(&site, 5 * HOUR).await;
    let uri = format!("/me/trainings/{id}/makeup");
    let (_, _, mine) = page(&site.t.router, "/me/trainings", Some(&site.official), None).await;
    assert!(mine.contains(&format!("href=\"{uri}\"")), "{mine}");

    let (status, _, html) = page(&site.t.router, &uri, Some(&site.official), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains(&format!("href=\"/laws/{}\"", site.law_id)),
        "{html}"
    );
    assert_eq!(form_questions(&html).len(), 3, "{html}");
    assert!(html.contains("答对 2 题即补学通过"), "{html}");
    assert!(
        !html.contains("依据信访工作条例"),
        "no key before answering"
    );

    let (status, failed) = submit_page(&site, id, &html, 1).await;
    assert_eq!(status, StatusCode::OK);
    assert!(failed.contains("答对 1 / 3 题，未通过"), "{failed}");
    assert_eq!(form_questions(&failed).len(), 3, "a new check to try again");
    assert_eq!(attended(&site, &site.official).await, (0, 0.0));

    let (status, done) = submit_page(&site, id, &failed, 3).await;
    assert_eq!(status, StatusCode::OK);
    assert!(done.contains("补学通过，认定 2.0 学时"), "{done}");
    assert_eq!(attended(&site, &site.official).await, (1, 2.0));
    let (_, _, mine) = page(&site.t.router, "/me/trainings", Some(&site.official), None).await;
    assert!(mine.contains("已补学") && !mine.contains(&uri), "{mine}");
    let (status, _, again) = page(&site.t.router, &uri, Some(&site.official), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "made up once: {again}");
    let (status, _, _) = page(
        &site.t.router,
        "/me/trainings/abc/makeup",
        Some(&site.official),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
