//! Test fixtures: plain-vector implementations of the lookups, and the demo cases (MineOne,
//! Fufeng) from DOMAIN.md 2.6–2.7 and 4.1.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::geometry::haversine_mi;
use super::{NameLookup, Site, SiteKind, SiteLookup, Subject, SubjectParty, WatchEntry};

/// Sites in a vector, searched by scanning.
pub struct VecSites(pub Vec<Site>);

impl SiteLookup for VecSites {
    fn within(&self, lat: f64, lon: f64, radius_mi: f64) -> Vec<&Site> {
        self.0
            .iter()
            .filter(|s| haversine_mi(lat, lon, s.lat, s.lon) <= radius_mi)
            .collect()
    }
    fn nearest(&self, lat: f64, lon: f64, n: usize) -> Vec<(&Site, f64)> {
        let mut all: Vec<(&Site, f64)> = self
            .0
            .iter()
            .map(|s| (s, haversine_mi(lat, lon, s.lat, s.lon)))
            .collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1));
        all.truncate(n);
        all
    }
    fn with_county(&self, fips: &str) -> Vec<&Site> {
        self.0
            .iter()
            .filter(|s| s.counties.iter().any(|c| c == fips))
            .collect()
    }
}

/// Watchlist entries in a vector; every entry is a candidate.
pub struct VecNames(pub Vec<WatchEntry>);

impl NameLookup for VecNames {
    fn candidates(&self, _normalized: &str) -> Vec<&WatchEntry> {
        self.0.iter().collect()
    }
}

/// A date.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A site with no boundary radius, criticality 3, listed from 2020-02-13.
pub fn site(id: i64, name: &str, kind: SiteKind, part: Option<u8>, lat: f64, lon: f64) -> Site {
    Site {
        id,
        name: name.into(),
        kind,
        part,
        lat,
        lon,
        boundary_radius_mi: 0.0,
        criticality: 3,
        state: None,
        listed_from: Some(d(2020, 2, 13)),
        listed_until: None,
        counties: Vec::new(),
        boundary: None,
    }
}

/// A party.
pub fn party(key: &str, name: &str, country: &str, role: &str, owns: Option<&str>) -> SubjectParty {
    SubjectParty {
        key: key.into(),
        name: name.into(),
        country: country.into(),
        role: role.into(),
        ownership_pct: None,
        owns: owns.map(Into::into),
        government_controlled: false,
        state_owned: false,
    }
}

/// MineOne's chain: a US LLC owned by a BVI company owned by PRC nationals.
pub fn mineone_parties() -> Vec<SubjectParty> {
    vec![
        party(
            "p1",
            "MineOne Wyoming Data Center LLC",
            "US",
            "acquirer",
            None,
        ),
        party("p2", "MineOne Partners Ltd", "VG", "parent", Some("p1")),
        party(
            "p3",
            "PRC nationals (undisclosed)",
            "CN",
            "ultimate_parent",
            Some("p2"),
        ),
        party("p4", "Cheyenne LEADS", "US", "seller", None),
    ]
}

/// F.E. Warren AFB (part 2, boundary 2.2 mi), its missile field (part 3, Laramie County and
/// neighbours), a Microsoft data center in Cheyenne, and Grand Forks AFB (part 2 from
/// 2023-09-22).
pub fn demo_sites() -> VecSites {
    let mut warren = site(
        1,
        "F.E. Warren AFB",
        SiteKind::Military,
        Some(2),
        41.13,
        -104.87,
    );
    warren.boundary_radius_mi = 2.2;
    warren.criticality = 5;
    warren.state = Some("WY".into());
    let mut field = site(
        2,
        "90th Missile Wing field",
        SiteKind::Military,
        Some(3),
        41.5,
        -104.2,
    );
    field.counties = vec!["56021".into(), "08123".into(), "31007".into()];
    field.criticality = 5;
    let mut msft = site(
        3,
        "Microsoft data center",
        SiteKind::DataCenter,
        None,
        41.165,
        -104.845,
    );
    msft.boundary_radius_mi = 0.1;
    msft.criticality = 4;
    msft.listed_from = None;
    let mut gf = site(
        4,
        "Grand Forks AFB",
        SiteKind::Military,
        Some(2),
        47.961,
        -97.401,
    );
    gf.boundary_radius_mi = 2.0;
    gf.criticality = 4;
    gf.listed_from = Some(d(2023, 9, 22));
    VecSites(vec![warren, field, msft, gf])
}

/// A subject at a point with all four rights, a purchase, and no flags.
pub fn subject(lat: f64, lon: f64, date: Option<NaiveDate>, parties: Vec<SubjectParty>) -> Subject {
    Subject {
        lat,
        lon,
        county_fips: None,
        state: None,
        date,
        tx_kind: "purchase".into(),
        rights: [true; 4],
        urban_area: false,
        single_housing_unit: false,
        in_port: false,
        commercial_office: false,
        intended_use: String::new(),
        power_mw: None,
        acreage: None,
        parties,
    }
}

/// The MineOne case as reported: 12 acres of Bitcoin mining, June 2022, Laramie County.
pub fn mineone() -> Subject {
    let mut s = subject(41.17, -104.85, Some(d(2022, 6, 15)), mineone_parties());
    s.county_fips = Some("56021".into());
    s.state = Some("WY".into());
    s.intended_use = "Cryptocurrency (Bitcoin) mining facility".into();
    s.power_mw = Some(75.0);
    s.acreage = Some(12.0);
    s
}

/// The Fufeng corn mill: 370 greenfield acres north of Grand Forks, October 2022.
pub fn fufeng(date: Option<NaiveDate>) -> Subject {
    let parties = vec![
        party("p1", "Fufeng USA Inc", "US", "acquirer", None),
        party("p2", "Fufeng Group Ltd", "CN", "parent", Some("p1")),
    ];
    let mut s = subject(47.97, -97.07, date, parties);
    s.tx_kind = "greenfield".into();
    s.county_fips = Some("38035".into());
    s.state = Some("ND".into());
    s.intended_use = "Wet corn mill".into();
    s.acreage = Some(370.0);
    s
}
