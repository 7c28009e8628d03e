//! SQL for accounts. Functions take a pool or a transaction; callers own transactions.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::AccountsError;
use super::types::{Role, within};
use crate::db::{OnConstraint, placeholders};

mod throttle;

pub use throttle::{Throttle, clear_throttle, count_attempt, forget_stale, lock_name, throttle};

#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct UnitRow {
    pub unit_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub path: String,
}

/// Creates the unit at `path` and any missing ancestors; returns the unit's id. A unit that
/// exists (also one a concurrent request creates meanwhile) is used as it is: the insert does
/// nothing on the unique path, then the row is read.
pub async fn ensure_unit_path(
    tx: &mut AnyConnection,
    prefixes: &[String],
    now: i64,
) -> Result<i64, AccountsError> {
    let mut parent: Option<i64> = None;
    for path in prefixes {
        let name = path.rsplit('/').next().unwrap_or(path);
        sqlx::query(
            "insert into unit (parent_id, name, path, created_at) values ($1, $2, $3, $4) \
             on conflict (path) do nothing",
        )
        .bind(parent)
        .bind(name)
        .bind(path)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar("select unit_id from unit where path = $1")
            .bind(path)
            .fetch_one(&mut *tx)
            .await?;
        parent = Some(id);
    }
    parent.ok_or_else(|| AccountsError::validation("单位", "不能为空"))
}

/// Inserts the unit at `path` (its parent already stored); a unit already at that path is a
/// conflict, decided by the unique index.
pub async fn insert_unit<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    parent: Option<i64>,
    path: &str,
    now: i64,
) -> Result<i64, AccountsError> {
    let name = path.rsplit('/').next().unwrap_or(path);
    sqlx::query_scalar(
        "insert into unit (parent_id, name, path, created_at) values ($1, $2, $3, $4) \
         returning unit_id",
    )
    .bind(parent)
    .bind(name)
    .bind(path)
    .bind(now)
    .fetch_one(ex)
    .await
    .on_constraint(|| AccountsError::Conflict(format!("单位「{path}」已存在")))
}

pub async fn unit_by_path<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    path: &str,
) -> Result<Option<UnitRow>, sqlx::Error> {
    sqlx::query_as("select unit_id, parent_id, name, path from unit where path = $1")
        .bind(path)
        .fetch_optional(ex)
        .await
}

pub async fn unit_by_id<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    unit_id: i64,
) -> Result<Option<UnitRow>, sqlx::Error> {
    sqlx::query_as("select unit_id, parent_id, name, path from unit where unit_id = $1")
        .bind(unit_id)
        .fetch_optional(ex)
        .await
}

/// Units in a subtree (or all), in path order.
pub async fn list_units<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    scope: Option<&str>,
) -> Result<Vec<UnitRow>, sqlx::Error> {
    let all: Vec<UnitRow> =
        sqlx::query_as("select unit_id, parent_id, name, path from unit order by path")
            .fetch_all(ex)
            .await?;
    Ok(all
        .into_iter()
        .filter(|u| scope.is_none_or(|s| within(&u.path, s)))
        .collect())
}

/// Renames a unit; the paths of the unit and all its descendants follow.
pub async fn rename_unit(
    tx: &mut AnyConnection,
    unit: &UnitRow,
    new_name: &str,
) -> Result<(), AccountsError> {
    let new_path = match unit.path.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/{new_name}"),
        None => new_name.to_string(),
    };
    let below: Vec<(i64, String)> = sqlx::query_as("select unit_id, path from unit")
        .fetch_all(&mut *tx)
        .await?;
    for (id, path) in below.into_iter().filter(|(_, p)| within(p, &unit.path)) {
        let moved = format!("{new_path}{}", &path[unit.path.len()..]);
        sqlx::query("update unit set path = $1 where unit_id = $2")
            .bind(&moved)
            .bind(id)
            .execute(&mut *tx)
            .await
            .on_constraint(|| AccountsError::Conflict(format!("单位「{moved}」已存在")))?;
    }
    sqlx::query("update unit set name = $1 where unit_id = $2")
        .bind(new_name)
        .bind(unit.unit_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// A user row with the unit path joined in; the password hash stays out of `Debug`.
#[derive(Clone, FromRow)]
pub struct UserRow {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit_id: i64,
    pub unit: String,
    pub phone: String,
    pub password_hash: String,
    pub active: i64,
    pub must_change_password: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Until when the login name is locked after failed sign-ins (unix seconds; 0 or past:
    /// not locked).
    pub locked_until: i64,
}

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("user_id", &self.user_id)
            .field("username", &self.username)
            .field("unit", &self.unit)
            .field("active", &self.active)
            .field("locked_until", &self.locked_until)
            .finish_non_exhaustive()
    }
}

/// Users with their unit path and their login name's lock (the throttle is keyed by name).
const USER_SQL: &str = "select u.user_id, u.username, u.name, u.unit_id, n.path as unit, u.phone, \
     u.password_hash, u.active, u.must_change_password, u.created_at, u.updated_at, \
     coalesce(t.locked_until, 0) as locked_until \
     from app_user u join unit n on n.unit_id = u.unit_id \
     left join login_throttle t on t.username = u.username";

pub async fn user_by_username<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    username: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("{USER_SQL} where u.username = $1"))
        .bind(username)
        .fetch_optional(ex)
        .await
}

pub async fn user_by_id<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(&format!("{USER_SQL} where u.user_id = $1"))
        .bind(user_id)
        .fetch_optional(ex)
        .await
}

pub async fn roles_of<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
) -> Result<Vec<Role>, sqlx::Error> {
    let codes: Vec<String> = sqlx::query_scalar("select role from user_role where user_id = $1")
        .bind(user_id)
        .fetch_all(ex)
        .await?;
    let mut roles: Vec<Role> = codes.iter().filter_map(|c| Role::parse(c)).collect();
    roles.sort();
    Ok(roles)
}

/// A new user, already validated.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub name: &'a str,
    pub unit_id: i64,
    pub phone: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
}

pub async fn insert_user(
    tx: &mut AnyConnection,
    u: &NewUser<'_>,
    now: i64,
) -> Result<i64, AccountsError> {
    let user_id: i64 = sqlx::query_scalar(
        "insert into app_user (username, name, unit_id, phone, password_hash, active, \
         must_change_password, created_at, updated_at) values ($1, $2, $3, $4, $5, 1, 1, $6, $6) \
         returning user_id",
    )
    .bind(u.username)
    .bind(u.name)
    .bind(u.unit_id)
    .bind(u.phone)
    .bind(u.password_hash)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .on_constraint(|| AccountsError::Conflict(format!("用户名「{}」已被使用", u.username)))?;
    set_roles(tx, user_id, u.roles).await?;
    Ok(user_id)
}

pub async fn set_roles(
    tx: &mut AnyConnection,
    user_id: i64,
    roles: &[Role],
) -> Result<(), sqlx::Error> {
    sqlx::query("delete from user_role where user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if roles.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "insert into user_role (user_id, role) values {}",
        placeholders(roles.len(), 2, 0)
    );
    let mut q = sqlx::query(&sql);
    for r in roles {
        q = q.bind(user_id).bind(r.as_str());
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// Changes the editable fields of a user.
pub async fn update_user(
    tx: &mut AnyConnection,
    user_id: i64,
    name: &str,
    unit_id: i64,
    phone: &str,
    active: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update app_user set name = $1, unit_id = $2, phone = $3, active = $4, updated_at = $5 \
         where user_id = $6",
    )
    .bind(name)
    .bind(unit_id)
    .bind(phone)
    .bind(i64::from(active))
    .bind(now)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub async fn set_password<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
    hash: &str,
    must_change: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update app_user set password_hash = $1, must_change_password = $2, updated_at = $3 \
         where user_id = $4",
    )
    .bind(hash)
    .bind(i64::from(must_change))
    .bind(now)
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn count_users<'c, E: Executor<'c, Database = Any>>(ex: E) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from app_user")
        .fetch_one(ex)
        .await
}

/// One page of users in a subtree (or all), optionally matching `q` in username or name.
pub async fn list_users(
    conn: &mut AnyConnection,
    scope: Option<&str>,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UserRow>, i64), sqlx::Error> {
    // Scope is a path prefix: the unit itself, or anything below it ("path/%").
    let (exact, below) = match scope {
        Some(s) => (s.to_string(), like_below(s)),
        None => (String::new(), "%".to_string()),
    };
    let pattern = q.map(like_contains);
    let filter = "where ($1 = '' or n.path = $1 or n.path like $2 escape '\\') \
         and ($3 = '' or lower(u.username) like $3 escape '\\' or lower(u.name) like $3 escape '\\')";
    let pattern = pattern.unwrap_or_default();
    let total: i64 = sqlx::query_scalar(&format!(
        "select count(*) from app_user u join unit n on n.unit_id = u.unit_id {filter}"
    ))
    .bind(&exact)
    .bind(&below)
    .bind(&pattern)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query_as(&format!(
        "{USER_SQL} {filter} order by n.path, u.username limit $4 offset $5"
    ))
    .bind(&exact)
    .bind(&below)
    .bind(&pattern)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, total))
}

/// `%text%`, lower case: a case-insensitive substring pattern for `lower(col) like … escape '\'`.
pub(crate) fn like_contains(text: &str) -> String {
    format!("%{}%", escape_like(&text.to_lowercase()))
}

/// `path/%`: the units below `path` (not `path` itself), for `like … escape '\'`.
pub(crate) fn like_below(path: &str) -> String {
    format!("{}/%", escape_like(path))
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
