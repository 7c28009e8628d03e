//! Article mentions resolved to imported articles: the current version of the law a mention
//! names (by full title, short title, or title without 中华人民共和国) and whether it has the
//! article. The lookup is pure once the laws are loaded.

use std::collections::{HashMap, HashSet};

use sqlx::AnyConnection;

use super::parse::{Mention, Note, mentions};
use super::store;
use crate::corpus::numerals::{anchor, article_label};

/// A law a note can mention: its current version and the articles it has.
#[derive(Debug, Clone, Default)]
pub struct LawTarget {
    pub law_id: i64,
    pub statute_id: i64,
    pub title: String,
    pub short_title: String,
    pub articles: HashSet<(u32, u32)>,
}

/// A mention resolved to an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub law_id: i64,
    pub statute_id: i64,
    pub title: String,
    pub no: u32,
    pub sub: u32,
}

impl Resolved {
    /// `/laws/{law_id}?art=art-N#art-N`: the part of a long law that holds it.
    pub fn url(&self) -> String {
        let a = anchor(self.no, self.sub);
        format!("/laws/{}?art={a}#{a}", self.law_id)
    }
}

#[derive(Debug, Default)]
pub struct Resolver {
    laws: Vec<LawTarget>,
    by_name: HashMap<String, usize>,
}

impl Resolver {
    pub fn new(laws: Vec<LawTarget>) -> Resolver {
        let mut by_name = HashMap::new();
        for (i, l) in laws.iter().enumerate() {
            for name in [l.title.as_str(), l.short_title.as_str(), short(&l.title)] {
                if !name.is_empty() {
                    by_name.entry(name.to_string()).or_insert(i);
                }
            }
        }
        Resolver { laws, by_name }
    }

    /// The laws the notes name (their own and those mentioned), read from the database.
    pub async fn load(conn: &mut AnyConnection, notes: &[Note]) -> Result<Resolver, sqlx::Error> {
        let mut names: Vec<String> = Vec::new();
        for n in notes {
            names.push(n.law.clone());
            for s in &n.sections {
                names.extend(mentions(&s.body).into_iter().filter_map(|m| m.law));
            }
        }
        names.sort();
        names.dedup();
        let laws = store::law_targets(conn, &names).await?;
        Ok(Resolver::new(laws))
    }

    /// The law named `name`, current version.
    pub fn law(&self, name: &str) -> Option<&LawTarget> {
        let name = name.trim();
        self.by_name
            .get(name)
            .or_else(|| self.by_name.get(short(name)))
            .map(|&i| &self.laws[i])
    }

    /// Resolves a mention in a note about `own`; Err says why not (for the log).
    pub fn resolve(&self, own: &str, m: &Mention) -> Result<Resolved, String> {
        let name = m.law_or(own);
        let law = self
            .law(name)
            .ok_or_else(|| format!("law 《{name}》 is not imported"))?;
        if !law.articles.contains(&(m.no, m.sub)) {
            return Err(format!(
                "《{}》 has no {}",
                law.title,
                article_label(m.no, m.sub)
            ));
        }
        Ok(Resolved {
            law_id: law.law_id,
            statute_id: law.statute_id,
            title: law.title.clone(),
            no: m.no,
            sub: m.sub,
        })
    }

    /// Every mention of the notes that does not resolve, as `file § section: mention: why`.
    pub fn unresolved(&self, notes: &[Note]) -> Vec<String> {
        let mut out = Vec::new();
        for n in notes {
            if self.law(&n.law).is_none() {
                out.push(format!("{}: law 《{}》 is not imported", n.slug, n.law));
                continue;
            }
            for s in &n.sections {
                for m in mentions(&s.body) {
                    if let Err(why) = self.resolve(&n.law, &m) {
                        out.push(format!(
                            "{} § {}: {}: {why}",
                            n.slug,
                            s.heading,
                            &s.body[m.start..m.end]
                        ));
                    }
                }
            }
        }
        out
    }

    /// The distinct articles a note mentions that resolve, in order of first mention.
    pub fn articles_of(&self, note: &Note) -> Vec<Resolved> {
        let mut out: Vec<Resolved> = Vec::new();
        for s in &note.sections {
            for m in mentions(&s.body) {
                if let Ok(r) = self.resolve(&note.law, &m)
                    && !out.contains(&r)
                {
                    out.push(r);
                }
            }
        }
        out
    }
}

/// A title without 中华人民共和国, as notes and officials often write it.
fn short(title: &str) -> &str {
    title.strip_prefix("中华人民共和国").unwrap_or(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver() -> Resolver {
        Resolver::new(vec![LawTarget {
            law_id: 7,
            statute_id: 3,
            title: "中华人民共和国行政处罚法".into(),
            short_title: "行政处罚法".into(),
            articles: [(9, 0), (36, 0), (10, 1)].into(),
        }])
    }

    fn m(law: Option<&str>, no: u32, sub: u32) -> Mention {
        Mention {
            start: 0,
            end: 0,
            law: law.map(String::from),
            no,
            sub,
        }
    }

    #[test]
    fn mentions_resolve_by_any_name_of_the_law() {
        let r = resolver();
        let own = "中华人民共和国行政处罚法";
        for law in [None, Some("行政处罚法"), Some("中华人民共和国行政处罚法")] {
            let got = r.resolve(own, &m(law, 9, 0)).expect("resolves");
            assert_eq!(got.url(), "/laws/7?art=art-9#art-9");
        }
        assert_eq!(
            r.resolve(own, &m(None, 10, 1)).map(|x| x.url()),
            Ok("/laws/7?art=art-10-1#art-10-1".to_string())
        );
    }

    #[test]
    fn unknown_laws_and_articles_are_reported_not_resolved() {
        let r = resolver();
        let own = "中华人民共和国行政处罚法";
        assert!(
            r.resolve(own, &m(None, 500, 0))
                .unwrap_err()
                .contains("第五百条")
        );
        assert!(
            r.resolve(own, &m(Some("某某法"), 1, 0))
                .unwrap_err()
                .contains("某某法")
        );
    }
}
