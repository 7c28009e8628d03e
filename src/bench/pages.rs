//! `xuefa bench-http`: what officials feel on exam day. Imports a law folder into a fresh data
//! folder, starts a real `xuefa serve` on it, and loads the pages and API calls they use most
//! with 16 and 256 keep-alive connections, printing requests/s and p50/p99 latency for each.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use super::auth::{PASSWORD, sign_in_over_http};
use super::http::{Server, load};
use super::{ms, percentile};
use crate::app::App;
use crate::config::Config;
use crate::corpus::store;

/// Connection counts: a unit's officials, and a township sitting an exam at once.
const CONNECTIONS: [usize; 2] = [16, 256];

pub async fn run(laws: &Path, seconds: u64) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("xuefa-bench-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(laws, &dir, Duration::from_secs(seconds)).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// `%E4%BF%A1…` for a query string or path segment.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn law_id(app: &App, title: &str) -> anyhow::Result<i64> {
    store::list_laws(&app.db.pool)
        .await?
        .into_iter()
        .find(|l| l.title == title && l.current != 0)
        .map(|l| l.law_id)
        .with_context(|| format!("{title} is not in the imported folder"))
}

async fn measure(laws: &Path, dir: &Path, duration: Duration) -> anyhow::Result<()> {
    let mut config = Config::new(dir, None, None);
    config.admin_password = Some(PASSWORD.into());
    let app = App::open(config).await?;
    let report = app.import_laws(&[laws.to_path_buf()], &|_, _| {}).await?;
    println!("imported: {report}");
    app.ensure_first_admin().await?;
    let xinfang = law_id(&app, "信访工作条例").await?;
    let civil = law_id(&app, "中华人民共和国民法典").await?;
    drop(app);

    let server = Server::start(dir, &[]).await?;
    let cookie = sign_in_over_http(&server.addr).await?;
    let q = encode("信访事项 受理 期限");
    let targets: Vec<(String, String)> = vec![
        ("/".into(), "/".into()),
        ("/laws".into(), "/laws".into()),
        ("/laws/{信访工作条例}".into(), format!("/laws/{xinfang}")),
        ("/laws/{民法典}".into(), format!("/laws/{civil}")),
        (
            "/search?q=信访事项 受理 期限".into(),
            format!("/search?q={q}"),
        ),
        (
            "/api/search?q=信访事项 受理 期限".into(),
            format!("/api/search?q={q}"),
        ),
        ("/api/me (signed in)".into(), "/api/me".into()),
    ];
    println!(
        "{:<36} {:>6} {:>10} {:>9} {:>9}",
        "target", "conns", "req/s", "p50 ms", "p99 ms"
    );
    for (name, path) in &targets {
        // Pages as a visitor sees them; the API call as the signed-in official.
        let cookie = if path.starts_with("/api/me") {
            format!("Cookie: {cookie}\r\n")
        } else {
            String::new()
        };
        for connections in CONNECTIONS {
            let request = format!(
                "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: identity\r\n{cookie}\r\n"
            );
            let (done, secs, times) = load(&server.addr, connections, duration, move |_| {
                request.clone()
            })
            .await?;
            println!(
                "{name:<36} {connections:>6} {:>10.0} {:>9.2} {:>9.2}",
                done as f64 / secs,
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99)),
            );
        }
    }
    let (peak, now) = server.memory_mb();
    println!("server memory: peak {peak} MB, now {now} MB");
    Ok(())
}
