//! `/admin/requirements`: every unit in the administrator's scope with its year's requirement
//! and where it comes from, the override form (audited, inherited by sub-units), bad numbers
//! and units outside the scope refused without changing anything.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::accounts_support::{
    Session, add_unit, admin_session, api_get, audit_entries, find_audit, page, user_session,
};
use crate::helpers::{TestApp, spawn_accounts_app};

struct Site {
    t: TestApp,
    admin: Session,
    township: i64,
    brigade: i64,
    other: i64,
}

/// 柱山乡 with 综合行政执法大队 below it, and 柱山乡外 beside it.
async fn site() -> Site {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let township = add_unit(&t, &admin, "柱山乡").await;
    let brigade = add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let other = add_unit(&t, &admin, "柱山乡外").await;
    Site {
        t,
        admin,
        township,
        brigade,
        other,
    }
}

impl Site {
    async fn save(
        &self,
        s: &Session,
        unit: i64,
        hours: &str,
        sessions: &str,
    ) -> (StatusCode, String, String) {
        let unit = unit.to_string();
        let form = [
            ("csrf_token", s.csrf.as_str()),
            ("unit_id", unit.as_str()),
            ("year", "2026"),
            ("hours", hours),
            ("sessions", sessions),
        ];
        let (status, headers, html) =
            page(&self.t.router, "/admin/requirements", Some(s), Some(&form)).await;
        let location = headers
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, location, html)
    }

    async fn hours_of(&self, unit: i64) -> serde_json::Value {
        let uri = format!("/api/admin/requirements/{unit}/2026");
        let (status, v) = api_get(&self.t.router, &uri, Some(&self.admin)).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        json!([v["hours"], v["sessions"], v["overridden"], v["own"]])
    }
}

/// The table row of one unit, from `<tr id="req-N">` to its `</tr>`.
fn row(html: &str, unit: i64) -> &str {
    let start = html
        .find(&format!("<tr id=\"req-{unit}\">"))
        .unwrap_or_else(|| panic!("row of unit {unit} in {html}"));
    let end = html[start..].find("</tr>").expect("row end") + start;
    &html[start..end]
}

#[tokio::test]
async fn the_page_lists_the_curriculum_and_every_unit_and_an_override_is_inherited_and_audited() {
    let s = site().await;
    let (status, _, html) = page(
        &s.t.router,
        "/admin/requirements?year=2026",
        Some(&s.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2026 年学法要求"), "{html}");
    assert!(html.contains("每年 40 学时，集中学法 12 次"), "{html}");
    assert!(html.contains("《中华人民共和国宪法》"), "{html}");
    for unit in [s.township, s.brigade, s.other] {
        assert!(row(&html, unit).contains("学法要求文件"));
        assert!(row(&html, unit).contains("value=\"40\""));
    }

    let (status, location, _) = s.save(&s.admin, s.township, "20", "6").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with("/admin/requirements?year=2026&saved="),
        "{location}"
    );
    let (_, _, after) = page(&s.t.router, &location, Some(&s.admin), None).await;
    assert!(
        after.contains("已保存「柱山乡」的 2026 年学法要求"),
        "{after}"
    );
    let own = row(&after, s.township);
    assert!(
        own.contains("本单位调整") && own.contains("value=\"20\""),
        "{own}"
    );
    let inherited = row(&after, s.brigade);
    assert!(
        inherited.contains("沿用上级单位调整") && inherited.contains("value=\"6\""),
        "{inherited}"
    );
    assert!(row(&after, s.other).contains("学法要求文件"));
    assert_eq!(s.hours_of(s.township).await, json!([20, 6, true, true]));
    assert_eq!(s.hours_of(s.brigade).await, json!([20, 6, true, false]));
    assert_eq!(s.hours_of(s.other).await, json!([40, 12, false, false]));

    let entries = audit_entries(&s.t, &s.admin).await;
    let entry = find_audit(&entries, "study_requirement_set", "柱山乡").expect("audited");
    let detail = entry["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("20 学时") && detail.contains("6 次"),
        "{detail}"
    );

    let (_, _, next_year) = page(
        &s.t.router,
        "/admin/requirements?year=2027",
        Some(&s.admin),
        None,
    )
    .await;
    assert!(
        row(&next_year, s.township).contains("学法要求文件"),
        "only 2026"
    );
}

#[tokio::test]
async fn bad_numbers_and_units_outside_the_scope_are_refused_and_change_nothing() {
    let s = site().await;
    for (hours, sessions, says) in [
        ("abc", "6", "年度学时应为不小于 0 的整数，收到「abc」"),
        ("20", "-1", "集中学法次数应为不小于 0 的整数，收到「-1」"),
        ("5000", "6", "学时应在 0–1000 之间"),
    ] {
        let (status, _, html) = s.save(&s.admin, s.township, hours, sessions).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{hours}/{sessions}");
        assert!(html.contains(says), "{says} in {html}");
        assert!(
            html.contains("id=\"requirements\""),
            "the table is shown again"
        );
    }
    assert_eq!(s.hours_of(s.township).await, json!([40, 12, false, false]));

    let ua = user_session(&s.t, &s.admin, "guanli", "柱山乡", "unit_admin").await;
    let (_, _, mine) = page(&s.t.router, "/admin/requirements", Some(&ua), None).await;
    assert!(mine.contains(&format!("req-{}", s.brigade)), "{mine}");
    assert!(
        !mine.contains(&format!("req-{}", s.other)),
        "a unit admin sees only the own subtree"
    );
    let (status, _, html) = s.save(&ua, s.other, "10", "2").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    let (status, _, _) = s.save(&ua, s.brigade, "10", "2").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(s.hours_of(s.other).await, json!([40, 12, false, false]));
    assert_eq!(s.hours_of(s.brigade).await, json!([10, 2, true, true]));

    let official = user_session(&s.t, &s.admin, "zhang", "柱山乡", "").await;
    let (status, _, _) = page(&s.t.router, "/admin/requirements", Some(&official), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = s.save(&official, s.township, "1", "1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A unit deleted while the form was open: the page again, saying so.
    let (status, _, html) = s.save(&s.admin, 999_999, "1", "1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("单位不存在"), "{html}");
    let (status, _, _) = s.save(&s.admin, 0, "1", "1").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a malformed id names nothing"
    );
    let (status, _, html) = page(
        &s.t.router,
        "/admin/requirements?year=20x6",
        Some(&s.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("年份「20x6」不正确"), "{html}");
}
