//! What a question says about the article it tests, as search words: the content words of its
//! stem and of its correct answer, without blanks, numbering, question and function words,
//! quantities in both the forms statutes use (`15日` and `十五日`: national texts write
//! numerals, some regulations digits), and the law the stem names (`《信访工作条例》`), if any.
//! Pure.

use std::sync::LazyLock;

use regex::Regex;

use crate::bank::model::{Answer, QuestionDraft};
use crate::corpus::numerals::{parse_chinese_number, to_chinese_number};
use crate::search::tokenizer::cut_query;

/// Where a word came from; the answer says most about what the question tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Stem,
    Answer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// The same quantity in digits (`15日` for `十五日`).
    pub alt: Option<String>,
    pub source: Source,
}

/// The search material of one question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clues {
    /// Content words, stem first, each once.
    pub words: Vec<Word>,
    /// Law names the stem gives in 《…》, as written.
    pub laws: Vec<String>,
}

/// Words that ask rather than say: exam phrasing, question words and function words. Words
/// the statutes use everywhere (应当, 规定) are left to the rarity weighting.
const STOP: &[&str] = &[
    "下列",
    "以下",
    "哪些",
    "哪个",
    "哪一",
    "哪项",
    "哪种",
    "一项",
    "选项",
    "说法",
    "表述",
    "做法",
    "正确",
    "错误",
    "不正确",
    "不属于",
    "属于",
    "的是",
    "什么",
    "怎么",
    "怎样",
    "如何",
    "多少",
    "多长",
    "时间",
    "几个",
    "几日",
    "几天",
    "由谁",
    "是否",
    "是不是",
    "关于",
    "根据",
    "依照",
    "依据",
    "按照",
    "规定",
    "有关",
    "其中",
    "我们",
    "某",
    "某某",
    "应该",
    "可否",
    "能否",
    "可以",
    "以内",
    "之内",
    "内",
    "请问",
    "问",
    "题",
    "对",
    "错",
    "一个",
    "哪",
];

/// `（ ）`, `()`, `____`: blanks carry nothing to search for.
static BLANK: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(r"[（(][ \t\u{3000}\u{a0}]*[）)]|_{2,}|＿{2,}").expect("blank pattern")
});

/// `第三十一条第六项`: a cited provision is a reference, not words to find.
static PROVISION: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(r"[第笫][零〇○一二两三四五六七八九十百千0-9０-９（()）]+[编章节条款项目]")
        .expect("provision pattern")
});

static LAW: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(r"《([^《》]{2,60})》").expect("law pattern")
});

/// A number with its unit: `15日`, `三十日`, `2个月`, `5人`.
static QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(
        r"([0-9０-９]{1,6}|[零〇一二两三四五六七八九十百千]+)\s*(个工作日|工作日|日|天|个月|年|人|元|倍|小时|周)",
    )
    .expect("quantity pattern")
});

/// A quantity in numerals and in digits: `15日` → (`十五日`, `15日`).
pub fn quantity(number: &str, unit: &str) -> Option<(String, String)> {
    let ascii: String = number.chars().map(crate::bank::rules::half_width).collect();
    let n = ascii
        .parse::<u32>()
        .ok()
        .or_else(|| parse_chinese_number(number))?;
    Some((
        format!("{}{unit}", to_chinese_number(n)),
        format!("{n}{unit}"),
    ))
}

/// The content words of a text (see the module docs): (word, digits form of a quantity).
pub fn content_words(text: &str) -> Vec<(String, Option<String>)> {
    let text = BLANK.replace_all(text, " ");
    let text = LAW.replace_all(&text, " ");
    let text = PROVISION.replace_all(&text, " ");
    let mut out: Vec<(String, Option<String>)> = QUANTITY
        .captures_iter(&text)
        .filter_map(|c| quantity(&c[1], &c[2]))
        .map(|(numerals, digits)| (numerals, Some(digits)))
        .collect();
    let text = QUANTITY.replace_all(&text, " ");
    out.extend(
        cut_query(&text)
            .into_iter()
            .filter(|w| w.chars().count() >= 2 && !STOP.contains(&w.as_str()))
            .filter(|w| !w.chars().all(|c| c.is_ascii_alphanumeric()))
            .map(|w| (w, None)),
    );
    out
}

/// The texts of the correct answer: the right options, the fill answers; nothing for 判断
/// (its answer is 对 or 错).
pub fn answer_texts(draft: &QuestionDraft) -> Vec<String> {
    match &draft.answer {
        Answer::Single { option } => draft.options.get(*option).cloned().into_iter().collect(),
        Answer::Multiple { options } => options
            .iter()
            .filter_map(|i| draft.options.get(*i).cloned())
            .collect(),
        Answer::Fill { blanks } => blanks.iter().filter_map(|b| b.first().cloned()).collect(),
        Answer::Judge { .. } => Vec::new(),
    }
}

/// The clues of a question: its stem and its correct answer. Wrong options are left out: they
/// are written to look like the law and would pull in the articles they imitate.
pub fn clues(draft: &QuestionDraft) -> Clues {
    let mut out = Clues {
        laws: LAW
            .captures_iter(&draft.stem)
            .map(|c| c[1].trim().to_string())
            .collect(),
        ..Clues::default()
    };
    let mut add = |text: &str, source: Source| {
        for (w, alt) in content_words(text) {
            if !out.words.iter().any(|x| x.text == w) {
                out.words.push(Word {
                    text: w,
                    alt,
                    source,
                });
            }
        }
    };
    add(&draft.stem, Source::Stem);
    for a in answer_texts(draft) {
        add(&a, Source::Answer);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::model::{Origin, QuestionType};

    fn single(stem: &str, options: &[&str], right: usize) -> QuestionDraft {
        QuestionDraft {
            qtype: QuestionType::Single,
            stem: stem.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            answer: Answer::Single { option: right },
            explanation: "根据《信访工作条例》第二十二条".into(),
            basis: Vec::new(),
            difficulty: 2,
            tags: Vec::new(),
            origin: Origin::Imported,
        }
    }

    fn texts(c: &Clues) -> Vec<&str> {
        c.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn question_words_blanks_and_numbering_are_dropped_and_numbers_become_chinese() {
        let d = single(
            "信访部门收到信访事项，应当在多少日内分别处理？（ ）",
            &["5日", "15日"],
            1,
        );
        let c = clues(&d);
        let words = texts(&c);
        assert!(
            words.contains(&"信访部门") || words.contains(&"信访"),
            "{words:?}"
        );
        let fifteen = c
            .words
            .iter()
            .find(|w| w.text == "十五日")
            .expect("the answer's quantity");
        assert_eq!(fifteen.alt.as_deref(), Some("15日"));
        assert_eq!(fifteen.source, Source::Answer);
        for gone in ["多少", "应当在多少日内", "五日", "5日", "（", "）"] {
            assert!(!words.contains(&gone), "{gone} in {words:?}");
        }
        let answer: Vec<&str> = c
            .words
            .iter()
            .filter(|w| w.source == Source::Answer)
            .map(|w| w.text.as_str())
            .collect();
        assert!(
            !answer.is_empty(),
            "the right option gives words: {words:?}"
        );
    }

    #[test]
    fn the_law_named_in_the_stem_is_a_hint_not_a_search_word() {
        let d = single(
            "依照《信访工作条例》第三十一条第六项，下列做法正确的是：",
            &["经本机关负责人批准延长办理期限", "终止办理"],
            0,
        );
        let c = clues(&d);
        assert_eq!(c.laws, vec!["信访工作条例".to_string()]);
        let words = texts(&c);
        assert!(
            !words.iter().any(|w| w.contains("条例") || w.contains("第")),
            "{words:?}"
        );
        assert!(
            words.contains(&"延长"),
            "the answer's words count: {words:?}"
        );
        assert!(
            !words.contains(&"终止"),
            "wrong options are left out: {words:?}"
        );
    }

    #[test]
    fn the_explanation_is_never_read_and_judge_answers_add_nothing() {
        let mut d = single("行政机关作出罚款决定前应当告知当事人", &[], 0);
        d.qtype = QuestionType::Judge;
        d.answer = Answer::Judge { correct: true };
        let c = clues(&d);
        assert!(c.laws.is_empty(), "the explanation's 《…》 is not a hint");
        assert!(c.words.iter().all(|w| w.source == Source::Stem));
        assert!(texts(&c).contains(&"罚款"));
    }

    #[test]
    fn quantities_are_read_in_both_forms_the_statutes_use() {
        let q = |n: &str, u: &str| quantity(n, u);
        assert_eq!(q("60", "日"), Some(("六十日".into(), "60日".into())));
        assert_eq!(q("１５", "日"), Some(("十五日".into(), "15日".into())));
        assert_eq!(q("三十", "日"), Some(("三十日".into(), "30日".into())));
        let words = content_words("延长期限不得超过30日，五人以上");
        assert!(
            words.contains(&("三十日".into(), Some("30日".into()))),
            "{words:?}"
        );
        assert!(
            words.contains(&("五人".into(), Some("5人".into()))),
            "{words:?}"
        );
    }
}
