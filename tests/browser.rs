//! Browser journeys in a real headless Chromium (Debian's `chromium`), driven by
//! scripts under `tests/browser/` through playwright-core:
//! - `journey.mjs`: home → search → a 信访工作条例 hit → the article anchor;
//! - `suggest.mjs`: type 信访工 in the search box, pick 《信访工作条例》 from the law-name
//!   suggestions with the keyboard, then by a tap on a phone viewport;
//! - `accounts.mjs`: first admin sign-in, forced password change, create a unit and a
//!   user, sign in as that user, no admin pages for them;
//! - `admin_layout.mjs`: admin pages use a 1366 px desktop's width, ids and addresses do not
//!   wrap, phones do not scroll sideways, 停用 asks for confirmation;
//! - `study.mjs`: an official reads a law page and sees the credited time on `/me`, signs
//!   in to a 集中学法 with the code the administrator reads off its page, and the
//!   administrator exports the unit report as .xlsx (opened and checked here);
//! - `exam.mjs`: an officer practises two questions and sees the basis article, then sits a
//!   short qualification exam on a phone viewport, reloads mid-exam and finds the answers
//!   kept, submits, passes, opens the certificate and its verify page (有效).
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
    serve_and_run_with(app, script, &[]).await;
}

/// [`serve_and_run`] with more arguments after the base address.
async fn serve_and_run_with(app: App, script: &str, args: &[&str]) {
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
        .args(args)
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

/// Law-name suggestions while typing, chosen by keyboard and by tap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggest_journey_in_headless_chromium() {
    require_toolchain("suggest.mjs");

    // Arrange: 信访工作条例 alone.
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_xinfang(tmp.path(), None).await;

    serve_and_run(app, "suggest.mjs").await;
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
    use xuefa::accounts::admin::Ctx;
    use xuefa::bank::import::{ImportOptions, LawBook};

    require_toolchain("admin_layout.mjs");

    // Arrange: 信访工作条例, the project's bank, the first admin, a unit and a user.
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_xinfang(tmp.path(), Some("Start-Admin-2026!")).await;
    app.ensure_first_admin().await.expect("first admin");
    add_unit_and_user(&app, "柱山乡", ("zs001", "测试用户", "official"), None).await;
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "",
        now: app.clock.now(),
    };
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

/// An officer in 柱山乡/执法大队 (one-time password `Exam-Start-2026!`, to change at first
/// sign-in), four approved questions on 信访工作条例 (2 single with the right option first,
/// 2 judge true) and a published 10-minute qualification exam of all four, 25 points each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exam_journey_in_headless_chromium() {
    use xuefa::accounts::Actor;
    use xuefa::accounts::admin::Ctx;
    use xuefa::bank::admin as bank;
    use xuefa::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};
    use xuefa::exam::model::{format_time, parse_definition};

    require_toolchain("exam.mjs");

    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_xinfang(tmp.path(), None).await;
    let officer = ("zf001", "李执法", "执法人员");
    add_unit_and_user(&app, "柱山乡/执法大队", officer, Some("Exam-Start-2026!")).await;
    let mut conn = app.db.read().await.expect("connection");
    let law_id: i64 = sqlx::query_scalar(
        "select l.law_id from law l join statute s on s.statute_id = l.statute_id \
         where s.title = '信访工作条例'",
    )
    .fetch_one(&mut *conn)
    .await
    .expect("law id");
    drop(conn);
    let actor = Actor::command_line();
    let now = app.clock.now();
    let ctx = Ctx {
        actor: &actor,
        ip: "",
        now,
    };
    let mut tx = app.db.write().await.expect("unit of work");
    let mut ids = Vec::new();
    for (i, no) in [22u32, 23, 31, 32].into_iter().enumerate() {
        let (qtype, stem, options, answer) = if i < 2 {
            (
                QuestionType::Single,
                format!(
                    "单选第{}题：关于信访事项的处理，下列说法正确的是（ ）。",
                    i + 1
                ),
                vec![
                    "正确：依法及时处理".into(),
                    "错误：一律不予受理".into(),
                    "错误：转交上级了事".into(),
                    "错误：等待信访人再来".into(),
                ],
                Answer::Single { option: 0 },
            )
        } else {
            (
                QuestionType::Judge,
                format!("判断第{}题：信访工作应当依法进行。", i + 1),
                vec![],
                Answer::Judge { correct: true },
            )
        };
        let draft = QuestionDraft {
            qtype,
            stem,
            options,
            answer,
            explanation: "依据信访工作条例作答".into(),
            basis: vec![Basis {
                law_id,
                law_title: "信访工作条例".into(),
                article_no: no,
                article_sub: 0,
                article_label: String::new(),
            }],
            difficulty: 3,
            tags: vec!["信访/办理".into()],
            origin: Origin::Authored,
        };
        match bank::create(&mut tx, &ctx, &draft, Status::Approved).await {
            Ok(xuefa::bank::store::Inserted::New { question_id, .. }) => ids.push(question_id),
            other => panic!("question {i}: {other:?}"),
        }
    }
    let def = serde_json::json!({
        "title": "行政执法资格考试（测试）",
        "kind": "qualification",
        "time_limit_minutes": 10,
        "pass_score": 60,
        "opens_at": format_time(now - 3600),
        "closes_at": format_time(now + 86_400),
        "category": "综合行政执法",
        "sections": [{"name": "执法知识", "questions": ids, "points": 25}],
    });
    let def = parse_definition(&def.to_string()).expect("definition");
    let exam_id = xuefa::exam::admin::create(&mut tx, &ctx, &def)
        .await
        .expect("exam");
    xuefa::exam::admin::publish(&mut tx, &ctx, exam_id)
        .await
        .expect("publish");
    tx.commit().await.expect("commit");

    serve_and_run(app, "exam.mjs").await;
}

/// An official reads 信访工作条例 and sees the time on /me, checks in to the session the
/// administrator records with its code, and the administrator's .xlsx export of the unit
/// report (opened here) holds the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn study_journey_in_headless_chromium() {
    use calamine::{Data, Reader};

    require_toolchain("study.mjs");
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = app_with_xinfang(tmp.path(), Some("Start-Admin-2026!")).await;
    app.ensure_first_admin().await.expect("first admin");
    let official = ("zs001", "张学法", "official");
    add_unit_and_user(&app, "柱山乡", official, Some("Study-Start-2026!")).await;
    let xlsx = tmp.path().join("report.xlsx");

    serve_and_run_with(app, "study.mjs", &[xlsx.to_str().expect("utf-8 path")]).await;

    let mut book = calamine::open_workbook::<calamine::Xlsx<_>, _>(&xlsx).expect("the xlsx opens");
    let mut cell = |sheet: &str, first: &str, column: &str| -> String {
        let range = book.worksheet_range(sheet).expect("sheet");
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        let header = &rows[0];
        let col = header
            .iter()
            .position(|c| *c == column)
            .unwrap_or_else(|| panic!("column {column} in {header:?}"));
        let row = rows
            .iter()
            .find(|r| r.first().is_some_and(|c| c.to_string().trim() == first))
            .unwrap_or_else(|| panic!("row {first} in sheet {sheet}"));
        row[col].to_string()
    };
    assert_eq!(cell("按单位", "柱山乡", "人数"), "1");
    assert_eq!(cell("按单位", "柱山乡", "集中学法(次)"), "1");
    assert_eq!(cell("按单位", "柱山乡", "实到人次"), "1");
    assert_eq!(cell("按人员", "zs001", "已参加"), "1");
}

/// A fresh app (cheap hashing, the first admin's password if given) with 信访工作条例.
async fn app_with_xinfang(dir: &Path, admin_password: Option<&str>) -> App {
    let mut config = Config::new(dir, None, None);
    config.hash_cost = xuefa::accounts::password::HashCost::Fast;
    config.admin_password = admin_password.map(str::to_string);
    let app = App::open_in_memory_index(config).await.expect("open app");
    let law = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/行政法规/信访工作条例(2022-02-25).md"
    ));
    app.import_laws(&[law], &|_, _| {})
        .await
        .expect("import law");
    app
}

/// Creates `unit` and a user (username, name, roles) in it, as the command line; without a
/// password the user gets a one-time one. Either way it is changed at first sign-in.
async fn add_unit_and_user(
    app: &App,
    unit: &str,
    (username, name, roles): (&str, &str, &str),
    password: Option<&str>,
) {
    use xuefa::accounts::Actor;
    use xuefa::accounts::admin::{self, Ctx, PreparedUser, UserForm};

    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "",
        now: app.clock.now(),
    };
    let mut tx = app.db.write().await.expect("unit of work");
    admin::create_unit(&mut tx, &ctx, unit).await.expect("unit");
    let form = UserForm {
        username: username.into(),
        name: name.into(),
        unit: unit.into(),
        phone: String::new(),
        roles: roles.into(),
    };
    let password = password.map(str::to_string);
    let prepared = PreparedUser::new(app.config.hash_cost, &ctx, &form, password)
        .await
        .expect("hash");
    admin::create_user(&mut tx, &ctx, prepared)
        .await
        .expect("user");
    tx.commit().await.expect("commit");
}
