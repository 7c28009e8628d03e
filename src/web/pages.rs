//! The Chinese pages: home, search results, the law library and a law.

mod search;

pub use search::search;

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
    let category = p
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    match category {
        Some(cat) => {
            groups.retain(|g| g.name == cat);
            if groups.is_empty() {
                let message = format!("法规库中没有「{cat}」这一类别");
                return Err(PageError(WebError::NotFound(message)));
            }
        }
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
        successor_title => d.law.successor_title,
        successor_url => d.law.successor_law_id.map(|id| format!("/laws/{id}")),
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
    repealed: bool,
    successor_title: Option<String>,
    successor_url: Option<String>,
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
            repealed: l.repealed != 0,
            successor_url: l.successor_law_id.map(|id| format!("/laws/{id}")),
            successor_title: l.successor_title,
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
