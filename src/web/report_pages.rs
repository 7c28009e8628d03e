//! `/admin/reports`: the unit report as a page with filters (year, unit), the unit and person
//! tables, SVG charts drawn on the server, and export links (the report API's files).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Serde;
use serde::Deserialize;

use super::auth::AdminUser;
use super::kit::render;
use super::report_api::{ReportQuery, unit_report_of};
use super::{AppState, PageError};
use crate::reports::charts;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    year: String,
    unit: String,
}

pub async fn reports(
    State(state): State<AppState>,
    a: AdminUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let year = super::kit::year_param(&q.year)?;
    let unit = Some(q.unit.trim().to_string()).filter(|u| !u.is_empty());
    let rq = ReportQuery {
        year,
        unit: unit.clone(),
        ..ReportQuery::default()
    };
    let r = unit_report_of(&state, &a, &rq).await?;
    let units = crate::accounts::store::list_units(&state.app.db.pool, a.scope()).await?;
    let unit_paths: Vec<String> = units.into_iter().map(|u| u.path).collect();
    let completion: Vec<(String, f64)> = r
        .units
        .iter()
        .map(|u| {
            let label = format!("{}{}", "　".repeat(u.depth), u.name);
            (label, u.completion_rate.unwrap_or(0.0))
        })
        .collect();
    let scores: Vec<(String, f64)> = r
        .score_distribution
        .iter()
        .map(|b| (format!("{}–{}", b.from, b.to), b.count as f64))
        .collect();
    let months: Vec<(String, f64)> = r
        .hours_by_month
        .iter()
        .enumerate()
        .map(|(i, h)| (format!("{}月", i + 1), *h))
        .collect();
    let query = serde_urlencoded::to_string([
        ("year", r.year.to_string()),
        ("unit", unit.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let page = context! {
        section => "reports",
        report => Serde(&r),
        year => r.year,
        unit => unit.unwrap_or_default(),
        unit_paths,
        query,
        chart_completion => charts::bars("各单位学法达标率", &completion, 100.0, "%"),
        chart_scores => charts::columns("考试成绩分布（百分制，人次）", &scores, "人次"),
        chart_months => charts::columns("每月学时", &months, "小时"),
    };
    render(StatusCode::OK, "admin_reports.html", Some(&a.session), page)
}
