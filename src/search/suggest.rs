//! Law names offered while an official types (`信访` → 《信访工作条例》, then the provinces'
//! 信访条例), and the closest titles when a search finds nothing.

use serde::Serialize;

use super::names::{Entry, LawNames, normalize};
use crate::corpus::classify::level_rank;

/// Most names offered while typing.
pub const MAX_SUGGESTIONS: usize = 8;
/// Most titles offered on a page with no results.
pub const MAX_CLOSEST: usize = 5;
/// Longest text looked up: a name, not a sentence.
const MAX_NAME_CHARS: usize = 60;
/// How a suggestion ranks: tier (in force nationally first), prefix before infix match,
/// level, shorter title first.
type RankKey = (u8, u8, u64, usize);
/// Least bigram similarity (Dice) for a title to be offered as close.
const MIN_SIMILARITY: f32 = 0.25;

/// A law offered by name, linking to its current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LawSuggestion {
    /// The current version (`/laws/{law_id}`).
    pub law_id: i64,
    pub title: String,
    pub level: String,
    /// 全国, or the province of a local regulation.
    pub region: String,
}

impl LawSuggestion {
    fn of(e: &Entry, law_id: i64) -> LawSuggestion {
        LawSuggestion {
            law_id,
            title: e.title.clone(),
            level: e.level.clone(),
            region: e.region.clone(),
        }
    }
}

/// Laws whose title, short title or alias starts with or contains `typed`: national laws in
/// force first, then provincial ones, then repealed; within each, names that start with the
/// text before those that contain it, then higher level and shorter titles first.
pub fn suggest(names: &LawNames, typed: &str) -> Vec<LawSuggestion> {
    let key = normalize(typed);
    if key.is_empty() || key.chars().count() > MAX_NAME_CHARS {
        return Vec::new();
    }
    let mut found: Vec<(RankKey, &Entry, i64)> = names
        .entries()
        .iter()
        .filter_map(|e| {
            let law_id = e.law_id?;
            let all = [e.title.as_str(), e.short_title.as_str()]
                .into_iter()
                .chain(e.aliases.iter().map(String::as_str));
            let kind = all
                .filter_map(|n| match n.find(&key) {
                    Some(0) => Some(0),
                    Some(_) => Some(1),
                    None => None,
                })
                .min()?;
            let rank = (e.tier, kind, level_rank(&e.level), e.title.chars().count());
            Some((rank, e, law_id))
        })
        .collect();
    found.sort_by_key(|(rank, e, _)| (*rank, e.id));
    found
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, e, law_id)| LawSuggestion::of(e, law_id))
        .collect()
}

/// The laws whose names look most like `text` (shared character pairs), best first: what a
/// search that found nothing may have meant (`信访工作条列` → 《信访工作条例》).
pub fn closest(names: &LawNames, text: &str) -> Vec<LawSuggestion> {
    let key = normalize(text);
    if key.chars().count() < 2 || key.chars().count() > MAX_NAME_CHARS {
        return Vec::new();
    }
    let query = bigrams(&key);
    let mut scored: Vec<(f32, u8, &Entry, i64)> = names
        .entries()
        .iter()
        .filter_map(|e| {
            let law_id = e.law_id?;
            let best = [e.title.as_str(), e.short_title.as_str()]
                .into_iter()
                .chain(e.aliases.iter().map(String::as_str))
                .map(|n| dice(&query, &bigrams(n)))
                .fold(0.0, f32::max);
            (best >= MIN_SIMILARITY).then_some((best, e.tier, e, law_id))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.id.cmp(&b.2.id))
    });
    scored
        .into_iter()
        .take(MAX_CLOSEST)
        .map(|(_, _, e, law_id)| LawSuggestion::of(e, law_id))
        .collect()
}

fn bigrams(s: &str) -> Vec<(char, char)> {
    // Letters and digits only: quotes and brackets say nothing about the name.
    let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Dice coefficient of two sorted, deduplicated bigram sets.
fn dice(a: &[(char, char)], b: &[(char, char)]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let shared = a.iter().filter(|p| b.binary_search(p).is_ok()).count();
    2.0 * shared as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::classify::short_title;
    use crate::corpus::store::StatuteName;

    fn names() -> LawNames {
        let s = |id, title: &str, level: &str, region: &str, repealed| StatuteName {
            statute_id: id,
            title: title.into(),
            short_title: short_title(title),
            level: level.into(),
            region: region.into(),
            repealed,
            law_id: Some(id * 10),
        };
        LawNames::new(
            &[
                s(1, "北京市信访条例", "地方性法规", "北京", 0),
                s(2, "信访条例", "行政法规", "全国", 1),
                s(3, "信访工作条例", "行政法规", "全国", 0),
                s(4, "中华人民共和国刑事诉讼法", "法律", "全国", 0),
            ],
            &[("刑诉法".into(), "刑事诉讼法".into())],
        )
    }

    #[test]
    fn national_laws_in_force_come_first_then_provinces_then_repealed() {
        let titles: Vec<String> = suggest(&names(), "信访")
            .into_iter()
            .map(|s| s.title)
            .collect();
        assert_eq!(titles, ["信访工作条例", "北京市信访条例", "信访条例"]);
        let first = &suggest(&names(), "《信访工作")[0];
        assert_eq!((first.law_id, first.region.as_str()), (30, "全国"));
    }

    #[test]
    fn aliases_and_infixes_match_and_nonsense_does_not() {
        assert_eq!(
            suggest(&names(), "刑诉")[0].title,
            "中华人民共和国刑事诉讼法"
        );
        assert_eq!(suggest(&names(), "诉讼法")[0].law_id, 40);
        assert!(suggest(&names(), "  ").is_empty());
        assert!(suggest(&names(), "环境保护").is_empty());
    }

    #[test]
    fn a_mistyped_title_finds_the_closest_law() {
        let close = closest(&names(), "\"信访工作条列\"");
        assert_eq!(close[0].title, "信访工作条例");
        assert!(closest(&names(), "天气预报").is_empty());
    }
}
