//! Study notes (corpus/materials): every note parses and every article it mentions resolves
//! against the real laws; note pages render with article links; heartbeats on a note credit
//! it and its law; the 3-question check is graded and stored; a law with a note is done only
//! when read and checked; search finds a note section.

use std::path::PathBuf;

use axum::http::StatusCode;
use serde_json::{Value, json};
use xuefa::learning::Curriculum;
use xuefa::materials::{self, Resolver};

use crate::accounts_support::{api_get, api_post, is_chinese, page};
use crate::helpers::{corpus_path, enc, search_uri, spawn_app};
use crate::practice::support::{Site, right, site, wrong};

const NOTE: &str = "xinfang-gongzuo";
const LAW: &str = "信访工作条例";

fn notes_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The current version of every law the curriculum requires, as the corpus files them.
const REQUIRED_FILES: [&str; 12] = [
    "宪法/宪法.md",
    "行政法规/信访工作条例(2022-02-25).md",
    "行政法/公务员法(2018-12-29).md",
    "宪法相关法/监察法(2024-12-25).md",
    "宪法相关法/公职人员政务处分法(2020-06-20).md",
    "行政法/保守国家秘密法(2024-02-27).md",
    "宪法相关法/国家赔偿法(2012-10-26).md",
    "社会法/安全生产法(2021-06-10).md",
    "行政法/行政处罚法(2021-01-22).md",
    "行政法/行政许可法(2019-04-23).md",
    "行政法/行政强制法(2011-06-30).md",
    "诉讼与非诉讼程序法/行政复议法(2023-09-01).md",
];

#[tokio::test]
async fn every_note_parses_and_every_mention_resolves_against_the_imported_laws() {
    let (notes, errors) = materials::read_dir(&notes_dir().join(materials::DIR));
    assert!(errors.is_empty(), "{errors:?}");
    let curriculum = Curriculum::load(&notes_dir()).expect("curriculum");
    for law in curriculum
        .official
        .laws
        .iter()
        .chain(&curriculum.officer.laws)
    {
        assert!(
            notes.iter().any(|n| n.law == law.title),
            "no study note on {}",
            law.title
        );
    }
    let paths: Vec<PathBuf> = REQUIRED_FILES.iter().map(|f| corpus_path(f)).collect();
    let t = spawn_app(&paths).await;
    let resolver = t
        .write(async |tx| Resolver::load(tx, &notes).await)
        .await
        .expect("laws");
    let unresolved = resolver.unresolved(&notes);
    assert!(unresolved.is_empty(), "{unresolved:#?}");
    for n in &notes {
        assert!(
            resolver.articles_of(n).len() >= 5,
            "{} cites too few articles",
            n.slug
        );
    }
}

async fn material_id(s: &Site) -> i64 {
    let (status, html) = get_page(s, &format!("/materials/{NOTE}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let at = html.find("data-material=\"").expect("study marker") + 15;
    html[at..]
        .split('"')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("material id")
}

async fn get_page(s: &Site, uri: &str) -> (StatusCode, String) {
    let (status, _, body) = page(&s.t.router, uri, Some(&s.official), None).await;
    (status, body)
}

#[tokio::test]
async fn a_note_page_shows_its_sections_with_article_links_and_the_law_page_links_the_note() {
    let s = site().await;
    let (status, html) = get_page(&s, &format!("/materials/{NOTE}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for anchor in ["sec-1", "sec-2", "sec-3", "sec-4"] {
        assert!(html.contains(&format!("id=\"{anchor}\"")), "{anchor}");
    }
    let link = format!(
        "href=\"/laws/{}?art=art-22#art-22\">第二十二条</a>",
        s.law_id
    );
    assert!(html.contains(&link), "{link} in the note page");
    assert!(html.contains("id=\"check-form\""), "the check");
    // `name="q"` of the header's search box aside: one hidden `q` per question.
    let asked = html.matches("type=\"hidden\" name=\"q\"").count();
    assert_eq!(asked, 3, "three questions");

    let (status, list) = get_page(&s, "/materials").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.contains(&format!("href=\"/materials/{NOTE}\"")),
        "{list}"
    );
    assert!(list.contains(LAW));
    let (_, law_page) = get_page(&s, &format!("/laws/{}", s.law_id)).await;
    assert!(
        law_page.contains(&format!("/materials/{NOTE}")),
        "law page links its note"
    );
    let (_, me) = get_page(&s, "/me").await;
    assert!(me.contains("href=\"/materials\""));

    // A visitor reads the note too, without the check; an unknown note is a 404.
    let (status, _, visitor) = page(&s.t.router, &format!("/materials/{NOTE}"), None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!visitor.contains("check-form") && visitor.contains("登录"));
    let (status, missing) = get_page(&s, "/materials/no-such-note").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
}

async fn beat(s: &Site, body: Value) -> (StatusCode, Value) {
    api_post(&s.t.router, "/api/study/heartbeat", &s.official, body).await
}

fn law_progress(p: &Value) -> Value {
    p["laws"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["title"] == LAW))
        .cloned()
        .unwrap_or_else(|| panic!("{LAW} in {p}"))
}

async fn progress(s: &Site) -> Value {
    let (status, v) = api_get(&s.t.router, "/api/me/progress?year=2026", Some(&s.official)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn heartbeats_on_a_note_credit_its_law_with_the_same_caps() {
    let s = site().await;
    let id = material_id(&s).await;
    let body = json!({ "material_id": id, "visible": true, "active": true });
    assert_eq!(beat(&s, body.clone()).await.1["credited_seconds"], 0);
    s.t.app.clock.advance(30);
    assert_eq!(beat(&s, body.clone()).await.1["credited_seconds"], 30);
    assert_eq!(
        beat(&s, body.clone()).await.1["credited_seconds"],
        0,
        "replay"
    );
    s.t.app.clock.advance(50);
    assert_eq!(
        beat(&s, body.clone()).await.1["credited_seconds"],
        35,
        "cap"
    );
    // Switching to the law page shares the one mark: no double counting.
    s.t.app.clock.advance(30);
    let law = json!({ "law_id": s.law_id });
    assert_eq!(beat(&s, law).await.1["credited_seconds"], 30);
    assert_eq!(law_progress(&progress(&s).await)["seconds"], 95);
    let (_, ledger) = api_get(&s.t.router, "/api/me/study?year=2026", Some(&s.official)).await;
    assert_eq!(ledger["reading_seconds"], 95, "{ledger}");
    assert_eq!(
        ledger["lines"],
        json!([
            { "date": "2026-01-01", "kind": "law", "title": LAW, "seconds": 30 },
            { "date": "2026-01-01", "kind": "material", "title": LAW, "seconds": 65 },
        ])
    );

    for (body, expected) in [
        (json!({ "material_id": 999_999 }), StatusCode::NOT_FOUND),
        (
            json!({ "material_id": id, "law_id": s.law_id }),
            StatusCode::BAD_REQUEST,
        ),
        (
            json!({ "kind": "law", "material_id": id }),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, v) = beat(&s, body).await;
        assert_eq!(status, expected, "{v}");
        assert!(is_chinese(v["error"].as_str().unwrap_or_default()), "{v}");
    }
}

async fn questions(s: &Site, id: i64) -> Vec<i64> {
    let uri = format!("/api/materials/{id}/check");
    let (status, v) = api_get(&s.t.router, &uri, Some(&s.official)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v["questions"]
        .as_array()
        .map(|qs| {
            qs.iter()
                .filter_map(|q| q["question_id"].as_i64())
                .collect()
        })
        .unwrap_or_default()
}

async fn submit(s: &Site, id: i64, answers: Value) -> (StatusCode, Value) {
    let uri = format!("/api/materials/{id}/check");
    api_post(
        &s.t.router,
        &uri,
        &s.official,
        json!({ "answers": answers }),
    )
    .await
}

#[tokio::test]
async fn the_check_is_graded_and_the_law_is_done_only_when_read_and_checked() {
    let s = site().await;
    let id = material_id(&s).await;
    let qs = questions(&s, id).await;
    assert_eq!(
        qs.len(),
        3,
        "three of the four questions on 第二十二条 and 第三十四条"
    );

    // Reading the law's 60 minutes is not enough while the note's check is not passed.
    beat(&s, json!({ "material_id": id })).await;
    for _ in 0..121 {
        s.t.app.clock.advance(30);
        beat(&s, json!({ "material_id": id })).await;
    }
    let p = law_progress(&progress(&s).await);
    assert!(p["seconds"].as_i64() >= Some(3600), "{p}");
    assert_eq!(p["done"], false, "{p}");

    let all_wrong: Vec<Value> = qs
        .iter()
        .map(|q| json!({ "question_id": q, "answer": wrong(&s.bank, *q) }))
        .collect();
    let (status, v) = submit(&s, id, json!(all_wrong)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["correct"].clone(), v["passed"].clone()),
        (json!(0), json!(false))
    );
    assert_eq!(law_progress(&progress(&s).await)["done"], false);
    let missing = progress(&s).await["missing"].to_string();
    assert!(
        missing.contains("信访工作条例》学习资料的自测尚未通过"),
        "{missing}"
    );

    let mut two_right: Vec<Value> = qs
        .iter()
        .map(|q| json!({ "question_id": q, "answer": right(&s.bank, *q) }))
        .collect();
    two_right[2] = json!({ "question_id": qs[2], "answer": wrong(&s.bank, qs[2]) });
    let (status, v) = submit(&s, id, json!(two_right)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["correct"].clone(), v["passed"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(law_progress(&progress(&s).await)["done"], true);

    // The page shows the check as passed; the list says so too.
    let (_, html) = get_page(&s, &format!("/materials/{NOTE}")).await;
    assert!(html.contains("id=\"check-passed\""));
    let (_, list) = get_page(&s, "/materials").await;
    assert!(list.contains("已通过"));
}

#[tokio::test]
async fn bad_checks_are_refused_in_chinese_and_the_form_grades_too() {
    let s = site().await;
    let id = material_id(&s).await;
    let qs = questions(&s, id).await;
    let one = json!([{ "question_id": qs[0], "answer": right(&s.bank, qs[0]) }]);
    let twice = json!([
        { "question_id": qs[0], "answer": ["对"] },
        { "question_id": qs[0], "answer": ["对"] },
        { "question_id": qs[1], "answer": ["对"] },
    ]);
    let stranger = json!([{ "question_id": 999_999, "answer": ["对"] }]);
    for bad in [one, twice, stranger] {
        let (status, v) = submit(&s, id, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(is_chinese(v["error"].as_str().unwrap_or_default()), "{v}");
    }
    let (status, _) = submit(&s, 999_999, json!([])).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The page's form: `q` names each question, `a-{id}` its answer.
    let mut form: Vec<(String, String)> = vec![("csrf_token".into(), s.official.csrf.clone())];
    for q in &qs {
        form.push(("q".into(), q.to_string()));
        for a in right(&s.bank, *q).as_array().into_iter().flatten() {
            form.push((format!("a-{q}"), a.as_str().unwrap_or_default().to_string()));
        }
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let uri = format!("/materials/{NOTE}/check");
    let (status, _, html) = page(&s.t.router, &uri, Some(&s.official), Some(&form)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("答对 3 / 3 题，自测通过"), "{html}");
}

#[tokio::test]
async fn a_search_finds_a_note_section_in_its_own_block() {
    let s = site().await;
    let (status, v) = api_get(&s.t.router, &search_uri("走访 推选代表", ""), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(
        !v["hits"].as_array().is_none_or(Vec::is_empty),
        "articles found too"
    );
    let m = &v["materials"][0];
    assert_eq!(m["kind"], "material", "{v}");
    assert_eq!(m["slug"], NOTE);
    let url = m["url"].as_str().unwrap_or_default();
    assert!(url.starts_with(&format!("/materials/{NOTE}#sec-")), "{url}");
    let (_, html) = get_page(&s, &format!("/search?q={}", enc("走访 推选代表"))).await;
    let html = crate::helpers::unescape(&html);
    assert!(html.contains("学习资料") && html.contains(url), "{html}");
    // Paging on or filtering by law leaves the notes out.
    let (_, v) = api_get(&s.t.router, &search_uri("走访", "&offset=10"), None).await;
    assert_eq!(v["materials"], json!([]));
}
