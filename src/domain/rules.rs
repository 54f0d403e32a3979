//! The screening rule set (PRODUCT.md 4.2): distances, radii for site kinds, excepted foreign
//! states, country tiers, offshore jurisdictions, intended-use weights, the watchlist threshold,
//! risk weights and state laws. Parsed from TOML text and validated; a built-in default is
//! compiled in. Pure: the caller reads any other rule set from wherever it is stored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::countries;
use super::screening::SiteKind;

/// The built-in rule set's TOML text.
pub const BUILTIN_TOML: &str = include_str!("../../data/rules/default.toml");

/// Why a rule set was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The text is not TOML, or does not have the rule set's shape.
    #[error("the rule set could not be read: {0}")]
    Syntax(String),
    /// The text has the right shape but some values are out of bounds.
    #[error("the rule set has {} problem(s): {}", .0.len(), .0.join("; "))]
    Invalid(Vec<String>),
}

/// A versioned set of screening rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Recorded with every screening, e.g. "2026.1".
    pub version: String,
    /// A name for people.
    pub name: String,
    /// Holding-company jurisdictions that make an ownership chain opaque (e.g. VG, KY, BM).
    #[serde(default)]
    pub offshore_jurisdictions: Vec<String>,
    /// The Part 802 distances.
    pub distances: Distances,
    /// How near a site of each non-military kind must be to count.
    pub kind_radius_mi: KindRadii,
    /// The excepted real estate foreign states.
    pub exceptions: ExceptionRules,
    /// Watchlist matching.
    pub watchlist: WatchlistRules,
    /// Country tiers for the threat score.
    #[serde(default, rename = "country_tier")]
    pub country_tiers: Vec<CountryTier>,
    /// Intended uses that raise vulnerability.
    #[serde(default, rename = "use_type")]
    pub use_types: Vec<UseType>,
    /// Points for the threat and vulnerability factors.
    pub risk: RiskWeights,
    /// State laws shown as extra findings.
    #[serde(default, rename = "state_law")]
    pub state_laws: Vec<StateLaw>,
}

/// The Part 802 distances, in miles from a site's boundary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distances {
    /// Close proximity (802.203): 1 mile.
    pub close_proximity_mi: f64,
    /// The outer edge of extended range (802.217): 100 miles.
    pub extended_range_mi: f64,
    /// The largest site boundary radius the searches allow for.
    pub search_margin_mi: f64,
}

/// The radius, in miles from the boundary, within which a site of each non-military kind counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRadii {
    /// Data centers.
    pub data_center: f64,
    /// Power plants and substations.
    pub power: f64,
    /// Water and wastewater plants.
    pub water: f64,
    /// Telecommunications sites.
    pub telecom: f64,
    /// Ports (also how near a port must be to a property marked "inside a port").
    pub port: f64,
    /// Anything else.
    pub other: f64,
}

impl KindRadii {
    /// The radius for a kind; `None` for military installations, which use Part 802's zones.
    pub fn radius(&self, kind: SiteKind) -> Option<f64> {
        match kind {
            SiteKind::Military => None,
            SiteKind::Port => Some(self.port),
            SiteKind::DataCenter => Some(self.data_center),
            SiteKind::Power => Some(self.power),
            SiteKind::Water => Some(self.water),
            SiteKind::Telecom => Some(self.telecom),
            SiteKind::Other => Some(self.other),
        }
    }

    fn all(&self) -> [f64; 6] {
        [
            self.data_center,
            self.power,
            self.water,
            self.telecom,
            self.port,
            self.other,
        ]
    }
}

/// The excepted real estate foreign states (802.214).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRules {
    /// Country codes, e.g. AU, CA, NZ, GB.
    pub excepted_states: Vec<String>,
}

/// Watchlist matching.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchlistRules {
    /// The name-match score (0 to 1) from which a candidate is a hit.
    pub threshold: f64,
}

/// Countries that add the same threat points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryTier {
    /// 1 (highest concern) to 3.
    pub tier: u8,
    /// What the tier means, for the factor's label.
    pub label: String,
    /// Threat points for a party from one of the countries.
    pub points: u8,
    /// Country codes.
    pub countries: Vec<String>,
}

/// An intended use that raises vulnerability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseType {
    /// A stable key, e.g. "crypto_mining".
    pub key: String,
    /// For the factor's label, e.g. "cryptocurrency mining".
    pub label: String,
    /// Lower-case words matched inside the intended use.
    pub keywords: Vec<String>,
    /// Vulnerability points.
    pub points: u8,
}

impl UseType {
    /// Whether the intended use mentions one of the keywords (without regard to case).
    pub fn matches(&self, intended_use: &str) -> bool {
        let text = intended_use.to_lowercase();
        self.keywords
            .iter()
            .any(|k| !k.trim().is_empty() && text.contains(&k.trim().to_lowercase()))
    }
}

/// Points for the threat and vulnerability factors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskWeights {
    /// Threat points.
    pub threat: ThreatWeights,
    /// Vulnerability points.
    pub vulnerability: VulnerabilityWeights,
}

/// Threat points, added to a base of 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatWeights {
    /// A party controlled by a foreign government.
    pub government_controlled: u8,
    /// A state-owned party.
    pub state_owned: u8,
    /// A watchlist hit a reviewer confirmed.
    pub watchlist_confirmed: u8,
    /// A watchlist hit not (yet) confirmed.
    pub watchlist_unconfirmed: u8,
    /// A party from an offshore jurisdiction in the chain.
    pub offshore_chain: u8,
    /// The chain length from which `chain_depth` points are added.
    pub chain_depth_min: usize,
    /// Points for a long chain.
    pub chain_depth: u8,
}

/// Vulnerability points, added to a base of 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VulnerabilityWeights {
    /// Within 1 mile of a Part 1 or 2 installation.
    pub close_proximity: u8,
    /// Inside a covered port.
    pub port: u8,
    /// In a Part 3 county.
    pub county: u8,
    /// Within a non-military site's kind radius.
    pub kind_radius: u8,
    /// Extended range, by distance: the first band whose `max_mi` is not exceeded.
    pub extended_range: Vec<DistanceBand>,
    /// Power demand in MW: the highest band whose `min` is reached.
    #[serde(default)]
    pub power_mw: Vec<MinBand>,
    /// Acreage: the highest band whose `min` is reached.
    #[serde(default)]
    pub acreage: Vec<MinBand>,
}

/// Points up to a distance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistanceBand {
    /// Miles from the boundary.
    pub max_mi: f64,
    /// Points.
    pub points: u8,
}

/// Points from a quantity up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinBand {
    /// The quantity from which the points apply.
    pub min: f64,
    /// Points.
    pub points: u8,
}

/// A state law on foreign purchases (DOMAIN.md 6).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateLaw {
    /// Two-letter postal code.
    pub state: String,
    /// Name and citation, e.g. "Florida SB 264 (Ch. 2023-33)".
    pub law: String,
    /// When it took effect, if known.
    #[serde(default)]
    pub effective: Option<NaiveDate>,
    /// The distance from a site's boundary, when the law is distance-based.
    #[serde(default)]
    pub radius_mi: Option<f64>,
    /// Whether it applies anywhere in the state.
    #[serde(default)]
    pub statewide: bool,
    /// The countries whose governments, entities or nationals it targets.
    pub countries: Vec<String>,
    /// The site kinds the radius is measured from.
    #[serde(default)]
    pub site_kinds: Vec<SiteKind>,
    /// What it does, in plain words.
    pub summary: String,
}

impl RuleSet {
    /// Parses and validates a rule set from TOML text. Country and state codes are upper-cased.
    pub fn parse(text: &str) -> Result<RuleSet, RuleError> {
        let mut rules: RuleSet =
            toml::from_str(text).map_err(|e| RuleError::Syntax(e.to_string().trim().into()))?;
        rules.normalise();
        let problems = rules.problems();
        if problems.is_empty() {
            Ok(rules)
        } else {
            Err(RuleError::Invalid(problems))
        }
    }

    /// The built-in rule set (`data/rules/default.toml`, compiled in; a test proves it parses).
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::parse(BUILTIN_TOML)
    }

    /// The tier of a country, if it is in one (the first tier listing it).
    pub fn tier_of(&self, country: &str) -> Option<&CountryTier> {
        let c = country.trim().to_ascii_uppercase();
        self.country_tiers.iter().find(|t| t.countries.contains(&c))
    }

    /// Whether a country is an offshore holding-company jurisdiction.
    pub fn is_offshore(&self, country: &str) -> bool {
        let c = country.trim().to_ascii_uppercase();
        self.offshore_jurisdictions.contains(&c)
    }

    /// Whether a country is an excepted real estate foreign state.
    pub fn is_excepted_state(&self, country: &str) -> bool {
        let c = country.trim().to_ascii_uppercase();
        self.exceptions.excepted_states.contains(&c)
    }

    /// How far from a point the site searches must reach: the largest zone or kind radius plus
    /// the margin for site boundaries.
    pub fn search_radius_mi(&self) -> f64 {
        let largest = self
            .kind_radius_mi
            .all()
            .into_iter()
            .chain(self.state_laws.iter().filter_map(|l| l.radius_mi))
            .fold(self.distances.extended_range_mi, f64::max);
        largest + self.distances.search_margin_mi
    }

    fn normalise(&mut self) {
        let upper = |v: &mut Vec<String>| {
            for c in v.iter_mut() {
                *c = c.trim().to_ascii_uppercase();
            }
        };
        upper(&mut self.offshore_jurisdictions);
        upper(&mut self.exceptions.excepted_states);
        for t in &mut self.country_tiers {
            upper(&mut t.countries);
        }
        for l in &mut self.state_laws {
            l.state = l.state.trim().to_ascii_uppercase();
            upper(&mut l.countries);
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.version.trim().is_empty() {
            p.push("`version` must not be empty".to_string());
        }
        if self.name.trim().is_empty() {
            p.push("`name` must not be empty".to_string());
        }
        let d = &self.distances;
        positive(&mut p, "distances.close_proximity_mi", d.close_proximity_mi);
        positive(&mut p, "distances.extended_range_mi", d.extended_range_mi);
        if d.extended_range_mi <= d.close_proximity_mi {
            p.push("`distances.extended_range_mi` must be larger than close proximity".into());
        }
        if !(d.search_margin_mi.is_finite() && d.search_margin_mi >= 0.0) {
            p.push("`distances.search_margin_mi` must be 0 or more".into());
        }
        let names = ["data_center", "power", "water", "telecom", "port", "other"];
        for (n, r) in names.iter().zip(self.kind_radius_mi.all()) {
            positive(&mut p, &format!("kind_radius_mi.{n}"), r);
        }
        codes(
            &mut p,
            "offshore_jurisdictions",
            &self.offshore_jurisdictions,
        );
        codes(
            &mut p,
            "exceptions.excepted_states",
            &self.exceptions.excepted_states,
        );
        let t = self.watchlist.threshold;
        if !(t.is_finite() && (0.0..=1.0).contains(&t)) {
            p.push(format!(
                "`watchlist.threshold` must be between 0 and 1, not {t}"
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, tier) in self.country_tiers.iter().enumerate() {
            let at = format!("country_tier[{i}]");
            if !(1..=3).contains(&tier.tier) {
                p.push(format!("`{at}.tier` must be 1, 2 or 3, not {}", tier.tier));
            }
            codes(&mut p, &format!("{at}.countries"), &tier.countries);
            for c in &tier.countries {
                if seen.contains(&c.as_str()) {
                    p.push(format!("country {c} is in more than one tier"));
                }
                seen.push(c);
            }
        }
        for (i, u) in self.use_types.iter().enumerate() {
            if u.key.trim().is_empty() || u.keywords.iter().all(|k| k.trim().is_empty()) {
                p.push(format!(
                    "`use_type[{i}]` needs a key and at least one keyword"
                ));
            }
        }
        let v = &self.risk.vulnerability;
        for (i, b) in v.extended_range.iter().enumerate() {
            positive(
                &mut p,
                &format!("risk.vulnerability.extended_range[{i}].max_mi"),
                b.max_mi,
            );
        }
        for (name, bands) in [("power_mw", &v.power_mw), ("acreage", &v.acreage)] {
            for (i, b) in bands.iter().enumerate() {
                if !(b.min.is_finite() && b.min >= 0.0) {
                    p.push(format!(
                        "`risk.vulnerability.{name}[{i}].min` must be 0 or more"
                    ));
                }
            }
        }
        for (i, law) in self.state_laws.iter().enumerate() {
            state_law_problems(&mut p, i, law);
        }
        p
    }
}

fn positive(p: &mut Vec<String>, field: &str, value: f64) {
    if !(value.is_finite() && value > 0.0) {
        p.push(format!(
            "`{field}` must be a positive number of miles, not {value}"
        ));
    }
}

fn codes(p: &mut Vec<String>, field: &str, list: &[String]) {
    for c in list {
        if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
            p.push(format!(
                "`{field}`: \"{c}\" is not a two-letter country code"
            ));
        } else if !countries::is_country(c) {
            p.push(format!(
                "`{field}`: \"{c}\" is not an ISO 3166-1 country code"
            ));
        }
    }
}

fn state_law_problems(p: &mut Vec<String>, i: usize, law: &StateLaw) {
    let at = format!("state_law[{i}]");
    if countries::us_state(&law.state).is_none() {
        p.push(format!(
            "`{at}.state`: \"{}\" is not a US state code",
            law.state
        ));
    }
    if law.law.trim().is_empty() {
        p.push(format!("`{at}.law` must name the law"));
    }
    match (law.radius_mi, law.statewide) {
        (Some(_), true) => p.push(format!(
            "`{at}` is either statewide or has a radius, not both"
        )),
        (None, false) => p.push(format!("`{at}` needs `radius_mi` or `statewide = true`")),
        (Some(r), false) => {
            positive(p, &format!("{at}.radius_mi"), r);
            if law.site_kinds.is_empty() {
                p.push(format!(
                    "`{at}.site_kinds` must list the kinds the radius is from"
                ));
            }
        }
        (None, true) => {}
    }
    if law.countries.is_empty() {
        p.push(format!(
            "`{at}.countries` must list the countries it targets"
        ));
    }
    codes(p, &format!("{at}.countries"), &law.countries);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn builtin_parses_with_the_domain_values() {
        let r = RuleSet::builtin().unwrap();
        assert_eq!(r.version, "2026.1");
        assert_eq!(r.distances.close_proximity_mi, 1.0);
        assert_eq!(r.distances.extended_range_mi, 100.0);
        assert_eq!(r.exceptions.excepted_states, ["AU", "CA", "NZ", "GB"]);
        assert_eq!(r.tier_of("cn").map(|t| t.tier), Some(1));
        assert_eq!(r.tier_of("SY").map(|t| t.tier), Some(2));
        assert!(r.tier_of("CA").is_none());
        assert!(r.is_offshore("VG") && r.is_offshore("ky") && !r.is_offshore("GB"));
        assert_eq!(r.kind_radius_mi.radius(SiteKind::Military), None);
        assert!(r.search_radius_mi() >= 100.0);
        let fl = r.state_laws.iter().find(|l| l.state == "FL").unwrap();
        assert_eq!(fl.countries.len(), 7);
        assert_eq!(fl.radius_mi, Some(10.0));
        assert!(r.state_laws.iter().any(|l| l.state == "TX" && l.statewide));
        let crypto = r
            .use_types
            .iter()
            .find(|u| u.key == "crypto_mining")
            .unwrap();
        assert!(crypto.matches("Bitcoin mining facility"));
        assert!(!crypto.matches("corn mill"));
    }

    #[test]
    fn syntax_errors_are_reported() {
        let err = RuleSet::parse("version = ").unwrap_err();
        assert!(matches!(err, RuleError::Syntax(_)), "{err}");
        let extra = BUILTIN_TOML.replace("[distances]", "surprise = 1\n[distances]");
        let err = RuleSet::parse(&extra).unwrap_err();
        assert!(err.to_string().contains("surprise"), "{err}");
    }

    #[test]
    fn invalid_values_are_each_reported() {
        let cases: &[(&str, &str, &str)] = &[
            ("threshold = 0.88", "threshold = 1.5", "watchlist.threshold"),
            (
                "close_proximity_mi = 1.0",
                "close_proximity_mi = 0.0",
                "close_proximity_mi",
            ),
            (
                "data_center = 3.0",
                "data_center = -1.0",
                "kind_radius_mi.data_center",
            ),
            ("tier = 3", "tier = 4", "must be 1, 2 or 3"),
            ("\"AU\", \"CA\"", "\"AUS\", \"CA\"", "two-letter"),
            ("\"AU\", \"CA\"", "\"XX\", \"CA\"", "ISO 3166-1"),
            (
                "countries = [\"SY\", \"BY\", \"MO\"]",
                "countries = [\"CN\"]",
                "more than one tier",
            ),
            ("state = \"GA\"", "state = \"ZZ\"", "not a US state"),
            ("version = \"2026.1\"", "version = \" \"", "`version`"),
        ];
        for (from, to, expect) in cases {
            assert!(BUILTIN_TOML.contains(from), "{from}");
            let text = BUILTIN_TOML.replacen(from, to, 1);
            let err = RuleSet::parse(&text).unwrap_err();
            assert!(matches!(err, RuleError::Invalid(_)), "{to}: {err}");
            assert!(err.to_string().contains(expect), "{to}: {err}");
        }
    }

    #[test]
    fn a_state_law_needs_a_radius_or_statewide() {
        let text = BUILTIN_TOML.replacen(
            "radius_mi = 10.0\ncountries = [\"CN\", \"CU\"",
            "countries = [\"CN\", \"CU\"",
            1,
        );
        let err = RuleSet::parse(&text).unwrap_err();
        assert!(err.to_string().contains("needs `radius_mi`"), "{err}");
    }
}
