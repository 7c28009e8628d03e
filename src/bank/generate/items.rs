//! Multiple choice from an article's enumerated 项 (`（一）…` lines after a lead line
//! ending in `：`): 2–4 of its items are right, 1–3 items wrong, taken only from lists of
//! the same kind (`kinds`) in other articles of the law, then of the related laws; with
//! none, no question.

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

use super::SourceArticle;
use super::build::BLANK;
use super::kinds::{self, ItemKind};
use super::law::{Candidate, Law, Parts};
use super::quality::article_problem;
use super::text::{char_len, normalize, strip_item_prefix};
use crate::bank::model::{Answer, QuestionType};
use crate::corpus::numerals::to_chinese_number;

/// Items longer than this (after cutting at `。` / `；`) are no option.
const MAX_ITEM: usize = 40;
const MIN_ITEM: usize = 4;
/// What a lead line lists (`下列原则`, `下列情形之一的`), longest first where one
/// starts another.
const NOUNS: [&str; 30] = [
    "原则", "职责", "行为", "情形", "内容", "条件", "方式", "事项", "措施", "种类", "权利", "义务",
    "程序", "材料", "要求", "情况", "规定", "文件", "证据", "机关", "人员", "组织", "制度", "标准",
    "活动", "信息", "范围", "资料", "职权", "形式",
];
/// A distractor sharing this many characters in a row with a right item is too close.
const MAX_COMMON: usize = 5;

/// The first enumeration of an article.
pub(super) struct ItemList {
    /// Index of the article in the slice the list was read from.
    article: usize,
    /// The line before the items, without its final `：`.
    lead: String,
    /// Every item, cut to its first sentence and trimmed of punctuation.
    items: Vec<String>,
    /// What the items are; None when neither the lead nor the items say.
    pub kind: Option<ItemKind>,
}

#[cfg(test)]
impl ItemList {
    pub(super) fn items(&self) -> &[String] {
        &self.items
    }
}

/// The enumerations of the articles at `usable`.
pub(super) fn item_lists(
    articles: &[SourceArticle<'_>],
    usable: impl IntoIterator<Item = usize>,
) -> Vec<ItemList> {
    let mut out = Vec::new();
    for i in usable {
        let lines: Vec<&str> = articles[i].text.lines().map(str::trim).collect();
        let Some(first) = lines.iter().position(|l| l.starts_with(['（', '('])) else {
            continue;
        };
        let Some(lead) = first
            .checked_sub(1)
            .and_then(|j| lines[j].strip_suffix(['：', ':']))
        else {
            continue;
        };
        let items: Vec<String> = lines[first..]
            .iter()
            .map_while(|l| strip_item_prefix(l))
            .map(short_item)
            .collect();
        if !items.is_empty() {
            out.push(ItemList {
                article: i,
                kind: kinds::list_kind(lead, &items),
                lead: lead.to_string(),
                items,
            });
        }
    }
    out
}

/// An item cut to its first sentence (or first clause before `；` if still long), trimmed
/// of trailing punctuation.
fn short_item(item: &str) -> String {
    let mut item = item.split('。').next().unwrap_or(item);
    if char_len(item) > MAX_ITEM {
        item = item.split(['；', ';']).next().unwrap_or(item);
    }
    item.trim_end_matches(['；', ';', '。', '，', '、', '：', ' '])
        .to_string()
}

/// An item fit to be an option: short, and no catch-all `其他…`.
fn usable(item: &str) -> bool {
    (MIN_ITEM..=MAX_ITEM).contains(&char_len(item)) && !item.contains("其他")
}

/// The enumerations of the related laws' articles (those that can carry a question).
pub(super) fn related_lists(related: &[SourceArticle<'_>]) -> Vec<ItemList> {
    let usable = (0..related.len()).filter(|&i| article_problem(&related[i]).is_none());
    item_lists(related, usable)
}

pub(super) fn multiple_candidates<R: Rng>(
    law: &Law<'_, '_>,
    related: &[ItemList],
    rng: &mut R,
) -> Vec<Candidate> {
    let lists = item_lists(law.articles, law.usable.iter().copied());
    let mut out = Vec::new();
    for (li, list) in lists.iter().enumerate() {
        let right: Vec<&String> = list.items.iter().filter(|i| usable(i)).collect();
        let a = &law.articles[list.article];
        let Some((stem, noun)) = list_stem(&law.prefix(a), &list.lead) else {
            continue;
        };
        let article = normalize(a.text);
        let own: Vec<&ItemList> = lists
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != li)
            .map(|(_, l)| l)
            .collect();
        let same_law = distractor_items(list, own, &article, &[]);
        let others = distractor_items(list, related.iter().collect(), &article, &same_law);
        if right.len() < 2 || same_law.len() + others.len() == 0 {
            continue;
        }
        let listed: Vec<String> = list
            .items
            .iter()
            .enumerate()
            .map(|(k, item)| format!("（{}）{item}", to_chinese_number(k as u32 + 1)))
            .collect();
        let quote = law.quote(a, &format!("{}：{}。", list.lead, listed.join("；")));
        for _ in 0..2 {
            let k = rng.random_range(2..=right.len().min(4));
            let m = rng.random_range(1..=(same_law.len() + others.len()).min(3));
            let wrong = pick_distractors(&same_law, &others, m, rng);
            let mut options: Vec<(&String, bool)> = right
                .choose_multiple(rng, k)
                .map(|o| (*o, true))
                .chain(wrong.into_iter().map(|o| (o, false)))
                .collect();
            options.shuffle(rng);
            let answer: Vec<usize> = (0..options.len()).filter(|&j| options[j].1).collect();
            let letters: String = answer
                .iter()
                .filter_map(|&j| u8::try_from(j).ok().map(|j| char::from(b'A' + j)))
                .collect();
            let parts = Parts {
                stem: stem.clone(),
                options: options.iter().map(|(o, _)| o.to_string()).collect(),
                answer: Answer::Multiple { options: answer },
                explanation: format!("{quote}故正确答案为{letters}。"),
                difficulty: 3 + u8::from(k >= 4) + u8::from(options.len() >= 6),
                topic: noun,
                priority: 0,
            };
            out.push(law.draft(list.article, QuestionType::Multiple, parts));
        }
    }
    out
}

/// `m` distractors: from the law's own lists first, then the related laws'.
fn pick_distractors<'l, R: Rng>(
    same_law: &[&'l String],
    others: &[&'l String],
    m: usize,
    rng: &mut R,
) -> Vec<&'l String> {
    let mut out: Vec<&String> = same_law.choose_multiple(rng, m).copied().collect();
    let rest = m.saturating_sub(out.len());
    out.extend(others.choose_multiple(rng, rest).copied());
    out
}

/// Usable items of `others` lists of the same kind as `list` (a list of no known kind has
/// none), each showing that kind or none by itself, neither in this article nor too close
/// to its items nor already `taken`; distinct, in text order.
fn distractor_items<'l>(
    list: &ItemList,
    others: Vec<&'l ItemList>,
    article: &str,
    taken: &[&String],
) -> Vec<&'l String> {
    let Some(kind) = list.kind else {
        return Vec::new();
    };
    let mut seen: Vec<String> = taken.iter().map(|t| normalize(t)).collect();
    let mut out = Vec::new();
    for other in others.into_iter().filter(|o| o.kind == Some(kind)) {
        for item in other
            .items
            .iter()
            .filter(|i| usable(i) && kinds::fits(i, kind))
        {
            let n = normalize(item);
            let overlaps = list.items.iter().any(|o| too_close(o, item));
            if !overlaps && !article.contains(&n) && !seen.contains(&n) {
                seen.push(n);
                out.push(item);
            }
        }
    }
    out
}

/// Two (normalised) items too alike for one to be right and the other wrong: they share a
/// run of `MAX_COMMON` characters, or one contains a whole element of the other
/// (`较大数额罚款` and `罚款、没收违法所得`).
pub(super) fn too_close(a: &str, b: &str) -> bool {
    let (na, nb) = (normalize(a), normalize(b));
    let contains_element = |x: &str, ny: &str| {
        x.split(['、', '，', '；'])
            .map(normalize)
            .any(|e| char_len(&e) >= 2 && ny.contains(&e))
    };
    let shorter = char_len(&na).min(char_len(&nb));
    common_run(&na, &nb) >= MAX_COMMON.min(shorter)
        || contains_element(a, &nb)
        || contains_element(b, &na)
}

/// The longest run of characters two texts share.
fn common_run(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut prev = vec![0; b.len() + 1];
    let mut best = 0;
    for x in &a {
        let mut row = vec![0; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            if x == y {
                row[j + 1] = prev[j] + 1;
                best = best.max(row[j + 1]);
            }
        }
        prev = row;
    }
    best
}

/// Where a lead names its list: the text before and after `下列` (or `以下` before a
/// noun), and the noun after it.
fn list_word(lead: &str) -> Option<(&str, &str, Option<&'static str>)> {
    let noun_of = |after: &str| NOUNS.iter().find(|n| after.starts_with(**n)).copied();
    let (before, after) = match lead.split_once("下列") {
        Some(split) => split,
        None => lead
            .split_once("以下")
            .filter(|(_, after)| noun_of(after).is_some())?,
    };
    Some((before, after, noun_of(after)))
}

/// The noun a lead lists (`原则`, `情形`), if it names one.
fn list_noun(lead: &str) -> Option<&'static str> {
    match list_word(lead) {
        Some((_, _, noun)) => noun,
        None => NOUNS.iter().find(|n| lead.ends_with(**n)).copied(),
    }
}

/// The stem and the listed noun (for the tag): `信访工作应当遵循下列原则` →
/// `…信访工作应当遵循的原则包括（ ）。`; `…有下列情形之一的，由其上级机关…责令改正` →
/// `…有下列情形之一的，由其上级机关…责令改正。属于上述情形的有（ ）。`; a short lead
/// without 下列 (`行政处罚的种类`) → `行政处罚的种类包括（ ）。`.
pub(super) fn list_stem(prefix: &str, lead: &str) -> Option<(String, &'static str)> {
    let Some((before, after, noun)) = list_word(lead) else {
        let noun = list_noun(lead);
        if char_len(lead) > 20 {
            return None;
        }
        let stem = if lead.ends_with("包括") || lead.ends_with('有') {
            format!("{prefix}{lead}{BLANK}。")
        } else if noun.is_some() {
            format!("{prefix}{lead}包括{BLANK}。")
        } else {
            format!("{prefix}{lead}，具体包括{BLANK}。")
        };
        return Some((stem, noun.unwrap_or("要点")));
    };
    let rest = noun.map_or(after, |n| &after[n.len()..]);
    let stem = match noun {
        Some(noun) if rest.is_empty() => {
            let before = first_and_last_clause(before, 60)?;
            let verb = if before.ends_with("包括") {
                "有"
            } else {
                "包括"
            };
            format!("{prefix}{before}的{noun}{verb}{BLANK}。")
        }
        _ => {
            let lead = lead.split(['；', ';']).next().unwrap_or(lead);
            let lead = first_and_last_clause(lead, 80)?;
            let noun = noun.unwrap_or("内容");
            format!("{prefix}{lead}。属于上述{noun}的有{BLANK}。")
        }
    };
    Some((stem, noun.unwrap_or("要点")))
}

/// `s` if it fits `max` characters, else its first and last clauses if they do.
fn first_and_last_clause(s: &str, max: usize) -> Option<String> {
    if char_len(s) <= max {
        return Some(s.to_string());
    }
    let clauses: Vec<&str> = s.split('，').collect();
    let short = format!("{}，{}", clauses.first()?, clauses.last()?);
    (clauses.len() > 2 && char_len(&short) <= max).then_some(short)
}
