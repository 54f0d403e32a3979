//! Screening (PRODUCT.md 4.2, DOMAIN.md 2–3 and 6): is a property inside a protected zone, is
//! the buyer a foreign person and from where up the chain, is any party on a watchlist, how
//! risky is it, and which state laws apply. Pure: the rule set, the site and name lookups and
//! the date are arguments.

use chrono::NaiveDate;

use super::risk::{self, RiskInput};
use super::rules::RuleSet;

pub mod exceptions;
pub mod foreign;
pub mod geometry;
pub mod jurisdiction;
pub mod names;
pub mod outcome;
pub mod rights;
pub mod state_laws;
pub mod watch;
pub mod zones;

pub use outcome::{
    ForeignPerson, HitDecisions, Jurisdiction, Nearest, Screening, StateLawFinding, WatchHit, Zone,
    ZoneHit,
};

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod tests;

/// What kind of sensitive site.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    /// A military installation (Appendix A of Part 802 when `part` is set).
    Military,
    /// An airport or seaport (a covered port when listed).
    Port,
    /// A data center.
    DataCenter,
    /// A power plant or substation.
    Power,
    /// A water or wastewater plant.
    Water,
    /// A telecommunications site.
    Telecom,
    /// Anything else.
    Other,
}

impl SiteKind {
    /// Every kind.
    pub const ALL: &'static [SiteKind] = &[
        SiteKind::Military,
        SiteKind::Port,
        SiteKind::DataCenter,
        SiteKind::Power,
        SiteKind::Water,
        SiteKind::Telecom,
        SiteKind::Other,
    ];

    /// The stored and CSV form.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteKind::Military => "military",
            SiteKind::Port => "port",
            SiteKind::DataCenter => "data_center",
            SiteKind::Power => "power",
            SiteKind::Water => "water",
            SiteKind::Telecom => "telecom",
            SiteKind::Other => "other",
        }
    }

    /// The form people read.
    pub fn label(self) -> &'static str {
        match self {
            SiteKind::Military => "Military installation",
            SiteKind::Port => "Port",
            SiteKind::DataCenter => "Data center",
            SiteKind::Power => "Power",
            SiteKind::Water => "Water",
            SiteKind::Telecom => "Telecommunications",
            SiteKind::Other => "Other",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<SiteKind> {
        SiteKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// A sensitive site, as the screening sees it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Site {
    /// The site's id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// What kind of site.
    pub kind: SiteKind,
    /// Appendix A part (1–4) for military installations listed under Part 802.
    pub part: Option<u8>,
    /// Latitude of the centre, decimal degrees.
    pub lat: f64,
    /// Longitude of the centre, decimal degrees.
    pub lon: f64,
    /// Approximate radius of the site's boundary around its centre, in miles.
    pub boundary_radius_mi: f64,
    /// 1 (low) to 5 (highest).
    pub criticality: u8,
    /// Two-letter postal code.
    pub state: Option<String>,
    /// The site counts only for transactions on or after this date (and before `listed_until`).
    pub listed_from: Option<NaiveDate>,
    /// The first date on which the site no longer counts.
    pub listed_until: Option<NaiveDate>,
    /// Part 3: 5-digit FIPS codes of the counties in which any property is covered.
    pub counties: Vec<String>,
    /// A boundary polygon (rings of (lon, lat)); replaces centre and radius for distances.
    pub boundary: Option<Vec<Vec<(f64, f64)>>>,
}

/// A restricted-party list entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WatchEntry {
    /// The entry's id.
    pub id: i64,
    /// The list, e.g. "SDN" or "Entity List".
    pub list: String,
    /// The listed name.
    pub name: String,
    /// Other names it is listed under.
    pub aliases: Vec<String>,
    /// Country code, when the list gives one.
    pub country: Option<String>,
    /// The sanctions programme.
    pub program: String,
    /// Where the entry was imported from.
    pub source: String,
}

/// A party of the transaction, as the screening sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct SubjectParty {
    /// The party's key within the case, e.g. "p1".
    pub key: String,
    /// Its name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code; empty when unknown.
    pub country: String,
    /// `acquirer`, `parent`, `ultimate_parent`, `seller`, `affiliate`, `nominee`.
    pub role: String,
    /// The share it holds in the party it owns, in percent.
    pub ownership_pct: Option<f64>,
    /// The key of the party this one owns.
    pub owns: Option<String>,
    /// Controlled by a foreign government.
    pub government_controlled: bool,
    /// A state-owned enterprise.
    pub state_owned: bool,
}

/// The facts a screening depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Subject {
    /// Latitude of the property, decimal degrees.
    pub lat: f64,
    /// Longitude of the property, decimal degrees.
    pub lon: f64,
    /// 5-digit county FIPS code.
    pub county_fips: Option<String>,
    /// Two-letter postal code.
    pub state: Option<String>,
    /// The transaction date; sites count only if listed on it (today when unknown).
    pub date: Option<NaiveDate>,
    /// purchase, lease, concession, business_acquisition, greenfield.
    pub tx_kind: String,
    /// The four property rights of 802.233: access, exclude, improve, affix.
    pub rights: [bool; 4],
    /// In an urbanized area or urban cluster.
    pub urban_area: bool,
    /// A single housing unit.
    pub single_housing_unit: bool,
    /// Inside (or part of) a port.
    pub in_port: bool,
    /// Commercial office space in a multi-unit building.
    pub commercial_office: bool,
    /// What the buyer means to do with it, in words.
    pub intended_use: String,
    /// Power demand in MW.
    pub power_mw: Option<f64>,
    /// Size in acres.
    pub acreage: Option<f64>,
    /// The parties.
    pub parties: Vec<SubjectParty>,
}

/// Sites near a point, from a spatial index (or a plain scan in tests and benchmarks).
pub trait SiteLookup {
    /// Sites whose centre is within `radius_mi` miles of the point (callers add each site's own
    /// boundary radius), in no particular order.
    fn within(&self, lat: f64, lon: f64, radius_mi: f64) -> Vec<&Site>;
    /// The `n` sites nearest to the point by centre distance, nearest first, with that distance.
    fn nearest(&self, lat: f64, lon: f64, n: usize) -> Vec<(&Site, f64)>;
    /// Sites that list this county (Part 3).
    fn with_county(&self, fips: &str) -> Vec<&Site>;
}

/// Watchlist entries that might match a name, from a name index.
pub trait NameLookup {
    /// Entries sharing enough of the normalised name to be worth scoring.
    fn candidates(&self, normalized: &str) -> Vec<&WatchEntry>;
}

/// Screens a case against the rule set, the sites in force on the transaction date (`today`
/// when the case has none) and the watchlists.
pub fn screen(
    subject: &Subject,
    rules: &RuleSet,
    sites: &dyn SiteLookup,
    names: &dyn NameLookup,
    today: NaiveDate,
) -> Screening {
    screen_with(subject, rules, sites, names, today, HitDecisions::default())
}

/// [`screen`], taking into account what reviewers decided about watchlist hits.
pub fn screen_with(
    subject: &Subject,
    rules: &RuleSet,
    sites: &dyn SiteLookup,
    names: &dyn NameLookup,
    today: NaiveDate,
    decisions: HitDecisions<'_>,
) -> Screening {
    let as_of = subject.date.unwrap_or(today);
    let buyer = foreign::buyer_side(&subject.parties);
    let foreign_person = foreign::foreign_person(&subject.parties);
    let found = zones::find(subject, rules, sites, as_of);
    let watchlist_hits = watch::match_parties(&subject.parties, names, rules.watchlist.threshold);
    let (jurisdiction, reasons) = jurisdiction::decide(&jurisdiction::Facts {
        subject,
        rules,
        buyer: &buyer,
        foreign: &foreign_person,
        zones: &found,
        as_of,
        dated: subject.date.is_some(),
    });
    let risk = risk::assess(&RiskInput {
        subject,
        rules,
        buyer: &buyer,
        zones: &found.hits,
        sites: &found.near,
        watch_hits: &watchlist_hits,
        decisions,
    });
    let state_law = state_laws::findings(subject, rules, &buyer, &found.near, as_of);
    Screening {
        jurisdiction,
        reasons,
        foreign_person,
        zones: found.hits,
        nearest: found.nearest,
        watchlist_hits,
        risk,
        state_law,
        rules_version: rules.version.clone(),
        as_of,
    }
}
