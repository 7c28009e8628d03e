//! The archive behind the annual figures (台账): each session with its roster and sign-ins,
//! each exam with its candidates and results, for the people of the report's subtree. Pure.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::people::{ExamOf, PersonLine, percent, rate, tenth};
use super::store::Dataset;
use crate::exam::model::format_time;
use crate::exam::results::counted;
use crate::exam::store_attempt::AttemptRow;
use crate::training::Kind;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RosterLine {
    pub username: String,
    pub name: String,
    pub unit: String,
    pub present: bool,
    /// checkin, corrected or makeup; null without a record.
    pub how: Option<String>,
    pub at: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SessionRecord {
    pub training_id: i64,
    pub title: String,
    pub kind: String,
    /// 集中学法, 党委理论学习中心组学法 or 法治培训班.
    pub kind_label: String,
    pub starts_at: String,
    pub ends_at: String,
    pub hours: f64,
    pub expected: i64,
    pub attended: i64,
    pub attendance_rate: Option<f64>,
    pub roster: Vec<RosterLine>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultLine {
    pub username: String,
    pub name: String,
    pub unit: String,
    pub attempts: i64,
    /// The counted score; null before one is graded.
    pub score: Option<f64>,
    pub passed: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExamRecord {
    pub exam_id: i64,
    pub title: String,
    pub kind: String,
    pub opens_at: String,
    pub closes_at: String,
    pub max_score: f64,
    pub pass_score: f64,
    pub candidates: i64,
    pub submitted: i64,
    pub passed: i64,
    pub participation_rate: Option<f64>,
    pub pass_rate: Option<f64>,
    pub average_score: Option<f64>,
    pub results: Vec<ResultLine>,
}

/// The sessions that concern someone in `lines`, with their roster within the subtree.
pub fn sessions(d: &Dataset, lines: &[PersonLine]) -> Vec<SessionRecord> {
    let attendance: HashMap<(i64, i64), &super::store::AttendanceRow> = d
        .attendance
        .iter()
        .map(|a| ((a.training_id, a.user_id), a))
        .collect();
    let mut out = Vec::new();
    for s in &d.sessions {
        let roster: Vec<RosterLine> = lines
            .iter()
            .filter(|p| p.session_ids.contains(&s.training_id))
            .map(|p| {
                let a = attendance.get(&(s.training_id, p.user_id));
                RosterLine {
                    username: p.username.clone(),
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    present: a.is_some_and(|a| a.present == 1),
                    how: a.map(|a| a.how.clone()),
                    at: a.map(|a| format_time(a.at)),
                }
            })
            .collect();
        if roster.is_empty() {
            continue;
        }
        let attended = roster.iter().filter(|r| r.present).count() as i64;
        let expected = roster.len() as i64;
        out.push(SessionRecord {
            training_id: s.training_id,
            title: s.title.clone(),
            kind: s.kind.clone(),
            kind_label: Kind::parse(&s.kind).map_or_else(|| s.kind.clone(), |k| k.label().into()),
            starts_at: format_time(s.starts_at),
            ends_at: format_time(s.ends_at),
            hours: tenth(s.credited_minutes as f64 / 60.0),
            expected,
            attended,
            attendance_rate: rate(attended, expected),
            roster,
        });
    }
    out
}

/// The exams that concern someone in `lines`, with their candidates' results.
pub fn exams(d: &Dataset, exams: &[ExamOf<'_>], lines: &[PersonLine]) -> Vec<ExamRecord> {
    let mut attempts: HashMap<(i64, i64), Vec<&AttemptRow>> = HashMap::new();
    for a in &d.attempts {
        attempts.entry((a.exam_id, a.user_id)).or_default().push(a);
    }
    let mut out = Vec::new();
    for e in exams {
        let id = e.row.exam_id;
        let mut scores = Vec::new();
        let results: Vec<ResultLine> = lines
            .iter()
            .filter(|p| p.exam_ids.contains(&id))
            .map(|p| {
                let here = attempts
                    .get(&(id, p.user_id))
                    .map_or(&[][..], Vec::as_slice);
                let best = counted(e.exam.counts, here);
                scores.extend(best.map(percent));
                ResultLine {
                    username: p.username.clone(),
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    attempts: here.len() as i64,
                    score: best.and_then(|a| a.score).map(crate::exam::points),
                    passed: best.is_some_and(|a| a.passed == Some(1)),
                }
            })
            .collect();
        if results.is_empty() {
            continue;
        }
        let candidates = results.len() as i64;
        let submitted = scores.len() as i64;
        let passed = results.iter().filter(|r| r.passed).count() as i64;
        out.push(ExamRecord {
            exam_id: id,
            title: e.row.title.clone(),
            kind: e.row.kind.clone(),
            opens_at: format_time(e.row.opens_at),
            closes_at: format_time(e.row.closes_at),
            max_score: crate::exam::points(e.exam.max_score),
            pass_score: crate::exam::points(e.exam.pass_score),
            candidates,
            submitted,
            passed,
            participation_rate: rate(submitted, candidates),
            pass_rate: rate(passed, submitted),
            average_score: (submitted > 0)
                .then(|| tenth(scores.iter().sum::<f64>() / submitted as f64)),
            results,
        });
    }
    out
}

/// Certificates issued in `[from, until)` to people in `lines`.
pub fn issued(d: &Dataset, lines: &[PersonLine], from: i64, until: i64) -> i64 {
    let people: HashSet<i64> = lines.iter().map(|p| p.user_id).collect();
    d.certificates
        .iter()
        .filter(|c| people.contains(&c.user_id) && c.issued_at >= from && c.issued_at < until)
        .count() as i64
}
