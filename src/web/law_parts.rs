//! Long laws in parts: the 民法典 is half a megabyte of HTML, too much for a phone on a slow
//! link. A law's body is cut at its headings (编, then 章, then 节; between articles only
//! when one heading's text alone is too long) into parts of at most `PART_BUDGET` bytes of
//! text, neighbours merged while they fit. Short laws stay one part, as before.

use std::ops::Range;

use serde::Serialize;

use super::law_view::{ArticleView, BodyItem};

/// Text bytes per part. Law text gzips to about a third; with the table of contents and the
/// index of the other parts' articles a part's page stays well under 60 KB gzipped.
pub const PART_BUDGET: usize = 80_000;

/// One part of a law page, for the part list and the links to it.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    /// 1-based, as in `?part=`.
    pub no: usize,
    /// The first heading in the part (`第二编 物权`), or `第3部分`.
    pub label: String,
    /// `第二百零五条至第四百六十二条`, empty for a part of headings only.
    pub articles: String,
    pub url: String,
}

/// Cuts `items` into consecutive ranges, each within `budget` where the headings allow.
pub fn split(items: &[BodyItem], budget: usize) -> Vec<Range<usize>> {
    let weights: Vec<usize> = items.iter().map(weight).collect();
    let total: usize = weights.iter().sum();
    if total <= budget || items.len() < 2 {
        return std::iter::once(0..items.len()).collect();
    }
    let mut leaves = Vec::new();
    cut(items, &weights, 0..items.len(), budget, &mut leaves);
    // Neighbours are merged while they fit: a law of many short chapters is not cut into
    // dozens of tiny parts.
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut size = 0;
    for leaf in leaves {
        let w: usize = weights[leaf.clone()].iter().sum();
        match parts.last_mut() {
            Some(last) if size + w <= budget => {
                last.end = leaf.end;
                size += w;
            }
            _ => {
                parts.push(leaf);
                size = w;
            }
        }
    }
    parts
}

/// Splits `range` at its highest headings (those after its first item), recursively, until
/// each piece fits; a piece without headings is cut between articles.
fn cut(
    items: &[BodyItem],
    weights: &[usize],
    range: Range<usize>,
    budget: usize,
    out: &mut Vec<Range<usize>>,
) {
    let w: usize = weights[range.clone()].iter().sum();
    if w <= budget || range.len() < 2 {
        out.push(range);
        return;
    }
    let top = items[range.start + 1..range.end]
        .iter()
        .filter_map(heading_level)
        .min();
    let Some(top) = top else {
        by_articles(weights, range, budget, out);
        return;
    };
    let mut start = range.start;
    for i in range.start + 1..range.end {
        if heading_level(&items[i]) == Some(top) {
            cut(items, weights, start..i, budget, out);
            start = i;
        }
    }
    cut(items, weights, start..range.end, budget, out);
}

fn by_articles(weights: &[usize], range: Range<usize>, budget: usize, out: &mut Vec<Range<usize>>) {
    let mut start = range.start;
    let mut size = 0;
    for i in range.clone() {
        if size + weights[i] > budget && i > start {
            out.push(start..i);
            start = i;
            size = 0;
        }
        size += weights[i];
    }
    out.push(start..range.end);
}

fn heading_level(item: &BodyItem) -> Option<i64> {
    match item {
        BodyItem::Heading { level, .. } => Some(*level),
        BodyItem::Article(_) => None,
    }
}

/// About the bytes an item adds to the page (its text plus markup).
fn weight(item: &BodyItem) -> usize {
    match item {
        BodyItem::Heading { label, name, .. } => label.len() + name.len() + 60,
        BodyItem::Article(a) => {
            a.label.len()
                + a.paragraphs
                    .iter()
                    .map(|p| p.text.len() + 30)
                    .sum::<usize>()
                + 80
        }
    }
}

/// The part list of a law whose body was cut into `ranges`.
pub fn views(law_id: i64, items: &[BodyItem], ranges: &[Range<usize>]) -> Vec<PartView> {
    ranges
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let part = &items[r.clone()];
            let label = part
                .iter()
                .find_map(|it| match it {
                    BodyItem::Heading { label, name, .. } if name.is_empty() => Some(label.clone()),
                    BodyItem::Heading { label, name, .. } => Some(format!("{label} {name}")),
                    BodyItem::Article(_) => None,
                })
                .unwrap_or_else(|| format!("第{}部分", i + 1));
            let mut articles = part.iter().filter_map(|it| match it {
                BodyItem::Article(a) => Some(a),
                BodyItem::Heading { .. } => None,
            });
            let first = articles.next();
            let last = articles.next_back().or(first);
            let articles = match (first, last) {
                (Some(f), Some(l)) if f.anchor == l.anchor => f.label.clone(),
                (Some(f), Some(l)) => format!("{}至{}", f.label, l.label),
                _ => String::new(),
            };
            PartView {
                no: i + 1,
                label,
                articles,
                url: part_url(law_id, i + 1),
            }
        })
        .collect()
}

/// `/laws/{id}?part=N`; part 1 is the law's own URL.
pub fn part_url(law_id: i64, part: usize) -> String {
    if part <= 1 {
        format!("/laws/{law_id}")
    } else {
        format!("/laws/{law_id}?part={part}")
    }
}

/// The articles of a range, for the index of the other parts.
pub fn articles_in<'a>(
    items: &'a [BodyItem],
    range: &Range<usize>,
) -> impl Iterator<Item = &'a ArticleView> {
    items[range.clone()].iter().filter_map(|it| match it {
        BodyItem::Article(a) => Some(a),
        BodyItem::Heading { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::law_view::ParagraphView;

    fn heading(level: i64, label: &str) -> BodyItem {
        BodyItem::Heading {
            level,
            label: label.into(),
            name: String::new(),
            anchor: format!("h-{label}"),
        }
    }

    fn article(no: i64, bytes: usize) -> BodyItem {
        BodyItem::Article(ArticleView {
            article_no: no,
            article_sub: 0,
            label: format!("第{no}条"),
            anchor: format!("art-{no}"),
            heading: String::new(),
            text: String::new(),
            paragraphs: vec![ParagraphView {
                kind: "kuan".into(),
                text: "x".repeat(bytes),
            }],
        })
    }

    #[test]
    fn a_short_law_stays_one_part() {
        let items = vec![heading(3, "第一章"), article(1, 100), article(2, 100)];
        assert_eq!(split(&items, 10_000), vec![0..3]);
    }

    #[test]
    fn a_long_law_is_cut_at_its_highest_headings_and_small_neighbours_merge() {
        // Two 编 of two 章 each; each 章 about 1,000 bytes, the budget fits two 章.
        let items = vec![
            heading(1, "第一编"),
            heading(3, "第一章"),
            article(1, 900),
            heading(3, "第二章"),
            article(2, 900),
            heading(1, "第二编"),
            heading(3, "第三章"),
            article(3, 900),
            heading(3, "第四章"),
            article(4, 900),
        ];
        let parts = split(&items, 2_300);
        assert_eq!(parts, vec![0..5, 5..10]);
        let views = views(7, &items, &parts);
        assert_eq!(views[0].label, "第一编");
        assert_eq!(views[1].articles, "第3条至第4条");
        assert_eq!(views[1].url, "/laws/7?part=2");
        assert_eq!(views[0].url, "/laws/7");
    }

    #[test]
    fn a_heading_too_long_for_one_part_is_cut_between_articles() {
        let mut items = vec![heading(3, "第一章")];
        items.extend((1..=10).map(|n| article(n, 1_000)));
        let parts = split(&items, 3_500);
        assert!(parts.len() >= 4, "{parts:?}");
        assert_eq!(parts.first().map(|r| r.start), Some(0));
        assert_eq!(parts.last().map(|r| r.end), Some(items.len()));
        for pair in parts.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }
}
