//! The Chinese pages: home, search results, the law library and a law.

mod search;

pub use search::search;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::api::parse_id;
use super::auth::MaybeUser;
use super::extract::PagePath;
use super::kit::encode_query;
use super::{AppState, PageError, WebError, law_cache, views};
use crate::corpus::library::{Group, Library};
use crate::corpus::store::LawSummary;

pub async fn home(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
) -> Result<Html<String>, PageError> {
    let lib = library(&state).await?;
    let (laws, articles) = (lib.current_laws, lib.current_articles);
    let categories: Vec<_> = lib
        .groups
        .iter()
        .map(|g| {
            let g = group_view(&lib, g, false);
            context! { name => g.name, count => g.count, url => g.url }
        })
        .collect();
    let ctx = context! { stats => context! { laws, articles }, categories };
    Ok(Html(views::page("index.html", me.as_ref(), ctx)?))
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
    let lib = library(&state).await?;
    let category = p
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let groups: Vec<LibraryGroup> = match category {
        Some(cat) => {
            let Some(g) = lib.groups.iter().find(|g| g.name == cat) else {
                let message = format!("法规库中没有「{cat}」这一类别");
                return Err(PageError(WebError::NotFound(message)));
            };
            vec![group_view(&lib, g, true)]
        }
        // The whole library is thousands of titles: on a slow link, list groups first.
        None => lib
            .groups
            .iter()
            .map(|g| group_view(&lib, g, false))
            .collect(),
    };
    Ok(Html(views::page(
        "laws.html",
        me.as_ref(),
        context! { groups => v(&groups) },
    )?))
}

#[derive(Debug, Deserialize)]
pub struct LawQuery {
    /// The part of a long law to show (1-based).
    part: Option<String>,
    /// An article anchor (`art-1079`): show the part holding it.
    art: Option<String>,
}

/// A law page: its table of contents and one part (the whole law when it is short), from the
/// rendered-page cache, 304 when the browser holds it.
pub async fn law(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    PagePath(law_id): PagePath<String>,
    Query(q): Query<LawQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let law_id = parse_id(&law_id)?;
    let law = state.law_pages.get(&state.app, law_id).await?;
    let part = law.select(q.part.as_deref(), q.art.as_deref())?;
    Ok(law_cache::respond(&law, part, me.as_ref(), &headers)?)
}

/// The link to an article on its law page: to the part of a long law that holds it.
pub fn article_url(law_id: i64, anchor: &str) -> String {
    format!("/laws/{law_id}?art={anchor}#{anchor}")
}

/// A serializable view model as a template value.
fn v<T: Serialize>(t: &T) -> Value {
    Value::from(Serde(t))
}

async fn library(state: &AppState) -> Result<std::sync::Arc<Library>, PageError> {
    let app = &state.app;
    Ok(app.library.get(&app.db, &app.config.region).await?)
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
    repealed: bool,
    successor_title: Option<String>,
    successor_url: Option<String>,
}

/// The view of a library group; its laws only when they are listed.
fn group_view(lib: &Library, g: &Group, with_laws: bool) -> LibraryGroup {
    let laws = if with_laws {
        g.laws.iter().map(|&i| law_view_of(&lib.laws[i])).collect()
    } else {
        Vec::new()
    };
    LibraryGroup {
        url: format!("/laws?{}", encode_query(&[("category", g.name.as_str())])),
        count: g.laws.len(),
        name: g.name.clone(),
        laws,
    }
}

fn law_view_of(l: &LawSummary) -> LibraryLaw {
    LibraryLaw {
        url: format!("/laws/{}", l.law_id),
        title: l.title.clone(),
        version_date: l.version_date.clone(),
        articles: l.articles,
        current: l.current != 0,
        repealed: l.repealed != 0,
        successor_url: l.successor_law_id.map(|id| format!("/laws/{id}")),
        successor_title: l.successor_title.clone(),
    }
}
