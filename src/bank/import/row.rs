//! One row of cells → a question draft and the articles it names, or the row's problems.
//! Pure: looking the articles up in the laws is `resolve`'s job. Real banks are messy, so the
//! cells are read generously: full-width letters and punctuation, `A、B、D`, `√`/`×`, numbered
//! stems (`1．…`), option letters repeated in option cells (`A.行政拘留`), and options written
//! into the stem (`… A.甲 B.乙 C.丙`) when the option columns are empty.

use super::answer;
use super::basis::{self, BasisRef};
use super::columns::{
    ANSWER, BASIS, COLUMNS, DIFFICULTY, EXPLANATION, OPTION, RawQuestion, STEM, TAGS, TYPE,
};
use crate::bank::model::{Answer, Origin, QuestionDraft, QuestionType};
use crate::bank::rules::{self, MAX_OPTIONS, count_blanks, half_width, letter};

/// A row read: the draft (without basis) and its article references, or problems. Warnings
/// never stop a row.
#[derive(Debug, Clone)]
pub struct ParsedRow {
    pub row: usize,
    pub draft: Option<QuestionDraft>,
    pub refs: Vec<BasisRef>,
    /// (column, message)
    pub problems: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
}

/// Reads one row; `origin` is what stored questions will say they came from.
pub fn parse_row(raw: &RawQuestion, origin: Origin) -> ParsedRow {
    let c = &raw.cells;
    let mut out = ParsedRow {
        row: raw.row,
        draft: None,
        refs: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let mut problem = |col: &str, msg: String| out.problems.push((col.to_string(), msg));
    if super::template::is_example(raw) {
        let msg = "这是导入模板中的示例题，请删除该行后重新导入".to_string();
        problem(COLUMNS[STEM].0, msg);
    }
    let qtype = parse_type(&c[TYPE]);
    if qtype.is_none() {
        let msg = if c[TYPE].is_empty() {
            "题型为空（应为 单选、多选、判断 或 填空）".to_string()
        } else {
            format!("未知题型「{}」（应为 单选、多选、判断 或 填空）", c[TYPE])
        };
        problem(COLUMNS[TYPE].0, msg);
    }
    let mut stem = strip_number(&c[STEM]).to_string();
    let mut options = option_cells(c);
    let choice = matches!(qtype, Some(QuestionType::Single | QuestionType::Multiple));
    if choice
        && options.is_empty()
        && let Some((s, o)) = split_options(&stem)
    {
        stem = s;
        options = o;
    }
    let difficulty = parse_difficulty(&c[DIFFICULTY]);
    if difficulty.is_none() {
        let msg = format!("难度应为 1–5 的整数，现为「{}」", c[DIFFICULTY]);
        problem(COLUMNS[DIFFICULTY].0, msg);
    }
    let answer = qtype.map(|t| answer::parse(t, &c[ANSWER], &options, count_blanks(&stem)));
    if let Some(Err(msg)) = &answer {
        problem(COLUMNS[ANSWER].0, msg.clone());
    }
    let (refs, unread) = basis::parse(&c[BASIS]);
    for msg in unread {
        out.warnings.push((COLUMNS[BASIS].0.into(), msg));
    }
    out.refs = refs;
    let (Some(qtype), Some(Ok(answer)), Some(difficulty)) = (qtype, answer, difficulty) else {
        return out;
    };
    if matches!(qtype, QuestionType::Judge | QuestionType::Fill) && !options.is_empty() {
        // 判断 rows often carry 正确 / 错误 as options; they are not part of the question.
        if qtype == QuestionType::Fill {
            let msg = "填空题的选项已忽略".to_string();
            out.warnings.push(("选项".into(), msg));
        }
        options.clear();
    }
    let draft = QuestionDraft {
        qtype,
        stem: stem.trim().to_string(),
        options,
        answer: normalise_answer(answer),
        explanation: c[EXPLANATION].clone(),
        basis: Vec::new(),
        difficulty,
        tags: parse_tags(&c[TAGS]),
        origin,
    };
    for p in rules::check(&draft) {
        out.problems.push((p.field.label().to_string(), p.message));
    }
    if out.problems.is_empty() {
        out.draft = Some(draft);
    }
    out
}

fn normalise_answer(answer: Answer) -> Answer {
    match answer {
        Answer::Multiple { mut options } => {
            options.sort_unstable();
            options.dedup();
            Answer::Multiple { options }
        }
        other => other,
    }
}

/// `单选`, `单选题`, `单项选择题`, `Single`, `ＤＡＮ`… as a type; spaces and width ignored.
pub fn parse_type(cell: &str) -> Option<QuestionType> {
    let t: String = cell
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    QuestionType::parse(&t)
}

/// Drops a question number in front of a stem: `1．`, `12、`, `3.` (not `1.5倍`).
fn strip_number(stem: &str) -> &str {
    let stem = stem.trim();
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    if !(1..=4).contains(&digits) {
        return stem;
    }
    let rest = &stem[digits..];
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some('.' | '．' | '、'), Some(next)) if !next.is_ascii_digit() => chars_from(rest, 1),
        _ => stem,
    }
}

/// `s` without its first `n` characters, trimmed.
fn chars_from(s: &str, n: usize) -> &str {
    let at = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    s[at..].trim()
}

/// The option cells up to the last filled one (a gap stays as an empty option, which the rules
/// report), without a leading `A.` / `A、` that repeats the column's letter.
fn option_cells(cells: &[String]) -> Vec<String> {
    let mut options: Vec<String> = (0..MAX_OPTIONS)
        .map(|i| strip_letter(&cells[OPTION + i], i).to_string())
        .collect();
    while options.last().is_some_and(String::is_empty) {
        options.pop();
    }
    options
}

fn strip_letter(cell: &str, i: usize) -> &str {
    let mut chars = cell.chars().map(half_width);
    match (chars.next(), chars.next()) {
        (Some(l), Some('.' | '、' | ':' | ')')) if l.to_ascii_uppercase() == letter(i) => {
            chars_from(cell, 2)
        }
        _ => cell,
    }
}

/// `…的是（ ）A.甲 B.乙 C.丙` → (`…的是（ ）`, [甲, 乙, 丙]): markers `A.` `B、` `C：` `D）` in
/// order, each after a non-alphanumeric character; at least two.
pub fn split_options(stem: &str) -> Option<(String, Vec<String>)> {
    let chars: Vec<(usize, char)> = stem.char_indices().collect();
    // (byte offset of the letter, byte offset after the marker)
    let mut markers: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while markers.len() < MAX_OPTIONS {
        let want = letter(markers.len());
        let found = (from..chars.len()).find(|&k| {
            let c = half_width(chars[k].1).to_ascii_uppercase();
            let next = chars.get(k + 1).map(|(_, n)| half_width(*n));
            let prev = k.checked_sub(1).map(|p| half_width(chars[p].1));
            c == want
                && chars[k].1.is_alphabetic()
                && matches!(next, Some('.' | '、' | ':' | ')'))
                && !prev.is_some_and(|p| p.is_ascii_alphanumeric())
        });
        let Some(k) = found else { break };
        let end = chars.get(k + 2).map_or(stem.len(), |(i, _)| *i);
        markers.push((chars[k].0, end));
        from = k + 2;
    }
    if markers.len() < 2 {
        return None;
    }
    let body = stem[..markers[0].0].trim().to_string();
    let options = markers
        .iter()
        .enumerate()
        .map(|(i, &(_, start))| {
            let end = markers.get(i + 1).map_or(stem.len(), |m| m.0);
            stem[start..end]
                .trim()
                .trim_end_matches(['；', ';', '，', ','])
                .trim()
                .to_string()
        })
        .collect();
    Some((body, options))
}

/// 1–5, or a word (易 1, 较易 2, 中 3, 较难 4, 难 5); empty means 3.
fn parse_difficulty(cell: &str) -> Option<u8> {
    let t: String = cell.chars().map(half_width).collect();
    let t = t.trim();
    let t = t.strip_suffix(".0").unwrap_or(t);
    match t {
        "" => Some(3),
        "易" | "容易" | "简单" => Some(1),
        "较易" | "较简单" => Some(2),
        "中" | "中等" | "一般" | "适中" => Some(3),
        "较难" => Some(4),
        "难" | "困难" => Some(5),
        _ => t.parse::<u8>().ok().filter(|d| (1..=5).contains(d)),
    }
}

/// Tags separated by `；` (also `;`, `，`, `、` or new lines), without repeats.
fn parse_tags(cell: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in cell.split(['；', ';', '，', ',', '、', '\n']) {
        let t = t.trim();
        if !t.is_empty() && !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    tags
}
