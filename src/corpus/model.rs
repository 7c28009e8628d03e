//! The parsed shape of one law file: what `parse` produces and `store` saves.

use serde::Serialize;

/// One law file (or one part of a law split over several files, like the 民法典's 编).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParsedLaw {
    /// First `# ` line, e.g. `中华人民共和国民法典`.
    pub title: String,
    /// A second `# ` title line naming the part of a split law, e.g. `物权编`.
    pub part: Option<String>,
    /// Header lines `YYYY年M月D日 …` before `<!-- INFO END -->`, in file order.
    pub events: Vec<HeaderEvent>,
    /// `YYYY-MM-DD` taken from a file name like `标题(2022-02-25).md`.
    pub file_date: Option<String>,
    /// 编/分编/章/节 headings in file order.
    pub headings: Vec<Heading>,
    /// Body paragraphs before the first article: the 宪法's 序言, or the text before the
    /// first `一、` item of a 决定 (为了…作出如下决定：).
    pub preamble: Option<Preamble>,
    /// The citable units: `第N条` articles; else the `一、` `二、` items as 第一条, 第二条…;
    /// else (a text with neither) one unit per paragraph, numbered by `sub` (see `units`).
    pub articles: Vec<Article>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderEvent {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The rest of the line, e.g. `第十三届全国人民代表大会第三次会议通过`.
    pub text: String,
    pub kind: EventKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 通过 (adopted, approved)
    Adopted,
    /// 公布 / 发布 (promulgated)
    Promulgated,
    /// 施行 (in force)
    Effective,
    /// 修正 (amended)
    Amended,
    /// 修订 (revised)
    Revised,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeadingLevel {
    /// 编
    Bian = 1,
    /// 分编
    FenBian = 2,
    /// 章
    Zhang = 3,
    /// 节
    Jie = 4,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heading {
    pub level: HeadingLevel,
    /// The number in the label, e.g. 3 for `第三章`.
    pub number: u32,
    /// Normalised label, e.g. `第三章`.
    pub label: String,
    /// The name after the label, e.g. `信访事项的提出和受理` (may be empty).
    pub name: String,
    /// Index in `headings` of the enclosing heading (a 节's 章, a 章's 编), if any.
    pub parent: Option<usize>,
    /// Index in `articles` of the first article after this heading.
    pub first_article: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preamble {
    /// `序言` when the file names it so or items follow it, otherwise `正文`.
    pub label: String,
    pub paragraphs: Vec<Paragraph>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// The article number: 123 for `第一百二十三条之一`, 2 for the item `二、`; 0 for a
    /// paragraph unit.
    pub no: u32,
    /// The 之N suffix: 1 for `第一百二十三条之一`, 0 for a plain article; the paragraph's
    /// number for a paragraph unit (no 0).
    pub sub: u32,
    /// Normalised label, e.g. `第一百二十三条之一`.
    pub label: String,
    /// Index in `headings` of the innermost heading above this article.
    pub heading: Option<usize>,
    /// The article's paragraphs; the first is the text after the label.
    pub paragraphs: Vec<Paragraph>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    pub kind: ParagraphKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParagraphKind {
    /// 款: a plain paragraph.
    Kuan,
    /// 项: starts `（一）`.
    Xiang,
    /// 目: starts `1.` or `1．`.
    Mu,
    /// A Markdown table kept verbatim (lines joined by `\n`).
    Table,
}

impl Article {
    /// The article's text, one paragraph per line (tables keep their own lines).
    pub fn text(&self) -> String {
        join_paragraphs(&self.paragraphs)
    }
}

impl Preamble {
    pub fn text(&self) -> String {
        join_paragraphs(&self.paragraphs)
    }
}

fn join_paragraphs(paragraphs: &[Paragraph]) -> String {
    let mut out = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.text);
    }
    out
}

impl ParsedLaw {
    /// The version date: the file name's date, else the newest header event.
    pub fn version_date(&self) -> Option<String> {
        self.file_date
            .clone()
            .or_else(|| self.events.iter().map(|e| e.date.clone()).max())
    }

    /// Headings from the outermost down to the one directly above `article`.
    pub fn heading_path(&self, article: &Article) -> Vec<&Heading> {
        let mut path = Vec::new();
        let mut next = article.heading;
        while let Some(i) = next {
            let Some(h) = self.headings.get(i) else { break };
            path.push(h);
            next = h.parent;
        }
        path.reverse();
        path
    }
}
