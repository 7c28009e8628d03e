//! Reading the audit log: filters (who, action, period, target) and the unit scope that lets a
//! unit administrator see what happened in their own subtree. Writing stays in
//! `session::audit`; nothing updates or deletes these rows.

use sqlx::AnyConnection;

use super::session::AuditRow;
use super::store::{like_below, like_contains};

/// `None` is not applied. Times are unix seconds, `until` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// A substring of the actor as recorded (`张三（zhangsan）`, a login name, 系统).
    pub actor: Option<String>,
    /// An action code, e.g. `password_reset`.
    pub action: Option<String>,
    /// A substring of the target (a login name, a unit path, `题目 #12`, a file name).
    pub target: Option<String>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// A unit path: only entries whose actor or target user belongs to this unit or a unit
    /// below it, or whose target is such a unit. None: everything (system administrators).
    pub scope: Option<String>,
}

/// One statement for every filter: an empty text or the widest period is "not applied".
/// (sqlx's `QueryBuilder<Any>` writes `?` placeholders, which PostgreSQL refuses.)
const FILTER: &str = "where ($1 = '' or lower(a.actor) like $1 escape '\\') \
     and ($2 = '' or a.action = $2) \
     and ($3 = '' or lower(a.target) like $3 escape '\\') \
     and a.at >= $4 and a.at < $5 \
     and ($6 = '' or a.target = $6 or a.target like $7 escape '\\' \
          or exists (select 1 from app_user u join unit n on n.unit_id = u.unit_id \
                     where (u.user_id = a.actor_id or u.username = a.target) \
                       and (n.path = $6 or n.path like $7 escape '\\')))";

/// `%text%` for a case-insensitive substring match, or empty (not applied).
fn contains(text: Option<&str>) -> String {
    text.filter(|s| !s.is_empty())
        .map(like_contains)
        .unwrap_or_default()
}

/// One page of matching entries, newest first, and how many match in all. The scope holds
/// when the entry's actor or the user it names belongs to the unit or a unit below it, or
/// it names such a unit (units are targets by path).
pub async fn page(
    conn: &mut AnyConnection,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64), sqlx::Error> {
    let actor = contains(f.actor.as_deref());
    let action = f.action.clone().unwrap_or_default();
    let target = contains(f.target.as_deref());
    let scope = f.scope.clone().unwrap_or_default();
    let below = f.scope.as_deref().map(like_below).unwrap_or_default();
    let (from, until) = (f.from.unwrap_or(i64::MIN), f.until.unwrap_or(i64::MAX));
    let total: i64 = sqlx::query_scalar(&format!("select count(*) from audit_log a {FILTER}"))
        .bind(&actor)
        .bind(&action)
        .bind(&target)
        .bind(from)
        .bind(until)
        .bind(&scope)
        .bind(&below)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query_as(&format!(
        "select a.audit_id, a.at, a.actor_id, a.actor, a.action, a.target, a.detail, a.ip \
         from audit_log a {FILTER} order by a.audit_id desc limit $8 offset $9"
    ))
    .bind(&actor)
    .bind(&action)
    .bind(&target)
    .bind(from)
    .bind(until)
    .bind(&scope)
    .bind(&below)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, total))
}
