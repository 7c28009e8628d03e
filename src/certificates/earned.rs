//! Certificates earned by passing a `qualification` exam. Every way an attempt is graded
//! (submit, a late save, the deadline sweep, a regrade) is followed, in the same unit of work,
//! by `issue_earned`, which issues one certificate per passed attempt that has none yet; as it
//! looks at the database rather than at one grading, a pass is never left without its
//! certificate, and running it twice issues nothing more.

use rand_core::RngCore;
use sqlx::AnyConnection;

use super::ops::{self, IssueRequest};
use super::store::{self, CertificateRow};
use super::{CertError, Settings};
use crate::exam::model::{DEFAULT_CATEGORY, ExamDefinition};

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
