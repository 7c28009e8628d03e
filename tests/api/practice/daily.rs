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
    let mut site = site().await;
    let q = site.bank.judge;
    let mut intervals = Vec::new();
    for _ in 0..3 {
        let f = answer(&site, &site.official, None, q, json!(["对"])).await;
        let days = f["interval_days"].as_i64().unwrap();
        intervals.push(days);
        assert_eq!(
            today(&site, &site.official).await["due"],
            0,
            "not due the day it was answered"
        );
        site.later((days - 1) * DAY).await;
        assert_eq!(
            today(&site, &site.official).await["due"],
            0,
            "not due the day before"
        );
        site.later(DAY).await;
        assert_eq!(
            today(&site, &site.official).await["due"],
            1,
            "due after {days} days"
        );
    }
    assert_eq!(intervals, [1, 6, 15]);
    // Answering again before it is due earns nothing; a wrong answer starts over at one day.
    let f = answer(&site, &site.official, None, q, json!(["错"])).await;
    assert_eq!(f["interval_days"], 1);
    assert_eq!(today(&site, &site.official).await["due"], 0);
    site.later(DAY).await;
    let daily = start(&site, &site.official, json!({ "source": "daily" })).await;
    assert_eq!(
        daily["question"]["question_id"], q,
        "the due question comes first"
    );
}

#[tokio::test]
async fn a_right_answer_before_the_due_day_does_not_grow_the_interval() {
    let mut site = site().await;
    let q = site.bank.single;
    answer(&site, &site.official, None, q, json!(["C"])).await;
    site.later(DAY).await;
    assert_eq!(
        answer(&site, &site.official, None, q, json!(["C"])).await["interval_days"],
        6
    );
    site.later(2 * DAY).await;
    assert_eq!(
        answer(&site, &site.official, None, q, json!(["C"])).await["interval_days"],
        6
    );
}

async fn more_questions(site: &Site, n: usize) {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "test",
        now: crate::helpers::T0,
    };
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
async fn finish(site: &Site, mut v: Value) -> Vec<i64> {
    let session = v["session_id"].as_i64().expect("session");
    let mut ids = Vec::new();
    while !v["question"].is_null() {
        let q = v["question"]["question_id"].as_i64().unwrap();
        ids.push(q);
        let given = if site.bank.all().contains(&q) {
            right(&site.bank, q)
        } else {
            json!(["对"])
        };
        v = answer(site, &site.official, Some(session), q, given).await["session"].clone();
    }
    ids
}

#[tokio::test]
async fn the_daily_queue_is_due_questions_first_then_unseen_ones_ten_in_all() {
    let mut site = site().await;
    more_questions(&site, 10).await;
    assert_eq!(today(&site, &site.official).await["queue"], 10);
    answer(&site, &site.official, None, site.bank.fill, json!(["60日"])).await;
    answer(&site, &site.official, None, site.bank.judge, json!(["错"])).await;
    site.later(DAY).await;
    let summary = today(&site, &site.official).await;
    assert_eq!(
        (&summary["due"], &summary["queue"], &summary["size"]),
        (&json!(2), &json!(10), &json!(10))
    );
    let daily = start(&site, &site.official, json!({ "source": "daily" })).await;
    assert_eq!(daily["total"], 10);
    let ids = finish(&site, daily).await;
    assert_eq!(ids.len(), 10);
    let mut first_two = ids[..2].to_vec();
    first_two.sort_unstable();
    assert_eq!(
        first_two,
        [site.bank.judge, site.bank.fill],
        "due questions first: {ids:?}"
    );
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 10, "no repeats");
    // The rest were never answered before: the other two of the four, then bank order.
    assert!(ids[2..].contains(&site.bank.single) && ids[2..].contains(&site.bank.multiple));
    let small = start(
        &site,
        &site.official,
        json!({ "source": "daily", "limit": 3 }),
    )
    .await;
    assert_eq!(
        small["total"], 3,
        "a limit of 3 of the four never-answered questions left"
    );
    let rest = start(&site, &site.official, json!({ "source": "daily" })).await;
    assert_eq!(
        rest["total"], 4,
        "nothing is due again today: only the four unseen ones"
    );
}

async fn streak(site: &Site) -> i64 {
    today(site, &site.official).await["streak"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_streak_counts_consecutive_beijing_days_with_a_finished_daily_practice() {
    let mut site = site().await;
    assert_eq!(streak(&site).await, 0);
    let daily = start(&site, &site.official, json!({ "source": "daily" })).await;
    // Half a daily practice is not a finished one.
    let s = daily["session_id"].as_i64().unwrap();
    let q = daily["question"]["question_id"].as_i64().unwrap();
    let next =
        answer(&site, &site.official, Some(s), q, right(&site.bank, q)).await["session"].clone();
    assert_eq!(streak(&site).await, 0);
    finish(&site, next).await;
    assert_eq!(
        (
            streak(&site).await,
            today(&site, &site.official).await["done_today"].clone()
        ),
        (1, json!(true))
    );
    site.later(DAY).await;
    assert_eq!(
        streak(&site).await,
        1,
        "yesterday's still counts before today's is done"
    );
    finish(
        &site,
        start(&site, &site.official, json!({ "source": "daily" })).await,
    )
    .await;
    assert_eq!(streak(&site).await, 2);
    // Something to review after the missed day.
    answer(&site, &site.official, None, site.bank.judge, json!(["错"])).await;
    site.later(2 * DAY).await;
    assert_eq!(streak(&site).await, 0, "a day was missed");
    finish(
        &site,
        start(&site, &site.official, json!({ "source": "daily" })).await,
    )
    .await;
    assert_eq!(streak(&site).await, 1);
    let (_, _, me) = page(&site.t.router, "/me", Some(&site.official), None).await;
    assert!(me.contains("id=\"me-streak\">1</strong>"), "{me}");
}
