//! `xuefa bench-auth`: sign-ins per second with the production argon2 parameters, and the
//! latency of an authenticated API call under load on a real server.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::http::{Server, load};
use super::{ms, percentile};
use crate::accounts::login::{self, Origin};
use crate::app::App;
use crate::config::Config;

pub(super) const PASSWORD: &str = "Bench-Pass-2026";

pub async fn run(logins: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("xuefa-bench-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&dir, logins).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(dir: &Path, logins: usize) -> anyhow::Result<()> {
    let mut config = Config::new(dir, None, None);
    config.admin_password = Some(PASSWORD.into());
    let app = App::open(config).await?;
    app.ensure_first_admin().await?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..logins {
        let app = app.clone();
        tasks.spawn(async move {
            let now = app.clock.now() + i as i64;
            login::login(
                &mut *app.db.read().await?,
                app.config.hash_cost,
                "admin",
                PASSWORD,
                Origin { ip: "bench" },
                now,
            )
            .await
        });
        // Keep as many sign-ins in flight as there are cores.
        if tasks.len() >= cores {
            tasks.join_next().await.context("task")???;
        }
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "sign-in (argon2id m=19456 KiB, t=2, p=1) on {cores} cores: {:.1} logins/s ({logins} in {secs:.2} s)",
        logins as f64 / secs
    );
    drop(app);

    let server = Server::start(dir, &[]).await?;
    let cookie = sign_in_over_http(&server.addr).await?;
    let connections = 16;
    let (done, secs, times) = load(
        &server.addr,
        connections,
        Duration::from_secs(5),
        move |_| format!("GET /api/me HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\n\r\n"),
    )
    .await?;
    println!(
        "authenticated GET /api/me, {connections} connections: {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms ({done} in {secs:.1} s)",
        done as f64 / secs,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99))
    );
    Ok(())
}

/// POST /api/login over a raw socket; returns the `name=value` of the session cookie.
pub(super) async fn sign_in_over_http(addr: &str) -> anyhow::Result<String> {
    let body = serde_json::json!({ "username": "admin", "password": PASSWORD }).to_string();
    let req = format!(
        "POST /api/login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(req.as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    anyhow::ensure!(
        response.starts_with("HTTP/1.1 200"),
        "sign-in failed: {response}"
    );
    response
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
        .context("no session cookie")
}
