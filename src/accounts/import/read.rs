//! Reading an uploaded roster into rows of five cells, whatever its format: .xlsx through
//! calamine, .csv in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 as Excel saves it
//! on Chinese Windows. Pure and synchronous; the caller runs it on the blocking pool.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, Xlsx};

use super::{COLUMNS, MAX_ROWS, REQUIRED};
use crate::accounts::AccountsError;

/// Most bytes an .xlsx may unpack to. A sheet of `MAX_ROWS` rows is a few MB; this stops zip
/// bombs, which a 50 MB upload could otherwise expand to many GB.
const MAX_UNPACKED: u64 = 200 << 20;
/// Cells past this column are ignored, and cell text past this length is cut: longer values
/// fail validation anyway, this only bounds memory and the text echoed in reports.
const MAX_COLUMNS: usize = 200;
const MAX_CELL_CHARS: usize = 1000;

const NOT_XLSX: &str = "文件不是有效的 Excel (.xlsx) 文件";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound file: an old .xls, or an .xlsx saved with a password.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// One data row: its number as the spreadsheet shows it, and the cells of `COLUMNS` in order
/// (trimmed; empty when the column is absent).
pub(super) struct RawRow {
    pub row: usize,
    pub cells: [String; 5],
}

fn file_error(message: impl Into<String>) -> AccountsError {
    AccountsError::validation("文件", message)
}

/// The data rows of a file, chosen by its extension and checked against its content.
pub(super) fn read_file(file_name: &str, bytes: &[u8]) -> Result<Vec<RawRow>, AccountsError> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mut rows = Rows::default();
    match ext.as_str() {
        "xls" => {
            return Err(file_error(
                "不支持旧版 Excel (.xls) 文件，请在 Excel 中另存为 .xlsx 后再导入",
            ));
        }
        "xlsx" | "csv" if bytes.is_empty() => return Err(file_error("文件为空")),
        "xlsx" => read_xlsx(bytes, &mut rows)?,
        "csv" => read_csv(bytes, &mut rows)?,
        _ => return Err(file_error("只能导入 .xlsx 或 .csv 文件")),
    }
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

fn read_csv(bytes: &[u8], rows: &mut Rows) -> Result<(), AccountsError> {
    if bytes.starts_with(ZIP_MAGIC) {
        return Err(file_error(
            "文件实际是 Excel (.xlsx) 格式，请把扩展名改为 .xlsx",
        ));
    }
    let text = decode(bytes)?;
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = match (
        first_line.contains(','),
        first_line.contains('\t'),
        first_line.contains(';'),
    ) {
        (false, true, _) => b'\t',
        (false, false, true) => b';',
        _ => b',',
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Row numbers count records, as Excel shows a CSV (csv skips fully empty lines).
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|_| file_error(format!("CSV 格式错误（第 {} 行附近）", i + 1)))?;
        let cells: Vec<String> = record.iter().take(MAX_COLUMNS).map(cut).collect();
        rows.push(i + 1, &cells)?;
    }
    Ok(())
}

/// Text by BOM (UTF-8, UTF-16); without one UTF-8 if it is valid, else GB18030 (a superset of
/// GBK and GB2312), which is what Excel on Chinese Windows writes for "CSV".
fn decode(bytes: &[u8]) -> Result<String, AccountsError> {
    let (encoding, bom) =
        encoding_rs::Encoding::for_bom(bytes).unwrap_or(match std::str::from_utf8(bytes) {
            Ok(_) => (encoding_rs::UTF_8, 0),
            Err(_) => (encoding_rs::GB18030, 0),
        });
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
        .map(|text| text.into_owned())
        .ok_or_else(|| file_error("无法识别文件编码，请另存为 UTF-8 或 GB18030（GBK）编码的 CSV"))
}

fn read_xlsx(bytes: &[u8], rows: &mut Rows) -> Result<(), AccountsError> {
    if bytes.starts_with(CFB_MAGIC) {
        return Err(file_error(
            "文件是旧版 Excel (.xls) 格式或设有打开密码，请取消密码并另存为 .xlsx",
        ));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(file_error(NOT_XLSX));
    }
    check_unpacked(bytes)?;
    let bad = |_| file_error(NOT_XLSX);
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let sheet = book
        .sheets_metadata()
        .iter()
        .find(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .ok_or_else(|| file_error("文件中没有工作表"))?;
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(bad)?;
    // Cells arrive row by row; positions are 0-based, Excel shows rows from 1.
    let (mut current, mut row) = (None, Vec::new());
    while let Some(cell) = cells.next_cell().map_err(bad)? {
        let (r, c) = cell.get_position();
        if current != Some(r) {
            if let Some(prev) = current {
                rows.push(prev as usize + 1, &std::mem::take(&mut row))?;
            }
            current = Some(r);
        }
        let c = c as usize;
        if c < MAX_COLUMNS {
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = cell_text(cell.get_value());
        }
    }
    if let Some(prev) = current {
        rows.push(prev as usize + 1, &row)?;
    }
    Ok(())
}

/// Unpacks every member once, counting, before calamine sees the file: calamine keeps the
/// shared strings in memory and reserves room for the count the file declares, so both the
/// unpacked size and that count must be bounded first.
fn check_unpacked(bytes: &[u8]) -> Result<(), AccountsError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| file_error(NOT_XLSX))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut member = zip.by_index(i).map_err(|_| file_error(NOT_XLSX))?;
        let name = member.name().map_err(|_| file_error(NOT_XLSX))?;
        let shared_strings = name.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let mut head = Vec::new();
        let mut size = (&mut member)
            .take(64 << 10)
            .read_to_end(&mut head)
            .map_err(|_| file_error(NOT_XLSX))? as u64;
        let left = MAX_UNPACKED.saturating_sub(total + size) + 1;
        size += std::io::copy(&mut (&mut member).take(left), &mut std::io::sink())
            .map_err(|_| file_error(NOT_XLSX))?;
        total += size;
        if total > MAX_UNPACKED {
            return Err(file_error(format!(
                "文件解压后超过 {} MB，请分成几个文件导入",
                MAX_UNPACKED >> 20
            )));
        }
        // Each <si> entry takes more than 8 bytes; a larger count is a lie.
        if shared_strings && declared_count(&head).is_none_or(|n| n > size / 8) {
            return Err(file_error(NOT_XLSX));
        }
    }
    Ok(())
}

/// The `uniqueCount` of `<sst>`, for which calamine reserves room up front: 0 when absent;
/// None when the tag is not within `head` or the value is not a plain number.
fn declared_count(head: &[u8]) -> Option<u64> {
    let head = String::from_utf8_lossy(head);
    let is_sst = |i: usize| {
        let name = head[i + 1..]
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next();
        name.and_then(|n| n.rsplit(':').next()) == Some("sst")
    };
    let start = head
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| is_sst(i))?;
    let tag = &head[start..start + head[start..].find('>')?];
    let Some(at) = tag.find("uniqueCount") else {
        return Some(0);
    };
    let value = tag[at + "uniqueCount".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    value
        .strip_prefix(['"', '\''])?
        .split(['"', '\''])
        .next()?
        .parse()
        .ok()
}

fn cell_text(v: &DataRef<'_>) -> String {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => cut(s),
        DataRef::SharedString(s) => cut(s),
        DataRef::Int(i) => i.to_string(),
        // Employee and phone numbers typed into Excel arrive as floats: 13800000000.0.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// At most `MAX_CELL_CHARS` characters, copied (a shared string may be referenced by every cell).
fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => s[..end].to_string(),
        None => s.to_string(),
    }
}
