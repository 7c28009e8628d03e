//! `/admin/exams/{id}`: one exam's results for its administrators: who was invited, started,
//! submitted and passed, per unit with sub-units rolled up, the score distribution as a
//! server-drawn SVG, everyone's line, the exports, and the regrade page (dry run, then apply).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_exams::{Empty, kind_label, phase_label};
use super::admin_pages::ctx_of;
use super::auth::{AdminUser, ClientIp};
use super::extract::PagePath;
use super::kit::{beijing_time, parse_id, render};
use super::{AppState, PageError, WebError, upload};
use crate::exam::regrade::{self, RegradeReport};
use crate::exam::results::{self, ExamResults, phase};
use crate::exam::rollup::Bin;
use crate::exam::{admin, export};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExamQuery {
    created: String,
    published: String,
}

pub async fn exam(
    State(state): State<AppState>,
    a: AdminUser,
    PagePath(raw): PagePath<String>,
    Query(q): Query<ExamQuery>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, "考试不存在")?;
    let notice = if q.created == "1" {
        Some("考试已创建（草稿），请检查后发布")
    } else if q.published == "1" {
        Some("考试已发布")
    } else {
        None
    };
    exam_page(&state, &a, exam_id, StatusCode::OK, notice, None).await
}

/// Bars of the distribution as the SVG draws them: x, width, height and label per bin.
fn bars(bins: &[Bin]) -> Vec<Value> {
    let top = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let width = 600 / bins.len().max(1) as i64;
    bins.iter()
        .enumerate()
        .map(|(i, b)| {
            let h = b.count * 160 / top;
            context! {
                x => i as i64 * width + 2,
                w => (width - 4).max(1),
                y => 180 - h,
                h,
                count => b.count,
                label => format!("{}–{}", b.from, b.to),
                mid => i as i64 * width + width / 2,
            }
        })
        .collect()
}

pub(super) async fn exam_page(
    state: &AppState,
    a: &AdminUser,
    exam_id: i64,
    status: StatusCode,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let now = state.app.clock.now();
    let ctx = a.ctx(now);
    let mut conn = state.app.db.read().await?;
    let row = admin::managed(&mut conn, &ctx, exam_id).await?;
    let r = results::exam_results(&mut conn, &ctx, exam_id).await?;
    let phase = phase(&row, now);
    let page = context! {
        section => "exams",
        exam_id,
        title => r.title.clone(),
        kind => kind_label(&r.kind),
        phase,
        phase_label => phase_label(phase),
        opens_at => beijing_time(row.opens_at),
        closes_at => beijing_time(row.closes_at),
        definition => row.definition.clone(),
        bars => bars(&r.distribution),
        r => Serde(&r),
        notice,
        error,
    };
    render(status, "admin_exam.html", Some(&a.session), page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    format: String,
}

/// The results as .xlsx (a sheet per person, a sheet per unit) or .csv.
pub async fn export(
    State(state): State<AppState>,
    a: AdminUser,
    PagePath(raw): PagePath<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, "考试不存在")?;
    let ctx = a.ctx(state.app.clock.now());
    let r: ExamResults =
        results::exam_results(&mut *state.app.db.read().await?, &ctx, exam_id).await?;
    let internal = |e: String| PageError(WebError::Internal(e));
    if q.format == "csv" {
        let bytes = export::csv(&r).map_err(|e| internal(e.to_string()))?;
        let name = format!("考试{exam_id}成绩.csv");
        let ascii = format!("exam-{exam_id}-results.csv");
        return Ok(upload::attachment(
            bytes,
            "text/csv; charset=utf-8",
            &ascii,
            &name,
        ));
    }
    let bytes = export::xlsx(&r).map_err(|e| internal(e.to_string()))?;
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let name = format!("考试{exam_id}成绩.xlsx");
    let ascii = format!("exam-{exam_id}-results.xlsx");
    Ok(upload::attachment(bytes, xlsx, &ascii, &name))
}

fn regrade_view(report: &RegradeReport) -> Value {
    let pick = |from: bool, to: bool| -> Vec<Value> {
        report
            .changes
            .iter()
            .filter(|c| c.old_passed == from && c.new_passed == to)
            .map(|c| Value::from(Serde(c)))
            .collect()
    };
    context! {
        attempts => report.attempts,
        changed => report.changes.len(),
        applied => report.applied,
        to_pass => pick(false, true),
        to_fail => pick(true, false),
        same => report.changes.iter().filter(|c| c.old_passed == c.new_passed)
            .map(|c| Value::from(Serde(c))).collect::<Vec<_>>(),
        revoked => report.revoked_certificates.clone(),
        issued => report.issued_certificates.clone(),
    }
}

async fn regrade_page(
    state: &AppState,
    a: &AdminUser,
    ip: &str,
    exam_id: i64,
    apply: bool,
) -> Result<Response, PageError> {
    let ctx = ctx_of(state, &a.session, ip);
    let mut tx = state.app.db.write().await?;
    let mut report = regrade::regrade(&mut tx, &ctx, exam_id, apply).await?;
    if apply {
        state.app.follow_regrade(&mut tx, &ctx, &mut report).await?;
        tx.commit().await?;
    }
    // A dry run's transaction is dropped: nothing it computed is kept.
    let title = admin::managed(&mut *state.app.db.read().await?, &ctx, exam_id)
        .await?
        .title;
    let page = context! {
        section => "exams",
        exam_id,
        title,
        report => regrade_view(&report),
    };
    render(
        StatusCode::OK,
        "admin_exam_regrade.html",
        Some(&a.session),
        page,
    )
}

/// The dry run: who would change, from fail to pass and from pass to fail.
pub async fn regrade_form(
    State(state): State<AppState>,
    a: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, "考试不存在")?;
    regrade_page(&state, &a, &ip, exam_id, false).await
}

/// Applies the regrade (audited); certificates follow.
pub async fn regrade_apply(
    State(state): State<AppState>,
    a: AdminUser,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    PageForm(_): PageForm<Empty>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, "考试不存在")?;
    regrade_page(&state, &a, &ip, exam_id, true).await
}
