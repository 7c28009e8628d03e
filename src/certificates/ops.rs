//! Issuing, entering, re-issuing and revoking certificates, and who may see one.
//!
//! A re-issue (换发/补发: a lost card, a new name or unit) gets a new number and keeps the
//! validity of the certificate it replaces, which is marked superseded; a new period comes
//! only from passing the qualification exam again, which also replaces the holder's earlier
//! certificate of the same category.

use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use super::store::{self, CertificateRow, NewCertificate};
use super::{CertError, CertificateNumber, DAY, Settings, Status, add_years};
use crate::accounts::admin::{Ctx, managed_user};
use crate::accounts::session::{self, Audit};
use crate::accounts::{Actor, Username, store as accounts};

/// A certificate to issue. From a passed qualification exam: `attempt_id` and the exam fields
/// are set, and issuing twice for one attempt returns the first certificate.
#[derive(Debug, Clone, Default)]
pub struct IssueRequest {
    pub user_id: i64,
    /// 执法类别, e.g. 综合行政执法.
    pub category: String,
    /// 执法区域; by default the top unit of the holder's unit path (e.g. 柱山乡).
    pub area: Option<String>,
    pub exam_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub exam_title: Option<String>,
    pub score: Option<f64>,
    pub issued_at: i64,
    /// Only for certificates issued before xuefa: their printed end of validity.
    pub valid_until: Option<i64>,
    /// Only for certificates issued before xuefa: the number printed on them.
    pub original_number: Option<String>,
    /// Only for certificates issued before xuefa by another authority.
    pub issuer: Option<String>,
}

const MAX_TEXT: usize = 60;

/// A short printed text: trimmed, not empty, no control characters, no markup.
fn text(field: &'static str, raw: &str) -> Result<String, CertError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(CertError::validation(field, "不能为空"));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(CertError::validation(
            field,
            format!("不能超过 {MAX_TEXT} 个字"),
        ));
    }
    if t.chars().any(|c| c.is_control() || matches!(c, '<' | '>')) {
        return Err(CertError::validation(field, "含有不允许的字符"));
    }
    Ok(t.to_string())
}

fn optional_text(field: &'static str, raw: Option<&str>) -> Result<Option<String>, CertError> {
    raw.filter(|s| !s.trim().is_empty())
        .map(|s| text(field, s))
        .transpose()
}

fn beijing() -> UtcOffset {
    UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The year (Beijing time) a moment falls in.
fn year_of(t: i64) -> i32 {
    OffsetDateTime::from_unix_timestamp(t).map_or(1970, |t| t.to_offset(beijing()).year())
}

/// Midnight, Beijing time, at the start of a `YYYY-MM-DD` date.
fn date_start(field: &'static str, raw: &str) -> Result<i64, CertError> {
    let date = Date::parse(raw.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| CertError::validation(field, "请按 2024-05-01 的格式填写日期"))?;
    Ok(date.midnight().assume_offset(beijing()).unix_timestamp())
}

/// Issues a certificate and returns it; see [`IssueRequest`]. The holder's name and unit are
/// printed as they are now.
#[tracing::instrument(skip_all, fields(user_id = req.user_id))]
pub async fn issue(
    conn: &mut AnyConnection,
    settings: &Settings,
    req: IssueRequest,
    rng: &mut impl RngCore,
) -> Result<CertificateRow, CertError> {
    if let Some(attempt) = req.attempt_id
        && let Some(existing) = store::by_attempt(&mut *conn, attempt).await?
    {
        return Ok(existing);
    }
    let category = text("执法类别", &req.category)?;
    let holder = accounts::user_by_id(&mut *conn, req.user_id)
        .await?
        .ok_or_else(|| CertError::NotFound("用户不存在".into()))?;
    let area = match optional_text("执法区域", req.area.as_deref())? {
        Some(a) => a,
        None => holder
            .unit
            .split('/')
            .next()
            .unwrap_or(&holder.unit)
            .to_string(),
    };
    let valid_until = req
        .valid_until
        .unwrap_or_else(|| add_years(req.issued_at, settings.valid_years));
    if valid_until <= req.issued_at {
        return Err(CertError::validation("有效期至", "须晚于发证日期"));
    }
    let issuer = optional_text("发证机关", req.issuer.as_deref())?
        .unwrap_or_else(|| settings.issuer.clone());
    let original = optional_text("原证号", req.original_number.as_deref())?;
    let year = year_of(req.issued_at);
    let seq = store::next_sequence(&mut *conn, year).await?;
    let number = CertificateNumber::generate(year, &settings.region, seq, rng);
    let new = NewCertificate {
        number: number.as_str(),
        user_id: holder.user_id,
        holder_name: &holder.name,
        unit_path: &holder.unit,
        category: &category,
        area: &area,
        issuer: &issuer,
        source: if req.attempt_id.is_some() {
            "exam"
        } else {
            "held"
        },
        exam_id: req.exam_id,
        attempt_id: req.attempt_id,
        exam_title: req.exam_title.as_deref(),
        score: req.score,
        original_number: original.as_deref(),
        reissue_of: None,
        issued_at: req.issued_at,
        valid_until,
        now: req.issued_at,
    };
    let Some(id) = store::insert(&mut *conn, &new).await? else {
        // A concurrent request issued it for this attempt first.
        let attempt = req.attempt_id.unwrap_or_default();
        return store::by_attempt(&mut *conn, attempt)
            .await?
            .ok_or_else(|| CertError::NotFound("证件不存在".into()));
    };
    store::supersede_others(&mut *conn, holder.user_id, &category, id, valid_until).await?;
    if req.attempt_id.is_some() {
        let detail = format!(
            "考试 #{}，成绩 {}",
            req.exam_id.unwrap_or_default(),
            req.score.unwrap_or_default()
        );
        let audit = Audit {
            actor: None,
            actor_name: "系统",
            action: "certificate_issued",
            target: number.as_str(),
            detail: &detail,
            ip: "",
        };
        session::audit(&mut *conn, &audit, req.issued_at).await?;
    }
    fetch(&mut *conn, id).await
}

async fn fetch(conn: &mut AnyConnection, id: i64) -> Result<CertificateRow, CertError> {
    store::by_id(conn, id)
        .await?
        .ok_or_else(|| CertError::NotFound("证件不存在".into()))
}

/// An administrator's entry of a certificate issued before xuefa (no exam in xuefa).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HeldForm {
    pub username: String,
    pub category: String,
    pub area: String,
    /// `YYYY-MM-DD`; today when blank.
    pub issued_on: String,
    /// `YYYY-MM-DD`, the last day of validity; the default period from `issued_on` when blank.
    pub valid_through: String,
    pub original_number: String,
    pub issuer: String,
}

/// Enters a certificate held before xuefa for a user in the administrator's scope.
pub async fn record_held(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    settings: &Settings,
    form: &HeldForm,
    rng: &mut impl RngCore,
) -> Result<CertificateRow, CertError> {
    let username = Username::parse(&form.username)?;
    let user = accounts::user_by_username(&mut *conn, username.as_str())
        .await?
        .ok_or_else(|| CertError::NotFound(format!("用户「{}」不存在", username.as_str())))?;
    managed_user(&mut *conn, ctx.actor, user.user_id).await?;
    let issued_at = match form.issued_on.trim() {
        "" => ctx.now,
        d => date_start("发证日期", d)?,
    };
    let valid_until = match form.valid_through.trim() {
        "" => None,
        d => Some(date_start("有效期至", d)? + DAY),
    };
    let req = IssueRequest {
        user_id: user.user_id,
        category: form.category.clone(),
        area: Some(form.area.clone()),
        issued_at,
        valid_until,
        original_number: Some(form.original_number.clone()),
        issuer: Some(form.issuer.clone()),
        ..IssueRequest::default()
    };
    let row = issue(&mut *conn, settings, req, rng).await?;
    let detail = format!(
        "持证人 {}（{}）；执法类别 {}；原证号 {}",
        row.holder_name,
        user.username,
        row.category,
        row.original_number.as_deref().unwrap_or("无")
    );
    session::audit(
        &mut *conn,
        &ctx.audit("certificate_recorded", &row.number, &detail),
        ctx.now,
    )
    .await?;
    Ok(row)
}

/// Whether the actor may see this certificate's page: its holder, or an administrator of the
/// holder's unit.
pub fn visible_to(actor: &Actor, row: &CertificateRow) -> bool {
    actor.user_id == row.user_id || actor.can_manage_unit(&row.holder_unit)
}

/// The certificate an administrator acts on: 404 when unknown, 403 outside their units.
async fn managed(
    conn: &mut AnyConnection,
    actor: &Actor,
    number: &str,
) -> Result<CertificateRow, CertError> {
    let unknown = || CertError::NotFound("证件不存在".into());
    let number = CertificateNumber::parse(number).ok_or_else(unknown)?;
    let row = store::by_number(&mut *conn, number.as_str())
        .await?
        .ok_or_else(unknown)?;
    if !actor.can_manage_unit(&row.holder_unit) {
        return Err(CertError::Forbidden);
    }
    Ok(row)
}

/// Why an action on a revoked or replaced certificate is refused.
fn settled(row: &CertificateRow, now: i64) -> Option<CertError> {
    match row.status(now) {
        Status::Revoked => Some(CertError::Conflict("该证件已吊销".into())),
        Status::Superseded => Some(CertError::Conflict(format!(
            "该证件已换发为 {}，请对新证件操作",
            row.superseded_number.as_deref().unwrap_or("新证")
        ))),
        _ => None,
    }
}

/// Re-issues a valid certificate under a new number with the holder's name and unit of
/// today; the old one is superseded. Returns the new certificate.
pub async fn reissue(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    settings: &Settings,
    number: &str,
    rng: &mut impl RngCore,
) -> Result<CertificateRow, CertError> {
    let old = managed(&mut *conn, ctx.actor, number).await?;
    if let Some(refusal) = settled(&old, ctx.now) {
        return Err(refusal);
    }
    if old.status(ctx.now) == Status::Expired {
        return Err(CertError::Conflict(
            "该证件已过期，不能换发；持证人须重新通过执法资格考试".into(),
        ));
    }
    let holder = accounts::user_by_id(&mut *conn, old.user_id)
        .await?
        .ok_or_else(|| CertError::NotFound("用户不存在".into()))?;
    let year = year_of(ctx.now);
    let seq = store::next_sequence(&mut *conn, year).await?;
    let number = CertificateNumber::generate(year, &settings.region, seq, rng);
    let new = NewCertificate {
        number: number.as_str(),
        user_id: old.user_id,
        holder_name: &holder.name,
        unit_path: &holder.unit,
        category: &old.category,
        area: &old.area,
        issuer: &settings.issuer,
        source: "reissue",
        exam_id: old.exam_id,
        attempt_id: old.attempt_id,
        exam_title: old.exam_title.as_deref(),
        score: old.score,
        original_number: old.original_number.as_deref(),
        reissue_of: Some(old.certificate_id),
        issued_at: ctx.now,
        valid_until: old.valid_until,
        now: ctx.now,
    };
    let id = store::insert(&mut *conn, &new)
        .await?
        .ok_or_else(|| CertError::Conflict("换发失败，请重试".into()))?;
    if !store::supersede(&mut *conn, old.certificate_id, id).await? {
        return Err(CertError::Conflict(
            "该证件刚被其他管理员处理，请刷新后重试".into(),
        ));
    }
    let detail = format!("新证号 {}", number.as_str());
    session::audit(
        &mut *conn,
        &ctx.audit("certificate_reissued", &old.number, &detail),
        ctx.now,
    )
    .await?;
    fetch(&mut *conn, id).await
}

/// Revokes a certificate with a reason.
pub async fn revoke(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    number: &str,
    reason: &str,
) -> Result<CertificateRow, CertError> {
    let row = managed(&mut *conn, ctx.actor, number).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CertError::validation("吊销原因", "请填写吊销原因"));
    }
    if reason.chars().count() > 200 || reason.chars().any(|c| c.is_control() && c != '\n') {
        return Err(CertError::validation(
            "吊销原因",
            "不能超过 200 个字，且不能含控制字符",
        ));
    }
    if let Some(refusal) = settled(&row, ctx.now) {
        return Err(refusal);
    }
    if !store::revoke(&mut *conn, row.certificate_id, reason, ctx.now).await? {
        return Err(CertError::Conflict("该证件已吊销".into()));
    }
    session::audit(
        &mut *conn,
        &ctx.audit("certificate_revoked", &row.number, reason),
        ctx.now,
    )
    .await?;
    fetch(&mut *conn, row.certificate_id).await
}
