//! Step 1 of the test (DOMAIN.md 2.1): is the buyer a foreign person, and from where up the
//! ownership chain? The buyer side is every party but the seller; a party from the United States
//! or one of its territories is not foreign ([`countries::is_us`]).

use std::collections::BTreeSet;

use super::super::countries;
use super::super::party::{self, Link};
use super::{ForeignPerson, SubjectParty};

impl Link for SubjectParty {
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

/// Whether the party sells the property (and so is not on the buyer's side).
pub fn is_seller(p: &SubjectParty) -> bool {
    p.role.trim().eq_ignore_ascii_case("seller")
}

/// Every party but the seller: the acquirer, its owners, affiliates and nominees.
pub fn buyer_side(parties: &[SubjectParty]) -> Vec<&SubjectParty> {
    parties.iter().filter(|p| !is_seller(p)).collect()
}

/// The party's name, or its key when it has none.
pub fn display_name(p: &SubjectParty) -> &str {
    match p.name.trim() {
        "" => p.key.trim(),
        n => n,
    }
}

/// "Name (CC)", or "Name (country unknown)".
pub fn describe(p: &SubjectParty) -> String {
    let name = display_name(p);
    match p.country.trim() {
        "" => format!("{name} (country unknown)"),
        c => format!("{name} ({})", c.to_ascii_uppercase()),
    }
}

/// The buyer-side parties whose country is not given.
pub fn unknown_country<'a>(buyer: &[&'a SubjectParty]) -> Vec<&'a SubjectParty> {
    buyer
        .iter()
        .copied()
        .filter(|p| p.country.trim().is_empty())
        .collect()
}

/// Where the chains start: the acquirers, or when none is marked, the buyer-side parties that
/// own no other party.
fn chain_starts<'a>(buyer: &[&'a SubjectParty]) -> Vec<&'a SubjectParty> {
    let acquirers: Vec<&SubjectParty> = buyer
        .iter()
        .copied()
        .filter(|p| p.role.trim().eq_ignore_ascii_case("acquirer"))
        .collect();
    if acquirers.is_empty() {
        buyer.iter().copied().filter(|p| p.owns.is_none()).collect()
    } else {
        acquirers
    }
}

/// The foreign-person finding for the parties of a case.
pub fn foreign_person(parties: &[SubjectParty]) -> ForeignPerson {
    let buyer = buyer_side(parties);
    let countries = party::foreign_countries(&buyer);
    let mut ultimate_owners: Vec<String> = Vec::new();
    let mut chain = Vec::new();
    for start in chain_starts(&buyer) {
        let links = party::chain_of(&buyer, start.key.as_str());
        if let Some(top) = links.last() {
            let top = describe(top);
            if !ultimate_owners.contains(&top) {
                ultimate_owners.push(top);
            }
        }
        chain.push(chain_sentence(&links));
    }
    // Tops of chains that do not lead to an acquirer (a second owner's own parents, say).
    for top in party::ultimate_owners(&buyer) {
        let top = describe(top);
        if !ultimate_owners.contains(&top) {
            ultimate_owners.push(top);
        }
    }
    ForeignPerson {
        foreign: !countries.is_empty(),
        countries,
        ultimate_owners,
        chain,
    }
}

/// "A (US) is owned by B (VG), owned by C (CN)".
fn chain_sentence(links: &[&&SubjectParty]) -> String {
    let mut names = links.iter().map(|p| describe(p));
    let mut text = names.next().unwrap_or_default();
    match names.next() {
        None => text.push_str(" has no recorded owner"),
        Some(owner) => {
            text.push_str(" is owned by ");
            text.push_str(&owner);
            for above in names {
                text.push_str(", owned by ");
                text.push_str(&above);
            }
        }
    }
    text
}

/// The buyer-side parties from outside the United States, each once.
pub fn foreign_parties<'a>(buyer: &[&'a SubjectParty]) -> Vec<&'a SubjectParty> {
    let mut seen = BTreeSet::new();
    buyer
        .iter()
        .copied()
        .filter(|p| {
            let c = p.country.trim();
            !c.is_empty() && !countries::is_us(c)
        })
        .filter(|p| seen.insert(p.key.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::fixtures::{mineone_parties, party};
    use super::*;

    #[test]
    fn mineone_chain_in_plain_words() {
        let fp = foreign_person(&mineone_parties());
        assert!(fp.foreign);
        assert_eq!(fp.countries, ["CN", "VG"]);
        assert_eq!(fp.ultimate_owners, ["PRC nationals (undisclosed) (CN)"]);
        assert_eq!(
            fp.chain,
            [
                "MineOne Wyoming Data Center LLC (US) is owned by MineOne Partners Ltd (VG), \
              owned by PRC nationals (undisclosed) (CN)"
            ]
        );
    }

    #[test]
    fn sellers_and_territories_are_not_foreign() {
        let parties = vec![
            party("p1", "Buyer LLC", "US", "acquirer", None),
            party("p2", "Island Holdings", "PR", "parent", Some("p1")),
            party("p3", "Vendor GmbH", "DE", "seller", None),
        ];
        let fp = foreign_person(&parties);
        assert!(!fp.foreign);
        assert!(fp.countries.is_empty());
        assert_eq!(fp.ultimate_owners, ["Island Holdings (PR)"]);
    }

    #[test]
    fn a_lone_buyer_is_its_own_top() {
        let parties = vec![party("p1", "", "cn", "acquirer", None)];
        let fp = foreign_person(&parties);
        assert_eq!(fp.countries, ["CN"]);
        assert_eq!(fp.chain, ["p1 (CN) has no recorded owner"]);
        let buyer = buyer_side(&parties);
        assert_eq!(foreign_parties(&buyer).len(), 1);
        assert!(unknown_country(&buyer).is_empty());
    }
}
