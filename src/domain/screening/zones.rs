//! Step 3 of the test (DOMAIN.md 2.2): which zones the property is in, among the sites in force
//! on the transaction date, plus the nearest sites whatever the zones.
//!
//! - `port`: a port site whose boundary contains the property, or, when the case says the
//!   property is inside a port, the nearest port site within the rule set's port radius (port
//!   coordinates are approximate; only listed ports count).
//! - `close_proximity`: Appendix A part 1 or 2, boundary distance <= 1 mile.
//! - `extended_range`: part 2, 1 < distance <= 100 miles. Part 2 is the list of installations
//!   that carry extended range (802.211(b)(2); categories (h), (k), (m) and those CFIUS added to
//!   it, e.g. Grand Forks AFB), so the part decides, not a category letter.
//! - `county`: a site listing the property's county FIPS (the Part 3 county lists).
//! - `kind_radius`: a non-military site within its kind's radius; risk only, not Part 802.
//!
//! Part 4 (offshore ranges) needs offshore polygons and is not screened here.

use chrono::NaiveDate;

use super::super::rules::RuleSet;
use super::geometry::{boundary_distance_mi, round2};
use super::{Nearest, Site, SiteKind, SiteLookup, Subject, Zone, ZoneHit};

/// How many nearest sites are listed.
pub const NEAREST: usize = 5;

/// A site near the property, with its boundary distance.
#[derive(Clone, Debug)]
pub struct Located<'a> {
    /// The site.
    pub site: &'a Site,
    /// Miles to its boundary, unrounded.
    pub distance_mi: f64,
    /// Whether it is listed on the screening date.
    pub in_force: bool,
}

/// What the zone search found.
#[derive(Clone, Debug, Default)]
pub struct ZoneReport<'a> {
    /// The zones, by zone (as `Zone` orders them), then distance.
    pub hits: Vec<ZoneHit>,
    /// The nearest sites in force.
    pub nearest: Vec<Nearest>,
    /// One plain sentence per zone, then notes (sites not yet or no longer listed).
    pub reasons: Vec<String>,
    /// Facts the location test is missing, in plain words.
    pub missing: Vec<String>,
    /// Every site within the search radius, listed on the date or not.
    pub near: Vec<Located<'a>>,
}

/// Whether a site is listed on a date: `listed_from <= date < listed_until`, an open end
/// counting as always.
pub fn in_force(site: &Site, date: NaiveDate) -> bool {
    site.listed_from.is_none_or(|f| f <= date) && site.listed_until.is_none_or(|u| date < u)
}

/// Whether a point is a usable latitude and longitude.
pub fn valid_point(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
}

/// "F.E. Warren AFB (Appendix A part 2)" or "Microsoft data center (data center)".
pub fn site_label(site: &Site) -> String {
    match site.part {
        Some(part) => format!("{} (Appendix A part {part})", site.name),
        None => format!("{} ({})", site.name, site.kind.label().to_lowercase()),
    }
}

/// Finds the zones and the nearest sites for the subject on `date`.
pub fn find<'a>(
    subject: &Subject,
    rules: &RuleSet,
    sites: &'a dyn SiteLookup,
    date: NaiveDate,
) -> ZoneReport<'a> {
    let mut report = ZoneReport::default();
    let (lat, lon) = (subject.lat, subject.lon);
    if !valid_point(lat, lon) {
        report.missing.push(format!(
            "the property's location ({lat}, {lon}) is not a valid point"
        ));
        return report;
    }
    let locate = |site: &'a Site| Located {
        site,
        distance_mi: boundary_distance_mi(lat, lon, site),
        in_force: in_force(site, date),
    };
    let mut near: Vec<Located<'a>> = sites
        .within(lat, lon, rules.search_radius_mi())
        .into_iter()
        .map(locate)
        .collect();
    near.sort_by(|a, b| {
        a.distance_mi
            .total_cmp(&b.distance_mi)
            .then(a.site.id.cmp(&b.site.id))
    });

    let mut hits: Vec<(ZoneHit, String)> = Vec::new();
    let mut port_claimed = false;
    for l in near.iter().filter(|l| l.in_force) {
        if let Some((zone, why)) = distance_zone(subject, rules, l, &mut port_claimed) {
            hits.push((hit(l, zone), why));
        }
    }
    if let Some(fips) = subject
        .county_fips
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        for site in sites.with_county(fips) {
            if in_force(site, date) && site.counties.iter().any(|c| c.trim() == fips) {
                let l = locate(site);
                let why = format!(
                    "County: the property's county ({fips}) is listed for {} (802.211(b)(3)).",
                    site_label(site)
                );
                hits.push((hit(&l, Zone::County), why));
            }
        }
    } else if let Some(l) = near
        .iter()
        .find(|l| l.in_force && !l.site.counties.is_empty())
    {
        report.missing.push(format!(
            "the property's county is not given, and {} lists counties {:.2} mi away",
            site_label(l.site),
            l.distance_mi
        ));
    }
    if subject.in_port && !port_claimed {
        report.reasons.push(format!(
            "The property is marked as inside a port, but no port site in force is within {} mi \
             of it; only listed ports are covered ports.",
            rules.kind_radius_mi.port
        ));
    }
    hits.sort_by(|a, b| {
        a.0.zone
            .cmp(&b.0.zone)
            .then(a.0.distance_mi.total_cmp(&b.0.distance_mi))
    });
    for (h, why) in hits {
        report.reasons.push(why);
        report.hits.push(h);
    }
    report.reasons.extend(not_listed_notes(rules, &near, date));
    report.nearest = nearest(sites, &near, lat, lon, date);
    report.near = near;
    report
}

fn hit(l: &Located<'_>, zone: Zone) -> ZoneHit {
    ZoneHit {
        site_id: l.site.id,
        site: l.site.name.clone(),
        kind: l.site.kind,
        zone,
        distance_mi: round2(l.distance_mi),
    }
}

/// The distance-based zone of one site, with its sentence.
fn distance_zone(
    subject: &Subject,
    rules: &RuleSet,
    l: &Located<'_>,
    port_claimed: &mut bool,
) -> Option<(Zone, String)> {
    let (d, site) = (l.distance_mi, l.site);
    let close = rules.distances.close_proximity_mi;
    let extended = rules.distances.extended_range_mi;
    let label = site_label(site);
    match (site.kind, site.part) {
        (SiteKind::Military, Some(1 | 2)) if d <= close => Some((
            Zone::CloseProximity,
            format!("Close proximity: {d:.2} mi from the boundary of {label}, within {close} mi (802.211(b)(1))."),
        )),
        (SiteKind::Military, Some(2)) if d <= extended => Some((
            Zone::ExtendedRange,
            format!("Extended range: {d:.2} mi from the boundary of {label}, between {close} and {extended} mi (802.211(b)(2))."),
        )),
        (SiteKind::Military, _) => None,
        (SiteKind::Port, _) if !*port_claimed && (d <= 0.0 || (subject.in_port && d <= rules.kind_radius_mi.port)) => {
            *port_claimed = true;
            Some((Zone::Port, format!("Covered port: the property is inside {label} (802.211(a)).")))
        }
        (kind, _) => {
            let r = rules.kind_radius_mi.radius(kind)?;
            (d <= r).then(|| {
                (
                    Zone::KindRadius,
                    format!(
                        "Near {label}: {d:.2} mi, within the {r} mi the rule set gives {} sites; \
                         not a Part 802 location, counted in the risk score only.",
                        kind.label().to_lowercase()
                    ),
                )
            })
        }
    }
}

/// Listed installations near enough to matter that are not listed on the date.
fn not_listed_notes(rules: &RuleSet, near: &[Located<'_>], date: NaiveDate) -> Vec<String> {
    near.iter()
        .filter(|l| !l.in_force && l.site.kind == SiteKind::Military)
        .filter(|l| match l.site.part {
            Some(1) => l.distance_mi <= rules.distances.close_proximity_mi,
            Some(2) => l.distance_mi <= rules.distances.extended_range_mi,
            _ => false,
        })
        .map(|l| {
            let when = match (l.site.listed_from, l.site.listed_until) {
                (Some(f), _) if date < f => format!("counts only for transactions from {f}"),
                (_, Some(u)) => format!("stopped counting on {u}"),
                _ => "is not listed on that date".to_string(),
            };
            format!(
                "{} is {:.2} mi away but {when}; the transaction is dated {date}.",
                site_label(l.site),
                l.distance_mi
            )
        })
        .collect()
}

/// The nearest sites in force by boundary distance: those within the search radius, topped up
/// from the index's nearest sites by centre distance when fewer than five are in range.
fn nearest(
    sites: &dyn SiteLookup,
    near: &[Located<'_>],
    lat: f64,
    lon: f64,
    date: NaiveDate,
) -> Vec<Nearest> {
    let mut list: Vec<(&Site, f64)> = near
        .iter()
        .filter(|l| l.in_force)
        .map(|l| (l.site, l.distance_mi))
        .collect();
    if list.len() < NEAREST {
        for (site, _) in sites.nearest(lat, lon, NEAREST * 4) {
            if in_force(site, date) && !list.iter().any(|(s, _)| s.id == site.id) {
                list.push((site, boundary_distance_mi(lat, lon, site)));
            }
        }
    }
    list.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.id.cmp(&b.0.id)));
    list.into_iter()
        .take(NEAREST)
        .map(|(s, d)| Nearest {
            site_id: s.id,
            site: s.name.clone(),
            kind: s.kind,
            distance_mi: round2(d),
        })
        .collect()
}
