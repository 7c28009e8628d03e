//! What the practice tests share: a site with 信访工作条例 and four approved questions (one of
//! each type) on its articles, an official signed in, and the practice API calls.

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::admin;
use xuefa::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};
use xuefa::bank::store::Inserted;

use crate::accounts_support::{Session, admin_session, api_get, api_post, user_session};
use crate::helpers::{TestApp, corpus_path, spawn_accounts_app};

pub const DAY: i64 = 86_400;

/// The site's questions by type.
pub struct Bank {
    pub judge: i64,
    pub single: i64,
    pub multiple: i64,
    pub fill: i64,
}

impl Bank {
    pub fn all(&self) -> [i64; 4] {
        [self.judge, self.single, self.multiple, self.fill]
    }
}

pub struct Site {
    pub t: TestApp,
    pub admin: Session,
    pub official: Session,
    pub bank: Bank,
    /// The current version of 信访工作条例.
    pub law_id: i64,
}

fn draft(qtype: QuestionType, stem: &str, law_id: i64, article: u32, tag: &str) -> QuestionDraft {
    QuestionDraft {
        qtype,
        stem: stem.into(),
        options: vec![],
        answer: Answer::Judge { correct: true },
        explanation: format!("依据第{article}条。"),
        basis: vec![Basis {
            law_id,
            law_title: "信访工作条例".into(),
            article_no: article,
            article_sub: 0,
            article_label: String::new(),
        }],
        difficulty: 2,
        tags: vec![tag.into()],
        origin: Origin::Authored,
    }
}

async fn create(t: &TestApp, d: &QuestionDraft) -> i64 {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: crate::helpers::T0,
    };
    match t
        .write(async |tx| admin::create(tx, &ctx, d, Status::Approved).await)
        .await
    {
        Ok(Inserted::New { question_id, .. }) => question_id,
        other => panic!("create {}: {other:?}", d.stem),
    }
}

/// 信访工作条例 with one approved question of each type, and the official `zhang` signed in.
pub async fn site() -> Site {
    let t = spawn_accounts_app().await;
    t.import(&[corpus_path("行政法规/信访工作条例(2022-02-25).md")])
        .await;
    let law_id = t.current("信访工作条例").await.law_id;
    let admin = admin_session(&t).await;
    crate::accounts_support::add_unit(&t, &admin, "柱山乡").await;
    let official = user_session(&t, &admin, "zhang", "柱山乡", "official").await;
    let mut judge = draft(
        QuestionType::Judge,
        "信访部门收到信访事项应当登记。",
        law_id,
        22,
        "信访/受理",
    );
    judge.answer = Answer::Judge { correct: true };
    let mut single = draft(
        QuestionType::Single,
        "信访部门应在多少日内区分情况处理信访事项？",
        law_id,
        22,
        "信访/受理",
    );
    single.options = vec!["5日".into(), "10日".into(), "15日".into(), "30日".into()];
    single.answer = Answer::Single { option: 2 };
    let mut multiple = draft(
        QuestionType::Multiple,
        "下列属于信访事项办理方式的有：",
        law_id,
        34,
        "信访/办理期限",
    );
    multiple.options = vec!["予以支持".into(), "不予支持".into(), "置之不理".into()];
    multiple.answer = Answer::Multiple {
        options: vec![0, 1],
    };
    let mut fill = draft(
        QuestionType::Fill,
        "信访事项应当自受理之日起（ ）内办结。",
        law_id,
        34,
        "信访/办理期限",
    );
    fill.answer = Answer::Fill {
        blanks: vec![vec!["60日".into(), "六十日".into()]],
    };
    let bank = Bank {
        judge: create(&t, &judge).await,
        single: create(&t, &single).await,
        multiple: create(&t, &multiple).await,
        fill: create(&t, &fill).await,
    };
    Site {
        t,
        admin,
        official,
        bank,
        law_id,
    }
}

impl Site {
    /// Moves the clock on and signs the official in again (the old session has expired).
    pub async fn later(&mut self, secs: i64) {
        self.t.app.clock.advance(secs);
        self.official = crate::accounts_support::sign_in(
            &self.t.router,
            "zhang",
            crate::accounts_support::USER_PASSWORD,
        )
        .await;
    }
}

/// The right answer of each of the site's questions, and a wrong one.
pub fn right(bank: &Bank, q: i64) -> Value {
    if q == bank.judge {
        json!(["对"])
    } else if q == bank.single {
        json!(["C"])
    } else if q == bank.multiple {
        json!(["A", "B"])
    } else {
        json!(["六十日"])
    }
}

pub fn wrong(bank: &Bank, q: i64) -> Value {
    if q == bank.judge {
        json!(["错"])
    } else if q == bank.single || q == bank.multiple {
        json!(["A"])
    } else {
        json!(["30日"])
    }
}

/// Starts a session; asserts 201.
pub async fn start(site: &Site, who: &Session, source: Value) -> Value {
    let (status, v) = api_post(&site.t.router, "/api/practice/sessions", who, source).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v
}

/// Answers a question (in a session when given); asserts 200 and returns the feedback.
pub async fn answer(
    site: &Site,
    who: &Session,
    session: Option<i64>,
    q: i64,
    given: Value,
) -> Value {
    let body = json!({ "session_id": session, "question_id": q, "answer": given });
    let (status, v) = api_post(&site.t.router, "/api/practice/answers", who, body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

pub async fn book(site: &Site, who: &Session, query: &str) -> Value {
    let (status, v) = api_get(
        &site.t.router,
        &format!("/api/practice/wrong-book{query}"),
        Some(who),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

pub async fn today(site: &Site, who: &Session) -> Value {
    let (status, v) = api_get(&site.t.router, "/api/practice/today", Some(who)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

/// Question ids of the book's entries.
pub fn book_ids(book: &Value) -> Vec<i64> {
    book["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["question"]["question_id"].as_i64().expect("id"))
        .collect()
}

/// Fails when a question as shown before answering carries anything of its key.
pub fn assert_no_key(question: &Value) {
    let obj = question.as_object().expect("question object");
    for field in [
        "answer",
        "answer_text",
        "explanation",
        "basis",
        "articles",
        "key",
    ] {
        assert!(!obj.contains_key(field), "{field} leaked in {question}");
    }
    let text = question.to_string();
    assert!(!text.contains("依据第"), "explanation leaked: {text}");
}
