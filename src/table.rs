//! Reading uploaded tables, whatever their format: .xlsx through calamine (guarded against zip
//! bombs and lying shared-string counts), .csv in UTF-8 (with or without BOM), UTF-16 with BOM,
//! or GB18030 as Excel saves it on Chinese Windows. Shared by the user import and the question
//! bank import; each maps header names to its own columns. Pure and synchronous: callers run it
//! on the blocking pool.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, Xlsx};

/// A file that cannot be read as a table; the message is Chinese, for the person uploading it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TableError(pub String);

fn file_error(message: impl Into<String>) -> TableError {
    TableError(message.into())
}

/// Bounds on what is kept of each row.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Cells past this column are ignored.
    pub max_columns: usize,
    /// Cell text past this many characters is cut: longer values must fail the caller's
    /// validation anyway, this only bounds memory and the text echoed in reports.
    pub max_cell_chars: usize,
}

/// Most bytes an .xlsx may unpack to. A sheet of tens of thousands of rows is a few tens of MB;
/// this stops zip bombs, which a 50 MB upload could otherwise expand to many GB.
const MAX_UNPACKED: u64 = 200 << 20;

const NOT_XLSX: &str = "文件不是有效的 Excel (.xlsx) 文件";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound file: an old .xls, or an .xlsx saved with a password.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// The lower-case extension of a file name (`""` without one).
pub fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Reads a file chosen by its extension (checked against its content) and hands every row to
/// `on_row` with its number as the spreadsheet shows it (from 1). Rows whose cells are all blank
/// are skipped; cells are not trimmed.
pub fn read<E: From<TableError>>(
    file_name: &str,
    bytes: &[u8],
    limits: Limits,
    mut on_row: impl FnMut(usize, &[String]) -> Result<(), E>,
) -> Result<(), E> {
    let mut push = |row: usize, cells: &[String]| {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        on_row(row, cells)
    };
    match extension(file_name).as_str() {
        "xls" => Err(file_error(
            "不支持旧版 Excel (.xls) 文件，请在 Excel 中另存为 .xlsx 后再导入",
        ))?,
        "xlsx" | "csv" if bytes.is_empty() => Err(file_error("文件为空"))?,
        "xlsx" => read_xlsx(bytes, limits, &mut push),
        "csv" => read_csv(bytes, limits, &mut push),
        _ => Err(file_error("只能导入 .xlsx 或 .csv 文件"))?,
    }
}

/// Every non-blank row of a file: its number as the spreadsheet shows it and its cells.
pub fn read_table(
    file_name: &str,
    bytes: &[u8],
    limits: Limits,
) -> Result<Vec<(usize, Vec<String>)>, TableError> {
    let mut rows = Vec::new();
    read(file_name, bytes, limits, |row, cells| {
        rows.push((row, cells.to_vec()));
        Ok::<(), TableError>(())
    })?;
    Ok(rows)
}

fn read_csv<E: From<TableError>>(
    bytes: &[u8],
    limits: Limits,
    push: &mut impl FnMut(usize, &[String]) -> Result<(), E>,
) -> Result<(), E> {
    if bytes.starts_with(ZIP_MAGIC) {
        Err(file_error(
            "文件实际是 Excel (.xlsx) 格式，请把扩展名改为 .xlsx",
        ))?;
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
        let cells: Vec<String> = record
            .iter()
            .take(limits.max_columns)
            .map(|s| cut(s, limits))
            .collect();
        push(i + 1, &cells)?;
    }
    Ok(())
}

/// Text by BOM (UTF-8, UTF-16); without one UTF-8 if it is valid, else GB18030 (a superset of
/// GBK and GB2312), which is what Excel on Chinese Windows writes for "CSV".
pub fn decode(bytes: &[u8]) -> Result<String, TableError> {
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

fn read_xlsx<E: From<TableError>>(
    bytes: &[u8],
    limits: Limits,
    push: &mut impl FnMut(usize, &[String]) -> Result<(), E>,
) -> Result<(), E> {
    if bytes.starts_with(CFB_MAGIC) {
        Err(file_error(
            "文件是旧版 Excel (.xls) 格式或设有打开密码，请取消密码并另存为 .xlsx",
        ))?;
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        Err(file_error(NOT_XLSX))?;
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
                push(prev as usize + 1, &std::mem::take(&mut row))?;
            }
            current = Some(r);
        }
        let c = c as usize;
        if c < limits.max_columns {
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = cell_text(cell.get_value(), limits);
        }
    }
    if let Some(prev) = current {
        push(prev as usize + 1, &row)?;
    }
    Ok(())
}

/// Unpacks every member once, counting, before calamine sees the file: calamine keeps the
/// shared strings in memory and reserves room for the count the file declares, so both the
/// unpacked size and that count must be bounded first.
fn check_unpacked(bytes: &[u8]) -> Result<(), TableError> {
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

fn cell_text(v: &DataRef<'_>, limits: Limits) -> String {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => cut(s, limits),
        DataRef::SharedString(s) => cut(s, limits),
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

/// At most `max_cell_chars` characters, copied (a shared string may be referenced by every cell).
fn cut(s: &str, limits: Limits) -> String {
    match s.char_indices().nth(limits.max_cell_chars) {
        Some((end, _)) => s[..end].to_string(),
        None => s.to_string(),
    }
}

/// Characters that make Excel read a CSV cell as a formula (and the quote that escapes them).
const FORMULA_START: [char; 5] = ['=', '+', '-', '@', '\''];

/// A cell for a CSV file that Excel will open: text starting with `=`, `+`, `-` or `@` would be
/// run as a formula, so it gets a leading `'` (as does text starting with `'`), which
/// `from_csv_safe` removes again.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Undoes `csv_safe`: drops a `'` that precedes `=`, `+`, `-`, `@` or `'`.
pub fn from_csv_safe(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}
