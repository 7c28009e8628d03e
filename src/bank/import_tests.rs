//! Reading messy rows: every accepted spelling and every rejected row (pure; the database
//! side is in tests/api/bank).

use super::import::answer::{format as format_answer, judge_word, parse as parse_answer};
use super::import::basis::{BasisRef, parse as parse_basis};
use super::import::columns::{ANSWER, BASIS, OPTION, RawQuestion, STEM, TAGS, TYPE, read_file};
use super::import::row::{ParsedRow, parse_row, split_options};
use super::model::{Answer, Origin, QuestionType};

/// A row from (type, stem, options, answer), other cells empty.
fn raw(qtype: &str, stem: &str, options: &[&str], answer: &str) -> RawQuestion {
    let mut q = RawQuestion {
        row: 2,
        ..RawQuestion::default()
    };
    q.cells[TYPE] = qtype.into();
    q.cells[STEM] = stem.into();
    for (i, o) in options.iter().enumerate() {
        q.cells[OPTION + i] = o.to_string();
    }
    q.cells[ANSWER] = answer.into();
    q
}

fn parse(qtype: &str, stem: &str, options: &[&str], answer: &str) -> ParsedRow {
    parse_row(&raw(qtype, stem, options, answer), Origin::Imported)
}

fn answer_of(qtype: &str, stem: &str, options: &[&str], answer: &str) -> Answer {
    let p = parse(qtype, stem, options, answer);
    assert_eq!(p.problems, vec![], "{qtype} {answer}");
    p.draft.expect("valid row").answer
}

const ABCD: [&str; 4] = ["甲", "乙", "丙", "丁"];

#[test]
fn choice_answers_are_read_in_every_spelling() {
    for a in ["B", "b", "Ｂ", "ｂ", " B ", "B.", "乙"] {
        assert_eq!(
            answer_of("单选", "问（ ）", &ABCD, a),
            Answer::Single { option: 1 },
            "{a}"
        );
    }
    let abd = Answer::Multiple {
        options: vec![0, 1, 3],
    };
    for a in [
        "ABD",
        "A、B、D",
        "A,B,D",
        "A，B，D",
        "a b d",
        "ＡＢＤ",
        "D B A",
        "A;B;D",
        "ABDD",
    ] {
        assert_eq!(answer_of("多选", "问（ ）", &ABCD, a), abd, "{a}");
    }
}

#[test]
fn judge_answers_are_read_in_every_spelling() {
    for a in [
        "对", "√", "✓", "正确", "T", "t", "true", "TRUE", "是", "Ｔ", "对。",
    ] {
        assert_eq!(judge_word(a), Some(true), "{a}");
        assert_eq!(
            answer_of("判断", "甲", &[], a),
            Answer::Judge { correct: true }
        );
    }
    for a in ["错", "×", "✗", "错误", "F", "false", "否", "x", "Ｆ"] {
        assert_eq!(judge_word(a), Some(false), "{a}");
        assert_eq!(
            answer_of("判断", "甲", &[], a),
            Answer::Judge { correct: false }
        );
    }
    // Options 正确 / 错误 with a letter answer; the options are not kept.
    let p = parse("判断题", "甲", &["正确", "错误"], "B");
    let d = p.draft.expect("valid");
    assert_eq!(d.answer, Answer::Judge { correct: false });
    assert!(d.options.is_empty());
}

#[test]
fn types_are_read_in_every_spelling() {
    for (t, want) in [
        ("单选", QuestionType::Single),
        ("单选题", QuestionType::Single),
        ("单项选择题", QuestionType::Single),
        ("Single", QuestionType::Single),
        (" 多 选 题 ", QuestionType::Multiple),
        ("多项选择题", QuestionType::Multiple),
        ("不定项选择题", QuestionType::Multiple),
        ("判断题", QuestionType::Judge),
        ("ｊｕｄｇｅ", QuestionType::Judge),
        ("填空题", QuestionType::Fill),
    ] {
        assert_eq!(super::import::row::parse_type(t), Some(want), "{t}");
    }
}

#[test]
fn fill_answers_split_blanks_by_bar_and_variants_by_slash() {
    let a = answer_of(
        "填空",
        "在（ ）日内，不超过____日",
        &[],
        "15/十五| 30 ／三十",
    );
    let want = vec![
        vec!["15".to_string(), "十五".into()],
        vec!["30".into(), "三十".into()],
    ];
    assert_eq!(
        a,
        Answer::Fill {
            blanks: want.clone()
        }
    );
    assert_eq!(format_answer(&a), "15/十五|30/三十");
    // Without bars, a separator giving exactly the number of blanks is understood.
    let b = answer_of(
        "填空",
        "在（ ）日内，不超过（ ）日",
        &[],
        "15/十五；30/三十",
    );
    assert_eq!(b, Answer::Fill { blanks: want });
    // One blank: commas stay inside the answer.
    let c = answer_of("填空", "由（ ）负责", &[], "县级以上人民政府、信访部门");
    assert_eq!(
        c,
        Answer::Fill {
            blanks: vec![vec!["县级以上人民政府、信访部门".into()]]
        }
    );
}

#[test]
fn options_written_into_the_stem_are_split_out() {
    let (stem, options) =
        split_options("下列属于行政处罚的是（ ）A.警告 B．罚款；C、行政拘留\nD:没收违法所得")
            .expect("options");
    assert_eq!(stem, "下列属于行政处罚的是（ ）");
    assert_eq!(options, ["警告", "罚款", "行政拘留", "没收违法所得"]);
    let p = parse("单选", "问（ ）Ａ．甲Ｂ．乙Ｃ．丙", &[], "C");
    let d = p.draft.expect("valid");
    assert_eq!(d.options, ["甲", "乙", "丙"]);
    assert_eq!(d.answer, Answer::Single { option: 2 });
    // A single marker is not a list of options; a case-analysis stem stays whole.
    assert_eq!(split_options("甲公司（以下称A.公司）"), None);
    let case =
        "案情：某县市场监管局对张某作出罚款决定。\n（1）该决定的性质？\n（2）张某可以如何救济？";
    assert_eq!(split_options(case), None);
}

#[test]
fn numbered_stems_and_lettered_option_cells_are_cleaned() {
    let p = parse(
        "单选",
        "12．信访工作条例自（ ）起施行",
        &["A.2022年5月1日", "B、2022年2月25日"],
        "A",
    );
    let d = p.draft.expect("valid");
    assert_eq!(d.stem, "信访工作条例自（ ）起施行");
    assert_eq!(d.options, ["2022年5月1日", "2022年2月25日"]);
    let keep = parse("判断", "1.5倍罚款是加重处罚", &[], "错");
    assert_eq!(keep.draft.expect("valid").stem, "1.5倍罚款是加重处罚");
}

#[test]
fn difficulty_and_tags_are_read_generously() {
    let mut r = raw("判断", "甲", &[], "对");
    r.cells[13] = "较难".into();
    r.cells[TAGS] = "信访/期限；信访，复查;信访/期限".into();
    let d = parse_row(&r, Origin::Imported).draft.expect("valid");
    assert_eq!(d.difficulty, 4);
    assert_eq!(d.tags, ["信访/期限", "信访", "复查"]);
    r.cells[13] = "".into();
    assert_eq!(
        parse_row(&r, Origin::Imported)
            .draft
            .expect("valid")
            .difficulty,
        3
    );
    r.cells[13] = "６".into();
    let bad = parse_row(&r, Origin::Imported);
    assert_eq!(bad.problems[0].0, "难度");
}

#[test]
fn rejected_rows_name_the_column_and_the_problem() {
    let cases: [(RawQuestion, &str, &str); 9] = [
        (raw("问答", "甲", &[], "对"), "题型", "未知题型「问答」"),
        (raw("", "甲", &[], "对"), "题型", "题型为空"),
        (
            raw("单选", "问（ ）", &ABCD, "E"),
            "答案",
            "答案 E 不在选项中",
        ),
        (
            raw("单选", "问（ ）", &ABCD, "AB"),
            "答案",
            "单选题只能有一个答案",
        ),
        (
            raw("判断", "甲", &[], "不知道"),
            "答案",
            "判断题答案应为「对」或「错」",
        ),
        (
            raw("多选", "问（ ）", &ABCD, "C"),
            "答案",
            "多选题至少应有两个正确答案",
        ),
        (
            raw("单选", "问（ ）", &["甲"], "A"),
            "选项",
            "应有 2–8 个选项",
        ),
        (
            raw("填空", "在（ ）内和（ ）", &[], "15"),
            "答案",
            "题干有 2 个空，答案有 1 个",
        ),
        (raw("单选", "", &ABCD, "A"), "题干", "题干为空"),
    ];
    for (r, column, message) in cases {
        let p = parse_row(&r, Origin::Imported);
        assert!(p.draft.is_none(), "{message}");
        assert!(
            p.problems
                .iter()
                .any(|(c, m)| c == column && m.contains(message)),
            "{message}: {:?}",
            p.problems
        );
    }
}

fn basis(law: &str, no: u32, sub: u32) -> BasisRef {
    BasisRef {
        law: law.into(),
        article_no: no,
        article_sub: sub,
    }
}

#[test]
fn basis_cells_name_laws_and_articles_in_every_usual_way() {
    let (refs, unread) = parse_basis(
        "《信访工作条例》第二十二条；中华人民共和国行政处罚法第32条第一款、第三十三条\n根据《民法典》第一千零七十九条之一;宪法第 5 条",
    );
    assert_eq!(
        refs,
        [
            basis("信访工作条例", 22, 0),
            basis("中华人民共和国行政处罚法", 32, 0),
            basis("中华人民共和国行政处罚法", 33, 0),
            basis("民法典", 1079, 1),
            basis("宪法", 5, 0),
        ]
    );
    assert!(unread.is_empty(), "{unread:?}");
    let (refs, _) = parse_basis("《行政许可法》第十二条、《行政强制法》第九条；第十条");
    assert_eq!(
        refs,
        [
            basis("行政许可法", 12, 0),
            basis("行政强制法", 9, 0),
            basis("行政强制法", 10, 0)
        ]
    );
    let (refs, unread) = parse_basis("《信访工作条例》；第五条");
    assert!(refs.is_empty());
    assert_eq!(unread.len(), 2, "{unread:?}");
    let mut r = raw("判断", "甲", &[], "对");
    r.cells[BASIS] = "见教材".into();
    let p = parse_row(&r, Origin::Imported);
    assert!(p.draft.is_some(), "a basis problem is only a warning");
    assert_eq!(p.warnings.len(), 1);
}

#[test]
fn csv_files_in_gb18030_with_aliases_and_extra_columns_are_read() {
    let text = "序号,题目类型,试题,A,B,C,D,正确答案,答案解析,法律依据,难易程度,知识点\n\
                1,单选题,问（ ）,甲,乙,丙,丁,B,因为,《信访工作条例》第五条,2,信访\n\n\
                2,判断题,甲,,,,,√,,,,\n";
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let rows = read_file("题库.csv", &bytes).expect("readable");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[1].row, 3, "csv skips the blank line");
    assert_eq!(rows[0].cells[STEM], "问（ ）");
    assert_eq!(rows[0].cells[OPTION + 3], "丁");
    assert_eq!(rows[0].cells[BASIS], "《信访工作条例》第五条");
    assert_eq!(rows[1].cells[ANSWER], "√");
}

#[test]
fn csv_in_utf8_with_or_without_bom_and_gb18030_read_alike() {
    let text = "题型,题干,答案\n判断,信访工作坚持党的领导。,√\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let plain = read_file("a.csv", text.as_bytes()).expect("utf-8");
    assert_eq!(read_file("a.csv", &bom).expect("utf-8 with BOM"), plain);
    assert_eq!(read_file("a.csv", &gb).expect("gb18030"), plain);
    assert_eq!(plain[0].cells[STEM], "信访工作坚持党的领导。");
}

#[test]
fn unusable_files_are_refused_with_a_chinese_message() {
    let cases: [(&str, &[u8], &str); 6] = [
        ("a.txt", b"x", "只能导入 .xlsx、.csv 或 .json"),
        ("a.csv", "题干,答案\n甲,对".as_bytes(), "缺少必需的列：题型"),
        ("a.csv", "题型,题干,答案\n".as_bytes(), "没有题目"),
        ("a.json", b"{\"type\": 1}", "应为题目对象的数组"),
        ("a.json", b"[1]", "第 1 项不是题目对象"),
        ("a.json", b"[{", "JSON 格式错误"),
    ];
    for (name, bytes, message) in cases {
        let err = read_file(name, bytes).expect_err(message);
        assert!(err.contains(message), "{name}: {err}");
    }
}

#[test]
fn json_accepts_arrays_strings_and_numbers() {
    let json = r#"[{"type": "fill", "stem": "在（ ）日内，不超过（ ）日", "answer": [["15", "十五"], "30"],
        "basis": ["《信访工作条例》第二十二条", "《信访工作条例》第三十四条"], "difficulty": 2,
        "tags": "信访；期限", "id": 7, "status": "approved"},
        {"type": "多选", "stem": "问", "options": ["甲", "乙", "丙"], "answer": ["A", "C"]}]"#;
    let rows = read_file("bank.json", json.as_bytes()).expect("readable");
    assert_eq!(rows[0].cells[ANSWER], "15/十五|30");
    assert_eq!(
        rows[0].cells[BASIS],
        "《信访工作条例》第二十二条；《信访工作条例》第三十四条"
    );
    assert_eq!(rows[0].cells[13], "2");
    assert_eq!(rows[0].cells[TAGS], "信访；期限");
    assert_eq!(rows[1].cells[ANSWER], "AC");
    assert_eq!(rows[1].cells[OPTION + 2], "丙");
    assert_eq!(rows[1].row, 2);
    let a = parse_answer(QuestionType::Fill, &rows[0].cells[ANSWER], &[], 2).expect("answer");
    assert_eq!(format_answer(&a), "15/十五|30");
}
