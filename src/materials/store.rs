//! SQL for study notes: their ids, the laws their mentions resolve against, the questions on
//! their articles, check results, and reading time. The caller owns the unit of work.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::resolve::LawTarget;

/// The note's id, registering the slug the first time.
pub async fn ensure(conn: &mut AnyConnection, slug: &str, law: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "insert into material (slug, law_title) values ($1, $2) \
         on conflict (slug) do update set law_title = excluded.law_title",
    )
    .bind(slug)
    .bind(law)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("select material_id from material where slug = $1")
        .bind(slug)
        .fetch_one(conn)
        .await
}

/// Every registered note: slug → id.
pub async fn ids(conn: &mut AnyConnection) -> Result<HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("select slug, material_id from material")
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The law title of a registered note.
pub async fn law_of(
    conn: &mut AnyConnection,
    material_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select law_title from material where material_id = $1")
        .bind(material_id)
        .fetch_optional(conn)
        .await
}

/// The current versions of the laws with these names (full or short titles), with their
/// article numbers.
pub async fn law_targets(
    conn: &mut AnyConnection,
    names: &[String],
) -> Result<Vec<LawTarget>, sqlx::Error> {
    let mut out: Vec<LawTarget> = Vec::new();
    for name in names {
        let full = if name.starts_with("中华人民共和国") {
            name.clone()
        } else {
            format!("中华人民共和国{name}")
        };
        let row: Option<(i64, i64, String, String)> = sqlx::query_as(
            "select l.law_id, s.statute_id, s.title, s.short_title from statute s \
             join law l on l.statute_id = s.statute_id and l.is_current = 1 \
             where s.title = $1 or s.title = $2 or s.short_title = $1 \
             order by case when s.title = $1 then 0 else 1 end, s.statute_id limit 1",
        )
        .bind(name)
        .bind(&full)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((law_id, statute_id, title, short_title)) = row else {
            continue;
        };
        if out.iter().any(|t| t.law_id == law_id) {
            continue;
        }
        let articles: Vec<(i64, i64)> = sqlx::query_as(
            "select article_no, article_sub from article where law_id = $1 and article_no > 0",
        )
        .bind(law_id)
        .fetch_all(&mut *conn)
        .await?;
        out.push(LawTarget {
            law_id,
            statute_id,
            title,
            short_title,
            articles: articles
                .into_iter()
                .map(|(n, s)| (n as u32, s as u32))
                .collect(),
        });
    }
    Ok(out)
}

/// Approved questions citing an article of `statute_id` (current version), with the article:
/// (question_id, article_no, article_sub).
pub async fn questions_on(
    conn: &mut AnyConnection,
    statute_id: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select q.question_id, b.article_no, b.article_sub from question q \
         join question_basis b on b.version_id = q.current_version_id \
         where q.status = 'approved' and b.statute_id = $1 order by q.question_id",
    )
    .bind(statute_id)
    .fetch_all(conn)
    .await
}

pub async fn save_check(
    conn: &mut AnyConnection,
    user_id: i64,
    material_id: i64,
    now: i64,
    correct: i64,
    total: i64,
    passed: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into material_check (user_id, material_id, taken_at, correct, total, passed) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user_id)
    .bind(material_id)
    .bind(now)
    .bind(correct)
    .bind(total)
    .bind(i64::from(passed))
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the person passed the note's check in `[from, until)` (unix seconds).
pub async fn passed(
    conn: &mut AnyConnection,
    user_id: i64,
    material_id: i64,
    from: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "select count(*) from material_check where user_id = $1 and material_id = $2 \
         and passed = 1 and taken_at >= $3 and taken_at < $4",
    )
    .bind(user_id)
    .bind(material_id)
    .bind(from)
    .bind(until)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Per law title with a note: whether the person passed one of its notes' checks in
/// `[from, until)`.
pub async fn checks_by_law(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    until: i64,
) -> Result<HashMap<String, bool>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select m.law_title, cast(count(c.check_id) as bigint) from material m \
         left join material_check c on c.material_id = m.material_id and c.user_id = $1 \
         and c.passed = 1 and c.taken_at >= $2 and c.taken_at < $3 group by m.law_title",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(t, n)| (t, n > 0)).collect())
}

/// Reading seconds on notes for days `from..until`, per material id.
pub async fn seconds_by_material(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    until: i64,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "select ref_id, cast(sum(seconds) as bigint) from study_time \
         where user_id = $1 and kind = 'material' and day >= $2 and day < $3 group by ref_id",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The person's reading on notes for days `from..until`: (day, the note's law, seconds).
pub async fn ledger(
    conn: &mut AnyConnection,
    user_id: i64,
    from: i64,
    until: i64,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select t.day, m.law_title, t.seconds from study_time t \
         join material m on m.material_id = t.ref_id \
         where t.user_id = $1 and t.kind = 'material' and t.day >= $2 and t.day < $3 \
         order by t.day desc, m.law_title",
    )
    .bind(user_id)
    .bind(from)
    .bind(until)
    .fetch_all(conn)
    .await
}
