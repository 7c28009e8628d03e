//! The downloadable import template: sheet 题目 with only the header row, sheet 说明 explaining
//! every column, sheet 示例 with one example of each type. Cells are written as strings, never
//! formulas. Templates before issue 7 had the examples on the data sheet, where an admin who
//! filled in below them imported them too, so the importer refuses them (`is_example`).

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::columns::{COLUMNS, MAX_ROWS, RawQuestion};
use crate::bank::BankError;

/// The template's example rows (题型 … 标签), on its sheet 示例.
pub(crate) const EXAMPLES: [[&str; 15]; 4] = [
    [
        "单选",
        "根据《信访工作条例》，信访部门收到信访事项，应当予以登记，并区分情况，在（ ）内分别按照规定方式处理。",
        "7日",
        "10日",
        "15日",
        "30日",
        "",
        "",
        "",
        "",
        "C",
        "《信访工作条例》第二十二条规定为15日。",
        "《信访工作条例》第二十二条",
        "2",
        "信访/办理期限",
    ],
    [
        "多选",
        "根据《信访工作条例》，信访人对信访处理意见不服的，下列说法正确的有（ ）。",
        "可以自收到书面答复之日起30日内请求复查",
        "向原办理机关、单位的上一级机关、单位请求复查",
        "复查机关应当自收到复查请求之日起30日内提出复查意见",
        "只能向人民法院起诉",
        "",
        "",
        "",
        "",
        "ABC",
        "见《信访工作条例》第三十五条。",
        "《信访工作条例》第三十五条",
        "3",
        "信访/复查",
    ],
    [
        "判断",
        "对依照职责属于本级机关处理决定的信访事项，信访部门应当转送有权处理的机关、单位。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "对",
        "《信访工作条例》第二十二条第一项。",
        "《信访工作条例》第二十二条",
        "1",
        "信访",
    ],
    [
        "填空",
        "对《信访工作条例》第三十一条第六项规定的信访事项，应当自受理之日起（ ）日内办结；情况复杂的，延长期限不得超过（ ）日。",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "60/六十|30/三十",
        "《信访工作条例》第三十四条。",
        "《信访工作条例》第三十四条",
        "3",
        "信访/办理期限",
    ],
];

/// Whether a row is exactly one of the template's examples (every cell, trimmed): a row left
/// over from an old template, or copied from the sheet 示例.
pub(crate) fn is_example(raw: &RawQuestion) -> bool {
    EXAMPLES
        .iter()
        .any(|example| example.iter().zip(&raw.cells).all(|(e, c)| c.trim() == *e))
}

fn internal(e: XlsxError) -> BankError {
    BankError::Internal(format!("xlsx: {e}"))
}

/// Bold header row, text-formatted columns of the given widths, frozen header.
pub(crate) fn table(
    sheet: &mut Worksheet,
    headers: &[&str],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@").set_text_wrap();
    for (c, (header, width)) in headers.iter().zip(widths).enumerate() {
        let c = c as u16; // at most a few dozen columns
        sheet.set_column_format(c, &text)?;
        sheet.set_column_width(c, *width)?;
        sheet.write_string_with_format(0, c, *header, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Widths of the template's columns.
pub(crate) const WIDTHS: [f64; 15] = [
    8.0, 50.0, 16.0, 16.0, 16.0, 16.0, 12.0, 12.0, 12.0, 12.0, 10.0, 30.0, 28.0, 6.0, 16.0,
];

/// The template: the header row (题型, 题干, 选项A … 选项H, 答案, 解析, 依据, 难度, 标签) alone,
/// a sheet 说明 explaining each column, and a sheet 示例 with one example per type.
pub fn template_xlsx() -> Result<Vec<u8>, BankError> {
    build().map_err(internal)
}

fn build() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("题目")?;
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    table(sheet, &headers, &WIDTHS)?;
    let help = book.add_worksheet().set_name("说明")?;
    table(help, &["列", "必填", "说明"], &[10.0, 6.0, 100.0])?;
    help.set_column_format(
        2,
        &Format::new().set_text_wrap().set_align(FormatAlign::Top),
    )?;
    let layout = format!(
        "第一行是表头，列名请勿修改，列的顺序可以调整，其他列会被忽略。一次最多导入 {MAX_ROWS} 道题。也可以导入 CSV 文件（UTF-8 或 GBK 编码）或 JSON 文件。"
    );
    let rows: [[&str; 3]; 12] = [
        [
            "题型",
            "是",
            "单选、多选、判断 或 填空（也可写 单选题、单项选择题、多项选择题、判断题 等）。",
        ],
        [
            "题干",
            "是",
            "题目内容。空位用（ ）或 ____ 标出；填空题有几个空，答案就要有几个。案例分析题的多个小问可写在同一题干中。",
        ],
        [
            "选项A…H",
            "选择题是",
            "单选、多选题 2–8 个选项，从选项A开始依次填写，中间不能空。判断、填空题不填。选项列都为空时，也可把选项写在题干末尾：A.甲 B.乙 C.丙。",
        ],
        [
            "答案",
            "是",
            "单选填一个字母（A）；多选填两个以上字母（ABD，也可写 A、B、D）；判断填 对 或 错（也认 √/×、正确/错误、T/F）；填空题各空答案用 | 分隔，同一空的多种写法用 / 分隔，例如「60/六十|30/三十」。",
        ],
        ["解析", "否", "答题后显示的解析。"],
        [
            "依据",
            "否",
            "题目依据的法条，写法如「《信访工作条例》第二十二条」，多条用 ； 分隔，同一法规的多条可写「《行政处罚法》第三十二条、第三十三条」。法规须已导入系统；找不到的法规或条文会提示警告，该依据不保存，题目照常导入。",
        ],
        ["难度", "否", "1（易）到 5（难）的整数，不填为 3。"],
        [
            "标签",
            "否",
            "知识点，多个用 ； 分隔，层级用 / 表示，例如「信访/办理期限」。",
        ],
        ["", "", &layout],
        [
            "",
            "",
            "任何一行有错误时默认整个文件都不导入，请按错误报告（行号、列名、问题）修改后重新导入；也可选择“跳过错误行”只导入正确的行。",
        ],
        [
            "",
            "",
            "与题库中已有题目重复（题型、题干和选项相同，不计标点、空格、空位和大小写）的题目不会重复导入，会在报告中列出。",
        ],
        [
            "",
            "",
            "“示例”表中每种题型各有一道示例题，只说明格式；请在“题目”表的表头下方填写，照抄示例的行会被拒绝导入。",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            help.write_string(r as u32 + 1, c as u16, *value)?;
        }
    }
    let examples = book.add_worksheet().set_name("示例")?;
    table(examples, &headers, &WIDTHS)?;
    for (r, example) in EXAMPLES.iter().enumerate() {
        for (c, value) in example.iter().enumerate() {
            examples.write_string(r as u32 + 1, c as u16, *value)?;
        }
    }
    book.save_to_buffer()
}
