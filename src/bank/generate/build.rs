//! The raw candidates built on the key spans of each sentence: fill-in blanks, single
//! choice with distractors of the same kind from the same law, and true/false statements
//! (the sentence itself, or a mutation of one span). Multiple choice lives in `items`.

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

use super::law::{Candidate, Law, Parts};
use super::quality::MAX_STEM;
use super::spans::{Kind, Quantity, Span, key_spans};
use super::text::{Sentence, char_len, normalize, sentences, window};
use crate::bank::model::{Answer, QuestionType};

/// The blank a stem shows.
pub(super) const BLANK: &str = "（ ）";
/// Shorter sentences make no question.
const MIN_SENTENCE: usize = 8;
/// A party longer than this is no fair fill-in answer.
const MAX_FILL_PARTY: usize = 12;
/// Room left in a stem for its blank and final `。`.
const STEM_SLACK: usize = 6;

/// Every fill, single and judge candidate of the law, sentence by sentence.
pub(super) fn sentence_candidates<R: Rng>(law: &Law<'_, '_>, rng: &mut R) -> Vec<Candidate> {
    let mut out = Vec::new();
    for &i in &law.usable {
        let a = &law.articles[i];
        let prefix = law.prefix(a);
        let budget = MAX_STEM.saturating_sub(char_len(&prefix) + STEM_SLACK);
        for s in sentences(a.text) {
            // `依法给予一百元以下罚款的` (a 项 of conditions) says nothing on its own.
            if char_len(s.text) < MIN_SENTENCE || s.text.ends_with('的') {
                continue;
            }
            let ctx = Ctx {
                law,
                article: i,
                sentence: s,
                prefix: &prefix,
                budget,
                quote: law.quote(a, &format!("{}{}", s.text, s.end)),
            };
            ctx.build(rng, &mut out);
        }
    }
    out
}

/// One sentence being turned into questions.
struct Ctx<'c, 's, 'a> {
    law: &'c Law<'s, 'a>,
    article: usize,
    sentence: Sentence<'c>,
    prefix: &'c str,
    budget: usize,
    quote: String,
}

impl Ctx<'_, '_, '_> {
    fn build<R: Rng>(&self, rng: &mut R, out: &mut Vec<Candidate>) {
        let mut spans = key_spans(self.sentence.text);
        // `信访工作应当遵循下列原则：` is a list's lead: only its numbers make a question
        // (`在15日内分别按照下列方式处理：`); its list is the multiple choice's.
        let text = self.sentence.text;
        if self.sentence.end == "：" && (text.contains("下列") || text.contains("以下")) {
            spans.retain(|s| s.kind.is_quantity());
        }
        for span in &spans {
            out.extend(self.fill(&[span]));
            out.extend(self.single(span, rng));
            out.extend(self.judge_false(span, rng));
        }
        let numbers: Vec<&Span> = spans.iter().filter(|s| s.kind.is_quantity()).collect();
        if (2..=3).contains(&numbers.len()) {
            out.extend(self.fill(&numbers));
        }
        let first_number = numbers.first().copied();
        if let Some(span) = first_number.or_else(|| spans.iter().find(|s| s.kind != Kind::Party)) {
            let priority = if numbers.is_empty() { 2 } else { 0 };
            out.extend(self.judge_true(span, priority));
        }
    }

    fn text(&self, span: &Span) -> &str {
        &self.sentence.text[span.range.clone()]
    }

    /// The sentence (or the clauses of it that fit) with `spans` replaced in turn.
    fn body(&self, spans: &[&Span], replacements: &[&str]) -> Option<String> {
        let (first, last) = (spans.first()?, spans.last()?);
        let text = self.sentence.text;
        let w = window(text, first.range.start..last.range.end, self.budget)?;
        let mut body = String::new();
        let mut pos = w.start;
        for (span, with) in spans.iter().zip(replacements) {
            body.push_str(&text[pos..span.range.start]);
            body.push_str(with);
            pos = span.range.end;
        }
        body.push_str(&text[pos..w.end]);
        Some(body)
    }

    fn stem(&self, body: &str) -> String {
        format!("{}{}。", self.prefix, body)
    }

    fn long(&self) -> u8 {
        u8::from(char_len(self.sentence.text) > 60)
    }

    fn fill(&self, spans: &[&Span]) -> Option<Candidate> {
        let first = spans.first()?;
        if first.kind == Kind::Party && char_len(self.text(first)) > MAX_FILL_PARTY {
            return None;
        }
        let body = self.body(spans, &vec![BLANK; spans.len()])?;
        let blanks: Vec<Vec<String>> = spans
            .iter()
            .map(|s| match &s.quantity {
                Some(q) => q.variants(self.text(s)),
                None => vec![self.text(s).to_string()],
            })
            .collect();
        let numbers = u8::from(first.kind.is_quantity());
        let parts = Parts {
            stem: self.stem(&body),
            options: Vec::new(),
            answer: Answer::Fill { blanks },
            explanation: self.quote.clone(),
            difficulty: 2 + numbers + u8::from(spans.len() > 1) + self.long(),
            topic: first.kind.topic(),
            priority: priority(first.kind),
        };
        Some(self.law.draft(self.article, QuestionType::Fill, parts))
    }

    fn single<R: Rng>(&self, span: &Span, rng: &mut R) -> Option<Candidate> {
        let right = self.text(span).to_string();
        let distractors = match (&span.quantity, span.kind) {
            (Some(q), _) => self.quantity_distractors(q, rng),
            (None, Kind::Modal) => self
                .law
                .modals
                .iter()
                .filter(|m| **m != right)
                .map(|m| m.to_string())
                .collect(),
            (None, _) => self.party_distractors(&right, rng),
        };
        let needed = if span.kind == Kind::Modal { 1 } else { 2 };
        if distractors.len() < needed {
            return None;
        }
        let body = self.body(&[span], &[BLANK])?;
        let mut options = distractors;
        options.push(right.clone());
        options.shuffle(rng);
        let option = options.iter().position(|o| *o == right)?;
        let letter = char::from(b'A' + u8::try_from(option).ok()?);
        let parts = Parts {
            stem: self.stem(&body),
            options,
            answer: Answer::Single { option },
            explanation: format!("{}故正确答案为{letter}项“{right}”。", self.quote),
            difficulty: 2 + u8::from(span.kind != Kind::Modal) + self.long(),
            topic: span.kind.topic(),
            priority: priority(span.kind),
        };
        Some(self.law.draft(self.article, QuestionType::Single, parts))
    }

    /// Up to 3 other values of the same kind from the law, topped up from the unit's
    /// ladder, written in the answer's script (all Arabic or all Chinese).
    fn quantity_distractors<R: Rng>(&self, q: &Quantity, rng: &mut R) -> Vec<String> {
        let mut pool: Vec<&Quantity> = self
            .law
            .quantities
            .iter()
            .filter(|p| p.comparable(q) && !p.same_as(q))
            .collect();
        pool.shuffle(rng);
        let mut ladder: Vec<Quantity> = q
            .ladder()
            .into_iter()
            .filter(|&n| n > 0)
            .map(|n| Quantity { n, ..q.clone() })
            .collect();
        ladder.shuffle(rng);
        let mut chosen: Vec<&Quantity> = Vec::new();
        for p in pool.into_iter().chain(&ladder) {
            if chosen.len() < 3 && !p.same_as(q) && !chosen.iter().any(|c| c.same_as(p)) {
                chosen.push(p);
            }
        }
        chosen.iter().map(|c| c.render(q.arabic)).collect()
    }

    /// Up to 3 other parties of the law; none containing another (`各级机关、单位` and
    /// `各级机关、单位领导干部` would both be right in spirit).
    fn party_distractors<R: Rng>(&self, right: &str, rng: &mut R) -> Vec<String> {
        let mut pool: Vec<&String> = self.law.parties.iter().collect();
        pool.shuffle(rng);
        let mut chosen: Vec<String> = Vec::new();
        let mut taken = vec![normalize(right)];
        for p in pool {
            let n = normalize(p);
            let overlaps = taken
                .iter()
                .any(|t| t.contains(&n) || n.contains(t.as_str()));
            if chosen.len() < 3 && !overlaps && char_len(p) <= 20 {
                taken.push(n);
                chosen.push(p.clone());
            }
        }
        chosen
    }

    /// The sentence with one span changed so it says something else: another time limit
    /// (amount, count) of the same law, or 应当→可以, 不得→可以, 可以→应当/不得.
    fn judge_false<R: Rng>(&self, span: &Span, rng: &mut R) -> Option<Candidate> {
        let original = self.text(span);
        let replacement = match &span.quantity {
            Some(q) => self.mutated_quantity(q, rng)?.render(q.arabic),
            None => swap_modal(original, rng)?.to_string(),
        };
        let body = self.body(&[span], &[&replacement])?;
        let numbers = u8::from(span.kind.is_quantity());
        let parts = Parts {
            stem: self.stem(&body),
            options: Vec::new(),
            answer: Answer::Judge { correct: false },
            explanation: format!(
                "{}题干将“{original}”改为“{replacement}”，与条文不符，故错误。",
                self.quote
            ),
            difficulty: 1 + numbers + self.long(),
            topic: span.kind.topic(),
            priority: priority(span.kind),
        };
        Some(self.law.draft(self.article, QuestionType::Judge, parts))
    }

    /// Another value of the law measuring the same thing, in the same unit if the law has
    /// one (`七日` → `五日` rather than `二年`), and none the sentence already states (so
    /// `对公民处以二百元以下、对法人…处以三千元以下` does not become `三千元…三千元`).
    fn mutated_quantity<R: Rng>(&self, q: &Quantity, rng: &mut R) -> Option<&Quantity> {
        let here: Vec<Quantity> = key_spans(self.sentence.text)
            .into_iter()
            .filter_map(|s| s.quantity)
            .collect();
        let others: Vec<&Quantity> = self
            .law
            .quantities
            .iter()
            .filter(|p| p.comparable(q) && !here.iter().any(|h| h.same_as(p)))
            .collect();
        let same_unit: Vec<&Quantity> = others.iter().copied().filter(|p| p.same_unit(q)).collect();
        let pool = if same_unit.is_empty() {
            others
        } else {
            same_unit
        };
        pool.choose(rng).copied()
    }

    /// The sentence as the law states it (the clauses around `span` if it is long).
    fn judge_true(&self, span: &Span, priority: u8) -> Option<Candidate> {
        let body = self.body(&[span], &[self.text(span)])?;
        let parts = Parts {
            stem: self.stem(&body),
            options: Vec::new(),
            answer: Answer::Judge { correct: true },
            explanation: format!("{}题干表述与条文一致，故正确。", self.quote),
            difficulty: 1 + self.long(),
            topic: span.kind.topic(),
            priority,
        };
        Some(self.law.draft(self.article, QuestionType::Judge, parts))
    }
}

/// A modal verb that says the opposite; None for a span that is no modal verb.
pub(super) fn swap_modal<R: Rng>(modal: &str, rng: &mut R) -> Option<&'static str> {
    match modal {
        "应当" | "不得" => Some("可以"),
        "可以" => ["应当", "不得"].choose(rng).copied(),
        _ => None,
    }
}

fn priority(kind: Kind) -> u8 {
    match kind {
        Kind::Modal => 2,
        Kind::Party => 1,
        _ => 0,
    }
}
