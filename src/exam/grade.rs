//! Grading: a pure function of a question's key and what the taker gave. Practice feedback,
//! exam submission and regrading all call it, so one key always gives one result.

use crate::bank::model::Answer;
use crate::corpus::numerals::parse_chinese_number;

/// What a taker gave, in the question's own option order (an attempt maps its shuffled keys
/// back before grading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Indexes of the options picked (single: one; multiple: any number).
    Options(Vec<usize>),
    Judge(bool),
    /// One text per blank.
    Fill(Vec<String>),
}

/// How multiple-choice questions are scored.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum MultipleRule {
    /// Full points only for exactly the right options (the national platforms' default).
    #[default]
    AllOrNothing,
    /// This share of the points (0–1) for a non-empty subset of the right options with no wrong
    /// pick; e.g. 0.5 for 少选得一半分.
    PartialSubset(f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grade {
    /// Share of the question's points earned, 0–1.
    pub credit: f64,
    /// Full credit.
    pub correct: bool,
}

impl Grade {
    const WRONG: Grade = Grade {
        credit: 0.0,
        correct: false,
    };
    const RIGHT: Grade = Grade {
        credit: 1.0,
        correct: true,
    };

    /// Points earned of `points`, rounded to hundredths so sums are stable.
    pub fn points(&self, points: f64) -> f64 {
        (points * self.credit * 100.0).round() / 100.0
    }
}

/// Grades `response` against `key`. No response, or one of another question type, earns nothing.
pub fn grade(key: &Answer, response: Option<&Response>, rule: MultipleRule) -> Grade {
    let Some(response) = response else {
        return Grade::WRONG;
    };
    match (key, response) {
        (Answer::Single { option }, Response::Options(picked)) => {
            if picked.as_slice() == [*option] {
                Grade::RIGHT
            } else {
                Grade::WRONG
            }
        }
        (Answer::Multiple { options }, Response::Options(picked)) => {
            grade_multiple(options, picked, rule)
        }
        (Answer::Judge { correct }, Response::Judge(given)) => {
            if correct == given {
                Grade::RIGHT
            } else {
                Grade::WRONG
            }
        }
        (Answer::Fill { blanks }, Response::Fill(given)) => grade_fill(blanks, given),
        _ => Grade::WRONG,
    }
}

fn grade_multiple(right: &[usize], picked: &[usize], rule: MultipleRule) -> Grade {
    let mut picked = picked.to_vec();
    picked.sort_unstable();
    picked.dedup();
    let mut right = right.to_vec();
    right.sort_unstable();
    if picked == right {
        return Grade::RIGHT;
    }
    match rule {
        MultipleRule::PartialSubset(share)
            if !picked.is_empty() && picked.iter().all(|p| right.contains(p)) =>
        {
            Grade {
                credit: share.clamp(0.0, 1.0),
                correct: false,
            }
        }
        _ => Grade::WRONG,
    }
}

/// Every blank must match one of its accepted variants after normalising; a fill question is
/// all-or-nothing, as on the platforms officials use.
fn grade_fill(blanks: &[Vec<String>], given: &[String]) -> Grade {
    if blanks.is_empty() || given.len() != blanks.len() {
        return Grade::WRONG;
    }
    let all = blanks.iter().zip(given).all(|(variants, text)| {
        let text = normalize_fill(text);
        !text.is_empty() && variants.iter().any(|v| normalize_fill(v) == text)
    });
    if all { Grade::RIGHT } else { Grade::WRONG }
}

/// The form two fill answers are compared in: full-width folded to half-width, whitespace and
/// trailing punctuation dropped, Latin lower-cased, and runs of Chinese numerals written as
/// digits (六十 = 60, 十五日 = 15日).
pub fn normalize_fill(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter_map(|c| {
            let c = fold_width(c);
            (!c.is_whitespace()).then(|| c.to_ascii_lowercase())
        })
        .collect();
    let trimmed = folded.trim_end_matches(['。', '.', '，', ',', '；', ';', '、']);
    numerals_to_digits(trimmed)
}

fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '〇'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
    )
}

fn numerals_to_digits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.is_empty() {
            return;
        }
        match parse_chinese_number(run) {
            Some(n) => out.push_str(&n.to_string()),
            None => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if is_numeral(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(blanks: &[&[&str]]) -> Answer {
        Answer::Fill {
            blanks: blanks
                .iter()
                .map(|b| b.iter().map(|s| s.to_string()).collect())
                .collect(),
        }
    }

    fn texts(given: &[&str]) -> Response {
        Response::Fill(given.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn single_and_judge_are_all_or_nothing() {
        let key = Answer::Single { option: 2 };
        let rule = MultipleRule::AllOrNothing;
        assert!(grade(&key, Some(&Response::Options(vec![2])), rule).correct);
        assert!(!grade(&key, Some(&Response::Options(vec![1])), rule).correct);
        assert!(!grade(&key, Some(&Response::Options(vec![2, 1])), rule).correct);
        assert!(!grade(&key, None, rule).correct);
        let key = Answer::Judge { correct: false };
        assert_eq!(grade(&key, Some(&Response::Judge(false)), rule).credit, 1.0);
        assert_eq!(grade(&key, Some(&Response::Judge(true)), rule).credit, 0.0);
        // A response of another type earns nothing rather than failing.
        assert_eq!(grade(&key, Some(&texts(&["错"])), rule).credit, 0.0);
    }

    #[test]
    fn multiple_choice_with_and_without_partial_credit() {
        let key = Answer::Multiple {
            options: vec![0, 2, 3],
        };
        let strict = MultipleRule::AllOrNothing;
        let half = MultipleRule::PartialSubset(0.5);
        let picked = |v: &[usize]| Response::Options(v.to_vec());
        assert!(grade(&key, Some(&picked(&[3, 0, 2])), strict).correct);
        assert_eq!(grade(&key, Some(&picked(&[0, 2])), strict).credit, 0.0);
        assert_eq!(grade(&key, Some(&picked(&[0, 2])), half).credit, 0.5);
        assert!(!grade(&key, Some(&picked(&[0, 2])), half).correct);
        // A wrong pick loses everything, and so does picking nothing.
        assert_eq!(grade(&key, Some(&picked(&[0, 1])), half).credit, 0.0);
        assert_eq!(grade(&key, Some(&picked(&[])), half).credit, 0.0);
        assert_eq!(
            grade(&key, Some(&picked(&[0, 0, 2, 3])), strict).credit,
            1.0
        );
        assert_eq!(grade(&key, Some(&picked(&[0])), half).points(2.0), 1.0);
    }

    #[test]
    fn fill_answers_match_after_normalising() {
        let key = fill(&[&["六十日", "60日"], &["信访工作机构"]]);
        let rule = MultipleRule::AllOrNothing;
        for given in [
            ["60日", "信访工作机构"],
            ["６０日", " 信访工作机构。"],
            ["六十日", "信访 工作 机构"],
        ] {
            assert!(grade(&key, Some(&texts(&given)), rule).correct, "{given:?}");
        }
        assert!(!grade(&key, Some(&texts(&["90日", "信访工作机构"])), rule).correct);
        assert!(!grade(&key, Some(&texts(&["60日"])), rule).correct);
        assert!(!grade(&key, Some(&texts(&["60日", ""])), rule).correct);
    }

    #[test]
    fn chinese_numerals_equal_digits() {
        assert_eq!(normalize_fill("六十"), "60");
        assert_eq!(normalize_fill("十五日内"), "15日内");
        assert_eq!(normalize_fill("一百二十"), "120");
        assert_eq!(normalize_fill("ＡＢＣ"), "abc");
        assert_eq!(normalize_fill("三十日，"), "30日");
        // Variants given as digits in the key match numerals given by the taker.
        let key = fill(&[&["30"]]);
        assert!(grade(&key, Some(&texts(&["三十"])), MultipleRule::AllOrNothing).correct);
    }
}
