use axum::http::StatusCode;
use serde_json::json;

use super::support::*;

#[tokio::test]
async fn a_unit_admin_records_sessions_only_for_their_subtree() {
    let site = site().await;
    let (status, v) = api_post(
        &site.t.router,
        "/api/admin/trainings",
        &site.unit_admin,
        request(json!({ "units": ["柱山乡/执法大队"] })),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    let named = request(json!({ "units": [], "people": ["lisi"] }));
    let (status, _) = api_post(
        &site.t.router,
        "/api/admin/trainings",
        &site.unit_admin,
        named,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a person outside the subtree"
    );

    let (own, _) = create(&site, &site.unit_admin, request(json!({}))).await;
    let wide =
        request(json!({ "units": ["柱山乡"], "title": "全乡法治培训班", "kind": "training" }));
    let (township, _) = create(&site, &site.admin, wide).await;

    let (_, list) = api_get(
        &site.t.router,
        "/api/admin/trainings",
        Some(&site.unit_admin),
    )
    .await;
    let ids: Vec<i64> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["training_id"].as_i64())
        .collect();
    assert_eq!(ids, vec![own]);
    let (_, all) = api_get(&site.t.router, "/api/admin/trainings", Some(&site.admin)).await;
    assert_eq!(all.as_array().map(Vec::len), Some(2));

    let uri = format!("/api/admin/trainings/{township}");
    let (status, v) = api_get(&site.t.router, &uri, Some(&site.unit_admin)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    let att = format!("/api/admin/trainings/{township}/attendance");
    let body = json!({ "username": "zhangsan", "present": true, "reason": "越权" });
    let (status, _) = api_post(&site.t.router, &att, &site.unit_admin, body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Whole-township roster: both units are expected.
    let (_, detail) = api_get(&site.t.router, &uri, Some(&site.admin)).await;
    let mut names: Vec<&str> = detail["roster"]
        .as_array()
        .expect("roster")
        .iter()
        .filter_map(|e| e["username"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["lisi", "sfs_admin", "zhangsan"], "{detail}");
}

#[tokio::test]
async fn officials_cannot_use_the_admin_api_and_bad_requests_are_explained() {
    let site = site().await;
    let (status, _) = api_get(&site.t.router, "/api/admin/trainings", Some(&site.official)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    for (bad, why) in [
        (json!({ "kind": "party" }), "类型"),
        (json!({ "ends_at": at(0) }), "结束时间"),
        (json!({ "hours": 0 }), "学时"),
        (json!({ "units": [] }), "应到人员"),
        (json!({ "units": ["不存在的乡"] }), "不存在"),
        (json!({ "laws": [999_999] }), "法规"),
        (json!({ "starts_at": "明天上午" }), "开始时间"),
    ] {
        let (status, v) = api_post(
            &site.t.router,
            "/api/admin/trainings",
            &site.admin,
            request(bad.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(
            v["error"].as_str().unwrap_or("").contains(why),
            "{bad}: {v}"
        );
    }
    let (status, _) = api_get(
        &site.t.router,
        "/api/admin/trainings/999",
        Some(&site.admin),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
