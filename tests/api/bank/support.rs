//! What the bank tests share: an app with 信访工作条例, the admin context, spreadsheets built
//! in the test, the messy file's rows and what each should become.

use std::path::PathBuf;

use xuefa::accounts::admin::Ctx;
use xuefa::accounts::{Actor, Role};
use xuefa::bank::admin;
use xuefa::bank::import::{self, ImportOptions, ImportReport, LawBook};
use xuefa::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};
use xuefa::bank::store::{self, Inserted, ListQuery, QuestionDetail};

pub use super::messy::*;

use crate::helpers::*;

/// 信访工作条例, the law most test questions cite.
pub fn xinfang() -> PathBuf {
    corpus_path("行政法规/信访工作条例(2022-02-25).md")
}

/// A fresh app with 信访工作条例 imported.
pub async fn bank_app() -> TestApp {
    spawn_app(&[xinfang()]).await
}

pub fn admin() -> Actor {
    Actor::command_line()
}

pub fn actor_with(role: Role) -> Actor {
    Actor {
        user_id: 42,
        username: "u42".into(),
        name: "某人".into(),
        unit: "柱山乡".into(),
        roles: vec![role],
        must_change_password: false,
    }
}

pub fn ctx(actor: &Actor) -> Ctx<'_> {
    Ctx {
        actor,
        ip: "test",
        now: 1_767_225_600,
    }
}

pub async fn book(t: &TestApp) -> LawBook {
    LawBook::load(
        &mut t.app.db.pool.acquire().await.unwrap(),
        &t.app.config.project_corpus,
    )
    .await
    .expect("law names")
}

/// Imports a file as the command-line administrator.
pub async fn import_file(
    t: &TestApp,
    name: &str,
    bytes: &[u8],
    opts: ImportOptions,
) -> ImportReport {
    let actor = admin();
    t.app
        .import_questions(&book(t).await, &ctx(&actor), name, bytes, opts)
        .await
        .unwrap_or_else(|e| panic!("import {name}: {e}"))
}

/// Every question (retired too), oldest first.
pub async fn all(t: &TestApp) -> Vec<QuestionDetail> {
    store::current_drafts(
        &mut t.app.db.pool.acquire().await.unwrap(),
        &ListQuery::default(),
    )
    .await
    .expect("list questions")
}

/// The question with this stem.
pub fn by_stem<'a>(qs: &'a [QuestionDetail], stem: &str) -> &'a QuestionDetail {
    qs.iter()
        .find(|q| q.summary.stem == stem)
        .unwrap_or_else(|| panic!("no question {stem}"))
}

/// An .xlsx of these rows (the first is the header), every cell a string.
pub fn xlsx_of(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet
                    .write_string(r as u32, c as u16, cell)
                    .expect("write cell");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// A CSV of these rows, encoded as GB18030 (as Excel saves "CSV" on Chinese Windows).
pub fn csv_gb18030(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).expect("csv row");
    }
    let utf8 = String::from_utf8(w.into_inner().expect("csv")).expect("utf-8");
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&utf8);
    assert!(!unmappable);
    bytes.into_owned()
}

/// A judge question on articles of a law version.
pub fn judge_on(stem: &str, law_id: i64, articles: &[u32]) -> QuestionDraft {
    QuestionDraft {
        qtype: QuestionType::Judge,
        stem: stem.into(),
        options: vec![],
        answer: Answer::Judge { correct: true },
        explanation: String::new(),
        basis: articles
            .iter()
            .map(|no| Basis {
                law_id,
                law_title: "测试审核办法".into(),
                article_no: *no,
                article_sub: 0,
                article_label: String::new(),
            })
            .collect(),
        difficulty: 3,
        tags: vec!["审核".into()],
        origin: Origin::Authored,
    }
}

pub async fn create(t: &TestApp, d: &QuestionDraft) -> i64 {
    let actor = admin();
    match t
        .write(async |tx| admin::create(tx, &ctx(&actor), d, Status::Approved).await)
        .await
    {
        Ok(Inserted::New { question_id, .. }) => question_id,
        other => panic!("create {}: {other:?}", d.stem),
    }
}

/// The rows of the template's sheet `sheet` (the header first), as the cells read back.
pub fn template_sheet(sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let bytes = import::template_xlsx().expect("template");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("template opens");
    let range = book.worksheet_range(sheet).expect("template sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// A file of the template's examples (sheet 示例) with each stem made the admin's own by
/// `（练习）` at its end, so they are no longer the examples the importer refuses.
pub fn examples_as_own_questions() -> Vec<u8> {
    let mut rows = template_sheet("示例");
    for row in rows.iter_mut().skip(1) {
        row[1].push_str("（练习）");
    }
    xlsx_of(&rows)
}
