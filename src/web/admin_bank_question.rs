//! One question of the bank: as the official sees it, its versions, the edit form with a
//! preview, approving and retiring.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::{CsrfForm, PageForm, encode_query, form_error, render};
use super::admin_pages::{beijing_time, ctx_of};
use super::auth::{ClientIp, CurrentUser, Session, check_form_csrf};
use super::{AppState, PageError, WebError};
use crate::bank::BankError;
use crate::bank::admin::{self};
use crate::bank::import::{QuestionForm, parse_form};
use crate::bank::model::Origin;
use crate::bank::store::QuestionDetail;

use super::admin_bank::{
    LETTERS, articles_value, draft_value, law_book, row_value, some, stem_short,
};

fn parse_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError(WebError::NotFound("题目不存在".into())))
}

/// The edit form, with the template's columns as fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    csrf_token: String,
    /// `preview` or `save`.
    action: String,
    #[serde(rename = "type")]
    qtype: String,
    stem: String,
    option_a: String,
    option_b: String,
    option_c: String,
    option_d: String,
    option_e: String,
    option_f: String,
    option_g: String,
    option_h: String,
    answer: String,
    explanation: String,
    basis: String,
    difficulty: String,
    tags: String,
}

impl EditForm {
    fn question_form(&self) -> QuestionForm {
        let mut options: Vec<String> = [
            &self.option_a,
            &self.option_b,
            &self.option_c,
            &self.option_d,
            &self.option_e,
            &self.option_f,
            &self.option_g,
            &self.option_h,
        ]
        .iter()
        .map(|o| o.trim().to_string())
        .collect();
        while options.last().is_some_and(String::is_empty) {
            options.pop();
        }
        QuestionForm {
            qtype: self.qtype.clone(),
            stem: self.stem.clone(),
            options,
            answer: self.answer.clone(),
            explanation: self.explanation.clone(),
            basis: self.basis.clone(),
            difficulty: self.difficulty.clone(),
            tags: self.tags.clone(),
        }
    }
}

/// The form's values: what was typed, or the current version's.
fn form_value(f: &QuestionForm) -> Value {
    let options: Vec<Value> = LETTERS
        .iter()
        .enumerate()
        .map(|(i, l)| {
            context! {
                letter => *l,
                name => format!("option_{}", l.to_ascii_lowercase()),
                value => f.options.get(i).cloned().unwrap_or_default(),
            }
        })
        .collect();
    context! {
        qtype => f.qtype.clone(), stem => f.stem.clone(), options => Value::from(options),
        answer => f.answer.clone(), explanation => f.explanation.clone(),
        basis => f.basis.clone(), difficulty => f.difficulty.clone(), tags => f.tags.clone(),
    }
}

fn current_form(d: &QuestionDetail) -> QuestionForm {
    QuestionForm {
        qtype: d.summary.qtype.label().to_string(),
        stem: d.summary.stem.clone(),
        options: d.options.clone(),
        answer: d.answer_text.clone(),
        explanation: d.explanation.clone(),
        basis: d.summary.basis.join("；"),
        difficulty: d.summary.difficulty.to_string(),
        tags: d.summary.tags.join("；"),
    }
}

/// What the question page shows besides the question itself.
#[derive(Default)]
struct Extra {
    form: Option<QuestionForm>,
    preview: Option<Value>,
    warnings: Vec<String>,
    error: Option<String>,
    done: Option<String>,
}

async fn question_page(
    state: &AppState,
    s: &Session,
    id: i64,
    status: StatusCode,
    extra: Extra,
) -> Result<Response, PageError> {
    let pool = &state.app.db.pool;
    let d = admin::get(pool, &s.actor, id).await?;
    let versions: Vec<Value> = admin::history(pool, &s.actor, id)
        .await?
        .iter()
        .map(|v| {
            context! {
                version_no => v.version_no, stem => stem_short(&v.stem),
                by => v.created_by.clone(), at => beijing_time(v.created_at),
                current => v.version_id == d.summary.version_id,
            }
        })
        .collect();
    let form = extra.form.unwrap_or_else(|| current_form(&d));
    let ctx = context! {
        section => "questions",
        q => row_value(&d.summary, Some(&d)),
        view => draft_value(&d.draft()),
        articles => articles_value(&d.articles),
        versions => Value::from(versions),
        form => form_value(&form),
        types => Value::from(
            ["单选", "多选", "判断", "填空"].to_vec()
        ),
        preview => extra.preview,
        warnings => extra.warnings,
        error => extra.error,
        done => extra.done,
        can_edit => s.actor.is_admin(),
        updated => format!("{}，{}", d.summary.updated_by, beijing_time(d.summary.updated_at)),
    };
    render(status, "admin_bank_question.html", Some(s), ctx)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    done: String,
}

pub async fn question(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(raw): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw)?;
    let extra = Extra {
        done: some(&q.done),
        ..Extra::default()
    };
    question_page(&state, &s, id, StatusCode::OK, extra).await
}

/// 预览 re-renders the page with the form's question; 保存 stores it as a new version.
pub async fn edit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, PageError> {
    check_form_csrf(&s, &f.csrf_token)?;
    let id = parse_id(&raw)?;
    admin::require_admin(&s.actor)?;
    let pool = &state.app.db.pool;
    let current = admin::get(pool, &s.actor, id).await?;
    let book = law_book(&state).await?;
    let form = f.question_form();
    let origin = match current.summary.origin {
        Origin::Generated | Origin::Imported => current.summary.origin,
        Origin::Authored => Origin::Authored,
    };
    let (draft, warnings) = match parse_form(pool, &book, &form, origin).await {
        Ok(ok) => ok,
        Err(e) => return refused(&state, &s, id, e, form).await,
    };
    if f.action != "save" {
        let extra = Extra {
            preview: Some(draft_value(&draft)),
            warnings,
            form: Some(form),
            ..Extra::default()
        };
        return question_page(&state, &s, id, StatusCode::OK, extra).await;
    }
    match admin::edit(pool, &ctx_of(&state, &s, &ip), id, &draft).await {
        Ok(_) => {
            let done = "已保存为新版本".to_string();
            let to = format!("/admin/questions/{id}?{}", encode_query(&[("done", &done)]));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => refused(&state, &s, id, e, form).await,
    }
}

/// The question page again with the refused form and why.
async fn refused(
    state: &AppState,
    s: &Session,
    id: i64,
    e: BankError,
    form: QuestionForm,
) -> Result<Response, PageError> {
    let (status, message) = form_error(e)?;
    let extra = Extra {
        form: Some(form),
        error: Some(message),
        ..Extra::default()
    };
    question_page(state, s, id, status, extra).await
}

async fn change(
    state: &AppState,
    s: &Session,
    ip: &str,
    raw: &str,
    csrf: &str,
    approve: bool,
) -> Result<Response, PageError> {
    check_form_csrf(s, csrf)?;
    let id = parse_id(raw)?;
    let ctx = ctx_of(state, s, ip);
    let pool = &state.app.db.pool;
    let result = if approve {
        admin::approve(pool, &ctx, &[id]).await
    } else {
        admin::retire(pool, &ctx, &[id]).await
    };
    match result {
        Ok(_) => {
            let done = if approve {
                "已审核通过"
            } else {
                "已停用"
            };
            let to = format!("/admin/questions/{id}?{}", encode_query(&[("done", done)]));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let (status, message) = form_error(e)?;
            let extra = Extra {
                error: Some(message),
                ..Extra::default()
            };
            question_page(state, s, id, status, extra).await
        }
    }
}

pub async fn approve(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    PageForm(f): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    change(&state, &s, &ip, &raw, &f.csrf_token, true).await
}

pub async fn retire(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientIp(ip): ClientIp,
    Path(raw): Path<String>,
    PageForm(f): PageForm<CsrfForm>,
) -> Result<Response, PageError> {
    change(&state, &s, &ip, &raw, &f.csrf_token, false).await
}
