//! Queue search: how a case's text and a user's query become words, the same way for both
//! databases.
//!
//! Text is lower-cased, diacritics are removed (Unicode NFD, combining marks dropped), and split
//! into words: runs of letters and digits; everything else separates. A case matches a query
//! when every word of the query begins some word of the case ("huax" finds "Huaxin"). The
//! databases only ever see the words this module makes, so SQLite's FTS5 index and PostgreSQL's
//! `tsvector` hold the same words and answer the same; a user's `%`, `*`, quotes, `OR` or
//! `NEAR(` are plain text, never query syntax. A search of only such signs ("%") has no word to
//! find and finds no case: it is not a wildcard.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The longest word kept, in characters: a longer run (a pasted hash, say) is kept as its
/// beginning, in stored text and queries alike, so it is still found by any shorter prefix.
/// PostgreSQL refuses lexemes over 2,047 bytes; 200 characters stay well under.
pub const MAX_WORD: usize = 200;

/// The words of a text, lower-cased and without diacritics.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut len = 0;
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                if len < MAX_WORD {
                    word.push(l);
                    len += 1;
                }
            }
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
            len = 0;
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// What the index stores for a case: the words of all its searchable texts, each once, joined
/// by single spaces.
pub fn index_text<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for text in texts {
        for w in words(text) {
            if seen.insert(w.clone()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&w);
            }
        }
    }
    out
}

/// A user's search, as words that must each begin a word of the case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    text: String,
    words: Vec<String>,
}

impl Query {
    /// The query in `raw`, or `None` when it is blank (no search at all). A query of signs
    /// only has no words and matches nothing.
    pub fn parse(raw: &str) -> Option<Query> {
        let text = raw.trim();
        if text.is_empty() {
            return None;
        }
        let mut words: Vec<String> = Vec::new();
        for w in self::words(raw) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
        // A word that begins another query word adds nothing: "hua huaxin" is "huaxin".
        let all = words.clone();
        words.retain(|w| !all.iter().any(|o| o != w && o.starts_with(w.as_str())));
        Some(Query {
            text: text.to_string(),
            words,
        })
    }

    /// What the user typed, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// An FTS5 query: each word a quoted prefix phrase, all required. Words hold only letters
    /// and digits, so the quotes cannot be broken out of.
    pub fn fts5(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// A PostgreSQL `tsquery` literal: each word a quoted prefix lexeme, all required.
    pub fn tsquery(&self) -> String {
        self.words
            .iter()
            .map(|w| format!("'{w}':*"))
            .collect::<Vec<_>>()
            .join(" & ")
    }

    /// Whether an index text (from [`index_text`]) matches: the plain scan both indexes must
    /// agree with.
    pub fn matches(&self, index_text: &str) -> bool {
        !self.words.is_empty()
            && self
                .words
                .iter()
                .all(|q| index_text.split(' ').any(|w| w.starts_with(q.as_str())))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    #[test]
    fn words_fold_case_and_diacritics_and_split_on_punctuation() {
        assert_eq!(
            words("Zürich-Société, CFN-2024-00012 Łódź"),
            ["zurich", "societe", "cfn", "2024", "00012", "łodz"]
        );
        assert_eq!(words("  %_*\"' "), Vec::<String>::new());
    }

    #[test]
    fn index_text_keeps_each_word_once_with_single_spaces() {
        let t = index_text(["Huaxin  Huaxin", "", "North Dakota; huaxin"]);
        assert_eq!(t, "huaxin north dakota");
    }

    #[test]
    fn syntax_in_a_query_is_plain_text() {
        let q = Query::parse("Huaxin OR \"Norfolk\" NEAR(a* -b) 50% col:x '); DROP TABLE cases;--")
            .expect("words");
        assert_eq!(
            q.words(),
            [
                "huaxin", "or", "norfolk", "near", "a", "b", "50", "col", "x", "drop", "table",
                "cases"
            ]
        );
        assert!(q.fts5().starts_with("\"huaxin\"* AND \"or\"* AND"));
        assert!(q.tsquery().starts_with("'huaxin':* & 'or':* &"));
        assert_eq!(Query::parse("  "), None);
        let signs = Query::parse(" %_ * \" ").expect("not blank");
        assert!(signs.words().is_empty());
        assert_eq!(signs.text(), "%_ * \"");
        assert!(!signs.matches("anything at all"));
    }

    #[test]
    fn prefixes_and_diacritics_match() {
        let text = index_text(["Shenzhen Huaxin Precision", "Zürich Road"]);
        for (q, hit) in [
            ("Huax", true),
            ("huaxin prec", true),
            ("zurich", true),
            ("Zür", true),
            ("uaxin", false),
            ("huaxin london", false),
        ] {
            let parsed = Query::parse(q).expect("words");
            assert_eq!(parsed.matches(&text), hit, "{q}");
        }
    }

    #[test]
    fn long_words_keep_their_beginning() {
        let long = "ab12".repeat(800);
        let w = words(&format!("x {long} y"));
        assert_eq!(w.len(), 3);
        assert_eq!(w[1].chars().count(), MAX_WORD);
        assert!(long.starts_with(&w[1]));
        let q = Query::parse(&long[..12]).expect("words");
        assert!(q.matches(&index_text([long.as_str()])));
    }

    #[test]
    fn a_word_covered_by_a_longer_one_is_dropped() {
        let q = Query::parse("hua huaxin hua").expect("words");
        assert_eq!(q.words(), ["huaxin"]);
    }
}
