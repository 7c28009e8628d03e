//! Enforcement certificates: issue from a passed attempt (once), expiry by the injected clock,
//! revoke and re-issue with their audit entries, the lists of officers and administrators,
//! entering one held before xuefa, and the command line.

use axum::http::{Method, StatusCode};
use rand_core::OsRng;
use serde_json::{Value, json};
use xuefa::certificates::{
    self, CertificateNumber, CertificateRow, IssueRequest, Settings, add_years,
};

use crate::accounts_support::{
    ADMIN_NEW_PASSWORD, Session, USER_PASSWORD, add_unit, admin_session, api_get, api_post,
    audit_entries, call, find_audit, page, sign_in, user_session,
};
use crate::helpers::{T0, TestApp, spawn_accounts_app};

pub const UNIT: &str = "柱山乡/综合行政执法大队";
pub const CATEGORY: &str = "综合行政执法";
const DAY: i64 = 86_400;

/// An app with the administrator and one officer of `UNIT`, signed in.
pub async fn officer_app() -> (TestApp, Session, Session) {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, UNIT).await;
    let officer = user_session(&t, &admin, "zhangsan", UNIT, "officer").await;
    (t, admin, officer)
}

/// Issues a certificate as passing a qualification exam does (for `attempt`, when given).
pub async fn issue(t: &TestApp, user_id: i64, attempt: Option<i64>) -> CertificateRow {
    issue_in(t, user_id, attempt, CATEGORY).await
}

/// `issue` in another 执法类别 (a new one replaces the holder's earlier one of its category).
pub async fn issue_in(
    t: &TestApp,
    user_id: i64,
    attempt: Option<i64>,
    category: &str,
) -> CertificateRow {
    let settings = Settings::of(&t.app.config);
    let req = IssueRequest {
        user_id,
        category: category.into(),
        exam_id: attempt.map(|_| 3),
        attempt_id: attempt,
        exam_title: Some("2026年度行政执法资格考试".into()),
        score: Some(86.5),
        issued_at: t.app.clock.now(),
        ..IssueRequest::default()
    };
    t.write(async |tx| certificates::issue(tx, &settings, req, &mut OsRng).await)
        .await
        .expect("issue a certificate")
}

/// A new session for a user set up by `officer_app`/`user_session` (`admin` for the
/// administrator): after the clock moves on, the old sessions have ended.
pub async fn sign_in_again(t: &TestApp, username: &str) -> Session {
    let password = if username == "admin" {
        ADMIN_NEW_PASSWORD
    } else {
        USER_PASSWORD
    };
    sign_in(&t.router, username, password).await
}

async fn my_certificates(t: &TestApp, s: &Session) -> Vec<Value> {
    let (status, v) = api_get(&t.router, "/api/me/certificates", Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v.as_array().expect("a list").clone()
}

#[tokio::test]
async fn a_passed_attempt_issues_one_certificate_valid_for_three_years() {
    // Arrange
    let (t, _admin, officer) = officer_app().await;

    // Act
    let first = issue(&t, officer.user_id, Some(41)).await;
    let again = issue(&t, officer.user_id, Some(41)).await;
    let mine = my_certificates(&t, &officer).await;

    // Assert
    assert_eq!(
        again.number, first.number,
        "the same attempt: the same certificate"
    );
    assert_eq!(mine.len(), 1, "{mine:?}");
    let c = &mine[0];
    assert_eq!(c["number"], first.number.as_str());
    assert_eq!(c["category"], CATEGORY);
    assert_eq!(c["status"], "valid");
    assert_eq!(c["valid_until"], add_years(T0, 3));
    assert_eq!(c["area"], "柱山乡", "the area defaults to the top unit");
    assert!(
        first.number.starts_with("2026-50-000001-"),
        "{}",
        first.number
    );
    assert!(CertificateNumber::parse(&first.number).is_some());
    assert_eq!(first.issuer, "重庆市司法局");
    assert_eq!(
        (first.holder_name.as_str(), first.unit_path.as_str()),
        ("测试用户", UNIT)
    );
}

#[tokio::test]
async fn a_new_pass_replaces_the_earlier_certificate_of_the_same_category() {
    let (t, _admin, officer) = officer_app().await;
    let old = issue(&t, officer.user_id, Some(1)).await;
    t.app.clock.advance(100 * DAY);
    let officer = sign_in_again(&t, "zhangsan").await;

    let new = issue(&t, officer.user_id, Some(2)).await;
    let mine = my_certificates(&t, &officer).await;

    assert_ne!(new.number, old.number);
    assert!(
        new.number.contains("-000002-"),
        "the year's sequence goes on: {}",
        new.number
    );
    let status = |n: &str| {
        mine.iter()
            .find(|c| c["number"] == n)
            .map(|c| c["status"].clone())
    };
    assert_eq!(status(&new.number), Some(json!("valid")));
    assert_eq!(status(&old.number), Some(json!("superseded")));
}

#[tokio::test]
async fn certificates_expire_by_the_clock_and_officers_are_reminded_90_days_ahead() {
    // Arrange
    let (t, _admin, officer) = officer_app().await;
    let c = issue(&t, officer.user_id, Some(5)).await;
    let (_, _, early) = page(&t.router, "/me", Some(&officer), None).await;

    // Act: 60 days before the end, then a day after it.
    t.app.clock.advance(add_years(T0, 3) - T0 - 60 * DAY);
    let officer = sign_in_again(&t, "zhangsan").await;
    let (_, _, soon) = page(&t.router, "/me", Some(&officer), None).await;
    let before = my_certificates(&t, &officer).await;
    t.app.clock.advance(61 * DAY);
    let officer = sign_in_again(&t, "zhangsan").await;
    let (_, _, late) = page(&t.router, "/me", Some(&officer), None).await;
    let after = my_certificates(&t, &officer).await;

    // Assert
    assert!(
        !early.contains("certificate-reminder"),
        "no reminder three years ahead"
    );
    assert!(soon.contains("certificate-reminder"), "{soon:.2000}");
    assert!(
        soon.contains(&c.number) && soon.contains("还有 60 天"),
        "{soon:.2000}"
    );
    assert_eq!(before[0]["status"], "valid");
    assert_eq!(after[0]["status"], "expired");
    assert!(
        !late.contains("certificate-reminder"),
        "an expired one is no reminder"
    );
}

#[tokio::test]
async fn revoking_needs_a_reason_is_audited_and_happens_once() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    let c = issue(&t, officer.user_id, Some(8)).await;
    let uri = format!("/api/admin/certificates/{}/revoke", c.number);

    // Act
    let (blank, blank_body) = api_post(&t.router, &uri, &admin, json!({ "reason": "  " })).await;
    let (done, revoked) =
        api_post(&t.router, &uri, &admin, json!({ "reason": "调离执法岗位" })).await;
    let (twice, _) = api_post(&t.router, &uri, &admin, json!({ "reason": "再次" })).await;
    let audit = audit_entries(&t, &admin).await;
    let mine = my_certificates(&t, &officer).await;

    // Assert
    assert_eq!(blank, StatusCode::BAD_REQUEST);
    assert!(
        blank_body["error"]
            .as_str()
            .unwrap_or_default()
            .contains("吊销原因")
    );
    assert_eq!(done, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["revoked_reason"], "调离执法岗位");
    assert_eq!(twice, StatusCode::CONFLICT);
    let entry = find_audit(&audit, "certificate_revoked", &c.number).expect("audited");
    assert_eq!(entry["detail"], "调离执法岗位");
    assert_eq!(mine[0]["status"], "revoked");
}

#[tokio::test]
async fn a_reissue_gets_a_new_number_keeps_the_validity_and_voids_the_old_one() {
    // Arrange
    let (t, _admin, officer) = officer_app().await;
    let old = issue(&t, officer.user_id, Some(9)).await;
    t.app.clock.advance(30 * DAY);
    let (admin, officer) = (
        sign_in_again(&t, "admin").await,
        sign_in_again(&t, "zhangsan").await,
    );
    let uri = format!("/api/admin/certificates/{}/reissue", old.number);

    // Act
    let (status, new) = api_post(&t.router, &uri, &admin, json!({})).await;
    let (again, _) = api_post(&t.router, &uri, &admin, json!({})).await;
    let audit = audit_entries(&t, &admin).await;

    // Assert
    assert_eq!(status, StatusCode::CREATED, "{new}");
    let number = new["number"].as_str().expect("number");
    assert_ne!(number, old.number);
    assert_eq!(new["valid_until"], old.valid_until);
    assert_eq!(new["status"], "valid");
    assert_eq!(new["source"], "reissue");
    assert_eq!(
        again,
        StatusCode::CONFLICT,
        "the old one is replaced already"
    );
    let mine = my_certificates(&t, &officer).await;
    let old_now = mine
        .iter()
        .find(|c| c["number"] == old.number.as_str())
        .expect("old");
    assert_eq!(old_now["status"], "superseded");
    let entry = find_audit(&audit, "certificate_reissued", &old.number).expect("audited");
    assert!(
        entry["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(number)
    );
}

#[tokio::test]
async fn administrators_list_what_expires_in_their_own_units_only() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    add_unit(&t, &admin, "石桥镇").await;
    let other = user_session(&t, &admin, "lisi", "石桥镇", "officer").await;
    user_session(&t, &admin, "guanli", "柱山乡", "unit_admin").await;
    let mine = issue(&t, officer.user_id, Some(1)).await;
    let theirs = issue(&t, other.user_id, Some(2)).await;
    t.app.clock.advance(add_years(T0, 3) - T0 - 30 * DAY);
    let (admin, officer) = (
        sign_in_again(&t, "admin").await,
        sign_in_again(&t, "zhangsan").await,
    );
    let ua = sign_in_again(&t, "guanli").await;

    // Act
    let (status, listed) = api_get(&t.router, "/api/admin/certificates", Some(&ua)).await;
    let (_, all) = api_get(
        &t.router,
        "/api/admin/certificates?expiring_days=90",
        Some(&admin),
    )
    .await;
    let (_, none) = api_get(
        &t.router,
        "/api/admin/certificates?expiring_days=10",
        Some(&admin),
    )
    .await;
    let (_, page_html) = {
        let (s, _, html) = page(&t.router, "/admin/certificates", Some(&ua), None).await;
        (s, html)
    };
    let (refused, _) = api_get(&t.router, "/api/admin/certificates", Some(&officer)).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{listed}");
    let numbers = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("a list")
            .iter()
            .filter_map(|c| c["number"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(numbers(&listed), vec![mine.number.clone()]);
    assert_eq!(listed[0]["days_left"], 30);
    assert_eq!(numbers(&all).len(), 2, "{all}");
    assert!(numbers(&none).is_empty());
    assert!(page_html.contains(&mine.number) && !page_html.contains(&theirs.number));
    assert_eq!(refused, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_admin_enters_a_certificate_held_before_xuefa() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    let form = json!({
        "username": "zhangsan", "category": "市场监管", "area": "柱山乡行政区域",
        "issued_on": "2024-03-01", "valid_through": "2027-02-28", "original_number": "渝执字第123号"
    });

    // Act
    let (status, c) = api_post(&t.router, "/api/admin/certificates", &admin, form.clone()).await;
    let bad = json!({ "username": "zhangsan", "category": "市场监管", "issued_on": "2024/03/01" });
    let (refused, why) = api_post(&t.router, "/api/admin/certificates", &admin, bad).await;
    let nobody = json!({ "username": "nobody", "category": "市场监管" });
    let (missing, _) = api_post(&t.router, "/api/admin/certificates", &admin, nobody).await;
    let audit = audit_entries(&t, &admin).await;

    // Assert
    assert_eq!(status, StatusCode::CREATED, "{c}");
    assert_eq!(c["source"], "held");
    assert_eq!(c["original_number"], "渝执字第123号");
    assert!(
        c["number"]
            .as_str()
            .unwrap_or_default()
            .starts_with("2024-50-"),
        "{c}"
    );
    assert_eq!(
        certificates::last_day(c["valid_until"].as_i64().expect("valid_until")),
        "2027-02-28"
    );
    assert_eq!(c["exam_id"], Value::Null);
    assert_eq!(refused, StatusCode::BAD_REQUEST);
    assert!(
        why["error"]
            .as_str()
            .unwrap_or_default()
            .contains("发证日期"),
        "{why}"
    );
    assert_eq!(missing, StatusCode::NOT_FOUND);
    let number = c["number"].as_str().expect("number");
    assert!(find_audit(&audit, "certificate_recorded", number).is_some());
    assert_eq!(my_certificates(&t, &officer).await[0]["number"], number);
}

#[tokio::test]
async fn the_command_line_enters_and_lists_certificates() {
    // Arrange
    let (t, _admin, _officer) = officer_app().await;

    // Act
    let issued = t.cli(&[
        "certificates",
        "issue",
        "--user",
        "zhangsan",
        "--category",
        CATEGORY,
    ]);
    let listed = t.cli(&["certificates", "list", "--expiring-days", "1200"]);
    let soon = t.cli(&["certificates", "list", "--expiring-days", "30"]);
    let unknown = t.cli(&[
        "certificates",
        "issue",
        "--user",
        "nobody",
        "--category",
        CATEGORY,
    ]);

    // Assert
    let out = String::from_utf8_lossy(&issued.stdout);
    assert!(
        issued.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&issued.stderr)
    );
    let number = out.split_whitespace().nth(2).expect("the number");
    assert!(CertificateNumber::parse(number).is_some(), "{out}");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains(number) && listed.contains("valid"),
        "{listed}"
    );
    assert!(!String::from_utf8_lossy(&soon.stdout).contains(number));
    assert!(!unknown.status.success());
}

#[tokio::test]
async fn a_unit_admin_cannot_revoke_outside_their_units() {
    let (t, admin, officer) = officer_app().await;
    add_unit(&t, &admin, "石桥镇").await;
    let ua = user_session(&t, &admin, "guanli", "石桥镇", "unit_admin").await;
    let c = issue(&t, officer.user_id, Some(3)).await;

    let uri = format!("/api/admin/certificates/{}/revoke", c.number);
    let body = Some(json!({ "reason": "越权" }));
    let (status, _) = call(&t.router, Method::POST, &uri, Some(&ua), body).await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(my_certificates(&t, &officer).await[0]["status"], "valid");
}
