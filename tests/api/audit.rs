//! The audit log as administrators read it: Chinese actions and details, filters by who,
//! action, period and target, pages that keep the filter, and unit administrators limited to
//! their own subtree.

use axum::http::StatusCode;

use crate::accounts_support::*;
use crate::helpers::*;

/// Two towns, a unit administrator in each, a user in each whose password was reset.
async fn two_towns() -> (TestApp, Session, Session) {
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    add_unit(&t, &admin, "石门镇").await;
    let a = user_session(&t, &admin, "ua01", "柱山乡", "unit_admin").await;
    user_session(&t, &admin, "ub01", "石门镇", "unit_admin").await;
    for (name, unit) in [("zs01", "柱山乡/综合行政执法大队"), ("sm01", "石门镇")] {
        let (id, _) = add_user(&t, &admin, name, unit, "official").await;
        let uri = format!("/api/admin/users/{id}/reset-password");
        let (status, v) = api_post(&t.router, &uri, &admin, serde_json::json!({})).await;
        assert_eq!(status, StatusCode::OK, "reset {name}: {v}");
    }
    (t, admin, a)
}

fn targets(v: &serde_json::Value) -> Vec<String> {
    v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["target"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn a_unit_administrator_reads_only_the_entries_of_their_subtree() {
    // Arrange
    let (t, _, a) = two_towns().await;

    // Act
    let (status, v) = api_get(&t.router, "/api/admin/audit", Some(&a)).await;
    let (page_status, _, html) = page(&t.router, "/admin/audit", Some(&a), None).await;

    // Assert
    assert_eq!(status, StatusCode::OK, "{v}");
    let seen = targets(&v);
    assert!(seen.contains(&"zs01".to_string()), "{seen:?}");
    assert!(seen.contains(&"ua01".to_string()), "{seen:?}");
    assert!(
        !seen
            .iter()
            .any(|t| t == "sm01" || t == "ub01" || t == "石门镇"),
        "{seen:?}"
    );
    assert_eq!(page_status, StatusCode::OK);
    assert!(
        html.contains("zs01") && !html.contains("sm01"),
        "{html:.3000}"
    );
    assert!(html.contains("仅显示本单位（柱山乡）"), "{html:.3000}");
}

#[tokio::test]
async fn the_audit_log_filters_by_action_target_actor_and_period() {
    // Arrange
    let (t, admin, _) = two_towns().await;

    // Act
    let by_action = api_get(
        &t.router,
        "/api/admin/audit?action=password_reset",
        Some(&admin),
    )
    .await;
    let by_target = api_get(&t.router, "/api/admin/audit?target=SM0", Some(&admin)).await;
    let by_actor = api_get(&t.router, "/api/admin/audit?actor=ua01", Some(&admin)).await;
    let all = api_get(&t.router, "/api/admin/audit", Some(&admin)).await;
    // The test clock stands at 2026-01-01 08:00 Beijing time.
    let that_day = api_get(
        &t.router,
        "/api/admin/audit?from=2026-01-01&to=2026-01-01",
        Some(&admin),
    )
    .await;
    let before = api_get(&t.router, "/api/admin/audit?to=2025-12-31", Some(&admin)).await;
    let bad_date = api_get(&t.router, "/api/admin/audit?from=2026-02-30", Some(&admin)).await;
    let reversed = api_get(
        &t.router,
        "/api/admin/audit?from=2026-02-01&to=2026-01-01",
        Some(&admin),
    )
    .await;

    // Assert
    let actions: Vec<&str> = by_action.1["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["password_reset", "password_reset"]);
    assert_eq!(
        targets(&by_target.1),
        ["sm01"; 2],
        "created and reset, nothing else"
    );
    let actors = by_actor.1["entries"].as_array().expect("entries").clone();
    assert!(!actors.is_empty());
    assert!(
        actors
            .iter()
            .all(|e| e["actor"].as_str().unwrap_or_default().contains("ua01"))
    );
    assert_eq!(
        that_day.1["total"], all.1["total"],
        "every entry is of that day"
    );
    assert!(all.1["total"].as_i64().unwrap_or_default() > 5, "{}", all.1);
    assert_eq!(before.1["total"], 0, "{}", before.1);
    for (status, v) in [bad_date, reversed] {
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(is_chinese(v["error"].as_str().unwrap_or_default()), "{v}");
    }
}

#[tokio::test]
async fn the_audit_page_shows_chinese_actions_keeps_the_filter_across_pages_and_clamps_the_page() {
    // Arrange: more entries than one page (50).
    let (t, admin, _) = two_towns().await;
    for n in 0..55 {
        add_user(&t, &admin, &format!("tmp{n:02}"), "石门镇", "official").await;
    }

    // Act
    let (status, _, first) = page(
        &t.router,
        "/admin/audit?action=user_created&target=tmp",
        Some(&admin),
        None,
    )
    .await;
    let (far, headers, _) = page(
        &t.router,
        "/admin/audit?action=user_created&target=tmp&page=99999",
        Some(&admin),
        None,
    )
    .await;
    let (_, _, system) = page(
        &t.router,
        "/admin/audit?action=user_created&target=admin",
        Some(&admin),
        None,
    )
    .await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("共 55 条，第 1/2 页"), "{first:.3000}");
    assert!(first.contains("创建用户"), "{first:.3000}");
    assert!(
        hrefs(&first).contains(&"/admin/audit?action=user_created&target=tmp&page=2".to_string()),
        "{first:.5000}"
    );
    assert!(
        first.contains(r#"<option value="user_created" selected>"#),
        "{first:.5000}"
    );
    assert!(far.is_redirection(), "{far}");
    assert_eq!(
        headers["location"],
        "/admin/audit?action=user_created&target=tmp&page=2"
    );
    assert!(system.contains("创建用户"), "{system:.3000}");
    assert!(
        system.contains("<td>系统</td>"),
        "the first administrator's creation: {system:.5000}"
    );
}
