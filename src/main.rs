//! The `xuefa` command line: a thin shell over the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use xuefa::app::App;
use xuefa::config::{Cidr, Config};

#[derive(Parser)]
#[command(
    name = "xuefa",
    version,
    about = "学法: law study, search and exams for officials"
)]
struct Cli {
    /// Data folder (SQLite file and search index).
    #[arg(long, global = true, env = "XUEFA_DATA", default_value = "./data")]
    data: PathBuf,
    /// sqlite://… or postgres://… (default: the SQLite file DATA/xuefa.db).
    #[arg(long, global = true, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// The deployment's province, ranked right after national law (default 重庆).
    #[arg(long, global = true, env = "XUEFA_REGION")]
    region: Option<String>,
    /// The issuing authority printed on enforcement certificates (default: the region's
    /// justice department, e.g. 重庆市司法局).
    #[arg(long, global = true, env = "XUEFA_ISSUER")]
    issuer: Option<String>,
    /// Years an enforcement certificate is valid.
    #[arg(long, global = true, env = "XUEFA_CERTIFICATE_YEARS", default_value_t = 3,
          value_parser = clap::value_parser!(i32).range(1..=20))]
    certificate_years: i32,
    /// The address checkers reach this server at (the certificates' QR codes link there),
    /// e.g. https://xuefa.example.gov.cn; default: the address a page was requested at.
    #[arg(long, global = true, env = "XUEFA_PUBLIC_URL")]
    public_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (imports --laws first, builds the index if missing).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Law files or folders to import before serving (idempotent).
        #[arg(long)]
        laws: Vec<PathBuf>,
        /// How often to look for law changes other nodes (or the command line) made in the
        /// database, in milliseconds; search and pages follow them within this interval
        /// plus the re-indexing.
        #[arg(long, env = "XUEFA_POLL_MS", default_value_t = 5000)]
        poll_ms: u64,
        /// A reverse proxy (address or CIDR block, e.g. 10.0.0.0/8) whose X-Forwarded-For
        /// is believed for the client address; repeatable, or comma-separated in the env.
        #[arg(
            long = "trusted-proxy",
            env = "XUEFA_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxy: Vec<Cidr>,
    },
    /// Import law files or folders (.md/.txt).
    ImportLaws {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List every stored law version.
    Laws {
        #[arg(long)]
        json: bool,
    },
    /// Search the articles.
    Search(xuefa::cli::SearchArgs),
    /// Rebuild the search index from the database.
    Reindex,
    /// Measure sign-ins per second and authenticated API latency.
    BenchAuth {
        /// Sign-ins in the throughput run.
        #[arg(long, default_value_t = 40)]
        logins: usize,
    },
    /// Manage units.
    #[command(subcommand)]
    Units(xuefa::cli::UnitsCommand),
    /// Manage users.
    #[command(subcommand)]
    Users(xuefa::cli::UsersCommand),
    /// The question bank: import, export, list, generate, approve.
    #[command(subcommand)]
    Questions(xuefa::cli::QuestionsCommand),
    /// Exams: create from JSON, list, publish, results, regrade.
    #[command(subcommand)]
    Exams(xuefa::cli::ExamsCommand),
    /// Enforcement certificates: enter one held before xuefa, list, revoke.
    #[command(subcommand)]
    Certificates(xuefa::cli::CertificatesCommand),
    /// The annual learning records report (法治政府建设情况报告 figures and their archive).
    Report(xuefa::cli::ReportArgs),
    /// Time the unit report and the annual report on a generated year of records.
    BenchReport {
        #[arg(long, default_value_t = 10_000)]
        officials: usize,
        /// Runs of each report; the median is printed.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },

    /// Measure search relevance on the judged queries: R@1, MRR@10, R@10 and the zero-result
    /// rate per query class, and the queries whose answer is not first.
    BenchRelevance {
        /// Laws to import into a fresh temporary data folder.
        #[arg(long, default_value = "../shared/corpus")]
        laws: PathBuf,
        /// The judged queries (`--set corpus/eval/relevance_holdout.tsv` for the held-out set).
        #[arg(long, alias = "set", default_value = "corpus/eval/relevance.tsv")]
        file: PathBuf,
        /// Keep the imported data in this folder and reuse it on the next run (only changed
        /// laws are imported again), instead of a temporary folder.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Measure the basis suggester on a bank that cites every basis (hidden from it): top-1
    /// and top-3, and the questions whose cited article is not proposed first.
    BenchBasis {
        /// Laws to import into a fresh temporary data folder.
        #[arg(long, default_value = "../shared/corpus")]
        laws: PathBuf,
        /// The bank file (any import format).
        #[arg(long, default_value = "corpus/questions/seed.csv")]
        file: PathBuf,
    },
    /// Measure import, indexing, search latency, memory and HTTP throughput.
    BenchSearch {
        /// Laws to import into a fresh temporary data folder.
        #[arg(long, default_value = "../shared/corpus")]
        laws: PathBuf,
        /// Searches per query in the latency run.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
        /// Keep the imported data in this folder and reuse it on the next run (only changed
        /// laws are imported again), instead of a temporary folder.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Exam day against a real server: N officers sign in, start one exam within the same
    /// minute, save answers every few seconds and submit; prints save p50/p99, submits/s and
    /// server memory, and checks every acknowledged answer is in the database (also across a
    /// SIGKILL of the server with --kill-at).
    BenchExam {
        #[arg(long, default_value_t = 1000)]
        takers: usize,
        /// Questions on the paper; each taker answers all of them.
        #[arg(long, default_value_t = 20)]
        questions: usize,
        /// Mean think time before each answer, in ms (each pause is 0.5–1.5 times it).
        #[arg(long, default_value_t = 3000)]
        think_ms: u64,
        /// Seconds over which the takers start the exam.
        #[arg(long, default_value_t = 60)]
        ramp: u64,
        /// Stop answering this many seconds after the first start and submit.
        #[arg(long)]
        duration: Option<u64>,
        /// SIGKILL the server this many seconds after the first start, restart it on the
        /// same data and let the takers resume.
        #[arg(long)]
        kill_at: Option<f64>,
        /// CI-size smoke: 50 ms think time, 1 s ramp.
        #[arg(long)]
        fast: bool,
        /// Hash the officers' passwords with production argon2 (about 40 ms of CPU per
        /// sign-in) instead of the cheap test hash.
        #[arg(long)]
        production_hash: bool,
        /// Sign-ins in flight at once.
        #[arg(long, default_value_t = 16)]
        sign_in_concurrency: usize,
    },
    /// Measure pages and API calls on a real server: requests/s, p50 and p99 latency at 16
    /// and 256 connections.
    BenchHttp {
        /// Laws to import into a fresh temporary data folder.
        #[arg(long, default_value = "../shared/corpus")]
        laws: PathBuf,
        /// Seconds of load per target and connection count.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "xuefa=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        // The command printed its own report.
        Err(e) if e.is::<xuefa::cli::Failed>() => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let database_url_given = cli.database_url.is_some();
    let mut config = Config::new(&cli.data, cli.database_url, cli.region);
    if let Some(issuer) = cli.issuer.filter(|i| !i.trim().is_empty()) {
        config.issuer = issuer.trim().to_string();
    }
    config.certificate_years = cli.certificate_years;
    config.public_url = cli.public_url.filter(|u| !u.trim().is_empty());
    config.secure_cookies =
        std::env::var("XUEFA_SECURE_COOKIES").is_ok_and(|v| v == "1" || v == "true");
    config.admin_password = std::env::var("XUEFA_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    if std::env::var("XUEFA_HASH_COST").is_ok_and(|v| v == "fast") {
        // For benchmarks only (bench-exam sets it on the server it starts).
        tracing::warn!("XUEFA_HASH_COST=fast: passwords are hashed with the cheap test cost");
        config.hash_cost = xuefa::accounts::password::HashCost::Fast;
    }
    match cli.command {
        Command::BenchExam {
            takers,
            questions,
            think_ms,
            ramp,
            duration,
            kill_at,
            fast,
            production_hash,
            sign_in_concurrency,
        } => {
            let opts = xuefa::bench::exam::Options {
                takers,
                questions,
                think: Duration::from_millis(if fast { 50 } else { think_ms }),
                ramp: Duration::from_secs(if fast { 1 } else { ramp }),
                duration: duration.map(Duration::from_secs),
                kill_at: kill_at.map(Duration::from_secs_f64),
                database_url: Some(config.database_url.clone()).filter(|_| database_url_given),
                cheap_hash: !production_hash,
                sign_in_concurrency,
                exe: std::env::current_exe()?,
            };
            xuefa::bench::exam::run(opts).await
        }
        Command::BenchSearch { laws, rounds, data } => {
            xuefa::bench::run(&laws, rounds, data.as_deref()).await
        }
        Command::BenchRelevance { laws, file, data } => {
            xuefa::bench::relevance::run(&laws, &file, data.as_deref()).await
        }
        Command::BenchBasis { laws, file } => xuefa::bench::basis::run(&laws, &file).await,
        Command::BenchReport { officials, runs } => {
            let opts = xuefa::bench::report::Options {
                officials,
                database_url: Some(config.database_url.clone()).filter(|_| database_url_given),
                runs,
            };
            xuefa::bench::report::run(opts).await
        }
        Command::Report(args) => {
            let app = App::open(config).await?;
            let out = xuefa::cli::report(&app, args).await?;
            if out.is_empty() {
                Ok(())
            } else {
                print_out(&out)
            }
        }
        Command::BenchAuth { logins } => xuefa::bench::auth::run(logins).await,
        Command::BenchHttp { laws, seconds } => xuefa::bench::pages::run(&laws, seconds).await,
        Command::Serve {
            addr,
            laws,
            poll_ms,
            trusted_proxy,
        } => {
            config.trusted_proxies = trusted_proxy;
            // A broken page template stops the server here, not on the first visit.
            xuefa::web::check_templates().map_err(anyhow::Error::msg)?;
            let app = App::open(config).await?;
            if !laws.is_empty() {
                xuefa::cli::import(&app, &laws).await?;
            }
            if let Some(password) = app.ensure_first_admin().await? {
                println!(
                    "created the system administrator: username admin, one-time password {password}"
                );
                println!("已创建系统管理员 admin，一次性密码 {password}（首次登录后须修改）");
            }
            // Several nodes may share one PostgreSQL: what another imports shows here within
            // this interval.
            let every = std::time::Duration::from_millis(poll_ms.max(10));
            let _watch = app.watch_law_changes(every);
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let url = format!("http://{}", listener.local_addr()?);
            println!("xuefa 学法 listening on {url}");
            let service =
                xuefa::web::router(app).into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service)
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
            Ok(())
        }
        Command::ImportLaws { paths } => {
            let app = App::open(config).await?;
            xuefa::cli::import(&app, &paths).await
        }
        Command::Laws { json } => {
            let app = App::open(config).await?;
            print_out(&xuefa::cli::laws(&app, json).await?)
        }
        Command::Search(args) => {
            let app = App::open(config).await?;
            print_out(&xuefa::cli::search(&app, args).await?)
        }
        Command::Units(cmd) => {
            let app = App::open(config).await?;
            print_out(&xuefa::cli::units(&app, cmd).await?)
        }
        Command::Users(cmd) => {
            let app = App::open(config).await?;
            print_out(&xuefa::cli::users(&app, cmd).await?)
        }
        Command::Certificates(cmd) => {
            let app = App::open(config).await?;
            print_out(&xuefa::cli::certificates(&app, cmd).await?)
        }
        Command::Questions(cmd) => {
            let app = App::open(config).await?;
            let out = xuefa::cli::questions(&app, cmd).await?;
            print_out(&out.text)?;
            if !out.ok {
                return Err(xuefa::cli::Failed.into());
            }
            Ok(())
        }
        Command::Exams(cmd) => {
            let app = App::open(config).await?;
            let out = xuefa::cli::exams(&app, cmd).await?;
            // Empty when the results went to standard output as they are (xlsx bytes).
            if out.is_empty() {
                Ok(())
            } else {
                print_out(&out)
            }
        }
        Command::Reindex => {
            let app = App::open(config).await?;
            let n = app.reindex().await?;
            println!("indexed {n} articles");
            Ok(())
        }
    }
}

/// Prints a command's output; a closed pipe (`xuefa laws | head`) is not an error.
fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{}", text.trim_end()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
