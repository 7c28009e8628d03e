//! Benchmarks (`xuefa bench-search`, `xuefa bench-auth`, `xuefa bench-http`,
//! `xuefa bench-relevance`). `bench-search`: the figures the search foundation is held to. Imports a law folder
//! into a fresh data folder, then measures search latency in-process and HTTP throughput and
//! memory against a real `xuefa serve` child process.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::app::App;
use crate::config::Config;
use crate::search::SearchRequest;

pub mod auth;
pub mod basis;
pub mod exam;
mod http;
pub mod pages;
pub mod relevance;
pub mod report;
mod report_data;
mod report_records;

/// Queries as officials type them: keywords, run-together phrases, references, synonyms.
const QUERY_MIX: [&str; 14] = [
    "信访事项 受理 期限",
    "信访事项受理期限",
    "信访工作条例第十七条",
    "行政处罚法 第36条",
    "民法典1079条",
    "行政复议 申请期限",
    "拆迁补偿",
    "低保",
    "执法证",
    "\"六十日\" 复议",
    "醉驾",
    "罚款 听证",
    "宅基地",
    "政府信息公开 申请",
];

/// Exam stems as a bank import passes them to search (60–120 characters), timed apart:
/// many words, each finding candidates, so the slowest kind of query.
const LONG_QUERIES: [&str; 3] = [
    "某县市场监督管理局在执法检查中发现某超市销售超过保质期的食品，拟对该超市作出没收违法所得并处罚款的行政处罚决定，在作出决定之前应当告知当事人哪些事项并听取其陈述和申辩？",
    "张某因与邻居发生纠纷将邻居殴打致轻微伤，公安机关经调查后决定对张某处以行政拘留十日并处罚款五百元，张某不服该处罚决定，可以在多长时间内申请行政复议或者提起行政诉讼？",
    "某市人民政府为实施旧城区改建需要征收国有土地上的房屋，在作出房屋征收决定之前应当组织有关部门对征收补偿方案进行论证并予以公布，征求公众意见的期限不得少于多少日？",
];

pub async fn run(laws: &Path, rounds: usize, data: Option<&Path>) -> anyhow::Result<()> {
    if let Some(dir) = data {
        std::fs::create_dir_all(dir)?;
        return measure(laws, rounds, dir).await;
    }
    let dir = std::env::temp_dir().join(format!("xuefa-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(laws, rounds, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(laws: &Path, rounds: usize, dir: &Path) -> anyhow::Result<()> {
    let config = Config::new(dir, None, None);
    let started = Instant::now();
    let app = App::open(config.clone()).await?;
    let report = app.import_laws(&[laws.to_path_buf()], &|_, _| {}).await?;
    let import_secs = started.elapsed().as_secs_f64();
    println!("import+index: {report} in {import_secs:.1} s");
    println!(
        "index size: {:.1} MB",
        dir_size(&config.index_dir()) as f64 / 1e6
    );
    println!(
        "peak memory during import: {} MB",
        vm_kb("self", "VmHWM") / 1024
    );

    latency(&app, "search", &QUERY_MIX, rounds)?;
    latency(&app, "long queries (exam stems)", &LONG_QUERIES, rounds)?;
    drop(app);
    serve_and_load(dir).await
}

/// Times `rounds` searches of each query (top 10 with snippets, in-process) and prints p50
/// and p99 overall and per query.
fn latency(app: &App, label: &str, queries: &[&str], rounds: usize) -> anyhow::Result<()> {
    let mut by_query = Vec::new();
    let mut all = Vec::new();
    for q in queries {
        let req = SearchRequest {
            q: (*q).into(),
            limit: Some(10),
            ..Default::default()
        };
        app.search.search(&req)?; // warm up
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let r = app.search.search(&req)?;
            times.push(t.elapsed());
            std::hint::black_box(r);
        }
        times.sort();
        by_query.push((q, percentile(&times, 0.5), percentile(&times, 0.99)));
        all.extend(times);
    }
    all.sort();
    println!(
        "{label} (top 10 with snippets, in-process) over {} runs:",
        all.len()
    );
    println!(
        "  p50 {:.3} ms, p99 {:.3} ms",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99))
    );
    for (q, p50, p99) in by_query {
        let shown: String = q.chars().take(24).collect();
        println!("  {shown:<24} p50 {:.3} ms  p99 {:.3} ms", ms(p50), ms(p99));
    }
    Ok(())
}

/// Starts `xuefa serve` on the bench data and drives it with keep-alive connections.
async fn serve_and_load(dir: &Path) -> anyhow::Result<()> {
    let server = http::Server::start(dir, &[]).await?;
    let connections = 16;
    let (done, secs, _) = http::load(&server.addr, connections, Duration::from_secs(5), |n| {
        let q = QUERY_MIX[n % QUERY_MIX.len()];
        let query = serde_urlencoded::to_string([("q", q)]).unwrap_or_default();
        format!("GET /api/search?{query} HTTP/1.1\r\nHost: bench\r\n\r\n")
    })
    .await?;
    println!(
        "HTTP GET /api/search, {connections} keep-alive connections: {:.0} requests/s ({done} in {secs:.1} s)",
        done as f64 / secs
    );
    let (peak, now) = server.memory_mb();
    println!("server memory: peak {peak} MB, resident now {now} MB");
    Ok(())
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A `/proc/PID/status` figure in kB (0 where /proc is unavailable).
pub(crate) fn vm_kb(pid: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(key)?
                    .strip_prefix(':')
                    .map(|v| v.trim().to_string())
            })
        })
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn dir_size(dir: &PathBuf) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
