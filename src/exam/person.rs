//! One person's record in an exam, for the administrators who manage both: their attempts
//! (with their answers, right or wrong, once the exam has closed), the evidence log of each
//! attempt and the override granted to them.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::AnyConnection;

use super::admin::managed;
use super::results::{AttemptSummary, summary};
use super::store::{self, Override};
use super::store_attempt as st;
use super::store_version as sv;
use super::view::{self, ResultView};
use super::{ExamError, model::format_time};
use crate::accounts::admin::Ctx;
use crate::accounts::store as accounts;

/// One logged event of an attempt (a visibility change, …).
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub at: i64,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonAttempt {
    pub summary: AttemptSummary,
    pub events: Vec<Event>,
    /// The graded answers with right/wrong and the key, once the exam has closed.
    pub result: Option<ResultView>,
    /// The question stems, in the order of `result.items`.
    pub stems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRecord {
    pub exam_id: i64,
    pub title: String,
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    /// Whether the exam has closed (answers are shown only then).
    pub closed: bool,
    pub closes_at: String,
    pub attempts: Vec<PersonAttempt>,
    pub override_: Option<Override>,
}

/// The record of `user_id` in an exam the actor manages. A person outside the actor's unit
/// scope is "not found", like one who does not exist.
pub async fn person_record(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
    user_id: i64,
) -> Result<PersonRecord, ExamError> {
    let row = managed(&mut *conn, ctx, exam_id).await?;
    let exam = row.exam()?;
    let user = accounts::user_by_id(&mut *conn, user_id)
        .await?
        .filter(|u| ctx.actor.can_manage_unit(&u.unit))
        .ok_or_else(|| ExamError::NotFound("用户不存在".into()))?;
    let ov = store::override_of(&mut *conn, exam_id, user_id).await?;
    // Another window granted to this person closes when it says.
    let closes = super::rules::window(&exam, &ov.clone().unwrap_or_default()).1;
    let closed = ctx.now >= closes;
    let mut attempts = Vec::new();
    for a in st::of_user(&mut *conn, user_id, Some(exam_id)).await? {
        let events = st::events(&mut *conn, a.attempt_id)
            .await?
            .into_iter()
            .map(|(at, kind, detail)| Event { at, kind, detail })
            .collect();
        let (result, stems) = if closed && a.score.is_some() {
            let items = st::items(&mut *conn, a.attempt_id).await?;
            let ids: Vec<i64> = items
                .iter()
                .map(|i| i.graded_version_id.unwrap_or(i.version_id))
                .collect();
            let keys = sv::keys(&mut *conn, &ids).await?;
            let shown: HashMap<i64, sv::Shown> = sv::shown(&mut *conn, &ids).await?;
            let stems = ids
                .iter()
                .map(|id| shown.get(id).map(|s| s.stem.clone()).unwrap_or_default())
                .collect();
            let basis = view::BasisMap::new();
            let result = view::result_view(&a, &items, true, &keys, &basis);
            (Some(result), stems)
        } else {
            (None, Vec::new())
        };
        attempts.push(PersonAttempt {
            summary: summary(&a, row.title.clone()),
            events,
            result,
            stems,
        });
    }
    Ok(PersonRecord {
        exam_id,
        title: row.title.clone(),
        user_id,
        username: user.username,
        name: user.name,
        unit: user.unit,
        closed,
        closes_at: format_time(closes),
        attempts,
        override_: ov,
    })
}
