//! Practice sessions: choosing the questions of a source, showing them one at a time without
//! their key, and taking an answer: graded, scheduled, filed in the wrong-answer book, and
//! answered with the key, the explanation and the basis articles.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::schedule::{Card, beijing_day};
use super::source::{Source, SourceRequest};
use super::store::{self, Filter, NewAnswer};
use super::{Choice, PracticeError, answer as given, choices, type_label};
use crate::bank::model::{QuestionType, Status};
use crate::bank::store::{self as bank, QuestionDetail};
use crate::corpus::numerals::{anchor, article_label};
use crate::corpus::store as laws;
use crate::exam::grade::{MultipleRule, grade};

const NO_QUESTION: &str = "题目不存在或未发布";
const NO_SESSION: &str = "练习不存在";

/// A question as shown before it is answered: never its key, explanation or basis.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub question_id: i64,
    #[serde(rename = "type")]
    pub qtype: String,
    /// 单选, 多选, 判断, 填空
    pub type_label: String,
    pub stem: String,
    pub options: Vec<Choice>,
    /// How many texts a fill question takes (0 for other types).
    pub blanks: usize,
}

/// Where a session stands and the question to answer next (none when it is finished).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// None when the source had no questions (no session is kept then).
    pub session_id: Option<i64>,
    pub source: String,
    /// What is practised, e.g. 《信访工作条例》第二十二条, 今日复习.
    pub title: String,
    pub total: usize,
    pub answered: usize,
    pub question: Option<QuestionView>,
}

/// An answer: `{"session_id": 3, "question_id": 17, "answer": ["A"]}`; `session_id` may be
/// left out to answer any approved question on its own.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AnswerRequest {
    pub session_id: Option<i64>,
    pub question_id: i64,
    pub answer: Vec<String>,
}

/// One basis article, as the question's version cites it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BasisFeedback {
    pub law_id: i64,
    pub law_title: String,
    pub article_label: String,
    /// `art-22`, the article's anchor on its law page.
    pub anchor: String,
    pub text: String,
    /// The article on its law page (filled in by the web layer).
    pub url: String,
}

/// What an answer earns: right or wrong, what was given, the key, why, and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Feedback {
    pub question_id: i64,
    pub correct: bool,
    pub given: Vec<String>,
    pub given_text: String,
    /// The key as an answer list (`["C"]`, `["对"]`, the first variant of each blank).
    pub answer: Vec<String>,
    pub answer_text: String,
    pub explanation: String,
    pub basis: Vec<BasisFeedback>,
    pub question: QuestionView,
    /// Whether the question is in the wrong-answer book after this answer.
    pub in_wrong_book: bool,
    /// Days until it comes up in 今日复习 again.
    pub interval_days: i64,
    /// The session after this answer, with its next question.
    pub session: Option<SessionView>,
}

pub fn question_view(d: &QuestionDetail) -> QuestionView {
    let qtype = d.summary.qtype;
    QuestionView {
        question_id: d.summary.question_id,
        qtype: qtype.as_str().to_string(),
        type_label: type_label(qtype).to_string(),
        stem: d.summary.stem.clone(),
        options: choices(&d.options),
        blanks: if qtype == QuestionType::Fill {
            given::blanks(&d.answer)
        } else {
            0
        },
    }
}

/// An approved question, or not found.
pub async fn approved(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<QuestionDetail, PracticeError> {
    match bank::get(&mut *conn, question_id).await? {
        Some(d) if d.summary.status == Status::Approved => Ok(d),
        _ => Err(PracticeError::NotFound(NO_QUESTION.into())),
    }
}

/// The law version a source names: (statute id, title).
async fn law_of(conn: &mut AnyConnection, law_id: i64) -> Result<(i64, String), PracticeError> {
    laws::get_law(&mut *conn, law_id)
        .await?
        .map(|l| (l.statute_id, l.title))
        .ok_or_else(|| PracticeError::NotFound("法规不存在".into()))
}

/// The questions and title of a source for this person.
async fn choose(
    conn: &mut AnyConnection,
    user_id: i64,
    source: &Source,
    limit: usize,
    today: i64,
) -> Result<(Vec<i64>, String), PracticeError> {
    let (filter, title) = match source {
        Source::Daily => {
            let mut ids = store::due(&mut *conn, user_id, today, limit).await?;
            let more = limit - ids.len();
            if more > 0 {
                ids.extend(store::unseen(&mut *conn, user_id, more).await?);
            }
            return Ok((ids, "今日复习（每日一练）".into()));
        }
        Source::Law { law_id } => {
            let (statute_id, title) = law_of(conn, *law_id).await?;
            (Filter::Statute(statute_id), format!("《{title}》"))
        }
        Source::Article { law_id, no, sub } => {
            let (statute_id, title) = law_of(conn, *law_id).await?;
            let filter = Filter::Article {
                statute_id,
                no: *no,
                sub: *sub,
            };
            (filter, format!("《{title}》{}", article_label(*no, *sub)))
        }
        Source::Chapter {
            law_id,
            heading_seq,
        } => {
            let (statute_id, title) = law_of(conn, *law_id).await?;
            let headings = laws::headings(&mut *conn, *law_id).await?;
            let Some(h) = headings.iter().find(|h| h.seq == *heading_seq) else {
                return Err(PracticeError::NotFound("该章节不存在".into()));
            };
            let hi = headings
                .iter()
                .find(|n| n.seq > h.seq && n.level <= h.level)
                .map_or(i64::MAX, |n| n.first_article_seq);
            let filter = Filter::Articles {
                statute_id,
                law_id: *law_id,
                lo: h.first_article_seq,
                hi,
            };
            (filter, format!("《{title}》{} {}", h.label, h.name))
        }
        Source::Tag(tag) => (Filter::Tag(tag.clone()), format!("标签：{tag}")),
        Source::Weak => (Filter::Weak, "我的薄弱点".into()),
    };
    let ids = store::candidates(conn, user_id, today, &filter, limit).await?;
    Ok((ids, title))
}

#[derive(Serialize, Deserialize)]
struct Params {
    title: String,
}

/// What a source would give this person now: its title and how many questions, without
/// starting anything (the page that offers to start it).
pub async fn preview(
    conn: &mut AnyConnection,
    user_id: i64,
    request: &SourceRequest,
    now: i64,
) -> Result<(String, usize), PracticeError> {
    let (source, limit) = request.parse()?;
    let (ids, title) = choose(conn, user_id, &source, limit, beijing_day(now)).await?;
    Ok((title, ids.len()))
}

/// Starts practising a source: the first question, without its key.
#[tracing::instrument(skip_all)]
pub async fn start(
    conn: &mut AnyConnection,
    user_id: i64,
    request: &SourceRequest,
    now: i64,
) -> Result<SessionView, PracticeError> {
    let (source, limit) = request.parse()?;
    let (ids, title) = choose(&mut *conn, user_id, &source, limit, beijing_day(now)).await?;
    if ids.is_empty() {
        return Ok(SessionView {
            session_id: None,
            source: source.kind().into(),
            title,
            total: 0,
            answered: 0,
            question: None,
        });
    }
    let params = serde_json::to_string(&Params {
        title: title.clone(),
    })
    .unwrap_or_default();
    let id = store::insert_session(&mut *conn, user_id, source.kind(), &params, &ids, now).await?;
    current(conn, user_id, id).await
}

/// A session of this person's, with its next question. Another person's is "not found".
pub async fn current(
    conn: &mut AnyConnection,
    user_id: i64,
    session_id: i64,
) -> Result<SessionView, PracticeError> {
    let row = store::session(&mut *conn, session_id)
        .await?
        .filter(|s| s.user_id == user_id)
        .ok_or_else(|| PracticeError::NotFound(NO_SESSION.into()))?;
    view_of(conn, &row).await
}

async fn view_of(
    conn: &mut AnyConnection,
    row: &store::SessionRow,
) -> Result<SessionView, PracticeError> {
    let ids = row.ids();
    let mut answered = usize::try_from(row.answered).unwrap_or(0);
    // A question retired since the session began is passed over.
    let mut question = None;
    while let Some(id) = ids.get(answered) {
        match approved(&mut *conn, *id).await {
            Ok(d) => {
                question = Some(question_view(&d));
                break;
            }
            Err(PracticeError::NotFound(_)) => answered += 1,
            Err(e) => return Err(e),
        }
    }
    let title = serde_json::from_str::<Params>(&row.params)
        .map(|p| p.title)
        .unwrap_or_default();
    Ok(SessionView {
        session_id: Some(row.session_id),
        source: row.source.clone(),
        title,
        total: ids.len(),
        answered,
        question,
    })
}

/// Takes an answer: grades it, moves the question's schedule, files a wrong answer in the
/// book (or takes the question out on a right answer on a later day), records the session's
/// progress and a finished 每日一练, and returns the feedback with the key.
#[tracing::instrument(skip_all)]
pub async fn answer(
    conn: &mut AnyConnection,
    user_id: i64,
    req: &AnswerRequest,
    now: i64,
) -> Result<Feedback, PracticeError> {
    if crate::exam::store_attempt::sitting_now(&mut *conn, user_id, now).await? {
        return Err(PracticeError::DuringExam);
    }
    let d = approved(&mut *conn, req.question_id).await?;
    let session = match req.session_id {
        Some(id) => {
            let row = store::session(&mut *conn, id)
                .await?
                .filter(|s| s.user_id == user_id)
                .ok_or_else(|| PracticeError::NotFound(NO_SESSION.into()))?;
            if !row.ids().contains(&req.question_id) {
                return Err(PracticeError::BadAnswer("该题不在本次练习中".into()));
            }
            Some(row)
        }
        None => None,
    };
    let qtype = d.summary.qtype;
    let response = given::parse(qtype, d.options.len(), &d.answer, &req.answer)?;
    let correct = grade(&d.answer, Some(&response), MultipleRule::AllOrNothing).correct;
    let today = beijing_day(now);
    let card = store::card(&mut *conn, user_id, req.question_id)
        .await?
        .unwrap_or_else(|| Card::new(today))
        .answered(correct, today);
    store::save_card(&mut *conn, user_id, req.question_id, &card).await?;
    let given_json = serde_json::to_string(&req.answer).unwrap_or_else(|_| "[]".into());
    let record = NewAnswer {
        user_id,
        question_id: req.question_id,
        version_id: d.summary.version_id,
        session_id: req.session_id,
        given: &given_json,
        correct,
        now,
        day: today,
    };
    crate::learning::store::credit_practice(&mut *conn, user_id, now, today).await?;
    store::insert_answer(&mut *conn, &record).await?;
    let in_wrong_book = if correct {
        store::book_right(&mut *conn, user_id, req.question_id, today).await?
    } else {
        store::book_wrong(&mut *conn, &record).await?;
        true
    };
    let session = match session {
        Some(row) => Some(progress(conn, row, req.question_id, user_id, now).await?),
        None => None,
    };
    Ok(Feedback {
        question_id: req.question_id,
        correct,
        given: req.answer.clone(),
        given_text: given::display(&response),
        answer: given::key_list(&d.answer),
        answer_text: given::key_list(&d.answer).join(if qtype == QuestionType::Fill {
            "；"
        } else {
            "、"
        }),
        explanation: d.explanation.clone(),
        basis: d
            .articles
            .iter()
            .map(|b| BasisFeedback {
                law_id: b.law_id,
                law_title: b.law_title.clone(),
                article_label: b.article_label.clone(),
                anchor: anchor(b.article_no, b.article_sub),
                text: b.article_text.clone(),
                url: String::new(),
            })
            .collect(),
        question: question_view(&d),
        in_wrong_book,
        interval_days: card.interval_days,
        session,
    })
}

/// Moves the session on when the answered question is its current one; a finished daily
/// session marks the day for the streak.
async fn progress(
    conn: &mut AnyConnection,
    row: store::SessionRow,
    question_id: i64,
    user_id: i64,
    now: i64,
) -> Result<SessionView, PracticeError> {
    let shown = view_of(&mut *conn, &row).await?;
    let is_current = shown
        .question
        .as_ref()
        .is_some_and(|q| q.question_id == question_id);
    if is_current {
        let done = shown.answered + 1 >= shown.total;
        let at = shown.answered as i64;
        // Skipped (retired) questions count as passed.
        let moved = store::advance(
            &mut *conn,
            row.session_id,
            row.answered,
            at + 1,
            done.then_some(now),
        )
        .await?;
        if moved && done && row.source == "daily" {
            store::mark_day(&mut *conn, user_id, beijing_day(now), now).await?;
        }
    }
    let row = store::session(&mut *conn, row.session_id)
        .await?
        .ok_or_else(|| PracticeError::NotFound(NO_SESSION.into()))?;
    view_of(conn, &row).await
}
