//! What there is to practise: the laws and tags of the approved questions, with counts, for
//! the practice page's choices.

use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct LawChoice {
    /// The current version of the law (practice links use it).
    pub law_id: i64,
    pub title: String,
    pub questions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct TagChoice {
    pub tag: String,
    pub questions: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Catalog {
    pub laws: Vec<LawChoice>,
    pub tags: Vec<TagChoice>,
}

/// Laws cited by approved questions (by their current version) and the tags of approved
/// questions, most questions first.
pub async fn catalog(conn: &mut AnyConnection) -> Result<Catalog, sqlx::Error> {
    let laws = sqlx::query_as(
        "select l.law_id, s.title, count(distinct q.question_id) as questions \
         from question q join question_basis b on b.version_id = q.current_version_id \
         join statute s on s.statute_id = b.statute_id \
         join law l on l.statute_id = s.statute_id and l.is_current = 1 \
         where q.status = 'approved' group by l.law_id, s.title \
         order by questions desc, s.title limit 200",
    )
    .fetch_all(&mut *conn)
    .await?;
    let tags = sqlx::query_as(
        "select t.tag, count(*) as questions from question_tag t \
         join question q on q.question_id = t.question_id where q.status = 'approved' \
         group by t.tag order by questions desc, t.tag limit 200",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(Catalog { laws, tags })
}
