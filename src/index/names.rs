//! The watchlist name index: which entries are worth scoring against a (normalised) name.
//!
//! Every entry's name and aliases are normalised ([`names::normalize`]) and cut into *terms*:
//! each word (`huawei`) and each pair of neighbouring words run together (`mine one` →
//! `mineone`, so a name written as one word meets one written as two). The distinct terms form a
//! vocabulary; each term lists the names that hold it (an inverted index), and each word's
//! one-letter deletions (`uawei`, `hawei`, …, `huawe`) point back to the word, so that a word
//! with one letter wrong, missing, extra or swapped finds the listed spelling (the "symmetric
//! delete" idea of SymSpell: two words one edit apart are equal, or one is a deletion of the
//! other, or they share a deletion). Terms are known by a 64-bit FNV-1a hash; a collision,
//! vanishingly rare, would merge two terms' lists and so only add candidates.
//!
//! Terms held by more than [`COMMON_SHARE`] of the entries (and by more than [`COMMON_MIN`]) are
//! too common to select anything ("trading", "technology") and list only the names for which
//! they are the rarest word, so that every name stays reachable through its rarest word.
//!
//! A query is cut the same way. Each of its words is looked up as written and, when it has at
//! least [`FUZZY_MIN_LEN`] letters or is not in the vocabulary at all, through its deletions
//! too (short words have so many one-letter neighbours — `wei`, `mei`, `lei`, `wen` — that
//! expanding a correctly spelt one would select half the list); pairs are looked up as written.
//! The names listed under the terms found are then checked with two cheap necessary conditions
//! and kept when both hold, or when the two differ by at most one letter either way:
//!
//! * the *letter bound*: every ratio [`names::score`] takes is `1 - d / n` with `d` at least the
//!   number of letters one name has beyond the other (as multisets, spaces aside) and `n` at most
//!   the longer length, so `1 - that number / longer length` bounds the score from above; it must
//!   reach [`MIN_SCORE`];
//! * the Dice coefficient of the padded character trigrams of the words (word order does not
//!   matter) must reach [`MIN_DICE`].
//!
//! The entries of the kept names are returned most alike first (best Dice over an entry's
//! names), at most [`MAX_CANDIDATES`].
//!
//! Guarantees and limits (tested against a full scan): every entry is found by each of its
//! names, and by each with one letter wrong, missing, doubled or swapped in its normal form
//! (unless the mistake turns a short word into another listed word and the name has no other
//! indexed word; a misspelt legal form is an extra word, not a mistake); and the
//! entries that [`names::score`] puts at or above the default threshold (0.88) are the same
//! whether they are scored from these candidates or from every entry, on the realistic test
//! lists. A name that differs from the listed one in every uncommon word by more than one letter
//! can be missed, and the index never returns a name whose score cannot reach [`MIN_SCORE`]
//! (0.8): a rule-set threshold below that finds fewer hits than a full scan would.

use std::collections::HashMap;

use crate::domain::screening::names;
use crate::domain::screening::{NameLookup, WatchEntry};

/// A term held by more than this share of the entries is common (see the module documentation).
pub const COMMON_SHARE: f64 = 0.05;

/// A term held by this many entries or fewer is never common, however short the list.
pub const COMMON_MIN: usize = 64;

/// Query words at least this long are always looked up through their deletions as well.
pub const FUZZY_MIN_LEN: usize = 5;

/// Names whose score against the query cannot reach this are not candidates.
pub const MIN_SCORE: f64 = 0.8;

/// The trigram Dice coefficient from which a name is a candidate.
pub const MIN_DICE: f64 = 0.45;

/// At most this many candidates per query, the most alike first.
pub const MAX_CANDIDATES: usize = 200;

/// The cheap part of a name's profile, checked first: letter counts in 32 buckets (letters that
/// share a bucket only lower the difference, so the bound stays an upper bound), the number of
/// letters and the length with spaces.
#[derive(Clone, Copy)]
struct Shape {
    letters: [u8; 32],
    count: u16,
    len: u16,
}

impl Shape {
    fn of(normalized: &str) -> Shape {
        let mut letters = [0u8; 32];
        let (mut count, mut len) = (0u16, 0u16);
        for c in normalized.chars() {
            len = len.saturating_add(1);
            if c != ' ' {
                count = count.saturating_add(1);
                let b = &mut letters[(u32::from(c) % 32) as usize];
                *b = b.saturating_add(1);
            }
        }
        Shape {
            letters,
            count,
            len,
        }
    }

    /// The most letters one has beyond the other.
    fn letter_difference(&self, other: &Shape) -> usize {
        let (mut more, mut fewer) = (0u32, 0u32);
        for i in 0..32 {
            more += u32::from(self.letters[i].saturating_sub(other.letters[i]));
            fewer += u32::from(other.letters[i].saturating_sub(self.letters[i]));
        }
        more.max(fewer) as usize
    }

    /// `Some(one_edit)` when the letter bound of the module documentation lets the name reach
    /// [`MIN_SCORE`] (`one_edit`: it differs by at most one letter, which always admits it).
    fn admits(&self, name: &Shape) -> Option<bool> {
        let longest = f64::from(self.len.max(name.len).max(1));
        let close = |difference: usize| {
            let one_edit = difference <= 1 && self.len.abs_diff(name.len) <= 1;
            (one_edit || 1.0 - difference as f64 / longest >= MIN_SCORE).then_some(one_edit)
        };
        // The difference in letter counts is a lower bound of the letter difference: a cheap
        // first test.
        close(usize::from(self.count.abs_diff(name.count)))?;
        close(self.letter_difference(name))
    }
}

/// A listed name: its entry and its sorted, deduplicated trigram hashes.
struct IndexedName {
    entry: u32,
    grams: Vec<u32>,
}

/// The trigram Dice coefficient of two sorted, deduplicated lists.
fn dice(a: &[u32], b: &[u32]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        0.0
    } else {
        2.0 * shared(a, b) as f64 / total as f64
    }
}

/// The words of a normalised name, each once, in order.
fn distinct_words(normalized: &str) -> Vec<&str> {
    let mut words: Vec<&str> = Vec::new();
    for w in names::tokens(normalized) {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

/// Neighbouring words run together.
fn pairs(normalized: &str) -> Vec<String> {
    let words: Vec<&str> = names::tokens(normalized).collect();
    words
        .windows(2)
        .map(|w| format!("{}{}", w[0], w[1]))
        .collect()
}

/// FNV-1a over the characters.
fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(0xcbf2_9ce4_8422_2325, |h, c| {
        (h ^ u64::from(u32::from(c))).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn hash_str(s: &str) -> u64 {
    hash_chars(s.chars())
}

/// The hashes of the word with one letter deleted (none for words of one letter).
fn deletions(word: &str) -> Vec<u64> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<u64> = (0..chars.len())
        .map(|skip| {
            let kept = chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| *c);
            hash_chars(kept)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The sorted, deduplicated hashes of the trigrams of each word padded with a space each side.
fn trigrams(normalized: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for word in names::tokens(normalized) {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(word.chars())
            .chain(std::iter::once(' '))
            .collect();
        for g in padded.windows(3) {
            let h = hash_chars(g.iter().copied());
            out.push((h ^ (h >> 32)) as u32);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// How many values two sorted lists share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Watchlist entries with an inverted index of name terms (see the module documentation).
pub struct NameIndex {
    entries: Vec<WatchEntry>,
    /// Per listed name (in step with `names`), stored apart to keep the first check compact.
    shapes: Vec<Shape>,
    names: Vec<IndexedName>,
    /// Term hash → term id.
    terms: HashMap<u64, u32>,
    /// Per term id: the names listed under it (ascending name ids).
    listed: Vec<Vec<u32>>,
    /// One-letter deletion hash → the ids of the words it comes from.
    deleted: HashMap<u64, Vec<u32>>,
}

impl NameIndex {
    /// Builds the index: normalises every name and alias and indexes their terms.
    pub fn new(entries: Vec<WatchEntry>) -> NameIndex {
        let mut names: Vec<IndexedName> = Vec::new();
        let mut shapes: Vec<Shape> = Vec::new();
        let mut terms: HashMap<u64, u32> = HashMap::new();
        let mut deleted: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut frequency: Vec<u32> = Vec::new();
        let mut is_word: Vec<bool> = Vec::new();
        // Per name: its word term ids and its pair term ids.
        let mut name_terms: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        let mut entry_terms: Vec<u32> = Vec::new();
        for (e, entry) in entries.iter().enumerate() {
            let Ok(e) = u32::try_from(e) else { break };
            let mut seen: Vec<String> = Vec::new();
            entry_terms.clear();
            for raw in std::iter::once(&entry.name).chain(entry.aliases.iter()) {
                let normal = names::normalize(raw);
                if normal.is_empty() || seen.contains(&normal) {
                    continue;
                }
                let mut intern = |term: &str, word: bool| -> u32 {
                    let next = terms.len() as u32;
                    let id = *terms.entry(hash_str(term)).or_insert(next);
                    if id == next {
                        frequency.push(0);
                        is_word.push(false);
                    }
                    // A term first met as a run-together pair may turn up as a word later.
                    if word && !is_word[id as usize] {
                        is_word[id as usize] = true;
                        for d in deletions(term) {
                            deleted.entry(d).or_default().push(id);
                        }
                    }
                    id
                };
                let words: Vec<u32> = distinct_words(&normal)
                    .into_iter()
                    .map(|w| intern(w, true))
                    .collect();
                let joined: Vec<u32> = pairs(&normal).iter().map(|p| intern(p, false)).collect();
                entry_terms.extend(words.iter().chain(joined.iter()));
                name_terms.push((words, joined));
                names.push(IndexedName {
                    entry: e,
                    grams: trigrams(&normal),
                });
                shapes.push(Shape::of(&normal));
                seen.push(normal);
            }
            entry_terms.sort_unstable();
            entry_terms.dedup();
            for t in &entry_terms {
                if let Some(f) = frequency.get_mut(*t as usize) {
                    *f += 1;
                }
            }
        }
        let limit = ((entries.len() as f64 * COMMON_SHARE).ceil() as usize).max(COMMON_MIN);
        let df = |t: &u32| frequency.get(*t as usize).map_or(0, |f| *f as usize);
        let mut listed: Vec<Vec<u32>> = vec![Vec::new(); frequency.len()];
        for (id, (words, joined)) in name_terms.iter().enumerate() {
            let Ok(id) = u32::try_from(id) else { break };
            let rarest = words.iter().min_by_key(|t| df(t)).copied();
            for t in words.iter().chain(joined.iter()) {
                if df(t) <= limit || Some(*t) == rarest {
                    if let Some(list) = listed.get_mut(*t as usize) {
                        if list.last() != Some(&id) {
                            list.push(id);
                        }
                    }
                }
            }
        }
        for list in listed.iter_mut().chain(deleted.values_mut()) {
            list.shrink_to_fit();
        }
        NameIndex {
            entries,
            shapes,
            names,
            terms,
            listed,
            deleted,
        }
    }

    /// The entries, in the order they were given.
    pub fn entries(&self) -> &[WatchEntry] {
        &self.entries
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many distinct terms (words and run-together pairs) are indexed.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The ids of the vocabulary terms a query matches.
    fn matching_terms(&self, normalized: &str) -> Vec<u32> {
        let mut found: Vec<u32> = Vec::new();
        for word in distinct_words(normalized) {
            let h = hash_str(word);
            let exact = self.terms.get(&h).copied();
            found.extend(exact);
            if exact.is_none() || word.chars().count() >= FUZZY_MIN_LEN {
                // The word is a deletion of a listed word, or the other way round, or both
                // are deletions of the same word.
                found.extend(self.deleted.get(&h).into_iter().flatten());
                for d in deletions(word) {
                    found.extend(self.terms.get(&d));
                    found.extend(self.deleted.get(&d).into_iter().flatten());
                }
            }
        }
        for p in pairs(normalized) {
            found.extend(self.terms.get(&hash_str(&p)));
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

impl NameLookup for NameIndex {
    fn candidates(&self, normalized: &str) -> Vec<&WatchEntry> {
        let terms = self.matching_terms(normalized);
        if terms.is_empty() {
            return Vec::new();
        }
        let shape = Shape::of(normalized);
        let grams = trigrams(normalized);
        let mut seen = vec![0u64; self.names.len().div_ceil(64)];
        let mut kept: Vec<(f64, u32)> = Vec::new();
        for t in terms {
            for &id in self.listed.get(t as usize).into_iter().flatten() {
                let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
                let Some(w) = seen.get_mut(word) else {
                    continue;
                };
                if *w & bit != 0 {
                    continue;
                }
                *w |= bit;
                let (Some(listed), Some(name)) =
                    (self.shapes.get(id as usize), self.names.get(id as usize))
                else {
                    continue;
                };
                let Some(one_edit) = shape.admits(listed) else {
                    continue;
                };
                let d = dice(&grams, &name.grams);
                if one_edit || d >= MIN_DICE {
                    kept.push((d, name.entry));
                }
            }
        }
        // The best name of each entry, then the most alike entries first.
        kept.sort_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)));
        kept.dedup_by_key(|k| k.1);
        kept.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        kept.truncate(MAX_CANDIDATES);
        kept.into_iter()
            .filter_map(|(_, e)| self.entries.get(e as usize))
            .collect()
    }
}

/// Watchlist entries in a list; every entry is a candidate (for tests and benchmarks).
pub struct ScanNames(pub Vec<WatchEntry>);

impl NameLookup for ScanNames {
    fn candidates(&self, _normalized: &str) -> Vec<&WatchEntry> {
        self.0.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::testing::{entries, misspell, name, Lcg};
    use super::*;
    use crate::domain::screening::names::{normalize, score, DEFAULT_THRESHOLD};

    /// The ids of the entries that score at least `threshold` against the name.
    fn hits(lookup: &dyn NameLookup, raw: &str, threshold: f64) -> Vec<i64> {
        let q = normalize(raw);
        let mut ids: Vec<i64> = lookup
            .candidates(&q)
            .into_iter()
            .filter(|e| {
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .any(|n| score(&q, &normalize(n)) >= threshold)
            })
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    fn found(index: &NameIndex, raw: &str, id: i64) -> bool {
        index.candidates(&normalize(raw)).iter().any(|e| e.id == id)
    }

    #[test]
    fn every_entry_is_found_by_its_names_and_by_one_mistake() {
        let list = entries(3_000, 11);
        let index = NameIndex::new(list.clone());
        let mut rng = Lcg(5);
        for e in &list {
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                assert!(found(&index, n, e.id), "{n}");
                // The mistake in what normalisation keeps (a misspelt "Corp." is a new word).
                let normal = normalize(n);
                for _ in 0..3 {
                    let wrong = misspell(&normal, &mut rng);
                    if normalize(&wrong).split(' ').count() < normal.split(' ').count() {
                        continue; // "zhao" as "zao", a legal form: not the same name any more
                    }
                    assert!(found(&index, &wrong, e.id), "{n} as {wrong}");
                }
            }
        }
    }

    #[test]
    fn hits_equal_those_of_a_full_scan() {
        let list = entries(3_000, 12);
        let index = NameIndex::new(list.clone());
        let normal: Vec<(i64, Vec<String>)> = list
            .iter()
            .map(|e| {
                let names = std::iter::once(&e.name).chain(&e.aliases);
                (e.id, names.map(|n| normalize(n)).collect())
            })
            .collect();
        let mut rng = Lcg(77);
        let (mut total, mut candidates) = (0, 0);
        for i in 0..400 {
            let raw = match i % 4 {
                0 => name(&mut rng),
                1 => list[rng.next() as usize % list.len()].name.clone(),
                2 => misspell(&list[rng.next() as usize % list.len()].name, &mut rng),
                _ => {
                    let once = misspell(&list[rng.next() as usize % list.len()].name, &mut rng);
                    misspell(&once, &mut rng)
                }
            };
            let q = normalize(&raw);
            // Every ratio is at most 1 - b / n, with b the letters one name has and the other
            // lacks (counted in buckets, which can only lower b) and n the longer length: skip
            // the names that cannot reach the threshold, or this test is slow unoptimised.
            let bag = |s: &str| {
                let mut b = [0i32; 32];
                for c in s.chars().filter(|c| *c != ' ') {
                    b[c as usize % 32] += 1;
                }
                b
            };
            let qb = bag(&q);
            let possible = |n: &str| {
                let nb = bag(n);
                let (mut more, mut less) = (0, 0);
                for (x, y) in qb.iter().zip(nb) {
                    more += (x - y).max(0);
                    less += (y - x).max(0);
                }
                let longest = q.chars().count().max(n.chars().count()).max(1);
                1.0 - more.max(less) as f64 / longest as f64 >= DEFAULT_THRESHOLD
            };
            let scan: Vec<i64> = normal
                .iter()
                .filter(|(_, names)| {
                    names
                        .iter()
                        .any(|n| possible(n) && score(&q, n) >= DEFAULT_THRESHOLD)
                })
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(hits(&index, &raw, DEFAULT_THRESHOLD), scan, "{raw}");
            total += scan.len();
            candidates += index.candidates(&q).len();
        }
        assert!(total > 250, "the test should find hits: {total}");
        // Far fewer candidates than entries.
        assert!(candidates < 400 * 100, "{candidates}");
    }

    #[test]
    fn real_looking_names() {
        let raw = [
            ("Huawei Technologies Co., Ltd.", &["Huawei"][..]),
            ("Rosoboronexport", &["Rosoboron Export"]),
            ("MineOne Partners Limited", &[]),
            (
                "China National Aero-Technology Import & Export Corp",
                &["CATIC"],
            ),
            ("Zhang Wei", &[]),
            ("Société Générale", &[]),
            ("Bank of China", &[]),
        ];
        let list: Vec<WatchEntry> = raw
            .iter()
            .enumerate()
            .map(|(i, (n, a))| WatchEntry {
                id: i as i64 + 1,
                list: "SDN".into(),
                name: n.to_string(),
                aliases: a.iter().map(|s| s.to_string()).collect(),
                country: None,
                program: "TEST".into(),
                source: "test".into(),
            })
            .collect();
        let index = NameIndex::new(list);
        let cases = [
            ("HUAWEI TECHNOLOGIES COMPANY LIMITED", 1),
            ("Huawei Technolgies", 1),
            ("Rosoboron Export", 2),
            ("Rosoboronexport JSC", 2),
            ("Mine One Partners Ltd", 3),
            (
                "China National Aero Technology Import and Export Corporation",
                4,
            ),
            ("Wei Zhang", 5),
            ("Societe Generale", 6),
        ];
        for (q, id) in cases {
            assert!(found(&index, q, id), "{q}");
            assert_eq!(hits(&index, q, DEFAULT_THRESHOLD), [id], "{q}");
        }
        assert!(index.candidates(&normalize("Acme Widgets")).is_empty());
        assert!(index.candidates("").is_empty());
        assert!(hits(&index, "Bank of Chinatown", DEFAULT_THRESHOLD).is_empty());
    }

    #[test]
    fn a_pair_met_before_the_same_word_still_finds_misspellings() {
        let entry = |id: i64, name: &str| WatchEntry {
            id,
            list: "SDN".into(),
            name: name.into(),
            aliases: Vec::new(),
            country: None,
            program: "TEST".into(),
            source: "test".into(),
        };
        let index = NameIndex::new(vec![entry(1, "Mine One Partners"), entry(2, "MineOne")]);
        assert!(found(&index, "Minone", 2));
        assert!(found(&index, "Mine One", 2));
        assert!(found(&index, "MineOne Partners", 1));
    }

    #[test]
    fn candidates_are_distinct_and_capped() {
        // Many entries with the same name: capped, each once.
        let list: Vec<WatchEntry> = (0..500)
            .map(|i| WatchEntry {
                id: i,
                list: "SDN".into(),
                name: "Zhang Wei".into(),
                aliases: vec!["Wei Zhang".into(), "ZHANG, Wei".into()],
                country: None,
                program: "TEST".into(),
                source: "test".into(),
            })
            .collect();
        let index = NameIndex::new(list);
        let got = index.candidates("zhang wei");
        assert_eq!(got.len(), MAX_CANDIDATES);
        let mut ids: Vec<i64> = got.iter().map(|e| e.id).collect();
        ids.dedup();
        assert_eq!(ids, (0..MAX_CANDIDATES as i64).collect::<Vec<_>>());
    }

    #[test]
    fn common_words_are_skipped_but_names_stay_findable() {
        let mut list = entries(2_000, 13);
        // "technology" and "trading" in more than 5% of the entries.
        for i in 0..300 {
            list.push(WatchEntry {
                id: 10_000 + i,
                list: "SDN".into(),
                name: format!("Firm{i} Technology Trading"),
                aliases: Vec::new(),
                country: None,
                program: "TEST".into(),
                source: "test".into(),
            });
        }
        list.push(WatchEntry {
            id: 1,
            list: "SDN".into(),
            name: "Technology Trading Co., Ltd.".into(),
            aliases: Vec::new(),
            country: None,
            program: "TEST".into(),
            source: "test".into(),
        });
        let index = NameIndex::new(list);
        for q in [
            "Technology Trading",
            "Trading Technology",
            "Technolgy Trading",
            "Technology Tradign",
            "Tecnology Tradding",
        ] {
            assert!(found(&index, q, 1), "{q}");
        }
        // Only the names made of common words alone hold a common key.
        for word in ["technology", "trading"] {
            let term = index.terms.get(&hash_str(word)).copied().unwrap();
            let list = &index.listed[term as usize];
            assert!(list.len() <= 2, "{word}: {list:?}");
        }
        assert!(index.candidates("technology").len() <= 2);
        assert!(index.term_count() > 1_000);
    }
}
