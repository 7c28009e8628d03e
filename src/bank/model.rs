//! A question as the bank keeps it: type, stem, options, answer, explanation, and the
//! article(s) it tests (its basis).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// 单选: one right option.
    Single,
    /// 多选: two or more right options.
    Multiple,
    /// 判断: true or false.
    Judge,
    /// 填空: one or more blanks, each with accepted variants.
    Fill,
}

impl QuestionType {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::Judge => "judge",
            QuestionType::Fill => "fill",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionType::Single => "单选",
            QuestionType::Multiple => "多选",
            QuestionType::Judge => "判断",
            QuestionType::Fill => "填空",
        }
    }

    /// Accepts codes and the labels used in Chinese banks (单选题, 多项选择题, 判断题 …).
    pub fn parse(s: &str) -> Option<QuestionType> {
        let s = s.trim().trim_end_matches('题');
        match s {
            "single" | "单选" | "单项选择" | "单选择" => Some(QuestionType::Single),
            "multiple" | "多选" | "多项选择" | "不定项选择" | "不定项" => {
                Some(QuestionType::Multiple)
            }
            "judge" | "判断" | "是非" | "对错" => Some(QuestionType::Judge),
            "fill" | "填空" => Some(QuestionType::Fill),
            _ => None,
        }
    }
}

/// The right answer, by type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    /// Index (0-based) of the right option.
    Single {
        option: usize,
    },
    /// Indexes of the right options, ascending.
    Multiple {
        options: Vec<usize>,
    },
    Judge {
        correct: bool,
    },
    /// Per blank, the accepted variants (the first is canonical).
    Fill {
        blanks: Vec<Vec<String>>,
    },
}

/// One article a question tests, resolved against the imported laws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basis {
    /// The law version (`law.law_id`) the question was written or generated against.
    pub law_id: i64,
    /// The statute's title, e.g. 信访工作条例.
    pub law_title: String,
    pub article_no: u32,
    pub article_sub: u32,
    /// e.g. 第二十二条
    pub article_label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Authored,
    Imported,
    Generated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Approved,
    Retired,
}

/// The content of one version of a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionDraft {
    pub qtype: QuestionType,
    /// Fill questions mark blanks with `（ ）` or `____` in the stem.
    pub stem: String,
    /// 2–8 options for single/multiple; empty for judge and fill.
    pub options: Vec<String>,
    pub answer: Answer,
    /// 解析: why the answer is right, shown after answering.
    pub explanation: String,
    pub basis: Vec<Basis>,
    /// 1 (easy) – 5 (hard).
    pub difficulty: u8,
    /// Knowledge points, e.g. `信访/办理期限`.
    pub tags: Vec<String>,
    pub origin: Origin,
}
