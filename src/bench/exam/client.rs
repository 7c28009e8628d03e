//! One simulated browser: a keep-alive HTTP/1.1 connection with the session cookie and the
//! CSRF token it was given at sign-in, sending JSON as the exam page's script does. Behind
//! the county's reverse proxy every officer has an address of their own (`X-Forwarded-For`;
//! the bench trusts 127.0.0.1 as that proxy), so the per-address sign-in limit applies to
//! each officer as it would in production.

use std::time::Duration;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A response: status, the session cookie if one was set, and the body.
pub struct Reply {
    pub status: u16,
    pub cookie: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> anyhow::Result<serde_json::Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "HTTP {}: not JSON: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

pub struct Browser {
    addr: String,
    ip: String,
    stream: Option<BufReader<TcpStream>>,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

/// How long one request may take before the connection counts as dead.
const TIMEOUT: Duration = Duration::from_secs(60);

impl Browser {
    pub fn new(addr: &str, ip: String) -> Browser {
        Browser {
            addr: addr.to_string(),
            ip,
            stream: None,
            cookie: None,
            csrf: None,
        }
    }

    /// Sends one request and reads its response; any I/O error drops the connection.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<Reply> {
        let result = tokio::time::timeout(TIMEOUT, self.exchange(method, path, body)).await;
        match result {
            Ok(Ok(reply)) => Ok(reply),
            Ok(Err(e)) => {
                self.stream = None;
                Err(e)
            }
            Err(_) => {
                self.stream = None;
                anyhow::bail!("{method} {path}: no response in {TIMEOUT:?}")
            }
        }
    }

    async fn exchange(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<Reply> {
        if self.stream.is_none() {
            self.stream = Some(BufReader::new(TcpStream::connect(&self.addr).await?));
        }
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: identity\r\n\
             X-Forwarded-For: {}\r\n",
            self.ip
        );
        if let Some(c) = &self.cookie {
            head += &format!("Cookie: {c}\r\n");
        }
        if let Some(t) = &self.csrf {
            head += &format!("X-CSRF-Token: {t}\r\n");
        }
        let body = body.unwrap_or("");
        if method != "GET" {
            head += &format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            );
        }
        head += "\r\n";
        head += body;
        let stream = self.stream.as_mut().context("connection")?;
        stream.get_mut().write_all(head.as_bytes()).await?;
        read_reply(stream).await
    }
}

/// Reads one HTTP/1.1 response (Content-Length or chunked body).
async fn read_reply(stream: &mut BufReader<TcpStream>) -> anyhow::Result<Reply> {
    let mut line = String::new();
    anyhow::ensure!(stream.read_line(&mut line).await? > 0, "connection closed");
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("bad status line: {line}"))?;
    let (mut length, mut chunked, mut cookie) = (0usize, false, None);
    loop {
        line.clear();
        anyhow::ensure!(stream.read_line(&mut line).await? > 0, "connection closed");
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = l.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "set-cookie" if value.starts_with("xuefa_session=") => {
                cookie = value.split(';').next().map(str::to_string);
            }
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            stream.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16).context("chunk size")?;
            let mut chunk = vec![0u8; size + 2];
            stream.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        stream.read_exact(&mut body).await?;
    }
    Ok(Reply {
        status,
        cookie,
        body,
    })
}
