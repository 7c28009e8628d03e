//! Which approved questions fill which section: a section's filter against the bank's
//! entries (pure), giving the pools a paper is drawn from, and the shortfall check that
//! publishing runs.

use std::collections::{HashMap, HashSet};

use super::model::{Exam, Filter, Source};
use super::paper::{Candidate, Pool};
use crate::bank::model::QuestionType;

/// An approved question's current version, as far as filters need it.
#[derive(Debug, Clone, PartialEq)]
pub struct BankEntry {
    pub question_id: i64,
    pub version_id: i64,
    pub qtype: QuestionType,
    pub difficulty: u8,
    pub tags: Vec<String>,
    /// Titles (full and short) of the laws its basis cites.
    pub laws: Vec<String>,
    pub option_count: usize,
}

fn tag_matches(tag: &str, wanted: &str) -> bool {
    tag == wanted || (tag.starts_with(wanted) && tag[wanted.len()..].starts_with('/'))
}

/// Every condition given must hold; within one list, any entry may match.
pub fn matches(f: &Filter, e: &BankEntry) -> bool {
    (f.types.is_empty() || f.types.contains(&e.qtype))
        && (f.difficulty.0..=f.difficulty.1).contains(&e.difficulty)
        && (f.tags.is_empty()
            || f.tags
                .iter()
                .any(|w| e.tags.iter().any(|t| tag_matches(t, w))))
        && (f.laws.is_empty() || f.laws.iter().any(|w| e.laws.iter().any(|l| l == w)))
}

/// The pools of an exam's sections; `seen` are the questions this person had before.
pub fn pools(exam: &Exam, bank: &[BankEntry], seen: &HashSet<i64>) -> Vec<Pool> {
    let by_id: HashMap<i64, &BankEntry> = bank.iter().map(|e| (e.question_id, e)).collect();
    let candidate = |e: &BankEntry| Candidate {
        question_id: e.question_id,
        version_id: e.version_id,
        option_count: e.option_count,
        seen: seen.contains(&e.question_id),
    };
    exam.sections
        .iter()
        .map(|s| {
            let (fixed, candidates) = match &s.source {
                Source::Filter(f) => (
                    false,
                    bank.iter()
                        .filter(|e| matches(f, e))
                        .map(candidate)
                        .collect(),
                ),
                // A listed question that is not (or no longer) approved is simply not there,
                // and the shortfall says so.
                Source::Fixed(ids) => (
                    true,
                    ids.iter()
                        .filter_map(|id| by_id.get(id).map(|e| candidate(e)))
                        .collect(),
                ),
            };
            Pool {
                name: s.name.clone(),
                count: s.count,
                points: s.points,
                fixed,
                candidates,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, qtype: QuestionType, difficulty: u8, tags: &[&str], law: &str) -> BankEntry {
        BankEntry {
            question_id: id,
            version_id: id,
            qtype,
            difficulty,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            laws: vec![law.to_string()],
            option_count: 4,
        }
    }

    #[test]
    fn filters_combine_types_difficulty_tags_and_laws() {
        let f = Filter {
            laws: vec!["信访工作条例".into()],
            tags: vec!["信访".into()],
            types: vec![QuestionType::Single, QuestionType::Judge],
            difficulty: (2, 4),
        };
        let yes = entry(
            1,
            QuestionType::Single,
            3,
            &["信访/办理期限"],
            "信访工作条例",
        );
        assert!(matches(&f, &yes));
        let cases = [
            entry(2, QuestionType::Fill, 3, &["信访"], "信访工作条例"),
            entry(3, QuestionType::Single, 5, &["信访"], "信访工作条例"),
            entry(4, QuestionType::Single, 3, &["信访局"], "信访工作条例"),
            entry(5, QuestionType::Single, 3, &["信访"], "行政复议法"),
        ];
        for e in &cases {
            assert!(!matches(&f, e), "{e:?}");
        }
        assert!(matches(
            &Filter {
                difficulty: (1, 5),
                ..Filter::default()
            },
            &cases[0]
        ));
    }
}
