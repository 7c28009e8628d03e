//! Reading questions back: one question with its articles, versions, the review queue, and
//! the rows and articles that the filtered lists (`filter`) are made of.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::{parse_origin, parse_status};
use crate::bank::import::answer_text;
use crate::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType, Status};
use crate::corpus::numerals::unit_label;
use crate::db::placeholders;

/// A question in a list: its current version's stem and metadata.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionSummary {
    pub question_id: i64,
    /// The current version (attempts record this id).
    pub version_id: i64,
    /// 1 for the first version, +1 per edit.
    pub version_no: i64,
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub qtype: QuestionType,
    pub stem: String,
    #[schema(value_type = String)]
    pub status: Status,
    #[schema(value_type = String)]
    pub origin: Origin,
    pub difficulty: u8,
    pub tags: Vec<String>,
    /// `《信访工作条例》第二十二条`, one per article.
    pub basis: Vec<String>,
    /// A cited article changed or disappeared in a newer version of its law.
    pub needs_review: bool,
    pub review_note: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

impl QuestionSummary {
    /// 草稿, 已审核, 已停用
    pub fn status_label(&self) -> &'static str {
        crate::bank::admin::status_label(self.status)
    }

    /// 编写, 导入, 生成
    pub fn origin_label(&self) -> &'static str {
        match self.origin {
            Origin::Authored => "编写",
            Origin::Imported => "导入",
            Origin::Generated => "生成",
        }
    }
}

/// One article a version cites, as stored with the version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BasisView {
    pub law_id: i64,
    pub statute_id: i64,
    pub law_title: String,
    pub version_date: String,
    /// Whether `law_id` is still the law's current version.
    pub current: bool,
    pub article_no: u32,
    pub article_sub: u32,
    /// 第二十二条
    pub article_label: String,
    /// The article's text when the version was saved.
    pub article_text: String,
}

/// A question with everything of its current version.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct QuestionDetail {
    #[serde(flatten)]
    pub summary: QuestionSummary,
    pub options: Vec<String>,
    #[schema(value_type = Object)]
    pub answer: Answer,
    /// The answer as the import template writes it: `A`, `ABD`, `对`, `甲/乙|丙`.
    pub answer_text: String,
    pub explanation: String,
    pub articles: Vec<BasisView>,
}

impl QuestionDetail {
    /// The current version's content.
    pub fn draft(&self) -> QuestionDraft {
        let s = &self.summary;
        QuestionDraft {
            qtype: s.qtype,
            stem: s.stem.clone(),
            options: self.options.clone(),
            answer: self.answer.clone(),
            explanation: self.explanation.clone(),
            basis: self.articles.iter().map(basis_of).collect(),
            difficulty: s.difficulty,
            tags: s.tags.clone(),
            origin: s.origin,
        }
    }
}

fn basis_of(b: &BasisView) -> Basis {
    Basis {
        law_id: b.law_id,
        law_title: b.law_title.clone(),
        article_no: b.article_no,
        article_sub: b.article_sub,
        article_label: b.article_label.clone(),
    }
}

#[derive(FromRow)]
pub(super) struct Row {
    question_id: i64,
    version_id: i64,
    version_no: i64,
    qtype: String,
    stem: String,
    options: String,
    answer: String,
    explanation: String,
    difficulty: i64,
    tags: String,
    status: String,
    origin: String,
    needs_review: i64,
    review_note: String,
    created_by: String,
    created_at: i64,
    updated_by: String,
    updated_at: i64,
}

pub(super) const SELECT: &str = "select q.question_id, v.version_id, v.version_no, v.qtype, v.stem, \
     v.options, v.answer, v.explanation, v.difficulty, v.tags, q.status, q.origin, \
     q.needs_review, q.review_note, q.created_by, q.created_at, q.updated_by, q.updated_at \
     from question q join question_version v on v.version_id = q.current_version_id";

/// One question, or None.
pub async fn get(
    conn: &mut AnyConnection,
    question_id: i64,
) -> Result<Option<QuestionDetail>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} where q.question_id = $1"))
        .bind(question_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(with_basis(&mut *conn, row.into_iter().collect())
        .await?
        .pop())
}

/// Live questions flagged because a law they cite changed, oldest flag first.
pub async fn needs_review(conn: &mut AnyConnection) -> Result<Vec<QuestionSummary>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} where q.needs_review = 1 and q.status <> 'retired' order by q.question_id"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let details = with_basis(&mut *conn, rows).await?;
    Ok(details.into_iter().map(|d| d.summary).collect())
}

#[derive(FromRow)]
struct BasisRow {
    version_id: i64,
    statute_id: i64,
    law_id: i64,
    title: String,
    version_date: String,
    is_current: i64,
    article_no: i64,
    article_sub: i64,
    article_text: String,
}

/// The articles of these versions, in their order.
async fn basis_of_versions(
    conn: &mut AnyConnection,
    versions: &[i64],
) -> Result<HashMap<i64, Vec<BasisView>>, sqlx::Error> {
    let mut out: HashMap<i64, Vec<BasisView>> = HashMap::new();
    for chunk in versions.chunks(500) {
        let sql = format!(
            "select b.version_id, b.statute_id, b.law_id, s.title, l.version_date, l.is_current, \
             b.article_no, b.article_sub, b.article_text from question_basis b \
             join law l on l.law_id = b.law_id join statute s on s.statute_id = b.statute_id \
             where b.version_id in {} order by b.version_id, b.seq",
            placeholders(1, chunk.len(), 0)
        );
        let mut q = sqlx::query_as::<_, BasisRow>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for b in q.fetch_all(&mut *conn).await? {
            let (no, sub) = (b.article_no as u32, b.article_sub as u32);
            out.entry(b.version_id).or_default().push(BasisView {
                law_id: b.law_id,
                statute_id: b.statute_id,
                law_title: b.title,
                version_date: b.version_date,
                current: b.is_current != 0,
                article_no: no,
                article_sub: sub,
                article_label: unit_label(no, sub),
                article_text: b.article_text,
            });
        }
    }
    Ok(out)
}

pub(super) async fn with_basis(
    conn: &mut AnyConnection,
    rows: Vec<Row>,
) -> Result<Vec<QuestionDetail>, sqlx::Error> {
    let ids: Vec<i64> = rows.iter().map(|r| r.version_id).collect();
    let mut basis = basis_of_versions(&mut *conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let articles = basis.remove(&r.version_id).unwrap_or_default();
            detail(r, articles)
        })
        .collect())
}

fn detail(r: Row, articles: Vec<BasisView>) -> QuestionDetail {
    let answer: Answer =
        serde_json::from_str(&r.answer).unwrap_or(Answer::Judge { correct: false });
    let summary = QuestionSummary {
        question_id: r.question_id,
        version_id: r.version_id,
        version_no: r.version_no,
        qtype: QuestionType::parse(&r.qtype).unwrap_or(QuestionType::Single),
        stem: r.stem,
        status: parse_status(&r.status).unwrap_or(Status::Draft),
        origin: parse_origin(&r.origin).unwrap_or(Origin::Imported),
        difficulty: u8::try_from(r.difficulty).unwrap_or(3),
        tags: serde_json::from_str(&r.tags).unwrap_or_default(),
        basis: articles
            .iter()
            .map(|b| format!("《{}》{}", b.law_title, b.article_label))
            .collect(),
        needs_review: r.needs_review != 0,
        review_note: r.review_note,
        created_by: r.created_by,
        created_at: r.created_at,
        updated_by: r.updated_by,
        updated_at: r.updated_at,
    };
    QuestionDetail {
        summary,
        options: serde_json::from_str(&r.options).unwrap_or_default(),
        answer_text: answer_text(&answer),
        answer,
        explanation: r.explanation,
        articles,
    }
}

/// One version of a question, as an attempt that used it will show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredVersion {
    pub question_id: i64,
    pub version_id: i64,
    pub version_no: i64,
    pub draft: QuestionDraft,
    pub created_by: String,
    pub created_at: i64,
}

/// Any version by id, current or not.
pub async fn version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> Result<Option<StoredVersion>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "select v.question_id, v.version_id, v.version_no, v.qtype, v.stem, v.options, v.answer, \
         v.explanation, v.difficulty, v.tags, q.status, q.origin, q.needs_review, q.review_note, \
         v.created_by, v.created_at, v.created_by as updated_by, v.created_at as updated_at \
         from question_version v join question q on q.question_id = v.question_id \
         where v.version_id = $1",
    )
    .bind(version_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(d) = with_basis(&mut *conn, row.into_iter().collect())
        .await?
        .pop()
    else {
        return Ok(None);
    };
    Ok(Some(StoredVersion {
        draft: d.draft(),
        question_id: d.summary.question_id,
        version_id: d.summary.version_id,
        version_no: d.summary.version_no,
        created_by: d.summary.created_by,
        created_at: d.summary.created_at,
    }))
}

/// A question's versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct VersionInfo {
    pub version_id: i64,
    pub version_no: i64,
    pub stem: String,
    pub created_by: String,
    pub created_at: i64,
}

pub async fn versions<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    question_id: i64,
) -> Result<Vec<VersionInfo>, sqlx::Error> {
    sqlx::query_as(
        "select version_id, version_no, stem, created_by, created_at from question_version \
         where question_id = $1 order by version_no",
    )
    .bind(question_id)
    .fetch_all(ex)
    .await
}
