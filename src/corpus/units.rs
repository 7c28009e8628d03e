//! Units of the texts that have no `第N条` articles (修正案, 决定, 批复, 罪名 rules): their
//! `一、` `二、` items become articles (第一条 = `一、`), and a text with neither is divided
//! into its paragraphs (第N段, anchored `#p-N`). Runs on what `parse` collected as the
//! preamble of such a text, so the line scanner stays one pass.

use super::model::{Article, Paragraph, ParagraphKind, ParsedLaw, Preamble};
use super::numerals::{article_label, parse_chinese_number, to_chinese_number};

/// Label of the text before the first item (为了…作出如下决定：), cited like the 宪法's.
pub const PREAMBLE_LABEL: &str = "序言";

/// Divides an article-less text: items if it numbers them from `一、`, else paragraphs.
/// A text with articles, or with no text at all, is left as it is.
pub fn divide(law: &mut ParsedLaw) {
    if !law.articles.is_empty() {
        return;
    }
    let Some(preamble) = law.preamble.take() else {
        return;
    };
    let (before, items) = split_items(preamble.paragraphs);
    if items.is_empty() {
        law.articles = paragraph_units(before);
    } else {
        law.articles = items;
        if !before.is_empty() {
            law.preamble = Some(Preamble {
                label: PREAMBLE_LABEL.to_string(),
                paragraphs: before,
            });
        }
    }
    // Headings of such a text (rare) stay valid indexes into the new articles.
    let last = law.articles.len().saturating_sub(1);
    for h in &mut law.headings {
        h.first_article = h.first_article.min(last);
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
fn split_items(paragraphs: Vec<Paragraph>) -> (Vec<Paragraph>, Vec<Article>) {
    let mut before = Vec::new();
    let mut items: Vec<Article> = Vec::new();
    for p in paragraphs {
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
    (before, items)
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
    format!("第{}段", to_chinese_number(n))
}

#[cfg(test)]
#[path = "units_tests.rs"]
mod tests;
