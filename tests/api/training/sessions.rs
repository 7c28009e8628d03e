//! The sessions interface of issue 11: `POST /api/admin/sessions` with laws by title and the
//! kind `center_group`, and `POST /api/sessions/{id}/checkin` with the code, over the same
//! sessions the training routes and pages use.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::support::*;

/// The support's session (T0 + 1 h to T0 + 3 h, 柱山乡/司法所) as the sessions interface
/// names it: a 中心组学法 on the law by title, 1.5 hours.
fn body(extra: Value) -> Value {
    let mut r = request(json!({
        "title": "党委理论学习中心组学法：信访工作条例",
        "kind": "center_group",
        "hours": 1.5,
        "laws": ["信访工作条例"],
    }));
    if let (Some(r), Some(extra)) = (r.as_object_mut(), extra.as_object()) {
        r.extend(extra.clone());
    }
    r
}

async fn create_session(site: &Site, by: &Session, extra: Value) -> (StatusCode, Value) {
    api_post(&site.t.router, "/api/admin/sessions", by, body(extra)).await
}

async fn session_checkin(site: &Site, s: &Session, id: i64, code: &str) -> (StatusCode, Value) {
    let uri = format!("/api/sessions/{id}/checkin");
    api_post(&site.t.router, &uri, s, json!({ "code": code })).await
}

#[tokio::test]
async fn a_session_named_by_law_titles_is_a_training_with_the_law_and_a_code() {
    let site = site().await;
    let (status, v) = create_session(&site, &site.unit_admin, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let id = v["session_id"].as_i64().expect("session_id");
    let code = v["checkin_code"].as_str().expect("checkin_code");
    assert_eq!(code.len(), 6);
    // The same session through the older route, with the law and the kind's label.
    let uri = format!("/api/admin/trainings/{id}");
    let (status, t) = api_get(&site.t.router, &uri, Some(&site.unit_admin)).await;
    assert_eq!(status, StatusCode::OK, "{t}");
    assert_eq!(t["kind"], "group_study");
    assert_eq!(t["hours"], json!(1.5));
    assert_eq!(t["laws"][0]["law_id"], json!(site.law_id), "{t}");
    // 《》 around a title and the older kind name are accepted too.
    let extra = json!({"laws": ["《信访工作条例》"], "kind": "group_study"});
    let (status, v) = create_session(&site, &site.admin, extra).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");

    for (extra, message) in [
        (
            json!({"laws": ["不存在的条例"]}),
            "法规《不存在的条例》不存在",
        ),
        (json!({"kind": "seminar"}), "center_group"),
        (json!({"ends_at": at(0)}), "结束时间应晚于开始时间"),
        (json!({"hours": 0}), "认定学时"),
        (json!({"units": []}), "应到人员"),
    ] {
        let (status, v) = create_session(&site, &site.admin, extra.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{extra}: {v}");
        assert!(v["error"].as_str().unwrap_or("").contains(message), "{v}");
    }
    let (status, _) = create_session(
        &site,
        &site.unit_admin,
        json!({"units": ["柱山乡/执法大队"]}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "outside the unit administrator's subtree"
    );
    let (status, _) = create_session(&site, &site.official, json!({})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "officials record no sessions"
    );
    let (status, v) = create_session(&site, &site.admin, json!({"topic": "x"})).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused: {v}"
    );
}

#[tokio::test]
async fn checking_in_to_a_session_needs_its_code_and_its_window_and_credits_once() {
    let site = site().await;
    let (_, v) = create_session(&site, &site.admin, json!({})).await;
    let id = v["session_id"].as_i64().unwrap();
    let code = v["checkin_code"].as_str().unwrap().to_string();
    let (_, other) = create_session(&site, &site.admin, json!({"title": "另一次学法"})).await;
    let other_code = other["checkin_code"].as_str().unwrap().to_string();

    set_time(&site, HOUR - 16 * 60).await;
    let (status, v) = session_checkin(&site, &site.official, id, &code).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(v["error"].as_str().unwrap().contains("签到尚未开始"), "{v}");

    set_time(&site, 2 * HOUR).await;
    // Another session's code, a malformed one and an unknown session.
    for bad in [other_code.as_str(), "12", ""] {
        let (status, v) = session_checkin(&site, &site.official, id, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(v["error"].as_str().unwrap().contains("签到码不正确"), "{v}");
    }
    let (status, v) = session_checkin(&site, &site.official, id + 100, &code).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("学法活动不存在"),
        "{v}"
    );
    let (status, v) = session_checkin(&site, &site.outsider, id, &code).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not on the roster: {v}");

    let (status, v) = session_checkin(&site, &site.official, id, &code.to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["session_id"].as_i64(), v["credited_hours"].as_f64()),
        (Some(id), Some(1.5))
    );
    let (status, v) = session_checkin(&site, &site.official, id, &code).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v["credited_hours"],
        json!(0.0),
        "a second check-in credits nothing more"
    );
    assert_eq!(v["already"], json!(true));
    assert_eq!(attended(&site, &site.official).await, (1, 1.5));
    // The older route sees the same sign-in.
    let (status, v) = checkin(&site, &site.official, &code).await;
    assert_eq!(
        (status, v["credited_hours"].as_f64()),
        (StatusCode::OK, Some(0.0))
    );

    set_time(&site, 3 * HOUR + 31 * 60).await;
    let (status, v) = session_checkin(&site, &site.official, id, &other_code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    let other_id = other["session_id"].as_i64().unwrap();
    let (status, v) = session_checkin(&site, &site.official, other_id, &other_code).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(v["error"].as_str().unwrap().contains("签到已结束"), "{v}");
    let (status, _) = call(
        &site.t.router,
        axum::http::Method::POST,
        &format!("/api/sessions/{id}/checkin"),
        None,
        Some(json!({ "code": code })),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_listing_names_the_new_routes() {
    let site = site().await;
    let (status, v) = api_get(&site.t.router, "/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/admin/sessions",
        "/api/sessions/{session_id}/checkin",
        "/api/admin/exams/{exam_id}/analysis",
    ] {
        assert!(v["paths"].get(path).is_some(), "{path} missing");
    }
}
