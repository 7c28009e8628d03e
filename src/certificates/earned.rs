//! Certificates earned by passing a `qualification` exam. Every way an attempt is graded
//! (submit, a late save, the deadline sweep, a regrade) is followed, in the same unit of work,
//! by `issue_earned`, which issues one certificate per passed attempt that has none yet; as it
//! looks at the database rather than at one grading, a pass is never left without its
//! certificate, and running it twice issues nothing more.
//!
//! A regrade that turns a pass into a fail revokes the certificate that attempt earned
//! (reason [`REGRADE_REASON`], audited); one that turns a fail into a pass issues it, or lifts
//! an earlier revocation of the same kind (a key corrected twice).

use rand_core::RngCore;
use sqlx::AnyConnection;

use super::ops::{self, IssueRequest};
use super::store::{self, CertificateRow};
use super::{CertError, Settings};
use crate::accounts::admin::Ctx;
use crate::accounts::session;
use crate::exam::model::{DEFAULT_CATEGORY, ExamDefinition};
use crate::exam::regrade::Change;

/// Issues the certificates earned and not yet issued, of one person or (the sweep) of all.
pub async fn issue_earned(
    conn: &mut AnyConnection,
    settings: &Settings,
    user_id: Option<i64>,
    now: i64,
    rng: &mut impl RngCore,
) -> Result<Vec<CertificateRow>, CertError> {
    let mut issued = Vec::new();
    for pass in store::passes_without_certificate(&mut *conn, user_id).await? {
        // A definition that no longer parses was stored by an older build; its exam still
        // earns a certificate, of the default category.
        let category = serde_json::from_str::<ExamDefinition>(&pass.definition)
            .map(|d| d.certificate_category().to_string())
            .unwrap_or_else(|_| DEFAULT_CATEGORY.into());
        let req = IssueRequest {
            user_id: pass.user_id,
            category,
            exam_id: Some(pass.exam_id),
            attempt_id: Some(pass.attempt_id),
            exam_title: Some(pass.title),
            score: Some(pass.score as f64 / 100.0),
            issued_at: pass.finished_at.unwrap_or(now),
            ..Default::default()
        };
        issued.push(ops::issue(&mut *conn, settings, req, rng).await?);
    }
    Ok(issued)
}

/// Why a regrade revokes a certificate.
pub const REGRADE_REASON: &str = "重新评分后未通过";

/// What a regrade did to certificates: the numbers revoked and those issued or restored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Followed {
    pub revoked: Vec<String>,
    pub issued: Vec<String>,
}

/// Makes certificates follow an applied regrade, in its unit of work: pass→fail revokes the
/// attempt's live certificate, fail→pass restores one revoked by an earlier regrade, and then
/// every pass without a certificate gets one. Each revocation and restoration is audited.
pub async fn follow_regrade(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    settings: &Settings,
    changes: &[Change],
    rng: &mut impl RngCore,
) -> Result<Followed, CertError> {
    let mut out = Followed::default();
    for c in changes.iter().filter(|c| c.old_passed && !c.new_passed) {
        for row in store::live_of_attempt(&mut *conn, c.attempt_id).await? {
            if store::revoke(&mut *conn, row.certificate_id, REGRADE_REASON, ctx.now).await? {
                let audit = ctx.audit("certificate_revoked", &row.number, REGRADE_REASON);
                session::audit(&mut *conn, &audit, ctx.now).await?;
                out.revoked.push(row.number);
            }
        }
    }
    for c in changes.iter().filter(|c| !c.old_passed && c.new_passed) {
        for row in store::revoked_of_attempt(&mut *conn, c.attempt_id, REGRADE_REASON).await? {
            if store::unrevoke(&mut *conn, row.certificate_id).await? {
                let detail = "重新评分后通过，撤销吊销";
                let audit = ctx.audit("certificate_restored", &row.number, detail);
                session::audit(&mut *conn, &audit, ctx.now).await?;
                out.issued.push(row.number);
            }
        }
    }
    let issued = issue_earned(&mut *conn, settings, None, ctx.now, rng).await?;
    out.issued.extend(issued.into_iter().map(|r| r.number));
    Ok(out)
}
