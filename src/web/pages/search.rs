//! The search results page: hits, paging, the repealed-law notice and law-name choices.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::v;
use crate::corpus::classify::NATIONAL;
use crate::search::{DEFAULT_LIMIT, MAX_OFFSET, SearchError, SearchHit, SearchRequest};
use crate::web::auth::MaybeUser;
use crate::web::kit::{Pager, encode_query};
use crate::web::{AppState, PageError, views};

#[derive(Debug, Deserialize)]
pub struct SearchPage {
    q: Option<String>,
    law: Option<String>,
    category: Option<String>,
    all_versions: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct HitView {
    url: String,
    law_title: String,
    version_date: String,
    current: bool,
    repealed: bool,
    successor_title: Option<String>,
    successor_url: Option<String>,
    article_label: String,
    heading: String,
    level: String,
    region: String,
    snippet: String,
}

impl From<SearchHit> for HitView {
    fn from(h: SearchHit) -> Self {
        HitView {
            url: super::article_url(h.law_id, &h.anchor),
            law_title: h.law_title,
            version_date: h.version_date,
            current: h.current,
            repealed: h.repealed,
            successor_url: h.successor.as_ref().map(|s| format!("/laws/{}", s.law_id)),
            successor_title: h.successor.map(|s| s.title),
            article_label: h.article_label,
            heading: h.heading,
            level: h.level,
            // Only local regulations name their province; national is the default.
            region: if h.region == NATIONAL {
                String::new()
            } else {
                h.region
            },
            snippet: h.snippet,
        }
    }
}

/// The page's filters, to build links to other pages of the same search.
struct Filters {
    q: String,
    law: Option<String>,
    category: Option<String>,
    all_versions: bool,
}

impl Filters {
    fn url(&self, law: Option<&str>, page: i64) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        let params = [
            ("q", self.q.as_str()),
            ("law", law.unwrap_or_default()),
            ("category", self.category.as_deref().unwrap_or_default()),
            ("all_versions", if self.all_versions { "true" } else { "" }),
            ("page", page.as_str()),
        ];
        format!("/search?{}", encode_query(&params))
    }

    fn page_url(&self, page: i64) -> String {
        self.url(self.law.as_deref(), page)
    }
}

pub async fn search(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    Query(p): Query<SearchPage>,
) -> Result<Response, PageError> {
    let f = Filters {
        q: p.q.clone().unwrap_or_default(),
        law: p.law.clone().filter(|s| !s.trim().is_empty()),
        category: p.category.clone().filter(|s| !s.trim().is_empty()),
        all_versions: p.all_versions.as_deref() == Some("true"),
    };
    let max_page = MAX_OFFSET / DEFAULT_LIMIT + 1;
    let asked = p
        .page
        .as_deref()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let base = context! {
        q => f.q.clone(), law => f.law.clone(), category => f.category.clone(),
        all_versions => f.all_versions,
    };
    if f.q.trim().is_empty() {
        return Ok(Html(views::page("search.html", me.as_ref(), base)?).into_response());
    }
    // A page beyond the deepest reachable one is answered from the first, then redirected.
    let page = if asked > max_page { 1 } else { asked };
    let req = SearchRequest {
        q: f.q.clone(),
        law: f.law.clone(),
        category: f.category.clone(),
        limit: Some(DEFAULT_LIMIT),
        offset: Some((page - 1) * DEFAULT_LIMIT),
        all_versions: Some(f.all_versions),
    };
    let results = match state.app.search.search_async(req).await {
        Ok(r) => r,
        Err(e) if e.is_user_error() => {
            let choices: Vec<_> = e
                .candidates()
                .iter()
                .map(|title| context! { title => title.clone(), url => f.url(Some(title), 1) })
                .collect();
            let name = match &e {
                SearchError::AmbiguousLaw { name, .. } => Some(name.clone()),
                _ => None,
            };
            let ctx = context! { error => e.to_string(), name, choices, ..base };
            let html = views::page("search.html", me.as_ref(), ctx)?;
            return Ok((axum::http::StatusCode::BAD_REQUEST, Html(html)).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let reachable = results.total.min(max_page * DEFAULT_LIMIT);
    let limit = DEFAULT_LIMIT as i64;
    let pager = Pager::new(asked as i64, reachable as i64, limit, |p| f.page_url(p));
    if let Some(last) = pager.past_end.as_deref()
        && results.total > 0
    {
        return Ok(Redirect::to(last).into_response());
    }
    let repealed = results.repealed_law.map(|n| {
        let hits: Vec<HitView> = n.successor_hits.into_iter().map(HitView::from).collect();
        context! {
            message => n.message,
            title => n.title,
            successor_title => n.successor.as_ref().map(|s| s.title.clone()),
            successor_url => n.successor.as_ref().map(|s| format!("/laws/{}", s.law_id)),
            hits => v(&hits),
        }
    });
    let hits: Vec<HitView> = results.hits.into_iter().map(HitView::from).collect();
    let ctx = context! {
        total => results.total,
        notice => results.notice,
        repealed,
        hits => v(&hits),
        pager,
        ..base
    };
    Ok(Html(views::page("search.html", me.as_ref(), ctx)?).into_response())
}
