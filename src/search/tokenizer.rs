//! The Chinese tokenizer: jieba in search mode for indexing, default mode for queries.
//!
//! One jieba dictionary for the whole program (loading it costs ~150 ms and ~30 MB, and a
//! copy per analyzer clone would make every results page tens of milliseconds slower).

use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name under which the tokenizer is registered with tantivy.
pub const ZH: &str = "zh";

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the dictionary now rather than on the first request.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Registers the tokenizer; must run after every `Index::create`/`Index::open`.
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(ZH, TextAnalyzer::from(ChineseTokenizer::default()));
}

/// jieba search mode without HMM: dictionary words, plus the shorter words inside longer ones
/// (行政复议 → 行政, 复议, 行政复议), so a query word matches whichever way the text was cut.
#[derive(Clone, Default)]
pub struct ChineseTokenizer {
    tokens: Vec<Token>,
}

pub struct ChineseTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = ChineseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ChineseTokenStream<'a> {
        self.tokens.clear();
        for t in JIEBA.cut_for_search(text, false) {
            if !is_word(t.word) {
                continue;
            }
            let mut push = |from: usize, to: usize, word: &str| {
                self.tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position: 0,
                    text: word.to_lowercase(),
                    position_length: 1,
                });
            };
            push(t.byte_start, t.byte_end, t.word);
            for (from, word) in long_parts(t.word) {
                let start = t.byte_start + from;
                push(start, start + word.len(), word);
            }
        }
        // Search mode emits a compound after its parts; tantivy's snippets need offsets in order.
        self.tokens.sort_by_key(|t| (t.offset_from, t.offset_to));
        for (i, t) in self.tokens.iter_mut().enumerate() {
            t.position = i;
        }
        ChineseTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for ChineseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The dictionary words of four or more characters inside a longer word, with their byte
/// offsets in it. Search mode emits only two- and three-character parts, so 行政诉讼 (typed
/// alone, one dictionary word) would never match the title 行政诉讼法.
fn long_parts(word: &str) -> Vec<(usize, &str)> {
    let bounds: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect();
    let chars = bounds.len() - 1;
    let mut parts = Vec::new();
    for len in 4..chars {
        for start in 0..=chars - len {
            let part = &word[bounds[start]..bounds[start + len]];
            if JIEBA.has_word(part) {
                parts.push((bounds[start], part));
            }
        }
    }
    parts
}

/// A token worth indexing: not punctuation or spaces.
fn is_word(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

/// Query segmentation (default mode, no HMM), punctuation dropped, lowercased.
pub fn cut_query(text: &str) -> Vec<String> {
    JIEBA
        .cut(text, false)
        .into_iter()
        .filter(|t| is_word(t.word))
        .map(|t| t.word.to_lowercase())
        .collect()
}

/// How rare a word is in everyday Chinese: ln of how many times more often the commonest word
/// (的) occurs in jieba's general-language dictionary. 说, 他们, 这种 score 0–2; 宾馆, 土葬,
/// 辞退 5–8; a word jieba does not know is scored from its parts, so it is rarer still.
pub fn everyday_rarity(word: &str) -> f32 {
    static COMMONEST: LazyLock<f64> = LazyLock::new(|| JIEBA.suggest_freq("的") as f64);
    (*COMMONEST / JIEBA.suggest_freq(word).max(1) as f64).ln() as f32
}

/// The shorter dictionary words inside `word` (search mode), excluding `word` itself.
pub fn sub_words(word: &str) -> Vec<String> {
    let mut subs: Vec<String> = JIEBA
        .cut_for_search(word, false)
        .into_iter()
        .filter(|t| is_word(t.word) && t.word != word)
        .map(|t| t.word.to_lowercase())
        .collect();
    subs.dedup();
    subs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut tok = ChineseTokenizer::default();
        let mut stream = tok.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().offset_from));
        }
        out
    }

    #[test]
    fn search_mode_yields_parts_and_compound_in_offset_order() {
        let toks = tokens("申请行政复议，");
        let words: Vec<_> = toks.iter().map(|(w, _)| w.as_str()).collect();
        assert!(words.contains(&"行政") && words.contains(&"复议") && words.contains(&"行政复议"));
        assert!(!words.contains(&"，"), "punctuation is dropped: {words:?}");
        assert!(
            toks.windows(2).all(|w| w[0].1 <= w[1].1),
            "offsets never go backwards"
        );
    }

    #[test]
    fn a_law_name_also_yields_its_four_character_words() {
        let words: Vec<String> = tokens("中华人民共和国行政诉讼法")
            .into_iter()
            .map(|(w, _)| w)
            .collect();
        assert!(words.contains(&"行政诉讼".to_string()), "{words:?}");
        assert_eq!(cut_query("行政诉讼"), vec!["行政诉讼"]);
    }

    #[test]
    fn queries_are_cut_into_words() {
        assert_eq!(
            cut_query("信访事项受理期限"),
            vec!["信访", "事项", "受理", "期限"]
        );
        assert!(cut_query("，。！").is_empty());
    }

    #[test]
    fn everyday_words_are_less_rare_than_legal_ones() {
        for (common, rare) in [("说", "土葬"), ("他们", "宾馆"), ("这种", "辞退")] {
            assert!(
                everyday_rarity(common) + 3.0 < everyday_rarity(rare),
                "{common} {} / {rare} {}",
                everyday_rarity(common),
                everyday_rarity(rare)
            );
        }
        assert!(everyday_rarity("的").abs() < 0.01);
    }
}
