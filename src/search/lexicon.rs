//! The legal synonym lexicon (`corpus/synonyms.tsv`): the words officials type mapped to the
//! words the statutes use, applied at query time (拆迁 → 征收).

use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    map: HashMap<String, Vec<String>>,
    /// Longest key in chars, to bound the scan.
    max_key: usize,
}

/// A query word, or a run of words, after lexicon lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Plain(String),
    /// A lexicon term: match any of its statutory words, or the term itself (which counts
    /// less unless the statutes use it too, e.g. 工伤).
    Term {
        typed: String,
        statutory: Vec<String>,
    },
}

impl Lexicon {
    /// Reads `term<TAB>word1|word2` lines; `#` starts a comment. A missing file gives an empty
    /// lexicon (search still works, just without synonyms).
    pub fn load(path: &Path) -> std::io::Result<Lexicon> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok(Lexicon::parse(&text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Lexicon::default()),
            Err(e) => Err(e),
        }
    }

    pub fn parse(text: &str) -> Lexicon {
        let mut lex = Lexicon::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((typed, words)) = line.split_once('\t') else {
                continue;
            };
            let typed = typed.trim().to_lowercase();
            let words: Vec<String> = words
                .split('|')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect();
            if typed.is_empty() || words.is_empty() || words == [typed.clone()] {
                continue;
            }
            lex.max_key = lex.max_key.max(typed.chars().count());
            lex.map.entry(typed).or_default().extend(words);
        }
        lex
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn contains(&self, typed: &str) -> bool {
        self.map.contains_key(typed)
    }

    /// Every (typed, statutory word) pair, sorted, for checking the lexicon against an index.
    pub fn entries(&self) -> Vec<(&str, &str)> {
        let mut all: Vec<(&str, &str)> = self
            .map
            .iter()
            .flat_map(|(t, ws)| ws.iter().map(move |w| (t.as_str(), w.as_str())))
            .collect();
        all.sort_unstable();
        all
    }

    /// Groups query words (as jieba cut them) into lexicon terms, longest first. A term starts
    /// where a word starts, so it never takes the end of a word the official typed (醉酒驾驶
    /// is not 醉+酒驾+驶); it may end inside one where jieba cut a run-together query
    /// differently (偷排污水 cut 偷/排污/水 holds 偷排): the rest of the query is then cut again
    /// by `recut` (污水).
    pub fn segment(&self, words: &[String], recut: impl Fn(&str) -> Vec<String>) -> Vec<Segment> {
        let mut words = words.to_vec();
        let mut out = Vec::with_capacity(words.len());
        let mut i = 0;
        while i < words.len() {
            // (whole words taken, bytes of the next word taken, the term, its statutory words)
            let mut found = None;
            let mut joined = String::new();
            for (j, w) in words[i..].iter().enumerate() {
                if j > 0 {
                    for (k, _) in w.char_indices().skip(1) {
                        let partial = format!("{joined}{}", &w[..k]);
                        if partial.chars().count() > self.max_key {
                            break;
                        }
                        if let Some(statutory) = self.map.get(&partial) {
                            found = Some((j, k, partial, statutory.clone()));
                        }
                    }
                }
                joined.push_str(w);
                if joined.chars().count() > self.max_key {
                    break;
                }
                if let Some(statutory) = self.map.get(&joined) {
                    found = Some((j + 1, 0, joined.clone(), statutory.clone()));
                }
            }
            match found {
                Some((len, split, typed, statutory)) => {
                    out.push(Segment::Term { typed, statutory });
                    i += len;
                    if split > 0 {
                        let rest = format!("{}{}", &words[i][split..], words[i + 1..].concat());
                        words.truncate(i);
                        words.extend(recut(&rest));
                    }
                }
                None => {
                    out.push(Segment::Plain(words[i].clone()));
                    i += 1;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokenizer::cut_query as cut;

    #[test]
    fn terms_are_found_inside_run_together_queries() {
        let lex = Lexicon::parse("# c\n拆迁\t征收|拆除\n低保\t最低生活保障\n");
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(
            lex.segment(&words(&["房屋", "拆迁", "补偿"]), cut),
            vec![
                Segment::Plain("房屋".into()),
                Segment::Term {
                    typed: "拆迁".into(),
                    statutory: vec!["征收".into(), "拆除".into()]
                },
                Segment::Plain("补偿".into()),
            ]
        );
        assert_eq!(
            lex.segment(&words(&["无关"]), cut),
            vec![Segment::Plain("无关".into())]
        );
        // A key made of several words matches them together, never part of a word.
        let lex = Lexicon::parse("执法证\t行政执法证件\n酒驾\t饮酒后驾驶\n");
        assert!(
            matches!(&lex.segment(&words(&["执法", "证"]), cut)[0], Segment::Term { typed, .. } if typed == "执法证")
        );
        assert_eq!(lex.segment(&words(&["醉酒", "驾驶"]), cut).len(), 2);
        // A term may end inside a word jieba cut differently; the rest is cut again.
        let lex = Lexicon::parse("偷排\t暗管\n");
        assert_eq!(
            lex.segment(&words(&["工厂", "偷", "排污", "水"]), cut)[1..],
            [
                Segment::Term {
                    typed: "偷排".into(),
                    statutory: vec!["暗管".into()]
                },
                Segment::Plain("污水".into()),
            ]
        );
    }

    /// The law files under `dir`, recursively.
    fn law_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("corpus folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                law_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "md" || e == "txt") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_statutory_word_of_the_lexicon_is_in_the_statutes() {
        let text = include_str!("../../corpus/synonyms.tsv");
        let lex = Lexicon::parse(text);
        let mut missing: Vec<&String> = lex.map.values().flatten().collect();
        missing.sort();
        missing.dedup();
        assert!(missing.len() > 300, "{} statutory words", missing.len());
        let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
        let mut files = Vec::new();
        law_files(corpus, &mut files);
        for file in files {
            let law = std::fs::read_to_string(&file)
                .unwrap_or_default()
                .to_lowercase();
            missing.retain(|w| !law.contains(w.as_str()));
            if missing.is_empty() {
                break;
            }
        }
        assert!(missing.is_empty(), "not in any statute: {missing:?}");
        // What officials type for the examples reaches the statute's words.
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        for (typed, statutory) in [
            ("酒驾", "危险驾驶"),
            ("醉驾", "危险驾驶"),
            ("加班", "延长工作时间"),
            ("辞退", "解除劳动合同"),
            ("拆迁", "征收"),
            ("低保", "最低生活保障"),
            ("老赖", "失信被执行人"),
            ("上访", "信访"),
        ] {
            let found = lex.segment(&words(&[typed]), cut);
            assert!(
                matches!(&found[0], Segment::Term { statutory: s, .. } if s.iter().any(|w| w == statutory)),
                "{typed} → {found:?}"
            );
        }
    }

    #[test]
    fn malformed_lines_are_ignored() {
        let lex = Lexicon::parse("no tab here\n\t空\n词\t\n");
        assert!(lex.is_empty());
    }
}
