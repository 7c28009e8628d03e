//! 推荐依据 on a question page: the suggester's candidate articles with their text, and the
//! two actions, 确认 (keep the suggested basis) and 选用 (cite another candidate instead).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use serde::Deserialize;

use super::account_pages::PageForm;
use super::admin_bank::{BankQuery, article_url};
use super::admin_bank_question::{Extra, back_to, parse_id, question_page};
use super::admin_pages::ctx_of;
use super::auth::{BankEditor, ClientIp};
use super::extract::PagePath;
use super::kit::form_error;
use super::{AppState, PageError};
use crate::bank::BankError;
use crate::bank::admin;
use crate::bank::import::LawBook;
use crate::bank::model::Basis;
use crate::bank::store::QuestionDetail;
use crate::bank::suggest::{self, Question};
use crate::corpus::numerals::article_label;
use crate::db::commit_if_ok;

/// The candidates for a question, each with its text and whether it is the current basis.
pub(super) async fn candidates_value(
    state: &AppState,
    book: &LawBook,
    d: &QuestionDetail,
) -> Result<Value, PageError> {
    let q = Question::of(&d.draft(), book);
    let found = suggest::suggest_all(&state.app.search, vec![q])
        .await?
        .pop()
        .unwrap_or_default();
    let cited = |c: &suggest::Candidate| {
        d.articles.iter().any(|a| {
            (a.statute_id, a.article_no, a.article_sub)
                == (c.statute_id, c.article_no, c.article_sub)
        })
    };
    let items: Vec<Value> = found
        .iter()
        .map(|c| {
            context! {
                title => c.cite(),
                url => article_url(c.law_id, c.article_no, c.article_sub),
                text => c.text.clone(),
                score => format!("{:.2}", c.score),
                law_id => c.law_id,
                article_no => c.article_no,
                article_sub => c.article_sub,
                cited => cited(c),
            }
        })
        .collect();
    Ok(Value::from(items))
}

/// 确认: the suggested basis stands.
pub async fn confirm(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    Query(nav): Query<BankQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw)?;
    let mut tx = state.app.db.write().await?;
    let done = admin::confirm_basis(&mut tx, &ctx_of(&state, &s, &ip), id).await;
    match commit_if_ok(tx, done).await {
        Ok(()) => Ok(back_to(id, &nav, "已确认依据")),
        Err(e) => refused(&state, &s, id, &nav, e).await,
    }
}

/// The article picked, and the version the editor saw.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PickForm {
    version_id: i64,
    law_id: i64,
    article_no: u32,
    article_sub: u32,
}

/// 选用: cite this candidate instead (a new version).
pub async fn pick(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
    PagePath(raw): PagePath<String>,
    Query(nav): Query<BankQuery>,
    PageForm(f): PageForm<PickForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&raw)?;
    let article = Basis {
        law_id: f.law_id,
        law_title: String::new(),
        article_no: f.article_no,
        article_sub: f.article_sub,
        article_label: article_label(f.article_no, f.article_sub),
    };
    let mut tx = state.app.db.write().await?;
    let ctx = ctx_of(&state, &s, &ip);
    let done = admin::pick_basis(&mut tx, &ctx, id, f.version_id, &article).await;
    match commit_if_ok(tx, done).await {
        Ok(()) => Ok(back_to(id, &nav, "已选定依据")),
        Err(e) => refused(&state, &s, id, &nav, e).await,
    }
}

async fn refused(
    state: &AppState,
    s: &super::auth::Session,
    id: i64,
    nav: &BankQuery,
    e: BankError,
) -> Result<Response, PageError> {
    let (status, message): (StatusCode, String) = form_error(e)?;
    question_page(state, s, id, nav, status, Extra::refused(message)).await
}
