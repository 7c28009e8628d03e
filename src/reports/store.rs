//! SQL behind the reports: every query reads a whole year for a whole unit subtree at once
//! (grouped in SQL where that shrinks the rows), never one query per person. The subtree is
//! `$1` (the root path, '' for everything) and `$2` (the root followed by `/%`).

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

use crate::accounts::Actor;
use crate::exam::store::ExamRow;
use crate::exam::store_attempt::AttemptRow;
use crate::exam::store_results::Person;

/// Users (joined as `u`) whose unit (joined as `n`) is in the subtree.
const IN_SCOPE: &str = "($1 = '' or n.path = $1 or n.path like $2)";
const JOIN_USER: &str =
    "join app_user u on u.user_id = x.user_id join unit n on n.unit_id = u.unit_id";

/// The two subtree parameters for a root (None: every unit).
fn scope(root: Option<&str>) -> (String, String) {
    let r = root.unwrap_or("");
    (r.to_string(), format!("{r}/%"))
}

/// What a report for `[from, until)` is computed from.
#[derive(Debug, Default)]
pub struct Dataset {
    pub people: Vec<(Person, Actor)>,
    /// (user, statute, seconds) read in the year.
    pub law_seconds: Vec<(i64, i64, i64)>,
    pub statutes: HashMap<i64, String>,
    /// (user, the note's law title, seconds) read on study notes in the year.
    pub material_seconds: Vec<(i64, String, i64)>,
    /// The law titles that have a study note, and (user, law title) of each passed check.
    pub material_laws: Vec<String>,
    pub material_checks: Vec<(i64, String)>,
    pub practice: HashMap<i64, i64>,
    pub exam_time: HashMap<i64, i64>,
    /// Beijing day → seconds (reading, practice, exams) over the subtree.
    pub daily: Vec<(i64, i64)>,
    /// (unit path, hours, sessions) of the year's overrides.
    pub overrides: Vec<(String, i64, i64)>,
    pub sessions: Vec<SessionRow>,
    pub session_units: Vec<(i64, String)>,
    pub session_people: Vec<(i64, i64)>,
    pub attendance: Vec<AttendanceRow>,
    pub exams: Vec<ExamRow>,
    pub attempts: Vec<AttemptRow>,
    pub certificates: Vec<CertRow>,
}

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub training_id: i64,
    pub title: String,
    pub kind: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub credited_minutes: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct AttendanceRow {
    pub training_id: i64,
    pub user_id: i64,
    pub present: i64,
    pub how: String,
    pub at: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct CertRow {
    pub user_id: i64,
    pub issued_at: i64,
    pub valid_until: i64,
    pub revoked_at: Option<i64>,
    pub superseded_by: Option<i64>,
}

/// Reads everything a report of the subtree needs: activity in `[from, until)` (unix
/// seconds), the overrides of `year`.
pub async fn load(
    conn: &mut AnyConnection,
    root: Option<&str>,
    year: i32,
    from: i64,
    until: i64,
) -> Result<Dataset, sqlx::Error> {
    // Days are whole: the day `until` falls in counts (a report during the day sees it).
    let (day_from, day_until) = (
        crate::learning::beijing_day(from),
        crate::learning::beijing_day(until - 1) + 1,
    );
    let mut d = Dataset {
        people: people(&mut *conn, root).await?,
        ..Dataset::default()
    };
    d.law_seconds = rows3(
        &mut *conn,
        root,
        &format!(
            "select x.user_id, x.ref_id, cast(sum(x.seconds) as bigint) from study_time x \
             {JOIN_USER} where x.kind = 'law' and x.day >= $3 and x.day < $4 and u.active = 1 \
             and {IN_SCOPE} group by x.user_id, x.ref_id"
        ),
        day_from,
        day_until,
    )
    .await?;
    d.statutes = sqlx::query_as::<_, (i64, String)>("select statute_id, title from statute")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    materials(
        &mut *conn,
        root,
        (day_from, day_until),
        (from, until),
        &mut d,
    )
    .await?;
    d.practice = pairs(
        &mut *conn,
        root,
        &practice_sql("x.user_id"),
        day_from,
        day_until,
    )
    .await?;
    d.exam_time = pairs(&mut *conn, root, &exam_sql("x.user_id"), from, until).await?;
    let mut daily: HashMap<i64, i64> = HashMap::new();
    let reading = format!(
        "select x.day, cast(sum(x.seconds) as bigint) from study_time x {JOIN_USER} \
         where x.kind in ('law', 'material') and x.day >= $3 and x.day < $4 and u.active = 1 \
         and {IN_SCOPE} group by x.day"
    );
    for (sql, a, b) in [
        (reading, day_from, day_until),
        (practice_sql("x.day"), day_from, day_until),
        (exam_sql("(x.started_at + 28800) / 86400"), from, until),
    ] {
        for (day, s) in pairs(&mut *conn, root, &sql, a, b).await? {
            *daily.entry(day).or_default() += s;
        }
    }
    d.daily = daily.into_iter().collect();
    d.daily.sort_unstable();
    d.overrides = sqlx::query_as(
        "select n.path, r.hours, r.sessions from study_requirement r \
         join unit n on n.unit_id = r.unit_id where r.year = $1",
    )
    .bind(i64::from(year))
    .fetch_all(&mut *conn)
    .await?;
    sessions(&mut *conn, root, from, until, &mut d).await?;
    exams(&mut *conn, root, from, until, &mut d).await?;
    let (r, like) = scope(root);
    d.certificates = sqlx::query_as(&format!(
        "select x.user_id, x.issued_at, x.valid_until, x.revoked_at, x.superseded_by \
         from certificate x {JOIN_USER} where u.active = 1 and {IN_SCOPE}"
    ))
    .bind(r)
    .bind(like)
    .fetch_all(&mut *conn)
    .await?;
    Ok(d)
}

/// Active users of the subtree with their roles, by unit path and username.
async fn people(
    conn: &mut AnyConnection,
    root: Option<&str>,
) -> Result<Vec<(Person, Actor)>, sqlx::Error> {
    let (r, like) = scope(root);
    let mut people: Vec<Person> = sqlx::query_as(&format!(
        "select u.user_id, u.username, u.name, n.path as unit from app_user u \
         join unit n on n.unit_id = u.unit_id where u.active = 1 and {IN_SCOPE} \
         order by n.path, u.username"
    ))
    .bind(&r)
    .bind(&like)
    .fetch_all(&mut *conn)
    .await?;
    // By code point whatever the database's collation, as the unit tree is ordered.
    people.sort_by(|a, b| (&a.unit, &a.username).cmp(&(&b.unit, &b.username)));
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "select x.user_id, x.role from user_role x {JOIN_USER} where u.active = 1 and {IN_SCOPE}"
    ))
    .bind(&r)
    .bind(&like)
    .fetch_all(&mut *conn)
    .await?;
    Ok(crate::exam::store_results::with_roles(people, rows))
}

/// Practice seconds grouped by `key`, from the ledger of `learning::store::credit_practice`.
fn practice_sql(key: &str) -> String {
    format!(
        "select {key}, cast(sum(x.seconds) as bigint) from practice_time x {JOIN_USER} \
         where x.day >= $3 and x.day < $4 and u.active = 1 and {IN_SCOPE} group by {key}"
    )
}

/// Exam seconds grouped by `key`, as `learning::store::exam_seconds` counts them.
fn exam_sql(key: &str) -> String {
    format!(
        "select {key}, cast(sum(case when x.finished_at is null or x.finished_at > x.deadline \
         then x.deadline else x.finished_at end - x.started_at) as bigint) from attempt x \
         {JOIN_USER} where x.status <> 'in_progress' and x.started_at >= $3 \
         and x.started_at < $4 and u.active = 1 and {IN_SCOPE} group by {key}"
    )
}

async fn pairs(
    conn: &mut AnyConnection,
    root: Option<&str>,
    sql: &str,
    a: i64,
    b: i64,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let (r, like) = scope(root);
    let rows: Vec<(i64, i64)> = sqlx::query_as(sql)
        .bind(r)
        .bind(like)
        .bind(a)
        .bind(b)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn rows3(
    conn: &mut AnyConnection,
    root: Option<&str>,
    sql: &str,
    a: i64,
    b: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    let (r, like) = scope(root);
    sqlx::query_as(sql)
        .bind(r)
        .bind(like)
        .bind(a)
        .bind(b)
        .fetch_all(&mut *conn)
        .await
}

/// Reading on study notes (days `[a, b)`) and their passed checks (times `[from, until)`):
/// a required law with a note is done only with its check passed, as on `/me`.
async fn materials(
    conn: &mut AnyConnection,
    root: Option<&str>,
    (day_from, day_until): (i64, i64),
    (from, until): (i64, i64),
    d: &mut Dataset,
) -> Result<(), sqlx::Error> {
    let (r, like) = scope(root);
    d.material_seconds = sqlx::query_as(&format!(
        "select x.user_id, m.law_title, cast(sum(x.seconds) as bigint) from study_time x \
         join material m on m.material_id = x.ref_id {JOIN_USER} where x.kind = 'material' \
         and x.day >= $3 and x.day < $4 and u.active = 1 and {IN_SCOPE} \
         group by x.user_id, m.law_title"
    ))
    .bind(&r)
    .bind(&like)
    .bind(day_from)
    .bind(day_until)
    .fetch_all(&mut *conn)
    .await?;
    d.material_checks = sqlx::query_as(&format!(
        "select distinct x.user_id, m.law_title from material_check x \
         join material m on m.material_id = x.material_id {JOIN_USER} where x.passed = 1 \
         and x.taken_at >= $3 and x.taken_at < $4 and u.active = 1 and {IN_SCOPE}"
    ))
    .bind(&r)
    .bind(&like)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    d.material_laws = sqlx::query_scalar("select distinct law_title from material")
        .fetch_all(&mut *conn)
        .await?;
    Ok(())
}

/// The sessions that started in `[from, until)`, their rosters and the subtree's attendance.
async fn sessions(
    conn: &mut AnyConnection,
    root: Option<&str>,
    from: i64,
    until: i64,
    d: &mut Dataset,
) -> Result<(), sqlx::Error> {
    const IN_YEAR: &str = "join training t on t.training_id = x.training_id \
                           where t.starts_at >= $1 and t.starts_at < $2";
    d.sessions = sqlx::query_as(
        "select training_id, title, kind, starts_at, ends_at, credited_minutes from training \
         where starts_at >= $1 and starts_at < $2 order by starts_at, training_id",
    )
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    d.session_units = sqlx::query_as(&format!(
        "select x.training_id, x.unit_path from training_unit x {IN_YEAR}"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    d.session_people = sqlx::query_as(&format!(
        "select x.training_id, x.user_id from training_person x {IN_YEAR}"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    let (r, like) = scope(root);
    d.attendance = sqlx::query_as(&format!(
        "select x.training_id, x.user_id, x.present, x.how, x.at from training_attendance x \
         join training t on t.training_id = x.training_id {JOIN_USER} \
         where t.starts_at >= $3 and t.starts_at < $4 and u.active = 1 and {IN_SCOPE}"
    ))
    .bind(r)
    .bind(like)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}

/// The published exams that opened in `[from, until)` and the subtree's attempts at them.
async fn exams(
    conn: &mut AnyConnection,
    root: Option<&str>,
    from: i64,
    until: i64,
    d: &mut Dataset,
) -> Result<(), sqlx::Error> {
    d.exams = sqlx::query_as(
        "select exam_id, title, kind, status, definition, opens_at, closes_at, scope, \
         created_by, created_at, published_at from exam where status = 'published' \
         and opens_at >= $1 and opens_at < $2 order by opens_at, exam_id",
    )
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    let (r, like) = scope(root);
    d.attempts = sqlx::query_as(&format!(
        "select x.attempt_id, x.exam_id, x.user_id, x.attempt_no, x.seed, x.status, \
         x.started_at, x.deadline, x.finished_at, x.score, x.max_score, x.passed from attempt x \
         join exam e on e.exam_id = x.exam_id {JOIN_USER} where e.status = 'published' \
         and e.opens_at >= $3 and e.opens_at < $4 and u.active = 1 and {IN_SCOPE} \
         order by x.attempt_id"
    ))
    .bind(r)
    .bind(like)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?;
    Ok(())
}
