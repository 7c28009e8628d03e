//! Study time through the API: heartbeats from reading pages, the person's own ledger and
//! progress, and administrators' per-unit requirements.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::auth::{AdminUser, CurrentUser};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::{ApiError, AppState, WebError};
use crate::certificates::beijing_date;
use crate::learning::{
    self, Beat, Curriculum, LearningError, Override, Person, Progress, Reading, UnitRequirement,
    store,
};

/// A heartbeat: what is read and whether the page is seen and used.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct HeartbeatBody {
    /// `law` or `material`; optional, the id given says which.
    kind: Option<String>,
    /// The law version read (a law page).
    law_id: Option<i64>,
    /// The study note read (a `/materials/{slug}` page).
    material_id: Option<i64>,
    /// The page is visible (default true; the script only beats while it is).
    visible: Option<bool>,
    /// The person used pointer, keys, scroll or touch in the last minute (default true).
    active: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Credited {
    credited_seconds: i64,
}

#[utoipa::path(post, path = "/api/study/heartbeat", request_body = HeartbeatBody,
    responses((status = 200, body = Credited), (status = 400), (status = 401), (status = 404)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiJson(body): ApiJson<HeartbeatBody>,
) -> Result<Json<Credited>, ApiError> {
    let reading = match (body.kind.as_deref(), body.law_id, body.material_id) {
        (None | Some("law"), Some(id), None) => Reading::Law(id),
        (None | Some("material"), None, Some(id)) => Reading::Material(id),
        (Some(k), _, _) if k != "law" && k != "material" => {
            return Err(WebError::BadRequest(
                "kind 只能是 law（阅读法规）或 material（阅读学习资料）".into(),
            )
            .into());
        }
        (_, Some(_), Some(_)) => {
            return Err(WebError::BadRequest("law_id 与 material_id 只能给出其一".into()).into());
        }
        _ => {
            return Err(WebError::BadRequest(
                "缺少 law_id（正在阅读的法规）或 material_id（正在阅读的学习资料）".into(),
            )
            .into());
        }
    };
    let beat = Beat {
        visible: body.visible.unwrap_or(true),
        active: body.active.unwrap_or(true),
    };
    let app = &state.app;
    let now = app.clock.now();
    let mut tx = app.db.write().await?;
    let credited = learning::heartbeat(&mut tx, s.actor.user_id, reading, beat, now).await?;
    tx.commit().await?;
    Ok(Json(Credited {
        credited_seconds: credited,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct YearQuery {
    /// Calendar year (Beijing time); this year when absent.
    year: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LedgerLine {
    /// `YYYY-MM-DD`, Beijing time.
    date: String,
    kind: String,
    title: String,
    seconds: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ledger {
    year: i32,
    reading_seconds: i64,
    /// Per day and law (kind `law`) or note (kind `material`, its law's title), newest
    /// day first.
    lines: Vec<LedgerLine>,
}

/// The reading ledger of a year, as a page or the API shows it.
pub async fn ledger_of(state: &AppState, user_id: i64, year: i32) -> Result<Ledger, WebError> {
    let (from, until) = learning::year_bounds(year)?;
    let mut conn = state.app.db.read().await?;
    let (df, du) = (learning::beijing_day(from), learning::beijing_day(until));
    let rows = store::ledger(&mut conn, user_id, df, du).await?;
    let notes = crate::materials::store::ledger(&mut conn, user_id, df, du).await?;
    let mut lines: Vec<(i64, LedgerLine)> = rows
        .into_iter()
        .map(|r| {
            let line = LedgerLine {
                date: beijing_date(r.day * 86_400),
                kind: r.kind,
                title: r.title,
                seconds: r.seconds,
            };
            (r.day, line)
        })
        .collect();
    // Notes' reading under their law's title, kind `material`.
    lines.extend(notes.into_iter().map(|(day, title, seconds)| {
        let line = LedgerLine {
            date: beijing_date(day * 86_400),
            kind: "material".into(),
            title,
            seconds,
        };
        (day, line)
    }));
    lines.sort_by_key(|l| std::cmp::Reverse(l.0));
    Ok(Ledger {
        year,
        reading_seconds: lines.iter().map(|(_, l)| l.seconds).sum(),
        lines: lines.into_iter().map(|(_, l)| l).collect(),
    })
}

#[utoipa::path(get, path = "/api/me/study", params(YearQuery),
    responses((status = 200, body = Ledger), (status = 400), (status = 401)))]
pub async fn my_study(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Ledger>, ApiError> {
    let year = q
        .year
        .unwrap_or_else(|| learning::year_of(state.app.clock.now()));
    Ok(Json(ledger_of(&state, s.actor.user_id, year).await?))
}

fn curriculum(state: &AppState) -> Result<Curriculum, LearningError> {
    Curriculum::load(&state.app.config.project_corpus)
}

/// The person's progress in a year, concentrated sessions attended included (counted by the
/// sessions module from its attendance records).
pub async fn progress_of(
    state: &AppState,
    actor: &crate::accounts::Actor,
    year: i32,
) -> Result<Progress, WebError> {
    let c = curriculum(state)?;
    let mut conn = state.app.db.read().await?;
    let who = Person {
        user_id: actor.user_id,
        unit: &actor.unit,
        roles: &actor.roles,
    };
    let attended = crate::training::attended_sessions(&mut conn, actor.user_id, year).await?;
    let attended = u32::try_from(attended.count).unwrap_or(u32::MAX);
    Ok(learning::progress(&mut conn, &c, &who, year, Some(attended)).await?)
}

#[utoipa::path(get, path = "/api/me/progress", params(YearQuery),
    responses((status = 200, body = Progress), (status = 400), (status = 401)))]
pub async fn my_progress(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Progress>, ApiError> {
    let year = q
        .year
        .unwrap_or_else(|| learning::year_of(state.app.clock.now()));
    Ok(Json(progress_of(&state, &s.actor, year).await?))
}

#[utoipa::path(get, path = "/api/admin/requirements/{unit_id}/{year}",
    responses((status = 200, body = UnitRequirement), (status = 403), (status = 404)))]
pub async fn get_requirement(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath((unit_id, year)): ApiPath<(i64, i32)>,
) -> Result<Json<UnitRequirement>, ApiError> {
    let c = curriculum(&state)?;
    let mut conn = state.app.db.read().await?;
    let actor = &admin.session.actor;
    Ok(Json(
        learning::unit_requirement(&mut conn, &c, actor, unit_id, year).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RequirementBody {
    hours: u32,
    sessions: u32,
}

#[utoipa::path(put, path = "/api/admin/requirements/{unit_id}/{year}",
    request_body = RequirementBody,
    responses((status = 200, body = UnitRequirement), (status = 400), (status = 403),
        (status = 404)))]
pub async fn put_requirement(
    State(state): State<AppState>,
    admin: AdminUser,
    ApiPath((unit_id, year)): ApiPath<(i64, i32)>,
    ApiJson(body): ApiJson<RequirementBody>,
) -> Result<Json<UnitRequirement>, ApiError> {
    let c = curriculum(&state)?;
    let ctx = admin.ctx(state.app.clock.now());
    let value = Override {
        hours: body.hours,
        sessions: body.sessions,
    };
    let mut tx = state.app.db.write().await?;
    learning::set_unit_requirement(&mut tx, &ctx, unit_id, year, value).await?;
    let view = learning::unit_requirement(&mut tx, &c, ctx.actor, unit_id, year).await?;
    tx.commit().await?;
    Ok(Json(view))
}
