//! A checked user import and its storing: the scope checks per row (`Run::authorize`) and the
//! inserts in the caller's unit of work (`ImportPlan::store`).

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyPool};

use super::{CreatedUser, ImportOptions, ImportReport, RowProblem};
use crate::accounts::AccountsError;
use crate::accounts::admin::{Ctx, ValidUser};
use crate::accounts::session;
use crate::accounts::store::{self, NewUser};

/// A checked import: the users to create with their hashed passwords, or nothing to do.
pub struct ImportPlan<'a, 'c> {
    pub(super) run: Run<'a, 'c>,
    pub(super) file_name: String,
    pub(super) plans: Vec<(usize, ValidUser)>,
    pub(super) hashes: Vec<String>,
    pub(super) passwords: Vec<String>,
}

impl ImportPlan<'_, '_> {
    /// Whether there is anything to store (every row valid, some users new).
    pub fn has_users(&self) -> bool {
        !self.plans.is_empty()
    }

    /// The report without storing anything (for a plan with problems or no new users).
    pub fn report(self) -> ImportReport {
        self.run.report
    }

    /// Creates the users in the caller's unit of work. The caller commits only when the
    /// returned report `is_ok()`: a username taken since the check is reported as a problem
    /// and nothing of the file may be kept.
    pub async fn store(mut self, tx: &mut AnyConnection) -> Result<ImportReport, AccountsError> {
        if !self.plans.is_empty() {
            let (plans, hashes, passwords) = (self.plans, self.hashes, self.passwords);
            self.run
                .insert_all(tx, &self.file_name, &plans, hashes, passwords)
                .await?;
        }
        let report = self.run.report;
        let (created, skipped) = (report.created.len(), report.skipped_existing.len());
        tracing::info!(
            created,
            skipped,
            problems = report.problems.len(),
            "users imported"
        );
        Ok(report)
    }
}

/// One import in progress: what it needs from the caller and what it has found so far.
pub(super) struct Run<'a, 'c> {
    pub(super) pool: &'a AnyPool,
    pub(super) ctx: &'a Ctx<'c>,
    pub(super) opts: ImportOptions,
    /// Unit ids by path; None for a unit that does not exist (yet).
    pub(super) units: HashMap<String, Option<i64>>,
    pub(super) report: ImportReport,
}

impl Run<'_, '_> {
    /// Whether the actor may create this user (roles they may grant, a unit in their scope that
    /// exists or may be created); otherwise the row's problems are reported.
    pub(super) async fn authorize(
        &mut self,
        row: usize,
        user: &ValidUser,
    ) -> Result<bool, AccountsError> {
        let mut problems = Vec::new();
        if !self.ctx.actor.may_grant(&user.roles) {
            problems.push(RowProblem::new(row, "角色", "无权授予「系统管理员」角色"));
        }
        let path = user.unit.as_string();
        if !self.ctx.actor.can_manage_unit(&path) {
            problems.push(RowProblem::new(
                row,
                "单位",
                format!("单位「{path}」不在您的管理范围内"),
            ));
        } else {
            // The unit and, while missing, its ancestors up to the first that exists.
            for prefix in user.unit.prefixes().iter().rev() {
                if self.units.contains_key(prefix) {
                    break;
                }
                let id = store::unit_by_path(self.pool, prefix)
                    .await?
                    .map(|u| u.unit_id);
                self.units.insert(prefix.clone(), id);
                if id.is_some() {
                    break;
                }
            }
            if self.units[&path].is_none() && !self.opts.create_units {
                problems.push(RowProblem::new(
                    row,
                    "单位",
                    format!("单位「{path}」不存在，请先创建"),
                ));
            }
        }
        let ok = problems.is_empty();
        self.report.problems.append(&mut problems);
        Ok(ok)
    }

    /// One transaction: missing units (with `create_units`), the users, the audit rows.
    async fn insert_all(
        &mut self,
        tx: &mut AnyConnection,
        file_name: &str,
        plans: &[(usize, ValidUser)],
        hashes: Vec<String>,
        passwords: Vec<String>,
    ) -> Result<(), AccountsError> {
        let (ctx, now) = (self.ctx, self.ctx.now);
        let mut new_units = Vec::new();
        for (_, user) in plans {
            // Paths cached as missing are created one level at a time, so that each gets its
            // audit row; paths not cached at all are ancestors of units known to exist.
            let prefixes = user.unit.prefixes();
            for (n, path) in prefixes.iter().enumerate() {
                if matches!(self.units.get(path), Some(None)) {
                    let id = store::ensure_unit_path(&mut *tx, &prefixes[..=n], now).await?;
                    let audit = ctx.audit("unit_created", path, "批量导入用户时创建");
                    session::audit(&mut *tx, &audit, now).await?;
                    self.units.insert(path.clone(), Some(id));
                    new_units.push(path.clone());
                }
            }
        }
        let mut created = Vec::with_capacity(plans.len());
        for (((row, user), hash), password) in plans.iter().zip(&hashes).zip(passwords) {
            let unit = user.unit.as_string();
            let new = NewUser {
                username: user.username.as_str(),
                name: user.name.as_str(),
                unit_id: self.units[&unit].unwrap_or_default(), // every unit was resolved above
                phone: user.phone.as_str(),
                password_hash: hash,
                roles: &user.roles,
            };
            match store::insert_user(&mut *tx, &new, now).await {
                // Created by someone else since we looked: nothing of this file is kept (the
                // caller does not commit a report with problems), and the row is reported.
                Err(AccountsError::Conflict(message)) => {
                    self.report
                        .problems
                        .push(RowProblem::new(*row, "用户名", message));
                    return Ok(());
                }
                other => other?,
            };
            let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
            let detail = format!("{} · {} · {}", user.name.as_str(), unit, roles.join("、"));
            let username = user.username.as_str().to_string();
            session::audit(
                &mut *tx,
                &ctx.audit("user_created", &username, &detail),
                now,
            )
            .await?;
            let name = user.name.as_str().to_string();
            created.push(CreatedUser {
                row: *row,
                username,
                name,
                unit,
                initial_password: password,
            });
        }
        let file: String = file_name.chars().take(200).collect();
        let mut detail = format!(
            "文件「{file}」共 {} 行：新建 {} 人，已存在跳过 {} 人",
            self.report.rows,
            created.len(),
            self.report.skipped_existing.len()
        );
        if !new_units.is_empty() {
            detail.push_str(&format!("；新建单位：{}", new_units.join("、")));
        }
        let audit = ctx.audit("users_imported", &file, &detail);
        session::audit(&mut *tx, &audit, now).await?;
        self.report.created = created;
        Ok(())
    }
}
