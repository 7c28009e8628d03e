//! `xuefa bench-basis`: how often the basis suggester (`bank::suggest`) proposes the article a
//! bank cites, with the citation hidden from it (the suggester reads the stem and the correct
//! answer, never the 依据 or 解析 columns). Prints top-1 and top-3 and the misses. A benchmark
//! that prints figures, not a pass/fail test.

use std::path::Path;
use std::time::Instant;

use crate::app::App;
use crate::bank::import::LawBook;
use crate::bank::import::resolve::{self, current_laws};
use crate::bank::suggest::{self, Candidate, Question};
use crate::config::Config;

/// Whether a candidate is one of the articles cited: (statute, article no, sub).
fn is_cited(c: &Candidate, cited: &[(i64, u32, u32)]) -> bool {
    cited.contains(&(c.statute_id, c.article_no, c.article_sub))
}

/// 1-based position of the first cited article among the candidates.
pub fn first_cited(candidates: &[Candidate], cited: &[(i64, u32, u32)]) -> Option<usize> {
    candidates
        .iter()
        .position(|c| is_cited(c, cited))
        .map(|p| p + 1)
}

pub async fn run(laws: &Path, file: &Path) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("xuefa-basis-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(laws, file, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(laws: &Path, file: &Path, dir: &Path) -> anyhow::Result<()> {
    let app = App::open(Config::new(dir, None, None)).await?;
    let report = app.import_laws(&[laws.to_path_buf()], &|_, _| {}).await?;
    let bytes = std::fs::read(file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let (rows, unread) = suggest::read_bank(&name.unwrap_or_default(), &bytes)?;
    let book = LawBook::load(&mut *app.db.read().await?, &app.config.project_corpus).await?;
    let refs: Vec<_> = rows.iter().flat_map(|r| &r.refs).collect();
    let current = current_laws(
        &mut *app.db.read().await?,
        &resolve::statutes_of(&refs, &book),
    )
    .await?;
    // Questions whose citation resolves; the suggester sees the draft without it.
    let mut judged = Vec::new();
    for r in &rows {
        let cited: Vec<(i64, u32, u32)> = resolve::resolve(&r.refs, &book, &current)
            .rows
            .iter()
            .map(|b| (b.statute_id, b.article_no, b.article_sub))
            .collect();
        if !cited.is_empty() {
            let mut draft = r.draft.clone();
            draft.explanation.clear();
            draft.basis.clear();
            judged.push((r, cited, Question::of(&draft, &book)));
        }
    }
    println!(
        "imported: {report}; {} questions, {} with a resolvable basis, {} unreadable",
        rows.len(),
        judged.len(),
        unread.len()
    );
    let started = Instant::now();
    let questions = judged.iter().map(|(_, _, q)| q.clone()).collect();
    let suggested = suggest::suggest_all(&app.search, questions).await?;
    let took = started.elapsed();
    let (mut top1, mut top3) = (0, 0);
    let mut misses = Vec::new();
    for ((r, cited, _), candidates) in judged.iter().zip(&suggested) {
        let rank = first_cited(candidates, cited);
        top1 += usize::from(rank == Some(1));
        top3 += usize::from(rank.is_some());
        if rank != Some(1) {
            misses.push((r, cited, candidates, rank));
        }
    }
    let n = judged.len().max(1) as f64;
    println!(
        "top-1 {:.2}  top-3 {:.2}  ({} questions, {:.1} ms per question)",
        top1 as f64 / n,
        top3 as f64 / n,
        judged.len(),
        took.as_secs_f64() * 1000.0 / n
    );
    println!(
        "\nnot first ({}): row | rank | cited | proposed",
        misses.len()
    );
    for (r, cited, candidates, rank) in misses {
        let cited: Vec<String> = cited
            .iter()
            .map(|(s, no, sub)| {
                format!(
                    "《{}》{}",
                    book.title(*s),
                    crate::corpus::numerals::unit_label(*no, *sub)
                )
            })
            .collect();
        let proposed: Vec<String> = candidates.iter().map(Candidate::cite).collect();
        let rank = rank.map_or("-".to_string(), |r| r.to_string());
        println!(
            "{} | {} | {} | {}",
            r.row,
            rank,
            cited.join("、"),
            proposed.join("、")
        );
    }
    Ok(())
}
