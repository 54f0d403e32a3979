//! Screening benchmarks: the spatial site index and the watchlist name index against plain scans,
//! and a full screening. Synthetic, deterministic data: 10,000 sites across the continental
//! United States and 50,000 watchlist entries (a quarter with an alias) made from small word
//! tables. Run with
//! `cargo bench --bench screening -- --warm-up-time 1 --measurement-time 3`; the figures are in
//! BENCHMARKS.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};

use cordon::domain::rules::RuleSet;
use cordon::domain::screening::{
    names, screen, watch, NameLookup, Site, SiteKind, SiteLookup, Subject, SubjectParty, WatchEntry,
};
use cordon::index::{NameIndex, ScanNames, ScanSites, SiteIndex};

const SITES: usize = 10_000;
const ENTRIES: usize = 50_000;
const THRESHOLD: f64 = 0.88;

/// Knuth's MMIX linear congruential generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() as f64 / (1u64 << 31) as f64)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() as usize % items.len()]
    }
}

/// Sites between 25–49°N and 124–67°W: half scattered, half around 40 "cities".
fn sites() -> Vec<Site> {
    let mut rng = Lcg(2024);
    let cities: Vec<(f64, f64)> = (0..40)
        .map(|_| (rng.range(26.0, 48.0), rng.range(-122.0, -70.0)))
        .collect();
    (0..SITES)
        .map(|i| {
            let (lat, lon) = if i % 2 == 0 {
                (rng.range(25.0, 49.0), rng.range(-124.0, -67.0))
            } else {
                let (clat, clon) = cities[rng.next() as usize % cities.len()];
                (clat + rng.range(-0.7, 0.7), clon + rng.range(-0.9, 0.9))
            };
            let kind = SiteKind::ALL[i % SiteKind::ALL.len()];
            Site {
                id: i as i64 + 1,
                name: format!("Site {}", i + 1),
                kind,
                part: (kind == SiteKind::Military).then_some(1 + (i % 4) as u8),
                lat,
                lon,
                boundary_radius_mi: rng.range(0.0, 3.0),
                criticality: 1 + (i % 5) as u8,
                state: None,
                listed_from: None,
                listed_until: None,
                counties: if i % 97 == 0 {
                    vec![format!("{:05}", 1000 + i % 3000)]
                } else {
                    Vec::new()
                },
                boundary: None,
            }
        })
        .collect()
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
    let first = w[..1].to_uppercase();
    w.replace_range(..1, &first);
    w
}

/// A made-up company name ("Shenzhen Huaxin Precision Machinery Co., Ltd.").
fn company(rng: &mut Lcg) -> String {
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

/// A made-up person name ("Mohammad Ali Rezaei").
fn person(rng: &mut Lcg) -> String {
    let middle = if rng.next().is_multiple_of(4) {
        format!(" {}", rng.pick(GIVEN))
    } else {
        String::new()
    };
    format!("{}{middle} {}", rng.pick(GIVEN), rng.pick(FAMILY))
}

fn name(rng: &mut Lcg) -> String {
    if rng.next().is_multiple_of(3) {
        person(rng)
    } else {
        company(rng)
    }
}

fn entries() -> Vec<WatchEntry> {
    let mut rng = Lcg(1917);
    (0..ENTRIES)
        .map(|i| WatchEntry {
            id: i as i64 + 1,
            list: ["SDN", "Entity List", "NS-CMIC"][i % 3].into(),
            name: name(&mut rng),
            aliases: if i % 4 == 0 {
                vec![name(&mut rng)]
            } else {
                Vec::new()
            },
            country: Some(["CN", "RU", "IR", "KP"][i % 4].into()),
            program: "BENCH".into(),
            source: "synthetic".into(),
        })
        .collect()
}

/// One letter of the name swapped with the next (a typing slip), in the first two thirds of the
/// name (the part that names the company rather than its legal form).
fn slip(name: &str, rng: &mut Lcg) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let i = 1 + rng.next() as usize % (chars.len() * 2 / 3).saturating_sub(2).max(1);
    if chars[i].is_alphabetic() && chars[i + 1].is_alphabetic() {
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

fn party(key: &str, name: String, country: &str, role: &str, owns: Option<&str>) -> SubjectParty {
    SubjectParty {
        key: key.into(),
        name,
        country: country.into(),
        role: role.into(),
        ownership_pct: Some(100.0),
        owns: owns.map(Into::into),
        government_controlled: false,
        state_owned: false,
    }
}

/// 20 three-party reports: a listed company's name with a typing slip as the acquirer, an
/// unlisted holding company as its parent, and a listed person's name, words reversed, as the
/// ultimate parent.
fn reports(list: &[WatchEntry]) -> Vec<Vec<SubjectParty>> {
    let mut rng = Lcg(31);
    (0..20)
        .map(|_| {
            let listed = |rng: &mut Lcg, person: bool| loop {
                let e = &list[rng.next() as usize % list.len()];
                let is_person = e.name.split(' ').count() <= 3
                    && e.name
                        .split(' ')
                        .all(|w| GIVEN.contains(&w) || FAMILY.contains(&w));
                if is_person == person {
                    break e.name.clone();
                }
            };
            let acquirer = slip(&listed(&mut rng, false), &mut rng);
            let mut owner: Vec<&str> = Vec::new();
            let owner_name = listed(&mut rng, true);
            owner.extend(owner_name.split(' ').rev());
            vec![
                party("p1", acquirer, "US", "acquirer", None),
                party(
                    "p2",
                    "Golden Harbor Capital Holdings Ltd".into(),
                    "VG",
                    "parent",
                    Some("p1"),
                ),
                party("p3", owner.join(" "), "CN", "ultimate_parent", Some("p2")),
            ]
        })
        .collect()
}

/// 100 points across the continental United States.
fn points() -> Vec<(f64, f64)> {
    let mut rng = Lcg(7);
    (0..100)
        .map(|_| (rng.range(30.0, 47.0), rng.range(-120.0, -75.0)))
        .collect()
}

fn subject(lat: f64, lon: f64, parties: Vec<SubjectParty>) -> Subject {
    Subject {
        lat,
        lon,
        county_fips: Some("56021".into()),
        state: Some("WY".into()),
        date: NaiveDate::from_ymd_opt(2025, 3, 1),
        tx_kind: "purchase".into(),
        rights: [true; 4],
        urban_area: false,
        single_housing_unit: false,
        in_port: false,
        commercial_office: false,
        intended_use: "Data center".into(),
        power_mw: Some(60.0),
        acreage: Some(40.0),
        parties,
    }
}

fn sites_bench(c: &mut Criterion) {
    let all = sites();
    let index = SiteIndex::new(all.clone());
    let scan = ScanSites(all.clone());
    let pts = points();
    let mut group = c.benchmark_group("sites: within 100 mi + nearest 5");
    let lookups: [(&str, &dyn SiteLookup); 2] = [("SiteIndex", &index), ("ScanSites", &scan)];
    for (label, lookup) in lookups {
        let mut i = 0;
        group.bench_function(label, |b| {
            b.iter(|| {
                let (lat, lon) = pts[i % pts.len()];
                i += 1;
                let near = lookup.within(lat, lon, 100.0);
                let nearest = lookup.nearest(lat, lon, 5);
                black_box((near.len(), nearest.len()))
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("SiteIndex 10k", |b| {
        b.iter(|| SiteIndex::new(black_box(all.clone())))
    });
    group.finish();
}

fn names_bench(c: &mut Criterion) {
    let list = entries();
    let index = NameIndex::new(list.clone());
    let scan = ScanNames(list.clone());
    let reports = reports(&list);
    // The reports find what they should.
    let (mut hits_total, mut candidates_total) = (0, 0);
    for r in &reports {
        let hits = watch::match_parties(r, &index, THRESHOLD);
        assert!(hits.iter().any(|h| h.party_key == "p1"), "{r:?}");
        assert!(hits.iter().any(|h| h.party_key == "p3"), "{r:?}");
        hits_total += hits.len();
        candidates_total += r
            .iter()
            .map(|p| index.candidates(&names::normalize(&p.name)).len())
            .sum::<usize>();
    }
    eprintln!(
        "{} entries ({} names with aliases), {} terms; per report: {:.1} candidates, {:.1} hits",
        index.len(),
        list.iter().map(|e| 1 + e.aliases.len()).sum::<usize>(),
        index.term_count(),
        candidates_total as f64 / reports.len() as f64,
        hits_total as f64 / reports.len() as f64,
    );
    let mut group = c.benchmark_group("names: 3-party report, candidates + scoring");
    group.bench_function("NameIndex", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(watch::match_parties(
                &reports[i % reports.len()],
                &index,
                THRESHOLD,
            ))
        })
    });
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("ScanNames", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(watch::match_parties(
                &reports[i % reports.len()],
                &scan,
                THRESHOLD,
            ))
        })
    });
    group.finish();
    let mut group = c.benchmark_group("names: candidates only, one name");
    let queries: Vec<String> = reports
        .iter()
        .flat_map(|r| {
            r.iter()
                .map(|p| cordon::domain::screening::names::normalize(&p.name))
        })
        .collect();
    group.bench_function("NameIndex", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(index.candidates(&queries[i % queries.len()]).len())
        })
    });
    group.finish();
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("NameIndex 50k", |b| {
        b.iter(|| NameIndex::new(black_box(list.clone())))
    });
    group.finish();
}

fn screen_bench(c: &mut Criterion) {
    let rules = RuleSet::builtin().unwrap();
    let sites = SiteIndex::new(sites());
    let list = entries();
    let names = NameIndex::new(list.clone());
    let reports = reports(&list);
    let pts = points();
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let subjects: Vec<Subject> = (0..pts.len())
        .map(|i| subject(pts[i].0, pts[i].1, reports[i % reports.len()].clone()))
        .collect();
    let mut group = c.benchmark_group("screen: full screening, 3 parties");
    group.bench_function("SiteIndex + NameIndex", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(screen(
                &subjects[i % subjects.len()],
                &rules,
                &sites,
                &names,
                today,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, sites_bench, names_bench, screen_bench);
criterion_main!(benches);
