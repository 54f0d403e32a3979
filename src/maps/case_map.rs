//! A case's map, ready to draw: the local map around the property (county and state lines,
//! the nearby sites with their boundary and the ring the rule set gives them, the property, a
//! scale bar, a north arrow, placed labels) and, when a Part 2 installation's 100-mile extended
//! range applies, a regional map zoomed out to show that ring. Both the page's SVG and the
//! PDF draw from the same pixels. Pure: the sites, the rule set and the boundaries are given.

use super::county::Counties;
use super::local::{
    clip_polygon, clip_polyline, geodesic_circle, grown_hull, leader, miles_text, nice_miles,
    path_d, place_labels, text_width, Frame, LabelRequest, Px, Rect,
};
use crate::charts::palette;
use crate::domain::rules::RuleSet;
use crate::domain::screening::{Site, SiteKind};

/// The map's size in pixels (its SVG viewBox).
pub const WIDTH: f64 = 640.0;
/// The map's height in pixels.
pub const HEIGHT: f64 = 400.0;
/// Label type size, pixels.
pub const LABEL_PX: f64 = 11.0;
/// Pixels kept free between what must show and the edge.
const MARGIN: f64 = 14.0;
/// The local map shows the nearest site when its boundary is at most this far.
const LOCAL_REACH_MI: f64 = 25.0;
/// The local map shows at least this far around the property.
const MIN_HALF_MI: f64 = 1.5;
/// How far the local map shows when no site is within reach.
const EMPTY_HALF_MI: f64 = 5.0;
/// Half the size of a site marker.
const MARKER: f64 = 6.0;
/// Longest label, in characters.
const LABEL_CHARS: usize = 34;

/// A site to draw, as the screening found it.
#[derive(Clone, Debug)]
pub struct MapSite {
    /// The site.
    pub site: Site,
    /// Miles from the property to its boundary.
    pub distance_mi: f64,
    /// Where its page (or its entry in the sites list) is.
    pub href: String,
}

/// How one kind of thing is painted: an Okabe–Ito colour (3:1 or more on white), a light tint
/// for areas, and a shape so it reads without colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    /// The `class` suffix in the page (`military`, `data-center`, `other`).
    pub key: &'static str,
    /// Lines and markers.
    pub colour: &'static str,
    /// The same colour as RGB, 0 to 1, for the PDF.
    pub rgb: (f32, f32, f32),
    /// Areas.
    pub tint: &'static str,
    /// The tint as RGB.
    pub tint_rgb: (f32, f32, f32),
}

const MILITARY: Paint = Paint {
    key: "military",
    colour: palette::VERMILLION,
    rgb: palette::rgb(palette::VERMILLION),
    tint: "#F7DFCC",
    tint_rgb: palette::rgb("#F7DFCC"),
};
const DATA_CENTER: Paint = Paint {
    key: "data-center",
    colour: palette::BLUE,
    rgb: palette::rgb(palette::BLUE),
    tint: "#CCE3F0",
    tint_rgb: palette::rgb("#CCE3F0"),
};
const OTHER: Paint = Paint {
    key: "other",
    colour: palette::BLUISH_GREEN,
    rgb: palette::rgb(palette::BLUISH_GREEN),
    tint: "#CCECE3",
    tint_rgb: palette::rgb("#CCECE3"),
};

/// The paint of a site kind.
pub fn paint_of(kind: SiteKind) -> Paint {
    match kind {
        SiteKind::Military => MILITARY,
        SiteKind::DataCenter => DATA_CENTER,
        _ => OTHER,
    }
}

/// A label placed on the map: `x`, `y` is the start of its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// The text.
    pub text: String,
    /// Left end of the baseline.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// A line from the point to the label when it sits away from it.
    pub leader: Option<(Px, Px)>,
}

impl Label {
    /// The leader line as an SVG path (empty when there is none).
    pub fn leader_d(&self) -> String {
        self.leader
            .map(|(a, b)| path_d(&[vec![a, b]], false))
            .unwrap_or_default()
    }
}

/// A zone's ring: where it is drawn, how, and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Ring {
    /// The ring cut to the map, as polylines.
    pub lines: Vec<Vec<Px>>,
    /// Its site's paint.
    pub paint: Paint,
    /// SVG `stroke-dasharray` (also the PDF's dash pattern): long dashes for the 1-mile zone,
    /// dash-dot for 100 miles, short dashes for a kind's radius.
    pub dash: &'static [f64],
    /// What it is, for `<title>` and the table.
    pub title: String,
}

impl Ring {
    /// The SVG path.
    pub fn d(&self) -> String {
        path_d(&self.lines, false)
    }
    /// The dash pattern as SVG writes it.
    pub fn dasharray(&self) -> String {
        dasharray(self.dash)
    }
}

/// The SVG form of a dash pattern.
pub fn dasharray(dash: &[f64]) -> String {
    dash.iter()
        .map(|d| format!("{d}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A site as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnSite {
    /// The site's name.
    pub name: String,
    /// "Military installation (Appendix A part 2), 0.75 mi from the property."
    pub title: String,
    /// Where the link goes.
    pub href: String,
    /// Its boundary cut to the map (empty for a point site or one outside the map).
    pub area: Vec<Px>,
    /// Its centre.
    pub at: Px,
    /// Whether the centre is on the map (the marker and label are drawn only then).
    pub shown: bool,
    /// Its paint.
    pub paint: Paint,
    /// The marker's outline: a square (military), a diamond (data center), a triangle.
    pub marker: Vec<Px>,
    /// Its label, when there was room.
    pub label: Option<Label>,
}

impl DrawnSite {
    /// The boundary's SVG path (empty when there is none).
    pub fn area_d(&self) -> String {
        path_d(std::slice::from_ref(&self.area), true)
    }
    /// The marker's SVG path.
    pub fn marker_d(&self) -> String {
        path_d(std::slice::from_ref(&self.marker), true)
    }
}

/// The scale bar: a bar of `len_px` pixels from (`x`, `y`) that stands for `text`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleBar {
    /// Left end.
    pub x: f64,
    /// The bar's line.
    pub y: f64,
    /// Length in pixels.
    pub len_px: f64,
    /// Length in miles.
    pub miles: f64,
    /// "2 mi".
    pub text: String,
}

impl ScaleBar {
    /// The right end.
    pub fn x2(&self) -> f64 {
        self.x + self.len_px
    }
}

/// One map, in pixels of a `width` × `height` box, property in the middle.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnMap {
    /// A name unique in the page (`local`, `regional`), for ids.
    pub id: &'static str,
    /// The map's title.
    pub title: String,
    /// What it shows, in one sentence.
    pub description: String,
    /// Box width.
    pub width: f64,
    /// Box height.
    pub height: f64,
    /// Pixels per mile.
    pub px_per_mi: f64,
    /// County lines (every border once), cut to the box.
    pub counties: Vec<Vec<Px>>,
    /// State lines, cut to the box.
    pub states: Vec<Vec<Px>>,
    /// Part 3 counties the property's zone comes from, cut to the box.
    pub county_zones: Vec<Vec<Px>>,
    /// The zone rings.
    pub rings: Vec<Ring>,
    /// The sites.
    pub sites: Vec<DrawnSite>,
    /// The property.
    pub property: Px,
    /// The property's star.
    pub star: Vec<Px>,
    /// The property's label.
    pub property_label: Option<Label>,
    /// The scale bar.
    pub scale: ScaleBar,
    /// The north arrow's tip.
    pub north: Px,
}

impl DrawnMap {
    /// County lines as one SVG path.
    pub fn counties_d(&self) -> String {
        path_d(&self.counties, false)
    }
    /// State lines as one SVG path.
    pub fn states_d(&self) -> String {
        path_d(&self.states, false)
    }
    /// Part 3 counties as one SVG path.
    pub fn county_zones_d(&self) -> String {
        path_d(&self.county_zones, true)
    }
    /// The property's star as an SVG path.
    pub fn star_d(&self) -> String {
        path_d(std::slice::from_ref(&self.star), true)
    }
    /// The north arrow as an SVG path (a narrow triangle pointing up).
    pub fn north_d(&self) -> String {
        let (x, y) = self.north;
        path_d(
            &[vec![
                (x, y),
                (x + 6.0, y + 18.0),
                (x, y + 13.0),
                (x - 6.0, y + 18.0),
            ]],
            true,
        )
    }
    /// Where the "N" under the north arrow goes: the middle of its baseline, x.
    pub fn north_x(&self) -> String {
        format!("{:.1}", self.north.0)
    }
    /// The "N"'s baseline.
    pub fn north_y(&self) -> String {
        format!("{:.1}", self.north.1 + 30.0)
    }
    /// The north arrow's outline, for the PDF.
    pub fn north_arrow(&self) -> Vec<Px> {
        let (x, y) = self.north;
        vec![
            (x, y),
            (x + 6.0, y + 18.0),
            (x, y + 13.0),
            (x - 6.0, y + 18.0),
            (x, y),
        ]
    }
}

/// One line of the map's table: a site, how far, its ring and whether the property is in it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRow {
    /// The site's name.
    pub name: String,
    /// Where its link goes.
    pub href: String,
    /// Its kind as people read it.
    pub kind: String,
    /// "0.75 mi".
    pub distance: String,
    /// "1 mi (close proximity); 100 mi (extended range)", or "—".
    pub rings: String,
    /// "yes: 1 mi zone", "no".
    pub inside: String,
}

/// The maps of a case and the table that says the same.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseMap {
    /// The local map, then the regional one when it applies.
    pub maps: Vec<DrawnMap>,
    /// The sites, nearest first.
    pub rows: Vec<MapRow>,
    /// Said under the maps when nothing is near (or empty).
    pub note: String,
}

/// A ring a site has under the rule set.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RingRule {
    miles: f64,
    name: &'static str,
    dash: &'static [f64],
    /// Drawn on the regional map (100 miles), else on the local one.
    regional: bool,
}

fn rings_of(site: &Site, rules: &RuleSet) -> Vec<RingRule> {
    let d = &rules.distances;
    let close = RingRule {
        miles: d.close_proximity_mi,
        name: "close proximity",
        dash: &[8.0, 4.0],
        regional: false,
    };
    match (site.kind, site.part) {
        (SiteKind::Military, Some(1)) => vec![close],
        (SiteKind::Military, Some(2)) => vec![
            close,
            RingRule {
                miles: d.extended_range_mi,
                name: "extended range",
                dash: &[12.0, 4.0, 2.0, 4.0],
                regional: true,
            },
        ],
        (SiteKind::Military, _) => Vec::new(),
        (kind, _) => rules
            .kind_radius_mi
            .radius(kind)
            .filter(|r| *r > 0.0)
            .map(|miles| RingRule {
                miles,
                name: "the rule set's radius",
                dash: &[3.0, 3.0],
                regional: false,
            })
            .into_iter()
            .collect(),
    }
}

/// Builds the maps of a property at (lat, lon) and the sites the screening found near it.
/// `county_zone` lists the Part 3 counties whose zone the property is in.
pub fn build(
    lat: f64,
    lon: f64,
    sites: &[MapSite],
    county_zone: &[String],
    rules: &RuleSet,
    counties: Option<&Counties>,
) -> CaseMap {
    let mut sorted: Vec<&MapSite> = sites.iter().collect();
    sorted.sort_by(|a, b| a.distance_mi.total_cmp(&b.distance_mi));
    let mut maps = vec![draw(
        "local",
        lat,
        lon,
        local_half(lat, lon, &sorted, rules),
        &sorted,
        rules,
        false,
        counties,
        &[],
    )];
    if let Some(half) = regional_half(lat, lon, &sorted, rules) {
        maps.push(draw(
            "regional",
            lat,
            lon,
            half,
            &sorted,
            rules,
            true,
            counties,
            county_zone,
        ));
    }
    let near = sorted
        .first()
        .is_some_and(|s| s.distance_mi <= LOCAL_REACH_MI);
    let note = if near {
        String::new()
    } else {
        match sorted.first() {
            Some(s) => format!(
                "No site is within {LOCAL_REACH_MI} mi; the nearest, {}, is {:.2} mi away.",
                s.site.name, s.distance_mi
            ),
            None => "No site in force is listed near the property.".to_string(),
        }
    };
    CaseMap {
        maps,
        rows: sorted.iter().map(|s| row(s, rules)).collect(),
        note,
    }
}

fn row(s: &MapSite, rules: &RuleSet) -> MapRow {
    let rings = rings_of(&s.site, rules);
    let inside: Vec<String> = rings
        .iter()
        .filter(|r| s.distance_mi <= r.miles)
        .map(|r| format!("yes: {} ({})", miles_text(r.miles), r.name))
        .collect();
    MapRow {
        name: s.site.name.clone(),
        href: s.href.clone(),
        kind: kind_text(&s.site),
        distance: format!("{:.2} mi", s.distance_mi),
        rings: if rings.is_empty() {
            "—".into()
        } else {
            rings
                .iter()
                .map(|r| format!("{} ({})", miles_text(r.miles), r.name))
                .collect::<Vec<_>>()
                .join("; ")
        },
        inside: if rings.is_empty() {
            "—".into()
        } else if inside.is_empty() {
            "no".into()
        } else {
            inside.join("; ")
        },
    }
}

fn kind_text(site: &Site) -> String {
    match (site.kind, site.part) {
        (SiteKind::Military, Some(p)) => format!("{} (Appendix A part {p})", site.kind.label()),
        (k, _) => k.label().to_string(),
    }
}

/// Miles from the property to the far side of a site's local ring.
fn reach(lat: f64, lon: f64, s: &MapSite, rules: &RuleSet, regional: bool) -> f64 {
    let centre = crate::domain::screening::geometry::haversine_mi(lat, lon, s.site.lat, s.site.lon);
    let ring = rings_of(&s.site, rules)
        .iter()
        .filter(|r| r.regional == regional)
        .map(|r| r.miles)
        .fold(0.0, f64::max);
    centre + site_extent_mi(&s.site) + ring
}

/// How far a site's boundary reaches from its centre.
fn site_extent_mi(site: &Site) -> f64 {
    let polygon = site.boundary.as_ref().map(|rings| {
        rings
            .iter()
            .flatten()
            .map(|&(x, y)| {
                crate::domain::screening::geometry::haversine_mi(site.lat, site.lon, y, x)
            })
            .fold(0.0, f64::max)
    });
    polygon.unwrap_or(site.boundary_radius_mi.max(0.0))
}

/// The local map reaches the nearest site and its ring, and every site whose local zone
/// (1 mile, a kind's radius) the property is in.
fn local_half(lat: f64, lon: f64, sorted: &[&MapSite], rules: &RuleSet) -> f64 {
    let nearest = sorted
        .first()
        .filter(|s| s.distance_mi <= LOCAL_REACH_MI)
        .map(|s| reach(lat, lon, s, rules, false));
    let zones = sorted
        .iter()
        .filter(|s| {
            rings_of(&s.site, rules)
                .iter()
                .any(|r| !r.regional && s.distance_mi <= r.miles)
        })
        .map(|s| reach(lat, lon, s, rules, false));
    match nearest.into_iter().chain(zones).reduce(f64::max) {
        Some(h) => (h * 1.04).max(MIN_HALF_MI),
        None => EMPTY_HALF_MI,
    }
}

/// The regional map, when the property is within a 100-mile ring: it reaches the far side of
/// every such ring.
fn regional_half(lat: f64, lon: f64, sorted: &[&MapSite], rules: &RuleSet) -> Option<f64> {
    sorted
        .iter()
        .filter(|s| {
            rings_of(&s.site, rules)
                .iter()
                .any(|r| r.regional && s.distance_mi <= r.miles)
        })
        .map(|s| reach(lat, lon, s, rules, true) * 1.02)
        .reduce(f64::max)
}

#[allow(clippy::too_many_arguments)]
fn draw(
    id: &'static str,
    lat: f64,
    lon: f64,
    half_mi: f64,
    sites: &[&MapSite],
    rules: &RuleSet,
    regional: bool,
    counties: Option<&Counties>,
    county_zone: &[String],
) -> DrawnMap {
    let frame = Frame::new(lat, lon, half_mi, WIDTH, HEIGHT, MARGIN);
    let bounds = frame.bounds();
    let property = frame.project(lat, lon);
    let mut drawn: Vec<DrawnSite> = sites.iter().map(|s| site(&frame, s)).collect();
    let rings: Vec<Ring> = sites
        .iter()
        .flat_map(|s| {
            rings_of(&s.site, rules)
                .into_iter()
                .filter(|r| r.regional == regional)
                .map(|r| ring(&frame, s, r))
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.lines.is_empty())
        .collect();
    let bar_mi = nice_miles(WIDTH / 4.0 / frame.px_per_mi);
    let scale = ScaleBar {
        x: 16.0,
        y: HEIGHT - 16.0,
        len_px: bar_mi * frame.px_per_mi,
        miles: bar_mi,
        text: miles_text(bar_mi),
    };
    let north = (WIDTH - 22.0, 14.0);
    let property_label = label_all(&mut drawn, property, &scale, north, &bounds);
    let [counties_lines, states, zones] = match counties {
        Some(c) => lines(&frame, c, county_zone),
        None => [Vec::new(), Vec::new(), Vec::new()],
    };
    DrawnMap {
        id,
        title: if regional {
            format!(
                "The property and the 100-mile extended range, {} mi across",
                round_mi(2.0 * WIDTH / 2.0 / frame.px_per_mi)
            )
        } else {
            "The property and the sites near it".to_string()
        },
        description: description(&drawn, &rings, regional),
        width: WIDTH,
        height: HEIGHT,
        px_per_mi: frame.px_per_mi,
        counties: counties_lines,
        states,
        county_zones: zones,
        rings,
        sites: drawn,
        property,
        star: star(property, 9.0),
        property_label,
        scale,
        north,
    }
}

fn round_mi(mi: f64) -> String {
    format!("{:.0}", mi)
}

fn description(sites: &[DrawnSite], rings: &[Ring], regional: bool) -> String {
    let shown: Vec<&str> = sites
        .iter()
        .filter(|s| s.shown)
        .map(|s| s.name.as_str())
        .collect();
    let mut out = String::from("The property is the black star in the middle");
    if !shown.is_empty() {
        out.push_str(&format!("; sites shown: {}", shown.join(", ")));
    }
    if !rings.is_empty() {
        out.push_str(&format!(
            "; rings: {}",
            rings
                .iter()
                .map(|r| r.title.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    out.push_str(if regional {
        ". North is up."
    } else {
        ". County lines in grey; north is up."
    });
    out
}

fn site(frame: &Frame, s: &MapSite) -> DrawnSite {
    let bounds = frame.bounds();
    let at = frame.project(s.site.lat, s.site.lon);
    let outline: Vec<Px> = match &s.site.boundary {
        Some(rings) => rings
            .first()
            .map(|r| r.iter().map(|&p| frame.project_lonlat(p)).collect())
            .unwrap_or_default(),
        None if s.site.boundary_radius_mi > 0.0 => {
            geodesic_circle(s.site.lat, s.site.lon, s.site.boundary_radius_mi, 72)
                .into_iter()
                .map(|(la, lo)| frame.project(la, lo))
                .collect()
        }
        None => Vec::new(),
    };
    let area = if outline.len() >= 3 {
        clip_polygon(&outline, &bounds)
    } else {
        Vec::new()
    };
    let paint = paint_of(s.site.kind);
    DrawnSite {
        name: s.site.name.clone(),
        title: format!(
            "{}: {}, {:.2} mi from the property",
            s.site.name,
            kind_text(&s.site),
            s.distance_mi
        ),
        href: s.href.clone(),
        area,
        at,
        shown: bounds.contains(at),
        paint,
        marker: marker(s.site.kind, at),
        label: None,
    }
}

fn ring(frame: &Frame, s: &MapSite, r: RingRule) -> Ring {
    let outline: Vec<Px> = match &s.site.boundary {
        Some(rings) => {
            let pts: Vec<Px> = rings
                .iter()
                .flatten()
                .map(|&p| frame.project_lonlat(p))
                .collect();
            grown_hull(&pts, r.miles * frame.px_per_mi, 24)
        }
        None => geodesic_circle(
            s.site.lat,
            s.site.lon,
            s.site.boundary_radius_mi.max(0.0) + r.miles,
            if r.regional { 180 } else { 96 },
        )
        .into_iter()
        .map(|(la, lo)| frame.project(la, lo))
        .collect(),
    };
    let inside = if s.distance_mi <= r.miles {
        "the property is inside"
    } else {
        "the property is outside"
    };
    Ring {
        lines: clip_polyline(&outline, &frame.bounds()),
        paint: paint_of(s.site.kind),
        dash: r.dash,
        title: format!(
            "{} {} zone of {} ({inside})",
            miles_text(r.miles),
            r.name,
            s.site.name
        ),
    }
}

fn marker(kind: SiteKind, (x, y): Px) -> Vec<Px> {
    let m = MARKER;
    match kind {
        SiteKind::Military => vec![
            (x - m, y - m),
            (x + m, y - m),
            (x + m, y + m),
            (x - m, y + m),
        ],
        SiteKind::DataCenter => vec![
            (x, y - m - 1.5),
            (x + m + 1.5, y),
            (x, y + m + 1.5),
            (x - m - 1.5, y),
        ],
        _ => vec![(x, y - m - 1.0), (x + m + 1.0, y + m), (x - m - 1.0, y + m)],
    }
}

fn star((x, y): Px, r: f64) -> Vec<Px> {
    (0..10)
        .map(|i| {
            let a = std::f64::consts::PI * (f64::from(i) / 5.0 - 0.5);
            let rr = if i % 2 == 0 { r } else { r * 0.45 };
            (x + rr * a.cos(), y + rr * a.sin())
        })
        .collect()
}

fn short(name: &str) -> String {
    if name.chars().count() <= LABEL_CHARS {
        name.to_string()
    } else {
        let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Places the property's label first, then the sites' in order of distance.
fn label_all(
    sites: &mut [DrawnSite],
    property: Px,
    scale: &ScaleBar,
    north: Px,
    bounds: &Rect,
) -> Option<Label> {
    let h = LABEL_PX + 2.0;
    let mut obstacles: Vec<Rect> = vec![
        Rect::around(property, 9.0),
        Rect {
            x: scale.x - 4.0,
            y: scale.y - 16.0,
            w: scale.len_px.max(40.0) + 40.0,
            h: 22.0,
        },
        Rect {
            x: north.0 - 12.0,
            y: north.1 - 2.0,
            w: 24.0,
            h: 36.0,
        },
    ];
    obstacles.extend(
        sites
            .iter()
            .filter(|s| s.shown)
            .map(|s| Rect::around(s.at, MARKER + 1.5)),
    );
    let mut texts = vec![("Property".to_string(), property, 9.0)];
    let mut which = Vec::new();
    for (i, s) in sites.iter().enumerate().filter(|(_, s)| s.shown) {
        texts.push((short(&s.name), s.at, MARKER + 1.5));
        which.push(i);
    }
    let requests: Vec<LabelRequest> = texts
        .iter()
        .map(|(t, at, clear)| LabelRequest {
            anchor: *at,
            clear: *clear,
            w: text_width(t, LABEL_PX),
            h,
        })
        .collect();
    let placed = place_labels(&requests, &obstacles, bounds);
    let mut labels = texts
        .into_iter()
        .zip(placed)
        .map(|((text, at, clear), spot)| {
            spot.map(|r| Label {
                text,
                x: r.x + 1.0,
                y: r.y + h - 3.5,
                leader: leader(at, clear, &r),
            })
        });
    let property_label = labels.next().flatten();
    for (i, l) in which.into_iter().zip(labels) {
        if let Some(s) = sites.get_mut(i) {
            s.label = l;
        }
    }
    property_label
}

/// County lines (every border once, from the topology's arcs), state lines and the Part 3
/// counties listed, cut to the frame.
fn lines(frame: &Frame, c: &Counties, county_zone: &[String]) -> [Vec<Vec<Px>>; 3] {
    let bounds = frame.bounds();
    let (x0, y0, x1, y1) = frame.lonlat_box();
    let touches = |pts: &[(f64, f64)]| {
        pts.iter()
            .any(|&(x, y)| x >= x0 - 1.0 && x <= x1 + 1.0 && y >= y0 - 1.0 && y <= y1 + 1.0)
    };
    let cut = |pts: &[(f64, f64)]| {
        let px: Vec<Px> = pts.iter().map(|&p| frame.project_lonlat(p)).collect();
        clip_polyline(&px, &bounds)
    };
    let topo = c.topology();
    let counties: Vec<Vec<Px>> = topo
        .arcs
        .iter()
        .filter(|a| touches(a))
        .flat_map(|a| cut(a))
        .collect();
    let states: Vec<Vec<Px>> = topo
        .object("states")
        .unwrap_or(&[])
        .iter()
        .flat_map(|g| g.rings())
        .filter(|r| touches(r))
        .flat_map(|r| cut(r))
        .collect();
    let zones: Vec<Vec<Px>> = county_zone
        .iter()
        .filter_map(|f| c.geometry(f))
        .flat_map(|g| g.shape.polygons().iter().filter_map(|p| p.first()))
        .filter(|r| touches(r))
        .map(|r| {
            let px: Vec<Px> = r.iter().map(|&p| frame.project_lonlat(p)).collect();
            clip_polygon(&px, &bounds)
        })
        .filter(|r| r.len() >= 4)
        .collect();
    [counties, states, zones]
}

#[cfg(test)]
mod tests;
