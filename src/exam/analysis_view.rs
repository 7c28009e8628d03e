//! An exam's item analysis for an administrator: the candidates within their scope (or a
//! unit subtree of it), each with the attempt that counts, read and handed to the pure
//! [`analysis::analyse`].

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sqlx::AnyConnection;

use super::admin::managed;
use super::analysis::{self, Article, ArticleStats, Candidate, Item, QuestionStats, Version};
use super::grade::Response;
use super::results::counted;
use super::store_attempt::{self as st, AttemptRow};
use super::store_version as sv;
use super::{ExamError, store_analysis, store_results as sr, view};
use crate::accounts::admin::Ctx;
use crate::accounts::store as accounts;
use crate::accounts::types::within;
use crate::bank::model::{Answer, QuestionType};

/// `GET /api/admin/exams/{id}/analysis`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExamAnalysis {
    pub exam_id: i64,
    pub title: String,
    /// The unit subtree analysed; null: every candidate (a system administrator's view).
    pub unit: Option<String>,
    /// Whether the exam has closed for everyone (overrides included) with nobody still
    /// sitting it: only then are the right options marked.
    pub closed: bool,
    /// Candidates with a graded attempt (the one that counts: best or last).
    pub candidates: usize,
    /// Size of the upper and of the lower third used for discrimination.
    pub group_size: usize,
    pub questions: Vec<QuestionStats>,
    /// Per basis article, the share of wrong answers, worst first.
    pub articles: Vec<ArticleStats>,
}

/// The unit subtree to analyse: `unit` when given (it must lie within the actor's scope and
/// exist), else the actor's scope.
async fn subtree(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    unit: Option<&str>,
) -> Result<Option<String>, ExamError> {
    let scope = ctx.actor.admin_scope().map_err(|_| ExamError::Forbidden)?;
    let unit = unit.map(|u| u.trim().trim_matches('/')).unwrap_or("");
    if unit.is_empty() {
        return Ok(scope.map(str::to_string));
    }
    if scope.is_some_and(|s| !within(unit, s)) {
        return Err(ExamError::Forbidden);
    }
    if accounts::unit_by_path(&mut *conn, unit).await?.is_none() {
        return Err(ExamError::NotFound(format!("单位「{unit}」不存在")));
    }
    Ok(Some(unit.to_string()))
}

/// The analysis of an exam the actor manages, over the candidates in `unit` (or the actor's
/// scope).
#[tracing::instrument(skip_all)]
pub async fn exam_analysis(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    exam_id: i64,
    unit: Option<&str>,
) -> Result<ExamAnalysis, ExamError> {
    let row = managed(&mut *conn, ctx, exam_id).await?;
    let exam = row.exam()?;
    let root = subtree(&mut *conn, ctx, unit).await?;
    let people: HashSet<i64> = sr::attempted(&mut *conn, exam_id)
        .await?
        .into_iter()
        .filter(|p| root.as_deref().is_none_or(|r| within(&p.unit, r)))
        .map(|p| p.user_id)
        .collect();
    let attempts = st::of_exam(&mut *conn, exam_id).await?;
    let mut by_user: HashMap<i64, Vec<&AttemptRow>> = HashMap::new();
    for a in attempts.iter().filter(|a| people.contains(&a.user_id)) {
        by_user.entry(a.user_id).or_default().push(a);
    }
    let mut counted_of: HashMap<i64, (i64, i64)> = HashMap::new();
    for (user_id, here) in &by_user {
        if let Some(a) = counted(exam.counts, here) {
            counted_of.insert(a.attempt_id, (*user_id, a.score.unwrap_or(0)));
        }
    }
    let items: Vec<_> = store_analysis::graded_items(&mut *conn, exam_id)
        .await?
        .into_iter()
        .filter(|i| counted_of.contains_key(&i.attempt_id))
        .collect();
    let mut ids: Vec<i64> = items.iter().map(|i| i.version_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let versions = versions(&mut *conn, &ids).await?;
    let basis: HashMap<i64, Vec<Article>> = sv::basis(&mut *conn, &ids)
        .await?
        .into_iter()
        .map(|(v, list)| {
            let arts = list
                .into_iter()
                .map(|(law_id, law_title, article_no, article_sub, _)| Article {
                    law_id,
                    law_title,
                    article_no,
                    article_sub,
                })
                .collect();
            (v, arts)
        })
        .collect();
    let mut candidates: HashMap<i64, Candidate> = HashMap::new();
    for i in items {
        let (user_id, score) = counted_of[&i.attempt_id];
        let given: Vec<String> = i
            .answer
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default();
        let order: Vec<usize> = serde_json::from_str(&i.option_order).unwrap_or_default();
        let picked = match versions.get(&i.version_id).map(|v| v.qtype) {
            Some(q) => match view::response(q, &order, &given) {
                Some(Response::Options(p)) => p,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        candidates
            .entry(i.attempt_id)
            .or_insert_with(|| Candidate {
                user_id,
                score,
                items: Vec::new(),
            })
            .items
            .push(Item {
                question_id: i.question_id,
                version_id: i.version_id,
                points: i.points,
                earned: i.earned,
                answered: !given.is_empty(),
                picked,
            });
    }
    let candidates: Vec<Candidate> = candidates.into_values().collect();
    // Closed for everyone: a person granted a later window may still start.
    let close = store_analysis::latest_override_close(&mut *conn, exam_id)
        .await?
        .map_or(row.closes_at, |c| c.max(row.closes_at));
    let closed = ctx.now >= close && !attempts.iter().any(|a| a.in_progress());
    let a = analysis::analyse(&candidates, &versions, &basis, closed);
    Ok(ExamAnalysis {
        exam_id,
        title: row.title,
        unit: root,
        closed,
        candidates: a.candidates,
        group_size: a.group_size,
        questions: a.questions,
        articles: a.articles,
    })
}

/// The versions' stems, options and keys.
async fn versions(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Version>, ExamError> {
    let keys = sv::keys(&mut *conn, ids).await?;
    let shown = sv::shown(&mut *conn, ids).await?;
    Ok(shown
        .into_iter()
        .filter_map(|(id, s)| {
            let k = keys.get(&id)?;
            let key = match &k.answer {
                Answer::Single { option } => vec![*option],
                Answer::Multiple { options } => options.clone(),
                _ => Vec::new(),
            };
            let version = Version {
                qtype: QuestionType::parse(&s.qtype).unwrap_or(k.qtype),
                stem: s.stem,
                options: serde_json::from_str(&s.options).unwrap_or_default(),
                key,
            };
            Some((id, version))
        })
        .collect())
}
