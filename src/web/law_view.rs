//! A law version as the API and the law page show it: metadata, table of contents, body.

use serde::{Deserialize, Serialize};
use sqlx::AnyPool;

use super::WebError;
use crate::corpus::numerals::anchor;
use crate::corpus::store::{self, ArticleRecord, HeadingRow, LawSummary};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LawDetail {
    pub law: LawSummary,
    pub events: Vec<EventView>,
    pub toc: Vec<TocEntry>,
    pub versions: Vec<VersionView>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EventView {
    pub date: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TocEntry {
    /// 1 编, 2 分编, 3 章, 4 节
    pub level: i64,
    pub label: String,
    pub name: String,
    pub anchor: String,
    /// Number of the first article under this heading (0 if none).
    pub first_article_no: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub law_id: i64,
    pub url: String,
    pub version_date: String,
    pub current: bool,
    pub is_this: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleView {
    pub article_no: i64,
    pub article_sub: i64,
    pub label: String,
    pub anchor: String,
    pub heading: String,
    pub text: String,
    pub paragraphs: Vec<ParagraphView>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ParagraphView {
    /// kuan (款), xiang (项), mu (目) or table
    pub kind: String,
    pub text: String,
}

impl From<&ArticleRecord> for ArticleView {
    fn from(a: &ArticleRecord) -> Self {
        let paragraphs = serde_json::from_str(&a.body).unwrap_or_else(|_| {
            vec![ParagraphView {
                kind: "kuan".into(),
                text: a.text.clone(),
            }]
        });
        ArticleView {
            article_no: a.article_no,
            article_sub: a.article_sub,
            label: a.label.clone(),
            anchor: anchor(a.article_no as u32, a.article_sub as u32),
            heading: a.heading_path.clone(),
            text: a.text.clone(),
            paragraphs,
        }
    }
}

pub async fn detail(pool: &AnyPool, law_id: i64) -> Result<LawDetail, WebError> {
    let headings = store::headings(pool, law_id).await?;
    let articles = store::articles(pool, law_id).await?;
    detail_of(pool, law_id, &headings, &articles).await
}

async fn detail_of(
    pool: &AnyPool,
    law_id: i64,
    headings: &[HeadingRow],
    articles: &[ArticleRecord],
) -> Result<LawDetail, WebError> {
    let law = store::get_law(pool, law_id)
        .await?
        .ok_or_else(|| WebError::NotFound(super::api::NO_SUCH_LAW.into()))?;
    let events: Vec<EventView> =
        serde_json::from_str(&store::law_events(pool, law_id).await?).unwrap_or_default();
    let toc = toc(headings, articles);
    let versions = store::versions_of(pool, law.statute_id)
        .await?
        .into_iter()
        .map(|v| VersionView {
            law_id: v.law_id,
            url: format!("/laws/{}", v.law_id),
            version_date: v.version_date,
            current: v.current != 0,
            is_this: v.law_id == law_id,
        })
        .collect();
    Ok(LawDetail {
        law,
        events,
        toc,
        versions,
    })
}

fn toc(headings: &[HeadingRow], articles: &[ArticleRecord]) -> Vec<TocEntry> {
    headings
        .iter()
        .map(|h| TocEntry {
            level: h.level,
            label: h.label.clone(),
            name: h.name.clone(),
            anchor: format!("h-{}", h.seq),
            first_article_no: articles
                .iter()
                .find(|a| a.seq == h.first_article_seq)
                .map_or(0, |a| a.article_no),
        })
        .collect()
}

/// The body of the law page in reading order: each heading before its first article.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BodyItem {
    Heading {
        level: i64,
        label: String,
        name: String,
        anchor: String,
    },
    Article(ArticleView),
}

pub struct LawPage {
    pub detail: LawDetail,
    pub preamble: Option<ArticleView>,
    pub items: Vec<BodyItem>,
}

pub async fn page(pool: &AnyPool, law_id: i64) -> Result<LawPage, WebError> {
    let headings = store::headings(pool, law_id).await?;
    let articles = store::articles(pool, law_id).await?;
    let detail = detail_of(pool, law_id, &headings, &articles).await?;
    let mut items = Vec::with_capacity(headings.len() + articles.len());
    let mut preamble = None;
    let mut next_heading = headings.iter().peekable();
    for a in &articles {
        if a.seq == 0 {
            preamble = Some(ArticleView::from(a));
            continue;
        }
        while let Some(h) = next_heading.next_if(|h| h.first_article_seq <= a.seq) {
            items.push(heading_item(h));
        }
        items.push(BodyItem::Article(ArticleView::from(a)));
    }
    items.extend(next_heading.map(heading_item));
    Ok(LawPage {
        detail,
        preamble,
        items,
    })
}

fn heading_item(h: &HeadingRow) -> BodyItem {
    BodyItem::Heading {
        level: h.level,
        label: h.label.clone(),
        name: h.name.clone(),
        anchor: format!("h-{}", h.seq),
    }
}
