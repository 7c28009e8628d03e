//! Signing in and out, changing one's password, and the first administrator.

use sqlx::{Any, AnyConnection, Executor};

use super::password::{self, HashCost};
use super::session::{self, Audit};
use super::store::{self, NewUser, Throttle};
use super::{AccountsError, Actor, Role, UnitPath, Username};

/// Failed sign-ins allowed within the window before the login name is locked.
pub const MAX_FAILURES: i64 = 5;
pub const WINDOW_SECS: i64 = 15 * 60;
pub const LOCK_SECS: i64 = 15 * 60;

/// A successful sign-in: the user and a fresh session.
pub struct SignedIn {
    pub actor: Actor,
    pub session_token: String,
    pub csrf_token: String,
}

/// Where the attempt comes from, for the audit log.
pub struct Origin<'a> {
    pub ip: &'a str,
}

/// Failures after which the sign-in error says how many tries are left before the lock.
pub const WARN_AFTER: i64 = 3;

/// The key failed sign-ins are counted under: the login name as `Username` reads it, or, for
/// a name no account can have, its trimmed lowercase text (control characters dropped, cut
/// to 64 characters). Either way every name is counted the same, so the tries-left warning
/// and the lock say nothing about whether the account exists.
fn throttle_key(username: &str) -> String {
    match Username::parse(username) {
        Ok(u) => u.as_str().to_string(),
        Err(_) => username
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect(),
    }
}

/// Signs in. Unknown names, wrong passwords and deactivated accounts get the same error
/// after the same argon2 work; from the third failure on the error says how many tries are
/// left; five failures in 15 minutes lock the name for 15 minutes, whether or not such a
/// user exists.
pub async fn login(
    conn: &mut AnyConnection,
    cost: HashCost,
    username: &str,
    password: &str,
    origin: Origin<'_>,
    now: i64,
) -> Result<SignedIn, AccountsError> {
    let key = throttle_key(username);
    // A malformed name cannot exist; still do the same work so the reply time says nothing.
    let name = Username::parse(username)
        .map(|u| u.as_str().to_string())
        .unwrap_or_default();
    // Counted before the password check, in one statement: parallel guesses cannot all
    // read "4 failures so far" and all be checked.
    let throttle = if key.is_empty() {
        Throttle::default()
    } else {
        store::count_attempt(&mut *conn, &key, now, now - WINDOW_SECS).await?
    };
    if throttle.locked_until > now {
        return Err(AccountsError::Locked {
            minutes: (throttle.locked_until - now + 59) / 60,
        });
    }
    if throttle.failures > MAX_FAILURES {
        // Beyond the budget while the attempts before it are still being checked: the fifth
        // failure among them locks the name.
        return Err(AccountsError::Locked {
            minutes: LOCK_SECS / 60,
        });
    }
    let user = if name.is_empty() {
        None
    } else {
        store::user_by_username(&mut *conn, &name).await?
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let verified = password::verify(password.to_string(), stored, cost).await;
    let user = match user {
        Some(u) if verified && u.active != 0 => u,
        _ if key.is_empty() => return Err(AccountsError::InvalidCredentials),
        _ => {
            let after = record_failure(&mut *conn, &key, throttle, &origin, now).await?;
            return Err(failure_error(after, now));
        }
    };
    store::clear_throttle(&mut *conn, &name).await?;
    let (session_token, csrf_token) = session::create(&mut *conn, user.user_id, now).await?;
    let actor = Actor {
        user_id: user.user_id,
        username: user.username.clone(),
        name: user.name.clone(),
        unit: user.unit.clone(),
        roles: store::roles_of(&mut *conn, user.user_id).await?,
        must_change_password: user.must_change_password != 0,
    };
    let entry = Audit {
        actor: Some(&actor),
        actor_name: "",
        action: "login",
        target: &actor.username,
        detail: "",
        ip: origin.ip,
    };
    session::audit(&mut *conn, &entry, now).await?;
    Ok(SignedIn {
        actor,
        session_token,
        csrf_token,
    })
}

/// The error for a failed sign-in, given the name's throttle after counting the failure.
fn failure_error(t: Throttle, now: i64) -> AccountsError {
    let minutes = LOCK_SECS / 60;
    if t.locked_until > now {
        AccountsError::NowLocked {
            failures: MAX_FAILURES,
            minutes,
        }
    } else if t.failures >= WARN_AFTER {
        AccountsError::TriesLeft {
            remaining: MAX_FAILURES - t.failures,
            minutes,
        }
    } else {
        AccountsError::InvalidCredentials
    }
}

/// Forgets sign-in failures that no longer count (their window is over and no lock holds):
/// run now and then so the throttle table stays bounded. Returns how many names it forgot.
pub async fn forget_stale_throttles(pool: &sqlx::AnyPool, now: i64) -> Result<u64, AccountsError> {
    Ok(store::forget_stale(pool, now, now - WINDOW_SECS).await?)
}

/// Records a failed attempt (already counted by `count_attempt`) and locks the name at the
/// fifth; returns the throttle as it now stands.
async fn record_failure(
    conn: &mut AnyConnection,
    name: &str,
    counted: Throttle,
    origin: &Origin<'_>,
    now: i64,
) -> Result<Throttle, AccountsError> {
    let locked = counted.failures >= MAX_FAILURES;
    let t = if locked {
        store::lock_name(&mut *conn, name, now, now + LOCK_SECS).await?;
        Throttle {
            failures: 0,
            window_start: now,
            locked_until: now + LOCK_SECS,
        }
    } else {
        counted
    };
    let failed = Audit {
        actor: None,
        actor_name: name,
        action: "login_failed",
        target: name,
        detail: "",
        ip: origin.ip,
    };
    session::audit(&mut *conn, &failed, now).await?;
    if locked {
        let detail = format!(
            "连续 {MAX_FAILURES} 次登录失败，锁定 {} 分钟",
            LOCK_SECS / 60
        );
        let entry = Audit {
            actor: None,
            actor_name: name,
            action: "account_locked",
            target: name,
            detail: &detail,
            ip: origin.ip,
        };
        session::audit(&mut *conn, &entry, now).await?;
    }
    Ok(t)
}

/// A password change as typed: the current password and the new one.
pub struct NewPassword<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// A checked password change: the current password verified and the new one hashed, before
/// the unit of work opens (argon2 twice must not hold the write lock).
pub struct CheckedChange {
    user_id: i64,
    username: String,
    hash: String,
}

impl CheckedChange {
    /// Verifies the current password and the policy for the new one, and hashes it.
    pub async fn new<'c, E: Executor<'c, Database = Any>>(
        ex: E,
        cost: HashCost,
        actor: &Actor,
        change: NewPassword<'_>,
    ) -> Result<CheckedChange, AccountsError> {
        let NewPassword {
            old: old_password,
            new: new_password,
        } = change;
        let user = store::user_by_id(ex, actor.user_id)
            .await?
            .ok_or_else(|| AccountsError::NotFound("用户不存在".into()))?;
        if !password::verify(
            old_password.to_string(),
            Some(user.password_hash.clone()),
            cost,
        )
        .await
        {
            return Err(AccountsError::validation("原密码", "不正确"));
        }
        if old_password == new_password {
            return Err(AccountsError::WeakPassword("新密码不能与原密码相同".into()));
        }
        password::check_policy(new_password, &user.username)?;
        let hash = password::hash(new_password.to_string(), cost).await?;
        Ok(CheckedChange {
            user_id: user.user_id,
            username: user.username,
            hash,
        })
    }
}

/// Changes the signed-in user's own password (the forced change after first sign-in too).
/// Other sessions of the user end; the current one stays.
pub async fn change_password(
    tx: &mut AnyConnection,
    actor: &Actor,
    keep_session: &str,
    change: CheckedChange,
    origin: Origin<'_>,
    now: i64,
) -> Result<(), AccountsError> {
    store::set_password(&mut *tx, change.user_id, &change.hash, false, now).await?;
    let entry = Audit {
        actor: Some(actor),
        actor_name: "",
        action: "password_changed",
        target: &change.username,
        detail: "",
        ip: origin.ip,
    };
    session::audit(&mut *tx, &entry, now).await?;
    session::end_others(&mut *tx, change.user_id, keep_session).await?;
    Ok(())
}

/// Login name of the administrator created on first start.
pub const FIRST_ADMIN: &str = "admin";
/// The unit the first administrator belongs to.
pub const ADMIN_UNIT: &str = "系统管理";

/// Whether the database has no users yet, so `create_first_admin` is due.
pub async fn needs_first_admin<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<bool, AccountsError> {
    Ok(store::count_users(ex).await? == 0)
}

/// Creates the system administrator `admin` with the prepared password, which must be
/// changed at first sign-in. False when another node created it first (the unique index on
/// usernames decides; the caller then rolls back).
pub async fn create_first_admin(
    tx: &mut AnyConnection,
    password: &password::Prepared,
    now: i64,
) -> Result<bool, AccountsError> {
    let unit = UnitPath::parse(ADMIN_UNIT)?;
    let unit_id = store::ensure_unit_path(&mut *tx, &unit.prefixes(), now).await?;
    let user = NewUser {
        username: FIRST_ADMIN,
        name: "系统管理员",
        unit_id,
        phone: "",
        password_hash: &password.hash,
        roles: &[Role::Official, Role::Admin],
    };
    match store::insert_user(&mut *tx, &user, now).await {
        Ok(_) => {
            let entry = Audit {
                actor: None,
                actor_name: "系统",
                action: "user_created",
                target: FIRST_ADMIN,
                detail: "首次启动创建系统管理员",
                ip: "",
            };
            session::audit(&mut *tx, &entry, now).await?;
            Ok(true)
        }
        Err(AccountsError::Conflict(_)) => Ok(false),
        Err(e) => Err(e),
    }
}
