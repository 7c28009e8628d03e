//! The annual curriculum (`corpus/curriculum.toml`): what every official must study a year,
//! what enforcement officers study besides, parsed into plain structs and checked against
//! the imported laws.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::LearningError;
use crate::accounts::Role;

/// A required law and its reading time a year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequiredLaw {
    pub title: String,
    pub minutes: u32,
}

/// One role's part of the curriculum; hours and sessions absent: the officials' apply.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolePart {
    pub hours: Option<u32>,
    pub sessions: Option<u32>,
    #[serde(default)]
    pub laws: Vec<RequiredLaw>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curriculum {
    pub official: RolePart,
    #[serde(default)]
    pub officer: RolePart,
}

/// What one person must do in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub hours: u32,
    pub sessions: u32,
    pub laws: Vec<RequiredLaw>,
}

/// A unit's override of hours and sessions for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Override {
    pub hours: u32,
    pub sessions: u32,
}

/// The file name inside the project corpus folder.
pub const FILE: &str = "curriculum.toml";

/// Sessions a year when the file does not say (the township's 12 concentrated sessions).
const DEFAULT_SESSIONS: u32 = 12;

impl Curriculum {
    pub fn parse(text: &str) -> Result<Curriculum, LearningError> {
        let c: Curriculum = toml::from_str(text)
            .map_err(|e| LearningError::Curriculum(format!("学法要求文件格式有误：{e}")))?;
        if c.official.hours.is_none() {
            return Err(LearningError::Curriculum(
                "学法要求文件缺少 [official] 的 hours（年度学时）".into(),
            ));
        }
        let mut seen = HashSet::new();
        for law in c.official.laws.iter().chain(&c.officer.laws) {
            if law.minutes == 0 {
                return Err(LearningError::Curriculum(format!(
                    "「{}」的学习时长（minutes）应大于 0",
                    law.title
                )));
            }
            if !seen.insert(law.title.as_str()) {
                return Err(LearningError::Curriculum(format!(
                    "「{}」在学法要求中重复出现",
                    law.title
                )));
            }
        }
        Ok(c)
    }

    /// Reads `curriculum.toml` from the project corpus folder.
    pub fn load(corpus_dir: &Path) -> Result<Curriculum, LearningError> {
        let path = corpus_dir.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            LearningError::Curriculum(format!("无法读取学法要求文件 {}：{e}", path.display()))
        })?;
        Curriculum::parse(&text)
    }

    /// The requirement for someone with `roles`, after the unit's override (if any).
    pub fn requirement(&self, roles: &[Role], unit: Option<Override>) -> Requirement {
        let officer = roles.contains(&Role::Officer);
        let pick = |f: fn(&RolePart) -> Option<u32>, default: u32| {
            let base = f(&self.official).unwrap_or(default);
            if officer {
                f(&self.officer).unwrap_or(base)
            } else {
                base
            }
        };
        let mut laws = self.official.laws.clone();
        if officer {
            laws.extend(self.officer.laws.iter().cloned());
        }
        Requirement {
            hours: unit.map_or_else(|| pick(|p| p.hours, 0), |o| o.hours),
            sessions: unit.map_or_else(|| pick(|p| p.sessions, DEFAULT_SESSIONS), |o| o.sessions),
            laws,
        }
    }

    /// Titles the curriculum names that are not among `known` (the imported laws' titles).
    pub fn unknown_titles<'a>(&'a self, known: &HashSet<String>) -> Vec<&'a str> {
        self.official
            .laws
            .iter()
            .chain(&self.officer.laws)
            .map(|l| l.title.as_str())
            .filter(|t| !known.contains(*t))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
        [official]
        hours = 40
        laws = [{ title = "中华人民共和国宪法", minutes = 120 }]
        [officer]
        hours = 60
        laws = [{ title = "中华人民共和国行政处罚法", minutes = 90 }]
    "#;

    #[test]
    fn officials_get_their_part_and_officers_both_parts() {
        let c = Curriculum::parse(SAMPLE).unwrap();
        let r = c.requirement(&[Role::Official], None);
        assert_eq!((r.hours, r.sessions, r.laws.len()), (40, 12, 1));
        let r = c.requirement(&[Role::Official, Role::Officer], None);
        assert_eq!((r.hours, r.sessions), (60, 12));
        assert_eq!(r.laws[1].title, "中华人民共和国行政处罚法");
    }

    #[test]
    fn a_unit_override_replaces_hours_and_sessions_but_not_laws() {
        let c = Curriculum::parse(SAMPLE).unwrap();
        let unit = Some(Override {
            hours: 20,
            sessions: 6,
        });
        let r = c.requirement(&[Role::Official, Role::Officer], unit);
        assert_eq!((r.hours, r.sessions, r.laws.len()), (20, 6, 2));
    }

    #[test]
    fn bad_files_say_what_is_wrong_in_chinese() {
        for (text, part) in [
            ("[official]\nhours = \"四十\"", "格式有误"),
            ("[official]\nlaws = []", "hours"),
            (
                "[official]\nhours = 1\nlaws = [{ title = \"甲\", minutes = 0 }]",
                "应大于 0",
            ),
            (
                "[official]\nhours = 1\nlaws = [{ title = \"甲\", minutes = 1 }, { title = \"甲\", minutes = 2 }]",
                "重复",
            ),
            ("[official]\nhours = 1\nhuors = 2", "格式有误"),
        ] {
            let e = Curriculum::parse(text).unwrap_err().to_string();
            assert!(e.contains(part), "{text}: {e}");
        }
    }

    #[test]
    fn unknown_titles_are_listed() {
        let c = Curriculum::parse(SAMPLE).unwrap();
        let known: HashSet<String> = ["中华人民共和国宪法".to_string()].into();
        assert_eq!(c.unknown_titles(&known), vec!["中华人民共和国行政处罚法"]);
    }

    #[test]
    fn the_project_curriculum_names_only_laws_of_the_shared_corpus() {
        let c = Curriculum::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).unwrap();
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        if !corpus.exists() {
            return; // Only checkouts beside the shared corpus can check this.
        }
        let mut known = HashSet::new();
        let mut stack = vec![corpus];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    if let Some(title) = text.lines().next().and_then(|l| l.strip_prefix("# ")) {
                        known.insert(title.trim().to_string());
                    }
                }
            }
        }
        assert_eq!(c.unknown_titles(&known), Vec::<&str>::new());
        assert_eq!(c.official.laws.len(), 8);
    }
}
