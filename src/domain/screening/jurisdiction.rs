//! The answer (DOMAIN.md 2.1): every step of the test is found to pass, fail or be unknown.
//! The first step that fails makes the case `not_covered` (the answer no longer depends on
//! anything missing); otherwise a step that is unknown makes it `needs_review`; otherwise an
//! exception that applies makes it `excepted`; otherwise it is `covered`. The reasons give the
//! answer first, then every step in plain words.

use chrono::NaiveDate;

use super::super::rules::RuleSet;
use super::exceptions;
use super::foreign::{describe, display_name, foreign_parties, unknown_country};
use super::rights;
use super::zones::ZoneReport;
use super::{ForeignPerson, Jurisdiction, Subject, SubjectParty};

/// The facts the answer is drawn from.
pub struct Facts<'a> {
    /// The case.
    pub subject: &'a Subject,
    /// The rule set.
    pub rules: &'a RuleSet,
    /// Every party but the seller.
    pub buyer: &'a [&'a SubjectParty],
    /// The foreign-person finding.
    pub foreign: &'a ForeignPerson,
    /// The zones found.
    pub zones: &'a ZoneReport<'a>,
    /// The date the site list was taken on.
    pub as_of: NaiveDate,
    /// Whether that is the transaction date (else the screening date).
    pub dated: bool,
}

enum Step {
    Pass,
    Fail(String),
    Unknown(String),
}

/// Decides the answer and explains it.
pub fn decide(f: &Facts<'_>) -> (Jurisdiction, Vec<String>) {
    let mut reasons = Vec::new();
    let mut steps = Vec::new();

    steps.push(foreign_step(f, &mut reasons));
    steps.push(transaction_step(f.subject, &mut reasons));
    steps.push(location_step(f, &mut reasons));
    let rights = rights::test(&f.subject.rights);
    reasons.push(rights.reason.clone());
    steps.push(if rights.passes {
        Step::Pass
    } else {
        Step::Fail(format!(
            "the foreign person gets only {} of the 4 property rights",
            rights.granted
        ))
    });
    let part_802: Vec<_> = f
        .zones
        .hits
        .iter()
        .filter(|z| z.zone.is_part_802())
        .cloned()
        .collect();
    let found = exceptions::check(f.subject, f.rules, f.buyer, &part_802);
    reasons.extend(found.iter().map(|e| e.reason.clone()));

    let failed = steps.iter().find_map(|s| match s {
        Step::Fail(why) => Some(why.clone()),
        _ => None,
    });
    let unknown: Vec<String> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Unknown(why) => Some(why.clone()),
            _ => None,
        })
        .collect();
    let applying: Vec<&str> = found
        .iter()
        .filter(|e| e.applies)
        .map(|e| e.exception.label())
        .collect();
    let (answer, summary) = if let Some(why) = failed {
        (Jurisdiction::NotCovered, format!("Not covered: {why}."))
    } else if !unknown.is_empty() {
        (
            Jurisdiction::NeedsReview,
            format!("Needs review: {}.", unknown.join("; ")),
        )
    } else if !applying.is_empty() {
        (
            Jurisdiction::Excepted,
            format!(
                "Excepted: covered real estate, but the {} exception applies.",
                applying.join(" and the ")
            ),
        )
    } else {
        (
            Jurisdiction::Covered,
            "Covered: a foreign person gets at least 3 of the 4 property rights in covered real \
             estate, and no exception applies (802.212)."
                .to_string(),
        )
    };
    reasons.insert(0, summary);
    (answer, reasons)
}

fn foreign_step(f: &Facts<'_>, reasons: &mut Vec<String>) -> Step {
    if f.subject.parties.is_empty() {
        reasons.push("Foreign person: no parties are recorded.".into());
        return Step::Unknown(
            "no parties are recorded, so it cannot be told whether a foreign person is involved"
                .into(),
        );
    }
    let unknown = unknown_country(f.buyer);
    let unknown_list = unknown
        .iter()
        .map(|p| display_name(p))
        .collect::<Vec<_>>()
        .join(", ");
    if f.foreign.foreign {
        let who: Vec<String> = foreign_parties(f.buyer)
            .iter()
            .map(|p| describe(p))
            .collect();
        reasons.push(format!("Foreign person: {}.", who.join(", ")));
        for chain in &f.foreign.chain {
            reasons.push(format!("Ownership: {chain}."));
        }
        Step::Pass
    } else if !unknown.is_empty() {
        reasons.push(format!("Foreign person: no party is known to be foreign, but the country of {unknown_list} is not given."));
        Step::Unknown(format!("the country of {unknown_list} is not given"))
    } else if f.buyer.is_empty() {
        reasons.push("Foreign person: only the seller is recorded.".into());
        Step::Unknown("only the seller is recorded, not the buyer".into())
    } else {
        reasons.push("Foreign person: every party on the buyer side is from the United States or its territories.".into());
        Step::Fail("no foreign person is involved".into())
    }
}

fn transaction_step(subject: &Subject, reasons: &mut Vec<String>) -> Step {
    match subject.tx_kind.trim().to_ascii_lowercase().as_str() {
        kind @ ("purchase" | "lease" | "concession") => {
            reasons.push(format!("Transaction: a {kind} of real estate (802.212)."));
            Step::Pass
        }
        "greenfield" => {
            reasons.push("Transaction: a greenfield land purchase, which is a purchase of real estate (802.212).".into());
            Step::Pass
        }
        "business_acquisition" => {
            reasons.push("Transaction: the acquisition of a US business, reviewed under Part 800 rather than Part 802 (802.216(b)).".into());
            Step::Fail("the acquisition of a US business falls under Part 800, not Part 802".into())
        }
        "" => {
            reasons.push("Transaction: the kind of transaction is not given.".into());
            Step::Unknown("the kind of transaction is not given".into())
        }
        other => {
            reasons.push(format!(
                "Transaction: \"{other}\" is not a kind the rules know."
            ));
            Step::Unknown(format!(
                "the kind of transaction (\"{other}\") is not one the rules know"
            ))
        }
    }
}

fn location_step(f: &Facts<'_>, reasons: &mut Vec<String>) -> Step {
    reasons.push(format!(
        "Sites counted: those listed on {} ({}).",
        f.as_of,
        if f.dated {
            "the transaction date"
        } else {
            "no transaction date is given, so the screening date"
        }
    ));
    reasons.extend(f.zones.reasons.iter().cloned());
    if f.zones.hits.iter().any(|z| z.zone.is_part_802()) {
        return Step::Pass;
    }
    if !f.zones.missing.is_empty() {
        let missing = f.zones.missing.join("; ");
        reasons.push(format!("Location: no Part 802 zone found, but {missing}."));
        return Step::Unknown(missing);
    }
    reasons.push(format!(
        "Location: not within {} mi of a listed part 1 or 2 installation, not within {} mi of a \
         listed part 2 installation, not in a listed county and not in a covered port (802.211).",
        f.rules.distances.close_proximity_mi, f.rules.distances.extended_range_mi
    ));
    Step::Fail(format!("no Part 802 zone applies on {}", f.as_of))
}
