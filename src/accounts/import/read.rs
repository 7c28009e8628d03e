//! Reading an uploaded roster into rows of five cells, whatever its format (see
//! `crate::table`: .xlsx, .csv in UTF-8, UTF-16 with BOM or GB18030). Pure and synchronous;
//! the caller runs it on the blocking pool.

use super::{COLUMNS, MAX_ROWS, REQUIRED};
use crate::accounts::AccountsError;
use crate::table::{self, Limits, TableError};

/// Cells past column 200 are ignored, and cell text past 1000 characters is cut: longer values
/// fail validation anyway, this only bounds memory and the text echoed in reports.
const LIMITS: Limits = Limits {
    max_columns: 200,
    max_cell_chars: 1000,
};

/// One data row: its number as the spreadsheet shows it, and the cells of `COLUMNS` in order
/// (trimmed; empty when the column is absent).
pub(super) struct RawRow {
    pub row: usize,
    pub cells: [String; 5],
}

fn file_error(message: impl Into<String>) -> AccountsError {
    AccountsError::validation("文件", message)
}

impl From<TableError> for AccountsError {
    fn from(e: TableError) -> Self {
        file_error(e.0)
    }
}

/// The data rows of a file, chosen by its extension and checked against its content.
pub(super) fn read_file(file_name: &str, bytes: &[u8]) -> Result<Vec<RawRow>, AccountsError> {
    let mut rows = Rows::default();
    table::read(file_name, bytes, LIMITS, |row, cells| rows.push(row, cells))?;
    rows.finish()
}

/// Collects rows: the first non-blank one is the header, the others data.
#[derive(Default)]
struct Rows {
    header: Option<[Option<usize>; 5]>,
    data: Vec<RawRow>,
}

impl Rows {
    fn push(&mut self, row: usize, cells: &[String]) -> Result<(), AccountsError> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        let Some(map) = &self.header else {
            self.header = Some(header_map(cells)?);
            return Ok(());
        };
        let cells: [String; 5] = std::array::from_fn(|i| {
            map[i]
                .and_then(|c| cells.get(c))
                .map_or(String::new(), |s| s.trim().to_string())
        });
        if cells.iter().all(String::is_empty) {
            return Ok(()); // only columns we do not read are filled
        }
        if self.data.len() == MAX_ROWS {
            return Err(file_error(format!(
                "数据超过 {MAX_ROWS} 行，请分成几个文件导入"
            )));
        }
        self.data.push(RawRow { row, cells });
        Ok(())
    }

    fn finish(self) -> Result<Vec<RawRow>, AccountsError> {
        match self.header {
            None => Err(file_error(
                "文件没有内容（第一行应为表头：用户名、姓名、单位、角色、手机号）",
            )),
            Some(_) if self.data.is_empty() => Err(file_error("文件只有表头，没有数据行")),
            Some(_) => Ok(self.data),
        }
    }
}

/// Which cell holds which column, by header name in any order; unknown headers are ignored.
fn header_map(cells: &[String]) -> Result<[Option<usize>; 5], AccountsError> {
    let mut map = [None; 5];
    for (i, cell) in cells.iter().enumerate() {
        // Spaces (also full-width), a BOM and a "required" star are not part of the name.
        let h: String = cell
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '\u{feff}' | '*' | '＊'))
            .collect::<String>()
            .to_lowercase();
        let Some(col) = COLUMNS
            .iter()
            .position(|(zh, en, alt)| h == *zh || h == *en || alt.contains(&h.as_str()))
        else {
            continue;
        };
        if map[col].replace(i).is_some() {
            return Err(file_error(format!(
                "表头中「{}」列出现了不止一次",
                COLUMNS[col].0
            )));
        }
    }
    let missing: Vec<&str> = (0..REQUIRED)
        .filter(|c| map[*c].is_none())
        .map(|c| COLUMNS[c].0)
        .collect();
    if !missing.is_empty() {
        return Err(file_error(format!(
            "缺少必需的列：{}（第一行应为表头）",
            missing.join("、")
        )));
    }
    Ok(map)
}
