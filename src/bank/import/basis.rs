//! The 依据 column: `《信访工作条例》第二十二条`, several separated by `；` (or new lines), several
//! articles of one law as `《行政处罚法》第三十二条、第三十三条` or `…第三十二条；第三十三条`.
//! Paragraphs and items (`第一款`, `第（二）项`) are accepted and not kept: a basis is an article,
//! or a preamble (`《宪法》序言`, the 序言 of a 决定), stored as article 0.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::numerals::{parse_article_ref, unit_label};

/// One article as the file names it, not yet looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasisRef {
    /// The law as typed, brackets removed: `信访工作条例`, `中华人民共和国行政处罚法`, `处罚法`.
    pub law: String,
    pub article_no: u32,
    pub article_sub: u32,
}

static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(
        r"[第笫]\s*[零〇○一二两三四五六七八九十百千0-9０-９]+\s*条(?:\s*之\s*[零一二三四五六七八九十0-9０-９]+)?|序言",
    )
        .expect("article pattern")
});

/// The articles named in a cell, and a message for each part that names none.
pub fn parse(cell: &str) -> (Vec<BasisRef>, Vec<String>) {
    let mut refs: Vec<BasisRef> = Vec::new();
    let mut unread = Vec::new();
    let mut law = String::new();
    for part in cell.split(['；', ';', '\n', '\r']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let mut found = false;
        let mut from = 0;
        for m in ARTICLE.find_iter(part) {
            // A law named between two articles (`《甲法》第一条、《乙法》第二条`) applies from there.
            let name = law_name(&part[from..m.start()]);
            if !name.is_empty() {
                law = name;
            }
            from = m.end();
            found = true;
            let unit = match m.as_str() {
                "序言" => Some((0, 0)),
                article => parse_article_ref(article),
            };
            let Some((no, sub)) = unit else {
                unread.push(format!("无法识别条文「{}」", m.as_str()));
                continue;
            };
            if law.is_empty() {
                unread.push(format!("依据「{part}」没有写明法规名称，已忽略"));
                break;
            }
            let r = BasisRef {
                law: law.clone(),
                article_no: no,
                article_sub: sub,
            };
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        if !found {
            unread.push(format!(
                "依据「{part}」没有写明条文（如 第二十二条），已忽略"
            ));
        }
    }
    (refs, unread)
}

static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern: compiling it cannot fail.
    Regex::new(r"[第笫][（(]?[零〇一二两三四五六七八九十0-9０-９]+[）)]?[款项目]")
        .expect("paragraph pattern")
});

/// The law named in the text before an article: the text inside the last `《》` if any, else
/// the text without paragraph references (`第一款`), connectives (`、`, `和`, `及`) and leading
/// words such as 根据/依据. Empty when no law is named there.
fn law_name(before: &str) -> String {
    if let Some(open) = before.rfind('《') {
        let inner = &before[open + '《'.len_utf8()..];
        let inner = inner.split('》').next().unwrap_or(inner);
        return squeeze(inner);
    }
    let text = PARAGRAPH.replace_all(before, "");
    let mut name = text.trim();
    for prefix in ["根据", "依据", "按照", "参见", "见"] {
        name = name.strip_prefix(prefix).unwrap_or(name);
    }
    let name = squeeze(name.trim_end_matches('的'));
    let connective = |c: char| {
        matches!(
            c,
            '、' | '，' | ',' | '和' | '及' | '以' | '与' | '或' | '.' | '。'
        )
    };
    if name.chars().all(connective) {
        return String::new();
    }
    name
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》'))
        .collect()
}

/// How a stored basis is written back: `《中华人民共和国行政处罚法》第三十二条`, joined by `；`.
pub fn format(items: &[(String, u32, u32)]) -> String {
    items
        .iter()
        .map(|(title, no, sub)| format!("《{title}》{}", unit_label(*no, *sub)))
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preamble_is_cited_as_unit_zero_and_written_back_as_xuyan() {
        let (refs, unread) = parse("《宪法》序言；《宪法》第一条");
        assert!(unread.is_empty(), "{unread:?}");
        let units: Vec<_> = refs
            .iter()
            .map(|r| (r.law.as_str(), r.article_no, r.article_sub))
            .collect();
        assert_eq!(units, [("宪法", 0, 0), ("宪法", 1, 0)]);
        assert_eq!(
            format(&[("中华人民共和国宪法".into(), 0, 0)]),
            "《中华人民共和国宪法》序言"
        );
    }
}
