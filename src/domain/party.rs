//! Ownership chains: who owns whom, up to the ultimate owners.
//!
//! Each party of a report may own one other party of the same report: `owns` holds that party's
//! key. `{"key": "p2", "owns": "p1"}` means p2 owns p1 (p2 is p1's parent). A party may have
//! several owners (51 % and 49 %); following "who owns this party" upwards, [`chain_of`] takes the
//! owner with the largest stake. The acquirer is usually at the bottom, the ultimate owners at the
//! tops.
//!
//! The functions take any slice of [`Link`]s, so they work on validated [`NewParty`] values, on
//! stored rows and on raw input alike; none of them assumes the links were validated (a loop or a
//! dangling key never makes them run forever or panic).

use std::collections::{BTreeSet, HashMap};

use super::countries;
use super::report::NewParty;

/// The most parties one ownership chain may hold, from the bottom party to its top owner.
pub const MAX_CHAIN_DEPTH: usize = 10;

/// What the chain logic needs to know about a party.
pub trait Link {
    /// The party's key within its report, e.g. "p1".
    fn key(&self) -> &str;
    /// The key of the party this one owns, if any.
    fn owns(&self) -> Option<&str>;
    /// The name, used in messages.
    fn name(&self) -> &str;
    /// The ISO 3166-1 alpha-2 country code.
    fn country(&self) -> &str;
    /// The share this party holds in the party it owns, in percent.
    fn ownership_pct(&self) -> Option<f64>;
}

impl<P: Link + ?Sized> Link for &P {
    fn key(&self) -> &str {
        (**self).key()
    }
    fn owns(&self) -> Option<&str> {
        (**self).owns()
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn country(&self) -> &str {
        (**self).country()
    }
    fn ownership_pct(&self) -> Option<f64> {
        (**self).ownership_pct()
    }
}

impl Link for NewParty {
    fn key(&self) -> &str {
        &self.key
    }
    fn owns(&self) -> Option<&str> {
        self.owns.as_deref()
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn country(&self) -> &str {
        &self.country
    }
    fn ownership_pct(&self) -> Option<f64> {
        self.ownership_pct
    }
}

/// The field of a party that a [`ChainError`] concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChainField {
    /// The party's own key (used twice).
    Key,
    /// The party it owns (unknown, itself, a loop, too deep).
    Owns,
}

impl ChainField {
    /// The field name as in a form or JSON body: "key" or "owns".
    pub fn as_str(self) -> &'static str {
        match self {
            ChainField::Key => "key",
            ChainField::Owns => "owns",
        }
    }
}

/// A problem with the links of one party.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainError {
    /// The party's position in the slice that was checked.
    pub position: usize,
    /// Which of its fields is wrong.
    pub field: ChainField,
    /// What to tell the user.
    pub message: String,
}

/// The links of a slice resolved to positions.
struct Graph {
    /// `owned[i]`: the position of the party that party `i` owns, when that is another party of
    /// the slice (the first one with that key).
    owned: Vec<Option<usize>>,
    /// The cycle each party is on, as positions starting from it; empty when it is on none.
    cycle: Vec<Vec<usize>>,
    /// Parties from the bottom of the chain up to and including this one; `None` when the
    /// chain below runs into a loop.
    level: Vec<Option<usize>>,
}

fn positions_by_key<P: Link>(parties: &[P]) -> HashMap<&str, usize> {
    let mut by_key = HashMap::with_capacity(parties.len());
    for (i, p) in parties.iter().enumerate() {
        by_key.entry(p.key()).or_insert(i);
    }
    by_key
}

fn graph<P: Link>(parties: &[P]) -> Graph {
    let by_key = positions_by_key(parties);
    let owned: Vec<Option<usize>> = parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.owns()
                .and_then(|k| by_key.get(k).copied())
                .filter(|&j| j != i)
        })
        .collect();

    let n = parties.len();
    let mut cycle: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut level: Vec<Option<usize>> = vec![None; n];
    // 0: not seen, 1: on the current walk, 2: done.
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut at = Some(start);
        // Follow `owns` downwards until a party already done, the bottom, or a loop.
        let mut below: Option<usize> = None;
        let mut looped = false;
        while let Some(i) = at {
            match state.get(i).copied() {
                Some(0) => {
                    if let Some(s) = state.get_mut(i) {
                        *s = 1;
                    }
                    walk.push(i);
                    at = owned.get(i).copied().flatten();
                }
                Some(1) => {
                    // A loop: the walk from the first visit of `i` onwards.
                    if let Some(from) = walk.iter().position(|&w| w == i) {
                        let members: Vec<usize> = walk.get(from..).unwrap_or_default().to_vec();
                        for (k, &m) in members.iter().enumerate() {
                            let mut rotated: Vec<usize> =
                                members.get(k..).unwrap_or_default().to_vec();
                            rotated.extend_from_slice(members.get(..k).unwrap_or_default());
                            if let Some(c) = cycle.get_mut(m) {
                                *c = rotated;
                            }
                        }
                    }
                    looped = true;
                    break;
                }
                _ => {
                    below = level.get(i).copied().flatten();
                    looped = below.is_none();
                    break;
                }
            }
        }
        // Levels from the bottom of the walk upwards.
        let mut current = if looped {
            None
        } else {
            Some(below.unwrap_or(0))
        };
        for &i in walk.iter().rev() {
            if cycle.get(i).is_some_and(|c| !c.is_empty()) {
                current = None;
            } else {
                current = current.map(|l| l + 1);
            }
            if let Some(l) = level.get_mut(i) {
                *l = current;
            }
            if let Some(s) = state.get_mut(i) {
                *s = 2;
            }
        }
    }
    Graph {
        owned,
        cycle,
        level,
    }
}

fn display_name<P: Link>(p: &P) -> &str {
    let name = p.name().trim();
    if name.is_empty() {
        p.key()
    } else {
        name
    }
}

fn loop_message<P: Link>(parties: &[P], members: &[usize]) -> String {
    const SHOWN: usize = 6;
    let name = |i: &usize| parties.get(*i).map(display_name).unwrap_or("?");
    let mut names: Vec<&str> = members.iter().take(SHOWN).map(name).collect();
    if members.len() > SHOWN {
        names.push("…");
    } else if let Some(first) = members.first() {
        names.push(name(first));
    }
    let mut names = names.into_iter();
    let mut text = String::from("Ownership loop: ");
    if let Some(a) = names.next() {
        text.push_str(a);
    }
    if let Some(b) = names.next() {
        text.push_str(" owns ");
        text.push_str(b);
    }
    for c in names {
        text.push_str(", which owns ");
        text.push_str(c);
    }
    text.push('.');
    text
}

/// Checks the links between parties: keys are unique, every `owns` names another party of the
/// slice, there is no ownership loop and no chain holds more than [`MAX_CHAIN_DEPTH`] parties.
/// Returns every problem found (empty when the links are sound), by position in the slice.
pub fn check<P: Link>(parties: &[P]) -> Vec<ChainError> {
    let mut errors = Vec::new();
    let mut push = |position: usize, field: ChainField, message: String| {
        errors.push(ChainError {
            position,
            field,
            message,
        });
    };

    let by_key = positions_by_key(parties);
    for (i, p) in parties.iter().enumerate() {
        if by_key.get(p.key()).is_some_and(|&first| first != i) {
            push(
                i,
                ChainField::Key,
                "Another party of this report already uses this key.".into(),
            );
        }
    }

    let g = graph(parties);
    for (i, p) in parties.iter().enumerate() {
        let Some(target) = p.owns() else { continue };
        if target == p.key() {
            push(i, ChainField::Owns, "A party cannot own itself.".into());
        } else if !by_key.contains_key(target) {
            push(i, ChainField::Owns, "Choose a party of this report.".into());
        } else if let Some(members) = g.cycle.get(i).filter(|c| !c.is_empty()) {
            push(i, ChainField::Owns, loop_message(parties, members));
        } else if g.level.get(i).copied().flatten() == Some(MAX_CHAIN_DEPTH + 1) {
            push(
                i,
                ChainField::Owns,
                format!(
                    "An ownership chain can have at most {MAX_CHAIN_DEPTH} parties; \
                     this one makes it longer."
                ),
            );
        }
    }
    errors
}

/// The tops of the chains: parties that own another party of the slice and that nobody owns,
/// in slice order.
pub fn ultimate_owners<P: Link>(parties: &[P]) -> Vec<&P> {
    let g = graph(parties);
    let mut owned_by_someone = vec![false; parties.len()];
    for j in g.owned.iter().flatten() {
        if let Some(flag) = owned_by_someone.get_mut(*j) {
            *flag = true;
        }
    }
    parties
        .iter()
        .zip(g.owned.iter().zip(owned_by_someone))
        .filter(|(_, (owns, owned))| owns.is_some() && !owned)
        .map(|(p, _)| p)
        .collect()
}

/// The chain from the party with this key up to its top owner: the party itself, then who owns
/// it, then who owns that one, and so on. Where a party has several owners, the one with the
/// largest `ownership_pct` is followed (the first listed on a tie or when none is given). Empty
/// when no party has the key; stops before a party already on the chain (a loop).
pub fn chain_of<'a, P: Link>(parties: &'a [P], key: &str) -> Vec<&'a P> {
    let g = graph(parties);
    let mut owners: Vec<Vec<usize>> = vec![Vec::new(); parties.len()];
    for (i, owned) in g.owned.iter().enumerate() {
        if let Some(list) = owned.and_then(|j| owners.get_mut(j)) {
            list.push(i);
        }
    }
    let Some(start) = parties.iter().position(|p| p.key() == key) else {
        return Vec::new();
    };
    let mut seen = vec![false; parties.len()];
    let mut chain = Vec::new();
    let mut at = Some(start);
    while let Some(i) = at {
        if seen.get(i).copied().unwrap_or(true) {
            break;
        }
        if let Some(s) = seen.get_mut(i) {
            *s = true;
        }
        let Some(p) = parties.get(i) else { break };
        chain.push(p);
        at = owners
            .get(i)
            .and_then(|list| controlling_owner(parties, list));
    }
    chain
}

/// Of several owners, the one with the largest stake (the first on a tie).
fn controlling_owner<P: Link>(parties: &[P], owners: &[usize]) -> Option<usize> {
    let stake = |i: usize| {
        parties
            .get(i)
            .and_then(|p| p.ownership_pct())
            .filter(|x| x.is_finite())
            .unwrap_or(-1.0)
    };
    let mut best: Option<usize> = None;
    for &i in owners {
        match best {
            Some(b) if stake(i) <= stake(b) => {}
            _ => best = Some(i),
        }
    }
    best
}

/// The number of parties on the longest chain, from a bottom party to its top owner: 0 with
/// no party, 1 when nobody owns anybody, 3 for acquirer ← parent ← ultimate parent. Parties on
/// or above a loop are not counted.
pub fn depth<P: Link>(parties: &[P]) -> usize {
    graph(parties)
        .level
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
}

/// The distinct foreign countries among the parties, upper-cased and sorted: every party's
/// country that is neither the United States nor one of its territories (see
/// [`countries::is_us`]). Every party is on a chain, if only its own; to leave out a role (the
/// seller, say), pass a filtered slice.
pub fn foreign_countries<P: Link>(parties: &[P]) -> Vec<String> {
    parties
        .iter()
        .map(|p| p.country().trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty() && !countries::is_us(c))
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct P {
        key: &'static str,
        owns: Option<&'static str>,
        country: &'static str,
        pct: Option<f64>,
    }

    impl Link for P {
        fn key(&self) -> &str {
            self.key
        }
        fn owns(&self) -> Option<&str> {
            self.owns
        }
        fn name(&self) -> &str {
            match self.key {
                "p1" => "Alpha LLC",
                "p2" => "Beta Ltd",
                _ => "",
            }
        }
        fn country(&self) -> &str {
            self.country
        }
        fn ownership_pct(&self) -> Option<f64> {
            self.pct
        }
    }

    fn p(key: &'static str, owns: Option<&'static str>, country: &'static str) -> P {
        P {
            key,
            owns,
            country,
            pct: None,
        }
    }

    fn keys(v: &[&P]) -> Vec<&'static str> {
        v.iter().map(|p| p.key).collect()
    }

    fn mineone() -> Vec<P> {
        vec![
            p("p1", None, "US"),
            p("p2", Some("p1"), "VG"),
            p("p3", Some("p2"), "CN"),
        ]
    }

    #[test]
    fn mineone_chain() {
        let ps = mineone();
        assert!(check(&ps).is_empty());
        assert_eq!(keys(&ultimate_owners(&ps)), ["p3"]);
        assert_eq!(keys(&chain_of(&ps, "p1")), ["p1", "p2", "p3"]);
        assert_eq!(keys(&chain_of(&ps, "p2")), ["p2", "p3"]);
        assert!(chain_of(&ps, "p9").is_empty());
        assert_eq!(depth(&ps), 3);
        assert_eq!(foreign_countries(&ps), ["CN", "VG"]);
    }

    #[test]
    fn empty_and_flat() {
        let none: Vec<P> = Vec::new();
        assert_eq!(depth(&none), 0);
        assert!(ultimate_owners(&none).is_empty());
        let flat = vec![p("p1", None, "US"), p("p2", None, "pr")];
        assert_eq!(depth(&flat), 1);
        assert!(ultimate_owners(&flat).is_empty());
        assert!(foreign_countries(&flat).is_empty());
    }

    #[test]
    fn controlling_owner_is_followed() {
        let mut ps = vec![
            p("p1", None, "US"),
            p("p2", Some("p1"), "CA"),
            p("p3", Some("p1"), "CN"),
        ];
        ps[1].pct = Some(49.0);
        ps[2].pct = Some(51.0);
        assert_eq!(keys(&chain_of(&ps, "p1")), ["p1", "p3"]);
        assert_eq!(keys(&ultimate_owners(&ps)), ["p2", "p3"]);
        assert_eq!(depth(&ps), 2);
        assert_eq!(foreign_countries(&ps), ["CA", "CN"]);
    }

    #[test]
    fn loop_is_named_on_each_member() {
        let ps = vec![p("p1", Some("p2"), "US"), p("p2", Some("p1"), "CN")];
        let errs = check(&ps);
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].position, 0);
        assert_eq!(errs[0].field, ChainField::Owns);
        assert_eq!(
            errs[0].message,
            "Ownership loop: Alpha LLC owns Beta Ltd, which owns Alpha LLC."
        );
        assert_eq!(
            errs[1].message,
            "Ownership loop: Beta Ltd owns Alpha LLC, which owns Beta Ltd."
        );
        // Nothing loops forever.
        assert_eq!(keys(&chain_of(&ps, "p1")), ["p1", "p2"]);
        assert!(ultimate_owners(&ps).is_empty());
        assert_eq!(depth(&ps), 0);
    }

    #[test]
    fn party_above_a_loop_is_not_a_loop_member() {
        let ps = vec![
            p("p1", Some("p2"), "US"),
            p("p2", Some("p3"), "US"),
            p("p3", Some("p2"), "US"),
        ];
        let errs = check(&ps);
        let positions: Vec<usize> = errs.iter().map(|e| e.position).collect();
        assert_eq!(positions, [1, 2]);
        assert!(errs[0]
            .message
            .starts_with("Ownership loop: Beta Ltd owns p3"));
    }

    #[test]
    fn self_dangling_and_duplicate() {
        let ps = vec![
            p("p1", Some("p1"), "US"),
            p("p2", Some("p7"), "US"),
            p("p2", None, "US"),
        ];
        let errs = check(&ps);
        assert_eq!(errs.len(), 3);
        assert_eq!((errs[0].position, errs[0].field), (2, ChainField::Key),);
        assert_eq!(errs[1].message, "A party cannot own itself.");
        assert_eq!(errs[2].message, "Choose a party of this report.");
        assert_eq!(errs[2].field.as_str(), "owns");
    }

    #[test]
    fn chain_depth_limit() {
        const KEYS: [&str; 12] = [
            "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10", "k11",
        ];
        let chain = |n: usize| -> Vec<P> {
            (0..n)
                .map(|i| p(KEYS[i], i.checked_sub(1).map(|j| KEYS[j]), "US"))
                .collect()
        };
        let ten = chain(10);
        assert!(check(&ten).is_empty());
        assert_eq!(depth(&ten), 10);
        let twelve = chain(12);
        let errs = check(&twelve);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].position, 10);
        assert_eq!(depth(&twelve), 12);
        assert_eq!(chain_of(&twelve, "k0").len(), 12);
    }
}
