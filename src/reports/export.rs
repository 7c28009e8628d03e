//! The reports as files: .xlsx (one sheet per table, figures as numbers), .csv (one table)
//! and the annual report as readable Chinese Markdown. Tables are built once and written by
//! each format, so the files agree.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::{AnnualReport, ExamRecord, PersonLine, SessionRecord, UnitReport, UnitRow};
use crate::table;

/// A cell: text or a figure (empty when there is none, e.g. a rate over nobody).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn n(v: impl Into<f64>) -> Cell {
    Cell::Num(v.into())
}

fn opt(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Num)
}

fn int(v: i64) -> Cell {
    Cell::Num(v as f64)
}

pub struct Table {
    pub sheet: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

pub fn units_table(units: &[UnitRow]) -> Table {
    let headers = vec![
        "单位",
        "人数",
        "学时合计",
        "人均学时",
        "达标人数",
        "达标率(%)",
        "集中学法(次)",
        "法治培训班(次)",
        "应到人次",
        "实到人次",
        "到课率(%)",
        "考试(场)",
        "应考人次",
        "交卷人次",
        "通过人次",
        "参考率(%)",
        "平均分(百分制)",
        "通过率(%)",
        "有效证件",
        "90天内到期",
        "已过期",
    ];
    let rows = units
        .iter()
        .map(|u| {
            vec![
                t(format!("{}{}", "　".repeat(u.depth), u.name)),
                int(u.officials),
                n(u.study_hours),
                opt(u.study_hours_per_official),
                int(u.on_track),
                opt(u.completion_rate),
                int(u.sessions_held),
                int(u.trainings_held),
                int(u.sessions_expected),
                int(u.sessions_attended),
                opt(u.attendance_rate),
                int(u.exams_held),
                int(u.candidates),
                int(u.submitted),
                int(u.passed),
                opt(u.participation_rate),
                opt(u.average_score),
                opt(u.pass_rate),
                int(u.certificates_valid),
                int(u.certificates_expiring),
                int(u.certificates_expired),
            ]
        })
        .collect();
    Table {
        sheet: "按单位",
        headers,
        rows,
    }
}

pub fn people_table(people: &[PersonLine]) -> Table {
    let headers = vec![
        "用户名",
        "姓名",
        "单位",
        "学时",
        "要求学时",
        "必学法规完成",
        "是否达标",
        "尚缺",
        "应参加学法活动",
        "已参加",
        "考试",
        "交卷",
        "通过",
        "平均分(百分制)",
        "有效证件",
        "90天内到期",
        "已过期",
    ];
    let rows = people
        .iter()
        .map(|p| {
            vec![
                t(&p.username),
                t(&p.name),
                t(&p.unit),
                n(p.study_hours),
                n(p.required_hours),
                t(format!("{}/{}", p.laws_done, p.laws_required)),
                t(if p.on_track { "已达标" } else { "未达标" }),
                t(p.missing.join("；")),
                int(p.sessions_expected),
                int(p.sessions_attended),
                int(p.exams),
                int(p.exams_submitted),
                int(p.exams_passed),
                opt(p.average_score),
                int(p.certificates_valid),
                int(p.certificates_expiring),
                int(p.certificates_expired),
            ]
        })
        .collect();
    Table {
        sheet: "按人员",
        headers,
        rows,
    }
}

/// The annual figures, one per row: (label, value).
pub fn figures(a: &AnnualReport) -> Vec<(&'static str, Cell)> {
    vec![
        ("年度", int(i64::from(a.year))),
        (
            "单位",
            t(a.unit.clone().unwrap_or_else(|| "全部单位".into())),
        ),
        ("统计截至", t(&a.as_of)),
        ("参学人数", int(a.officials)),
        ("集中学法（含中心组学法）次数", int(a.sessions_held)),
        ("法治培训班次数", int(a.trainings_held)),
        ("学法活动到课率(%)", opt(a.session_attendance_rate)),
        ("学时合计", n(a.study_hours_total)),
        ("人均学时", opt(a.study_hours_per_official)),
        ("学法达标人数", int(a.on_track)),
        ("学法达标率(%)", opt(a.completion_rate)),
        ("考试场次", int(a.exams_held)),
        ("应考人次", int(a.candidates)),
        ("交卷人次", int(a.submitted)),
        ("参考率(%)", opt(a.participation_rate)),
        ("通过率(%)", opt(a.pass_rate)),
        ("平均分(百分制)", opt(a.average_score)),
        ("本年发放执法证", int(a.certificates_issued)),
        ("有效执法证", int(a.certificates_valid)),
        ("90天内到期", int(a.certificates_expiring)),
        ("已过期", int(a.certificates_expired)),
    ]
}

fn summary_table(a: &AnnualReport) -> Table {
    Table {
        sheet: "汇总",
        headers: vec!["项目", "数值"],
        rows: figures(a).into_iter().map(|(k, v)| vec![t(k), v]).collect(),
    }
}

fn yes_no(b: bool) -> Cell {
    t(if b { "是" } else { "否" })
}

pub fn sessions_table(sessions: &[SessionRecord]) -> Table {
    let headers = vec![
        "活动",
        "类型",
        "开始",
        "结束",
        "认定学时",
        "用户名",
        "姓名",
        "单位",
        "到场",
        "方式",
        "签到时间",
    ];
    let mut rows = Vec::new();
    for s in sessions {
        for r in &s.roster {
            rows.push(vec![
                t(&s.title),
                t(&s.kind_label),
                t(&s.starts_at),
                t(&s.ends_at),
                n(s.hours),
                t(&r.username),
                t(&r.name),
                t(&r.unit),
                yes_no(r.present),
                t(r.how.as_deref().map_or("", how_label)),
                t(r.at.clone().unwrap_or_default()),
            ]);
        }
    }
    Table {
        sheet: "学法活动台账",
        headers,
        rows,
    }
}

pub fn how_label(how: &str) -> &'static str {
    match how {
        "checkin" => "签到",
        "corrected" => "补录",
        "makeup" => "补学",
        _ => "",
    }
}

pub fn exams_table(exams: &[ExamRecord]) -> Table {
    let headers = vec![
        "考试",
        "开考",
        "满分",
        "及格分",
        "用户名",
        "姓名",
        "单位",
        "考试次数",
        "成绩",
        "是否通过",
    ];
    let mut rows = Vec::new();
    for e in exams {
        for r in &e.results {
            rows.push(vec![
                t(&e.title),
                t(&e.opens_at),
                n(e.max_score),
                n(e.pass_score),
                t(&r.username),
                t(&r.name),
                t(&r.unit),
                int(r.attempts),
                opt(r.score),
                yes_no(r.passed),
            ]);
        }
    }
    Table {
        sheet: "考试台账",
        headers,
        rows,
    }
}

pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    for tab in tables {
        let sheet = book.add_worksheet().set_name(tab.sheet)?;
        for (c, h) in tab.headers.iter().enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        for (i, row) in tab.rows.iter().enumerate() {
            let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(line, c as u16, s)?;
                    }
                    Cell::Num(v) => {
                        sheet.write_number(line, c as u16, *v)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
    }
    book.save_to_buffer()
}

/// UTF-8 with a BOM; cells a spreadsheet would run as formulas are defused.
pub fn csv(tab: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(&tab.headers)?;
    for row in &tab.rows {
        w.write_record(row.iter().map(|c| table::csv_safe(&c.text()).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

pub fn unit_report_xlsx(r: &UnitReport) -> Result<Vec<u8>, XlsxError> {
    xlsx(&[units_table(&r.units), people_table(&r.people)])
}

pub fn annual_xlsx(a: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    xlsx(&[
        summary_table(a),
        units_table(&a.units),
        sessions_table(&a.sessions),
        exams_table(&a.exams),
    ])
}
