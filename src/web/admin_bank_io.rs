//! Question bank files and generation: the import template, import (upload and row report),
//! export as an attachment, and generating drafts from a law.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_bank::{draft_value, law_book};
use super::admin_pages::ctx_of;
use super::auth::{BankEditor, ClientIp, Session};
use super::kit::{form_error, render};
use super::upload;
use super::{AppState, PageError, WebError};
use crate::bank::BankError;
use crate::bank::drafting;
use crate::bank::export::{self, Format};
use crate::bank::import::{self, ImportOptions};
use crate::bank::store;
use crate::db::commit_if_ok;

/// Largest upload accepted (the import itself refuses files over its own limit).
/// Most questions generated at once.
const MAX_GENERATE: usize = 200;

pub async fn template(_: BankEditor) -> Result<Response, PageError> {
    let bytes = tokio::task::spawn_blocking(import::template_xlsx)
        .await
        .map_err(|e| PageError(WebError::Internal(e.to_string())))??;
    let xlsx = Format::Xlsx.content_type();
    Ok(upload::attachment(
        bytes,
        xlsx,
        "question-template.xlsx",
        "题库导入模板.xlsx",
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    format: String,
    status: String,
}

pub async fn export(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let format = Format::parse(&q.format).unwrap_or(Format::Xlsx);
    let status = store::parse_status(q.status.trim());
    let ctx = ctx_of(&state, &s, &ip);
    let bytes = export::export(&mut *state.app.db.read().await?, &ctx, format, status).await?;
    let ext = format.extension();
    Ok(upload::attachment(
        bytes,
        format.content_type(),
        &format!("questions.{ext}"),
        &format!("题库.{ext}"),
    ))
}

pub async fn import_form(BankEditor { session: s }: BankEditor) -> Result<Response, PageError> {
    import_page(&s, StatusCode::OK, None)
}

fn import_page(
    s: &Session,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let ctx =
        context! { section => "questions", error, max_mb => upload::MAX_UPLOAD / 1024 / 1024 };
    render(status, "admin_bank_import.html", Some(s), ctx)
}

/// The upload: `csrf_token` (first; the CSRF layer checks it), `approve`, `skip_invalid`,
/// `suggest_basis`, `file`.
pub async fn import_upload(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let upload = match upload::read(multipart).await {
        Ok(u) => u,
        Err(p) => {
            let message = p.message("题目", ".xlsx、.csv 或 .json");
            return import_page(&s, p.status(), Some(message));
        }
    };
    let (name, bytes) = (upload.file_name, upload.bytes);
    let opts = ImportOptions {
        approve: upload.flags.contains("approve"),
        skip_invalid: upload.flags.contains("skip_invalid"),
        suggest_basis: upload.flags.contains("suggest_basis"),
    };
    let book = law_book(&state).await?;
    let ctx = ctx_of(&state, &s, &ip);
    match state
        .app
        .import_questions(&book, &ctx, &name, &bytes, opts)
        .await
    {
        Ok(report) => {
            let status = if report.rejected() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            };
            let ctx = context! {
                section => "questions",
                file_name => name,
                report => Value::from(Serde(&report)),
                rejected => report.rejected(),
                summary => report.summary(),
                approved => opts.approve,
                skip_invalid => opts.skip_invalid,
                suggest_basis => opts.suggest_basis,
                max_mb => upload::MAX_UPLOAD / 1024 / 1024,
            };
            render(status, "admin_bank_import.html", Some(&s), ctx)
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            import_page(&s, status, Some(message))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GenerateForm {
    law: String,
    count: String,
    seed: String,
}

pub async fn generate_form(BankEditor { session: s }: BankEditor) -> Result<Response, PageError> {
    let ctx = context! { section => "questions", law => "", count => 20, seed => "" };
    render(StatusCode::OK, "admin_bank_generate.html", Some(&s), ctx)
}

/// Drafts from the current version of one law, stored as generated drafts and shown.
pub async fn generate(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    PageForm(f): PageForm<GenerateForm>,
) -> Result<Response, PageError> {
    let refuse = |message: &str| {
        let ctx = context! {
            section => "questions", law => f.law.clone(), count => f.count.clone(),
            seed => f.seed.clone(), error => message,
        };
        render(
            StatusCode::BAD_REQUEST,
            "admin_bank_generate.html",
            Some(&s),
            ctx,
        )
    };
    let Some(count) = f
        .count
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_GENERATE).contains(n))
    else {
        return refuse(&format!("题目数量应为 1 到 {MAX_GENERATE} 之间的整数"));
    };
    let seed = match f.seed.trim() {
        "" => None,
        s => match s.parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => return refuse("随机种子应为非负整数，或留空"),
        },
    };
    let law = f.law.trim();
    if law.is_empty() {
        return refuse("请输入法规名称");
    }
    let pool = &state.app.db.pool;
    let book = law_book(&state).await?;
    let Some(statute) = book.statute(law) else {
        return refuse(&format!("没有找到名为「{law}」的法规"));
    };
    let ctx = ctx_of(&state, &s, &ip);
    let mut tx = state.app.db.write().await?;
    let generated = drafting::generate_drafts(&mut tx, &ctx, statute, count, seed).await;
    let done = match commit_if_ok(tx, generated).await {
        Ok(Some(done)) => done,
        Ok(None) => return refuse(&format!("「{law}」没有现行有效的版本")),
        Err(BankError::Refused(message)) => return refuse(&message),
        Err(e) => return Err(e.into()),
    };
    let (report, seed) = (done.report, done.seed);
    let mut created = Vec::with_capacity(report.created.len());
    for id in &report.created {
        if let Some(d) = store::get(&mut *pool.acquire().await?, *id).await? {
            created.push(context! { id => *id, view => draft_value(&d.draft()) });
        }
    }
    let ctx = context! {
        section => "questions",
        law => f.law.clone(), count => count, seed => f.seed.clone(),
        title => done.law_title.clone(),
        used_seed => seed.to_string(),
        created => Value::from(created),
        duplicates => report.duplicates.len(),
    };
    render(StatusCode::OK, "admin_bank_generate.html", Some(&s), ctx)
}
