//! SQL for study time: the heartbeat mark, the ledger, the year's totals (reading, practice,
//! exams) and the unit overrides of the requirements. The caller owns the unit of work.

use std::collections::{HashMap, HashSet};

use sqlx::{AnyConnection, FromRow};

/// A practice answer earns the time since the person's previous answer, at most this: a
/// question takes a minute or two to read and answer; a longer gap was not practice.
pub const PRACTICE_ANSWER_CAP: i64 = 120;

pub async fn mark(conn: &mut AnyConnection, user_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select last_beat_at from study_mark where user_id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Moves the mark from `prev` to `next`; false when another heartbeat moved it first (the
/// loser earns nothing, so concurrent heartbeats never both count the same seconds).
pub async fn move_mark(
    conn: &mut AnyConnection,
    user_id: i64,
    prev: Option<i64>,
    next: i64,
) -> Result<bool, sqlx::Error> {
    let done =
        match prev {
            None => {
                sqlx::query(
                    "insert into study_mark (user_id, last_beat_at) values ($1, $2) \
             on conflict (user_id) do nothing",
                )
                .bind(user_id)
                .bind(next)
                .execute(conn)
                .await?
            }
            Some(prev) => sqlx::query(
                "update study_mark set last_beat_at = $3 where user_id = $1 and last_beat_at = $2",
            )
            .bind(user_id)
            .bind(prev)
            .bind(next)
            .execute(conn)
            .await?,
        };
    Ok(done.rows_affected() == 1)
}

/// Seconds of reading credited to the person on `day`.
pub async fn day_total(
    conn: &mut AnyConnection,
    user_id: i64,
    day: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(coalesce(sum(seconds), 0) as bigint) from study_time \
         where user_id = $1 and day = $2",
    )
    .bind(user_id)
    .bind(day)
    .fetch_one(conn)
    .await
}

/// Adds reading time: kind `law` (ref_id the statute) or `material` (the note).
pub async fn add_time(
    conn: &mut AnyConnection,
    user_id: i64,
    day: i64,
    kind: &str,
    ref_id: i64,
    seconds: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into study_time (user_id, day, kind, ref_id, seconds) values ($1, $2, $5, $3, $4) \
         on conflict (user_id, day, kind, ref_id) \
         do update set seconds = study_time.seconds + excluded.seconds",
    )
    .bind(user_id)
    .bind(day)
    .bind(ref_id)
    .bind(seconds)
    .bind(kind)
    .execute(conn)
    .await?;
    Ok(())
}

/// The statute a law version belongs to (reading any version counts for the law).
pub async fn statute_of(conn: &mut AnyConnection, law_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select statute_id from law where law_id = $1")
        .bind(law_id)
        .fetch_optional(conn)
        .await
}

/// One line of the ledger: a day, a law, the seconds credited.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct LedgerRow {
    /// Beijing day counted from 1970-01-01.
    pub day: i64,
    pub kind: String,
    pub statute_id: i64,
    pub title: String,
    pub seconds: i64,
}

/// The person's reading ledger for days `from..until`, newest day first.
pub async fn ledger(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    until: i64,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    sqlx::query_as(
        "select t.day, t.kind, s.statute_id, s.title, t.seconds from study_time t \
         join statute s on s.statute_id = t.ref_id \
         where t.user_id = $1 and t.kind = 'law' and t.day >= $2 and t.day < $3 \
         order by t.day desc, s.title",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await
}

/// Reading seconds per law title for days `from..until`: the law's pages and its study
/// notes (a note's reading time counts for its law).
pub async fn law_seconds(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    until: i64,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select title, cast(sum(seconds) as bigint) from ( \
         select s.title as title, t.seconds as seconds from study_time t \
         join statute s on s.statute_id = t.ref_id \
         where t.user_id = $1 and t.kind = 'law' and t.day >= $2 and t.day < $3 \
         union all select m.law_title, t.seconds from study_time t \
         join material m on m.material_id = t.ref_id \
         where t.user_id = $1 and t.kind = 'material' and t.day >= $2 and t.day < $3 \
         ) r group by title",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// What one practice answer earns, from the gap since the person's previous answer (None:
/// the first one): the gap, at most [`PRACTICE_ANSWER_CAP`]; the first answer of a run (no
/// previous one, or after a longer pause) earns the cap's half, for reading the question.
pub fn practice_credit(gap: Option<i64>) -> i64 {
    match gap {
        Some(g) if g <= PRACTICE_ANSWER_CAP => g.max(0),
        _ => PRACTICE_ANSWER_CAP / 2,
    }
}

/// Credits an answer given at `now` on Beijing day `day` to the practice ledger. Call it
/// before the answer is stored: the previous answer is the person's latest one.
pub async fn credit_practice(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
    day: i64,
) -> Result<i64, sqlx::Error> {
    let previous: Option<i64> =
        sqlx::query_scalar("select max(answered_at) from practice_answer where user_id = $1")
            .bind(user_id)
            .fetch_one(&mut *conn)
            .await?;
    let seconds = practice_credit(previous.map(|p| now - p));
    sqlx::query(
        "insert into practice_time (user_id, day, seconds) values ($1, $2, $3) \
         on conflict (user_id, day) do update set seconds = practice_time.seconds + excluded.seconds",
    )
    .bind(user_id)
    .bind(day)
    .bind(seconds)
    .execute(&mut *conn)
    .await?;
    Ok(seconds)
}

/// Rebuilds the practice ledger from the answers, by the rule of [`practice_credit`] (as
/// migration 0014 does): for records written straight into `practice_answer` (the bench).
pub async fn rebuild_practice_time(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("delete from practice_time")
        .execute(&mut *conn)
        .await?;
    let cap = PRACTICE_ANSWER_CAP;
    sqlx::query(&format!(
        "insert into practice_time (user_id, day, seconds) select user_id, day, \
         sum(case when gap is null or gap > {cap} then {half} else gap end) from \
         (select user_id, day, answered_at - lag(answered_at) over (partition by user_id \
         order by answered_at, answer_id) as gap from practice_answer) g group by user_id, day",
        half = cap / 2
    ))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Practice time on Beijing days `[day_from, day_until)`, from the ledger.
pub async fn practice_seconds(
    conn: &mut AnyConnection,
    user_id: i64,
    day_from: i64,
    day_until: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(coalesce(sum(seconds), 0) as bigint) from practice_time \
         where user_id = $1 and day >= $2 and day < $3",
    )
    .bind(user_id)
    .bind(day_from)
    .bind(day_until)
    .fetch_one(conn)
    .await
}

/// Exam time in `[from, until)`: each finished attempt from its start to its submission (or
/// its deadline, when it ran out).
pub async fn exam_seconds(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    until: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(coalesce(sum(case when finished_at is null or finished_at > deadline \
         then deadline else finished_at end - started_at), 0) as bigint) from attempt \
         where user_id = $1 and status <> 'in_progress' and started_at >= $2 and started_at < $3",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_one(conn)
    .await
}

/// The titles of the imported laws.
pub async fn known_titles(conn: &mut AnyConnection) -> Result<HashSet<String>, sqlx::Error> {
    let titles: Vec<String> = sqlx::query_scalar("select title from statute")
        .fetch_all(conn)
        .await?;
    Ok(titles.into_iter().collect())
}

/// A unit's override for a year.
#[derive(Debug, Clone, FromRow)]
pub struct OverrideRow {
    pub hours: i64,
    pub sessions: i64,
    pub updated_at: i64,
}

pub async fn override_of(
    conn: &mut AnyConnection,
    unit_id: i64,
    year: i32,
) -> Result<Option<OverrideRow>, sqlx::Error> {
    sqlx::query_as(
        "select hours, sessions, updated_at from study_requirement where unit_id = $1 and year = $2",
    )
    .bind(unit_id)
    .bind(i64::from(year))
    .fetch_optional(conn)
    .await
}

/// The override of the nearest unit at or above `path` for a year.
pub async fn nearest_override(
    conn: &mut AnyConnection,
    path: &str,
    year: i32,
) -> Result<Option<OverrideRow>, sqlx::Error> {
    let mut at = Some(path);
    while let Some(p) = at {
        let row = sqlx::query_as(
            "select r.hours, r.sessions, r.updated_at from study_requirement r \
             join unit u on u.unit_id = r.unit_id where u.path = $1 and r.year = $2",
        )
        .bind(p)
        .bind(i64::from(year))
        .fetch_optional(&mut *conn)
        .await?;
        if row.is_some() {
            return Ok(row);
        }
        at = p.rfind('/').map(|i| &p[..i]);
    }
    Ok(None)
}

pub async fn set_override(
    conn: &mut AnyConnection,
    unit_id: i64,
    year: i32,
    hours: u32,
    sessions: u32,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into study_requirement (unit_id, year, hours, sessions, updated_at, updated_by) \
         values ($1, $2, $3, $4, $5, $6) on conflict (unit_id, year) do update set \
         hours = excluded.hours, sessions = excluded.sessions, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(unit_id)
    .bind(i64::from(year))
    .bind(i64::from(hours))
    .bind(i64::from(sessions))
    .bind(now)
    .bind(Some(by).filter(|id| *id > 0))
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_practice_answer_earns_the_gap_capped_and_a_run_starts_at_half_the_cap() {
        assert_eq!(practice_credit(None), 60);
        assert_eq!(practice_credit(Some(45)), 45);
        assert_eq!(
            practice_credit(Some(PRACTICE_ANSWER_CAP)),
            PRACTICE_ANSWER_CAP
        );
        assert_eq!(
            practice_credit(Some(PRACTICE_ANSWER_CAP + 1)),
            60,
            "a new run"
        );
        assert_eq!(
            practice_credit(Some(-5)),
            0,
            "a clock that went back earns nothing"
        );
    }
}
