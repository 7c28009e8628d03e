//! One question of the bank: as the official sees it, its versions, the edit form with a
//! preview, approving and retiring.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_pages::ctx_of;
use super::auth::{BankEditor, ClientIp, Session};
use super::extract::PagePath;
use super::kit::{self, beijing_time, form_error, render};
use super::{AppState, PageError, WebError};
use crate::bank::BankError;
use crate::bank::admin::{self, Within};
use crate::bank::changes::{self, VersionChanges};
use crate::bank::import::row::parse_type;
use crate::bank::import::{QuestionForm, parse_form, resolve};
use crate::bank::model::{Origin, QuestionType};
use crate::bank::store::{self, QuestionDetail};
use crate::db::commit_if_ok;

use super::admin_bank::{
    BankQuery, LETTERS, articles_value, draft_value, law_book, query_string, row_value, some,
    stem_short,
};

pub(super) fn parse_id(raw: &str) -> Result<i64, WebError> {
    kit::parse_id(raw, "题目不存在")
}

/// The edit form, with the template's columns as fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditForm {
    /// The version the edit started from (a later one saved meanwhile refuses the save). The
    /// page always sends it; without it the version read at the start of the request counts.
    version_id: Option<i64>,
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

/// The form's values: what was typed, or the current version's. A choice question gets a box
/// per option plus an empty one to add (four when it has fewer than two, e.g. just switched
/// from 判断); 判断 and 填空 get none.
fn form_value(f: &QuestionForm) -> Value {
    let choice = matches!(
        parse_type(&f.qtype),
        Some(QuestionType::Single | QuestionType::Multiple)
    );
    let filled = f
        .options
        .iter()
        .rposition(|o| !o.trim().is_empty())
        .map_or(0, |i| i + 1);
    let boxes = match (choice, filled) {
        (false, 0) => 0,
        (false, n) => n,
        (true, n) if n < 2 => 4,
        (true, n) => (n + 1).min(LETTERS.len()),
    };
    let options: Vec<Value> = LETTERS
        .iter()
        .take(boxes)
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
        choice,
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
pub(super) struct Extra {
    form: Option<QuestionForm>,
    preview: Option<Value>,
    warnings: Vec<String>,
    /// Why an action (approve, retire) was refused: shown at the top.
    error: Option<String>,
    /// Why the edit form was refused: shown at the form, where the page scrolls to.
    edit_error: Option<String>,
    done: Option<String>,
    /// The version a previewed edit started from (else the current one).
    based_on: Option<i64>,
}

impl Extra {
    /// The page with why an action was refused.
    pub(super) fn refused(message: String) -> Extra {
        Extra {
            error: Some(message),
            ..Extra::default()
        }
    }
}

pub(super) async fn question_page(
    state: &AppState,
    s: &Session,
    id: i64,
    nav: &BankQuery,
    status: StatusCode,
    extra: Extra,
) -> Result<Response, PageError> {
    let pool = &state.app.db.pool;
    let d = admin::get(&mut *pool.acquire().await?, &s.actor, id).await?;
    let book = law_book(state).await?;
    let versions =
        versions_value(&changes::history(&mut *pool.acquire().await?, &s.actor, id).await?);
    let filter = nav.filter();
    let within = if nav.opened_from_review() {
        Within::Review
    } else {
        Within::List(&filter)
    };
    let (prev, next) =
        admin::neighbours(&mut *pool.acquire().await?, &book, &s.actor, within, id).await?;
    let query = nav.nav();
    let link = |other: Option<i64>| other.map(|o| format!("/admin/questions/{o}{query}"));
    let back_url = if nav.opened_from_review() {
        "/admin/questions/review".to_string()
    } else {
        format!("/admin/questions{query}")
    };
    let form = extra.form.unwrap_or_else(|| current_form(&d));
    // 推荐依据: for a suggested basis awaiting confirmation, or a question citing nothing.
    let suggested = store::suggested::is_marked(&mut *pool.acquire().await?, id)
        .await?
        .unwrap_or(false);
    let candidates = if suggested || d.articles.is_empty() {
        super::admin_bank_basis::candidates_value(state, &book, &d).await?
    } else {
        Value::from(Vec::<Value>::new())
    };
    let ctx = context! {
        section => "questions",
        q => row_value(&d.summary, Some(&d)),
        view => draft_value(&d.draft()),
        articles => articles_value(&d.articles),
        basis_warnings => resolve::stored_warnings(&book, &d.articles),
        suggested,
        candidates,
        versions,
        form => form_value(&form),
        based_on => extra.based_on.unwrap_or(d.summary.version_id),
        types => Value::from(
            ["单选", "多选", "判断", "填空"].to_vec()
        ),
        preview => extra.preview,
        warnings => extra.warnings,
        error => extra.error,
        edit_error => extra.edit_error,
        done => extra.done,
        can_edit => s.actor.may_edit_bank(),
        updated => format!("{}，{}", d.summary.updated_by, beijing_time(d.summary.updated_at)),
        query => query.clone(),
        back_url,
        from_review => nav.opened_from_review(),
        prev_url => link(prev),
        next_url => link(next),
    };
    render(status, "admin_bank_question.html", Some(s), ctx)
}

/// The version table: each version with what it changed against the one before.
fn versions_value(history: &[VersionChanges]) -> Value {
    let last = history.len();
    let rows: Vec<Value> = history
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let c = &v.changes;
            context! {
                version_no => v.version.version_no,
                first => i == 0,
                stem => stem_short(&v.version.draft.stem),
                stem_diff => Value::from(Serde(&c.stem)),
                fields => Value::from(Serde(&c.fields)),
                unchanged => i > 0 && c.names().is_empty(),
                by => v.version.created_by.clone(),
                at => beijing_time(v.version.created_at),
                current => i + 1 == last,
            }
        })
        .collect();
    Value::from(rows)
}

pub async fn question(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    PagePath(raw): PagePath<String>,
    Query(nav): Query<BankQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw)?;
    let extra = Extra {
        done: some(&nav.done),
        ..Extra::default()
    };
    question_page(&state, &s, id, &nav, StatusCode::OK, extra).await
}

/// This question's page again, keeping the list it was opened from, with a message.
pub(super) fn back_to(id: i64, nav: &BankQuery, done: &str) -> Response {
    let mut params = nav.params();
    params.push(("done", done));
    let to = format!("/admin/questions/{id}{}", query_string(&params));
    Redirect::to(&to).into_response()
}

/// 预览 re-renders the page with the form's question; 保存 stores it as a new version. Both
/// refuse a form whose basis does not resolve, keeping what was typed.
pub async fn edit(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    Query(nav): Query<BankQuery>,
    PageForm(f): PageForm<EditForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw)?;
    let pool = &state.app.db.pool;
    let current = admin::get(&mut *state.app.db.read().await?, &s.actor, id).await?;
    let book = law_book(&state).await?;
    let form = f.question_form();
    let based_on = f.version_id.unwrap_or(current.summary.version_id);
    let origin = match current.summary.origin {
        Origin::Generated | Origin::Imported => current.summary.origin,
        Origin::Authored => Origin::Authored,
    };
    let (draft, warnings) = match parse_form(pool, &book, &form, origin).await {
        Ok(ok) => ok,
        Err(e) => return refused(&state, &s, id, &nav, e, form).await,
    };
    if f.action != "save" {
        let extra = Extra {
            preview: Some(draft_value(&draft)),
            based_on: Some(based_on),
            warnings,
            form: Some(form),
            ..Extra::default()
        };
        return question_page(&state, &s, id, &nav, StatusCode::OK, extra).await;
    }
    let mut tx = state.app.db.write().await?;
    let saved = admin::edit(&mut tx, &ctx_of(&state, &s, &ip), id, based_on, &draft).await;
    match commit_if_ok(tx, saved).await {
        Ok(_) => {
            let saved = admin::get(&mut *state.app.db.read().await?, &s.actor, id)
                .await?
                .summary
                .version_no;
            Ok(back_to(id, &nav, &format!("已保存为第 {saved} 版")))
        }
        Err(e) => refused(&state, &s, id, &nav, e, form).await,
    }
}

/// The question page again with the refused form and why.
async fn refused(
    state: &AppState,
    s: &Session,
    id: i64,
    nav: &BankQuery,
    e: BankError,
    form: QuestionForm,
) -> Result<Response, PageError> {
    let (status, message) = form_error(e)?;
    let extra = Extra {
        form: Some(form),
        edit_error: Some(message),
        ..Extra::default()
    };
    question_page(state, s, id, nav, status, extra).await
}

async fn change(
    state: &AppState,
    s: &Session,
    ip: &str,
    (raw, nav): (&str, &BankQuery),
    approve: bool,
) -> Result<Response, PageError> {
    let id = parse_id(raw)?;
    let ctx = ctx_of(state, s, ip);
    let mut tx = state.app.db.write().await?;
    let result = if approve {
        admin::approve(&mut tx, &ctx, &[id]).await
    } else {
        admin::retire(&mut tx, &ctx, &[id]).await
    };
    match commit_if_ok(tx, result).await {
        Ok(_) => Ok(back_to(
            id,
            nav,
            if approve {
                "已审核通过"
            } else {
                "已停用"
            },
        )),
        Err(e) => {
            let (status, message) = form_error(e)?;
            let extra = Extra {
                error: Some(message),
                ..Extra::default()
            };
            question_page(state, s, id, nav, status, extra).await
        }
    }
}

pub async fn approve(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    Query(nav): Query<BankQuery>,
) -> Result<Response, PageError> {
    change(&state, &s, &ip, (&raw, &nav), true).await
}

pub async fn retire(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    Query(nav): Query<BankQuery>,
) -> Result<Response, PageError> {
    change(&state, &s, &ip, (&raw, &nav), false).await
}
