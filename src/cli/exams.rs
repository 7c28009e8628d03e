//! `xuefa exams …`: create, list, publish, results and regrade from the command line, acting
//! as a system administrator (`Actor::command_line`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;

use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::app::App;
use crate::exam::model::{format_time, parse_definition};
use crate::exam::{admin, export, regrade, results, store};

#[derive(Debug, Subcommand)]
pub enum ExamsCommand {
    /// Create a draft exam from FILE.json (the body of POST /api/admin/exams); prints its id.
    Create { file: PathBuf },
    /// List exams.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Publish a draft once the approved bank can fill every section.
    Publish { id: i64 },
    /// An exam's results per person.
    Results {
        id: i64,
        #[arg(long, value_parser = ["xlsx", "csv", "json"], default_value = "json")]
        format: String,
        /// Write to this file (else standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Regrade the graded attempts with each question's current version (a dry run unless
    /// --apply).
    Regrade {
        id: i64,
        #[arg(long)]
        apply: bool,
    },
}

pub async fn exams(app: &App, cmd: ExamsCommand) -> anyhow::Result<String> {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "cli",
        now: app.clock.now(),
    };
    match cmd {
        ExamsCommand::Create { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("无法读取 {}", file.display()))?;
            let def = parse_definition(&text)?;
            let mut tx = app.db.write().await?;
            let id = admin::create(&mut tx, &ctx, &def).await?;
            tx.commit().await?;
            Ok(id.to_string())
        }
        ExamsCommand::List { json } => {
            let rows = store::list(&app.db.pool, false).await?;
            if json {
                let list: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "exam_id": r.exam_id, "title": r.title, "kind": r.kind,
                            "status": r.status, "opens_at": format_time(r.opens_at),
                            "closes_at": format_time(r.closes_at),
                        })
                    })
                    .collect();
                return Ok(serde_json::to_string_pretty(&list)?);
            }
            Ok(rows
                .iter()
                .map(|r| {
                    format!(
                        "{}\t{}\t{}\t{}\t{} – {}",
                        r.exam_id,
                        r.status,
                        r.kind,
                        r.title,
                        format_time(r.opens_at),
                        format_time(r.closes_at)
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"))
        }
        ExamsCommand::Publish { id } => {
            let mut tx = app.db.write().await?;
            admin::publish(&mut tx, &ctx, id).await?;
            tx.commit().await?;
            Ok(format!("考试 {id} 已发布"))
        }
        ExamsCommand::Results { id, format, out } => {
            let r = results::exam_results(&mut *app.db.read().await?, &ctx, id).await?;
            let bytes = match format.as_str() {
                "xlsx" => export::xlsx(&r)?,
                "csv" => export::csv(&r)?,
                _ => serde_json::to_vec_pretty(&r)?,
            };
            match out {
                Some(path) => {
                    std::fs::write(&path, &bytes)
                        .with_context(|| format!("无法写入 {}", path.display()))?;
                    Ok(format!(
                        "已将 {} 人的成绩写入 {}",
                        r.people.len(),
                        path.display()
                    ))
                }
                None if format == "xlsx" && std::io::stdout().is_terminal() => {
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
        ExamsCommand::Regrade { id, apply } => {
            let mut tx = app.db.write().await?;
            let mut report = regrade::regrade(&mut tx, &ctx, id, apply).await?;
            if apply {
                app.follow_regrade(&mut tx, &ctx, &mut report).await?;
                tx.commit().await?;
            }
            Ok(regrade_lines(&report))
        }
    }
}

/// What `xuefa exams regrade` prints: the totals, then one line per changed attempt.
fn regrade_lines(report: &regrade::RegradeReport) -> String {
    let mut lines = vec![format!(
        "{}：已评分答卷 {} 份，分数变化 {} 份",
        if report.applied {
            "已重新评分"
        } else {
            "试算（未保存）"
        },
        report.attempts,
        report.changes.len()
    )];
    for c in &report.changes {
        let flip = match (c.old_passed, c.new_passed) {
            (false, true) => "  不及格→及格",
            (true, false) => "  及格→不及格",
            _ => "",
        };
        lines.push(format!(
            "答卷 {}\t{}\t{} → {}{flip}",
            c.attempt_id, c.username, c.old_score, c.new_score
        ));
    }
    if !report.revoked_certificates.is_empty() {
        lines.push(format!(
            "吊销证件：{}",
            report.revoked_certificates.join("、")
        ));
    }
    if !report.issued_certificates.is_empty() {
        lines.push(format!(
            "颁发证件：{}",
            report.issued_certificates.join("、")
        ));
    }
    if !report.applied && !report.changes.is_empty() {
        lines.push("确认无误后加 --apply 保存".into());
    }
    lines.join("\n")
}
