//! Pure parser for one law file (Markdown from LawRefBook/Laws, or plain text):
//! title, header events, 编/分编/章/节 headings, articles with 款/项/目, tables. A text without
//! `第N条` articles is then divided into items or paragraphs (`units`).
//! Hand-scanned line by line so the whole corpus parses in well under a second.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{
    Article, EventKind, HeaderEvent, Heading, HeadingLevel, Paragraph, ParagraphKind, ParsedLaw,
    Preamble,
};
use super::numerals::{article_label, parse_chinese_number, to_chinese_number};
use super::units;

// Kept here too, where callers have always found it.
pub use super::decode::decode;

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("不是文本文件（二进制内容） / not a text file (binary content)")]
    Binary,
    #[error(
        "无法识别的编码（既不是 UTF-8 也不是 GB18030） / unknown encoding (neither UTF-8 nor GB18030)"
    )]
    Encoding,
    #[error("文件为空或没有标题 / empty file or no title line")]
    Empty,
}

const INFO_END: &str = "<!-- INFO END -->";
const TABLE: &str = "<!-- TABLE -->";
const TABLE_END: &str = "<!-- TABLE END -->";

/// `YYYY年M月D日 rest`, digits ASCII or full-width.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9０-９]{4})年([0-9０-９]{1,2})月([0-9０-９]{1,2})日\s*(.*)$").unwrap()
});
/// `标题(2022-02-25).md`, also with full-width parentheses.
static FILE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*[）)]\s*(?:\.[A-Za-z0-9]+)?$")
        .unwrap()
});

/// Parses one law. `file_name` (a bare name or a path) only supplies `file_date`.
pub fn parse_law(text: &str, file_name: &str) -> Result<ParsedLaw, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A lone CR also ends a line; the empty lines this makes are skipped anyway.
    let lines: Vec<&str> = text.split(['\n', '\r']).map(str::trim).collect();
    let mut i = 0;

    let title = loop {
        let line = *lines.get(i).ok_or(ParseError::Empty)?;
        i += 1;
        let t = line.trim_start_matches('#').trim();
        if !t.is_empty() && !line.starts_with("<!--") {
            break t.to_string();
        }
    };
    skip_blank(&lines, &mut i);
    let mut part = None;
    let part_line = lines.get(i).and_then(|l| l.strip_prefix("# "));
    if let Some(line) = part_line.filter(|l| parse_heading(l.trim(), true).is_none()) {
        part = Some(line.trim().to_string());
        i += 1;
    }

    let events = if let Some(end) = lines[i..].iter().position(|l| *l == INFO_END) {
        let events = header_events(&lines[i..i + end]);
        i += end + 1;
        events
    } else {
        // No marker (plain text): the header is the date lines right after the title.
        let mut events = Vec::new();
        loop {
            skip_blank(&lines, &mut i);
            match lines.get(i).and_then(|l| parse_event(l)) {
                Some(e) => events.push(e),
                None => break,
            }
            i += 1;
        }
        events
    };

    let mut body = Body::default();
    for line in &lines[i..] {
        body.line(line);
    }
    body.flush_table();
    let mut law = ParsedLaw {
        title,
        part,
        events,
        file_date: file_date(file_name),
        headings: body.headings,
        preamble: body.preamble,
        articles: body.articles,
    };
    units::divide(&mut law, &body.heading_at);
    Ok(law)
}

fn skip_blank(lines: &[&str], i: &mut usize) {
    while lines.get(*i).is_some_and(|l| l.is_empty()) {
        *i += 1;
    }
}

/// Header lines are sometimes wrapped mid-sentence (even mid-date): a line that does
/// not start with a year continues the previous one. Lines before any date (a
/// wrapped title, a 文号) are dropped.
fn header_events(lines: &[&str]) -> Vec<HeaderEvent> {
    let mut logical: Vec<String> = Vec::new();
    let skip = |l: &&&str| l.is_empty() || l.starts_with('#') || l.starts_with("<!--");
    for line in lines.iter().filter(|l| !skip(l)) {
        let mut chars = line.trim_start_matches(['(', '（']).chars();
        let starts_year = chars.by_ref().take(4).filter(|&c| is_digit(c)).count() == 4
            && chars.next() == Some('年');
        match logical.last_mut() {
            Some(last) if !starts_year => last.push_str(line),
            _ if starts_year => logical.push(line.to_string()),
            _ => {}
        }
    }
    logical.iter().filter_map(|l| parse_event(l)).collect()
}

/// One `YYYY年M月D日 事件` line, optionally wrapped in parentheses.
fn parse_event(line: &str) -> Option<HeaderEvent> {
    let (line, wrapped) = match line.strip_prefix(['(', '（']) {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let caps = DATE_LINE.captures(line)?;
    let num = |k: usize| parse_chinese_number(&caps[k]);
    let (y, m, d) = (num(1)?, num(2)?, num(3)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut text = caps[4].trim();
    if wrapped {
        text = text.trim_end_matches([')', '）']).trim_end();
    }
    Some(HeaderEvent {
        date: format!("{y:04}-{m:02}-{d:02}"),
        text: text.to_string(),
        kind: event_kind(text),
    })
}

/// First matching rule wins, so `公布施行` is Effective and `…决定》修正` Amended.
fn event_kind(text: &str) -> EventKind {
    const RULES: [(&[&str], EventKind); 5] = [
        (&["修订"], EventKind::Revised),
        (&["修正"], EventKind::Amended),
        (&["施行"], EventKind::Effective),
        (&["公布", "发布"], EventKind::Promulgated),
        (&["通过", "批准", "审议"], EventKind::Adopted),
    ];
    RULES
        .iter()
        .find(|(words, _)| words.iter().any(|w| text.contains(w)))
        .map_or(EventKind::Other, |(_, kind)| *kind)
}

fn file_date(file_name: &str) -> Option<String> {
    let caps = FILE_DATE.captures(file_name)?;
    let num = |k: usize| caps[k].parse::<u32>().ok();
    let (y, m, d) = (num(1)?, num(2)?, num(3)?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Body state: the current heading at each level, the open table or comment.
#[derive(Default)]
struct Body {
    headings: Vec<Heading>,
    preamble: Option<Preamble>,
    articles: Vec<Article>,
    open: [Option<usize>; 4],
    /// For each heading, how many preamble paragraphs preceded it: where it stands in a text
    /// that turns out to have no articles (`units::divide`).
    heading_at: Vec<usize>,
    table: Option<Vec<String>>,
    in_comment: bool,
}

impl Body {
    fn line(&mut self, line: &str) {
        if let Some(rows) = &mut self.table {
            if line == TABLE_END {
                self.flush_table();
            } else if !line.is_empty() {
                rows.push(line.to_string());
            }
            return;
        }
        if self.in_comment {
            self.in_comment = !line.contains("-->");
            return;
        }
        if line.is_empty() {
            return;
        }
        if line.starts_with("<!--") {
            if line == TABLE {
                self.table = Some(Vec::new());
            } else {
                self.in_comment = !line.contains("-->");
            }
            return;
        }
        let marked = line.starts_with('#');
        let text = if marked {
            line.trim_start_matches('#').trim()
        } else {
            line
        };
        if let Some((level, number, name)) = parse_heading(text, marked) {
            self.heading(level, number, name);
        } else if marked {
            // Other Markdown headings: `## 序言` names the preamble; the rest
            // (`## 一、总则`, `## 附则`) are kept as plain text.
            if self.articles.is_empty() && squeeze(text) == "序言" {
                self.preamble_mut().label = "序言".to_string();
            } else if !text.is_empty() {
                self.push(ParagraphKind::Kuan, text.to_string());
            }
        } else if let Some((no, sub, rest)) = parse_article_start(text) {
            let paragraphs = if rest.is_empty() {
                Vec::new()
            } else {
                vec![Paragraph {
                    kind: ParagraphKind::Kuan,
                    text: rest.to_string(),
                }]
            };
            let heading = self.open.iter().rev().find_map(|h| *h);
            let label = article_label(no, sub);
            self.articles.push(Article {
                no,
                sub,
                label,
                heading,
                paragraphs,
            });
        } else {
            self.push(paragraph_kind(text), text.to_string());
        }
    }

    fn heading(&mut self, level: HeadingLevel, number: u32, name: String) {
        let depth = level as usize - 1;
        let parent = self.open[..depth].iter().rev().find_map(|h| *h);
        let suffix = match level {
            HeadingLevel::Bian => "编",
            HeadingLevel::FenBian => "分编",
            HeadingLevel::Zhang => "章",
            HeadingLevel::Jie => "节",
        };
        let label = format!("第{}{suffix}", to_chinese_number(number));
        let first_article = self.articles.len();
        let preamble_len = self.preamble.as_ref().map_or(0, |p| p.paragraphs.len());
        self.heading_at.push(preamble_len);
        self.headings.push(Heading {
            level,
            number,
            label,
            name,
            parent,
            first_article,
        });
        self.open[depth] = Some(self.headings.len() - 1);
        self.open[depth + 1..].fill(None);
    }

    fn preamble_mut(&mut self) -> &mut Preamble {
        self.preamble.get_or_insert_with(|| Preamble {
            label: "正文".to_string(),
            paragraphs: Vec::new(),
        })
    }

    /// Adds a paragraph to the current article, or to the preamble before the first.
    fn push(&mut self, kind: ParagraphKind, text: String) {
        let paragraph = Paragraph { kind, text };
        match self.articles.last_mut() {
            Some(article) => article.paragraphs.push(paragraph),
            None => self.preamble_mut().paragraphs.push(paragraph),
        }
    }

    fn flush_table(&mut self) {
        if let Some(rows) = self.table.take().filter(|r| !r.is_empty()) {
            self.push(ParagraphKind::Table, rows.join("\n"));
        }
    }
}

const CHINESE_NUMERALS: &str = "零〇○一二两三四五六七八九十百千万";

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_numeral(c: char) -> bool {
    is_digit(c) || CHINESE_NUMERALS.contains(c)
}

/// Splits a leading numeral: `十七条…` → (17, `条…`). Zero and overflow are rejected.
fn leading_number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !is_numeral(c)).unwrap_or(s.len());
    let n = parse_chinese_number(&s[..end]).filter(|&n| n > 0)?;
    Some((n, &s[end..]))
}

/// `第三章 名称` → (Zhang, 3, `名称`). After a `#` anything may follow the label
/// (`## 第一章总则` occurs); in plain text a separator or the line end must.
fn parse_heading(text: &str, marked: bool) -> Option<(HeadingLevel, u32, String)> {
    let (number, rest) = leading_number(text.strip_prefix(['第', '笫'])?)?;
    let (level, rest) = if let Some(r) = rest.strip_prefix("分编") {
        (HeadingLevel::FenBian, r)
    } else if let Some(r) = rest.strip_prefix('编') {
        (HeadingLevel::Bian, r)
    } else if let Some(r) = rest.strip_prefix('章') {
        (HeadingLevel::Zhang, r)
    } else {
        (HeadingLevel::Jie, rest.strip_prefix('节')?)
    };
    let separated = rest.is_empty() || rest.starts_with(char::is_whitespace);
    (marked || separated).then(|| (level, number, squeeze(rest)))
}

/// `第十七条之一 正文` → (17, 1, `正文`). Accepts the corpus defects `第七十五 条正文`
/// (space before 条, none after) and `笫` for `第`.
fn parse_article_start(text: &str) -> Option<(u32, u32, &str)> {
    let (no, rest) = leading_number(text.strip_prefix(['第', '笫'])?)?;
    let after_no = rest.trim_start();
    let spaced = after_no.len() != rest.len();
    let mut rest = after_no.strip_prefix('条')?;
    let mut sub = 0;
    if let Some(r) = rest.strip_prefix('之') {
        (sub, rest) = leading_number(r)?;
    }
    if rest.is_empty() || spaced || rest.starts_with(char::is_whitespace) {
        Some((no, sub, rest.trim()))
    } else {
        None
    }
}

/// 项 `（一）`/`(一)`, 目 `1.`/`1．`/`1、`/`（1）`, else 款.
fn paragraph_kind(text: &str) -> ParagraphKind {
    if let Some(inner) = text.strip_prefix(['（', '(']) {
        let end = inner.find(|c: char| !is_numeral(c)).unwrap_or(inner.len());
        if end > 0 && inner[end..].starts_with(['）', ')']) {
            let arabic = inner[..end].chars().all(is_digit);
            return if arabic {
                ParagraphKind::Mu
            } else {
                ParagraphKind::Xiang
            };
        }
        return ParagraphKind::Kuan;
    }
    let end = text.find(|c: char| !is_digit(c));
    if let Some(end) = end.filter(|&e| e > 0) {
        let mut rest = text[end..].chars();
        if matches!(rest.next(), Some('.' | '．' | '、')) && !rest.next().is_some_and(is_digit) {
            return ParagraphKind::Mu;
        }
    }
    ParagraphKind::Kuan
}

/// Trims and drops whitespace between CJK characters (`附　　则` → `附则`), keeping
/// one space between Latin words.
fn squeeze(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if latin(out.chars().last()) && latin(word.chars().next()) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
