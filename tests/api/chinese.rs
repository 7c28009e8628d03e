//! Every text a user sees is Chinese: a walk over every page (as an anonymous visitor, an
//! official, a unit administrator and the system administrator, with data in every list and
//! the result pages of imports, edits and refusals) and every kind of API error, looking for
//! ASCII words outside a short allow-list.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use regex::Regex;
use serde_json::{Value, json};

use crate::accounts_support::*;
use crate::helpers::*;

/// Words that may appear: formats and abbreviations officials know, and the test's own data
/// (login names are user data, not interface text).
const ALLOWED: &[&str] = &[
    "IP", "ID", "CSV", "JSON", "Excel", "xlsx", "csv", "json", "UTF", "BOM", "GB", "MB", "KB",
    "QR", "admin", "zs", "ua", "cli", "https", "http", "seed", "true", "false",
];

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z_]+").expect("re"));
static DROP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<script.*?</script>|<style.*?</style>|<!--.*?-->").expect("re")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("re"));
static SHOWN_ATTR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:placeholder|title|aria-label|alt)="([^"]*)""#).expect("re"));

/// What a person reads on a page: its text and the attributes that are shown.
fn visible_text(html: &str) -> String {
    let html = DROP.replace_all(html, " ");
    let mut text: Vec<String> = SHOWN_ATTR
        .captures_iter(&html)
        .map(|c| c[1].to_string())
        .collect();
    text.push(TAG.replace_all(&html, " ").into_owned());
    unescape(&text.join(" "))
}

/// ASCII words that are neither allowed nor an answer key (`ABD`).
fn english_words(text: &str) -> BTreeSet<String> {
    WORD.find_iter(text)
        .map(|m| m.as_str().to_string())
        .filter(|w| !ALLOWED.contains(&w.as_str()))
        .filter(|w| !w.chars().all(|c| ('A'..='H').contains(&c)))
        .collect()
}

#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn page(&mut self, what: &str, html: &str) {
        let words = english_words(&visible_text(html));
        if !words.is_empty() {
            self.0.push(format!("{what}: {words:?}"));
        }
    }

    /// Every string of a JSON error body.
    fn api(&mut self, what: &str, status: StatusCode, v: &Value) {
        if status.is_success() {
            self.0
                .push(format!("{what}: expected an error, got {status}"));
            return;
        }
        let Some(message) = v["error"].as_str() else {
            self.0
                .push(format!("{what}: {status} without a JSON error: {v}"));
            return;
        };
        let words = english_words(message);
        if !words.is_empty() || !is_chinese(message) {
            self.0.push(format!("{what}: {message}"));
        }
    }

    fn assert_none(self) {
        assert!(
            self.0.is_empty(),
            "English reaches users:\n{}",
            self.0.join("\n")
        );
    }
}

/// A URI as typed, with what may not stand in one (Chinese, spaces) percent-encoded.
fn typed(uri: &str) -> String {
    let mut out = String::new();
    for b in uri.bytes() {
        if b > 0x7f || b == b' ' {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

async fn walk(t: &TestApp, f: &mut Findings, who: &str, s: Option<&Session>, uris: &[String]) {
    for uri in uris {
        let (status, headers, html) = page(&t.router, &typed(uri), s, None).await;
        let html = if status.is_redirection() {
            let to = headers[header::LOCATION]
                .to_str()
                .unwrap_or("/")
                .to_string();
            page(&t.router, &to, s, None).await.2
        } else {
            html
        };
        f.page(&format!("{who} GET {uri} ({status})"), &html);
    }
}

fn uris(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// An app with laws (one repealed), units, users of every role, a locked account, questions
/// and their versions, and an audit log with every kind of entry.
async fn populated() -> (TestApp, Session, Session, Session, i64, i64, String) {
    let t = spawn_accounts_app().await;
    t.import(&[
        corpus_path("行政法规/信访工作条例(2022-02-25).md"),
        corpus_path("行政法规/信访条例(2005-01-10).md"),
        corpus_path("宪法/宪法.md"),
    ])
    .await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "柱山乡/综合行政执法大队").await;
    let ua = user_session(&t, &admin, "ua01", "柱山乡", "unit_admin").await;
    let zs = user_session(&t, &admin, "zs01", "柱山乡/综合行政执法大队", "officer").await;
    let (locked_id, _) = add_user(&t, &admin, "zs02", "柱山乡", "official").await;
    for _ in 0..5 {
        login(&t.router, "zs02", "wrong-password-1", None).await;
    }
    let seed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/questions/seed.csv"
    ))
    .expect("seed bank");
    let fields = [("csrf_token", admin.csrf.as_str()), ("skip_invalid", "1")];
    let (content_type, body) = multipart(&fields, "seed.csv", &seed);
    let req = Request::post("/admin/questions/import")
        .header(header::COOKIE, &admin.cookie)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let (_, _, imported) = request(&t.router, req).await;
    let question: i64 = sqlx::query_scalar("select min(question_id) from question")
        .fetch_one(&t.app.db.pool)
        .await
        .expect("a question was imported");
    (t, admin, ua, zs, locked_id, question, imported)
}

#[tokio::test]
async fn no_page_shows_english_words_to_any_user() {
    let (t, admin, ua, zs, locked, q, imported) = populated().await;
    let law = t.current("信访工作条例").await.law_id;
    let repealed = t.current("信访条例").await.law_id;
    let mut f = Findings::default();
    f.page("admin question import result", &imported);
    let long = "法".repeat(300);
    let public = uris(&[
        "/",
        "/laws",
        "/login",
        "/login?next=/me",
        "/search?q=信访事项 受理 期限",
        "/search?q=信访条例第二十条",
        "/search?q=",
        "/search?q=完全不存在的词语组合乙丙",
        "/laws/999999",
        "/laws/abc",
        "/laws/%FF",
        "/no-such-page",
    ])
    .into_iter()
    .chain([
        format!("/search?q={long}"),
        format!("/laws/{law}"),
        format!("/laws/{repealed}"),
        format!("/search?q=受理&law={}", enc("信访")),
        "/search?q=受理&page=99999".to_string(),
    ])
    .collect::<Vec<_>>();
    walk(&t, &mut f, "anonymous", None, &public).await;
    walk(
        &t,
        &mut f,
        "anonymous",
        None,
        &uris(&["/me", "/admin/users"]),
    )
    .await;
    let mine = uris(&["/me", "/me/password", "/admin/users", "/admin/questions"]);
    walk(&t, &mut f, "officer", Some(&zs), &mine).await;
    let admin_pages = uris(&[
        "/admin/users",
        "/admin/users?page=99999",
        "/admin/users/import",
        "/admin/units",
        "/admin/audit",
        "/admin/audit?from=2026-13-01",
        "/admin/questions",
        "/admin/questions?status=draft&page=99999",
        "/admin/questions/review",
        "/admin/questions/import",
        "/admin/questions/generate",
        "/admin/questions/999999",
        "/admin/users/999999",
        "/admin/users/%FF",
        "/admin/questions/%FF",
    ])
    .into_iter()
    .chain([
        format!("/admin/users/{locked}"),
        format!("/admin/users/{}", zs.user_id),
        format!("/admin/questions/{q}"),
    ])
    .collect::<Vec<_>>();
    walk(&t, &mut f, "unit admin", Some(&ua), &admin_pages).await;
    walk(&t, &mut f, "admin", Some(&admin), &admin_pages).await;

    // Result pages of forms: a refused edit, a preview, a generation, a refused sign-in.
    let edit = format!("/admin/questions/{q}");
    let form = [
        ("csrf_token", admin.csrf.as_str()),
        ("action", "preview"),
        ("type", "判断"),
        ("stem", "信访工作应当坚持党的全面领导。"),
        ("answer", "正确"),
        ("basis", "《信访工作条例》第九十九条"),
    ];
    let (status, _, html) = page(&t.router, &edit, Some(&admin), Some(&form)).await;
    f.page(&format!("admin preview ({status})"), &html);
    let mut save = form;
    save[1] = ("action", "save");
    let (status, _, html) = page(&t.router, &edit, Some(&admin), Some(&save)).await;
    f.page(&format!("admin save ({status})"), &html);
    let generate = [
        ("csrf_token", admin.csrf.as_str()),
        ("law", "信访条例"),
        ("count", "5"),
    ];
    let (status, _, html) = page(
        &t.router,
        "/admin/questions/generate",
        Some(&admin),
        Some(&generate),
    )
    .await;
    f.page(
        &format!("admin generate from a repealed law ({status})"),
        &html,
    );
    let (status, _, html) = page(
        &t.router,
        "/login",
        None,
        Some(&[("username", "zs01"), ("password", "wrong")]),
    )
    .await;
    f.page(&format!("sign-in refused ({status})"), &html);
    f.assert_none();
}

#[tokio::test]
async fn no_api_error_shows_english_words() {
    let (t, admin, ua, zs, _, _, _) = populated().await;
    let mut f = Findings::default();
    let long = "法".repeat(300);
    let gets: Vec<(String, Option<&Session>)> = vec![
        ("/api/search?q=".into(), None),
        (format!("/api/search?q={long}"), None),
        ("/api/search?q=受理&limit=abc".into(), None),
        ("/api/search?q=受理&offset=-1".into(), None),
        (
            format!("/api/search?q=受理&law={}", enc("没有这部法")),
            None,
        ),
        ("/api/laws/999999".into(), None),
        ("/api/laws/abc".into(), None),
        ("/api/laws/1/articles/第九九九九条".into(), None),
        ("/api/laws/1/articles/abc".into(), None),
        ("/api/me".into(), None),
        ("/api/admin/users".into(), None),
        ("/api/admin/users".into(), Some(&zs)),
        ("/api/admin/users/999999".into(), Some(&admin)),
        ("/api/admin/users/abc".into(), Some(&admin)),
        ("/api/admin/audit?from=yesterday".into(), Some(&admin)),
        ("/api/admin/audit".into(), Some(&zs)),
        ("/api/no-such-route".into(), None),
    ];
    for (uri, s) in &gets {
        let (status, v) = api_get(&t.router, &typed(uri), *s).await;
        f.api(&format!("GET {uri}"), status, &v);
    }
    let posts: Vec<(&str, Option<&Session>, Option<Value>)> = vec![
        ("/api/login", None, Some(json!({ "username": "zs01" }))),
        (
            "/api/login",
            None,
            Some(json!({ "username": "zs01", "password": "x" })),
        ),
        ("/api/login", None, None),
        (
            "/api/me/password",
            Some(&zs),
            Some(json!({ "old_password": 1 })),
        ),
        (
            "/api/me/password",
            Some(&zs),
            Some(json!({ "old_password": USER_PASSWORD, "new_password": "123" })),
        ),
        (
            "/api/admin/users",
            Some(&ua),
            Some(json!({ "username": "坏 名字" })),
        ),
        (
            "/api/admin/users",
            Some(&ua),
            Some(
                json!({ "username": "zs09", "name": "某", "unit": "别的乡", "roles": "official" }),
            ),
        ),
        (
            "/api/admin/units",
            Some(&admin),
            Some(json!({ "path": "" })),
        ),
        (
            "/api/admin/units",
            Some(&zs),
            Some(json!({ "path": "某乡" })),
        ),
    ];
    for (uri, s, body) in posts {
        let (status, v) = call(&t.router, Method::POST, uri, s, body).await;
        f.api(&format!("POST {uri}"), status, &v);
    }
    // Without a CSRF token, and with a body that is not JSON.
    let (status, v) = api_post(
        &t.router,
        "/api/admin/units",
        &admin.with_csrf(""),
        json!({}),
    )
    .await;
    f.api("POST without CSRF token", status, &v);
    let req = Request::post("/api/admin/units")
        .header(header::COOKIE, &admin.cookie)
        .header("x-csrf-token", &admin.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let (status, _, body) = request(&t.router, req).await;
    f.api("POST broken JSON", status, &json_of(&body));
    let (status, v) = call(&t.router, Method::DELETE, "/api/search", None, None).await;
    f.api("DELETE /api/search", status, &v);
    f.assert_none();
}

#[test]
fn the_walk_finds_english_in_text_and_shown_attributes_but_not_in_markup() {
    let html = r#"<p class="x" data-action="questions_imported">导入 8 题</p>
        <input placeholder="search laws" value="abc"><td>ABD</td><script>var a=1</script>"#;
    let words = english_words(&visible_text(html));
    assert_eq!(
        words,
        BTreeSet::from(["laws".to_string(), "search".to_string()])
    );
}
