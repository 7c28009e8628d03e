//! Looking the articles a question names up in the imported laws: the law by any of its names
//! (full or short title, alias), the article in the law's current version.

use std::collections::HashMap;
use std::path::Path;

use sqlx::AnyConnection;

use super::basis::BasisRef;
use crate::bank::model::Basis;
use crate::bank::rules::{Field, Problem};
use crate::bank::store::{BasisRow, BasisView};
use crate::corpus::numerals::unit_label;
use crate::corpus::repeal::tsv_pairs;
use crate::corpus::store;
use crate::db::placeholders;
use crate::search::names::{LawNames, Resolution};

/// The law names of the database, with the project's aliases (`处罚法` → 行政处罚法).
#[derive(Debug, Default)]
pub struct LawBook {
    names: LawNames,
    titles: HashMap<i64, String>,
    /// Statutes no longer in force and what repealed them (`statute.repealed_by`).
    repealed: HashMap<i64, String>,
}

impl LawBook {
    /// Reads the statutes from SQL and `law_aliases.tsv` from the project's corpus folder.
    pub async fn load(
        conn: &mut AnyConnection,
        project_corpus: &Path,
    ) -> Result<LawBook, sqlx::Error> {
        let statutes = store::statute_names(&mut *conn).await?;
        let aliases = std::fs::read_to_string(project_corpus.join("law_aliases.tsv"))
            .map(|t| tsv_pairs(&t))
            .unwrap_or_default();
        let repealed = sqlx::query_as::<_, (i64, String)>(
            "select statute_id, repealed_by from statute where repealed_by is not null",
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
        Ok(LawBook {
            names: LawNames::new(&statutes, &aliases),
            repealed,
            titles: statutes
                .into_iter()
                .map(|s| (s.statute_id, s.title))
                .collect(),
        })
    }

    /// The statute a typed name means (the best one when several share a short title), by an
    /// unambiguous short form too (`信访`, see `search::names`); a name with leading words
    /// (`根据信访工作条例`) is matched by its end.
    pub fn statute(&self, name: &str) -> Option<i64> {
        match self.names.resolve(name) {
            Resolution::Found(ids) => ids.first().copied(),
            _ => self.names.suffix(name).map(|(id, _)| id),
        }
    }

    /// Every statute a name may mean, for filters: an ambiguous short form means all its
    /// candidates.
    pub fn statutes_named(&self, name: &str) -> Vec<i64> {
        match self.names.resolve(name) {
            Resolution::Found(ids) => ids,
            Resolution::Ambiguous { candidates, .. } => candidates,
            Resolution::Unknown => self.statute(name).into_iter().collect(),
        }
    }

    pub fn title(&self, statute_id: i64) -> &str {
        self.titles.get(&statute_id).map_or("", String::as_str)
    }

    /// `《信访条例》已废止，现行为《信访工作条例》（…）` when the statute is no longer in force.
    pub fn repeal_notice(&self, statute_id: i64) -> Option<String> {
        let by = self.repealed.get(&statute_id)?;
        Some(repeal_notice(self.title(statute_id), by))
    }
}

/// What the bank says about a basis or a generation on a repealed statute, naming what is
/// known of its successor (`statute.repealed_by`, e.g. 《信访工作条例》（2022年5月1日起施行）).
pub fn repeal_notice(title: &str, repealed_by: &str) -> String {
    if repealed_by.trim().is_empty() {
        format!("《{title}》已废止")
    } else {
        format!("《{title}》已废止，现行为{}", repealed_by.trim())
    }
}

/// The current version of a statute and its articles' texts by (no, sub).
pub struct CurrentLaw {
    pub law_id: i64,
    pub version_date: String,
    pub articles: HashMap<(u32, u32), String>,
}

/// The current versions of these statutes, with their articles (the first of a repeated
/// number, as `corpus::store::article` reads it).
pub async fn current_laws(
    conn: &mut AnyConnection,
    statutes: &[i64],
) -> Result<HashMap<i64, CurrentLaw>, sqlx::Error> {
    let mut out: HashMap<i64, CurrentLaw> = HashMap::new();
    for chunk in statutes.chunks(500) {
        let sql = format!(
            "select l.statute_id, l.law_id, l.version_date, a.article_no, a.article_sub, a.text \
             from law l join article a on a.law_id = l.law_id \
             where l.is_current = 1 and l.statute_id in {} \
             order by a.seq",
            placeholders(1, chunk.len(), 0)
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String, i64, i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for (statute, law_id, version_date, no, sub, text) in q.fetch_all(&mut *conn).await? {
            let law = out.entry(statute).or_insert_with(|| CurrentLaw {
                law_id,
                version_date,
                articles: HashMap::new(),
            });
            law.articles.entry((no as u32, sub as u32)).or_insert(text);
        }
    }
    Ok(out)
}

/// References looked up: the rows found; a problem for each law or article that does not
/// exist (the question must not be stored without it); a warning for each row on a statute no
/// longer in force.
#[derive(Debug, Default)]
pub struct Resolved {
    pub rows: Vec<BasisRow>,
    pub problems: Vec<String>,
    pub warnings: Vec<String>,
}

/// Resolves references against the book and the loaded current laws.
pub fn resolve(refs: &[BasisRef], book: &LawBook, laws: &HashMap<i64, CurrentLaw>) -> Resolved {
    let mut out = Resolved::default();
    for r in refs {
        let Some(statute_id) = book.statute(&r.law) else {
            out.problems
                .push(format!("未找到法规《{}》（请先导入该法规）", r.law));
            continue;
        };
        let title = book.title(statute_id);
        let label = unit_label(r.article_no, r.article_sub);
        let Some(law) = laws.get(&statute_id) else {
            out.problems
                .push(format!("《{title}》没有条文，无法引用{label}"));
            continue;
        };
        let Some(text) = law.articles.get(&(r.article_no, r.article_sub)) else {
            out.problems.push(format!("《{title}》现行版本没有{label}"));
            continue;
        };
        if let Some(notice) = book.repeal_notice(statute_id) {
            let warning = format!("{notice}，请改引现行法规的条文");
            if !out.warnings.contains(&warning) {
                out.warnings.push(warning);
            }
        }
        let row = BasisRow {
            statute_id,
            law_id: law.law_id,
            law_title: title.to_string(),
            article_no: r.article_no,
            article_sub: r.article_sub,
            text: text.clone(),
        };
        if !out.rows.iter().any(|x| x.same_article(&row)) {
            out.rows.push(row);
        }
    }
    out
}

/// The statutes the references may name, to load before resolving.
pub fn statutes_of(refs: &[&BasisRef], book: &LawBook) -> Vec<i64> {
    let mut ids: Vec<i64> = refs.iter().filter_map(|r| book.statute(&r.law)).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rows for a draft's basis as given (law version and article, e.g. by the generator or
/// an edit form), or a problem for each article that does not exist.
pub async fn by_law_id(
    conn: &mut AnyConnection,
    basis: &[Basis],
) -> Result<Result<Vec<BasisRow>, Vec<Problem>>, sqlx::Error> {
    let mut rows: Vec<BasisRow> = Vec::new();
    let mut problems = Vec::new();
    for b in basis {
        let law: Option<(i64, String)> = sqlx::query_as(
            "select l.statute_id, s.title from law l join statute s on s.statute_id = l.statute_id \
             where l.law_id = $1",
        )
        .bind(b.law_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((statute_id, title)) = law else {
            let message = format!("法规版本 {} 不存在", b.law_id);
            problems.push(Problem::new(Field::Basis, message));
            continue;
        };
        let label = unit_label(b.article_no, b.article_sub);
        let Some(article) =
            store::article(&mut *conn, b.law_id, b.article_no, b.article_sub).await?
        else {
            problems.push(Problem::new(
                Field::Basis,
                format!("《{title}》没有{label}"),
            ));
            continue;
        };
        let row = BasisRow {
            statute_id,
            law_id: b.law_id,
            law_title: title,
            article_no: b.article_no,
            article_sub: b.article_sub,
            text: article.text,
        };
        if !rows.iter().any(|x| x.same_article(&row)) {
            rows.push(row);
        }
    }
    Ok(if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    })
}

/// Warnings about a stored question's articles, for its page: an article of a repealed
/// statute names what replaced it; an article of a version no longer current says so.
pub fn stored_warnings(book: &LawBook, articles: &[BasisView]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in articles {
        let warning = if let Some(notice) = book.repeal_notice(a.statute_id) {
            format!("{notice}，本题依据请改引现行法规的条文")
        } else if !a.current {
            format!(
                "《{}》{}引用的是 {} 版，已非现行版本，请核对现行条文后修改或审核通过",
                a.law_title, a.article_label, a.version_date
            )
        } else {
            continue;
        };
        if !out.contains(&warning) {
            out.push(warning);
        }
    }
    out
}
