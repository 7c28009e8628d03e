//! The rules of a well-formed question and of duplicates.

use super::model::{Answer, Origin, QuestionDraft, QuestionType};
use super::rules::{Field, check, count_blanks, dedup_key, normalise};

fn draft(qtype: QuestionType, stem: &str, options: &[&str], answer: Answer) -> QuestionDraft {
    QuestionDraft {
        qtype,
        stem: stem.into(),
        options: options.iter().map(|o| o.to_string()).collect(),
        answer,
        explanation: String::new(),
        basis: Vec::new(),
        difficulty: 3,
        tags: Vec::new(),
        origin: Origin::Imported,
    }
}

fn single(stem: &str, options: &[&str], option: usize) -> QuestionDraft {
    draft(
        QuestionType::Single,
        stem,
        options,
        Answer::Single { option },
    )
}

fn fill(stem: &str, blanks: &[&[&str]]) -> QuestionDraft {
    let blanks = blanks
        .iter()
        .map(|b| b.iter().map(|v| v.to_string()).collect())
        .collect();
    draft(QuestionType::Fill, stem, &[], Answer::Fill { blanks })
}

/// (field, message) of each problem.
fn problems(d: &QuestionDraft) -> Vec<(Field, String)> {
    check(d).into_iter().map(|p| (p.field, p.message)).collect()
}

#[test]
fn normalising_drops_punctuation_blanks_spaces_width_and_case() {
    let a = normalise("根据《信访工作条例》，信访事项应当在（ ）内办结。ABC");
    let b = normalise("根据信访工作条例 信访事项应当在____内办结 ａｂｃ");
    let c = normalise("根据“信访工作条例”,信访事项应当在()内办结!abc");
    assert_eq!(a, "根据信访工作条例信访事项应当在内办结abc");
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(normalise("（　）__（）()"), "");
}

#[test]
fn duplicates_ignore_punctuation_and_option_order_but_not_type_or_options() {
    let a = single("下列说法正确的是（ ）", &["甲", "乙", "丙"], 0);
    let same = single("下列说法正确的是：____", &["丙。", "甲", "乙"], 2);
    let other_options = single("下列说法正确的是（ ）", &["甲", "乙", "丁"], 0);
    let mut as_multiple = a.clone();
    as_multiple.qtype = QuestionType::Multiple;
    assert_eq!(dedup_key(&a), dedup_key(&same));
    assert_ne!(dedup_key(&a), dedup_key(&other_options));
    assert_ne!(dedup_key(&a), dedup_key(&as_multiple));
    let judge = draft(
        QuestionType::Judge,
        "信访工作是党的群众工作的重要组成部分。",
        &[],
        Answer::Judge { correct: true },
    );
    let mut judge2 = judge.clone();
    judge2.stem = "信访工作是党的群众工作的重要组成部分".into();
    judge2.answer = Answer::Judge { correct: false };
    assert_eq!(dedup_key(&judge), dedup_key(&judge2));
}

#[test]
fn blanks_are_counted_in_every_spelling() {
    assert_eq!(count_blanks("在（ ）内"), 1);
    assert_eq!(count_blanks("在（）内，（　　）日，( )与()及____和＿＿"), 6);
    assert_eq!(count_blanks("（以下简称条例）_"), 0);
}

#[test]
fn well_formed_questions_of_each_type_pass() {
    let ok = [
        single("甲（ ）", &["一", "二"], 1),
        draft(
            QuestionType::Multiple,
            "乙（ ）",
            &["一", "二", "三"],
            Answer::Multiple {
                options: vec![0, 2],
            },
        ),
        draft(
            QuestionType::Judge,
            "丙",
            &[],
            Answer::Judge { correct: true },
        ),
        fill("在（ ）日内，不超过____日", &[&["15", "十五"], &["30"]]),
    ];
    for d in ok {
        assert_eq!(problems(&d), vec![], "{d:?}");
    }
}

#[test]
fn each_rule_reports_its_field_and_a_chinese_message() {
    let mut empty_stem = single(" ", &["一", "二"], 0);
    empty_stem.difficulty = 6;
    let cases: Vec<(QuestionDraft, Field, &str)> = vec![
        (empty_stem.clone(), Field::Stem, "题干为空"),
        (empty_stem, Field::Difficulty, "难度应为 1–5"),
        (
            single("甲", &["一"], 0),
            Field::Options,
            "应有 2–8 个选项，现有 1 个",
        ),
        (
            single("甲", &["1", "2", "3", "4", "5", "6", "7", "8", "9"], 0),
            Field::Options,
            "现有 9 个",
        ),
        (single("甲", &["一", ""], 0), Field::Options, "选项B为空"),
        (
            single("甲", &["一", "一。"], 0),
            Field::Options,
            "选项B与选项A相同",
        ),
        (
            single("甲", &["一", "二"], 3),
            Field::Answer,
            "答案 D 不在选项中（共 2 个选项）",
        ),
        (
            draft(
                QuestionType::Multiple,
                "甲",
                &["一", "二", "三"],
                Answer::Multiple { options: vec![1] },
            ),
            Field::Answer,
            "多选题至少应有两个正确答案",
        ),
        (
            draft(
                QuestionType::Multiple,
                "甲",
                &["一", "二", "三"],
                Answer::Multiple {
                    options: vec![1, 4],
                },
            ),
            Field::Answer,
            "答案 E 不在选项中",
        ),
        (
            draft(
                QuestionType::Judge,
                "甲",
                &["对", "错"],
                Answer::Judge { correct: true },
            ),
            Field::Options,
            "判断题不应有选项",
        ),
        (
            draft(QuestionType::Judge, "甲", &[], Answer::Single { option: 0 }),
            Field::Answer,
            "答案与题型「判断」不符",
        ),
        (
            fill("在（ ）内和（ ）", &[&["15"]]),
            Field::Answer,
            "题干有 2 个空，答案有 1 个",
        ),
        (fill("没有空", &[&["15"]]), Field::Stem, "题干中没有空"),
        (
            fill("在（ ）内", &[&[]]),
            Field::Answer,
            "第 1 个空没有答案",
        ),
        (
            fill("在（ ）内", &[&["a|b"]]),
            Field::Answer,
            "不能含 | 或 /",
        ),
    ];
    for (d, field, message) in cases {
        let found = problems(&d);
        assert!(
            found
                .iter()
                .any(|(f, m)| *f == field && m.contains(message)),
            "{message}: {found:?}"
        );
    }
}

#[test]
fn csv_cells_that_excel_would_run_are_quoted_and_restored() {
    use crate::table::{csv_safe, from_csv_safe};
    for cell in ["=1+1", "+86", "-5", "@a", "'=x", "'plain", "plain", ""] {
        let safe = csv_safe(cell);
        assert!(!safe.starts_with(['=', '+', '-', '@']), "{safe}");
        assert_eq!(from_csv_safe(&safe), cell);
    }
}
