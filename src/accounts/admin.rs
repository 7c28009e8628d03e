//! What administrators do to users and units, each checked against the actor's scope and
//! written to the audit log in the same transaction.

use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyConnection, Executor};

use super::password;
use super::session::{self, Audit};
use super::store::{self, UnitRow, UserRow};
use super::{AccountsError, Actor, PersonName, Phone, Role, UnitPath};

mod create;
mod units;

pub use create::{PreparedUser, UserForm, ValidUser, create_user};
pub use units::{create_unit, rename_unit};

/// A user as administrators see them (never the password hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    pub phone: String,
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: i64,
    /// Whether the login name is locked now after repeated failed sign-ins.
    pub locked: bool,
    /// Until when (unix seconds), while `locked`.
    pub locked_until: Option<i64>,
}

/// The user as administrators see them at `now` (the lock depends on it).
pub async fn view<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    u: UserRow,
    now: i64,
) -> Result<UserView, sqlx::Error> {
    let roles = store::roles_of(ex, u.user_id).await?;
    let locked = u.locked_until > now;
    Ok(UserView {
        locked,
        locked_until: locked.then_some(u.locked_until),
        user_id: u.user_id,
        username: u.username,
        name: u.name,
        unit: u.unit,
        phone: u.phone,
        roles,
        active: u.active != 0,
        must_change_password: u.must_change_password != 0,
        created_at: u.created_at,
    })
}

/// Where an admin action comes from.
pub struct Ctx<'a> {
    pub actor: &'a Actor,
    pub ip: &'a str,
    pub now: i64,
}

impl Ctx<'_> {
    /// The audit entry for an action taken in this context.
    pub fn audit<'b>(&'b self, action: &'b str, target: &'b str, detail: &'b str) -> Audit<'b> {
        Audit {
            actor: Some(self.actor),
            actor_name: "",
            action,
            target,
            detail,
            ip: self.ip,
        }
    }
}

/// The unit a user may be put in: it must exist and be within the actor's scope.
async fn managed_unit<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    ctx: &Ctx<'_>,
    path: &UnitPath,
) -> Result<UnitRow, AccountsError> {
    let path = path.as_string();
    if !ctx.actor.can_manage_unit(&path) {
        return Err(AccountsError::Forbidden);
    }
    store::unit_by_path(ex, &path)
        .await?
        .ok_or_else(|| AccountsError::NotFound(format!("单位「{path}」不存在，请先创建")))
}

/// A user the actor may administer (404 when missing, 403 when outside their scope).
pub async fn managed_user(
    conn: &mut AnyConnection,
    actor: &Actor,
    user_id: i64,
) -> Result<UserRow, AccountsError> {
    let user = store::user_by_id(&mut *conn, user_id)
        .await?
        .ok_or_else(|| AccountsError::NotFound("用户不存在".into()))?;
    if !actor.can_manage_unit(&user.unit) {
        return Err(AccountsError::Forbidden);
    }
    // A system administrator is managed by system administrators only, wherever their unit.
    if !actor.is_admin()
        && store::roles_of(&mut *conn, user_id)
            .await?
            .contains(&Role::Admin)
    {
        return Err(AccountsError::Forbidden);
    }
    Ok(user)
}

/// Editable fields; absent ones stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UserEdit {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub phone: Option<String>,
    pub roles: Option<String>,
    pub active: Option<bool>,
}

pub async fn update_user(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    user_id: i64,
    edit: &UserEdit,
) -> Result<(), AccountsError> {
    let user = managed_user(&mut *tx, ctx.actor, user_id).await?;
    let name = match &edit.name {
        Some(n) => PersonName::parse(n)?.as_str().to_string(),
        None => user.name.clone(),
    };
    let phone = match &edit.phone {
        Some(p) => Phone::parse(p)?.as_str().to_string(),
        None => user.phone.clone(),
    };
    let unit_id = match &edit.unit {
        Some(u) => {
            managed_unit(&mut *tx, ctx, &UnitPath::parse(u)?)
                .await?
                .unit_id
        }
        None => user.unit_id,
    };
    let roles = match &edit.roles {
        Some(r) => Some(Role::parse_list(r)?),
        None => None,
    };
    if let Some(r) = &roles {
        let current = store::roles_of(&mut *tx, user_id).await?;
        // Granting or taking away 系统管理员 or 题库管理员 is for system administrators only.
        let held = current.contains(&Role::Admin) || current.contains(&Role::BankEditor);
        if !ctx.actor.may_grant(r) || (!ctx.actor.is_admin() && held) {
            return Err(AccountsError::Forbidden);
        }
    }
    let active = edit.active.unwrap_or(user.active != 0);
    if user_id == ctx.actor.user_id
        && (!active
            || roles
                .as_ref()
                .is_some_and(|r| !r.contains(&Role::Admin) && ctx.actor.is_admin()))
    {
        return Err(AccountsError::validation(
            "账号",
            "不能停用自己或取消自己的管理员角色",
        ));
    }
    store::update_user(&mut *tx, user_id, &name, unit_id, &phone, active, ctx.now).await?;
    if let Some(r) = &roles {
        store::set_roles(&mut *tx, user_id, r).await?;
    }
    if !active {
        session::end_all(&mut *tx, user_id).await?;
    }
    let action = if !active && user.active != 0 {
        "user_deactivated"
    } else {
        "user_updated"
    };
    let detail = edit_detail(edit, roles.as_deref());
    session::audit(
        &mut *tx,
        &ctx.audit(action, &user.username, &detail),
        ctx.now,
    )
    .await?;
    Ok(())
}

/// What an edit set, for the audit log, in words: `姓名：李四；角色：学员、执法人员；状态：停用`.
fn edit_detail(edit: &UserEdit, roles: Option<&[Role]>) -> String {
    let mut parts = Vec::new();
    let fields = [
        ("姓名", &edit.name),
        ("单位", &edit.unit),
        ("手机号", &edit.phone),
    ];
    for (label, value) in fields {
        if let Some(v) = value {
            let v = if v.trim().is_empty() {
                "（空）"
            } else {
                v.trim()
            };
            parts.push(format!("{label}：{v}"));
        }
    }
    if let Some(roles) = roles {
        let labels: Vec<&str> = roles.iter().map(|r| r.label()).collect();
        parts.push(format!("角色：{}", labels.join("、")));
    }
    if let Some(active) = edit.active {
        parts.push(format!("状态：{}", if active { "启用" } else { "停用" }));
    }
    parts.join("；")
}

/// Sets a new one-time password that must be changed at next sign-in; ends the user's
/// sessions and lifts a lock from failed sign-ins, so the new password works at once. `new`
/// is `password::Prepared::new(None, cost)`, hashed before the unit of work opened.
pub async fn reset_password(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    user_id: i64,
    new: password::Prepared,
) -> Result<String, AccountsError> {
    let user = managed_user(&mut *tx, ctx.actor, user_id).await?;
    let password::Prepared { password, hash } = new;
    store::set_password(&mut *tx, user_id, &hash, true, ctx.now).await?;
    session::end_all(&mut *tx, user_id).await?;
    let was_locked = store::throttle(&mut *tx, &user.username)
        .await?
        .locked_until
        > ctx.now;
    store::clear_throttle(&mut *tx, &user.username).await?;
    let detail = if was_locked {
        "同时解除登录锁定"
    } else {
        ""
    };
    session::audit(
        &mut *tx,
        &ctx.audit("password_reset", &user.username, detail),
        ctx.now,
    )
    .await?;
    Ok(password)
}

/// Lifts the lock (and forgets the failed sign-ins) of a user's login name. The lockout is
/// keyed by login name, so this is what lets the user try again. Audited only when there was
/// something to lift; unlocking an unlocked user changes nothing.
pub async fn unlock_user(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    user_id: i64,
) -> Result<(), AccountsError> {
    let user = managed_user(&mut *tx, ctx.actor, user_id).await?;
    let throttle = store::throttle(&mut *tx, &user.username).await?;
    if !store::clear_throttle(&mut *tx, &user.username).await? {
        return Ok(());
    }
    let detail = if throttle.locked_until > ctx.now {
        let minutes = (throttle.locked_until - ctx.now + 59) / 60;
        format!("解除登录锁定（原定 {minutes} 分钟后自动解锁）")
    } else {
        format!("清除 {} 次登录失败记录", throttle.failures)
    };
    session::audit(
        &mut *tx,
        &ctx.audit("user_unlocked", &user.username, &detail),
        ctx.now,
    )
    .await?;
    Ok(())
}

/// Users in the actor's scope, optionally narrowed to a unit subtree and a search term.
pub async fn list_users(
    conn: &mut AnyConnection,
    actor: &Actor,
    unit: Option<&str>,
    q: Option<&str>,
    page: i64,
    per_page: i64,
    now: i64,
) -> Result<(Vec<UserView>, i64), AccountsError> {
    let scope = actor.admin_scope()?;
    let filter = match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => {
            let path = UnitPath::parse(u)?.as_string();
            if !actor.can_manage_unit(&path) {
                return Err(AccountsError::Forbidden);
            }
            Some(path)
        }
        None => scope.map(str::to_string),
    };
    let offset = (page.max(1) - 1) * per_page;
    let (rows, total) = store::list_users(
        &mut *conn,
        filter.as_deref(),
        q.filter(|q| !q.trim().is_empty()),
        per_page,
        offset,
    )
    .await?;
    let mut views = Vec::with_capacity(rows.len());
    for r in rows {
        views.push(view(&mut *conn, r, now).await?);
    }
    Ok((views, total))
}
