//! Sessions: the questions a source picks, one at a time and without their key, feedback with
//! the key and the basis after each answer, bad input and one person's practice kept apart.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::support::*;
use crate::accounts_support::{api_get, api_post, is_chinese, user_session};
use crate::helpers::get_json;

fn ids_of(v: &Value) -> i64 {
    v["session_id"].as_i64().expect("session id")
}

#[tokio::test]
async fn a_session_shows_one_question_at_a_time_without_its_key_and_answers_with_it() {
    let site = site().await;
    let who = &site.official;
    let first = start(
        &site,
        who,
        json!({ "source": "law", "law_id": site.law_id }),
    )
    .await;
    assert_eq!(first["total"], 4, "{first}");
    assert_eq!(first["title"], "《信访工作条例》");
    let session = ids_of(&first);
    let mut seen = Vec::new();
    let mut view = first;
    while !view["question"].is_null() {
        let q = &view["question"];
        assert_no_key(q);
        let id = q["question_id"].as_i64().expect("question id");
        // The same state comes back from the session's own URL, still without the key.
        let (status, again) = api_get(
            &site.t.router,
            &format!("/api/practice/sessions/{session}"),
            Some(who),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["question"], *q);
        assert_no_key(&again["question"]);
        let f = answer(&site, who, Some(session), id, right(&site.bank, id)).await;
        assert_eq!(f["correct"], true, "{f}");
        assert!(f["explanation"].as_str().unwrap().starts_with("依据第"));
        let basis = &f["basis"][0];
        let anchor = basis["anchor"].as_str().unwrap();
        assert!(["art-22", "art-34"].contains(&anchor), "{basis}");
        assert_eq!(
            basis["url"],
            format!("/laws/{}?art={anchor}#{anchor}", site.law_id)
        );
        assert!(basis["text"].as_str().unwrap().contains("日内"), "{basis}");
        seen.push(id);
        view = f["session"].clone();
        assert_eq!(view["answered"].as_u64(), Some(seen.len() as u64));
    }
    seen.sort_unstable();
    assert_eq!(seen, site.bank.all().to_vec());
    assert_eq!(view["total"], 4);
}

#[tokio::test]
async fn feedback_shows_the_given_answer_the_key_and_whether_it_was_right() {
    let site = site().await;
    let b = &site.bank;
    let f = answer(&site, &site.official, None, b.single, json!(["a"])).await;
    assert_eq!(
        (&f["correct"], &f["given_text"], &f["answer_text"]),
        (&json!(false), &json!("A"), &json!("C"))
    );
    let f = answer(&site, &site.official, None, b.multiple, json!(["B", "A"])).await;
    assert_eq!(
        (&f["correct"], &f["answer"]),
        (&json!(true), &json!(["A", "B"]))
    );
    let f = answer(&site, &site.official, None, b.fill, json!(["６０日"])).await;
    assert_eq!(f["correct"], true, "full-width digits match: {f}");
    let f = answer(&site, &site.official, None, b.judge, json!("错")).await;
    assert_eq!(
        (&f["correct"], &f["answer_text"]),
        (&json!(false), &json!("对"))
    );
}

#[tokio::test]
async fn article_chapter_and_tag_sources_pick_only_their_questions() {
    let site = site().await;
    let who = &site.official;
    let picked = |v: &Value| {
        let mut ids = vec![v["question"]["question_id"].as_i64().unwrap()];
        ids.sort_unstable();
        (v["total"].as_i64().unwrap(), ids)
    };
    let art = start(
        &site,
        who,
        json!({ "source": "article", "law_id": site.law_id, "article": "art-22" }),
    )
    .await;
    assert_eq!(art["title"], "《信访工作条例》第二十二条");
    assert_eq!(art["total"], 2);
    assert!([site.bank.judge, site.bank.single].contains(&picked(&art).1[0]));
    let (_, law) = get_json(&site.t.router, &format!("/api/laws/{}", site.law_id)).await;
    let chapter4 = law["toc"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["label"] == "第四章")
        .expect("第四章 in the toc");
    let seq: i64 = chapter4["anchor"].as_str().unwrap()["h-".len()..]
        .parse()
        .unwrap();
    let ch = start(
        &site,
        who,
        json!({ "source": "chapter", "law_id": site.law_id, "chapter": seq }),
    )
    .await;
    assert_eq!(ch["total"], 2, "{ch}");
    assert!([site.bank.multiple, site.bank.fill].contains(&picked(&ch).1[0]));
    let tag = start(&site, who, json!({ "source": "tag", "tag": "信访/受理" })).await;
    assert_eq!(tag["total"], 2);
    assert!([site.bank.judge, site.bank.single].contains(&picked(&tag).1[0]));
    let none = start(
        &site,
        who,
        json!({ "source": "article", "law_id": site.law_id, "article": "1" }),
    )
    .await;
    assert_eq!(
        (&none["total"], &none["question"], &none["session_id"]),
        (&json!(0), &Value::Null, &Value::Null)
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_a_chinese_message() {
    let site = site().await;
    let who = &site.official;
    let r = &site.t.router;
    let b = &site.bank;
    let session = ids_of(&start(&site, who, json!({ "source": "tag", "tag": "信访/受理" })).await);
    let cases = [
        (
            "/api/practice/answers",
            json!({ "question_id": 999_999, "answer": ["A"] }),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.single, "answer": 3 }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.single, "answer": [1] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.single, "answer": ["A", "B"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.single, "answer": ["Z"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.single, "answer": [] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.judge, "answer": ["也许"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "question_id": b.fill, "answer": ["60日", "30日"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "answer": ["A"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "session_id": session, "question_id": b.fill, "answer": ["60日"] }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/answers",
            json!({ "session_id": 424_242, "question_id": b.fill, "answer": ["60日"] }),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/practice/sessions",
            json!({ "source": "everything" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/sessions",
            json!({ "source": "law" }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/sessions",
            json!({ "source": "law", "law_id": 999_999 }),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/practice/sessions",
            json!({ "source": "daily", "limit": 0 }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/practice/sessions",
            json!({ "source": "article", "law_id": site.law_id, "article": "第X条" }),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (uri, body, want) in cases {
        let (status, v) = api_post(r, uri, who, body.clone()).await;
        assert_eq!(status, want, "{uri} {body}: {v}");
        let message = v["error"].as_str().unwrap_or_default();
        assert!(is_chinese(message), "{body}: {v}");
    }
    // Nothing of the refused answers was kept.
    assert_eq!(book(&site, who, "").await["total"], 0);
    let (status, _) = api_get(r, "/api/practice/today", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn one_persons_sessions_and_book_are_invisible_to_another() {
    let site = site().await;
    let zhang = &site.official;
    let li = user_session(&site.t, &site.admin, "li", "柱山乡", "official").await;
    let started = start(
        &site,
        zhang,
        json!({ "source": "law", "law_id": site.law_id }),
    )
    .await;
    let session = ids_of(&started);
    let q = started["question"]["question_id"].as_i64().unwrap();
    answer(&site, zhang, Some(session), q, wrong(&site.bank, q)).await;
    let (status, v) = api_get(
        &site.t.router,
        &format!("/api/practice/sessions/{session}"),
        Some(&li),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{v}");
    let body = json!({ "session_id": session, "question_id": q, "answer": right(&site.bank, q) });
    let (status, _) = api_post(&site.t.router, "/api/practice/answers", &li, body).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(book(&site, &li, "").await["total"], 0);
    assert_eq!(book_ids(&book(&site, zhang, "").await), [q]);
    // Li's own schedule is untouched: everything is still unseen for li.
    assert_eq!(today(&site, &li).await["queue"], 4);
    assert_eq!(today(&site, zhang).await["queue"], 3);
}
