//! The people's lines rolled up per unit, each unit counting its sub-units (parents right
//! before their children, as `exam::rollup::unit_tree` orders them). Sessions and exams are
//! counted once per unit however many of its people they concern. Pure.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::people::{PersonLine, hours, rate, tenth};

/// The figures of a unit (or of the whole report).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitRow {
    /// The unit's path, e.g. 柱山乡/执法大队 ("" for the whole report).
    pub unit: String,
    pub name: String,
    /// 0 for the top units shown.
    pub depth: usize,
    pub officials: i64,
    pub study_hours: f64,
    pub study_hours_per_official: Option<f64>,
    /// People who meet their whole requirement (hours, required laws, sessions).
    pub on_track: i64,
    /// on_track / officials, percent.
    pub completion_rate: Option<f64>,
    /// Study sessions (集中学法, 中心组学法) held for the unit's people.
    pub sessions_held: i64,
    /// 法治培训班 held for them.
    pub trainings_held: i64,
    /// Places expected over those sessions and trainings, and places attended.
    pub sessions_expected: i64,
    pub sessions_attended: i64,
    pub attendance_rate: Option<f64>,
    pub exams_held: i64,
    /// (exam, person) pairs: invited, or sat it.
    pub candidates: i64,
    pub submitted: i64,
    pub passed: i64,
    /// submitted / candidates, percent.
    pub participation_rate: Option<f64>,
    /// Mean counted score, percent of full marks.
    pub average_score: Option<f64>,
    /// passed / submitted, percent.
    pub pass_rate: Option<f64>,
    /// Valid now (expiring ones included).
    pub certificates_valid: i64,
    pub certificates_expiring: i64,
    pub certificates_expired: i64,
}

/// Running sums for one unit.
#[derive(Debug, Default)]
pub struct Acc {
    officials: i64,
    seconds: i64,
    on_track: i64,
    sessions: BTreeSet<i64>,
    expected: i64,
    attended: i64,
    exams: BTreeSet<i64>,
    candidates: i64,
    submitted: i64,
    passed: i64,
    score_sum: f64,
    certs: [i64; 3],
}

impl Acc {
    pub fn add(&mut self, p: &PersonLine) {
        self.officials += 1;
        self.seconds += p.study_seconds;
        self.on_track += i64::from(p.on_track);
        self.sessions.extend(&p.session_ids);
        self.expected += p.sessions_expected;
        self.attended += p.sessions_attended;
        self.exams.extend(&p.exam_ids);
        self.candidates += p.exams;
        self.submitted += p.exams_submitted;
        self.passed += p.exams_passed;
        self.score_sum += p.score_sum;
        self.certs[0] += p.certificates_valid;
        self.certs[1] += p.certificates_expiring;
        self.certs[2] += p.certificates_expired;
    }

    /// The figures; `trainings` are the ids of sessions of kind `training`.
    pub fn row(
        &self,
        unit: String,
        name: String,
        depth: usize,
        trainings: &HashSet<i64>,
    ) -> UnitRow {
        let t = self
            .sessions
            .iter()
            .filter(|id| trainings.contains(id))
            .count() as i64;
        UnitRow {
            unit,
            name,
            depth,
            officials: self.officials,
            study_hours: hours(self.seconds),
            study_hours_per_official: (self.officials > 0)
                .then(|| tenth(self.seconds as f64 / 3600.0 / self.officials as f64)),
            on_track: self.on_track,
            completion_rate: rate(self.on_track, self.officials),
            sessions_held: self.sessions.len() as i64 - t,
            trainings_held: t,
            sessions_expected: self.expected,
            sessions_attended: self.attended,
            attendance_rate: rate(self.attended, self.expected),
            exams_held: self.exams.len() as i64,
            candidates: self.candidates,
            submitted: self.submitted,
            passed: self.passed,
            participation_rate: rate(self.submitted, self.candidates),
            average_score: (self.submitted > 0)
                .then(|| tenth(self.score_sum / self.submitted as f64)),
            pass_rate: rate(self.passed, self.submitted),
            certificates_valid: self.certs[0],
            certificates_expiring: self.certs[1],
            certificates_expired: self.certs[2],
        }
    }
}

/// The units of `lines` and their ancestors up to `root` (the top when given), in path order,
/// with the totals of their subtrees.
pub fn units(lines: &[PersonLine], root: Option<&str>, trainings: &HashSet<i64>) -> Vec<UnitRow> {
    let top = root.map_or(1, |r| r.split('/').count());
    let mut accs: BTreeMap<Vec<&str>, Acc> = BTreeMap::new();
    for p in lines {
        let parts: Vec<&str> = p.unit.split('/').collect();
        for len in top.min(parts.len())..=parts.len() {
            accs.entry(parts[..len].to_vec()).or_default().add(p);
        }
    }
    accs.into_iter()
        .map(|(parts, acc)| {
            let name = parts.last().copied().unwrap_or_default().to_string();
            acc.row(
                parts.join("/"),
                name,
                parts.len().saturating_sub(top),
                trainings,
            )
        })
        .collect()
}

/// The figures of everyone in `lines`.
pub fn total(lines: &[PersonLine], root: Option<&str>, trainings: &HashSet<i64>) -> UnitRow {
    let mut acc = Acc::default();
    for p in lines {
        acc.add(p);
    }
    let unit = root.unwrap_or_default().to_string();
    let name = root.map_or("全部单位", |r| r.rsplit('/').next().unwrap_or(r));
    acc.row(unit, name.to_string(), 0, trainings)
}
