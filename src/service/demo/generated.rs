//! Forty made-up cases, built from small tables: the installations of DOMAIN.md 2.7, kinds of
//! deal, buyers, and the paths through the workflow of [`super::segments`]. Names of companies
//! and people here are invented. The tables are left unformatted: one entry to a line.
//!
//! Open cases start `Ago(n)` days before today, so whenever the demo is loaded some deadlines
//! fall in the coming days and some are overdue; closed cases and the one whose clocks were
//! tolled during the lapse in appropriations of 1 October to 12 November 2025 have fixed dates.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::replay::Start::{self, Ago};
use super::replay::{first_day, shift, Step, Story, When, Who};
use super::segments::Path;
use crate::domain::countries::country_name;
use crate::domain::report::{LeadAgency, Source};
use crate::service::ServiceError;

const R: Who = Who::Reviewer;
const C: Who = Who::Chair;
const A: Who = Who::Admin;

// ---------------------------------------------------------------------------------------------
// Places, deals and buyers
// ---------------------------------------------------------------------------------------------

/// An installation of DOMAIN.md 2.7: name, state, county, county FIPS, nearest town, lat, lon.
#[rustfmt::skip]
type Site = (&'static str, &'static str, &'static str, &'static str, &'static str, f64, f64);

#[rustfmt::skip]
mod sites {
    use super::Site;
    pub const WARREN: Site = ("F.E. Warren AFB", "WY", "Laramie County", "56021", "Cheyenne", 41.13, -104.87);
    pub const MALMSTROM: Site = ("Malmstrom AFB", "MT", "Cascade County", "30013", "Great Falls", 47.505, -111.187);
    pub const MINOT: Site = ("Minot AFB", "ND", "Ward County", "38101", "Minot", 48.416, -101.358);
    pub const GRAND_FORKS: Site = ("Grand Forks AFB", "ND", "Grand Forks County", "38035", "Emerado", 47.961, -97.401);
    pub const OFFUTT: Site = ("Offutt AFB", "NE", "Sarpy County", "31153", "Bellevue", 41.118, -95.912);
    pub const BRAGG: Site = ("Fort Bragg", "NC", "Cumberland County", "37051", "Fayetteville", 35.14, -79.0);
    pub const SAN_DIEGO: Site = ("Naval Base San Diego", "CA", "San Diego County", "06073", "National City", 32.684, -117.129);
    pub const VANDENBERG: Site = ("Vandenberg SFB", "CA", "Santa Barbara County", "06083", "Lompoc", 34.74, -120.57);
    pub const WHITEMAN: Site = ("Whiteman AFB", "MO", "Johnson County", "29101", "Knob Noster", 38.73, -93.548);
    pub const BARKSDALE: Site = ("Barksdale AFB", "LA", "Bossier Parish", "22015", "Bossier City", 32.501, -93.663);
    pub const ELLSWORTH: Site = ("Ellsworth AFB", "SD", "Pennington County", "46103", "Box Elder", 44.145, -103.104);
    pub const DYESS: Site = ("Dyess AFB", "TX", "Taylor County", "48441", "Abilene", 32.421, -99.855);
    pub const LAUGHLIN: Site = ("Laughlin AFB", "TX", "Val Verde County", "48465", "Del Rio", 29.36, -100.778);
    pub const LUKE: Site = ("Luke AFB", "AZ", "Maricopa County", "04013", "Litchfield Park", 33.535, -112.383);
    pub const LACKLAND: Site = ("JBSA-Lackland", "TX", "Bexar County", "48029", "San Antonio", 29.384, -98.618);
    pub const NORFOLK: Site = ("Naval Station Norfolk", "VA", "Norfolk city", "51710", "Norfolk", 36.946, -76.313);
    pub const WHITE_SANDS: Site = ("White Sands Missile Range", "NM", "Doña Ana County", "35013", "Las Cruces", 32.38, -106.48);
    pub const CHEYENNE_MTN: Site = ("Cheyenne Mountain SFS", "CO", "El Paso County", "08041", "Colorado Springs", 38.744, -104.846);
}

/// A kind of deal: what the buyer does (title words, `{acres}` filled in), intended use, kind,
/// acres, value in USD, power in MW (0: none), the four rights and the property flags as
/// letters (`a`ccess, e`x`clude, `i`mprove, a`f`fix; `u`rban, `h`ousing unit, `p`ort,
/// `o`ffice), the word in the buyer's US company name, the lead agency, and how far from the
/// installation it lies (a scale on the offsets below).
#[rustfmt::skip]
type Deal = (&'static str, &'static str, &'static str, f64, i64, f64, &'static str, &'static str, LeadAgency, f64);

#[rustfmt::skip]
mod deals {
    use super::Deal;
    use crate::domain::report::LeadAgency::*;
    pub const FARMLAND: Deal = ("buys {acres} acres of farmland", "row-crop agriculture", "purchase", 640.0, 4_200_000, 0.0, "axif", "Farms", Defense, 1.5);
    pub const RANCH: Deal = ("buys {acres} acres of ranch land", "cattle ranching and hunting", "purchase", 14_000.0, 38_000_000, 0.0, "axif", "Ranch", Defense, 2.5);
    pub const WIND: Deal = ("leases {acres} acres for a wind farm", "wind generation", "lease", 9_500.0, 210_000_000, 180.0, "axif", "Wind", Energy, 2.0);
    pub const SOLAR: Deal = ("leases {acres} acres for a solar array", "utility-scale solar", "lease", 1_200.0, 95_000_000, 150.0, "axif", "Solar", Energy, 1.2);
    pub const CRYPTO: Deal = ("buys {acres} acres for a crypto mine", "cryptocurrency mining", "purchase", 9.0, 2_400_000, 60.0, "axif", "Digital", Defense, 0.6);
    pub const DATA_CENTER: Deal = ("plans a data center on {acres} acres", "hyperscale data center", "greenfield", 85.0, 620_000_000, 250.0, "axif", "Data Campus", HomelandSecurity, 1.0);
    pub const WAREHOUSE: Deal = ("buys a cold-storage warehouse", "cold storage and logistics", "purchase", 22.0, 31_000_000, 4.0, "axif", "Logistics", Commerce, 0.8);
    pub const BATTERY: Deal = ("buys {acres} acres for battery storage", "grid battery storage", "purchase", 18.0, 140_000_000, 200.0, "axif", "Storage", Energy, 1.0);
    pub const TOWER: Deal = ("leases a telecom tower site", "telecommunications tower", "lease", 2.0, 850_000, 0.0, "axif", "Towers", HomelandSecurity, 0.8);
    pub const ANTENNA: Deal = ("leases rooftop space for antennas", "rooftop antennas", "lease", 0.1, 60_000, 0.0, "af uo", "Wireless", HomelandSecurity, 0.4);
    pub const HOUSE: Deal = ("buys a single-family home", "private residence", "purchase", 0.3, 540_000, 0.0, "axif uh", "Home Holdings", Defense, 0.2);
    pub const PORT: Deal = ("takes over a container terminal concession", "container terminal operations", "concession", 70.0, 350_000_000, 12.0, "axif up", "Terminals", HomelandSecurity, 0.3);
    pub const HANGAR: Deal = ("leases an aircraft maintenance hangar", "aircraft maintenance", "lease", 6.0, 12_000_000, 2.0, "axif u", "Aero Services", Defense, 0.4);
    pub const APARTMENTS: Deal = ("buys a 240-unit apartment complex", "multifamily housing", "purchase", 14.0, 48_000_000, 0.0, "axif u", "Residential", Defense, 0.4);
    pub const MAGNETS: Deal = ("plans a rare-earth magnet plant on {acres} acres", "rare-earth magnet manufacturing", "greenfield", 160.0, 400_000_000, 45.0, "axif", "Materials", Commerce, 1.5);
    pub const HILLSIDE: Deal = ("buys a hillside lot", "residential development", "purchase", 35.0, 3_100_000, 0.0, "axif", "Ridge", Defense, 0.5);
    pub const INDUSTRIAL: Deal = ("buys an industrial lot for electronics assembly", "drone and electronics assembly", "purchase", 28.0, 19_000_000, 8.0, "axif", "Industries", Commerce, 1.0);
    pub const GRAIN: Deal = ("buys a grain elevator and {acres} acres", "grain handling and storage", "purchase", 300.0, 26_000_000, 0.0, "axif", "Grain", Defense, 1.0);
    pub const RETAIL: Deal = ("buys a shopping center", "retail center", "purchase", 20.0, 27_000_000, 0.0, "axif u", "Retail", Treasury, 0.4);
}

/// A buyer: how titles call it, its foreign owner (name, country), and, when that owner is a
/// holding company, who stands above it (name, country, share); then whether the owner is
/// government-controlled and state-owned.
#[rustfmt::skip]
type Buyer = (&'static str, &'static str, &'static str, Option<(&'static str, &'static str, f64)>, bool);

#[rustfmt::skip]
mod buyers {
    use super::Buyer;
    pub const JIANGBEI: Buyer = ("PRC agribusiness", "Jiangbei Agritech Group Co., Ltd.", "CN", None, false);
    pub const ZHONGYUAN: Buyer = ("PRC state-owned energy group", "Zhongyuan Energy Investment Co., Ltd.", "CN", None, true);
    pub const QIANTAI: Buyer = ("Shenzhen technology group", "Shenzhen Qiantai Digital Technology Co., Ltd.", "CN", None, false);
    pub const XILIN: Buyer = ("PRC state-owned materials group", "Xilin Rare Earth Materials Co., Ltd.", "CN", None, true);
    pub const HUABEI: Buyer = ("PRC state grain reserve group", "Huabei Grain Reserve Group Co., Ltd.", "CN", None, true);
    pub const GUANGWEI: Buyer = ("PRC industrial group", "Guangwei Industrial Group Co., Ltd.", "CN", None, false);
    pub const HARBOURVIEW: Buyer = ("Hong Kong holding company", "Harbourview Strategic Holdings Ltd", "HK", None, false);
    pub const GOLDEN_LOTUS: Buyer = ("Cayman fund with PRC backers", "Golden Lotus Holdings Ltd", "KY", Some(("PRC nationals (undisclosed)", "CN", 60.0)), false);
    pub const SILVER_RIDGE: Buyer = ("BVI vehicle with Russian owners", "Silver Ridge Ventures Ltd", "VG", Some(("Russian nationals (undisclosed)", "RU", 75.0)), false);
    pub const SEVERNAYA: Buyer = ("Russian logistics firm", "Severnaya Logistics JSC", "RU", None, false);
    pub const SOKOLOV: Buyer = ("Russian national", "A. Sokolov (private individual)", "RU", None, false);
    pub const AL_DHAFRA: Buyer = ("UAE trading firm tied to Iran", "Al Dhafra General Trading LLC", "AE", Some(("Pars Kavir Trading Co.", "IR", 51.0)), false);
    pub const AL_NOOR: Buyer = ("Emirati sovereign-backed fund", "Al Noor Strategic Investments PJSC", "AE", None, true);
    pub const STRAITS: Buyer = ("Singapore investment firm", "Straits Meridian Capital Pte. Ltd.", "SG", None, false);
    pub const KANTO: Buyer = ("Japanese utility", "Kanto Renewable Power K.K.", "JP", None, false);
    pub const HANBIT: Buyer = ("Korean shipping line", "Hanbit Marine Co., Ltd.", "KR", None, false);
    pub const PRAIRIE_NORTH: Buyer = ("Canadian farm co-operative", "Prairie North Agricultural Co-operative Ltd.", "CA", None, false);
    pub const ALBION: Buyer = ("British data-center developer", "Albion Data Infrastructure plc", "GB", None, false);
    pub const RHEINWERK: Buyer = ("German energy developer", "Rheinwerk Energie GmbH", "DE", None, false);
}

/// Where a case lies from its installation (degrees of latitude and longitude, scaled by the
/// deal); case `i` takes entry `3 i mod 8`.
const OFFSETS: [(f64, f64); 8] = [
    (0.031, 0.054),
    (-0.072, 0.018),
    (0.012, -0.091),
    (0.108, 0.066),
    (-0.024, -0.037),
    (0.055, -0.142),
    (-0.131, 0.089),
    (0.006, 0.011),
];

/// US sellers and lessors, taken in turn.
const SELLERS: [&str; 8] = [
    "Hagen Family Farms LP",
    "Prairie Rose Land Company",
    "Ortega Ranch Partners LP",
    "Bluestem Development Authority",
    "Heartland Farm Credit (REO)",
    "Miller Brothers Land & Cattle",
    "Red River Valley Holdings LLC",
    "Sandhill Properties Inc.",
];

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

/// One case: path, start, installation, deal, buyer, source, who logged it (`None`: a public
/// tip) and the assignee.
type Row = (Path, Start, Site, Deal, Buyer, Source, Option<Who>, Who);

#[rustfmt::skip]
const CASES: [Row; 40] = {
    use super::segments::*;
    use buyers::*;
    use deals::*;
    use sites::*;
    use Source::*;
    use Start::On;
    [
        (LEAD, Ago(1), MALMSTROM, FARMLAND, JIANGBEI, PublicTip, None, R),
        (LEAD, Ago(3), WHITEMAN, DATA_CENTER, STRAITS, Media, Some(A), R),
        (LEAD, Ago(13), BARKSDALE, WAREHOUSE, HARBOURVIEW, AgencyReferral, Some(R), A),
        (SCREENING, Ago(2), ELLSWORTH, CRYPTO, GOLDEN_LOTUS, CompanyReport, Some(R), R),
        (SCREENING, Ago(8), DYESS, SOLAR, KANTO, Other, Some(R), A),
        (SCREENING, Ago(22), VANDENBERG, TOWER, SILVER_RIDGE, PublicTip, None, R),
        (INQUIRY, Ago(9), LAUGHLIN, RANCH, GUANGWEI, Media, Some(R), R),
        (INQUIRY, Ago(45), CHEYENNE_MTN, HILLSIDE, AL_DHAFRA, AgencyReferral, Some(R), C),
        (INQUIRY, Ago(150), WHITE_SANDS, INDUSTRIAL, QIANTAI, SelfDisclosure, Some(A), R),
        (FILING_REQUESTED, Ago(6), LUKE, BATTERY, ZHONGYUAN, Media, Some(R), C),
        (FILING_REQUESTED, Ago(19), BRAGG, APARTMENTS, GOLDEN_LOTUS, AgencyReferral, Some(R), R),
        (DECLARATION, Ago(26), OFFUTT, DATA_CENTER, ALBION, PartyFiling, Some(A), R),
        (DECLARATION, Ago(7), MINOT, GRAIN, PRAIRIE_NORTH, PartyFiling, Some(R), R),
        (PREFILING, Ago(5), SAN_DIEGO, PORT, STRAITS, PartyFiling, Some(R), A),
        (PREFILING, Ago(17), LACKLAND, HANGAR, AL_NOOR, PartyFiling, Some(R), R),
        (NOTICE, Ago(8), NORFOLK, PORT, HANBIT, PartyFiling, Some(R), R),
        (NOTICE, Ago(2), GRAND_FORKS, FARMLAND, PRAIRIE_NORTH, PartyFiling, Some(A), R),
        (REVIEW, Ago(2), WARREN, DATA_CENTER, AL_NOOR, PartyFiling, Some(R), C),
        (REVIEW, Ago(33), WHITEMAN, SOLAR, ZHONGYUAN, PartyFiling, Some(R), R),
        (AGENCY_REVIEW, Ago(20), MALMSTROM, CRYPTO, SILVER_RIDGE, AgencyReferral, Some(R), C),
        (INVESTIGATION, Ago(25), VANDENBERG, RANCH, HARBOURVIEW, PartyFiling, Some(R), C),
        (EXTENDED, Ago(12), OFFUTT, BATTERY, QIANTAI, PartyFiling, Some(R), C),
        (PRESIDENTIAL, Ago(9), ELLSWORTH, MAGNETS, XILIN, PartyFiling, Some(R), C),
        (WITHDRAWN, Ago(12), DYESS, WIND, GUANGWEI, PartyFiling, Some(R), R),
        (WITHDRAWN_DECLARATION, Ago(40), BRAGG, FARMLAND, STRAITS, PartyFiling, Some(A), R),
        (MONITORING, Ago(100), LUKE, DATA_CENTER, AL_NOOR, PartyFiling, Some(R), A),
        (MONITORING_ABANDONED, Ago(103), CHEYENNE_MTN, WAREHOUSE, SEVERNAYA, PartyFiling, Some(R), R),
        (MONITORING_TOLLED, On(2025, 8, 4), MINOT, WIND, KANTO, PartyFiling, Some(R), C),
        (DIVESTITURE, Ago(38), GRAND_FORKS, GRAIN, HUABEI, AgencyReferral, Some(R), C),
        (NOT_COVERED_HOUSE, On(2023, 3, 6), NORFOLK, HOUSE, SOKOLOV, PublicTip, None, R),
        (NOT_COVERED_LEASE, On(2023, 6, 12), SAN_DIEGO, ANTENNA, QIANTAI, Media, Some(R), R),
        (NO_FURTHER_ACTION, On(2023, 9, 11), MINOT, FARMLAND, JIANGBEI, AgencyReferral, Some(R), A),
        (CLEARED_DECLARATION, On(2023, 4, 3), LUKE, SOLAR, KANTO, PartyFiling, Some(R), R),
        (UNABLE_TO_CONCLUDE, On(2024, 2, 5), OFFUTT, WAREHOUSE, STRAITS, PartyFiling, Some(A), R),
        (REJECTED, On(2024, 6, 3), WHITEMAN, FARMLAND, HARBOURVIEW, PartyFiling, Some(R), R),
        (CLEARED, On(2023, 10, 2), BRAGG, RETAIL, ALBION, PartyFiling, Some(R), A),
        (CLEARED_INVESTIGATION, On(2024, 8, 5), BARKSDALE, BATTERY, RHEINWERK, PartyFiling, Some(R), C),
        (ABANDONED, On(2024, 3, 4), LAUGHLIN, WIND, GUANGWEI, PartyFiling, Some(R), C),
        (MITIGATION_COMPLETED, On(2023, 5, 1), VANDENBERG, INDUSTRIAL, RHEINWERK, PartyFiling, Some(R), C),
        (CLEARED_VIA_DECLARATION, On(2025, 1, 6), ELLSWORTH, DATA_CENTER, ALBION, PartyFiling, Some(R), R),
    ]
};

// ---------------------------------------------------------------------------------------------
// From a row to a story
// ---------------------------------------------------------------------------------------------

/// Miles and an eight-point compass direction from an installation to a point near it.
fn bearing(lat: f64, dlat: f64, dlon: f64) -> (f64, &'static str) {
    let north = dlat * 69.05;
    let east = dlon * 69.17 * lat.to_radians().cos();
    let miles = north.hypot(east);
    let degrees = east.atan2(north).to_degrees().rem_euclid(360.0);
    let points = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
    // 0..8 by construction; `% 8` keeps the index in range whatever rounding does.
    let sector = ((degrees + 22.5) / 45.0) as usize % 8;
    (miles, points.get(sector).copied().unwrap_or("N"))
}

/// A number as people write it: whole, with thousands separators, from 10 up; else with one
/// decimal unless it is whole ("14,000", "12", "0.6", "9").
fn round(x: f64) -> String {
    if x >= 10.0 {
        let digits = format!("{x:.0}");
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else {
        let s = format!("{x:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

/// `x` to `places` decimals. Stored events must hold numbers that read back as the same `f64`
/// (a value like -93.59179999999999 does not, and its history would fail to verify).
fn to_places(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// How the step texts name a lead agency.
fn agency_name(agency: LeadAgency) -> &'static str {
    match agency {
        LeadAgency::Treasury => "Treasury",
        LeadAgency::Defense => "DoD",
        LeadAgency::Justice => "DOJ",
        LeadAgency::HomelandSecurity => "DHS",
        LeadAgency::Commerce => "Commerce",
        LeadAgency::State => "State",
        LeadAgency::Energy => "DOE",
        LeadAgency::Ustr => "USTR",
        LeadAgency::Ostp => "OSTP",
    }
}

fn party(key: &str, name: &str, country: &str, role: &str) -> Value {
    json!({"key": key, "name": name, "country": country, "role": role})
}

/// The story of case `i` (which picks its offset, acreage, seller and deal date).
fn story(i: usize, row: &Row, today: NaiveDate) -> Result<Story, ServiceError> {
    let &(path, start, site, deal, buyer, source, logged_by, assignee) = row;
    let (site_name, us_state, county, fips, town, site_lat, site_lon) = site;
    let (doing, purpose, kind, base_acres, value, power, flags, company, agency, spread) = deal;
    let (desc, owner, owner_country, top, government) = buyer;
    let (dlat, dlon) = OFFSETS
        .get(i * 3 % OFFSETS.len())
        .copied()
        .unwrap_or_default();
    let (dlat, dlon) = (dlat * spread, dlon * spread);
    let (miles, dir) = bearing(site_lat, dlat, dlon);
    let acreage = base_acres * [1.0, 1.3, 0.8][i % 3];
    let acreage = if acreage >= 10.0 {
        acreage.round()
    } else {
        to_places(acreage, 2)
    };
    let acres = round(acreage);
    let acquirer = format!("{town} {company} LLC");
    let top_country = top.map_or(owner_country, |(_, c, _)| c);
    let country = country_name(top_country).unwrap_or(top_country).to_string();
    let doing = doing.replace("{acres}", &acres);
    let title = format!("{desc} {doing} {} mi {dir} of {site_name}", round(miles));
    // The deal was struck before it was reported: a week before a filing, months before a tip.
    let n = i64::try_from(i).unwrap_or(0);
    let lead_time = if source == Source::PartyFiling {
        7
    } else {
        30 + n * 37 % 240
    };
    let steps: Vec<(When, Step)> = path.iter().flat_map(|s| s.iter().copied()).collect();
    let tx_date = shift(first_day(start, &steps, today)?, -lead_time)?;

    let mut parties = vec![
        party("p1", &acquirer, "US", "acquirer"),
        json!({"key": "p2", "name": owner, "country": owner_country, "role": "parent",
               "owns": "p1", "ownership_pct": 100, "government_controlled": government,
               "state_owned": government}),
    ];
    if let Some((top_name, top_code, pct)) = top {
        parties.push(json!({"key": "p3", "name": top_name, "country": top_code,
                            "role": "ultimate_parent", "owns": "p2", "ownership_pct": pct}));
    }
    let seller = SELLERS
        .get(i % SELLERS.len())
        .copied()
        .unwrap_or("Unknown seller");
    parties.push(party("p9", seller, "US", "seller"));

    let has = |c: char| flags.contains(c);
    let above = top.map_or(String::new(), |(name, _, pct)| {
        format!(", itself {pct}% held by {name}")
    });
    let summary = format!(
        "{}: {acquirer}, a US company owned by {owner} ({}){above}, {doing} in {county}, \
         {us_state}, {} mi {dir} of {site_name}. Intended use: {purpose}.",
        source.label(),
        country_name(owner_country).unwrap_or(owner_country),
        round(miles),
    );
    let report = json!({
        "title": title,
        "source": source.as_str(),
        "summary": summary,
        "transaction": {
            "kind": kind, "date": tx_date.to_string(), "value_usd": value,
            "rights": {"access": has('a'), "exclude": has('x'), "improve": has('i'),
                       "affix": has('f')},
            "intended_use": purpose,
            "power_mw": (power > 0.0).then_some(power),
        },
        "property": {
            "lat": to_places(site_lat + dlat, 4), "lon": to_places(site_lon + dlon, 4),
            "address": format!("{} mi {dir} of {site_name}, near {town}", round(miles)),
            "state": us_state, "county_fips": fips, "acreage": acreage,
            "urban_area": has('u'), "single_housing_unit": has('h'), "in_port": has('p'),
            "commercial_office": has('o'),
        },
        "parties": parties,
    });
    let words = vec![
        ("{site}", site_name.to_string()),
        ("{miles}", round(miles)),
        ("{dir}", dir.to_string()),
        ("{acquirer}", acquirer),
        ("{owner}", owner.to_string()),
        ("{country}", country),
        ("{purpose}", purpose.to_string()),
        ("{acres}", acres),
        ("{county}", county.to_string()),
        ("{agency}", agency_name(agency).to_string()),
        ("{tx_date}", tx_date.to_string()),
    ];
    Ok(Story {
        report,
        logged_by,
        assignee,
        agency,
        start,
        steps,
        words,
    })
}

/// The forty made-up cases, the open ones anchored to `today`.
pub(super) fn all(today: NaiveDate) -> Result<Vec<Story>, ServiceError> {
    CASES
        .iter()
        .enumerate()
        .map(|(i, row)| story(i, row, today))
        .collect()
}
