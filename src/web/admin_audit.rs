//! The audit log page: system administrators see everything, unit administrators the entries
//! of their own subtree. Filters by who, action, period and target; paged.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::admin_api::PER_PAGE;
use super::auth::AdminUser;
use super::kit::{Pager, beijing_midnight, beijing_time, encode_query, page_number, render};
use super::{AppState, PageError};
use crate::accounts::audit::{self, AuditFilter};

/// Audit actions in Chinese, in the order the filter offers them.
pub(super) const ACTIONS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("login_failed", "登录失败"),
    ("account_locked", "账号锁定"),
    ("user_unlocked", "解除锁定"),
    ("logout", "退出"),
    ("password_changed", "修改密码"),
    ("password_reset", "重置密码"),
    ("user_created", "创建用户"),
    ("user_updated", "修改用户"),
    ("user_deactivated", "停用用户"),
    ("user_reactivated", "启用用户"),
    ("users_imported", "批量导入用户"),
    ("unit_created", "创建单位"),
    ("unit_renamed", "重命名单位"),
    ("questions_created", "新建题目"),
    ("questions_imported", "导入题目"),
    ("questions_exported", "导出题库"),
    ("question_edited", "修改题目"),
    ("questions_approved", "审核通过题目"),
    ("questions_retired", "停用题目"),
];

/// The Chinese name of an action; an unknown code is shown as 其他操作 (the code stays in the
/// row's data attribute and the API).
pub(super) fn action_label(code: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("其他操作", |(_, label)| label)
}

/// Who did it, as people read it: the start-up and command-line actors in Chinese.
fn actor_label(actor: &str) -> String {
    match actor {
        "system" => "系统".to_string(),
        "命令行（cli）" => "命令行".to_string(),
        other => other.to_string(),
    }
}

/// Details as people read them. Older entries stored a JSON object; it is shown as
/// `名称：值` pairs with Chinese names.
fn detail_text(detail: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(detail)
    else {
        return detail.to_string();
    };
    let name = |k: &str| match k {
        "created" => "新建",
        "imported" => "导入",
        "duplicates" => "重复",
        "invalid" => "无效",
        "skipped" => "跳过",
        "warnings" => "提示",
        "status" => "状态",
        "rows" => "行数",
        "file" => "文件",
        "format" => "格式",
        "count" => "数量",
        "units_created" => "新建单位",
        "users_created" => "新建用户",
        _ => "其他",
    };
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => match s.as_str() {
            "draft" => "草稿".to_string(),
            "approved" => "已审核".to_string(),
            "retired" => "已停用".to_string(),
            other => other.to_string(),
        },
        other => other.to_string(),
    };
    map.iter()
        .map(|(k, v)| format!("{}：{}", name(k), value(v)))
        .collect::<Vec<_>>()
        .join("，")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    page: String,
    actor: String,
    action: String,
    target: String,
    from: String,
    to: String,
}

impl AuditQuery {
    /// The query string for another page of the same filter.
    fn url(&self, page: i64) -> String {
        let page = page.to_string();
        let params: Vec<(&str, &str)> = [
            ("actor", self.actor.as_str()),
            ("action", self.action.as_str()),
            ("target", self.target.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("page", page.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        format!("/admin/audit?{}", encode_query(&params))
    }
}

/// The filter a request asks for within `scope`, or why it cannot be read.
pub(super) fn audit_filter(
    scope: Option<String>,
    who: &str,
    action: &str,
    target: &str,
    from: &str,
    to: &str,
) -> Result<AuditFilter, String> {
    let day = |raw: &str, what: &str| -> Result<Option<i64>, String> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        beijing_midnight(raw)
            .map(Some)
            .ok_or_else(|| format!("{what}不是有效日期，请按 2026-01-31 的格式填写"))
    };
    let from = day(from, "起始日期")?;
    // The end date is inclusive: entries before the next day's midnight.
    let until = day(to, "截止日期")?.map(|t| t + 86_400);
    if let (Some(f), Some(u)) = (from, until)
        && f >= u
    {
        return Err("起始日期不能晚于截止日期".into());
    }
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(AuditFilter {
        actor: text(who),
        action: text(action),
        target: text(target),
        from,
        until,
        scope,
    })
}

/// The audit log, newest first.
pub async fn audit(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let s = &admin.session;
    let scope = admin.scope().map(str::to_string);
    let page = page_number(&q.page);
    let (filter, error) = match audit_filter(scope, &q.actor, &q.action, &q.target, &q.from, &q.to)
    {
        Ok(f) => (Some(f), None),
        Err(message) => (None, Some(message)),
    };
    let (rows, total) = match &filter {
        Some(f) => {
            audit::page(
                &mut *state.app.db.read().await?,
                f,
                PER_PAGE,
                (page - 1) * PER_PAGE,
            )
            .await?
        }
        None => (Vec::new(), 0),
    };
    let pager = Pager::new(page, total, PER_PAGE, |p| q.url(p));
    if let Some(last) = pager.past_end.as_deref() {
        return Ok(Redirect::to(last).into_response());
    }
    let entries: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            context! {
                at => beijing_time(r.at),
                actor => actor_label(&r.actor),
                action => action_label(&r.action),
                code => r.action.clone(),
                target => r.target,
                detail => detail_text(&r.detail),
                ip => r.ip,
            }
        })
        .collect();
    let actions: Vec<Value> = ACTIONS
        .iter()
        .map(|(code, label)| context! { code => *code, label => *label, selected => q.action == *code })
        .collect();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let ctx = context! {
        section => "audit",
        entries,
        total,
        pager,
        actions,
        error,
        scoped => !s.actor.is_admin(),
        unit => s.actor.unit.clone(),
        f => context! {
            actor => q.actor.clone(), target => q.target.clone(),
            from => q.from.clone(), to => q.to.clone(),
        },
        filtered => [&q.actor, &q.action, &q.target, &q.from, &q.to].iter().any(|v| !v.trim().is_empty()),
    };
    render(status, "admin_audit.html", Some(s), ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_details_of_older_entries_read_as_chinese() {
        let d = detail_text(r#"{"created":3,"duplicates":1,"status":"draft"}"#);
        assert_eq!(d, "新建：3，重复：1，状态：草稿");
        assert_eq!(
            detail_text("首次启动创建系统管理员"),
            "首次启动创建系统管理员"
        );
    }

    #[test]
    fn every_action_has_a_chinese_label_and_unknown_codes_do_not_leak() {
        for (code, label) in ACTIONS {
            assert_eq!(action_label(code), *label);
            assert!(!label.is_ascii());
        }
        assert_eq!(action_label("something_new"), "其他操作");
    }
}
