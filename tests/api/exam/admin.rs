//! Administrators' side: publishing checks the bank, attempts and overrides (audited), the
//! audience and unit scope, results, and the command line.

use axum::http::StatusCode;
use serde_json::json;
use xuefa::bank::model::QuestionType;

use super::support::*;

#[tokio::test]
async fn publishing_says_which_section_the_bank_cannot_fill_and_by_how_many() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Judge, 2, "信访/程序").await;
    add_questions(&site, QuestionType::Single, 6, "信访/原则").await;
    let sections = json!([
        {"name": "单选题", "types": ["single"], "count": 5, "points": 10},
        {"name": "判断题", "types": ["judge"], "count": 5, "points": 10},
    ]);
    let exam_id = create_exam(&site, definition(sections, json!({}))).await;
    let (status, v) = publish(&site, exam_id).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let message = v["error"].as_str().unwrap();
    assert!(
        message.contains("「判断题」需要 5 道题") && message.contains("还差 3 道"),
        "{message}"
    );
    assert!(!message.contains("单选题"), "{message}");
    // A draft is not open to takers.
    let (status, _) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    add_questions(&site, QuestionType::Judge, 5, "信访/程序").await;
    let (status, v) = publish(&site, exam_id).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    let (status, _) = publish(&site, exam_id).await;
    assert_eq!(status, StatusCode::CONFLICT, "published once");

    let bad = definition(json!([{"types": ["essay"]}]), json!({}));
    let (status, v) = api_post(&site.t.router, "/api/admin/exams", &site.admin, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        v["error"].as_str().unwrap().contains("题型「essay」不存在"),
        "{v}"
    );
    let (status, _) = api_post(&site.t.router, "/api/admin/exams", &site.officer, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "officers do not make exams");
}

#[tokio::test]
async fn attempts_run_out_and_an_audited_override_grants_another_with_more_time() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Judge, 6, "信访/程序").await;
    let sections = json!([{"types": ["judge"], "count": 3, "points": 20}]);
    let def = definition(sections, json!({"max_attempts": 1, "pass_score": 40}));
    let exam_id = published_exam(&site, def).await;
    let (_, first) = start(&site, &site.officer, exam_id).await;
    let first_id = first["attempt_id"].as_i64().unwrap();
    submit(&site, &site.officer, first_id).await;
    let (status, v) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        v["error"].as_str().unwrap().contains("最多可考 1 次"),
        "{v}"
    );

    let uri = format!("/api/admin/exams/{exam_id}/overrides");
    let no_reason = json!({"username": "officer1", "extra_attempts": 1, "reason": " "});
    let (status, _) = api_post(&site.t.router, &uri, &site.admin, no_reason).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body = json!({"username": "officer1", "extra_attempts": 1, "extra_minutes": 15,
                      "reason": "考试中途停电"});
    let (status, v) = api_post(&site.t.router, &uri, &site.admin, body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    let entries = audit_entries(&site.t, &site.admin).await;
    let entry =
        find_audit(&entries, "exam_override", &format!("考试 #{exam_id}")).expect("audited");
    assert!(entry["detail"].as_str().unwrap().contains("考试中途停电"));

    let (status, second) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["deadline_unix"], T0 + 45 * 60);
    // Unseen questions first: the second paper has none of the first's three.
    let ids = |p: &serde_json::Value| -> Vec<i64> {
        p["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["question_id"].as_i64().unwrap())
            .collect()
    };
    assert!(ids(&second).iter().all(|q| !ids(&first).contains(q)));
    for q in second["questions"].as_array().unwrap() {
        let qid = q["question_id"].as_i64().unwrap();
        answer(
            &site,
            &site.officer,
            second["attempt_id"].as_i64().unwrap(),
            qid,
            json!({"answer": ["对"]}),
        )
        .await;
    }
    submit(&site, &site.officer, second["attempt_id"].as_i64().unwrap()).await;

    let (status, results) = api_get(
        &site.t.router,
        &format!("/api/admin/exams/{exam_id}/results"),
        Some(&site.admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let person = &results["people"][0];
    assert_eq!(
        (person["username"].as_str(), person["attempts"].as_i64()),
        (Some("officer1"), Some(2))
    );
    assert_eq!(person["score"], 60.0, "the best attempt counts");
    assert_eq!(results["passed"], 1);

    let out = site
        .t
        .cli(&["exams", "results", &exam_id.to_string(), "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("officer1") && csv.contains("60"), "{csv}");
}

#[tokio::test]
async fn the_audience_and_the_unit_scope_decide_who_sits_and_who_manages() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Judge, 3, "信访/程序").await;
    add_unit(&site.t, &site.admin, "石柱县/司法局").await;
    let outsider = user_session(&site.t, &site.admin, "other1", "石柱县/司法局", "执法人员").await;
    let unit_admin = user_session(&site.t, &site.admin, "uadmin", "柱山乡", "单位管理员").await;
    let sections = json!([{"types": ["judge"], "count": 3, "points": 20}]);
    let def = definition(sections.clone(), json!({"audience": {"units": ["柱山乡"]}}));
    let exam_id = published_exam(&site, def).await;

    let (_, list) = api_get(&site.t.router, "/api/exams", Some(&outsider)).await;
    assert_eq!(list, json!([]));
    let (status, _) = start(&site, &outsider, exam_id).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "outside the audience");
    let (status, _) = start(&site, &site.officer, exam_id).await;
    assert_eq!(status, StatusCode::CREATED, "a sub-unit is included");

    // A unit administrator manages only exams made for their unit.
    let uri = format!("/api/admin/exams/{exam_id}/results");
    let (status, _) = api_get(&site.t.router, &uri, Some(&unit_admin)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let outside = definition(sections.clone(), json!({"audience": {"units": ["石柱县"]}}));
    let (status, _) = api_post(&site.t.router, "/api/admin/exams", &unit_admin, outside).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let own = definition(sections, json!({}));
    let (status, v) = api_post(&site.t.router, "/api/admin/exams", &unit_admin, own).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let own_id = v["exam_id"].as_i64().unwrap();
    let (status, _) = api_post(
        &site.t.router,
        &format!("/api/admin/exams/{own_id}/publish"),
        &unit_admin,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = api_get(&site.t.router, "/api/exams", Some(&outsider)).await;
    assert_eq!(list, json!([]), "made for 柱山乡 only");
    let (_, list) = api_get(&site.t.router, "/api/exams", Some(&site.officer)).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_command_line_creates_lists_and_publishes_an_exam() {
    let site = exam_site().await;
    add_questions(&site, QuestionType::Single, 3, "信访/原则").await;
    let file = site.t.dir.path().join("exam.json");
    let def = definition(
        json!([{"name": "单选", "types": ["单选"], "count": 3, "points": 20}]),
        json!({}),
    );
    std::fs::write(&file, def.to_string()).unwrap();
    let out = site.t.cli(&["exams", "create", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id: i64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("prints the id");
    let out = site.t.cli(&["exams", "publish", &id.to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = site.t.cli(&["exams", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list[0]["exam_id"], id);
    assert_eq!(list[0]["status"], "published");

    std::fs::write(&file, "{\"title\": \"缺少字段\"}").unwrap();
    let out = site.t.cli(&["exams", "create", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("考试定义格式有误"));
}
