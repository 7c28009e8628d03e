use axum::http::StatusCode;
use serde_json::json;

use super::support::*;

/// Every report and export, for `unit` (percent-encoded) or the caller's whole scope.
fn uris(unit: Option<&str>) -> Vec<String> {
    let unit = unit.map_or(String::new(), |u| format!("&unit={}", enc(u)));
    [
        "units?format=json",
        "units?format=xlsx",
        "units?format=csv&table=units",
        "units?format=csv&table=people",
        "annual?format=json",
        "annual?format=xlsx",
        "annual?format=md",
    ]
    .iter()
    .map(|r| format!("/api/admin/reports/{r}&year=2026{unit}"))
    .collect()
}

#[tokio::test]
async fn a_unit_administrator_gets_only_their_subtree_in_every_report_and_export() {
    let site = site().await;
    let (_, unit_admin) = after_everything(&site).await;
    let (status, r) = api_get(
        &site.t.router,
        "/api/admin/reports/units?year=2026",
        Some(&unit_admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["unit"], "柱山乡/司法所");
    let units: Vec<&str> = r["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter_map(|u| u["unit"].as_str())
        .collect();
    assert_eq!(units, vec!["柱山乡/司法所"]);
    assert_eq!(r["total"]["officials"], 3);
    assert!(!r.to_string().contains("lisi"), "{r}");
    let (_, a) = api_get(
        &site.t.router,
        "/api/admin/reports/annual?year=2026",
        Some(&unit_admin),
    )
    .await;
    assert_eq!(
        (
            a["officials"].clone(),
            a["trainings_held"].clone(),
            a["candidates"].clone()
        ),
        (json!(3), json!(0), json!(3))
    );
    assert_eq!(
        a["sessions"][0]["roster"].as_array().map(Vec::len),
        Some(3),
        "{a}"
    );
    assert!(!a.to_string().contains("lisi"), "{a}");
    for uri in uris(None) {
        let req = axum::http::Request::get(&uri)
            .header("cookie", &unit_admin.cookie)
            .body(axum::body::Body::empty())
            .expect("request");
        let (status, _, bytes) = request_bytes(&site.t.router, req).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("lisi") && !text.contains("执法大队"),
            "{uri}: {text}"
        );
    }
}

#[tokio::test]
async fn a_unit_outside_the_subtree_is_refused_with_403_in_chinese_everywhere() {
    let site = site().await;
    let (admin, unit_admin) = after_everything(&site).await;
    for unit in ["柱山乡/执法大队", "柱山乡", "不存在的单位"] {
        for uri in uris(Some(unit)) {
            let (status, v) = api_get(&site.t.router, &uri, Some(&unit_admin)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {v}");
            assert!(
                v["error"]
                    .as_str()
                    .unwrap_or("")
                    .contains("无权查看该单位的报表"),
                "{v}"
            );
        }
        let uri = format!("/admin/reports?year=2026&unit={}", enc(unit));
        let (status, _, html) = page(&site.t.router, &uri, Some(&unit_admin), None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
        assert!(html.contains("无权查看该单位的报表"), "{html}");
    }
    let (status, v) = api_get(&site.t.router, &uris(Some("不存在的单位"))[0], Some(&admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    assert!(v["error"].as_str().unwrap_or("").contains("不存在"), "{v}");
    let official = again(&site, "zhangsan", USER_PASSWORD).await;
    for uri in uris(None) {
        let (status, _) = api_get(&site.t.router, &uri, Some(&official)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
    }
    assert_eq!(
        page(&site.t.router, "/admin/reports", Some(&official), None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_page_shows_filters_tables_charts_and_export_links() {
    let site = site().await;
    let (admin, unit_admin) = after_everything(&site).await;
    let (status, _, html) = page(
        &site.t.router,
        "/admin/reports?year=2026",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for part in [
        "report-units",
        "report-people",
        "<svg",
        "各单位学法达标率",
        "考试成绩分布",
        "每月学时",
        "format=xlsx",
        "table=people",
        "执法大队",
        "admin-reports-link",
    ] {
        assert!(html.contains(part), "{part} missing");
    }
    let (status, _, html) = page(&site.t.router, "/admin/reports", Some(&unit_admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("司法所") && !html.contains("lisi"), "{html}");
    let (status, _, html) = page(
        &site.t.router,
        "/admin/reports?year=abc",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("年份"), "{html}");
    let (_, _, home) = page(&site.t.router, "/admin/users", Some(&admin), None).await;
    assert!(
        home.contains("href=\"/admin/reports\""),
        "the admin home links the reports"
    );
}
