//! `xuefa questions bench-import`: how long an .xlsx of N questions takes to read, check and
//! store in a fresh SQLite database (with 信访工作条例 imported so that every basis resolves),
//! how long re-importing it (all duplicates) and exporting the bank take.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rust_xlsxwriter::Workbook;

use super::export::{self, Format};
use super::import::columns::{COLUMNS, read_file};
use super::import::row::parse_row;
use super::import::{ImportOptions, LawBook};
use super::model::Origin;
use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::app::App;
use crate::config::Config;

/// The law the benchmark's questions cite.
fn law_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/行政法规/信访工作条例(2022-02-25).md")
}

pub async fn run(rows: usize) -> anyhow::Result<String> {
    let dir = std::env::temp_dir().join(format!("xuefa-bench-bank-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(rows, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// An .xlsx of `rows` questions of the four types, each citing an article of 信访工作条例.
pub fn sample_xlsx(rows: usize) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, (header, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *header)?;
    }
    for i in 0..rows {
        let r = u32::try_from(i + 1)?;
        let basis = format!("《信访工作条例》第{}条", 1 + i % 50);
        let (qtype, stem, options, answer): (&str, String, &[&str], &str) = match i % 4 {
            0 => (
                "单选",
                format!("第{i}题：信访部门收到信访事项，应当在（ ）内分别按照规定方式处理。"),
                &["7日", "10日", "15日", "30日"],
                "C",
            ),
            1 => (
                "多选",
                format!("第{i}题：下列属于信访工作原则的有（ ）。"),
                &[
                    "坚持党的全面领导",
                    "坚持以人民为中心",
                    "坚持源头治理化解矛盾",
                    "一律不予受理",
                ],
                "A、B、C",
            ),
            2 => (
                "判断",
                format!("第{i}题：信访工作是党的群众工作的重要组成部分。"),
                &[],
                "√",
            ),
            _ => (
                "填空",
                format!("第{i}题：信访部门收到信访事项，应当在（ ）内分别按照规定方式处理。"),
                &[],
                "15日/十五日",
            ),
        };
        sheet.write_string(r, 0, qtype)?;
        sheet.write_string(r, 1, &stem)?;
        for (k, o) in options.iter().enumerate() {
            sheet.write_string(r, 2 + k as u16, *o)?;
        }
        sheet.write_string(r, 10, answer)?;
        sheet.write_string(r, 11, "见条文。")?;
        sheet.write_string(r, 12, &basis)?;
        sheet.write_string(r, 13, (1 + i % 5).to_string())?;
        sheet.write_string(r, 14, "信访；基准测试")?;
    }
    Ok(book.save_to_buffer()?)
}

async fn measure(rows: usize, dir: &Path) -> anyhow::Result<String> {
    let app = App::open_in_memory_index(Config::new(dir, None, None)).await?;
    measure_on(&app, rows).await
}

/// The measurements on an app whose bank is empty (the tests run it on PostgreSQL too).
pub async fn measure_on(app: &App, rows: usize) -> anyhow::Result<String> {
    let mut out = Vec::new();
    let law = law_file();
    if law.exists() {
        app.import_laws(&[law], &|_, _| {}).await?;
    } else {
        out.push(format!(
            "({} not found: bases will not resolve)",
            law.display()
        ));
    }
    let t = Instant::now();
    let bytes = sample_xlsx(rows)?;
    out.push(format!(
        "built {rows}-row .xlsx: {:.1} MB in {:.2} s",
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    ));

    let t = Instant::now();
    let raw = read_file("bench.xlsx", &bytes).map_err(anyhow::Error::msg)?;
    let parsed: Vec<_> = raw.iter().map(|r| parse_row(r, Origin::Imported)).collect();
    let parse_secs = t.elapsed().as_secs_f64();
    let valid = parsed.iter().filter(|p| p.problems.is_empty()).count();
    out.push(format!(
        "read + check (pure): {parse_secs:.2} s, {valid} valid rows"
    ));

    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "bench",
        now: app.clock.now(),
    };
    let pool = &app.db.pool;
    let book = LawBook::load(&mut *pool.acquire().await?, &app.config.project_corpus).await?;
    let opts = ImportOptions::default();
    let t = Instant::now();
    let report = app
        .import_questions(&book, &ctx, "bench.xlsx", &bytes, opts)
        .await?;
    let secs = t.elapsed().as_secs_f64();
    out.push(format!(
        "import: {} in {secs:.2} s ({:.0} rows/s), {} warnings",
        report.summary(),
        rows as f64 / secs,
        report.warnings.len()
    ));

    let t = Instant::now();
    let again = app
        .import_questions(&book, &ctx, "bench.xlsx", &bytes, opts)
        .await?;
    out.push(format!(
        "re-import (all duplicates): {} in {:.2} s",
        again.summary(),
        t.elapsed().as_secs_f64()
    ));

    let t = Instant::now();
    let exported = export::export(&mut *pool.acquire().await?, &ctx, Format::Xlsx, None).await?;
    out.push(format!(
        "export .xlsx: {:.1} MB in {:.2} s",
        exported.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    ));
    Ok(out.join("\n"))
}
