//! The audit log page: system administrators only.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::render;
use super::admin_api::PER_PAGE;
use super::admin_pages::{beijing_time, page_count, page_number};
use super::auth::CurrentUser;
use super::{AppState, PageError, WebError};
use crate::accounts::session;

/// Audit actions in Chinese; an unknown code is shown as it is.
fn action_label(code: &str) -> &str {
    match code {
        "login" => "登录",
        "login_failed" => "登录失败",
        "account_locked" => "账号锁定",
        "logout" => "退出",
        "password_changed" => "修改密码",
        "password_reset" => "重置密码",
        "user_created" => "创建用户",
        "user_updated" => "修改用户",
        "user_deactivated" => "停用用户",
        "user_unlocked" => "解除锁定",
        "users_imported" => "批量导入",
        "unit_created" => "创建单位",
        "unit_renamed" => "重命名单位",
        other => other,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    page: String,
}

/// The audit log, newest first: system administrators only.
pub async fn audit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    if !s.actor.is_admin() {
        return Err(PageError(WebError::Forbidden(
            "仅系统管理员可查看审计日志".into(),
        )));
    }
    let page = page_number(&q.page);
    let (rows, total) =
        session::audit_page(&state.app.db.pool, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let entries: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            context! {
                at => beijing_time(r.at),
                actor => r.actor,
                action => action_label(&r.action),
                code => r.action.clone(),
                target => r.target,
                detail => r.detail,
                ip => r.ip,
            }
        })
        .collect();
    let pages = page_count(total);
    let page_url = |n: i64| format!("/admin/audit?page={n}");
    let ctx = context! {
        section => "audit",
        entries,
        total,
        page,
        pages,
        prev_url => (page > 1).then(|| page_url(page - 1)),
        next_url => (page < pages).then(|| page_url(page + 1)),
    };
    render(StatusCode::OK, "admin_audit.html", Some(&s), ctx)
}
