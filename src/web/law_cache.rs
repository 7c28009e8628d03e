//! Law pages rendered once: a law's parts are rendered (and gzipped) on the first request
//! after an import and kept until the laws change again (the library cache's generation
//! moves on every import, re-index or change another node made). A visitor gets the stored
//! bytes; a signed-in official the stored body inside a freshly rendered header. Every part
//! carries an ETag (and, for visitors, Last-Modified: the latest import), so a browser that
//! holds it gets a 304.

use std::collections::HashMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::auth::Session;
use super::conditional::{accepts_gzip, etag_matches, http_date, not_modified_since};
use super::law_parts::{self, PART_BUDGET, PartView};
use super::law_view::{self, BodyItem, LawPage};
use super::{WebError, views};
use crate::app::App;

/// Rendered bytes kept at most (the whole corpus rendered would be several hundred MB); the
/// least recently read laws go first.
const MAX_BYTES: usize = 64 << 20;

/// One law, every part rendered.
pub struct RenderedLaw {
    pub law_id: i64,
    pub title: String,
    pub parts: Vec<RenderedPart>,
    /// Article anchor (`art-1079`) → index in `parts`.
    anchors: HashMap<String, usize>,
    /// The latest import, as an HTTP date.
    last_modified: Option<HeaderValue>,
    bytes: usize,
}

pub struct RenderedPart {
    /// The page's main content, for a page with a signed-in header.
    content: String,
    /// The page as a visitor gets it, plain and gzipped.
    page: Bytes,
    gzip: Bytes,
    etag: String,
}

impl RenderedLaw {
    /// The part `?part=N` names, else the one holding the article `?art=art-N`, else the first.
    pub fn select(&self, part: Option<&str>, art: Option<&str>) -> Result<&RenderedPart, WebError> {
        if let Some(p) = part.map(str::trim).filter(|p| !p.is_empty()) {
            return p
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.parts.get(i))
                .ok_or_else(|| WebError::NotFound(format!("《{}》没有第{p}部分", self.title)));
        }
        let i = art.and_then(|a| self.anchors.get(a)).copied().unwrap_or(0);
        self.parts
            .get(i)
            .ok_or_else(|| WebError::NotFound("页面不存在".into()))
    }
}

struct Entry {
    generation: u64,
    law: Arc<RenderedLaw>,
    last_used: AtomicU64,
}

/// The rendered laws, by law id.
#[derive(Default)]
pub struct LawPages {
    entries: RwLock<HashMap<i64, Entry>>,
    ticks: AtomicU64,
}

impl LawPages {
    /// The rendered law, from the cache when the laws did not change since it was rendered.
    pub async fn get(&self, app: &App, law_id: i64) -> Result<Arc<RenderedLaw>, WebError> {
        let generation = app.library.generation();
        let tick = self.ticks.fetch_add(1, Ordering::Relaxed);
        if let Ok(entries) = self.entries.read()
            && let Some(e) = entries.get(&law_id)
            && e.generation == generation
        {
            e.last_used.store(tick, Ordering::Relaxed);
            return Ok(Arc::clone(&e.law));
        }
        // Rendered outside the lock: concurrent first readers may each render it once.
        let page = law_view::page(&app.db.pool, law_id).await?;
        let library = app.library.get(&app.db, &app.config.region).await?;
        let last_modified = library
            .last_import
            .as_deref()
            .and_then(http_date)
            .and_then(|d| HeaderValue::from_str(&d).ok());
        // The study notes on this law, linked from its page.
        let notes: Vec<(String, String)> = crate::materials::load(&app.config.project_corpus)
            .into_iter()
            .filter(|n| n.law == page.detail.law.title)
            .map(|n| (n.slug, n.title))
            .collect();
        let law = Arc::new(render(law_id, page, &notes, last_modified)?);
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|_, e| e.generation == generation);
            let entry = Entry {
                generation,
                law: Arc::clone(&law),
                last_used: AtomicU64::new(tick),
            };
            entries.insert(law_id, entry);
            evict(&mut entries);
        }
        Ok(law)
    }
}

/// Drops the least recently read laws until the rest fit in `MAX_BYTES`.
fn evict(entries: &mut HashMap<i64, Entry>) {
    let mut total: usize = entries.values().map(|e| e.law.bytes).sum();
    while total > MAX_BYTES && entries.len() > 1 {
        let Some((&oldest, _)) = entries
            .iter()
            .min_by_key(|(_, e)| e.last_used.load(Ordering::Relaxed))
        else {
            break;
        };
        if let Some(e) = entries.remove(&oldest) {
            total -= e.law.bytes;
        }
    }
}

/// A table-of-contents line with its link: within the page, or to the part holding it.
#[derive(Serialize)]
struct TocLink {
    level: i64,
    label: String,
    name: String,
    href: String,
}

/// Another part's articles, as anchors: an old link `/laws/{id}#art-1079` lands on its stub,
/// one tap from the article, without script.
#[derive(Serialize)]
struct PartIndex {
    part: PartView,
    /// (anchor, number as shown)
    articles: Vec<(String, String)>,
}

fn render(
    law_id: i64,
    page: LawPage,
    notes: &[(String, String)],
    last_modified: Option<HeaderValue>,
) -> Result<RenderedLaw, WebError> {
    let ranges = law_parts::split(&page.items, PART_BUDGET);
    let parts = law_parts::views(law_id, &page.items, &ranges);
    let many = ranges.len() > 1;
    let part_of = |i: usize| ranges.iter().position(|r| r.contains(&i)).unwrap_or(0);
    let mut heading_part = HashMap::new();
    let mut anchors = HashMap::new();
    for (i, item) in page.items.iter().enumerate() {
        match item {
            BodyItem::Heading { anchor, .. } => heading_part.insert(anchor.clone(), part_of(i)),
            BodyItem::Article(a) => anchors.insert(a.anchor.clone(), part_of(i)),
        };
    }
    if let Some(p) = &page.preamble {
        anchors.insert(p.anchor.clone(), 0);
    }
    let d = &page.detail;
    let law = context! {
        law_id => d.law.law_id,
        title => d.law.title.clone(),
        version_date => d.law.version_date.clone(),
        category => d.law.category.clone(),
        level => d.law.level.clone(),
        region => d.law.region.clone(),
        current => d.law.current != 0,
        repealed_by => d.law.repealed_by.clone(),
        successor_title => d.law.successor_title.clone(),
        successor_url => d.law.successor_law_id.map(|id| format!("/laws/{id}")),
        notes => Serde(notes),
    };
    let mut rendered = Vec::with_capacity(ranges.len());
    for (no, range) in ranges.iter().enumerate() {
        let toc: Vec<TocLink> = d
            .toc
            .iter()
            .map(|t| {
                let p = heading_part.get(&t.anchor).copied().unwrap_or(0);
                let href = if p == no {
                    format!("#{}", t.anchor)
                } else {
                    format!("?part={}#{}", p + 1, t.anchor)
                };
                TocLink {
                    level: t.level,
                    label: t.label.clone(),
                    name: t.name.clone(),
                    href,
                }
            })
            .collect();
        let index: Vec<PartIndex> = if many {
            ranges
                .iter()
                .zip(&parts)
                .filter(|(r, _)| *r != range)
                .map(|(r, p)| PartIndex {
                    part: p.clone(),
                    articles: law_parts::articles_in(&page.items, r)
                        .map(|a| (a.anchor.clone(), short_number(a.article_no, a.article_sub)))
                        .collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let preamble = if no == 0 {
            page.preamble.as_ref()
        } else {
            None
        };
        let ctx = context! {
            law => law.clone(),
            events => Serde(&d.events),
            toc => Serde(&toc),
            versions => Serde(&d.versions),
            preamble => Serde(&preamble),
            preamble_elsewhere => page.preamble.is_some() && no > 0,
            items => Serde(&page.items[range.clone()]),
            parts => Serde(if many { &parts[..] } else { &[] }),
            part => no + 1,
            index => Serde(&index),
        };
        let content = views::render("_law_body.html", ctx)?;
        let html = views::page(
            "law.html",
            None,
            context! { law_id, title => d.law.title.clone(), content => content.clone() },
        )?;
        rendered.push(part(content, html)?);
    }
    let bytes = rendered
        .iter()
        .map(|p| p.content.len() + p.page.len() + p.gzip.len())
        .sum();
    Ok(RenderedLaw {
        law_id,
        title: d.law.title.clone(),
        parts: rendered,
        anchors,
        last_modified,
        bytes,
    })
}

fn part(content: String, html: String) -> Result<RenderedPart, WebError> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(html.as_bytes())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let gzip = gz.finish().map_err(|e| WebError::Internal(e.to_string()))?;
    let etag = format!("\"{}\"", hex(&Sha256::digest(html.as_bytes())[..12]));
    Ok(RenderedPart {
        content,
        page: Bytes::from(html),
        gzip: Bytes::from(gzip),
        etag,
    })
}

/// `1079`, `1079之一` for the article index.
fn short_number(no: i64, sub: i64) -> String {
    if sub == 0 {
        no.to_string()
    } else {
        let sub = crate::corpus::numerals::to_chinese_number(sub as u32);
        format!("{no}之{sub}")
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The response for one part: 304 when the browser's copy is current; a visitor's page from
/// the stored bytes (gzipped when the browser takes it); a signed-in page rendered around the
/// stored body.
pub fn respond(
    law: &RenderedLaw,
    part: &RenderedPart,
    me: Option<&Session>,
    headers: &HeaderMap,
) -> Result<Response, WebError> {
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    let Some(session) = me else {
        let etag = header_value(&part.etag);
        let fresh = if headers.contains_key(header::IF_NONE_MATCH) {
            etag_matches(headers, part.etag.as_bytes())
        } else {
            not_modified_since(headers, law.last_modified.as_ref())
        };
        let mut res = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else if accepts_gzip(headers) {
            let mut r = part.gzip.clone().into_response();
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        } else {
            part.page.clone().into_response()
        };
        let h = res.headers_mut();
        h.insert(header::CONTENT_TYPE, html);
        h.insert(header::ETAG, etag);
        if let Some(lm) = &law.last_modified {
            h.insert(header::LAST_MODIFIED, lm.clone());
        }
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, no-cache"),
        );
        h.insert(
            header::VARY,
            HeaderValue::from_static("accept-encoding, cookie"),
        );
        return Ok(res);
    };
    // The header names the official and carries their CSRF token: the tag covers both.
    let mut digest = Sha256::new();
    for field in [
        part.etag.as_str(),
        &session.csrf_token,
        &session.actor.name,
        &session.actor.username,
        &session.actor.unit,
    ] {
        digest.update(field.as_bytes());
        digest.update([0]);
    }
    digest.update(session.actor.user_id.to_le_bytes());
    digest.update([
        u8::from(session.actor.admin_scope().is_ok()),
        u8::from(session.actor.is_admin()),
    ]);
    let etag = format!("\"u{}\"", hex(&digest.finalize()[..12]));
    let mut res = if etag_matches(headers, etag.as_bytes()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let ctx = context! {
            law_id => law.law_id,
            title => law.title.clone(),
            content => part.content.clone(),
        };
        views::page("law.html", Some(session), ctx)?.into_response()
    };
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, html);
    h.insert(header::ETAG, header_value(&etag));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(header::VARY, HeaderValue::from_static("cookie"));
    Ok(res)
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}
