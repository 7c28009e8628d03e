//! Reading the audit log: filters (who, action, period, target) and the unit scope that lets a
//! unit administrator see what happened in their own subtree. Writing stays in
//! `session::audit`; nothing updates or deletes these rows.

use sqlx::{Any, AnyPool, QueryBuilder};

use super::session::AuditRow;
use super::store::escape_like;

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

fn push_filters(qb: &mut QueryBuilder<'_, Any>, f: &AuditFilter) {
    qb.push(" where 1 = 1");
    if let Some(actor) = f.actor.as_deref().filter(|s| !s.is_empty()) {
        qb.push(" and lower(a.actor) like ");
        qb.push_bind(format!("%{}%", escape_like(&actor.to_lowercase())));
        qb.push(" escape '\\'");
    }
    if let Some(action) = f.action.as_deref().filter(|s| !s.is_empty()) {
        qb.push(" and a.action = ");
        qb.push_bind(action.to_string());
    }
    if let Some(target) = f.target.as_deref().filter(|s| !s.is_empty()) {
        qb.push(" and lower(a.target) like ");
        qb.push_bind(format!("%{}%", escape_like(&target.to_lowercase())));
        qb.push(" escape '\\'");
    }
    if let Some(from) = f.from {
        qb.push(" and a.at >= ");
        qb.push_bind(from);
    }
    if let Some(until) = f.until {
        qb.push(" and a.at < ");
        qb.push_bind(until);
    }
    if let Some(scope) = &f.scope {
        let below = format!("{}/%", escape_like(scope));
        // The entry concerns the subtree when its actor or the user it names is a member, or
        // it names a unit of the subtree (units are targets by path).
        qb.push(
            " and (exists (select 1 from app_user u join unit n on n.unit_id = u.unit_id \
             where (u.user_id = a.actor_id or u.username = a.target) and (n.path = ",
        );
        qb.push_bind(scope.clone());
        qb.push(" or n.path like ");
        qb.push_bind(below.clone());
        qb.push(" escape '\\')) or a.target = ");
        qb.push_bind(scope.clone());
        qb.push(" or a.target like ");
        qb.push_bind(below);
        qb.push(" escape '\\')");
    }
}

/// One page of matching entries, newest first, and how many match in all.
pub async fn page(
    pool: &AnyPool,
    f: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64), sqlx::Error> {
    let mut count = QueryBuilder::<Any>::new("select count(*) from audit_log a");
    push_filters(&mut count, f);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut rows = QueryBuilder::<Any>::new(
        "select a.audit_id, a.at, a.actor_id, a.actor, a.action, a.target, a.detail, a.ip \
         from audit_log a",
    );
    push_filters(&mut rows, f);
    rows.push(" order by a.audit_id desc limit ");
    rows.push_bind(limit);
    rows.push(" offset ");
    rows.push_bind(offset);
    let rows = rows.build_query_as().fetch_all(pool).await?;
    Ok((rows, total))
}
