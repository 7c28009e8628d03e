//! Looking the articles a question names up in the imported laws: the law by any of its names
//! (full or short title, alias), the article in the law's current version.

use std::collections::HashMap;
use std::path::Path;

use sqlx::AnyPool;

use super::basis::BasisRef;
use crate::bank::model::Basis;
use crate::bank::rules::{Field, Problem};
use crate::bank::store::BasisRow;
use crate::corpus::numerals::article_label;
use crate::corpus::repeal::tsv_pairs;
use crate::corpus::store;
use crate::db::placeholders;
use crate::search::names::{LawNames, Resolution};

/// The law names of the database, with the project's aliases (`处罚法` → 行政处罚法).
#[derive(Debug, Default)]
pub struct LawBook {
    names: LawNames,
    titles: HashMap<i64, String>,
}

impl LawBook {
    /// Reads the statutes from SQL and `law_aliases.tsv` from the project's corpus folder.
    pub async fn load(pool: &AnyPool, project_corpus: &Path) -> Result<LawBook, sqlx::Error> {
        let statutes = store::statute_names(pool).await?;
        let aliases = std::fs::read_to_string(project_corpus.join("law_aliases.tsv"))
            .map(|t| tsv_pairs(&t))
            .unwrap_or_default();
        Ok(LawBook {
            names: LawNames::new(&statutes, &aliases),
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
    pool: &AnyPool,
    statutes: &[i64],
) -> Result<HashMap<i64, CurrentLaw>, sqlx::Error> {
    let mut out: HashMap<i64, CurrentLaw> = HashMap::new();
    for chunk in statutes.chunks(500) {
        let sql = format!(
            "select l.statute_id, l.law_id, l.version_date, a.article_no, a.article_sub, a.text \
             from law l join article a on a.law_id = l.law_id \
             where l.is_current = 1 and a.article_no > 0 and l.statute_id in {} \
             order by a.seq",
            placeholders(1, chunk.len(), 0)
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String, i64, i64, String)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for (statute, law_id, version_date, no, sub, text) in q.fetch_all(pool).await? {
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

/// Resolves references against the book and the loaded current laws: the rows found, and a
/// warning for each law or article that does not exist.
pub fn resolve(
    refs: &[BasisRef],
    book: &LawBook,
    laws: &HashMap<i64, CurrentLaw>,
) -> (Vec<BasisRow>, Vec<String>) {
    let mut rows: Vec<BasisRow> = Vec::new();
    let mut warnings = Vec::new();
    for r in refs {
        let Some(statute_id) = book.statute(&r.law) else {
            warnings.push(format!(
                "未找到法规《{}》（请先导入该法规），该依据已忽略",
                r.law
            ));
            continue;
        };
        let title = book.title(statute_id);
        let Some(law) = laws.get(&statute_id) else {
            warnings.push(format!("《{title}》没有条文，该依据已忽略"));
            continue;
        };
        let Some(text) = law.articles.get(&(r.article_no, r.article_sub)) else {
            warnings.push(format!(
                "《{title}》现行版本没有{}，该依据已忽略",
                article_label(r.article_no, r.article_sub)
            ));
            continue;
        };
        let row = BasisRow {
            statute_id,
            law_id: law.law_id,
            law_title: title.to_string(),
            article_no: r.article_no,
            article_sub: r.article_sub,
            text: text.clone(),
        };
        if !rows.iter().any(|x| x.same_article(&row)) {
            rows.push(row);
        }
    }
    (rows, warnings)
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
    pool: &AnyPool,
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
        .fetch_optional(pool)
        .await?;
        let Some((statute_id, title)) = law else {
            let message = format!("法规版本 {} 不存在", b.law_id);
            problems.push(Problem::new(Field::Basis, message));
            continue;
        };
        let label = article_label(b.article_no, b.article_sub);
        let Some(article) = store::article(pool, b.law_id, b.article_no, b.article_sub).await?
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
