//! SQL behind an exam's results: the people who may sit it (active users with their unit
//! and roles), those who attempted it, event counts, and the names regrading reports.

use std::collections::HashMap;

use sqlx::{Any, AnyConnection, Executor, FromRow};

use crate::accounts::{Actor, Role};

/// A person as the results list them.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Person {
    pub user_id: i64,
    pub username: String,
    pub name: String,
    /// The unit's path.
    pub unit: String,
}

/// Every active user with their roles, as an [`Actor`] the audience rules can judge,
/// ordered by unit path and username.
pub async fn active_people(conn: &mut AnyConnection) -> Result<Vec<(Person, Actor)>, sqlx::Error> {
    let people: Vec<Person> = sqlx::query_as(
        "select u.user_id, u.username, u.name, n.path as unit from app_user u \
         join unit n on n.unit_id = u.unit_id where u.active = 1 order by n.path, u.username",
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<(i64, String)> = sqlx::query_as("select user_id, role from user_role")
        .fetch_all(&mut *conn)
        .await?;
    Ok(with_roles(people, rows))
}

/// The people as [`Actor`]s, with their roles from (user id, role code) rows.
pub fn with_roles(people: Vec<Person>, rows: Vec<(i64, String)>) -> Vec<(Person, Actor)> {
    let mut roles: HashMap<i64, Vec<Role>> = HashMap::new();
    for (user_id, code) in rows {
        if let Some(r) = Role::parse(&code) {
            roles.entry(user_id).or_default().push(r);
        }
    }
    people
        .into_iter()
        .map(|p| {
            let actor = Actor {
                user_id: p.user_id,
                username: p.username.clone(),
                name: p.name.clone(),
                unit: p.unit.clone(),
                roles: roles.remove(&p.user_id).unwrap_or_default(),
                must_change_password: false,
            };
            (p, actor)
        })
        .collect()
}

/// Everyone who has an attempt at the exam (active or not), by unit path and username.
pub async fn attempted<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as(
        "select distinct u.user_id, u.username, u.name, n.path as unit from attempt a \
         join app_user u on u.user_id = a.user_id join unit n on n.unit_id = u.unit_id \
         where a.exam_id = $1 order by n.path, u.username",
    )
    .bind(exam_id)
    .fetch_all(ex)
    .await
}

/// Logged events (visibility changes and the like) per person over their attempts.
pub async fn event_counts<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    exam_id: i64,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "select a.user_id, count(*) from attempt_event e join attempt a \
         on a.attempt_id = e.attempt_id where a.exam_id = $1 group by a.user_id",
    )
    .bind(exam_id)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Usernames of users by id (missing ids are left out).
pub async fn usernames(
    conn: &mut AnyConnection,
    user_ids: &[i64],
) -> Result<HashMap<i64, String>, sqlx::Error> {
    let mut out = HashMap::new();
    for &id in user_ids {
        if out.contains_key(&id) {
            continue;
        }
        let name: Option<String> =
            sqlx::query_scalar("select username from app_user where user_id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(name) = name {
            out.insert(id, name);
        }
    }
    Ok(out)
}
