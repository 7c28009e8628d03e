//! What to practise: a law, one of its chapters or articles, a tag, my weak points, or
//! today's review (每日一练). Parsed once from the API body or the page's query string.

use serde::{Deserialize, Serialize};

use super::PracticeError;

/// Questions in a session unless the request asks for fewer or more.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// Questions in a 每日一练 unless a request asks otherwise.
pub const DAILY_SIZE: usize = 10;
/// Below this share of right answers (over three or more) a question is a weak point.
pub const WEAK_ACCURACY_PERCENT: i64 = 60;

/// The source as it arrives: `{"source": "law", "law_id": 12}`, `{"source": "chapter",
/// "law_id": 12, "chapter": 3}` (a heading's seq, as `#h-3` on the law page), `{"source":
/// "article", "law_id": 12, "article": "art-22"}` (or `22`, `22-1`), `{"source": "tag",
/// "tag": "信访/受理期限"}`, `{"source": "weak"}`, `{"source": "daily"}` (also `review`).
/// The same fields come as a query string from the law page's 考考我 links.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SourceRequest {
    pub source: String,
    pub law_id: Option<i64>,
    pub chapter: Option<i64>,
    pub article: Option<String>,
    pub tag: Option<String>,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Law { law_id: i64 },
    Chapter { law_id: i64, heading_seq: i64 },
    Article { law_id: i64, no: u32, sub: u32 },
    Tag(String),
    Weak,
    Daily,
}

impl Source {
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Law { .. } => "law",
            Source::Chapter { .. } => "chapter",
            Source::Article { .. } => "article",
            Source::Tag(_) => "tag",
            Source::Weak => "weak",
            Source::Daily => "daily",
        }
    }
}

/// `art-22`, `art-22-1`, `22`, `22-1`, `第二十二条`.
fn parse_article(raw: &str) -> Option<(u32, u32)> {
    let s = raw.trim();
    let s = s.strip_prefix("art-").unwrap_or(s);
    let mut parts = s.splitn(2, '-');
    let no = parts.next()?.parse::<u32>().ok();
    match no {
        Some(no) if no > 0 => {
            let sub = match parts.next() {
                Some(p) => p.parse::<u32>().ok()?,
                None => 0,
            };
            Some((no, sub))
        }
        _ => crate::corpus::numerals::parse_article_ref(s),
    }
}

impl SourceRequest {
    pub fn parse(&self) -> Result<(Source, usize), PracticeError> {
        let bad = |m: &str| PracticeError::BadSource(m.to_string());
        let law = || {
            self.law_id
                .filter(|id| *id > 0)
                .ok_or_else(|| bad("请指定法规（law_id）"))
        };
        let source = match self.source.trim() {
            "law" => Source::Law { law_id: law()? },
            "chapter" => Source::Chapter {
                law_id: law()?,
                heading_seq: self
                    .chapter
                    .filter(|c| *c >= 0)
                    .ok_or_else(|| bad("请指定章节（chapter）"))?,
            },
            "article" => {
                let raw = self.article.as_deref().unwrap_or("");
                let (no, sub) =
                    parse_article(raw).ok_or_else(|| bad("条文格式不对，例如 art-22 或 22"))?;
                Source::Article {
                    law_id: law()?,
                    no,
                    sub,
                }
            }
            "tag" => {
                let tag = self.tag.as_deref().unwrap_or("").trim();
                if tag.is_empty() || tag.chars().count() > 100 {
                    return Err(bad("请指定标签（tag）"));
                }
                Source::Tag(tag.to_string())
            }
            "weak" => Source::Weak,
            "daily" | "review" => Source::Daily,
            "" => return Err(bad("请选择练习范围（source）")),
            other => {
                return Err(bad(&format!(
                    "不认识的练习范围“{other}”，可选 law、chapter、article、tag、weak、daily"
                )));
            }
        };
        let default = if source == Source::Daily {
            DAILY_SIZE
        } else {
            DEFAULT_LIMIT
        };
        let limit = match self.limit {
            None => default,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(_) => return Err(bad(&format!("题量须在 1–{MAX_LIMIT} 之间"))),
        };
        Ok((source, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(source: &str) -> SourceRequest {
        SourceRequest {
            source: source.into(),
            ..Default::default()
        }
    }

    #[test]
    fn sources_parse_with_their_parameters() {
        let mut r = req("article");
        r.law_id = Some(7);
        for (raw, want) in [
            ("art-22", (22, 0)),
            ("22-1", (22, 1)),
            ("第十七条", (17, 0)),
        ] {
            r.article = Some(raw.into());
            assert_eq!(
                r.parse().unwrap().0,
                Source::Article {
                    law_id: 7,
                    no: want.0,
                    sub: want.1
                }
            );
        }
        assert_eq!(req("review").parse().unwrap(), (Source::Daily, DAILY_SIZE));
        assert_eq!(req("weak").parse().unwrap(), (Source::Weak, DEFAULT_LIMIT));
    }

    #[test]
    fn bad_sources_say_what_is_missing() {
        let mut r = req("law");
        assert!(matches!(r.parse(), Err(PracticeError::BadSource(_))));
        r.law_id = Some(3);
        r.limit = Some(0);
        assert!(r.parse().is_err());
        r.limit = Some(101);
        assert!(r.parse().is_err());
        assert!(req("").parse().is_err());
        assert!(req("everything").parse().is_err());
        assert!(req("tag").parse().is_err());
        let mut a = req("article");
        a.law_id = Some(3);
        a.article = Some("art-x".into());
        assert!(a.parse().is_err());
    }
}
