//! A session as an administrator asks for it, validated once; the check-in code and window.

use rand_core::RngCore;
use serde::{Deserialize, Serialize};

use super::TrainingError;
use crate::exam::model::parse_time;

/// Capital letters and digits nobody misreads on a projector or mistypes on a phone (no 0/O,
/// 1/I); 32 symbols, so a uniform draw from `u32` has no bias.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 6;
/// Check-in opens 15 minutes before the start and closes 30 minutes after the end unless the
/// session says otherwise.
pub const DEFAULT_GRACE_BEFORE_MIN: i64 = 15;
pub const DEFAULT_GRACE_AFTER_MIN: i64 = 30;
/// Questions in a make-up check and how many must be right to pass (2 of 3: one slip is
/// forgiven, guessing through true/false questions is not enough).
pub const MAKEUP_QUESTIONS: usize = 3;
pub const MAKEUP_PASS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Concentrated,
    GroupStudy,
    Training,
}

impl Kind {
    /// `center_group` is the name of the sessions interface (issue 11) for `group_study`.
    pub fn parse(raw: &str) -> Option<Kind> {
        match raw.trim() {
            "concentrated" => Some(Kind::Concentrated),
            "group_study" | "center_group" => Some(Kind::GroupStudy),
            "training" => Some(Kind::Training),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Concentrated => "concentrated",
            Kind::GroupStudy => "group_study",
            Kind::Training => "training",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Concentrated => "集中学法",
            Kind::GroupStudy => "党委理论学习中心组学法",
            Kind::Training => "法治培训班",
        }
    }
}

/// `{"title", "kind", "starts_at", "ends_at", "hours", "laws": [law_id], "law_titles"?:
/// [title], "units": [path], "people": [username], "grace_before_minutes"?,
/// "grace_after_minutes"?}`; times RFC 3339. Laws are named by id or by title (the current
/// version of that statute).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TrainingRequest {
    pub title: String,
    pub kind: String,
    pub starts_at: String,
    pub ends_at: String,
    pub hours: f64,
    pub laws: Vec<i64>,
    pub law_titles: Vec<String>,
    pub units: Vec<String>,
    pub people: Vec<String>,
    pub grace_before_minutes: Option<i64>,
    pub grace_after_minutes: Option<i64>,
}

/// A request that passed [`TrainingRequest::validate`] (laws, units and people are checked
/// against the database by `ops::create`).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTraining {
    pub title: String,
    pub kind: Kind,
    pub window: Window,
    pub credited_minutes: i64,
    pub laws: Vec<i64>,
    /// Titles as given, 《》 removed; `ops::create` looks them up.
    pub law_titles: Vec<String>,
    pub units: Vec<String>,
    pub people: Vec<String>,
}

impl TrainingRequest {
    pub fn validate(&self) -> Result<ValidTraining, TrainingError> {
        let bad = TrainingError::invalid;
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            return Err(bad("请填写主题（不超过 100 字）"));
        }
        let kind = Kind::parse(&self.kind).ok_or_else(|| {
            bad("类型应为 concentrated、center_group（或 group_study）或 training")
        })?;
        let time = |raw: &str, what: &str| {
            parse_time(raw, what).map_err(|e| TrainingError::invalid(e.to_string()))
        };
        let starts_at = time(&self.starts_at, "开始时间")?;
        let ends_at = time(&self.ends_at, "结束时间")?;
        if ends_at <= starts_at || ends_at - starts_at > 7 * 86_400 {
            return Err(bad("结束时间应晚于开始时间，且不超过 7 天"));
        }
        if !(self.hours.is_finite() && self.hours > 0.0 && self.hours <= 100.0) {
            return Err(bad("认定学时应大于 0 且不超过 100"));
        }
        let grace = |m: Option<i64>, default: i64| match m.unwrap_or(default) {
            m @ 0..=240 => Ok(m * 60),
            _ => Err(bad("签到宽限时间应在 0 到 240 分钟之间")),
        };
        let window = Window {
            starts_at,
            ends_at,
            grace_before: grace(self.grace_before_minutes, DEFAULT_GRACE_BEFORE_MIN)?,
            grace_after: grace(self.grace_after_minutes, DEFAULT_GRACE_AFTER_MIN)?,
        };
        if self.units.is_empty() && self.people.is_empty() {
            return Err(bad("请指定应到人员：单位或人员至少一项"));
        }
        let mut laws = self.laws.clone();
        laws.sort_unstable();
        laws.dedup();
        Ok(ValidTraining {
            title: title.to_string(),
            kind,
            window,
            credited_minutes: (self.hours * 60.0).round() as i64,
            laws,
            law_titles: self
                .law_titles
                .iter()
                .map(|t| {
                    t.trim()
                        .trim_start_matches('《')
                        .trim_end_matches('》')
                        .trim()
                        .to_string()
                })
                .filter(|t| !t.is_empty())
                .collect(),
            units: trimmed(&self.units),
            people: trimmed(&self.people)
                .into_iter()
                .map(|u| u.to_lowercase())
                .collect(),
        })
    }
}

fn trimmed(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .map(|s| s.trim().trim_matches('/').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// When a session runs and when its check-in is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub starts_at: i64,
    pub ends_at: i64,
    /// Seconds.
    pub grace_before: i64,
    pub grace_after: i64,
}

/// Where `now` stands against the check-in window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    TooEarly,
    Open,
    Closed,
}

impl Window {
    pub fn opens_at(&self) -> i64 {
        self.starts_at - self.grace_before
    }

    pub fn closes_at(&self) -> i64 {
        self.ends_at + self.grace_after
    }

    /// Open from `opens_at` inclusive to `closes_at` inclusive.
    pub fn timing(&self, now: i64) -> Timing {
        if now < self.opens_at() {
            Timing::TooEarly
        } else if now > self.closes_at() {
            Timing::Closed
        } else {
            Timing::Open
        }
    }
}

/// `2026-03-01 08:45`, Beijing time, for messages.
pub fn beijing_minute(unix: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| t.to_offset(time::macros::offset!(+8)))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// A new check-in code.
pub fn new_code(rng: &mut impl RngCore) -> String {
    (0..CODE_LENGTH)
        .map(|_| CODE_ALPHABET[(rng.next_u32() as usize) % CODE_ALPHABET.len()] as char)
        .collect()
}

/// A code as typed: trimmed, upper-cased; `None` when it cannot be a code.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_uppercase();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_includes_both_grace_edges() {
        let w = Window {
            starts_at: 1000,
            ends_at: 2000,
            grace_before: 900,
            grace_after: 1800,
        };
        assert_eq!(w.timing(99), Timing::TooEarly);
        assert_eq!(w.timing(100), Timing::Open);
        assert_eq!(w.timing(3800), Timing::Open);
        assert_eq!(w.timing(3801), Timing::Closed);
    }

    #[test]
    fn codes_use_only_the_unambiguous_alphabet_and_are_read_back_in_any_case() {
        let mut rng = rand_core::OsRng;
        for _ in 0..50 {
            let code = new_code(&mut rng);
            assert_eq!(normalize_code(&code.to_lowercase()), Some(code.clone()));
            assert!(!code.contains(['0', 'O', '1', 'I']));
        }
        assert_eq!(normalize_code("ABC0EF"), None);
        assert_eq!(normalize_code("ABCDE"), None);
    }
}
