//! The quality rules, each broken on purpose.

use super::tests::{TITLE, law};
use super::*;
use crate::bank::model::{Answer, Basis, Origin};

fn basis(no: u32, label: &str) -> Vec<Basis> {
    vec![Basis {
        law_id: 7,
        law_title: TITLE.into(),
        article_no: no,
        article_sub: 0,
        article_label: label.into(),
    }]
}

fn draft(qtype: QuestionType, stem: &str, options: &[&str], answer: Answer) -> QuestionDraft {
    QuestionDraft {
        qtype,
        stem: stem.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        answer,
        explanation: "依据".into(),
        basis: basis(2, "第二条"),
        difficulty: 2,
        tags: vec![TITLE.into()],
        origin: Origin::Generated,
    }
}

fn fill(stem: &str, blanks: &[&[&str]]) -> QuestionDraft {
    let blanks = blanks
        .iter()
        .map(|b| b.iter().map(|s| s.to_string()).collect())
        .collect();
    draft(QuestionType::Fill, stem, &[], Answer::Fill { blanks })
}

fn judge(stem: &str, correct: bool) -> QuestionDraft {
    draft(QuestionType::Judge, stem, &[], Answer::Judge { correct })
}

/// Asserts the draft breaks `rule` (and shows the violations otherwise).
fn breaks(d: &QuestionDraft, rule: &str) {
    let v = check_quality(d, &law());
    assert!(
        v.iter().any(|m| m.starts_with(rule)),
        "expected {rule}: {v:?}"
    );
}

fn passes(d: &QuestionDraft) {
    assert_eq!(check_quality(d, &law()), Vec::<String>::new());
}

const STEM_15: &str =
    "根据《测试条例》第二条，行政机关收到申请，应当予以登记，并在（ ）内作出决定。";

#[test]
fn rule_1_the_answer_occurs_in_the_basis_article() {
    passes(&fill(STEM_15, &[&["15日", "十五日"]]));
    // The Chinese form is equally found: numerals are compared as numbers.
    passes(&fill(STEM_15, &[&["十五日", "15日"]]));
    breaks(&fill(STEM_15, &[&["30日"]]), "rule 1");
    let single = |option| {
        draft(
            QuestionType::Single,
            STEM_15,
            &["30日", "15日", "60日"],
            Answer::Single { option },
        )
    };
    passes(&single(1));
    breaks(&single(0), "rule 1");
    passes(&judge(
        "根据《测试条例》第二条，行政机关收到申请，应当予以登记。",
        true,
    ));
    breaks(
        &judge(
            "根据《测试条例》第二条，行政机关收到申请，可以予以登记。",
            true,
        ),
        "rule 1",
    );
    let mut multiple = draft(
        QuestionType::Multiple,
        "根据《测试条例》第五条，测试工作应当遵循的原则包括（ ）。",
        &["坚持依法办事", "坚持公开公正", "未在规定期限内作出决定"],
        Answer::Multiple {
            options: vec![0, 1],
        },
    );
    multiple.basis = basis(5, "第五条");
    passes(&multiple);
    multiple.answer = Answer::Multiple {
        options: vec![0, 2],
    };
    breaks(&multiple, "rule 1");
}

#[test]
fn rule_2_a_false_statement_matches_no_article_of_the_law() {
    passes(&judge(
        "根据《测试条例》第二条，行政机关收到申请，可以予以登记。",
        false,
    ));
    breaks(
        &judge(
            "根据《测试条例》第二条，行政机关收到申请，应当予以登记。",
            false,
        ),
        "rule 2",
    );
    // Another article's wording counts too, whatever the numeral script.
    breaks(
        &judge(
            "根据《测试条例》第二条，复查机关应当在20个工作日内作出复查决定。",
            false,
        ),
        "rule 2",
    );
}

#[test]
fn rule_3_options_are_distinct_and_counted() {
    let single = |options: &[&str], option| {
        draft(
            QuestionType::Single,
            STEM_15,
            options,
            Answer::Single { option },
        )
    };
    breaks(&single(&["15日", "30日", " 30日 "], 0), "rule 3");
    breaks(&single(&["15日", "十五日"], 0), "rule 3");
    breaks(&single(&["15日"], 0), "rule 3");
    breaks(&single(&["15日", "30日"], 2), "rule 3");
    let nine: Vec<String> = (1..=9).map(|n| format!("{}日", n * 100)).collect();
    let nine: Vec<&str> = std::iter::once("15日")
        .chain(nine.iter().map(String::as_str))
        .collect();
    breaks(&single(&nine, 0), "rule 3");
    let mut multiple = draft(
        QuestionType::Multiple,
        "根据《测试条例》第五条，测试工作应当遵循的原则包括（ ）。",
        &["坚持依法办事", "坚持公开公正"],
        Answer::Multiple {
            options: vec![0, 1],
        },
    );
    multiple.basis = basis(5, "第五条");
    breaks(&multiple, "rule 3");
    multiple.options.push("泄露当事人的个人信息".into());
    multiple.answer = Answer::Multiple { options: vec![0] };
    breaks(&multiple, "rule 3");
    breaks(
        &draft(
            QuestionType::Judge,
            STEM_15,
            &[],
            Answer::Single { option: 0 },
        ),
        "rule 3",
    );
}

#[test]
fn rule_4_no_question_on_the_preamble_a_heading_or_an_empty_text() {
    let mut d = fill(STEM_15, &[&["15日"]]);
    d.basis = basis(0, "序言");
    breaks(&d, "rule 4");
    d.basis = basis(99, "第九十九条");
    breaks(&d, "rule 4");
    d.basis.clear();
    breaks(&d, "rule 4");
    let short = SourceArticle {
        law_id: 7,
        law_title: TITLE,
        article_no: 9,
        article_sub: 0,
        label: "第九条",
        text: "（删除）",
    };
    assert!(quality::article_problem(&short).is_some());
    let heading = SourceArticle {
        text: "第三章 法律责任",
        ..short
    };
    assert!(quality::article_problem(&heading).is_some());
    let no_sentence = SourceArticle {
        text: "甲、乙、丙。\n丁、戊、己。",
        ..short
    };
    assert!(quality::article_problem(&no_sentence).is_some());
    let fine = SourceArticle {
        text: "行政机关应当依法办事，不得收费。",
        ..short
    };
    assert_eq!(quality::article_problem(&fine), None);
}

#[test]
fn rule_5_a_fill_stem_has_one_blank_per_answer() {
    breaks(&fill(STEM_15, &[&["15日"], &["30日"]]), "rule 5");
    breaks(
        &fill(
            "根据《测试条例》第二条，行政机关收到申请，应当予以登记。",
            &[&["15日"]],
        ),
        "rule 5",
    );
    breaks(&fill(STEM_15, &[&[""]]), "rule 5");
    passes(&fill(
        "根据《测试条例》第二条，情况复杂的，经负责人批准，（ ）延长（ ）。",
        &[&["可以"], &["30日", "三十日"]],
    ));
}

#[test]
fn rule_6_stems_fit_a_phone_screen() {
    let long = format!(
        "根据《测试条例》第二条，{}并在（ ）内作出决定。",
        "很长".repeat(60)
    );
    breaks(&fill(&long, &[&["15日"]]), "rule 6");
    let mut d = fill(STEM_15, &[&["15日"]]);
    d.difficulty = 0;
    breaks(&d, "rule 6");
}
