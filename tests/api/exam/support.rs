//! What the exam tests share: an app with 信访工作条例, users and a bank of approved
//! questions of every type whose keys the tests know, exams created and published through the
//! admin API, and the requests a taker makes.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::admin;
use xuefa::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};
use xuefa::bank::store::Inserted;

pub use crate::accounts_support::*;
pub use crate::helpers::*;

pub const LAW: &str = "行政法规/信访工作条例(2022-02-25).md";
/// The explanation every test question carries: it must never reach a taker before review.
pub const EXPLANATION: &str = "解析：依据信访工作条例的规定作答";

/// An app with the law, the administrator and an officer in 柱山乡/执法大队.
pub struct ExamSite {
    pub t: TestApp,
    pub admin: Session,
    pub officer: Session,
    pub law_id: i64,
}

pub async fn exam_site() -> ExamSite {
    let t = spawn_accounts_app().await;
    t.import(&[corpus_path(LAW)]).await;
    let law_id = t.current("信访工作条例").await.law_id;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/执法大队").await;
    let officer = user_session(&t, &admin, "officer1", "柱山乡/执法大队", "执法人员").await;
    ExamSite {
        t,
        admin,
        officer,
        law_id,
    }
}

fn basis(law_id: i64, article_no: u32) -> Vec<Basis> {
    vec![Basis {
        law_id,
        law_title: "信访工作条例".into(),
        article_no,
        article_sub: 0,
        article_label: String::new(),
    }]
}

/// A question of `qtype` numbered `n`: single has the right option first (index 0), multiple
/// options 0 and 2, judge is true, fill's blank is 六十 (60 accepted too).
pub fn draft(qtype: QuestionType, n: usize, law_id: i64, tag: &str) -> QuestionDraft {
    let (stem, options, answer) = match qtype {
        QuestionType::Single => (
            format!("单选第{n}题：信访工作应当坚持什么？"),
            vec![
                "正确甲".into(),
                "错误乙".into(),
                "错误丙".into(),
                "错误丁".into(),
            ],
            Answer::Single { option: 0 },
        ),
        QuestionType::Multiple => (
            format!("多选第{n}题：下列哪些说法正确？"),
            vec![
                "正确甲".into(),
                "错误乙".into(),
                "正确丙".into(),
                "错误丁".into(),
            ],
            Answer::Multiple {
                options: vec![0, 2],
            },
        ),
        QuestionType::Judge => (
            format!("判断第{n}题：信访工作应当依法进行。"),
            vec![],
            Answer::Judge { correct: true },
        ),
        QuestionType::Fill => (
            format!("填空第{n}题：办理期限为（ ）日。"),
            vec![],
            Answer::Fill {
                blanks: vec![vec!["六十".into(), "60".into()]],
            },
        ),
    };
    QuestionDraft {
        qtype,
        stem,
        options,
        answer,
        explanation: EXPLANATION.into(),
        basis: basis(law_id, 1 + (n as u32 % 20)),
        difficulty: 3,
        tags: vec![tag.into()],
        origin: Origin::Authored,
    }
}

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Stores approved questions; returns their ids.
pub async fn add_questions(site: &ExamSite, qtype: QuestionType, n: usize, tag: &str) -> Vec<i64> {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: T0,
    };
    let mut ids = Vec::new();
    for _ in 0..n {
        // Numbered across calls, so no stem repeats one already in the bank.
        let i = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = draft(qtype, i, site.law_id, tag);
        let made = site
            .t
            .write(async |tx| admin::create(tx, &ctx, &d, Status::Approved).await)
            .await;
        match made {
            Ok(Inserted::New { question_id, .. }) => ids.push(question_id),
            other => panic!("question {}: {other:?}", d.stem),
        }
    }
    ids
}

/// RFC 3339 of `T0 + secs`.
pub fn at(secs: i64) -> String {
    xuefa::exam::model::format_time(T0 + secs)
}

/// A definition open from T0 for a day, with the given sections and extra fields.
pub fn definition(sections: Value, extra: Value) -> Value {
    let mut d = json!({
        "title": "2026年度学法考试",
        "kind": "qualification",
        "time_limit_minutes": 30,
        "opens_at": at(0),
        "closes_at": at(86_400),
        "sections": sections,
    });
    if let (Some(d), Some(extra)) = (d.as_object_mut(), extra.as_object()) {
        d.extend(extra.clone());
    }
    d
}

/// Creates an exam through the API; returns its id.
pub async fn create_exam(site: &ExamSite, def: Value) -> i64 {
    let (status, v) = api_post(&site.t.router, "/api/admin/exams", &site.admin, def).await;
    assert_eq!(status, StatusCode::CREATED, "create exam: {v}");
    v["exam_id"].as_i64().expect("exam_id")
}

pub async fn publish(site: &ExamSite, exam_id: i64) -> (StatusCode, Value) {
    let uri = format!("/api/admin/exams/{exam_id}/publish");
    api_post(&site.t.router, &uri, &site.admin, json!({})).await
}

/// Creates and publishes an exam.
pub async fn published_exam(site: &ExamSite, def: Value) -> i64 {
    let id = create_exam(site, def).await;
    let (status, v) = publish(site, id).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "publish: {v}");
    id
}

/// `POST /api/exams/{id}/attempts` as `s`.
pub async fn start(site: &ExamSite, s: &Session, exam_id: i64) -> (StatusCode, Value) {
    let uri = format!("/api/exams/{exam_id}/attempts");
    api_post(&site.t.router, &uri, s, json!({})).await
}

pub async fn answer(
    site: &ExamSite,
    s: &Session,
    attempt_id: i64,
    question_id: i64,
    body: Value,
) -> (StatusCode, Value) {
    let uri = format!("/api/attempts/{attempt_id}/answers/{question_id}");
    call(&site.t.router, Method::PUT, &uri, Some(s), Some(body)).await
}

pub async fn submit(site: &ExamSite, s: &Session, attempt_id: i64) -> (StatusCode, Value) {
    let uri = format!("/api/attempts/{attempt_id}/submit");
    api_post(&site.t.router, &uri, s, json!({})).await
}

/// The right answer to a paper question, from what the test knows of its key: the shown key
/// of the option whose text starts with 正确, 对, or 六十.
pub fn right_answer(q: &Value) -> Value {
    match q["type"].as_str() {
        Some("single") | Some("multiple") => {
            let keys: Vec<&str> = q["options"]
                .as_array()
                .expect("options")
                .iter()
                .filter(|o| o["text"].as_str().is_some_and(|t| t.starts_with("正确")))
                .filter_map(|o| o["key"].as_str())
                .collect();
            json!(keys)
        }
        Some("judge") => json!(["对"]),
        _ => json!(["六十"]),
    }
}

/// Fails when a response before grading carries anything of the key: the fields grading
/// and review use, the explanation or the basis article's text.
pub fn assert_no_key(what: &str, body: &Value) {
    let text = body.to_string();
    for field in [
        "\"correct_answer\"",
        "\"explanation\"",
        "\"basis\"",
        "\"article_text\"",
        "\"correct\"",
        "\"earned\"",
        "\"blanks\"",
        "\"option\":",
        "\"options\":[0",
    ] {
        assert!(!text.contains(field), "{what} leaks {field}: {text:.400}");
    }
    assert!(!text.contains(EXPLANATION), "{what} leaks the explanation");
}

/// Another officer in 柱山乡/执法大队, signed in.
pub async fn another_officer(site: &ExamSite, username: &str) -> Session {
    user_session(
        &site.t,
        &site.admin,
        username,
        "柱山乡/执法大队",
        "执法人员",
    )
    .await
}
