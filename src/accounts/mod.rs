//! Accounts: units (a tree), users and their roles, sign-in, sessions, audit.
//!
//! Everything here is plain Rust over SQL; the web layer maps requests onto it. Time ("now",
//! unix seconds) is always a parameter.

pub mod admin;
pub mod audit;
pub mod import;
pub mod login;
pub mod password;
pub mod session;
pub mod store;
pub mod types;

pub use types::{Actor, PersonName, Phone, Role, UnitPath, Username};

#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// Wrong user name or password; deliberately silent about which.
    #[error("用户名或密码错误")]
    InvalidCredentials,
    /// Wrong credentials close to the lockout: the same for every login name, known or not.
    #[error("用户名或密码错误，再错 {remaining} 次将锁定 {minutes} 分钟")]
    TriesLeft { remaining: i64, minutes: i64 },
    /// The failure that locked the login name.
    #[error("用户名或密码错误，已连续失败 {failures} 次，账号锁定 {minutes} 分钟，请稍后再试")]
    NowLocked { failures: i64, minutes: i64 },
    #[error("登录失败次数过多，账号已锁定，请 {minutes} 分钟后再试")]
    Locked { minutes: i64 },
    #[error("{field}：{message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    WeakPassword(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    NotFound(String),
    #[error("无权进行此操作")]
    Forbidden,
    #[error("internal: {0}")]
    Internal(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl AccountsError {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        AccountsError::Validation {
            field,
            message: message.into(),
        }
    }
}
