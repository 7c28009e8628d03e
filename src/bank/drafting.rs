//! Generating draft questions from the current version of a law and saving them: the one
//! path the CLI and the admin pages share (`generate` itself is pure).

use rand::SeedableRng;
use sqlx::AnyConnection;

use super::BankError;
use super::admin::{self, CreateReport};
use super::generate::{self, Context, ExistingQuestion, SourceArticle};
use super::import::resolve::repeal_notice;
use super::model::{QuestionDraft, Status};
use super::store::{self, ListQuery};
use crate::accounts::admin::Ctx;
use crate::corpus::store as laws;

/// What one generation run produced.
pub struct Generated {
    /// Title of the law version the questions were generated from.
    pub law_title: String,
    /// The seed used (the current time when none was given), so the run can be repeated.
    pub seed: u64,
    pub report: CreateReport,
}

/// Generates up to `count` drafts from the current version of `statute_id` and saves them
/// as drafts: none nearly repeating a question the bank has on the statute, the articles
/// those questions cite drawn on last. None when the statute has no current version. A
/// repealed statute is refused, naming what replaced it: its questions would quote text no
/// longer in force.
pub async fn generate_drafts(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    statute_id: i64,
    count: usize,
    seed: Option<u64>,
) -> Result<Option<Generated>, BankError> {
    let Some(current) = laws::versions_of(&mut *conn, statute_id)
        .await?
        .into_iter()
        .find(|v| v.current != 0)
    else {
        return Ok(None);
    };
    if let Some(by) = &current.repealed_by {
        let notice = repeal_notice(&current.title, by);
        return Err(BankError::Refused(format!(
            "{notice}，不能从已废止的法规生成题目，请改从现行法规生成"
        )));
    }
    let records = laws::articles(&mut *conn, current.law_id).await?;
    let sources: Vec<SourceArticle<'_>> = records
        .iter()
        .filter(|a| a.article_no > 0)
        .map(|a| SourceArticle {
            law_id: a.law_id,
            law_title: &current.title,
            article_no: a.article_no as u32,
            article_sub: a.article_sub as u32,
            label: &a.label,
            text: &a.text,
        })
        .collect();
    let query = ListQuery {
        statutes: Some(vec![statute_id]),
        ..ListQuery::default()
    };
    let in_bank: Vec<QuestionDraft> = store::current_drafts(&mut *conn, &query)
        .await?
        .iter()
        .map(|q| q.draft())
        .collect();
    let existing: Vec<ExistingQuestion<'_>> = in_bank
        .iter()
        .map(|q| ExistingQuestion {
            stem: &q.stem,
            basis: &q.basis,
        })
        .collect();
    let context = Context {
        existing: &existing,
        ..Context::default()
    };
    let seed = seed.unwrap_or(ctx.now as u64);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let drafts = generate::generate_in(&sources, &context, &mut rng, count);
    let report = admin::create_many(&mut *conn, ctx, &drafts, Status::Draft).await?;
    Ok(Some(Generated {
        law_title: current.title,
        seed,
        report,
    }))
}
