//! Concentrated study sessions (集中学法, 党委理论学习中心组学法, 法治培训班): an administrator
//! records a session with its laws, credited hours and expected roster; attendees sign in on
//! their phone with the session's short code during the session (plus a grace period);
//! administrators correct attendance with a reason (audited); absentees make the session up
//! (补学) by passing a 3-question check drawn from the approved bank on its laws.
//!
//! Plain Rust over SQL, no HTTP: `model` validates requests and holds the pure rules (code,
//! window), `store` the SQL, `ops` the operations. "Now" is a parameter; the caller owns the
//! transaction.

pub mod makeup;
pub mod model;
pub mod ops;
pub mod store;

pub use model::{Kind, TrainingRequest, Window};
pub use store::{Attended, attended_sessions};

/// What training operations refuse, with a message for the user (Chinese).
#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// Understood but refused by the state: outside the check-in window, not on the roster.
    #[error("{0}")]
    Conflict(String),
    /// Signed in but not among the session's expected attendees.
    #[error("{0}")]
    NotExpected(String),
    #[error("无权进行此操作")]
    Forbidden,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl TrainingError {
    pub fn invalid(message: impl Into<String>) -> Self {
        TrainingError::Invalid(message.into())
    }
}
