//! Law names as officials type them (`行政处罚法`, `《信访工作条例》`, `民法典`, aliases such
//! as `刑诉法`, short forms such as `信访`), resolved to statutes.
//!
//! A name is first looked up exactly: a full title, a title without 中华人民共和国, or an alias
//! of `corpus/law_aliases.tsv`. Failing that, it is a short form: any part of a title (two
//! characters or more). A short form is unambiguous when exactly one statute of the first
//! non-empty tier contains it, the tiers being: national texts in force, then provincial
//! regulations in force, then repealed texts. So `信访` means 信访工作条例 (the provinces'
//! 信访条例 and the repealed national one rank below it), while `治安` names several national
//! texts and is answered with their list.

use std::collections::HashMap;

use crate::corpus::classify::{self, NATIONAL};
use crate::corpus::store::StatuteName;

/// Shortest part of a title accepted as a short form: one character matches nearly every law.
const MIN_SHORT_FORM_CHARS: usize = 2;
/// Most candidates offered for an ambiguous name.
pub const MAX_CANDIDATES: usize = 10;

/// What a typed law name means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The statutes it names, best first (several only when they share a name exactly).
    Found(Vec<i64>),
    /// A short form of several statutes equally likely: the best `MAX_CANDIDATES` of them
    /// and how many there are in all.
    Ambiguous {
        candidates: Vec<i64>,
        total: usize,
    },
    Unknown,
}

#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub id: i64,
    pub title: String,
    pub short_title: String,
    /// Other names officials use for it (`corpus/law_aliases.tsv`).
    pub aliases: Vec<String>,
    pub level: String,
    pub region: String,
    /// Its current version.
    pub law_id: Option<i64>,
    /// 0 national in force, 1 provincial in force, 2 repealed.
    pub tier: u8,
}

#[derive(Debug, Default, Clone)]
pub struct LawNames {
    /// name → statutes, best first (national before local, higher level first).
    by_name: HashMap<String, Vec<i64>>,
    /// Every statute, best first, for short forms.
    entries: Vec<Entry>,
    max_len: usize,
}

impl LawNames {
    /// `aliases` maps extra names to a full or short title (from `corpus/law_aliases.tsv`).
    pub fn new(statutes: &[StatuteName], aliases: &[(String, String)]) -> LawNames {
        let mut ranked: Vec<&StatuteName> = statutes.iter().collect();
        ranked.sort_by_key(|s| {
            (
                s.repealed != 0,
                s.region != NATIONAL,
                classify::level_rank(&s.level),
                s.title.chars().count(),
                s.statute_id,
            )
        });
        let mut names = LawNames::default();
        for s in &ranked {
            names.add(&s.title, s.statute_id);
            names.add(&s.short_title, s.statute_id);
            names.entries.push(Entry {
                id: s.statute_id,
                title: s.title.clone(),
                short_title: s.short_title.clone(),
                aliases: Vec::new(),
                level: s.level.clone(),
                region: s.region.clone(),
                law_id: s.law_id,
                tier: match (s.repealed != 0, s.region == NATIONAL) {
                    (false, true) => 0,
                    (false, false) => 1,
                    (true, _) => 2,
                },
            });
        }
        for (alias, target) in aliases {
            let ids = names
                .by_name
                .get(target.as_str())
                .cloned()
                .unwrap_or_default();
            for id in ids {
                names.add(alias, id);
                if let Some(e) = names.entries.iter_mut().find(|e| e.id == id) {
                    e.aliases.push(alias.clone());
                }
            }
        }
        names
    }

    /// Adds a name and, for a numbered title like `刑法修正案（十一）`, the forms officials type
    /// it in: `刑法修正案十一`, `刑法修正案(十一)`.
    fn add(&mut self, name: &str, id: i64) {
        for form in numbered_forms(name) {
            let ids = self.by_name.entry(form.clone()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
            self.max_len = self.max_len.max(form.chars().count());
        }
    }

    /// Statutes exactly named `name` (brackets and spaces ignored), best first.
    pub fn lookup(&self, name: &str) -> &[i64] {
        self.by_name
            .get(&normalize(name))
            .map_or(&[], Vec::as_slice)
    }

    /// What `name` means: an exact name, else an unambiguous short form (see the module docs).
    pub fn resolve(&self, name: &str) -> Resolution {
        let exact = self.lookup(name);
        if !exact.is_empty() {
            return Resolution::Found(exact.to_vec());
        }
        let key = normalize(name);
        if key.chars().count() < MIN_SHORT_FORM_CHARS {
            return Resolution::Unknown;
        }
        let matching: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.title.contains(&key) || e.short_title.contains(&key))
            .collect();
        let Some(best_tier) = matching.iter().map(|e| e.tier).min() else {
            return Resolution::Unknown;
        };
        let tier: Vec<i64> = matching
            .iter()
            .filter(|e| e.tier == best_tier)
            .map(|e| e.id)
            .collect();
        match tier.as_slice() {
            [one] => Resolution::Found(vec![*one]),
            _ => Resolution::Ambiguous {
                total: tier.len(),
                candidates: tier.into_iter().take(MAX_CANDIDATES).collect(),
            },
        }
    }

    /// Every statute, best first (national in force, then provincial, then repealed).
    pub(super) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The full title of a statute.
    pub fn title(&self, id: i64) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.title.as_str())
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

    /// The statutes `text` names anywhere (the longest name ending at each place; a name
    /// inside a longer one does not count), in the order named.
    pub fn named_in(&self, text: &str) -> Vec<i64> {
        let mut named = Vec::new();
        let mut before = text.len();
        let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        for &end in ends.iter().rev() {
            if end > before {
                continue;
            }
            if let Some((id, start)) = self.suffix(&text[..end]) {
                if !named.contains(&id) {
                    named.push(id);
                }
                before = start;
            }
        }
        named.reverse();
        named
    }
}

/// `name`, plus, when it ends in a bracketed Chinese number (`（十一）`), the same without the
/// brackets and with ASCII ones.
fn numbered_forms(name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    let numbered = name
        .strip_suffix('）')
        .and_then(|s| s.rsplit_once('（'))
        .filter(|(_, n)| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c)));
    if let Some((base, n)) = numbered {
        forms.push(format!("{base}{n}"));
        forms.push(format!("{base}({n})"));
    }
    forms
}

/// A typed name without 《》 and spaces.
pub(super) fn normalize(name: &str) -> String {
    name.trim()
        .trim_start_matches('《')
        .trim_end_matches('》')
        .split_whitespace()
        .collect()
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
            repealed: 0,
            law_id: Some(id * 10),
        }
    }

    fn petitions() -> LawNames {
        let mut repealed = statute(2, "信访条例", "行政法规", "全国");
        repealed.repealed = 1;
        LawNames::new(
            &[
                statute(1, "信访工作条例", "行政法规", "全国"),
                repealed,
                statute(3, "北京市信访条例", "地方性法规", "北京"),
                statute(4, "中华人民共和国治安管理处罚法", "法律", "全国"),
                statute(5, "企业事业单位内部治安保卫条例", "行政法规", "全国"),
                statute(6, "上海市某某管理条例", "地方性法规", "上海"),
            ],
            &[],
        )
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

    #[test]
    fn the_laws_a_sentence_names_are_found_anywhere_in_it() {
        let names = LawNames::new(
            &[
                statute(1, "中华人民共和国劳动合同法", "法律", "全国"),
                statute(2, "中华人民共和国合同法", "法律", "全国"),
                statute(3, "信访工作条例", "行政法规", "全国"),
            ],
            &[],
        );
        assert_eq!(names.named_in("信访工作条例从什么时候开始施行"), vec![3]);
        // 合同法 inside 劳动合同法 is not named.
        assert_eq!(
            names.named_in("依据《劳动合同法》和信访工作条例"),
            vec![1, 3]
        );
        assert!(names.named_in("劳动合同 解除").is_empty());
    }

    #[test]
    fn a_numbered_amendment_is_named_with_or_without_its_brackets() {
        let names = LawNames::new(
            &[
                statute(1, "中华人民共和国刑法修正案（十一）", "法律", "全国"),
                statute(2, "中华人民共和国刑法修正案", "法律", "全国"),
            ],
            &[],
        );
        assert_eq!(names.lookup("刑法修正案（十一）"), &[1]);
        assert_eq!(names.lookup("刑法修正案十一"), &[1]);
        assert_eq!(names.lookup("《刑法修正案(十一)》"), &[1]);
        assert_eq!(names.lookup("刑法修正案"), &[2]);
        assert_eq!(names.suffix("刑法修正案十一 "), Some((1, 0)));
    }

    #[test]
    fn a_short_form_means_the_one_national_text_in_force_that_contains_it() {
        let names = petitions();
        assert_eq!(names.resolve("信访"), Resolution::Found(vec![1]));
        assert_eq!(names.resolve("《信访》"), Resolution::Found(vec![1]));
        // An exact name still means itself, repealed or provincial.
        assert_eq!(names.resolve("信访条例"), Resolution::Found(vec![2]));
        assert_eq!(names.resolve("北京市信访"), Resolution::Found(vec![3]));
        // Provincial regulations count when no national text matches.
        assert_eq!(names.resolve("某某管理"), Resolution::Found(vec![6]));
    }

    #[test]
    fn an_ambiguous_short_form_offers_its_candidates_best_first() {
        let names = petitions();
        assert_eq!(
            names.resolve("治安"),
            Resolution::Ambiguous {
                candidates: vec![4, 5],
                total: 2
            }
        );
        assert_eq!(names.title(4), Some("中华人民共和国治安管理处罚法"));
        assert_eq!(names.resolve("条"), Resolution::Unknown, "one character");
        assert_eq!(names.resolve("没有这部法"), Resolution::Unknown);
    }
}
