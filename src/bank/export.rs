//! Exporting the bank in the import's formats, so that an export imported into an empty bank
//! gives the same questions: .xlsx and .csv with the template's columns (plus 编号, 状态, 来源,
//! which the import ignores), .json as the import's array of objects (plus `id`, `status`,
//! `origin`, `version`). The CSV is UTF-8 with a BOM, so Excel opens it correctly.

use rust_xlsxwriter::{Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::BankError;
use super::admin::{require_editor, status_label};
use super::import::basis;
use super::import::columns::{
    ANSWER, BASIS, COLUMNS, DIFFICULTY, EXPLANATION, OPTION, STEM, TAGS, TYPE, WIDTH,
};
use super::import::{answer_text, template};
use super::model::Status;
use super::store::{self, ListQuery, QuestionDetail, origin_str, status_str};
use crate::accounts::admin::Ctx;
use crate::accounts::session;
use crate::table;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Csv,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// The file name extension, which the import goes by.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Json => "application/json",
        }
    }
}

/// One question of a JSON export (and of a JSON import, which also accepts looser shapes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonQuestion {
    pub id: i64,
    #[serde(rename = "type")]
    pub qtype: String,
    pub stem: String,
    pub options: Vec<String>,
    /// As the 答案 column: `A`, `ABD`, `对`/`错`, `甲/乙|丙`.
    pub answer: String,
    pub explanation: String,
    /// `《信访工作条例》第二十二条`, one per article.
    pub basis: Vec<String>,
    pub difficulty: u8,
    pub tags: Vec<String>,
    pub status: String,
    pub origin: String,
    pub version: i64,
}

/// Extra columns of a spreadsheet export, after the template's.
const EXTRA: [&str; 3] = ["编号", "状态", "来源"];

/// Exports the questions with the given status (None: every question not retired). The
/// answer keys go with them, so only system admins and bank editors may, and every export is
/// in the audit log: who, which filter, how many questions.
#[tracing::instrument(skip_all, fields(?format))]
pub async fn export(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    format: Format,
    status: Option<Status>,
) -> Result<Vec<u8>, BankError> {
    require_editor(ctx.actor)?;
    let query = ListQuery {
        status,
        ..ListQuery::default()
    };
    let mut questions = store::current_drafts(&mut *conn, &query).await?;
    if status.is_none() {
        questions.retain(|q| q.summary.status != Status::Retired);
    }
    let count = questions.len();
    let bytes = tokio::task::spawn_blocking(move || write(format, &questions))
        .await
        .map_err(|e| BankError::Internal(e.to_string()))??;
    let filter = status.map_or("未停用的全部题目", status_label);
    let detail = format!(
        "格式 {}，范围：{filter}，共 {count} 道题",
        format.extension()
    );
    let entry = ctx.audit("questions_exported", "题库", &detail);
    session::audit(&mut *conn, &entry, ctx.now).await?;
    Ok(bytes)
}

/// The questions in a format.
pub fn write(format: Format, questions: &[QuestionDetail]) -> Result<Vec<u8>, BankError> {
    match format {
        Format::Json => {
            let items: Vec<JsonQuestion> = questions.iter().map(json_of).collect();
            serde_json::to_vec_pretty(&items).map_err(|e| BankError::Internal(e.to_string()))
        }
        Format::Csv => csv_of(questions),
        Format::Xlsx => xlsx_of(questions).map_err(|e| BankError::Internal(format!("xlsx: {e}"))),
    }
}

fn json_of(q: &QuestionDetail) -> JsonQuestion {
    let s = &q.summary;
    JsonQuestion {
        id: s.question_id,
        qtype: s.qtype.as_str().to_string(),
        stem: s.stem.clone(),
        options: q.options.clone(),
        answer: answer_text(&q.answer),
        explanation: q.explanation.clone(),
        basis: s.basis.clone(),
        difficulty: s.difficulty,
        tags: s.tags.clone(),
        status: status_str(s.status).to_string(),
        origin: origin_str(s.origin).to_string(),
        version: s.version_no,
    }
}

/// A question as template cells followed by `EXTRA`.
fn cells(q: &QuestionDetail) -> Vec<String> {
    let s = &q.summary;
    let mut c = vec![String::new(); WIDTH];
    c[TYPE] = s.qtype.label().to_string();
    c[STEM] = s.stem.clone();
    for (i, o) in q.options.iter().enumerate().take(ANSWER - OPTION) {
        c[OPTION + i] = o.clone();
    }
    c[ANSWER] = answer_text(&q.answer);
    c[EXPLANATION] = q.explanation.clone();
    let refs: Vec<(String, u32, u32)> = q
        .articles
        .iter()
        .map(|a| (a.law_title.clone(), a.article_no, a.article_sub))
        .collect();
    c[BASIS] = basis::format(&refs);
    c[DIFFICULTY] = s.difficulty.to_string();
    c[TAGS] = s.tags.join("；");
    c.push(s.question_id.to_string());
    c.push(s.status_label().to_string());
    c.push(s.origin_label().to_string());
    c
}

fn headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.0).chain(EXTRA).collect()
}

fn csv_of(questions: &[QuestionDetail]) -> Result<Vec<u8>, BankError> {
    let internal = |e: csv::Error| BankError::Internal(format!("csv: {e}"));
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(headers()).map_err(internal)?;
    for q in questions {
        let row: Vec<String> = cells(q)
            .iter()
            .map(|c| table::csv_safe(c).into_owned())
            .collect();
        w.write_record(&row).map_err(internal)?;
    }
    w.into_inner()
        .map_err(|e| BankError::Internal(format!("csv: {e}")))
}

fn xlsx_of(questions: &[QuestionDetail]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("题目")?;
    let mut widths = template::WIDTHS.to_vec();
    widths.extend([8.0, 8.0, 8.0]);
    template::table(sheet, &headers(), &widths)?;
    for (r, q) in questions.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, value) in cells(q).iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r, c as u16, value)?;
            }
        }
    }
    book.save_to_buffer()
}
