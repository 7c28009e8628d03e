//! `--suggest-basis`: the checked rows that cite no article get the suggester's best one,
//! marked as suggested (see `bank::store::suggested`).

use std::sync::Arc;

use super::{LawBook, QuestionPlan, SuggestedBasis};
use crate::bank::BankError;
use crate::bank::store::BasisRow;
use crate::bank::suggest::{self, Question};
use crate::search::SearchEngine;

impl QuestionPlan {
    /// Fills in a suggested basis for the rows ready to store that have none. Runs the
    /// searches on the blocking pool, before the unit of work.
    pub async fn suggest_basis(
        &mut self,
        engine: &Arc<SearchEngine>,
        book: &LawBook,
    ) -> Result<(), BankError> {
        let without: Vec<usize> = (0..self.ready.len())
            .filter(|i| self.ready[*i].2.is_empty())
            .collect();
        let questions = without
            .iter()
            .map(|i| Question::of(&self.ready[*i].1, book))
            .collect();
        let found = suggest::suggest_all(engine, questions).await?;
        for (i, candidates) in without.into_iter().zip(found) {
            let Some(best) = candidates.into_iter().next() else {
                continue;
            };
            let row = BasisRow {
                statute_id: best.statute_id,
                law_id: best.law_id,
                law_title: best.law_title.clone(),
                article_no: best.article_no,
                article_sub: best.article_sub,
                text: best.text.clone(),
            };
            let (line, draft, basis) = &mut self.ready[i];
            draft.basis = vec![row.basis()];
            *basis = vec![row];
            let cite = best.cite();
            self.suggested
                .insert(*line, format!("依据为自动推荐，待确认：{cite}"));
            self.report.suggested.push(SuggestedBasis {
                row: *line,
                basis: cite,
            });
        }
        Ok(())
    }
}
