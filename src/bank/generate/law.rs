//! One law as the builders see it: the articles that can carry a question, the spans of
//! each kind found anywhere in it (distractors and mutations come from these), and how a
//! draft names it (stem opening, quote, basis, tags).

use super::SourceArticle;
use super::quality::article_problem;
use super::spans::{Kind, MODALS, Quantity, Span, key_spans};
use super::text::sentences;
use crate::bank::model::{Answer, Basis, Origin, QuestionDraft, QuestionType};

/// A draft before the quality rules, with what `select` orders by.
pub(super) struct Candidate {
    pub draft: QuestionDraft,
    /// Index of the basis in the articles.
    pub article: usize,
    /// 0 = numbers and lists (the facts worth testing), 1 = parties, 2 = modal verbs.
    pub priority: u8,
}

/// One law as the builders see it: its usable articles and the spans of each kind found
/// anywhere in it (distractors and mutations come from these).
pub(super) struct Law<'s, 'a> {
    pub articles: &'s [SourceArticle<'a>],
    pub short_title: String,
    /// Indexes of the articles that can carry a question (rule 4).
    pub usable: Vec<usize>,
    /// Distinct quantities, in text order.
    pub quantities: Vec<Quantity>,
    /// Distinct obligated parties, in text order.
    pub parties: Vec<String>,
    /// The modal verbs the law uses.
    pub modals: Vec<&'static str>,
}

impl<'s, 'a> Law<'s, 'a> {
    pub fn new(articles: &'s [SourceArticle<'a>]) -> Self {
        let title = articles.first().map_or("", |a| a.law_title);
        let short_title = title.strip_prefix("中华人民共和国").unwrap_or(title);
        let usable: Vec<usize> = (0..articles.len())
            .filter(|&i| article_problem(&articles[i]).is_none())
            .collect();
        let mut law = Law {
            articles,
            short_title: short_title.to_string(),
            usable,
            quantities: Vec::new(),
            parties: Vec::new(),
            modals: Vec::new(),
        };
        for i in law.usable.clone() {
            for s in sentences(articles[i].text) {
                for span in key_spans(s.text) {
                    law.collect(s.text, span);
                }
            }
        }
        law.modals
            .sort_by_key(|m| MODALS.iter().position(|x| x == m));
        law
    }

    fn collect(&mut self, sentence: &str, span: Span) {
        let text = &sentence[span.range.clone()];
        match span.quantity {
            Some(q) if !self.quantities.iter().any(|p| p.same_as(&q)) => {
                self.quantities.push(q);
            }
            Some(_) => {}
            None if span.kind == Kind::Party => {
                if !self.parties.iter().any(|p| p == text) {
                    self.parties.push(text.to_string());
                }
            }
            None => {
                if let Some(m) = MODALS.iter().find(|m| **m == text)
                    && !self.modals.contains(m)
                {
                    self.modals.push(m);
                }
            }
        }
    }

    pub fn prefix(&self, a: &SourceArticle<'_>) -> String {
        format!("根据《{}》{}，", self.short_title, a.label)
    }

    pub fn quote(&self, a: &SourceArticle<'_>, text: &str) -> String {
        format!("依据《{}》{}：“{}”", self.short_title, a.label, text)
    }

    pub fn tags(&self, topic: &str) -> Vec<String> {
        vec![
            self.short_title.clone(),
            format!("{}/{}", self.short_title, topic),
        ]
    }

    pub fn draft(&self, article: usize, qtype: QuestionType, parts: Parts) -> Candidate {
        let a = &self.articles[article];
        Candidate {
            draft: QuestionDraft {
                qtype,
                stem: parts.stem,
                options: parts.options,
                answer: parts.answer,
                explanation: parts.explanation,
                basis: vec![Basis {
                    law_id: a.law_id,
                    law_title: a.law_title.to_string(),
                    article_no: a.article_no,
                    article_sub: a.article_sub,
                    article_label: a.label.to_string(),
                }],
                difficulty: parts.difficulty.clamp(1, 5),
                tags: self.tags(parts.topic),
                origin: Origin::Generated,
            },
            article,
            priority: parts.priority,
        }
    }
}

/// What differs between the drafts of one law.
pub(super) struct Parts<'t> {
    pub stem: String,
    pub options: Vec<String>,
    pub answer: Answer,
    pub explanation: String,
    pub difficulty: u8,
    pub topic: &'t str,
    pub priority: u8,
}
