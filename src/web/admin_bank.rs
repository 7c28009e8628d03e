//! The question bank pages: the list with its filters and the review queue. One question
//! lives in `admin_bank_question`; import, export and generation in `admin_bank_io`. Only
//! system administrators and bank editors (题库管理员) see the bank: its guard is the
//! `BankEditor` extractor, and the domain in `bank::admin` checks again.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::admin_pages::ctx_of;
use super::auth::{BankEditor, ClientIp};
use super::kit::{Pager, encode_query, page_number, render};
use super::{AppState, PageError};
use crate::bank::admin::{self, ListFilter};
use crate::bank::import::{LawBook, answer_text};
use crate::bank::model::{Origin, QuestionDraft, QuestionType, Status};
use crate::bank::store::{self, BasisView, QuestionDetail, QuestionSummary};
use crate::corpus::numerals::anchor;

/// Questions per list page.
const PER_PAGE: i64 = 50;
/// Option letters of the template (选项A … 选项H).
pub(super) const LETTERS: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];

pub(super) async fn law_book(state: &AppState) -> Result<LawBook, PageError> {
    let app = &state.app;
    Ok(LawBook::load(&mut *app.db.read().await?, &app.config.project_corpus).await?)
}

pub(super) fn article_url(law_id: i64, no: u32, sub: u32) -> String {
    super::pages::article_url(law_id, &anchor(no, sub))
}

pub(super) fn stem_short(stem: &str) -> String {
    let short: String = stem.chars().take(60).collect();
    if stem.chars().count() > 60 {
        format!("{short}…")
    } else {
        short
    }
}

pub(super) fn articles_value(articles: &[BasisView]) -> Value {
    let items: Vec<Value> = articles
        .iter()
        .map(|a| {
            context! {
                title => format!("《{}》{}", a.law_title, a.article_label),
                url => article_url(a.law_id, a.article_no, a.article_sub),
                text => a.article_text.clone(),
                current => a.current,
                version_date => a.version_date.clone(),
            }
        })
        .collect();
    Value::from(items)
}

/// A list row: the summary, with basis links when the detail is at hand.
pub(super) fn row_value(s: &QuestionSummary, d: Option<&QuestionDetail>) -> Value {
    let basis = match d {
        Some(d) => articles_value(&d.articles),
        None => Value::from(
            s.basis
                .iter()
                .map(|b| context! { title => b.clone() })
                .collect::<Vec<_>>(),
        ),
    };
    context! {
        id => s.question_id,
        type_label => s.qtype.label(),
        stem => stem_short(&s.stem),
        basis,
        status => store::status_str(s.status),
        status_label => s.status_label(),
        origin_label => s.origin_label(),
        needs_review => s.needs_review,
        review_note => s.review_note.clone(),
        version_no => s.version_no,
    }
}

/// A question's content as the official sees it (options lettered, answer, 解析).
pub(super) fn draft_value(d: &QuestionDraft) -> Value {
    let options: Vec<Value> = d
        .options
        .iter()
        .zip(LETTERS)
        .map(|(o, l)| context! { letter => l, text => o.clone() })
        .collect();
    let basis: Vec<Value> = d
        .basis
        .iter()
        .map(|b| {
            context! {
                title => format!("《{}》{}", b.law_title, b.article_label),
                url => article_url(b.law_id, b.article_no, b.article_sub),
            }
        })
        .collect();
    context! {
        type_label => d.qtype.label(),
        stem => d.stem.clone(),
        options => Value::from(options),
        answer => answer_text(&d.answer),
        explanation => d.explanation.clone(),
        basis => Value::from(basis),
        difficulty => d.difficulty,
        tags => d.tags.join("；"),
    }
}

/// The list's query: its filters, the page, a message after an action; on a question page
/// the same filters (or `from=review`) say which list 上一题 / 下一题 walk.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BankQuery {
    #[serde(rename = "type")]
    qtype: String,
    law: String,
    tag: String,
    status: String,
    origin: String,
    needs_review: String,
    q: String,
    page: String,
    pub(super) done: String,
    /// `review` when a question page was opened from the review queue.
    from: String,
}

impl BankQuery {
    pub(super) fn filter(&self) -> ListFilter {
        ListFilter {
            qtype: QuestionType::parse(&self.qtype),
            law: some(&self.law),
            tag: some(&self.tag),
            status: store::parse_status(self.status.trim()),
            origin: store::parse_origin(self.origin.trim()),
            needs_review: matches!(self.needs_review.as_str(), "1" | "true" | "on").then_some(true),
            q: some(&self.q),
            page: None,
            per_page: None,
        }
    }

    pub(super) fn opened_from_review(&self) -> bool {
        self.from == "review"
    }

    /// The filters given (or `from=review`), without page and message.
    pub(super) fn params(&self) -> Vec<(&'static str, &str)> {
        if self.opened_from_review() {
            return vec![("from", "review")];
        }
        [
            ("type", self.qtype.as_str()),
            ("law", self.law.as_str()),
            ("tag", self.tag.as_str()),
            ("status", self.status.as_str()),
            ("origin", self.origin.as_str()),
            ("needs_review", self.needs_review.as_str()),
            ("q", self.q.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
    }

    /// `?type=single&…` with the filters, or empty.
    pub(super) fn nav(&self) -> String {
        query_string(&self.params())
    }
}

/// `?a=b&…`, or empty when there are no parameters.
pub(super) fn query_string(params: &[(&str, &str)]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        format!("?{}", encode_query(params))
    }
}

pub(super) fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub async fn list(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    Query(q): Query<BankQuery>,
) -> Result<Response, PageError> {
    let book = law_book(&state).await?;
    let page = page_number(&q.page);
    let filter = ListFilter {
        page: Some(page),
        per_page: Some(PER_PAGE),
        ..q.filter()
    };
    let pool = &state.app.db.pool;
    let result = admin::list(&mut *pool.acquire().await?, &book, &s.actor, &filter).await?;
    let params = q.params();
    let pager = Pager::new(page, result.total, PER_PAGE, |p| {
        let mut all = params.clone();
        let n = p.to_string();
        all.push(("page", &n));
        format!("/admin/questions?{}", encode_query(&all))
    });
    if let Some(last) = pager.past_end.as_deref() {
        return Ok(Redirect::to(last).into_response());
    }
    let nav = q.nav();
    let mut rows = Vec::with_capacity(result.items.len());
    for item in &result.items {
        let detail = store::get(&mut *pool.acquire().await?, item.question_id).await?;
        rows.push(row_value(item, detail.as_ref()));
    }
    let drafts = if s.actor.may_edit_bank() {
        admin::generated_drafts(pool).await?
    } else {
        0
    };
    // The bulk approval applies to the list of generated drafts; elsewhere a link leads there.
    let on_drafts = filter.origin == Some(Origin::Generated)
        && matches!(filter.status, None | Some(Status::Draft));
    let unknown_law = filter
        .law
        .as_deref()
        .is_some_and(|l| book.statutes_named(l).is_empty());
    let ctx = context! {
        section => "questions",
        rows => Value::from(rows),
        total => result.total,
        pager,
        f => context! {
            qtype => q.qtype.clone(), law => q.law.clone(), tag => q.tag.clone(),
            status => q.status.clone(), origin => q.origin.clone(),
            needs_review => !q.needs_review.is_empty(), q => q.q.clone(),
        },
        unknown_law,
        done => some(&q.done),
        can_edit => s.actor.may_edit_bank(),
        nav,
        drafts,
        bulk_approve => s.actor.may_edit_bank() && on_drafts && drafts > 0,
    };
    render(StatusCode::OK, "admin_bank.html", Some(&s), ctx)
}

/// Approves every generated draft, then back to the list of drafts.
pub async fn approve_generated(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
    ClientIp(ip): ClientIp,
) -> Result<Response, PageError> {
    let mut tx = state.app.db.write().await?;
    let n = admin::approve_all_generated(&mut tx, &ctx_of(&state, &s, &ip)).await?;
    tx.commit().await?;
    let done = format!("已审核通过 {n} 道生成的题目");
    let to = format!("/admin/questions?{}", encode_query(&[("done", &done)]));
    Ok(Redirect::to(&to).into_response())
}

/// Questions flagged because an article they cite changed, with that article.
pub async fn review(
    State(state): State<AppState>,
    BankEditor { session: s }: BankEditor,
) -> Result<Response, PageError> {
    let pool = &state.app.db.pool;
    let queue = admin::review_queue(&mut *pool.acquire().await?, &s.actor).await?;
    let mut rows = Vec::with_capacity(queue.len());
    for item in &queue {
        let detail = store::get(&mut *pool.acquire().await?, item.question_id).await?;
        rows.push(row_value(item, detail.as_ref()));
    }
    let ctx = context! {
        section => "questions",
        rows => Value::from(rows),
        can_edit => s.actor.may_edit_bank(),
    };
    render(StatusCode::OK, "admin_bank_review.html", Some(&s), ctx)
}
