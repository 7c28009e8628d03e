//! Generation on a small law: types, mutations, seeds, distractors, lists.

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::build::swap_modal;
use super::items::list_stem;
use super::quality::stem_body;
use super::text::normalize;
use super::*;
use crate::bank::model::{Answer, Origin};

pub(super) const TITLE: &str = "测试条例";

/// A small law with time limits, amounts, counts, modal verbs and three enumerations (two
/// of principles, so each has distractors of its kind).
const LAW: [(u32, &str, &str); 9] = [
    (1, "第一条", "为了规范测试工作，制定本条例。"),
    (
        2,
        "第二条",
        "行政机关收到申请，应当予以登记，并在15日内作出决定。\n情况复杂的，经负责人批准，可以延长30日。",
    ),
    (
        3,
        "第三条",
        "当事人可以自收到决定书之日起六十日内申请复查。复查机关应当在二十个工作日内作出复查决定。",
    ),
    (
        4,
        "第四条",
        "对个人处五十元以上一千元以下罚款；对单位处200元以上3万元以下罚款。",
    ),
    (
        5,
        "第五条",
        "测试工作应当遵循下列原则：\n（一）坚持依法办事。\n（二）坚持公开公正。\n（三）坚持便民高效。",
    ),
    (
        6,
        "第六条",
        "行政机关有下列情形之一的，由其上级机关责令改正：\n（一）不按照规定登记申请；\n（二）未在规定期限内作出决定；\n（三）泄露当事人的个人信息。",
    ),
    (
        7,
        "第七条",
        "执法时执法人员不得少于两名。任何组织和个人不得打击报复申请人。",
    ),
    (8, "第八条", "本条例自2022年5月1日起施行。"),
    (
        9,
        "第九条",
        "测试监督应当遵循下列原则：\n（一）坚持实事求是。\n（二）坚持权责统一。",
    ),
];

pub(super) fn law() -> Vec<SourceArticle<'static>> {
    LAW.iter()
        .map(|&(no, label, text)| SourceArticle {
            law_id: 7,
            law_title: TITLE,
            article_no: no,
            article_sub: 0,
            label,
            text,
        })
        .collect()
}

#[test]
fn modal_mutations_say_the_opposite() {
    let mut rng = StdRng::seed_from_u64(1);
    assert_eq!(swap_modal("应当", &mut rng), Some("可以"));
    assert_eq!(swap_modal("不得", &mut rng), Some("可以"));
    for _ in 0..10 {
        let m = swap_modal("可以", &mut rng).unwrap();
        assert!(m == "应当" || m == "不得");
    }
    assert_eq!(swap_modal("负责", &mut rng), None);
}

#[test]
fn false_statements_change_one_span_and_match_no_article() {
    let articles = law();
    let drafts = passed_candidates(&articles, &mut StdRng::seed_from_u64(3));
    let falses: Vec<&QuestionDraft> = drafts
        .iter()
        .filter(|d| d.answer == Answer::Judge { correct: false })
        .collect();
    assert!(!falses.is_empty());
    let law_text: Vec<String> = articles.iter().map(|a| normalize(a.text)).collect();
    for d in &falses {
        let statement = normalize(stem_body(&d.stem));
        assert!(
            law_text.iter().all(|t| !t.contains(&statement)),
            "{}",
            d.stem
        );
    }
    // A time limit is replaced by another time limit of the same law.
    let time = falses
        .iter()
        .find(|d| d.stem.contains("作出决定") && !d.stem.contains("15日"))
        .expect("a mutated 15日");
    // … in the same unit when the law has one (not 20个工作日).
    assert!(
        ["30日", "60日"].iter().any(|t| time.stem.contains(t)),
        "{}",
        time.stem
    );
    // … and never to a value the sentence already states.
    for d in falses.iter().filter(|d| d.basis[0].article_no == 4) {
        assert!(!d.stem.contains("一千元以上一千元") && !d.stem.contains("五十元以上五十元"));
    }
}

#[test]
fn the_same_seed_gives_the_same_questions_and_another_seed_another_order() {
    let articles = law();
    let run = |seed| generate(&articles, &mut StdRng::seed_from_u64(seed), usize::MAX);
    assert_eq!(run(7), run(7));
    let answers = |drafts: Vec<QuestionDraft>| -> Vec<(String, Vec<String>)> {
        drafts
            .into_iter()
            .filter(|d| d.qtype == QuestionType::Single)
            .map(|d| (d.stem, d.options))
            .collect()
    };
    let (a, b) = (answers(run(7)), answers(run(8)));
    assert!(!a.is_empty());
    assert_ne!(a, b, "different seeds shuffle the options differently");
}

#[test]
fn every_type_is_generated_and_every_draft_passes_the_rules() {
    let articles = law();
    let drafts = generate(&articles, &mut StdRng::seed_from_u64(11), usize::MAX);
    for t in [
        QuestionType::Fill,
        QuestionType::Single,
        QuestionType::Judge,
        QuestionType::Multiple,
    ] {
        assert!(drafts.iter().any(|d| d.qtype == t), "no {t:?}");
    }
    for d in &drafts {
        assert_eq!(check_quality(d, &articles), Vec::<String>::new(), "{d:#?}");
        assert_eq!(d.origin, Origin::Generated);
        assert_eq!(d.basis.len(), 1);
        assert!(
            d.explanation.starts_with("依据《测试条例》第"),
            "{}",
            d.explanation
        );
        assert_eq!(d.tags[0], TITLE);
    }
    // No question on article 1 (no key span) nor on the date of article 8.
    assert!(drafts.iter().all(|d| d.basis[0].article_no != 8));
}

#[test]
fn max_limits_the_drafts_and_still_mixes_the_types() {
    let articles = law();
    let drafts = generate(&articles, &mut StdRng::seed_from_u64(5), 8);
    assert_eq!(drafts.len(), 8);
    let types: HashSet<QuestionType> = drafts.iter().map(|d| d.qtype).collect();
    assert_eq!(types.len(), 4);
    assert!(generate(&articles, &mut StdRng::seed_from_u64(5), 0).is_empty());
}

#[test]
fn a_single_choice_on_a_time_limit_has_time_limit_distractors() {
    let articles = law();
    let drafts = passed_candidates(&articles, &mut StdRng::seed_from_u64(2));
    let d = drafts
        .iter()
        .find(|d| d.qtype == QuestionType::Single && d.stem.contains("并在（ ）内作出决定"))
        .expect("a single choice on 15日");
    let Answer::Single { option } = d.answer else {
        panic!()
    };
    assert_eq!(d.options[option], "15日");
    assert_eq!(d.options.len(), 4);
    for o in &d.options {
        assert!(o.ends_with('日'), "{o}");
        assert!(
            o.chars().next().unwrap().is_ascii_digit(),
            "{o} in Arabic like 15日"
        );
    }
}

#[test]
fn a_multiple_choice_takes_the_items_of_an_enumeration() {
    let articles = law();
    let drafts = passed_candidates(&articles, &mut StdRng::seed_from_u64(4));
    let d = drafts
        .iter()
        .find(|d| d.qtype == QuestionType::Multiple && d.basis[0].article_no == 5)
        .expect("a multiple on 第五条");
    assert_eq!(
        d.stem,
        "根据《测试条例》第五条，测试工作应当遵循的原则包括（ ）。"
    );
    let Answer::Multiple { options } = &d.answer else {
        panic!()
    };
    for (i, o) in d.options.iter().enumerate() {
        let own = ["坚持依法办事", "坚持公开公正", "坚持便民高效"].contains(&o.as_str());
        assert_eq!(own, options.contains(&i), "{o}");
    }
}

#[test]
fn multiple_choice_distractors_are_not_alike_the_right_items() {
    // A distractor containing an element of a right item could be right in spirit.
    assert!(items::too_close(
        "罚款、没收违法所得、没收非法财物",
        "较大数额罚款"
    ));
    assert!(items::too_close(
        "受理、转送、交办信访事项",
        "对其职权范围的信访事项不予受理"
    ));
    assert!(!items::too_close(
        "坚持党的全面领导",
        "携带危险物品、管制器具"
    ));
}

#[test]
fn list_stems_read_as_questions() {
    let p = "根据《测试条例》第六条，";
    assert_eq!(
        list_stem(p, "行政机关有下列情形之一的，由其上级机关责令改正"),
        Some((
            "根据《测试条例》第六条，行政机关有下列情形之一的，由其上级机关责令改正。属于上述情形的有（ ）。".into(),
            "情形"
        ))
    );
    assert_eq!(
        list_stem(p, "年度报告应当包括下列内容").map(|s| s.0),
        Some("根据《测试条例》第六条，年度报告应当包括的内容有（ ）。".into())
    );
    assert_eq!(
        list_stem(p, "行政处罚的种类").map(|s| s.0),
        Some("根据《测试条例》第六条，行政处罚的种类包括（ ）。".into())
    );
    assert_eq!(
        list_stem(p, "证据包括").map(|s| s.0),
        Some("根据《测试条例》第六条，证据包括（ ）。".into())
    );
    assert_eq!(
        list_stem(p, "受委托组织必须符合以下条件").map(|s| s.0),
        Some("根据《测试条例》第六条，受委托组织必须符合的条件包括（ ）。".into())
    );
}
