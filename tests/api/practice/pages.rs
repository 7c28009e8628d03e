//! The practice pages without script: choose, start, answer, see the basis; the wrong-answer
//! book at /review; 考考我 on the law page; the streak on /me.

use axum::http::StatusCode;

use super::support::*;
use crate::accounts_support::page;
use crate::helpers::unescape;

/// The value of the hidden `question_id` input of a question page.
fn question_id(html: &str) -> i64 {
    let at = html
        .find("name=\"question_id\" value=\"")
        .expect("question form")
        + 26;
    html[at..].split('"').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_official_practises_an_article_from_the_law_page_through_plain_forms() {
    let site = site().await;
    let who = &site.official;
    let r = &site.t.router;
    let (status, _, law) = page(r, &format!("/laws/{}", site.law_id), Some(who), None).await;
    assert_eq!(status, StatusCode::OK);
    let law = unescape(&law);
    let offer = format!(
        "/practice?source=article&law_id={}&article=art-22",
        site.law_id
    );
    assert!(
        law.contains(&format!("href=\"{offer}\"")),
        "考考我 on the article"
    );
    assert!(
        law.contains("source=chapter&law_id="),
        "考考我 on the chapter"
    );
    let (status, _, html) = page(r, &offer, Some(who), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("《信访工作条例》第二十二条") && html.contains("id=\"offer-count\">2<"));
    let form = [
        ("csrf_token", who.csrf.as_str()),
        ("source", "article"),
        ("law_id", &site.law_id.to_string()),
        ("article", "art-22"),
    ];
    let (status, headers, _) = page(r, "/practice/sessions", Some(who), Some(&form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/practice/sessions/"), "{location}");
    let (status, _, html) = page(r, &location, Some(who), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        !html.contains("依据第") && !html.contains("正确答案"),
        "no key before answering"
    );
    let q = question_id(&html);
    // Submitting nothing is a message on the same question.
    let action = format!("{location}/answer");
    let q_text = q.to_string();
    let empty = [
        ("csrf_token", who.csrf.as_str()),
        ("question_id", q_text.as_str()),
    ];
    let (status, _, html) = page(r, &action, Some(who), Some(&empty)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("请先作答") && question_id(&html) == q);
    let wrong_answer = if q == site.bank.single { "A" } else { "错" };
    let form = [
        ("csrf_token", who.csrf.as_str()),
        ("question_id", q_text.as_str()),
        ("answer", wrong_answer),
    ];
    let (status, _, html) = page(r, &action, Some(who), Some(&form)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let html = unescape(&html);
    assert!(
        html.contains("回答错误") && html.contains("依据第22条"),
        "{html}"
    );
    assert!(
        html.contains(&format!("/laws/{}?art=art-22#art-22", site.law_id)),
        "basis link"
    );
    assert!(
        html.contains("在15日内分别按照下列方式处理"),
        "the article's text"
    );
    assert!(
        html.contains(&format!("href=\"{location}\"")),
        "next question"
    );
    let (_, _, next) = page(r, &location, Some(who), None).await;
    assert_ne!(question_id(&next), q);
    let (status, _, review) = page(r, "/review", Some(who), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        review.contains(&format!("data-question=\"{q}\"")) && review.contains("共 1 题"),
        "{review}"
    );
}

#[tokio::test]
async fn the_practice_and_review_pages_render_and_need_a_sign_in() {
    let site = site().await;
    let r = &site.t.router;
    for uri in [
        "/practice",
        "/review",
        "/practice?source=daily",
        "/review?tag=信访/受理",
        "/me",
    ] {
        let uri = uri.replace("信访/受理", &crate::helpers::enc("信访/受理"));
        let (status, _, html) = page(r, &uri, Some(&site.official), None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {html}");
        let (status, headers, _) = page(r, &uri, None, None).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{uri} signed out");
        assert!(headers["location"].to_str().unwrap().starts_with("/login"));
    }
    let (_, _, html) = page(r, "/practice", Some(&site.official), None).await;
    let html = unescape(&html);
    assert!(html.contains(&format!("law_id={}", site.law_id)) && html.contains("信访/办理期限"));
    let (status, _, html) = page(
        r,
        "/practice?source=law&law_id=abc",
        Some(&site.official),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("法规编号不正确"));
    let (status, _, _) = page(r, "/practice/sessions/999", Some(&site.official), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
