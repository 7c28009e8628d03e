//! Bulk user import pages: the template download, the upload form and its report, and the
//! one-time passwords as a spreadsheet.
//!
//! One-time passwords are never stored. The report page shows them once; its download button
//! posts them back from the page itself and gets them as an .xlsx.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::auth::{AdminUser, ClientIp, Session};
use super::kit::{form_error, render};
use super::upload;
use super::{AppState, PageError, WebError};
use crate::accounts::admin::Ctx;
use crate::accounts::import::{self, CreatedUser, ImportOptions};

/// Largest upload accepted (a roster of 20 000 rows is a few MB; this leaves room for CSV).
/// Largest password sheet request: 20 000 rows of URL-encoded names, units and passwords.
pub const MAX_PASSWORDS_FORM: usize = 16 * 1024 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn template(_: AdminUser) -> Result<Response, PageError> {
    let bytes = tokio::task::spawn_blocking(import::template_xlsx)
        .await
        .map_err(|e| PageError(WebError::Internal(e.to_string())))??;
    Ok(upload::attachment(
        bytes,
        XLSX,
        "user-import-template.xlsx",
        "用户导入模板.xlsx",
    ))
}

pub async fn import_form(AdminUser { session: s, .. }: AdminUser) -> Result<Response, PageError> {
    form_page(&s, StatusCode::OK, None)
}

fn form_page(
    s: &Session,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, PageError> {
    let ctx = context! { section => "users", error, max_mb => upload::MAX_UPLOAD / 1024 / 1024 };
    render(status, "admin_import.html", Some(s), ctx)
}

/// The upload: fields `csrf_token` (first; the CSRF layer checks it), `create_units`, `file`.
pub async fn import_upload(
    State(state): State<AppState>,
    AdminUser { session: s, .. }: AdminUser,
    ClientIp(ip): ClientIp,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let upload = match upload::read(multipart).await {
        Ok(u) => u,
        Err(p) => return form_page(&s, p.status(), Some(p.message("名单", ".xlsx 或 .csv"))),
    };
    let (name, bytes) = (upload.file_name, upload.bytes);
    let create_units = upload.flags.contains("create_units");
    let app = &state.app;
    let ctx = Ctx {
        actor: &s.actor,
        ip: &ip,
        now: app.clock.now(),
    };
    let opts = ImportOptions { create_units };
    match app.import_users(&ctx, &name, &bytes, opts).await {
        Ok(report) => {
            let status = if report.is_ok() {
                StatusCode::OK
            } else {
                StatusCode::BAD_REQUEST
            };
            let ctx = context! {
                section => "users",
                file_name => name,
                ok => report.is_ok(),
                rows => report.rows,
                problems => Value::from(Serde(&report.problems)),
                skipped => report.skipped_existing,
                created => Value::from(Serde(&report.created)),
                passwords => passwords_field(&report.created),
                max_mb => upload::MAX_UPLOAD / 1024 / 1024,
            };
            render(status, "admin_import.html", Some(&s), ctx)
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            form_page(&s, status, Some(message))
        }
    }
}

/// The created users as the download form's hidden field: a line per user, tab-separated.
fn passwords_field(created: &[CreatedUser]) -> String {
    let line = |c: &CreatedUser| {
        [
            c.row.to_string(),
            c.username.clone(),
            c.name.clone(),
            c.unit.clone(),
            c.initial_password.clone(),
        ]
        .map(|v| v.replace(['\t', '\r', '\n'], " "))
        .join("\t")
    };
    created.iter().map(line).collect::<Vec<_>>().join("\n")
}

fn parse_passwords_field(raw: &str) -> Option<Vec<CreatedUser>> {
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split('\t').collect::<Vec<_>>()[..] {
            [row, username, name, unit, password] => Some(CreatedUser {
                row: row.parse().ok()?,
                username: username.to_string(),
                name: name.to_string(),
                unit: unit.to_string(),
                initial_password: password.to_string(),
            }),
            _ => None,
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordsForm {
    passwords: String,
}

/// The one-time passwords the report page just showed, as a spreadsheet to hand out.
pub async fn passwords(
    _: AdminUser,
    PageForm(f): PageForm<PasswordsForm>,
) -> Result<Response, PageError> {
    let created = parse_passwords_field(&f.passwords)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| PageError(WebError::BadRequest("没有可下载的初始密码".into())))?;
    let bytes = tokio::task::spawn_blocking(move || import::passwords_xlsx(&created))
        .await
        .map_err(|e| PageError(WebError::Internal(e.to_string())))??;
    Ok(upload::attachment(
        bytes,
        XLSX,
        "initial-passwords.xlsx",
        "初始密码.xlsx",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_field_round_trips() {
        let created = vec![CreatedUser {
            row: 2,
            username: "zhangsan".into(),
            name: "张\t三".into(),
            unit: "柱山乡/综合行政执法大队".into(),
            initial_password: "Kabc23456de7".into(),
        }];
        let back = parse_passwords_field(&passwords_field(&created)).unwrap();
        assert_eq!(back[0].row, 2);
        assert_eq!(back[0].name, "张 三");
        assert_eq!(back[0].initial_password, "Kabc23456de7");
        assert!(parse_passwords_field("2\tonly-two").is_none());
    }
}
