//! Creating a user: the form as typed, its validation, the password hashed before the unit of
//! work, and the insert with its audit entry inside it.

use serde::Deserialize;
use sqlx::AnyConnection;

use super::{Ctx, managed_unit};
use crate::accounts::password::{self, HashCost};
use crate::accounts::session;
use crate::accounts::store::{self, NewUser};
use crate::accounts::{AccountsError, PersonName, Phone, Role, UnitPath, Username};

/// Fields of a new user as typed in a form, a CLI or a spreadsheet row.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct UserForm {
    pub username: String,
    pub name: String,
    pub unit: String,
    #[serde(default)]
    pub phone: String,
    /// Role codes or labels, e.g. `officer` or `执法人员、单位管理员`.
    #[serde(default)]
    pub roles: String,
}

/// A user form after validation.
pub struct ValidUser {
    pub username: Username,
    pub name: PersonName,
    pub unit: UnitPath,
    pub phone: Phone,
    pub roles: Vec<Role>,
}

impl UserForm {
    pub fn validate(&self) -> Result<ValidUser, AccountsError> {
        Ok(ValidUser {
            username: Username::parse(&self.username)?,
            name: PersonName::parse(&self.name)?,
            unit: UnitPath::parse(&self.unit)?,
            phone: Phone::parse(&self.phone)?,
            roles: Role::parse_list(&self.roles)?,
        })
    }
}

/// A validated new user with its initial password hashed, ready to store. Hashing is slow
/// (argon2) and needs no database, so it happens before the caller opens the unit of work.
pub struct PreparedUser {
    user: ValidUser,
    password: password::Prepared,
}

impl PreparedUser {
    /// Validates the form and hashes the initial password. Without `password` a one-time
    /// password is generated; either way it must be changed at first sign-in.
    pub async fn new(
        cost: HashCost,
        ctx: &Ctx<'_>,
        form: &UserForm,
        password: Option<String>,
    ) -> Result<PreparedUser, AccountsError> {
        let user = form.validate()?;
        if !ctx.actor.may_grant(&user.roles) {
            return Err(AccountsError::Forbidden);
        }
        if let Some(p) = &password {
            password::check_policy(p, user.username.as_str())?;
        }
        let password = password::Prepared::new(password, cost).await?;
        Ok(PreparedUser { user, password })
    }
}

/// Creates a prepared user in the caller's unit of work. Returns the user id and the initial
/// password. A taken username is a conflict (the unique index decides).
pub async fn create_user(
    tx: &mut AnyConnection,
    ctx: &Ctx<'_>,
    prepared: PreparedUser,
) -> Result<(i64, String), AccountsError> {
    let PreparedUser {
        user: v,
        password: password::Prepared { password, hash },
    } = prepared;
    let unit = managed_unit(&mut *tx, ctx, &v.unit).await?;
    let new = NewUser {
        username: v.username.as_str(),
        name: v.name.as_str(),
        unit_id: unit.unit_id,
        phone: v.phone.as_str(),
        password_hash: &hash,
        roles: &v.roles,
    };
    let user_id = store::insert_user(&mut *tx, &new, ctx.now).await?;
    let roles: Vec<&str> = v.roles.iter().map(|r| r.label()).collect();
    let detail = format!("{} · {} · {}", v.name.as_str(), unit.path, roles.join("、"));
    session::audit(
        &mut *tx,
        &ctx.audit("user_created", v.username.as_str(), &detail),
        ctx.now,
    )
    .await?;
    Ok((user_id, password))
}
