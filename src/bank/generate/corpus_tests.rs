//! Generation over every article of two real laws from the shared corpus.

use std::time::Instant;

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;
use crate::bank::model::Answer;
use crate::corpus::parse::parse_law;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/");

/// A parsed law: its title and (no, sub, label, text) per article.
pub(super) struct Law {
    pub title: String,
    articles: Vec<(u32, u32, String, String)>,
}

impl Law {
    pub(super) fn load(path: &str) -> Law {
        let text = std::fs::read_to_string(path).unwrap();
        let parsed = parse_law(&text, path).unwrap();
        let articles = parsed
            .articles
            .iter()
            .map(|a| (a.no, a.sub, a.label.clone(), a.text()))
            .collect();
        Law {
            title: parsed.title,
            articles,
        }
    }

    pub(super) fn xinfang() -> Law {
        Law::load(&format!("{CORPUS}行政法规/信访工作条例(2022-02-25).md"))
    }

    /// The newest version of the 行政处罚法.
    pub(super) fn xingzheng_chufa() -> Law {
        let dir = format!("{CORPUS}行政法");
        let newest = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("行政处罚法") && n.ends_with(".md"))
            .max()
            .expect("a 行政处罚法 file");
        Law::load(&format!("{dir}/{newest}"))
    }

    pub(super) fn sources(&self) -> Vec<SourceArticle<'_>> {
        self.articles
            .iter()
            .map(|(no, sub, label, text)| SourceArticle {
                law_id: 1,
                law_title: &self.title,
                article_no: *no,
                article_sub: *sub,
                label,
                text,
            })
            .collect()
    }
}

fn generate_all(law: &Law, seed: u64) -> Vec<QuestionDraft> {
    generate(&law.sources(), &mut StdRng::seed_from_u64(seed), usize::MAX)
}

/// Every draft passes the rules, all four types come out, at least `min` of them.
fn assert_sound(law: &Law, drafts: &[QuestionDraft], min: usize) {
    let sources = law.sources();
    for d in drafts {
        assert_eq!(check_quality(d, &sources), Vec::<String>::new(), "{d:#?}");
    }
    for t in [
        QuestionType::Fill,
        QuestionType::Single,
        QuestionType::Judge,
        QuestionType::Multiple,
    ] {
        let n = drafts.iter().filter(|d| d.qtype == t).count();
        assert!(n > 0, "{}: no {t:?}", law.title);
    }
    assert!(
        drafts.len() >= min,
        "{}: {} drafts",
        law.title,
        drafts.len()
    );
}

#[test]
fn every_article_of_the_xinfang_regulation_gives_sound_questions() {
    let law = Law::xinfang();
    let drafts = generate_all(&law, 42);
    assert_sound(&law, &drafts, 80);
    // The builders' candidates, before a run drops near duplicates.
    let drafts = passed_candidates(&law.sources(), &mut StdRng::seed_from_u64(42));

    let on = |no: u32, t: QuestionType| {
        drafts
            .iter()
            .filter(move |d| d.basis[0].article_no == no && d.qtype == t)
    };
    // 第五条 is the only list of principles: no distractors of its kind, no 多选.
    assert!(on(5, QuestionType::Multiple).next().is_none());
    let duties = on(14, QuestionType::Multiple)
        .next()
        .expect("多选 on 第十四条");
    assert_eq!(
        duties.stem,
        "根据《信访工作条例》第十四条，各级党委和政府信访部门是开展信访工作的专门机构，履行的职责包括（ ）。"
    );
    let fill_15 = on(22, QuestionType::Fill).find(|d| {
        matches!(&d.answer, Answer::Fill { blanks } if blanks.len() == 1 && blanks[0][0] == "15日")
    });
    let fill_15 = fill_15.expect("填空 on 第二十二条 15日");
    assert!(fill_15.stem.contains("在（ ）内"), "{}", fill_15.stem);
    let Answer::Fill { blanks } = &fill_15.answer else {
        unreachable!()
    };
    assert_eq!(blanks[0], ["15日", "十五日"]);
    assert!(
        fill_15
            .explanation
            .starts_with("依据《信访工作条例》第二十二条：“")
    );
    // The 施行 date of 第五十条 is no time limit.
    assert!(drafts.iter().all(|d| !d.stem.contains("2022年")));
}

#[test]
fn every_article_of_the_administrative_penalty_law_gives_sound_questions() {
    let law = Law::xingzheng_chufa();
    let drafts = generate_all(&law, 42);
    assert_sound(&law, &drafts, 100);
    assert!(
        drafts
            .iter()
            .all(|d| d.stem.starts_with("根据《行政处罚法》第"))
    );
}

/// Run with `cargo test --release --lib bank::generate -- --ignored --nocapture`.
#[test]
#[ignore = "measurement"]
fn measure_generation_speed_and_pass_share() {
    for law in [Law::xinfang(), Law::xingzheng_chufa()] {
        let sources = law.sources();
        let rounds = 50;
        let (mut drafts, mut raw, mut passed) = (0, 0, 0);
        let mut by_type = [0usize; 4];
        let start = Instant::now();
        for seed in 0..rounds {
            let (out, r, p) = generate_counted(
                &sources,
                &Context::default(),
                &mut StdRng::seed_from_u64(seed),
                usize::MAX,
            );
            drafts += out.len();
            raw += r;
            passed += p;
            for d in &out {
                by_type[d.qtype as usize] += 1;
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}: {} articles, {:.0} drafts/run (单选 {} 多选 {} 判断 {} 填空 {}), \
             {:.0} questions/s, {:.2} ms/run, pass share {:.1}% ({passed}/{raw})",
            law.title,
            sources.len(),
            drafts as f64 / rounds as f64,
            by_type[0] / rounds as usize,
            by_type[1] / rounds as usize,
            by_type[2] / rounds as usize,
            by_type[3] / rounds as usize,
            drafts as f64 / secs,
            secs * 1000.0 / rounds as f64,
            100.0 * passed as f64 / raw as f64,
        );
        let mut rejected: Vec<String> = Vec::new();
        let law_ = law::Law::new(&sources);
        let mut rng = StdRng::seed_from_u64(0);
        let mut candidates = build::sentence_candidates(&law_, &mut rng);
        candidates.extend(items::multiple_candidates(&law_, &[], &mut rng));
        let checker = quality::Checker::new(&sources);
        for c in &candidates {
            for v in checker.check(&c.draft) {
                let rule = v.split(':').next().unwrap_or("").to_string();
                rejected.push(rule);
            }
        }
        rejected.sort();
        let mut counts: Vec<(String, usize)> = Vec::new();
        for r in rejected {
            match counts.last_mut() {
                Some((last, n)) if *last == r => *n += 1,
                _ => counts.push((r, 1)),
            }
        }
        println!("  violations of the raw candidates (seed 0): {counts:?}");
    }
}
