//! `xuefa questions …`: import, export, list, generate and approve questions from the command
//! line, acting as a system administrator (`Actor::command_line`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;

use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::app::App;
use crate::bank::admin::{self, ListFilter};
use crate::bank::drafting;
use crate::bank::export::{self, Format};
use crate::bank::import::{self, ImportOptions, LawBook};
use crate::bank::model::Status;
use crate::bank::store;
use crate::bank::suggest::{self, Candidate, Question};

#[derive(Debug, Subcommand)]
pub enum QuestionsCommand {
    /// Import questions from .xlsx, .csv or .json (template columns 题型, 题干, 选项A…H, 答案,
    /// 解析, 依据, 难度, 标签).
    Import {
        file: PathBuf,
        /// Store the questions as approved instead of draft.
        #[arg(long)]
        approve: bool,
        /// Import the valid rows even if some rows are invalid.
        #[arg(long)]
        skip_invalid: bool,
        /// Give rows without a basis the best suggested article, marked for confirmation
        /// (those questions stay drafts in the review queue).
        #[arg(long)]
        suggest_basis: bool,
    },
    /// Propose up to 3 articles for each question of a bank file (any import format) from its
    /// stem and correct answer; the file's own basis is not read.
    SuggestBasis {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Export the questions (every one not retired, or those of --status).
    Export {
        #[arg(long, value_parser = ["xlsx", "csv", "json"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        status: Option<String>,
    },
    /// Write the import template (.xlsx).
    Template { out: PathBuf },
    /// List questions.
    List {
        #[arg(long)]
        json: bool,
        /// draft, approved or retired.
        #[arg(long)]
        status: Option<String>,
        /// A law title (short titles and aliases too).
        #[arg(long)]
        law: Option<String>,
        /// Only questions flagged because a cited article changed.
        #[arg(long)]
        needs_review: bool,
    },
    /// Generate draft questions from the current version of a law.
    Generate {
        #[arg(long)]
        law: String,
        #[arg(long, default_value_t = 20)]
        count: usize,
        /// Seed of the generator (the same seed gives the same questions).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Approve questions by id, or every generated question still in draft.
    Approve {
        #[arg(required_unless_present = "all_generated")]
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all_generated: bool,
    },
    /// Retire questions by id.
    Retire {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Measure importing an .xlsx of N generated rows into a fresh SQLite database.
    BenchImport {
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
    },
}

/// What a questions command prints, and whether it succeeded (a failed import still prints
/// its summary as the last line).
#[derive(Debug)]
pub struct Outcome {
    pub text: String,
    pub ok: bool,
}

impl Outcome {
    fn ok(text: String) -> Outcome {
        Outcome { text, ok: true }
    }
}

fn status_arg(s: Option<&str>) -> anyhow::Result<Option<Status>> {
    s.map(|s| {
        store::parse_status(s)
            .with_context(|| format!("unknown status {s} (draft, approved, retired)"))
    })
    .transpose()
}

pub async fn questions(app: &App, cmd: QuestionsCommand) -> anyhow::Result<Outcome> {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "cli",
        now: app.clock.now(),
    };
    let pool = &app.db.pool;
    match cmd {
        QuestionsCommand::Import {
            file,
            approve,
            skip_invalid,
            suggest_basis,
        } => {
            import_file(
                app,
                &ctx,
                &file,
                ImportOptions {
                    approve,
                    skip_invalid,
                    suggest_basis,
                },
            )
            .await
        }
        QuestionsCommand::SuggestBasis { file, json } => suggest_basis(app, &file, json).await,
        QuestionsCommand::Export {
            format,
            out,
            status,
        } => {
            let format = Format::parse(&format).context("format must be xlsx, csv or json")?;
            let bytes = export::export(
                &mut *pool.acquire().await?,
                &ctx,
                format,
                status_arg(status.as_deref())?,
            )
            .await?;
            std::fs::write(&out, &bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            Ok(Outcome::ok(format!(
                "exported to {} ({} bytes)",
                out.display(),
                bytes.len()
            )))
        }
        QuestionsCommand::Template { out } => {
            std::fs::write(&out, import::template_xlsx()?)?;
            Ok(Outcome::ok(format!(
                "template written to {}",
                out.display()
            )))
        }
        QuestionsCommand::List {
            json,
            status,
            law,
            needs_review,
        } => {
            let book =
                LawBook::load(&mut *pool.acquire().await?, &app.config.project_corpus).await?;
            if let Some(l) = &law
                && book.statutes_named(l).is_empty()
            {
                anyhow::bail!("no law named {l}");
            }
            let filter = ListFilter {
                status: status_arg(status.as_deref())?,
                law,
                needs_review: needs_review.then_some(true),
                per_page: Some(admin::MAX_PER_PAGE),
                ..ListFilter::default()
            };
            let mut items = Vec::new();
            for page in 1.. {
                let p = admin::list(
                    &mut *pool.acquire().await?,
                    &book,
                    &actor,
                    &ListFilter {
                        page: Some(page),
                        ..filter.clone()
                    },
                )
                .await?;
                let done = p.items.len() < p.per_page as usize;
                items.extend(p.items);
                if done {
                    break;
                }
            }
            items.reverse(); // oldest first
            if json {
                return Ok(Outcome::ok(serde_json::to_string_pretty(&items)?));
            }
            let lines: Vec<String> = items
                .iter()
                .map(|q| {
                    let stem: String = q.stem.chars().take(40).collect();
                    let review = if q.needs_review { "\t待复核" } else { "" };
                    format!(
                        "{}\t{}\t{}\t{}\t{}{review}",
                        q.question_id,
                        q.qtype.label(),
                        q.status_label(),
                        stem,
                        q.basis.join("；")
                    )
                })
                .collect();
            Ok(Outcome::ok(lines.join("\n")))
        }
        QuestionsCommand::Generate { law, count, seed } => {
            generate(app, &ctx, &law, count, seed).await
        }
        QuestionsCommand::Approve { ids, all_generated } => {
            let mut tx = app.db.write().await?;
            let n = if all_generated {
                admin::approve_all_generated(&mut tx, &ctx).await?
            } else {
                admin::approve(&mut tx, &ctx, &ids).await?
            };
            tx.commit().await?;
            Ok(Outcome::ok(format!("approved {n} questions")))
        }
        QuestionsCommand::Retire { ids } => {
            let mut tx = app.db.write().await?;
            let n = admin::retire(&mut tx, &ctx, &ids).await?;
            tx.commit().await?;
            Ok(Outcome::ok(format!("retired {n} questions")))
        }
        QuestionsCommand::BenchImport { rows } => {
            Ok(Outcome::ok(crate::bank::bench::run(rows).await?))
        }
    }
}

/// One question's proposals, as `suggest-basis --json` prints them.
#[derive(serde::Serialize)]
struct Proposed {
    row: usize,
    stem: String,
    candidates: Vec<Candidate>,
}

/// Rows that are not questions are reported on stderr and skipped.
async fn suggest_basis(app: &App, file: &Path, json: bool) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (rows, unread) = suggest::read_bank(&name, &bytes)?;
    for (row, why) in &unread {
        eprintln!("第 {row} 行未读取：{why}");
    }
    let book = LawBook::load(&mut *app.db.read().await?, &app.config.project_corpus).await?;
    let questions = rows.iter().map(|r| Question::of(&r.draft, &book)).collect();
    let found = suggest::suggest_all(&app.search, questions).await?;
    let proposed: Vec<Proposed> = rows
        .into_iter()
        .zip(found)
        .map(|(r, candidates)| Proposed {
            row: r.row,
            stem: r.draft.stem,
            candidates,
        })
        .collect();
    if json {
        return Ok(Outcome::ok(serde_json::to_string_pretty(&proposed)?));
    }
    let mut lines = vec!["行\t题干\t推荐依据（得分）".to_string()];
    for p in &proposed {
        let stem: String = p.stem.chars().take(30).collect();
        let cited: Vec<String> = p
            .candidates
            .iter()
            .map(|c| format!("{}（{:.2}）", c.cite(), c.score))
            .collect();
        let cited = if cited.is_empty() {
            "（无）".to_string()
        } else {
            cited.join("、")
        };
        lines.push(format!("{}\t{stem}\t{cited}", p.row));
    }
    Ok(Outcome::ok(lines.join("\n")))
}

/// Problems and warnings go to stderr; the summary is the last line of stdout.
async fn import_file(
    app: &App,
    ctx: &Ctx<'_>,
    file: &Path,
    opts: ImportOptions,
) -> anyhow::Result<Outcome> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let book = LawBook::load(&mut *app.db.read().await?, &app.config.project_corpus).await?;
    let report = app
        .import_questions(&book, ctx, &name, &bytes, opts)
        .await?;
    for p in &report.problems {
        eprintln!("第 {} 行 [{}] {}", p.row, p.column, p.problem);
    }
    for w in &report.warnings {
        eprintln!("warning: 第 {} 行 [{}] {}", w.row, w.column, w.problem);
    }
    for s in &report.suggested {
        eprintln!("suggested: 第 {} 行推荐依据 {}（待确认）", s.row, s.basis);
    }
    for d in &report.duplicates {
        match (d.question_id, d.first_row) {
            (Some(id), _) => eprintln!("duplicate: 第 {} 行与题库中的题目 #{id} 重复", d.row),
            (None, Some(first)) => eprintln!("duplicate: 第 {} 行与第 {first} 行重复", d.row),
            (None, None) => eprintln!("duplicate: 第 {} 行与题库中的题目重复", d.row),
        }
    }
    if report.rejected() && !opts.skip_invalid {
        eprintln!("nothing imported: fix the rows above or use --skip-invalid");
    }
    Ok(Outcome {
        text: report.summary(),
        ok: !report.rejected(),
    })
}

async fn generate(
    app: &App,
    ctx: &Ctx<'_>,
    law: &str,
    count: usize,
    seed: Option<u64>,
) -> anyhow::Result<Outcome> {
    let pool = &app.db.pool;
    let book = LawBook::load(&mut *pool.acquire().await?, &app.config.project_corpus).await?;
    let statute = book
        .statute(law)
        .with_context(|| format!("no law named {law}"))?;
    let mut tx = app.db.write().await?;
    let Some(done) = drafting::generate_drafts(&mut tx, ctx, statute, count, seed).await? else {
        anyhow::bail!("{law} has no current version");
    };
    tx.commit().await?;
    let (report, seed) = (done.report, done.seed);
    Ok(Outcome::ok(format!(
        "generated {} questions from 《{}》 ({} duplicates), seed {seed}",
        report.created.len(),
        done.law_title,
        report.duplicates.len()
    )))
}

/// Returned to `main` by a command that printed its own report and must only exit with 1.
#[derive(Debug, thiserror::Error)]
#[error("failed")]
pub struct Failed;
