//! `xuefa import-laws`, `xuefa laws` and `xuefa search`: the statutes from the command line.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::app::App;
use crate::corpus::store;
use crate::search::SearchRequest;

/// Imports with a progress bar on a terminal; warnings go to stderr, the summary last.
pub async fn import(app: &App, paths: &[PathBuf]) -> anyhow::Result<()> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} 导入法规 [{bar:40}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let report = app.import_laws(paths, &progress).await;
    bar.finish_and_clear();
    let report = report?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    println!("{report}");
    Ok(())
}

/// Every stored law version, one a line (or JSON).
pub async fn laws(app: &App, json: bool) -> anyhow::Result<String> {
    let laws = store::list_laws(&app.db.pool).await?;
    if json {
        return Ok(serde_json::to_string_pretty(&laws)?);
    }
    let mut out = String::new();
    for l in laws {
        let mark = if l.current != 0 { "现行" } else { "历史" };
        out += &format!(
            "{}\t{}\t{}\t{}条\t{}\n",
            l.law_id, l.title, l.version_date, l.articles, mark
        );
    }
    Ok(out)
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    pub query: String,
    #[arg(long)]
    pub law: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long)]
    pub all_versions: bool,
    #[arg(long)]
    pub json: bool,
}

/// One page of results as text (notices, the total, each hit with its text) or JSON hits.
pub async fn search(app: &App, args: SearchArgs) -> anyhow::Result<String> {
    let req = SearchRequest {
        q: args.query,
        law: args.law,
        category: args.category,
        limit: Some(args.limit),
        offset: Some(args.offset),
        all_versions: Some(args.all_versions),
        ..SearchRequest::default()
    };
    let results = app.search.search_async(req).await?;
    if args.json {
        return Ok(serde_json::to_string_pretty(&results.hits)?);
    }
    let mut out = String::new();
    if let Some(n) = &results.notice {
        out += &format!("({n})\n");
    }
    if let Some(r) = &results.repealed_law {
        out += &format!("({})\n", r.message);
        for h in &r.successor_hits {
            out += &format!("  现行《{}》{}\n", h.law_title, h.article_label);
        }
    }
    out += &format!("共 {} 条 ({} ms)\n", results.total, results.took_ms);
    for h in results.hits {
        out += &format!(
            "\n《{}》{} [{}]\n{}\n",
            h.law_title, h.article_label, h.version_date, h.text
        );
    }
    Ok(out)
}
