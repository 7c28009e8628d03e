//! Filtered lists of questions: a `where` clause built from a `ListQuery`, every value bound
//! as `$N` (sqlx's `QueryBuilder<Any>` writes `?`, which PostgreSQL rejects).

use sqlx::AnyConnection;

use super::read::{QuestionDetail, QuestionSummary, Row, SELECT, with_basis};
use super::{origin_str, status_str};
use crate::bank::model::{Origin, QuestionType, Status};

/// A filtered page. `None` filters are not applied; `statutes` are the laws a basis must cite
/// (an empty list matches nothing); `stem` is a substring of the stem.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub qtype: Option<QuestionType>,
    pub statutes: Option<Vec<i64>>,
    /// A tag or a tag prefix: `信访` matches `信访` and `信访/办理期限`.
    pub tag: Option<String>,
    pub status: Option<Status>,
    pub origin: Option<Origin>,
    pub needs_review: Option<bool>,
    pub stem: Option<String>,
    /// Leave retired questions out (the review queue).
    pub live_only: bool,
    pub offset: i64,
    /// 0 means no limit.
    pub limit: i64,
}

enum Bind {
    Int(i64),
    Text(String),
}

/// A `where` clause whose values are all bound as `$N`.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    /// Adds a bind value and returns its placeholder.
    fn arg(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" where {}", self.clauses.join(" and "))
        }
    }
}

/// `%` and `_` (and the escape itself) taken literally in a `like … escape '\'` pattern.
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn where_of(f: &ListQuery) -> Where {
    let mut w = Where::default();
    if f.live_only {
        w.clauses.push("q.status <> 'retired'".into());
    }
    if let Some(t) = f.qtype {
        let p = w.arg(Bind::Text(t.as_str().into()));
        w.clauses.push(format!("q.qtype = {p}"));
    }
    if let Some(s) = f.status {
        let p = w.arg(Bind::Text(status_str(s).into()));
        w.clauses.push(format!("q.status = {p}"));
    }
    if let Some(o) = f.origin {
        let p = w.arg(Bind::Text(origin_str(o).into()));
        w.clauses.push(format!("q.origin = {p}"));
    }
    if let Some(r) = f.needs_review {
        let p = w.arg(Bind::Int(i64::from(r)));
        w.clauses.push(format!("q.needs_review = {p}"));
    }
    if let Some(stem) = f.stem.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let p = w.arg(Bind::Text(format!("%{}%", like_escape(stem))));
        w.clauses.push(format!("v.stem like {p} escape '\\'"));
    }
    if let Some(tag) = f.tag.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let exact = w.arg(Bind::Text(tag.into()));
        let below = w.arg(Bind::Text(format!("{}/%", like_escape(tag))));
        w.clauses.push(format!(
            "exists (select 1 from question_tag t where t.question_id = q.question_id \
             and (t.tag = {exact} or t.tag like {below} escape '\\'))"
        ));
    }
    if let Some(ids) = &f.statutes {
        if ids.is_empty() {
            w.clauses.push("1 = 0".into());
        } else {
            let list: Vec<String> = ids.iter().map(|id| w.arg(Bind::Int(*id))).collect();
            w.clauses.push(format!(
                "exists (select 1 from question_basis b where b.version_id = q.current_version_id \
                 and b.statute_id in ({}))",
                list.join(", ")
            ));
        }
    }
    w
}

macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }};
}

/// One page of questions (newest first) and how many match in all.
pub async fn list(
    conn: &mut AnyConnection,
    f: &ListQuery,
) -> Result<(Vec<QuestionSummary>, i64), sqlx::Error> {
    let (details, total) = details(&mut *conn, f, "q.question_id desc").await?;
    Ok((details.into_iter().map(|d| d.summary).collect(), total))
}

/// The questions before and after `question_id` in a filtered list: (previous, next). The
/// admin list runs newest first (`newest_first`), the review queue oldest first.
pub async fn neighbours(
    conn: &mut AnyConnection,
    f: &ListQuery,
    question_id: i64,
    newest_first: bool,
) -> Result<(Option<i64>, Option<i64>), sqlx::Error> {
    let mut out = [None, None];
    for (slot, above) in [(0, newest_first), (1, !newest_first)] {
        let mut w = where_of(f);
        let p = w.arg(Bind::Int(question_id));
        let (cmp, pick) = if above { (">", "min") } else { ("<", "max") };
        w.clauses.push(format!("q.question_id {cmp} {p}"));
        let sql = format!(
            "select {pick}(q.question_id) from question q join question_version v \
             on v.version_id = q.current_version_id{}",
            w.sql()
        );
        out[slot] = bind_all!(sqlx::query_scalar::<_, Option<i64>>(&sql), &w.binds)
            .fetch_one(&mut *conn)
            .await?;
    }
    Ok((out[0], out[1]))
}

/// Questions with everything of their current versions, oldest first (for export).
pub async fn current_drafts(
    conn: &mut AnyConnection,
    f: &ListQuery,
) -> Result<Vec<QuestionDetail>, sqlx::Error> {
    Ok(details(&mut *conn, f, "q.question_id").await?.0)
}

async fn details(
    conn: &mut AnyConnection,
    f: &ListQuery,
    order: &'static str,
) -> Result<(Vec<QuestionDetail>, i64), sqlx::Error> {
    let mut w = where_of(f);
    let count_sql = format!(
        "select count(*) from question q join question_version v \
         on v.version_id = q.current_version_id{}",
        w.sql()
    );
    let total: i64 = bind_all!(sqlx::query_scalar(&count_sql), &w.binds)
        .fetch_one(&mut *conn)
        .await?;
    let mut sql = format!("{SELECT}{} order by {order}", w.sql());
    if f.limit > 0 {
        let limit = w.arg(Bind::Int(f.limit));
        let offset = w.arg(Bind::Int(f.offset.max(0)));
        sql += &format!(" limit {limit} offset {offset}");
    }
    let rows: Vec<Row> = bind_all!(sqlx::query_as(&sql), &w.binds)
        .fetch_all(&mut *conn)
        .await?;
    Ok((with_basis(&mut *conn, rows).await?, total))
}
