//! Reading laws back: versions, headings, articles, index rows, names and counts.

use sqlx::{Any, Executor, FromRow};

use crate::db::placeholders;

/// One law version as listed by `xuefa laws` and `GET /api/laws`.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct LawSummary {
    pub law_id: i64,
    pub statute_id: i64,
    pub title: String,
    pub short_title: String,
    pub version_date: String,
    pub category: String,
    /// Every folder the law is filed in, `category` first (广告法: 经济法 and 行政法).
    #[serde(serialize_with = "as_lines")]
    #[schema(value_type = Vec<String>)]
    pub categories: String,
    pub level: String,
    pub region: String,
    /// Number of units: articles (第N条), items (一、) or paragraphs of a text with neither;
    /// the preamble not counted.
    pub articles: i64,
    #[serde(serialize_with = "as_bool")]
    #[schema(value_type = bool)]
    pub current: i64,
    pub source: String,
    /// What repealed this statute, e.g. 《信访工作条例》（2022年5月1日起施行）; null while in force.
    pub repealed_by: Option<String>,
    /// The statute is no longer in force.
    #[serde(serialize_with = "as_bool")]
    #[schema(value_type = bool)]
    pub repealed: i64,
    /// The title of the statute in force that replaced it, e.g. 信访工作条例.
    pub successor_title: Option<String>,
    /// The current version of that statute (its `/laws/{law_id}` page).
    pub successor_law_id: Option<i64>,
}

fn as_lines<S: serde::Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.lines())
}

impl LawSummary {
    /// Whether the law is filed under a folder starting with `prefix`.
    pub fn in_category(&self, prefix: &str) -> bool {
        self.categories.lines().any(|c| c.starts_with(prefix))
    }
}

fn as_bool<S: serde::Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(*v != 0)
}

const SUMMARY_SQL: &str = "select l.law_id, s.statute_id, s.title, s.short_title, l.version_date, \
     s.category, case when s.categories = '' then s.category else s.categories end as categories, \
     s.level, s.region, \
     (select count(*) from article a where a.law_id = l.law_id and a.seq > 0) as articles, \
     l.is_current as current, l.source, s.repealed_by, \
     case when s.repealed_by is null then 0 else 1 end as repealed, \
     n.title as successor_title, \
     (select c.law_id from law c where c.statute_id = n.statute_id and c.is_current = 1) \
       as successor_law_id \
     from law l join statute s on s.statute_id = l.statute_id \
     left join statute n on n.statute_id = s.successor_id";

/// Every stored version, by title then date.
pub async fn list_laws<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<Vec<LawSummary>, sqlx::Error> {
    sqlx::query_as(&format!("{SUMMARY_SQL} order by s.title, l.version_date"))
        .fetch_all(ex)
        .await
}

pub async fn get_law<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    law_id: i64,
) -> Result<Option<LawSummary>, sqlx::Error> {
    sqlx::query_as(&format!("{SUMMARY_SQL} where l.law_id = $1"))
        .bind(law_id)
        .fetch_optional(ex)
        .await
}

/// The current version of the statute with this title or short title (without
/// 中华人民共和国), e.g. for a session's laws given by name.
pub async fn current_by_title<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    title: &str,
) -> Result<Option<LawSummary>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SUMMARY_SQL} where l.is_current = 1 and (s.title = $1 or s.short_title = $1) \
         order by s.title limit 1"
    ))
    .bind(title)
    .fetch_optional(ex)
    .await
}

/// All versions of one statute, newest first.
pub async fn versions_of<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    statute_id: i64,
) -> Result<Vec<LawSummary>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SUMMARY_SQL} where s.statute_id = $1 order by l.version_date desc"
    ))
    .bind(statute_id)
    .fetch_all(ex)
    .await
}

pub async fn law_events<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    law_id: i64,
) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("select events from law where law_id = $1")
        .bind(law_id)
        .fetch_one(ex)
        .await
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct HeadingRow {
    pub seq: i64,
    pub level: i64,
    pub label: String,
    pub name: String,
    pub parent_seq: Option<i64>,
    pub first_article_seq: i64,
}

pub async fn headings<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    law_id: i64,
) -> Result<Vec<HeadingRow>, sqlx::Error> {
    sqlx::query_as(
        "select seq, level, label, name, parent_seq, first_article_seq from heading \
         where law_id = $1 order by seq",
    )
    .bind(law_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow, serde::Serialize)]
pub struct ArticleRecord {
    pub article_id: i64,
    pub law_id: i64,
    pub seq: i64,
    pub article_no: i64,
    pub article_sub: i64,
    pub label: String,
    pub heading_path: String,
    pub body: String,
    pub text: String,
}

const ARTICLE_SQL: &str = "select article_id, law_id, seq, article_no, article_sub, label, \
     heading_path, body, text from article";

pub async fn articles<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    law_id: i64,
) -> Result<Vec<ArticleRecord>, sqlx::Error> {
    sqlx::query_as(&format!("{ARTICLE_SQL} where law_id = $1 order by seq"))
        .bind(law_id)
        .fetch_all(ex)
        .await
}

/// The article `no`/`sub` of a version (the first one if a defective text repeats a number).
pub async fn article<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    law_id: i64,
    no: u32,
    sub: u32,
) -> Result<Option<ArticleRecord>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{ARTICLE_SQL} where law_id = $1 and article_no = $2 and article_sub = $3 order by seq limit 1"
    ))
    .bind(law_id)
    .bind(no as i64)
    .bind(sub as i64)
    .fetch_optional(ex)
    .await
}

/// An article with everything the search index needs about its law.
#[derive(Debug, Clone, FromRow)]
pub struct IndexRow {
    pub article_id: i64,
    pub law_id: i64,
    pub statute_id: i64,
    pub title: String,
    pub short_title: String,
    pub category: String,
    pub level: String,
    pub region: String,
    pub version_date: String,
    pub is_current: i64,
    pub article_no: i64,
    pub article_sub: i64,
    pub label: String,
    pub heading_path: String,
    pub text: String,
    pub repealed: i64,
}

/// One page of index rows (of the given statutes, or all), in article id order after `after`.
pub async fn index_rows<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    statutes: Option<&[i64]>,
    after: i64,
    limit: i64,
) -> Result<Vec<IndexRow>, sqlx::Error> {
    let ids = statutes.unwrap_or_default();
    let in_list = if statutes.is_some() {
        // Statute ids follow the two fixed binds.
        format!("and s.statute_id in {}", placeholders(1, ids.len(), 2))
    } else {
        String::new()
    };
    let sql = format!(
        "select a.article_id, a.law_id, s.statute_id, s.title, s.short_title, s.category, s.level, \
         s.region, l.version_date, l.is_current, a.article_no, a.article_sub, a.label, \
         a.heading_path, a.text, \
         case when s.repealed_by is null then 0 else 1 end as repealed \
         from article a join law l on l.law_id = a.law_id join statute s on s.statute_id = l.statute_id \
         where a.article_id > $1 {in_list} order by a.article_id limit $2"
    );
    let mut q = sqlx::query_as::<_, IndexRow>(&sql).bind(after).bind(limit);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

/// Statute titles for resolving law names typed in queries.
#[derive(Debug, Clone, FromRow)]
pub struct StatuteName {
    pub statute_id: i64,
    pub title: String,
    pub short_title: String,
    pub level: String,
    pub region: String,
    /// 1 when the statute is no longer in force.
    pub repealed: i64,
    /// Its current version.
    pub law_id: Option<i64>,
}

pub async fn statute_names<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<Vec<StatuteName>, sqlx::Error> {
    sqlx::query_as(
        "select s.statute_id, s.title, s.short_title, s.level, s.region, \
         case when s.repealed_by is null then 0 else 1 end as repealed, \
         (select c.law_id from law c where c.statute_id = s.statute_id and c.is_current = 1) \
           as law_id \
         from statute s",
    )
    .fetch_all(ex)
    .await
}

/// A repealed statute and what replaced it, for pointing searches at the law in force.
#[derive(Debug, Clone, FromRow)]
pub struct Succession {
    pub statute_id: i64,
    pub title: String,
    /// What repealed it, as `statute.repealed_by` words it.
    pub repealed_by: String,
    pub successor_id: Option<i64>,
    pub successor_title: Option<String>,
    /// The successor's current version.
    pub successor_law_id: Option<i64>,
}

/// Every repealed statute with its successor, when known.
pub async fn successions<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<Vec<Succession>, sqlx::Error> {
    sqlx::query_as(
        "select s.statute_id, s.title, s.repealed_by, s.successor_id, \
         n.title as successor_title, \
         (select c.law_id from law c where c.statute_id = n.statute_id and c.is_current = 1) \
           as successor_law_id \
         from statute s left join statute n on n.statute_id = s.successor_id \
         where s.repealed_by is not null",
    )
    .fetch_all(ex)
    .await
}

/// A fingerprint of what the index is derived from. The indexer stores it with each commit;
/// a differing fingerprint at start-up (an import interrupted before indexing, or another
/// node importing into a shared PostgreSQL) means the index must be rebuilt.
pub async fn index_fingerprint<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<String, sqlx::Error> {
    let (articles, laws, last, repealed): (i64, i64, Option<String>, i64) = sqlx::query_as(
        "select (select count(*) from article), (select count(*) from law), \
         (select max(imported_at) from law), \
         (select count(*) from statute where repealed_by is not null)",
    )
    .fetch_one(ex)
    .await?;
    Ok(format!(
        "{articles}/{laws}/{}/{repealed}",
        last.unwrap_or_default()
    ))
}

/// The statutes with a version imported at or after `since` (RFC 3339).
pub async fn statutes_imported_since<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    since: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("select distinct statute_id from law where imported_at >= $1")
            .bind(since)
            .fetch_all(ex)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// When laws were last imported (RFC 3339), None before the first import.
pub async fn last_import<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<Option<String>, sqlx::Error> {
    let (last,): (Option<String>,) = sqlx::query_as("select max(imported_at) from law")
        .fetch_one(ex)
        .await?;
    Ok(last)
}

/// Counts for the home page: statutes with a current version, and their current articles.
pub async fn totals<'c, E: Executor<'c, Database = Any>>(ex: E) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select (select count(*) from law where is_current = 1), \
         (select count(*) from article a join law l on l.law_id = a.law_id \
          where l.is_current = 1 and a.seq > 0)",
    )
    .fetch_one(ex)
    .await
}
