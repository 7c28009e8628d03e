//! Plain text handling: sentences, item prefixes, the normalised form texts are compared
//! in, and clause windows that keep a stem short.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::numerals::parse_chinese_number;

/// One sentence of an article: split at `。`, `；` and line ends, without its 项 prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sentence<'a> {
    pub text: &'a str,
    /// The punctuation that ended it (`。`, `；`, `：`), or "" at a bare line end.
    pub end: &'a str,
}

/// `（一）` 项 and `1.` 目 prefixes.
static ITEM_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[（(][一二三四五六七八九十]+[）)]|[0-9０-９]{1,2}[.．、])\s*").unwrap()
});

pub(super) fn strip_item_prefix(line: &str) -> Option<&str> {
    ITEM_PREFIX.find(line).map(|m| &line[m.end()..])
}

pub(super) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Splits an article (one paragraph per line) into sentences; tables are skipped.
pub(super) fn sentences(text: &str) -> Vec<Sentence<'_>> {
    fn push<'a>(out: &mut Vec<Sentence<'a>>, text: &'a str, end: &'a str) {
        let text = text.trim();
        if !text.is_empty() {
            out.push(Sentence { text, end });
        }
    }
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('|') || line.starts_with("<!--") {
            continue;
        }
        let body = strip_item_prefix(line).unwrap_or(line);
        let mut start = 0;
        for (i, c) in body.char_indices() {
            if matches!(c, '。' | '；' | ';') {
                let next = i + c.len_utf8();
                push(&mut out, &body[start..i], &body[i..next]);
                start = next;
            }
        }
        let rest = &body[start..];
        match rest.strip_suffix(['：', ':']) {
            Some(text) => push(&mut out, text, &rest[text.len()..]),
            None => push(&mut out, rest, ""),
        }
    }
    out
}

pub(super) fn is_chinese_numeral(c: char) -> bool {
    "零〇○一二两三四五六七八九十百千万亿".contains(c)
}

pub(super) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || is_chinese_numeral(c)
}

/// `十五`, `15`, `１５`, and Arabic digits with a Chinese myriad (`5万`).
pub(super) fn parse_number(s: &str) -> Option<u32> {
    if let Some(n) = parse_chinese_number(s) {
        return Some(n);
    }
    let (digits, unit) = match s.strip_suffix('万') {
        Some(d) => (d, 10_000),
        None => (s.strip_suffix('亿')?, 100_000_000),
    };
    digits.parse::<u32>().ok()?.checked_mul(unit)
}

/// The form texts are compared in: item prefixes, whitespace and punctuation dropped,
/// full-width digits made ASCII, runs of Chinese numerals read as numbers (`十五日` and
/// `15日` both become `15日`); lines are kept apart by `|` so no match spans two of them.
pub(super) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push('|');
        }
        let line = line.trim();
        for c in strip_item_prefix(line).unwrap_or(line).chars() {
            let c = match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            };
            if is_numeral(c) {
                run.push(c);
                continue;
            }
            flush_number(&mut run, &mut out);
            if c.is_alphanumeric() {
                out.push(c);
            }
        }
        flush_number(&mut run, &mut out);
    }
    out
}

fn flush_number(run: &mut String, out: &mut String) {
    if run.is_empty() {
        return;
    }
    match parse_number(run) {
        Some(n) => out.push_str(&n.to_string()),
        None => out.push_str(run),
    }
    run.clear();
}

/// The whole clauses (split after `，`) covering `range`, grown left and right while they
/// stay within `budget` characters; None if the covering clauses alone are too long.
pub(super) fn window(s: &str, range: Range<usize>, budget: usize) -> Option<Range<usize>> {
    if char_len(s) <= budget {
        return Some(0..s.len());
    }
    let mut clauses = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '，' | ',') {
            clauses.push(start..i);
            start = i + c.len_utf8();
        }
    }
    clauses.push(start..s.len());
    let mut a = clauses.iter().rposition(|c| c.start <= range.start)?;
    let mut b = clauses
        .iter()
        .rposition(|c| c.start < range.end.max(range.start + 1))?;
    let fits = |a: usize, b: usize| char_len(&s[clauses[a].start..clauses[b].end]) <= budget;
    if !fits(a, b) {
        return None;
    }
    loop {
        let mut grew = false;
        if a > 0 && fits(a - 1, b) {
            a -= 1;
            grew = true;
        }
        if b + 1 < clauses.len() && fits(a, b + 1) {
            b += 1;
            grew = true;
        }
        if !grew {
            return Some(clauses[a].start..clauses[b].end);
        }
    }
}
