//! Item analysis: facility, discrimination (upper minus lower third), distractor counts in
//! the question's own option letters, flags, the per-article wrong share of a unit, the unit
//! scope, and no key before the exam closes or for anyone but its administrators.

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::admin;
use xuefa::bank::model::{QuestionType, Status};
use xuefa::bank::store::Inserted;

use super::support::*;

/// An approved question of `qtype` (keys as `draft` says: single A, multiple A and C,
/// judge 对) citing article `article` of the law.
async fn question(site: &ExamSite, qtype: QuestionType, n: usize, article: u32) -> i64 {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: T0,
    };
    let mut d = draft(qtype, n, site.law_id, "信访/分析");
    d.basis[0].article_no = article;
    let made = site
        .t
        .write(async |tx| admin::create(tx, &ctx, &d, Status::Approved).await)
        .await;
    match made {
        Ok(Inserted::New { question_id, .. }) => question_id,
        other => panic!("question {n}: {other:?}"),
    }
}

/// The shown keys of the options with these texts (the paper shuffles them).
fn shown(q: &Value, texts: &[&str]) -> Value {
    let keys: Vec<&str> = q["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter(|o| texts.contains(&o["text"].as_str().unwrap_or("")))
        .filter_map(|o| o["key"].as_str())
        .collect();
    json!(keys)
}

/// Sits the exam as `s`, answering each question id with `answers` (None leaves it blank;
/// choice questions by option text).
async fn sit(site: &ExamSite, s: &Session, exam_id: i64, answers: &[(i64, Option<&[&str]>)]) {
    let (status, paper) = start(site, s, exam_id).await;
    assert_eq!(status, StatusCode::CREATED, "{paper}");
    let attempt = paper["attempt_id"].as_i64().unwrap();
    for q in paper["questions"].as_array().unwrap() {
        let qid = q["question_id"].as_i64().unwrap();
        let Some((_, Some(given))) = answers.iter().find(|(id, _)| *id == qid) else {
            continue;
        };
        let body = match q["type"].as_str() {
            Some("single") | Some("multiple") => json!({ "answer": shown(q, given) }),
            _ => json!({ "answer": given }),
        };
        let (status, v) = answer(site, s, attempt, qid, body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
    let (status, v) = submit(site, s, attempt).await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

const A: &str = "正确甲";
const B: &str = "错误乙";
const C: &str = "正确丙";
/// The single-choice question's third option.
const C1: &str = "错误丙";
const D: &str = "错误丁";
const RIGHT: &[&str] = &["对"];
const WRONG: &[&str] = &["错"];

struct Fixture {
    site: ExamSite,
    unit_admin: Session,
    exam_id: i64,
    q: [i64; 4],
}

/// A 柱山乡 exam made by its unit administrator: Q1 single (A right), Q2 judge, Q3 multiple
/// (A and C right, half points for a right subset), Q4 judge, 10 points each; Q1 and Q3
/// cite article 5, Q2 article 6, Q4 article 7. Six candidates a1…a6 in 柱山乡/执法大队
/// (created in that order, so ties rank by it) and a7 in 柱山乡/司法所, who gets all right.
async fn fixture() -> Fixture {
    let site = exam_site().await;
    add_unit(&site.t, &site.admin, "柱山乡/司法所").await;
    let unit_admin = user_session(&site.t, &site.admin, "uadmin", "柱山乡", "单位管理员").await;
    let q = [
        question(&site, QuestionType::Single, 901, 5).await,
        question(&site, QuestionType::Judge, 902, 6).await,
        question(&site, QuestionType::Multiple, 903, 5).await,
        question(&site, QuestionType::Judge, 904, 7).await,
    ];
    let sections = json!([{"name": "试题", "questions": q, "points": 10}]);
    let extra = json!({"kind": "annual", "pass_score": 20, "multiple_partial_credit": 0.5});
    let (status, v) = api_post(
        &site.t.router,
        "/api/admin/exams",
        &unit_admin,
        definition(sections, extra),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let exam_id = v["exam_id"].as_i64().unwrap();
    let uri = format!("/api/admin/exams/{exam_id}/publish");
    let (status, v) = api_post(&site.t.router, &uri, &unit_admin, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{v}");
    type Sheet<'a> = [Option<&'a [&'a str]>; 4];
    let sheets: [(&str, &str, Sheet); 7] = [
        (
            "a1",
            "柱山乡/执法大队",
            [Some(&[A]), Some(RIGHT), Some(&[A]), Some(WRONG)],
        ),
        (
            "a2",
            "柱山乡/执法大队",
            [Some(&[A]), Some(RIGHT), Some(&[A, B]), Some(WRONG)],
        ),
        (
            "a3",
            "柱山乡/执法大队",
            [Some(&[B]), Some(RIGHT), Some(&[B, D]), Some(RIGHT)],
        ),
        (
            "a4",
            "柱山乡/执法大队",
            [Some(&[A]), Some(RIGHT), Some(&[D]), Some(WRONG)],
        ),
        (
            "a5",
            "柱山乡/执法大队",
            [Some(&[C1]), Some(RIGHT), Some(&[B]), Some(WRONG)],
        ),
        (
            "a6",
            "柱山乡/执法大队",
            [None, Some(RIGHT), None, Some(RIGHT)],
        ),
        (
            "a7",
            "柱山乡/司法所",
            [Some(&[A]), Some(RIGHT), Some(&[A, C]), Some(RIGHT)],
        ),
    ];
    for (name, unit, sheet) in sheets {
        let s = user_session(&site.t, &site.admin, name, unit, "").await;
        let answers: Vec<(i64, Option<&[&str]>)> = q.iter().copied().zip(sheet).collect();
        sit(&site, &s, exam_id, &answers).await;
    }
    Fixture {
        site,
        unit_admin,
        exam_id,
        q,
    }
}

async fn analysis(f: &Fixture, s: &Session, query: &str) -> (StatusCode, Value) {
    let uri = format!("/api/admin/exams/{}/analysis{query}", f.exam_id);
    api_get(&f.site.t.router, &uri, Some(s)).await
}

fn stats(v: &Value, question_id: i64) -> &Value {
    v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["question_id"] == question_id)
        .expect("question in the analysis")
}

#[tokio::test]
async fn facility_discrimination_distractors_and_flags_match_the_hand_computed_values() {
    let f = fixture().await;
    let (status, v) = analysis(
        &f,
        &f.unit_admin,
        &format!("?unit={}", enc("柱山乡/执法大队")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // Scores: a1 10+10+5+0 = 25; a2 20; a3 0+10+0+10 = 20; a4 20; a5 10; a6 0+10+0+10 = 20.
    // Ranked (ties by creation): a1 | a2 a3 a4 a6 | a5; thirds of 6 are 2: upper a1 a2,
    // lower a6 a5.
    assert_eq!(
        (v["candidates"].as_i64(), v["group_size"].as_i64()),
        (Some(6), Some(2))
    );
    assert_eq!(v["unit"], "柱山乡/执法大队");
    let [q1, q2, q3, q4] = f.q.map(|id| stats(&v, id).clone());
    // Q1: a1 a2 a4 right: 3/6 = 0.5; upper 2/2, lower 0/2: 1.0. a6 left it blank.
    assert_eq!(
        (q1["facility"].as_f64(), q1["discrimination"].as_f64()),
        (Some(0.5), Some(1.0))
    );
    assert_eq!(
        (q1["seen"].as_i64(), q1["answered"].as_i64()),
        (Some(6), Some(5))
    );
    assert_eq!(q1["flags"], json!([]));
    // Choices in the question's own letters, whatever order each paper showed.
    let counts = |q: &Value| -> Vec<(String, i64)> {
        q["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["key"].as_str().unwrap().to_string(),
                    o["count"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let letters = |c: [i64; 4]| -> Vec<(String, i64)> {
        ["A", "B", "C", "D"]
            .iter()
            .map(|k| k.to_string())
            .zip(c)
            .collect()
    };
    assert_eq!(counts(&q1), letters([3, 1, 1, 0]));
    // Q2: all right: 1.0 > 0.9, too easy; both groups 1: discrimination 0.
    assert_eq!(
        (q2["facility"].as_f64(), q2["discrimination"].as_f64()),
        (Some(1.0), Some(0.0))
    );
    assert_eq!(q2["flags"], json!(["too_easy"]));
    assert_eq!(q2["options"], json!([]), "no options on a judge question");
    // Q3: only a1's half credit: 0.5/6 = 0.083 < 0.2, too hard; upper (0.5 + 0)/2 = 0.25,
    // lower 0: 0.25. Picks: A by a1 a2, B by a2 a3 a5, D by a3 a4.
    assert_eq!(
        (q3["facility"].as_f64(), q3["discrimination"].as_f64()),
        (Some(0.083), Some(0.25))
    );
    assert_eq!(q3["flags"], json!(["too_hard"]));
    assert_eq!(counts(&q3), letters([2, 3, 0, 2]));
    // Q4: a3 a6 right: 2/6 = 0.333; upper 0/2, lower (a6 1 + a5 0)/2 = 0.5: −0.5.
    assert_eq!(
        (q4["facility"].as_f64(), q4["discrimination"].as_f64()),
        (Some(0.333), Some(-0.5))
    );
    assert_eq!(q4["flags"], json!(["negative_discrimination"]));
    // Articles, worst first: 5 (Q1 3 wrong of 6 + Q3 6 of 6: 9/12 = 0.75), 7 (Q4 4/6 =
    // 0.667), 6 (Q2 0/6).
    let arts: Vec<(i64, i64, i64, f64)> = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["article_no"].as_i64().unwrap(),
                a["answers"].as_i64().unwrap(),
                a["wrong"].as_i64().unwrap(),
                a["wrong_share"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        arts,
        vec![(5, 12, 9, 0.75), (7, 6, 4, 0.667), (6, 6, 0, 0.0)]
    );
    let law_id = f.site.law_id;
    assert_eq!(v["articles"][0]["url"], format!("/laws/{law_id}#art-5"));
    assert_eq!(v["articles"][0]["law_title"], "信访工作条例");

    // The whole scope adds a7 (all right, 40): seven candidates, thirds of 2.
    let (status, all) = analysis(&f, &f.unit_admin, "").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        (all["candidates"].as_i64(), all["unit"].as_str()),
        (Some(7), Some("柱山乡"))
    );
    // Q1: 4/7 = 0.571.
    assert_eq!(stats(&all, f.q[0])["facility"].as_f64(), Some(0.571));
}

#[tokio::test]
async fn the_analysis_is_scoped_like_the_results_and_shows_the_key_only_after_the_close() {
    let f = fixture().await;
    let router = &f.site.t.router;
    // Before the close, no option is marked right, to the administrator either.
    let (status, v) = analysis(&f, &f.unit_admin, "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["closed"], false);
    assert!(!v.to_string().contains("\"correct\""), "{v}");

    // Another unit's administrator, a sub-unit's administrator and an officer: 403 in Chinese.
    add_unit(&f.site.t, &f.site.admin, "石柱县/司法局").await;
    let other = user_session(
        &f.site.t,
        &f.site.admin,
        "oadmin",
        "石柱县/司法局",
        "单位管理员",
    )
    .await;
    let sub = user_session(
        &f.site.t,
        &f.site.admin,
        "sadmin",
        "柱山乡/司法所",
        "单位管理员",
    )
    .await;
    for s in [&other, &sub, &f.site.officer] {
        let (status, v) = analysis(&f, s, "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
        assert!(
            v["error"].as_str().is_some_and(|m| m.contains("无权")),
            "{v}"
        );
        assert!(!v.to_string().contains("正确甲"), "{v}");
        let uri = format!("/admin/exams/{}/analysis", f.exam_id);
        let (status, _, html) = page(router, &uri, Some(s), None).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{status}"
        );
        assert!(
            !html.contains("正确甲") && !html.contains("区分度"),
            "{html:.300}"
        );
    }
    // A unit outside the administrator's scope is refused; an unknown one is not found.
    let (status, v) = analysis(&f, &f.unit_admin, &format!("?unit={}", enc("石柱县"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
    let (status, v) = analysis(
        &f,
        &f.unit_admin,
        &format!("?unit={}", enc("柱山乡/无此单位")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("单位「柱山乡/无此单位」不存在"),
        "{v}"
    );

    // After the close the right options are marked.
    f.site.t.app.clock.advance(86_400 + 60);
    let admin = crate::certificates::sign_in_again(&f.site.t, "uadmin").await;
    let (status, v) = analysis(&f, &admin, "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["closed"], true);
    let marks: Vec<bool> = stats(&v, f.q[2])["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["correct"].as_bool().unwrap())
        .collect();
    assert_eq!(marks, vec![true, false, true, false]);
}

#[tokio::test]
async fn the_analysis_page_shows_the_flags_in_chinese_and_links_each_article_to_a_session() {
    let f = fixture().await;
    let router = &f.site.t.router;
    let uri = format!("/admin/exams/{}", f.exam_id);
    let (status, _, html) = page(router, &uri, Some(&f.unit_admin), None).await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("/admin/exams/{}/analysis", f.exam_id);
    assert!(html.contains(&link), "the results page links the analysis");
    let query = format!("{link}?unit={}", enc("柱山乡/执法大队"));
    let (status, _, html) = page(router, &query, Some(&f.unit_admin), None).await;
    assert_eq!(status, StatusCode::OK, "{html:.300}");
    for text in [
        "过易",
        "过难",
        "区分度为负",
        "第五条",
        "安排集中学法",
        "50%",
        "75%",
    ] {
        assert!(html.contains(text), "{text} missing");
    }
    let links: Vec<String> = hrefs(&html).iter().map(|h| unescape(h)).collect();
    let law_id = f.site.law_id;
    assert!(
        links.contains(&format!("/laws/{law_id}#art-5")),
        "{links:?}"
    );
    let schedule = links
        .into_iter()
        .find(|h| h.starts_with("/admin/trainings?"))
        .expect("a schedule link");
    // The new-session form comes prefilled with the law and a topic, and creates the session.
    let (status, _, form) = page(router, &schedule, Some(&f.unit_admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"信访工作条例\""), "{form:.2000}");
    assert!(form.contains("《信访工作条例》第五条专题学法"));
}
