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

/// A piece of a query after lexicon lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Plain(String),
    /// A lexicon term: match the term itself or any of its statutory words.
    Term { typed: String, statutory: Vec<String> },
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
            let Some((typed, words)) = line.split_once('\t') else { continue };
            let typed = typed.trim().to_lowercase();
            let words: Vec<String> = words
                .split('|')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty() && *w != typed)
                .collect();
            if typed.is_empty() || words.is_empty() {
                continue;
            }
            lex.max_key = lex.max_key.max(typed.chars().count());
            lex.map.entry(typed).or_default().extend(words);
        }
        lex
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn get(&self, typed: &str) -> Option<&[String]> {
        self.map.get(typed).map(Vec::as_slice)
    }

    /// Splits `text` into plain runs and lexicon terms, longest match first, left to right.
    pub fn segment(&self, text: &str) -> Vec<Segment> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut plain_start = 0;
        let mut i = 0;
        while i < chars.len() {
            let start = chars[i].0;
            let found = (1..=self.max_key.min(chars.len() - i)).rev().find_map(|len| {
                let end = chars.get(i + len).map_or(text.len(), |c| c.0);
                let key = &text[start..end];
                self.map.get(key).map(|words| (len, key, words))
            });
            match found {
                Some((len, key, words)) => {
                    if plain_start < start {
                        out.push(Segment::Plain(text[plain_start..start].to_string()));
                    }
                    out.push(Segment::Term { typed: key.to_string(), statutory: words.clone() });
                    i += len;
                    plain_start = chars.get(i).map_or(text.len(), |c| c.0);
                }
                None => i += 1,
            }
        }
        if plain_start < text.len() {
            out.push(Segment::Plain(text[plain_start..].to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_found_inside_run_together_queries() {
        let lex = Lexicon::parse("# c\n拆迁\t征收|拆除\n低保\t最低生活保障\n");
        assert_eq!(
            lex.segment("房屋拆迁补偿"),
            vec![
                Segment::Plain("房屋".into()),
                Segment::Term { typed: "拆迁".into(), statutory: vec!["征收".into(), "拆除".into()] },
                Segment::Plain("补偿".into()),
            ]
        );
        assert_eq!(lex.segment("无关"), vec![Segment::Plain("无关".into())]);
    }

    #[test]
    fn malformed_lines_are_ignored() {
        let lex = Lexicon::parse("no tab here\n\t空\n词\t\n");
        assert!(lex.is_empty());
    }
}
