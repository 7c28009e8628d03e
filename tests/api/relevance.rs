//! Relevance floors: the judged queries of `corpus/eval/relevance.tsv` whose answer is in the
//! imported part of the corpus, scored per class as `xuefa bench-relevance` does, must stay
//! above the figures reached, so ranking cannot silently regress.

use std::collections::BTreeSet;

use xuefa::bench::relevance::{self, Judged};

use crate::helpers::*;

/// Per class: least R@1 and R@10 (a little under what the ranking reaches on this subset).
const FLOORS: [(&str, f64, f64); 6] = [
    ("reference", 1.0, 1.0),
    ("keyword", 0.87, 0.95),
    ("question", 0.85, 0.95),
    ("colloquial", 0.53, 0.87),
    ("exam", 0.95, 0.95),
    ("run-together", 0.75, 0.95),
];

/// The law title of a judged answer (`《标题》第N条`).
fn title_of(answer: &str) -> &str {
    answer
        .trim_start_matches('《')
        .split('》')
        .next()
        .unwrap_or_default()
}

#[tokio::test]
async fn every_class_of_judged_queries_stays_above_its_floor() {
    // Arrange
    let t = spawn_app(&search_subset()).await;
    let imported: BTreeSet<String> = t.laws().await.into_iter().map(|l| l.title).collect();
    let text = include_str!("../../corpus/eval/relevance.tsv");
    let judged: Vec<Judged> = relevance::parse(text)
        .expect("the judged set parses")
        .into_iter()
        .filter(|j| imported.contains(title_of(&j.answers[0])))
        .collect();

    // Act
    let result = relevance::evaluate(&t.app.search, &judged);

    // Assert
    let misses: Vec<String> = result
        .misses
        .iter()
        .map(|(j, rank, top)| format!("{} | {} | {rank:?} | {top:?}", j.class, j.query))
        .collect();
    let mut below = Vec::new();
    for (class, at1, at10) in FLOORS {
        let s = result.by_class.get(class).expect("every class is judged");
        assert!(s.queries >= 20, "{class}: only {} queries", s.queries);
        let (r1, r10) = (s.rate(s.at1), s.rate(s.at10));
        eprintln!("{class}: {} queries, R@1 {r1:.2}, R@10 {r10:.2}", s.queries);
        if r1 < at1 || r10 < at10 {
            below.push(format!(
                "{class}: R@1 {r1:.2} (floor {at1}), R@10 {r10:.2} (floor {at10})"
            ));
        }
    }
    assert!(
        below.is_empty(),
        "{}\nmisses:\n{}",
        below.join("\n"),
        misses.join("\n")
    );
    assert_eq!(result.all.empty, 0, "no judged query finds nothing");
}
