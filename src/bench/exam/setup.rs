//! The exam-day fixture, stored through the domain and store functions before the server
//! starts: a unit, N officers who may sign in (no password change pending), an approved bank
//! of every question type, and one published qualification exam open now. Names carry a run
//! tag, so a run on a PostgreSQL database that already holds an earlier run stays apart.

use serde_json::json;

use crate::accounts::admin::Ctx;
use crate::accounts::password::{self, HashCost};
use crate::accounts::store::{self as accounts, NewUser};
use crate::accounts::{Actor, Role};
use crate::app::App;
use crate::bank::admin as bank;
use crate::bank::model::{Answer, Origin, QuestionDraft, QuestionType, Status};
use crate::exam::admin as exams;
use crate::exam::model::{ExamDefinition, format_time};

/// What the takers need to know about the fixture.
pub struct Fixture {
    pub exam_id: i64,
    /// Usernames, one per taker.
    pub usernames: Vec<String>,
    pub password: String,
}

pub const PASSWORD: &str = "Bench-Exam-2026";

/// Users are stored in batches of this many per unit of work.
const USER_BATCH: usize = 500;

pub async fn store(
    app: &App,
    run: &str,
    takers: usize,
    questions: usize,
    cost: HashCost,
) -> anyhow::Result<Fixture> {
    let now = app.clock.now();
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "bench",
        now,
    };
    let unit = format!("压测{run}/执法大队");
    let prefixes = vec![format!("压测{run}"), unit.clone()];
    // Every officer has the same password: one hash (with its own salt) serves them all.
    let hash = password::hash(PASSWORD.into(), cost).await?;
    let usernames: Vec<String> = (0..takers).map(|i| format!("b{run}-{i}")).collect();
    let mut unit_id = 0;
    for batch in usernames.chunks(USER_BATCH) {
        let mut tx = app.db.write().await?;
        unit_id = accounts::ensure_unit_path(&mut tx, &prefixes, now).await?;
        for username in batch {
            let name = format!("考生{username}");
            let new = NewUser {
                username,
                name: &name,
                unit_id,
                phone: "",
                password_hash: &hash,
                roles: &[Role::Official, Role::Officer],
            };
            let user_id = accounts::insert_user(&mut tx, &new, now).await?;
            // Signed in before: no password change pending.
            accounts::set_password(&mut *tx, user_id, &hash, false, now).await?;
        }
        tx.commit().await?;
    }
    anyhow::ensure!(unit_id > 0 || takers == 0, "no unit stored");

    // Twice the paper per type, so papers differ between takers.
    let per_type = questions.div_ceil(4) * 2;
    let mut drafts = Vec::new();
    for qtype in [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::Judge,
        QuestionType::Fill,
    ] {
        for n in 0..per_type {
            drafts.push(draft(qtype, run, n));
        }
    }
    let mut tx = app.db.write().await?;
    let report = bank::create_many(&mut tx, &ctx, &drafts, Status::Approved).await?;
    tx.commit().await?;
    anyhow::ensure!(
        report.created.len() == drafts.len(),
        "bank: {} of {} questions stored",
        report.created.len(),
        drafts.len()
    );

    let def: ExamDefinition = serde_json::from_value(json!({
        "title": format!("压测执法资格考试 {run}"),
        "kind": "qualification",
        "time_limit_minutes": 120,
        "pass_score": 60,
        "max_attempts": 1,
        "opens_at": format_time(now - 60),
        "closes_at": format_time(now + 86_400),
        "audience": {"units": [unit]},
        "shuffle": true,
        "review": "after_submit",
        "sections": [{"name": "专业法律知识", "tags": [format!("压测{run}")],
                      "count": questions, "points": 100.0 / questions.max(1) as f64}],
    }))?;
    let mut tx = app.db.write().await?;
    let exam_id = exams::create(&mut tx, &ctx, &def).await?;
    exams::publish(&mut tx, &ctx, exam_id).await?;
    tx.commit().await?;
    Ok(Fixture {
        exam_id,
        usernames,
        password: PASSWORD.into(),
    })
}

fn draft(qtype: QuestionType, run: &str, n: usize) -> QuestionDraft {
    let four = || (1..=4).map(|k| format!("选项{k}")).collect::<Vec<String>>();
    let (stem, options, answer) = match qtype {
        QuestionType::Single => (
            format!("单选{run}-{n}：信访事项应当在多少日内办结？"),
            four(),
            Answer::Single { option: n % 4 },
        ),
        QuestionType::Multiple => (
            format!("多选{run}-{n}：下列哪些属于行政处罚？"),
            four(),
            Answer::Multiple {
                options: vec![0, 2],
            },
        ),
        QuestionType::Judge => (
            format!("判断{run}-{n}：行政机关应当依法行政。"),
            vec![],
            Answer::Judge {
                correct: n.is_multiple_of(2),
            },
        ),
        QuestionType::Fill => (
            format!("填空{run}-{n}：复议申请期限为（ ）日。"),
            vec![],
            Answer::Fill {
                blanks: vec![vec!["六十".into(), "60".into()]],
            },
        ),
    };
    QuestionDraft {
        qtype,
        stem,
        options,
        answer,
        explanation: "压测题目".into(),
        basis: vec![],
        difficulty: 3,
        tags: vec![format!("压测{run}")],
        origin: Origin::Authored,
    }
}
