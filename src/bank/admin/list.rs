//! The admin list of questions: its filters and pages, the review queue, and the questions
//! before and after one in either (for a question page's 上一题 / 下一题).

use serde::Serialize;
use sqlx::AnyConnection;

use super::require_editor;
use crate::accounts::Actor;
use crate::bank::BankError;
use crate::bank::import::LawBook;
use crate::bank::model::{Origin, QuestionType, Status};
use crate::bank::store::{self, ListQuery, QuestionSummary};

/// Most questions on one page.
pub const MAX_PER_PAGE: i64 = 500;

/// Filters of the admin list; `None` is not applied. `law` is a title as typed (short titles
/// and aliases too); `stem` a substring of the stem.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ListFilter {
    #[serde(rename = "type")]
    #[param(value_type = Option<String>)]
    pub qtype: Option<QuestionType>,
    pub law: Option<String>,
    pub tag: Option<String>,
    #[param(value_type = Option<String>)]
    pub status: Option<Status>,
    #[param(value_type = Option<String>)]
    pub origin: Option<Origin>,
    pub needs_review: Option<bool>,
    pub q: Option<String>,
    /// From 1.
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page {
    pub items: Vec<QuestionSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

pub async fn list(
    conn: &mut AnyConnection,
    laws: &LawBook,
    actor: &Actor,
    f: &ListFilter,
) -> Result<Page, BankError> {
    require_editor(actor)?;
    let per_page = f.per_page.unwrap_or(50).clamp(1, MAX_PER_PAGE);
    let page = f.page.unwrap_or(1).max(1);
    let query = ListQuery {
        offset: (page - 1).saturating_mul(per_page),
        limit: per_page,
        ..query_of(laws, f)
    };
    let (items, total) = store::list(&mut *conn, &query).await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

fn query_of(laws: &LawBook, f: &ListFilter) -> ListQuery {
    ListQuery {
        qtype: f.qtype,
        statutes: f.law.as_deref().map(|l| laws.statutes_named(l)),
        tag: f.tag.clone(),
        status: f.status,
        origin: f.origin,
        needs_review: f.needs_review,
        stem: f.q.clone(),
        ..ListQuery::default()
    }
}

/// Where a question page was opened from, for its 上一题 / 下一题 links.
#[derive(Debug, Clone)]
pub enum Within<'a> {
    /// The admin list with these filters (newest first).
    List(&'a ListFilter),
    /// The review queue (oldest flag first).
    Review,
}

/// The questions before and after `id` in a list: (previous, next).
pub async fn neighbours(
    conn: &mut AnyConnection,
    laws: &LawBook,
    actor: &Actor,
    within: Within<'_>,
    id: i64,
) -> Result<(Option<i64>, Option<i64>), BankError> {
    require_editor(actor)?;
    Ok(match within {
        Within::List(f) => store::neighbours(&mut *conn, &query_of(laws, f), id, true).await?,
        Within::Review => {
            let q = ListQuery {
                needs_review: Some(true),
                live_only: true,
                ..ListQuery::default()
            };
            store::neighbours(&mut *conn, &q, id, false).await?
        }
    })
}

/// Questions whose cited articles changed in a newer version of their law.
pub async fn review_queue(
    conn: &mut AnyConnection,
    actor: &Actor,
) -> Result<Vec<QuestionSummary>, BankError> {
    require_editor(actor)?;
    Ok(store::needs_review(&mut *conn).await?)
}
