//! The reports fixture, small enough to compute by hand (year 2026, T0 = 2026-01-01):
//!
//! - 柱山乡/司法所: zhangsan, wangwu and sfs_admin (its unit administrator, an official too);
//!   柱山乡/执法大队: lisi (officer). The system administrator is not counted.
//! - 司法所 overrides 2026 to 5 hours and 1 session. The 8 required laws exist as statutes.
//! - Reading: zhangsan every required law for exactly its minutes (420 min), wangwu 信访工作条例
//!   for 30 min. Exam time: 600 s per attempt.
//! - A 集中学法 for 司法所 and lisi (T0+1h–3h), zhangsan and lisi sign in; a 法治培训班 for
//!   执法大队 (T0+4h–5h) nobody attends.
//! - One exam (opens T0+2h) for 司法所 and lisi, 100 points: zhangsan 80 (pass), wangwu 50,
//!   lisi 40 then 90 (best counts: pass); sfs_admin does not sit it.
//! - Certificates: lisi valid (issued T0+1h, until T0+200d) and expiring (until T0+30d), wangwu
//!   expired, zhangsan revoked.

use axum::http::StatusCode;
use serde_json::{Value, json};

pub use crate::accounts_support::*;
pub use crate::helpers::*;

pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

pub struct Site {
    pub t: TestApp,
    pub admin: Session,
}

/// The curriculum's official laws and minutes (corpus/curriculum.toml).
const LAWS: [(&str, i64); 8] = [
    ("中华人民共和国宪法", 120),
    ("信访工作条例", 60),
    ("中华人民共和国公务员法", 60),
    ("中华人民共和国监察法", 45),
    ("中华人民共和国公职人员政务处分法", 45),
    ("中华人民共和国保守国家秘密法", 30),
    ("中华人民共和国国家赔偿法", 30),
    ("中华人民共和国安全生产法", 30),
];

async fn exec(t: &TestApp, sql: &str) {
    let r = t
        .write(async |tx| sqlx::query(sql).execute(&mut *tx).await)
        .await;
    assert!(r.is_ok(), "{sql}: {r:?}");
}

async fn user_id(t: &TestApp, username: &str) -> i64 {
    sqlx::query_scalar("select user_id from app_user where username = $1")
        .bind(username)
        .fetch_one(&t.app.db.pool)
        .await
        .expect("user id")
}

pub async fn site() -> Site {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let sfs = add_unit(&t, &admin, "柱山乡/司法所").await;
    add_unit(&t, &admin, "柱山乡/执法大队").await;
    user_session(&t, &admin, "sfs_admin", "柱山乡/司法所", "unit_admin").await;
    user_session(&t, &admin, "zhangsan", "柱山乡/司法所", "").await;
    add_user(&t, &admin, "wangwu", "柱山乡/司法所", "").await;
    user_session(&t, &admin, "lisi", "柱山乡/执法大队", "执法人员").await;
    let (zs, ww, ls) = (
        user_id(&t, "zhangsan").await,
        user_id(&t, "wangwu").await,
        user_id(&t, "lisi").await,
    );
    let body = json!({ "hours": 5, "sessions": 1 });
    let uri = format!("/api/admin/requirements/{sfs}/2026");
    let (status, v) = call(
        &t.router,
        axum::http::Method::PUT,
        &uri,
        Some(&admin),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let day = T0 / DAY;
    for (i, (title, minutes)) in LAWS.iter().enumerate() {
        let id = 900 + i as i64;
        exec(&t, &format!("insert into statute (statute_id, title, short_title, category, level, region) values ({id}, '{title}', '{title}', '法律', '法律', '全国')")).await;
        exec(&t, &format!("insert into study_time (user_id, day, kind, ref_id, seconds) values ({zs}, {day}, 'law', {id}, {})", minutes * 60)).await;
    }
    exec(&t, &format!("insert into study_time (user_id, day, kind, ref_id, seconds) values ({ww}, {day}, 'law', 901, 1800)")).await;
    // zhangsan also passed every study note's check (a law with a note needs it to be done).
    exec(&t, &format!("insert into material_check (user_id, material_id, taken_at, correct, total, passed) select {zs}, material_id, {}, 3, 3, 1 from material", T0 + HOUR)).await;
    exam(&t, zs, ww, ls).await;
    certificates(&t, zs, ww, ls).await;
    let site = Site { t, admin };
    sessions(&site).await;
    site
}

async fn exam(t: &TestApp, zs: i64, ww: i64, ls: i64) {
    let at = xuefa::exam::model::format_time;
    let def = json!({
        "title": "2026年度学法考试", "kind": "annual", "time_limit_minutes": 60,
        "opens_at": at(T0 + 2 * HOUR), "closes_at": at(T0 + 30 * DAY),
        "audience": { "units": ["柱山乡/司法所"], "users": ["lisi"] },
        "sections": [{ "name": "综合", "count": 10, "points": 10 }],
    });
    exec(t, &format!("insert into exam (exam_id, title, kind, status, definition, opens_at, closes_at, scope, created_by, created_at, published_at) values (1, '2026年度学法考试', 'annual', 'published', '{def}', {}, {}, '', 'admin', {T0}, {T0})", T0 + 2 * HOUR, T0 + 30 * DAY)).await;
    let start = T0 + 3 * HOUR;
    for (id, user, no, score) in [
        (1, zs, 1, 8000),
        (2, ww, 1, 5000),
        (3, ls, 1, 4000),
        (4, ls, 2, 9000),
    ] {
        let s = start + id * HOUR;
        let passed = i64::from(score >= 6000);
        exec(t, &format!("insert into attempt (attempt_id, exam_id, user_id, attempt_no, seed, status, started_at, deadline, finished_at, score, max_score, passed) values ({id}, 1, {user}, {no}, '1', 'submitted', {s}, {}, {}, {score}, 10000, {passed})", s + HOUR, s + 600)).await;
    }
}

async fn certificates(t: &TestApp, zs: i64, ww: i64, ls: i64) {
    for (id, user, issued, until, revoked) in [
        (1, ls, T0 + HOUR, T0 + 200 * DAY, "null".to_string()),
        (2, ls, T0 - 1000 * DAY, T0 + 30 * DAY, "null".into()),
        (3, ww, T0 - 1100 * DAY, T0 - 10 * DAY, "null".into()),
        (
            4,
            zs,
            T0 - 100 * DAY,
            T0 + 900 * DAY,
            (T0 - 50 * DAY).to_string(),
        ),
    ] {
        exec(t, &format!("insert into certificate (certificate_id, number, user_id, holder_name, unit_path, category, area, issuer, source, issued_at, valid_until, revoked_at, created_at) values ({id}, 'T-{id}', {user}, '测试', '柱山乡', '行政执法', '重庆', '重庆市司法局', 'held', {issued}, {until}, {revoked}, {issued})")).await;
    }
}

fn session(title: &str, kind: &str, from: i64, to: i64, units: &[&str], people: &[&str]) -> Value {
    let at = xuefa::exam::model::format_time;
    json!({
        "title": title, "kind": kind, "starts_at": at(T0 + from), "ends_at": at(T0 + to),
        "hours": 2.0, "laws": [], "units": units, "people": people,
    })
}

async fn sessions(site: &Site) {
    let t = &site.t;
    let a = session(
        "集中学法：信访工作条例",
        "concentrated",
        HOUR,
        3 * HOUR,
        &["柱山乡/司法所"],
        &["lisi"],
    );
    let (status, v) = api_post(&t.router, "/api/admin/trainings", &site.admin, a).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let code = v["checkin_code"].as_str().expect("code").to_string();
    let b = session(
        "法治培训班",
        "training",
        4 * HOUR,
        5 * HOUR,
        &["柱山乡/执法大队"],
        &[],
    );
    let (status, v) = api_post(&t.router, "/api/admin/trainings", &site.admin, b).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    t.app.clock.advance(2 * HOUR);
    for who in ["zhangsan", "lisi"] {
        let s = again(site, who, USER_PASSWORD).await;
        let (status, v) = api_post(&t.router, "/api/checkin", &s, json!({ "code": code })).await;
        assert_eq!(status, StatusCode::OK, "{v}");
    }
}

/// Signs `s` in again after the clock moved (the idle timeout ends sessions).
pub async fn again(site: &Site, username: &str, password: &str) -> Session {
    sign_in(&site.t.router, username, password).await
}

/// Moves the clock past every record (T0 + 10 h) and signs the administrators in again.
pub async fn after_everything(site: &Site) -> (Session, Session) {
    let left = T0 + 10 * HOUR - site.t.app.clock.now();
    site.t.app.clock.advance(left);
    (
        again(site, "admin", ADMIN_NEW_PASSWORD).await,
        again(site, "sfs_admin", USER_PASSWORD).await,
    )
}

/// The unit row of `path` in a report's `units`.
pub fn unit<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["unit"] == path))
        .unwrap_or_else(|| panic!("{path} in {report}"))
}
