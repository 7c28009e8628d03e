//! 补学: an absentee makes a session up after it ends with its laws as materials and a
//! 3-question check drawn from the approved bank on those laws (the practice bank's draw, so
//! questions never seen come first). Passing means at least 2 of 3 right (`MAKEUP_PASS`);
//! a failed check can be drawn again.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::TrainingError;
use super::model::{MAKEUP_PASS, MAKEUP_QUESTIONS};
use super::store::{self, LawRef, TrainingRow};
use crate::accounts::Actor;
use crate::corpus::store as laws;
use crate::exam::grade::{MultipleRule, grade};
use crate::practice::schedule::beijing_day;
use crate::practice::session::{QuestionView, approved, question_view};
use crate::practice::store::{Filter, candidates};
use crate::practice::{PracticeError, answer as given};

/// The make-up as the absentee sees it: the laws to study and the check, without keys.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MakeupView {
    pub training_id: i64,
    pub title: String,
    pub makeup_id: i64,
    pub laws: Vec<LawRef>,
    pub questions: Vec<QuestionView>,
    pub pass_mark: usize,
}

/// `{"answers": [{"question_id": 17, "answer": ["A"]}, …]}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MakeupAnswers {
    pub answers: Vec<MakeupAnswer>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MakeupAnswer {
    pub question_id: i64,
    pub answer: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MakeupResult {
    pub right: usize,
    pub total: usize,
    pub passed: bool,
    /// Hours credited by this pass (0 when failed).
    pub credited_hours: f64,
}

impl From<PracticeError> for TrainingError {
    fn from(e: PracticeError) -> Self {
        match e {
            PracticeError::Db(e) => TrainingError::Db(e),
            PracticeError::NotFound(m) => TrainingError::NotFound(m),
            other => TrainingError::Invalid(other.to_string()),
        }
    }
}

/// A session `who` may make up now: on its roster, not present, and its check-in closed.
async fn owed(
    conn: &mut AnyConnection,
    who: &Actor,
    id: i64,
    now: i64,
) -> Result<TrainingRow, TrainingError> {
    let row = store::get(&mut *conn, id)
        .await?
        .ok_or_else(|| TrainingError::NotFound("学法活动不存在".into()))?;
    if !store::on_roster(&mut *conn, id, who.user_id).await? {
        return Err(TrainingError::NotExpected(
            "您不在本次学法活动的应到人员名单中，无需补学".into(),
        ));
    }
    if store::is_present(&mut *conn, id, who.user_id).await? {
        return Err(TrainingError::Conflict(
            "您已出席（或已完成补学），无需补学".into(),
        ));
    }
    if now <= row.window().closes_at() {
        return Err(TrainingError::Conflict(
            "活动签到尚未结束，请先签到；活动结束后方可补学".into(),
        ));
    }
    Ok(row)
}

/// The open make-up check, or a new one drawn across the session's laws in turn.
#[tracing::instrument(skip_all)]
pub async fn start(
    tx: &mut AnyConnection,
    who: &Actor,
    id: i64,
    now: i64,
) -> Result<MakeupView, TrainingError> {
    let row = owed(&mut *tx, who, id, now).await?;
    let session_laws = store::laws(&mut *tx, id).await?;
    let (makeup_id, ids) = match store::open_makeup(&mut *tx, id, who.user_id).await? {
        Some(m) => (m.makeup_id, m.ids()),
        None => {
            let ids = draw(&mut *tx, who.user_id, &session_laws, now).await?;
            (
                store::insert_makeup(&mut *tx, id, who.user_id, &ids, now).await?,
                ids,
            )
        }
    };
    let mut questions = Vec::with_capacity(ids.len());
    for q in ids {
        questions.push(question_view(&approved(&mut *tx, q).await?));
    }
    Ok(MakeupView {
        training_id: id,
        title: row.title,
        makeup_id,
        laws: session_laws,
        questions,
        pass_mark: MAKEUP_PASS,
    })
}

/// Three approved questions on the laws, taking from each law in turn.
async fn draw(
    conn: &mut AnyConnection,
    user_id: i64,
    session_laws: &[LawRef],
    now: i64,
) -> Result<Vec<i64>, TrainingError> {
    let today = beijing_day(now);
    let mut per_law = Vec::new();
    for l in session_laws {
        if let Some(law) = laws::get_law(&mut *conn, l.law_id).await? {
            let filter = Filter::Statute(law.statute_id);
            per_law.push(candidates(&mut *conn, user_id, today, &filter, MAKEUP_QUESTIONS).await?);
        }
    }
    let mut picked = Vec::new();
    for round in 0..MAKEUP_QUESTIONS {
        for ids in &per_law {
            if let Some(q) = ids.get(round)
                && picked.len() < MAKEUP_QUESTIONS
                && !picked.contains(q)
            {
                picked.push(*q);
            }
        }
    }
    if picked.len() < MAKEUP_QUESTIONS {
        return Err(TrainingError::Conflict(format!(
            "题库中本次活动所学法规的已审核题目不足 {MAKEUP_QUESTIONS} 道，暂不能补学，请联系管理员"
        )));
    }
    Ok(picked)
}

/// Grades the open check; a pass marks the session made up (present, `makeup`).
#[tracing::instrument(skip_all)]
pub async fn submit(
    tx: &mut AnyConnection,
    who: &Actor,
    id: i64,
    answers: &MakeupAnswers,
    now: i64,
) -> Result<MakeupResult, TrainingError> {
    let row = owed(&mut *tx, who, id, now).await?;
    let makeup = store::open_makeup(&mut *tx, id, who.user_id)
        .await?
        .ok_or_else(|| TrainingError::Conflict("请先开始补学，再提交答案".into()))?;
    let ids = makeup.ids();
    let mut right = 0;
    for q in &ids {
        let a = answers
            .answers
            .iter()
            .find(|a| a.question_id == *q)
            .ok_or_else(|| TrainingError::invalid("请回答全部题目后再提交"))?;
        let d = approved(&mut *tx, *q).await?;
        let response = given::parse(d.summary.qtype, d.options.len(), &d.answer, &a.answer)?;
        if grade(&d.answer, Some(&response), MultipleRule::AllOrNothing).correct {
            right += 1;
        }
    }
    let passed = right >= MAKEUP_PASS;
    store::finish_makeup(&mut *tx, makeup.makeup_id, right as i64, passed, now).await?;
    if passed {
        store::set_attendance(&mut *tx, id, who.user_id, true, "makeup", "", now).await?;
    }
    Ok(MakeupResult {
        right,
        total: ids.len(),
        passed,
        credited_hours: if passed {
            row.credited_minutes as f64 / 60.0
        } else {
            0.0
        },
    })
}
