//! What makes a question well-formed, and when two questions are the same. Pure functions,
//! used by the import, by the admin API and for generated questions alike.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::model::{Answer, QuestionDraft, QuestionType};

/// Most options of a choice question (the template's 选项A … 选项H).
pub const MAX_OPTIONS: usize = 8;
/// Longest stem, explanation or option accepted, in characters. Case-analysis stems with
/// several sub-questions run to a few thousand.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The fields of a question, named as the template's columns (used in problem reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Field {
    Type,
    Stem,
    Options,
    Answer,
    Explanation,
    Basis,
    Difficulty,
    Tags,
}

impl Field {
    /// The template column: 题型, 题干, 选项, 答案, 解析, 依据, 难度, 标签.
    pub fn label(self) -> &'static str {
        match self {
            Field::Type => "题型",
            Field::Stem => "题干",
            Field::Options => "选项",
            Field::Answer => "答案",
            Field::Explanation => "解析",
            Field::Basis => "依据",
            Field::Difficulty => "难度",
            Field::Tags => "标签",
        }
    }
}

/// One thing wrong with a question, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: Field,
    pub message: String,
}

impl Problem {
    pub fn new(field: Field, message: impl Into<String>) -> Problem {
        Problem {
            field,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.field.label(), self.message)
    }
}

/// Blanks in a stem: `（ ）`, `（）`, `()`, `( )` (any spaces, full-width too) and runs of two or
/// more underscores.
static BLANK: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(r"[（(][ \t\u{3000}\u{a0}]*[）)]|_{2,}|＿{2,}").expect("blank pattern")
});

/// How many blanks a stem has.
pub fn count_blanks(stem: &str) -> usize {
    BLANK.find_iter(stem).count()
}

/// The letter of option `i`: A, B, …
pub fn letter(i: usize) -> char {
    (b'A' + (i as u8 % 26)) as char
}

/// A full-width ASCII character (`Ａ`, `，`, `１`) as its ASCII twin; the ideographic space as
/// a space. Other characters unchanged.
pub fn half_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The text duplicates are compared by: letters, digits and ideographs only, in half width and
/// lower case. Punctuation (full-width too), spaces and blanks such as `（ ）` or `____` vanish.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(half_width)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The duplicate key of a question: a hash of its type, normalised stem and, for choice
/// questions, its normalised options in any order. Options count because banks reuse generic
/// stems (`下列说法正确的是（ ）`) for many different questions; the type counts because banks
/// ask the same stem as 单选 and as 多选 with different options.
pub fn dedup_key(draft: &QuestionDraft) -> String {
    let mut text = format!("{}\u{1f}{}", draft.qtype.as_str(), normalise(&draft.stem));
    if matches!(draft.qtype, QuestionType::Single | QuestionType::Multiple) {
        let mut options: Vec<String> = draft.options.iter().map(|o| normalise(o)).collect();
        options.sort();
        for o in options {
            text.push('\u{1f}');
            text.push_str(&o);
        }
    }
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// sha-256 of an article's text, as stored with each basis.
pub fn text_hash(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// Every problem of a question (empty when it may be stored). The basis is not checked here:
/// it is resolved against the laws by the caller.
pub fn check(d: &QuestionDraft) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut bad = |field, message: String| out.push(Problem::new(field, message));
    let stem = d.stem.trim();
    if stem.is_empty() {
        bad(Field::Stem, "题干为空".into());
    } else if stem.chars().count() > MAX_TEXT_CHARS {
        bad(Field::Stem, format!("题干超过 {MAX_TEXT_CHARS} 字"));
    }
    if d.explanation.chars().count() > MAX_TEXT_CHARS {
        bad(Field::Explanation, format!("解析超过 {MAX_TEXT_CHARS} 字"));
    }
    if !(1..=5).contains(&d.difficulty) {
        bad(Field::Difficulty, "难度应为 1–5 的整数".into());
    }
    for tag in &d.tags {
        if tag.trim().is_empty() || tag.chars().count() > 50 || tag.contains(['；', ';']) {
            bad(
                Field::Tags,
                format!("标签「{tag}」无效（最多 50 字，不含分号）"),
            );
        }
    }
    let choice = matches!(d.qtype, QuestionType::Single | QuestionType::Multiple);
    if choice {
        check_options(&d.options, &mut bad);
    } else if !d.options.is_empty() {
        bad(Field::Options, format!("{}题不应有选项", d.qtype.label()));
    }
    let in_range = |i: usize| i < d.options.len();
    match (&d.answer, d.qtype) {
        (Answer::Single { option }, QuestionType::Single) => {
            if !in_range(*option) {
                bad(Field::Answer, not_an_option(&[*option], d.options.len()));
            }
        }
        (Answer::Multiple { options }, QuestionType::Multiple) => {
            let mut sorted = options.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() < 2 {
                bad(Field::Answer, "多选题至少应有两个正确答案".into());
            }
            let outside: Vec<usize> = sorted.iter().copied().filter(|i| !in_range(*i)).collect();
            if !outside.is_empty() {
                bad(Field::Answer, not_an_option(&outside, d.options.len()));
            }
        }
        (Answer::Judge { .. }, QuestionType::Judge) => {}
        (Answer::Fill { blanks }, QuestionType::Fill) => check_fill(stem, blanks, &mut bad),
        _ => bad(
            Field::Answer,
            format!("答案与题型「{}」不符", d.qtype.label()),
        ),
    }
    out
}

fn not_an_option(letters: &[usize], count: usize) -> String {
    let letters: String = letters.iter().map(|i| letter(*i)).collect();
    format!("答案 {letters} 不在选项中（共 {count} 个选项）")
}

fn check_options(options: &[String], bad: &mut impl FnMut(Field, String)) {
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        bad(
            Field::Options,
            format!(
                "选择题应有 2–{MAX_OPTIONS} 个选项，现有 {} 个",
                options.len()
            ),
        );
    }
    for (i, o) in options.iter().enumerate() {
        if o.trim().is_empty() {
            bad(Field::Options, format!("选项{}为空", letter(i)));
        } else if o.chars().count() > MAX_TEXT_CHARS {
            bad(Field::Options, format!("选项{}过长", letter(i)));
        } else if let Some(j) = options[..i]
            .iter()
            .position(|p| normalise(p) == normalise(o))
        {
            bad(
                Field::Options,
                format!("选项{}与选项{}相同", letter(i), letter(j)),
            );
        }
    }
}

fn check_fill(stem: &str, blanks: &[Vec<String>], bad: &mut impl FnMut(Field, String)) {
    let in_stem = count_blanks(stem);
    if in_stem == 0 {
        bad(
            Field::Stem,
            "填空题题干中没有空（用（ ）或 ____ 标出）".into(),
        );
    } else if in_stem != blanks.len() {
        bad(
            Field::Answer,
            format!(
                "题干有 {in_stem} 个空，答案有 {} 个（各空的答案用 | 分隔）",
                blanks.len()
            ),
        );
    }
    for (i, variants) in blanks.iter().enumerate() {
        if variants.iter().all(|v| v.trim().is_empty()) {
            bad(Field::Answer, format!("第 {} 个空没有答案", i + 1));
        }
        if variants.iter().any(|v| v.contains(['|', '/', '｜', '／'])) {
            bad(
                Field::Answer,
                format!("第 {} 个空的答案不能含 | 或 /", i + 1),
            );
        }
    }
}
