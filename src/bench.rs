//! `xuefa bench-search`: the figures the search foundation is held to. Imports a law folder
//! into a fresh data folder, then measures search latency in-process and HTTP throughput and
//! memory against a real `xuefa serve` child process.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

use crate::app::App;
use crate::config::Config;
use crate::search::SearchRequest;

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

pub async fn run(laws: &Path, rounds: usize) -> anyhow::Result<()> {
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

    let mut by_query = Vec::new();
    let mut all = Vec::new();
    for q in QUERY_MIX {
        let req = SearchRequest {
            q: q.into(),
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
        "search (top 10 with snippets, in-process) over {} runs:",
        all.len()
    );
    println!(
        "  p50 {:.3} ms, p99 {:.3} ms",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99))
    );
    for (q, p50, p99) in by_query {
        println!("  {q:<24} p50 {:.3} ms  p99 {:.3} ms", ms(p50), ms(p99));
    }
    drop(app);
    serve_and_load(dir).await
}

/// Starts `xuefa serve` on the bench data and drives it with keep-alive connections.
async fn serve_and_load(dir: &Path) -> anyhow::Result<()> {
    let exe = std::env::current_exe()?;
    let mut child = tokio::process::Command::new(exe)
        .arg("--data")
        .arg(dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().context("child stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next_line()
            .await?
            .context("server exited before listening")?;
        if let Some(url) = line.split("http://").nth(1) {
            break url.trim().to_string();
        }
    };
    let pid = child.id().context("child pid")?.to_string();
    let duration = Duration::from_secs(5);
    let connections = 16;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let addr = addr.clone();
        tasks.push(tokio::spawn(async move {
            load(&addr, c, started + duration).await
        }));
    }
    let mut done = 0usize;
    for t in tasks {
        done += t.await??;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "HTTP GET /api/search, {connections} keep-alive connections: {:.0} requests/s ({done} in {secs:.1} s)",
        done as f64 / secs
    );
    println!(
        "server memory: peak {} MB, resident now {} MB",
        vm_kb(&pid, "VmHWM") / 1024,
        vm_kb(&pid, "VmRSS") / 1024
    );
    child.kill().await?;
    Ok(())
}

async fn load(addr: &str, seed: usize, until: Instant) -> anyhow::Result<usize> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut n = 0;
    let mut buf = Vec::with_capacity(64 * 1024);
    while Instant::now() < until {
        let q = QUERY_MIX[(seed + n) % QUERY_MIX.len()];
        let path = format!("/api/search?{}", serde_urlencoded::to_string([("q", q)])?);
        let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        stream.write_all(req.as_bytes()).await?;
        read_response(&mut stream, &mut buf).await?;
        n += 1;
    }
    Ok(n)
}

/// Reads one HTTP/1.1 response with a Content-Length body.
async fn read_response(
    stream: &mut tokio::net::TcpStream,
    buf: &mut Vec<u8>,
) -> anyhow::Result<()> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            anyhow::ensure!(
                head.starts_with("http/1.1 200"),
                "unexpected response: {head}"
            );
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .context("no content-length")?;
            while buf.len() < end + 4 + len {
                let n = stream.read(&mut chunk).await?;
                anyhow::ensure!(n > 0, "connection closed");
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(());
        }
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A `/proc/PID/status` figure in kB (0 where /proc is unavailable).
fn vm_kb(pid: &str, key: &str) -> u64 {
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
