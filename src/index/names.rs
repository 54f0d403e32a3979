//! The watchlist name index: which entries are worth scoring against a (normalised) name.
//!
//! Every entry's name and aliases are normalised ([`names::normalize`]) and cut into keys:
//!
//! * each word (`huawei`);
//! * each word with one letter deleted (`uawei`, `hawei`, …, `huawe`), so that a name with one
//!   wrong, missing, extra or swapped letter in a word still shares a key with the listed
//!   spelling (the "symmetric delete" idea: two words one edit apart share a one-deletion form
//!   or one is a one-deletion form of the other). Keys are word-sized, so they select far
//!   fewer entries than character trigrams would;
//! * each pair of neighbouring words run together (`mine one` → `mineone`), so a name written
//!   as one word finds one written as two, and the other way round.
//!
//! An inverted index maps each key (a 64-bit FNV-1a hash of its letters; a collision only adds a
//! candidate) to the names holding it. Keys held by more than [`COMMON_SHARE`] of the entries
//! (but at least [`COMMON_MIN`]) are too common to select anything ("trading", "technology",
//! their deletions, "ei") and are left out, except that every name keeps the keys that make it
//! findable with one mistake: its rarest word and that word's one-deletion forms (a mistake in
//! another word leaves the rarest word whole; one in it leaves a shared deletion form). So a
//! common key's list holds only the few names made of common words alone.
//!
//! A query's keys collect the names that share one; each such name is then checked against the
//! query by its padded character trigrams (per word, so word order does not matter) and kept
//! when their Dice coefficient reaches [`MIN_DICE`] or when the two differ by no more than one
//! edit could explain (at most four trigrams, for short names). The entries of the kept names
//! are returned most alike first (best Dice over an entry's names), at most [`MAX_CANDIDATES`].
//!
//! Guarantees and limits (tested against a full scan): every entry is found by each of its
//! names, and by each with one letter wrong, missing, doubled or swapped; and the entries that
//! [`names::score`] puts at or above the default threshold (0.88) are the same whether they are
//! scored from these candidates or from every entry. A name that differs from the listed one in
//! every rare word (or, for a name of common words, in its rarest word by two edits) can be
//! missed, and so can
//! matches below about 0.85: a threshold set much lower than the default makes the index find
//! fewer hits than a full scan would.

use std::collections::HashMap;

use crate::domain::screening::names;
use crate::domain::screening::{NameLookup, WatchEntry};

/// A key held by more than this share of the entries is common (see the module documentation).
pub const COMMON_SHARE: f64 = 0.05;

/// A key held by this many entries or fewer is never common, however short the list.
pub const COMMON_MIN: usize = 64;

/// The trigram Dice coefficient from which a name sharing a key is a candidate.
pub const MIN_DICE: f64 = 0.45;

/// At most this many candidates per query, the most alike first.
pub const MAX_CANDIDATES: usize = 200;

/// A normalised name of an entry.
struct IndexedName {
    /// The entry's position in the list.
    entry: u32,
    /// Sorted, deduplicated trigram hashes.
    grams: Vec<u32>,
}

/// The keys of one normalised name.
struct NameKeys {
    /// Per distinct word: its whole-word key and its one-deletion keys.
    words: Vec<(u64, Vec<u64>)>,
    /// Neighbouring words run together.
    pairs: Vec<u64>,
}

impl NameKeys {
    fn of(normalized: &str) -> NameKeys {
        let words: Vec<Vec<char>> = names::tokens(normalized)
            .map(|w| w.chars().collect())
            .collect();
        let pairs = words
            .windows(2)
            .map(|w| hash_chars(w[0].iter().chain(w[1].iter()).copied()))
            .collect();
        let mut distinct: Vec<&Vec<char>> = Vec::with_capacity(words.len());
        for w in &words {
            if !distinct.contains(&w) {
                distinct.push(w);
            }
        }
        let words = distinct
            .into_iter()
            .map(|w| {
                let deletions = if w.len() >= 2 {
                    (0..w.len())
                        .map(|skip| {
                            hash_chars(
                                w.iter()
                                    .enumerate()
                                    .filter(|(i, _)| *i != skip)
                                    .map(|(_, c)| *c),
                            )
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                (hash_chars(w.iter().copied()), deletions)
            })
            .collect();
        NameKeys { words, pairs }
    }

    fn all(&self) -> impl Iterator<Item = u64> + '_ {
        self.words
            .iter()
            .flat_map(|(w, d)| std::iter::once(*w).chain(d.iter().copied()))
            .chain(self.pairs.iter().copied())
    }
}

/// FNV-1a over the characters.
fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    chars.fold(0xcbf2_9ce4_8422_2325, |h, c| {
        (h ^ u64::from(u32::from(c))).wrapping_mul(0x0000_0100_0000_01b3)
    })
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

/// Watchlist entries with an inverted index of name keys (see the module documentation).
pub struct NameIndex {
    entries: Vec<WatchEntry>,
    names: Vec<IndexedName>,
    postings: HashMap<u64, Vec<u32>>,
}

impl NameIndex {
    /// Builds the index: normalises every name and alias and indexes their keys.
    pub fn new(entries: Vec<WatchEntry>) -> NameIndex {
        let mut names: Vec<IndexedName> = Vec::new();
        let mut keys: Vec<NameKeys> = Vec::new();
        let mut entry_keys: Vec<u64> = Vec::new();
        let mut df: HashMap<u64, u32> = HashMap::new();
        for (e, entry) in entries.iter().enumerate() {
            let Ok(e) = u32::try_from(e) else { break };
            let mut seen: Vec<String> = Vec::new();
            entry_keys.clear();
            for raw in std::iter::once(&entry.name).chain(entry.aliases.iter()) {
                let normal = names::normalize(raw);
                if normal.is_empty() || seen.contains(&normal) {
                    continue;
                }
                let k = NameKeys::of(&normal);
                entry_keys.extend(k.all());
                names.push(IndexedName {
                    entry: e,
                    grams: trigrams(&normal),
                });
                keys.push(k);
                seen.push(normal);
            }
            entry_keys.sort_unstable();
            entry_keys.dedup();
            for k in &entry_keys {
                *df.entry(*k).or_default() += 1;
            }
        }
        let limit = ((entries.len() as f64 * COMMON_SHARE).ceil() as usize).max(COMMON_MIN);
        let frequency = |k: &u64| df.get(k).map_or(0, |n| *n as usize);
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        let mut chosen: Vec<u64> = Vec::new();
        for (id, k) in keys.iter().enumerate() {
            let Ok(id) = u32::try_from(id) else { break };
            chosen.clear();
            chosen.extend(k.all().filter(|key| frequency(key) <= limit));
            // What keeps the name findable with one mistake, common or not: its rarest word and
            // that word's one-deletion forms (a mistake elsewhere leaves the word; one in it
            // leaves a shared deletion form).
            if let Some((w, deletions)) = k.words.iter().min_by_key(|(w, _)| frequency(w)) {
                chosen.push(*w);
                chosen.extend(deletions.iter().copied());
            }
            chosen.sort_unstable();
            chosen.dedup();
            for key in &chosen {
                let list = postings.entry(*key).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        }
        for list in postings.values_mut() {
            list.shrink_to_fit();
        }
        NameIndex {
            entries,
            names,
            postings,
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

    /// How many distinct keys are indexed (for capacity reports).
    pub fn key_count(&self) -> usize {
        self.postings.len()
    }
}

impl NameLookup for NameIndex {
    fn candidates(&self, normalized: &str) -> Vec<&WatchEntry> {
        let keys = NameKeys::of(normalized);
        let mut pool: Vec<u32> = Vec::new();
        for key in keys.all() {
            if let Some(list) = self.postings.get(&key) {
                pool.extend_from_slice(list);
            }
        }
        if pool.is_empty() {
            return Vec::new();
        }
        pool.sort_unstable();
        pool.dedup();
        let grams = trigrams(normalized);
        let mut kept: Vec<(f64, u32)> = Vec::new();
        for id in pool {
            let Some(name) = self.names.get(id as usize) else {
                continue;
            };
            let common = shared(&grams, &name.grams);
            let total = grams.len() + name.grams.len();
            let dice = if total == 0 {
                0.0
            } else {
                2.0 * common as f64 / total as f64
            };
            if dice >= MIN_DICE || common + 4 >= grams.len().max(name.grams.len()) {
                kept.push((dice, name.entry));
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
                for _ in 0..3 {
                    let wrong = misspell(n, &mut rng);
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
            let list = index.postings.get(&hash_chars(word.chars()));
            assert!(list.is_none_or(|l| l.len() <= 2), "{word}: {list:?}");
        }
        assert!(index.candidates("technology").len() <= 2);
        assert!(index.key_count() > 1_000);
    }
}
