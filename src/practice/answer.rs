//! What a person answers, as the API and the forms take it: a list of option keys (`["A"]`,
//! `["A", "C"]`), `["对"]` or `["错"]`, or one text per blank. Parsed once against the
//! question into a `grade::Response`; a malformed answer is a clear error, never a wrong one.

use super::PracticeError;
use crate::bank::model::{Answer, QuestionType};
use crate::exam::grade::Response;

/// Longest text accepted in one blank.
const MAX_BLANK: usize = 200;

/// `A`, `B`, … for option index 0, 1, …
pub fn option_key(i: usize) -> String {
    char::from_u32('A' as u32 + i as u32).map_or_else(String::new, String::from)
}

fn option_index(key: &str, options: usize) -> Option<usize> {
    let mut chars = key.trim().chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    // Full-width letters (Ａ) fold to ASCII.
    let c = match c {
        'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0)?,
        _ => c,
    }
    .to_ascii_uppercase();
    let i = (c as u32).checked_sub('A' as u32)? as usize;
    (i < options).then_some(i)
}

fn judge_value(text: &str) -> Option<bool> {
    match text.trim() {
        "对" | "正确" | "是" | "√" | "✓" | "true" | "T" => Some(true),
        "错" | "错误" | "否" | "×" | "✗" | "false" | "F" => Some(false),
        _ => None,
    }
}

/// Blanks in a fill question: as many as its key has.
pub fn blanks(key: &Answer) -> usize {
    match key {
        Answer::Fill { blanks } => blanks.len(),
        _ => 0,
    }
}

/// Parses `given` for a question of `qtype` with `options` options and this `key`.
pub fn parse(
    qtype: QuestionType,
    options: usize,
    key: &Answer,
    given: &[String],
) -> Result<Response, PracticeError> {
    let bad = |m: &str| Err(PracticeError::BadAnswer(m.to_string()));
    if given.iter().all(|g| g.trim().is_empty()) {
        return bad("请先作答");
    }
    match qtype {
        QuestionType::Single | QuestionType::Multiple => {
            let mut picked = Vec::with_capacity(given.len());
            for g in given.iter().filter(|g| !g.trim().is_empty()) {
                match option_index(g, options) {
                    Some(i) => picked.push(i),
                    None => {
                        return bad(&format!(
                            "选项“{}”不存在，请用 A–{} 作答",
                            g.trim(),
                            option_key(options.saturating_sub(1))
                        ));
                    }
                }
            }
            picked.sort_unstable();
            picked.dedup();
            if qtype == QuestionType::Single && picked.len() != 1 {
                return bad("单选题只能选一个选项");
            }
            Ok(Response::Options(picked))
        }
        QuestionType::Judge => match given {
            [one] => match judge_value(one) {
                Some(v) => Ok(Response::Judge(v)),
                None => bad("判断题请答“对”或“错”"),
            },
            _ => bad("判断题只能作答一次：“对”或“错”"),
        },
        QuestionType::Fill => {
            let n = blanks(key);
            if given.len() != n {
                return bad(&format!("本题有 {n} 个空，请逐空作答"));
            }
            if given.iter().any(|g| g.chars().count() > MAX_BLANK) {
                return bad(&format!("每空不超过 {MAX_BLANK} 字"));
            }
            Ok(Response::Fill(given.to_vec()))
        }
    }
}

/// The answer as people read it: `A、C`, `对`, `六十日；信访工作机构`.
pub fn display(response: &Response) -> String {
    match response {
        Response::Options(picked) => picked
            .iter()
            .map(|i| option_key(*i))
            .collect::<Vec<_>>()
            .join("、"),
        Response::Judge(v) => if *v { "对" } else { "错" }.to_string(),
        Response::Fill(texts) => texts.join("；"),
    }
}

/// The key in the same form as `display`, and as the API's answer list.
pub fn key_list(key: &Answer) -> Vec<String> {
    match key {
        Answer::Single { option } => vec![option_key(*option)],
        Answer::Multiple { options } => options.iter().map(|i| option_key(*i)).collect(),
        Answer::Judge { correct } => vec![if *correct { "对" } else { "错" }.to_string()],
        Answer::Fill { blanks } => blanks
            .iter()
            .map(|v| v.first().cloned().unwrap_or_default())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const SINGLE: Answer = Answer::Single { option: 1 };

    #[test]
    fn option_keys_parse_in_either_case_and_width() {
        let multi = Answer::Multiple {
            options: vec![0, 2],
        };
        assert_eq!(
            parse(QuestionType::Multiple, 4, &multi, &s(&["c", "Ａ", "A"])).unwrap(),
            Response::Options(vec![0, 2])
        );
        assert_eq!(
            parse(QuestionType::Single, 4, &SINGLE, &s(&[" b "])).unwrap(),
            Response::Options(vec![1])
        );
    }

    #[test]
    fn malformed_answers_are_errors_in_chinese() {
        let cases: [(QuestionType, &[&str]); 7] = [
            (QuestionType::Single, &["E"]),
            (QuestionType::Single, &["A", "B"]),
            (QuestionType::Single, &["AB"]),
            (QuestionType::Single, &[]),
            (QuestionType::Judge, &["也许"]),
            (QuestionType::Judge, &["对", "错"]),
            (QuestionType::Fill, &["一", "二"]),
        ];
        let fill = Answer::Fill {
            blanks: vec![vec!["60日".into()]],
        };
        for (qtype, given) in cases {
            let key = if qtype == QuestionType::Fill {
                &fill
            } else {
                &SINGLE
            };
            match parse(qtype, 4, key, &s(given)) {
                Err(PracticeError::BadAnswer(m)) => {
                    assert!(
                        m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                        "{m}"
                    )
                }
                other => panic!("{qtype:?} {given:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn judge_and_fill_answers_and_how_they_read() {
        let judge = Answer::Judge { correct: false };
        let r = parse(QuestionType::Judge, 0, &judge, &s(&["错"])).unwrap();
        assert_eq!(r, Response::Judge(false));
        assert_eq!(display(&r), "错");
        let fill = Answer::Fill {
            blanks: vec![vec!["六十日".into(), "60日".into()], vec!["机构".into()]],
        };
        let r = parse(QuestionType::Fill, 0, &fill, &s(&["60日", "机构"])).unwrap();
        assert_eq!(display(&r), "60日；机构");
        assert_eq!(key_list(&fill), ["六十日", "机构"]);
        assert_eq!(display(&Response::Options(vec![0, 2])), "A、C");
    }
}
