//! What a screening returns (stored as JSON on the case and read back, so every type here both
//! serialises and deserialises, in snake_case), and the reviewers' watchlist decisions it takes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::super::risk::Risk;
use super::SiteKind;

/// The answer to "is this a covered real estate transaction?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// A covered real estate transaction (31 CFR 802.212).
    Covered,
    /// Not covered: no foreign person, not a real estate transaction, no zone, or fewer than 3
    /// property rights.
    NotCovered,
    /// Covered real estate, but an exception of 802.216 applies.
    Excepted,
    /// A fact the answer depends on is missing.
    NeedsReview,
}

impl Jurisdiction {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::Covered => "covered",
            Jurisdiction::NotCovered => "not_covered",
            Jurisdiction::Excepted => "excepted",
            Jurisdiction::NeedsReview => "needs_review",
        }
    }

    /// The form people read.
    pub fn label(self) -> &'static str {
        match self {
            Jurisdiction::Covered => "Covered",
            Jurisdiction::NotCovered => "Not covered",
            Jurisdiction::Excepted => "Excepted",
            Jurisdiction::NeedsReview => "Needs review",
        }
    }
}

/// A zone of DOMAIN.md 2.2, or a non-military site's radius from the rule set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Within 1 mile of the boundary of an Appendix A part 1 or 2 installation (802.211(b)(1)).
    CloseProximity,
    /// 1 to 100 miles from an Appendix A part 2 installation (802.211(b)(2)).
    ExtendedRange,
    /// In a county listed for a part 3 missile field (802.211(b)(3)).
    County,
    /// Inside a covered port (802.211(a)).
    Port,
    /// Within the rule set's radius for a non-military site kind; risk only, not Part 802.
    KindRadius,
}

impl Zone {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::CloseProximity => "close_proximity",
            Zone::ExtendedRange => "extended_range",
            Zone::County => "county",
            Zone::Port => "port",
            Zone::KindRadius => "kind_radius",
        }
    }

    /// Whether the zone makes real estate covered under Part 802 (all but `kind_radius`).
    pub fn is_part_802(self) -> bool {
        !matches!(self, Zone::KindRadius)
    }
}

/// A site whose zone the property is in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ZoneHit {
    /// The site's id.
    pub site_id: i64,
    /// The site's name.
    pub site: String,
    /// The site's kind.
    pub kind: SiteKind,
    /// Which zone.
    pub zone: Zone,
    /// Miles from the property to the site's boundary, to 0.01.
    pub distance_mi: f64,
}

/// One of the sites in force nearest to the property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nearest {
    /// The site's id.
    pub site_id: i64,
    /// The site's name.
    pub site: String,
    /// The site's kind.
    pub kind: SiteKind,
    /// Miles from the property to the site's boundary, to 0.01.
    pub distance_mi: f64,
}

/// A party name that matches a watchlist entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WatchHit {
    /// The party's name.
    pub party: String,
    /// The party's key within the case ("p1"), to record a reviewer's decision against.
    #[serde(default)]
    pub party_key: String,
    /// The watchlist entry's id.
    pub entry_id: i64,
    /// The entry's name.
    pub entry: String,
    /// The list, e.g. "SDN".
    pub list: String,
    /// The sanctions programme.
    pub program: String,
    /// The name-match score, 0 to 1, to 0.01.
    pub score: f64,
}

/// Whether a foreign person is involved, and from where up the chain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForeignPerson {
    /// Whether any buyer-side party is from outside the United States and its territories.
    pub foreign: bool,
    /// The foreign countries, sorted codes.
    pub countries: Vec<String>,
    /// The tops of the ownership chains, as "Name (CC)".
    pub ultimate_owners: Vec<String>,
    /// Each chain from an acquirer up, in plain words.
    pub chain: Vec<String>,
}

/// What a state law says about the case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateLawFinding {
    /// Two-letter postal code.
    pub state: String,
    /// The law's name and citation.
    pub law: String,
    /// Whether it applies on the facts given (false: only a flag, the facts are incomplete).
    #[serde(default)]
    pub applies: bool,
    /// Why, in plain words.
    pub finding: String,
}

/// The result of screening a case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    /// The answer.
    pub jurisdiction: Jurisdiction,
    /// Every step in plain words; the first line sums up the answer.
    pub reasons: Vec<String>,
    /// Who is foreign, and the chains.
    pub foreign_person: ForeignPerson,
    /// The zones the property is in.
    pub zones: Vec<ZoneHit>,
    /// The five nearest sites in force, by boundary distance.
    pub nearest: Vec<Nearest>,
    /// Party names matching watchlist entries.
    pub watchlist_hits: Vec<WatchHit>,
    /// Threat, vulnerability, consequence.
    pub risk: Risk,
    /// State-law findings.
    pub state_law: Vec<StateLawFinding>,
    /// The rule set version used.
    pub rules_version: String,
    /// The date the site list was taken on: the transaction date, or the screening date.
    pub as_of: NaiveDate,
}

/// What reviewers decided about watchlist hits so far: (party, watchlist entry id) pairs, the
/// party given by its name or its key. Dismissed hits are left out of the threat score;
/// confirmed ones weigh more.
#[derive(Clone, Copy, Debug, Default)]
pub struct HitDecisions<'a> {
    /// Hits a reviewer confirmed.
    pub confirmed: &'a [(String, i64)],
    /// Hits a reviewer dismissed.
    pub dismissed: &'a [(String, i64)],
}

impl HitDecisions<'_> {
    fn has(list: &[(String, i64)], hit: &WatchHit) -> bool {
        list.iter().any(|(party, id)| {
            *id == hit.entry_id && (*party == hit.party || *party == hit.party_key)
        })
    }

    /// Whether a reviewer confirmed this hit.
    pub fn is_confirmed(&self, hit: &WatchHit) -> bool {
        Self::has(self.confirmed, hit)
    }

    /// Whether a reviewer dismissed this hit.
    pub fn is_dismissed(&self, hit: &WatchHit) -> bool {
        Self::has(self.dismissed, hit)
    }
}
