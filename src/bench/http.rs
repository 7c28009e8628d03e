//! A `xuefa serve` child process and a minimal keep-alive HTTP/1.1 load generator, so that
//! throughput and memory are measured on a real server over real sockets.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::Child;

use super::vm_kb;

pub struct Server {
    pub addr: String,
    child: Child,
}

impl Server {
    /// Runs `xuefa --data DIR serve` on a free port with extra environment variables.
    pub async fn start(dir: &Path, env: &[(&str, &str)]) -> anyhow::Result<Server> {
        let exe = std::env::current_exe()?;
        Server::spawn(&exe, dir, &["serve", "--addr", "127.0.0.1:0"], env).await
    }

    /// Runs `EXE --data DIR ARGS…` and waits until it says where it listens.
    pub async fn spawn(
        exe: &Path,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> anyhow::Result<Server> {
        let mut cmd = tokio::process::Command::new(exe);
        cmd.arg("--data").arg(dir).args(args);
        cmd.envs(env.iter().copied())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn()?;
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
        Ok(Server { addr, child })
    }

    /// The server's process id (None once it was reaped).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// SIGKILL, as a crash or an out-of-memory kill would end it, and waits for the exit.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        Ok(())
    }

    /// (peak, current) resident memory in MB.
    pub fn memory_mb(&self) -> (u64, u64) {
        let pid = self.child.id().map(|p| p.to_string()).unwrap_or_default();
        (vm_kb(&pid, "VmHWM") / 1024, vm_kb(&pid, "VmRSS") / 1024)
    }
}

/// Sends `request(n)` over `connections` keep-alive connections for `duration`. Returns
/// (responses, seconds, sorted latencies).
pub async fn load(
    addr: &str,
    connections: usize,
    duration: Duration,
    request: impl Fn(usize) -> String + Send + Sync + Clone + 'static,
) -> anyhow::Result<(usize, f64, Vec<Duration>)> {
    let started = Instant::now();
    let until = started + duration;
    let mut tasks = Vec::new();
    for c in 0..connections {
        let (addr, request) = (addr.to_string(), request.clone());
        tasks.push(tokio::spawn(async move {
            let mut stream = tokio::net::TcpStream::connect(&addr).await?;
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut times = Vec::new();
            let mut n = c;
            while Instant::now() < until {
                let t = Instant::now();
                stream.write_all(request(n).as_bytes()).await?;
                read_response(&mut stream, &mut buf).await?;
                times.push(t.elapsed());
                n += connections;
            }
            anyhow::Ok(times)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    all.sort();
    Ok((all.len(), started.elapsed().as_secs_f64(), all))
}

/// Reads one HTTP/1.1 response with a Content-Length body; anything but 200 is an error.
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
