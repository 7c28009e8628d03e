//! The create-exam form of `/admin/exams` read into the same [`ExamDefinition`] that
//! `POST /api/admin/exams` takes, so the domain validates both alike. Times are typed in
//! Beijing time (`datetime-local`); sections are a JSON array, as in the API.

use serde::{Deserialize, Serialize};

use crate::exam::ExamError;
use crate::exam::model::{Audience, Counts, ExamDefinition, ExamKind, Review, SectionDef};

/// A sections example the form shows and starts with.
pub const SECTIONS_EXAMPLE: &str = r#"[
  {"name": "公共法律知识", "laws": ["行政处罚法"], "types": ["single", "judge"], "count": 20, "points": 2},
  {"name": "专业法律知识", "tags": ["信访"], "difficulty": [1, 5], "count": 30, "points": 2}
]"#;

/// The form as typed (every field text, so a refused form comes back as it was).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ExamForm {
    pub title: String,
    pub kind: String,
    pub time_limit_minutes: String,
    pub pass_score: String,
    pub max_attempts: String,
    pub counts: String,
    pub opens_at: String,
    pub closes_at: String,
    pub units: String,
    pub roles: String,
    pub users: String,
    /// "1" when ticked (a missing checkbox is off).
    pub shuffle: String,
    pub review: String,
    pub category: String,
    pub sections: String,
}

impl ExamForm {
    /// What a new form shows.
    pub fn blank() -> ExamForm {
        ExamForm {
            kind: "annual".into(),
            counts: "best".into(),
            review: "after_submit".into(),
            shuffle: "1".into(),
            sections: SECTIONS_EXAMPLE.into(),
            ..ExamForm::default()
        }
    }

    pub fn definition(&self) -> Result<ExamDefinition, ExamError> {
        let kind = ExamKind::parse(self.kind.trim())
            .ok_or_else(|| ExamError::invalid("请选择考试类型"))?;
        let counts = match self.counts.trim() {
            "last" => Counts::Last,
            _ => Counts::Best,
        };
        let review = match self.review.trim() {
            "after_close" => Review::AfterClose,
            "never" => Review::Never,
            _ => Review::AfterSubmit,
        };
        let sections: Vec<SectionDef> =
            serde_json::from_str(self.sections.trim()).map_err(|e| {
                ExamError::invalid(format!(
                    "试题组成须为 JSON 数组（见示例），第 {} 行第 {} 列有误",
                    e.line(),
                    e.column()
                ))
            })?;
        let category = self.category.trim();
        Ok(ExamDefinition {
            title: self.title.trim().to_string(),
            kind,
            time_limit_minutes: number(&self.time_limit_minutes, "考试时长")?,
            pass_score: number(&self.pass_score, "及格分")?,
            max_attempts: number(&self.max_attempts, "考试次数")?,
            counts,
            opens_at: beijing_rfc3339(&self.opens_at),
            closes_at: beijing_rfc3339(&self.closes_at),
            audience: Audience {
                units: list(&self.units),
                roles: list(&self.roles),
                users: list(&self.users),
            },
            shuffle: self.shuffle == "1",
            review,
            multiple_partial_credit: None,
            category: (!category.is_empty()).then(|| category.to_string()),
            sections,
        })
    }
}

/// A number field: blank is "the default" (None).
fn number<T: std::str::FromStr>(raw: &str, field: &str) -> Result<Option<T>, ExamError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| ExamError::invalid(format!("{field}须为数字")))
}

/// Names separated by commas, 、, semicolons or new lines.
pub fn list(raw: &str) -> Vec<String> {
    raw.split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `2026-03-01T08:00` (a `datetime-local` value, Beijing time) as RFC 3339; anything else is
/// passed on for the domain to refuse with its message.
pub fn beijing_rfc3339(raw: &str) -> String {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    let shaped = |n: usize| bytes.len() == n && bytes.get(10) == Some(&b'T');
    if shaped(16) {
        format!("{raw}:00+08:00")
    } else if shaped(19) {
        format!("{raw}+08:00")
    } else {
        raw.to_string()
    }
}

/// Unix seconds as a `datetime-local` value in Beijing time.
pub fn datetime_local(unix: i64) -> String {
    let t = super::kit::beijing_time(unix);
    t.get(..16).map(|s| s.replace(' ', "T")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filled_form_is_the_api_s_definition() {
        let form = ExamForm {
            title: " 2026年执法资格考试 ".into(),
            kind: "qualification".into(),
            time_limit_minutes: "60".into(),
            pass_score: "80".into(),
            opens_at: "2026-03-01T08:00".into(),
            closes_at: "2026-03-02T18:00".into(),
            units: "柱山乡\n石柱县/司法局".into(),
            roles: "执法人员、学员".into(),
            sections: SECTIONS_EXAMPLE.into(),
            ..ExamForm::blank()
        };
        let def = form.definition().unwrap();
        assert_eq!(def.title, "2026年执法资格考试");
        assert_eq!(def.kind, ExamKind::Qualification);
        assert_eq!(def.time_limit_minutes, Some(60));
        assert_eq!(def.pass_score, Some(80.0));
        assert_eq!(def.max_attempts, None);
        assert_eq!(def.opens_at, "2026-03-01T08:00:00+08:00");
        assert_eq!(def.audience.units, vec!["柱山乡", "石柱县/司法局"]);
        assert_eq!(def.audience.roles, vec!["执法人员", "学员"]);
        assert!(def.shuffle);
        assert_eq!(def.sections.len(), 2);
        assert_eq!(def.sections[1].name, "专业法律知识");
        def.validate().expect("the example validates");
    }

    #[test]
    fn bad_fields_are_refused_in_chinese() {
        let bad = |f: ExamForm| f.definition().unwrap_err().to_string();
        let base = ExamForm {
            title: "t".into(),
            ..ExamForm::blank()
        };
        let e = bad(ExamForm {
            time_limit_minutes: "九十".into(),
            ..base.clone()
        });
        assert_eq!(e, "考试时长须为数字");
        let e = bad(ExamForm {
            sections: "[{\"count\": }]".into(),
            ..base.clone()
        });
        assert!(e.starts_with("试题组成须为 JSON 数组"), "{e}");
        let e = bad(ExamForm {
            kind: "exam".into(),
            ..base
        });
        assert_eq!(e, "请选择考试类型");
    }

    #[test]
    fn beijing_times_round_trip() {
        assert_eq!(
            beijing_rfc3339("2026-03-01T08:00:30"),
            "2026-03-01T08:00:30+08:00"
        );
        assert_eq!(beijing_rfc3339("明天"), "明天");
        // 2026-01-01 08:00 Beijing is 00:00 UTC.
        assert_eq!(datetime_local(1_767_225_600), "2026-01-01T08:00");
    }
}
