//! Server-side sessions and the audit log.
//!
//! The cookie carries a random token; the database keeps only its SHA-256, so a copy of the
//! table opens no sessions. Each session has its own CSRF token.

use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::Actor;
use super::store;

/// A session ends after this long without a request…
pub const IDLE_SECS: i64 = 30 * 60;
/// …and in any case this long after sign-in.
pub const ABSOLUTE_SECS: i64 = 12 * 60 * 60;
/// `last_seen_at` is written at most this often, to spare the database a write per request.
const TOUCH_EVERY_SECS: i64 = 60;

/// 256 random bits, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

#[derive(Debug, Clone, FromRow)]
struct SessionRow {
    user_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
}

/// Whether a session created at `created` and last used at `seen` is still valid at `now`.
pub fn is_live(created: i64, seen: i64, now: i64) -> bool {
    now - seen < IDLE_SECS && now - created < ABSOLUTE_SECS
}

/// A new session for `user_id`; returns (cookie token, CSRF token).
pub async fn create<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
    now: i64,
) -> Result<(String, String), sqlx::Error> {
    let token = random_token();
    let csrf = random_token();
    sqlx::query(
        "insert into session (session_hash, user_id, csrf_token, created_at, last_seen_at) \
         values ($1, $2, $3, $4, $4)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(&csrf)
    .bind(now)
    .execute(ex)
    .await?;
    Ok((token, csrf))
}

/// The signed-in user behind a cookie token, with the session's CSRF token; None when the
/// session is unknown, expired (then deleted) or its user deactivated.
pub async fn resolve(
    conn: &mut AnyConnection,
    token: &str,
    now: i64,
) -> Result<Option<(Actor, String)>, sqlx::Error> {
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "select user_id, csrf_token, created_at, last_seen_at from session where session_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if !is_live(row.created_at, row.last_seen_at, now) {
        end(&mut *conn, token).await?;
        return Ok(None);
    }
    let Some(user) = store::user_by_id(&mut *conn, row.user_id).await? else {
        return Ok(None);
    };
    if user.active == 0 {
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_EVERY_SECS {
        sqlx::query("update session set last_seen_at = $1 where session_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
    }
    let roles = store::roles_of(&mut *conn, user.user_id).await?;
    let actor = Actor {
        user_id: user.user_id,
        username: user.username,
        name: user.name,
        unit: user.unit,
        roles,
        must_change_password: user.must_change_password != 0,
    };
    Ok(Some((actor, row.csrf_token)))
}

/// Ends one session (logout, or rotation at sign-in).
pub async fn end<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    token: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from session where session_hash = $1")
        .bind(token_hash(token))
        .execute(ex)
        .await?;
    Ok(())
}

/// Ends every session of a user (password reset, deactivation).
pub async fn end_all<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from session where user_id = $1")
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Ends every session of a user but the one whose cookie token is `keep` (password change).
pub async fn end_others<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
    keep: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from session where user_id = $1 and session_hash <> $2")
        .bind(user_id)
        .bind(token_hash(keep))
        .execute(ex)
        .await?;
    Ok(())
}

/// One audit record: who (`actor`), did what (`action`), to whom (`target`), details.
pub struct Audit<'a> {
    pub actor: Option<&'a Actor>,
    /// Used when there is no signed-in actor, e.g. the login name of a failed sign-in.
    pub actor_name: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub detail: &'a str,
    pub ip: &'a str,
}

/// Appends to the audit log. Nothing in the application updates or deletes these rows.
pub async fn audit<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    a: &Audit<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let actor_name = a.actor.map_or(a.actor_name.to_string(), |u| {
        format!("{}（{}）", u.name, u.username)
    });
    sqlx::query(
        "insert into audit_log (at, actor_id, actor, action, target, detail, ip) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now)
    .bind(a.actor.map(|u| u.user_id).filter(|id| *id > 0))
    .bind(actor_name)
    .bind(a.action)
    .bind(a.target)
    .bind(a.detail)
    .bind(a.ip)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub audit_id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub ip: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_expire_when_idle_or_old() {
        assert!(is_live(0, 0, IDLE_SECS - 1));
        assert!(!is_live(0, 0, IDLE_SECS));
        assert!(is_live(0, ABSOLUTE_SECS - 10, ABSOLUTE_SECS - 1));
        assert!(!is_live(0, ABSOLUTE_SECS - 10, ABSOLUTE_SECS));
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 64);
    }
}
