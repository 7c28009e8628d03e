//! One line per official from the rows the store read: study time and progress against their
//! requirement, sessions expected and attended, exams sat, certificates. Pure.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::store::Dataset;
use crate::accounts::Role;
use crate::accounts::types::within;
use crate::exam::model::Exam;
use crate::exam::results::counted;
use crate::exam::rules::eligible;
use crate::exam::store_attempt::AttemptRow;
use crate::learning::progress::{self, Totals};
use crate::learning::{Curriculum, Override};

/// A certificate expiring within this many days counts as expiring.
pub const EXPIRING_DAYS: i64 = 90;

/// One official's year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonLine {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    /// Reading, practice and exams, in seconds (as `/api/me/progress` counts them).
    pub study_seconds: i64,
    pub study_hours: f64,
    pub required_hours: u32,
    pub laws_done: usize,
    pub laws_required: usize,
    pub on_track: bool,
    /// What is missing, one line each (empty when on track).
    pub missing: Vec<String>,
    pub sessions_expected: i64,
    pub sessions_attended: i64,
    /// Exams the person was invited to or sat.
    pub exams: i64,
    pub exams_submitted: i64,
    pub exams_passed: i64,
    /// Mean of the counted scores, in percent of each exam's full marks.
    pub average_score: Option<f64>,
    pub certificates_valid: i64,
    pub certificates_expiring: i64,
    pub certificates_expired: i64,
    /// Session and exam ids, so units count distinct ones.
    #[serde(skip)]
    pub session_ids: Vec<i64>,
    #[serde(skip)]
    pub exam_ids: Vec<i64>,
    /// Sum of the counted scores in percent, for averages over units.
    #[serde(skip)]
    pub score_sum: f64,
}

/// One exam as the lines see it: the parsed definition with its row.
pub struct ExamOf<'a> {
    pub row: &'a crate::exam::store::ExamRow,
    pub exam: Exam,
}

/// Whether a person counts as an official: system administrators' accounts are operators,
/// not people whose study is reported.
pub fn counts(roles: &[Role]) -> bool {
    !roles.contains(&Role::Admin)
}

/// One decimal.
pub fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A share in percent with one decimal; None when nobody is counted.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| tenth(part as f64 * 100.0 / whole as f64))
}

pub fn hours(seconds: i64) -> f64 {
    tenth(seconds as f64 / 3600.0)
}

/// The lines of every official in the data set, at `as_of` (certificate states).
pub fn lines(
    d: &Dataset,
    curriculum: &Curriculum,
    exams: &[ExamOf<'_>],
    year: i32,
    as_of: i64,
) -> Vec<PersonLine> {
    let known: HashSet<String> = d.statutes.values().cloned().collect();
    let mut laws: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for (user, statute, secs) in &d.law_seconds {
        let title = d.statutes.get(statute).cloned().unwrap_or_default();
        *laws.entry(*user).or_default().entry(title).or_default() += secs;
    }
    for (user, title, secs) in &d.material_seconds {
        *laws
            .entry(*user)
            .or_default()
            .entry(title.clone())
            .or_default() += secs;
    }
    let passed: HashSet<(i64, &str)> = d
        .material_checks
        .iter()
        .map(|(u, t)| (*u, t.as_str()))
        .collect();
    let overrides: HashMap<&str, Override> = d
        .overrides
        .iter()
        .map(|(path, h, s)| {
            let o = Override {
                hours: u32::try_from(*h).unwrap_or(0),
                sessions: u32::try_from(*s).unwrap_or(0),
            };
            (path.as_str(), o)
        })
        .collect();
    let mut present: HashMap<i64, Vec<i64>> = HashMap::new();
    for a in d.attendance.iter().filter(|a| a.present == 1) {
        present.entry(a.user_id).or_default().push(a.training_id);
    }
    let mut named: HashMap<i64, Vec<i64>> = HashMap::new();
    for (t, user) in &d.session_people {
        named.entry(*user).or_default().push(*t);
    }
    let mut attempts: HashMap<(i64, i64), Vec<&AttemptRow>> = HashMap::new();
    for a in &d.attempts {
        attempts.entry((a.exam_id, a.user_id)).or_default().push(a);
    }
    let mut certs: HashMap<i64, [i64; 3]> = HashMap::new();
    for c in &d.certificates {
        // A replaced certificate's successor is counted instead; one issued after `as_of`
        // did not exist then.
        let revoked = c.revoked_at.is_some_and(|r| r <= as_of);
        if revoked || c.superseded_by.is_some() || c.issued_at > as_of {
            continue;
        }
        let n = certs.entry(c.user_id).or_default();
        if as_of >= c.valid_until {
            n[2] += 1;
        } else {
            n[0] += 1;
            if c.valid_until - as_of <= EXPIRING_DAYS * 86_400 {
                n[1] += 1;
            }
        }
    }
    let mut out = Vec::new();
    for (p, actor) in d.people.iter().filter(|(_, a)| counts(&a.roles)) {
        let mut expected: Vec<i64> = d
            .session_units
            .iter()
            .filter(|(_, path)| within(&p.unit, path))
            .map(|(t, _)| *t)
            .chain(named.get(&p.user_id).into_iter().flatten().copied())
            .collect();
        let attended = present.get(&p.user_id).cloned().unwrap_or_default();
        expected.extend(&attended);
        expected.sort_unstable();
        expected.dedup();
        let totals = Totals {
            laws: laws.remove(&p.user_id).unwrap_or_default(),
            practice: d.practice.get(&p.user_id).copied().unwrap_or(0),
            exams: d.exam_time.get(&p.user_id).copied().unwrap_or(0),
            checks: d
                .material_laws
                .iter()
                .map(|t| (t.clone(), passed.contains(&(p.user_id, t.as_str()))))
                .collect(),
        };
        let req = curriculum.requirement(&actor.roles, nearest(&overrides, &p.unit));
        let attended_n = u32::try_from(attended.len()).unwrap_or(u32::MAX);
        let progress = progress::compute(year, &req, &totals, &known, Some(attended_n));
        let mut line = PersonLine {
            user_id: p.user_id,
            username: p.username.clone(),
            name: p.name.clone(),
            unit: p.unit.clone(),
            study_seconds: totals.seconds(),
            study_hours: hours(totals.seconds()),
            required_hours: req.hours,
            laws_done: progress.laws.iter().filter(|l| l.done).count(),
            laws_required: progress.laws.len(),
            on_track: progress.on_track,
            missing: progress.missing,
            sessions_expected: expected.len() as i64,
            sessions_attended: attended.len() as i64,
            exams: 0,
            exams_submitted: 0,
            exams_passed: 0,
            average_score: None,
            certificates_valid: 0,
            certificates_expiring: 0,
            certificates_expired: 0,
            session_ids: expected,
            exam_ids: Vec::new(),
            score_sum: 0.0,
        };
        for e in exams {
            let here = attempts
                .get(&(e.row.exam_id, p.user_id))
                .map_or(&[][..], Vec::as_slice);
            if here.is_empty() && !eligible(e.row, &e.exam, actor) {
                continue;
            }
            line.exams += 1;
            line.exam_ids.push(e.row.exam_id);
            if let Some(best) = counted(e.exam.counts, here) {
                line.exams_submitted += 1;
                line.exams_passed += i64::from(best.passed == Some(1));
                line.score_sum += percent(best);
            }
        }
        line.average_score =
            (line.exams_submitted > 0).then(|| tenth(line.score_sum / line.exams_submitted as f64));
        let [valid, expiring, expired] = certs.get(&p.user_id).copied().unwrap_or_default();
        (
            line.certificates_valid,
            line.certificates_expiring,
            line.certificates_expired,
        ) = (valid, expiring, expired);
        out.push(line);
    }
    out
}

/// A graded attempt's score in percent of its full marks.
pub fn percent(a: &AttemptRow) -> f64 {
    a.score.unwrap_or(0) as f64 * 100.0 / a.max_score.max(1) as f64
}

/// The override of the nearest unit at or above `path`.
fn nearest(overrides: &HashMap<&str, Override>, path: &str) -> Option<Override> {
    let mut at = Some(path);
    while let Some(p) = at {
        if let Some(o) = overrides.get(p) {
            return Some(*o);
        }
        at = p.rfind('/').map(|i| &p[..i]);
    }
    None
}
