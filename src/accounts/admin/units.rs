//! What administrators do to units: create (with missing ancestors) and rename, within the
//! actor's scope and audited in the same transaction.

use sqlx::AnyPool;

use super::Ctx;
use crate::accounts::session;
use crate::accounts::store;
use crate::accounts::{AccountsError, UnitPath};

/// Creates a unit (and missing ancestors) within the actor's scope.
pub async fn create_unit(pool: &AnyPool, ctx: &Ctx<'_>, path: &str) -> Result<i64, AccountsError> {
    let path = UnitPath::parse(path)?;
    let full = path.as_string();
    if !ctx.actor.can_manage_unit(&full) {
        return Err(AccountsError::Forbidden);
    }
    if store::unit_by_path(pool, &full).await?.is_some() {
        return Err(AccountsError::Conflict(format!("单位「{full}」已存在")));
    }
    let mut tx = pool.begin().await?;
    let id = store::ensure_unit_path(&mut tx, &path.prefixes(), ctx.now).await?;
    session::audit(&mut *tx, &ctx.audit("unit_created", &full, ""), ctx.now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a unit within the actor's scope (a unit admin cannot rename their own root unit).
pub async fn rename_unit(
    pool: &AnyPool,
    ctx: &Ctx<'_>,
    unit_id: i64,
    name: &str,
) -> Result<(), AccountsError> {
    let unit = store::unit_by_id(pool, unit_id)
        .await?
        .ok_or_else(|| AccountsError::NotFound("单位不存在".into()))?;
    let own_root = !ctx.actor.is_admin() && unit.path == ctx.actor.unit;
    if !ctx.actor.can_manage_unit(&unit.path) || own_root {
        return Err(AccountsError::Forbidden);
    }
    let new = UnitPath::parse(name)?;
    let [segment] = new.segments() else {
        return Err(AccountsError::validation("单位名称", "不能包含 /"));
    };
    let mut tx = pool.begin().await?;
    store::rename_unit(&mut tx, &unit, segment).await?;
    session::audit(
        &mut *tx,
        &ctx.audit("unit_renamed", &unit.path, segment),
        ctx.now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
