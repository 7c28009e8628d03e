//! The wrong-answer book: every wrong answer is kept with what was given; a question leaves
//! only when answered right on a later Beijing day; the book is read by law and by tag.

use serde_json::json;

use super::support::*;

#[tokio::test]
async fn a_wrong_answer_enters_the_book_and_leaves_after_a_right_answer_on_a_later_day() {
    let mut site = site().await;

    let f = answer(&site, &site.official, None, site.bank.single, json!(["A"])).await;
    assert_eq!(f["in_wrong_book"], true);
    let f = answer(&site, &site.official, None, site.bank.single, json!(["B"])).await;
    assert_eq!(f["in_wrong_book"], true);
    let entry = &book(&site, &site.official, "").await["entries"][0];
    assert_eq!(entry["question"]["question_id"], site.bank.single);
    assert_eq!(
        (&entry["given_text"], &entry["answer_text"]),
        (&json!("B"), &json!("C"))
    );
    assert_eq!(entry["wrong_count"], 2);
    // Right the same day: it stays.
    let f = answer(&site, &site.official, None, site.bank.single, json!(["C"])).await;
    assert_eq!(f["in_wrong_book"], true, "{f}");
    assert_eq!(
        book_ids(&book(&site, &site.official, "").await),
        [site.bank.single]
    );
    // Right on the next Beijing day: it leaves. Every answer is still on record.
    site.later(DAY).await;
    let f = answer(&site, &site.official, None, site.bank.single, json!(["C"])).await;
    assert_eq!(f["in_wrong_book"], false, "{f}");
    assert_eq!(book(&site, &site.official, "").await["total"], 0);
    let mut conn = site.t.app.db.read().await.unwrap();
    let kept: Vec<(String, i64)> = sqlx::query_as(
        "select given, correct from practice_answer where user_id = $1 order by answer_id",
    )
    .bind(site.official.user_id)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let want = [
        ("[\"A\"]", 0),
        ("[\"B\"]", 0),
        ("[\"C\"]", 1),
        ("[\"C\"]", 1),
    ];
    let want: Vec<(String, i64)> = want.iter().map(|(g, c)| (g.to_string(), *c)).collect();
    assert_eq!(kept, want);
}

#[tokio::test]
async fn a_wrong_answer_after_leaving_puts_the_question_back() {
    let mut site = site().await;

    answer(&site, &site.official, None, site.bank.judge, json!(["错"])).await;
    site.later(DAY).await;
    answer(&site, &site.official, None, site.bank.judge, json!(["对"])).await;
    assert_eq!(book(&site, &site.official, "").await["total"], 0);
    answer(&site, &site.official, None, site.bank.judge, json!(["错"])).await;
    // Wrong again today, then right later today: it stays until another day.
    answer(&site, &site.official, None, site.bank.judge, json!(["对"])).await;
    assert_eq!(
        book_ids(&book(&site, &site.official, "").await),
        [site.bank.judge]
    );
}

#[tokio::test]
async fn the_book_is_read_by_law_and_by_tag() {
    let mut site = site().await;

    answer(&site, &site.official, None, site.bank.judge, json!(["错"])).await;
    site.later(60).await;
    answer(&site, &site.official, None, site.bank.fill, json!(["90日"])).await;
    let all = book(&site, &site.official, "").await;
    assert_eq!(
        book_ids(&all),
        [site.bank.fill, site.bank.judge],
        "latest wrong answer first"
    );
    assert_eq!(all["laws"][0]["name"], "信访工作条例");
    assert_eq!(all["laws"][0]["count"], 2);
    let tags: Vec<&str> = all["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, ["信访/办理期限", "信访/受理"]);
    let by_tag = book(
        &site,
        &site.official,
        &format!("?tag={}", crate::helpers::enc("信访/受理")),
    )
    .await;
    assert_eq!(book_ids(&by_tag), [site.bank.judge]);
    assert_eq!(by_tag["total"], 2, "the total counts the whole book");
    let by_law = book(&site, &site.official, &format!("?law_id={}", site.law_id)).await;
    assert_eq!(book_ids(&by_law).len(), 2);
    // Weak points practise the book.
    let weak = start(&site, &site.official, json!({ "source": "weak" })).await;
    assert_eq!(weak["total"], 2);
}
