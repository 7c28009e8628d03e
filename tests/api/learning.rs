//! Study time: heartbeats credited with an injected clock through HTTP, the ledger and
//! progress of `/api/me/…`, requirements by role and per-unit override, and unit scoping of
//! the requirements API.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::accounts_support::{
    Session, add_unit, admin_session, api_get, api_post, audit_entries, call, find_audit,
    is_chinese, page, user_session,
};
use crate::helpers::{TestApp, corpus_path, spawn_accounts_app};

const CONSTITUTION: &str = "中华人民共和国宪法";

struct Site {
    t: TestApp,
    admin: Session,
    official: Session,
    law_id: i64,
    township: i64,
    brigade: i64,
}

/// 宪法 and 信访工作条例 imported; 柱山乡 with 综合行政执法大队 below it; the official `zhang`
/// in the 大队 signed in.
async fn site() -> Site {
    let t = spawn_accounts_app().await;
    t.import(&[
        corpus_path("宪法/宪法.md"),
        corpus_path("行政法规/信访工作条例(2022-02-25).md"),
    ])
    .await;
    let law_id = t.current(CONSTITUTION).await.law_id;
    let admin = admin_session(&t).await;
    let township = add_unit(&t, &admin, "柱山乡").await;
    let brigade = add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let official = user_session(&t, &admin, "zhang", "柱山乡/综合行政执法大队", "").await;
    Site {
        t,
        admin,
        official,
        law_id,
        township,
        brigade,
    }
}

impl Site {
    async fn beat(&self, body: Value) -> i64 {
        let (status, v) =
            api_post(&self.t.router, "/api/study/heartbeat", &self.official, body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v["credited_seconds"].as_i64().expect("credited_seconds")
    }

    async fn read(&self) -> i64 {
        self.beat(json!({ "kind": "law", "law_id": self.law_id }))
            .await
    }

    fn later(&self, secs: i64) {
        self.t.app.clock.advance(secs);
    }

    async fn progress(&self, s: &Session) -> Value {
        let (status, v) = api_get(&self.t.router, "/api/me/progress?year=2026", Some(s)).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v
    }
}

fn law<'a>(progress: &'a Value, title: &str) -> &'a Value {
    progress["laws"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["title"] == title))
        .unwrap_or_else(|| panic!("{title} in {progress}"))
}

#[tokio::test]
async fn heartbeats_earn_the_real_time_between_them_and_nothing_for_replays_gaps_or_hidden_pages() {
    let s = site().await;
    assert_eq!(s.read().await, 0, "the first heartbeat only starts the run");
    s.later(30);
    assert_eq!(s.read().await, 30);
    for _ in 0..5 {
        assert_eq!(s.read().await, 0, "replayed at once");
    }
    s.later(50);
    assert_eq!(s.read().await, 35, "capped per heartbeat");
    s.later(600); // the tab was hidden: no heartbeats for ten minutes
    assert_eq!(s.read().await, 0, "a break earns nothing");
    s.later(30);
    let hidden = json!({ "law_id": s.law_id, "visible": false, "active": true });
    assert_eq!(s.beat(hidden).await, 0);
    s.later(30);
    let idle = json!({ "law_id": s.law_id, "visible": true, "active": false });
    assert_eq!(s.beat(idle).await, 0);
    s.later(30);
    assert_eq!(s.read().await, 30);

    let (status, ledger) = api_get(&s.t.router, "/api/me/study?year=2026", Some(&s.official)).await;
    assert_eq!(status, StatusCode::OK, "{ledger}");
    assert_eq!(ledger["reading_seconds"], 95);
    assert_eq!(
        ledger["lines"],
        json!([{ "date": "2026-01-01", "kind": "law", "title": CONSTITUTION, "seconds": 95 }])
    );
    assert_eq!(
        law(&s.progress(&s.official).await, CONSTITUTION)["seconds"],
        95
    );
}

#[tokio::test]
async fn a_day_credits_at_most_four_hours_and_the_next_day_starts_afresh() {
    let s = site().await;
    // T0 is 08:00 in Beijing: 4 h 10 min of steady reading stay within the day.
    s.read().await;
    let mut total = 0;
    for _ in 0..500 {
        s.later(30);
        total += s.read().await;
    }
    assert_eq!(total, 4 * 3600);
    s.later(16 * 3600); // the next Beijing day; the test session has ended meanwhile
    let again = crate::certificates::sign_in_again(&s.t, "zhang").await;
    let body = json!({ "kind": "law", "law_id": s.law_id });
    let uri = "/api/study/heartbeat";
    api_post(&s.t.router, uri, &again, body.clone()).await;
    s.later(30);
    let (status, v) = api_post(&s.t.router, uri, &again, body).await;
    assert_eq!(
        (status, v["credited_seconds"].as_i64()),
        (StatusCode::OK, Some(30)),
        "{v}"
    );
    let (_, ledger) = api_get(&s.t.router, "/api/me/study?year=2026", Some(&again)).await;
    let days: Vec<&str> = ledger["lines"]
        .as_array()
        .map(|ls| ls.iter().filter_map(|l| l["date"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(days, vec!["2026-01-02", "2026-01-01"]);
}

#[tokio::test]
async fn bad_heartbeats_get_clear_chinese_errors() {
    let s = site().await;
    for (body, expected) in [
        (json!({ "kind": "law" }), StatusCode::BAD_REQUEST),
        (
            json!({ "kind": "video", "law_id": s.law_id }),
            StatusCode::BAD_REQUEST,
        ),
        (json!({ "law_id": 999_999 }), StatusCode::NOT_FOUND),
    ] {
        let (status, v) = api_post(&s.t.router, "/api/study/heartbeat", &s.official, body).await;
        assert_eq!(status, expected, "{v}");
        assert!(is_chinese(v["error"].as_str().unwrap_or_default()), "{v}");
    }
    let (status, _) = call(
        &s.t.router,
        Method::POST,
        "/api/study/heartbeat",
        None,
        Some(json!({ "law_id": s.law_id })),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn officers_must_read_the_enforcement_laws_besides_what_every_official_reads() {
    let s = site().await;
    let officer = user_session(&s.t, &s.admin, "li", "柱山乡", "执法人员").await;
    let of = s.progress(&s.official).await;
    let op = s.progress(&officer).await;
    assert_eq!(of["laws"].as_array().map(Vec::len), Some(8));
    assert_eq!(op["laws"].as_array().map(Vec::len), Some(12));
    assert_eq!(
        law(&op, "中华人民共和国行政处罚法")["required_seconds"],
        90 * 60
    );
    assert_eq!(law(&op, "中华人民共和国行政处罚法")["available"], false);
    assert_eq!(law(&of, CONSTITUTION)["available"], true);
    assert_eq!(of["hours"]["required"], 40);
    assert_eq!(of["on_track"], false);
    let missing: Vec<&str> = of["missing"]
        .as_array()
        .map(|m| m.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        missing.contains(&"《宪法》还需阅读 120 分钟"),
        "{missing:?}"
    );
    assert!(
        missing[0].starts_with("年度学时还差 40.0 小时"),
        "{missing:?}"
    );
    assert_eq!(
        of["sessions"],
        json!({ "attended": 0, "required": 12 }),
        "sessions attended come from the sessions records"
    );
    assert!(
        missing.contains(&"集中学法还差 12 次（已参加 0，要求 12 次）"),
        "{missing:?}"
    );
}

#[tokio::test]
async fn a_unit_override_applies_to_its_subtree_for_that_year_and_is_audited() {
    let s = site().await;
    let township = s.township;
    let uri = format!("/api/admin/requirements/{township}/2026");
    let (status, before) = api_get(&s.t.router, &uri, Some(&s.admin)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(
        (before["hours"].clone(), before["overridden"].clone()),
        (json!(40), json!(false))
    );

    let body = json!({ "hours": 10, "sessions": 4 });
    let (status, after) = call(&s.t.router, Method::PUT, &uri, Some(&s.admin), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["overridden"], true);
    assert_eq!(s.progress(&s.official).await["hours"]["required"], 10);
    let (_, other_year) =
        api_get(&s.t.router, "/api/me/progress?year=2027", Some(&s.official)).await;
    assert_eq!(other_year["hours"]["required"], 40, "only that year");

    let entries = audit_entries(&s.t, &s.admin).await;
    let entry = find_audit(&entries, "study_requirement_set", "柱山乡").expect("audited");
    let detail = entry["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("10 学时") && detail.contains("按学法要求文件"),
        "{detail}"
    );
}

#[tokio::test]
async fn unit_admins_set_requirements_only_in_their_subtree() {
    let s = site().await;
    let brigade = s.brigade;
    let other = add_unit(&s.t, &s.admin, "柱山乡外").await;
    let ua = user_session(&s.t, &s.admin, "guanli", "柱山乡", "unit_admin").await;
    let body = json!({ "hours": 20, "sessions": 6 });
    let put = |session: &Session, unit: i64, year: &str, body: Value| {
        let uri = format!("/api/admin/requirements/{unit}/{year}");
        let session = session.clone();
        let router = s.t.router.clone();
        async move { call(&router, Method::PUT, &uri, Some(&session), Some(body)).await }
    };
    let (ok, v) = put(&ua, brigade, "2026", body.clone()).await;
    assert_eq!(ok, StatusCode::OK, "{v}");
    let (outside, v) = put(&ua, other, "2026", body.clone()).await;
    assert_eq!(outside, StatusCode::FORBIDDEN, "{v}");
    assert!(is_chinese(v["error"].as_str().unwrap_or_default()), "{v}");
    let (official, _) = put(&s.official, brigade, "2026", body.clone()).await;
    assert_eq!(official, StatusCode::FORBIDDEN);
    let (missing, _) = put(&ua, 999_999, "2026", body.clone()).await;
    assert_eq!(missing, StatusCode::NOT_FOUND);
    let (bad_year, v) = put(&s.admin, brigade, "1900", body).await;
    assert_eq!(bad_year, StatusCode::BAD_REQUEST, "{v}");
    let (too_many, v) = put(
        &s.admin,
        brigade,
        "2026",
        json!({ "hours": 5000, "sessions": 1 }),
    )
    .await;
    assert_eq!(too_many, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(s.progress(&s.official).await["hours"]["required"], 20);
}

#[tokio::test]
async fn the_me_page_shows_what_is_missing_and_the_law_page_carries_the_heartbeat_script() {
    let s = site().await;
    s.read().await;
    s.later(30);
    s.read().await;
    let (status, _, html) = page(&s.t.router, "/me", Some(&s.official), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2026 年学法"), "{html}");
    assert!(html.contains("尚未达标"), "{html}");
    assert!(html.contains("《宪法》还需阅读 120 分钟"), "{html}");
    let (status, _, law) = page(
        &s.t.router,
        &format!("/laws/{}", s.law_id),
        Some(&s.official),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(law.contains("study.js") && law.contains(&format!("data-law=\"{}\"", s.law_id)));
    let (_, _, anonymous) = page(&s.t.router, &format!("/laws/{}", s.law_id), None, None).await;
    assert!(
        !anonymous.contains("study.js"),
        "no heartbeats without an account"
    );
}
