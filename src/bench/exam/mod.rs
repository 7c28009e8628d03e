//! `xuefa bench-exam`: exam day for a county against one real `xuefa serve` process. N
//! officers sign in over HTTP (real sessions, cookies and CSRF tokens), start one exam within
//! the same minute, save an answer every few seconds and all submit at the end; optionally
//! the server is killed with SIGKILL mid-exam and restarted on the same data, and the takers
//! resume. It prints sign-in, start, answer-save and submit latencies, submits per second and
//! the server's peak memory, then proves from the database that every acknowledged answer
//! was stored.

mod client;
mod setup;
mod taker;
mod verify;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, watch};

use self::taker::{Outcome, Plan, Taker};
pub use self::verify::Check;
use super::http::Server;
use super::{ms, percentile, vm_kb};
use crate::accounts::password::HashCost;
use crate::app::App;
use crate::config::Config;

#[derive(Debug, Clone)]
pub struct Options {
    pub takers: usize,
    /// Questions on the paper; each taker answers every one (within `duration`).
    pub questions: usize,
    /// Mean think time before each answer (jittered ±50 %).
    pub think: Duration,
    /// Starts are spread evenly over this window ("the same minute").
    pub ramp: Duration,
    /// Answering stops this long after the first start, then everybody submits.
    pub duration: Option<Duration>,
    /// SIGKILL the server this long after the first start, and restart it.
    pub kill_at: Option<Duration>,
    /// PostgreSQL (or SQLite) URL; default a SQLite file in a temporary data folder.
    pub database_url: Option<String>,
    /// Store the officers' passwords with the cheap test hash and run the server with it
    /// (`XUEFA_HASH_COST=fast`); otherwise production argon2 (about 40 ms of CPU a sign-in).
    pub cheap_hash: bool,
    /// Sign-ins in flight at once.
    pub sign_in_concurrency: usize,
    /// The `xuefa` binary to serve with.
    pub exe: PathBuf,
}

/// What a run measured and proved.
pub struct Report {
    pub check: Check,
    pub outcomes: Vec<Outcome>,
    pub restarted: bool,
}

impl Report {
    /// Takers that ended with an error (sign-in, start, save or submit refused or lost).
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.error.is_some()).count()
    }
}

pub async fn run(opts: Options) -> anyhow::Result<()> {
    let report = measure(&opts).await?;
    let c = &report.check;
    anyhow::ensure!(
        c.lost == 0 && c.not_submitted == 0 && report.failed() == 0,
        "FAILED: {} of {} acknowledged answers lost, {} submitted attempts not submitted, {} takers failed",
        c.lost,
        c.acked,
        c.not_submitted,
        report.failed()
    );
    Ok(())
}

/// Runs the whole benchmark in a temporary data folder and prints the figures.
pub async fn measure(opts: &Options) -> anyhow::Result<Report> {
    let dir = std::env::temp_dir().join(format!(
        "xuefa-bench-exam-{}-{}",
        std::process::id(),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() % 1_000_000_000
    ));
    std::fs::create_dir_all(&dir)?;
    let result = sit(opts, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn sit(opts: &Options, dir: &std::path::Path) -> anyhow::Result<Report> {
    let config = Config::new(dir, opts.database_url.clone(), None);
    let url = config.database_url.clone();
    let cost = if opts.cheap_hash {
        HashCost::Fast
    } else {
        HashCost::Production
    };
    let run = format!(
        "{}",
        time::OffsetDateTime::now_utc().unix_timestamp() % 1_000_000
    );
    let t = Instant::now();
    let app = App::open(config).await?;
    let fixture = setup::store(&app, &run, opts.takers, opts.questions, cost).await?;
    app.db.pool.close().await;
    drop(app);
    println!(
        "setup: {} officers, {} questions per paper, exam #{} ({:.1} s; {})",
        opts.takers,
        opts.questions,
        fixture.exam_id,
        t.elapsed().as_secs_f64(),
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let args: Vec<String> = vec![
        "--database-url".into(),
        url.clone(),
        "serve".into(),
        "--addr".into(),
        addr.clone(),
        "--trusted-proxy".into(),
        "127.0.0.1".into(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let env: Vec<(&str, &str)> = if opts.cheap_hash {
        vec![("XUEFA_HASH_COST", "fast")]
    } else {
        vec![]
    };
    let mut server = Server::spawn(&opts.exe, dir, &args, &env).await?;
    let memory = Memory::watch(server.pid());

    let plan = Arc::new(Plan {
        addr: addr.clone(),
        exam_id: fixture.exam_id,
        password: fixture.password.clone(),
        think: opts.think,
        answer_until: None,
        patience: Duration::from_secs(120),
        answered: Default::default(),
    });
    let mut takers: Vec<Taker> = fixture
        .usernames
        .iter()
        .enumerate()
        .map(|(n, u)| Taker::new(&plan, n, u.clone()))
        .collect();

    // Sign-in before the exam opens, as officers do; its own figure.
    let t = Instant::now();
    let gate = Arc::new(Semaphore::new(opts.sign_in_concurrency.max(1)));
    let mut tasks = Vec::new();
    for mut taker in takers.drain(..) {
        let (plan, gate) = (plan.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await;
            if let Err(e) = taker.sign_in(&plan).await {
                taker.out.error = Some(format!("{e:#}"));
            }
            taker
        }));
    }
    for task in tasks {
        takers.push(task.await?);
    }
    let secs = t.elapsed().as_secs_f64();
    let times = sorted(takers.iter().filter_map(|t| t.out.sign_in));
    println!(
        "sign-in ({}, {} in flight): {:.0}/s, p50 {:.1} ms, p99 {:.1} ms ({} in {secs:.1} s)",
        if opts.cheap_hash {
            "cheap test hash"
        } else {
            "production argon2id"
        },
        opts.sign_in_concurrency,
        times.len() as f64 / secs,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        times.len()
    );

    // The exam: starts spread over the ramp, answers, then the submit rush.
    let started = Instant::now();
    let plan = Arc::new(Plan {
        addr: addr.clone(),
        exam_id: fixture.exam_id,
        password: fixture.password.clone(),
        think: opts.think,
        answer_until: opts.duration.map(|d| started + d),
        patience: Duration::from_secs(120),
        answered: Default::default(),
    });
    let (open_submit, gate_rx) = watch::channel(false);
    let n = takers.len().max(1);
    let mut tasks = Vec::new();
    for (i, mut taker) in takers.into_iter().enumerate() {
        let plan = plan.clone();
        let mut gate = gate_rx.clone();
        let offset = opts.ramp.mul_f64(i as f64 / n as f64);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(offset).await;
            if taker.out.error.is_none() {
                taker.sit(&plan, &mut gate).await;
            } else {
                plan.answered.fetch_add(1, Ordering::SeqCst);
            }
            taker.out
        }));
    }
    let mut restarted = false;
    if let Some(kill_at) = opts.kill_at {
        tokio::time::sleep_until((started + kill_at).into()).await;
        let peak = memory.peak_of(server.pid());
        server.kill().await?;
        let down = Instant::now();
        server = Server::spawn(&opts.exe, dir, &args, &env).await?;
        memory.follow(server.pid(), peak);
        restarted = true;
        println!(
            "SIGKILL at {:.1} s into the exam; restarted on the same data in {:.2} s",
            kill_at.as_secs_f64(),
            down.elapsed().as_secs_f64(),
        );
    }
    while plan.answered.load(Ordering::SeqCst) < n {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let rush = Instant::now();
    let answering_secs = rush.duration_since(started).as_secs_f64();
    let _ = open_submit.send(true);
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await?);
    }
    let peak_mb = memory.peak_of(server.pid()) / 1024;
    drop(server);

    let saves = sorted(outcomes.iter().flat_map(|o| o.saves.iter().copied()));
    let starts = sorted(outcomes.iter().filter_map(|o| o.start));
    let submits = sorted(outcomes.iter().filter_map(|o| o.submit));
    let last_submit = outcomes.iter().filter_map(|o| o.submitted_at).max();
    let rush_secs = last_submit.map_or(0.0, |l| l.duration_since(rush).as_secs_f64());
    println!(
        "start: p50 {:.1} ms, p99 {:.1} ms ({} over {:.0} s)",
        ms(percentile(&starts, 0.5)),
        ms(percentile(&starts, 0.99)),
        starts.len(),
        opts.ramp.as_secs_f64()
    );
    println!(
        "answer save: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} saves in {answering_secs:.0} s, {:.0}/s)",
        ms(percentile(&saves, 0.5)),
        ms(percentile(&saves, 0.99)),
        ms(saves.last().copied().unwrap_or_default()),
        saves.len(),
        saves.len() as f64 / answering_secs.max(0.001)
    );
    println!(
        "submit rush: {:.0} submits/s ({} in {rush_secs:.1} s), p50 {:.1} ms, p99 {:.1} ms",
        submits.len() as f64 / rush_secs.max(0.001),
        submits.len(),
        ms(percentile(&submits, 0.5)),
        ms(percentile(&submits, 0.99))
    );
    println!("server memory: peak RSS {peak_mb} MB");
    let retries: usize = outcomes.iter().map(|o| o.retries).sum();
    let resumed: usize = outcomes.iter().map(|o| o.resumed).sum();
    let missing: usize = outcomes.iter().map(|o| o.resume_missing).sum();
    let echo: usize = outcomes.iter().map(|o| o.echo_mismatch).sum();
    println!(
        "retries {retries}, resumes after a lost connection {resumed} (acknowledged answers missing from the resumed paper: {missing}), echo mismatches {echo}"
    );
    let check = verify::check(&url, fixture.exam_id, &outcomes).await?;
    println!(
        "database check: {} of {} acknowledged answers stored, {} lost; {} of {} submitted attempts graded; {} attempts",
        check.acked - check.lost,
        check.acked,
        check.lost,
        check.submitted - check.not_submitted,
        check.submitted,
        check.attempts
    );
    for e in &check.examples {
        println!("  lost: {e}");
    }
    let report = Report {
        check,
        outcomes,
        restarted,
    };
    for o in report.outcomes.iter().filter(|o| o.error.is_some()).take(5) {
        println!(
            "  {} failed: {}",
            o.username,
            o.error.as_deref().unwrap_or("")
        );
    }
    Ok(report)
}

fn sorted(times: impl Iterator<Item = Duration>) -> Vec<Duration> {
    let mut v: Vec<Duration> = times.collect();
    v.sort();
    v
}

/// Samples the server's resident memory; the peak is the larger of the kernel's high-water
/// mark (VmHWM) of each process and the samples.
struct Memory {
    pid: Arc<AtomicU32>,
    peak_kb: Arc<AtomicU64>,
    sampler: tokio::task::JoinHandle<()>,
}

impl Drop for Memory {
    fn drop(&mut self) {
        self.sampler.abort();
    }
}

impl Memory {
    fn watch(pid: Option<u32>) -> Memory {
        let pid = Arc::new(AtomicU32::new(pid.unwrap_or(0)));
        let peak_kb: Arc<AtomicU64> = Arc::default();
        let (p, peak) = (pid.clone(), peak_kb.clone());
        let sampler = tokio::spawn(async move {
            loop {
                let kb = vm_kb(&p.load(Ordering::Relaxed).to_string(), "VmHWM");
                peak.fetch_max(kb, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
        Memory {
            pid,
            peak_kb,
            sampler,
        }
    }

    /// The peak so far, reading the current process's high-water mark once more.
    fn peak_of(&self, pid: Option<u32>) -> u64 {
        let kb = vm_kb(&pid.unwrap_or(0).to_string(), "VmHWM");
        self.peak_kb.fetch_max(kb, Ordering::Relaxed).max(kb)
    }

    fn follow(&self, pid: Option<u32>, peak_kb: u64) {
        self.peak_kb.fetch_max(peak_kb, Ordering::Relaxed);
        self.pid.store(pid.unwrap_or(0), Ordering::Relaxed);
    }
}
