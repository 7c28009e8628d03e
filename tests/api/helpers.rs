//! The test harness: a fresh app per test, requests through `Router::oneshot`, the CLI.

use std::path::{Path, PathBuf};
use std::process::Output;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::AnyConnection;
use tempfile::TempDir;
use tower::ServiceExt;
use xuefa::accounts::password::HashCost;
use xuefa::app::App;
use xuefa::clock::Clock;
use xuefa::config::Config;
use xuefa::corpus::ImportReport;
use xuefa::corpus::store::{self, LawSummary};
use xuefa::search::{SearchHit, SearchRequest, SearchResults};

mod test_db;
pub use test_db::TestDb;

/// The shared law corpus, read in place.
pub fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"))
}

/// A file or folder of the shared corpus.
pub fn corpus_path(rel: &str) -> PathBuf {
    corpus().join(rel)
}

/// The parser fixtures of this repository.
pub fn fixtures() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/laws"))
}

/// The folders the search tests import: national laws and regulations, the 民法典, the
/// constitution, the home region's (重庆) and one other province's (北京) regulations.
pub fn search_subset() -> Vec<PathBuf> {
    [
        "行政法规",
        "行政法",
        "民法典",
        "宪法",
        "诉讼与非诉讼程序法",
        "DLC/重庆地方法规",
        "DLC/北京地方法规",
    ]
    .iter()
    .map(|p| corpus_path(p))
    .collect()
}

/// An app on a fresh database with an in-memory index, and its router.
pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub dir: TempDir,
    pub db: TestDb,
    pub report: ImportReport,
}

impl TestApp {
    /// A config pointing at this test's database, for a second `App` or the CLI.
    pub fn config(&self) -> Config {
        Config::new(self.dir.path(), Some(self.db.url.clone()), None)
    }

    pub async fn laws(&self) -> Vec<LawSummary> {
        store::list_laws(&self.app.db.pool)
            .await
            .expect("list laws")
    }

    /// The stored versions of a law, oldest first.
    pub async fn versions(&self, title: &str) -> Vec<LawSummary> {
        self.laws()
            .await
            .into_iter()
            .filter(|l| l.title == title)
            .collect()
    }

    /// The current version of a law.
    pub async fn current(&self, title: &str) -> LawSummary {
        self.versions(title)
            .await
            .into_iter()
            .find(|l| l.current != 0)
            .unwrap_or_else(|| panic!("no current version of {title}"))
    }

    pub async fn import(&self, paths: &[PathBuf]) -> ImportReport {
        self.app
            .import_laws(paths, &|_, _| {})
            .await
            .expect("import laws")
    }

    /// Runs the CLI against this test's database and data folder.
    /// Runs a domain write as a handler does: in a unit of work, committed when it succeeds.
    pub async fn write<T, E>(
        &self,
        f: impl AsyncFnOnce(&mut AnyConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut tx = self.app.db.write().await.expect("open a unit of work");
        let out = f(&mut tx).await;
        if out.is_ok() {
            tx.commit().await.expect("commit");
        }
        out
    }

    pub fn cli(&self, args: &[&str]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_xuefa"));
        cmd.arg("--data")
            .arg(self.dir.path())
            .arg("--database-url")
            .arg(&self.db.url);
        cmd.args(args)
            .env_remove("DATABASE_URL")
            .env_remove("XUEFA_DATA");
        cmd.env("RUST_LOG", "off");
        cmd.output().expect("run the xuefa binary")
    }
}

/// A fresh app with `paths` imported (none: an empty library).
pub async fn spawn_app(paths: &[PathBuf]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb::new(dir.path()).await;
    let config = Config::new(dir.path(), Some(db.url.clone()), None);
    let app = App::open_in_memory_index(config).await.expect("open app");
    let report = if paths.is_empty() {
        ImportReport::default()
    } else {
        app.import_laws(paths, &|_, _| {})
            .await
            .expect("import laws")
    };
    let router = xuefa::web::router(app.clone());
    TestApp {
        app,
        router,
        dir,
        db,
        report,
    }
}

/// The moment the manual clock of an accounts test starts: 2026-01-01 00:00 UTC.
pub const T0: i64 = 1_767_225_600;
/// The first administrator's configured password (to be changed at first sign-in).
pub const ADMIN_PASSWORD: &str = "Chushi-Guanli-2026!";

/// A fresh app for the accounts tests, on an empty library: cheap argon2, a manual clock
/// standing at `T0` (set before the router is made, which shares it), and the first
/// administrator `admin` with `ADMIN_PASSWORD`.
pub async fn spawn_accounts_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb::new(dir.path()).await;
    let mut config = Config::new(dir.path(), Some(db.url.clone()), None);
    config.hash_cost = HashCost::Fast;
    config.admin_password = Some(ADMIN_PASSWORD.to_string());
    let mut app = App::open_in_memory_index(config).await.expect("open app");
    app.clock = Clock::manual(T0);
    app.ensure_first_admin().await.expect("first admin");
    let router = xuefa::web::router(app.clone());
    TestApp {
        app,
        router,
        dir,
        db,
        report: ImportReport::default(),
    }
}

/// A GET through the router: status, headers and the body as text.
pub async fn get(router: &Router, uri: &str) -> (StatusCode, HeaderMap, String) {
    request(
        router,
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

pub async fn request(router: &Router, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let (status, headers, bytes) = request_bytes(router, req).await;
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// A request whose body stays bytes (compressed responses).
pub async fn request_bytes(
    router: &Router,
    req: Request<Body>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let res = router
        .clone()
        .oneshot(req)
        .await
        .expect("router never fails");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("read body")
        .to_bytes();
    (status, headers, bytes.to_vec())
}

/// A GET whose body must be JSON.
pub async fn get_json(router: &Router, uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, headers, body) = get(router, uri).await;
    let json = serde_json::from_str(&body).unwrap_or_else(|e| {
        panic!(
            "{uri}: not JSON ({e}), content-type {:?}: {body:.300}",
            headers.get("content-type")
        )
    });
    (status, json)
}

/// Percent-encodes a query parameter value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `/api/search?q=…` plus extra raw parameters (`&law=…`).
pub fn search_uri(q: &str, extra: &str) -> String {
    format!("/api/search?q={}{extra}", enc(q))
}

/// A copy of a fixture (or corpus file) in `dir`, to be edited.
pub fn copy_into(src: &Path, dir: &Path) -> PathBuf {
    let dest = dir.join(src.file_name().expect("file name"));
    std::fs::copy(src, &dest).expect("copy file");
    dest
}

/// A folder of this repository's test fixtures (`tests/fixtures/NAME`).
pub fn fixtures_dir(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name)
}

/// Undoes the HTML escaping of an attribute value (`&#x2f;` → `/`).
pub fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every `href="…"` of a page, unescaped.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(unescape)
        .collect()
}

/// A search request for `q` with a page size.
pub fn req(q: &str, limit: usize) -> SearchRequest {
    SearchRequest {
        q: q.into(),
        limit: Some(limit),
        ..Default::default()
    }
}

/// Searches through the library API; a user error fails the test.
pub fn find(app: &App, r: SearchRequest) -> SearchResults {
    let q = r.q.clone();
    app.search.search(&r).unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// `《title》label` of each hit, for assertion messages.
pub fn show(hits: &[SearchHit]) -> Vec<String> {
    hits.iter()
        .map(|h| format!("《{}》{}", h.law_title, h.article_label))
        .collect()
}

/// (law version, article, sub) of each hit.
pub fn keys(hits: &[SearchHit]) -> Vec<(i64, u32, u32)> {
    hits.iter()
        .map(|h| (h.law_id, h.article_no, h.article_sub))
        .collect()
}

/// The fields the interface contract promises: of `laws --json` and `GET /api/laws` entries,
/// and of search hits (CLI `--json` and `GET /api/search`).
pub const LAW_FIELDS: [&str; 7] = [
    "law_id",
    "title",
    "version_date",
    "category",
    "articles",
    "current",
    "source",
];
pub const HIT_FIELDS: [&str; 9] = [
    "law_id",
    "law_title",
    "version_date",
    "article_no",
    "article_label",
    "heading",
    "text",
    "snippet",
    "score",
];

/// Asserts that a JSON object has every one of `fields`.
pub fn has_fields(v: &serde_json::Value, fields: &[&str]) {
    for f in fields {
        assert!(v.get(f).is_some(), "missing {f} in {v}");
    }
}
