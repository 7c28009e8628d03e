//! `xuefa bench-report`: generates a year of records for N officials on a fresh database
//! (a temporary SQLite file, or an empty one given by URL), then times building the unit
//! report and the annual report for everyone, several runs each, and prints the medians.

use std::time::Instant;

use anyhow::Context;

use super::report_data::generate;
use crate::app::App;
use crate::config::Config;
use crate::learning::Curriculum;
use crate::reports;

pub struct Options {
    pub officials: usize,
    pub database_url: Option<String>,
    pub runs: usize,
}

pub async fn run(opts: Options) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("xuefa-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, &opts).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(dir: &std::path::Path, opts: &Options) -> anyhow::Result<()> {
    let config = Config::new(dir, opts.database_url.clone(), None);
    let app = App::open(config).await?;
    let curriculum = Curriculum::load(&app.config.project_corpus)
        .context("run from the project folder (corpus/curriculum.toml)")?;
    let users: i64 = sqlx::query_scalar("select count(*) from app_user")
        .fetch_one(&app.db.pool)
        .await?;
    anyhow::ensure!(
        users == 0,
        "the database already holds users: give an empty database (it is filled with bench data)"
    );
    let year = 2025;
    let (from, until) = crate::learning::year_bounds(year)?;
    let started = Instant::now();
    let mut tx = app.db.write().await?;
    let g = generate(&mut tx, &curriculum, opts.officials, from).await?;
    tx.commit().await?;
    println!(
        "generated {} officials in {} units: {} law-reading rows, {} practice answers, {} \
         study-note rows, {} sign-ins over 12 sessions, {} exam attempts, {} certificates in \
         {:.1} s",
        opts.officials,
        g.units,
        g.study_rows,
        g.practice_rows,
        g.note_rows,
        g.attendance,
        g.attempts,
        g.certificates,
        started.elapsed().as_secs_f64()
    );
    // The statistics the planner needs after a bulk load (SQLite's analyze, PostgreSQL's).
    sqlx::query("analyze").execute(&app.db.pool).await?;
    let now = until + 86_400;
    let mut unit_times = Vec::new();
    let mut annual_times = Vec::new();
    for _ in 0..opts.runs.max(1) {
        let mut conn = app.db.read().await?;
        let t = Instant::now();
        let r = reports::unit_report(&mut conn, &curriculum, None, year, now).await?;
        unit_times.push(t.elapsed().as_secs_f64());
        anyhow::ensure!(
            r.people.len() == opts.officials,
            "every official is reported"
        );
        let t = Instant::now();
        let a = reports::annual_report(&mut conn, &curriculum, None, year, now).await?;
        annual_times.push(t.elapsed().as_secs_f64());
        anyhow::ensure!(a.sessions.len() == 12, "every session is in the archive");
    }
    let a =
        reports::annual_report(&mut *app.db.read().await?, &curriculum, None, year, now).await?;
    println!(
        "annual figures: officials {}, sessions {} + trainings {}, attendance {:?}%, hours/official {:?}, \
         exams {}, participation {:?}%, pass rate {:?}%, certificates valid {} (expiring {})",
        a.officials,
        a.sessions_held,
        a.trainings_held,
        a.session_attendance_rate,
        a.study_hours_per_official,
        a.exams_held,
        a.participation_rate,
        a.pass_rate,
        a.certificates_valid,
        a.certificates_expiring
    );
    let backend = if app.config.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "{backend}, {} officials, {} runs: unit report median {:.3} s (min {:.3}), annual report median {:.3} s (min {:.3})",
        opts.officials,
        unit_times.len(),
        median(&mut unit_times),
        min(&unit_times),
        median(&mut annual_times),
        min(&annual_times)
    );
    Ok(())
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

fn min(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::INFINITY, f64::min)
}
