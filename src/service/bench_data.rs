//! Synthetic data for benchmarks (`cordon bench-data`, PRODUCT.md sections 3 and 7): a few
//! reviewer and chair accounts, sensitive sites spread over the United States, two
//! restricted-party lists, and cases in every state of the workflow, each with a screening from
//! the real engine and a hash-chained history that verifies.
//!
//! Sites and lists go through the same imports as `cordon sites import` and `cordon watchlist
//! import`. Cases are written straight to their tables rather than replayed through
//! `cases::create_report` and `workflow::transition` (a transaction per step would take hours
//! for 100,000 cases), but nothing is stored that the services would not have stored: every
//! move is checked by `workflow::plan` (the table, roles, the four-eyes rule, dates), every
//! clock comes from the clock engine, the screening is the engine's, each event is built by
//! `history::next_event` with the payload the services record, and references come from the
//! same counters as real cases, so the command can add to a database in use.
//!
//! Deterministic for a seed, a date and the data already there: each case draws from its own
//! random stream (so the result does not depend on the threads that prepared it), and dates are
//! placed relative to today.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::mpsc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::cases::{self, calendar, clock_json};
use super::clock::Now;
use super::history::chain;
use super::screening::{subject_of_report, Engine, Screener};
use super::sites::ImportError;
use super::ServiceError;
use crate::db::cases::{NewCaseRow, NewPartyRow, NO_DEADLINE};
use crate::db::events::NewEventRow;
use crate::db::{self, DbConn};
use crate::domain::clock::Calendar;
use crate::domain::countries::{country_name, us_state_by_fips};
use crate::domain::history::EventKind;
use crate::domain::report::{
    LeadAgency, NewParty, NewReport, PartyRole, Property, Rights, Source, Transaction, TxKind,
};
use crate::domain::screening::{Screening, Site, SiteKind};
use crate::domain::sites::SITE_COLUMNS;
use crate::domain::workflow::{
    self, CaseFacts, Entry, NewDeadline, Outcome, Request, State, Transition, WorkflowSettings,
    TRANSITIONS,
};
use crate::domain::{Role, ValidationErrors};
use crate::maps::BBox;

/// Most cases one run adds.
pub const MAX_CASES: u32 = 1_000_000;
/// Most sites one run adds.
pub const MAX_SITES: u32 = 200_000;
/// Most events per case.
pub const MAX_EVENTS: u32 = 10_000;
/// Most watchlist names one run writes.
pub const MAX_NAMES: u32 = 500_000;
/// Cases written per transaction.
pub const BATCH: usize = 1_000;
/// Events per transaction, at most: cases with long histories go in smaller batches, which
/// keeps memory bounded (a few batches are in flight between the threads).
pub const BATCH_EVENTS: usize = 20_000;
/// The name imports and audit entries give as the actor.
pub const ACTOR: &str = "bench-data";
/// The two restricted-party lists that `names` fills; each is replaced by every run that adds
/// names (an import is a list's new content), and left alone by runs that add none.
pub const LISTS: [&str; 2] = ["Bench SDN (synthetic)", "Bench Entity List (synthetic)"];
/// The accounts that log, hold and move the cases (created without a known password; set one
/// with `cordon user passwd NAME` to sign in as one).
pub const USERS: [(&str, Role); 6] = [
    ("bench-reviewer-1", Role::Reviewer),
    ("bench-reviewer-2", Role::Reviewer),
    ("bench-reviewer-3", Role::Reviewer),
    ("bench-reviewer-4", Role::Reviewer),
    ("bench-chair-1", Role::Chair),
    ("bench-chair-2", Role::Chair),
];

/// Cases are received over about this many days before today.
const SPAN_DAYS: i64 = 5 * 365;

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Cases to add, 1 to [`MAX_CASES`].
    pub cases: u32,
    /// Sites to add, 0 to [`MAX_SITES`].
    pub sites: u32,
    /// Events per case, 1 to [`MAX_EVENTS`]: `created` first, then the transitions, then
    /// (as room allows) `screened`, `decision_recorded`, `assigned` and comments.
    pub events: u32,
    /// Watchlist names to write into [`LISTS`], 0 to [`MAX_NAMES`].
    pub names: u32,
    /// The seed of every random choice.
    pub seed: u64,
}

impl Spec {
    /// Checks the numbers (the command line checks them too; this guards other callers).
    pub fn check(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if !(1..=MAX_CASES).contains(&self.cases) {
            e.add("cases", format!("From 1 to {MAX_CASES} cases."));
        }
        if self.sites > MAX_SITES {
            e.add("sites", format!("At most {MAX_SITES} sites."));
        }
        if !(1..=MAX_EVENTS).contains(&self.events) {
            e.add("events", format!("From 1 to {MAX_EVENTS} events per case."));
        }
        if self.names > MAX_NAMES {
            e.add("names", format!("At most {MAX_NAMES} names."));
        }
        e.into_result(())
    }
}

/// What the generator is doing, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Users,
    Sites,
    Names,
    Cases,
}

impl Stage {
    /// The words a progress bar shows.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Users => "accounts",
            Stage::Sites => "sites",
            Stage::Names => "watchlist names",
            Stage::Cases => "cases",
        }
    }
}

/// What a run added.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub cases: u64,
    pub parties: u64,
    pub events: u64,
    pub deadlines: u64,
    pub conditions: u64,
    pub sites: usize,
    pub names: usize,
    /// The accounts the cases name (created when missing).
    pub users: Vec<String>,
    /// The first and last reference written.
    pub references: Option<(String, String)>,
    /// Cases added per state (`closed` split by outcome, as `closed:cleared`).
    pub by_state: BTreeMap<String, u64>,
}

/// Adds the data of `spec` (see the module documentation); `progress(stage, done, total)` is
/// called as it goes. Cases are committed [`BATCH`] at a time (fewer when they have more than
/// 20 events, see [`BATCH_EVENTS`]); after a failure, the batches already written stay, each
/// a complete set of cases.
pub fn generate(
    conn: &mut DbConn,
    spec: &Spec,
    now: &Now,
    progress: &dyn Fn(Stage, usize, usize),
) -> Result<Summary, ServiceError> {
    spec.check()?;
    let mut master = StdRng::seed_from_u64(spec.seed);
    let (site_seed, name_seed, case_seed): (u64, u64, u64) =
        (master.gen(), master.gen(), master.gen());
    progress(Stage::Users, 0, USERS.len());
    let cast = ensure_users(conn)?;
    progress(Stage::Users, USERS.len(), USERS.len());
    let places = Places::load()?;
    let mut summary = Summary {
        users: USERS.iter().map(|(n, _)| n.to_string()).collect(),
        ..Summary::default()
    };
    if spec.sites > 0 {
        summary.sites = add_sites(conn, &places, spec.sites, site_seed, progress)?;
    }
    let hit_names = if spec.names > 0 {
        add_names(conn, spec.names, name_seed, progress)?
    } else {
        Vec::new()
    };
    summary.names = hit_names.len();
    let engine = Screener::default().engine(conn)?;
    let cal = calendar(conn)?;
    let sites = engine.sites.sites();
    let ctx = Ctx {
        engine: &engine,
        cal: &cal,
        ws: WorkflowSettings::default(),
        today: now.today,
        yesterday: shift(now.today, -1),
        cast: &cast,
        places: &places,
        hit_names: &hit_names,
        events: usize::try_from(spec.events).unwrap_or(1),
        sites,
        military: sites
            .iter()
            .filter(|s| s.kind == SiteKind::Military && s.part.is_some())
            .collect(),
        ports: sites.iter().filter(|s| s.kind == SiteKind::Port).collect(),
    };
    let walks = walks(conn, &ctx, spec.cases, case_seed)?;
    write_all(conn, &ctx, &walks, progress, &mut summary)?;
    Ok(summary)
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

/// Who acts on the cases.
struct Cast {
    reviewers: Vec<String>,
    chairs: Vec<String>,
}

fn ensure_users(conn: &mut DbConn) -> Result<Cast, ServiceError> {
    let mut cast = Cast {
        reviewers: Vec::new(),
        chairs: Vec::new(),
    };
    for (name, role) in USERS {
        match db::users::find_by_name(conn, name)? {
            Some(u) if u.role != role.as_str() => {
                return Err(ServiceError::Conflict(format!(
                    "The account {name} exists as {}; bench-data needs it as {role}.",
                    u.role
                )))
            }
            Some(_) => {}
            None => {
                super::users::add_user(conn, Some(ACTOR), name, role, None)?;
            }
        }
        match role {
            Role::Chair => cast.chairs.push(name.to_string()),
            _ => cast.reviewers.push(name.to_string()),
        }
    }
    Ok(cast)
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(days)).unwrap_or(d)
}

/// A number in `lo..=hi` (`lo` when the range is empty).
fn int(rng: &mut StdRng, lo: i64, hi: i64) -> i64 {
    if hi > lo {
        rng.gen_range(lo..=hi)
    } else {
        lo
    }
}

/// A number in `lo..=hi` (`lo` when the range is empty).
fn real(rng: &mut StdRng, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        rng.gen_range(lo..=hi)
    } else {
        lo
    }
}

/// `x` to `places` decimals: event payloads must hold numbers that read back as the same f64.
fn to_places(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T], fallback: T) -> T {
    items.choose(rng).copied().unwrap_or(fallback)
}

/// One of the names (empty when there are none).
fn pick_name(rng: &mut StdRng, names: &[String]) -> String {
    names.choose(rng).cloned().unwrap_or_default()
}

/// One of the items, each as likely as its weight.
fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    if total == 0 {
        return None;
    }
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return Some(*item);
        }
        x -= w;
    }
    None
}

/// The day itself when the office is open, else the business day before: people act on
/// working days.
fn working_day(cal: &Calendar, d: NaiveDate) -> NaiveDate {
    let mut day = d;
    while !cal.is_business_day(day) {
        match day.pred_opt() {
            Some(prev) => day = prev,
            None => break,
        }
    }
    day
}

fn fill(text: &str, words: &[(&str, &str)]) -> String {
    words
        .iter()
        .fold(text.to_string(), |s, (k, v)| s.replace(k, v))
}

// ---------------------------------------------------------------------------------------------
// Places: points inside US counties (the 50 states and DC)
// ---------------------------------------------------------------------------------------------

/// A point with its county and state, as the Census boundaries give them.
#[derive(Clone, Debug)]
struct Place {
    lat: f64,
    lon: f64,
    fips: String,
    county: String,
    state: &'static str,
}

/// The county boxes to draw points from, and each state's counties.
struct Places {
    boxes: Vec<BBox>,
    by_state: HashMap<&'static str, Vec<String>>,
}

/// The postal code of a state (or DC) from its FIPS code; `None` for territories.
fn state_code(state_fips: &str) -> Option<&'static str> {
    let s = us_state_by_fips(state_fips)?;
    (!matches!(s.code, "AS" | "GU" | "MP" | "PR" | "VI" | "UM")).then_some(s.code)
}

impl Places {
    fn load() -> Result<Places, ServiceError> {
        let counties = crate::maps::counties()
            .map_err(|e| ServiceError::Internal(format!("county boundaries: {e}")))?;
        let mut boxes = Vec::new();
        let mut by_state: HashMap<&'static str, Vec<String>> = HashMap::new();
        for (county, geometry) in counties.iter() {
            let Some(code) = state_code(&county.state_fips) else {
                continue;
            };
            by_state.entry(code).or_default().push(county.fips.clone());
            // Boxes across the antimeridian (the Aleutians) would cover the globe.
            if let Some(b) = geometry.bbox().filter(|b| b.max_x - b.min_x < 20.0) {
                boxes.push(b);
            }
        }
        if boxes.is_empty() {
            return Err(ServiceError::Internal(
                "the county boundaries hold no US county".into(),
            ));
        }
        Ok(Places { boxes, by_state })
    }

    /// The place at a point (rounded to 5 decimals), if it lies in a county of a state.
    fn at(&self, lat: f64, lon: f64) -> Option<Place> {
        let (lat, lon) = (to_places(lat, 5), to_places(lon, 5));
        let county = crate::maps::county_at(lat, lon)?;
        let state = state_code(&county.state_fips)?;
        Some(Place {
            lat,
            lon,
            fips: county.fips,
            county: county.name,
            state,
        })
    }

    /// A point inside a county picked at random (every county as likely).
    fn random(&self, rng: &mut StdRng) -> Result<Place, ServiceError> {
        for _ in 0..200 {
            let Some(b) = self.boxes.choose(rng) else {
                break;
            };
            let (lat, lon) = (real(rng, b.min_y, b.max_y), real(rng, b.min_x, b.max_x));
            if let Some(p) = self.at(lat, lon) {
                return Ok(p);
            }
        }
        Err(ServiceError::Internal(
            "could not place a point inside a US county".into(),
        ))
    }

    /// A point `miles` beyond a site's approximate boundary, in a random direction, with the
    /// compass point it lies in from the site.
    fn near(&self, rng: &mut StdRng, site: &Site, miles: f64) -> Option<(Place, &'static str)> {
        let bearing: f64 = real(rng, 0.0, 360.0);
        let r = site.boundary_radius_mi + miles;
        let (s, c) = bearing.to_radians().sin_cos();
        let dlat = r * c / 69.05;
        let dlon = r * s / (69.17 * site.lat.to_radians().cos().max(0.05));
        let points = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
        // 0..8 by construction; `% 8` keeps the index in range whatever rounding does.
        let dir = points
            .get(((bearing + 22.5) / 45.0) as usize % 8)
            .copied()
            .unwrap_or("N");
        self.at(site.lat + dlat, site.lon + dlon).map(|p| (p, dir))
    }
}

// ---------------------------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const SURNAMES: &[&str] = &[
    "Anderson", "Bradley", "Carver", "Dawson", "Ellison", "Fletcher", "Garrison", "Hale",
    "Ingram", "Jennings", "Keller", "Lawson", "Marlow", "Norris", "Oakley", "Preston", "Quinn",
    "Ramsey", "Sheridan", "Thornton", "Underwood", "Vance", "Whitfield", "Yates", "Bishop",
    "Crawford", "Donovan", "Emerson", "Forsyth", "Granger", "Holloway", "Kimball", "Lockwood",
    "Mercer", "Pruitt", "Radford", "Stanton", "Talbot", "Wheeler", "Winslow",
];

#[rustfmt::skip]
const DATA_FIRMS: &[&str] = &[
    "Northwind", "Stratus", "Cobalt", "Ironvault", "Skyline", "Meridian", "Bluegate", "Keystone",
];

/// Every 50th site is an Appendix A installation, of these parts in turn (Appendix A lists a
/// few hundred; 10,000 sites give 200).
const APPENDIX_PARTS: [u8; 10] = [2, 1, 2, 1, 3, 2, 1, 2, 1, 4];

/// The other kinds of site, with their shares.
const SITE_KINDS: &[(SiteKind, u32)] = &[
    (SiteKind::Military, 3),
    (SiteKind::Port, 4),
    (SiteKind::DataCenter, 18),
    (SiteKind::Power, 26),
    (SiteKind::Water, 18),
    (SiteKind::Telecom, 23),
    (SiteKind::Other, 6),
];

fn site_name(rng: &mut StdRng, kind: SiteKind, part: Option<u8>, county: &str) -> String {
    let who = pick(rng, SURNAMES, "Marlow");
    let n = rng.gen_range(0..4);
    match (kind, part) {
        (SiteKind::Military, Some(3)) => format!("{county} Missile Field"),
        (SiteKind::Military, Some(4)) => format!("{county} Offshore Test Range"),
        (SiteKind::Military, _) => match rng.gen_range(0..6) {
            0 => format!("Fort {who}"),
            1 => format!("{who} Air Force Base"),
            2 => format!("Naval Air Station {county}"),
            3 => format!("Camp {who}"),
            4 => format!("{county} Army Depot"),
            _ => format!("{who} Space Force Station"),
        },
        (SiteKind::Port, _) => match n {
            0 => format!("Port of {county}"),
            1 => format!("{county} Regional Airport"),
            _ => format!("{county} Container Terminal"),
        },
        (SiteKind::DataCenter, _) => {
            format!("{} {county} Data Center", pick(rng, DATA_FIRMS, "Stratus"))
        }
        (SiteKind::Power, _) => match n {
            0 => format!("{county} Generating Station"),
            1 => format!("{who} Substation"),
            2 => format!("{county} Wind Energy Center"),
            _ => format!("{who} Dam Hydroelectric Plant"),
        },
        (SiteKind::Water, _) => match n {
            0 | 1 => format!("{county} Water Treatment Plant"),
            _ => format!("{who} Reservoir Pumping Station"),
        },
        (SiteKind::Telecom, _) => match n {
            0 => format!("{county} Microwave Relay"),
            1 => format!("{who} Hill Tower"),
            _ => format!("{county} Switching Center"),
        },
        (SiteKind::Other, _) => match n {
            0 | 1 => format!("{county} Research Laboratory"),
            _ => format!("{who} Federal Center"),
        },
    }
}

/// A name no other site has (imports match sites by name: a taken name would overwrite one).
fn unique(base: String, taken: &mut HashSet<String>) -> String {
    let mut name = base.clone();
    let mut k = 2;
    while taken.contains(&name) {
        name = format!("{base} {k}");
        k += 1;
    }
    taken.insert(name.clone());
    name
}

/// The `i`-th site as a row of the sites CSV.
fn site_record(
    rng: &mut StdRng,
    places: &Places,
    place: &Place,
    taken: &mut HashSet<String>,
    i: usize,
) -> [String; 12] {
    let (kind, part) = if i.is_multiple_of(50) {
        let part = APPENDIX_PARTS.get(i / 50 % APPENDIX_PARTS.len()).copied();
        (SiteKind::Military, part)
    } else {
        (weighted(rng, SITE_KINDS).unwrap_or(SiteKind::Other), None)
    };
    let name = unique(site_name(rng, kind, part, &place.county), taken);
    let (radius, crit) = match (kind, part) {
        (SiteKind::Military, Some(3)) => (0.0, (5, 5)),
        (SiteKind::Military, Some(1 | 2)) => (real(rng, 0.5, 6.0), (4, 5)),
        (SiteKind::Military, _) => (real(rng, 0.3, 4.0), (2, 4)),
        (SiteKind::Port, _) => (real(rng, 0.3, 2.5), (3, 5)),
        (SiteKind::Power, _) => (real(rng, 0.1, 1.0), (2, 5)),
        (SiteKind::Telecom, _) => (real(rng, 0.01, 0.1), (2, 4)),
        (SiteKind::Other, _) => (real(rng, 0.05, 0.5), (1, 3)),
        _ => (real(rng, 0.05, 0.4), (2, 4)),
    };
    let criticality = int(rng, crit.0, crit.1);
    let listed_from = if kind == SiteKind::Military {
        match rng.gen_range(0..20) {
            0..=14 => "2020-02-13",
            15..=17 => "2023-09-22",
            _ => "2024-12-23",
        }
    } else if rng.gen_bool(0.3) {
        pick(
            rng,
            &["2018-01-01", "2021-07-01", "2022-10-01"],
            "2018-01-01",
        )
    } else {
        ""
    };
    let listed_until = if !listed_from.is_empty() && rng.gen_bool(0.02) {
        "2025-06-30"
    } else {
        ""
    };
    let counties = if part == Some(3) {
        let mut list = vec![place.fips.clone()];
        if let Some(same_state) = places.by_state.get(place.state) {
            for _ in 0..rng.gen_range(2..=5) {
                if let Some(f) = same_state.choose(rng) {
                    if !list.contains(f) {
                        list.push(f.clone());
                    }
                }
            }
        }
        list.join(";")
    } else {
        String::new()
    };
    [
        name,
        kind.as_str().to_string(),
        part.map(|p| p.to_string()).unwrap_or_default(),
        format!("{}", place.lat),
        format!("{}", place.lon),
        format!("{}", to_places(radius, 2)),
        criticality.to_string(),
        place.state.to_string(),
        listed_from.to_string(),
        listed_until.to_string(),
        counties,
        "Synthetic site for benchmarks (cordon bench-data).".to_string(),
    ]
}

fn csv_error(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("CSV: {e}"))
}

fn refused(what: &str) -> impl Fn(ImportError) -> ServiceError + '_ {
    move |e| match e {
        ImportError::Lines(lines) => ServiceError::Internal(format!(
            "the generated {what} were refused: {}",
            lines
                .first()
                .map(|l| format!("line {}: {}", l.line, l.message))
                .unwrap_or_default()
        )),
        ImportError::Service(e) => e,
    }
}

/// Writes `count` sites through the sites import; returns how many it added.
fn add_sites(
    conn: &mut DbConn,
    places: &Places,
    count: u32,
    seed: u64,
    progress: &dyn Fn(Stage, usize, usize),
) -> Result<usize, ServiceError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut taken: HashSet<String> = db::sites::all_sites(conn)?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(SITE_COLUMNS).map_err(csv_error)?;
    for i in 0..usize::try_from(count).unwrap_or(0) {
        let place = places.random(&mut rng)?;
        out.write_record(site_record(&mut rng, places, &place, &mut taken, i))
            .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(csv_error)?;
    let report = super::sites::import_sites(conn, Some(ACTOR), &bytes, &|d, t| {
        progress(Stage::Sites, d, t)
    })
    .map_err(refused("sites"))?;
    Ok(report.added + report.updated)
}

// ---------------------------------------------------------------------------------------------
// Watchlists
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const W_CITIES: &[&str] = &[
    "Shenzhen", "Shanghai", "Beijing", "Guangzhou", "Hangzhou", "Wuhan", "Chengdu", "Tianjin",
    "Harbin", "Dalian", "Moscow", "Tehran", "Minsk", "Pyongyang", "Damascus", "Caracas",
];
#[rustfmt::skip]
const W_SYLLABLES: &[&str] = &[
    "xin", "hua", "zhong", "tai", "kun", "lian", "bao", "zhan", "rong", "jia", "qi", "shuo",
    "ros", "tek", "vol", "gar", "mash", "prom", "ener", "azot", "pars", "kav", "sepa", "mehr",
    "bel", "nor", "kor", "yon", "sim", "dar", "vel", "zor", "tan", "lux", "mir", "ost",
];
#[rustfmt::skip]
const W_WORDS: &[&str] = &[
    "Technology", "Precision Machinery", "Electronics", "Shipping", "Trading", "Aerospace",
    "Industrial", "Petrochemical", "Logistics", "Optical", "Semiconductor", "Navigation",
    "Engineering", "Metallurgy", "Defense Systems", "Telecom", "Instruments", "Materials",
    "Energy", "Marine", "Chemical", "Research Institute", "Software", "Import Export",
    "Robotics", "Nuclear Equipment", "Drone Systems", "Satellite", "Machine Tool", "Composites",
    "Fiber Optic", "Power Equipment", "Heavy Industry", "Microelectronics", "Laser",
    "Surveillance", "Vehicle", "Rare Earth", "Investment", "Holding",
];
#[rustfmt::skip]
const W_GIVEN: &[&str] = &[
    "Mohammad", "Ali", "Hossein", "Reza", "Wei", "Jun", "Li", "Xiaoming", "Sergei", "Dmitry",
    "Alexei", "Viktor", "Igor", "Kim", "Jong", "Hassan", "Omar", "Nikolai", "Yuri", "Feng",
    "Bashar", "Maher", "Oleg", "Pavel", "Zhang", "Ahmad", "Mehdi", "Ivan", "Ilya", "Chen",
];
#[rustfmt::skip]
const W_FAMILY: &[&str] = &[
    "Rezaei", "Hosseini", "Karimi", "Wang", "Zhang", "Liu", "Chen", "Ivanov", "Petrov",
    "Sokolov", "Volkov", "Kuznetsov", "Kim", "Pak", "Choe", "Al-Assad", "Makhlouf", "Zhao",
    "Huang", "Lebedev", "Morozov", "Novikov", "Tehrani", "Ahmadi", "Moradi", "Sun", "Ma",
    "Guo", "Smirnov", "Orlov",
];
const W_COUNTRIES: &[(&str, u32)] = &[
    ("CN", 40),
    ("RU", 20),
    ("IR", 12),
    ("HK", 6),
    ("KP", 5),
    ("SY", 4),
    ("BY", 4),
    ("VE", 4),
    ("AE", 3),
    ("TR", 2),
];
const PROGRAMS: [&[&str]; 2] = [
    &[
        "OFAC SDN (RUSSIA-EO14024)",
        "OFAC SDN (IRAN)",
        "OFAC SDN (NPWMD)",
        "OFAC SDN (SDGT)",
        "OFAC SDN (CYBER2)",
    ],
    &["BIS Entity List", "BIS Military End User", "NS-CMIC"],
];

fn coined(rng: &mut StdRng, syllables: &[&str]) -> String {
    let n = rng.gen_range(2..=3);
    let mut word = String::new();
    for _ in 0..n {
        word.push_str(pick(rng, syllables, "xin"));
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => word,
    }
}

/// One entry: name, aliases (`;`-separated), country.
fn watch_entry(rng: &mut StdRng) -> (String, String, &'static str) {
    let country = weighted(rng, W_COUNTRIES).unwrap_or("CN");
    if rng.gen_range(0..3) == 0 {
        let (given, family) = (pick(rng, W_GIVEN, "Ali"), pick(rng, W_FAMILY, "Wang"));
        let alias = if rng.gen_range(0..4) == 0 {
            format!("{family} {given}")
        } else {
            String::new()
        };
        return (format!("{given} {family}"), alias, country);
    }
    let city = if rng.gen_bool(0.5) {
        format!("{} ", pick(rng, W_CITIES, "Shenzhen"))
    } else {
        String::new()
    };
    let word = coined(rng, W_SYLLABLES);
    let what = pick(rng, W_WORDS, "Technology");
    let legal = match country {
        "CN" => pick(
            rng,
            &["Co., Ltd.", "Group Co., Ltd.", "Corporation"],
            "Co., Ltd.",
        ),
        "RU" | "BY" => pick(rng, &["JSC", "LLC", "PJSC"], "JSC"),
        "HK" => "Limited",
        "AE" => "FZE",
        _ => pick(rng, &["Company", "Ltd", "Corporation"], "Company"),
    };
    let alias = if rng.gen_range(0..4) == 0 {
        format!("{word} {what}")
    } else {
        String::new()
    };
    (format!("{city}{word} {what} {legal}"), alias, country)
}

/// Writes `count` entries into the two lists (replacing them); returns every entry's name.
fn add_names(
    conn: &mut DbConn,
    count: u32,
    seed: u64,
    progress: &dyn Fn(Stage, usize, usize),
) -> Result<Vec<String>, ServiceError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let total = usize::try_from(count).unwrap_or(0);
    let first = total * 7 / 10 + usize::from(total < 2);
    let mut names = Vec::with_capacity(total);
    let mut files = [
        csv::Writer::from_writer(Vec::new()),
        csv::Writer::from_writer(Vec::new()),
    ];
    let mut rows = [0usize; 2];
    for out in &mut files {
        out.write_record(["name", "aliases", "country", "program", "source"])
            .map_err(csv_error)?;
    }
    for i in 0..total {
        let k = usize::from(i >= first);
        let (name, aliases, country) = watch_entry(&mut rng);
        let programs = PROGRAMS.get(k).copied().unwrap_or_default();
        let program = pick(&mut rng, programs, "BIS Entity List");
        if let (Some(out), Some(n)) = (files.get_mut(k), rows.get_mut(k)) {
            out.write_record([
                name.as_str(),
                aliases.as_str(),
                country,
                program,
                "synthetic (cordon bench-data)",
            ])
            .map_err(csv_error)?;
            *n += 1;
        }
        names.push(name);
    }
    let mut done = 0;
    for ((list, out), n) in LISTS.iter().zip(files).zip(rows) {
        if n == 0 {
            continue;
        }
        let bytes = out.into_inner().map_err(csv_error)?;
        super::watchlists::import_list(conn, Some(ACTOR), list, &bytes, &|d, _| {
            progress(Stage::Names, done + d, total)
        })
        .map_err(refused("watchlist entries"))?;
        done += n;
    }
    Ok(names)
}

// ---------------------------------------------------------------------------------------------
// Walks through the workflow
// ---------------------------------------------------------------------------------------------

/// How likely a case stays in a state (it is still there today) rather than moving on.
fn stop_chance(s: State) -> f64 {
    match s {
        State::Lead => 0.05,
        State::Screening => 0.07,
        State::NoticeSubmitted => 0.12,
        State::Declaration | State::Review => 0.15,
        State::Inquiry | State::FilingRequested | State::Prefiling => 0.2,
        State::Investigation | State::Withdrawn => 0.2,
        State::Presidential => 0.25,
        State::Divestiture => 0.35,
        State::Monitoring => 0.4,
        State::Closed => 0.99,
    }
}

/// Where a case goes next from a state, with weights (every pair is in the transition table;
/// a unit test checks it).
fn next_moves(s: State) -> &'static [((State, Option<Outcome>), u32)] {
    use Outcome as O;
    use State as S;
    match s {
        S::Lead => &[((S::Screening, None), 1)],
        S::Screening => &[
            ((S::Closed, Some(O::NotCovered)), 30),
            ((S::Closed, Some(O::NoFurtherAction)), 20),
            ((S::Declaration, None), 15),
            ((S::NoticeSubmitted, None), 12),
            ((S::Inquiry, None), 13),
            ((S::Prefiling, None), 10),
        ],
        S::Inquiry => &[
            ((S::FilingRequested, None), 30),
            ((S::Review, None), 10),
            ((S::Closed, Some(O::NotCovered)), 20),
            ((S::Closed, Some(O::NoFurtherAction)), 40),
        ],
        S::FilingRequested => &[
            ((S::Declaration, None), 40),
            ((S::Prefiling, None), 20),
            ((S::NoticeSubmitted, None), 30),
            ((S::Review, None), 10),
        ],
        S::Declaration => &[
            ((S::Closed, Some(O::DeclarationCleared)), 60),
            ((S::Closed, Some(O::UnableToConclude)), 20),
            ((S::Prefiling, None), 10),
            ((S::Review, None), 3),
            ((S::Withdrawn, None), 4),
            ((S::Closed, Some(O::Rejected)), 3),
        ],
        S::Prefiling => &[((S::NoticeSubmitted, None), 85), ((S::Withdrawn, None), 15)],
        S::NoticeSubmitted => &[((S::Review, None), 92), ((S::Closed, Some(O::Rejected)), 8)],
        S::Review => &[
            ((S::Closed, Some(O::Cleared)), 60),
            ((S::Investigation, None), 20),
            ((S::Monitoring, None), 10),
            ((S::Withdrawn, None), 7),
            ((S::Closed, Some(O::Rejected)), 3),
        ],
        S::Investigation => &[
            ((S::Closed, Some(O::Cleared)), 40),
            ((S::Monitoring, None), 30),
            ((S::Withdrawn, None), 20),
            ((S::Presidential, None), 10),
        ],
        S::Presidential => &[
            ((S::Closed, Some(O::PresidentialNoAction)), 50),
            ((S::Divestiture, None), 50),
        ],
        S::Withdrawn => &[
            ((S::Review, None), 40),
            ((S::Closed, Some(O::Abandoned)), 50),
            ((S::Monitoring, None), 10),
        ],
        S::Monitoring => &[
            ((S::Closed, Some(O::MitigationCompleted)), 90),
            ((S::Review, None), 10),
        ],
        S::Divestiture => &[((S::Closed, Some(O::DivestitureComplete)), 1)],
        S::Closed => &[((S::Review, None), 1)],
    }
}

/// Days a case spends in a state before it moves on (inside every statutory clock).
fn dwell(s: State) -> (i64, i64) {
    match s {
        State::Lead => (0, 6),
        State::Screening => (2, 20),
        State::Inquiry => (10, 80),
        State::FilingRequested | State::Prefiling => (3, 14),
        State::Declaration => (5, 27),
        State::NoticeSubmitted => (2, 12),
        State::Review | State::Investigation => (10, 41),
        State::Presidential => (3, 13),
        State::Withdrawn => (5, 60),
        State::Monitoring => (90, 700),
        State::Divestiture => (30, 120),
        State::Closed => (30, 400),
    }
}

/// The longest a case still in a state has been there (some of its clocks run out before).
fn open_age(s: State) -> i64 {
    match s {
        State::Lead => 10,
        State::Screening | State::FilingRequested | State::Prefiling => 20,
        State::NoticeSubmitted | State::Presidential => 20,
        State::Declaration => 40,
        State::Review | State::Investigation => 60,
        State::Inquiry | State::Withdrawn => 120,
        State::Divestiture => 150,
        State::Monitoring => 900,
        State::Closed => 1,
    }
}

/// A case's path: when it was received, each move and its day, the seed of its facts, and the
/// reference it should get.
struct Walk {
    received: NaiveDate,
    moves: Vec<(&'static Transition, NaiveDate)>,
    seed: u64,
    reference: String,
}

fn walk(rng: &mut StdRng, max_moves: usize, cal: &Calendar, yesterday: NaiveDate) -> Walk {
    let mut state = State::Lead;
    let mut path: Vec<(&'static Transition, i64)> = Vec::new();
    while path.len() < max_moves && !rng.gen_bool(stop_chance(state)) {
        let Some((to, outcome)) = weighted(rng, next_moves(state)) else {
            break;
        };
        let Some(t) = TRANSITIONS
            .iter()
            .find(|t| t.from == state && t.to == to && t.outcome == outcome)
        else {
            break;
        };
        let (lo, hi) = dwell(state);
        path.push((t, int(rng, lo, hi)));
        state = to;
    }
    let span: i64 = path.iter().map(|(_, gap)| gap).sum();
    // Open cases moved last not long ago (a fifth of them are a backlog up to 18 months old);
    // closed ones are spread over the last five years.
    let last = if state.is_open() {
        let age = if rng.gen_bool(0.2) {
            540
        } else {
            open_age(state)
        };
        shift(yesterday, -int(rng, 0, age - 1))
    } else {
        shift(yesterday, -int(rng, 0, SPAN_DAYS - span))
    };
    let start = shift(last, -span);
    let mut day = start;
    let moves = path
        .into_iter()
        .map(|(t, gap)| {
            day = shift(day, gap);
            (t, working_day(cal, day))
        })
        .collect();
    Walk {
        received: working_day(cal, start),
        moves,
        seed: rng.gen(),
        reference: String::new(),
    }
}

/// Every case's walk, in the order they are written: by received date, so that references
/// run in date order within each year, as they would have been issued. Each is given the
/// reference the counters will hand it if no one else logs a case meanwhile.
fn walks(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    count: u32,
    seed: u64,
) -> Result<Vec<Walk>, ServiceError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut all: Vec<Walk> = (0..count)
        .map(|_| {
            let mut case_rng = StdRng::seed_from_u64(rng.gen());
            walk(&mut case_rng, ctx.events - 1, ctx.cal, ctx.yesterday)
        })
        .collect();
    all.sort_by_key(|w| w.received);
    let mut last: HashMap<i32, i64> = HashMap::new();
    for w in &mut all {
        let year = w.received.year();
        let n = match last.get(&year) {
            Some(n) => *n,
            None => db::cases::counter(conn, &format!("reference-{year}"))?,
        } + 1;
        last.insert(year, n);
        w.reference = format!("CFN-{year}-{n:05}");
    }
    Ok(all)
}

// ---------------------------------------------------------------------------------------------
// The facts of a case
// ---------------------------------------------------------------------------------------------

/// Shared, read-only inputs of case preparation.
struct Ctx<'a> {
    engine: &'a Engine,
    cal: &'a Calendar,
    ws: WorkflowSettings,
    today: NaiveDate,
    yesterday: NaiveDate,
    cast: &'a Cast,
    places: &'a Places,
    hit_names: &'a [String],
    events: usize,
    sites: &'a [Site],
    military: Vec<&'a Site>,
    ports: Vec<&'a Site>,
}

/// A kind of deal.
#[derive(Clone, Copy)]
struct Deal {
    /// What the buyer does, for titles (`{acres}` filled in).
    what: &'static str,
    purpose: &'static str,
    kind: TxKind,
    acres: (f64, f64),
    value: (f64, f64),
    power: (f64, f64),
    /// Rights and flags as letters: `a`ccess, e`x`clude, `i`mprove, a`f`fix; `u`rban,
    /// `h`ousing unit, `p`ort, `o`ffice.
    flags: &'static str,
    /// The word in the buyer's US company name.
    word: &'static str,
    agency: LeadAgency,
}

#[expect(clippy::too_many_arguments)]
const fn deal(
    what: &'static str,
    purpose: &'static str,
    kind: TxKind,
    acres: (f64, f64),
    value: (f64, f64),
    power: (f64, f64),
    flags: &'static str,
    word: &'static str,
    agency: LeadAgency,
) -> Deal {
    Deal {
        what,
        purpose,
        kind,
        acres,
        value,
        power,
        flags,
        word,
        agency,
    }
}

#[rustfmt::skip]
const DEALS: &[(Deal, u32)] = {
    use LeadAgency::*;
    use TxKind::*;
    &[
        (deal("buys {acres} acres of farmland", "row-crop agriculture", Purchase, (80.0, 3000.0), (4e5, 2e7), (0.0, 0.0), "axif", "Farms", Defense), 16),
        (deal("buys {acres} acres of ranch land", "cattle ranching and hunting", Purchase, (1000.0, 20000.0), (2e6, 6e7), (0.0, 0.0), "axif", "Ranch", Defense), 6),
        (deal("leases {acres} acres for a wind farm", "wind farm", Lease, (2000.0, 12000.0), (5e7, 3e8), (50.0, 300.0), "axif", "Wind", Energy), 6),
        (deal("leases {acres} acres for a solar array", "utility-scale solar", Lease, (200.0, 2000.0), (2e7, 1.5e8), (20.0, 200.0), "axif", "Solar", Energy), 7),
        (deal("buys {acres} acres for a crypto mine", "cryptocurrency mining", Purchase, (2.0, 40.0), (5e5, 8e6), (10.0, 150.0), "axif", "Digital", Defense), 6),
        (deal("plans a data center on {acres} acres", "hyperscale data center", Greenfield, (20.0, 200.0), (1e8, 9e8), (50.0, 400.0), "axif", "Data Campus", HomelandSecurity), 6),
        (deal("buys a cold-storage warehouse", "cold storage and logistics", Purchase, (5.0, 40.0), (5e6, 6e7), (1.0, 8.0), "axif u", "Logistics", Commerce), 7),
        (deal("buys {acres} acres for battery storage", "grid battery storage", Purchase, (5.0, 40.0), (2e7, 2e8), (20.0, 300.0), "axif", "Storage", Energy), 4),
        (deal("leases a telecom tower site", "telecommunications tower", Lease, (0.5, 3.0), (2e5, 2e6), (0.0, 0.0), "axif", "Towers", HomelandSecurity), 6),
        (deal("leases rooftop space for antennas", "rooftop antennas", Lease, (0.05, 0.2), (2e4, 2e5), (0.0, 0.0), "af uo", "Wireless", HomelandSecurity), 3),
        (deal("buys a single-family home", "private residence", Purchase, (0.1, 1.0), (2e5, 2e6), (0.0, 0.0), "axif uh", "Home Holdings", Defense), 5),
        (deal("takes over a terminal concession", "container terminal operations", Concession, (20.0, 150.0), (5e7, 5e8), (2.0, 20.0), "axif up", "Terminals", HomelandSecurity), 3),
        (deal("leases an aircraft maintenance hangar", "aircraft maintenance hangar", Lease, (2.0, 12.0), (2e6, 3e7), (0.5, 4.0), "axif u", "Aero Services", Defense), 3),
        (deal("buys an apartment complex", "multifamily housing", Purchase, (5.0, 30.0), (1e7, 9e7), (0.0, 0.0), "axif u", "Residential", Defense), 5),
        (deal("plans a magnet plant on {acres} acres", "rare-earth magnet manufacturing", Greenfield, (50.0, 300.0), (1e8, 6e8), (10.0, 80.0), "axif", "Materials", Commerce), 2),
        (deal("buys an industrial lot for drone assembly", "drone and electronics assembly", Purchase, (5.0, 50.0), (5e6, 4e7), (1.0, 10.0), "axif", "Industries", Commerce), 3),
        (deal("buys a grain elevator and {acres} acres", "grain handling and storage", Purchase, (50.0, 600.0), (5e6, 4e7), (0.0, 0.0), "axif", "Grain", Defense), 4),
        (deal("buys office space downtown", "regional sales office", Purchase, (0.1, 1.0), (1e6, 2e7), (0.0, 0.0), "axif uo", "Offices", Treasury), 3),
        (deal("buys a business park", "light industrial and offices", BusinessAcquisition, (10.0, 80.0), (1e7, 1.2e8), (1.0, 6.0), "axif u", "Business Park", Treasury), 3),
    ]
};

/// Where the foreign owner of a buyer is from, with weights (`US` for a buyer with none).
const OWNER_COUNTRIES: &[(&str, u32)] = &[
    ("US", 90),
    ("CN", 40),
    ("JP", 14),
    ("GB", 12),
    ("DE", 10),
    ("CA", 9),
    ("RU", 9),
    ("HK", 6),
    ("SG", 6),
    ("AE", 6),
    ("KR", 6),
    ("VG", 9),
    ("KY", 8),
    ("BM", 3),
    ("NL", 4),
    ("FR", 4),
    ("IR", 3),
    ("AU", 3),
    ("IN", 3),
    ("SA", 3),
    ("MX", 3),
    ("TW", 3),
    ("CH", 3),
    ("IL", 2),
    ("VE", 1),
    ("BY", 1),
    ("LU", 2),
];

/// Who stands behind an offshore holding company.
const BEHIND_OFFSHORE: &[(&str, u32)] = &[
    ("CN", 45),
    ("RU", 20),
    ("HK", 12),
    ("AE", 8),
    ("IR", 6),
    ("SA", 5),
    ("VE", 3),
    ("KP", 1),
];

#[rustfmt::skip]
const CN_CITIES: &[&str] = &[
    "Shenzhen", "Shanghai", "Beijing", "Guangzhou", "Hangzhou", "Wuhan", "Chengdu", "Tianjin",
    "Nanjing", "Qingdao", "Xiamen", "Ningbo",
];
#[rustfmt::skip]
const CN_SYLLABLES: &[&str] = &[
    "Jiang", "Hua", "Zhong", "Xin", "Tai", "Long", "Sheng", "Heng", "Feng", "Kang", "Rui",
    "Yuan", "Bei", "Nan", "Dong", "Hai", "Tian", "Ming", "Wei", "Cheng", "Fu", "An", "Qian",
];
#[rustfmt::skip]
const INDUSTRIES: &[&str] = &[
    "Agritech", "Energy Investment", "Digital Technology", "New Materials", "Logistics",
    "Industrial", "Capital", "Renewable Power", "Land Development", "Infrastructure",
    "Data Services", "Food", "Resources", "Properties", "Ventures", "Manufacturing",
];
#[rustfmt::skip]
const RU_WORDS: &[&str] = &[
    "Severnaya", "Uralsk", "Volga", "Baltiya", "Sibir", "Tayga", "Zvezda", "Altai", "Kama",
    "Neva", "Amur", "Ladoga",
];
#[rustfmt::skip]
const IR_WORDS: &[&str] = &[
    "Pars", "Kavir", "Alborz", "Zagros", "Arvand", "Sepahan", "Khazar", "Damavand",
];
#[rustfmt::skip]
const EN_FIRST: &[&str] = &[
    "Golden", "Silver", "Jade", "Blue", "Pearl", "Evergreen", "Crystal", "Summit", "Harbour",
    "Lotus", "Phoenix", "Orchid", "Meridian", "Coral", "Atlas", "Northgate",
];
#[rustfmt::skip]
const EN_SECOND: &[&str] = &[
    "Lotus", "Ridge", "Harbour", "Peak", "River", "Bay", "Gate", "Crest", "Star", "Field",
    "Bridge", "Stone",
];
#[rustfmt::skip]
const DE_WORDS: &[&str] = &[
    "Rheinwerk", "Nordstern", "Alpenland", "Elbtal", "Hansa", "Mainfeld", "Isartal",
];
#[rustfmt::skip]
const JP_WORDS: &[&str] = &[
    "Kanto", "Sakura", "Hoshino", "Fujimi", "Minato", "Hokuriku", "Seiwa", "Asahi",
];
const KR_WORDS: &[&str] = &["Hanbit", "Daehan", "Mirae", "Hanul", "Saerom", "Bitgoeul"];
const AR_WORDS: &[&str] = &["Noor", "Dhafra", "Reem", "Saqr", "Waha", "Marjan", "Yasmin"];
#[rustfmt::skip]
const US_WORDS: &[&str] = &[
    "Ridge", "Prairie", "Summit", "Valley", "Harbor", "Creek", "Mesa", "Pine", "Lakeside",
    "Frontier", "Heritage", "Liberty", "Eagle", "Cedar", "Granite", "Riverbend",
];

/// How titles describe an owner from a country.
fn adjective(country: &str) -> &'static str {
    match country {
        "CN" => "PRC",
        "HK" => "Hong Kong",
        "RU" => "Russian",
        "IR" => "Iranian",
        "JP" => "Japanese",
        "GB" => "British",
        "DE" => "German",
        "CA" => "Canadian",
        "SG" => "Singaporean",
        "AE" => "Emirati",
        "KR" => "Korean",
        "VG" => "BVI",
        "KY" => "Cayman",
        "BM" => "Bermudan",
        "NL" => "Dutch",
        "FR" => "French",
        "AU" => "Australian",
        "IN" => "Indian",
        "SA" => "Saudi",
        "MX" => "Mexican",
        "TW" => "Taiwanese",
        "CH" => "Swiss",
        "IL" => "Israeli",
        "VE" => "Venezuelan",
        "BY" => "Belarusian",
        "LU" => "Luxembourg",
        "KP" => "North Korean",
        _ => "foreign",
    }
}

/// A company name in the style of its country.
fn company(rng: &mut StdRng, country: &str) -> String {
    let industry = pick(rng, INDUSTRIES, "Capital");
    let en = |rng: &mut StdRng| {
        format!(
            "{} {}",
            pick(rng, EN_FIRST, "Golden"),
            pick(rng, EN_SECOND, "Ridge")
        )
    };
    match country {
        "CN" | "TW" => {
            let a = pick(rng, CN_SYLLABLES, "Hua");
            let b = pick(rng, CN_SYLLABLES, "Xin").to_lowercase();
            let city = pick(rng, CN_CITIES, "Shenzhen");
            format!("{city} {a}{b} {industry} Co., Ltd.")
        }
        "HK" => format!("{} {industry} Holdings Limited", en(rng)),
        "RU" | "BY" => format!("{} {industry} JSC", pick(rng, RU_WORDS, "Volga")),
        "IR" => format!("{} {industry} Co.", pick(rng, IR_WORDS, "Pars")),
        "VG" | "KY" | "BM" => format!("{} Holdings Ltd", en(rng)),
        "DE" => format!("{} {industry} GmbH", pick(rng, DE_WORDS, "Hansa")),
        "JP" => format!("{} {industry} K.K.", pick(rng, JP_WORDS, "Kanto")),
        "KR" => format!("{} {industry} Co., Ltd.", pick(rng, KR_WORDS, "Mirae")),
        "AE" => format!("Al {} {industry} LLC", pick(rng, AR_WORDS, "Noor")),
        "SA" => format!("Al {} {industry} Co.", pick(rng, AR_WORDS, "Noor")),
        "SG" => format!("{} {industry} Pte. Ltd.", en(rng)),
        "GB" => format!("{} {industry} plc", en(rng)),
        "NL" => format!("{} {industry} B.V.", en(rng)),
        "FR" => format!("{} {industry} SAS", en(rng)),
        "CH" => format!("{} {industry} AG", en(rng)),
        "LU" => format!("{} {industry} S.à r.l.", en(rng)),
        "AU" => format!("{} {industry} Pty Ltd", en(rng)),
        "IN" => format!("{} {industry} Pvt. Ltd.", en(rng)),
        "MX" => format!("{} {industry} S.A. de C.V.", en(rng)),
        _ => format!("{} {industry} Ltd.", en(rng)),
    }
}

/// The parties of a buyer (1 to 4 with the seller), and how the title and summary put it.
struct Buyer {
    parties: Vec<NewParty>,
    /// "PRC-owned buyer", "US buyer", …
    desc: String,
    acquirer: String,
    /// The top foreign owner and its country, or the acquirer.
    owner: String,
    country: String,
}

fn party(key: &str, name: String, country: &str, role: PartyRole) -> NewParty {
    NewParty {
        key: key.to_string(),
        name,
        country: country.to_string(),
        role,
        ownership_pct: None,
        owns: None,
        government_controlled: false,
        state_owned: false,
    }
}

fn owned(mut p: NewParty, owns: &str, pct: f64, state_backed: bool) -> NewParty {
    p.owns = Some(owns.to_string());
    p.ownership_pct = Some(pct);
    p.government_controlled = state_backed;
    p.state_owned = state_backed;
    p
}

fn buyer(rng: &mut StdRng, ctx: &Ctx<'_>, place: &Place, deal: &Deal) -> Buyer {
    let us_name = |rng: &mut StdRng| {
        let suffix = pick(rng, &["LLC", "LLC", "Inc.", "LP"], "LLC");
        format!(
            "{} {} {} {suffix}",
            place.county,
            pick(rng, US_WORDS, "Ridge"),
            deal.word
        )
    };
    let country = weighted(rng, OWNER_COUNTRIES).unwrap_or("US");
    // A foreign name taken from the watchlists now and then, so some screenings have hits.
    let foreign_name = |rng: &mut StdRng, c: &str| match ctx.hit_names.choose(rng) {
        Some(listed) if rng.gen_bool(0.015) => listed.clone(),
        _ => company(rng, c),
    };
    let state_backed = |rng: &mut StdRng, c: &str| {
        matches!(c, "CN" | "RU" | "AE" | "SA" | "IR" | "VE" | "BY" | "KP") && rng.gen_bool(0.2)
    };
    let mut parties = Vec::with_capacity(4);
    let (acquirer, owner, owner_country, desc) = if country == "US" {
        let acquirer = us_name(rng);
        parties.push(party("p1", acquirer.clone(), "US", PartyRole::Acquirer));
        (acquirer.clone(), acquirer, "US", "US buyer".to_string())
    } else if rng.gen_range(0..5) == 0 {
        let acquirer = foreign_name(rng, country);
        let mut p = party("p1", acquirer.clone(), country, PartyRole::Acquirer);
        p.government_controlled = state_backed(rng, country);
        p.state_owned = p.government_controlled;
        parties.push(p);
        let desc = format!("{} company", adjective(country));
        (acquirer.clone(), acquirer, country, desc)
    } else {
        let acquirer = us_name(rng);
        parties.push(party("p1", acquirer.clone(), "US", PartyRole::Acquirer));
        let parent = foreign_name(rng, country);
        let backed = state_backed(rng, country);
        let p2 = party("p2", parent.clone(), country, PartyRole::Parent);
        parties.push(owned(p2, "p1", 100.0, backed));
        let offshore = matches!(country, "VG" | "KY" | "BM");
        if offshore || rng.gen_range(0..4) == 0 {
            let top_country = if offshore {
                weighted(rng, BEHIND_OFFSHORE).unwrap_or("CN")
            } else {
                country
            };
            let top = if offshore && rng.gen_range(0..4) == 0 {
                format!("{} nationals (undisclosed)", adjective(top_country))
            } else {
                foreign_name(rng, top_country)
            };
            let pct = to_places(real(rng, 51.0, 100.0), 0);
            let backed = state_backed(rng, top_country);
            let p3 = party("p3", top.clone(), top_country, PartyRole::UltimateParent);
            parties.push(owned(p3, "p2", pct, backed));
            let desc = if offshore {
                format!(
                    "{} vehicle with {} owners",
                    adjective(country),
                    adjective(top_country)
                )
            } else {
                format!("{}-owned buyer", adjective(country))
            };
            (acquirer, top, top_country, desc)
        } else {
            let desc = format!("{}-owned buyer", adjective(country));
            (acquirer, parent, country, desc)
        }
    };
    if parties.len() < 4 && rng.gen_range(0..10) < 7 {
        let who = pick(rng, SURNAMES, "Hale");
        let seller = match rng.gen_range(0..4) {
            0 => format!("{who} Family Farms LP"),
            1 => format!("{} Land Company", place.county),
            2 => format!("{who} Brothers Land & Cattle"),
            _ => format!("{who} Properties Inc."),
        };
        let key = format!("p{}", parties.len() + 1);
        parties.push(party(&key, seller, "US", PartyRole::Seller));
    }
    Buyer {
        parties,
        desc,
        acquirer,
        owner,
        country: owner_country.to_string(),
    }
}

/// A case's facts and the words its texts use.
struct Story {
    report: NewReport,
    agency: LeadAgency,
    /// `{site}`, `{acquirer}`, … for rationales, comments and conditions.
    words: Vec<(&'static str, String)>,
}

impl Story {
    fn fill(&self, text: &str) -> String {
        let words: Vec<(&str, &str)> = self.words.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(text, &words)
    }
}

/// The site a case was reported near: its name, and miles and compass point from it.
type Near = (String, f64, &'static str);

/// Where a case lies: a place, and the site it was reported near.
fn location(
    rng: &mut StdRng,
    ctx: &Ctx<'_>,
    deal: &Deal,
) -> Result<(Place, Option<Near>), ServiceError> {
    if ctx.sites.is_empty() || rng.gen_range(0..10) < 3 {
        return Ok((ctx.places.random(rng)?, None));
    }
    for _ in 0..6 {
        let port = deal.flags.contains('p');
        let site = if port && !ctx.ports.is_empty() {
            ctx.ports.choose(rng).copied()
        } else if !ctx.military.is_empty() && rng.gen_range(0..10) < 6 {
            ctx.military.choose(rng).copied()
        } else {
            ctx.sites.choose(rng)
        };
        let Some(site) = site else {
            break;
        };
        let miles = if port {
            real(rng, 0.0, 1.0)
        } else {
            match rng.gen_range(0..10) {
                0..=3 => real(rng, 0.0, 1.0),
                4..=7 => real(rng, 1.0, 15.0),
                _ => real(rng, 15.0, 90.0),
            }
        };
        if let Some((place, dir)) = ctx.places.near(rng, site, miles) {
            return Ok((place, Some((site.name.clone(), to_places(miles, 1), dir))));
        }
    }
    Ok((ctx.places.random(rng)?, None))
}

const SOURCES: &[(Source, u32)] = &[
    (Source::PartyFiling, 30),
    (Source::AgencyReferral, 18),
    (Source::PublicTip, 10),
    (Source::Media, 14),
    (Source::CompanyReport, 10),
    (Source::SelfDisclosure, 6),
    (Source::Other, 12),
];

fn story(rng: &mut StdRng, ctx: &Ctx<'_>, received: NaiveDate) -> Result<Story, ServiceError> {
    let deal = weighted(rng, DEALS)
        .ok_or_else(|| ServiceError::Internal("bench-data has no deals".into()))?;
    let value = (real(rng, deal.value.0, deal.value.1) / 1000.0).round() as i64 * 1000;
    let (place, near) = location(rng, ctx, &deal)?;
    let b = buyer(rng, ctx, &place, &deal);
    let source = weighted(rng, SOURCES).unwrap_or(Source::Other);
    let acreage = real(rng, deal.acres.0, deal.acres.1);
    let acreage = if acreage >= 10.0 {
        acreage.round()
    } else {
        to_places(acreage, 2)
    };
    let acres = format!("{acreage}");
    let what = deal.what.replace("{acres}", &acres);
    let (where_, site) = match &near {
        Some((site, miles, dir)) => (format!("{miles} mi {dir} of {site}"), site.clone()),
        None => (
            format!("in {}, {}", place.county, place.state),
            "no listed site".into(),
        ),
    };
    let title = format!("{} {what} {where_}", b.desc);
    let lead = if source == Source::PartyFiling {
        int(rng, 3, 20)
    } else {
        int(rng, 20, 400)
    };
    let has = |c: char| deal.flags.contains(c);
    // Some leases leave out the right to exclude others: fewer than three rights is not covered.
    let exclude = has('x') && !(deal.kind == TxKind::Lease && rng.gen_range(0..10) == 0);
    let country = country_name(&b.country)
        .unwrap_or("the United States")
        .to_string();
    let ownership = if b.owner == b.acquirer {
        String::new()
    } else {
        format!(", owned through its parents by {} ({country}),", b.owner)
    };
    let summary = format!(
        "{}: {}{ownership} {what} in {}, {}{}. Intended use: {}. Reported value: ${}.",
        source.label(),
        b.acquirer,
        place.county,
        place.state,
        near.as_ref()
            .map(|(s, m, d)| format!(", {m} mi {d} of {s}"))
            .unwrap_or_default(),
        deal.purpose,
        value,
    );
    let report = NewReport {
        received_on: Some(received),
        title,
        source,
        summary,
        transaction: Transaction {
            kind: deal.kind,
            date: Some(shift(received, -lead)),
            value_usd: Some(value),
            rights: Rights {
                access: has('a'),
                exclude,
                improve: has('i'),
                affix: has('f'),
            },
            intended_use: deal.purpose.to_string(),
            power_mw: (deal.power.1 > 0.0)
                .then(|| to_places(real(rng, deal.power.0, deal.power.1), 0)),
        },
        property: Property {
            lat: place.lat,
            lon: place.lon,
            address: format!(
                "{} {} {}, {}, {}",
                int(rng, 10, 9990),
                pick(rng, US_WORDS, "Ridge"),
                pick(rng, &["Rd", "Ave", "Hwy", "Ln", "Dr"], "Rd"),
                place.county,
                place.state
            ),
            state: Some(place.state.to_string()),
            county_fips: Some(place.fips.clone()),
            acreage: Some(acreage),
            urban_area: has('u'),
            single_housing_unit: has('h'),
            in_port: has('p') && near.is_some(),
            commercial_office: has('o'),
        },
        parties: b.parties,
    };
    let agency = deal.agency;
    let words = vec![
        ("{site}", site),
        ("{acquirer}", b.acquirer),
        ("{owner}", b.owner),
        ("{country}", country),
        ("{purpose}", deal.purpose.to_string()),
        ("{acres}", acres),
        ("{county}", place.county.clone()),
        ("{state}", place.state.to_string()),
        ("{agency}", agency.label().to_string()),
    ];
    Ok(Story {
        report,
        agency,
        words,
    })
}

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
fn rationale(t: &Transition) -> &'static str {
    use Outcome as O;
    use State as S;
    match (t.to, t.outcome, t.entry) {
        (S::Screening, ..) => "Near {site}, and the buyer side includes {owner} ({country}): open jurisdiction screening.",
        (S::Inquiry, ..) => "Covered real estate, a foreign-person buyer and no filing: open a non-notified inquiry.",
        (S::FilingRequested, ..) => "The Committee asks the parties to file (31 CFR 802.501(b)); a response is due in 10 business days.",
        (S::Declaration, ..) => "Declaration complete and circulated to the Committee: the 30-day assessment starts.",
        (S::Prefiling, ..) => "Draft notice received from counsel for {acquirer}; staff comments due in 10 business days.",
        (S::NoticeSubmitted, ..) => "Formal notice filed with the fee and the certifications.",
        (S::Review, _, Entry::AcceptedNotice) => "Notice complete and fee paid: accepted and circulated. The review starts the next business day.",
        (S::Review, _, Entry::Refiled) => "Notice refiled after the parties restructured: a new filing and a fresh 45-day review.",
        (S::Review, _, Entry::Reopened) => "Reopened: {agency} reports a material breach of the mitigation terms.",
        (S::Review, ..) => "{agency} filed an agency notice: the 45-day review starts today.",
        (S::Investigation, ..) => "Unresolved national-security concerns about {owner} at the end of the review: open the investigation.",
        (S::Presidential, ..) => "The Committee cannot resolve the risk near {site}: refer the transaction to the President.",
        (S::Withdrawn, ..) => "The parties withdrew the filing to restructure the deal.",
        (S::Monitoring, ..) => "Cleared subject to mitigation terms; {agency} monitors compliance.",
        (S::Divestiture, ..) => "Presidential order: the transaction is prohibited and {acquirer} must divest.",
        (S::Closed, Some(O::NotCovered), _) => "Not a covered real estate transaction under Part 802.",
        (S::Closed, Some(O::NoFurtherAction), _) => "Covered, but no national-security concern warrants further action.",
        (S::Closed, Some(O::DeclarationCleared), _) => "Assessment concluded: no unresolved national-security concern.",
        (S::Closed, Some(O::UnableToConclude), _) => "The Committee cannot conclude on the declaration; the parties may file a notice.",
        (S::Closed, Some(O::Rejected), _) => "The filing is incomplete and does not meet the requirements of Part 802.",
        (S::Closed, Some(O::Cleared), _) => "No unresolved national-security concern: action concluded.",
        (S::Closed, Some(O::PresidentialNoAction), _) => "The President took no action within the statutory period.",
        (S::Closed, Some(O::Abandoned), _) => "The parties abandoned the transaction.",
        (S::Closed, Some(O::MitigationCompleted), _) => "Every mitigation condition was met; monitoring ends.",
        (S::Closed, Some(O::DivestitureComplete), _) => "Divestiture certified complete by {agency}.",
        _ => "Moved on the facts in the file.",
    }
}

#[rustfmt::skip]
const COMMENTS: &[&str] = &[
    "{county}, {state} records: deed to {acquirer} recorded; nothing filed with the Committee.",
    "Asked the security office of {site} for photos of the parcel and its line of sight.",
    "Ownership chart received: {acquirer} is held by {owner} ({country}).",
    "Called counsel for {acquirer}; answers on financing and equipment promised within a week.",
    "Site visit: the parcel ({acres} acres) overlooks the approach to {site}.",
    "{agency} asks for the power and telecom contracts for the {purpose} project.",
    "DNI threat assessment on {owner} requested.",
    "Deed search in {county} shows two earlier transfers in the last three years.",
    "The intended use ({purpose}) matches the permits filed with the county.",
    "Local press reports on the deal forwarded by {agency}.",
    "Information request sent: ownership up to {owner}, financing, and who will hold keys to the site.",
    "Partial answer received; the owners above {owner} are still not named.",
    "Reviewed against the watchlists: see the screening for the names checked.",
    "Draft memo to the chair circulated for comment.",
    "No response yet from {acquirer}; reminder sent.",
];

#[rustfmt::skip]
const MITIGATION: &[&str] = &[
    "Keep personnel of {owner} off the parcel nearest {site}.",
    "Annual third-party audit of security at the property, reported to {agency}.",
    "No structure taller than 20 ft without approval of {agency}.",
    "Notify {agency} within 15 days of any change in the owners above {acquirer}.",
];

// ---------------------------------------------------------------------------------------------
// A prepared case
// ---------------------------------------------------------------------------------------------

/// One event before its instant is known.
struct Ev {
    day: NaiveDate,
    seg: usize,
    rank: usize,
    /// Recorded in the same transaction as the event before it (same instant).
    with_previous: bool,
    actor: String,
    kind: EventKind,
    payload: Value,
}

/// A case ready to write, under the reference it expects (see [`write_case`]).
struct Prepared {
    year: i32,
    row: NewCaseRow,
    /// The searched words after the reference's (`search_tail`).
    search_tail: String,
    parties: Vec<NewPartyRow>,
    screening: String,
    deadline: Option<(NewDeadline, NaiveDateTime)>,
    conditions: Vec<(&'static str, String, NaiveDate, NaiveDateTime)>,
    /// The chained events (case id 0 until written).
    events: Vec<NewEventRow>,
    state_key: String,
}

/// Takes one from a budget, if there is one left.
fn take(budget: &mut usize) -> bool {
    if *budget > 0 {
        *budget -= 1;
        true
    } else {
        false
    }
}

/// Who logged a case and holds it, and which optional events its budget has room for.
struct People {
    logged_by: Option<String>,
    /// The logger, or `public` for a tip.
    creator: String,
    assignee: Option<String>,
    screened: bool,
    decision: bool,
    comments: usize,
}

impl People {
    /// The budget goes to `screened`, then the decision (when the case ends in mitigation or a
    /// prohibition order), then the assignment, then comments.
    fn choose(rng: &mut StdRng, ctx: &Ctx<'_>, w: &Walk, source: Source) -> People {
        let logged_by = (source != Source::PublicTip).then(|| pick_name(rng, &ctx.cast.reviewers));
        let creator = logged_by.clone().unwrap_or_else(|| "public".to_string());
        let mut budget = ctx.events.saturating_sub(1 + w.moves.len());
        let screened = take(&mut budget);
        let last = w.moves.last().map_or(State::Lead, |(t, _)| t.to);
        let decision = matches!(last, State::Monitoring | State::Divestiture) && take(&mut budget);
        let assignee = take(&mut budget).then(|| {
            let all: Vec<&String> = ctx.cast.reviewers.iter().chain(&ctx.cast.chairs).collect();
            all.choose(rng).map(|s| s.to_string()).unwrap_or_default()
        });
        People {
            logged_by,
            creator,
            assignee,
            screened,
            decision,
            comments: budget,
        }
    }
}

/// The `created` and `screened` events, as `cases::create_report` records them.
fn opening(
    st: &Story,
    s: &Screening,
    p: &People,
    received: NaiveDate,
    clock: Option<&NewDeadline>,
) -> Vec<Ev> {
    let created = cases::created_payload(&st.report, st.report.source, received, clock);
    let ev = |rank, kind, payload| Ev {
        day: received,
        seg: 0,
        rank,
        with_previous: rank > 0,
        actor: p.creator.clone(),
        kind,
        payload,
    };
    let mut evs = vec![ev(0, EventKind::Created, created)];
    if p.screened {
        let payload = super::screening::screened_payload(s);
        evs.push(ev(1, EventKind::Screened, payload));
    }
    evs
}

/// Where a case's moves left it.
struct Moved {
    state: State,
    since: NaiveDate,
    filing_number: i32,
    /// The open clock and the move that set it (`None`: the lead clock set on creation).
    clock: Option<(NewDeadline, Option<usize>)>,
    conditions: Vec<(&'static str, String, NaiveDate)>,
}

/// The moves of a walk as `workflow::transition` records them, each checked by
/// `workflow::plan`, with the decision's conditions after the last when there is room.
fn moves(
    rng: &mut StdRng,
    ctx: &Ctx<'_>,
    w: &Walk,
    st: &Story,
    p: &People,
    lead_clock: Option<NewDeadline>,
    evs: &mut Vec<Ev>,
) -> Result<Moved, ServiceError> {
    let mut m = Moved {
        state: State::Lead,
        since: w.received,
        filing_number: 0,
        clock: lead_clock.map(|k| (k, None)),
        conditions: Vec::new(),
    };
    for (j, (t, day)) in w.moves.iter().enumerate() {
        let (actor, role) = if t.least == Role::Chair {
            (pick_name(rng, &ctx.cast.chairs), Role::Chair)
        } else {
            let other = pick_name(rng, &ctx.cast.reviewers);
            let actor = p.assignee.clone().filter(|_| rng.gen_bool(0.7));
            (actor.unwrap_or(other), Role::Reviewer)
        };
        let why = st.fill(rationale(t));
        let facts = CaseFacts {
            state: m.state,
            created_by: p.logged_by.as_deref().unwrap_or(""),
            state_since: m.since,
        };
        let req = Request {
            to: t.to,
            outcome: t.outcome,
            rationale: &why,
            effective: Some(*day),
            received: None,
        };
        let plan = workflow::plan(&facts, &req, &actor, role, ctx.today, ctx.cal, &ctx.ws)
            .map_err(|e| {
                ServiceError::Internal(format!(
                    "bench-data made a move the workflow refuses ({} to {}): {e}",
                    m.state, t.to
                ))
            })?;
        if t.entry == Entry::Refiled {
            m.filing_number += 1;
        }
        let seg = j + 1;
        let payload = json!({
            "from": m.state.as_str(),
            "to": t.to.as_str(),
            "outcome": t.outcome.map(Outcome::as_str),
            "action": t.label,
            "rationale": why,
            "effective": plan.effective.to_string(),
            "clock": clock_json(plan.deadline.as_ref()),
            "filing_number": m.filing_number,
        });
        evs.push(Ev {
            day: *day,
            seg,
            rank: 0,
            with_previous: false,
            actor: actor.clone(),
            kind: EventKind::Transitioned,
            payload,
        });
        if p.decision && seg == w.moves.len() {
            let (kind, list) = conditions(rng, st, t, *day);
            let payload = json!({
                "decision": t.label,
                "effective": plan.effective.to_string(),
                "conditions": list.iter().map(|(text, due)| json!({"kind": kind, "text": text, "due": due.to_string()})).collect::<Vec<_>>(),
            });
            evs.push(Ev {
                day: *day,
                seg,
                rank: 1,
                with_previous: true,
                actor,
                kind: EventKind::DecisionRecorded,
                payload,
            });
            m.conditions = list
                .into_iter()
                .map(|(text, due)| (kind, text, due))
                .collect();
        }
        m.clock = plan.deadline.map(|k| (k, Some(seg)));
        m.state = t.to;
        m.since = plan.effective;
    }
    Ok(m)
}

/// The conditions of a mitigation decision or a prohibition order, dated from `day`.
fn conditions(
    rng: &mut StdRng,
    st: &Story,
    t: &Transition,
    day: NaiveDate,
) -> (&'static str, Vec<(String, NaiveDate)>) {
    if t.to == State::Divestiture {
        let list = vec![
            (
                st.fill("Remove all equipment of {acquirer} from the property."),
                shift(day, 90),
            ),
            (
                st.fill("Divest the property to a buyer the Committee does not object to."),
                shift(day, 120),
            ),
        ];
        return ("order", list);
    }
    let n = rng.gen_range(1..=3);
    let texts: Vec<&str> = MITIGATION.choose_multiple(rng, n).copied().collect();
    let list = texts
        .into_iter()
        .map(|text| (st.fill(text), shift(day, int(rng, 30, 365))))
        .collect();
    ("mitigation", list)
}

/// The assignment (before the first move) and the comments, spread over the case's life.
fn follow_ups(
    rng: &mut StdRng,
    ctx: &Ctx<'_>,
    w: &Walk,
    st: &Story,
    p: &People,
    evs: &mut Vec<Ev>,
) {
    // The days each segment (before the first move, after each move) runs over.
    let starts: Vec<NaiveDate> = std::iter::once(w.received)
        .chain(w.moves.iter().map(|(_, d)| *d))
        .collect();
    let end = |seg: usize| match starts.get(seg + 1) {
        Some(d) => *d,
        None => {
            let start = starts.get(seg).copied().unwrap_or(w.received);
            shift(start, 60).min(ctx.yesterday).max(start)
        }
    };
    if let Some(who) = &p.assignee {
        let day = shift(w.received, int(rng, 0, 2)).min(end(0));
        let payload = json!({
            "assignee": {"old": null, "new": who},
            "lead_agency": {"old": null, "new": st.agency.as_str()},
        });
        let actor = pick_name(rng, &ctx.cast.chairs);
        let day = working_day(ctx.cal, day).max(w.received);
        evs.push(Ev {
            day,
            seg: 0,
            rank: 2,
            with_previous: false,
            actor,
            kind: EventKind::Assigned,
            payload,
        });
    }
    for i in 0..p.comments {
        let seg = rng.gen_range(0..starts.len());
        let start = starts.get(seg).copied().unwrap_or(w.received);
        let day = shift(start, int(rng, 0, (end(seg) - start).num_days()));
        let actor = match &p.assignee {
            Some(a) if rng.gen_bool(0.6) => a.clone(),
            _ => pick_name(rng, &ctx.cast.reviewers),
        };
        let payload = json!({ "body": st.fill(pick(rng, COMMENTS, "Noted.")) });
        let day = working_day(ctx.cal, day).max(start);
        evs.push(Ev {
            day,
            seg,
            rank: 10 + i,
            with_previous: false,
            actor,
            kind: EventKind::Commented,
            payload,
        });
    }
}

/// Gives each event its instant: from 13:00 UTC (morning in New York) on its day, a few
/// minutes apart and in order; an event recorded with the one before shares its instant.
fn instants(rng: &mut StdRng, evs: &[Ev]) -> Vec<NaiveDateTime> {
    let mut per_day: HashMap<NaiveDate, i64> = HashMap::new();
    for e in evs.iter().filter(|e| !e.with_previous) {
        *per_day.entry(e.day).or_default() += 1;
    }
    let morning = NaiveTime::from_hms_opt(13, 0, 0).unwrap_or(NaiveTime::MIN);
    let mut out: Vec<NaiveDateTime> = Vec::with_capacity(evs.len());
    let (mut k, mut day) = (0, None);
    for e in evs {
        if day != Some(e.day) {
            (k, day) = (0, Some(e.day));
        }
        let at = match out.last() {
            Some(prev) if e.with_previous => *prev,
            _ => {
                // Eleven hours of the day shared out, at most three minutes apart.
                let n = per_day.get(&e.day).copied().unwrap_or(1).max(1);
                let spacing = (39_600 / n).clamp(1, 180);
                let offset = k * spacing + int(rng, 0, spacing / 3);
                k += 1;
                let base = e.day.and_time(morning);
                base.checked_add_signed(TimeDelta::seconds(offset))
                    .unwrap_or(base)
            }
        };
        out.push(at);
    }
    out
}

fn prepare(ctx: &Ctx<'_>, w: &Walk) -> Result<Prepared, ServiceError> {
    let mut rng = StdRng::seed_from_u64(w.seed);
    let st = story(&mut rng, ctx, w.received)?;
    let screening = ctx
        .engine
        .screen(&subject_of_report(&st.report), w.received);
    let p = People::choose(&mut rng, ctx, w, st.report.source);
    let lead_clock =
        workflow::entry_clock(State::Lead, Entry::Normal, w.received, ctx.cal, &ctx.ws);
    let mut evs = opening(&st, &screening, &p, w.received, lead_clock.as_ref());
    let m = moves(&mut rng, ctx, w, &st, &p, lead_clock, &mut evs)?;
    follow_ups(&mut rng, ctx, w, &st, &p, &mut evs);
    evs.sort_by_key(|e| (e.day, e.seg, e.rank));
    let ats = instants(&mut rng, &evs);
    // When the case entered its current state: its creation, or the move that set its clock.
    let entered = |seg: Option<usize>| {
        let kind = if seg.is_some() {
            EventKind::Transitioned
        } else {
            EventKind::Created
        };
        evs.iter()
            .zip(&ats)
            .filter(|(e, _)| e.kind == kind)
            .nth(seg.map_or(0, |s| s.saturating_sub(1)))
            .map(|(_, at)| *at)
            .unwrap_or_default()
    };
    let deadline = m
        .clock
        .clone()
        .filter(|_| m.state.is_open())
        .map(|(k, seg)| (k, entered(seg)));
    let decided = entered(Some(w.moves.len()));
    let conditions: Vec<_> = m
        .conditions
        .iter()
        .map(|(k, text, due)| (*k, text.clone(), *due, decided))
        .collect();
    let (created_at, updated_at) = (
        ats.first().copied().unwrap_or_default(),
        ats.last().copied().unwrap_or_default(),
    );
    let outcome = w.moves.last().and_then(|(t, _)| t.outcome);
    let next_due = deadline
        .iter()
        .map(|(k, _)| k.due)
        .chain(conditions.iter().map(|c| c.2))
        .min()
        .unwrap_or(NO_DEADLINE);
    let logged = Now {
        at: created_at,
        today: w.received,
    };
    let mut row = cases::case_row(
        &w.reference,
        &st.report,
        st.report.source,
        p.logged_by.as_deref(),
        w.received,
        &logged,
    );
    row.state = m.state.as_str().to_string();
    row.state_since = m.since;
    row.assignee = p.assignee.clone();
    row.filing_number = m.filing_number;
    (row.updated_at, row.next_due) = (updated_at, next_due);
    row.version = version(&evs);
    row.outcome = outcome.map(|o| o.as_str().to_string());
    row.lead_agency = p.assignee.as_ref().map(|_| st.agency.as_str().to_string());
    let tail = search_tail(&st.report);
    row.search_text = with_reference(&row.reference, &tail);
    row.jurisdiction = Some(screening.jurisdiction.as_str().to_string());
    row.risk_score = Some(i32::from(screening.risk.score));
    row.risk_band = Some(screening.risk.band.as_str().to_string());
    let events = evs
        .into_iter()
        .zip(ats)
        .map(|(e, at)| (at, e.actor, e.kind, e.payload));
    Ok(Prepared {
        year: w.received.year(),
        events: chain(&row.reference, events),
        search_tail: tail,
        parties: cases::party_rows(0, &st.report),
        screening: serde_json::to_string(&screening)
            .map_err(|e| ServiceError::Internal(format!("screening JSON: {e}")))?,
        deadline,
        conditions,
        state_key: match outcome {
            Some(o) => format!("{}:{}", m.state, o),
            None => m.state.to_string(),
        },
        row,
    })
}

/// A case's version: 1 when logged, plus one for each change claimed on it (a decision is
/// recorded with its move, a screening with the report).
fn version(evs: &[Ev]) -> i64 {
    let changes = evs.iter().filter(|e| {
        matches!(
            e.kind,
            EventKind::Transitioned | EventKind::Commented | EventKind::Assigned
        )
    });
    1 + i64::try_from(changes.count()).unwrap_or(0)
}

/// The words the queue searches besides the reference, as `cases::create_report` writes them:
/// title, summary, address and party names.
fn search_tail(r: &NewReport) -> String {
    cases::search_text(
        "",
        &r.title,
        &r.summary,
        &r.property.address,
        r.parties.iter().map(|p| p.name.as_str()),
    )
}

/// The searched words of a case: its reference's, then the rest.
fn with_reference(reference: &str, tail: &str) -> String {
    cases::search_text(reference, tail, "", "", [])
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Prepares batches on worker threads (each case from its own seed) and writes them in order,
/// one transaction per batch.
fn write_all(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    walks: &[Walk],
    progress: &dyn Fn(Stage, usize, usize),
    summary: &mut Summary,
) -> Result<(), ServiceError> {
    let size = (BATCH_EVENTS / ctx.events.max(1)).clamp(1, BATCH);
    let batches: Vec<&[Walk]> = walks.chunks(size).collect();
    // The writer is the bottleneck: one preparing thread per core is enough to keep it busy.
    let workers = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .clamp(1, 4)
        .min(batches.len().max(1));
    progress(Stage::Cases, 0, walks.len());
    std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(workers);
        for w in 0..workers {
            let (tx, rx) = mpsc::sync_channel::<Result<Vec<Prepared>, ServiceError>>(1);
            receivers.push(rx);
            let mine: Vec<&[Walk]> = batches.iter().skip(w).step_by(workers).copied().collect();
            scope.spawn(move || {
                for batch in mine {
                    let prepared = batch.iter().map(|walk| prepare(ctx, walk)).collect();
                    // The writer has stopped (it failed): stop too.
                    if tx.send(prepared).is_err() {
                        return;
                    }
                }
            });
        }
        let mut done = 0;
        for b in 0..batches.len() {
            let rx = receivers
                .get(b % workers)
                .ok_or_else(|| ServiceError::Internal("no worker for a batch".into()))?;
            let batch = rx
                .recv()
                .map_err(|_| ServiceError::Internal("a worker stopped early".into()))??;
            done += batch.len();
            db::write::<_, ServiceError, _>(conn, |conn| write_batch(conn, batch, summary))?;
            progress(Stage::Cases, done, walks.len());
        }
        Ok(())
    })
}

/// Writes one batch of cases, a few hundred rows per statement. Each case takes its reference
/// from the counter as real cases do (the numbers of a batch are taken at once, in the batch's
/// order); when that is not the one it was prepared under (someone logged a case meanwhile),
/// its history is chained again under the reference it got.
fn write_batch(
    conn: &mut DbConn,
    batch: Vec<Prepared>,
    summary: &mut Summary,
) -> Result<(), ServiceError> {
    // The references: per year, as many numbers as the batch has cases of that year.
    let mut per_year: BTreeMap<i32, i64> = BTreeMap::new();
    for p in &batch {
        *per_year.entry(p.year).or_default() += 1;
    }
    let mut next: BTreeMap<i32, i64> = BTreeMap::new();
    for (year, n) in per_year {
        let first = db::cases::take_counter(conn, &format!("reference-{year}"), n)?;
        next.insert(year, first);
    }
    let mut rows = Vec::with_capacity(batch.len());
    let mut rest = Vec::with_capacity(batch.len());
    for p in batch {
        let n = next
            .get_mut(&p.year)
            .ok_or_else(|| ServiceError::Internal("no reference number for a year".into()))?;
        let reference = format!("CFN-{}-{:05}", p.year, *n);
        *n += 1;
        let mut row = p.row;
        let mut events = p.events;
        if row.reference != reference {
            row.search_text = with_reference(&reference, &p.search_tail);
            row.reference = reference;
            events = rechain(&row.reference, events)?;
        }
        rows.push(row);
        rest.push(Written {
            parties: p.parties,
            screening: p.screening,
            deadline: p.deadline,
            conditions: p.conditions,
            events,
            state_key: p.state_key,
        });
    }
    let ids = db::bulk::insert_cases(conn, &rows)?;
    // The answer and band went in with the case rows; the documents go to their own table.
    let screenings: Vec<_> = ids
        .iter()
        .zip(&rest)
        .map(|(id, w)| (*id, w.screening.as_str()))
        .collect();
    db::bulk::insert_screenings(conn, &screenings)?;
    drop(screenings);
    let mut parties = Vec::new();
    let mut events = Vec::new();
    for (&id, w) in ids.iter().zip(rest.iter_mut()) {
        parties.extend(std::mem::take(&mut w.parties).into_iter().map(|mut p| {
            p.case_id = id;
            p
        }));
        events.extend(std::mem::take(&mut w.events).into_iter().map(|mut e| {
            e.case_id = id;
            e
        }));
    }
    let mut deadlines = Vec::new();
    let mut conditions = Vec::new();
    for (&id, w) in ids.iter().zip(&rest) {
        if let Some((k, at)) = &w.deadline {
            deadlines.push(db::bulk::NewDeadline::of(id, k, *at));
        }
        for (kind, text, due, at) in &w.conditions {
            conditions.push(db::bulk::NewCondition {
                case_id: id,
                kind,
                text,
                due: Some(*due),
                created_at: *at,
            });
        }
    }
    db::bulk::insert_parties(conn, &parties)?;
    db::bulk::insert_deadlines(conn, &deadlines)?;
    db::bulk::insert_conditions(conn, &conditions)?;
    db::bulk::insert_events(conn, &events)?;

    summary.cases += u64::try_from(rows.len()).unwrap_or(0);
    summary.parties += u64::try_from(parties.len()).unwrap_or(0);
    summary.deadlines += u64::try_from(deadlines.len()).unwrap_or(0);
    summary.conditions += u64::try_from(conditions.len()).unwrap_or(0);
    summary.events += u64::try_from(events.len()).unwrap_or(0);
    for w in rest {
        *summary.by_state.entry(w.state_key).or_default() += 1;
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let last = last.reference.clone();
        match &mut summary.references {
            Some((_, l)) => *l = last,
            None => summary.references = Some((first.reference.clone(), last)),
        }
    }
    Ok(())
}

/// What a prepared case writes besides its row.
struct Written {
    parties: Vec<NewPartyRow>,
    screening: String,
    deadline: Option<(NewDeadline, NaiveDateTime)>,
    conditions: Vec<(&'static str, String, NaiveDate, NaiveDateTime)>,
    events: Vec<NewEventRow>,
    state_key: String,
}

/// The same events chained under another reference.
fn rechain(reference: &str, rows: Vec<NewEventRow>) -> Result<Vec<NewEventRow>, ServiceError> {
    let events = rows
        .into_iter()
        .map(|r| {
            let kind = EventKind::parse(&r.kind)
                .ok_or_else(|| ServiceError::Internal(format!("event kind {}", r.kind)))?;
            let payload = serde_json::from_str(&r.payload)
                .map_err(|e| ServiceError::Internal(format!("event payload: {e}")))?;
            Ok((r.at, r.actor, kind, payload))
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(chain(reference, events))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::domain::history::ChainedEvent;
    use crate::service::history::stamp;

    #[test]
    fn every_generated_move_is_in_the_transition_table() {
        for from in State::ALL {
            for ((to, outcome), _) in next_moves(*from) {
                assert!(
                    TRANSITIONS
                        .iter()
                        .any(|t| t.from == *from && t.to == *to && t.outcome == *outcome),
                    "{from} -> {to} {outcome:?}"
                );
            }
        }
    }

    fn verdict(
        reference: &str,
        rows: &[NewEventRow],
    ) -> Result<String, crate::domain::history::Broken> {
        let events: Vec<ChainedEvent> = rows
            .iter()
            .map(|r| ChainedEvent {
                body: crate::domain::history::EventBody {
                    case: reference.to_string(),
                    seq: r.seq,
                    at: stamp(r.at),
                    actor: r.actor.clone(),
                    kind: r.kind.clone(),
                    payload: serde_json::from_str(&r.payload).unwrap(),
                    prev_hash: r.prev_hash.clone(),
                },
                hash: r.hash.clone(),
            })
            .collect();
        crate::domain::history::verify(reference, &events)
    }

    #[test]
    fn a_history_chained_again_under_another_reference_verifies_there() {
        let at = NaiveDate::from_ymd_opt(2026, 3, 2)
            .unwrap()
            .and_hms_opt(13, 0, 0)
            .unwrap();
        let events = vec![
            (
                at,
                "r".to_string(),
                EventKind::Created,
                json!({"lat": 41.13071, "acreage": 12.5}),
            ),
            (
                at,
                "r".to_string(),
                EventKind::Screened,
                json!({"risk": {"score": 36}}),
            ),
            (
                at,
                "c".to_string(),
                EventKind::Commented,
                json!({"body": "Noted."}),
            ),
        ];
        let rows = chain("CFN-2026-00004", events);
        assert!(verdict("CFN-2026-00004", &rows).is_ok());
        let moved = rechain("CFN-2026-00009", rows).unwrap();
        assert!(verdict("CFN-2026-00009", &moved).is_ok());
        assert!(verdict("CFN-2026-00004", &moved).is_err());
    }

    #[test]
    fn walks_stay_in_the_past_and_within_their_budget() {
        let cal = Calendar::default();
        let yesterday = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let mut rng = StdRng::seed_from_u64(3);
        for budget in [0, 1, 4, 30] {
            for _ in 0..500 {
                let w = walk(&mut rng, budget, &cal, yesterday);
                assert!(w.moves.len() <= budget);
                assert!(w.received <= yesterday);
                let mut day = w.received;
                for (_, d) in &w.moves {
                    assert!(*d >= day && *d <= yesterday && cal.is_business_day(*d));
                    day = *d;
                }
            }
        }
    }
}
