//! Exams: definitions (`model`), which bank questions fill a section (`blueprint`), papers
//! drawn from a seed (`paper`), attempts with autosaved answers and grading (`attempt`,
//! `grade`), results rolled up per unit (`results`, `rollup`), one person's record
//! (`person`) and regrading (`regrade`). SQL lives in the `store*` modules; nothing here
//! knows HTTP, and every function takes the caller's transaction and "now".

pub mod admin;
pub mod analysis;
pub mod analysis_view;
pub mod answer;
pub mod attempt;
pub mod bank_cache;
pub mod blueprint;
pub mod export;
pub mod grade;
pub mod model;
pub mod overview;
pub mod paper;
pub mod person;
pub mod regrade;
pub mod results;
pub mod resume;
pub mod rollup;
pub mod rules;
pub mod store;
pub mod store_analysis;
pub mod store_answer;
pub mod store_attempt;
pub mod store_results;
pub mod store_version;
pub mod sweep;
pub mod view;

pub use model::{ExamDefinition, ExamKind};

#[cfg(test)]
mod model_tests;

/// What exam operations refuse, with a message for the user (Chinese).
#[derive(Debug, thiserror::Error)]
pub enum ExamError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// The request is understood but the state forbids it (not open, no attempts left, too
    /// late, the bank is short).
    #[error("{0}")]
    Conflict(String),
    #[error("无权进行此操作")]
    Forbidden,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl ExamError {
    pub fn invalid(message: impl Into<String>) -> Self {
        ExamError::Invalid(message.into())
    }
}

/// One attempt just graded, known inside the transaction that graded it. Every way an
/// attempt closes (submit, deadline, sweep, regrade) returns it, so the caller can act on a
/// pass in the same unit of work (e.g. issue an enforcement certificate for a passed
/// `qualification` exam).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GradedAttempt {
    pub attempt_id: i64,
    pub exam_id: i64,
    pub user_id: i64,
    /// Hundredths of a point.
    pub score: i64,
    pub max_score: i64,
    pub passed: bool,
    pub kind: ExamKind,
}

/// Points as the API shows them: hundredths to a number (`150` → `1.5`).
pub fn points(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}
