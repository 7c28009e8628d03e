//! Failed sign-ins per login name (whether or not such a user exists): counting, locking,
//! forgetting.

use sqlx::{Any, Executor, FromRow};

/// Failed sign-ins for one login name.
#[derive(Debug, Clone, Copy, FromRow, Default, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i64,
    pub window_start: i64,
    pub locked_until: i64,
}

pub async fn throttle<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    username: &str,
) -> Result<Throttle, sqlx::Error> {
    Ok(sqlx::query_as(
        "select failures, window_start, locked_until from login_throttle where username = $1",
    )
    .bind(username)
    .fetch_optional(ex)
    .await?
    .unwrap_or_default())
}

/// Counts one sign-in attempt for a login name, atomically, before its password is checked,
/// and returns the name's throttle with it counted: so of many parallel guesses only the
/// first `MAX_FAILURES` get as far as the password check. While the name is locked nothing
/// is counted; a window older than `window_start_before` starts again at one.
pub async fn count_attempt<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    username: &str,
    now: i64,
    window_start_before: i64,
) -> Result<Throttle, sqlx::Error> {
    sqlx::query_as(
        "insert into login_throttle (username, failures, window_start, locked_until) \
         values ($1, 1, $2, 0) on conflict (username) do update set \
         failures = case when login_throttle.locked_until > $2 then login_throttle.failures \
             when login_throttle.window_start <= $3 then 1 \
             else login_throttle.failures + 1 end, \
         window_start = case when login_throttle.locked_until > $2 then login_throttle.window_start \
             when login_throttle.window_start <= $3 then $2 \
             else login_throttle.window_start end \
         returning failures, window_start, locked_until",
    )
    .bind(username)
    .bind(now)
    .bind(window_start_before)
    .fetch_one(ex)
    .await
}

/// Locks a login name until `until`, its count starting again afterwards.
pub async fn lock_name<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    username: &str,
    now: i64,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update login_throttle set failures = 0, window_start = $2, locked_until = $3 \
         where username = $1",
    )
    .bind(username)
    .bind(now)
    .bind(until)
    .execute(ex)
    .await?;
    Ok(())
}

/// Forgets a login name's failures and lock; returns whether there was anything to forget.
pub async fn clear_throttle<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    username: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("delete from login_throttle where username = $1")
        .bind(username)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Forgets the names whose window started at or before `window_start_before` and that are
/// not locked at `now`: such a row counts the same as no row, so the table stays as small as
/// the names tried in the last window. Returns how many were forgotten.
pub async fn forget_stale<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    now: i64,
    window_start_before: i64,
) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("delete from login_throttle where locked_until <= $1 and window_start <= $2")
            .bind(now)
            .bind(window_start_before)
            .execute(ex)
            .await?;
    Ok(done.rows_affected())
}
