//! Units of the texts that have no `第N条` articles (修正案, 决定, 批复, 罪名 rules): their
//! `一、` `二、` items become articles (第一条 = `一、`), and a text with neither is divided
//! into its paragraphs (第N段, anchored `#p-N`). Runs on what `parse` collected as the
//! preamble of such a text, so the line scanner stays one pass.

use super::model::{Article, Paragraph, ParagraphKind, ParsedLaw, Preamble};
use super::numerals::{article_label, parse_chinese_number, unit_label};

/// Label of the text before the first item (为了…作出如下决定：), cited like the 宪法's.
pub const PREAMBLE_LABEL: &str = "序言";

/// Divides an article-less text: items if it numbers them from `一、`, else paragraphs.
/// A text with articles, or with no text at all, is left as it is. `heading_at` gives, for
/// each heading, the number of paragraphs before it (a 罪名 list has 章 and 节).
pub fn divide(law: &mut ParsedLaw, heading_at: &[usize]) {
    if !law.articles.is_empty() {
        return;
    }
    let Some(preamble) = law.preamble.take() else {
        return;
    };
    let (before, items, starts) = split_items(preamble.paragraphs);
    if items.is_empty() {
        law.articles = paragraph_units(before);
        let starts: Vec<usize> = (0..law.articles.len()).collect();
        place_headings(law, heading_at, &starts);
    } else {
        law.articles = items;
        place_headings(law, heading_at, &starts);
        if !before.is_empty() {
            law.preamble = Some(Preamble {
                label: PREAMBLE_LABEL.to_string(),
                paragraphs: before,
            });
        }
    }
}

/// Puts each heading before the first unit that starts after it, and each unit under the last
/// heading before it (the innermost one open there). `starts[i]` is the paragraph unit `i`
/// starts at.
fn place_headings(law: &mut ParsedLaw, heading_at: &[usize], starts: &[usize]) {
    for (h, at) in law.headings.iter_mut().zip(heading_at) {
        h.first_article = starts.partition_point(|s| s < at);
    }
    for (article, start) in law.articles.iter_mut().zip(starts) {
        article.heading = heading_at.iter().rposition(|at| at <= start);
    }
}

/// `二、将刑法第十七条修改为：…` → (2, `将刑法第十七条修改为：…`). Chinese numerals only:
/// `1、` is a 目.
pub fn item_start(text: &str) -> Option<(u32, &str)> {
    let (number, rest) = text.split_once('、')?;
    let numeral = !number.is_empty()
        && number
            .chars()
            .all(|c| "零〇一二两三四五六七八九十百".contains(c));
    let n = parse_chinese_number(number).filter(|&n| numeral && n > 0)?;
    Some((n, rest.trim()))
}

/// Splits paragraphs into those before the first item and the items. An item must carry the
/// next number (一 first): a `一、` inside a quoted provision or an annex that counts again
/// from 一 stays a paragraph of the item it is in.
/// Also returns the paragraph each item starts at.
fn split_items(paragraphs: Vec<Paragraph>) -> (Vec<Paragraph>, Vec<Article>, Vec<usize>) {
    let mut before = Vec::new();
    let mut items: Vec<Article> = Vec::new();
    let mut starts = Vec::new();
    for (i, p) in paragraphs.into_iter().enumerate() {
        let next = items.len() as u32 + 1;
        let start = (p.kind != ParagraphKind::Table)
            .then(|| item_start(&p.text))
            .flatten()
            .filter(|(n, _)| *n == next);
        match (start, items.last_mut()) {
            (Some((no, rest)), _) => {
                let paragraphs = if rest.is_empty() {
                    Vec::new()
                } else {
                    vec![Paragraph {
                        kind: ParagraphKind::Kuan,
                        text: rest.to_string(),
                    }]
                };
                starts.push(i);
                items.push(Article {
                    no,
                    sub: 0,
                    label: article_label(no, 0),
                    heading: None,
                    paragraphs,
                });
            }
            (None, Some(item)) => item.paragraphs.push(p),
            (None, None) => before.push(p),
        }
    }
    (before, items, starts)
}

/// Each paragraph one unit: article number 0 and the paragraph's number as `sub`, which no
/// `第N条之M` can be (see `numerals::anchor`).
fn paragraph_units(paragraphs: Vec<Paragraph>) -> Vec<Article> {
    paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let n = i as u32 + 1;
            Article {
                no: 0,
                sub: n,
                label: paragraph_label(n),
                heading: None,
                paragraphs: vec![p],
            }
        })
        .collect()
}

/// `第三段`.
pub fn paragraph_label(n: u32) -> String {
    unit_label(0, n)
}

#[cfg(test)]
#[path = "units_tests.rs"]
mod tests;
