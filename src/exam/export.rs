//! An exam's results as a spreadsheet (.xlsx, .csv) for administrators: one row per person;
//! the workbook adds a sheet per unit with sub-units rolled up.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::results::ExamResults;
use crate::table;

const HEADERS: [&str; 8] = [
    "用户名",
    "姓名",
    "单位",
    "考试次数",
    "成绩",
    "是否及格",
    "考试中",
    "离开页面次数",
];

fn rows(r: &ExamResults) -> Vec<[String; 8]> {
    let yes_no = |b: bool| if b { "是" } else { "否" }.to_string();
    r.people
        .iter()
        .map(|p| {
            [
                p.username.clone(),
                p.name.clone(),
                p.unit.clone(),
                p.attempts.to_string(),
                p.score.map(|s| s.to_string()).unwrap_or_default(),
                yes_no(p.passed),
                yes_no(p.in_progress),
                p.events.to_string(),
            ]
        })
        .collect()
}

/// UTF-8 with a BOM (Excel on Chinese Windows opens it right); cells that a spreadsheet would
/// run as formulas are defused.
pub fn csv(r: &ExamResults) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(HEADERS)?;
    for row in rows(r) {
        w.write_record(row.iter().map(|c| table::csv_safe(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

pub fn xlsx(r: &ExamResults) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("成绩")?;
    sheet.write_string(
        0,
        0,
        format!("{}（满分 {}，及格 {}）", r.title, r.max_score, r.pass_score),
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(1, c as u16, *h)?;
    }
    for (i, row) in rows(r).iter().enumerate() {
        let line = u32::try_from(i + 2).unwrap_or(u32::MAX);
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(line, c as u16, value)?;
        }
    }
    let units = book.add_worksheet().set_name("按单位")?;
    for (c, h) in ["单位", "应考", "已开考", "已交卷", "通过"]
        .iter()
        .enumerate()
    {
        units.write_string(0, c as u16, *h)?;
    }
    for (i, u) in r.units.iter().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        // Indented by depth, so the tree reads as one.
        let name = format!("{}{}", "　".repeat(u.depth), u.name);
        units.write_string(line, 0, name)?;
        for (c, n) in [u.invited, u.started, u.submitted, u.passed]
            .iter()
            .enumerate()
        {
            units.write_number(line, c as u16 + 1, *n as f64)?;
        }
    }
    book.save_to_buffer()
}
