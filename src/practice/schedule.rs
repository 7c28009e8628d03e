//! Spaced repetition: a small SM-2 over Beijing calendar days, as plain tested Rust.
//!
//! Why not a crate: `rs-fsrs` (the only small FSRS scheduler) pulls `chrono` beside our `time`
//! and ships no licence field; the `fsrs` crate trains models on `burn`, far too heavy. SM-2
//! with a right/wrong grade is all practice needs: intervals grow by the ease factor on right
//! answers and fall back to one day on a wrong one.

/// Beijing is UTC+8 all year.
const BEIJING_OFFSET: i64 = 8 * 3600;
const DAY: i64 = 86_400;

/// The Beijing calendar day of a unix time, counted from 1970-01-01 (Beijing).
pub fn beijing_day(unix: i64) -> i64 {
    (unix + BEIJING_OFFSET).div_euclid(DAY)
}

/// Ease factor × 1000 a new card starts with (SM-2's 2.5).
pub const START_EASE: i64 = 2500;
/// The ease never drops below 1.3.
const MIN_EASE: i64 = 1300;
/// A wrong answer costs this much ease (SM-2's change for a failed recall, rounded).
const WRONG_EASE: i64 = 200;
/// A right answer that was due adds this much (between SM-2's "good" 0 and "easy" 100).
const RIGHT_EASE: i64 = 0;
/// No interval grows past a year: the law changes, and officials should see it again.
const MAX_INTERVAL: i64 = 365;

/// One person's state on one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Card {
    /// Right answers in a row given when due.
    pub reps: i64,
    pub lapses: i64,
    /// × 1000.
    pub ease: i64,
    pub interval_days: i64,
    /// The Beijing day it is next due.
    pub due_day: i64,
    pub answers: i64,
    pub rights: i64,
    pub last_day: i64,
}

impl Card {
    /// A card for a question never answered before, due today.
    pub fn new(today: i64) -> Card {
        Card {
            reps: 0,
            lapses: 0,
            ease: START_EASE,
            interval_days: 0,
            due_day: today,
            answers: 0,
            rights: 0,
            last_day: today,
        }
    }

    pub fn is_due(&self, today: i64) -> bool {
        self.due_day <= today
    }

    /// The card after an answer given on `today`. A wrong answer always resets the interval to
    /// one day; a right one grows it only when the card was due (answering the same question
    /// again while practising a law the same day earns no extra interval).
    pub fn answered(self, correct: bool, today: i64) -> Card {
        let mut c = Card {
            answers: self.answers + 1,
            rights: self.rights + i64::from(correct),
            last_day: today,
            ..self
        };
        if !correct {
            c.reps = 0;
            c.lapses += 1;
            c.ease = (c.ease - WRONG_EASE).max(MIN_EASE);
            c.interval_days = 1;
            c.due_day = today + 1;
            return c;
        }
        if !self.is_due(today) {
            return c;
        }
        c.interval_days = match self.reps {
            0 => 1,
            1 => 6,
            _ => (self.interval_days * self.ease + 500) / 1000,
        }
        .clamp(1, MAX_INTERVAL);
        c.reps += 1;
        c.ease = (c.ease + RIGHT_EASE).max(MIN_EASE);
        c.due_day = today + c.interval_days;
        c
    }

    /// Share of answers that were right; None before three answers (too few to judge).
    pub fn accuracy(&self) -> Option<f64> {
        (self.answers >= 3).then(|| self.rights as f64 / self.answers as f64)
    }
}

/// Consecutive Beijing days with a finished 每日一练, counting back from today, or from
/// yesterday while today's is not done yet. `days` in any order.
pub fn streak(days: &[i64], today: i64) -> i64 {
    let mut sorted: Vec<i64> = days.iter().copied().filter(|d| *d <= today).collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    let mut expect = match sorted.first() {
        Some(d) if *d == today || *d == today - 1 => *d,
        _ => return 0,
    };
    let mut n = 0;
    for d in sorted {
        if d != expect {
            break;
        }
        n += 1;
        expect -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_days_turn_at_midnight_beijing_time() {
        // 2026-01-01 00:00 Beijing = 2025-12-31 16:00 UTC.
        let midnight = 1_767_196_800;
        assert_eq!(beijing_day(midnight) - beijing_day(midnight - 1), 1);
        assert_eq!(beijing_day(midnight), beijing_day(midnight + DAY - 1));
        assert_eq!(beijing_day(0), 0);
    }

    #[test]
    fn intervals_grow_on_right_answers_when_due() {
        let mut c = Card::new(100);
        let mut day = 100;
        let mut intervals = Vec::new();
        for _ in 0..5 {
            c = c.answered(true, day);
            intervals.push(c.interval_days);
            assert_eq!(c.due_day, day + c.interval_days);
            day = c.due_day;
        }
        assert_eq!(intervals, [1, 6, 15, 38, 95]);
        assert_eq!((c.answers, c.rights, c.reps), (5, 5, 5));
    }

    #[test]
    fn a_wrong_answer_resets_the_interval_and_lowers_the_ease() {
        let c = Card::new(10).answered(true, 10).answered(true, 11);
        assert_eq!(c.interval_days, 6);
        let wrong = c.answered(false, 17);
        assert_eq!((wrong.reps, wrong.interval_days, wrong.due_day), (0, 1, 18));
        assert_eq!(wrong.ease, START_EASE - 200);
        assert_eq!(wrong.lapses, 1);
        // Relearning starts from one day again, and later steps grow by the lower ease.
        let again = wrong.answered(true, 18).answered(true, 19);
        assert_eq!(again.interval_days, 6);
        assert_eq!(again.answered(true, 25).interval_days, 14);
        // The ease has a floor.
        let mut c = Card::new(0);
        for d in 0..20 {
            c = c.answered(false, d);
        }
        assert_eq!(c.ease, 1300);
    }

    #[test]
    fn right_answers_before_the_due_day_do_not_grow_the_interval() {
        let c = Card::new(5).answered(true, 5).answered(true, 6);
        assert_eq!((c.interval_days, c.due_day), (6, 12));
        let early = c.answered(true, 8);
        assert_eq!((early.interval_days, early.due_day, early.reps), (6, 12, 2));
        assert_eq!(early.answers, 3);
        assert!(!early.is_due(11) && early.is_due(12));
    }

    #[test]
    fn intervals_stop_at_a_year() {
        let mut c = Card::new(0);
        let mut day = 0;
        for _ in 0..12 {
            c = c.answered(true, day);
            day = c.due_day;
        }
        assert_eq!(c.interval_days, 365);
    }

    #[test]
    fn accuracy_needs_three_answers() {
        let c = Card::new(0).answered(false, 0).answered(true, 1);
        assert_eq!(c.accuracy(), None);
        let c = c.answered(false, 2);
        assert!((c.accuracy().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn streaks_count_consecutive_days_up_to_today_or_yesterday() {
        assert_eq!(streak(&[], 10), 0);
        assert_eq!(streak(&[10, 9, 8], 10), 3);
        assert_eq!(streak(&[9, 8, 6], 10), 2);
        assert_eq!(streak(&[8, 7], 10), 0);
        assert_eq!(streak(&[7, 10, 9, 9], 10), 2);
        assert_eq!(streak(&[11, 10], 10), 1);
    }
}
