//! Spaced repetition with an injected clock: intervals grow on right answers and reset on a
//! wrong one; the daily queue is what is due, then unseen questions, ten by default; finishing
//! it on consecutive Beijing days builds the streak shown on /me.

use serde_json::{Value, json};
use xuefa::accounts::Actor;
use xuefa::accounts::admin::Ctx;
use xuefa::bank::admin;
use xuefa::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};

use super::support::*;
use crate::accounts_support::page;

#[tokio::test]
async fn intervals_grow_on_right_answers_reset_on_wrong_ones_and_set_the_due_day() {
    let site = site().await;
    let (who, q) = (&site.official, site.bank.judge);
    let clock = &site.t.app.clock;
    let mut intervals = Vec::new();
    for _ in 0..3 {
        let f = answer(&site, who, None, q, json!(["对"])).await;
        let days = f["interval_days"].as_i64().unwrap();
        intervals.push(days);
        assert_eq!(today(&site, who).await["due"], 0, "not due the day it was answered");
        clock.advance((days - 1) * DAY);
        assert_eq!(today(&site, who).await["due"], 0, "not due the day before");
        clock.advance(DAY);
        assert_eq!(today(&site, who).await["due"], 1, "due after {days} days");
    }
    assert_eq!(intervals, [1, 6, 15]);
    // Answering again before it is due earns nothing; a wrong answer starts over at one day.
    let f = answer(&site, who, None, q, json!(["错"])).await;
    assert_eq!(f["interval_days"], 1);
    assert_eq!(today(&site, who).await["due"], 0);
    clock.advance(DAY);
    let daily = start(&site, who, json!({ "source": "daily" })).await;
    assert_eq!(daily["question"]["question_id"], q, "the due question comes first");
}

#[tokio::test]
async fn a_right_answer_before_the_due_day_does_not_grow_the_interval() {
    let site = site().await;
    let (who, q) = (&site.official, site.bank.single);
    answer(&site, who, None, q, json!(["C"])).await;
    site.t.app.clock.advance(DAY);
    assert_eq!(answer(&site, who, None, q, json!(["C"])).await["interval_days"], 6);
    site.t.app.clock.advance(2 * DAY);
    assert_eq!(answer(&site, who, None, q, json!(["C"])).await["interval_days"], 6);
}

async fn more_questions(site: &Site, n: usize) {
    let actor = Actor::command_line();
    let ctx = Ctx { actor: &actor, ip: "test", now: crate::helpers::T0 };
    for i in 0..n {
        let d = QuestionDraft {
            qtype: QuestionType::Judge,
            stem: format!("第{i}道补充判断题：信访工作坚持属地管理。"),
            options: vec![],
            answer: Answer::Judge { correct: true },
            explanation: String::new(),
            basis: vec![Basis {
                law_id: site.law_id,
                law_title: "信访工作条例".into(),
                article_no: 4,
                article_sub: 0,
                article_label: String::new(),
            }],
            difficulty: 1,
            tags: vec![],
            origin: Origin::Authored,
        };
        site.t
            .write(async |tx| admin::create(tx, &ctx, &d, Status::Approved).await)
            .await
            .expect("create question");
    }
}

/// Answers every question of a session right; returns their ids in order.
async fn finish(site: &Site, who: &crate::accounts_support::Session, mut v: Value) -> Vec<i64> {
    let session = v["session_id"].as_i64().expect("session");
    let mut ids = Vec::new();
    while !v["question"].is_null() {
        let q = v["question"]["question_id"].as_i64().unwrap();
        ids.push(q);
        let given = if site.bank.all().contains(&q) { right(&site.bank, q) } else { json!(["对"]) };
        v = answer(site, who, Some(session), q, given).await["session"].clone();
    }
    ids
}

#[tokio::test]
async fn the_daily_queue_is_due_questions_first_then_unseen_ones_ten_in_all() {
    let site = site().await;
    more_questions(&site, 10).await;
    let who = &site.official;
    let b = &site.bank;
    assert_eq!(today(&site, who).await["queue"], 10);
    answer(&site, who, None, b.fill, json!(["60日"])).await;
    answer(&site, who, None, b.judge, json!(["错"])).await;
    site.t.app.clock.advance(DAY);
    let summary = today(&site, who).await;
    assert_eq!((&summary["due"], &summary["queue"], &summary["size"]), (&json!(2), &json!(10), &json!(10)));
    let daily = start(&site, who, json!({ "source": "daily" })).await;
    assert_eq!(daily["total"], 10);
    let ids = finish(&site, who, daily).await;
    assert_eq!(ids.len(), 10);
    let mut first_two = ids[..2].to_vec();
    first_two.sort_unstable();
    assert_eq!(first_two, [b.judge, b.fill], "due questions first: {ids:?}");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 10, "no repeats");
    // The rest were never answered before: the other two of the four, then bank order.
    assert!(ids[2..].contains(&b.single) && ids[2..].contains(&b.multiple));
    let small = start(&site, who, json!({ "source": "daily", "limit": 3 })).await;
    assert_eq!(small["total"], 2, "only the two unseen questions left are due or new");
}

#[tokio::test]
async fn the_streak_counts_consecutive_beijing_days_with_a_finished_daily_practice() {
    let site = site().await;
    let who = &site.official;
    let clock = &site.t.app.clock;
    let streak = async || today(&site, who).await["streak"].as_i64().unwrap();
    assert_eq!(streak().await, 0);
    let daily = start(&site, who, json!({ "source": "daily" })).await;
    // Half a daily practice is not a finished one.
    let s = daily["session_id"].as_i64().unwrap();
    let q = daily["question"]["question_id"].as_i64().unwrap();
    let next = answer(&site, who, Some(s), q, right(&site.bank, q)).await["session"].clone();
    assert_eq!(streak().await, 0);
    finish(&site, who, next).await;
    assert_eq!((streak().await, today(&site, who).await["done_today"].clone()), (1, json!(true)));
    clock.advance(DAY);
    assert_eq!(streak().await, 1, "yesterday's still counts before today's is done");
    finish(&site, who, start(&site, who, json!({ "source": "daily" })).await).await;
    assert_eq!(streak().await, 2);
    // Something to review after the missed day.
    answer(&site, who, None, site.bank.judge, json!(["错"])).await;
    clock.advance(2 * DAY);
    assert_eq!(streak().await, 0, "a day was missed");
    finish(&site, who, start(&site, who, json!({ "source": "daily" })).await).await;
    assert_eq!(streak().await, 1);
    let (_, _, me) = page(&site.t.router, "/me", Some(who), None).await;
    assert!(me.contains("id=\"me-streak\">1</strong>"), "{me}");
}
