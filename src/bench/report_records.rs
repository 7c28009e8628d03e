//! The activity records of `xuefa bench-report`'s year (see `report_data`): practice and study
//! notes, sessions with attendance, exams with attempts, certificates.

use std::collections::BTreeMap;

use sqlx::AnyConnection;

use super::report_data::{Rng, V, insert, study_row};

/// Practice: 20 days a year of 每日一练 each (10 answers 20–80 s apart, on 20 questions);
/// study notes: 3 of them read on 2 days each, and their checks passed.
pub(super) async fn practice_and_notes(
    conn: &mut AnyConnection,
    rng: &mut Rng,
    people: &[(i64, String, bool)],
    from: i64,
) -> Result<(usize, usize), sqlx::Error> {
    let (mut questions, mut versions) = (Vec::new(), Vec::new());
    for q in 1..=20_i64 {
        let s = |x: &str| V::S(x.to_string());
        questions.push(vec![
            V::I(q),
            V::Null,
            s("judge"),
            s("approved"),
            s("authored"),
            V::S(format!("bench-{q}")),
            s("bench"),
            V::I(from),
            s("bench"),
            V::I(from),
        ]);
        versions.push(vec![
            V::I(q),
            V::I(q),
            V::I(1),
            s("judge"),
            V::S(format!("判断题 {q}")),
            s("[]"),
            s(r#"{"type":"judge","correct":true}"#),
            s(""),
            V::I(3),
            s("[]"),
            V::S(format!("bench-{q}")),
            s("bench"),
            V::I(from),
        ]);
    }
    insert(
        conn,
        "question (question_id, current_version_id, qtype, status, origin, dedup_key, \
         created_by, created_at, updated_by, updated_at)",
        10,
        questions,
    )
    .await?;
    insert(
        conn,
        "question_version (version_id, question_id, version_no, qtype, stem, options, answer, \
         explanation, difficulty, tags, dedup_key, created_by, created_at)",
        13,
        versions,
    )
    .await?;
    // The two tables point at each other: the current version is set once both exist.
    sqlx::query("update question set current_version_id = question_id")
        .execute(&mut *conn)
        .await?;
    let mut answers = Vec::new();
    for (user, _, _) in people {
        for _ in 0..20 {
            let day = rng.below(360) as i64;
            let mut at = from + day * 86_400 + 8 * 3600 + rng.below(12 * 3600) as i64;
            for _ in 0..10 {
                let q = 1 + rng.below(20) as i64;
                let correct = i64::from(rng.below(100) < 75);
                answers.push(vec![
                    V::I(answers.len() as i64 + 1),
                    V::I(*user),
                    V::I(q),
                    V::I(q),
                    V::S(
                        if correct == 1 {
                            "[\"对\"]"
                        } else {
                            "[\"错\"]"
                        }
                        .into(),
                    ),
                    V::I(correct),
                    V::I(at),
                    V::I(crate::learning::beijing_day(at)),
                ]);
                at += 20 + rng.below(60) as i64;
            }
        }
    }
    let practice = answers.len();
    insert(
        conn,
        "practice_answer (answer_id, user_id, question_id, version_id, given, correct, \
         answered_at, day)",
        8,
        answers,
    )
    .await?;
    crate::learning::store::rebuild_practice_time(&mut *conn).await?;
    // The notes registered at start-up (corpus/materials).
    let notes: Vec<i64> = sqlx::query_scalar("select material_id from material")
        .fetch_all(&mut *conn)
        .await?;
    // By (person, day, note): one note drawn twice for a person can overlap a day; the
    // first reading of it stands.
    let mut reading: BTreeMap<(i64, i64, i64), i64> = BTreeMap::new();
    let mut checks = Vec::new();
    let day0 = crate::learning::beijing_day(from);
    for (user, _, _) in people {
        for _ in 0..3.min(notes.len()) {
            let note = notes[rng.below(notes.len() as u64) as usize];
            let day = rng.below(360) as i64;
            for d in [day, day + 1] {
                let secs = 300 + rng.below(900) as i64;
                reading.entry((*user, day0 + d, note)).or_insert(secs);
            }
            checks.push(vec![
                V::I(*user),
                V::I(note),
                V::I(from + (day + 1) * 86_400 + 10 * 3600),
                V::I(3),
                V::I(3),
                V::I(1),
            ]);
        }
    }
    let reading: Vec<Vec<V>> = reading
        .into_iter()
        .map(|((user, day, note), secs)| study_row(user, day, "material", note, secs))
        .collect();
    let notes_rows = reading.len() + checks.len();
    insert(
        conn,
        "study_time (user_id, day, kind, ref_id, seconds)",
        5,
        reading,
    )
    .await?;
    insert(
        conn,
        "material_check (user_id, material_id, taken_at, correct, total, passed)",
        6,
        checks,
    )
    .await?;
    Ok((practice, notes_rows))
}

/// 12 sessions a month apart (the last two 法治培训班), each for one township or all of them;
/// about 85% attend.
pub(super) async fn sessions(
    conn: &mut AnyConnection,
    rng: &mut Rng,
    people: &[(i64, String, bool)],
    from: i64,
) -> Result<usize, sqlx::Error> {
    let (mut rows, mut units, mut present) = (Vec::new(), Vec::new(), Vec::new());
    for m in 0..12_i64 {
        let id = 1 + m;
        let starts = from + m * 30 * 86_400 + 10 * 86_400 + 9 * 3600;
        let kind = if m >= 10 { "training" } else { "concentrated" };
        rows.push(vec![
            V::I(id),
            V::S(format!("第{}次集中学法", m + 1)),
            V::S(kind.into()),
            V::I(starts),
            V::I(starts + 7200),
            V::I(900),
            V::I(1800),
            V::I(120),
            V::S(format!("B{id:05}")),
            V::S(String::new()),
            V::S("bench".into()),
            V::I(from),
        ]);
        // Odd months: every township; even ones: one of them.
        let roster: Vec<String> = if m % 2 == 1 {
            (1..=5).map(|t| format!("乡镇{t:02}")).collect()
        } else {
            vec![format!("乡镇{:02}", m / 2 % 5 + 1)]
        };
        for r in &roster {
            units.push(vec![V::I(id), V::S(r.clone())]);
        }
        for (user, path, _) in people {
            let on = roster
                .iter()
                .any(|r| crate::accounts::types::within(path, r));
            if on && rng.below(100) < 85 {
                let how = V::S("checkin".into());
                present.push(vec![
                    V::I(id),
                    V::I(*user),
                    V::I(1),
                    how,
                    V::S(String::new()),
                    V::I(starts + 600),
                ]);
            }
        }
    }
    insert(
        conn,
        "training (training_id, title, kind, starts_at, ends_at, grace_before, grace_after, \
         credited_minutes, checkin_code, scope, created_by, created_at)",
        12,
        rows,
    )
    .await?;
    insert(conn, "training_unit (training_id, unit_path)", 2, units).await?;
    let n = present.len();
    insert(
        conn,
        "training_attendance (training_id, user_id, present, how, reason, at)",
        6,
        present,
    )
    .await?;
    Ok(n)
}

/// The annual exam for everyone and a qualification exam for officers; 90% sit them, some
/// twice.
pub(super) async fn exams(
    conn: &mut AnyConnection,
    rng: &mut Rng,
    people: &[(i64, String, bool)],
    from: i64,
) -> Result<usize, sqlx::Error> {
    let opens = from + 200 * 86_400;
    let closes = opens + 7 * 86_400;
    let at = crate::exam::model::format_time;
    let mut exams = Vec::new();
    for (id, title, kind, audience) in [
        (1_i64, "年度学法考试", "annual", serde_json::json!({})),
        (
            2,
            "行政执法资格考试",
            "qualification",
            serde_json::json!({ "roles": ["officer"] }),
        ),
    ] {
        let def = serde_json::json!({
            "title": title, "kind": kind, "time_limit_minutes": 60, "opens_at": at(opens),
            "closes_at": at(closes), "max_attempts": 2, "audience": audience,
            "sections": [{ "name": "综合", "count": 50, "points": 2 }],
        });
        exams.push(vec![
            V::I(id),
            V::S(title.into()),
            V::S(kind.into()),
            V::S("published".into()),
            V::S(def.to_string()),
            V::I(opens),
            V::I(closes),
            V::S(String::new()),
            V::S("bench".into()),
            V::I(from),
            V::I(from),
        ]);
    }
    insert(
        conn,
        "exam (exam_id, title, kind, status, definition, opens_at, closes_at, scope, \
         created_by, created_at, published_at)",
        11,
        exams,
    )
    .await?;
    let mut attempts = Vec::new();
    let mut next = 1_i64;
    for (user, _, officer) in people {
        for exam in [1_i64, 2] {
            if (exam == 2 && !officer) || rng.below(100) >= 90 {
                continue;
            }
            for no in 1..=(1 + rng.below(2) as i64) {
                let started = opens + rng.below(6 * 86_400) as i64;
                let score = 4000 + rng.below(6001) as i64;
                attempts.push(vec![
                    V::I(next),
                    V::I(exam),
                    V::I(*user),
                    V::I(no),
                    V::S(next.to_string()),
                    V::S("submitted".into()),
                    V::I(started),
                    V::I(started + 3600),
                    V::I(started + 1800 + rng.below(1800) as i64),
                    V::I(score),
                    V::I(10_000),
                    V::I(i64::from(score >= 6000)),
                ]);
                next += 1;
            }
        }
    }
    let n = attempts.len();
    insert(
        conn,
        "attempt (attempt_id, exam_id, user_id, attempt_no, seed, status, started_at, \
         deadline, finished_at, score, max_score, passed)",
        12,
        attempts,
    )
    .await?;
    Ok(n)
}

/// One certificate per officer, issued over the past three years (some expired).
pub(super) async fn certificates(
    conn: &mut AnyConnection,
    rng: &mut Rng,
    people: &[(i64, String, bool)],
    from: i64,
) -> Result<usize, sqlx::Error> {
    let mut rows = Vec::new();
    for (i, (user, path, _)) in people.iter().filter(|p| p.2).enumerate() {
        let issued = from - 3 * 365 * 86_400 + rng.below(4 * 365) as i64 * 86_400;
        rows.push(vec![
            V::I(1 + i as i64),
            V::S(format!("BENCH-{i:06}")),
            V::I(*user),
            V::S(format!("学员{user}")),
            V::S(path.clone()),
            V::S("行政执法".into()),
            V::S("重庆".into()),
            V::S("重庆市司法局".into()),
            V::S("held".into()),
            V::I(issued),
            V::I(issued + 3 * 365 * 86_400),
            V::I(issued),
        ]);
    }
    let n = rows.len();
    insert(
        conn,
        "certificate (certificate_id, number, user_id, holder_name, unit_path, category, area, \
         issuer, source, issued_at, valid_until, created_at)",
        12,
        rows,
    )
    .await?;
    Ok(n)
}
