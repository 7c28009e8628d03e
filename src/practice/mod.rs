//! Practice (练习): questions one at a time with immediate feedback, the wrong-answer book
//! (错题本), spaced repetition per person and question, and the daily queue (每日一练) with
//! its streak.
//!
//! Plain Rust over SQL, no HTTP: `session` starts sessions and takes answers, `book` reads
//! the wrong-answer book and the daily summary, `schedule` is the pure SM-2 scheduler,
//! `answer` parses what people answer, `source` what they choose to practise, `store` the SQL.
//! "Now" is always a parameter; the caller owns the transaction.

pub mod answer;
pub mod book;
pub mod catalog;
pub mod schedule;
pub mod session;
pub mod source;
pub mod store;

use serde::Serialize;

pub use book::{DailySummary, WrongBook, WrongView, daily_summary, wrong_book};
pub use session::{
    AnswerRequest, BasisFeedback, Feedback, QuestionView, SessionView, answer, current, preview,
    start,
};
pub use source::{Source, SourceRequest};

#[derive(Debug, thiserror::Error)]
pub enum PracticeError {
    /// A source that cannot be practised as asked (missing or malformed parameters).
    #[error("{0}")]
    BadSource(String),
    /// An answer of the wrong shape for its question.
    #[error("{0}")]
    BadAnswer(String),
    #[error("{0}")]
    NotFound(String),
    /// Feedback with keys refused while the person is sitting an exam, whose questions the
    /// bank shares with practice.
    #[error("考试进行中，练习暂不显示答案和解析；交卷后再来练习")]
    DuringExam,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A question's type as people read it, for views.
fn type_label(t: crate::bank::model::QuestionType) -> &'static str {
    t.label()
}

/// One option as shown: its key (`A`) and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Choice {
    pub key: String,
    pub text: String,
}

fn choices(options: &[String]) -> Vec<Choice> {
    options
        .iter()
        .enumerate()
        .map(|(i, text)| Choice {
            key: answer::option_key(i),
            text: text.clone(),
        })
        .collect()
}
