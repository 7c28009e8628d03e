//! Law names as officials type them (`行政处罚法`, `《信访工作条例》`, `民法典`, aliases such
//! as `刑诉法`), resolved to statutes.

use std::collections::HashMap;

use crate::corpus::classify::{self, NATIONAL};
use crate::corpus::store::StatuteName;

#[derive(Debug, Default, Clone)]
pub struct LawNames {
    /// name → statutes, best first (national before local, higher level first).
    by_name: HashMap<String, Vec<i64>>,
    max_len: usize,
}

impl LawNames {
    /// `aliases` maps extra names to a full or short title (from `corpus/law_aliases.tsv`).
    pub fn new(statutes: &[StatuteName], aliases: &[(String, String)]) -> LawNames {
        let mut ranked: Vec<&StatuteName> = statutes.iter().collect();
        ranked.sort_by_key(|s| {
            (
                s.region != NATIONAL,
                classify::level_rank(&s.level),
                s.statute_id,
            )
        });
        let mut names = LawNames::default();
        for s in &ranked {
            names.add(&s.title, s.statute_id);
            names.add(&s.short_title, s.statute_id);
        }
        for (alias, target) in aliases {
            let ids = names
                .by_name
                .get(target.as_str())
                .cloned()
                .unwrap_or_default();
            for id in ids {
                names.add(alias, id);
            }
        }
        names
    }

    fn add(&mut self, name: &str, id: i64) {
        let ids = self.by_name.entry(name.to_string()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
        self.max_len = self.max_len.max(name.chars().count());
    }

    /// Statutes exactly named `name` (brackets and spaces ignored), best first.
    pub fn lookup(&self, name: &str) -> &[i64] {
        let key: String = name
            .trim()
            .trim_start_matches('《')
            .trim_end_matches('》')
            .split_whitespace()
            .collect();
        self.by_name.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The longest law name that `text` ends with: its best statute and the byte offset where
    /// the name starts. `民法典` in `婚姻 民法典`, `信访工作条例` in `信访工作条例`.
    pub fn suffix(&self, text: &str) -> Option<(i64, usize)> {
        let text = text.trim_end().trim_end_matches('》');
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let n = starts.len();
        starts
            .iter()
            .skip(n.saturating_sub(self.max_len))
            .find_map(|&at| {
                let candidate = text[at..].trim_start_matches('《');
                self.by_name
                    .get(candidate)
                    .and_then(|ids| ids.first())
                    .map(|id| (*id, at))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statute(id: i64, title: &str, level: &str, region: &str) -> StatuteName {
        StatuteName {
            statute_id: id,
            title: title.into(),
            short_title: classify::short_title(title),
            level: level.into(),
            region: region.into(),
        }
    }

    #[test]
    fn names_resolve_by_full_short_and_alias() {
        let names = LawNames::new(
            &[
                statute(1, "中华人民共和国刑事诉讼法", "法律", "全国"),
                statute(2, "信访工作条例", "行政法规", "全国"),
            ],
            &[("刑诉法".into(), "刑事诉讼法".into())],
        );
        assert_eq!(names.lookup("《刑事诉讼法》"), &[1]);
        assert_eq!(names.lookup("刑诉法"), &[1]);
        assert_eq!(names.suffix("关于信访工作条例"), Some((2, "关于".len())));
        assert_eq!(names.suffix("随便"), None);
    }
}
