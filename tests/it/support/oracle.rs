//! The plain scan that every queue search must agree with, written straight from the rules:
//!
//! - the searchable text of a case is its reference, title, summary, property address and the
//!   name of every party;
//! - text and query are lower-cased, diacritics removed (NFD, combining marks dropped), and
//!   split into words, the maximal runs of `char::is_alphanumeric` characters;
//! - a case matches when every word of the query begins some word of its text; a blank query
//!   is no search (the whole queue), and one of signs only (`%`, `"`) has no word to find and
//!   finds nothing: it is never a wildcard;
//! - the queue's filters apply too, and the order is the queue's sort.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The words of a text (or of a query).
pub fn words(text: &str) -> Vec<String> {
    let folded: String = text
        .to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of a case's searchable texts.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    pub words: BTreeSet<String>,
}

impl Doc {
    pub fn new<'t>(texts: impl IntoIterator<Item = &'t str>) -> Doc {
        Doc {
            words: texts.into_iter().flat_map(words).collect(),
        }
    }

    /// Whether every query word begins a word of this text.
    pub fn matches(&self, query: &[String]) -> bool {
        query
            .iter()
            .all(|q| self.words.iter().any(|w| w.starts_with(q.as_str())))
    }
}

/// What the queue knows of a case, for filtering and sorting by hand.
#[derive(Clone, Debug)]
pub struct CaseModel {
    pub id: i64,
    pub reference: String,
    pub state: String,
    pub assignee: Option<String>,
    pub lead_agency: Option<String>,
    /// Upper-case country codes of its parties.
    pub countries: BTreeSet<String>,
    pub risk_band: Option<String>,
    /// `None` when no deadline is open.
    pub next_due: Option<NaiveDate>,
    pub received_on: NaiveDate,
    /// A text that sorts as the instant does (`YYYY-MM-DD HH:MM:SS` or RFC 3339 in UTC).
    pub updated_at: String,
    /// The searchable texts, as stored.
    pub texts: Vec<String>,
    pub doc: Doc,
}

/// The queue's filters, as `GET /api/v1/cases` takes them.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub state: Option<String>,
    pub assignee: Option<String>,
    pub agency: Option<String>,
    pub country: Option<String>,
    pub risk: Option<String>,
    pub overdue: bool,
    pub mine: bool,
}

impl Filters {
    /// The filters as query parameters.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        let mut put = |k: &'static str, v: &Option<String>| {
            if let Some(v) = v {
                p.push((k, v.clone()));
            }
        };
        put("state", &self.state);
        put("assignee", &self.assignee);
        put("agency", &self.agency);
        put("country", &self.country);
        put("risk", &self.risk);
        if self.overdue {
            p.push(("overdue", "true".into()));
        }
        if self.mine {
            p.push(("mine", "true".into()));
        }
        p
    }

    fn admits(&self, c: &CaseModel, me: &str, today: NaiveDate) -> bool {
        let eq = |want: &Option<String>, have: &Option<String>| {
            want.as_ref()
                .is_none_or(|w| have.as_deref() == Some(w.as_str()))
        };
        eq(&self.state, &Some(c.state.clone()))
            && (self.mine || eq(&self.assignee, &c.assignee))
            && (!self.mine || c.assignee.as_deref() == Some(me))
            && eq(&self.agency, &c.lead_agency)
            && self
                .country
                .as_ref()
                .is_none_or(|k| c.countries.contains(&k.to_uppercase()))
            && eq(&self.risk, &c.risk_band)
            && (!self.overdue || c.next_due.is_some_and(|d| d < today))
    }
}

/// The cases a query with these filters lists, in the order of `sort` (`deadline`,
/// `received` or `updated`), for user `me` on `today`.
pub fn expected(
    cases: &[CaseModel],
    q: &str,
    f: &Filters,
    sort: &str,
    me: &str,
    today: NaiveDate,
) -> Vec<i64> {
    let query = words(q);
    if query.is_empty() && !q.trim().is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<&CaseModel> = cases
        .iter()
        .filter(|c| f.admits(c, me, today))
        .filter(|c| query.is_empty() || c.doc.matches(&query))
        .collect();
    match sort {
        "received" => hits.sort_by_key(|c| std::cmp::Reverse((c.received_on, c.id))),
        "updated" => hits.sort_by(|a, b| (&b.updated_at, b.id).cmp(&(&a.updated_at, a.id))),
        _ => hits.sort_by_key(|c| (c.next_due.unwrap_or(NaiveDate::MAX), c.id)),
    }
    hits.iter().map(|c| c.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_folds_and_splits_as_the_rules_say() {
        assert_eq!(
            words("Zürich-Société, CFN-2024-00012 Łódź O’Brien"),
            ["zurich", "societe", "cfn", "2024", "00012", "łodz", "o", "brien"]
        );
        assert_eq!(words("Mu\u{308}ller"), ["muller"]);
        assert!(words(" %_*\"'();-- ").is_empty());
        let doc = Doc::new(["Shenzhen Huaxin", "Norfolk"]);
        assert!(doc.matches(&words("HUAX norf")));
        assert!(!doc.matches(&words("uaxin")));
        assert!(!doc.matches(&words("huaxin or norfolk")));
    }
}
