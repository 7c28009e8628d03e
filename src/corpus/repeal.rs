//! Which statutes are no longer in force. The corpus carries no validity field, so this is
//! derived: from the project's own list (`corpus/repealed.tsv`) and from the clause
//! `《X》同时废止` in a newer current text (a law that replaces another says so in its 附则).

use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use sqlx::AnyPool;

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

/// Recomputes `statute.repealed_by` for every statute. Returns the statutes whose status
/// changed, so the search index can refresh them.
pub async fn apply(pool: &AnyPool, list: &Path) -> Result<Vec<i64>, sqlx::Error> {
    let statutes: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("select statute_id, title, short_title, repealed_by from statute")
            .fetch_all(pool)
            .await?;
    let current_date: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
        "select statute_id, version_date from law where is_current = 1",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut by_name: HashMap<&str, i64> = HashMap::new();
    for (id, title, short, _) in &statutes {
        by_name.entry(title.as_str()).or_insert(*id);
        by_name.entry(short.as_str()).or_insert(*id);
    }
    let mut repealed: HashMap<i64, String> = HashMap::new();
    let clauses: Vec<(i64, String, String, String)> = sqlx::query_as(
        "select s.statute_id, s.title, l.version_date, a.text from article a \
         join law l on l.law_id = a.law_id join statute s on s.statute_id = l.statute_id \
         where l.is_current = 1 and a.text like '%同时废止%'",
    )
    .fetch_all(pool)
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
                repealed.insert(id, format!("《{by_title}》（{by_date}）"));
            }
        }
    }
    if let Ok(text) = std::fs::read_to_string(list) {
        for (title, note) in tsv_pairs(&text) {
            if let Some(&id) = by_name.get(title.as_str()) {
                repealed.insert(id, note);
            }
        }
    }
    let mut changed = Vec::new();
    for (id, _, _, old) in statutes {
        let new = repealed.remove(&id);
        if new != old {
            sqlx::query("update statute set repealed_by = $1 where statute_id = $2")
                .bind(new)
                .bind(id)
                .execute(pool)
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
}
