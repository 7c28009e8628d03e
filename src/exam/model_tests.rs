//! The exam definition's defaults and its refusals.

use super::model::*;

fn def(sections: &str) -> ExamDefinition {
    parse_definition(&format!(
        r#"{{"title": "2026年度学法考试", "kind": "annual",
            "opens_at": "2026-03-01T08:00:00+08:00", "closes_at": "2026-03-31T18:00:00+08:00",
            "sections": {sections}}}"#
    ))
    .unwrap()
}

#[test]
fn missing_fields_take_the_platform_defaults() {
    let exam = def(r#"[{"name": "公共法律知识"}]"#).validate().unwrap();
    assert_eq!(exam.sections[0].count, 50);
    assert_eq!(exam.max_score, 10_000);
    assert_eq!(exam.pass_score, 6_000);
    assert_eq!(exam.time_limit_secs, 90 * 60);
    assert_eq!(exam.max_attempts, 3);
    assert_eq!(exam.counts, Counts::Best);
    assert!(exam.shuffle);
    assert_eq!(exam.review, Review::AfterSubmit);
}

#[test]
fn bad_definitions_are_refused_in_chinese() {
    let cases = [
        (r#"[]"#, "至少要有一个部分"),
        (r#"[{"types": ["essay"]}]"#, "题型「essay」不存在"),
        (r#"[{"difficulty": [4, 2]}]"#, "难度范围"),
        (r#"[{"questions": [1, 1]}]"#, "有重复"),
        (
            r#"[{"questions": [1], "tags": ["信访"]}]"#,
            "不能再写筛选条件",
        ),
        (
            r#"[{"count": 10, "points": 1}]"#,
            "及格分 60 高于试卷总分 10",
        ),
        (r#"[{"points": -1}]"#, "每题分值"),
    ];
    for (sections, message) in cases {
        let err = def(sections).validate().unwrap_err().to_string();
        assert!(err.contains(message), "{sections}: {err}");
    }
    let mut d = def(r#"[{}]"#);
    d.closes_at = "2026-02-01T00:00:00+08:00".into();
    assert!(d.validate().unwrap_err().to_string().contains("必须晚于"));
    d.opens_at = "明天".into();
    assert!(
        d.validate()
            .unwrap_err()
            .to_string()
            .contains("不是有效时间")
    );
    assert!(parse_definition(r#"{"title": 1}"#).is_err());
}
