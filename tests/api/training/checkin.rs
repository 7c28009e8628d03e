use axum::http::StatusCode;
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn check_in_opens_fifteen_minutes_before_the_start_and_closes_thirty_after_the_end() {
    let site = site().await;
    let (_, code) = create(&site, &site.admin, request(json!({}))).await;

    set_time(&site, HOUR - 15 * 60 - 1).await;
    let (status, v) = checkin(&site, &site.official, &code).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(
        v["error"].as_str().unwrap_or("").contains("签到尚未开始"),
        "{v}"
    );

    set_time(&site, 3 * HOUR + 30 * 60 + 1).await;
    let (status, v) = checkin(&site, &site.official, &code).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(
        v["error"].as_str().unwrap_or("").contains("签到已结束"),
        "{v}"
    );

    set_time(&site, 3 * HOUR + 30 * 60).await;
    let (status, v) = checkin(&site, &site.official, &code.to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["credited_hours"], json!(2.0));
    assert_eq!(attended(&site, &site.official).await, (1, 2.0));
}

#[tokio::test]
async fn a_custom_grace_period_moves_the_window() {
    let site = site().await;
    let extra = json!({ "grace_before_minutes": 0, "grace_after_minutes": 5 });
    let (_, code) = create(&site, &site.admin, request(extra)).await;
    set_time(&site, HOUR - 60).await;
    assert_eq!(
        checkin(&site, &site.official, &code).await.0,
        StatusCode::CONFLICT
    );
    set_time(&site, 3 * HOUR + 6 * 60).await;
    assert_eq!(
        checkin(&site, &site.official, &code).await.0,
        StatusCode::CONFLICT
    );
    set_time(&site, 3 * HOUR + 5 * 60).await;
    assert_eq!(
        checkin(&site, &site.official, &code).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_wrong_or_malformed_code_is_refused_in_chinese() {
    let site = site().await;
    let (_, code) = create(&site, &site.admin, request(json!({}))).await;
    set_time(&site, 2 * HOUR).await;
    let other = if code.starts_with('A') { "B" } else { "A" };
    let wrong = format!("{other}{}", &code[1..]);
    for bad in [wrong.as_str(), "", "12", "ABCDEFGH", "<script>"] {
        let (status, v) = checkin(&site, &site.official, bad).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}: {v}");
        assert!(
            v["error"].as_str().unwrap_or("").contains("签到码不正确"),
            "{v}"
        );
    }
}

#[tokio::test]
async fn only_people_on_the_roster_may_check_in() {
    let site = site().await;
    let (_, code) = create(&site, &site.admin, request(json!({ "people": ["lisi"] }))).await;
    let (_, units_only) = create(&site, &site.admin, request(json!({}))).await;
    set_time(&site, 2 * HOUR).await;
    // lisi is named on the first, and in no unit of the second.
    assert_eq!(
        checkin(&site, &site.outsider, &code).await.0,
        StatusCode::OK
    );
    let (status, v) = checkin(&site, &site.outsider, &units_only).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    assert!(
        v["error"].as_str().unwrap_or("").contains("应到人员名单"),
        "{v}"
    );
    assert_eq!(attended(&site, &site.outsider).await, (1, 2.0));
}

#[tokio::test]
async fn a_second_check_in_is_a_no_op_that_credits_nothing_more() {
    let site = site().await;
    let (id, code) = create(&site, &site.admin, request(json!({}))).await;
    set_time(&site, 2 * HOUR).await;
    let (_, first) = checkin(&site, &site.official, &code).await;
    site.t.app.clock.advance(60);
    let (status, second) = checkin(&site, &site.official, &code).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(first["credited_hours"], json!(2.0));
    assert_eq!(second["credited_hours"], json!(0.0));
    assert_eq!(second["already"], json!(true));
    assert_eq!(attended(&site, &site.official).await, (1, 2.0));
    let uri = format!("/api/admin/trainings/{id}");
    let (_, v) = api_get(&site.t.router, &uri, Some(&site.admin)).await;
    let me = v["roster"]
        .as_array()
        .and_then(|r| r.iter().find(|e| e["username"] == "zhangsan"))
        .expect("on the roster");
    // The time of the first sign-in stays.
    assert_eq!(me["at"], json!(T0 + 2 * HOUR));
    assert_eq!(v["present"], json!(1));
}

#[tokio::test]
async fn signing_in_needs_an_account() {
    let site = site().await;
    let (status, _) = call(
        &site.t.router,
        axum::http::Method::POST,
        "/api/checkin",
        None,
        Some(json!({ "code": "ABCDEF" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn corrections_need_a_reason_and_are_audited() {
    let site = site().await;
    let (id, _) = create(&site, &site.admin, request(json!({}))).await;
    let uri = format!("/api/admin/trainings/{id}/attendance");
    let body = json!({ "username": "zhangsan", "present": true, "reason": "  " });
    let (status, v) = api_post(&site.t.router, &uri, &site.unit_admin, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"].as_str().unwrap_or("").contains("更正理由"),
        "{v}"
    );

    let body = json!({ "username": "zhangsan", "present": true, "reason": "手机没电，纸质签到" });
    let (status, v) = api_post(&site.t.router, &uri, &site.unit_admin, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(attended(&site, &site.official).await, (1, 2.0));

    let entries = audit_entries(&site.t, &site.admin).await;
    let target = format!("学法活动 #{id}");
    let entry = find_audit(&entries, "training_attendance_corrected", &target).expect("audited");
    let detail = entry["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("zhangsan") && detail.contains("出席"),
        "{detail}"
    );
    assert!(detail.contains("手机没电，纸质签到"), "{detail}");

    // Marked absent again, with a reason: the credit goes.
    let body = json!({ "username": "zhangsan", "present": false, "reason": "误标" });
    let (status, _) = api_post(&site.t.router, &uri, &site.admin, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(attended(&site, &site.official).await, (0, 0.0));

    // Someone off the roster cannot be marked.
    let body = json!({ "username": "lisi", "present": true, "reason": "补录" });
    let (status, v) = api_post(&site.t.router, &uri, &site.admin, body).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
}
