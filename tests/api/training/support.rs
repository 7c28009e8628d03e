//! What the training tests share: a township with two units, a unit administrator of one,
//! officials in both, 信访工作条例 with approved judge questions (key: 对), and a session
//! from T0 + 1 h to T0 + 3 h for 柱山乡/司法所 created through the API.

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::admin;
use xuefa::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};
use xuefa::bank::store::Inserted;

pub use crate::accounts_support::*;
pub use crate::helpers::*;

pub const LAW: &str = "行政法规/信访工作条例(2022-02-25).md";
pub const HOUR: i64 = 3600;

pub struct Site {
    pub t: TestApp,
    pub admin: Session,
    /// Unit administrator of 柱山乡/司法所.
    pub unit_admin: Session,
    /// In 柱山乡/司法所 (on the session's roster).
    pub official: Session,
    /// In 柱山乡/执法大队 (not on it).
    pub outsider: Session,
    pub law_id: i64,
}

pub async fn site() -> Site {
    let t = spawn_accounts_app().await;
    t.import(&[corpus_path(LAW)]).await;
    let law_id = t.current("信访工作条例").await.law_id;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/司法所").await;
    add_unit(&t, &admin, "柱山乡/执法大队").await;
    let unit_admin = user_session(&t, &admin, "sfs_admin", "柱山乡/司法所", "unit_admin").await;
    let official = user_session(&t, &admin, "zhangsan", "柱山乡/司法所", "").await;
    let outsider = user_session(&t, &admin, "lisi", "柱山乡/执法大队", "").await;
    Site {
        t,
        admin,
        unit_admin,
        official,
        outsider,
        law_id,
    }
}

/// Stores `n` approved judge questions on the law (true is right).
pub async fn add_questions(site: &Site, n: usize) {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: T0,
    };
    for i in 0..n {
        let d = QuestionDraft {
            qtype: QuestionType::Judge,
            stem: format!("判断第{i}题：信访工作应当依法进行，情形{i}。"),
            options: vec![],
            answer: Answer::Judge { correct: true },
            explanation: "依据信访工作条例。".into(),
            basis: vec![Basis {
                law_id: site.law_id,
                law_title: "信访工作条例".into(),
                article_no: 1 + i as u32,
                article_sub: 0,
                article_label: String::new(),
            }],
            difficulty: 2,
            tags: vec!["信访".into()],
            origin: Origin::Authored,
        };
        let made = site
            .t
            .write(async |tx| admin::create(tx, &ctx, &d, Status::Approved).await)
            .await;
        assert!(matches!(made, Ok(Inserted::New { .. })), "{made:?}");
    }
}

/// RFC 3339 of `T0 + secs`.
pub fn at(secs: i64) -> String {
    xuefa::exam::model::format_time(T0 + secs)
}

/// A session from T0 + 1 h to T0 + 3 h, 2 hours credited, for 柱山乡/司法所.
pub fn request(extra: Value) -> Value {
    let mut r = json!({
        "title": "2026年第一次集中学法：信访工作条例",
        "kind": "concentrated",
        "starts_at": at(HOUR),
        "ends_at": at(3 * HOUR),
        "hours": 2.0,
        "laws": [],
        "units": ["柱山乡/司法所"],
    });
    if let (Some(r), Some(extra)) = (r.as_object_mut(), extra.as_object()) {
        r.extend(extra.clone());
    }
    r
}

/// Creates a session as `by`; returns (id, check-in code).
pub async fn create(site: &Site, by: &Session, body: Value) -> (i64, String) {
    let (status, v) = api_post(&site.t.router, "/api/admin/trainings", by, body).await;
    assert_eq!(status, StatusCode::CREATED, "create training: {v}");
    let code = v["checkin_code"].as_str().expect("code").to_string();
    (v["training_id"].as_i64().expect("id"), code)
}

pub async fn checkin(site: &Site, s: &Session, code: &str) -> (StatusCode, Value) {
    api_post(&site.t.router, "/api/checkin", s, json!({ "code": code })).await
}

/// Moves the manual clock to `T0 + secs`, in steps shorter than the sessions' idle timeout
/// with a request by every test session after each, as people who keep the page open do.
pub async fn set_time(site: &Site, secs: i64) {
    let step = xuefa::accounts::session::IDLE_SECS - 60;
    loop {
        let left = T0 + secs - site.t.app.clock.now();
        if left <= 0 {
            site.t.app.clock.advance(left);
            return;
        }
        site.t.app.clock.advance(left.min(step));
        for s in [
            &site.admin,
            &site.unit_admin,
            &site.official,
            &site.outsider,
        ] {
            let (status, _) = api_get(&site.t.router, "/api/me", Some(s)).await;
            assert_eq!(status, StatusCode::OK, "a test session ended");
        }
    }
}

/// This person's attended sessions in 2026 as `/api/me/trainings` reports them.
pub async fn attended(site: &Site, s: &Session) -> (i64, f64) {
    let (status, v) = api_get(&site.t.router, "/api/me/trainings?year=2026", Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    (
        v["attended"]["count"].as_i64().expect("count"),
        v["attended"]["hours"].as_f64().expect("hours"),
    )
}
