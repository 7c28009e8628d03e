//! A note's check (自测): three approved questions on the articles the note mentions (the
//! note's law's other questions when those are too few), graded on submit, the result stored.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::resolve::Resolver;
use super::{Material, MaterialsError, store};
use crate::exam::grade::{MultipleRule, grade};
use crate::practice::session::{QuestionView, approved, question_view};
use crate::practice::{PracticeError, answer};

/// Questions in a check.
pub const SIZE: usize = 3;

/// Passed with at least this many right of [`SIZE`] (of all, when fewer are asked).
pub fn pass_mark(total: usize) -> usize {
    (total * 2).div_ceil(3)
}

/// The questions a check may ask: those on the note's articles, and (when those are fewer
/// than [`SIZE`]) the rest of its law's.
pub struct Pool {
    pub on_articles: Vec<i64>,
    pub on_law: Vec<i64>,
}

impl Pool {
    pub fn contains(&self, id: i64) -> bool {
        self.on_articles.contains(&id) || self.on_law.contains(&id)
    }

    pub fn len(&self) -> usize {
        self.on_articles.len() + self.on_law.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub async fn pool(
    conn: &mut AnyConnection,
    resolver: &Resolver,
    m: &Material,
) -> Result<Pool, MaterialsError> {
    let articles = resolver.articles_of(&m.note);
    let mut statutes: Vec<i64> = articles.iter().map(|a| a.statute_id).collect();
    statutes.sort_unstable();
    statutes.dedup();
    let mut on_articles = Vec::new();
    for s in statutes {
        for (q, no, sub) in store::questions_on(&mut *conn, s).await? {
            let cited = articles
                .iter()
                .any(|a| a.statute_id == s && i64::from(a.no) == no && i64::from(a.sub) == sub);
            if cited && !on_articles.contains(&q) {
                on_articles.push(q);
            }
        }
    }
    let mut on_law = Vec::new();
    if on_articles.len() < SIZE
        && let Some(law) = resolver.law(&m.note.law)
    {
        for (q, _, _) in store::questions_on(&mut *conn, law.statute_id).await? {
            if !on_articles.contains(&q) && !on_law.contains(&q) {
                on_law.push(q);
            }
        }
    }
    Ok(Pool {
        on_articles,
        on_law,
    })
}

/// The questions shown to a person on `day`: the same all day, another draw the next.
pub async fn draw(
    conn: &mut AnyConnection,
    resolver: &Resolver,
    m: &Material,
    user_id: i64,
    day: i64,
) -> Result<Vec<QuestionView>, MaterialsError> {
    let Pool {
        mut on_articles,
        mut on_law,
    } = pool(&mut *conn, resolver, m).await?;
    let seed = ((user_id as u64) << 32) ^ (day as u64) ^ ((m.material_id as u64) << 16);
    let mut rng = StdRng::seed_from_u64(seed);
    on_articles.shuffle(&mut rng);
    on_law.shuffle(&mut rng);
    let ids = on_articles.into_iter().chain(on_law);
    let mut out = Vec::with_capacity(SIZE);
    for id in ids.take(SIZE) {
        let d = approved(&mut *conn, id).await.map_err(practice_error)?;
        out.push(question_view(&d));
    }
    Ok(out)
}

/// One answer as submitted: the question and the option keys, 对/错 or blank texts.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct CheckAnswer {
    pub question_id: i64,
    pub answer: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckItem {
    pub question_id: i64,
    pub correct: bool,
    /// The key as people read it (`A`, `对`).
    pub answer_text: String,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckResult {
    pub correct: usize,
    pub total: usize,
    pub passed: bool,
    pub items: Vec<CheckItem>,
}

fn practice_error(e: PracticeError) -> MaterialsError {
    match e {
        PracticeError::Db(e) => MaterialsError::Db(e),
        PracticeError::NotFound(m) => MaterialsError::NotFound(m),
        other => MaterialsError::Invalid(other.to_string()),
    }
}

/// Grades a submitted check and stores the result.
pub async fn submit(
    conn: &mut AnyConnection,
    resolver: &Resolver,
    m: &Material,
    user_id: i64,
    answers: &[CheckAnswer],
    now: i64,
) -> Result<CheckResult, MaterialsError> {
    let pool = pool(&mut *conn, resolver, m).await?;
    if pool.is_empty() {
        return Err(MaterialsError::Invalid("本资料暂无自测题".into()));
    }
    let expected = pool.len().min(SIZE);
    let mut seen = Vec::new();
    for a in answers {
        if !pool.contains(a.question_id) {
            return Err(MaterialsError::Invalid(format!(
                "第 {} 号题不属于本资料的自测",
                a.question_id
            )));
        }
        if seen.contains(&a.question_id) {
            return Err(MaterialsError::Invalid("同一道题只能作答一次".into()));
        }
        seen.push(a.question_id);
    }
    if answers.len() != expected {
        return Err(MaterialsError::Invalid(format!(
            "自测共 {expected} 道题，请全部作答后提交"
        )));
    }
    let mut items = Vec::with_capacity(answers.len());
    for a in answers {
        let d = approved(&mut *conn, a.question_id)
            .await
            .map_err(practice_error)?;
        let response = answer::parse(d.summary.qtype, d.options.len(), &d.answer, &a.answer)
            .map_err(practice_error)?;
        let g = grade(&d.answer, Some(&response), MultipleRule::AllOrNothing);
        items.push(CheckItem {
            question_id: a.question_id,
            correct: g.correct,
            answer_text: answer::key_list(&d.answer).join("、"),
            explanation: d.explanation.clone(),
        });
    }
    let correct = items.iter().filter(|i| i.correct).count();
    let passed = correct >= pass_mark(expected);
    store::save_check(
        &mut *conn,
        user_id,
        m.material_id,
        now,
        correct as i64,
        expected as i64,
        passed,
    )
    .await?;
    Ok(CheckResult {
        correct,
        total: expected,
        passed,
        items,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_of_three_pass() {
        assert_eq!(super::pass_mark(3), 2);
        assert_eq!(super::pass_mark(2), 2);
        assert_eq!(super::pass_mark(1), 1);
    }
}
