//! `xuefa bench-relevance`: how well search answers the judged queries of
//! `corpus/eval/relevance.tsv`, per query class (R@1, MRR@10, R@10, zero-result rate) and
//! the list of misses. A benchmark that prints figures, not a pass/fail test.

use std::collections::BTreeMap;
use std::path::Path;

use crate::app::App;
use crate::config::Config;
use crate::search::{SearchEngine, SearchHit, SearchRequest};

/// How deep the metrics look: the first page of results.
const DEPTH: usize = 10;

/// One judged query: its class, the text, and the articles a reader accepts as its answer
/// (`《标题》第N条`), best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    pub class: String,
    pub query: String,
    pub answers: Vec<String>,
}

/// Reads the TSV (`class<TAB>query<TAB>answers<TAB>note`, a header line, `#` comments).
/// A malformed line is an error naming its line number.
pub fn parse(text: &str) -> Result<Vec<Judged>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("class\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(class), Some(query), Some(answers)) = (cols.first(), cols.get(1), cols.get(2))
        else {
            return Err(format!("line {}: expected class, query, answers", i + 1));
        };
        let answers: Vec<String> = answers
            .split('|')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        if answers.is_empty() || query.trim().is_empty() {
            return Err(format!("line {}: empty query or answers", i + 1));
        }
        out.push(Judged {
            class: class.trim().to_string(),
            query: query.trim().to_string(),
            answers,
        });
    }
    Ok(out)
}

/// `《标题》第N条`, the form the judged answers use.
pub fn cite(hit: &SearchHit) -> String {
    format!("《{}》{}", hit.law_title, hit.article_label)
}

/// The 1-based rank of the first hit that is an accepted answer, within `DEPTH`.
pub fn first_answer_rank(hits: &[String], answers: &[String]) -> Option<usize> {
    hits.iter()
        .take(DEPTH)
        .position(|h| answers.contains(h))
        .map(|p| p + 1)
}

/// Figures for one class of queries.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Score {
    pub queries: usize,
    pub at1: usize,
    pub at10: usize,
    pub reciprocal: f64,
    pub empty: usize,
}

impl Score {
    pub fn add(&mut self, rank: Option<usize>, empty: bool) {
        self.queries += 1;
        self.empty += usize::from(empty);
        if let Some(r) = rank {
            self.at1 += usize::from(r == 1);
            self.at10 += 1;
            self.reciprocal += 1.0 / r as f64;
        }
    }

    pub fn rate(&self, n: usize) -> f64 {
        if self.queries == 0 {
            0.0
        } else {
            n as f64 / self.queries as f64
        }
    }
}

/// The figures of a judged set: per class, overall, and the queries whose answer is not
/// first (with its rank and the first hit).
pub struct Evaluation<'a> {
    pub by_class: BTreeMap<String, Score>,
    pub all: Score,
    pub misses: Vec<(&'a Judged, Option<usize>, Option<String>)>,
}

/// Runs every judged query (first page) and scores where its answer came.
pub fn evaluate<'a>(search: &SearchEngine, judged: &'a [Judged]) -> Evaluation<'a> {
    let mut by_class: BTreeMap<String, Score> = BTreeMap::new();
    let mut all = Score::default();
    let mut misses = Vec::new();
    for j in judged {
        let req = SearchRequest {
            q: j.query.clone(),
            limit: Some(DEPTH),
            ..Default::default()
        };
        // A refused query (e.g. an ambiguous law name) counts as finding nothing.
        let hits: Vec<String> = match search.search(&req) {
            Ok(r) => r.hits.iter().map(cite).collect(),
            Err(_) => Vec::new(),
        };
        let rank = first_answer_rank(&hits, &j.answers);
        by_class
            .entry(j.class.clone())
            .or_default()
            .add(rank, hits.is_empty());
        all.add(rank, hits.is_empty());
        if rank != Some(1) {
            misses.push((j, rank, hits.first().cloned()));
        }
    }
    Evaluation {
        by_class,
        all,
        misses,
    }
}

pub async fn run(laws: &Path, file: &Path, data: Option<&Path>) -> anyhow::Result<()> {
    let judged = parse(&std::fs::read_to_string(file)?).map_err(anyhow::Error::msg)?;
    if let Some(dir) = data {
        std::fs::create_dir_all(dir)?;
        return measure(laws, &judged, dir).await;
    }
    let dir = std::env::temp_dir().join(format!("xuefa-relevance-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(laws, &judged, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(laws: &Path, judged: &[Judged], dir: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let app = App::open(Config::new(dir, None, None)).await?;
    let report = app.import_laws(&[laws.to_path_buf()], &|_, _| {}).await?;
    println!(
        "imported: {report} in {:.1} s; {} judged queries",
        started.elapsed().as_secs_f64(),
        judged.len()
    );
    let Evaluation {
        by_class,
        all,
        misses,
    } = evaluate(&app.search, judged);
    println!(
        "{:<14} {:>7} {:>6} {:>7} {:>6} {:>7}",
        "class", "queries", "R@1", "MRR@10", "R@10", "zero"
    );
    let rows = by_class
        .iter()
        .map(|(c, s)| (c.as_str(), s))
        .chain([("all", &all)]);
    for (class, s) in rows {
        println!(
            "{:<14} {:>7} {:>6.2} {:>7.2} {:>6.2} {:>7.2}",
            class,
            s.queries,
            s.rate(s.at1),
            s.reciprocal / s.queries.max(1) as f64,
            s.rate(s.at10),
            s.rate(s.empty)
        );
    }
    println!(
        "\nnot first ({}): class | query | rank | expected | got first",
        misses.len()
    );
    for (j, rank, top) in misses {
        let rank = rank.map_or("-".to_string(), |r| r.to_string());
        println!(
            "{} | {} | {} | {} | {}",
            j.class,
            j.query,
            rank,
            j.answers[0],
            top.unwrap_or_else(|| "（无结果）".into())
        );
    }
    let unmatched = app.search.unmatched_lexicon_words()?;
    println!(
        "\nlexicon words that match no article ({}): typed | statutory",
        unmatched.len()
    );
    for (typed, statutory) in unmatched {
        println!("{typed} | {statutory}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_judged_set_parses_and_every_row_has_an_answer() {
        let text = include_str!("../../corpus/eval/relevance.tsv");
        let judged = parse(text).expect("the judged set parses");
        assert!(judged.len() >= 200, "{} queries", judged.len());
        assert!(judged.iter().all(|j| j.answers[0].starts_with('《')));
        assert!(parse("keyword\t只有查询\n").is_err());
    }

    #[test]
    fn ranks_and_scores_count_the_first_accepted_answer() {
        let answers = vec!["《甲法》第二条".to_string(), "《甲法》第三条".to_string()];
        let hits: Vec<String> = ["《乙法》第一条", "《甲法》第三条"]
            .map(String::from)
            .to_vec();
        assert_eq!(first_answer_rank(&hits, &answers), Some(2));
        assert_eq!(first_answer_rank(&[], &answers), None);
        let mut s = Score::default();
        s.add(Some(2), false);
        s.add(Some(1), false);
        s.add(None, true);
        assert_eq!((s.queries, s.at1, s.at10, s.empty), (3, 1, 2, 1));
        assert!((s.reciprocal - 1.5).abs() < 1e-9);
    }
}
