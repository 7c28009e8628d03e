//! The 答案 column: `A`, `ABD`, `A、B、D`, `a b d`, `Ａ`, `对`/`错`/`√`/`×`/`正确`/`T`…, and fill
//! answers `甲/乙|丙` (blanks by `|`, variants of one blank by `/`); and back to text.

use crate::bank::model::{Answer, QuestionType};
use crate::bank::rules::{half_width, letter};

/// Separators between option letters: `A、B、D`, `A,B,D`, `a b d`, `A；B`.
fn is_letter_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | '、' | ';' | '.' | '。' | '/' | '|' | '和' | '&' | '+'
        )
}

/// Option letters in order of appearance (A = 0); None when anything else is there.
fn letters(text: &str) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for c in text.chars().map(half_width) {
        match c.to_ascii_uppercase() {
            l @ 'A'..='Z' => out.push((l as u8 - b'A') as usize),
            c if is_letter_separator(c) => {}
            _ => return None,
        }
    }
    Some(out)
}

/// `对`, `√`, `正确`, `T`, `true`, `是` … → true; `错`, `×`, `错误`, `F`, `false`, `否` … → false.
pub fn judge_word(text: &str) -> Option<bool> {
    let t: String = text
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '。' | '.' | '!' | '！'))
        .collect::<String>()
        .to_lowercase();
    match t.as_str() {
        "对" | "√" | "✓" | "✔" | "正确" | "是" | "t" | "true" | "y" | "yes" | "v" | "1" => {
            Some(true)
        }
        "错" | "×" | "✗" | "✘" | "╳" | "x" | "错误" | "否" | "f" | "false" | "n" | "no" | "0" => {
            Some(false)
        }
        _ => None,
    }
}

/// Reads an answer for a question of type `qtype` with these options; `blanks` is the number
/// of blanks in the stem (fill questions). The message says what was not understood.
pub fn parse(
    qtype: QuestionType,
    text: &str,
    options: &[String],
    blanks: usize,
) -> Result<Answer, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("答案为空".into());
    }
    match qtype {
        QuestionType::Single => {
            let found = letters(text).or_else(|| option_named(text, options).map(|i| vec![i]));
            match found.as_deref() {
                Some([one]) => Ok(Answer::Single { option: *one }),
                Some([]) | None => Err(format!(
                    "无法识别答案「{text}」（单选题应填一个字母，如 A）"
                )),
                Some(_) => Err(format!("单选题只能有一个答案，现为「{text}」")),
            }
        }
        QuestionType::Multiple => {
            let mut found = letters(text).ok_or_else(|| {
                format!("无法识别答案「{text}」（多选题应填字母，如 ABD 或 A、B、D）")
            })?;
            found.sort_unstable();
            found.dedup();
            Ok(Answer::Multiple { options: found })
        }
        QuestionType::Judge => judge_word(text)
            .or_else(|| {
                // `A` where the options are 正确 / 错误.
                let [i] = letters(text)?[..] else { return None };
                judge_word(options.get(i)?)
            })
            .map(|correct| Answer::Judge { correct })
            .ok_or_else(|| format!("判断题答案应为「对」或「错」，现为「{text}」")),
        QuestionType::Fill => Ok(Answer::Fill {
            blanks: split_blanks(text, blanks)
                .into_iter()
                .map(|b| {
                    b.split(['/', '／'])
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(String::from)
                        .collect()
                })
                .collect(),
        }),
    }
}

/// The answer typed out as an option's text instead of its letter.
fn option_named(text: &str, options: &[String]) -> Option<usize> {
    let key = crate::bank::rules::normalise(text);
    options
        .iter()
        .position(|o| !key.is_empty() && crate::bank::rules::normalise(o) == key)
}

/// Blanks are separated by `|`. Banks that wrote several blanks' answers with `；`, `，`, `、` or
/// spaces are understood when that separator gives exactly as many parts as the stem has
/// blanks.
fn split_blanks(text: &str, blanks: usize) -> Vec<&str> {
    if text.contains(['|', '｜']) || blanks < 2 {
        return text.split(['|', '｜']).map(str::trim).collect();
    }
    let separators: [&[char]; 4] = [&['；', ';'], &['，', ','], &['、'], &[' ', '\u{3000}']];
    for sep in separators {
        let parts: Vec<&str> = text
            .split(sep)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() == blanks {
            return parts;
        }
    }
    vec![text]
}

/// The answer as the 答案 column writes it: `A`, `ABD`, `对`/`错`, `甲/乙|丙`.
pub fn format(answer: &Answer) -> String {
    match answer {
        Answer::Single { option } => letter(*option).to_string(),
        Answer::Multiple { options } => options.iter().map(|i| letter(*i)).collect(),
        Answer::Judge { correct } => if *correct { "对" } else { "错" }.to_string(),
        Answer::Fill { blanks } => blanks
            .iter()
            .map(|v| v.join("/"))
            .collect::<Vec<_>>()
            .join("|"),
    }
}
