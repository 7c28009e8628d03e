//! Browser journeys in a real headless Chromium (Debian's `chromium`), driven by
//! scripts under `tests/browser/` through playwright-core:
//! - `journey.mjs`: home → search → a 信访工作条例 hit → the article anchor;
//! - `accounts.mjs`: first admin sign-in, forced password change, create a unit and a
//!   user, sign in as that user, no admin pages for them;
//! - `admin_layout.mjs`: admin pages use a 1366 px desktop's width, ids and addresses do not
//!   wrap, phones do not scroll sideways, 停用 asks for confirmation.
//!
//! Setup (once per machine / checkout):
//!     apt-get install -y chromium
//!     npm ci --prefix tests/browser
//! Run:
//!     cargo test --release --test browser -- --nocapture

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use xuefa::app::App;
use xuefa::config::Config;

const CHROMIUM: &str = "/usr/bin/chromium";
const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");
/// The scripts give themselves 60 s (journey) and 90 s (accounts); this is the backstop
/// if node itself hangs.
const NODE_TIMEOUT: Duration = Duration::from_secs(120);

/// Fails (never skips) when the browser tool chain is missing, saying how to install it.
/// Returns the path of `tests/browser/{script}`.
fn require_toolchain(script: &str) -> PathBuf {
    let browser_dir = Path::new(MANIFEST_DIR).join("tests/browser");
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} not found: run `apt-get install -y chromium`"
        ));
    }
    if !browser_dir
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        missing.push(format!(
            "{}/node_modules/playwright-core not found: run `npm ci --prefix tests/browser`",
            browser_dir.display()
        ));
    }
    if std::process::Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        missing.push("`node` not runnable: install Node.js (v20+) and npm".to_owned());
    }
    assert!(
        missing.is_empty(),
        "browser test prerequisites missing:\n  - {}\n\
         Install with:\n    apt-get install -y chromium\n    npm ci --prefix tests/browser",
        missing.join("\n  - ")
    );
    let script = browser_dir.join(script);
    assert!(script.is_file(), "{} not found", script.display());
    script
}

/// Serves `app` on an ephemeral port, runs `node tests/browser/{script} http://ADDR` and
/// fails the test with the script's output unless it exits 0.
async fn serve_and_run(app: App, script: &str) {
    let script_path = require_toolchain(script);

    // Serve it on an ephemeral port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let server = tokio::spawn(async move {
        axum::serve(listener, xuefa::web::router(app))
            .await
            .expect("serve");
    });
    let base = format!("http://{addr}");
    eprintln!("serving on {base} for {script}");

    // Act: run the script; the server keeps serving on the runtime meanwhile.
    let child = tokio::process::Command::new("node")
        .arg(&script_path)
        .arg(&base)
        .current_dir(MANIFEST_DIR)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn node");
    let out = tokio::time::timeout(NODE_TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("{script} did not finish within {NODE_TIMEOUT:?}"))
        .expect("wait for node");
    server.abort();

    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("--- {script} stdout ---\n{stdout}--- {script} stderr ---\n{stderr}");

    // Assert.
    assert!(
        out.status.success(),
        "browser journey {script} failed ({}):\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        out.status
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_journey_in_headless_chromium() {
    require_toolchain("journey.mjs");

    // Arrange: a fresh app with the real 行政法规 folder (contains 信访工作条例).
    let tmp = tempfile::tempdir().expect("tempdir");
    let config = Config::new(tmp.path(), None, None);
    let app = App::open_in_memory_index(config).await.expect("open app");
    let corpus = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/行政法规"
    ));
    assert!(
        corpus.is_dir(),
        "corpus folder missing: {}",
        corpus.display()
    );
    let report = app
        .import_laws(&[corpus], &|_, _| {})
        .await
        .expect("import laws");
    eprintln!("{report}");

    serve_and_run(app, "journey.mjs").await;
}

/// First admin (configured password, must change it) → a unit → a user with a one-time
/// password → that user signs in, changes it, sees their profile and no admin pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_journey_in_headless_chromium() {
    require_toolchain("accounts.mjs");

    // Arrange: a fresh app without laws, cheap hashing, a known first admin password.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut config = Config::new(tmp.path(), None, None);
    config.hash_cost = xuefa::accounts::password::HashCost::Fast;
    config.admin_password = Some("Start-Admin-2026!".into());
    let app = App::open_in_memory_index(config).await.expect("open app");
    let printed = app.ensure_first_admin().await.expect("first admin");
    assert!(
        printed.is_none(),
        "a configured admin password is not printed as a one-time password"
    );

    serve_and_run(app, "accounts.mjs").await;
}

/// The admin pages on a desktop and a phone, with questions, users and audit entries in them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_layout_journey_in_headless_chromium() {
    use xuefa::accounts::Actor;
    use xuefa::accounts::admin::{self, Ctx, PreparedUser, UserForm};
    use xuefa::bank::import::{ImportOptions, LawBook};

    require_toolchain("admin_layout.mjs");

    // Arrange: 信访工作条例, the project's bank, the first admin, a unit and a user.
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut config = Config::new(tmp.path(), None, None);
    config.hash_cost = xuefa::accounts::password::HashCost::Fast;
    config.admin_password = Some("Start-Admin-2026!".into());
    let app = App::open_in_memory_index(config).await.expect("open app");
    let law = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/行政法规/信访工作条例(2022-02-25).md"
    ));
    app.import_laws(&[law], &|_, _| {})
        .await
        .expect("import law");
    app.ensure_first_admin().await.expect("first admin");
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "",
        now: app.clock.now(),
    };
    let mut tx = app.db.write().await.expect("unit of work");
    admin::create_unit(&mut tx, &ctx, "柱山乡")
        .await
        .expect("unit");
    let form = UserForm {
        username: "zs001".into(),
        name: "测试用户".into(),
        unit: "柱山乡".into(),
        phone: String::new(),
        roles: "official".into(),
    };
    let prepared = PreparedUser::new(app.config.hash_cost, &ctx, &form, None)
        .await
        .expect("hash");
    admin::create_user(&mut tx, &ctx, prepared)
        .await
        .expect("user");
    tx.commit().await.expect("commit");
    let seed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/questions/seed.csv"
    ))
    .expect("seed bank");
    let book = LawBook::load(
        &mut app.db.read().await.expect("connection"),
        &app.config.project_corpus,
    )
    .await
    .expect("law names");
    let opts = ImportOptions {
        approve: true,
        skip_invalid: true,
        ..ImportOptions::default()
    };
    app.import_questions(&book, &ctx, "seed.csv", &seed, opts)
        .await
        .expect("import the bank");

    serve_and_run(app, "admin_layout.mjs").await;
}
