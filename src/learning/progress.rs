//! A person's progress against their requirement for a year: pure, from the totals the store
//! read. Says 已达标 or exactly what is missing.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::curriculum::Requirement;

/// Study time by source for the year, in seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Reading time per law, by full title.
    pub laws: HashMap<String, i64>,
    pub practice: i64,
    pub exams: i64,
    /// Per law title that has a study note: whether its check was passed this year.
    pub checks: HashMap<String, bool>,
}

impl Totals {
    pub fn seconds(&self) -> i64 {
        self.laws.values().sum::<i64>() + self.practice + self.exams
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Hours {
    /// Hours studied this year (reading, practice and exams), one decimal.
    pub total: f64,
    pub required: u32,
    pub reading_seconds: i64,
    pub practice_seconds: i64,
    pub exam_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawProgress {
    pub title: String,
    pub seconds: i64,
    pub required_seconds: i64,
    pub done: bool,
    /// False when no imported law has this title (the curriculum names a law not yet
    /// imported): it cannot be studied until it is.
    pub available: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Sessions {
    pub attended: u32,
    pub required: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub year: i32,
    pub on_track: bool,
    pub hours: Hours,
    pub laws: Vec<LawProgress>,
    /// Concentrated sessions attended of those required; absent when the caller gave no
    /// attended count (then sessions are not part of `on_track`).
    pub sessions: Option<Sessions>,
    /// What is missing, one line each (empty when on track).
    pub missing: Vec<String>,
}

/// Progress for `year`. `attended` is the number of concentrated sessions the person
/// attended this year, counted by the caller from the sessions records; None leaves
/// sessions out.
pub fn compute(
    year: i32,
    req: &Requirement,
    totals: &Totals,
    available: &HashSet<String>,
    attended: Option<u32>,
) -> Progress {
    let mut missing = Vec::new();
    let total = totals.seconds();
    let required = i64::from(req.hours) * 3600;
    if total < required {
        missing.push(format!(
            "年度学时还差 {} 小时（已学 {}，要求 {} 小时）",
            hours_text(required - total),
            hours_text(total),
            req.hours
        ));
    }
    let laws: Vec<LawProgress> = req
        .laws
        .iter()
        .map(|l| {
            let seconds = totals.laws.get(&l.title).copied().unwrap_or(0);
            let required_seconds = i64::from(l.minutes) * 60;
            let read = seconds >= required_seconds;
            let checked = totals.checks.get(&l.title).copied();
            if !read {
                let left = (required_seconds - seconds + 59) / 60;
                missing.push(format!("《{}》还需阅读 {left} 分钟", short(&l.title)));
            }
            if checked == Some(false) {
                missing.push(format!("《{}》学习资料的自测尚未通过", short(&l.title)));
            }
            let done = read && checked != Some(false);
            LawProgress {
                title: l.title.clone(),
                seconds,
                required_seconds,
                done,
                available: available.contains(&l.title),
            }
        })
        .collect();
    let sessions = attended.map(|attended| Sessions {
        attended,
        required: req.sessions,
    });
    if let Some(s) = sessions
        && s.attended < s.required
    {
        missing.push(format!(
            "集中学法还差 {} 次（已参加 {}，要求 {} 次）",
            s.required - s.attended,
            s.attended,
            s.required
        ));
    }
    Progress {
        year,
        on_track: missing.is_empty(),
        hours: Hours {
            total: (total as f64 / 360.0).floor() / 10.0,
            required: req.hours,
            reading_seconds: totals.laws.values().sum(),
            practice_seconds: totals.practice,
            exam_seconds: totals.exams,
        },
        laws,
        sessions,
        missing,
    }
}

/// Hours with one decimal, rounded up for what is missing so 0.01 h shows as 0.1.
fn hours_text(seconds: i64) -> String {
    let tenths = (seconds + 359) / 360;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A title as officials say it (without 中华人民共和国).
fn short(title: &str) -> &str {
    title.strip_prefix("中华人民共和国").unwrap_or(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::curriculum::RequiredLaw;

    fn req() -> Requirement {
        Requirement {
            hours: 2,
            sessions: 12,
            laws: vec![
                RequiredLaw {
                    title: "中华人民共和国宪法".into(),
                    minutes: 30,
                },
                RequiredLaw {
                    title: "信访工作条例".into(),
                    minutes: 10,
                },
            ],
        }
    }

    fn available() -> HashSet<String> {
        ["中华人民共和国宪法".to_string(), "信访工作条例".to_string()].into()
    }

    #[test]
    fn nothing_studied_lists_everything_missing() {
        let p = compute(2026, &req(), &Totals::default(), &available(), Some(3));
        assert!(!p.on_track);
        assert_eq!(
            p.missing,
            vec![
                "年度学时还差 2.0 小时（已学 0.0，要求 2 小时）",
                "《宪法》还需阅读 30 分钟",
                "《信访工作条例》还需阅读 10 分钟",
                "集中学法还差 9 次（已参加 3，要求 12 次）",
            ]
        );
    }

    #[test]
    fn practice_and_exams_count_toward_hours_but_not_toward_a_law() {
        let totals = Totals {
            laws: [
                ("中华人民共和国宪法".to_string(), 1800),
                ("信访工作条例".to_string(), 599),
            ]
            .into(),
            practice: 3600,
            exams: 1201,
            ..Totals::default()
        };
        let p = compute(2026, &req(), &totals, &available(), None);
        assert_eq!(p.hours.total, 2.0);
        assert_eq!(p.missing, vec!["《信访工作条例》还需阅读 1 分钟"]);
        assert!(p.laws[0].done && !p.laws[1].done);
        assert_eq!(p.sessions, None);
    }

    #[test]
    fn all_done_is_on_track() {
        let totals = Totals {
            laws: [
                ("中华人民共和国宪法".to_string(), 5000),
                ("信访工作条例".to_string(), 2200),
            ]
            .into(),
            ..Totals::default()
        };
        let p = compute(2026, &req(), &totals, &available(), Some(12));
        assert!(p.on_track, "{:?}", p.missing);
    }

    #[test]
    fn a_law_with_a_note_is_done_only_once_its_check_is_passed() {
        let mut totals = Totals {
            laws: [
                ("中华人民共和国宪法".to_string(), 5000),
                ("信访工作条例".to_string(), 2200),
            ]
            .into(),
            checks: [("中华人民共和国宪法".to_string(), false)].into(),
            ..Totals::default()
        };
        let p = compute(2026, &req(), &totals, &available(), None);
        assert!(!p.laws[0].done && p.laws[1].done);
        assert_eq!(p.missing, vec!["《宪法》学习资料的自测尚未通过"]);
        totals.checks.insert("中华人民共和国宪法".into(), true);
        let p = compute(2026, &req(), &totals, &available(), None);
        assert!(p.on_track && p.laws[0].done, "{:?}", p.missing);
    }

    #[test]
    fn a_law_not_imported_is_marked_unavailable() {
        let p = compute(2026, &req(), &Totals::default(), &HashSet::new(), None);
        assert!(p.laws.iter().all(|l| !l.available));
    }
}
