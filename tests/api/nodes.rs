//! Several application nodes on one PostgreSQL: two real `xuefa serve` processes share
//! sessions, and what one node imports reaches the other's search index and pages within the
//! change-poll interval. On SQLite (one file, one machine) the test says so and is skipped.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::*;

/// How often the nodes look for changes in the database during the test.
const POLL_MS: &str = "200";
/// The bound the issue sets for a change to reach every node.
const WITHIN: Duration = Duration::from_secs(10);

struct Node {
    addr: String,
    _child: Child,
}

impl Node {
    async fn start(db_url: &str, data: &Path) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xuefa"))
            .arg("--data")
            .arg(data)
            .arg("--database-url")
            .arg(db_url)
            .args(["serve", "--addr", "127.0.0.1:0", "--poll-ms", POLL_MS])
            .env_remove("DATABASE_URL")
            .env_remove("XUEFA_DATA")
            .env("XUEFA_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("RUST_LOG", "off")
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start xuefa serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next_line()
                .await
                .expect("read stdout")
                .expect("serve exited before listening");
            if let Some(url) = line.split("http://").nth(1) {
                break url.trim().to_string();
            }
        };
        Node {
            addr,
            _child: child,
        }
    }

    /// One request on its own connection: (status, Set-Cookie values, body as JSON).
    async fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (u16, Vec<String>, Value) {
        let mut stream = tokio::net::TcpStream::connect(&self.addr)
            .await
            .expect("connect");
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head += &format!("{name}: {value}\r\n");
        }
        head += "\r\n";
        stream
            .write_all((head + &body).as_bytes())
            .await
            .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
        let text = String::from_utf8_lossy(&raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("a response");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let cookies = head
            .lines()
            .filter_map(|l| l.strip_prefix("set-cookie: "))
            .filter_map(|c| c.split(';').next())
            .map(str::to_string)
            .collect();
        (
            status,
            cookies,
            serde_json::from_str(body).unwrap_or(Value::Null),
        )
    }
}

/// The total of `/api/search?q=…` on a node.
async fn hits(node: &Node, q: &str) -> i64 {
    let (_, _, v) = node.call("GET", &search_uri(q, ""), &[], None).await;
    v["total"].as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn two_serve_processes_on_one_postgresql_share_sessions_and_each_others_imports() {
    if !std::env::var("XUEFA_TEST_DATABASE_URL").is_ok_and(|u| u.starts_with("postgres")) {
        eprintln!(
            "skipped: several nodes share one PostgreSQL; set XUEFA_TEST_DATABASE_URL=postgres://… to run"
        );
        return;
    }
    // Arrange: one database, two nodes with data folders (and indexes) of their own.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb::new(dir.path()).await;
    let (one, two) = (dir.path().join("node1"), dir.path().join("node2"));
    let node1 = Node::start(&db.url, &one).await;
    let node2 = Node::start(&db.url, &two).await;
    let word = "示例活动";
    assert_eq!(hits(&node2, word).await, 0, "nothing imported yet");

    // Act 1: sign in on node 1, use the session on node 2.
    let login = json!({ "username": "admin", "password": ADMIN_PASSWORD });
    let (status, cookies, me) = node1.call("POST", "/api/login", &[], Some(login)).await;
    assert_eq!(status, 200, "{me}");
    let cookie = cookies
        .into_iter()
        .find(|c| c.starts_with("xuefa_session="))
        .expect("session cookie");
    let (status_on_2, _, me_on_2) = node2
        .call("GET", "/api/me", &[("Cookie", &cookie)], None)
        .await;

    // Act 2: import a law through node 1's command line; wait for node 2's search to see it.
    let law = fixtures().join("示例条例(2021-07-01).txt");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_xuefa"))
        .arg("--data")
        .arg(&one)
        .arg("--database-url")
        .arg(&db.url)
        .arg("import-laws")
        .arg(&law)
        .env("RUST_LOG", "off")
        .output()
        .expect("import-laws");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let started = Instant::now();
    let mut seen = hits(&node2, word).await;
    // Polling a real process: the change arrives on node 2's own schedule.
    while seen < 1 && started.elapsed() < WITHIN {
        tokio::time::sleep(Duration::from_millis(50)).await;
        seen = hits(&node2, word).await;
    }
    let (_, _, laws_on_2) = node2.call("GET", "/api/laws", &[], None).await;

    // Act 3: sign out on node 2; the session is gone on node 1 too.
    let csrf = me["csrf_token"].as_str().unwrap_or_default().to_string();
    let headers = [("Cookie", cookie.as_str()), ("X-CSRF-Token", csrf.as_str())];
    let (logout, _, _) = node2.call("POST", "/api/logout", &headers, None).await;
    let (after_logout, _, _) = node1
        .call("GET", "/api/me", &[("Cookie", &cookie)], None)
        .await;

    // Assert
    assert_eq!(status_on_2, 200, "node 2 knows node 1's session: {me_on_2}");
    assert_eq!(me_on_2["username"], "admin");
    assert!(
        seen >= 1,
        "node 2 found the new law after {:?}",
        started.elapsed()
    );
    assert!(
        laws_on_2
            .as_array()
            .is_some_and(|l| l.iter().any(|x| x["title"] == "示例条例")),
        "node 2's library lists it: {laws_on_2}"
    );
    assert!((200..300).contains(&logout), "sign-out on node 2: {logout}");
    assert_eq!(after_logout, 401, "signed out everywhere");
}
