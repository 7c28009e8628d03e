//! Crediting a heartbeat: how many seconds of study one heartbeat from a reading page earns.
//!
//! Pure: the caller reads "now" once from the clock and passes the person's mark (their
//! previous heartbeat) and what today already holds. The rules make the ledger honest:
//! - a heartbeat earns at most the real time since the person's previous one (one mark per
//!   person, so two tabs or a replayed burst never earn more than the clock moved);
//! - at most [`PER_BEAT_CAP`] each: the page beats every 30 s, a little slack for timers;
//! - after a gap longer than [`RESTART_AFTER`] (a hidden tab sends nothing, a closed laptop)
//!   the next heartbeat only starts a new run and earns nothing: the gap was not reading;
//! - a page that says it is hidden or idle earns nothing;
//! - at most [`DAILY_CAP`] a Beijing day.

/// Seconds one heartbeat may earn at most.
pub const PER_BEAT_CAP: i64 = 35;
/// A gap longer than this between heartbeats is a break, not reading.
pub const RESTART_AFTER: i64 = 90;
/// Reading time one person may earn a day: 4 hours.
pub const DAILY_CAP: i64 = 4 * 3600;

/// What the page reports with its heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beat {
    pub visible: bool,
    /// Pointer, key, scroll or touch in the last minute.
    pub active: bool,
}

/// The outcome: seconds to add to the ledger, and the mark the next heartbeat measures from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    pub seconds: i64,
    pub mark: i64,
}

/// Credits a heartbeat arriving at `now`; `mark` is the previous heartbeat's time (None for
/// the person's first), `today` the seconds already credited on `now`'s day.
pub fn credit(now: i64, mark: Option<i64>, beat: Beat, today: i64) -> Credit {
    // A clock that goes backwards (a mark from a later "now") must not earn or move back.
    let mark_next = mark.map_or(now, |m| m.max(now));
    let gap = mark.map_or(0, |m| now - m);
    let earned = if !beat.visible || !beat.active || gap <= 0 || gap > RESTART_AFTER {
        0
    } else {
        gap.min(PER_BEAT_CAP)
    };
    let room = (DAILY_CAP - today).max(0);
    Credit {
        seconds: earned.min(room),
        mark: mark_next,
    }
}

/// The Beijing calendar day (days since 1970-01-01) a moment falls in.
pub fn beijing_day(unix: i64) -> i64 {
    (unix + 8 * 3600).div_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEEN: Beat = Beat {
        visible: true,
        active: true,
    };

    /// Runs heartbeats at the given times through `credit` as the server does, returning
    /// the total credited.
    fn run(times: &[i64], beat: Beat) -> i64 {
        let (mut mark, mut total) = (None, 0);
        for &t in times {
            let c = credit(t, mark, beat, total);
            mark = Some(c.mark);
            total += c.seconds;
        }
        total
    }

    #[test]
    fn the_first_heartbeat_only_starts_the_run() {
        assert_eq!(
            credit(1000, None, SEEN, 0),
            Credit {
                seconds: 0,
                mark: 1000
            }
        );
    }

    #[test]
    fn steady_heartbeats_earn_the_real_time_between_them() {
        let times: Vec<i64> = (0..=10).map(|i| 1000 + i * 30).collect();
        assert_eq!(run(&times, SEEN), 300);
    }

    #[test]
    fn one_heartbeat_earns_at_most_the_cap() {
        assert_eq!(credit(1050, Some(1000), SEEN, 0).seconds, PER_BEAT_CAP);
    }

    #[test]
    fn a_gap_longer_than_a_break_earns_nothing_and_restarts() {
        let c = credit(1000 + RESTART_AFTER + 1, Some(1000), SEEN, 0);
        assert_eq!(c.seconds, 0);
        assert_eq!(c.mark, 1000 + RESTART_AFTER + 1);
        // The run goes on from there.
        assert_eq!(credit(c.mark + 30, Some(c.mark), SEEN, 0).seconds, 30);
    }

    #[test]
    fn a_hidden_tab_sends_nothing_so_the_hour_it_was_hidden_earns_nothing() {
        // Reading 60 s, hidden for an hour (no heartbeats), then reading 60 s again.
        let times = [0, 30, 60, 3660, 3690, 3720];
        assert_eq!(run(&times, SEEN), 120);
    }

    #[test]
    fn a_page_that_reports_hidden_or_idle_earns_nothing() {
        for beat in [
            Beat {
                visible: false,
                active: true,
            },
            Beat {
                visible: true,
                active: false,
            },
        ] {
            let c = credit(1030, Some(1000), beat, 0);
            assert_eq!(c.seconds, 0);
            assert_eq!(c.mark, 1030, "the mark moves so idling is not earned later");
        }
    }

    #[test]
    fn replayed_heartbeats_earn_nothing_beyond_the_real_time() {
        // Twenty heartbeats replayed within one second after a real 30 s.
        let mut times = vec![0, 30];
        times.extend(std::iter::repeat_n(31, 20));
        assert_eq!(run(&times, SEEN), 31);
    }

    #[test]
    fn two_tabs_beating_out_of_step_earn_no_more_than_the_clock() {
        // Tab A at 0, 30, 60…; tab B at 15, 45, 75…: one person, one mark.
        let mut times: Vec<i64> = (0..20).flat_map(|i| [i * 30, i * 30 + 15]).collect();
        times.sort();
        let last = *times.last().unwrap_or(&0);
        assert_eq!(run(&times, SEEN), last);
    }

    #[test]
    fn a_clock_going_backwards_earns_nothing_and_keeps_the_mark() {
        assert_eq!(
            credit(900, Some(1000), SEEN, 0),
            Credit {
                seconds: 0,
                mark: 1000
            }
        );
    }

    #[test]
    fn the_daily_cap_stops_crediting_and_never_goes_negative() {
        assert_eq!(credit(1030, Some(1000), SEEN, DAILY_CAP - 10).seconds, 10);
        assert_eq!(credit(1030, Some(1000), SEEN, DAILY_CAP).seconds, 0);
        assert_eq!(credit(1030, Some(1000), SEEN, DAILY_CAP + 99).seconds, 0);
        // Five hours of steady reading in one day earn four.
        let times: Vec<i64> = (0..=600).map(|i| i * 30).collect();
        assert_eq!(run(&times, SEEN), DAILY_CAP);
    }

    #[test]
    fn beijing_days_start_at_midnight_beijing_time() {
        // 2026-01-01 00:00 UTC is 08:00 in Beijing; 16:00 UTC is midnight there.
        let t0 = 1_767_225_600;
        assert_eq!(beijing_day(t0), beijing_day(t0 + 15 * 3600 + 3599));
        assert_eq!(beijing_day(t0 + 16 * 3600), beijing_day(t0) + 1);
    }
}
