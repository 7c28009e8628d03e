//! The question bank: questions tied to the articles they test, with versions, import and
//! export, generation from the law texts, and review when a law changes.

pub mod admin;
pub mod bench;
pub mod changes;
pub mod drafting;
pub mod export;
pub mod generate;
pub mod import;
pub mod model;
pub mod review;
pub mod rules;
pub mod store;
pub mod suggest;

#[cfg(test)]
mod import_tests;
#[cfg(test)]
mod rules_tests;

use self::rules::Problem;

#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// A file that cannot be imported at all (type, encoding, header, size).
    #[error("文件：{0}")]
    File(String),
    /// A question that breaks the rules; every problem is listed.
    #[error("{}", join(.0))]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// An action refused as asked, with why and what to do instead (e.g. generating from a
    /// repealed law).
    #[error("{0}")]
    Refused(String),
    #[error("无权进行此操作")]
    Forbidden,
    #[error("internal: {0}")]
    Internal(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn join(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(Problem::to_string)
        .collect::<Vec<_>>()
        .join("；")
}
