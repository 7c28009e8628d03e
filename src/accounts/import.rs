//! Bulk user import from .xlsx or .csv, all or nothing per file, and the two spreadsheets that go
//! with it: the downloadable template and the sheet of one-time passwords.
//!
//! Every row is read and validated first, on the blocking pool (a 50 MB sheet is seconds of
//! CPU). Only when no row has a problem are the passwords hashed, again on the blocking pool and
//! before any transaction is open, and then all users are inserted in one transaction. A
//! username that already exists is skipped and left unchanged, so importing a file twice
//! creates nobody twice.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, Xlsx};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;
use sqlx::AnyPool;
use tokio::task::JoinSet;

use super::admin::{Ctx, ValidUser};
use super::password::{self, HashCost};
use super::session::{self, Audit};
use super::store::{self, NewUser};
use super::{AccountsError, PersonName, Phone, Role, UnitPath, Username};
use crate::db::placeholders;

/// Most data rows in one file; a larger roster is imported in parts.
pub const MAX_ROWS: usize = 20_000;
/// Most bytes an .xlsx may unpack to. A sheet of `MAX_ROWS` rows is a few MB; this stops zip
/// bombs, which a 50 MB upload could otherwise expand to many GB.
const MAX_UNPACKED: u64 = 200 << 20;
/// Cells past this column are ignored, and cell text past this length is cut: longer values
/// fail validation anyway, this only bounds memory and the text echoed in reports.
const MAX_COLUMNS: usize = 200;
const MAX_CELL_CHARS: usize = 1000;

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
const NOT_XLSX: &str = "文件不是有效的 Excel (.xlsx) 文件";

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
        RowProblem { row, column: column.to_string(), problem: problem.into() }
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

/// Parses and validates a file and, if every row is valid, creates the users. Returns the report
/// either way. `Err` is for a file that cannot be used at all (unknown type, not a spreadsheet,
/// undecodable text, empty, no data rows, missing columns, more than `MAX_ROWS` rows:
/// `AccountsError::Validation { field: "文件", .. }`), for an actor who administers nothing, and
/// for database failures.
#[tracing::instrument(skip_all, fields(file = %file_name, bytes = bytes.len()))]
pub async fn import_users(
    pool: &AnyPool,
    cost: HashCost,
    ctx: &Ctx<'_>,
    file_name: &str,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportReport, AccountsError> {
    ctx.actor.admin_scope()?;
    let (name, data) = (file_name.to_string(), bytes.to_vec());
    let raw = tokio::task::spawn_blocking(move || read_file(&name, &data))
        .await
        .map_err(|e| AccountsError::Internal(e.to_string()))??;
    let mut report = ImportReport { rows: raw.len(), ..ImportReport::default() };
    let valid = validate_rows(&raw, &mut report.problems);
    let existing = existing_usernames(pool, &valid).await?;
    let mut units = HashMap::new();
    let mut plans = Vec::new();
    for (row, user) in valid {
        if existing.contains(user.username.as_str()) {
            report.skipped_existing.push(user.username.as_str().to_string());
        } else if authorize(pool, ctx, opts, row, &user, &mut units, &mut report.problems).await? {
            plans.push((row, user));
        }
    }
    report.problems.sort_by_key(|p| (p.row, COLUMNS.iter().position(|c| c.0 == p.column)));
    if !report.is_ok() || plans.is_empty() {
        return Ok(report);
    }
    let passwords: Vec<String> = plans.iter().map(|_| password::one_time_password()).collect();
    let hashes = hash_all(&passwords, cost).await?;
    insert_all(pool, ctx, file_name, &plans, &units, hashes, passwords, &mut report).await?;
    tracing::info!(created = report.created.len(), skipped = report.skipped_existing.len(), "users imported");
    Ok(report)
}

/// Validates every cell of every row (all problems of a row, not just the first) and rejects
/// usernames that occur twice in the file.
fn validate_rows(raw: &[RawRow], problems: &mut Vec<RowProblem>) -> Vec<(usize, ValidUser)> {
    fn check<T>(row: usize, column: &str, r: Result<T, AccountsError>, problems: &mut Vec<RowProblem>) -> Option<T> {
        let text = |e| match e {
            AccountsError::Validation { message, .. } => message,
            other => other.to_string(),
        };
        r.map_err(|e| problems.push(RowProblem::new(row, column, text(e)))).ok()
    }
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut valid = Vec::new();
    for RawRow { row, cells: [username, name, unit, roles, phone] } in raw {
        let row = *row;
        let username = check(row, "用户名", Username::parse(username), problems);
        let name = check(row, "姓名", PersonName::parse(name), problems);
        let unit = check(row, "单位", UnitPath::parse(unit), problems);
        let roles = check(row, "角色", Role::parse_list(roles), problems);
        let phone = check(row, "手机号", Phone::parse(phone), problems);
        if let Some(u) = &username
            && let Some(first) = first_seen.insert(u.as_str().to_string(), row)
        {
            problems.push(RowProblem::new(row, "用户名", format!("与第 {first} 行的用户名重复")));
            first_seen.insert(u.as_str().to_string(), first);
            continue;
        }
        if let (Some(username), Some(name), Some(unit), Some(roles), Some(phone)) = (username, name, unit, roles, phone) {
            valid.push((row, ValidUser { username, name, unit, phone, roles }));
        }
    }
    valid
}

async fn existing_usernames(pool: &AnyPool, valid: &[(usize, ValidUser)]) -> Result<HashSet<String>, sqlx::Error> {
    let names: Vec<&str> = valid.iter().map(|(_, u)| u.username.as_str()).collect();
    let mut found = HashSet::new();
    for chunk in names.chunks(500) {
        let sql = format!("select username from app_user where username in {}", placeholders(1, chunk.len(), 0));
        let mut q = sqlx::query_scalar::<_, String>(&sql);
        for name in chunk {
            q = q.bind(*name);
        }
        found.extend(q.fetch_all(pool).await?);
    }
    Ok(found)
}

/// Whether the actor may create this user: roles they may grant, a unit in their scope that
/// exists (or may be created). `units` caches unit ids by path (None: missing).
async fn authorize(
    pool: &AnyPool,
    ctx: &Ctx<'_>,
    opts: ImportOptions,
    row: usize,
    user: &ValidUser,
    units: &mut HashMap<String, Option<i64>>,
    problems: &mut Vec<RowProblem>,
) -> Result<bool, AccountsError> {
    let before = problems.len();
    if !ctx.actor.may_grant(&user.roles) {
        problems.push(RowProblem::new(row, "角色", "无权授予「系统管理员」角色"));
    }
    let path = user.unit.as_string();
    if !ctx.actor.can_manage_unit(&path) {
        problems.push(RowProblem::new(row, "单位", format!("单位「{path}」不在您的管理范围内")));
    } else {
        if !units.contains_key(&path) {
            let id = store::unit_by_path(pool, &path).await?.map(|u| u.unit_id);
            units.insert(path.clone(), id);
        }
        if units[&path].is_none() && !opts.create_units {
            problems.push(RowProblem::new(row, "单位", format!("单位「{path}」不存在，请先创建")));
        }
    }
    Ok(problems.len() == before)
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
            running.spawn(async move { (i, password::hash(p, cost).await) });
            next += 1;
        }
        let Some(done) = running.join_next().await else { break };
        let (i, hash) = done.map_err(|e| AccountsError::Internal(e.to_string()))?;
        hashes[i] = hash?;
    }
    Ok(hashes)
}

/// One transaction: missing units (with `create_units`), the users, their audit rows.
#[allow(clippy::too_many_arguments)]
async fn insert_all(
    pool: &AnyPool,
    ctx: &Ctx<'_>,
    file_name: &str,
    plans: &[(usize, ValidUser)],
    units: &HashMap<String, Option<i64>>,
    hashes: Vec<String>,
    passwords: Vec<String>,
    report: &mut ImportReport,
) -> Result<(), AccountsError> {
    let mut tx = pool.begin().await?;
    let mut ids: HashMap<String, i64> = units.iter().filter_map(|(p, id)| Some((p.clone(), (*id)?))).collect();
    let mut new_units = Vec::new();
    for (_, user) in plans {
        let path = user.unit.as_string();
        if !ids.contains_key(&path) {
            let id = store::ensure_unit_path(&mut tx, &user.unit.prefixes(), ctx.now).await?;
            session::audit(&mut *tx, &entry(ctx, "unit_created", &path, "批量导入用户时创建"), ctx.now).await?;
            ids.insert(path.clone(), id);
            new_units.push(path);
        }
    }
    let mut created = Vec::with_capacity(plans.len());
    for (((row, user), hash), password) in plans.iter().zip(&hashes).zip(passwords) {
        let unit = user.unit.as_string();
        let new = NewUser {
            username: user.username.as_str(),
            name: user.name.as_str(),
            unit_id: ids[&unit],
            phone: user.phone.as_str(),
            password_hash: hash,
            roles: &user.roles,
        };
        match store::insert_user(&mut tx, &new, ctx.now).await {
            // Created by someone else since we looked: nothing of this file is kept (the
            // transaction rolls back when dropped), and the row is reported.
            Err(AccountsError::Conflict(message)) => {
                report.problems.push(RowProblem::new(*row, "用户名", message));
                return Ok(());
            }
            other => other?,
        };
        let roles: Vec<&str> = user.roles.iter().map(|r| r.label()).collect();
        let detail = format!("{} · {} · {}", user.name.as_str(), unit, roles.join("、"));
        session::audit(&mut *tx, &entry(ctx, "user_created", user.username.as_str(), &detail), ctx.now).await?;
        let (username, name) = (user.username.as_str().to_string(), user.name.as_str().to_string());
        created.push(CreatedUser { row: *row, username, name, unit, initial_password: password });
    }
    let file: String = file_name.chars().take(200).collect();
    let detail = serde_json::json!({
        "file": file, "rows": report.rows, "created": created.len(),
        "skipped_existing": report.skipped_existing.len(), "units_created": new_units,
    })
    .to_string();
    session::audit(&mut *tx, &entry(ctx, "users_imported", &file, &detail), ctx.now).await?;
    tx.commit().await?;
    report.created = created;
    Ok(())
}

fn entry<'b>(ctx: &'b Ctx<'_>, action: &'b str, target: &'b str, detail: &'b str) -> Audit<'b> {
    Audit { actor: Some(ctx.actor), actor_name: "", action, target, detail, ip: ctx.ip }
}
