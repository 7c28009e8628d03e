//! Which statutes are no longer in force. The corpus carries no validity field, so this is
//! derived: from the project's own list (`corpus/repealed.tsv`) and from the clause
//! `《X》同时废止` in a newer current text (a law that replaces another says so in its 附则).

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use sqlx::AnyConnection;

static REPEAL_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"《([^》]{2,80})》[^《。；]{0,16}同时废止").unwrap_or_else(|_| unreachable!())
});

/// Titles repealed by `text` (a current article of a law dated `date`, titled `title`).
pub fn repealed_titles(text: &str) -> Vec<String> {
    REPEAL_CLAUSE
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
        .collect()
}

/// Parses `key<TAB>value` lines (`#` comments), the format of the project's corpus lists.
pub fn tsv_pairs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(t, n)| (t.trim().to_string(), n.trim().to_string()))
        .collect()
}

/// Why a statute is no longer in force: the note officials see and the statute that
/// replaced it, when the library holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Repeal {
    note: String,
    successor: Option<i64>,
}

/// A statute's id, title, short title and stored repeal (note, successor).
type StatuteRepeal = (i64, String, String, Option<String>, Option<i64>);

/// The first 《title》 of a note such as `《信访工作条例》（2022年5月1日起施行）`.
fn first_title(note: &str) -> Option<&str> {
    let start = note.find('《')? + '《'.len_utf8();
    let len = note[start..].find('》')?;
    Some(&note[start..start + len])
}

/// Recomputes `statute.repealed_by` and `statute.successor_id` for every statute. Returns the
/// statutes whose status changed, so the search index can refresh them.
pub async fn apply(conn: &mut AnyConnection, list: &Path) -> Result<Vec<i64>, sqlx::Error> {
    let statutes: Vec<StatuteRepeal> = sqlx::query_as(
        "select statute_id, title, short_title, repealed_by, successor_id from statute",
    )
    .fetch_all(&mut *conn)
    .await?;
    let current_date: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "select statute_id, version_date from law where is_current = 1",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut by_name: HashMap<&str, i64> = HashMap::new();
    for (id, title, short, _, _) in &statutes {
        by_name.entry(title.as_str()).or_insert(*id);
        by_name.entry(short.as_str()).or_insert(*id);
    }
    let mut repealed: HashMap<i64, Repeal> = HashMap::new();
    let clauses: Vec<(i64, String, String, String)> = sqlx::query_as(
        "select s.statute_id, s.title, l.version_date, a.text from article a \
         join law l on l.law_id = a.law_id join statute s on s.statute_id = l.statute_id \
         where l.is_current = 1 and a.text like '%同时废止%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (by_id, by_title, by_date, text) in clauses {
        for target in repealed_titles(&text) {
            let Some(&id) = by_name.get(target.as_str()) else {
                continue;
            };
            // A revised law repeals its own earlier text; and a statute re-enacted after the
            // clause was written is in force again.
            let newer = current_date
                .get(&id)
                .is_some_and(|d| d.as_str() <= by_date.as_str());
            if id != by_id && newer {
                let note = format!("《{by_title}》（{by_date}）");
                repealed.insert(
                    id,
                    Repeal {
                        note,
                        successor: Some(by_id),
                    },
                );
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(list) {
        for (title, note) in tsv_pairs(&text) {
            if let Some(&id) = by_name.get(title.as_str()) {
                let successor = first_title(&note)
                    .and_then(|t| by_name.get(t).copied())
                    .filter(|s| *s != id);
                repealed.insert(id, Repeal { note, successor });
            }
        }
    }
    let mut changed = Vec::new();
    for (id, _, _, old_note, old_successor) in statutes {
        let new = repealed.remove(&id);
        let (note, successor) = match new {
            Some(r) => (Some(r.note), r.successor),
            None => (None, None),
        };
        if (&note, successor) != (&old_note, old_successor) {
            sqlx::query(
                "update statute set repealed_by = $1, successor_id = $2 where statute_id = $3",
            )
            .bind(note)
            .bind(successor)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            changed.push(id);
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeal_clauses_name_the_repealed_text() {
        let text = "本条例自2021年1月1日起施行。1995年6月1日施行的《某市甲条例》同时废止。";
        assert_eq!(repealed_titles(text), vec!["某市甲条例"]);
        assert!(repealed_titles("依照《某法》第十条的规定处理。").is_empty());
    }

    #[test]
    fn the_successor_of_a_listed_repeal_is_the_first_title_of_its_note() {
        assert_eq!(
            first_title("《信访工作条例》（2022年5月1日起施行）"),
            Some("信访工作条例")
        );
        assert_eq!(first_title("国务院决定废止"), None);
    }
}
