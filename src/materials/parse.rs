//! Parsing a study note (`corpus/materials/*.md`): front matter naming the law, `## ` sections,
//! and every article mention in them. Pure: no files, no database.
//!
//! A note starts with
//! ```text
//! ---
//! slug: xingzheng-chufa
//! law: 中华人民共和国行政处罚法
//! title: 行政处罚法学习要点
//! ---
//! ```
//! then `## 立法目的与适用范围`, `## 必知条文`, `## 常见误区`, `## 以案释法` (others may follow).
//! `第十七条` means the note's own law; `《X》第十七条` (the title right before 第) another one.

use std::sync::LazyLock;

use regex::Regex;

use crate::corpus::numerals::parse_chinese_number;

/// The sections every note must have, in this order.
pub const REQUIRED_SECTIONS: [&str; 4] = ["立法目的与适用范围", "必知条文", "常见误区", "以案释法"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The page's name: `/materials/{slug}`.
    pub slug: String,
    /// The law's full title, as imported.
    pub law: String,
    pub title: String,
    /// Text between the front matter and the first section.
    pub intro: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// 1-based: the anchor `sec-N`.
    pub no: usize,
    pub heading: String,
    /// The Markdown body, without the heading line.
    pub body: String,
}

impl Section {
    pub fn anchor(&self) -> String {
        format!("sec-{}", self.no)
    }
}

/// An article named in a note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range of the mention (with its 《title》 when it has one) in the text searched.
    pub start: usize,
    pub end: usize,
    /// The title written before it; None: the note's own law.
    pub law: Option<String>,
    pub no: u32,
    pub sub: u32,
}

impl Mention {
    /// The law the mention means, given the note's.
    pub fn law_or<'a>(&'a self, own: &'a str) -> &'a str {
        self.law.as_deref().unwrap_or(own)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ParseError {
    pub file: String,
    pub message: String,
}

static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "(?:《([^》《]{1,40})》)?第([零〇一二三四五六七八九十百千两0-9]{1,8})条(?:之([一二三四五六七八九十0-9]{1,3}))?",
    )
    .expect("mention pattern")
});

/// Every article mention in `text`, in order. A number that does not read (第条) is skipped.
pub fn mentions(text: &str) -> Vec<Mention> {
    MENTION
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let no = parse_chinese_number(c.get(2)?.as_str()).filter(|n| *n > 0)?;
            let sub = match c.get(3) {
                Some(s) => parse_chinese_number(s.as_str())?,
                None => 0,
            };
            Some(Mention {
                start: whole.start(),
                end: whole.end(),
                law: c.get(1).map(|m| m.as_str().trim().to_string()),
                no,
                sub,
            })
        })
        .collect()
}

/// Parses one note; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Note, ParseError> {
    let err = |message: String| ParseError {
        file: file.to_string(),
        message,
    };
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .ok_or_else(|| err("must start with front matter (---)".into()))?;
    let (front, body) = rest
        .split_once("\n---\n")
        .ok_or_else(|| err("front matter is not closed (---)".into()))?;
    let (mut slug, mut law, mut title) = (None, None, None);
    for line in front.lines().filter(|l| !l.trim().is_empty()) {
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| err(format!("front matter line without a key: {line}")))?;
        let value = value.trim().to_string();
        match key.trim() {
            "slug" => slug = Some(value),
            "law" => law = Some(value),
            "title" => title = Some(value),
            other => return Err(err(format!("unknown front matter key: {other}"))),
        }
    }
    let slug = slug.ok_or_else(|| err("front matter lacks slug".into()))?;
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(err(format!("slug must be lowercase ASCII words: {slug}")));
    }
    let law = law
        .filter(|l| !l.is_empty())
        .ok_or_else(|| err("front matter lacks law".into()))?;
    let title = title.unwrap_or_else(|| format!("《{law}》学习资料"));

    let mut intro = String::new();
    let mut sections: Vec<Section> = Vec::new();
    for line in body.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push(Section {
                no: sections.len() + 1,
                heading: heading.trim().to_string(),
                body: String::new(),
            });
            continue;
        }
        let into = match sections.last_mut() {
            Some(s) => &mut s.body,
            None => &mut intro,
        };
        into.push_str(line);
        into.push('\n');
    }
    for s in &mut sections {
        s.body = s.body.trim().to_string();
    }
    let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
    let mut at = 0;
    for required in REQUIRED_SECTIONS {
        match headings[at..].iter().position(|h| *h == required) {
            Some(i) => at += i + 1,
            None => {
                return Err(err(format!(
                    "section ## {required} missing or out of order"
                )));
            }
        }
    }
    if let Some(empty) = sections.iter().find(|s| s.body.is_empty()) {
        return Err(err(format!("section ## {} is empty", empty.heading)));
    }
    Ok(Note {
        slug,
        law,
        title,
        intro: intro.trim().to_string(),
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "---\nslug: demo\nlaw: 中华人民共和国行政处罚法\ntitle: 示例\n---\n\
        导言。\n\n## 立法目的与适用范围\n第一条讲目的。\n\n## 必知条文\n- **第九条** 种类。\n\
        - **第三十六条** 时效；另见《中华人民共和国行政强制法》第十条之一。\n\n\
        ## 常见误区\n误区。\n\n## 以案释法\n依照第五十一条处理。\n";

    #[test]
    fn a_note_parses_into_its_sections() {
        let n = parse("demo.md", NOTE).expect("parses");
        assert_eq!(n.slug, "demo");
        assert_eq!(n.law, "中华人民共和国行政处罚法");
        assert_eq!(n.intro, "导言。");
        let headings: Vec<_> = n.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, REQUIRED_SECTIONS);
        assert_eq!(n.sections[1].anchor(), "sec-2");
    }

    #[test]
    fn mentions_of_the_own_law_and_of_another_law_are_found() {
        let n = parse("demo.md", NOTE).expect("parses");
        let m = mentions(&n.sections[1].body);
        let got: Vec<_> = m.iter().map(|m| (m.law.as_deref(), m.no, m.sub)).collect();
        assert_eq!(
            got,
            [
                (None, 9, 0),
                (None, 36, 0),
                (Some("中华人民共和国行政强制法"), 10, 1)
            ]
        );
        let body = &n.sections[1].body;
        assert_eq!(&body[m[0].start..m[0].end], "第九条");
        assert_eq!(m[1].law_or(&n.law), "中华人民共和国行政处罚法");
    }

    #[test]
    fn arabic_numbers_and_large_numbers_read() {
        let m = mentions("见第123条和第一百零八条，第条不算。");
        assert_eq!(
            m.iter().map(|m| m.no).collect::<Vec<_>>(),
            [123, 108],
            "{m:?}"
        );
    }

    #[test]
    fn broken_notes_are_errors_not_panics() {
        let cases = [
            ("no front matter", "## 必知条文\n"),
            ("unclosed", "---\nslug: a\n"),
            ("no law", "---\nslug: a\n---\n"),
            ("bad slug", "---\nslug: A B\nlaw: x\n---\n"),
            (
                "missing section",
                "---\nslug: a\nlaw: x\n---\n## 必知条文\n第一条\n",
            ),
        ];
        for (what, text) in cases {
            assert!(parse("x.md", text).is_err(), "{what}");
        }
        let empty = NOTE.replace("误区。", "");
        assert!(
            parse("x.md", &empty)
                .unwrap_err()
                .message
                .contains("常见误区")
        );
    }
}
