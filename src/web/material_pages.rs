//! Study notes on the web: `/materials` (each note with its law and, signed in, this year's
//! reading and check), `/materials/{slug}` (the sections with their article links and the
//! 3-question check), the check's form post, and `POST /api/materials/{id}/check`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::account_pages::PageForm;
use super::auth::{CurrentUser, MaybeUser, Session};
use super::extract::{ApiJson, ApiPath, PagePath};
use super::kit::render;
use super::{ApiError, AppState, PageError, WebError};
use crate::learning::{self, Curriculum, beijing_day};
use crate::materials::check::{self, CheckAnswer, CheckResult};
use crate::materials::{self, Material, Resolver, render as md, store};

#[derive(Serialize)]
struct ListItem {
    slug: String,
    title: String,
    law: String,
    /// Reading minutes this year on the note, and on the law and note together.
    note_minutes: i64,
    law_minutes: i64,
    required_minutes: Option<u32>,
    passed: bool,
}

pub async fn list(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
) -> Result<Response, PageError> {
    let app = &state.app;
    let mut conn = app.db.read().await?;
    let notes = materials::with_ids(&mut conn, &app.config.project_corpus).await?;
    let required: HashMap<String, u32> = Curriculum::load(&app.config.project_corpus)
        .map(|c| {
            c.official
                .laws
                .iter()
                .chain(&c.officer.laws)
                .map(|l| (l.title.clone(), l.minutes))
                .collect()
        })
        .unwrap_or_default();
    let (mut by_note, mut by_law, mut checks) = (HashMap::new(), HashMap::new(), HashMap::new());
    if let Some(s) = &me {
        let year = learning::year_of(app.clock.now());
        let (from, until) = learning::year_bounds(year)?;
        let (df, du) = (beijing_day(from), beijing_day(until));
        let uid = s.actor.user_id;
        by_note = store::seconds_by_material(&mut conn, uid, df, du).await?;
        by_law = learning::store::law_seconds(&mut conn, uid, df, du).await?;
        checks = store::checks_by_law(&mut conn, uid, from, until).await?;
    }
    let items: Vec<ListItem> = notes
        .iter()
        .map(|m| ListItem {
            slug: m.note.slug.clone(),
            title: m.note.title.clone(),
            law: m.note.law.clone(),
            note_minutes: by_note.get(&m.material_id).copied().unwrap_or(0) / 60,
            law_minutes: by_law.get(&m.note.law).copied().unwrap_or(0) / 60,
            required_minutes: required.get(&m.note.law).copied(),
            passed: checks.get(&m.note.law).copied().unwrap_or(false),
        })
        .collect();
    let ctx = context! { materials => Serde(&items), signed_in => me.is_some() };
    render(StatusCode::OK, "materials.html", me.as_ref(), ctx)
}

#[derive(Serialize)]
struct SectionView {
    anchor: String,
    heading: String,
    html: String,
}

/// A note's sections as HTML, each resolved mention a link to its article.
fn sections(m: &Material, resolver: &Resolver) -> Vec<SectionView> {
    let own = m.note.law.as_str();
    let link = |mention: &materials::Mention| resolver.resolve(own, mention).ok().map(|r| r.url());
    m.note
        .sections
        .iter()
        .map(|s| SectionView {
            anchor: s.anchor(),
            heading: s.heading.clone(),
            html: md::to_html(&s.body, &link),
        })
        .collect()
}

async fn show(
    state: &AppState,
    me: Option<&Session>,
    slug: &str,
    result: Option<&CheckResult>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let app = &state.app;
    let mut conn = app.db.read().await?;
    let m = materials::by_slug(&mut conn, &app.config.project_corpus, slug).await?;
    let resolver = Resolver::load(&mut conn, std::slice::from_ref(&m.note)).await?;
    let law = resolver.law(&m.note.law).map(|l| l.law_id);
    let now = app.clock.now();
    let (questions, passed) = match me {
        Some(s) => {
            let (from, until) = learning::year_bounds(learning::year_of(now))?;
            let uid = s.actor.user_id;
            let qs = check::draw(&mut conn, &resolver, &m, uid, beijing_day(now)).await?;
            let passed = store::passed(&mut conn, uid, m.material_id, from, until).await?;
            (qs, passed)
        }
        None => (Vec::new(), false),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let ctx = context! {
        material_id => m.material_id,
        slug => m.note.slug.clone(),
        title => m.note.title.clone(),
        law => m.note.law.clone(),
        law_url => law.map(|id| format!("/laws/{id}")),
        intro => md::to_html(&m.note.intro, &|_| None),
        sections => Serde(&sections(&m, &resolver)),
        questions => Serde(&questions),
        passed => passed,
        pass_mark => check::pass_mark(questions.len()),
        result => result.map(Serde),
        error => error,
    };
    render(status, "material.html", me, ctx)
}

pub async fn page(
    State(state): State<AppState>,
    MaybeUser(me): MaybeUser,
    PagePath(slug): PagePath<String>,
) -> Result<Response, PageError> {
    show(&state, me.as_ref(), &slug, None, None).await
}

/// Grades a check and stores the result, in one unit of work.
async fn grade(
    state: &AppState,
    user_id: i64,
    m: &Material,
    answers: &[CheckAnswer],
) -> Result<CheckResult, WebError> {
    let app = &state.app;
    let mut tx = app.db.write().await?;
    let resolver = Resolver::load(&mut tx, std::slice::from_ref(&m.note)).await?;
    let done = check::submit(&mut tx, &resolver, m, user_id, answers, app.clock.now()).await;
    Ok(crate::db::commit_if_ok(tx, done).await?)
}

/// The check's form: hidden `q` fields name the questions, `a-{id}` fields their answers.
pub async fn check_form(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let m = {
        let mut conn = state.app.db.read().await?;
        materials::by_slug(&mut conn, &state.app.config.project_corpus, &slug).await?
    };
    let answers: Vec<CheckAnswer> = super::kit::check_answers(&form)
        .into_iter()
        .map(|(question_id, answer)| CheckAnswer {
            question_id,
            answer,
        })
        .collect();
    match grade(&state, s.actor.user_id, &m, &answers).await {
        Ok(result) => show(&state, Some(&s), &slug, Some(&result), None).await,
        Err(WebError::BadRequest(message)) => {
            show(&state, Some(&s), &slug, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CheckBody {
    answers: Vec<CheckAnswer>,
}

#[utoipa::path(post, path = "/api/materials/{material_id}/check", request_body = CheckBody,
    responses((status = 200, body = CheckResult), (status = 400), (status = 401),
        (status = 404)))]
pub async fn check_api(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(material_id): ApiPath<i64>,
    ApiJson(body): ApiJson<CheckBody>,
) -> Result<Json<CheckResult>, ApiError> {
    let m = {
        let mut conn = state.app.db.read().await?;
        materials::with_ids(&mut conn, &state.app.config.project_corpus)
            .await
            .map_err(WebError::from)?
            .into_iter()
            .find(|m| m.material_id == material_id)
            .ok_or_else(|| WebError::NotFound("学习资料不存在".into()))?
    };
    Ok(Json(
        grade(&state, s.actor.user_id, &m, &body.answers).await?,
    ))
}

/// The note's questions for today, as the page draws them (for API clients and tests).
#[utoipa::path(get, path = "/api/materials/{material_id}/check",
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub async fn check_questions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiPath(material_id): ApiPath<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let app = &state.app;
    let mut conn = app.db.read().await?;
    let m = materials::with_ids(&mut conn, &app.config.project_corpus)
        .await
        .map_err(WebError::from)?
        .into_iter()
        .find(|m| m.material_id == material_id)
        .ok_or_else(|| WebError::NotFound("学习资料不存在".into()))?;
    let resolver = Resolver::load(&mut conn, std::slice::from_ref(&m.note))
        .await
        .map_err(WebError::from)?;
    let now = app.clock.now();
    let qs = check::draw(&mut conn, &resolver, &m, s.actor.user_id, beijing_day(now))
        .await
        .map_err(WebError::from)?;
    Ok(Json(
        serde_json::json!({ "material_id": material_id, "slug": m.note.slug, "questions": qs }),
    ))
}
