//! Enforcement certificates (行政执法证): issued when a qualification exam is passed (or
//! entered by an administrator for one held before xuefa), re-issued under a new number,
//! revoked with a reason, and checked by anyone through their number.
//!
//! Plain Rust over SQL, no HTTP. Callers own the unit of work; "now" and randomness are
//! parameters. Status is derived, never stored: see [`Status::of`].

pub mod earned;
pub mod number;
pub mod ops;
pub mod store;

use serde::Serialize;

pub use number::{CertificateNumber, province_code};
pub use ops::{HeldForm, IssueRequest, issue, record_held, reissue, revoke};
pub use store::CertificateRow;

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("{field}：{message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    NotFound(String),
    /// The certificate is not in a state that allows the action (already revoked, replaced…).
    #[error("{0}")]
    Conflict(String),
    #[error("无权进行此操作")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl CertError {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Self {
        CertError::Validation {
            field,
            message: message.into(),
        }
    }
}

impl From<crate::accounts::AccountsError> for CertError {
    fn from(e: crate::accounts::AccountsError) -> Self {
        use crate::accounts::AccountsError as A;
        match e {
            A::Validation { field, message } => CertError::Validation { field, message },
            A::NotFound(m) => CertError::NotFound(m),
            A::Forbidden => CertError::Forbidden,
            A::Db(e) => CertError::Db(e),
            other => CertError::Conflict(other.to_string()),
        }
    }
}

/// What the deployment decides about its certificates (`--issuer`, the validity period).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The issuing authority printed on every certificate, e.g. 重庆市司法局.
    pub issuer: String,
    /// Years a certificate is valid from its issue (3 by default, as on the government
    /// platforms).
    pub valid_years: i32,
    /// The deployment's province (its GB/T 2260 code goes into the numbers).
    pub region: String,
}

impl Settings {
    pub fn of(config: &Config) -> Settings {
        Settings {
            issuer: config.issuer.clone(),
            valid_years: config.certificate_years,
            region: config.region.clone(),
        }
    }
}

/// Where a certificate stands at a moment. A checker needs nothing more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Valid,
    Expired,
    Revoked,
    /// Replaced by a newer certificate (换发): this number no longer proves anything.
    Superseded,
}

impl Status {
    /// Revocation and replacement outrank expiry: a revoked certificate stays revoked.
    pub fn of(
        revoked_at: Option<i64>,
        superseded_by: Option<i64>,
        valid_until: i64,
        now: i64,
    ) -> Status {
        if revoked_at.is_some() {
            Status::Revoked
        } else if superseded_by.is_some() {
            Status::Superseded
        } else if now >= valid_until {
            Status::Expired
        } else {
            Status::Valid
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
            Status::Superseded => "superseded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Valid => "有效",
            Status::Expired => "已过期",
            Status::Revoked => "已吊销",
            Status::Superseded => "已换发（原证作废）",
        }
    }
}

/// A certificate as its holder and administrators see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Certificate {
    pub number: String,
    pub user_id: i64,
    pub holder: String,
    pub unit: String,
    pub category: String,
    pub area: String,
    pub issuer: String,
    /// `exam`, `held` (issued before xuefa) or `reissue`.
    pub source: String,
    pub exam_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub exam_title: Option<String>,
    pub score: Option<f64>,
    pub original_number: Option<String>,
    pub issued_at: i64,
    pub valid_until: i64,
    #[schema(value_type = String)]
    pub status: Status,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
    /// The number of the certificate that replaced this one.
    pub superseded_by: Option<String>,
}

/// Seconds in a day, for "expiring within N days".
pub const DAY: i64 = 86_400;

/// Officers are reminded on `/me` this many days before their certificate expires.
pub const REMIND_DAYS: i64 = 90;

/// A date as printed on a certificate, Beijing time: `2029-01-01`.
pub fn beijing_date(unix: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.to_offset(offset)
                .format(time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_default()
}

/// The last day a certificate is valid on (it ends at `valid_until`, exclusive).
pub fn last_day(valid_until: i64) -> String {
    beijing_date(valid_until - 1)
}

/// `issued_at` plus `years` calendar years (29 February becomes 28 February).
pub fn add_years(issued_at: i64, years: i32) -> i64 {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(issued_at) else {
        return issued_at.saturating_add(i64::from(years) * 365 * DAY);
    };
    let year = t.year() + years;
    let date = t
        .date()
        .replace_year(year)
        .or_else(|_| t.date().replace_day(28).and_then(|d| d.replace_year(year)));
    match date {
        Ok(d) => t.replace_date(d).unix_timestamp(),
        Err(_) => issued_at.saturating_add(i64::from(years) * 365 * DAY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revocation_and_replacement_outrank_expiry() {
        assert_eq!(Status::of(None, None, 100, 99), Status::Valid);
        assert_eq!(Status::of(None, None, 100, 100), Status::Expired);
        assert_eq!(Status::of(Some(5), None, 100, 200), Status::Revoked);
        assert_eq!(Status::of(None, Some(7), 100, 50), Status::Superseded);
        assert_eq!(Status::of(Some(5), Some(7), 100, 50), Status::Revoked);
    }

    #[test]
    fn validity_runs_whole_calendar_years() {
        // 2026-01-01 00:00 UTC → 2029-01-01 00:00 UTC.
        assert_eq!(add_years(1_767_225_600, 3), 1_861_920_000);
        // 2028-02-29 12:00 UTC → 2031-02-28 12:00 UTC.
        assert_eq!(add_years(1_835_438_400, 3), 1_930_046_400);
        // Valid until 2029-01-01 00:00 UTC = 08:00 in Beijing: the last day is 2029-01-01.
        assert_eq!(last_day(1_861_920_000), "2029-01-01");
        assert_eq!(beijing_date(1_767_196_800), "2026-01-01");
    }
}
