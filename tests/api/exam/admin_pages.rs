//! The administrators' exam pages: the list and the create form (the API's validation and
//! messages), publishing with the shortfall named, results per unit rolled up with the score
//! distribution (page and API), one person's record with answers after close and the
//! override form and the unit scope (another unit's person is 404). Regrading: admin_regrade.

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::bank::model::QuestionType;

use super::support::*;

/// The create form's fields for a judge-only exam of `count` questions of 20 points.
fn exam_form<'a>(csrf: &'a str, title: &'a str, sections: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf_token", csrf),
        ("title", title),
        ("kind", "annual"),
        ("time_limit_minutes", "30"),
        ("pass_score", "60"),
        ("counts", "best"),
        // T0 is 2026-01-01 00:00 UTC, 08:00 in Beijing; open for a day.
        ("opens_at", "2026-01-01T08:00"),
        ("closes_at", "2026-01-02T08:00"),
        ("units", "柱山乡"),
        ("review", "after_submit"),
        ("sections", sections),
    ]
}

/// Creates an exam through the page; returns its id from the redirect.
async fn create_by_form(site: &ExamSite, form: &[(&str, &str)]) -> i64 {
    let (status, headers, body) = page(
        &site.t.router,
        "/admin/exams",
        Some(&site.admin),
        Some(form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let to = headers["location"].to_str().unwrap();
    to.trim_start_matches("/admin/exams/")
        .trim_end_matches("?created=1")
        .parse()
        .unwrap_or_else(|_| panic!("redirect {to}"))
}

/// Starts, answers every question with `given` and submits; returns the result.
pub(super) async fn sit(site: &ExamSite, s: &Session, exam_id: i64, given: &str) -> Value {
    let (status, paper) = start(site, s, exam_id).await;
    assert_eq!(status, StatusCode::CREATED, "{paper}");
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    for q in paper["questions"].as_array().unwrap() {
        let qid = q["question_id"].as_i64().unwrap();
        answer(site, s, attempt_id, qid, json!({"answer": [given]})).await;
    }
    submit(site, s, attempt_id).await.1
}

#[tokio::test]
async fn exams_are_created_and_published_from_the_page_and_results_roll_up_per_unit() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Judge, 5, "信访/程序").await;
    add_unit(&site.t, &site.admin, "柱山乡/司法所").await;
    add_unit(&site.t, &site.admin, "石柱县/司法局").await;
    let second = another_officer(&site, "officer2").await;
    user_session(&site.t, &site.admin, "clerk1", "柱山乡/司法所", "执法人员").await;
    user_session(&site.t, &site.admin, "other1", "石柱县/司法局", "执法人员").await;
    let csrf = site.admin.csrf.clone();

    // The API's validation, in Chinese, with what was typed kept.
    let broken = exam_form(&csrf, "坏的考试", "[{\"count\": }]");
    let (status, _, body) = page(
        &site.t.router,
        "/admin/exams",
        Some(&site.admin),
        Some(&broken),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("试题组成须为 JSON 数组"), "{body}");
    assert!(body.contains("坏的考试"), "the form keeps what was typed");
    let mut late = exam_form(
        &csrf,
        "时间颠倒",
        r#"[{"types": ["judge"], "count": 5, "points": 20}]"#,
    );
    late[7] = ("closes_at", "2025-12-31T08:00");
    let (status, _, body) = page(
        &site.t.router,
        "/admin/exams",
        Some(&site.admin),
        Some(&late),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("结束时间"), "{body}");

    // Short by two: publishing names the section and the shortfall.
    let short = exam_form(
        &csrf,
        "题目不够",
        r#"[{"name": "判断题", "types": ["judge"], "count": 7, "points": 10}]"#,
    );
    let short_id = create_by_form(&site, &short).await;
    let publish_uri = format!("/admin/exams/{short_id}/publish");
    let form = [("csrf_token", csrf.as_str())];
    let (status, _, body) =
        page(&site.t.router, &publish_uri, Some(&site.admin), Some(&form)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains("「判断题」需要 7 道题") && body.contains("还差 2 道"),
        "{body}"
    );

    let good = exam_form(
        &csrf,
        "2026年度学法考试",
        r#"[{"types": ["judge"], "count": 5, "points": 20}]"#,
    );
    let exam_id = create_by_form(&site, &good).await;
    let (_, _, draft) = page(
        &site.t.router,
        &format!("/admin/exams/{exam_id}"),
        Some(&site.admin),
        None,
    )
    .await;
    assert!(
        draft.contains("草稿") && draft.contains("发布考试"),
        "{draft}"
    );
    let (status, headers, _) = page(
        &site.t.router,
        &format!("/admin/exams/{exam_id}/publish"),
        Some(&site.admin),
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .ends_with("?published=1")
    );

    // officer1 passes, officer2 fails, clerk1 (invited) does not start; other1 is not invited.
    sit(&site, &site.officer, exam_id, "对").await;
    sit(&site, &second, exam_id, "错").await;

    let uri = format!("/api/admin/exams/{exam_id}/results");
    let (status, r) = api_get(&site.t.router, &uri, Some(&site.admin)).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (&r["invited"], &r["started"], &r["submitted"], &r["passed"]),
        (&json!(3), &json!(2), &json!(2), &json!(1))
    );
    let units: Vec<(String, i64, i64, i64, i64)> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let n = |f: &str| u[f].as_i64().unwrap();
            (
                u["unit"].as_str().unwrap().to_string(),
                n("invited"),
                n("started"),
                n("submitted"),
                n("passed"),
            )
        })
        .collect();
    assert_eq!(
        units,
        vec![
            ("柱山乡".to_string(), 3, 2, 2, 1),
            ("柱山乡/司法所".to_string(), 1, 0, 0, 0),
            ("柱山乡/执法大队".to_string(), 2, 2, 2, 1),
        ]
    );
    let counts: Vec<i64> = r["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_i64().unwrap())
        .collect();
    assert_eq!(
        counts,
        vec![1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        "0 and 100 points"
    );
    let people: Vec<&str> = r["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(people, vec!["clerk1", "officer1", "officer2"]);

    let (status, _, html) = page(
        &site.t.router,
        &format!("/admin/exams/{exam_id}"),
        Some(&site.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("应考 <strong>3</strong> 人"), "{html}");
    assert!(
        crate::helpers::unescape(&html).contains("data-unit=\"柱山乡/执法大队\""),
        "{html}"
    );
    assert!(html.contains("<svg id=\"distribution\""), "{html}");
    assert!(html.contains("90–100 分：1 人"), "{html}");
    assert!(html.contains("未参加"), "clerk1 shows as not started");
    assert!(!html.contains("other1"));

    let (_, _, list) = page(&site.t.router, "/admin/exams", Some(&site.admin), None).await;
    assert!(
        list.contains("2026年度学法考试") && list.contains("进行中") && list.contains("50%"),
        "{list}"
    );

    let (status, headers, _) = page(
        &site.t.router,
        &format!("/admin/exams/{exam_id}/export?format=csv"),
        Some(&site.admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
}

#[tokio::test]
async fn a_person_s_record_shows_answers_after_close_and_takes_an_audited_override() {
    let site = exam_site().await;
    let ids = add_questions(&site, QuestionType::Judge, 3, "信访/程序").await;
    let sections = json!([{"questions": ids, "points": 20}]);
    let exam_id = published_exam(
        &site,
        definition(sections, json!({"shuffle": false, "pass_score": 40})),
    )
    .await;
    let (status, paper) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::CREATED);
    let attempt_id = paper["attempt_id"].as_i64().unwrap();
    for (i, qid) in ids.iter().enumerate() {
        let given = if i == 0 { "错" } else { "对" };
        answer(
            &site,
            &site.officer,
            attempt_id,
            *qid,
            json!({"answer": [given]}),
        )
        .await;
    }
    let uri = format!("/api/attempts/{attempt_id}/events");
    let (status, _) = api_post(
        &site.t.router,
        &uri,
        &site.officer,
        json!({"kind": "hidden", "detail": "切到其他应用"}),
    )
    .await;
    assert_eq!(status.as_u16() / 100, 2);
    submit(&site, &site.officer, attempt_id).await;

    let officer_id = user_id(&site, "officer1").await;
    let person = format!("/admin/exams/{exam_id}/people/{officer_id}");
    let (status, _, before) = page(&site.t.router, &person, Some(&site.admin), None).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(
        before.contains("离开页面：切到其他应用"),
        "the visibility log: {before}"
    );
    assert!(before.contains("考试结束（"), "{before}");
    assert!(
        !before.contains("单选第") && !before.contains("判断第"),
        "no answers before close"
    );

    site.t.app.clock.advance(86_400 + 1);
    // A day on, the administrator's test session has ended: sign in again.
    let admin = crate::certificates::sign_in_again(&site.t, "admin").await;
    let (_, _, after) = page(&site.t.router, &person, Some(&admin), None).await;
    assert!(after.contains("判断第"), "the stems after close: {after}");
    assert_eq!(after.matches("class=\"wrong\"").count(), 1, "{after}");
    assert_eq!(after.matches("class=\"right\"").count(), 2);

    // An override needs a reason; granted, it is audited and shown.
    let csrf = admin.csrf.clone();
    let grant = format!("{person}/override");
    let no_reason = [
        ("csrf_token", csrf.as_str()),
        ("extra_attempts", "1"),
        ("reason", " "),
    ];
    let (status, _, body) = page(&site.t.router, &grant, Some(&admin), Some(&no_reason)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("请填写调整原因"), "{body}");
    let bad = [
        ("csrf_token", csrf.as_str()),
        ("extra_minutes", "十"),
        ("reason", "x"),
    ];
    let (status, _, body) = page(&site.t.router, &grant, Some(&admin), Some(&bad)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("延长时间须为整数"), "{body}");
    let form = [
        ("csrf_token", csrf.as_str()),
        ("extra_attempts", "1"),
        ("opens_at", "2026-01-03T08:00"),
        ("closes_at", "2026-01-03T12:00"),
        ("reason", "因公出差补考"),
    ];
    let (status, headers, _) = page(&site.t.router, &grant, Some(&admin), Some(&form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = headers["location"].to_str().unwrap().to_string();
    let (_, _, shown) = page(&site.t.router, &to, Some(&admin), None).await;
    assert!(
        shown.contains("增加 1 次") && shown.contains("因公出差补考"),
        "{shown}"
    );
    let entries = audit_entries(&site.t, &admin).await;
    let entry =
        find_audit(&entries, "exam_override", &format!("考试 #{exam_id}")).expect("audited");
    assert!(entry["detail"].as_str().unwrap().contains("因公出差补考"));
}

async fn user_id(site: &ExamSite, username: &str) -> i64 {
    let (_, users) = api_get(
        &site.t.router,
        &format!("/api/admin/users?q={username}"),
        Some(&site.admin),
    )
    .await;
    let list = users["users"]
        .as_array()
        .or(users.as_array())
        .cloned()
        .unwrap_or_default();
    list.iter()
        .find(|u| u["username"] == username)
        .and_then(|u| u["user_id"].as_i64())
        .unwrap_or_else(|| panic!("no {username} in {users}"))
}

#[tokio::test]
async fn a_unit_administrator_sees_only_exams_and_people_of_their_subtree() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Judge, 3, "信访/程序").await;
    add_unit(&site.t, &site.admin, "石柱县/司法局").await;
    user_session(&site.t, &site.admin, "other1", "石柱县/司法局", "执法人员").await;
    let unit_admin = user_session(&site.t, &site.admin, "uadmin", "柱山乡", "单位管理员").await;
    let sections = json!([{"types": ["judge"], "count": 3, "points": 20}]);
    let everyone = published_exam(
        &site,
        definition(sections.clone(), json!({"title": "全县考试"})),
    )
    .await;
    let (status, v) = api_post(
        &site.t.router,
        "/api/admin/exams",
        &unit_admin,
        definition(sections, json!({"title": "本乡考试"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let own = v["exam_id"].as_i64().unwrap();
    let form = [("csrf_token", unit_admin.csrf.as_str())];
    let (status, _, _) = page(
        &site.t.router,
        &format!("/admin/exams/{own}/publish"),
        Some(&unit_admin),
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (_, _, list) = page(&site.t.router, "/admin/exams", Some(&unit_admin), None).await;
    assert!(
        list.contains("本乡考试") && !list.contains("全县考试"),
        "{list}"
    );
    let (status, _, _) = page(
        &site.t.router,
        &format!("/admin/exams/{everyone}"),
        Some(&unit_admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, _, html) = page(
        &site.t.router,
        &format!("/admin/exams/{own}"),
        Some(&unit_admin),
        None,
    )
    .await;
    assert!(
        html.contains("officer1") && !html.contains("other1"),
        "{html}"
    );
    let outsider = user_id(&site, "other1").await;
    let (status, _, body) = page(
        &site.t.router,
        &format!("/admin/exams/{own}/people/{outsider}"),
        Some(&unit_admin),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another unit's person: {body}"
    );
    let mine = user_id(&site, "officer1").await;
    let (status, _, _) = page(
        &site.t.router,
        &format!("/admin/exams/{own}/people/{mine}"),
        Some(&unit_admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
