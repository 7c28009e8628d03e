//! Closing attempts whose deadline passed while nobody touched them (a closed browser, a
//! dead phone). Like a handler, this owns its units of work: one per attempt, so one bad
//! attempt never holds up the others.

use super::{ExamError, GradedAttempt, attempt, store_attempt};
use crate::db::Db;

/// Attempts closed per sweep at most; the rest wait for the next one.
const BATCH: i64 = 500;

/// Closes and grades every overdue attempt (up to `BATCH`); returns what was graded.
pub async fn close_overdue(db: &Db, now: i64) -> Result<Vec<GradedAttempt>, ExamError> {
    let ids = store_attempt::overdue(&db.pool, now, BATCH).await?;
    let mut graded = Vec::with_capacity(ids.len());
    for id in ids {
        let mut tx = db.write().await?;
        if let Some(g) = attempt::expire(&mut tx, id, now).await? {
            graded.push(g);
        }
        tx.commit().await?;
    }
    Ok(graded)
}
