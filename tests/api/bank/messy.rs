//! The messy file: every accepted spelling of a question (and what it must become), every
//! rejected row (and the column and message reported).

use xuefa::bank::model::{Answer, QuestionType};

pub const HEADER: [&str; 15] = [
    "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "选项G", "选项H", "答案",
    "解析", "依据", "难度", "标签",
];

/// A row of 15 cells: type, stem, options (up to 8), answer, basis; the rest defaulted.
pub fn row(qtype: &str, stem: &str, options: &[&str], answer: &str, basis: &str) -> Vec<String> {
    let mut r = vec![String::new(); 15];
    r[0] = qtype.into();
    r[1] = stem.into();
    for (i, o) in options.iter().enumerate() {
        r[2 + i] = o.to_string();
    }
    r[10] = answer.into();
    r[11] = "解析文字".into();
    r[12] = basis.into();
    r[13] = "2".into();
    r[14] = "信访；测试".into();
    r
}

const XF22: &str = "《信访工作条例》第二十二条";

/// A messy but valid row: what it must become (stem as stored, type, answer).
pub struct Accepted {
    pub row: Vec<String>,
    pub stem: &'static str,
    pub qtype: QuestionType,
    pub answer: Answer,
}

fn ok(row: Vec<String>, stem: &'static str, qtype: QuestionType, answer: Answer) -> Accepted {
    Accepted {
        row,
        stem,
        qtype,
        answer,
    }
}

pub fn judge(correct: bool) -> Answer {
    Answer::Judge { correct }
}

/// Every accepted spelling, one per row.
pub fn accepted() -> Vec<Accepted> {
    use QuestionType::*;
    let opts = ["7日", "10日", "15日", "30日"];
    let multi = |options: Vec<usize>| Answer::Multiple { options };
    vec![
        ok(
            row(
                "单选题",
                "1．收到信访事项，应当在（ ）内分别按照下列方式处理。",
                &["A.7日", "B.10日", "C.15日", "D.30日"],
                "Ｃ",
                XF22,
            ),
            "收到信访事项，应当在（ ）内分别按照下列方式处理。",
            Single,
            Answer::Single { option: 2 },
        ),
        ok(
            row(
                "单项选择题",
                "信访部门收到信访事项，应当予以登记，并在（　）内处理？",
                &opts,
                "ｃ",
                "信访工作条例第22条",
            ),
            "信访部门收到信访事项，应当予以登记，并在（　）内处理？",
            Single,
            Answer::Single { option: 2 },
        ),
        ok(
            row(
                "多项选择题",
                "下列属于信访工作原则的有（  ）A.坚持党的全面领导 B.坚持以人民为中心 C．坚持源头治理化解矛盾 D、一律不予受理",
                &[],
                "A、B、C",
                "《信访工作条例》第五条",
            ),
            "下列属于信访工作原则的有（  ）",
            Multiple,
            multi(vec![0, 1, 2]),
        ),
        ok(
            row(
                "多选",
                "信访工作应当遵循的原则包括（ ）",
                &[
                    "坚持党的全面领导",
                    "坚持以人民为中心",
                    "多头处理",
                    "坚持落实信访工作责任",
                ],
                "a b d",
                "《信访工作条例》第五条",
            ),
            "信访工作应当遵循的原则包括（ ）",
            Multiple,
            multi(vec![0, 1, 3]),
        ),
        ok(
            row(
                "多选题",
                "信访工作坚持的原则有哪些（ ）",
                &[
                    "坚持依法按政策解决问题",
                    "坚持以人民为中心",
                    "一律上访",
                    "坚持源头治理化解矛盾",
                ],
                "A,B,D",
                "《信访工作条例》第五条",
            ),
            "信访工作坚持的原则有哪些（ ）",
            Multiple,
            multi(vec![0, 1, 3]),
        ),
        ok(
            row(
                "判断题",
                "信访工作是党的群众工作的重要组成部分。",
                &[],
                "√",
                "《信访工作条例》第三条",
            ),
            "信访工作是党的群众工作的重要组成部分。",
            Judge,
            judge(true),
        ),
        ok(
            row(
                "判断",
                "信访工作与群众工作无关。",
                &[],
                "×",
                "《信访工作条例》第三条",
            ),
            "信访工作与群众工作无关。",
            Judge,
            judge(false),
        ),
        ok(
            row(
                "判断",
                "信访部门收到信访事项应当予以登记。",
                &[],
                "正确",
                XF22,
            ),
            "信访部门收到信访事项应当予以登记。",
            Judge,
            judge(true),
        ),
        ok(
            row(
                "判断",
                "信访部门收到信访事项可以不予登记。",
                &[],
                "错误",
                XF22,
            ),
            "信访部门收到信访事项可以不予登记。",
            Judge,
            judge(false),
        ),
        ok(
            row(
                "判断",
                "信访工作坚持党的全面领导。",
                &[],
                "T",
                "《信访工作条例》第五条",
            ),
            "信访工作坚持党的全面领导。",
            Judge,
            judge(true),
        ),
        ok(
            row(
                "判断",
                "信访工作不需要倾听群众呼声。",
                &[],
                "F",
                "《信访工作条例》第五条",
            ),
            "信访工作不需要倾听群众呼声。",
            Judge,
            judge(false),
        ),
        ok(
            row(
                "判断",
                "涉法涉诉信件应当转送同级政法部门依法处理。",
                &["正确", "错误"],
                "A",
                XF22,
            ),
            "涉法涉诉信件应当转送同级政法部门依法处理。",
            Judge,
            judge(true),
        ),
        ok(
            row(
                "填空题",
                "信访部门应当在____内处理，申诉求决类事项应当自受理之日起（　）内办结。",
                &[],
                "15日/十五日|60日/六十日",
                "《信访工作条例》第二十二条；《信访工作条例》第三十四条",
            ),
            "信访部门应当在____内处理，申诉求决类事项应当自受理之日起（　）内办结。",
            Fill,
            Answer::Fill {
                blanks: vec![
                    vec!["15日".into(), "十五日".into()],
                    vec!["60日".into(), "六十日".into()],
                ],
            },
        ),
        ok(
            row(
                "单选",
                "案例：甲到乡政府反映问题，乡政府未予登记。\n（1）乡政府的做法是否正确？\n（2）信访部门应当在多长时间内处理（ ）",
                &opts,
                "C",
                XF22,
            ),
            "案例：甲到乡政府反映问题，乡政府未予登记。\n（1）乡政府的做法是否正确？\n（2）信访部门应当在多长时间内处理（ ）",
            Single,
            Answer::Single { option: 2 },
        ),
    ]
}

/// Rows that must be rejected: the row, the column and (part of) the message.
pub fn rejected() -> Vec<(Vec<String>, &'static str, &'static str)> {
    let opts = ["7日", "10日", "15日", "30日"];
    vec![
        (
            row("问答题", "简述信访工作的原则。", &[], "略", XF22),
            "题型",
            "未知题型「问答题」",
        ),
        (
            row("单选", "信访事项的处理期限是（ ）", &opts, "E", XF22),
            "答案",
            "答案 E 不在选项中",
        ),
        (
            row("判断", "信访人可以越级上访。", &[], "可能", XF22),
            "答案",
            "判断题答案应为「对」或「错」",
        ),
        (
            row("多选", "信访处理的方式有（ ）", &opts, "B", XF22),
            "答案",
            "多选题至少应有两个正确答案",
        ),
        (
            row("单选", "只有一个选项的题（ ）", &["15日"], "A", XF22),
            "选项",
            "应有 2–8 个选项",
        ),
        (
            row(
                "填空",
                "应当在（ ）内处理，在（ ）内办结。",
                &[],
                "15日",
                XF22,
            ),
            "答案",
            "题干有 2 个空，答案有 1 个",
        ),
        (row("单选", "", &opts, "A", XF22), "题干", "题干为空"),
        // A basis that does not resolve is never dropped: the row is invalid, even when its
        // other articles resolve.
        (
            row(
                "判断",
                "本条例适用于各级机关开展信访工作。",
                &[],
                "对",
                "《不存在的条例》第一条",
            ),
            "依据",
            "未找到法规《不存在的条例》",
        ),
        (
            row(
                "判断",
                "信访工作条例共有九百条。",
                &[],
                "错",
                "《信访工作条例》第九百条",
            ),
            "依据",
            "《信访工作条例》现行版本没有第九百条",
        ),
        (
            row(
                "判断",
                "信访事项应当在规定期限内办结。",
                &[],
                "对",
                "《信访工作条例》第二十二条；第九十九条",
            ),
            "依据",
            "《信访工作条例》现行版本没有第九十九条",
        ),
    ]
}

/// The messy file: header, accepted rows, a duplicate of the first accepted row (other
/// punctuation), rejected rows. Returns the rows and the duplicate's row number.
pub fn messy_rows() -> (Vec<Vec<String>>, usize) {
    let mut rows = vec![HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    rows.extend(accepted().into_iter().map(|a| a.row));
    let mut dup = accepted().remove(0).row;
    dup[1] = "收到信访事项,应当在____内分别按照下列方式处理".into();
    rows.push(dup);
    let dup_row = rows.len();
    rows.extend(rejected().into_iter().map(|r| r.0));
    (rows, dup_row)
}
