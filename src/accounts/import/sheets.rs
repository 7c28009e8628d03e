//! The spreadsheets administrators download: the import template and the one-time passwords
//! of the users just created. Cells are written as strings, never formulas, so a name such as
//! `=HYPERLINK(…)` stays text.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{COLUMNS, CreatedUser, MAX_ROWS};
use crate::accounts::{AccountsError, Role};

/// The template's example rows (用户名, 姓名, 单位, 角色, 手机号). They are shown on the help
/// sheet 说明 only: templates before issue 7 had them on the data sheet, where an admin who
/// filled in below them imported two fake users, so the importer refuses them (`is_example`).
pub(super) const EXAMPLES: [[&str; 5]; 2] = [
    [
        "zhangsan",
        "张三",
        "柱山乡/综合行政执法大队",
        "执法人员",
        "13800000000",
    ],
    ["lisi", "李四", "柱山乡", "学员、单位管理员", ""],
];

/// Whether a row is exactly one of the template's examples (the user name in any case).
pub(super) fn is_example(cells: &[String; 5]) -> bool {
    EXAMPLES.iter().any(|example| {
        cells[0].eq_ignore_ascii_case(example[0])
            && cells[1..].iter().zip(&example[1..]).all(|(c, e)| c == e)
    })
}

fn internal(e: XlsxError) -> AccountsError {
    AccountsError::Internal(format!("xlsx: {e}"))
}

/// Bold header row; every column formatted as text, so that Excel keeps the leading zeros of
/// employee numbers and shows phone numbers whole.
fn table(sheet: &mut Worksheet, headers: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (c, (header, width)) in headers.iter().zip(widths).enumerate() {
        let c = c as u16; // at most a handful of columns
        sheet.set_column_format(c, &text)?;
        sheet.set_column_width(c, *width)?;
        sheet.write_string_with_format(0, c, *header, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The downloadable template: sheet 用户 with only the header row 用户名, 姓名, 单位, 角色, 手机号,
/// and sheet 说明 explaining each column and the role names, with two example rows.
pub fn template_xlsx() -> Result<Vec<u8>, AccountsError> {
    build_template().map_err(internal)
}

fn build_template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("用户")?;
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    table(sheet, &headers, &[16.0, 12.0, 36.0, 22.0, 16.0])?;
    let help = book.add_worksheet().set_name("说明")?;
    table(help, &["列", "必填", "说明"], &[10.0, 6.0, 90.0])?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    help.set_column_format(2, &wrap)?;
    let codes: Vec<String> = Role::ALL
        .iter()
        .map(|r| format!("{}（{}）", r.label(), r.as_str()))
        .collect();
    let roles = format!(
        "可填：{}。多个角色用 、 分隔，例如「执法人员、单位管理员」。留空即为学员；每个用户都是学员。只有系统管理员可以授予系统管理员和题库管理员角色。",
        codes.join("、")
    );
    let layout = format!(
        "第一行是表头，列名请勿修改，列的顺序可以调整，其他列会被忽略。一次最多导入 {MAX_ROWS} 行。也可以导入 CSV 文件（UTF-8 或 GBK 编码）。"
    );
    let rows = [
        [
            "用户名",
            "是",
            "登录账号：字母、数字和 . _ - @，最多 32 个字符，不区分大小写，可用工号或手机号。系统中已有的用户名会跳过，原账号不作任何修改，因此同一文件导入两次不会重复建号。",
        ],
        ["姓名", "是", "真实姓名，最多 40 个字符，不能包含 < 或 >。"],
        [
            "单位",
            "是",
            "单位的完整路径，上下级之间用 / 分隔，例如「柱山乡/综合行政执法大队」。单位须先在“单位管理”中创建（导入时选择“自动创建缺少的单位”的除外），且须在您的管理范围内。",
        ],
        ["角色", "否", &roles],
        ["手机号", "否", "数字，可含 +、- 和空格。"],
        ["", "", &layout],
        [
            "",
            "",
            "全部或全不：任何一行有错误时整个文件都不导入，请按错误报告（行号、列名、问题）修改后重新导入。导入成功后请下载初始密码表分发给本人；用户首次登录时必须修改密码。",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            help.write_string(r as u32 + 1, c as u16, *value)?;
        }
    }
    write_examples(help, rows.len() as u32 + 2, &headers)?;
    book.save_to_buffer()
}

/// The examples below the help text: a note, the column names, the example rows.
fn write_examples(help: &mut Worksheet, first: u32, headers: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    help.set_column_width(3, 18.0)?;
    help.set_column_width(4, 14.0)?;
    help.write_string_with_format(first, 0, "示例", &bold)?;
    help.write_string(
        first,
        2,
        "以下两行只说明格式，请在“用户”表的表头下方填写真实用户；照抄示例的行会被拒绝导入。",
    )?;
    for (c, header) in headers.iter().enumerate() {
        help.write_string_with_format(first + 1, c as u16, *header, &bold)?;
    }
    for (r, example) in EXAMPLES.iter().enumerate() {
        for (c, value) in example.iter().enumerate() {
            help.write_string(first + 2 + r as u32, c as u16, *value)?;
        }
    }
    Ok(())
}

/// An .xlsx of the created users and their one-time passwords, for the admin to hand out.
pub fn passwords_xlsx(created: &[CreatedUser]) -> Result<Vec<u8>, AccountsError> {
    build_passwords(created).map_err(internal)
}

fn build_passwords(created: &[CreatedUser]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("初始密码")?;
    table(
        sheet,
        &["用户名", "姓名", "单位", "初始密码", "导入文件行号"],
        &[16.0, 12.0, 36.0, 16.0, 12.0],
    )?;
    for (i, user) in created.iter().enumerate() {
        let r = i as u32 + 1; // at most MAX_ROWS rows
        sheet.write_string(r, 0, &user.username)?;
        sheet.write_string(r, 1, &user.name)?;
        sheet.write_string(r, 2, &user.unit)?;
        sheet.write_string(r, 3, &user.initial_password)?;
        sheet.write_number(r, 4, user.row as f64)?;
    }
    let note = Format::new().set_italic();
    let last = created.len() as u32 + 2;
    sheet.write_string_with_format(
        last,
        0,
        "初始密码仅供首次登录，登录后须立即修改。请妥善保管本表，分发后删除。",
        &note,
    )?;
    book.save_to_buffer()
}
