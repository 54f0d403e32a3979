//! Risk (DOMAIN.md 3.1, PRODUCT.md 4.2 step 7): threat, vulnerability and consequence, each a
//! 1–5 score built from factors in plain words with the rule set's points; risk = T × V × C
//! (1–125), banded low (1–12), moderate (13–36), high (37–74) and critical (75–125). A reviewer
//! may override any of the three. Pure.

use serde::{Deserialize, Serialize};

use super::countries;
use super::party;
use super::rules::RuleSet;
use super::screening::zones::Located;
use super::screening::{HitDecisions, Subject, SubjectParty, WatchHit, Zone, ZoneHit};

/// One contribution to a score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    /// What it is, in plain words.
    pub label: String,
    /// Points it adds.
    pub points: i32,
}

/// The factors behind each of the three scores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFactors {
    /// Threat factors.
    pub threat: Vec<Factor>,
    /// Vulnerability factors.
    pub vulnerability: Vec<Factor>,
    /// Consequence factors.
    pub consequence: Vec<Factor>,
}

/// A risk band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 1–12.
    Low,
    /// 13–36.
    Moderate,
    /// 37–74.
    High,
    /// 75–125.
    Critical,
}

impl Band {
    /// Every band, lowest first.
    pub const ALL: &'static [Band] = &[Band::Low, Band::Moderate, Band::High, Band::Critical];

    /// The band of a T × V × C score.
    pub fn of(score: u16) -> Band {
        match score {
            0..=12 => Band::Low,
            13..=36 => Band::Moderate,
            37..=74 => Band::High,
            _ => Band::Critical,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Low => "low",
            Band::Moderate => "moderate",
            Band::High => "high",
            Band::Critical => "critical",
        }
    }
}

/// Threat × vulnerability × consequence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    /// 1–5.
    pub threat: u8,
    /// 1–5.
    pub vulnerability: u8,
    /// 1–5.
    pub consequence: u8,
    /// T × V × C, 1–125.
    pub score: u16,
    /// The band of the score.
    pub band: Band,
    /// The factors behind each score.
    pub factors: RiskFactors,
    /// Which of "threat", "vulnerability", "consequence" a reviewer set.
    pub overridden: Vec<String>,
}

/// What the risk is assessed from.
pub struct RiskInput<'a> {
    /// The case.
    pub subject: &'a Subject,
    /// The rule set.
    pub rules: &'a RuleSet,
    /// Every party but the seller.
    pub buyer: &'a [&'a SubjectParty],
    /// The zones the property is in.
    pub zones: &'a [ZoneHit],
    /// The sites near the property, with their boundary distances.
    pub sites: &'a [Located<'a>],
    /// Watchlist hits.
    pub watch_hits: &'a [WatchHit],
    /// Reviewers' decisions on the hits.
    pub decisions: HitDecisions<'a>,
}

/// Assesses the risk.
pub fn assess(input: &RiskInput<'_>) -> Risk {
    let factors = RiskFactors {
        threat: threat(input),
        vulnerability: vulnerability(input),
        consequence: consequence(input),
    };
    let t = clamp_sum(&factors.threat);
    let v = clamp_sum(&factors.vulnerability);
    let c = clamp_sum(&factors.consequence);
    let score = u16::from(t) * u16::from(v) * u16::from(c);
    Risk {
        threat: t,
        vulnerability: v,
        consequence: c,
        score,
        band: Band::of(score),
        factors,
        overridden: Vec::new(),
    }
}

/// Sets the scores a reviewer chose (each kept within 1–5), recomputes score and band, and
/// records which were overridden (added to any earlier overrides).
pub fn apply_overrides(
    risk: Risk,
    threat: Option<u8>,
    vulnerability: Option<u8>,
    consequence: Option<u8>,
) -> Risk {
    let mut r = risk;
    for (name, value, slot) in [
        ("threat", threat, &mut r.threat),
        ("vulnerability", vulnerability, &mut r.vulnerability),
        ("consequence", consequence, &mut r.consequence),
    ] {
        if let Some(v) = value {
            *slot = v.clamp(1, 5);
            if !r.overridden.iter().any(|o| o == name) {
                r.overridden.push(name.to_string());
            }
        }
    }
    r.score = u16::from(r.threat) * u16::from(r.vulnerability) * u16::from(r.consequence);
    r.band = Band::of(r.score);
    r
}

fn clamp_sum(factors: &[Factor]) -> u8 {
    let total: i32 = factors.iter().map(|f| f.points).sum();
    u8::try_from(total.clamp(1, 5)).unwrap_or(1)
}

fn factor(label: impl Into<String>, points: impl Into<i32>) -> Factor {
    Factor {
        label: label.into(),
        points: points.into(),
    }
}

fn country(code: &str) -> String {
    let c = code.trim().to_ascii_uppercase();
    match countries::country_name(&c) {
        Some(name) => format!("{name} ({c})"),
        None => c,
    }
}

fn threat(input: &RiskInput<'_>) -> Vec<Factor> {
    let (rules, buyer) = (input.rules, input.buyer);
    let w = &rules.risk.threat;
    let mut out = vec![factor("Base", 1)];
    // The highest-concern tier among the buyer-side parties' countries.
    let tiered = buyer
        .iter()
        .filter_map(|p| rules.tier_of(&p.country).map(|t| (t, *p)))
        .min_by_key(|(t, _)| t.tier);
    match tiered {
        Some((tier, p)) => out.push(factor(
            format!(
                "{} is from {}, a tier {} country: {}",
                p.name,
                country(&p.country),
                tier.tier,
                tier.label
            ),
            tier.points,
        )),
        None if party::foreign_countries(buyer).is_empty() => {
            out.push(factor("No foreign party on the buyer side", 0));
        }
        None => out.push(factor("Foreign parties only from countries in no tier", 0)),
    }
    if let Some(p) = buyer.iter().find(|p| p.government_controlled) {
        out.push(factor(
            format!("{} is controlled by a foreign government", p.name),
            w.government_controlled,
        ));
    }
    if let Some(p) = buyer.iter().find(|p| p.state_owned) {
        out.push(factor(format!("{} is state-owned", p.name), w.state_owned));
    }
    let live: Vec<&WatchHit> = input
        .watch_hits
        .iter()
        .filter(|h| !input.decisions.is_dismissed(h))
        .collect();
    let confirmed = live.iter().find(|h| input.decisions.is_confirmed(h));
    if let Some(h) = confirmed {
        out.push(factor(
            format!(
                "{} is on the {} list as {} (confirmed)",
                h.party, h.list, h.entry
            ),
            w.watchlist_confirmed,
        ));
    } else if let Some(h) = live.first() {
        out.push(factor(
            format!(
                "{} may be on the {} list as {} (score {:.2}, unconfirmed)",
                h.party, h.list, h.entry, h.score
            ),
            w.watchlist_unconfirmed,
        ));
    }
    if let Some(p) = buyer.iter().find(|p| rules.is_offshore(&p.country)) {
        out.push(factor(
            format!(
                "Opaque chain: held through {} in {}, an offshore jurisdiction",
                p.name,
                country(&p.country)
            ),
            w.offshore_chain,
        ));
    }
    let depth = party::depth(buyer);
    if depth >= w.chain_depth_min {
        out.push(factor(
            format!("Ownership chain of {depth} parties"),
            w.chain_depth,
        ));
    }
    out
}

fn vulnerability(input: &RiskInput<'_>) -> Vec<Factor> {
    let (s, w) = (input.subject, &input.rules.risk.vulnerability);
    let mut out = vec![factor("Base", 1)];
    let zone_points = |z: &ZoneHit| -> u8 {
        match z.zone {
            Zone::CloseProximity => w.close_proximity,
            Zone::Port => w.port,
            Zone::County => w.county,
            Zone::KindRadius => w.kind_radius,
            Zone::ExtendedRange => w
                .extended_range
                .iter()
                .find(|b| z.distance_mi <= b.max_mi)
                .map_or(0, |b| b.points),
        }
    };
    let strongest = input.zones.iter().max_by(|a, b| {
        zone_points(a)
            .cmp(&zone_points(b))
            .then(b.distance_mi.total_cmp(&a.distance_mi))
    });
    match strongest {
        Some(z) => out.push(factor(zone_phrase(z), zone_points(z))),
        None => out.push(factor("In no zone", 0)),
    }
    let uses = input
        .rules
        .use_types
        .iter()
        .filter(|u| u.matches(&s.intended_use));
    if let Some(u) = uses.max_by_key(|u| u.points) {
        out.push(factor(format!("Intended use: {}", u.label), u.points));
    }
    let band = |bands: &[super::rules::MinBand], x: f64| {
        bands
            .iter()
            .filter(|b| x >= b.min)
            .max_by(|a, b| a.min.total_cmp(&b.min))
            .map(|b| b.points)
    };
    if let Some(mw) = s.power_mw.filter(|x| x.is_finite()) {
        if let Some(p) = band(&w.power_mw, mw) {
            out.push(factor(format!("Power demand of {mw} MW"), p));
        }
    }
    if let Some(acres) = s.acreage.filter(|x| x.is_finite()) {
        if let Some(p) = band(&w.acreage, acres) {
            out.push(factor(format!("{acres} acres"), p));
        }
    }
    out
}

fn zone_phrase(z: &ZoneHit) -> String {
    match z.zone {
        Zone::CloseProximity => format!(
            "Close proximity to {}: {:.2} mi from its boundary",
            z.site, z.distance_mi
        ),
        Zone::ExtendedRange => format!(
            "Extended range of {}: {:.2} mi from its boundary",
            z.site, z.distance_mi
        ),
        Zone::County => format!("In a county listed for {}", z.site),
        Zone::Port => format!("Inside {}, a covered port", z.site),
        Zone::KindRadius => format!("Near {}: {:.2} mi", z.site, z.distance_mi),
    }
}

/// The most critical site among the zones (the first zone on a tie, zones being ordered close
/// proximity first); with no zone, the nearest site within the extended range, listed on the
/// date or not: the installation is there either way.
fn consequence(input: &RiskInput<'_>) -> Vec<Factor> {
    let mut best: Option<(&Located<'_>, &ZoneHit)> = None;
    for z in input.zones {
        if let Some(l) = input.sites.iter().find(|l| l.site.id == z.site_id) {
            if best.is_none_or(|(b, _)| l.site.criticality > b.site.criticality) {
                best = Some((l, z));
            }
        }
    }
    if let Some((l, z)) = best {
        return vec![factor(
            format!(
                "{} has criticality {} ({})",
                l.site.name,
                l.site.criticality,
                z.zone.as_str().replace('_', " ")
            ),
            i32::from(l.site.criticality),
        )];
    }
    let nearest = input
        .sites
        .iter()
        .filter(|l| l.distance_mi <= input.rules.distances.extended_range_mi)
        .min_by(|a, b| a.distance_mi.total_cmp(&b.distance_mi));
    match nearest {
        Some(l) => vec![factor(
            format!(
                "Nearest site, {} ({:.2} mi{}), has criticality {}",
                l.site.name,
                l.distance_mi,
                if l.in_force {
                    ""
                } else {
                    ", not listed on the date"
                },
                l.site.criticality
            ),
            i32::from(l.site.criticality),
        )],
        None => vec![factor("No site within range", 1)],
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn risk(t: u8, v: u8, c: u8) -> Risk {
        let score = u16::from(t) * u16::from(v) * u16::from(c);
        Risk {
            threat: t,
            vulnerability: v,
            consequence: c,
            score,
            band: Band::of(score),
            factors: RiskFactors::default(),
            overridden: Vec::new(),
        }
    }

    #[test]
    fn bands_at_their_edges() {
        let cases = [
            (1, Band::Low),
            (12, Band::Low),
            (13, Band::Moderate),
            (36, Band::Moderate),
            (37, Band::High),
            (74, Band::High),
            (75, Band::Critical),
            (125, Band::Critical),
        ];
        for (score, band) in cases {
            assert_eq!(Band::of(score), band, "{score}");
        }
        assert_eq!(
            serde_json::to_string(&Band::Critical).unwrap(),
            "\"critical\""
        );
    }

    #[test]
    fn overrides_recompute_and_are_recorded() {
        let r = apply_overrides(risk(5, 5, 5), None, Some(2), None);
        assert_eq!((r.vulnerability, r.score, r.band), (2, 50, Band::High));
        assert_eq!(r.overridden, ["vulnerability"]);
        let r = apply_overrides(r, Some(9), Some(1), Some(0));
        assert_eq!((r.threat, r.vulnerability, r.consequence), (5, 1, 1));
        assert_eq!((r.score, r.band), (5, Band::Low));
        assert_eq!(r.overridden, ["vulnerability", "threat", "consequence"]);
        assert_eq!(
            apply_overrides(risk(1, 1, 1), None, None, None)
                .overridden
                .len(),
            0
        );
    }
}
