//! Reading one's own practice: the wrong-answer book (by law and by tag) and the daily
//! summary (what is due, the size of today's queue, the streak).

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::AnyConnection;

use super::schedule::{beijing_day, streak};
use super::session::{QuestionView, approved, question_view};
use super::source::DAILY_SIZE;
use super::{PracticeError, answer, store};
use crate::bank::model::QuestionType;

/// One question in the book: the question, what was last answered, and the key (it has been
/// answered, so the key may be shown).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WrongView {
    pub question: QuestionView,
    pub given: Vec<String>,
    pub given_text: String,
    pub answer_text: String,
    pub explanation: String,
    /// `《信访工作条例》第二十二条`, one per article.
    pub basis: Vec<String>,
    pub wrong_count: i64,
    pub last_wrong_at: i64,
}

/// A law or tag of the book and how many of its questions are in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Facet {
    pub name: String,
    /// The law version to filter by (`law_id`), for laws; 0 for tags.
    pub law_id: i64,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WrongBook {
    pub entries: Vec<WrongView>,
    /// Every entry of the book, not only the filtered ones.
    pub total: usize,
    pub laws: Vec<Facet>,
    pub tags: Vec<Facet>,
}

/// This person's wrong-answer book, optionally of one law (any version's `law_id`) or tag.
#[tracing::instrument(skip_all)]
pub async fn wrong_book(
    conn: &mut AnyConnection,
    user_id: i64,
    law_id: Option<i64>,
    tag: Option<&str>,
) -> Result<WrongBook, PracticeError> {
    let statute = match law_id {
        Some(id) => Some(
            crate::corpus::store::get_law(&mut *conn, id)
                .await?
                .ok_or_else(|| PracticeError::NotFound("法规不存在".into()))?
                .statute_id,
        ),
        None => None,
    };
    let tag = tag.map(str::trim).filter(|t| !t.is_empty());
    let all = store::wrong_entries(&mut *conn, user_id, None, None).await?;
    let mut laws: BTreeMap<String, (i64, usize)> = BTreeMap::new();
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    let mut entries = Vec::new();
    let wanted: Option<Vec<i64>> = if statute.is_some() || tag.is_some() {
        let rows = store::wrong_entries(&mut *conn, user_id, statute, tag).await?;
        Some(rows.iter().map(|r| r.question_id).collect())
    } else {
        None
    };
    for row in &all {
        let Ok(d) = approved(&mut *conn, row.question_id).await else {
            continue;
        };
        for b in &d.articles {
            laws.entry(b.law_title.clone()).or_insert((b.law_id, 0)).1 += 1;
        }
        for t in &d.summary.tags {
            *tags.entry(t.clone()).or_default() += 1;
        }
        if wanted
            .as_ref()
            .is_some_and(|w| !w.contains(&row.question_id))
        {
            continue;
        }
        let given: Vec<String> = serde_json::from_str(&row.given).unwrap_or_default();
        let joiner = if d.summary.qtype == QuestionType::Fill {
            "；"
        } else {
            "、"
        };
        entries.push(WrongView {
            question: question_view(&d),
            given_text: answer::parse(d.summary.qtype, d.options.len(), &d.answer, &given)
                .map(|r| answer::display(&r))
                .unwrap_or_else(|_| given.join(joiner)),
            given,
            answer_text: answer::key_list(&d.answer).join(joiner),
            explanation: d.explanation.clone(),
            basis: d.summary.basis.clone(),
            wrong_count: row.wrong_count,
            last_wrong_at: row.last_wrong_at,
        });
    }
    Ok(WrongBook {
        entries,
        total: all.len(),
        laws: laws
            .into_iter()
            .map(|(name, (law_id, count))| Facet {
                name,
                law_id,
                count,
            })
            .collect(),
        tags: tags
            .into_iter()
            .map(|(name, count)| Facet {
                name,
                law_id: 0,
                count,
            })
            .collect(),
    })
}

/// Today's practice at a glance, for /review and /me.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DailySummary {
    /// Questions in a 每日一练.
    pub size: usize,
    /// Questions due today (or overdue).
    pub due: i64,
    /// Questions today's 每日一练 would hold now: due first, then never answered ones.
    pub queue: usize,
    pub done_today: bool,
    /// Consecutive Beijing days with a finished 每日一练.
    pub streak: i64,
}

pub async fn daily_summary(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<DailySummary, PracticeError> {
    let today = beijing_day(now);
    let due = store::count_due(&mut *conn, user_id, today).await?;
    let mut queue = store::due(&mut *conn, user_id, today, DAILY_SIZE)
        .await?
        .len();
    if queue < DAILY_SIZE {
        queue += store::unseen(&mut *conn, user_id, DAILY_SIZE - queue)
            .await?
            .len();
    }
    let days = store::days(&mut *conn, user_id).await?;
    Ok(DailySummary {
        size: DAILY_SIZE,
        due,
        queue,
        done_today: days.first() == Some(&today),
        streak: streak(&days, today),
    })
}
