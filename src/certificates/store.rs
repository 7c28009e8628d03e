//! SQL for certificates. Functions take a connection or executor; callers own transactions.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::{Certificate, Status};
use crate::accounts::store::like_below;

/// A stored certificate, with the holder's unit of today (what scope checks look at) and the
/// number of the certificate that replaced it, if any.
#[derive(Debug, Clone, FromRow)]
pub struct CertificateRow {
    pub certificate_id: i64,
    pub number: String,
    pub user_id: i64,
    pub holder_name: String,
    pub unit_path: String,
    /// The holder's unit now (they may have moved since the issue).
    pub holder_unit: String,
    pub category: String,
    pub area: String,
    pub issuer: String,
    pub source: String,
    pub exam_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub exam_title: Option<String>,
    pub score: Option<f64>,
    pub original_number: Option<String>,
    pub reissue_of: Option<i64>,
    pub issued_at: i64,
    pub valid_until: i64,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
    pub superseded_by: Option<i64>,
    pub superseded_number: Option<String>,
}

impl CertificateRow {
    pub fn status(&self, now: i64) -> Status {
        Status::of(self.revoked_at, self.superseded_by, self.valid_until, now)
    }

    pub fn view(&self, now: i64) -> Certificate {
        Certificate {
            number: self.number.clone(),
            user_id: self.user_id,
            holder: self.holder_name.clone(),
            unit: self.unit_path.clone(),
            category: self.category.clone(),
            area: self.area.clone(),
            issuer: self.issuer.clone(),
            source: self.source.clone(),
            exam_id: self.exam_id,
            attempt_id: self.attempt_id,
            exam_title: self.exam_title.clone(),
            score: self.score,
            original_number: self.original_number.clone(),
            issued_at: self.issued_at,
            valid_until: self.valid_until,
            status: self.status(now),
            revoked_at: self.revoked_at,
            revoked_reason: self.revoked_reason.clone(),
            superseded_by: self.superseded_number.clone(),
        }
    }
}

const SELECT: &str = "select c.certificate_id, c.number, c.user_id, c.holder_name, c.unit_path, \
     n.path as holder_unit, c.category, c.area, c.issuer, c.source, c.exam_id, c.attempt_id, \
     c.exam_title, c.score, c.original_number, c.reissue_of, c.issued_at, c.valid_until, \
     c.revoked_at, c.revoked_reason, c.superseded_by, s.number as superseded_number \
     from certificate c join app_user u on u.user_id = c.user_id \
     join unit n on n.unit_id = u.unit_id \
     left join certificate s on s.certificate_id = c.superseded_by";

/// What a new certificate row holds.
#[derive(Debug, Clone)]
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub user_id: i64,
    pub holder_name: &'a str,
    pub unit_path: &'a str,
    pub category: &'a str,
    pub area: &'a str,
    pub issuer: &'a str,
    pub source: &'a str,
    pub exam_id: Option<i64>,
    pub attempt_id: Option<i64>,
    pub exam_title: Option<&'a str>,
    pub score: Option<f64>,
    pub original_number: Option<&'a str>,
    pub reissue_of: Option<i64>,
    pub issued_at: i64,
    pub valid_until: i64,
    pub now: i64,
}

/// The next sequence number of `year`: one atomic upsert, so concurrent issues never share one.
pub async fn next_sequence(conn: &mut AnyConnection, year: i32) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into certificate_counter (year, last) values ($1, 1) \
         on conflict (year) do update set last = certificate_counter.last + 1 returning last",
    )
    .bind(i64::from(year))
    .fetch_one(conn)
    .await
}

/// Inserts the certificate; `None` when its attempt already has one (the unique index decides,
/// also between concurrent requests).
pub async fn insert(
    conn: &mut AnyConnection,
    c: &NewCertificate<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "insert into certificate (number, user_id, holder_name, unit_path, category, area, \
         issuer, source, exam_id, attempt_id, exam_title, score, original_number, reissue_of, \
         issued_at, valid_until, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         on conflict (attempt_id) where attempt_id is not null and reissue_of is null do nothing \
         returning certificate_id",
    )
    .bind(c.number)
    .bind(c.user_id)
    .bind(c.holder_name)
    .bind(c.unit_path)
    .bind(c.category)
    .bind(c.area)
    .bind(c.issuer)
    .bind(c.source)
    .bind(c.exam_id)
    .bind(c.attempt_id)
    .bind(c.exam_title)
    .bind(c.score)
    .bind(c.original_number)
    .bind(c.reissue_of)
    .bind(c.issued_at)
    .bind(c.valid_until)
    .bind(c.now)
    .fetch_optional(conn)
    .await
}

pub async fn by_id<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where c.certificate_id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn by_number<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    number: &str,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} where c.number = $1"))
        .bind(number)
        .fetch_optional(ex)
        .await
}

/// The certificate first issued for an exam attempt.
pub async fn by_attempt<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where c.attempt_id = $1 and c.reissue_of is null"
    ))
    .bind(attempt_id)
    .fetch_optional(ex)
    .await
}

/// The live certificates (neither revoked nor replaced) earned by an exam attempt: the first
/// one issued, or the re-issue that replaced it.
pub async fn live_of_attempt<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where c.attempt_id = $1 and c.revoked_at is null and c.superseded_by is null"
    ))
    .bind(attempt_id)
    .fetch_all(ex)
    .await
}

/// The certificates of an attempt revoked with `reason` and not replaced since (for a
/// revocation that a later correction undoes).
pub async fn revoked_of_attempt<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    attempt_id: i64,
    reason: &str,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where c.attempt_id = $1 and c.revoked_reason = $2 and c.superseded_by is null"
    ))
    .bind(attempt_id)
    .bind(reason)
    .fetch_all(ex)
    .await
}

/// Lifts a revocation; false when it was not revoked.
pub async fn unrevoke(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update certificate set revoked_at = null, revoked_reason = null \
         where certificate_id = $1 and revoked_at is not null",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A passed `qualification` attempt that has no certificate yet.
#[derive(Debug, sqlx::FromRow)]
pub struct EarnedPass {
    pub attempt_id: i64,
    pub exam_id: i64,
    pub user_id: i64,
    /// Hundredths of a point.
    pub score: i64,
    pub finished_at: Option<i64>,
    pub title: String,
    pub definition: String,
}

/// Passed qualification attempts without a certificate (of one person, or all), oldest first,
/// so a later pass replaces an earlier one as it would have when issued one by one.
pub async fn passes_without_certificate<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: Option<i64>,
) -> Result<Vec<EarnedPass>, sqlx::Error> {
    sqlx::query_as(
        "select a.attempt_id, a.exam_id, a.user_id, a.score, a.finished_at, e.title, e.definition \
         from attempt a join exam e on e.exam_id = a.exam_id \
         where e.kind = 'qualification' and a.passed = 1 and a.status <> 'in_progress' \
           and ($1 = 0 or a.user_id = $1) \
           and not exists (select 1 from certificate c where c.attempt_id = a.attempt_id) \
         order by a.finished_at, a.attempt_id",
    )
    .bind(user_id.unwrap_or(0))
    .fetch_all(ex)
    .await
}

/// A person's certificates, newest first.
pub async fn of_user<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    user_id: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} where c.user_id = $1 order by c.issued_at desc, c.certificate_id desc"
    ))
    .bind(user_id)
    .fetch_all(ex)
    .await
}

/// Certificates neither revoked nor replaced whose validity ends in `[from, until)`, of holders
/// in the unit `scope` or below it (`None`: everyone), soonest first.
pub async fn expiring<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    scope: Option<&str>,
    from: i64,
    until: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    let exact = scope.unwrap_or_default();
    let below = scope.map(like_below).unwrap_or_default();
    sqlx::query_as(&format!(
        "{SELECT} where c.revoked_at is null and c.superseded_by is null \
         and c.valid_until >= $1 and c.valid_until < $2 \
         and ($3 = '' or n.path = $3 or n.path like $4 escape '\\') \
         order by c.valid_until, c.certificate_id"
    ))
    .bind(from)
    .bind(until)
    .bind(exact)
    .bind(below)
    .fetch_all(ex)
    .await
}

/// Marks the holder's other live certificates of the same category that end no later than
/// `valid_until` as replaced by `new_id` (entering an older paper certificate replaces nothing).
pub async fn supersede_others(
    conn: &mut AnyConnection,
    user_id: i64,
    category: &str,
    new_id: i64,
    valid_until: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "update certificate set superseded_by = $1 where user_id = $2 and category = $3 \
         and certificate_id <> $1 and revoked_at is null and superseded_by is null \
         and valid_until <= $4",
    )
    .bind(new_id)
    .bind(user_id)
    .bind(category)
    .bind(valid_until)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Marks one certificate replaced; false when it was already revoked or replaced meanwhile.
pub async fn supersede(
    conn: &mut AnyConnection,
    id: i64,
    new_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update certificate set superseded_by = $1 \
         where certificate_id = $2 and revoked_at is null and superseded_by is null",
    )
    .bind(new_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes; false when it was already revoked.
pub async fn revoke(
    conn: &mut AnyConnection,
    id: i64,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update certificate set revoked_at = $1, revoked_reason = $2 \
         where certificate_id = $3 and revoked_at is null",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every certificate, newest first (the command line's list).
pub async fn all<'c, E: Executor<'c, Database = Any>>(
    ex: E,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} order by c.issued_at desc, c.certificate_id desc"
    ))
    .fetch_all(ex)
    .await
}
