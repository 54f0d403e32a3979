//! The map of a case: the sites its stored screening found (nearest and zones), read back
//! with their boundaries, drawn around the property by `maps::case_map`.

use crate::db::{self, DbConn};
use crate::domain::screening::{Screening, Zone};
use crate::maps::case_map::{self, CaseMap, MapSite};

use super::screening::{rules, site_of};
use super::ServiceError;

/// The maps of a property at (lat, lon) and the sites of its screening (none when it was not
/// screened: the map then shows the property alone). Sites are linked to the sites list,
/// filtered to their name (a site has no page of its own).
pub fn case_map(
    conn: &mut DbConn,
    lat: f64,
    lon: f64,
    screening: Option<&Screening>,
) -> Result<CaseMap, ServiceError> {
    let mut wanted: Vec<(i64, f64)> = Vec::new();
    let mut county_sites: Vec<i64> = Vec::new();
    if let Some(s) = screening {
        let nearest = s.nearest.iter().map(|n| (n.site_id, n.distance_mi));
        let zones = s.zones.iter().map(|z| (z.site_id, z.distance_mi));
        for (id, d) in nearest.chain(zones) {
            if !wanted.iter().any(|(w, _)| *w == id) {
                wanted.push((id, d));
            }
        }
        county_sites = s
            .zones
            .iter()
            .filter(|z| z.zone == Zone::County)
            .map(|z| z.site_id)
            .collect();
    }
    let mut sites = Vec::with_capacity(wanted.len());
    let mut county_zone = Vec::new();
    for (id, distance_mi) in wanted {
        let Some(site) = db::sites::find_site(conn, id)?.and_then(site_of) else {
            continue;
        };
        if county_sites.contains(&id) {
            county_zone.extend(site.counties.iter().cloned());
        }
        let href = format!(
            "/sites?{}",
            serde_urlencoded::to_string([("q", site.name.as_str())]).unwrap_or_default()
        );
        sites.push(MapSite {
            site,
            distance_mi,
            href,
        });
    }
    let rules = rules(conn)?;
    let counties = crate::maps::counties().ok();
    Ok(case_map::build(
        lat,
        lon,
        &sites,
        &county_zone,
        &rules,
        counties,
    ))
}
