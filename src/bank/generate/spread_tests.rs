//! On real laws: multiple-choice distractors of the right answers' kind, no near-duplicate
//! stems (in a run, or of the bank's questions), drafts spread over the articles.

use std::collections::HashMap;

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::corpus_tests::Law;
use super::items::item_lists;
use super::kinds::ItemKind;
use super::select::{NEAR_DUPLICATE, SLACK, fingerprint, similarity};
use super::*;
use crate::bank::model::Answer;

/// The kind of the list each item of the law comes from (first list wins).
fn kind_of_items(sources: &[SourceArticle<'_>]) -> HashMap<String, Option<ItemKind>> {
    let mut out = HashMap::new();
    for list in item_lists(sources, 0..sources.len()) {
        for item in list.items() {
            out.entry(item.clone()).or_insert(list.kind);
        }
    }
    out
}

fn multiples(drafts: &[QuestionDraft]) -> impl Iterator<Item = (&QuestionDraft, &[usize])> {
    drafts.iter().filter_map(|d| match &d.answer {
        Answer::Multiple { options } => Some((d, options.as_slice())),
        _ => None,
    })
}

#[test]
fn multiple_choice_distractors_come_from_lists_of_the_same_kind() {
    for law in [Law::xinfang(), Law::xingzheng_chufa()] {
        let sources = law.sources();
        let kinds = kind_of_items(&sources);
        let drafts = generate(&sources, &mut StdRng::seed_from_u64(42), usize::MAX);
        let mut n = 0;
        for (d, right) in multiples(&drafts) {
            let right_kind = kinds[&d.options[right[0]]];
            assert!(right_kind.is_some(), "{}: a list of no known kind", d.stem);
            for (j, o) in d.options.iter().enumerate() {
                let kind = kinds.get(o).copied().flatten();
                assert_eq!(kind, right_kind, "{}: option “{o}” ({j})", d.stem);
            }
            n += 1;
        }
        assert!(n >= 3, "{}: only {n} multiple choices", law.title);
    }
}

#[test]
fn the_duties_of_the_xinfang_departments_are_offered_other_duties_not_acts() {
    let law = Law::xinfang();
    let sources = law.sources();
    let drafts = generate(&sources, &mut StdRng::seed_from_u64(7), usize::MAX);
    let (d, right) = multiples(&drafts)
        .find(|(d, _)| d.basis[0].article_no == 14)
        .expect("a multiple choice on the 职责 of 第十四条");
    assert!(d.stem.contains("职责"), "{}", d.stem);
    let acts = ["煽动", "串联", "胁迫", "携带", "侮辱", "非法聚集", "滞留"];
    for (j, o) in d.options.iter().enumerate() {
        assert!(!acts.iter().any(|a| o.contains(a)), "{o}");
        if !right.contains(&j) {
            // A duty of the 联席会议 (第十一条) or of the 党中央 (第八条).
            let from = sources
                .iter()
                .find(|a| a.text.contains(o.as_str()))
                .map(|a| a.article_no);
            assert!(matches!(from, Some(8 | 11)), "{o} from {from:?}");
        }
    }
}

#[test]
fn a_list_of_a_kind_the_law_has_no_other_of_takes_distractors_from_a_related_law() {
    // 第二十六条 is the 信访工作条例's only list of prohibited acts: alone it makes no
    // multiple choice; with a related law listing prohibited acts it does.
    let law = Law::xinfang();
    let sources = law.sources();
    let alone = generate(&sources, &mut StdRng::seed_from_u64(1), usize::MAX);
    assert!(multiples(&alone).all(|(d, _)| d.basis[0].article_no != 26));
    let related = [SourceArticle {
        law_id: 2,
        law_title: "测试办法",
        article_no: 9,
        article_sub: 0,
        label: "第九条",
        text: "参加听证的人员不得有下列行为：\n（一）哄闹、冲闯会场；\n（二）使用扩音设备、横幅标语；\n（三）录音录像、摄影。",
    }];
    let ctx = Context {
        related: &related,
        ..Context::default()
    };
    let with = generate_in(&sources, &ctx, &mut StdRng::seed_from_u64(1), usize::MAX);
    let (d, right) = multiples(&with)
        .find(|(d, _)| d.basis[0].article_no == 26)
        .expect("a multiple choice on 第二十六条");
    let wrong: Vec<&String> = (0..d.options.len())
        .filter(|j| !right.contains(j))
        .map(|j| &d.options[j])
        .collect();
    for o in wrong {
        assert!(related[0].text.contains(o.as_str()), "{o}");
    }
}

/// Pairs of drafts (or a draft and an existing stem) at least `NEAR_DUPLICATE` alike.
fn near_pairs<'d>(stems: &[&'d str], against: &[&'d str]) -> Vec<(&'d str, &'d str, f64)> {
    let mut out = Vec::new();
    for (i, a) in stems.iter().enumerate() {
        let others = against.iter().chain(&stems[i + 1..]);
        for b in others {
            let s = similarity(&fingerprint(a), &fingerprint(b));
            if s >= NEAR_DUPLICATE {
                out.push((*a, *b, s));
            }
        }
    }
    out
}

#[test]
fn no_two_drafts_of_a_run_are_near_duplicates() {
    for law in [Law::xinfang(), Law::xingzheng_chufa()] {
        let drafts = generate(&law.sources(), &mut StdRng::seed_from_u64(3), usize::MAX);
        let stems: Vec<&str> = drafts.iter().map(|d| d.stem.as_str()).collect();
        assert_eq!(near_pairs(&stems, &[]), vec![], "{}", law.title);
    }
}

#[test]
fn no_draft_nearly_repeats_a_question_already_in_the_bank() {
    let law = Law::xinfang();
    let sources = law.sources();
    let first = generate(&sources, &mut StdRng::seed_from_u64(5), 30);
    let existing: Vec<ExistingQuestion<'_>> = first
        .iter()
        .map(|d| ExistingQuestion {
            stem: &d.stem,
            basis: &d.basis,
        })
        .collect();
    let ctx = Context {
        existing: &existing,
        ..Context::default()
    };
    let second = generate_in(&sources, &ctx, &mut StdRng::seed_from_u64(6), 30);
    assert_eq!(second.len(), 30);
    let old: Vec<&str> = first.iter().map(|d| d.stem.as_str()).collect();
    for d in &second {
        assert_eq!(near_pairs(&[&d.stem], &old), vec![]);
    }
    // The second run draws on the articles the first did not cover first.
    let all = generate(&sources, &mut StdRng::seed_from_u64(6), usize::MAX);
    let covered = |no: u32, run: &[QuestionDraft]| run.iter().any(|d| d.basis[0].article_no == no);
    let mut uncovered: Vec<u32> = all
        .iter()
        .map(|d| d.basis[0].article_no)
        .filter(|&no| !covered(no, &first))
        .collect();
    uncovered.dedup();
    assert!(!uncovered.is_empty());
    for no in uncovered {
        assert!(covered(no, &second), "第{no}条 not drawn on");
    }
}

#[test]
fn twenty_drafts_spread_over_the_articles_with_every_type() {
    for law in [Law::xinfang(), Law::xingzheng_chufa()] {
        let sources = law.sources();
        for seed in 0..5 {
            let all = generate(&sources, &mut StdRng::seed_from_u64(seed), usize::MAX);
            let mut with_candidates: Vec<u32> = all.iter().map(|d| d.basis[0].article_no).collect();
            with_candidates.dedup();
            let n = 20;
            let drafts = generate(&sources, &mut StdRng::seed_from_u64(seed), n);
            assert_eq!(drafts.len(), n);
            let cap = n.div_ceil(with_candidates.len()) + SLACK;
            let mut per_article: HashMap<u32, usize> = HashMap::new();
            for d in &drafts {
                *per_article.entry(d.basis[0].article_no).or_default() += 1;
            }
            let most = per_article.values().max().copied().unwrap_or(0);
            assert!(most <= cap, "{}: {most} drafts on one article", law.title);
            assert!(per_article.len() >= 18, "{}: {per_article:?}", law.title);
            for t in [
                QuestionType::Fill,
                QuestionType::Single,
                QuestionType::Judge,
                QuestionType::Multiple,
            ] {
                assert!(
                    drafts.iter().any(|d| d.qtype == t),
                    "{}: no {t:?}",
                    law.title
                );
            }
        }
    }
}
