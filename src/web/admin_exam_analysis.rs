//! `/admin/exams/{id}/analysis`: the item analysis of an exam for its administrators: the
//! question table (facility, discrimination, option choices, flags in Chinese) and the basis
//! articles the candidates of a unit get wrong most, each linked to its law page and to the
//! new-session form prefilled with the law ("安排集中学法").

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use serde::Deserialize;

use super::auth::AdminUser;
use super::extract::PagePath;
use super::kit::{parse_id, render};
use super::{AppState, PageError};
use crate::bank::model::QuestionType;
use crate::exam::analysis::{ArticleStats, QuestionStats};
use crate::exam::analysis_view::exam_analysis;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnalysisQuery {
    unit: String,
}

/// `0.833` as `83.3%`.
fn percent(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| {
        format!("{}%", (x * 1000.0).round() / 10.0)
    })
}

fn question_row(q: &QuestionStats) -> Value {
    let options: Vec<Value> = q
        .options
        .iter()
        .map(|o| context! { key => o.key.clone(), count => o.count, text => o.text.clone(), correct => o.correct })
        .collect();
    context! {
        question_id => q.question_id,
        qtype => QuestionType::parse(&q.qtype).map_or("", QuestionType::label),
        stem => q.stem.clone(),
        seen => q.seen,
        answered => q.answered,
        facility => percent(q.facility),
        discrimination => q.discrimination.map_or("—".into(), |d| format!("{d:.2}")),
        options,
        flags => q.flags.iter().map(|f| f.label()).collect::<Vec<_>>(),
    }
}

/// The new-session form, prefilled with the article's law and a topic.
fn schedule_url(a: &ArticleStats) -> String {
    let topic = format!("《{}》{}专题学法", a.law_title, a.article_label);
    let query = serde_urlencoded::to_string([("law", a.law_title.as_str()), ("title", &topic)])
        .unwrap_or_default();
    format!("/admin/trainings?{query}")
}

fn article_row(a: &ArticleStats) -> Value {
    context! {
        law_title => a.law_title.clone(),
        article_label => a.article_label.clone(),
        url => a.url.clone(),
        answers => a.answers,
        wrong => a.wrong,
        wrong_share => percent(Some(a.wrong_share)),
        schedule_url => schedule_url(a),
    }
}

pub async fn analysis(
    State(state): State<AppState>,
    a: AdminUser,
    PagePath(raw): PagePath<String>,
    Query(q): Query<AnalysisQuery>,
) -> Result<Response, PageError> {
    let exam_id = parse_id(&raw, "考试不存在")?;
    let ctx = a.ctx(state.app.clock.now());
    let mut conn = state.app.db.read().await?;
    let unit = Some(q.unit.as_str()).filter(|u| !u.trim().is_empty());
    let r = exam_analysis(&mut conn, &ctx, exam_id, unit).await?;
    let page = context! {
        section => "exams",
        exam_id,
        title => r.title,
        unit => r.unit.clone().unwrap_or_default(),
        closed => r.closed,
        candidates => r.candidates,
        group_size => r.group_size,
        questions => r.questions.iter().map(question_row).collect::<Vec<_>>(),
        articles => r.articles.iter().map(article_row).collect::<Vec<_>>(),
    };
    render(
        StatusCode::OK,
        "admin_exam_analysis.html",
        Some(&a.session),
        page,
    )
}
