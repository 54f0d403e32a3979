//! Step 5 of the test (DOMAIN.md 2.4, 31 CFR 802.216): exceptions that take covered real estate
//! out of Part 802.
//!
//! - Excepted real estate foreign state (802.216(a), 802.214): every foreign party on the buyer
//!   side (the acquirer and everyone up its chain, affiliates and nominees) is from one of the
//!   rule set's states (Australia, Canada, New Zealand, United Kingdom). The investor tests of
//!   802.215 (place of business, board, compliance record) are assumed met and said so.
//! - Urban area (802.216(c)): never for a covered port or close proximity (802.211(a), (b)(1)).
//! - Single housing unit (802.216(d)).
//! - Commercial office space (802.216(f)): the flag is taken to mean the 10 % floor-space and
//!   10 % tenant conditions hold.

use super::super::countries;
use super::super::rules::RuleSet;
use super::foreign::{describe, display_name, foreign_parties, unknown_country};
use super::{Subject, SubjectParty, Zone, ZoneHit};

/// An exception of 802.216.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exception {
    /// Every foreign party is from an excepted real estate foreign state.
    ExceptedForeignState,
    /// Urbanized area or urban cluster.
    UrbanArea,
    /// A single housing unit.
    SingleHousingUnit,
    /// Commercial space in a multi-unit building.
    CommercialOffice,
}

impl Exception {
    /// The exception's name in plain words.
    pub fn label(self) -> &'static str {
        match self {
            Exception::ExceptedForeignState => "excepted real estate foreign state",
            Exception::UrbanArea => "urban area",
            Exception::SingleHousingUnit => "single housing unit",
            Exception::CommercialOffice => "commercial office space",
        }
    }
}

/// Whether one exception applies, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Which exception.
    pub exception: Exception,
    /// Whether it applies.
    pub applies: bool,
    /// Why, in plain words.
    pub reason: String,
}

/// The exceptions the facts raise: those that apply, and those claimed or nearly met that do
/// not (with why not).
pub fn check(
    subject: &Subject,
    rules: &RuleSet,
    buyer: &[&SubjectParty],
    zones: &[ZoneHit],
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(f) = excepted_state(rules, buyer) {
        out.push(f);
    }
    if subject.urban_area {
        out.push(urban(zones));
    }
    if subject.single_housing_unit {
        out.push(Finding {
            exception: Exception::SingleHousingUnit,
            applies: true,
            reason: "Exception: a single housing unit, with its incidental fixtures and adjacent \
                     land (802.216(d))."
                .into(),
        });
    }
    if subject.commercial_office {
        out.push(Finding {
            exception: Exception::CommercialOffice,
            applies: true,
            reason: "Exception: commercial office space in a multi-unit building (802.216(f)), \
                     on the understanding that the foreign person will hold no more than 10% of \
                     its commercial floor space and foreign persons no more than 10% of its \
                     tenants."
                .into(),
        });
    }
    out
}

fn state_names(rules: &RuleSet) -> String {
    let names: Vec<&str> = rules
        .exceptions
        .excepted_states
        .iter()
        .map(|c| countries::country_name(c).unwrap_or(c.as_str()))
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => "no state".to_string(),
    }
}

fn excepted_state(rules: &RuleSet, buyer: &[&SubjectParty]) -> Option<Finding> {
    let foreign = foreign_parties(buyer);
    let (from_excepted, others): (Vec<&SubjectParty>, Vec<&SubjectParty>) = foreign
        .into_iter()
        .partition(|p| rules.is_excepted_state(&p.country));
    if from_excepted.is_empty() {
        return None;
    }
    let states = state_names(rules);
    let list = |ps: &[&SubjectParty]| {
        ps.iter()
            .map(|p| describe(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown = unknown_country(buyer);
    let (applies, reason) = if !others.is_empty() {
        (
            false,
            format!(
                "Not excepted as an excepted real estate foreign state: {} up the chain {} not from \
                 {states}, and every foreign party must be (802.214, 802.216(a)).",
                list(&others),
                if others.len() == 1 { "is" } else { "are" }
            ),
        )
    } else if !unknown.is_empty() {
        (
            false,
            format!(
                "The excepted-foreign-state exception cannot be confirmed: the country of {} is \
                 not given.",
                unknown
                    .iter()
                    .map(|p| display_name(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    } else {
        (
            true,
            format!(
                "Exception: every foreign party up the chain ({}) is from an excepted real estate \
                 foreign state ({states}; 802.214, 802.216(a)), assuming the investor tests of \
                 802.215 (place of business, board, compliance record) are met.",
                list(&from_excepted)
            ),
        )
    };
    Some(Finding {
        exception: Exception::ExceptedForeignState,
        applies,
        reason,
    })
}

fn urban(zones: &[ZoneHit]) -> Finding {
    let blocking = zones
        .iter()
        .find(|z| matches!(z.zone, Zone::Port | Zone::CloseProximity));
    let (applies, reason) = match blocking {
        Some(z) if z.zone == Zone::Port => (
            false,
            format!(
                "The urban-area exception does not apply: the property is inside {}, a covered \
                 port, and the exception never covers ports (802.216(c)).",
                z.site
            ),
        ),
        Some(z) => (
            false,
            format!(
                "The urban-area exception does not apply: the property is {:.2} mi from {}, in \
                 close proximity, and the exception never covers close proximity (802.216(c)).",
                z.distance_mi, z.site
            ),
        ),
        None => (
            true,
            "Exception: the property is in an urban area and lies only in extended-range or \
             county zones (802.216(c))."
                .to_string(),
        ),
    };
    Finding {
        exception: Exception::UrbanArea,
        applies,
        reason,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::super::fixtures::{party, subject};
    use super::super::SiteKind;
    use super::*;

    fn zone(zone: Zone, d: f64) -> ZoneHit {
        ZoneHit {
            site_id: 1,
            site: "Base".into(),
            kind: if zone == Zone::Port {
                SiteKind::Port
            } else {
                SiteKind::Military
            },
            zone,
            distance_mi: d,
        }
    }

    fn applying(subject: &Subject, zones: &[ZoneHit]) -> Vec<(Exception, bool)> {
        let rules = RuleSet::builtin().unwrap();
        let buyer: Vec<&SubjectParty> = subject.parties.iter().collect();
        check(subject, &rules, &buyer, zones)
            .into_iter()
            .map(|f| (f.exception, f.applies))
            .collect()
    }

    #[test]
    fn excepted_states_need_the_whole_chain() {
        use Exception::ExceptedForeignState as E;
        let chains: &[(&str, &[&str], Option<bool>)] = &[
            ("all Canadian and British", &["CA", "GB"], Some(true)),
            ("Australian owned from the US", &["AU", "US"], Some(true)),
            ("Canadian buyer, Chinese parent", &["CA", "CN"], Some(false)),
            (
                "New Zealand buyer, Chinese top",
                &["NZ", "AU", "CN"],
                Some(false),
            ),
            ("British buyer, BVI parent", &["GB", "VG"], Some(false)),
            (
                "Canadian buyer, parent country unknown",
                &["CA", ""],
                Some(false),
            ),
            ("no excepted state at all", &["DE"], None),
        ];
        let keys = ["p1", "p2", "p3"];
        for (name, countries, want) in chains {
            let parties: Vec<SubjectParty> = countries
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let owns = i.checked_sub(1).map(|j| keys[j]);
                    party(
                        keys[i],
                        &format!("Party {i}"),
                        c,
                        if i == 0 { "acquirer" } else { "parent" },
                        owns,
                    )
                })
                .collect();
            let s = subject(41.0, -104.0, None, parties);
            let got = applying(&s, &[zone(Zone::CloseProximity, 0.5)]);
            let got = got.iter().find(|(e, _)| *e == E).map(|(_, a)| *a);
            assert_eq!(got, *want, "{name}");
        }
    }

    #[test]
    fn urban_area_never_for_ports_or_close_proximity() {
        use Exception::UrbanArea as U;
        let mut s = subject(
            41.0,
            -104.0,
            None,
            vec![party("p1", "X", "DE", "acquirer", None)],
        );
        s.urban_area = true;
        let cases: &[(&str, Vec<ZoneHit>, bool)] = &[
            ("extended range", vec![zone(Zone::ExtendedRange, 5.0)], true),
            ("county", vec![zone(Zone::County, 30.0)], true),
            (
                "close proximity",
                vec![zone(Zone::CloseProximity, 0.4)],
                false,
            ),
            ("port", vec![zone(Zone::Port, 0.0)], false),
            (
                "port and extended range",
                vec![zone(Zone::ExtendedRange, 5.0), zone(Zone::Port, 0.0)],
                false,
            ),
        ];
        for (name, zones, want) in cases {
            assert_eq!(applying(&s, zones), [(U, *want)], "{name}");
        }
    }

    #[test]
    fn housing_and_office() {
        let mut s = subject(
            41.0,
            -104.0,
            None,
            vec![party("p1", "X", "CN", "acquirer", None)],
        );
        let z = [zone(Zone::CloseProximity, 0.2)];
        assert!(applying(&s, &z).is_empty());
        s.single_housing_unit = true;
        assert_eq!(applying(&s, &z), [(Exception::SingleHousingUnit, true)]);
        s.single_housing_unit = false;
        s.commercial_office = true;
        assert_eq!(applying(&s, &z), [(Exception::CommercialOffice, true)]);
    }
}
