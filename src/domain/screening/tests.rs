//! Whole screenings of the demo cases and the edge cases of the rules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::fixtures::{d, demo_sites, fufeng, mineone, party, site, subject, VecNames, VecSites};
use super::*;
use crate::domain::risk::Band;

fn rules() -> RuleSet {
    RuleSet::builtin().unwrap()
}

fn no_names() -> VecNames {
    VecNames(Vec::new())
}

fn run(s: &Subject, sites: &VecSites, today: NaiveDate) -> Screening {
    screen(s, &rules(), sites, &no_names(), today)
}

fn zones_of(s: &Screening) -> Vec<(&str, Zone)> {
    s.zones.iter().map(|z| (z.site.as_str(), z.zone)).collect()
}

#[test]
fn mineone_is_covered_in_close_proximity() {
    let s = run(&mineone(), &demo_sites(), d(2026, 11, 29));
    assert_eq!(s.jurisdiction, Jurisdiction::Covered, "{:#?}", s.reasons);
    assert_eq!(s.as_of, d(2022, 6, 15));
    assert_eq!(s.rules_version, "2026.1");
    assert_eq!(
        zones_of(&s),
        [
            ("F.E. Warren AFB", Zone::CloseProximity),
            ("90th Missile Wing field", Zone::County),
            ("Microsoft data center", Zone::KindRadius),
        ]
    );
    let warren = &s.zones[0];
    assert!(
        (warren.distance_mi - 0.75).abs() <= 0.02,
        "{}",
        warren.distance_mi
    );
    assert!(s.reasons[0].starts_with("Covered"));
    assert!(s
        .reasons
        .iter()
        .any(|r| r.starts_with("Close proximity: 0.75 mi from the boundary of F.E. Warren AFB")));
    assert!(s
        .reasons
        .iter()
        .any(|r| r.contains("owned by MineOne Partners Ltd (VG)")));
    assert_eq!(s.foreign_person.countries, ["CN", "VG"]);
    assert_eq!(
        s.nearest.first().map(|n| n.site.as_str()),
        Some("Microsoft data center")
    );
    assert!(s.nearest.iter().all(|n| n.site != "Grand Forks AFB"));
    // Threat: tier 1 China, offshore BVI, a chain of three; vulnerability: close proximity,
    // crypto mining, 75 MW; consequence: F.E. Warren's criticality 5.
    let labels: Vec<&str> = s
        .risk
        .factors
        .threat
        .iter()
        .map(|f| f.label.as_str())
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l.contains("Opaque chain") && l.contains("British Virgin Islands")),
        "{labels:?}"
    );
    assert!(labels.iter().any(|l| l.contains("tier 1")), "{labels:?}");
    assert_eq!(
        (s.risk.threat, s.risk.vulnerability, s.risk.consequence),
        (5, 5, 5)
    );
    assert_eq!((s.risk.score, s.risk.band), (125, Band::Critical));
    assert!(s.state_law.is_empty());
}

#[test]
fn fufeng_was_not_covered_then_but_is_now() {
    let sites = demo_sites();
    let then = run(&fufeng(Some(d(2022, 10, 17))), &sites, d(2026, 11, 29));
    assert_eq!(
        then.jurisdiction,
        Jurisdiction::NotCovered,
        "{:#?}",
        then.reasons
    );
    assert!(then.zones.is_empty());
    assert!(
        then.reasons[0].contains("no Part 802 zone applies on 2022-10-17"),
        "{}",
        then.reasons[0]
    );
    assert!(
        then.reasons.iter().any(|r| r.contains("Grand Forks AFB")
            && r.contains("counts only for transactions from 2023-09-22")),
        "{:#?}",
        then.reasons
    );
    assert!(then
        .reasons
        .iter()
        .any(|r| r.contains("greenfield land purchase, which is a purchase")));

    let now = run(&fufeng(None), &sites, d(2026, 11, 29));
    assert_eq!(
        now.jurisdiction,
        Jurisdiction::Covered,
        "{:#?}",
        now.reasons
    );
    assert_eq!(now.as_of, d(2026, 11, 29));
    assert_eq!(zones_of(&now), [("Grand Forks AFB", Zone::ExtendedRange)]);
    let mi = now.zones[0].distance_mi;
    assert!((12.0..=14.0).contains(&mi), "{mi}");
    assert_eq!(now.nearest[0].site, "Grand Forks AFB");
}

/// A part 2 base with a 1-mile boundary radius, and a subject due east of it at `miles` from
/// the boundary.
fn at_distance(miles: f64) -> (Subject, VecSites) {
    let mut base = site(1, "Base", SiteKind::Military, Some(2), 40.0, -100.0);
    base.boundary_radius_mi = 1.0;
    let lon = -100.0
        + (miles + 1.0) / (geometry::EARTH_RADIUS_MI * 40_f64.to_radians().cos()) * 180.0
            / std::f64::consts::PI;
    let s = subject(
        40.0,
        lon,
        None,
        vec![party("p1", "Buyer", "CN", "acquirer", None)],
    );
    (s, VecSites(vec![base]))
}

#[test]
fn zone_edges() {
    let cases: &[(f64, Option<Zone>)] = &[
        (0.0, Some(Zone::CloseProximity)),
        (0.99, Some(Zone::CloseProximity)),
        (1.01, Some(Zone::ExtendedRange)),
        (99.9, Some(Zone::ExtendedRange)),
        (100.2, None),
    ];
    for (miles, want) in cases {
        let (s, sites) = at_distance(*miles);
        let out = run(&s, &sites, d(2026, 1, 1));
        assert_eq!(out.zones.first().map(|z| z.zone), *want, "{miles} mi");
        if let Some(z) = out.zones.first() {
            assert!(
                (z.distance_mi - miles).abs() <= 0.01,
                "{miles}: {}",
                z.distance_mi
            );
        }
        let covered = want.is_some();
        assert_eq!(
            out.jurisdiction == Jurisdiction::Covered,
            covered,
            "{miles} mi"
        );
    }
    // Part 1 has no extended range.
    let (s, mut sites) = at_distance(1.01);
    sites.0[0].part = Some(1);
    assert!(run(&s, &sites, d(2026, 1, 1)).zones.is_empty());
}

#[test]
fn list_dates_decide_which_sites_count() {
    let (mut s, mut sites) = at_distance(0.5);
    sites.0[0].listed_from = Some(d(2023, 9, 22));
    sites.0[0].listed_until = Some(d(2025, 1, 1));
    let cases = [
        (d(2023, 9, 21), false),
        (d(2023, 9, 22), true),
        (d(2024, 12, 31), true),
        (d(2025, 1, 1), false),
    ];
    for (date, counts) in cases {
        s.date = Some(date);
        let out = run(&s, &sites, d(2026, 1, 1));
        assert_eq!(!out.zones.is_empty(), counts, "{date}");
        assert_eq!(
            out.nearest.is_empty(),
            !counts,
            "{date}: nearest lists only sites in force"
        );
    }
}

#[test]
fn exceptions_in_whole_screenings() {
    let (base, sites) = at_distance(0.5);
    let (far, far_sites) = at_distance(20.0);
    let chain = |countries: &[&str]| -> Vec<SubjectParty> {
        let keys = ["p1", "p2", "p3"];
        countries
            .iter()
            .enumerate()
            .map(|(i, c)| {
                party(
                    keys[i],
                    &format!("Party {i}"),
                    c,
                    if i == 0 { "acquirer" } else { "parent" },
                    i.checked_sub(1).map(|j| keys[j]),
                )
            })
            .collect()
    };
    type Tweak = fn(&mut Subject);
    let cases: &[(&str, bool, &[&str], Tweak, Jurisdiction)] = &[
        (
            "Canadian buyer, Chinese parent",
            true,
            &["CA", "CN"],
            |_| {},
            Jurisdiction::Covered,
        ),
        (
            "all Canadian and British",
            true,
            &["CA", "GB", "CA"],
            |_| {},
            Jurisdiction::Excepted,
        ),
        (
            "British buyer, Cayman parent",
            true,
            &["GB", "KY"],
            |_| {},
            Jurisdiction::Covered,
        ),
        (
            "urban, close proximity",
            true,
            &["CN"],
            |s| s.urban_area = true,
            Jurisdiction::Covered,
        ),
        (
            "urban, extended range",
            false,
            &["CN"],
            |s| s.urban_area = true,
            Jurisdiction::Excepted,
        ),
        (
            "single housing unit",
            true,
            &["CN"],
            |s| s.single_housing_unit = true,
            Jurisdiction::Excepted,
        ),
        (
            "commercial office",
            true,
            &["CN"],
            |s| s.commercial_office = true,
            Jurisdiction::Excepted,
        ),
        (
            "2 of 4 rights",
            true,
            &["CN"],
            |s| s.rights = [true, false, true, false],
            Jurisdiction::NotCovered,
        ),
        (
            "no right ticked",
            true,
            &["CN"],
            |s| s.rights = [false; 4],
            Jurisdiction::NotCovered,
        ),
        (
            "business acquisition",
            true,
            &["CN"],
            |s| s.tx_kind = "business_acquisition".into(),
            Jurisdiction::NotCovered,
        ),
        (
            "kind not given",
            true,
            &["CN"],
            |s| s.tx_kind = String::new(),
            Jurisdiction::NeedsReview,
        ),
        (
            "lease",
            true,
            &["CN"],
            |s| s.tx_kind = "Lease".into(),
            Jurisdiction::Covered,
        ),
        (
            "all American",
            true,
            &["US", "PR"],
            |_| {},
            Jurisdiction::NotCovered,
        ),
        (
            "country unknown",
            true,
            &["US", ""],
            |_| {},
            Jurisdiction::NeedsReview,
        ),
        ("no parties", true, &[], |_| {}, Jurisdiction::NeedsReview),
    ];
    for (name, close, countries, tweak, want) in cases {
        let (mut s, sites) = if *close {
            (base.clone(), &sites)
        } else {
            (far.clone(), &far_sites)
        };
        s.parties = chain(countries);
        tweak(&mut s);
        let out = run(&s, sites, d(2026, 1, 1));
        assert_eq!(out.jurisdiction, *want, "{name}: {:#?}", out.reasons);
        assert!(!out.reasons.is_empty());
    }
}

#[test]
fn urban_area_near_a_port_is_not_excepted() {
    let mut port = site(
        5,
        "Port of Long Beach",
        SiteKind::Port,
        None,
        33.75,
        -118.21,
    );
    port.boundary_radius_mi = 1.5;
    port.listed_from = None;
    let mut s = subject(
        33.76,
        -118.2,
        None,
        vec![party("p1", "Buyer", "CN", "acquirer", None)],
    );
    s.in_port = true;
    s.urban_area = true;
    let out = run(&s, &VecSites(vec![port]), d(2026, 1, 1));
    assert_eq!(zones_of(&out), [("Port of Long Beach", Zone::Port)]);
    assert_eq!(
        out.jurisdiction,
        Jurisdiction::Covered,
        "{:#?}",
        out.reasons
    );
    assert!(out.reasons.iter().any(|r| r.contains("never covers ports")));
}

#[test]
fn near_only_a_data_center_is_not_part_802() {
    let mut dc = site(6, "Data center", SiteKind::DataCenter, None, 41.0, -104.0);
    dc.criticality = 4;
    let s = subject(
        41.01,
        -104.0,
        None,
        vec![party("p1", "Buyer", "CN", "acquirer", None)],
    );
    let out = run(&s, &VecSites(vec![dc]), d(2026, 1, 1));
    assert_eq!(zones_of(&out), [("Data center", Zone::KindRadius)]);
    assert_eq!(out.jurisdiction, Jurisdiction::NotCovered);
    assert_eq!(out.risk.consequence, 4);
}

#[test]
fn missing_county_near_a_missile_field_needs_review() {
    let mut field = site(
        2,
        "Missile field",
        SiteKind::Military,
        Some(3),
        41.5,
        -104.2,
    );
    field.counties = vec!["56021".into()];
    let mut s = subject(
        41.3,
        -104.5,
        None,
        vec![party("p1", "Buyer", "RU", "acquirer", None)],
    );
    let sites = VecSites(vec![field]);
    assert_eq!(
        run(&s, &sites, d(2026, 1, 1)).jurisdiction,
        Jurisdiction::NeedsReview
    );
    s.county_fips = Some("56021".into());
    assert_eq!(
        run(&s, &sites, d(2026, 1, 1)).jurisdiction,
        Jurisdiction::Covered
    );
    s.county_fips = Some("56001".into());
    assert_eq!(
        run(&s, &sites, d(2026, 1, 1)).jurisdiction,
        Jurisdiction::NotCovered
    );
}

#[test]
fn watchlist_hits_raise_threat_unless_dismissed() {
    let entry = WatchEntry {
        id: 42,
        list: "Entity List".into(),
        name: "MineOne Partners Limited".into(),
        aliases: vec!["MineOne Partners Ltd".into()],
        country: Some("VG".into()),
        program: "EAR".into(),
        source: "test".into(),
    };
    let names = VecNames(vec![entry]);
    let mut s = mineone();
    s.parties.truncate(2);
    let today = d(2026, 1, 1);
    let plain = screen(&s, &rules(), &demo_sites(), &names, today);
    assert_eq!(plain.watchlist_hits.len(), 1);
    assert_eq!(plain.watchlist_hits[0].party_key, "p2");
    assert!(plain
        .risk
        .factors
        .threat
        .iter()
        .any(|f| f.label.contains("unconfirmed")));
    let dismissed = screen_with(
        &s,
        &rules(),
        &demo_sites(),
        &names,
        today,
        HitDecisions {
            confirmed: &[],
            dismissed: &[("p2".into(), 42)],
        },
    );
    assert!(dismissed
        .risk
        .factors
        .threat
        .iter()
        .all(|f| !f.label.contains("list")));
    let confirmed = screen_with(
        &s,
        &rules(),
        &demo_sites(),
        &names,
        today,
        HitDecisions {
            confirmed: &[("MineOne Partners Ltd".into(), 42)],
            dismissed: &[],
        },
    );
    assert!(confirmed
        .risk
        .factors
        .threat
        .iter()
        .any(|f| f.label.contains("(confirmed)")));
}

#[test]
fn state_laws_in_a_screening() {
    let mut tyndall = site(9, "Tyndall AFB", SiteKind::Military, None, 30.07, -85.58);
    tyndall.boundary_radius_mi = 3.0;
    let mut s = subject(
        30.15,
        -85.66,
        Some(d(2024, 3, 1)),
        vec![party("p1", "Buyer", "CN", "acquirer", None)],
    );
    s.state = Some("FL".into());
    let out = run(&s, &VecSites(vec![tyndall]), d(2026, 1, 1));
    let fl: Vec<&StateLawFinding> = out.state_law.iter().filter(|f| f.applies).collect();
    assert_eq!(fl.len(), 2, "{:#?}", out.state_law);
    assert!(
        fl.iter()
            .any(|f| f.finding.contains("Tyndall AFB")
                && f.finding.contains("within the law's 10 mi"))
    );

    let mut tx = subject(
        31.0,
        -100.0,
        Some(d(2025, 9, 2)),
        vec![party("p1", "Buyer", "RU", "acquirer", None)],
    );
    tx.county_fips = Some("48441".into());
    let out = run(&tx, &VecSites(Vec::new()), d(2026, 1, 1));
    assert_eq!(out.state_law.len(), 1);
    assert!(out.state_law[0].applies && out.state_law[0].law.starts_with("Texas SB 17"));
}

#[test]
fn screening_round_trips_through_json() {
    let s = run(&mineone(), &demo_sites(), d(2026, 1, 1));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["jurisdiction"], "covered");
    assert_eq!(json["zones"][0]["zone"], "close_proximity");
    assert_eq!(json["zones"][0]["kind"], "military");
    assert_eq!(json["risk"]["band"], "critical");
    let back: Screening = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);
}
