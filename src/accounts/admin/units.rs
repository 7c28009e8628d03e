//! What administrators do to units: create (with missing ancestors) and rename, within the
//! actor's scope and audited in the same transaction.

use sqlx::AnyConnection;

use super::Ctx;
use crate::accounts::session;
use crate::accounts::store;
use crate::accounts::{AccountsError, UnitPath};

/// Creates a unit (and missing ancestors) within the actor's scope.
/// The unique index on `unit.path` decides whether it exists already (409), so two concurrent
/// creations of one unit cannot both succeed.
pub async fn create_unit(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    path: &str,
) -> Result<i64, AccountsError> {
    let path = UnitPath::parse(path)?;
    let full = path.as_string();
    if !ctx.actor.can_manage_unit(&full) {
        return Err(AccountsError::Forbidden);
    }
    let prefixes = path.prefixes();
    let (own, ancestors) = prefixes
        .split_last()
        .ok_or_else(|| AccountsError::validation("单位", "不能为空"))?;
    let parent = match ancestors {
        [] => None,
        _ => Some(store::ensure_unit_path(&mut *tx, ancestors, ctx.now).await?),
    };
    let id = store::insert_unit(&mut *tx, parent, own, ctx.now).await?;
    session::audit(&mut *tx, &ctx.audit("unit_created", &full, ""), ctx.now).await?;
    Ok(id)
}

/// Renames a unit within the actor's scope (a unit admin cannot rename their own root unit).
pub async fn rename_unit(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    unit_id: i64,
    name: &str,
) -> Result<(), AccountsError> {
    let unit = store::unit_by_id(&mut *tx, unit_id)
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
    store::rename_unit(&mut *tx, &unit, segment).await?;
    session::audit(
        &mut *tx,
        &ctx.audit("unit_renamed", &unit.path, segment),
        ctx.now,
    )
    .await?;
    Ok(())
}
