//! An exam's definition: the JSON body of `POST /api/admin/exams` and of
//! `xuefa exams create FILE.json`, and its validated form. Missing fields take the defaults
//! of the government platforms (DESIGN.md "Exams").

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ExamError;
use super::grade::MultipleRule;
use crate::accounts::Role;
use crate::bank::model::QuestionType;

pub const DEFAULT_COUNT: u32 = 50;
/// 50 questions of 2 points: 100.
pub const DEFAULT_POINTS: f64 = 2.0;
pub const DEFAULT_MINUTES: u32 = 90;
pub const DEFAULT_PASS: f64 = 60.0;
pub const DEFAULT_ATTEMPTS: u32 = 3;
const MAX_QUESTIONS: u32 = 500;
const MAX_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamKind {
    /// 年度学法考试
    Annual,
    /// 执法资格考试: passing it leads to an enforcement certificate.
    Qualification,
    Quiz,
}

impl ExamKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamKind::Annual => "annual",
            ExamKind::Qualification => "qualification",
            ExamKind::Quiz => "quiz",
        }
    }

    pub fn parse(s: &str) -> Option<ExamKind> {
        match s {
            "annual" => Some(ExamKind::Annual),
            "qualification" => Some(ExamKind::Qualification),
            "quiz" => Some(ExamKind::Quiz),
            _ => None,
        }
    }
}

/// Which attempt's score counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Counts {
    #[default]
    Best,
    Last,
}

/// When a taker sees the key, the explanations and the basis of their graded attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    #[default]
    AfterSubmit,
    AfterClose,
    Never,
}

/// Who may sit the exam: anyone matching one of the lists (a unit includes its sub-units).
/// All empty: everyone (within the creating unit administrator's unit).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Audience {
    pub units: Vec<String>,
    pub roles: Vec<String>,
    pub users: Vec<String>,
}

/// A section: a filter on the approved bank with a count, or a fixed list of questions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SectionDef {
    /// e.g. 公共法律知识
    pub name: String,
    /// Law titles (full or without 中华人民共和国); a question citing any of them matches.
    pub laws: Vec<String>,
    /// Tags or tag prefixes (`信访` matches `信访/办理期限`).
    pub tags: Vec<String>,
    /// single, multiple, judge, fill (or 单选 …).
    pub types: Vec<String>,
    /// [MIN, MAX], 1–5.
    pub difficulty: Option<[u8; 2]>,
    /// Questions to draw (default 50); for a fixed list, its length.
    pub count: Option<u32>,
    /// Points per question (default 2).
    pub points: Option<f64>,
    /// A fixed list of question ids instead of a filter.
    pub questions: Option<Vec<i64>>,
}

/// The definition as given (JSON); `validate` turns it into an [`Exam`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamDefinition {
    pub title: String,
    pub kind: ExamKind,
    pub time_limit_minutes: Option<u32>,
    pub pass_score: Option<f64>,
    pub max_attempts: Option<u32>,
    #[serde(default)]
    pub counts: Counts,
    /// RFC 3339, e.g. 2026-03-01T08:00:00+08:00
    pub opens_at: String,
    pub closes_at: String,
    #[serde(default)]
    pub audience: Audience,
    #[serde(default = "yes")]
    pub shuffle: bool,
    #[serde(default)]
    pub review: Review,
    /// Share of a multiple-choice question's points for a correct subset with no wrong pick
    /// (e.g. 0.5); absent: all or nothing.
    pub multiple_partial_credit: Option<f64>,
    /// 执法类别 printed on the certificate a pass of a `qualification` exam issues, e.g.
    /// 综合行政执法; absent: 行政执法.
    pub category: Option<String>,
    pub sections: Vec<SectionDef>,
}

fn yes() -> bool {
    true
}

/// Where a section's questions come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Filter(Filter),
    Fixed(Vec<i64>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub laws: Vec<String>,
    pub tags: Vec<String>,
    pub types: Vec<QuestionType>,
    pub difficulty: (u8, u8),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub name: String,
    pub source: Source,
    pub count: usize,
    /// Hundredths of a point per question.
    pub points: i64,
}

/// A validated exam definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Exam {
    pub title: String,
    pub kind: ExamKind,
    pub time_limit_secs: i64,
    /// Hundredths.
    pub pass_score: i64,
    pub max_score: i64,
    pub max_attempts: i64,
    pub counts: Counts,
    pub opens_at: i64,
    pub closes_at: i64,
    pub audience: Audience,
    pub roles: Vec<Role>,
    pub shuffle: bool,
    pub review: Review,
    pub multiple: MultipleRule,
    pub sections: Vec<Section>,
}

/// Hundredths of a point, refusing negative, fractional-cent and absurd values.
fn hundredths(value: f64, what: &str) -> Result<i64, ExamError> {
    let h = (value * 100.0).round();
    if !value.is_finite() || value < 0.0 || h > 1e9 || (value * 100.0 - h).abs() > 1e-6 {
        return Err(ExamError::invalid(format!(
            "{what}必须是不小于 0 的数，最多两位小数"
        )));
    }
    Ok(h as i64)
}

pub fn parse_time(raw: &str, what: &str) -> Result<i64, ExamError> {
    OffsetDateTime::parse(raw.trim(), &Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| {
            ExamError::invalid(format!(
                "{what}「{raw}」不是有效时间，请写成 2026-03-01T08:00:00+08:00 的形式"
            ))
        })
}

pub fn format_time(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The 执法类别 of a certificate whose exam names none.
pub const DEFAULT_CATEGORY: &str = "行政执法";

impl ExamDefinition {
    /// The 执法类别 of the certificate a pass issues.
    pub fn certificate_category(&self) -> &str {
        match self.category.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => c,
            _ => DEFAULT_CATEGORY,
        }
    }

    /// Checks every field; the first problem is the error, in Chinese.
    pub fn validate(&self) -> Result<Exam, ExamError> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 100 {
            return Err(ExamError::invalid("考试名称不能为空，且不超过 100 个字"));
        }
        if self.certificate_category().chars().count() > 30 {
            return Err(ExamError::invalid("执法类别（category）不超过 30 个字"));
        }
        let minutes = self.time_limit_minutes.unwrap_or(DEFAULT_MINUTES);
        if minutes == 0 || minutes > MAX_MINUTES {
            return Err(ExamError::invalid("考试时长须在 1 到 1440 分钟之间"));
        }
        let opens_at = parse_time(&self.opens_at, "开始时间")?;
        let closes_at = parse_time(&self.closes_at, "结束时间")?;
        if closes_at <= opens_at {
            return Err(ExamError::invalid("结束时间必须晚于开始时间"));
        }
        let max_attempts = self.max_attempts.unwrap_or(DEFAULT_ATTEMPTS);
        if !(1..=100).contains(&max_attempts) {
            return Err(ExamError::invalid("允许考试次数须在 1 到 100 之间"));
        }
        let multiple = match self.multiple_partial_credit {
            None => MultipleRule::AllOrNothing,
            Some(s) if (0.0..=1.0).contains(&s) => MultipleRule::PartialSubset(s),
            Some(_) => return Err(ExamError::invalid("多选题少选得分比例须在 0 到 1 之间")),
        };
        if self.sections.is_empty() {
            return Err(ExamError::invalid("试卷至少要有一个部分（sections）"));
        }
        let sections = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| s.validate(i))
            .collect::<Result<Vec<_>, _>>()?;
        let total: usize = sections.iter().map(|s| s.count).sum();
        if total > MAX_QUESTIONS as usize {
            return Err(ExamError::invalid(format!(
                "一份试卷最多 {MAX_QUESTIONS} 道题，现在是 {total} 道"
            )));
        }
        let max_score: i64 = sections.iter().map(|s| s.points * s.count as i64).sum();
        let pass_score = hundredths(self.pass_score.unwrap_or(DEFAULT_PASS), "及格分")?;
        if pass_score > max_score {
            return Err(ExamError::invalid(format!(
                "及格分 {} 高于试卷总分 {}",
                super::points(pass_score),
                super::points(max_score)
            )));
        }
        let roles = self
            .audience
            .roles
            .iter()
            .map(|r| {
                Role::parse(r)
                    .ok_or_else(|| ExamError::invalid(format!("考试对象中的角色「{r}」不存在")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Exam {
            title: title.to_string(),
            kind: self.kind,
            time_limit_secs: i64::from(minutes) * 60,
            pass_score,
            max_score,
            max_attempts: i64::from(max_attempts),
            counts: self.counts,
            opens_at,
            closes_at,
            audience: self.audience.clone(),
            roles,
            shuffle: self.shuffle,
            review: self.review,
            multiple,
            sections,
        })
    }
}

impl SectionDef {
    fn validate(&self, i: usize) -> Result<Section, ExamError> {
        let name = if self.name.trim().is_empty() {
            format!("第{}部分", i + 1)
        } else {
            self.name.trim().to_string()
        };
        let what = format!("「{name}」");
        let points = hundredths(
            self.points.unwrap_or(DEFAULT_POINTS),
            &format!("{what}每题分值"),
        )?;
        if points == 0 {
            return Err(ExamError::invalid(format!("{what}每题分值必须大于 0")));
        }
        let source = match &self.questions {
            Some(ids) => {
                let has_filter = !self.laws.is_empty()
                    || !self.tags.is_empty()
                    || !self.types.is_empty()
                    || self.difficulty.is_some();
                if has_filter {
                    return Err(ExamError::invalid(format!(
                        "{what}指定了题目（questions），就不能再写筛选条件"
                    )));
                }
                let mut unique = ids.clone();
                unique.sort_unstable();
                unique.dedup();
                if ids.is_empty() || unique.len() != ids.len() {
                    return Err(ExamError::invalid(format!("{what}的题目列表为空或有重复")));
                }
                if self.count.is_some_and(|c| c as usize != ids.len()) {
                    return Err(ExamError::invalid(format!("{what}的题数与题目列表不一致")));
                }
                Source::Fixed(ids.clone())
            }
            None => Source::Filter(self.filter(&what)?),
        };
        let count = match &source {
            Source::Fixed(ids) => ids.len(),
            Source::Filter(_) => self.count.unwrap_or(DEFAULT_COUNT) as usize,
        };
        if count == 0 || count > MAX_QUESTIONS as usize {
            return Err(ExamError::invalid(format!(
                "{what}的题数须在 1 到 {MAX_QUESTIONS} 之间"
            )));
        }
        Ok(Section {
            name,
            source,
            count,
            points,
        })
    }

    fn filter(&self, what: &str) -> Result<Filter, ExamError> {
        let types = self
            .types
            .iter()
            .map(|t| {
                QuestionType::parse(t)
                    .ok_or_else(|| ExamError::invalid(format!("{what}的题型「{t}」不存在")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let difficulty = match self.difficulty {
            None => (1, 5),
            Some([lo, hi]) if (1..=5).contains(&lo) && (lo..=5).contains(&hi) => (lo, hi),
            Some(_) => {
                return Err(ExamError::invalid(format!(
                    "{what}的难度范围须是 1 到 5 之间的 [最低, 最高]"
                )));
            }
        };
        let clean = |list: &[String]| -> Vec<String> {
            list.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        Ok(Filter {
            laws: clean(&self.laws),
            tags: clean(&self.tags),
            types,
            difficulty,
        })
    }
}

/// Parses a definition from JSON text with a Chinese message for malformed input.
pub fn parse_definition(json: &str) -> Result<ExamDefinition, ExamError> {
    serde_json::from_str(json).map_err(|e| ExamError::invalid(format!("考试定义格式有误：{e}")))
}
