//! The wrong-answer book: every wrong answer is kept with what was given; a question leaves
//! only when answered right on a later Beijing day; the book is read by law and by tag.

use serde_json::json;

use super::support::*;

#[tokio::test]
async fn a_wrong_answer_enters_the_book_and_leaves_after_a_right_answer_on_a_later_day() {
    let site = site().await;
    let (who, b) = (&site.official, &site.bank);
    let f = answer(&site, who, None, b.single, json!(["A"])).await;
    assert_eq!(f["in_wrong_book"], true);
    let f = answer(&site, who, None, b.single, json!(["B"])).await;
    assert_eq!(f["in_wrong_book"], true);
    let entry = &book(&site, who, "").await["entries"][0];
    assert_eq!(entry["question"]["question_id"], b.single);
    assert_eq!((&entry["given_text"], &entry["answer_text"]), (&json!("B"), &json!("C")));
    assert_eq!(entry["wrong_count"], 2);
    // Right the same day: it stays.
    let f = answer(&site, who, None, b.single, json!(["C"])).await;
    assert_eq!(f["in_wrong_book"], true, "{f}");
    assert_eq!(book_ids(&book(&site, who, "").await), [b.single]);
    // Right on the next Beijing day: it leaves. Every answer is still on record.
    site.t.app.clock.advance(DAY);
    let f = answer(&site, who, None, b.single, json!(["C"])).await;
    assert_eq!(f["in_wrong_book"], false, "{f}");
    assert_eq!(book(&site, who, "").await["total"], 0);
    let mut conn = site.t.app.db.read().await.unwrap();
    let kept: Vec<(String, i64)> = sqlx::query_as(
        "select given, correct from practice_answer where user_id = $1 order by answer_id",
    )
    .bind(who.user_id)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let want = [("[\"A\"]", 0), ("[\"B\"]", 0), ("[\"C\"]", 1), ("[\"C\"]", 1)];
    let want: Vec<(String, i64)> = want.iter().map(|(g, c)| (g.to_string(), *c)).collect();
    assert_eq!(kept, want);
}

#[tokio::test]
async fn a_wrong_answer_after_leaving_puts_the_question_back() {
    let site = site().await;
    let (who, b) = (&site.official, &site.bank);
    answer(&site, who, None, b.judge, json!(["错"])).await;
    site.t.app.clock.advance(DAY);
    answer(&site, who, None, b.judge, json!(["对"])).await;
    assert_eq!(book(&site, who, "").await["total"], 0);
    answer(&site, who, None, b.judge, json!(["错"])).await;
    // Wrong again today, then right later today: it stays until another day.
    answer(&site, who, None, b.judge, json!(["对"])).await;
    assert_eq!(book_ids(&book(&site, who, "").await), [b.judge]);
}

#[tokio::test]
async fn the_book_is_read_by_law_and_by_tag() {
    let site = site().await;
    let (who, b) = (&site.official, &site.bank);
    answer(&site, who, None, b.judge, json!(["错"])).await;
    site.t.app.clock.advance(60);
    answer(&site, who, None, b.fill, json!(["90日"])).await;
    let all = book(&site, who, "").await;
    assert_eq!(book_ids(&all), [b.fill, b.judge], "latest wrong answer first");
    assert_eq!(all["laws"][0]["name"], "信访工作条例");
    assert_eq!(all["laws"][0]["count"], 2);
    let tags: Vec<&str> = all["tags"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tags, ["信访/办理期限", "信访/受理"]);
    let by_tag = book(&site, who, &format!("?tag={}", crate::helpers::enc("信访/受理"))).await;
    assert_eq!(book_ids(&by_tag), [b.judge]);
    assert_eq!(by_tag["total"], 2, "the total counts the whole book");
    let by_law = book(&site, who, &format!("?law_id={}", site.law_id)).await;
    assert_eq!(book_ids(&by_law).len(), 2);
    // Weak points practise the book.
    let weak = start(&site, who, json!({ "source": "weak" })).await;
    assert_eq!(weak["total"], 2);
}
