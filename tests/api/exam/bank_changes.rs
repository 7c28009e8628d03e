//! Papers are drawn from a cached copy of the approved bank: a change to the bank (a question
//! retired, approved or edited) reaches the next paper drawn.

use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::admin;
use xuefa::bank::model::QuestionType;

use super::support::*;

fn stems(paper: &Value) -> Vec<String> {
    let mut s: Vec<String> = paper["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["stem"].as_str().expect("stem").to_string())
        .collect();
    s.sort();
    s
}

#[tokio::test]
async fn a_retired_approved_or_edited_question_reaches_the_next_paper() {
    let site = exam_site().await;
    let ids = add_questions(&site, QuestionType::Single, 3, "缓存").await;
    let sections = json!([{"name": "单选题", "tags": ["缓存"], "count": 3, "points": 40}]);
    let exam_id = published_exam(&site, definition(sections, json!({}))).await;
    let (_, first) = start(&site, &site.officer, exam_id).await;
    let before = stems(&first);
    assert_eq!(before.len(), 3, "{first}");

    // Retire one and add another: the next officer's paper has the new one, not the retired.
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: T0,
    };
    let retired = site
        .t
        .write(async |tx| admin::retire(tx, &ctx, &ids[..1]).await)
        .await
        .expect("retire");
    assert_eq!(retired, 1);
    add_questions(&site, QuestionType::Single, 1, "缓存").await;
    let second = another_officer(&site, "officer2").await;
    let (_, paper) = start(&site, &second, exam_id).await;
    let after = stems(&paper);
    assert_eq!(after.len(), 3, "{paper}");
    let gone: Vec<&String> = before.iter().filter(|s| !after.contains(s)).collect();
    assert_eq!(
        gone.len(),
        1,
        "the retired question left the draw: {before:?} → {after:?}"
    );

    // Edit one of them: the next paper shows the new version's stem.
    let mut conn = site.t.app.db.read().await.expect("connection");
    let (qid, current): (i64, i64) = sqlx::query_as(
        "select question_id, current_version_id from question \
         where status = 'approved' order by question_id desc limit 1",
    )
    .fetch_one(&mut *conn)
    .await
    .expect("a question");
    drop(conn);
    let mut d = draft(QuestionType::Single, 9_999, site.law_id, "缓存");
    d.stem = "单选第9999题：修改后的题干，信访工作应当坚持什么？".into();
    site.t
        .write(async |tx| admin::edit(tx, &ctx, qid, current, &d).await)
        .await
        .expect("edit");
    let third = another_officer(&site, "officer3").await;
    let (_, paper) = start(&site, &third, exam_id).await;
    assert!(
        stems(&paper).contains(&d.stem),
        "the edited stem is on the next paper: {paper}"
    );
}
