//! Papers in progress read beside the writer: resuming needs no unit of work until the
//! deadline has passed; then the caller goes through `attempt`, which closes the attempt.

use sqlx::AnyConnection;

use super::ExamError;
use super::attempt::{open_exam, owned, paper_of};
use super::store;
use super::store_attempt as st;
use super::view::PaperView;
use crate::accounts::Actor;

/// The paper of this person's attempt while it is in progress before its deadline; None
/// otherwise (then [`super::attempt::state`] shows or closes it).
pub async fn paper(
    conn: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Option<PaperView>, ExamError> {
    let a = owned(&mut *conn, attempt_id, user_id).await?;
    if !a.in_progress() || now >= a.deadline {
        return Ok(None);
    }
    let title = store::get(&mut *conn, a.exam_id)
        .await?
        .map(|r| r.title)
        .unwrap_or_default();
    Ok(Some(paper_of(&mut *conn, &a, &title, now).await?))
}

/// The paper of this person's attempt in progress at an exam, before its deadline; None when
/// there is none (then [`super::attempt::start`] starts one).
pub async fn open_paper(
    conn: &mut AnyConnection,
    exam_id: i64,
    actor: &Actor,
    now: i64,
) -> Result<Option<PaperView>, ExamError> {
    let (row, _) = open_exam(&mut *conn, exam_id, actor).await?;
    let mine = st::of_user(&mut *conn, actor.user_id, Some(exam_id)).await?;
    match mine.iter().find(|a| a.in_progress() && now < a.deadline) {
        Some(a) => Ok(Some(paper_of(&mut *conn, a, &row.title, now).await?)),
        None => Ok(None),
    }
}
