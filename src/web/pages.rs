//! The Chinese pages: home, search results, the law library and a law.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::api::parse_id;
use super::auth::MaybeUser;
use super::{AppState, PageError, WebError, law_view, views};
use crate::corpus::classify::{LEVELS, NATIONAL};
use crate::corpus::store::{self, LawSummary};
use crate::search::{DEFAULT_LIMIT, MAX_OFFSET, SearchRequest};

pub async fn home(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
) -> Result<Html<String>, PageError> {
    let pool = &state.app.db.pool;
    let (laws, articles) = store::totals(pool).await?;
    let groups = library(store::list_laws(pool).await?, &state.app.config.region);
    let categories: Vec<_> = groups
        .iter()
        .map(|g| context! { name => g.name.clone(), count => g.count, url => g.url.clone() })
        .collect();
    let ctx = context! { stats => context! { laws, articles }, categories };
    Ok(Html(views::page("index.html", me.as_ref(), ctx)?))
}

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
    article_label: String,
    heading: String,
    level: String,
    region: String,
    snippet: String,
}

pub async fn search(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    Query(p): Query<SearchPage>,
) -> Result<Html<String>, PageError> {
    let q = p.q.clone().unwrap_or_default();
    let all_versions = p.all_versions.as_deref() == Some("true");
    let law = p.law.clone().filter(|s| !s.trim().is_empty());
    let category = p.category.clone().filter(|s| !s.trim().is_empty());
    let max_page = MAX_OFFSET / DEFAULT_LIMIT + 1;
    let page = p
        .page
        .as_deref()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, max_page);
    let base =
        context! { q => q.clone(), law => law.clone(), category => category.clone(), all_versions };
    if q.trim().is_empty() {
        return Ok(Html(views::page("search.html", me.as_ref(), base)?));
    }
    let req = SearchRequest {
        q: q.clone(),
        law: law.clone(),
        category: category.clone(),
        limit: Some(DEFAULT_LIMIT),
        offset: Some((page - 1) * DEFAULT_LIMIT),
        all_versions: Some(all_versions),
    };
    let results = match state.app.search.search_async(req).await {
        Ok(r) => r,
        Err(e) if e.is_user_error() => {
            let ctx = context! { error => e.to_string(), ..base };
            return Ok(Html(views::page("search.html", me.as_ref(), ctx)?));
        }
        Err(e) => return Err(e.into()),
    };
    let pages = results.total.div_ceil(DEFAULT_LIMIT).clamp(1, max_page);
    let page_url = |n: usize| {
        let mut params: Vec<(&str, String)> = vec![("q", q.clone())];
        if let Some(l) = &law {
            params.push(("law", l.clone()));
        }
        if let Some(c) = &category {
            params.push(("category", c.clone()));
        }
        if all_versions {
            params.push(("all_versions", "true".into()));
        }
        params.push(("page", n.to_string()));
        format!("/search?{}", encode_query(&params))
    };
    let hits: Vec<HitView> = results
        .hits
        .into_iter()
        .map(|h| HitView {
            url: format!("/laws/{}#{}", h.law_id, h.anchor),
            law_title: h.law_title,
            version_date: h.version_date,
            current: h.current,
            repealed: h.repealed,
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
        })
        .collect();
    let ctx = context! {
        total => results.total,
        took_ms => results.took_ms,
        error => results.notice,
        hits => v(&hits),
        page,
        pages,
        prev_url => (page > 1).then(|| page_url(page - 1)),
        next_url => (page < pages).then(|| page_url(page + 1)),
        ..base
    };
    Ok(Html(views::page("search.html", me.as_ref(), ctx)?))
}

#[derive(Debug, Deserialize)]
pub struct LawsPage {
    category: Option<String>,
}

pub async fn laws(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    Query(p): Query<LawsPage>,
) -> Result<Html<String>, PageError> {
    let mut groups = library(
        store::list_laws(&state.app.db.pool).await?,
        &state.app.config.region,
    );
    match p.category.as_deref().filter(|c| !c.is_empty()) {
        Some(cat) => groups.retain(|g| g.name == cat),
        // The whole library is thousands of titles: on a slow link, list groups first.
        None => groups.iter_mut().for_each(|g| g.laws.clear()),
    }
    Ok(Html(views::page(
        "laws.html",
        me.as_ref(),
        context! { groups => v(&groups) },
    )?))
}

pub async fn law(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    Path(law_id): Path<String>,
) -> Result<Html<String>, PageError> {
    let law_id = parse_id(&law_id)?;
    let page = law_view::page(&state.app.db.pool, law_id).await?;
    let d = page.detail;
    let law = context! {
        law_id => d.law.law_id,
        title => d.law.title,
        version_date => d.law.version_date,
        category => d.law.category,
        level => d.law.level,
        region => d.law.region,
        current => d.law.current != 0,
        repealed_by => d.law.repealed_by,
    };
    let ctx = context! {
        law,
        events => v(&d.events),
        toc => v(&d.toc),
        versions => v(&d.versions),
        preamble => v(&page.preamble),
        items => v(&page.items),
    };
    Ok(Html(views::page("law.html", me.as_ref(), ctx)?))
}

/// A serializable view model as a template value.
fn v<T: Serialize>(t: &T) -> Value {
    Value::from(Serde(t))
}

pub async fn not_found() -> PageError {
    PageError(WebError::NotFound("页面不存在".into()))
}

pub async fn method_not_allowed() -> PageError {
    PageError(WebError::MethodNotAllowed)
}

/// A group of the law library: a level (法律, 行政法规 …) or a province's local regulations.
#[derive(Debug, Serialize)]
pub struct LibraryGroup {
    name: String,
    count: usize,
    url: String,
    laws: Vec<LibraryLaw>,
}

#[derive(Debug, Serialize)]
struct LibraryLaw {
    url: String,
    title: String,
    version_date: String,
    articles: i64,
    current: bool,
}

/// Current laws grouped by level, national first, the home region's regulations next.
fn library(all: Vec<LawSummary>, home_region: &str) -> Vec<LibraryGroup> {
    let group_of = |l: &LawSummary| -> (usize, String) {
        let rank = LEVELS
            .iter()
            .position(|x| *x == l.level)
            .unwrap_or(LEVELS.len());
        if l.region == NATIONAL {
            (rank, l.level.clone())
        } else if home_region.starts_with(l.region.as_str()) {
            (LEVELS.len() + 1, format!("{}·{}", l.level, l.region))
        } else {
            (LEVELS.len() + 2, format!("{}·{}", l.level, l.region))
        }
    };
    let mut map: std::collections::BTreeMap<(usize, String), Vec<LibraryLaw>> = Default::default();
    for l in all.into_iter().filter(|l| l.current != 0) {
        map.entry(group_of(&l)).or_default().push(LibraryLaw {
            url: format!("/laws/{}", l.law_id),
            title: l.title,
            version_date: l.version_date,
            articles: l.articles,
            current: true,
        });
    }
    map.into_iter()
        .map(|((_, name), laws)| LibraryGroup {
            url: format!("/laws?{}", encode_query(&[("category", name.clone())])),
            count: laws.len(),
            name,
            laws,
        })
        .collect()
}

/// `application/x-www-form-urlencoded` query string.
fn encode_query(params: &[(&str, String)]) -> String {
    serde_urlencoded::to_string(params).unwrap_or_default()
}
