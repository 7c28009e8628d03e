//! The search results page: hits grouped by law, level and region facets, paging, the
//! repealed-law notice, law-name choices, and the closest titles when nothing is found.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::v;
use crate::corpus::classify::NATIONAL;
use crate::search::{
    DEFAULT_LIMIT, FacetCount, MAX_OFFSET, SearchError, SearchHit, SearchRequest, SearchResults,
};
use crate::web::auth::MaybeUser;
use crate::web::kit::{Pager, encode_query};
use crate::web::{AppState, PageError, views};

#[derive(Debug, Deserialize)]
pub struct SearchPage {
    q: Option<String>,
    law: Option<String>,
    category: Option<String>,
    level: Option<String>,
    region: Option<String>,
    all_versions: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct HitView {
    url: String,
    law_id: i64,
    /// This search within the hit's law (只看本法), once the page sets it.
    only_url: String,
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
            law_id: h.law_id,
            only_url: String::new(),
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

/// Consecutive hits of one law, shown under its title.
#[derive(Serialize)]
struct Group {
    law_title: String,
    law_url: String,
    only_url: String,
    hits: Vec<HitView>,
}

/// One choice of a facet: a link that keeps the query and the other filters.
#[derive(Serialize)]
struct Choice {
    value: String,
    count: usize,
    url: String,
    active: bool,
}

/// The page's filters, to build links to other pages of the same search.
#[derive(Clone)]
struct Filters {
    q: String,
    law: Option<String>,
    category: Option<String>,
    level: Option<String>,
    region: Option<String>,
    all_versions: bool,
}

impl Filters {
    fn url(&self, page: i64) -> String {
        let page = if page > 1 {
            page.to_string()
        } else {
            String::new()
        };
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let params = [
            ("q", self.q.clone()),
            ("law", opt(&self.law)),
            ("category", opt(&self.category)),
            ("level", opt(&self.level)),
            ("region", opt(&self.region)),
            (
                "all_versions",
                if self.all_versions { "true" } else { "" }.to_string(),
            ),
            ("page", page),
        ];
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        format!("/search?{}", encode_query(&params))
    }

    /// The first page of this search with one change.
    fn with(&self, change: impl FnOnce(&mut Filters)) -> String {
        let mut f = self.clone();
        change(&mut f);
        f.url(1)
    }

    /// A facet's choices; choosing the active one again removes the filter.
    fn choices(
        &self,
        counts: &[FacetCount],
        current: Option<&String>,
        set: fn(&mut Filters, Option<String>),
    ) -> Vec<Choice> {
        counts
            .iter()
            .map(|c| {
                let active = current == Some(&c.value);
                let value = (!active).then(|| c.value.clone());
                Choice {
                    value: c.value.clone(),
                    count: c.count,
                    url: self.with(|f| set(f, value)),
                    active,
                }
            })
            .collect()
    }
}

/// The hits of a page in runs of one law, each hit and run with its 只看本法 link.
fn groups(f: &Filters, hits: Vec<SearchHit>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for h in hits {
        let only_url = f.with(|f| f.law = Some(h.law_title.clone()));
        let mut view = HitView::from(h);
        view.only_url = only_url.clone();
        match groups.last_mut() {
            Some(g) if g.hits.last().is_some_and(|last| last.law_id == view.law_id) => {
                g.hits.push(view)
            }
            _ => groups.push(Group {
                law_title: view.law_title.clone(),
                law_url: format!("/laws/{}", view.law_id),
                only_url,
                hits: vec![view],
            }),
        }
    }
    groups
}

/// The facets of the results as links, with a link to drop each active filter.
fn facets(f: &Filters, r: &SearchResults) -> minijinja::Value {
    let levels = f.choices(&r.facets.levels, f.level.as_ref(), |f, v| f.level = v);
    let regions = f.choices(&r.facets.regions, f.region.as_ref(), |f, v| f.region = v);
    context! {
        laws => r.facets.laws,
        levels => v(&levels),
        regions => v(&regions),
        all_levels => f.with(|f| f.level = None),
        all_regions => f.with(|f| f.region = None),
    }
}

pub async fn search(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    Query(p): Query<SearchPage>,
) -> Result<Response, PageError> {
    let set = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let f = Filters {
        q: p.q.clone().unwrap_or_default(),
        law: set(&p.law),
        category: set(&p.category),
        level: set(&p.level),
        region: set(&p.region),
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
        level => f.level.clone(), region => f.region.clone(), all_versions => f.all_versions,
        without_law => f.with(|f| f.law = None),
        without_category => f.with(|f| f.category = None),
        without_level => f.with(|f| f.level = None),
        without_region => f.with(|f| f.region = None),
        all_versions_url => f.with(|f| f.all_versions = true),
        unfiltered_url => f.with(|f| { f.law = None; f.category = None; f.level = None; f.region = None }),
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
        level: f.level.clone(),
        region: f.region.clone(),
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
                .map(|title| context! { title => title.clone(), url => f.with(|f| f.law = Some(title.clone())) })
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
    let pager = Pager::new(asked as i64, reachable as i64, limit, |p| f.url(p));
    if let Some(last) = pager.past_end.as_deref()
        && results.total > 0
    {
        return Ok(Redirect::to(last).into_response());
    }
    // Nothing found: the laws the query may have meant by name.
    let closest = if results.total == 0 {
        state.app.search.closest_laws(&f.q)
    } else {
        Vec::new()
    };
    let facets = facets(&f, &results);
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
    let groups = groups(&f, results.hits);
    let ctx = context! {
        materials => v(&results.materials),
        total => results.total,
        notice => results.notice,
        repealed,
        groups => v(&groups),
        facets,
        closest => v(&closest),
        pager,
        ..base
    };
    Ok(Html(views::page("search.html", me.as_ref(), ctx)?).into_response())
}
