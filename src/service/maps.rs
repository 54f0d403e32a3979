//! The national maps' marks: active sites by kind (the Sites page) and open cases by risk band
//! (the dashboard), merged into counted marks where they crowd, each with its link and its
//! words. The dashboard's marks are kept between requests and rebuilt when cases change.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::sites::SitePoint;
use super::ServiceError;
use crate::db::maps::CasePoint;
use crate::db::{self, DbConn};
use crate::domain::area::Area;
use crate::domain::countries::UsState;
use crate::domain::screening::SiteKind;
use crate::maps::national::{self, cluster, BaseMap, Frame};

/// Grid cell of the national maps, in pixels of the 975 × 610 view box: wider than the largest
/// mark (22 px), so that marks do not cover each other.
const CELL_NATIONAL: f64 = 24.0;
/// Grid cell of a zoomed state: closer points stay apart.
const CELL_ZOOMED: f64 = 8.0;

/// A map ready to draw: the background, the marks and the legend.
#[derive(Clone, Debug)]
pub struct MapView {
    /// The map's title (also its accessible name).
    pub title: String,
    /// The background outlines.
    pub base: Arc<BaseMap>,
    /// The marks, in grid order.
    pub marks: Vec<Mark>,
    /// One row per symbol: what it means and how many points it stands for.
    pub legend: Vec<LegendItem>,
    /// Points that could not be placed (outside the map, or outside the zoomed state).
    pub off_map: usize,
    /// Points placed.
    pub on_map: usize,
    /// Whether marks may merge points of several kinds (the legend then says so).
    pub mixed: bool,
    /// How to read the marks.
    pub note: &'static str,
}

/// One mark: a point, or several merged into a counted mark.
#[derive(Clone, Debug)]
pub struct Mark {
    /// Top-left of the symbol, pixels with one decimal.
    pub x: String,
    pub y: String,
    /// Symbol size in pixels.
    pub size: u32,
    /// Where the count is written: beside the symbol, up and to the right.
    pub label_x: String,
    pub label_y: String,
    /// How many points the mark stands for.
    pub count: usize,
    /// The `<symbol>` id (see `macros/map.html`).
    pub symbol: &'static str,
    /// Where the mark leads.
    pub href: String,
    /// What it is, in words.
    pub label: String,
}

/// A legend row.
#[derive(Clone, Debug)]
pub struct LegendItem {
    pub symbol: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub href: String,
}

/// The symbol of a site kind.
fn kind_symbol(kind: Option<SiteKind>) -> &'static str {
    match kind {
        Some(SiteKind::Military) => "m-military",
        Some(SiteKind::Port) => "m-port",
        Some(SiteKind::DataCenter) => "m-data_center",
        Some(SiteKind::Power) => "m-power",
        Some(SiteKind::Water) => "m-water",
        Some(SiteKind::Telecom) => "m-telecom",
        Some(SiteKind::Other) | None => "m-other",
    }
}

/// The symbol of a risk band (`None`: not yet screened).
fn band_symbol(band: Option<&str>) -> &'static str {
    match band {
        Some("low") => "m-low",
        Some("moderate") => "m-moderate",
        Some("high") => "m-high",
        Some("critical") => "m-critical",
        _ => "m-unscreened",
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn one(x: f64) -> String {
    format!("{x:.1}")
}

/// A mark of `count` points centred on (x, y): larger as it counts more.
fn mark(x: f64, y: f64, count: usize, symbol: &'static str, href: String, label: String) -> Mark {
    let size: u32 = match count {
        0..=1 => 10,
        2..=9 => 14,
        10..=99 => 18,
        _ => 22,
    };
    let half = f64::from(size) / 2.0;
    Mark {
        x: one(x - half),
        y: one(y - half),
        size,
        label_x: one(x + half + 1.0),
        label_y: one(y - 4.0),
        count,
        symbol,
        href,
        label,
    }
}

/// The frame of a map: national, or zoomed on a state that the Census file draws.
fn frame_of(state: Option<&UsState>) -> Result<(Arc<BaseMap>, Frame), ServiceError> {
    let internal = |e: crate::maps::MapError| ServiceError::Internal(format!("map: {e}"));
    if let Some(st) = state {
        if let Some(zoomed) = national::state(st.fips).map_err(internal)? {
            return Ok(zoomed);
        }
    }
    Ok((national::national().map_err(internal)?, Frame::National))
}

/// The Sites page map: every given site placed, merged where they crowd; zoomed on `state`
/// when given. `filters` is the list's other query (`q`, `kind`) for the links.
pub fn sites_map(
    points: &[SitePoint],
    state: Option<&UsState>,
    filters: &str,
) -> Result<MapView, ServiceError> {
    let (base, frame) = frame_of(state)?;
    let zoomed = matches!(frame, Frame::Zoomed { .. });
    let mut placed = Vec::new();
    let mut pixels = Vec::new();
    for p in points {
        if let Some(px) = frame.place(p.lon, p.lat) {
            placed.push(p);
            pixels.push(px);
        }
    }
    let cell = if zoomed { CELL_ZOOMED } else { CELL_NATIONAL };
    let mut marks = Vec::new();
    for c in cluster(&pixels, cell) {
        let members: Vec<&SitePoint> = c
            .members
            .iter()
            .filter_map(|&i| placed.get(i).copied())
            .collect();
        if let [p] = members.as_slice() {
            let kind = p.kind.map(SiteKind::label).unwrap_or("Unknown kind");
            let href = format!("/sites?q={}", enc(&p.name));
            let label = format!("{} ({kind})", p.name);
            marks.push(mark(c.x, c.y, 1, kind_symbol(p.kind), href, label));
            continue;
        }
        marks.push(site_cluster(c.x, c.y, &members, zoomed, filters));
    }
    let mut legend = Vec::new();
    for k in SiteKind::ALL {
        let count = placed.iter().filter(|p| p.kind == Some(*k)).count();
        let in_state = state
            .map(|s| format!("&state={}", s.code))
            .unwrap_or_default();
        let href = format!(
            "/sites?kind={}{}{in_state}",
            k.as_str(),
            filters_without_kind(filters)
        );
        legend.push(LegendItem {
            symbol: kind_symbol(Some(*k)),
            label: k.label(),
            count,
            href,
        });
    }
    let title = match (state, zoomed) {
        (Some(st), true) => format!("Active sites in {}", st.name),
        _ => "Active sites in the United States".to_string(),
    };
    Ok(MapView {
        title,
        base,
        on_map: placed.len(),
        off_map: points.len() - placed.len(),
        marks,
        legend,
        mixed: true,
        note: if zoomed {
            "Each mark is a site, or sites closer than a few miles merged; the number beside a mark counts them. County lines are drawn."
        } else {
            "Each mark is a site, or nearby sites merged; the number beside a mark counts them, and it leads to their state's map. Choose a state to zoom in."
        },
    })
}

/// The `&state=…` part of the list's query, kept when a legend row chooses a kind.
fn filters_without_kind(filters: &str) -> String {
    filters
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("kind="))
        .map(|p| format!("&{p}"))
        .collect()
}

/// A counted mark of sites: its symbol is the kind when all share one, else "mixed"; it
/// leads to the state most of them are in (zoomed in, to the list of that kind).
fn site_cluster(x: f64, y: f64, members: &[&SitePoint], zoomed: bool, filters: &str) -> Mark {
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut states: BTreeMap<&str, usize> = BTreeMap::new();
    for p in members {
        *kinds
            .entry(p.kind.map(SiteKind::label).unwrap_or("Unknown kind"))
            .or_default() += 1;
        if let Some(s) = p.state.as_deref() {
            *states.entry(s).or_default() += 1;
        }
    }
    let first_kind = members.first().and_then(|p| p.kind);
    let symbol = if members.iter().all(|p| p.kind == first_kind) {
        kind_symbol(first_kind)
    } else {
        "m-mixed"
    };
    let top_state = states.iter().max_by_key(|(_, n)| **n).map(|(s, _)| *s);
    // Nationally a merged mark opens its state's map; zoomed in, the state's list below.
    let href = match (top_state, zoomed) {
        (Some(s), false) => format!("/sites?state={}{filters}", enc(s)),
        (Some(s), true) => format!("/sites?state={}{filters}#sites", enc(s)),
        (None, _) => format!("/sites?{}", filters.trim_start_matches('&')),
    };
    let breakdown: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let label = format!("{} sites here: {}", members.len(), breakdown.join(", "));
    mark(x, y, members.len(), symbol, href, label)
}

/// The dashboard's map of open cases, coloured by risk band.
pub fn cases_map(points: &[CasePoint]) -> Result<MapView, ServiceError> {
    let (base, frame) = frame_of(None)?;
    let mut placed = Vec::new();
    let mut pixels = Vec::new();
    for p in points {
        if let Some(px) = frame.place(p.lon, p.lat) {
            placed.push(p);
            pixels.push(px);
        }
    }
    let mut marks = Vec::new();
    for c in cluster(&pixels, CELL_NATIONAL) {
        let members: Vec<&CasePoint> = c
            .members
            .iter()
            .filter_map(|&i| placed.get(i).copied())
            .collect();
        // The worst band in the cell speaks for it: that is what a reviewer looks for.
        let worst = members
            .iter()
            .map(|p| band_rank(p.risk_band.as_deref()))
            .max()
            .unwrap_or(0);
        let band = BANDS.get(worst).copied().flatten();
        let symbol = band_symbol(band);
        let m = match members.as_slice() {
            [p] => mark(
                c.x,
                c.y,
                1,
                symbol,
                format!("/cases/{}", p.id),
                format!("Case #{}: {}", p.id, band_words(band)),
            ),
            // The queue of the open cases placed where the mark's members are.
            _ => mark(
                c.x,
                c.y,
                members.len(),
                symbol,
                Area::around(members.iter().map(|p| (p.lat, p.lon))).map_or_else(
                    || "/cases?open=1".to_string(),
                    // Digits, points, minus signs and commas: nothing to escape.
                    |a| format!("/cases?open=1&area={a}"),
                ),
                format!(
                    "{} open cases here, the worst {}",
                    members.len(),
                    band_words(band)
                ),
            ),
        };
        marks.push(m);
    }
    let legend = BANDS
        .iter()
        .rev()
        .map(|b| LegendItem {
            symbol: band_symbol(*b),
            label: band_label(*b),
            count: placed
                .iter()
                .filter(|p| p.risk_band.as_deref() == *b)
                .count(),
            href: b.map_or_else(|| "/cases".to_string(), |b| format!("/cases?risk={b}")),
        })
        .collect();
    Ok(MapView {
        title: "Open cases by risk band".into(),
        base,
        on_map: placed.len(),
        off_map: points.len() - placed.len(),
        marks,
        legend,
        mixed: false,
        note: "Each mark is an open case, or nearby open cases merged; the number beside a mark counts them and its symbol is the worst band among them. A single case links to its page, a merged mark to the queue of its worst band.",
    })
}

/// The bands from least to most worrying (unscreened first).
const BANDS: [Option<&str>; 5] = [
    None,
    Some("low"),
    Some("moderate"),
    Some("high"),
    Some("critical"),
];

fn band_rank(band: Option<&str>) -> usize {
    BANDS.iter().position(|b| *b == band).unwrap_or(0)
}

fn band_label(band: Option<&str>) -> &'static str {
    match band {
        Some("low") => "Low",
        Some("moderate") => "Moderate",
        Some("high") => "High",
        Some("critical") => "Critical",
        _ => "Not yet screened",
    }
}

fn band_words(band: Option<&str>) -> String {
    match band {
        Some(b) => format!("{b} risk"),
        None => "not yet screened".into(),
    }
}

/// The dashboard map kept between requests, with the `case-map-version` it was drawn at: the
/// database moves that counter with every change to what the map shows (see the migration
/// `case_map_version`), on whichever node it was made, so a node draws again exactly when
/// something changed.
#[derive(Clone, Default)]
pub struct CaseMapCache(Arc<Mutex<Option<Cached>>>);

struct Cached {
    version: i64,
    map: Arc<MapView>,
}

/// The dashboard map: from the cache when no case changed since, else from one query.
pub fn open_cases_map(
    conn: &mut DbConn,
    cache: &CaseMapCache,
) -> Result<Arc<MapView>, ServiceError> {
    // Read before the points: a change committed in between only makes the next view redraw.
    let version = db::cases::counter(conn, "case-map-version")?;
    if let Some(c) = cache.0.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        if c.version == version {
            return Ok(c.map.clone());
        }
    }
    let points = db::maps::open_case_points(conn)?;
    let map = Arc::new(cases_map(&points)?);
    *cache.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
        version,
        map: map.clone(),
    });
    Ok(map)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn site(id: i64, kind: SiteKind, lat: f64, lon: f64) -> SitePoint {
        SitePoint {
            id,
            name: format!("Site & {id}"),
            kind: Some(kind),
            lat,
            lon,
            state: Some("WY".into()),
        }
    }

    #[test]
    fn crowded_sites_merge_and_far_ones_link_to_themselves() {
        let points = vec![
            site(1, SiteKind::Military, 41.14, -104.82),
            site(2, SiteKind::Power, 41.15, -104.80),
            site(3, SiteKind::Port, 47.6, -122.33),
            site(4, SiteKind::Port, 48.85, 2.35),
        ];
        let map = sites_map(&points, None, "").unwrap();
        assert_eq!(map.on_map, 3);
        assert_eq!(map.off_map, 1, "Paris is not on the map");
        assert_eq!(map.marks.iter().map(|m| m.count).sum::<usize>(), 3);
        let merged = map.marks.iter().find(|m| m.count == 2).unwrap();
        assert_eq!(merged.symbol, "m-mixed");
        assert_eq!(merged.href, "/sites?state=WY");
        let seattle = map.marks.iter().find(|m| m.count == 1).unwrap();
        assert_eq!(seattle.href, "/sites?q=Site+%26+3");
    }

    #[test]
    fn a_case_cluster_takes_its_worst_band() {
        let p = |id, band: Option<&str>| CasePoint {
            id,
            lat: 41.14,
            lon: -104.82,
            risk_band: band.map(str::to_string),
        };
        let map = cases_map(&[p(1, Some("low")), p(2, Some("high")), p(3, None)]).unwrap();
        assert_eq!(map.marks.len(), 1);
        assert_eq!(map.marks[0].symbol, "m-high");
        // It links to the open cases placed where its members are, whatever their band.
        assert_eq!(
            map.marks[0].href,
            "/cases?open=1&area=41.1400,-104.8200,41.1400,-104.8200"
        );
        let single = cases_map(&[p(7, None)]).unwrap();
        assert_eq!(single.marks[0].href, "/cases/7");
        assert_eq!(single.marks[0].symbol, "m-unscreened");
    }
}
