//! From paths on disk to law versions ready to store: file discovery, parsing, grouping files
//! into versions and merging a law split over several files (the 民法典's 编) into one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::model::{Heading, HeadingLevel, ParsedLaw};
use super::numerals::to_chinese_number;
use super::parse::{decode, parse_law};
use super::{CorpusError, classify};

/// A file found under an import path, with its category folder relative to that path.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub path: PathBuf,
    pub category: String,
}

/// One version of one law, parsed and merged from its file(s).
#[derive(Debug)]
pub struct VersionDraft {
    pub law: ParsedLaw,
    pub version_date: String,
    pub category: String,
    /// Every category folder the version was found in, `category` first: the national
    /// database files some laws twice (广告法 under 行政法 and 经济法).
    pub categories: Vec<String>,
    pub sources: Vec<PathBuf>,
    pub content_hash: String,
}

/// The category of a file (see `classify::DATABASE_FOLDERS`): from the innermost database folder among its ancestors, else its
/// folder relative to the import root, else the root's (or the parent folder's) name.
fn category_of(path: &Path, root: &Path, fallback: &str) -> String {
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let folders: Vec<String> = absolute
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    // The innermost match, so that a folder of that name higher up (a home directory called
    // 其他, say) does not swallow the path.
    if let Some(i) = folders
        .iter()
        .rposition(|f| classify::DATABASE_FOLDERS.contains(&f.as_str()))
    {
        return folders[i..].join("/");
    }
    let relative = path
        .parent()
        .and_then(|p| p.strip_prefix(root).ok())
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    if relative.is_empty() {
        fallback.to_string()
    } else {
        relative
    }
}

/// Files that describe a corpus rather than hold a law.
const NOT_LAWS: [&str; 4] = ["SOURCE.md", "README.md", "_index.md", "MANIFEST.tsv"];

/// Lists the law files under `paths` (files or folders). A missing path is an error, before
/// anything is read, so that a typo never half-imports.
pub fn find_files(paths: &[PathBuf]) -> Result<Vec<FoundFile>, CorpusError> {
    let mut found = Vec::new();
    for root in paths {
        if !root.exists() {
            return Err(CorpusError::MissingPath(root.clone()));
        }
        if root.is_file() {
            let category = root
                .parent()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push(FoundFile {
                path: root.clone(),
                category,
            });
            continue;
        }
        let root_name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.map_err(|e| CorpusError::Walk(e.to_string()))?;
            let path = entry.path();
            if !entry.file_type().is_file() || !is_law_file(path) {
                continue;
            }
            let category = category_of(path, root, &root_name);
            found.push(FoundFile {
                path: path.to_path_buf(),
                category,
            });
        }
    }
    Ok(found)
}

fn is_law_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let ext_ok = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "txt")
    );
    ext_ok && !NOT_LAWS.contains(&name.as_ref()) && !name.starts_with("LICENSE")
}

/// A parsed file, or why it was skipped.
pub struct ParsedFile {
    pub file: FoundFile,
    pub bytes_hash: [u8; 32],
    pub law: ParsedLaw,
}

/// Reads and parses one file. Unreadable and binary files become warnings, not failures.
pub fn read_file(file: FoundFile) -> Result<ParsedFile, String> {
    let bytes = std::fs::read(&file.path).map_err(|e| format!("{}: {e}", file.path.display()))?;
    let text = decode(&bytes).map_err(|e| format!("{}: {e}", file.path.display()))?;
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let law = parse_law(&text, &name).map_err(|e| format!("{}: {e}", file.path.display()))?;
    let bytes_hash = Sha256::digest(&bytes).into();
    Ok(ParsedFile {
        file,
        bytes_hash,
        law,
    })
}

/// Groups parsed files into versions: files with the same title are versions of one law, and
/// files that carry a part line (`# 物权编`) and no date of their own are parts of one version.
/// A file with the same title and date as another is the same version filed in a second
/// folder: the version keeps the first file's text and is listed under both folders. A
/// byte-identical copy is left out of the sources; one whose text differs is kept among them,
/// with a warning saying whose text is shown.
pub fn group_versions(files: Vec<ParsedFile>) -> (Vec<VersionDraft>, Vec<String>) {
    let mut groups: BTreeMap<(String, String), Vec<ParsedFile>> = BTreeMap::new();
    for f in files {
        let date_key = match (&f.law.file_date, &f.law.part) {
            (Some(d), _) => d.clone(),
            (None, Some(_)) => "parts".to_string(),
            (None, None) => f.law.version_date().unwrap_or_default(),
        };
        groups
            .entry((f.law.title.clone(), date_key))
            .or_default()
            .push(f);
    }
    let mut versions = Vec::new();
    let mut warnings = Vec::new();
    for (_, mut group) in groups {
        let all_parts = group.len() > 1 && group.iter().all(|f| f.law.part.is_some());
        let twins: Vec<ParsedFile> = if all_parts {
            Vec::new()
        } else {
            group.drain(1..).collect()
        };
        let kept_hash = group[0].bytes_hash;
        let mut version = merge_parts(group);
        for twin in twins {
            if !version.categories.contains(&twin.file.category) {
                version.categories.push(twin.file.category.clone());
            }
            if twin.bytes_hash != kept_hash {
                warnings.push(format!(
                    "{}: same title and date as {}, whose text is kept; listed under both folders",
                    twin.file.path.display(),
                    version.sources[0].display()
                ));
                version.sources.push(twin.file.path);
            }
            // A changed twin or a new folder is a change to store.
            let mut hasher = Sha256::new();
            hasher.update(&version.content_hash);
            hasher.update(twin.bytes_hash);
            hasher.update(version.categories.join("\n"));
            version.content_hash = format!("{:x}", hasher.finalize());
        }
        versions.push(version);
    }
    (versions, warnings)
}

/// Merges the parts of a split law in article order, giving each part a 编 heading.
fn merge_parts(mut parts: Vec<ParsedFile>) -> VersionDraft {
    parts.sort_by_key(|p| p.law.articles.first().map_or(u32::MAX, |a| a.no));
    let version_date = parts
        .iter()
        .filter_map(|p| p.law.version_date())
        .max()
        .unwrap_or_default();
    let mut hasher = Sha256::new();
    for p in &parts {
        hasher.update(p.bytes_hash);
    }
    let content_hash = format!("{:x}", hasher.finalize());
    let category = parts[0].file.category.clone();
    let categories = vec![category.clone()];
    let sources = parts.iter().map(|p| p.file.path.clone()).collect();
    if parts.len() == 1 {
        let only = parts.remove(0);
        return VersionDraft {
            law: only.law,
            version_date,
            category,
            categories,
            sources,
            content_hash,
        };
    }
    let mut merged = parts[0].law.clone();
    merged.part = None;
    merged.headings.clear();
    merged.articles.clear();
    merged.events = parts.iter().flat_map(|p| p.law.events.clone()).collect();
    merged
        .events
        .sort_by(|a, b| a.date.cmp(&b.date).then(a.text.cmp(&b.text)));
    merged.events.dedup();
    let mut bian_no = 0;
    for p in parts {
        append_part(&mut merged, p.law, &mut bian_no);
    }
    VersionDraft {
        law: merged,
        version_date,
        category,
        categories,
        sources,
        content_hash,
    }
}

/// Appends one part, under a 编 heading named after its part line unless it has its own.
fn append_part(merged: &mut ParsedLaw, part: ParsedLaw, bian_no: &mut u32) {
    let heading_base = merged.headings.len();
    let article_base = merged.articles.len();
    let own_bian = part
        .headings
        .first()
        .is_some_and(|h| h.level == HeadingLevel::Bian);
    let part_heading = match (&part.part, own_bian) {
        (Some(name), false) => {
            let heading = if name == "总则" || name.ends_with('编') {
                *bian_no += 1;
                Heading {
                    level: HeadingLevel::Bian,
                    number: *bian_no,
                    label: format!("第{}编", to_chinese_number(*bian_no)),
                    name: name.trim_end_matches('编').to_string(),
                    parent: None,
                    first_article: article_base,
                }
            } else {
                // 附则 and the like: a named part outside the numbered 编.
                Heading {
                    level: HeadingLevel::Bian,
                    number: 0,
                    label: name.clone(),
                    name: String::new(),
                    parent: None,
                    first_article: article_base,
                }
            };
            merged.headings.push(heading);
            Some(heading_base)
        }
        _ => None,
    };
    let offset = merged.headings.len();
    for mut h in part.headings {
        h.parent = h.parent.map(|p| p + offset).or(part_heading);
        h.first_article += article_base;
        merged.headings.push(h);
    }
    for mut a in part.articles {
        a.heading = a.heading.map(|h| h + offset).or(part_heading);
        merged.articles.push(a);
    }
    if merged.preamble.is_none() {
        merged.preamble = part.preamble;
    }
}
