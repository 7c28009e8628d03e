//! The CSRF layer covers every state-changing route of the router: the test walks the route
//! table the router is built from, and every form of ours carries its token first.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::accounts_support::{
    Session, admin_session, audit_entries, json_of, multipart, unit_paths, user_count,
};
use crate::helpers::{request, spawn_accounts_app};

/// A concrete URI for a route pattern: every `{param}` becomes `id`.
fn concrete(pattern: &str, id: i64) -> String {
    pattern
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                id.to_string()
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The ways a request can come without the session's token.
fn forged(
    method: &Method,
    uri: &str,
    s: &Session,
    wrong: &str,
) -> Vec<(&'static str, Request<Body>)> {
    let base = || {
        Request::builder()
            .method(method.clone())
            .uri(uri)
            .header(header::COOKIE, &s.cookie)
    };
    let form = |body: String| {
        base()
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request")
    };
    let (mp_type, mp_body) = multipart(&[("csrf_token", wrong)], "a.csv", "账号,姓名\n".as_bytes());
    vec![
        (
            "no token, empty body",
            base().body(Body::empty()).expect("request"),
        ),
        (
            "no token, JSON",
            base()
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"path":"伪造乡","name":"伪造"}"#))
                .expect("request"),
        ),
        (
            "wrong header",
            base()
                .header("x-csrf-token", wrong)
                .body(Body::empty())
                .expect("request"),
        ),
        (
            "wrong form field",
            form(format!("csrf_token={wrong}&name=x")),
        ),
        // The right token, but not as the first field: our forms never send that.
        (
            "token not first",
            form(format!("path=x&csrf_token={}", s.csrf)),
        ),
        (
            "wrong multipart field",
            base()
                .header(header::CONTENT_TYPE, mp_type)
                .body(Body::from(mp_body))
                .expect("request"),
        ),
    ]
}

#[tokio::test]
async fn every_state_changing_route_refuses_a_signed_in_admin_without_the_right_token() {
    // Arrange
    let t = spawn_accounts_app().await;
    let (router, table) = xuefa::web::router_and_table(t.app.clone());
    let admin = admin_session(&t).await;
    let wrong: String = admin
        .csrf
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    let (users, units, audit) = (
        user_count(&t, &admin).await,
        unit_paths(&t, &admin).await,
        audit_entries(&t, &admin).await.len(),
    );
    let allowed: Vec<(Method, String)> = xuefa::web::CSRF_ALLOW_LIST
        .iter()
        .map(|(m, p)| (m.clone(), p.to_string()))
        .collect();

    // Act
    let mut walked = Vec::new();
    let mut let_through = Vec::new();
    for (method, pattern) in table.changing() {
        if allowed.contains(&(method.clone(), pattern.clone())) {
            continue;
        }
        let uri = concrete(pattern, admin.user_id);
        for (how, req) in forged(method, &uri, &admin, &wrong) {
            let (status, headers, body) = request(&router, req).await;
            let api = pattern.starts_with("/api/");
            let message = if api {
                json_of(&body)["error"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            } else {
                body.clone()
            };
            let html = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with(if api { "application/json" } else { "text/html" }));
            if status != StatusCode::FORBIDDEN || !message.contains("请刷新页面后重试") || !html
            {
                let_through.push(format!("{method} {uri} ({how}): {status} {body:.200}"));
            }
        }
        walked.push(format!("{method} {pattern}"));
    }

    // Assert
    assert!(let_through.is_empty(), "{let_through:#?}");
    assert_eq!(
        allowed,
        [
            (Method::POST, "/login".to_string()),
            (Method::POST, "/api/login".to_string())
        ],
        "the allow-list stays short and explicit"
    );
    for (m, p) in &allowed {
        assert!(table.all().contains(&(m.clone(), p.clone())), "{m} {p}");
    }
    assert!(walked.len() >= 25, "{walked:#?}");
    for expected in [
        "POST /admin/users/import",
        "PATCH /api/admin/units/{unit_id}",
        "POST /logout",
    ] {
        assert!(
            walked.iter().any(|w| w == expected),
            "{expected} in {walked:#?}"
        );
    }
    assert_eq!(user_count(&t, &admin).await, users, "no user created");
    assert_eq!(unit_paths(&t, &admin).await, units, "no unit created");
    assert_eq!(audit_entries(&t, &admin).await.len(), audit, "no audit row");
}

#[tokio::test]
async fn no_state_changing_method_is_routed_that_the_table_does_not_list() {
    // Arrange: a route merged onto a listed path behind the table's back would answer here.
    let t = spawn_accounts_app().await;
    let (router, table) = xuefa::web::router_and_table(t.app.clone());
    let admin = admin_session(&t).await;
    let mut paths: Vec<&String> = table.all().iter().map(|(_, p)| p).collect();
    paths.sort();
    paths.dedup();

    // Act
    let mut answered = Vec::new();
    for pattern in paths {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            if table.all().contains(&(method.clone(), pattern.clone())) {
                continue;
            }
            let req = Request::builder()
                .method(method.clone())
                .uri(concrete(pattern, admin.user_id))
                .header(header::COOKIE, &admin.cookie)
                .header("x-csrf-token", &admin.csrf)
                .body(Body::empty())
                .expect("request");
            let (status, _, body) = request(&router, req).await;
            if status != StatusCode::METHOD_NOT_ALLOWED {
                answered.push(format!("{method} {pattern}: {status} {body:.120}"));
            }
        }
    }

    // Assert
    assert!(answered.is_empty(), "{answered:#?}");
}

#[test]
fn every_form_of_ours_sends_its_csrf_token_as_the_first_field() {
    // Arrange
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/templates");
    let form = regex::Regex::new(r#"(?s)<form[^>]*method="post"[^>]*>(.*?)</form>"#).expect("re");
    let field =
        regex::Regex::new(r#"<(?:input|select|textarea|button)[^>]*\bname="([^"]+)""#).expect("re");

    // Act
    let mut forms = 0;
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("templates") {
        let path = entry.expect("entry").path();
        let html = std::fs::read_to_string(&path).expect("template");
        for f in form.captures_iter(&html) {
            forms += 1;
            let first = field.captures(&f[1]).map(|c| c[1].to_string());
            if first.as_deref() != Some("csrf_token") {
                wrong.push(format!("{}: first field {first:?}", path.display()));
            }
        }
    }

    // Assert
    assert!(forms >= 15, "{forms} forms found");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
