//! The statutes from the command line (`xuefa import-laws`, `laws`, `search`), and
//! command-line administration of units and users (`xuefa units …`, `xuefa users …`), of
//! the question bank (`xuefa questions …`) and of exams (`xuefa exams …`). The operator holds
//! the server's files and acts as a system administrator.

mod certificates;
mod exams;
mod laws;
mod questions;
mod report;

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use clap::Subcommand;

use crate::accounts::admin::PreparedUser;
use crate::accounts::admin::{self, Ctx, UserForm};
use crate::accounts::{Actor, import, store};
use crate::app::App;

pub use self::certificates::{CertificatesCommand, certificates};
pub use self::exams::{ExamsCommand, exams};
pub use self::laws::{SearchArgs, import, laws, search};
pub use self::questions::{Failed, Outcome, QuestionsCommand, questions};
pub use self::report::{ReportArgs, report};

#[derive(Debug, Subcommand)]
pub enum UnitsCommand {
    /// Create a unit and any missing parents: `xuefa units add 柱山乡/综合行政执法大队`.
    Add { path: String },
    /// List units.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user; the password comes from XUEFA_PASSWORD or a prompt (or is generated).
    Add {
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        unit: String,
        /// official, officer, unit_admin, admin (or 学员, 执法人员, 单位管理员, 系统管理员).
        #[arg(long = "role")]
        roles: Vec<String>,
        #[arg(long, default_value = "")]
        phone: String,
    },
    /// Import users from .xlsx or .csv (用户名, 姓名, 单位, 角色, 手机号): all rows or none.
    Import {
        file: std::path::PathBuf,
        /// Create units that do not exist yet instead of rejecting their rows.
        #[arg(long)]
        create_units: bool,
        /// Write the new users' one-time passwords to this .xlsx (else they are printed).
        #[arg(long)]
        passwords_out: Option<std::path::PathBuf>,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        unit: Option<String>,
    },
}

pub async fn units(app: &App, cmd: UnitsCommand) -> anyhow::Result<String> {
    let actor = Actor::command_line();
    match cmd {
        UnitsCommand::Add { path } => {
            let ctx = Ctx {
                actor: &actor,
                ip: "cli",
                now: app.clock.now(),
            };
            let mut tx = app.db.write().await?;
            admin::create_unit(&mut tx, &ctx, &path).await?;
            tx.commit().await?;
            Ok(format!("created unit {path}"))
        }
        UnitsCommand::List { json } => {
            let units = store::list_units(&app.db.pool, None).await?;
            if json {
                return Ok(serde_json::to_string_pretty(&units)?);
            }
            Ok(units
                .iter()
                .map(|u| format!("{}\t{}", u.unit_id, u.path))
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

pub async fn users(app: &App, cmd: UsersCommand) -> anyhow::Result<String> {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "cli",
        now: app.clock.now(),
    };
    let pool = &app.db.pool;
    match cmd {
        UsersCommand::Add {
            username,
            name,
            unit,
            roles,
            phone,
        } => {
            let form = UserForm {
                username: username.clone(),
                name,
                unit,
                phone,
                roles: roles.join(","),
            };
            let password = read_password()?;
            let given = password.is_some();
            let prepared = PreparedUser::new(app.config.hash_cost, &ctx, &form, password).await?;
            let mut tx = app.db.write().await?;
            let (_, initial) = admin::create_user(&mut tx, &ctx, prepared).await?;
            tx.commit().await?;
            Ok(if given {
                format!("created user {username}; the password must be changed at first sign-in")
            } else {
                format!(
                    "created user {username} with one-time password {initial} (must be changed at first sign-in)"
                )
            })
        }
        UsersCommand::Import {
            file,
            create_units,
            passwords_out,
        } => import_users(app, &ctx, &file, create_units, passwords_out.as_deref()).await,
        UsersCommand::List { json, unit } => {
            let (users, _) = admin::list_users(
                &mut *pool.acquire().await?,
                &actor,
                unit.as_deref(),
                None,
                1,
                i64::MAX / 2,
                ctx.now,
            )
            .await?;
            if json {
                return Ok(serde_json::to_string_pretty(&users)?);
            }
            Ok(users
                .iter()
                .map(|u| {
                    let roles: Vec<&str> = u.roles.iter().map(|r| r.as_str()).collect();
                    format!(
                        "{}\t{}\t{}\t{}\t{}",
                        u.user_id,
                        u.username,
                        u.name,
                        u.unit,
                        roles.join(",")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
    }
}

/// XUEFA_PASSWORD, else a hidden prompt on a terminal, else None (a one-time password).
fn read_password() -> anyhow::Result<Option<String>> {
    if let Ok(p) = std::env::var("XUEFA_PASSWORD")
        && !p.is_empty()
    {
        return Ok(Some(p));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let p = rpassword::prompt_password("密码 (留空则生成一次性密码): ")?;
    Ok(Some(p).filter(|p| !p.is_empty()))
}

async fn import_users(
    app: &App,
    ctx: &Ctx<'_>,
    file: &Path,
    create_units: bool,
    passwords_out: Option<&Path>,
) -> anyhow::Result<String> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let opts = import::ImportOptions { create_units };
    let report = app.import_users(ctx, &name, &bytes, opts).await?;
    if !report.is_ok() {
        let mut msg = format!("nothing imported: {} invalid rows\n", report.problems.len());
        for p in &report.problems {
            msg += &format!("  第 {} 行 [{}] {}\n", p.row, p.column, p.problem);
        }
        anyhow::bail!(msg.trim_end().to_string());
    }
    let mut out = String::new();
    match passwords_out {
        Some(path) => {
            std::fs::write(path, import::passwords_xlsx(&report.created)?)?;
            out += &format!("one-time passwords written to {}\n", path.display());
        }
        None => {
            for c in &report.created {
                out += &format!("{}\t{}\t{}\n", c.username, c.name, c.initial_password);
            }
        }
    }
    out += &format!(
        "imported {} users, {} already existed",
        report.created.len(),
        report.skipped_existing.len()
    );
    Ok(out)
}
