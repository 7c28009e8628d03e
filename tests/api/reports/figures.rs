use axum::http::StatusCode;
use serde_json::{Value, json};

use super::support::*;

fn figures(u: &Value) -> Value {
    json!([
        u["officials"],
        u["study_hours"],
        u["study_hours_per_official"],
        u["on_track"],
        u["completion_rate"],
        u["sessions_held"],
        u["trainings_held"],
        u["sessions_expected"],
        u["sessions_attended"],
        u["attendance_rate"],
        u["exams_held"],
        u["candidates"],
        u["submitted"],
        u["passed"],
        u["participation_rate"],
        u["average_score"],
        u["pass_rate"],
        u["certificates_valid"],
        u["certificates_expiring"],
        u["certificates_expired"],
    ])
}

#[tokio::test]
async fn the_unit_report_rolls_sub_units_up_with_the_hand_computed_figures() {
    let site = site().await;
    let (admin, _) = after_everything(&site).await;
    let (status, r) = api_get(
        &site.t.router,
        "/api/admin/reports/units?year=2026",
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let units: Vec<(&str, i64)> = r["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap_or(""),
                u["depth"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        units,
        vec![("柱山乡", 0), ("柱山乡/司法所", 1), ("柱山乡/执法大队", 1)]
    );
    // Seconds: zhangsan 25,200 read + 600 exam; wangwu 1,800 + 600; lisi 1,200 (two attempts).
    assert_eq!(
        figures(unit(&r, "柱山乡")),
        json!([
            4, 8.2, 2.0, 1, 25.0, 1, 1, 5, 2, 40.0, 1, 4, 3, 2, 75.0, 73.3, 66.7, 2, 1, 1
        ])
    );
    assert_eq!(
        figures(unit(&r, "柱山乡/司法所")),
        json!([
            3, 7.8, 2.6, 1, 33.3, 1, 0, 3, 1, 33.3, 1, 3, 2, 1, 66.7, 65.0, 50.0, 0, 0, 1
        ])
    );
    assert_eq!(
        figures(unit(&r, "柱山乡/执法大队")),
        json!([
            1, 0.3, 0.3, 0, 0.0, 1, 1, 2, 1, 50.0, 1, 1, 1, 1, 100.0, 90.0, 100.0, 2, 1, 0
        ])
    );
    assert_eq!(figures(&r["total"]), figures(unit(&r, "柱山乡")));
    let people = r["people"].as_array().expect("people");
    let names: Vec<&str> = people
        .iter()
        .filter_map(|p| p["username"].as_str())
        .collect();
    assert_eq!(
        names,
        vec!["sfs_admin", "wangwu", "zhangsan", "lisi"],
        "the administrator is not an official"
    );
    let zs = &people[2];
    assert_eq!(zs["on_track"], true, "{zs}");
    assert_eq!(
        (zs["laws_done"].clone(), zs["required_hours"].clone()),
        (json!(8), json!(5))
    );
    let ls = &people[3];
    assert_eq!(
        (ls["exams_submitted"].clone(), ls["average_score"].clone()),
        (json!(1), json!(90.0))
    );
    assert!(
        ls["missing"].as_array().is_some_and(|m| m
            .iter()
            .any(|l| l.as_str().unwrap_or("").contains("集中学法还差 11 次"))),
        "{ls}"
    );
    // Charts: January holds every hour; 3 counted scores: 50, 80, 90.
    assert_eq!(r["hours_by_month"][0], json!(8.2));
    let bins: Vec<i64> = r["score_distribution"]
        .as_array()
        .expect("bins")
        .iter()
        .map(|b| b["count"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(bins, vec![0, 0, 0, 0, 0, 1, 0, 0, 1, 1]);
}

#[tokio::test]
async fn the_annual_report_gives_the_figures_and_the_archive_behind_them() {
    let site = site().await;
    let (admin, _) = after_everything(&site).await;
    let (status, a) = api_get(
        &site.t.router,
        &format!("/api/admin/reports/annual?year=2026&unit={}", enc("柱山乡")),
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    let keys = [
        "year",
        "unit",
        "officials",
        "sessions_held",
        "session_attendance_rate",
        "trainings_held",
        "study_hours_total",
        "study_hours_per_official",
        "exams_held",
        "candidates",
        "participation_rate",
        "pass_rate",
        "certificates_issued",
        "certificates_valid",
        "certificates_expiring",
    ];
    let got: Vec<Value> = keys.iter().map(|k| a[k].clone()).collect();
    assert_eq!(
        got,
        vec![
            json!(2026),
            json!("柱山乡"),
            json!(4),
            json!(1),
            json!(40.0),
            json!(1),
            json!(8.2),
            json!(2.0),
            json!(1),
            json!(4),
            json!(75.0),
            json!(66.7),
            json!(1),
            json!(2),
            json!(1),
        ]
    );
    let sessions = a["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        (
            sessions[0]["expected"].clone(),
            sessions[0]["attended"].clone()
        ),
        (json!(4), json!(2))
    );
    let present: Vec<(&str, bool)> = sessions[0]["roster"]
        .as_array()
        .expect("roster")
        .iter()
        .map(|r| (r["username"].as_str().unwrap_or(""), r["present"] == true))
        .collect();
    assert_eq!(
        present,
        vec![
            ("sfs_admin", false),
            ("wangwu", false),
            ("zhangsan", true),
            ("lisi", true)
        ]
    );
    assert_eq!(sessions[0]["roster"][2]["how"], "checkin");
    assert_eq!(sessions[1]["kind_label"], "法治培训班");
    let exams = a["exams"].as_array().expect("exams");
    assert_eq!(exams.len(), 1);
    let results: Vec<(&str, Value, bool)> = exams[0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["username"].as_str().unwrap_or(""),
                r["score"].clone(),
                r["passed"] == true,
            )
        })
        .collect();
    assert_eq!(
        results,
        vec![
            ("sfs_admin", Value::Null, false),
            ("wangwu", json!(50.0), false),
            ("zhangsan", json!(80.0), true),
            ("lisi", json!(90.0), true),
        ]
    );
}

#[tokio::test]
async fn progress_counts_the_sessions_attended() {
    let site = site().await;
    after_everything(&site).await;
    let zs = again(&site, "zhangsan", USER_PASSWORD).await;
    let (status, p) = api_get(&site.t.router, "/api/me/progress?year=2026", Some(&zs)).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["sessions"], json!({ "attended": 1, "required": 1 }));
    assert_eq!(p["on_track"], true, "{p}");
    let (status, _, html) = page(&site.t.router, "/me", Some(&zs), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("集中学法 1 / 1 次"), "{html}");
}

#[tokio::test]
async fn a_year_before_anything_happened_reports_zeros_and_a_bad_year_is_refused() {
    let site = site().await;
    let (admin, _) = after_everything(&site).await;
    let (status, r) = api_get(
        &site.t.router,
        "/api/admin/reports/annual?year=2025",
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["officials"].clone(),
            r["sessions_held"].clone(),
            r["exams_held"].clone()
        ),
        (json!(4), json!(0), json!(0))
    );
    assert_eq!(r["participation_rate"], Value::Null);
    for bad in ["1800", "abc"] {
        let (status, v) = api_get(
            &site.t.router,
            &format!("/api/admin/reports/units?year={bad}"),
            Some(&admin),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(is_chinese(v["error"].as_str().unwrap_or("")), "{v}");
    }
}
