//! Who may call which administration route, on which target: one table, every mismatch
//! reported at once.

use axum::http::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::accounts_support::{
    Session, add_unit, add_user, admin_session, api_get, call, page, unit_paths, user_session,
};
use crate::helpers::{TestApp, enc, spawn_accounts_app};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Actor {
    Anonymous,
    Official,
    Officer,
    UnitAdminA,
    UnitAdminB,
    Admin,
    /// 题库管理员 in A's unit: the bank, nothing of users and units.
    BankEditor,
}

const ACTORS: [Actor; 7] = [
    Actor::Anonymous,
    Actor::Official,
    Actor::Officer,
    Actor::UnitAdminA,
    Actor::UnitAdminB,
    Actor::Admin,
    Actor::BankEditor,
];

/// What a route touches: nothing in particular (lists, forms), something in A's subtree or in
/// B's (the audit log is Any: each administrator reads their own part of it), or the
/// question bank with its answer keys.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    Any,
    A,
    B,
    Bank,
}

impl Actor {
    fn allowed(self, scope: Scope) -> bool {
        match self {
            Actor::Admin => true,
            Actor::UnitAdminA => matches!(scope, Scope::Any | Scope::A),
            Actor::UnitAdminB => matches!(scope, Scope::Any | Scope::B),
            Actor::BankEditor => scope == Scope::Bank,
            _ => false,
        }
    }

    /// What the actor gets from a route whose success status is `ok`.
    fn expected(self, scope: Scope, ok: StatusCode, api: bool) -> StatusCode {
        match self {
            Actor::Anonymous if api => StatusCode::UNAUTHORIZED,
            Actor::Anonymous => StatusCode::SEE_OTHER,
            _ if self.allowed(scope) => ok,
            _ => StatusCode::FORBIDDEN,
        }
    }
}

struct Route {
    method: Method,
    uri: String,
    body: Option<Value>,
    scope: Scope,
    ok: StatusCode,
}

/// The two sides of the matrix: a user to act on, a unit to put things in, a unit to rename.
struct Side {
    scope: Scope,
    user_id: i64,
    unit: &'static str,
    rename_id: i64,
}

fn api_routes(side: &Side, n: usize) -> Vec<Route> {
    let (id, unit, s) = (side.user_id, side.unit, side.scope);
    let route = |method: Method, uri: String, body: Option<Value>, ok: StatusCode| Route {
        method,
        uri,
        body,
        scope: s,
        ok,
    };
    let new_user =
        json!({ "username": format!("m{n}{s:?}").to_lowercase(), "name": "新用户", "unit": unit });
    vec![
        route(
            Method::GET,
            format!("/api/admin/users?unit={}", enc(unit)),
            None,
            StatusCode::OK,
        ),
        route(
            Method::GET,
            format!("/api/admin/users/{id}"),
            None,
            StatusCode::OK,
        ),
        route(
            Method::PATCH,
            format!("/api/admin/users/{id}"),
            Some(json!({ "phone": "13800000000" })),
            StatusCode::OK,
        ),
        route(
            Method::POST,
            format!("/api/admin/users/{id}/deactivate"),
            None,
            StatusCode::OK,
        ),
        route(
            Method::POST,
            format!("/api/admin/users/{id}/reset-password"),
            None,
            StatusCode::OK,
        ),
        route(
            Method::POST,
            "/api/admin/users".into(),
            Some(new_user),
            StatusCode::CREATED,
        ),
        route(
            Method::POST,
            "/api/admin/units".into(),
            Some(json!({ "path": format!("{unit}/新单位{n}") })),
            StatusCode::CREATED,
        ),
        route(
            Method::PATCH,
            format!("/api/admin/units/{}", side.rename_id),
            Some(json!({ "name": format!("改名{n}") })),
            StatusCode::NO_CONTENT,
        ),
    ]
}

fn page_routes(side: &Side) -> Vec<Route> {
    let get = |uri: String| Route {
        method: Method::GET,
        uri,
        body: None,
        scope: side.scope,
        ok: StatusCode::OK,
    };
    vec![
        get(format!("/admin/users?unit={}", enc(side.unit))),
        get(format!("/admin/users/{}", side.user_id)),
    ]
}

/// Routes without a target: lists, forms, the template and the audit log.
fn untargeted(api: bool) -> Vec<Route> {
    let get = |uri: &str, scope: Scope| Route {
        method: Method::GET,
        uri: uri.to_string(),
        body: None,
        scope,
        ok: StatusCode::OK,
    };
    if api {
        vec![
            get("/api/admin/users", Scope::Any),
            get("/api/admin/units", Scope::Any),
            get("/api/admin/audit", Scope::Any),
        ]
    } else {
        vec![
            get("/admin/users", Scope::Any),
            get("/admin/units", Scope::Any),
            get("/admin/users/import", Scope::Any),
            get("/admin/users/template.xlsx", Scope::Any),
            get("/admin/audit", Scope::Any),
            get("/admin/questions", Scope::Bank),
            get("/admin/questions/review", Scope::Bank),
            get("/admin/questions/export?format=json", Scope::Bank),
            get(
                "/admin/questions/export?format=xlsx&status=approved",
                Scope::Bank,
            ),
            get("/admin/questions/template.xlsx", Scope::Bank),
            get("/admin/questions/import", Scope::Bank),
            get("/admin/questions/generate", Scope::Bank),
        ]
    }
}

/// Runs one route as one actor; a description of the mismatch, if any.
async fn check(
    t: &TestApp,
    actor: Actor,
    s: Option<&Session>,
    r: Route,
    api: bool,
) -> Option<String> {
    let want = actor.expected(r.scope, r.ok, api);
    let (got, detail) = if api {
        let (status, v) = call(&t.router, r.method.clone(), &r.uri, s, r.body).await;
        if status.is_client_error() && !v["error"].is_string() {
            let m = format!(
                "{actor:?} {} {}: {status} without a JSON error",
                r.method, r.uri
            );
            return Some(m);
        }
        (status, v.to_string())
    } else {
        let (status, headers, _) = page(&t.router, &r.uri, s, None).await;
        let location = headers
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        if status == StatusCode::SEE_OTHER && !location.starts_with("/login") {
            let m = format!("{actor:?} {} {}: redirected to {location}", r.method, r.uri);
            return Some(m);
        }
        (status, location)
    };
    (got != want).then(|| {
        let detail: String = detail.chars().take(160).collect();
        format!(
            "{actor:?} {} {}: got {got}, want {want} ({detail})",
            r.method, r.uri
        )
    })
}

/// Runs every cell; the mismatches, and the app for further checks.
async fn run_matrix() -> (Vec<String>, TestApp, Session) {
    // Arrange: two townships, a user and a unit to rename in each, and one actor per role.
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    let (a, b) = ("柱山乡/综合行政执法大队", "另一乡");
    let rename_a = add_unit(&t, &admin, &format!("{a}/一中队")).await;
    let rename_b = add_unit(&t, &admin, &format!("{b}/一中队")).await;
    let (target_a, _) = add_user(&t, &admin, "target.a", a, "").await;
    let (target_b, _) = add_user(&t, &admin, "target.b", b, "").await;
    let mut sessions: Vec<Option<Session>> = Vec::new();
    for actor in ACTORS {
        sessions.push(match actor {
            Actor::Anonymous => None,
            Actor::Official => Some(user_session(&t, &admin, "xueyuan", a, "").await),
            Actor::Officer => Some(user_session(&t, &admin, "zhifa", a, "officer").await),
            Actor::UnitAdminA => {
                Some(user_session(&t, &admin, "guanli.a", "柱山乡", "unit_admin").await)
            }
            Actor::UnitAdminB => Some(user_session(&t, &admin, "guanli.b", b, "unit_admin").await),
            Actor::Admin => Some(admin.clone()),
            Actor::BankEditor => Some(user_session(&t, &admin, "tiku", a, "bank_editor").await),
        });
    }
    let sides = [
        Side {
            scope: Scope::A,
            user_id: target_a,
            unit: a,
            rename_id: rename_a,
        },
        Side {
            scope: Scope::B,
            user_id: target_b,
            unit: b,
            rename_id: rename_b,
        },
    ];

    // Act: every route, as every actor.
    let mut failures = Vec::new();
    for (n, (actor, s)) in ACTORS.iter().zip(&sessions).enumerate() {
        for api in [true, false] {
            let mut routes = untargeted(api);
            for side in &sides {
                routes.extend(if api {
                    api_routes(side, n)
                } else {
                    page_routes(side)
                });
            }
            for r in routes {
                failures.extend(check(&t, *actor, s.as_ref(), r, api).await);
            }
        }
    }
    (failures, t, admin)
}

#[tokio::test]
async fn every_admin_route_answers_each_role_and_scope_as_the_matrix_says() {
    // Arrange, Act
    let (failures, t, admin) = run_matrix().await;

    // Assert: no mismatch, and what was refused left nothing behind.
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let units = unit_paths(&t, &admin).await;
    let (status, users) = api_get(&t.router, "/api/admin/users?q=m", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    let mut created: Vec<&str> = users["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["username"].as_str())
        .filter(|u| u.starts_with('m') && u.len() == 3)
        .collect();
    created.sort_unstable();
    assert_eq!(
        created,
        ["m3a", "m4b", "m5a", "m5b"],
        "users created by the matrix"
    );
    let mut new_units: Vec<&String> = units.iter().filter(|u| u.contains("新单位")).collect();
    new_units.sort_unstable();
    assert_eq!(
        new_units,
        [
            "另一乡/新单位4",
            "另一乡/新单位5",
            "柱山乡/综合行政执法大队/新单位3",
            "柱山乡/综合行政执法大队/新单位5"
        ],
        "units created by the matrix"
    );
}
