//! An exam's results rolled up: per unit, each unit counting its sub-units too (a tree with
//! totals), and the score distribution in bins of 10 points. Pure functions over the
//! people's lines, so tests and every view (API, page, spreadsheet) agree.

use std::collections::BTreeMap;

use serde::Serialize;

/// What one person contributes to the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub invited: i64,
    pub started: i64,
    pub submitted: i64,
    pub passed: i64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.invited += other.invited;
        self.started += other.started;
        self.submitted += other.submitted;
        self.passed += other.passed;
    }
}

/// One unit of the tree: its own people and everyone below it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnitTotals {
    /// The unit's path, e.g. 柱山乡/执法大队.
    pub unit: String,
    /// Its last segment.
    pub name: String,
    /// 0 for the top units shown.
    pub depth: usize,
    pub invited: i64,
    pub started: i64,
    pub submitted: i64,
    pub passed: i64,
}

/// The units of `lines` (unit path, tally) and every ancestor of them, in path order (a
/// parent right before its children), each with the totals of its subtree. Ancestors above
/// `root` (an administrator's scope) are left out; `root` itself is the top when given.
pub fn unit_tree(lines: &[(&str, Tally)], root: Option<&str>) -> Vec<UnitTotals> {
    let mut totals: BTreeMap<Vec<&str>, Tally> = BTreeMap::new();
    let top = root.map_or(1, |r| r.split('/').count());
    for (unit, tally) in lines {
        let parts: Vec<&str> = unit.split('/').collect();
        for len in top.min(parts.len())..=parts.len() {
            totals.entry(parts[..len].to_vec()).or_default().add(*tally);
        }
    }
    totals
        .into_iter()
        .map(|(parts, t)| UnitTotals {
            unit: parts.join("/"),
            name: parts.last().copied().unwrap_or_default().to_string(),
            depth: parts.len().saturating_sub(top),
            invited: t.invited,
            started: t.started,
            submitted: t.submitted,
            passed: t.passed,
        })
        .collect()
}

/// A bin of the score distribution: scores `from <= s < to` (the last bin includes `to`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: i64,
}

/// At most this many bins: an exam worth more than 1,000 points gets wider ones.
const MAX_BINS: i64 = 100;

/// Scores (hundredths) of the people who have one, in bins of 10 points from 0 to
/// `max_score` (hundredths).
pub fn distribution(scores: &[i64], max_score: i64) -> Vec<Bin> {
    let ten = 1_000_i64;
    let bins = ((max_score.max(1) + ten - 1) / ten).clamp(1, MAX_BINS);
    let width = ((max_score.max(1) + bins - 1) / bins).max(ten);
    let mut counts = vec![0_i64; bins as usize];
    for &s in scores {
        let i = (s.max(0) / width).min(bins - 1);
        counts[i as usize] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| {
            let from = i as i64 * width;
            Bin {
                from: super::points(from),
                to: super::points((from + width).min(max_score.max(from + 1))),
                count,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(invited: i64, started: i64, submitted: i64, passed: i64) -> Tally {
        Tally {
            invited,
            started,
            submitted,
            passed,
        }
    }

    #[test]
    fn sub_units_roll_up_into_their_parents() {
        let lines = [
            ("柱山乡/执法大队", t(1, 1, 1, 1)),
            ("柱山乡/执法大队", t(1, 1, 1, 0)),
            ("柱山乡/司法所", t(1, 0, 0, 0)),
            ("石柱县/司法局", t(1, 1, 0, 0)),
        ];
        let tree = unit_tree(&lines, None);
        let shown: Vec<(&str, usize, i64, i64, i64, i64)> = tree
            .iter()
            .map(|u| {
                (
                    u.unit.as_str(),
                    u.depth,
                    u.invited,
                    u.started,
                    u.submitted,
                    u.passed,
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                ("柱山乡", 0, 3, 2, 2, 1),
                ("柱山乡/司法所", 1, 1, 0, 0, 0),
                ("柱山乡/执法大队", 1, 2, 2, 2, 1),
                ("石柱县", 0, 1, 1, 0, 0),
                ("石柱县/司法局", 1, 1, 1, 0, 0),
            ]
        );
        assert_eq!(tree[2].name, "执法大队");
    }

    #[test]
    fn a_scoped_tree_starts_at_the_administrator_s_unit() {
        let lines = [("柱山乡/执法大队/一中队", t(1, 1, 1, 1))];
        let tree = unit_tree(&lines, Some("柱山乡/执法大队"));
        let units: Vec<(&str, usize)> = tree.iter().map(|u| (u.unit.as_str(), u.depth)).collect();
        assert_eq!(
            units,
            vec![("柱山乡/执法大队", 0), ("柱山乡/执法大队/一中队", 1)]
        );
    }

    #[test]
    fn scores_fall_in_bins_of_ten_points_and_the_top_score_in_the_last() {
        let bins = distribution(&[0, 950, 1000, 5999, 6000, 10_000, 10_000], 10_000);
        assert_eq!(bins.len(), 10);
        let counts: Vec<i64> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![2, 1, 0, 0, 0, 1, 1, 0, 0, 2]);
        assert_eq!((bins[0].from, bins[0].to), (0.0, 10.0));
        assert_eq!((bins[9].from, bins[9].to), (90.0, 100.0));
        // 45 points: bins of 10, the last one 40–45.
        let odd = distribution(&[4500], 4500);
        assert_eq!(odd.len(), 5);
        assert_eq!((odd[4].from, odd[4].to, odd[4].count), (40.0, 45.0, 1));
        assert_eq!(distribution(&[], 0).len(), 1);
    }
}
