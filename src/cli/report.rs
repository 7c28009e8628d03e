//! `xuefa report`: the annual report of a year (and a unit subtree) as Markdown, .xlsx or
//! JSON, printed or written to a file, acting as a system administrator.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::accounts::Actor;
use crate::app::App;
use crate::learning::Curriculum;
use crate::reports::{self, export, markdown};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The calendar year (Beijing time).
    #[arg(long)]
    pub year: i32,
    /// A unit path, e.g. 柱山乡/执法大队 (default: every unit).
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long, value_parser = ["md", "xlsx", "json"], default_value = "md")]
    pub format: String,
    /// Write to this file (else standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub async fn report(app: &App, args: ReportArgs) -> anyhow::Result<String> {
    let actor = Actor::command_line();
    let curriculum = Curriculum::load(&app.config.project_corpus)?;
    let mut conn = app.db.read().await?;
    let root = reports::scope_of(&mut conn, &actor, args.unit.as_deref()).await?;
    let now = app.clock.now();
    let a = reports::annual_report(&mut conn, &curriculum, root.as_deref(), args.year, now).await?;
    let bytes = match args.format.as_str() {
        "xlsx" => export::annual_xlsx(&a)?,
        "json" => serde_json::to_vec_pretty(&a)?,
        _ => markdown::annual(&a).into_bytes(),
    };
    match args.out {
        Some(path) => {
            std::fs::write(&path, &bytes)
                .with_context(|| format!("无法写入 {}", path.display()))?;
            Ok(format!("已将 {} 年度报告写入 {}", a.year, path.display()))
        }
        None if args.format == "xlsx" && std::io::stdout().is_terminal() => {
            anyhow::bail!("xlsx 是二进制文件：请用 --out 指定文件，或重定向到文件")
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
            Ok(String::new())
        }
    }
}
