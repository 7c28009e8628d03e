//! What the exam pages show around the paper: an exam's rules for one person before they
//! start (time, pass mark, attempts, which counts, review rule, questions per section), the
//! labels of kinds and rules, and the questions of a graded attempt for its result page.
//! Like the paper, none of this carries a key, an explanation or a basis.

use sqlx::AnyConnection;

use super::attempt::open_exam;
use super::model::{Counts, Review};
use super::results::counted;
use super::rules::window;
use super::store;
use super::store_attempt::{self as st, AttemptRow};
use super::store_version as sv;
use super::view::{self, QuestionView};
use super::{ExamError, points};
use crate::accounts::Actor;

/// One section of the paper as the rules page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SectionRules {
    pub name: String,
    pub count: usize,
    pub points: f64,
}

/// An exam as one person may sit it (their overrides applied).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExamRules {
    pub exam_id: i64,
    pub title: String,
    pub kind: String,
    pub kind_label: &'static str,
    pub opens_at: i64,
    pub closes_at: i64,
    pub time_limit_minutes: i64,
    pub pass_score: f64,
    pub max_score: f64,
    pub max_attempts: i64,
    pub attempts_used: i64,
    pub counts_label: &'static str,
    pub review_label: &'static str,
    pub sections: Vec<SectionRules>,
    pub question_count: usize,
    /// The score that counts so far, and whether it passed.
    pub best_score: Option<f64>,
    pub passed: bool,
    pub attempt_in_progress: Option<i64>,
    /// Why a new attempt cannot start now (None: it can, or one is in progress).
    pub blocked: Option<String>,
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "annual" => "年度学法考试",
        "qualification" => "执法资格考试",
        _ => "测验",
    }
}

fn counts_label(c: Counts) -> &'static str {
    match c {
        Counts::Best => "取最高一次成绩",
        Counts::Last => "取最后一次成绩",
    }
}

fn review_label(r: Review) -> &'static str {
    match r {
        Review::AfterSubmit => "交卷后可查看答案、解析和依据",
        Review::AfterClose => "考试结束后可查看答案、解析和依据",
        Review::Never => "不公布答案和解析，只公布成绩",
    }
}

/// The rules of an exam open to `actor`; one they may not sit is not found.
pub async fn exam_rules(
    conn: &mut AnyConnection,
    exam_id: i64,
    actor: &Actor,
    now: i64,
) -> Result<ExamRules, ExamError> {
    let (row, exam) = open_exam(&mut *conn, exam_id, actor).await?;
    let ov = store::override_of(&mut *conn, exam_id, actor.user_id)
        .await?
        .unwrap_or_default();
    let (opens, closes) = window(&exam, &ov);
    let mine = st::of_user(&mut *conn, actor.user_id, Some(exam_id)).await?;
    let here: Vec<&AttemptRow> = mine.iter().collect();
    let best = counted(exam.counts, &here);
    let max_attempts = exam.max_attempts + ov.extra_attempts;
    let in_progress = mine
        .iter()
        .find(|a| a.in_progress() && now < a.deadline)
        .map(|a| a.attempt_id);
    let blocked = if in_progress.is_some() {
        None
    } else if now < opens {
        Some("考试尚未开始".to_string())
    } else if now >= closes {
        Some("考试已结束".to_string())
    } else if mine.len() as i64 >= max_attempts {
        Some(format!("本场考试最多可考 {max_attempts} 次，您已用完"))
    } else {
        None
    };
    let sections: Vec<SectionRules> = exam
        .sections
        .iter()
        .map(|s| SectionRules {
            name: s.name.clone(),
            count: s.count,
            points: points(s.points),
        })
        .collect();
    Ok(ExamRules {
        exam_id,
        title: row.title.clone(),
        kind: row.kind.clone(),
        kind_label: kind_label(&row.kind),
        opens_at: opens,
        closes_at: closes,
        time_limit_minutes: exam.time_limit_secs / 60 + ov.extra_minutes,
        pass_score: points(exam.pass_score),
        max_score: points(exam.max_score),
        max_attempts,
        attempts_used: mine.len() as i64,
        counts_label: counts_label(exam.counts),
        review_label: review_label(exam.review),
        question_count: sections.iter().map(|s| s.count).sum(),
        sections,
        best_score: best.and_then(|a| a.score).map(points),
        passed: best.is_some_and(|a| a.passed == Some(1)),
        attempt_in_progress: in_progress,
        blocked,
    })
}

/// The questions (stems and shown options) of one's own graded attempt, for its result
/// page; an attempt in progress or someone else's gives nothing.
pub async fn graded_questions(
    conn: &mut AnyConnection,
    attempt_id: i64,
    user_id: i64,
    now: i64,
) -> Result<Vec<QuestionView>, ExamError> {
    let Some(a) = st::get(&mut *conn, attempt_id)
        .await?
        .filter(|a| a.user_id == user_id && !a.in_progress())
    else {
        return Ok(Vec::new());
    };
    let items = st::items(&mut *conn, attempt_id).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.version_id).collect();
    let shown = sv::shown(&mut *conn, &ids).await?;
    Ok(view::paper_view(&a, "", &items, &shown, now).questions)
}

/// How many blanks a fill-in stem has: its `（ ）` and `____` marks, at least one. The key's
/// blank count is not read: the paper is built without the key.
pub fn blank_count(stem: &str) -> usize {
    let mut n = 0;
    let chars: Vec<char> = stem.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '（' || c == '(' {
            let close = if c == '（' { '）' } else { ')' };
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j] == close {
                n += 1;
                i = j + 1;
                continue;
            }
        } else if c == '_' {
            let mut j = i;
            while j < chars.len() && chars[j] == '_' {
                j += 1;
            }
            if j - i >= 2 {
                n += 1;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    n.clamp(1, 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_are_counted_from_the_stem_marks() {
        assert_eq!(blank_count("办理期限为（ ）日。"), 1);
        assert_eq!(blank_count("在（ ）日内，不超过____日"), 2);
        assert_eq!(blank_count("在（）日内，(  )月"), 2);
        assert_eq!(blank_count("没有空的题干（说明）"), 1);
        assert_eq!(kind_label("qualification"), "执法资格考试");
    }
}
