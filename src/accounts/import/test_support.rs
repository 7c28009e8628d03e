//! What the import tests share: a fresh SQLite database per test in a temporary directory,
//! an admin, and files built in memory.

use std::io::{Cursor, Read, Write};

use sqlx::AnyPool;

use super::*;
use crate::accounts::store;
use crate::accounts::{Actor, login};
use crate::db::Db;

pub(super) const NOW: i64 = 1_750_000_000;
pub(super) const HEADER: &str = "用户名,姓名,单位,角色,手机号";

pub(super) struct Env {
    _dir: tempfile::TempDir,
    pub pool: AnyPool,
    pub db: Db,
    pub admin: Actor,
}

/// A fresh database with the first admin and the units 柱山乡/综合行政执法大队 and 其他镇.
pub(super) async fn setup() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("xuefa.db").display()
    );
    let db = Db::connect(&url).await.unwrap();
    let pool = db.pool.clone();
    let password = password::Prepared::new(None, HashCost::Fast).await.unwrap();
    let mut tx = db.write().await.unwrap();
    login::create_first_admin(&mut tx, &password, NOW)
        .await
        .unwrap();
    for path in ["柱山乡/综合行政执法大队", "其他镇"] {
        store::ensure_unit_path(&mut tx, &UnitPath::parse(path).unwrap().prefixes(), NOW)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let admin = actor(&pool, "admin").await;
    Env {
        _dir: dir,
        pool,
        db,
        admin,
    }
}

pub(super) async fn actor(pool: &AnyPool, username: &str) -> Actor {
    let u = store::user_by_username(pool, username)
        .await
        .unwrap()
        .unwrap();
    let roles = store::roles_of(pool, u.user_id).await.unwrap();
    Actor {
        user_id: u.user_id,
        username: u.username,
        name: u.name,
        unit: u.unit,
        roles,
        must_change_password: false,
    }
}

pub(super) async fn import(
    env: &Env,
    actor: &Actor,
    file: &str,
    bytes: &[u8],
    create_units: bool,
) -> Result<ImportReport, AccountsError> {
    let ctx = Ctx {
        actor,
        ip: "127.0.0.1",
        now: NOW,
    };
    import_users(
        &env.db,
        HashCost::Fast,
        &ctx,
        file,
        bytes,
        ImportOptions { create_units },
    )
    .await
}

/// The import as `App::import_users` runs it: checked, then stored in one unit of work that
/// is committed only when every row was stored.
pub(super) async fn import_users(
    db: &Db,
    cost: HashCost,
    ctx: &Ctx<'_>,
    file: &str,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportReport, AccountsError> {
    let plan = check_users(&db.pool, cost, ctx, file, bytes, opts).await?;
    if !plan.has_users() {
        return Ok(plan.report());
    }
    let mut tx = db.write().await?;
    let report = plan.store(&mut tx).await?;
    if report.is_ok() {
        tx.commit().await?;
    }
    Ok(report)
}

pub(super) fn csv_of(rows: &[&str]) -> Vec<u8> {
    rows.join("\r\n").into_bytes()
}

pub(super) fn xlsx_of(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            // Numbers go in as numbers, as Excel stores typed phone and employee numbers.
            match v.parse::<f64>() {
                Ok(n) if !v.is_empty() => sheet.write_number(r as u32, c as u16, n).unwrap(),
                _ => sheet.write_string(r as u32, c as u16, *v).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

pub(super) async fn user_count(env: &Env) -> i64 {
    store::count_users(&env.pool).await.unwrap()
}

pub(super) async fn audit_count(env: &Env, action: &str) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = $1")
        .bind(action)
        .fetch_one(&env.pool)
        .await
        .unwrap()
}

/// The file-level error message, or a panic if the import did not fail that way.
pub(super) fn file_error(r: Result<ImportReport, AccountsError>) -> String {
    match r {
        Err(AccountsError::Validation {
            field: "文件",
            message,
        }) => message,
        other => panic!("expected a file error, got {other:?}"),
    }
}

pub(super) async fn assert_user(env: &Env, username: &str, name: &str, unit: &str, roles: &[Role]) {
    let u = store::user_by_username(&env.pool, username)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{username} missing"));
    assert_eq!(
        (u.name.as_str(), u.unit.as_str(), u.must_change_password),
        (name, unit, 1)
    );
    assert_eq!(store::roles_of(&env.pool, u.user_id).await.unwrap(), roles);
}

/// Rewrites one member of a zip archive (for the hostile tests).
pub(super) fn replace_member(xlsx: &[u8], name: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    let mut input = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..input.len() {
        let mut member = input.by_index(i).unwrap();
        let mut content = String::new();
        member.read_to_string(&mut content).unwrap();
        let member_name = member.name().unwrap().to_string();
        let content = if member_name == name {
            edit(content)
        } else {
            content
        };
        out.start_file(member_name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(content.as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Two good rows: an officer in a new sub-unit, and an official who is also a unit admin.
pub(super) const GOOD: [&str; 3] = [
    HEADER,
    "zs001,张三,柱山乡/综合行政执法大队,执法人员,138-0000-0001",
    "ls002,李四,柱山乡,学员、单位管理员,",
];
