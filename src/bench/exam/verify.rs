//! The proof: every answer a taker got a 200 for is in the database as it was sent, after
//! everything the run did to the server (a SIGKILL included), and every taker who got a
//! result for the submit has a submitted attempt.

use std::collections::HashMap;

use super::taker::Outcome;
use crate::db::Db;
use crate::exam::store_attempt as st;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Check {
    /// Acknowledged answers, and those missing or different in the database.
    pub acked: usize,
    pub lost: usize,
    /// Takers whose submit was answered 200, and those whose attempt is not submitted.
    pub submitted: usize,
    pub not_submitted: usize,
    /// Attempts of the exam in the database.
    pub attempts: usize,
    /// The first few losses, for the report.
    pub examples: Vec<String>,
}

pub async fn check(url: &str, exam_id: i64, outcomes: &[Outcome]) -> anyhow::Result<Check> {
    let db = Db::connect(url).await?;
    let mut c = Check {
        attempts: st::of_exam(&db.pool, exam_id).await?.len(),
        ..Check::default()
    };
    for o in outcomes {
        let Some(attempt_id) = o.attempt_id else {
            c.lost += o.acked.len();
            continue;
        };
        let stored: HashMap<i64, Option<Vec<String>>> = st::items(&db.pool, attempt_id)
            .await?
            .into_iter()
            .map(|i| (i.question_id, i.given()))
            .collect();
        for (qid, answer) in &o.acked {
            c.acked += 1;
            if stored.get(qid).and_then(|a| a.as_ref()) != Some(answer) {
                c.lost += 1;
                if c.examples.len() < 5 {
                    c.examples.push(format!(
                        "attempt {attempt_id} question {qid}: acknowledged {answer:?}, stored {:?}",
                        stored.get(qid)
                    ));
                }
            }
        }
        if o.submitted_at.is_some() {
            c.submitted += 1;
            let status = st::get(&db.pool, attempt_id).await?.map(|a| a.status);
            if status.as_deref() != Some("submitted") {
                c.not_submitted += 1;
            }
        }
    }
    db.pool.close().await;
    Ok(c)
}
