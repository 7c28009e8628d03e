//! SQL for study sessions: the session, its laws and roster, attendance and make-ups.
//! Functions take a connection or transaction; the caller decides the unit of work.

use serde::Serialize;
use sqlx::{AnyConnection, FromRow};

use super::model::Window;

#[derive(Debug, Clone, FromRow)]
pub struct TrainingRow {
    pub training_id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub grace_before: i64,
    pub grace_after: i64,
    pub credited_minutes: i64,
    pub checkin_code: String,
    pub scope: String,
    pub created_by: String,
    pub created_at: i64,
}

impl TrainingRow {
    pub fn window(&self) -> Window {
        Window {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            grace_before: self.grace_before,
            grace_after: self.grace_after,
        }
    }
}

const COLUMNS: &str = "training_id, title, kind, starts_at, ends_at, grace_before, grace_after, \
                       credited_minutes, checkin_code, scope, created_by, created_at";

pub struct NewTraining<'a> {
    pub title: &'a str,
    pub kind: &'a str,
    pub window: Window,
    pub credited_minutes: i64,
    pub code: &'a str,
    pub scope: &'a str,
    pub by: &'a str,
    pub now: i64,
}

pub async fn insert(conn: &mut AnyConnection, t: &NewTraining<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into training (title, kind, starts_at, ends_at, grace_before, grace_after, \
         credited_minutes, checkin_code, scope, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning training_id",
    )
    .bind(t.title)
    .bind(t.kind)
    .bind(t.window.starts_at)
    .bind(t.window.ends_at)
    .bind(t.window.grace_before)
    .bind(t.window.grace_after)
    .bind(t.credited_minutes)
    .bind(t.code)
    .bind(t.scope)
    .bind(t.by)
    .bind(t.now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn add_law(conn: &mut AnyConnection, id: i64, law_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("insert into training_law (training_id, law_id) values ($1, $2)")
        .bind(id)
        .bind(law_id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

pub async fn add_unit(conn: &mut AnyConnection, id: i64, path: &str) -> Result<(), sqlx::Error> {
    sqlx::query("insert into training_unit (training_id, unit_path) values ($1, $2)")
        .bind(id)
        .bind(path)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

pub async fn add_person(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into training_person (training_id, user_id) values ($1, $2)")
        .bind(id)
        .bind(user_id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

pub async fn code_taken(conn: &mut AnyConnection, code: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("select count(*) from training where checkin_code = $1")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> Result<Option<TrainingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from training where training_id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn by_code(
    conn: &mut AnyConnection,
    code: &str,
) -> Result<Option<TrainingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from training where checkin_code = $1"
    ))
    .bind(code)
    .fetch_optional(&mut *conn)
    .await
}

/// Every session, newest first (the caller filters by scope).
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<TrainingRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from training order by starts_at desc, training_id desc"
    ))
    .fetch_all(&mut *conn)
    .await
}

#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct LawRef {
    pub law_id: i64,
    pub title: String,
}

pub async fn laws(conn: &mut AnyConnection, id: i64) -> Result<Vec<LawRef>, sqlx::Error> {
    sqlx::query_as(
        "select l.law_id, s.title from training_law t join law l on l.law_id = t.law_id \
         join statute s on s.statute_id = l.statute_id \
         where t.training_id = $1 order by l.law_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
}

pub async fn units(conn: &mut AnyConnection, id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select unit_path from training_unit where training_id = $1 order by unit_path",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
}

/// Whether a user belongs to a session's expected roster: named, or in one of its units or
/// below.
const ON_ROSTER: &str = "(exists (select 1 from training_person p \
       where p.training_id = $1 and p.user_id = u.user_id) \
     or exists (select 1 from training_unit r \
       where r.training_id = $1 and (n.path = r.unit_path or n.path like r.unit_path || '/%')))";

pub async fn on_roster(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(&format!(
        "select count(*) from app_user u join unit n on n.unit_id = u.unit_id \
         where u.user_id = $2 and {ON_ROSTER}"
    ))
    .bind(id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// One expected attendee and where they stand.
#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct RosterEntry {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    /// 1 present, 0 absent (marked), None: no record (absent unless made up).
    pub present: Option<i64>,
    /// checkin, corrected or makeup.
    pub how: Option<String>,
    pub reason: Option<String>,
    pub at: Option<i64>,
}

pub async fn roster(conn: &mut AnyConnection, id: i64) -> Result<Vec<RosterEntry>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select u.user_id, u.username, u.name, n.path as unit, a.present, a.how, a.reason, a.at \
         from app_user u join unit n on n.unit_id = u.unit_id \
         left join training_attendance a on a.training_id = $1 and a.user_id = u.user_id \
         where u.active = 1 and {ON_ROSTER} order by n.path, u.username"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await
}

/// A sign-in: a new record, or an "absent" mark turned present. Returns whether anything
/// changed (false: already present, a second check-in is a no-op).
pub async fn check_in(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into training_attendance (training_id, user_id, present, how, reason, at) \
         values ($1, $2, 1, 'checkin', '', $3) \
         on conflict (training_id, user_id) do update set present = 1, how = 'checkin', \
         reason = '', at = $3 where training_attendance.present = 0",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets attendance whatever it was (a correction or a make-up).
pub async fn set_attendance(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
    present: bool,
    how: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into training_attendance (training_id, user_id, present, how, reason, at) \
         values ($1, $2, $3, $4, $5, $6) \
         on conflict (training_id, user_id) do update set present = $3, how = $4, \
         reason = $5, at = $6",
    )
    .bind(id)
    .bind(user_id)
    .bind(i64::from(present))
    .bind(how)
    .bind(reason)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

pub async fn is_present(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "select count(*) from training_attendance \
         where training_id = $1 and user_id = $2 and present = 1",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// Sessions attended in a year and the hours they credit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Attended {
    pub count: i64,
    pub hours: f64,
}

/// Sessions a person attended (signed in, marked present or made up) that started in
/// `year` (Beijing time), and the hours credited for them. For the learning progress code.
pub async fn attended_sessions(
    conn: &mut AnyConnection,
    user_id: i64,
    year: i32,
) -> Result<Attended, sqlx::Error> {
    let (from, until) = (year_start(year), year_start(year.saturating_add(1)));
    let (count, minutes): (i64, i64) = sqlx::query_as(
        "select count(*), cast(coalesce(sum(t.credited_minutes), 0) as bigint) from training_attendance a \
         join training t on t.training_id = a.training_id \
         where a.user_id = $1 and a.present = 1 and t.starts_at >= $2 and t.starts_at < $3",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Attended {
        count,
        hours: minutes as f64 / 60.0,
    })
}

/// 1 January 00:00 Beijing time of `year`, in unix seconds.
pub fn year_start(year: i32) -> i64 {
    time::Date::from_calendar_date(year.clamp(1970, 9999), time::Month::January, 1)
        .map(|d| {
            d.midnight()
                .assume_offset(time::macros::offset!(+8))
                .unix_timestamp()
        })
        .unwrap_or(0)
}

/// A session as one person sees it on `/me/trainings`.
#[derive(Debug, Clone, FromRow, Serialize, utoipa::ToSchema)]
pub struct MyTraining {
    pub training_id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub credited_minutes: i64,
    pub present: Option<i64>,
    pub how: Option<String>,
}

/// The sessions a person was expected at or attended, newest first.
pub async fn of_user(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Vec<MyTraining>, sqlx::Error> {
    sqlx::query_as(
        "select t.training_id, t.title, t.kind, t.starts_at, t.ends_at, t.credited_minutes, \
         a.present, a.how from training t \
         join app_user u on u.user_id = $1 join unit n on n.unit_id = u.unit_id \
         left join training_attendance a on a.training_id = t.training_id and a.user_id = $1 \
         where a.user_id is not null \
            or exists (select 1 from training_person p \
                       where p.training_id = t.training_id and p.user_id = $1) \
            or exists (select 1 from training_unit r where r.training_id = t.training_id \
                       and (n.path = r.unit_path or n.path like r.unit_path || '/%')) \
         order by t.starts_at desc, t.training_id desc",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct MakeupRow {
    pub makeup_id: i64,
    pub question_ids: String,
}

impl MakeupRow {
    pub fn ids(&self) -> Vec<i64> {
        serde_json::from_str(&self.question_ids).unwrap_or_default()
    }
}

/// The make-up check a person has drawn and not yet answered.
pub async fn open_makeup(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
) -> Result<Option<MakeupRow>, sqlx::Error> {
    sqlx::query_as(
        "select makeup_id, question_ids from training_makeup \
         where training_id = $1 and user_id = $2 and submitted_at is null \
         order by makeup_id desc limit 1",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn insert_makeup(
    conn: &mut AnyConnection,
    id: i64,
    user_id: i64,
    question_ids: &[i64],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let ids = serde_json::to_string(question_ids).unwrap_or_else(|_| "[]".into());
    sqlx::query_scalar(
        "insert into training_makeup (training_id, user_id, question_ids, created_at) \
         values ($1, $2, $3, $4) returning makeup_id",
    )
    .bind(id)
    .bind(user_id)
    .bind(ids)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

pub async fn finish_makeup(
    conn: &mut AnyConnection,
    makeup_id: i64,
    right: i64,
    passed: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update training_makeup set submitted_at = $2, right_answers = $3, passed = $4 \
         where makeup_id = $1",
    )
    .bind(makeup_id)
    .bind(now)
    .bind(right)
    .bind(i64::from(passed))
    .execute(&mut *conn)
    .await
    .map(|_| ())
}
