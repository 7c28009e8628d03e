//! What changed between consecutive versions of a question, for the version table of its
//! page: the fields that differ with their old and new values, and the stem compared
//! character by character (Chinese has no spaces to split words on). Pure, apart from
//! `history`, which reads the versions.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use sqlx::AnyConnection;

use super::BankError;
use super::admin;
use super::import::answer_text;
use super::model::QuestionDraft;
use super::rules::letter;
use super::store::{self, StoredVersion};
use crate::accounts::Actor;

/// Longest old or new value shown for a field other than the stem, in characters.
const SHOWN_CHARS: usize = 80;

/// One field that differs: 答案 `A` → `C`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The template column: 题型, 选项, 答案, 解析, 依据, 难度, 标签.
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// A run of the stem: kept, removed or added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    pub text: String,
}

/// What a version changed against the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The stem's runs when it changed, else empty.
    pub stem: Vec<Segment>,
    pub fields: Vec<FieldChange>,
}

impl Changes {
    /// The names of what changed: 题干、答案.
    pub fn names(&self) -> Vec<&'static str> {
        let stem = (!self.stem.is_empty()).then_some("题干");
        stem.into_iter()
            .chain(self.fields.iter().map(|f| f.field))
            .collect()
    }
}

/// The changes from `old` to `new`.
pub fn between(old: &QuestionDraft, new: &QuestionDraft) -> Changes {
    let mut fields = Vec::new();
    let mut field = |name: &'static str, old: String, new: String| {
        if old != new {
            fields.push(FieldChange {
                field: name,
                old: shown(&old),
                new: shown(&new),
            });
        }
    };
    field("题型", old.qtype.label().into(), new.qtype.label().into());
    field("选项", options(old), options(new));
    field("答案", answer_text(&old.answer), answer_text(&new.answer));
    field("解析", old.explanation.clone(), new.explanation.clone());
    field("依据", basis(old), basis(new));
    let versions = |d: &QuestionDraft| d.basis.iter().map(|b| b.law_id).collect::<Vec<_>>();
    if basis(old) == basis(new) && versions(old) != versions(new) {
        // The same articles in another version of their law (approving a flagged question).
        field(
            "依据版本",
            "原版本的条文".into(),
            "改引另一版本的同一条文".into(),
        );
    }
    field(
        "难度",
        old.difficulty.to_string(),
        new.difficulty.to_string(),
    );
    field("标签", old.tags.join("；"), new.tags.join("；"));
    let stem = if old.stem == new.stem {
        Vec::new()
    } else {
        stem_diff(&old.stem, &new.stem)
    };
    Changes { stem, fields }
}

/// The stem's runs, character by character, adjacent runs of one kind merged.
pub fn stem_diff(old: &str, new: &str) -> Vec<Segment> {
    let diff = TextDiff::from_chars(old, new);
    let mut out: Vec<Segment> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "removed",
            ChangeTag::Insert => "added",
        };
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => out.push(Segment {
                kind,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

fn options(d: &QuestionDraft) -> String {
    let lettered: Vec<String> = d
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}. {o}", letter(i)))
        .collect();
    lettered.join("；")
}

fn basis(d: &QuestionDraft) -> String {
    let items: Vec<String> = d
        .basis
        .iter()
        .map(|b| format!("《{}》{}", b.law_title, b.article_label))
        .collect();
    if items.is_empty() {
        "（无）".into()
    } else {
        items.join("；")
    }
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        return "（空）".into();
    }
    if value.chars().count() <= SHOWN_CHARS {
        return value.to_string();
    }
    let short: String = value.chars().take(SHOWN_CHARS).collect();
    format!("{short}…")
}

/// One version with what it changed (nothing for the first).
#[derive(Debug, Clone, Serialize)]
pub struct VersionChanges {
    pub version: StoredVersion,
    pub changes: Changes,
}

/// A question's versions, oldest first, each with its changes against the one before.
pub async fn history(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<Vec<VersionChanges>, BankError> {
    let infos = admin::history(&mut *conn, actor, id).await?;
    let mut out: Vec<VersionChanges> = Vec::with_capacity(infos.len());
    for info in infos {
        let Some(version) = store::version(&mut *conn, info.version_id).await? else {
            continue;
        };
        let changes = match out.last() {
            Some(prev) => between(&prev.version.draft, &version.draft),
            None => Changes::default(),
        };
        out.push(VersionChanges { version, changes });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::model::{Answer, Basis, Origin, QuestionType};

    fn draft(stem: &str, article: &str) -> QuestionDraft {
        QuestionDraft {
            qtype: QuestionType::Single,
            stem: stem.into(),
            options: vec!["7日".into(), "15日".into()],
            answer: Answer::Single { option: 1 },
            explanation: String::new(),
            basis: vec![Basis {
                law_id: 1,
                law_title: "信访工作条例".into(),
                article_no: 22,
                article_sub: 0,
                article_label: article.into(),
            }],
            difficulty: 3,
            tags: vec!["信访".into()],
            origin: Origin::Authored,
        }
    }

    #[test]
    fn changed_fields_are_listed_with_old_and_new_values_and_the_stem_by_character() {
        let old = draft("应当在（ ）内处理。", "第二十二条");
        let mut new = draft("应当在（ ）内分别处理。", "第二十三条");
        new.answer = Answer::Single { option: 0 };

        let c = between(&old, &new);

        assert_eq!(c.names(), ["题干", "答案", "依据"]);
        assert_eq!(c.fields[0].old, "B");
        assert_eq!(c.fields[0].new, "A");
        assert_eq!(c.fields[1].new, "《信访工作条例》第二十三条");
        let added: Vec<&str> = c
            .stem
            .iter()
            .filter(|s| s.kind == "added")
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(added, ["分别"]);
        assert!(c.stem.iter().all(|s| s.kind != "removed"));
    }

    #[test]
    fn identical_versions_change_nothing() {
        let d = draft("应当在（ ）内处理。", "第二十二条");
        assert!(between(&d, &d).names().is_empty());
    }
}
