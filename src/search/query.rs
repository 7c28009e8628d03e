//! What an official typed, taken apart: a direct article reference (`信访工作条例第十七条`,
//! `行政处罚法 第36条`, `民法典1079条`), quoted exact phrases, and the remaining keywords.

use std::sync::LazyLock;

use regex::Regex;

use super::names::{LawNames, Resolution};
use crate::corpus::numerals::parse_chinese_number;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedQuery {
    /// A direct reference: the statute named before it (if any) and the article.
    pub reference: Option<ArticleRef>,
    /// Quoted text that must occur verbatim.
    pub phrases: Vec<String>,
    /// Everything else, to be segmented into keywords.
    pub keywords: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRef {
    pub statute_id: Option<i64>,
    pub no: u32,
    pub sub: u32,
}

static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""([^"]+)"|“([^”]+)”|「([^」]+)」|'([^']+)'"#).unwrap_or_else(|_| unreachable!())
});

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第?\s*([零〇一二两三四五六七八九十百千0-9０-９]+)\s*条(?:之([一二三四五六七八九十0-9]+))?")
        .unwrap_or_else(|_| unreachable!())
});

/// Splits a query. An article reference counts only when a law name precedes it, or when the
/// search is already limited to one law (`law_filter`); otherwise `第十七条` stays a keyword.
pub fn parse(input: &str, names: &LawNames, law_filter: Option<i64>) -> ParsedQuery {
    let mut rest = String::with_capacity(input.len());
    let mut phrases = Vec::new();
    let mut last = 0;
    for caps in QUOTED.captures_iter(input) {
        let Some(whole) = caps.get(0) else { continue };
        rest.push_str(&input[last..whole.start()]);
        rest.push(' ');
        if let Some(p) = (1..=4).find_map(|i| caps.get(i)) {
            let p = p.as_str().trim();
            if !p.is_empty() {
                phrases.push(p.to_string());
            }
        }
        last = whole.end();
    }
    rest.push_str(&input[last..]);

    let mut reference = None;
    if let Some(caps) = ARTICLE.captures(&rest) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        let no = caps.get(1).and_then(|m| parse_chinese_number(m.as_str()));
        let sub = match caps.get(2) {
            Some(m) => parse_chinese_number(m.as_str()),
            None => Some(0),
        };
        let before = &rest[..whole.start];
        let named = names
            .suffix(before)
            .or_else(|| short_form_before(names, before));
        if let (Some(no), Some(sub)) = (no, sub) {
            let statute_id = named.map(|(id, _)| id).or(law_filter);
            if statute_id.is_some() && no > 0 {
                reference = Some(ArticleRef {
                    statute_id,
                    no,
                    sub,
                });
                let name_start = named.map_or(whole.start, |(_, at)| at);
                rest = format!("{} {}", &rest[..name_start], &rest[whole.end..]);
            }
        }
    }
    let keywords = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    ParsedQuery {
        reference,
        phrases,
        keywords,
    }
}

/// A short law name written right before the article number (`信访第二十条`), when it means
/// one statute. Separated by a space (`罚款 第十条`) it stays a keyword.
fn short_form_before(names: &LawNames, before: &str) -> Option<(i64, usize)> {
    if before.is_empty() || before.ends_with(char::is_whitespace) {
        return None;
    }
    let at = before
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    match names.resolve(&before[at..]) {
        Resolution::Found(ids) => ids.first().map(|id| (*id, at)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::store::StatuteName;

    fn names() -> LawNames {
        let s = |id, title: &str| StatuteName {
            statute_id: id,
            title: title.into(),
            short_title: crate::corpus::classify::short_title(title),
            level: "法律".into(),
            region: "全国".into(),
            repealed: 0,
            law_id: Some(id),
        };
        LawNames::new(
            &[
                s(1, "信访工作条例"),
                s(2, "中华人民共和国行政处罚法"),
                s(3, "中华人民共和国民法典"),
            ],
            &[],
        )
    }

    fn reference(q: &str) -> Option<(Option<i64>, u32, u32)> {
        parse(q, &names(), None)
            .reference
            .map(|r| (r.statute_id, r.no, r.sub))
    }

    #[test]
    fn references_in_every_form_officials_type() {
        assert_eq!(reference("信访工作条例第十七条"), Some((Some(1), 17, 0)));
        assert_eq!(reference("行政处罚法 第36条"), Some((Some(2), 36, 0)));
        assert_eq!(reference("民法典1079条"), Some((Some(3), 1079, 0)));
        assert_eq!(
            reference("《中华人民共和国民法典》第一千零七十九条"),
            Some((Some(3), 1079, 0))
        );
        assert_eq!(
            reference("信访工作条例第十七条之一"),
            Some((Some(1), 17, 1))
        );
    }

    #[test]
    fn a_short_form_right_before_the_number_names_the_law() {
        assert_eq!(reference("信访第二十条"), Some((Some(1), 20, 0)));
        assert_eq!(reference("期限 处罚第三条"), Some((Some(2), 3, 0)));
        assert_eq!(
            reference("信访 第二十条"),
            None,
            "a separate word stays a keyword"
        );
        let q = parse("信访第二十条", &names(), None);
        assert_eq!(q.keywords, "");
    }

    #[test]
    fn a_bare_article_number_is_a_keyword_unless_a_law_is_chosen() {
        assert_eq!(reference("第十七条"), None);
        let q = parse("第十七条", &names(), Some(1));
        assert_eq!(
            q.reference,
            Some(ArticleRef {
                statute_id: Some(1),
                no: 17,
                sub: 0
            })
        );
    }

    #[test]
    fn quotes_become_phrases_and_the_rest_keywords() {
        let q = parse("“信访事项” 期限 \"六十日\"", &names(), None);
        assert_eq!(q.phrases, vec!["信访事项", "六十日"]);
        assert_eq!(q.keywords, "期限");
        let q = parse("行政处罚法第三十六条 时效", &names(), None);
        assert_eq!(q.keywords, "时效");
    }
}
