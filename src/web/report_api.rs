//! Learning records reports through the API: the unit report (JSON, or a table as .xlsx or
//! .csv) and the annual report (JSON, .xlsx or Markdown), both scoped to the administrator's
//! subtree. The `/admin/reports` page links its exports here.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::auth::AdminUser;
use super::extract::ApiQuery;
use super::{ApiError, AppState, WebError, upload};
use crate::learning::{self, Curriculum};
use crate::reports::{self, AnnualReport, UnitReport, export, markdown};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct ReportQuery {
    /// Calendar year (Beijing time); this year when absent.
    pub year: Option<i32>,
    /// A unit path, e.g. 柱山乡/执法大队; absent: the whole of the administrator's scope.
    pub unit: Option<String>,
    /// json (default), xlsx, csv (units report) or md (annual report).
    pub format: Option<String>,
    /// For csv: units (default) or people.
    pub table: Option<String>,
}

/// The year asked for and the subtree the administrator gets (403 outside their own).
async fn resolve(
    state: &AppState,
    admin: &AdminUser,
    q: &ReportQuery,
) -> Result<(i32, Option<String>, Curriculum), WebError> {
    let now = state.app.clock.now();
    let year = q.year.unwrap_or_else(|| learning::year_of(now));
    let mut conn = state.app.db.read().await?;
    let root = reports::scope_of(&mut conn, &admin.session.actor, q.unit.as_deref()).await?;
    let c = Curriculum::load(&state.app.config.project_corpus)?;
    Ok((year, root, c))
}

pub async fn unit_report_of(
    state: &AppState,
    admin: &AdminUser,
    q: &ReportQuery,
) -> Result<UnitReport, WebError> {
    let (year, root, c) = resolve(state, admin, q).await?;
    let now = state.app.clock.now();
    let mut conn = state.app.db.read().await?;
    Ok(reports::unit_report(&mut conn, &c, root.as_deref(), year, now).await?)
}

async fn annual_of(
    state: &AppState,
    admin: &AdminUser,
    q: &ReportQuery,
) -> Result<AnnualReport, WebError> {
    let (year, root, c) = resolve(state, admin, q).await?;
    let now = state.app.clock.now();
    let mut conn = state.app.db.read().await?;
    Ok(reports::annual_report(&mut conn, &c, root.as_deref(), year, now).await?)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn internal(e: impl ToString) -> WebError {
    WebError::Internal(e.to_string())
}

fn format_of(q: &ReportQuery, allowed: &[&str]) -> Result<String, WebError> {
    let f = q
        .format
        .as_deref()
        .unwrap_or("json")
        .trim()
        .to_ascii_lowercase();
    if allowed.contains(&f.as_str()) {
        Ok(f)
    } else {
        Err(WebError::BadRequest(format!(
            "format 只能是 {}",
            allowed.join("、")
        )))
    }
}

#[utoipa::path(get, path = "/api/admin/reports/units", params(ReportQuery),
    responses((status = 200, body = UnitReport), (status = 400), (status = 401),
        (status = 403), (status = 404)))]
pub async fn units(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let format = format_of(&q, &["json", "xlsx", "csv"])?;
    let table = q.table.as_deref().unwrap_or("units");
    if !matches!(table, "units" | "people") {
        return Err(WebError::BadRequest("table 只能是 units 或 people".into()).into());
    }
    let r = unit_report_of(&state, &admin, &q).await?;
    let y = r.year;
    Ok(match format.as_str() {
        "xlsx" => {
            let bytes = export::unit_report_xlsx(&r).map_err(internal)?;
            let name = format!("{y}年学法情况统计.xlsx");
            upload::attachment(bytes, XLSX, &format!("report-{y}.xlsx"), &name)
        }
        "csv" => {
            let (tab, what) = if table == "people" {
                (export::people_table(&r.people), "人员")
            } else {
                (export::units_table(&r.units), "单位")
            };
            let bytes = export::csv(&tab).map_err(internal)?;
            let ascii = format!("report-{y}-{table}.csv");
            let name = format!("{y}年学法情况统计（按{what}）.csv");
            upload::attachment(bytes, "text/csv; charset=utf-8", &ascii, &name)
        }
        _ => Json(r).into_response(),
    })
}

#[utoipa::path(get, path = "/api/admin/reports/annual", params(ReportQuery),
    responses((status = 200, body = AnnualReport), (status = 400), (status = 401),
        (status = 403), (status = 404)))]
pub async fn annual(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    let format = format_of(&q, &["json", "xlsx", "md"])?;
    let a = annual_of(&state, &admin, &q).await?;
    let y = a.year;
    Ok(match format.as_str() {
        "xlsx" => {
            let bytes = export::annual_xlsx(&a).map_err(internal)?;
            let name = format!("{y}年度学法用法情况报告.xlsx");
            upload::attachment(bytes, XLSX, &format!("annual-{y}.xlsx"), &name)
        }
        "md" => {
            let bytes = markdown::annual(&a).into_bytes();
            let name = format!("{y}年度学法用法情况报告.md");
            let md = "text/markdown; charset=utf-8";
            upload::attachment(bytes, md, &format!("annual-{y}.md"), &name)
        }
        _ => Json(a).into_response(),
    })
}
