//! The import template's columns and reading a file into rows of them: .xlsx and .csv through
//! `crate::table` (the header row names the columns, in any order), .json as an array of
//! objects with the same fields in English (or the Chinese column names).

use serde_json::Value;

use crate::bank::model::QuestionType;
use crate::bank::rules::half_width;
use crate::table::{self, Limits};

pub const TYPE: usize = 0;
pub const STEM: usize = 1;
/// 选项A … 选项H are columns `OPTION .. OPTION + 8`.
pub const OPTION: usize = 2;
pub const ANSWER: usize = 10;
pub const EXPLANATION: usize = 11;
pub const BASIS: usize = 12;
pub const DIFFICULTY: usize = 13;
pub const TAGS: usize = 14;
pub const WIDTH: usize = 15;

/// Header of each column as the template writes it, then other accepted spellings (compared
/// in half width, lower case, without spaces or a "required" star).
pub const COLUMNS: [(&str, &[&str]); WIDTH] = [
    (
        "题型",
        &["类型", "题目类型", "试题类型", "题型名称", "type", "qtype"],
    ),
    (
        "题干",
        &["题目", "试题", "题目内容", "试题内容", "问题", "stem"],
    ),
    ("选项A", &["a", "optiona", "option_a"]),
    ("选项B", &["b", "optionb", "option_b"]),
    ("选项C", &["c", "optionc", "option_c"]),
    ("选项D", &["d", "optiond", "option_d"]),
    ("选项E", &["e", "optione", "option_e"]),
    ("选项F", &["f", "optionf", "option_f"]),
    ("选项G", &["g", "optiong", "option_g"]),
    ("选项H", &["h", "optionh", "option_h"]),
    ("答案", &["正确答案", "参考答案", "标准答案", "answer"]),
    ("解析", &["答案解析", "试题解析", "解释", "explanation"]),
    (
        "依据",
        &["法律依据", "法规依据", "依据条文", "出处", "basis"],
    ),
    ("难度", &["难易程度", "难易度", "difficulty"]),
    ("标签", &["知识点", "分类", "tags", "tag"]),
];
const REQUIRED: [usize; 3] = [TYPE, STEM, ANSWER];

/// Most questions in one file, and the largest file.
pub const MAX_ROWS: usize = 100_000;
pub const MAX_FILE_BYTES: usize = 50 << 20;

const LIMITS: Limits = Limits {
    max_columns: 200,
    // Longer than any valid text (rules::MAX_TEXT_CHARS), so that a cut cell still fails.
    max_cell_chars: 20_000,
};

/// One question as read: its row (as the spreadsheet shows it; for JSON its position in the
/// array from 1) and its cells by column, trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawQuestion {
    pub row: usize,
    pub cells: [String; WIDTH],
}

/// The column a header cell names.
pub fn column_of(header: &str) -> Option<usize> {
    let h: String = header
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{feff}' | '*'))
        .collect::<String>()
        .to_lowercase();
    COLUMNS
        .iter()
        .position(|(zh, alt)| h == zh.to_lowercase() || alt.contains(&h.as_str()))
}

/// The questions of a file (.xlsx, .csv or .json). The error is for a file that cannot be
/// used at all, in Chinese.
pub fn read_file(file_name: &str, bytes: &[u8]) -> Result<Vec<RawQuestion>, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "文件超过 {} MB，请分成几个文件导入",
            MAX_FILE_BYTES >> 20
        ));
    }
    let rows = match table::extension(file_name).as_str() {
        "json" => read_json(bytes)?,
        "xlsx" | "csv" | "xls" => read_table(file_name, bytes)?,
        _ => return Err("只能导入 .xlsx、.csv 或 .json 文件".into()),
    };
    if rows.is_empty() {
        return Err("文件中没有题目".into());
    }
    Ok(rows)
}

fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<RawQuestion>, String> {
    let mut header: Option<Vec<Option<usize>>> = None;
    let mut out = Vec::new();
    let csv = table::extension(file_name) == "csv";
    table::read(file_name, bytes, LIMITS, |row, cells| {
        let Some(map) = &header else {
            header = Some(header_map(cells)?);
            return Ok(());
        };
        let mut q = RawQuestion {
            row,
            ..RawQuestion::default()
        };
        for (cell, col) in cells.iter().zip(map) {
            if let Some(col) = col {
                let cell = cell.trim();
                q.cells[*col] = if csv {
                    table::from_csv_safe(cell)
                } else {
                    cell
                }
                .to_string();
            }
        }
        if q.cells.iter().all(String::is_empty) {
            return Ok(()); // only columns we do not read are filled
        }
        if out.len() == MAX_ROWS {
            return Err(format!("题目超过 {MAX_ROWS} 道，请分成几个文件导入").into());
        }
        out.push(q);
        Ok(())
    })
    .map_err(|e: TableOrText| e.0)?;
    if header.is_none() {
        return Err("文件没有内容（第一行应为表头：题型、题干、选项A…、答案…）".into());
    }
    Ok(out)
}

/// A table error or one of ours, as text.
struct TableOrText(String);

impl From<table::TableError> for TableOrText {
    fn from(e: table::TableError) -> Self {
        TableOrText(e.0)
    }
}

impl From<String> for TableOrText {
    fn from(e: String) -> Self {
        TableOrText(e)
    }
}

/// Which cell holds which column; unknown headers are ignored.
fn header_map(cells: &[String]) -> Result<Vec<Option<usize>>, String> {
    let map: Vec<Option<usize>> = cells.iter().map(|c| column_of(c)).collect();
    for (col, (name, _)) in COLUMNS.iter().enumerate() {
        if map.iter().filter(|m| **m == Some(col)).count() > 1 {
            return Err(format!("表头中「{name}」列出现了不止一次"));
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| !map.contains(&Some(**c)))
        .map(|c| COLUMNS[*c].0)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "缺少必需的列：{}（第一行应为表头）",
            missing.join("、")
        ));
    }
    Ok(map)
}

/// `[{"type": "single", "stem": …, "options": […], "answer": "A", "explanation": …,
/// "basis": ["《信访工作条例》第二十二条"], "difficulty": 3, "tags": ["信访"]}, …]`. Other keys
/// (an export's `id`, `status`, `origin`, `version`) are ignored.
fn read_json(bytes: &[u8]) -> Result<Vec<RawQuestion>, String> {
    let text = table::decode(bytes).map_err(|e| e.0)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "JSON 格式错误（第 {} 行第 {} 列）：应为题目对象的数组",
            e.line(),
            e.column()
        )
    })?;
    let Value::Array(items) = value else {
        return Err("JSON 文件应为题目对象的数组：[{\"type\": …}, …]".into());
    };
    if items.len() > MAX_ROWS {
        return Err(format!("题目超过 {MAX_ROWS} 道，请分成几个文件导入"));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(fields) = item else {
                return Err(format!("第 {} 项不是题目对象", i + 1));
            };
            let mut q = RawQuestion {
                row: i + 1,
                ..RawQuestion::default()
            };
            for (key, value) in fields {
                let key = if key == "options" { "选项A" } else { key };
                match column_of(key) {
                    Some(OPTION) => {
                        for (n, o) in list(value).into_iter().take(8).enumerate() {
                            q.cells[OPTION + n] = o;
                        }
                    }
                    Some(ANSWER) => q.cells[ANSWER] = answer_text(value, fields),
                    Some(col) => q.cells[col] = list(value).join("；"),
                    None => {}
                }
            }
            Ok(q)
        })
        .collect()
}

/// A JSON value as strings: an array's elements, or the value alone.
fn list(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(list).collect(),
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.trim().to_string()],
        other => vec![other.to_string()],
    }
}

/// The answer as text; an array is joined by `|` for fill questions (one element per blank),
/// else written together (`["A", "B"]` → `AB`).
fn answer_text(value: &Value, fields: &serde_json::Map<String, Value>) -> String {
    let Value::Array(items) = value else {
        return list(value).join("");
    };
    let fill = fields
        .iter()
        .find(|(k, _)| column_of(k) == Some(TYPE))
        .and_then(|(_, v)| v.as_str())
        .and_then(QuestionType::parse)
        == Some(QuestionType::Fill);
    let parts: Vec<String> = items.iter().map(|v| list(v).join("/")).collect();
    parts.join(if fill { "|" } else { "" })
}
