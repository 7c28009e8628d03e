//! A year of records for `xuefa bench-report`, written with multi-row inserts: units, officials
//! (a fifth of them officers) and their reading here; practice, study notes, a dozen sessions
//! with attendance, two exams with attempts and certificates in `report_records`.
//! Deterministic (a fixed seed), so runs compare.

use sqlx::AnyConnection;

use super::report_records::{certificates, exams, practice_and_notes, sessions};
use crate::db::placeholders;
use crate::learning::Curriculum;

/// A value to bind.
pub(super) enum V {
    I(i64),
    S(String),
    Null,
}

/// Inserts `rows` (each `cols` values) into `into` (`table (col, …)`), in chunks of about
/// 2,000 parameters: under every database's limit, and small enough for SQLite, which
/// compares each numbered parameter with those before it while parsing (a 30,000-parameter
/// statement made the generation a hundred times slower there).
pub(super) async fn insert(
    conn: &mut AnyConnection,
    into: &str,
    cols: usize,
    rows: Vec<Vec<V>>,
) -> Result<(), sqlx::Error> {
    let per = (2_000 / cols).max(1);
    for chunk in rows.chunks(per) {
        let sql = format!(
            "insert into {into} values {}",
            placeholders(chunk.len(), cols, 0)
        );
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    V::I(i) => q.bind(*i),
                    V::S(s) => q.bind(s.clone()),
                    V::Null => q.bind(None::<i64>),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A `study_time` row: (user_id, day, kind, ref_id, seconds).
pub(super) fn study_row(user: i64, day: i64, kind: &str, ref_id: i64, seconds: i64) -> Vec<V> {
    vec![
        V::I(user),
        V::I(day),
        V::S(kind.into()),
        V::I(ref_id),
        V::I(seconds),
    ]
}

/// A small fixed-seed generator (xorshift), enough to spread the records.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

pub struct Generated {
    pub units: usize,
    pub study_rows: usize,
    pub practice_rows: usize,
    /// Study-note reading days and passed checks.
    pub note_rows: usize,
    pub attendance: usize,
    pub attempts: usize,
    pub certificates: usize,
}

/// Writes the records of `year` (starting at `from`, unix seconds) for `officials` people.
pub async fn generate(
    conn: &mut AnyConnection,
    curriculum: &Curriculum,
    officials: usize,
    from: i64,
) -> Result<Generated, sqlx::Error> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = from;
    // 5 townships of 10 units each: 50 units holding the people, 55 in all.
    let mut units = Vec::new();
    let mut leaves = Vec::new();
    for t in 0..5_i64 {
        let tid = 1000 + t * 100;
        let town = format!("乡镇{:02}", t + 1);
        units.push(vec![
            V::I(tid),
            V::Null,
            V::S(town.clone()),
            V::S(town.clone()),
            V::I(now),
        ]);
        for u in 1..=10_i64 {
            let name = format!("单位{u:02}");
            let path = format!("{town}/{name}");
            units.push(vec![
                V::I(tid + u),
                V::I(tid),
                V::S(name),
                V::S(path.clone()),
                V::I(now),
            ]);
            leaves.push((tid + u, path));
        }
    }
    let unit_count = units.len();
    insert(
        conn,
        "unit (unit_id, parent_id, name, path, created_at)",
        5,
        units,
    )
    .await?;
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    let mut people = Vec::new();
    for i in 0..officials {
        let id = 10_000 + i as i64;
        let (unit_id, path) = &leaves[i % leaves.len()];
        let officer = i % 5 == 0;
        users.push(vec![
            V::I(id),
            V::S(format!("u{i:05}")),
            V::S(format!("学员{i}")),
            V::I(*unit_id),
            V::S(String::new()),
            V::S("bench".into()),
            V::I(1),
            V::I(0),
            V::I(now),
            V::I(now),
        ]);
        roles.push(vec![V::I(id), V::S("official".into())]);
        if officer {
            roles.push(vec![V::I(id), V::S("officer".into())]);
        }
        people.push((id, path.clone(), officer));
    }
    insert(
        conn,
        "app_user (user_id, username, name, unit_id, phone, password_hash, active, \
         must_change_password, created_at, updated_at)",
        10,
        users,
    )
    .await?;
    insert(conn, "user_role (user_id, role)", 2, roles).await?;
    // The curriculum's laws as statutes, so the required-law completion has titles to match.
    let titles: Vec<String> = curriculum
        .official
        .laws
        .iter()
        .chain(&curriculum.officer.laws)
        .map(|l| l.title.clone())
        .collect();
    let statutes = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let s = |x: &str| V::S(x.to_string());
            vec![
                V::I(900 + i as i64),
                V::S(t.clone()),
                V::S(t.clone()),
                s("法律"),
                s("法律"),
                s("全国"),
            ]
        })
        .collect();
    insert(
        conn,
        "statute (statute_id, title, short_title, category, level, region)",
        6,
        statutes,
    )
    .await?;
    // Study time: 30 reading days a year each, 10–40 minutes a day on one law.
    let day0 = crate::learning::beijing_day(from);
    let mut study = Vec::new();
    for (id, _, _) in &people {
        let mut days: Vec<i64> = (0..30).map(|_| rng.below(360) as i64).collect();
        days.sort_unstable();
        days.dedup();
        for d in days {
            let law = 900 + rng.below(titles.len() as u64) as i64;
            let secs = 600 + rng.below(1800) as i64;
            study.push(study_row(*id, day0 + d, "law", law, secs));
        }
    }
    let study_rows = study.len();
    insert(
        conn,
        "study_time (user_id, day, kind, ref_id, seconds)",
        5,
        study,
    )
    .await?;
    let (practice_rows, note_rows) = practice_and_notes(conn, &mut rng, &people, from).await?;
    let attendance = sessions(conn, &mut rng, &people, from).await?;
    let attempts = exams(conn, &mut rng, &people, from).await?;
    let certificates = certificates(conn, &mut rng, &people, from).await?;
    Ok(Generated {
        units: unit_count,
        study_rows,
        practice_rows,
        note_rows,
        attendance,
        attempts,
        certificates,
    })
}
