//! What the bank page tests share: a site with 信访工作条例 and the repealed 信访条例, a signed-in
//! system administrator, questions made through the domain, and the edit form as posted.

use axum::http::StatusCode;
use xuefa::bank::model::{Answer, Origin, QuestionDraft, QuestionType};

use super::support::{create, judge_on, xinfang};
use crate::accounts_support::{Session, admin_session, multipart, page};
use crate::helpers::{TestApp, corpus_path, request, spawn_accounts_app};

/// 信访条例 (2005), repealed by 信访工作条例 (corpus/repealed.tsv).
pub fn xinfang_2005() -> std::path::PathBuf {
    corpus_path("行政法规/信访条例(2005-01-10).md")
}

/// A site with both 信访 laws and the administrator signed in.
pub async fn bank_site() -> (TestApp, Session) {
    let t = spawn_accounts_app().await;
    t.app
        .import_laws(&[xinfang(), xinfang_2005()], &|_, _| {})
        .await
        .expect("import laws");
    let admin = admin_session(&t).await;
    (t, admin)
}

/// Posts `csv` to the bank's import page as `who`, with the session's CSRF token first and
/// then `fields` (e.g. `skip_invalid`); returns status and page.
pub async fn upload_questions(
    t: &TestApp,
    who: &Session,
    fields: &[(&str, &str)],
    csv: &str,
) -> (StatusCode, String) {
    let mut all = vec![("csrf_token", who.csrf.as_str())];
    all.extend_from_slice(fields);
    let (content_type, body) = multipart(&all, "bank.csv", csv.as_bytes());
    let req = axum::http::Request::post("/admin/questions/import")
        .header("cookie", &who.cookie)
        .header("content-type", content_type)
        .body(axum::body::Body::from(body))
        .expect("request");
    let (status, _, html) = request(&t.router, req).await;
    (status, html)
}

/// A judge question on 信访工作条例's articles; returns its id.
pub async fn judge(t: &TestApp, stem: &str, articles: &[u32]) -> i64 {
    let law = t.current("信访工作条例").await.law_id;
    create(t, &judge_on(stem, law, articles)).await
}

/// A single-choice question with these options on 信访工作条例 第二十二条; returns its id.
pub async fn single(t: &TestApp, stem: &str, options: &[&str]) -> i64 {
    let mut d: QuestionDraft = judge_on(stem, t.current("信访工作条例").await.law_id, &[22]);
    d.qtype = QuestionType::Single;
    d.options = options.iter().map(|o| o.to_string()).collect();
    d.answer = Answer::Single { option: 0 };
    d.origin = Origin::Authored;
    create(t, &d).await
}

/// The edit form of a judge question as the page posts it.
pub fn judge_form<'a>(
    admin: &'a Session,
    action: &'a str,
    stem: &'a str,
    answer: &'a str,
    basis: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf_token", admin.csrf.as_str()),
        ("action", action),
        ("type", "判断"),
        ("stem", stem),
        ("answer", answer),
        ("explanation", "解析文字"),
        ("basis", basis),
        ("difficulty", "3"),
        ("tags", "审核"),
    ]
}

/// GET a page as the administrator; asserts 200.
pub async fn admin_page(t: &TestApp, admin: &Session, uri: &str) -> String {
    let (status, _, html) = page(&t.router, uri, Some(admin), None).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {html}");
    html
}

/// POST a form as the administrator: (status, headers, body).
pub async fn post(
    t: &TestApp,
    admin: &Session,
    uri: &str,
    form: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    page(&t.router, uri, Some(admin), Some(form)).await
}

/// Generates five drafts (seed 7) from a law through the page: (status, page).
pub async fn generate(t: &TestApp, admin: &Session, law: &str) -> (StatusCode, String) {
    let form = [
        ("csrf_token", admin.csrf.as_str()),
        ("law", law),
        ("count", "5"),
        ("seed", "7"),
    ];
    let (status, _, html) = post(t, admin, "/admin/questions/generate", &form).await;
    (status, html)
}
