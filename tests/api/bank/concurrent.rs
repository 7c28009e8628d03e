//! Many writers at once through the real router: no 5xx, every acknowledged write stored, and
//! of two edits of one question started from the same version one wins and one gets 409.

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::site::*;
use super::support::all;
use crate::accounts_support::{call, page};
use crate::helpers::unescape;

/// The current version id of a question, as its edit form carries it.
async fn version_of(t: &crate::helpers::TestApp, id: i64) -> i64 {
    let found = all(t)
        .await
        .into_iter()
        .find(|q| q.summary.question_id == id);
    found.expect("question").summary.version_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_edits_started_from_one_version_give_one_success_and_one_conflict() {
    // Arrange
    let (t, admin) = bank_site().await;
    let id = judge(&t, "信访工作应当坚持党的领导。", &[20]).await;
    let version = version_of(&t, id).await.to_string();
    let uri = format!("/admin/questions/{id}");
    let basis = "《信访工作条例》第二十条";
    let (t, admin) = (Arc::new(t), Arc::new(admin));

    // Act: both editors opened version 1 and save at the same moment.
    let mut edits = Vec::new();
    for stem in [
        "甲的修改：信访工作坚持党的领导。",
        "乙的修改：信访工作坚持党的全面领导。",
    ] {
        let (t, admin, uri, version) = (t.clone(), admin.clone(), uri.clone(), version.clone());
        edits.push(tokio::spawn(async move {
            let mut form = judge_form(&admin, "save", stem, "对", basis);
            form.push(("version_id", version.as_str()));
            let (status, _, html) = page(&t.router, &uri, Some(&admin), Some(&form)).await;
            (status, html, stem)
        }));
    }
    let mut results = Vec::new();
    for e in edits {
        results.push(e.await.expect("edit task"));
    }

    // Assert
    let won: Vec<_> = results
        .iter()
        .filter(|r| r.0 == StatusCode::SEE_OTHER)
        .collect();
    let lost: Vec<_> = results
        .iter()
        .filter(|r| r.0 == StatusCode::CONFLICT)
        .collect();
    assert_eq!(
        (won.len(), lost.len()),
        (1, 1),
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    let refused = unescape(&lost[0].1);
    assert!(refused.contains("已被他人修改，请刷新后再改"), "{refused}");
    assert!(
        refused.contains(lost[0].2),
        "the refused page keeps what was typed"
    );
    let q = all(&t)
        .await
        .into_iter()
        .find(|q| q.summary.question_id == id)
        .expect("q");
    assert_eq!(q.summary.version_no, 2, "one new version, not two");
    assert_eq!(q.summary.stem, won[0].2, "the winner's text is stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_writers_get_no_5xx_and_every_acknowledged_write_is_stored() {
    // Arrange: ten questions to edit and the API to create users in.
    let (t, admin) = bank_site().await;
    let mut questions = Vec::new();
    for n in 0..10 {
        questions.push(judge(&t, &format!("第{n}题：信访工作应当坚持党的领导。"), &[20]).await);
    }
    let versions_before: usize = 10;
    let (t, admin) = (Arc::new(t), Arc::new(admin));

    // Act: 200 writers at once, mixed: user creations through the JSON API and question
    // edits through the page (each edit from the version it read, so some may lose with 409).
    let mut writers = Vec::new();
    for i in 0..200usize {
        let (t, admin) = (t.clone(), admin.clone());
        let question = questions[(i / 2) % questions.len()];
        writers.push(tokio::spawn(async move {
            if i % 2 == 0 {
                let body = json!({
                    "username": format!("cc{i:03}"),
                    "name": "并发用户",
                    "unit": "系统管理",
                    "roles": "official",
                });
                let (status, _) = call(
                    &t.router,
                    Method::POST,
                    "/api/admin/users",
                    Some(&admin),
                    Some(body),
                )
                .await;
                (i, status)
            } else {
                let version = version_of(&t, question).await.to_string();
                let stem = format!("第{i}次修改：信访工作应当坚持党的领导。");
                let mut form = judge_form(&admin, "save", &stem, "对", "《信访工作条例》第二十条");
                form.push(("version_id", version.as_str()));
                let uri = format!("/admin/questions/{question}");
                let (status, _, _) = page(&t.router, &uri, Some(&admin), Some(&form)).await;
                (i, status)
            }
        }));
    }
    let mut statuses = Vec::new();
    for w in writers {
        statuses.push(w.await.expect("writer task"));
    }

    // Assert: no 5xx; every 201 is a stored user, every 303 a stored version.
    let failed: Vec<_> = statuses
        .iter()
        .filter(|(_, s)| s.is_server_error())
        .collect();
    assert!(failed.is_empty(), "server errors: {failed:?}");
    let created = statuses
        .iter()
        .filter(|(i, s)| i % 2 == 0 && *s == StatusCode::CREATED)
        .count();
    let edited = statuses
        .iter()
        .filter(|(i, s)| i % 2 == 1 && *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(created, 100, "every user creation succeeds: {statuses:?}");
    assert!(
        edited >= questions.len(),
        "at least one edit per question wins"
    );
    let users: i64 = sqlx::query_scalar("select count(*) from app_user where username like 'cc%'")
        .fetch_one(&t.app.db.pool)
        .await
        .expect("count users");
    assert_eq!(users as usize, created);
    let versions: i64 = sqlx::query_scalar("select count(*) from question_version")
        .fetch_one(&t.app.db.pool)
        .await
        .expect("count versions");
    assert_eq!(
        versions as usize,
        versions_before + edited,
        "every acknowledged edit is a version"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creations_of_one_name_give_one_success_and_chinese_409s() {
    // Arrange
    let (t, admin) = bank_site().await;
    let (t, admin) = (Arc::new(t), Arc::new(admin));

    // Act: 20 requests create the same unit and 20 the same username, all at once.
    let mut tasks = Vec::new();
    for i in 0..40usize {
        let (t, admin) = (t.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            let (uri, body) = if i % 2 == 0 {
                ("/api/admin/units", json!({ "path": "柱山乡/并发科" }))
            } else {
                let user = json!({ "username": "same01", "name": "同名", "unit": "系统管理" });
                ("/api/admin/users", user)
            };
            call(&t.router, Method::POST, uri, Some(&admin), Some(body)).await
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("task"));
    }

    // Assert
    for (path, message) in [
        ("/api/admin/units", "单位「柱山乡/并发科」已存在"),
        ("/api/admin/users", "用户名「same01」已被使用"),
    ] {
        let mine: Vec<_> = results
            .iter()
            .enumerate()
            .filter(|(i, _)| (i % 2 == 0) == (path == "/api/admin/units"))
            .map(|(_, r)| r)
            .collect();
        let created = mine.iter().filter(|r| r.0 == StatusCode::CREATED).count();
        let conflicts: Vec<_> = mine
            .iter()
            .filter(|r| r.0 == StatusCode::CONFLICT)
            .collect();
        assert_eq!(created, 1, "{path}: {mine:?}");
        assert_eq!(conflicts.len(), 19, "{path}: {mine:?}");
        assert!(
            conflicts.iter().all(|r| r.1["error"] == message),
            "{path}: {conflicts:?}"
        );
    }
}
