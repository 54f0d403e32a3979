//! Deterministic test data for the index tests: a small linear congruential generator, sites
//! scattered over the continental United States and made-up watchlist names.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::domain::screening::{Site, SiteKind, WatchEntry};

/// Knuth's MMIX linear congruential generator.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next 31 high bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() as f64 / (1u64 << 31) as f64)
    }

    /// One of the items.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
}

/// `n` sites with ids 1..=n between 24–50°N and 125–66°W; a few share a place.
pub fn sites(n: usize, seed: u64) -> Vec<Site> {
    let mut rng = Lcg(seed);
    let mut out: Vec<Site> = Vec::with_capacity(n);
    for i in 0..n {
        let (lat, lon) = if i % 50 == 49 {
            (out[i - 1].lat, out[i - 1].lon)
        } else {
            (rng.range(24.0, 50.0), rng.range(-125.0, -66.0))
        };
        out.push(Site {
            id: i as i64 + 1,
            name: format!("Site {}", i + 1),
            kind: SiteKind::ALL[i % SiteKind::ALL.len()],
            part: None,
            lat,
            lon,
            boundary_radius_mi: 0.0,
            criticality: 3,
            state: None,
            listed_from: None,
            listed_until: None,
            counties: Vec::new(),
            boundary: None,
        });
    }
    out
}

const SYLLABLES: &[&str] = &[
    "hua", "xin", "zhen", "long", "tai", "kang", "rosa", "volga", "neft", "tek", "mar", "sun",
    "tian", "bao", "kar", "boro", "ira", "pars", "zar", "ming", "jin", "sha", "tor", "vik", "gaz",
    "sib", "ural", "dong", "fang", "yuan", "hong", "sino", "avia", "kom", "tech", "nor",
];
const PLACES: &[&str] = &[
    "Shenzhen",
    "Shanghai",
    "Beijing",
    "Guangzhou",
    "Hangzhou",
    "Tianjin",
    "Wuhan",
    "Chongqing",
    "Moscow",
    "Tehran",
    "Pyongyang",
    "Minsk",
    "Dubai",
    "Hong Kong",
    "Novosibirsk",
    "Isfahan",
    "Caracas",
    "Havana",
    "Xian",
    "Dalian",
    "Samara",
    "Tabriz",
    "Kazan",
    "Harbin",
];
const WORDS: &[&str] = &[
    "Technology",
    "Trading",
    "Electronics",
    "Shipping",
    "Industrial",
    "Energy",
    "Precision",
    "Machinery",
    "Aerospace",
    "Logistics",
    "Import",
    "Export",
    "Petroleum",
    "Materials",
    "Chemical",
    "Engineering",
    "Investment",
    "Development",
    "Mining",
    "Metals",
    "Steel",
    "Semiconductor",
    "Optical",
    "Telecom",
    "Software",
    "Defense",
    "Marine",
    "Aviation",
    "Nuclear",
    "Instruments",
    "Equipment",
    "Construction",
    "Pharmaceutical",
    "Biotech",
    "Minerals",
    "Resources",
    "Petrochemical",
    "Automation",
    "Systems",
    "Research",
];
const SUFFIXES: &[&str] = &[
    "Co., Ltd.",
    "LLC",
    "Limited",
    "JSC",
    "",
    "",
    "Corp.",
    "GmbH",
    "Company",
    "PJSC",
    "FZE",
];
const GIVEN: &[&str] = &[
    "Wei", "Min", "Ali", "Reza", "Ivan", "Olga", "Hassan", "Jun", "Sergei", "Fatima", "Li",
    "Mohammad", "Hossein", "Dmitry", "Yulia", "Kwang", "Chol", "Xiaoming", "Javad", "Alexei",
    "Nikolai", "Mehdi", "Song", "Yong", "Maryam", "Anatoly", "Viktor", "Hui", "Jian", "Omar",
];
const FAMILY: &[&str] = &[
    "Zhang",
    "Wang",
    "Petrov",
    "Ivanova",
    "Hosseini",
    "Karimi",
    "Kim",
    "Chen",
    "Sokolov",
    "Liu",
    "Rezaei",
    "Mousavi",
    "Pak",
    "Ri",
    "Volkov",
    "Kuznetsov",
    "Huang",
    "Zhao",
    "Ahmadi",
    "Jafari",
    "Morozov",
    "Novikov",
    "Choe",
    "Yang",
    "Tehrani",
    "Lebedev",
    "Xu",
    "Sun",
    "Ma",
    "Guo",
];

/// A made-up distinctive word of two or three syllables, capitalised.
fn coined(rng: &mut Lcg) -> String {
    let mut w: String = (0..2 + rng.next() % 2)
        .map(|_| rng.pick(SYLLABLES))
        .collect();
    if let Some(first) = w.get(..1).map(str::to_uppercase) {
        w.replace_range(..1, &first);
    }
    w
}

/// A made-up company or person name.
pub fn name(rng: &mut Lcg) -> String {
    if rng.next().is_multiple_of(3) {
        let middle = if rng.next().is_multiple_of(4) {
            format!(" {}", rng.pick(GIVEN))
        } else {
            String::new()
        };
        format!("{}{middle} {}", rng.pick(GIVEN), rng.pick(FAMILY))
    } else {
        let mut parts: Vec<String> = Vec::new();
        if rng.next() % 5 < 2 {
            parts.push(rng.pick(PLACES).to_string());
        }
        parts.push(coined(rng));
        for _ in 0..1 + rng.next() % 2 {
            parts.push(rng.pick(WORDS).to_string());
        }
        parts.push(rng.pick(SUFFIXES).to_string());
        parts.join(" ").trim().to_string()
    }
}

/// `n` entries with ids 1..=n; every fourth has an alias.
pub fn entries(n: usize, seed: u64) -> Vec<WatchEntry> {
    let mut rng = Lcg(seed);
    (0..n)
        .map(|i| {
            let aliases = if i % 4 == 0 {
                vec![name(&mut rng)]
            } else {
                Vec::new()
            };
            WatchEntry {
                id: i as i64 + 1,
                list: "SDN".into(),
                name: name(&mut rng),
                aliases,
                country: None,
                program: "TEST".into(),
                source: "test".into(),
            }
        })
        .collect()
}

/// The name with one letter changed, dropped, doubled or swapped with the next, at a place
/// chosen by `rng`.
pub fn misspell(name: &str, rng: &mut Lcg) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let letters: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return name.to_string();
    }
    let i = letters[rng.next() as usize % letters.len()];
    match rng.next() % 4 {
        0 => chars[i] = if chars[i] == 'q' { 'x' } else { 'q' },
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i]),
        _ => {
            if i + 1 < chars.len() && chars[i + 1].is_alphabetic() && chars[i + 1] != chars[i] {
                chars.swap(i, i + 1);
            } else {
                chars[i] = if chars[i] == 'q' { 'x' } else { 'q' };
            }
        }
    }
    chars.into_iter().collect()
}
