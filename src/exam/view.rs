//! What a taker sees of an attempt, and the translation between what they give (shown option
//! keys, 对/错, texts) and what grading takes (the question's own option indexes). A paper
//! view is built from `store_attempt::Shown` only, which has no key, explanation or basis;
//! a result shows those only when the exam's review rule allows.

use std::collections::HashMap;

use serde::Serialize;

use super::ExamError;
use super::grade::Response;
use super::model::format_time;
use super::points;
use super::store_attempt::{AttemptRow, ItemRow};
use super::store_version::{Key, Shown};
use crate::bank::model::{Answer, QuestionType};
use crate::corpus::numerals::article_label;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OptionView {
    /// A, B, C … in the order shown on this paper.
    pub key: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub question_id: i64,
    pub seq: i64,
    pub section: String,
    /// single, multiple, judge, fill
    #[serde(rename = "type")]
    pub qtype: String,
    pub stem: String,
    pub options: Vec<OptionView>,
    pub points: f64,
    /// What this person saved so far (null if nothing).
    pub answer: Option<Vec<String>>,
    pub flagged: bool,
}

/// An attempt's paper, as `POST /api/exams/{id}/attempts` returns it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PaperView {
    pub attempt_id: i64,
    pub exam_id: i64,
    pub title: String,
    pub attempt_no: i64,
    pub status: String,
    /// RFC 3339; the server closes the attempt then.
    pub deadline: String,
    pub deadline_unix: i64,
    pub remaining_seconds: i64,
    pub questions: Vec<QuestionView>,
}

fn letter(i: usize) -> String {
    char::from(b'A' + (i as u8).min(25)).to_string()
}

fn options_of(shown: &Shown) -> Vec<String> {
    serde_json::from_str(&shown.options).unwrap_or_default()
}

pub fn paper_view(
    a: &AttemptRow,
    title: &str,
    items: &[ItemRow],
    shown: &HashMap<i64, Shown>,
    now: i64,
) -> PaperView {
    let questions = items
        .iter()
        .filter_map(|item| {
            let s = shown.get(&item.version_id)?;
            let texts = options_of(s);
            let options = item
                .order()
                .iter()
                .enumerate()
                .filter_map(|(pos, &orig)| {
                    Some(OptionView {
                        key: letter(pos),
                        text: texts.get(orig)?.clone(),
                    })
                })
                .collect();
            Some(QuestionView {
                question_id: item.question_id,
                seq: item.seq,
                section: item.section.clone(),
                qtype: s.qtype.clone(),
                stem: s.stem.clone(),
                options,
                points: points(item.points),
                answer: item.given(),
                flagged: item.flagged != 0,
            })
        })
        .collect();
    PaperView {
        attempt_id: a.attempt_id,
        exam_id: a.exam_id,
        title: title.to_string(),
        attempt_no: a.attempt_no,
        status: a.status.clone(),
        deadline: format_time(a.deadline),
        deadline_unix: a.deadline,
        remaining_seconds: (a.deadline - now).max(0),
        questions,
    }
}

/// Checks an answer as given and returns it in its stored form (keys upper-case, 对/错).
/// An empty list clears the answer.
pub fn checked_answer(
    qtype: QuestionType,
    option_count: usize,
    given: &[String],
) -> Result<Vec<String>, ExamError> {
    if given.is_empty() {
        return Ok(Vec::new());
    }
    match qtype {
        QuestionType::Single | QuestionType::Multiple => {
            let mut keys: Vec<String> = given.iter().map(|k| k.trim().to_uppercase()).collect();
            let valid = |k: &String| (0..option_count).any(|i| letter(i) == *k);
            if let Some(bad) = keys.iter().find(|k| !valid(k)) {
                return Err(ExamError::invalid(format!("选项「{bad}」不存在")));
            }
            keys.sort();
            keys.dedup();
            if qtype == QuestionType::Single && keys.len() > 1 {
                return Err(ExamError::invalid("单选题只能选一个选项"));
            }
            Ok(keys)
        }
        QuestionType::Judge => match given {
            [one] => match one.trim() {
                "对" | "正确" | "√" | "true" => Ok(vec!["对".into()]),
                "错" | "错误" | "×" | "false" => Ok(vec!["错".into()]),
                other => Err(ExamError::invalid(format!(
                    "判断题请回答「对」或「错」，而不是「{other}」"
                ))),
            },
            _ => Err(ExamError::invalid("判断题只能有一个答案：「对」或「错」")),
        },
        QuestionType::Fill => {
            if given.len() > 20 || given.iter().any(|t| t.chars().count() > 200) {
                return Err(ExamError::invalid("填空答案过长"));
            }
            Ok(given.to_vec())
        }
    }
}

/// A stored answer as grading takes it, in the question's own option order.
pub fn response(qtype: QuestionType, order: &[usize], given: &[String]) -> Option<Response> {
    if given.is_empty() {
        return None;
    }
    match qtype {
        QuestionType::Single | QuestionType::Multiple => {
            let picked = given
                .iter()
                .filter_map(|k| {
                    (0..order.len())
                        .find(|&i| letter(i) == *k)
                        .map(|i| order[i])
                })
                .collect();
            Some(Response::Options(picked))
        }
        QuestionType::Judge => Some(Response::Judge(given[0] == "对")),
        QuestionType::Fill => Some(Response::Fill(given.to_vec())),
    }
}

/// The key in the form the taker answered in: shown keys, 对/错, or each blank's first variant.
fn key_as_shown(answer: &Answer, order: &[usize]) -> Vec<String> {
    let shown = |orig: usize| order.iter().position(|&o| o == orig).map(letter);
    match answer {
        Answer::Single { option } => shown(*option).into_iter().collect(),
        Answer::Multiple { options } => {
            let mut keys: Vec<String> = options.iter().filter_map(|o| shown(*o)).collect();
            keys.sort();
            keys
        }
        Answer::Judge { correct } => vec![if *correct { "对" } else { "错" }.into()],
        Answer::Fill { blanks } => blanks
            .iter()
            .map(|v| v.first().cloned().unwrap_or_default())
            .collect(),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BasisRef {
    /// The law version the question cites (`/laws/{law_id}`), and the article's number.
    pub law_id: i64,
    pub article_no: u32,
    pub article_sub: u32,
    pub law_title: String,
    pub article_label: String,
    pub article_text: String,
}

/// One question of a graded attempt. The per-question fields are present only when the
/// exam's review rule allows them at this moment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemResult {
    pub question_id: i64,
    pub seq: i64,
    pub answer: Option<Vec<String>>,
    pub points: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earned: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct_answer: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Vec<BasisRef>>,
}

/// `POST /api/attempts/{id}/submit`: the same for every submit of the attempt.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResultView {
    pub attempt_id: i64,
    pub exam_id: i64,
    pub status: String,
    pub score: f64,
    pub max_score: f64,
    pub passed: bool,
    pub finished_at: String,
    /// Whether keys, explanations and basis are shown (the exam's review rule).
    pub review: bool,
    pub items: Vec<ItemResult>,
}

pub type BasisMap = HashMap<i64, Vec<(i64, String, u32, u32, String)>>;

/// `keys` and `basis` are consulted only when `review` is true.
pub fn result_view(
    a: &AttemptRow,
    items: &[ItemRow],
    review: bool,
    keys: &HashMap<i64, Key>,
    basis: &BasisMap,
) -> ResultView {
    let items = items
        .iter()
        .map(|item| {
            let graded = item.graded_version_id.unwrap_or(item.version_id);
            let key = keys.get(&graded).filter(|_| review);
            ItemResult {
                question_id: item.question_id,
                seq: item.seq,
                answer: item.given(),
                points: points(item.points),
                earned: review.then(|| points(item.earned.unwrap_or(0))),
                correct: review.then(|| item.earned == Some(item.points)),
                correct_answer: key.map(|k| key_as_shown(&k.answer, &item.order())),
                explanation: key.map(|k| k.explanation.clone()),
                basis: review.then(|| {
                    basis
                        .get(&graded)
                        .map(|list| {
                            list.iter()
                                .map(|(law_id, title, no, sub, text)| BasisRef {
                                    law_id: *law_id,
                                    article_no: *no,
                                    article_sub: *sub,
                                    law_title: title.clone(),
                                    article_label: article_label(*no, *sub),
                                    article_text: text.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                }),
            }
        })
        .collect();
    ResultView {
        attempt_id: a.attempt_id,
        exam_id: a.exam_id,
        status: a.status.clone(),
        score: points(a.score.unwrap_or(0)),
        max_score: points(a.max_score),
        passed: a.passed == Some(1),
        finished_at: a.finished_at.map(format_time).unwrap_or_default(),
        review,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_keys_map_back_to_the_question_s_own_options() {
        // Shown A, B, C, D are the question's options 2, 0, 3, 1.
        let order = [2, 0, 3, 1];
        let r = response(QuestionType::Multiple, &order, &["A".into(), "D".into()]);
        assert_eq!(r, Some(Response::Options(vec![2, 1])));
        let key = Answer::Multiple {
            options: vec![1, 2],
        };
        assert_eq!(key_as_shown(&key, &order), vec!["A", "D"]);
        assert_eq!(response(QuestionType::Judge, &[], &[]), None);
    }

    #[test]
    fn answers_are_checked_against_the_question() {
        let single = |g: &[&str]| {
            let g: Vec<String> = g.iter().map(|s| s.to_string()).collect();
            checked_answer(QuestionType::Single, 4, &g)
        };
        assert_eq!(single(&["b"]).unwrap(), vec!["B"]);
        assert!(
            single(&["E"])
                .unwrap_err()
                .to_string()
                .contains("「E」不存在")
        );
        assert!(single(&["A", "B"]).is_err());
        let judge = checked_answer(QuestionType::Judge, 0, &["正确".into()]).unwrap();
        assert_eq!(judge, vec!["对"]);
        assert!(checked_answer(QuestionType::Judge, 0, &["也许".into()]).is_err());
    }
}
