//! The client address for throttling and the audit log: the TCP peer, or `X-Forwarded-For`
//! only behind a configured trusted proxy; and sign-in throttle rows that expire.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use xuefa::accounts::login;

use crate::accounts_support::{Session, admin_session, audit_entries};
use crate::helpers::{T0, TestApp, request, spawn_accounts_app};

/// The accounts app again, behind a proxy at 10.0.0.0/8.
fn behind_proxy(t: &TestApp) -> Router {
    let mut app = t.app.clone();
    app.config.trusted_proxies = vec!["10.0.0.0/8".parse().expect("cidr")];
    xuefa::web::router(app)
}

/// A wrong-password sign-in arriving from `peer` with this `X-Forwarded-For`.
async fn wrong_sign_in(router: &Router, peer: &str, xff: &str, username: &str) -> StatusCode {
    let body = json!({ "username": username, "password": "Wrong-Password-1" }).to_string();
    let mut req = Request::post("/api/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-for", xff)
        .body(Body::from(body))
        .expect("request");
    let peer: SocketAddr = format!("{peer}:40000").parse().expect("peer");
    req.extensions_mut().insert(ConnectInfo(peer));
    request(router, req).await.0
}

/// The address the audit log recorded for the newest failed sign-in of `username`.
async fn logged_ip(t: &TestApp, admin: &Session, username: &str) -> String {
    let entries = audit_entries(t, admin).await;
    let entry = entries
        .iter()
        .find(|e| e["action"] == "login_failed" && e["target"] == username)
        .unwrap_or_else(|| panic!("no login_failed for {username}: {entries:?}"));
    entry["ip"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_forwarded_for_header_from_an_untrusted_peer_is_ignored() {
    // Arrange
    let t = spawn_accounts_app().await;
    let router = behind_proxy(&t);

    // Act: a client straight on the socket claims to be someone else, then sprays names
    // with a new claimed address each time.
    wrong_sign_in(&router, "203.0.113.9", "1.2.3.4", "nobody").await;
    let mut statuses = Vec::new();
    for n in 0..31 {
        let claimed = format!("198.51.100.{n}");
        statuses.push(wrong_sign_in(&router, "203.0.113.9", &claimed, &format!("u{n}")).await);
    }

    // Assert
    let admin = admin_session(&t).await;
    assert_eq!(logged_ip(&t, &admin, "nobody").await, "203.0.113.9");
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "the spoofed addresses all count against the peer: {statuses:?}"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
    // Arrange
    let t = spawn_accounts_app().await;
    let router = behind_proxy(&t);

    // Act: the client claims 6.6.6.6; the outer proxy saw 198.51.100.7 and is itself
    // seen by the inner one (10.0.0.2), which connects to us from 10.0.0.3.
    let chain = "6.6.6.6, 198.51.100.7, 10.0.0.2";
    wrong_sign_in(&router, "10.0.0.3", chain, "wangwu").await;
    let unknown = wrong_sign_in(&t.router, "10.0.0.3", chain, "zhaoliu").await;

    // Assert
    let admin = admin_session(&t).await;
    assert_eq!(logged_ip(&t, &admin, "wangwu").await, "198.51.100.7");
    assert_eq!(unknown, StatusCode::UNAUTHORIZED);
    assert_eq!(
        logged_ip(&t, &admin, "zhaoliu").await,
        "10.0.0.3",
        "no trusted proxy configured: the peer"
    );
}

#[tokio::test]
async fn sign_in_failures_are_forgotten_once_their_window_is_over_but_not_a_running_lock() {
    // Arrange: three failures for one name at T0, five (a lock) for another ten minutes on.
    let t = spawn_accounts_app().await;
    for _ in 0..3 {
        wrong_sign_in(&t.router, "203.0.113.1", "", "ghost").await;
    }
    t.app.clock.advance(600);
    for _ in 0..5 {
        wrong_sign_in(&t.router, "203.0.113.2", "", "admin").await;
    }
    let pool = &t.app.db.pool;
    let rows = || async {
        let n: i64 = sqlx::query_scalar("select count(*) from login_throttle")
            .fetch_one(pool)
            .await
            .expect("count");
        n
    };
    let before = rows().await;

    // Act
    let early = login::forget_stale_throttles(pool, T0 + 660)
        .await
        .expect("sweep");
    let window_over = T0 + login::WINDOW_SECS + 1;
    let late = login::forget_stale_throttles(pool, window_over)
        .await
        .expect("sweep");
    let left = rows().await;
    let after_lock = T0 + 600 + login::LOCK_SECS + 1;
    let last = login::forget_stale_throttles(pool, after_lock)
        .await
        .expect("sweep");

    // Assert
    assert_eq!(before, 2);
    assert_eq!(early, 0, "both still count");
    assert_eq!(late, 1, "ghost's window is over");
    assert_eq!(left, 1, "admin's lock still holds");
    assert_eq!(last, 1, "and goes once it has run out");
    assert_eq!(rows().await, 0);
}
