//! Related cases (PRODUCT.md 6; issue 10): the other cases that share a party with a case, or
//! whose property lies within [`NEARBY_MILES`] of its property. Pure: the database finds the
//! candidates through two indexes (parties by [`name_key`], cases by latitude and longitude
//! inside [`bounding_box`]); this module says what the keys are, which box to search, which
//! candidates count, why, and in what order they are shown.
//!
//! **Shared party.** Two parties are the same when their names are equal after the watchlist
//! normalisation ([`names::normalize`]: case, accents, punctuation and legal forms such as Ltd,
//! LLC, Inc set aside), so `MINEONE PARTNERS, LTD.` is `MineOne Partners Ltd`. Exact equality of
//! the normal forms, not the fuzzy score: a fuzzy match is a question for a reviewer (that is
//! what watchlist hits are), and "these two cases share a buyer" must not rest on a guess. A
//! name that names no one ([`identifies`]: empty, or a placeholder such as `PRC nationals
//! (undisclosed)`) links nothing, or every case with undisclosed owners would be related.
//!
//! **Confirmed alias.** A reviewer who confirms a watchlist hit says "this party is that list
//! entry". The entry's other names and aliases are then names of the same party, so a case whose
//! party carries one of them is related ([`alias_keys`]). It works both ways: a case whose party
//! carries a name of an entry that a reviewer confirmed on *another* case is related to that case
//! ([`confirmed_elsewhere`]). Only each hit's latest decision counts, and a dismissal on either
//! side breaks the link: it says the party is not that entry.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::screening::geometry::{haversine_mi, EARTH_RADIUS_MI};
use super::screening::names;

/// A property within this many miles of the case's property is related.
pub const NEARBY_MILES: f64 = 10.0;

/// At most this many nearby cases are listed, the nearest first.
pub const MAX_NEARBY: usize = 20;

/// The box query returns at most this many candidates, the nearest first by a flat
/// approximation; the exact great-circle distance then picks the [`MAX_NEARBY`] nearest. Four
/// times as many leaves room for the approximation's tiny error at the edge.
pub const NEARBY_CANDIDATES: usize = 4 * MAX_NEARBY;

/// At most this many cases sharing a party are listed (the most recently logged, per name).
pub const MAX_SHARED: usize = 50;

/// Words that make a name a placeholder for people not named (see [`identifies`]).
pub const PLACEHOLDER_WORDS: &[&str] = &[
    "anonymous",
    "citizens",
    "nationals",
    "redacted",
    "undisclosed",
    "unidentified",
    "unknown",
    "unnamed",
    "withheld",
];

/// The key a party name is stored and matched under: its watchlist normal form.
pub fn name_key(name: &str) -> String {
    names::normalize(name)
}

/// Whether a name key names someone: not empty and not a placeholder (`PRC nationals
/// (undisclosed)`, `Unknown buyer`), which would relate every case that uses it.
pub fn identifies(key: &str) -> bool {
    let mut words = names::tokens(key).peekable();
    words.peek().is_some() && !names::tokens(key).any(|w| PLACEHOLDER_WORDS.contains(&w))
}

/// The area that holds every point within some miles of a centre: a latitude band and one or
/// two longitude ranges (two when it crosses the 180th meridian).
#[derive(Clone, Debug, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    /// Inclusive ranges, each within -180..=180.
    pub lon: Vec<(f64, f64)>,
}

/// A hair more than the exact bounds, so that rounding never drops a point on the edge.
const EDGE: f64 = 1e-9;

/// The smallest latitude/longitude box holding every point within `miles` of (`lat`, `lon`) on
/// the sphere of [`haversine_mi`]. The latitude half-width is `miles / R` radians; the longitude
/// half-width at the widest point is `asin(sin(miles / R) / cos(lat))`, or every longitude when
/// the circle reaches a pole.
pub fn bounding_box(lat: f64, lon: f64, miles: f64) -> BoundingBox {
    let angle = (miles.max(0.0) / EARTH_RADIUS_MI).min(std::f64::consts::PI);
    let dlat = angle.to_degrees() + EDGE;
    let (min_lat, max_lat) = ((lat - dlat).max(-90.0), (lat + dlat).min(90.0));
    let ratio = angle.sin() / lat.to_radians().cos();
    let reaches_pole = min_lat <= -90.0 || max_lat >= 90.0 || ratio.is_nan() || ratio >= 1.0;
    if reaches_pole {
        return BoundingBox {
            min_lat,
            max_lat,
            lon: vec![(-180.0, 180.0)],
        };
    }
    let dlon = ratio.asin().to_degrees() + EDGE;
    let (west, east) = (lon - dlon, lon + dlon);
    let lon = if west < -180.0 {
        vec![(west + 360.0, 180.0), (-180.0, east)]
    } else if east > 180.0 {
        vec![(west, 180.0), (-180.0, east - 360.0)]
    } else {
        vec![(west, east)]
    };
    BoundingBox {
        min_lat,
        max_lat,
        lon,
    }
}

/// Miles to one decimal, as the page and the API give a distance.
pub fn tenths(miles: f64) -> f64 {
    (miles * 10.0).round() / 10.0
}

/// The cases among `candidates` (id, lat, lon) whose property lies within [`NEARBY_MILES`] of
/// (`lat`, `lon`) by great-circle distance, nearest first (then by id), at most [`MAX_NEARBY`],
/// `own` left out. Each comes with its distance in miles.
pub fn nearest(
    lat: f64,
    lon: f64,
    own: i64,
    candidates: impl IntoIterator<Item = (i64, f64, f64)>,
) -> Vec<(i64, f64)> {
    let mut near: Vec<(i64, f64)> = candidates
        .into_iter()
        .filter(|(id, _, _)| *id != own)
        .map(|(id, la, lo)| (id, haversine_mi(lat, lon, la, lo)))
        .filter(|(_, d)| d.is_finite() && *d <= NEARBY_MILES)
        .collect();
    near.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    near.dedup_by_key(|(id, _)| *id);
    near.truncate(MAX_NEARBY);
    near
}

/// A reviewer's decision on a watchlist hit: the party's name, the entry, and whether it was
/// confirmed (else dismissed). Given oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub case_id: i64,
    pub party: String,
    pub entry_id: i64,
    pub confirmed: bool,
}

/// The latest decision on each (case, party, entry), as `(case, party, entry) → confirmed`.
pub fn latest(decisions: &[Decision]) -> BTreeMap<(i64, String, i64), bool> {
    decisions
        .iter()
        .map(|d| ((d.case_id, d.party.clone(), d.entry_id), d.confirmed))
        .collect()
}

/// A watchlist entry by its names, normalised (its name first, then its aliases).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryNames {
    pub id: i64,
    /// The entry's name as listed.
    pub name: String,
    /// The [`name_key`]s of its name and aliases.
    pub keys: Vec<String>,
}

impl EntryNames {
    /// An entry from its listed name and aliases.
    pub fn new<'a>(id: i64, name: &'a str, aliases: impl IntoIterator<Item = &'a str>) -> Self {
        let mut keys: Vec<String> = Vec::new();
        for n in std::iter::once(name).chain(aliases) {
            let k = name_key(n);
            if identifies(&k) && !keys.contains(&k) {
                keys.push(k);
            }
        }
        EntryNames {
            id,
            name: name.to_string(),
            keys,
        }
    }
}

/// Another name this case's parties go by: its key and the entry that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasKey {
    pub key: String,
    /// The entry (its listed name) a reviewer confirmed the party to be.
    pub entry: String,
    pub entry_id: i64,
}

/// The names this case's parties also go by: every name of each entry a reviewer confirmed
/// (latest decision) for one of them, less the names the parties carry already, each once.
/// `own` are the keys of this case's parties; `decisions` this case's, oldest first.
pub fn alias_keys(
    own: &BTreeSet<String>,
    decisions: &[Decision],
    entries: &[EntryNames],
) -> Vec<AliasKey> {
    let confirmed: BTreeSet<i64> = latest(decisions)
        .into_iter()
        .filter(|(_, yes)| *yes)
        .map(|((_, _, entry), _)| entry)
        .collect();
    let mut out: Vec<AliasKey> = Vec::new();
    for e in entries.iter().filter(|e| confirmed.contains(&e.id)) {
        for k in &e.keys {
            if !own.contains(k) && !out.iter().any(|a| &a.key == k) {
                out.push(AliasKey {
                    key: k.clone(),
                    entry: e.name.clone(),
                    entry_id: e.id,
                });
            }
        }
    }
    out
}

/// The entries that this case's parties are named as, exactly: of the entries its screening
/// hit (`hits`: party name, entry id), those with a name or alias equal to the party's key and
/// whose hit this case's reviewers did not dismiss (latest decision).
pub fn named_entries(
    case_id: i64,
    hits: &[(String, i64)],
    decisions: &[Decision],
    entries: &[EntryNames],
) -> Vec<i64> {
    let decided = latest(decisions);
    let mut out: Vec<i64> = Vec::new();
    for (party, entry_id) in hits {
        let key = name_key(party);
        let dismissed = decided.get(&(case_id, party.clone(), *entry_id)) == Some(&false);
        let exact = entries
            .iter()
            .any(|e| e.id == *entry_id && e.keys.contains(&key));
        if exact && !dismissed && !out.contains(entry_id) {
            out.push(*entry_id);
        }
    }
    out
}

/// A party of another case, found to be one of this case's parties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedParty {
    pub case_id: i64,
    /// The party's name as the other case writes it.
    pub party: String,
    /// When the link is a confirmed alias, the watchlist entry (its listed name).
    pub via: Option<String>,
}

/// The other cases a reviewer linked to an entry this case's parties are named as: each case
/// whose latest decision on one of `named` (entries, see [`named_entries`]) is a confirmation.
/// `decisions` are every decision on those entries, oldest first.
pub fn confirmed_elsewhere(
    own: i64,
    named: &[i64],
    decisions: &[Decision],
    entries: &[EntryNames],
) -> Vec<SharedParty> {
    latest(decisions)
        .into_iter()
        .filter(|((case, _, entry), yes)| *yes && *case != own && named.contains(entry))
        .map(|((case_id, party, entry), _)| SharedParty {
            case_id,
            party,
            via: entries
                .iter()
                .find(|e| e.id == entry)
                .map(|e| e.name.clone()),
        })
        .collect()
}

/// Whether the other case's reviewers dismissed, as the latest decision, the hit of its party
/// `party` on `entry`: then that party is not the entry, and an alias of it links nothing.
pub fn dismissed_there(decisions: &[Decision], case_id: i64, party: &str, entry_id: i64) -> bool {
    latest(decisions).get(&(case_id, party.to_string(), entry_id)) == Some(&false)
}

/// Why a case is related: the party it shares, its distance when within [`NEARBY_MILES`], or
/// both.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub case_id: i64,
    pub shared: Option<SharedParty>,
    /// Miles, when the property lies within [`NEARBY_MILES`].
    pub distance_mi: Option<f64>,
}

/// The related cases in the order shown: those sharing a party first (a direct name before a
/// confirmed alias, then nearest first by `distance_of`, then by id), then those only nearby,
/// nearest first. `shared` may name a case more than once (the first one found is kept: put
/// direct names before aliases); `near` is [`nearest`]'s answer. Returns at most
/// [`MAX_SHARED`] sharing a party (and whether more were left out) plus the nearby ones.
pub fn arrange(
    own: i64,
    shared: Vec<SharedParty>,
    near: &[(i64, f64)],
    distance_of: &HashMap<i64, f64>,
) -> (Vec<Reason>, bool) {
    let miles: HashMap<i64, f64> = near.iter().copied().collect();
    let mut seen: BTreeSet<i64> = BTreeSet::new();
    let mut by_party: Vec<SharedParty> = Vec::new();
    for s in shared {
        if s.case_id != own && seen.insert(s.case_id) {
            by_party.push(s);
        }
    }
    let far = f64::INFINITY;
    by_party.sort_by(|a, b| {
        let da = distance_of.get(&a.case_id).copied().unwrap_or(far);
        let db = distance_of.get(&b.case_id).copied().unwrap_or(far);
        a.via
            .is_some()
            .cmp(&b.via.is_some())
            .then(da.total_cmp(&db))
            .then(a.case_id.cmp(&b.case_id))
    });
    let more = by_party.len() > MAX_SHARED;
    by_party.truncate(MAX_SHARED);
    let listed: BTreeSet<i64> = by_party.iter().map(|s| s.case_id).collect();
    let mut out: Vec<Reason> = by_party
        .into_iter()
        .map(|s| Reason {
            case_id: s.case_id,
            distance_mi: miles.get(&s.case_id).copied(),
            shared: Some(s),
        })
        .collect();
    out.extend(
        near.iter()
            .filter(|(id, _)| *id != own && !listed.contains(id))
            .map(|(id, d)| Reason {
                case_id: *id,
                shared: None,
                distance_mi: Some(*d),
            }),
    );
    (out, more)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// A point `miles` due north of another (one degree of latitude is R·π/180 miles).
    fn north(lat: f64, miles: f64) -> f64 {
        lat + (miles / EARTH_RADIUS_MI).to_degrees()
    }

    /// A point `miles` due east along the parallel, approximately (small distances).
    fn east(lat: f64, lon: f64, miles: f64) -> f64 {
        lon + (miles / (EARTH_RADIUS_MI * lat.to_radians().cos())).to_degrees()
    }

    #[test]
    fn names_match_after_the_watchlist_normalisation() {
        assert_eq!(name_key("MINEONE PARTNERS, LTD."), "mineone partners");
        assert_eq!(name_key("MineOne Partners Ltd"), "mineone partners");
        assert_eq!(name_key("Bit Origin Ltd"), name_key("BIT ORIGIN LIMITED"));
        assert_eq!(
            name_key("Société Générale S.A."),
            name_key("Societe Generale")
        );
        assert_eq!(name_key("Smith & Co."), name_key("smith"));
        // Different words stay different; word order counts.
        assert_ne!(
            name_key("MineOne Partners Ltd"),
            name_key("MineOne Data Center LLC")
        );
        assert_ne!(name_key("Zhang Wei"), name_key("Wei Zhang"));
    }

    #[test]
    fn placeholders_and_empty_names_identify_no_one() {
        for name in [
            "PRC nationals (undisclosed)",
            "Russian nationals (undisclosed)",
            "Unknown seller",
            "",
            " -- ",
        ] {
            assert!(!identifies(&name_key(name)), "{name:?}");
        }
        for name in [
            "MineOne Partners Ltd",
            "Bit Origin Ltd",
            "A. Sokolov (private individual)",
            "Ltd",
        ] {
            assert!(identifies(&name_key(name)), "{name:?}");
        }
    }

    #[test]
    fn the_box_holds_the_circle_and_little_more() {
        let (lat, lon) = (41.17, -104.85);
        let b = bounding_box(lat, lon, 10.0);
        // 10 miles of latitude: 0.1447 degrees.
        assert!((b.max_lat - lat - 0.14473).abs() < 1e-4, "{b:?}");
        assert!((lat - b.min_lat - 0.14473).abs() < 1e-4, "{b:?}");
        // Wider in longitude by 1 / cos(41.17°) = 1.329.
        let [(w, e)] = b.lon[..] else {
            panic!("one range: {b:?}")
        };
        assert!((e - lon - 0.19236).abs() < 1e-4, "{b:?}");
        assert!((lon - w - 0.19236).abs() < 1e-4, "{b:?}");
        // Points on the circle fall inside, points just beyond it outside.
        for bearing in 0..72 {
            let t = f64::from(bearing * 5).to_radians();
            let (la, lo) = (north(lat, 9.999 * t.cos()), east(lat, lon, 9.999 * t.sin()));
            assert!(la >= b.min_lat && la <= b.max_lat && lo >= w && lo <= e);
        }
        assert!(north(lat, 10.01) > b.max_lat);
        assert!(east(lat, lon, 10.02) > e);
    }

    #[test]
    fn the_box_wraps_at_the_antimeridian_and_opens_at_the_poles() {
        // Adak, Alaska sits near 176.6° W; Attu at 173.2° E.
        let b = bounding_box(51.88, 179.95, 10.0);
        assert_eq!(b.lon.len(), 2, "{b:?}");
        assert_eq!(b.lon[0].1, 180.0);
        assert_eq!(b.lon[1].0, -180.0);
        assert!(b.lon[1].1 > -180.0 && b.lon[1].1 < -179.5, "{b:?}");
        let b = bounding_box(51.88, -179.95, 10.0);
        assert_eq!(b.lon.len(), 2, "{b:?}");
        assert!(b.lon[0].0 > 179.5 && b.lon[0].1 == 180.0, "{b:?}");
        let b = bounding_box(89.99, 0.0, 10.0);
        assert_eq!(b.lon, [(-180.0, 180.0)]);
        assert_eq!(b.max_lat, 90.0);
    }

    #[test]
    fn nearest_keeps_ten_miles_exactly_the_nearest_first_and_never_the_case_itself() {
        let (lat, lon) = (41.17, -104.85);
        let cands = vec![
            (1, lat, lon),                 // the case itself
            (2, north(lat, 8.0), lon),     // 8 miles north
            (3, north(lat, 12.0), lon),    // 12 miles: too far
            (4, lat, east(lat, lon, 3.0)), // 3 miles east
            (5, north(lat, 9.999), lon),   // just inside
            (6, north(lat, 10.001), lon),  // just outside
            (7, lat, lon),                 // same spot, another case
        ];
        let near = nearest(lat, lon, 1, cands);
        let ids: Vec<i64> = near.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [7, 4, 2, 5]);
        assert_eq!(tenths(near[2].1), 8.0);
        assert_eq!(tenths(near[1].1), 3.0);
        assert_eq!(near[0].1, 0.0);
        // At most MAX_NEARBY, the nearest kept.
        let many = (10..60).map(|i| (i, north(lat, i as f64 / 10.0), lon));
        let near = nearest(lat, lon, 1, many);
        assert_eq!(near.len(), MAX_NEARBY);
        assert_eq!(near.first().map(|n| n.0), Some(10));
        assert_eq!(near.last().map(|n| n.0), Some(29));
    }

    #[test]
    fn distances_read_to_one_decimal() {
        assert_eq!(tenths(7.96), 8.0);
        assert_eq!(tenths(8.04), 8.0);
        assert_eq!(tenths(0.05), 0.1);
        assert_eq!(tenths(9.949), 9.9);
    }

    fn decision(case_id: i64, party: &str, entry_id: i64, confirmed: bool) -> Decision {
        Decision {
            case_id,
            party: party.into(),
            entry_id,
            confirmed,
        }
    }

    fn entries() -> Vec<EntryNames> {
        vec![
            EntryNames::new(
                7,
                "Bit Origin Limited",
                ["China Commercial Pork Holdings", "BTOG"],
            ),
            EntryNames::new(8, "Other Listed Co.", ["Other Alias"]),
        ]
    }

    #[test]
    fn a_confirmed_hit_adds_the_entry_s_other_names_and_a_later_dismissal_takes_them_back() {
        let own: BTreeSet<String> = [name_key("Bit Origin Ltd")].into_iter().collect();
        let confirmed = [decision(1, "Bit Origin Ltd", 7, true)];
        let keys = alias_keys(&own, &confirmed, &entries());
        let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
        // "bit origin" is the party's own name already; the pork holding is now an alias.
        assert_eq!(names, ["china commercial pork", "btog"]);
        assert!(keys
            .iter()
            .all(|k| k.entry == "Bit Origin Limited" && k.entry_id == 7));
        // Dismissed after being confirmed: no alias.
        let undone = [
            decision(1, "Bit Origin Ltd", 7, true),
            decision(1, "Bit Origin Ltd", 7, false),
        ];
        assert!(alias_keys(&own, &undone, &entries()).is_empty());
        // A dismissal alone adds nothing either.
        assert!(
            alias_keys(&own, &[decision(1, "Bit Origin Ltd", 8, false)], &entries()).is_empty()
        );
    }

    #[test]
    fn a_hit_counts_as_a_name_only_when_exact_and_not_dismissed() {
        let hits = vec![
            ("BIT ORIGIN, LTD.".to_string(), 7),
            ("Bit Origen Ltd".to_string(), 7), // fuzzy: not the same name
            ("Other Listed Company".to_string(), 8),
        ];
        assert_eq!(named_entries(1, &hits, &[], &entries()), [7, 8]);
        let dismissed = [decision(1, "Other Listed Company", 8, false)];
        assert_eq!(named_entries(1, &hits, &dismissed, &entries()), [7]);
    }

    #[test]
    fn a_confirmation_on_another_case_links_it_unless_undone() {
        let decisions = [
            decision(2, "China Commercial Pork Holdings Ltd", 7, true),
            decision(3, "Pork Holdings", 7, true),
            decision(3, "Pork Holdings", 7, false),
            decision(4, "Other Alias", 8, true),
            decision(1, "Bit Origin Ltd", 7, true),
        ];
        let linked = confirmed_elsewhere(1, &[7], &decisions, &entries());
        assert_eq!(
            linked,
            [SharedParty {
                case_id: 2,
                party: "China Commercial Pork Holdings Ltd".into(),
                via: Some("Bit Origin Limited".into()),
            }]
        );
        assert!(dismissed_there(&decisions, 3, "Pork Holdings", 7));
        assert!(!dismissed_there(
            &decisions,
            2,
            "China Commercial Pork Holdings Ltd",
            7
        ));
    }

    fn shared(case_id: i64, party: &str, via: Option<&str>) -> SharedParty {
        SharedParty {
            case_id,
            party: party.into(),
            via: via.map(str::to_string),
        }
    }

    #[test]
    fn shared_parties_come_first_then_the_nearby_cases_each_once() {
        let distance: HashMap<i64, f64> = [
            (2, 900.0),
            (3, 5.0),
            (4, 300.0),
            (5, 2.0),
            (6, 7.0),
            (9, 1.0),
        ]
        .into();
        let (list, more) = arrange(
            1,
            vec![
                shared(4, "Bit Origin Ltd", None),
                shared(2, "Bit Origin Ltd", None),
                shared(9, "China Commercial Pork", Some("Bit Origin Limited")),
                shared(3, "MineOne Partners Ltd", None),
                shared(2, "MineOne Partners Ltd", None), // already listed
                shared(1, "Itself", None),               // never the case itself
            ],
            &[(5, 2.0), (3, 5.0), (6, 7.0)],
            &distance,
        );
        assert!(!more);
        let order: Vec<(i64, Option<&str>, Option<f64>)> = list
            .iter()
            .map(|r| {
                (
                    r.case_id,
                    r.shared.as_ref().map(|s| s.party.as_str()),
                    r.distance_mi,
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                (3, Some("MineOne Partners Ltd"), Some(5.0)),
                (4, Some("Bit Origin Ltd"), None),
                (2, Some("Bit Origin Ltd"), None),
                (9, Some("China Commercial Pork"), None),
                (5, None, Some(2.0)),
                (6, None, Some(7.0)),
            ]
        );
    }

    #[test]
    fn at_most_the_cap_of_shared_parties_and_it_says_so() {
        let many: Vec<SharedParty> = (2..(MAX_SHARED as i64 + 5))
            .map(|id| shared(id, "Bit Origin Ltd", None))
            .collect();
        let (list, more) = arrange(1, many, &[], &HashMap::new());
        assert!(more);
        assert_eq!(list.len(), MAX_SHARED);
        let (list, more) = arrange(1, vec![shared(2, "X", None)], &[], &HashMap::new());
        assert!(!more);
        assert_eq!(list.len(), 1);
    }
}
