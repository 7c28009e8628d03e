//! Sitting an exam: starting (or resuming) an attempt, saving answers as they are given,
//! submitting, and the server closing an attempt at its deadline. Every close goes through
//! [`close`], which grades with the pure `grade` function.

use sqlx::AnyConnection;

use super::blueprint::{self, BankEntry};
use super::model::Exam;
use super::rules::{deadline, eligible, review_allowed, window};
use super::store::{self, ExamRow};
use super::store_attempt::{self as st, AttemptRow, NewAttempt};
use super::store_version as sv;
use super::view::{self, PaperView, ResultView};
use super::{ExamError, GradedAttempt, grade, paper};
use crate::accounts::Actor;
use crate::bank::model::QuestionType;
use crate::db::is_unique_violation;

const NOT_FOUND: &str = "考试不存在，或您不在本场考试的范围内";
pub(super) const NO_ATTEMPT: &str = "答卷不存在";
pub(super) const NOT_ON_PAPER: &str = "试卷中没有这道题";
/// Evidence events one attempt may log (enough for a whole sitting; a script cannot fill
/// the table).
const MAX_EVENTS: i64 = 2000;

/// A published exam this person may sit, with its definition.
pub(super) async fn open_exam(
    conn: &mut AnyConnection,
    exam_id: i64,
    actor: &Actor,
) -> Result<(ExamRow, Exam), ExamError> {
    let row = store::get(&mut *conn, exam_id)
        .await?
        .filter(ExamRow::published)
        .ok_or_else(|| ExamError::NotFound(NOT_FOUND.into()))?;
    let exam = row.exam()?;
    if !eligible(&row, &exam, actor) {
        return Err(ExamError::NotFound(NOT_FOUND.into()));
    }
    Ok((row, exam))
}

/// A started or resumed attempt.
pub struct Started {
    pub paper: PaperView,
    /// A new attempt (not the one in progress).
    pub new: bool,
    /// An attempt left past its deadline was closed and graded first (it may earn a
    /// certificate).
    pub closed: bool,
}

/// Starts an attempt, or resumes the one in progress. `seed` is used for a new paper only,
/// drawn from `bank` (the approved bank, read by the caller beside the writer: see
/// `bank_cache`).
#[tracing::instrument(skip_all)]
pub async fn start(
    tx: &mut AnyConnection,
    exam_id: i64,
    actor: &Actor,
    now: i64,
    seed: u64,
    bank: &[BankEntry],
) -> Result<Started, ExamError> {
    let (row, exam) = open_exam(&mut *tx, exam_id, actor).await?;
    let mine = st::of_user(&mut *tx, actor.user_id, Some(exam_id)).await?;
    let mut closed = false;
    if let Some(open) = mine.iter().find(|a| a.in_progress()) {
        if now < open.deadline {
            let paper = paper_of(&mut *tx, open, &row.title, now).await?;
            return Ok(Started {
                paper,
                new: false,
                closed,
            });
        }
        if st::lock_open(&mut *tx, open.attempt_id).await?.is_some() {
            close(&mut *tx, open, now).await?;
            closed = true;
        }
    }
    let ov = store::override_of(&mut *tx, exam_id, actor.user_id)
        .await?
        .unwrap_or_default();
    let (opens, closes) = window(&exam, &ov);
    if now < opens {
        return Err(ExamError::Conflict("考试尚未开始".into()));
    }
    if now >= closes {
        return Err(ExamError::Conflict("考试已结束".into()));
    }
    let allowed = exam.max_attempts + ov.extra_attempts;
    if mine.len() as i64 >= allowed {
        return Err(ExamError::Conflict(format!(
            "本场考试最多可考 {allowed} 次，您已用完"
        )));
    }
    let seen = st::seen_questions(&mut *tx, exam_id, actor.user_id).await?;
    let pools = blueprint::pools(&exam, bank, &seen);
    let items = paper::draw(&pools, exam.shuffle, seed)
        .map_err(|short| ExamError::Conflict(paper::Shortfall::message(&short)))?;
    let new = NewAttempt {
        exam_id,
        user_id: actor.user_id,
        attempt_no: mine.len() as i64 + 1,
        seed,
        now,
        deadline: deadline(&exam, &ov, now),
        max_score: items.iter().map(|i| i.points).sum(),
        paper: &items,
    };
    let attempt_id = st::insert(&mut *tx, &new).await.map_err(|e| {
        if is_unique_violation(&e) {
            ExamError::Conflict("您已有一份进行中的答卷，请刷新后继续作答".into())
        } else {
            e.into()
        }
    })?;
    let a = owned(&mut *tx, attempt_id, actor.user_id).await?;
    let paper = paper_of(&mut *tx, &a, &row.title, now).await?;
    Ok(Started {
        paper,
        new: true,
        closed,
    })
}

pub(super) async fn paper_of(
    conn: &mut AnyConnection,
    a: &AttemptRow,
    title: &str,
    now: i64,
) -> Result<PaperView, ExamError> {
    let items = st::items(&mut *conn, a.attempt_id).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.version_id).collect();
    let shown = sv::shown(&mut *conn, &ids).await?;
    Ok(view::paper_view(a, title, &items, &shown, now))
}

/// This person's attempt; someone else's is as missing as one that does not exist.
pub(super) async fn owned(
    conn: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
) -> Result<AttemptRow, ExamError> {
    st::get(&mut *conn, attempt_id)
        .await?
        .filter(|a| a.user_id == user_id)
        .ok_or_else(|| ExamError::NotFound(NO_ATTEMPT.into()))
}

/// An attempt as its owner sees it now: the paper while in progress, else the result.
/// An attempt past its deadline is closed first.
pub enum AttemptState {
    InProgress(PaperView),
    Finished(ResultView),
}

pub async fn state(
    tx: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    now: i64,
) -> Result<AttemptState, ExamError> {
    let mut a = owned(&mut *tx, attempt_id, user_id).await?;
    if a.in_progress() && now >= a.deadline && st::lock_open(&mut *tx, attempt_id).await?.is_some()
    {
        close(&mut *tx, &a, now).await?;
        a = owned(&mut *tx, attempt_id, user_id).await?;
    }
    if a.in_progress() {
        let row = store::get(&mut *tx, a.exam_id).await?;
        let title = row.map(|r| r.title).unwrap_or_default();
        return Ok(AttemptState::InProgress(
            paper_of(&mut *tx, &a, &title, now).await?,
        ));
    }
    Ok(AttemptState::Finished(result_of(&mut *tx, &a, now).await?))
}

/// An answer (and/or the review flag) as the taker sends it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// Option keys (`["A", "C"]`), `["对"]`/`["错"]`, or one text per blank; `[]` clears.
    /// Absent: the answer stays as it is.
    pub answer: Option<Vec<String>>,
    pub flagged: Option<bool>,
}

pub enum Saved {
    /// Stored: what is on record now for the question.
    Stored {
        answer: Option<Vec<String>>,
        flagged: bool,
        /// The attempt's deadline (unix seconds): the page's countdown resyncs on it.
        deadline: i64,
    },
    /// The deadline had passed: nothing stored, and the attempt is now closed and graded.
    TooLate(GradedAttempt),
}

pub const TOO_LATE: &str = "考试时间已到，此答案未保存；系统已按截止前保存的答案评分";
pub const FINISHED: &str = "本次考试已交卷，答案不能再修改";

#[tracing::instrument(skip_all)]
pub async fn save(
    tx: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    question_id: i64,
    input: &AnswerInput,
    now: i64,
) -> Result<Saved, ExamError> {
    let a = owned(&mut *tx, attempt_id, user_id).await?;
    let Some(deadline) = st::lock_open(&mut *tx, attempt_id).await? else {
        return Err(ExamError::Conflict(FINISHED.into()));
    };
    if now >= deadline {
        return Ok(Saved::TooLate(close(&mut *tx, &a, now).await?));
    }
    let items = st::items(&mut *tx, attempt_id).await?;
    let item = items
        .iter()
        .find(|i| i.question_id == question_id)
        .ok_or_else(|| ExamError::NotFound(NOT_ON_PAPER.into()))?;
    let shown = sv::shown(&mut *tx, &[item.version_id]).await?;
    let s = shown
        .get(&item.version_id)
        .ok_or_else(|| ExamError::NotFound(NOT_ON_PAPER.into()))?;
    let answer = stored_form(&s.qtype, item.order().len(), input)?;
    st::save_answer(
        &mut *tx,
        attempt_id,
        question_id,
        answer.as_ref().map(|a| a.as_deref()),
        input.flagged,
        now,
    )
    .await?;
    let stored = match answer {
        Some(a) => a.and_then(|a| serde_json::from_str(&a).ok()),
        None => item.given(),
    };
    Ok(Saved::Stored {
        answer: stored,
        flagged: input.flagged.unwrap_or(item.flagged != 0),
        deadline,
    })
}

/// The answer of `input` as stored: None keeps the saved one, Some(None) clears it.
pub(super) fn stored_form(
    qtype: &str,
    option_count: usize,
    input: &AnswerInput,
) -> Result<Option<Option<String>>, ExamError> {
    let qtype = QuestionType::parse(qtype).unwrap_or(QuestionType::Fill);
    Ok(match &input.answer {
        Some(given) => {
            let checked = view::checked_answer(qtype, option_count, given)?;
            Some((!checked.is_empty()).then(|| serde_json::to_string(&checked).unwrap_or_default()))
        }
        None => None,
    })
}

/// Submits and grades; a second submit returns the same result without grading again.
#[tracing::instrument(skip_all)]
pub async fn submit(
    tx: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(ResultView, Option<GradedAttempt>), ExamError> {
    let a = owned(&mut *tx, attempt_id, user_id).await?;
    let graded = if st::lock_open(&mut *tx, attempt_id).await?.is_some() {
        Some(close(&mut *tx, &a, now).await?)
    } else {
        None
    };
    let a = owned(&mut *tx, attempt_id, user_id).await?;
    Ok((result_of(&mut *tx, &a, now).await?, graded))
}

/// Closes an attempt whose deadline has passed (the sweep); None when it was closed already.
pub async fn expire(
    tx: &mut AnyConnection,
    attempt_id: i64,
    now: i64,
) -> Result<Option<GradedAttempt>, ExamError> {
    let Some(a) = st::get(&mut *tx, attempt_id).await? else {
        return Ok(None);
    };
    match st::lock_open(&mut *tx, attempt_id).await? {
        Some(deadline) if deadline <= now => Ok(Some(close(&mut *tx, &a, now).await?)),
        _ => Ok(None),
    }
}

async fn result_of(
    conn: &mut AnyConnection,
    a: &AttemptRow,
    now: i64,
) -> Result<ResultView, ExamError> {
    let exam = store::get(&mut *conn, a.exam_id)
        .await?
        .ok_or_else(|| ExamError::NotFound(NOT_FOUND.into()))?
        .exam()?;
    let items = st::items(&mut *conn, a.attempt_id).await?;
    let review = review_allowed(&exam, now);
    let (keys, basis) = if review {
        let ids: Vec<i64> = items
            .iter()
            .map(|i| i.graded_version_id.unwrap_or(i.version_id))
            .collect();
        (
            sv::keys(&mut *conn, &ids).await?,
            sv::basis(&mut *conn, &ids).await?,
        )
    } else {
        Default::default()
    };
    Ok(view::result_view(a, &items, review, &keys, &basis))
}

/// Grades every item of an attempt with the key of `version_of(item)`: (seq, version, earned).
pub async fn grade_items(
    conn: &mut AnyConnection,
    exam: &Exam,
    items: &[st::ItemRow],
    version_of: impl Fn(&st::ItemRow) -> i64,
) -> Result<Vec<(i64, i64, i64)>, ExamError> {
    let ids: Vec<i64> = items.iter().map(&version_of).collect();
    let keys = sv::keys(&mut *conn, &ids).await?;
    Ok(items
        .iter()
        .map(|item| {
            let v = version_of(item);
            let earned = keys.get(&v).map_or(0, |k| {
                let given = item.given().unwrap_or_default();
                let r = view::response(k.qtype, &item.order(), &given);
                let g = grade::grade(&k.answer, r.as_ref(), exam.multiple);
                (item.points as f64 * g.credit).round() as i64
            });
            (item.seq, v, earned)
        })
        .collect())
}

/// Closes an attempt the caller has locked (`lock_open`) and grades what was saved: the one
/// place every attempt becomes graded (submit, deadline, sweep). A passed `qualification`
/// attempt is known here, inside the grading transaction: the point to issue its
/// enforcement certificate.
pub async fn close(
    tx: &mut AnyConnection,
    a: &AttemptRow,
    now: i64,
) -> Result<GradedAttempt, ExamError> {
    let exam = store::get(&mut *tx, a.exam_id)
        .await?
        .ok_or_else(|| ExamError::NotFound(NOT_FOUND.into()))?
        .exam()?;
    let items = st::items(&mut *tx, a.attempt_id).await?;
    let graded = grade_items(&mut *tx, &exam, &items, |i| i.version_id).await?;
    st::set_item_grades(&mut *tx, a.attempt_id, &graded).await?;
    let score: i64 = graded.iter().map(|g| g.2).sum();
    let passed = score >= exam.pass_score;
    let (status, at) = if now >= a.deadline {
        ("expired", a.deadline)
    } else {
        ("submitted", now)
    };
    st::set_result(&mut *tx, a.attempt_id, status, at, score, passed).await?;
    Ok(GradedAttempt {
        attempt_id: a.attempt_id,
        exam_id: a.exam_id,
        user_id: a.user_id,
        score,
        max_score: a.max_score,
        passed,
        kind: exam.kind,
    })
}

/// Logs a visibility change or similar event on an attempt in progress, as evidence for the
/// administrator (never an automatic fail).
pub async fn log_event(
    tx: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    kind: &str,
    detail: &str,
    now: i64,
) -> Result<(), ExamError> {
    const KINDS: [&str; 6] = ["hidden", "visible", "blur", "focus", "offline", "online"];
    if !KINDS.contains(&kind) {
        return Err(ExamError::invalid(format!(
            "事件类型须是 {} 之一",
            KINDS.join("、")
        )));
    }
    if detail.chars().count() > 200 {
        return Err(ExamError::invalid("事件说明不能超过 200 个字"));
    }
    owned(&mut *tx, attempt_id, user_id).await?;
    if st::lock_open(&mut *tx, attempt_id).await?.is_none() {
        return Err(ExamError::Conflict(FINISHED.into()));
    }
    if st::events(&mut *tx, attempt_id).await?.len() as i64 >= MAX_EVENTS {
        return Err(ExamError::Conflict("本次考试记录的事件过多".into()));
    }
    st::add_event(&mut *tx, attempt_id, now, kind, detail).await?;
    Ok(())
}
