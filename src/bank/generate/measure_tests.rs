//! Measurements on two real laws (run with
//! `cargo test --release --lib bank::generate::measure -- --ignored --nocapture`).
//! Self-contained on `generate` so the same file measures any version of the generator.

use std::collections::HashMap;
use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;
use crate::bank::model::Answer;
use crate::corpus::parse::parse_law;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/");
const LAWS: [&str; 2] = [
    "行政法规/信访工作条例(2022-02-25).md",
    "行政法/行政处罚法(2021-01-22).md",
];

type Articles = (String, Vec<(u32, u32, String, String)>);

fn load(path: &str) -> Articles {
    let path = format!("{CORPUS}{path}");
    let text = std::fs::read_to_string(&path).unwrap();
    let law = parse_law(&text, &path).unwrap();
    let articles = law
        .articles
        .iter()
        .map(|a| (a.no, a.sub, a.label.clone(), a.text()))
        .collect();
    (law.title, articles)
}

fn sources<'a>((title, articles): &'a Articles) -> Vec<SourceArticle<'a>> {
    articles
        .iter()
        .map(|(no, sub, label, text)| SourceArticle {
            law_id: 1,
            law_title: title,
            article_no: *no,
            article_sub: *sub,
            label,
            text,
        })
        .collect()
}

/// Character-bigram Jaccard of two stems without their `根据《…》第N条，` opening and
/// punctuation.
fn jaccard(a: &str, b: &str) -> f64 {
    let grams = |s: &str| {
        let body = s.split_once('，').map_or(s, |(_, b)| b);
        let c: Vec<char> = body.chars().filter(|c| c.is_alphanumeric()).collect();
        let mut g: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        g.sort_unstable();
        g.dedup();
        g
    };
    let (x, y) = (grams(a), grams(b));
    let common = x.iter().filter(|g| y.binary_search(g).is_ok()).count();
    let union = x.len() + y.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f64 / union as f64
    }
}

#[test]
#[ignore = "measurement"]
fn measure_runs_spread_duplicates_and_speed() {
    for path in LAWS {
        let law = load(path);
        let src = sources(&law);
        for n in [20, usize::MAX] {
            let seeds = 20;
            let (mut total, mut distinct, mut most, mut dup_pairs) = (0, 0, 0, 0);
            let mut types = [0usize; 4];
            let start = Instant::now();
            let runs: Vec<Vec<QuestionDraft>> = (0..seeds)
                .map(|s| generate(&src, &mut StdRng::seed_from_u64(s), n))
                .collect();
            let secs = start.elapsed().as_secs_f64();
            for drafts in &runs {
                total += drafts.len();
                let mut per: HashMap<u32, usize> = HashMap::new();
                for d in drafts {
                    *per.entry(d.basis[0].article_no).or_default() += 1;
                    types[d.qtype as usize] += 1;
                }
                distinct += per.len();
                most = most.max(per.values().max().copied().unwrap_or(0));
                for (i, a) in drafts.iter().enumerate() {
                    dup_pairs += drafts[i + 1..]
                        .iter()
                        .filter(|b| jaccard(&a.stem, &b.stem) >= 0.5)
                        .count();
                }
            }
            let k = seeds as f64;
            println!(
                "{} max={}: {:.1} drafts/run, {:.1} distinct articles/run, most on one article {most}, \
                 单选/多选/判断/填空 per run {:.1}/{:.1}/{:.1}/{:.1}, stem pairs ≥0.5 per run {:.1}, {:.2} ms/run",
                law.0,
                if n == usize::MAX {
                    "all".to_string()
                } else {
                    n.to_string()
                },
                total as f64 / k,
                distinct as f64 / k,
                types[0] as f64 / k,
                types[1] as f64 / k,
                types[2] as f64 / k,
                types[3] as f64 / k,
                dup_pairs as f64 / k,
                secs * 1000.0 / k,
            );
        }
    }
}

/// The similarity of stem pairs in an unfiltered run, on the same article or not, in
/// tenths; and the pairs between 0.4 and 0.6 to read.
#[test]
#[ignore = "measurement"]
fn measure_stem_similarity() {
    for path in LAWS {
        let law = load(path);
        let src = sources(&law);
        let drafts = generate(&src, &mut StdRng::seed_from_u64(0), usize::MAX);
        let (mut same, mut other) = ([0usize; 11], [0usize; 11]);
        let mut border = Vec::new();
        for (i, a) in drafts.iter().enumerate() {
            for b in &drafts[i + 1..] {
                let s = jaccard(&a.stem, &b.stem);
                let bucket = (s * 10.0).floor() as usize;
                if a.basis[0].article_no == b.basis[0].article_no {
                    same[bucket] += 1;
                } else {
                    other[bucket] += 1;
                }
                if (0.4..0.6).contains(&s) && border.len() < 12 {
                    border.push(format!("{s:.2} {} | {}", a.stem, b.stem));
                }
            }
        }
        println!(
            "{}: same article {same:?}\n  other articles {other:?}",
            law.0
        );
        for b in border {
            println!("  {b}");
        }
    }
}

/// The multiple choices of a run, their right (✓) and wrong (✗) options, to read.
#[test]
#[ignore = "measurement"]
fn measure_print_multiple_choices() {
    for path in LAWS {
        let law = load(path);
        let src = sources(&law);
        let drafts = generate(&src, &mut StdRng::seed_from_u64(42), usize::MAX);
        for d in &drafts {
            let Answer::Multiple { options } = &d.answer else {
                continue;
            };
            println!("{}", d.stem);
            for (j, o) in d.options.iter().enumerate() {
                let mark = if options.contains(&j) { "✓" } else { "✗" };
                let from = src
                    .iter()
                    .find(|a| a.text.contains(o.as_str()))
                    .map_or("?".to_string(), |a| a.label.to_string());
                println!("   {mark} {o}  [{from}]");
            }
        }
    }
}
