//! Bulk user import from .xlsx or .csv, all or nothing per file, and the two spreadsheets that go
//! with it: the downloadable template and the sheet of one-time passwords.
//!
//! Every row is read and validated first, on the blocking pool (a 50 MB sheet is seconds of
//! CPU). Only when no row has a problem are the passwords hashed, again on the blocking pool and
//! before any transaction is open (`check_users`), and then all users are inserted in the
//! caller's unit of work (`ImportPlan::store`). A
//! username that already exists is skipped and left unchanged, so importing a file twice
//! creates nobody twice.

#[cfg(test)]
mod hostile_tests;
mod plan;
mod read;
#[cfg(test)]
mod sheet_tests;
mod sheets;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::AnyPool;
use tokio::task::JoinSet;

pub use self::plan::ImportPlan;
use self::plan::Run;
use self::read::{RawRow, read_file};
pub use self::sheets::{passwords_xlsx, template_xlsx};
use super::admin::{Ctx, ValidUser};
use super::password::{self, HashCost};
use super::{AccountsError, PersonName, Phone, Role, UnitPath, Username};
use crate::db::placeholders;

/// Most data rows in one file; a larger roster is imported in parts.
pub const MAX_ROWS: usize = 20_000;
/// Largest file accepted, as the web layer's upload limit (the CLI has no other).
pub const MAX_FILE_BYTES: usize = 50 << 20;

/// Columns: the Chinese header (also the column name in reports), the English header, other
/// accepted spellings. The first three must be present.
const COLUMNS: [(&str, &str, &[&str]); 5] = [
    ("用户名", "username", &["登录名", "账号"]),
    ("姓名", "name", &[]),
    ("单位", "unit", &[]),
    ("角色", "roles", &["role"]),
    ("手机号", "phone", &["手机", "mobile"]),
];
const REQUIRED: usize = 3;

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Create missing units (within the actor's scope) instead of reporting 单位不存在.
    pub create_units: bool,
}

/// One problem in one cell: the row number as the spreadsheet shows it (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub row: usize,
    pub column: String,
    pub problem: String,
}

impl RowProblem {
    fn new(row: usize, column: &str, problem: impl Into<String>) -> Self {
        RowProblem {
            row,
            column: column.to_string(),
            problem: problem.into(),
        }
    }
}

#[derive(Clone, Serialize)]
pub struct CreatedUser {
    pub row: usize,
    pub username: String,
    pub name: String,
    pub unit: String,
    pub initial_password: String,
}

/// Keeps the one-time password out of logs.
impl std::fmt::Debug for CreatedUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedUser")
            .field("row", &self.row)
            .field("username", &self.username)
            .field("unit", &self.unit)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub created: Vec<CreatedUser>,
    pub skipped_existing: Vec<String>,
    pub problems: Vec<RowProblem>,
    /// Data rows read (blank rows not counted).
    pub rows: usize,
}

impl ImportReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Parses and validates a file and, if every row is valid, hashes the one-time passwords:
/// everything before the unit of work, which `ImportPlan::store` then runs. Reads go through
/// `pool` (never the write lock). `Err` is for a file that cannot be used at all (too large,
/// unknown type, not a spreadsheet, undecodable text, empty, no data rows, missing columns,
/// more than `MAX_ROWS` rows: `AccountsError::Validation { field: "文件", .. }`),
/// `Forbidden` for an actor who administers nothing, and database failures.
#[tracing::instrument(skip_all, fields(file = ?file_name, bytes = bytes.len()))]
pub async fn check_users<'a, 'c>(
    pool: &'a AnyPool,
    cost: HashCost,
    ctx: &'a Ctx<'c>,
    file_name: &str,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportPlan<'a, 'c>, AccountsError> {
    ctx.actor.admin_scope()?;
    if bytes.len() > MAX_FILE_BYTES {
        let message = format!("文件超过 {} MB，请分成几个文件导入", MAX_FILE_BYTES >> 20);
        return Err(AccountsError::validation("文件", message));
    }
    let (name, data) = (file_name.to_string(), bytes.to_vec());
    let raw = tokio::task::spawn_blocking(move || read_file(&name, &data))
        .await
        .map_err(|e| AccountsError::Internal(e.to_string()))??;
    let mut report = ImportReport {
        rows: raw.len(),
        ..ImportReport::default()
    };
    let valid = validate_rows(&raw, &mut report.problems);
    let existing = existing_usernames(pool, &valid).await?;
    let mut run = Run {
        pool,
        ctx,
        opts,
        units: HashMap::new(),
        report,
    };
    let mut plans = Vec::new();
    for (row, user) in valid {
        if existing.contains(user.username.as_str()) {
            let name = user.username.as_str().to_string();
            run.report.skipped_existing.push(name);
        } else if run.authorize(row, &user).await? {
            plans.push((row, user));
        }
    }
    let problems = &mut run.report.problems;
    problems.sort_by_key(|p| (p.row, COLUMNS.iter().position(|c| c.0 == p.column)));
    let (mut hashes, mut passwords) = (Vec::new(), Vec::new());
    if problems.is_empty() && !plans.is_empty() {
        passwords = plans
            .iter()
            .map(|_| password::one_time_password())
            .collect();
        hashes = hash_all(&passwords, cost).await?;
    } else {
        plans.clear();
    }
    Ok(ImportPlan {
        run,
        file_name: file_name.to_string(),
        plans,
        hashes,
        passwords,
    })
}

/// Validates every cell of every row (all problems of a row, not just the first) and rejects
/// usernames that occur twice in the file.
fn validate_rows(raw: &[RawRow], problems: &mut Vec<RowProblem>) -> Vec<(usize, ValidUser)> {
    fn check<T>(
        row: usize,
        column: &str,
        r: Result<T, AccountsError>,
        problems: &mut Vec<RowProblem>,
    ) -> Option<T> {
        let text = |e| match e {
            AccountsError::Validation { message, .. } => message,
            other => other.to_string(),
        };
        r.map_err(|e| problems.push(RowProblem::new(row, column, text(e))))
            .ok()
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut valid = Vec::new();
    for RawRow { row, cells } in raw {
        let row = *row;
        let [username, name, unit, roles, phone] = cells;
        if sheets::is_example(cells) {
            let problem = format!(
                "这是导入模板中的示例行（{username} {name}），不是真实用户，请删除该行后重新导入"
            );
            problems.push(RowProblem::new(row, "用户名", problem));
            continue;
        }
        let username = check(row, "用户名", Username::parse(username), problems);
        let name = check(row, "姓名", PersonName::parse(name), problems);
        let unit = check(row, "单位", UnitPath::parse(unit), problems);
        let roles = check(row, "角色", Role::parse_list(roles), problems);
        let phone = check(row, "手机号", Phone::parse(phone), problems);
        if let Some(u) = &username
            && let Some(first) = first_seen.insert(u.as_str().to_string(), row)
        {
            problems.push(RowProblem::new(
                row,
                "用户名",
                format!("与第 {first} 行的用户名重复"),
            ));
            first_seen.insert(u.as_str().to_string(), first);
            continue;
        }
        if let (Some(username), Some(name), Some(unit), Some(roles), Some(phone)) =
            (username, name, unit, roles, phone)
        {
            valid.push((
                row,
                ValidUser {
                    username,
                    name,
                    unit,
                    phone,
                    roles,
                },
            ));
        }
    }
    valid
}

async fn existing_usernames(
    pool: &AnyPool,
    valid: &[(usize, ValidUser)],
) -> Result<HashSet<String>, sqlx::Error> {
    let names: Vec<&str> = valid.iter().map(|(_, u)| u.username.as_str()).collect();
    let mut found = HashSet::new();
    for chunk in names.chunks(500) {
        let sql = format!(
            "select username from app_user where username in {}",
            placeholders(1, chunk.len(), 0)
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for name in chunk {
            q = q.bind(*name);
        }
        found.extend(q.fetch_all(pool).await?);
    }
    Ok(found)
}

/// Hashes on the blocking pool, as many at once as there are cores, keeping the order.
async fn hash_all(passwords: &[String], cost: HashCost) -> Result<Vec<String>, AccountsError> {
    let limit = std::thread::available_parallelism().map_or(2, usize::from);
    let mut hashes = vec![String::new(); passwords.len()];
    let mut running = JoinSet::new();
    let mut next = 0;
    loop {
        while running.len() < limit && next < passwords.len() {
            let (i, p) = (next, passwords[next].clone());
            running.spawn(async move { (i, password::hash(p, cost.one_time()).await) });
            next += 1;
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (i, hash) = done.map_err(|e| AccountsError::Internal(e.to_string()))?;
        hashes[i] = hash?;
    }
    Ok(hashes)
}
