//! Watchlist matching (PRODUCT.md 4.2 step 6): every party name is normalised and scored against
//! the name index's candidates, each entry by its name and every alias, keeping the best score.
//! Normalisation and scoring are `super::names` (case, accents, punctuation, legal suffixes;
//! token-aware fuzzy score from 0 to 1).

use std::collections::HashSet;

use super::geometry::round2;
use super::names;
use super::{NameLookup, SubjectParty, WatchHit};

/// The hits for every party (seller included) whose best score against an entry reaches the
/// threshold, best first.
pub fn match_parties(
    parties: &[SubjectParty],
    lookup: &dyn NameLookup,
    threshold: f64,
) -> Vec<WatchHit> {
    let mut hits = Vec::new();
    let mut seen: HashSet<(String, i64)> = HashSet::new();
    for p in parties {
        let name = names::normalize(&p.name);
        if name.trim().is_empty() {
            continue;
        }
        for entry in lookup.candidates(&name) {
            let best = std::iter::once(&entry.name)
                .chain(entry.aliases.iter())
                .map(|n| names::score(&name, &names::normalize(n)))
                .filter(|s| s.is_finite())
                .fold(0.0_f64, f64::max);
            if best >= threshold && seen.insert((p.key.clone(), entry.id)) {
                hits.push(WatchHit {
                    party: p.name.clone(),
                    party_key: p.key.clone(),
                    entry_id: entry.id,
                    entry: entry.name.clone(),
                    list: entry.list.clone(),
                    program: entry.program.clone(),
                    score: round2(best.min(1.0)),
                });
            }
        }
    }
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.party_key.cmp(&b.party_key))
            .then(a.entry_id.cmp(&b.entry_id))
    });
    hits
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::fixtures::{party, VecNames};
    use super::super::WatchEntry;
    use super::*;

    fn entry(id: i64, name: &str, aliases: &[&str]) -> WatchEntry {
        WatchEntry {
            id,
            list: "SDN".into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            country: Some("CN".into()),
            program: "CMIC".into(),
            source: "test".into(),
        }
    }

    #[test]
    fn exact_names_and_aliases_hit_once() {
        let lookup = VecNames(vec![
            entry(
                7,
                "Shenzhen Example Technology Co., Ltd.",
                &["SZ Example Tech"],
            ),
            entry(8, "Completely Different Trading", &[]),
        ]);
        let parties = vec![
            party(
                "p1",
                "SHENZHEN EXAMPLE TECHNOLOGY CO LTD",
                "CN",
                "acquirer",
                None,
            ),
            party("p2", "SZ Example Tech", "CN", "parent", Some("p1")),
            party("p3", "", "CN", "affiliate", None),
        ];
        let hits = match_parties(&parties, &lookup, 0.88);
        let keys: Vec<(&str, i64)> = hits
            .iter()
            .map(|h| (h.party_key.as_str(), h.entry_id))
            .collect();
        assert_eq!(keys, [("p1", 7), ("p2", 7)]);
        assert!(hits.iter().all(|h| h.score >= 0.88 && h.score <= 1.0));
        assert_eq!(hits[0].list, "SDN");
        assert_eq!(hits[0].entry, "Shenzhen Example Technology Co., Ltd.");
        // A threshold above 1 finds nothing.
        assert!(match_parties(&parties, &lookup, 1.01).is_empty());
    }
}
