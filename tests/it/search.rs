//! Queue search against a plain scan: random but seeded cases (accented names, words that begin
//! other words, names and titles made of SQL and full-text syntax), many queries, each read to
//! its end through the API's cursor and compared with the scan in `support::oracle`, alone and
//! with the queue's filters and sorts, on SQLite and PostgreSQL; the same answers on both;
//! edited and new cases found at once; cases made by `bench-data` and the demo found too.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use cordon::domain::Role;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

use crate::support::api::{self, Api};
use crate::support::oracle::{self, CaseModel, Filters};
use crate::support::{each_backend, mineone_json, Client, TestApp};

// ---------------------------------------------------------------------------------------------
// Word tables
// ---------------------------------------------------------------------------------------------

/// Places: accented and plain spellings, letters that do not decompose (Ł, Ø), other scripts,
/// and names that begin other names.
const PLACES: &[&str] = &[
    "Zürich",
    "Zurich",
    "Norfolk",
    "Norfork",
    "Nor",
    "São Paulo",
    "Sao Tome",
    "Łódź",
    "Lodz",
    "Kraków",
    "Montréal",
    "Düsseldorf",
    "Besançon",
    "Cheyenne",
    "Québec",
    "Ørestad",
    "Αθήνα",
    "Москва",
    "Тайга",
    "北京",
    "Hà Nội",
    "Grand Forks",
];

const STREETS: &[&str] = &[
    "Rue de la Paix",
    "Bahnhofstraße",
    "Avenida Paulista",
    "ul. Piotrkowska",
    "Main Street",
    "Chemin des Écoliers",
    "Huaxia Road",
    "Norfolk Avenue",
    "Route 66",
    "Calle 13",
    "Ōmotesandō",
    "Mu\u{308}hlenweg",
];

/// Party names: Hua / Huaxin / Huaxing / Huawei begin one another, and so do Norfolk and its
/// neighbours; accents precomposed and decomposed; punctuation that is not ASCII.
const PARTIES: &[&str] = &[
    "Huaxin Precision Co",
    "Huaxing Holdings",
    "Hua Capital",
    "Huawei Land",
    "Shenzhen Huaxin Trading",
    "Société Générale d'Investissement",
    "Societe Fonciere",
    "Zürich Re Holdings AG",
    "Łódź Logistics sp. z o.o.",
    "São Paulo Energia S.A.",
    "Müller & Söhne GmbH",
    "Mu\u{308}ller Decomposed KG",
    "Mueller Partners",
    "Øresund Partners ApS",
    "Ærø Shipping",
    "Çelik Yapı A.Ş.",
    "Dvořák Strojírny",
    "Nguyễn Trading",
    "北京华信投资",
    "Αθήνα Shipping",
    "Тайга Девелопмент",
    "O’Brien & Sons",
    "Smith—Jones LLC",
    "«Sever» Holdings",
    "Norfolk Southern Land",
    "Norfolk Island Trust",
    "NorthStar Mining",
    "Nor Cal Farms",
    "3M Realty",
    "A1B2 Ventures",
    "１２３ Fullwidth KK",
];

/// Names, titles and queries made of wildcards and SQL or full-text syntax.
const HOSTILE: &[&str] = &[
    "%",
    "_",
    "*",
    "\"",
    "'",
    "%%",
    "_%_",
    "50% Partners",
    "100%_Owned_Ltd",
    "Star*Corp",
    "\"Quoted\" Holdings",
    "O'Reilly Ventures",
    "OR",
    "AND",
    "NOT",
    "Huaxin OR Norfolk",
    "huaxin AND norfolk",
    "NOT huaxin",
    "NEAR(Huaxin Norfolk)",
    "NEAR(a b, 2)",
    "-Minus Co",
    "^Caret Capital",
    "col:word LLC",
    "search_text:huaxin",
    "title:norfolk",
    "'); DROP TABLE cases; --",
    "\\'; DELETE FROM parties; --",
    "a\\b",
    "{curly} [square]",
    "huaxin & norfolk",
    "huaxin | norfolk",
    "!huaxin",
    "<-> huaxin",
    "(huaxin)",
    "'huaxin':*",
    "huax*",
    "\"huax\"*",
    "NULL",
    "Ⓜetro Ⓑank",
];

const TITLES: &[&str] = &[
    "Farmland purchase near",
    "Warehouse lease by",
    "Solar farm option at",
    "Data center campus outside",
    "Port terminal concession in",
    "Crypto mine next to",
    "Vineyard acquisition in",
];

const SUMMARY_WORDS: &[&str] = &[
    "parcel",
    "acreage",
    "easement",
    "Quarry",
    "Vinpearl",
    "réseau",
    "Gemeinde",
    "hydroélectrique",
    "substation",
    "radar",
    "Norfolkline",
    "Huaxinyuan",
];

const COUNTRIES: &[&str] = &["CN", "RU", "FR", "PL", "CH", "BR", "DE", "US", "VG", "HK"];

/// Words that no generated case holds, for renames.
const FRESH: &[&str] = &[
    "Xylograph",
    "Zeppelinwerk",
    "Quokka",
    "Vértigo",
    "Yggdrasil",
];

fn pick<'t>(rng: &mut StdRng, list: &[&'t str]) -> &'t str {
    list.choose(rng).copied().unwrap_or("x")
}

/// A random report in the API's shape; `n` makes a word of its title unique (`Parcel-0042`).
pub fn random_report(rng: &mut StdRng, n: usize) -> Value {
    let mut r = mineone_json();
    let place = pick(rng, PLACES);
    let title = if rng.gen_bool(0.1) {
        pick(rng, HOSTILE).to_string()
    } else {
        format!("{} {place} Parcel-{n:04}", pick(rng, TITLES))
    };
    let summary: Vec<&str> = (0..rng.gen_range(0..6))
        .map(|_| pick(rng, SUMMARY_WORDS))
        .collect();
    let address = if rng.gen_bool(0.1) {
        pick(rng, HOSTILE).to_string()
    } else {
        format!(
            "{} {}, {}",
            rng.gen_range(1..3000),
            pick(rng, STREETS),
            pick(rng, PLACES)
        )
    };
    let (lat, lon) = if rng.gen_bool(0.25) {
        // Next to F.E. Warren (seeded by `screening_web::seed_sites`): a high risk.
        (
            41.13 + rng.gen_range(-0.02..0.02),
            -104.87 + rng.gen_range(-0.02..0.02),
        )
    } else {
        (rng.gen_range(31.0..46.0), rng.gen_range(-118.0..-78.0))
    };
    let parties: Vec<Value> = (0..rng.gen_range(1..=3))
        .map(|i| {
            let name = if rng.gen_bool(0.15) {
                pick(rng, HOSTILE)
            } else {
                pick(rng, PARTIES)
            };
            json!({
                "key": format!("p{i}"),
                "name": name,
                "country": pick(rng, COUNTRIES),
                "role": if i == 0 { "acquirer" } else { "seller" },
            })
        })
        .collect();
    r["title"] = json!(title);
    r["summary"] = json!(summary.join(" "));
    r["property"]["address"] = json!(address);
    r["property"]["lat"] = json!((lat * 1e4_f64).round() / 1e4);
    r["property"]["lon"] = json!((lon * 1e4_f64).round() / 1e4);
    r["property"]["state"] = Value::Null;
    r["property"]["county_fips"] = Value::Null;
    r["parties"] = json!(parties);
    r
}

// ---------------------------------------------------------------------------------------------
// Comparing with the scan
// ---------------------------------------------------------------------------------------------

fn today() -> NaiveDate {
    cordon::service::clock::Now::real().today
}

/// Searches compared with the scan; what differed, kept to be reported all at once.
pub struct Checker<'a> {
    api: &'a Api<'a>,
    pub cases: Vec<CaseModel>,
    today: NaiveDate,
    failures: RefCell<Vec<String>>,
    /// (query and filters) → the references found, to compare the backends.
    answers: RefCell<BTreeMap<String, BTreeSet<String>>>,
    runs: std::cell::Cell<usize>,
}

impl<'a> Checker<'a> {
    pub fn new(api: &'a Api<'a>) -> Checker<'a> {
        Checker::with_cases(api, model(api))
    }

    /// A checker whose scan runs over these cases (read some other way).
    pub fn with_cases(api: &'a Api<'a>, cases: Vec<CaseModel>) -> Checker<'a> {
        Checker {
            api,
            cases,
            today: today(),
            failures: RefCell::new(Vec::new()),
            answers: RefCell::new(BTreeMap::new()),
            runs: std::cell::Cell::new(0),
        }
    }

    fn refresh(&mut self) {
        self.cases = model(self.api);
    }

    fn reference(&self, id: i64) -> String {
        self.cases
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.reference.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    fn describe(&self, id: i64) -> String {
        match self.cases.iter().find(|c| c.id == id) {
            Some(c) => format!("{} {:?}", c.reference, c.texts),
            None => format!("#{id} (not in the model)"),
        }
    }

    /// Runs `q` with these filters, sort and page size through the API and compares the whole
    /// listing, in order, with the scan. Returns the references listed.
    pub fn check(&self, q: &str, f: &Filters, sort: &str, limit: usize) -> Vec<String> {
        self.runs.set(self.runs.get() + 1);
        let want = oracle::expected(&self.cases, q, f, sort, &self.api.user, self.today);
        // At most about 40 pages a query.
        let limit = limit.max(want.len() / 40 + 1);
        let owned = f.params();
        let mut params: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        params.push(("q", q));
        if sort != "deadline" || limit.is_multiple_of(2) {
            params.push(("sort", sort));
        }
        let what = format!("q={q:?} {owned:?} sort={sort} limit={limit}");
        let got = match self.api.queue_all(&params, limit) {
            Ok(rows) => api::ids(&rows),
            Err(e) => {
                self.failures.borrow_mut().push(format!("{what}: {e}"));
                return Vec::new();
            }
        };
        if got != want {
            let g: BTreeSet<i64> = got.iter().copied().collect();
            let w: BTreeSet<i64> = want.iter().copied().collect();
            let missing: Vec<String> = w.difference(&g).map(|i| self.describe(*i)).collect();
            let extra: Vec<String> = g.difference(&w).map(|i| self.describe(*i)).collect();
            let how = if missing.is_empty() && extra.is_empty() {
                format!(
                    "the same {} cases in another order: got {:?}, want {:?}",
                    got.len(),
                    got.iter().map(|i| self.reference(*i)).collect::<Vec<_>>(),
                    want.iter().map(|i| self.reference(*i)).collect::<Vec<_>>()
                )
            } else {
                format!(
                    "{} found, {} expected; missing {:.600?}; not expected {:.600?}",
                    got.len(),
                    want.len(),
                    missing,
                    extra
                )
            };
            self.failures.borrow_mut().push(format!(
                "{what} (query words {:?}): {how}",
                oracle::words(q)
            ));
        }
        let refs: Vec<String> = got.iter().map(|i| self.reference(*i)).collect();
        self.answers
            .borrow_mut()
            .insert(format!("q={q:?} {owned:?}"), refs.iter().cloned().collect());
        refs
    }

    /// The queue page (HTML), read to its end through its "Next page" links, against the scan.
    pub fn check_page(&self, c: &Client, q: &str) {
        self.runs.set(self.runs.get() + 1);
        let want = oracle::expected(
            &self.cases,
            q,
            &Filters::default(),
            "deadline",
            "",
            self.today,
        );
        let mut path = format!("/cases?{}", api::query_string(&[("q", q)]));
        let mut got = Vec::new();
        for _ in 0..100 {
            let page = c.get(&path);
            if page.status != 200 {
                self.failures
                    .borrow_mut()
                    .push(format!("page q={q:?}: {path}: status {}", page.status));
                return;
            }
            let html = page.html();
            let sel = scraper::Selector::parse("#queue tbody tr[data-case]").expect("selector");
            got.extend(html.select(&sel).filter_map(|e| {
                e.value()
                    .attr("data-case")
                    .and_then(|v| v.parse::<i64>().ok())
            }));
            match page.attr("#next-page", "href") {
                Some(next) => path = next,
                None => break,
            }
        }
        if got != want {
            self.failures.borrow_mut().push(format!(
                "page q={q:?}: listed {:?}, the scan says {:?}",
                got.iter().map(|i| self.reference(*i)).collect::<Vec<_>>(),
                want.iter().map(|i| self.reference(*i)).collect::<Vec<_>>()
            ));
        }
    }

    /// What differed from the scan, as a report (empty when nothing did).
    pub fn report(&self) -> String {
        let failures = self.failures.borrow();
        if failures.is_empty() {
            return String::new();
        }
        format!(
            "{} of {} searches differ from the scan:\n{}",
            failures.len(),
            self.runs.get(),
            failures
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        )
    }

    pub fn assert_clean(&self) {
        let report = self.report();
        assert!(report.is_empty(), "{report}");
    }
}

/// Every case as the API shows it, for the scan.
fn model(api: &Api) -> Vec<CaseModel> {
    let rows = api.queue_all(&[], 200).expect("the whole queue");
    rows.iter()
        .map(|row| {
            let id = row["id"].as_i64().expect("id");
            let c = api.case(id);
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            let mut texts = vec![
                text(&c["reference"]),
                text(&c["title"]),
                text(&c["summary"]),
                text(&c["property"]["address"]),
            ];
            let parties = c["parties"].as_array().cloned().unwrap_or_default();
            texts.extend(parties.iter().map(|p| text(&p["name"])));
            let date = |v: &Value| v.as_str().and_then(|s| s.parse::<NaiveDate>().ok());
            CaseModel {
                id,
                reference: text(&c["reference"]),
                state: text(&c["state"]),
                assignee: c["assignee"].as_str().map(str::to_string),
                lead_agency: c["lead_agency"].as_str().map(str::to_string),
                countries: parties
                    .iter()
                    .map(|p| text(&p["country"]).to_uppercase())
                    .collect(),
                risk_band: c["screening"]["risk"]["band"].as_str().map(str::to_string),
                next_due: date(&row["next_due"]),
                received_on: date(&c["received_on"]).expect("received_on"),
                updated_at: text(&row["updated_at"]),
                doc: oracle::Doc::new(texts.iter().map(String::as_str)),
                texts,
            }
        })
        .collect()
}

/// The words of a text as typed, before any folding (runs of letters and digits).
fn raw_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A word of some case, cut to a prefix and typed as a user might: as stored, upper case,
/// lower case, without accents, or decomposed.
fn random_prefix(rng: &mut StdRng, cases: &[CaseModel]) -> String {
    let Some(case) = cases.choose(rng) else {
        return "x".into();
    };
    let words: Vec<String> = case.texts.iter().flat_map(|t| raw_words(t)).collect();
    let Some(word) = words.choose(rng) else {
        return "x".into();
    };
    let chars: Vec<char> = word.chars().collect();
    let len = rng.gen_range(1..=chars.len());
    let prefix: String = chars[..len].iter().collect();
    match rng.gen_range(0..5) {
        0 => prefix.to_uppercase(),
        1 => prefix.to_lowercase(),
        2 => oracle::words(&prefix).join(" "),
        3 => prefix.nfd().collect(),
        _ => prefix,
    }
}

const SEPARATORS: &[&str] = &[" ", "  ", "-", ", ", " / ", "\t", "—", "+", " & ", "'", "."];

/// The queries of a round: fixed ones (accents, prefixes, references, syntax, nothing at
/// all) and random prefixes of stored words, alone and two or three together.
pub fn queries(rng: &mut StdRng, cases: &[CaseModel]) -> Vec<String> {
    let mut q: Vec<String> = [
        "",
        " ",
        "\t",
        "Huax",
        "huaxin",
        "HUAXING",
        "Hua",
        "huaw",
        "norf",
        "Norfolk",
        "Norfo",
        "norfolk southern",
        "Nor",
        "Zürich",
        "Zurich",
        "ZÜRICH",
        "zur",
        "Société",
        "societe",
        "SOCIETE GENERALE",
        "Łódź",
        "łodz",
        "lodz",
        "Lodz",
        "Ł",
        "São Paulo",
        "sao paulo",
        "Sao",
        "Kraków",
        "krakow",
        "Mu\u{308}ller",
        "müller",
        "mueller",
        "MÜLLER",
        "Straße",
        "STRASSE",
        "strasse",
        "bahnhofstr",
        "北京",
        "北",
        "华信",
        "Αθήνα",
        "αθηνα",
        "ΑΘΉΝΑ",
        "тайга",
        "Таи",
        "O’Brien",
        "o'brien",
        "brien",
        "Smith—Jones",
        "jones",
        "sever",
        "«sever»",
        "Ørestad",
        "orestad",
        "ærø",
        "yapı",
        "yapi",
        "nguyen",
        "Nguyễn",
        "ha noi",
        "３M",
        "3m",
        "a1b",
        "１２",
        "12",
        "ⓜ",
        "ⓜetro",
        "etro",
        "cfn",
        "CFN-",
        "2026",
        "parcel",
        "Parcel-00",
        "quarry vinpearl",
        "huaxinyuan",
        "norfolkline",
        "qqqzzz",
        "huaxinx",
        "norfolkk",
        "route 66",
        "calle 13",
        "66",
        "13",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    q.extend(HOSTILE.iter().map(|s| s.to_string()));
    // References: whole, in words, the number alone, the number without its zeros.
    for c in cases.choose_multiple(rng, 6) {
        let r = &c.reference;
        q.push(r.clone());
        q.push(r.to_lowercase().replace('-', " "));
        if let Some(n) = r.rsplit('-').next() {
            q.push(n.to_string());
            q.push(n.trim_start_matches('0').to_string());
        }
    }
    for _ in 0..70 {
        q.push(random_prefix(rng, cases));
    }
    for _ in 0..40 {
        let n = rng.gen_range(2..=3);
        let parts: Vec<String> = (0..n).map(|_| random_prefix(rng, cases)).collect();
        let sep = pick(rng, SEPARATORS);
        q.push(parts.join(sep));
    }
    // Two words of one case: found together.
    for _ in 0..20 {
        if let Some(c) = cases.choose(rng) {
            let words: Vec<String> = c.texts.iter().flat_map(|t| raw_words(t)).collect();
            let two: Vec<String> = words.choose_multiple(rng, 2).cloned().collect();
            q.push(two.join(" "));
        }
    }
    q
}

/// A random set of filters: none half of the time.
pub fn random_filters(rng: &mut StdRng, cases: &[CaseModel]) -> Filters {
    let mut f = Filters::default();
    if rng.gen_bool(0.5) {
        return f;
    }
    let states: BTreeSet<&str> = cases.iter().map(|c| c.state.as_str()).collect();
    let states: Vec<&str> = states.into_iter().collect();
    let mut people: BTreeSet<&str> = cases.iter().filter_map(|c| c.assignee.as_deref()).collect();
    people.extend(["rita", "sam"]);
    let people: Vec<&str> = people.into_iter().collect();
    let mut agencies: BTreeSet<&str> = cases
        .iter()
        .filter_map(|c| c.lead_agency.as_deref())
        .collect();
    agencies.extend(["treasury", "defense", "commerce", "energy"]);
    let agencies: Vec<&str> = agencies.into_iter().collect();
    for _ in 0..rng.gen_range(1..=2) {
        match rng.gen_range(0..8) {
            0 => f.state = Some(pick(rng, &states).to_string()),
            1 => f.assignee = Some(pick(rng, &people).to_string()),
            2 => f.agency = Some(pick(rng, &agencies).to_string()),
            3 => {
                let c = pick(rng, COUNTRIES);
                f.country = Some(if rng.gen_bool(0.3) {
                    c.to_lowercase()
                } else {
                    c.to_string()
                });
            }
            4 => f.risk = Some(pick(rng, &["low", "moderate", "high", "critical"]).to_string()),
            5 => f.overdue = true,
            6 => f.mine = true,
            _ => {}
        }
    }
    if f.mine {
        f.assignee = None;
    }
    f
}

pub fn random_sort(rng: &mut StdRng) -> &'static str {
    match rng.gen_range(0..10) {
        0 | 1 => "received",
        2 | 3 => "updated",
        _ => "deadline",
    }
}

// ---------------------------------------------------------------------------------------------
// Building the data
// ---------------------------------------------------------------------------------------------

/// The people of these tests: rita (reviewer, logs the reports and asks the queries), sam
/// (reviewer) and carl (chair, who moves and assigns the cases).
struct People<'a> {
    rita: Api<'a>,
    carl: Api<'a>,
}

fn people(app: &TestApp) -> People<'_> {
    let rita = Api::new(app, "rita", Role::Reviewer);
    app.user("sam", Role::Reviewer);
    let carl = Api::new(app, "carl", Role::Chair);
    People { rita, carl }
}

/// Logs `n` random reports, then moves about half of them one to three steps (some with their
/// clocks started weeks ago, so that they are overdue) and assigns some; returns the ids and
/// the reports as logged.
fn fill(app: &TestApp, p: &People, rng: &mut StdRng, n: usize) -> Vec<(i64, Value)> {
    let mut made = Vec::new();
    for i in 0..n {
        let r = random_report(rng, i);
        let case = p.rita.create(&r);
        made.push((case["id"].as_i64().expect("id"), r));
    }
    let today = today();
    let assigner = app.signed_in(Role::Chair);
    for (id, _) in &made {
        let id = *id;
        if rng.gen_bool(0.15) {
            // Started long ago: the clocks of the states it moves to are already past.
            let since = today - chrono::Duration::days(70);
            app.sql(&format!(
                "UPDATE cases SET state_since = '{since}' WHERE id = {id}"
            ));
            let case = p.carl.case(id);
            let version = case["version"].as_i64().expect("version");
            let (status, body) = p.carl.transition(
                id,
                version,
                "screening",
                None,
                Some(today - chrono::Duration::days(60)),
            );
            assert_eq!(status, 200, "{body}");
        }
        if rng.gen_bool(0.5) {
            for _ in 0..rng.gen_range(1..=3) {
                let case = p.carl.case(id);
                let actions = case["actions"].as_array().cloned().unwrap_or_default();
                let Some(a) = actions.choose(rng) else {
                    break;
                };
                let version = case["version"].as_i64().expect("version");
                let (status, body) = p.carl.transition(
                    id,
                    version,
                    a["to"].as_str().expect("to"),
                    a["outcome"].as_str(),
                    None,
                );
                assert_eq!(status, 200, "{a}: {body}");
            }
        }
        if rng.gen_bool(0.4) {
            let version = p.carl.case(id)["version"].as_i64().expect("version");
            let who = pick(rng, &["rita", "sam"]);
            let agency = pick(rng, &["treasury", "defense", "commerce", "energy", ""]);
            let v = version.to_string();
            let res = assigner.post(
                &format!("/cases/{id}/assign"),
                &[("assignee", who), ("lead_agency", agency), ("version", &v)],
            );
            assert_eq!(res.status, 303, "assign {id}: {}", res.body);
        }
    }
    made
}

/// The fields of the first form on a page whose action is `action`, as a browser would send
/// them (ticked boxes only, each select's chosen option).
pub fn form_fields(page: &crate::support::client::Page, action: &str) -> Vec<(String, String)> {
    let html = page.html();
    let form_sel =
        scraper::Selector::parse(&format!("form[action=\"{action}\"]")).expect("selector");
    let field_sel = scraper::Selector::parse("input, select, textarea").expect("selector");
    let option_sel = scraper::Selector::parse("option").expect("selector");
    let form = html
        .select(&form_sel)
        .next()
        .unwrap_or_else(|| panic!("no form for {action}"));
    let mut out = Vec::new();
    for e in form.select(&field_sel) {
        let v = e.value();
        let Some(name) = v.attr("name") else { continue };
        match v.name() {
            "input" => {
                let kind = v.attr("type").unwrap_or("text");
                if matches!(kind, "submit" | "button" | "file" | "image" | "reset") {
                    continue;
                }
                if matches!(kind, "checkbox" | "radio") && v.attr("checked").is_none() {
                    continue;
                }
                let value = v
                    .attr("value")
                    .unwrap_or(if kind == "checkbox" { "on" } else { "" });
                out.push((name.to_string(), value.to_string()));
            }
            "select" => {
                let options: Vec<_> = e.select(&option_sel).collect();
                let chosen = options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first());
                if let Some(o) = chosen {
                    let value = o
                        .value()
                        .attr("value")
                        .map(str::to_string)
                        .unwrap_or_else(|| o.text().collect());
                    out.push((name.to_string(), value));
                }
            }
            _ => out.push((name.to_string(), e.text().collect())),
        }
    }
    out
}

/// Renames a case's title and its first party through the edit page.
pub fn rename_on_page(c: &Client, id: i64, title: &str, party: &str) {
    let path = format!("/cases/{id}/edit");
    let form = c.get(&path);
    assert_eq!(form.status, 200, "{path}");
    let mut fields = form_fields(&form, &path);
    assert!(!fields.is_empty(), "the edit form has fields");
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "title" => *v = title.to_string(),
            "parties[0].name" => *v = party.to_string(),
            _ => {}
        }
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = c.post_raw(&path, &borrowed);
    assert_eq!(res.status, 303, "edit {id}: {}", res.body);
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn search_answers_as_a_plain_scan_of_random_cases_with_filters_sorts_and_cursors() {
    let answers: RefCell<Vec<BTreeMap<String, BTreeSet<String>>>> = RefCell::new(Vec::new());
    // What differed on each backend: both run before the test fails.
    let reports: RefCell<Vec<String>> = RefCell::new(Vec::new());
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        let p = people(app);
        let mut rng = StdRng::seed_from_u64(20261202);
        fill(app, &p, &mut rng, 200);
        let checker = Checker::new(&p.rita);
        assert_eq!(checker.cases.len(), 200);
        // The data is as varied as the filters need.
        let states: BTreeSet<&str> = checker.cases.iter().map(|c| c.state.as_str()).collect();
        let bands: BTreeSet<_> = checker.cases.iter().map(|c| c.risk_band.clone()).collect();
        assert!(states.len() >= 4, "{states:?}");
        assert!(bands.len() >= 2, "{bands:?}");
        assert!(
            checker
                .cases
                .iter()
                .any(|c| c.next_due.is_some_and(|d| d < checker.today)),
            "some cases are overdue"
        );

        let reviewer = app.signed_in(Role::Reviewer);
        let mut qrng = StdRng::seed_from_u64(7);
        let list = queries(&mut qrng, &checker.cases);
        for (i, q) in list.iter().enumerate() {
            // Every query alone, in the default order, with a small page.
            let limit = *[1usize, 2, 3, 5, 8, 13].choose(&mut qrng).unwrap_or(&5);
            checker.check(q, &Filters::default(), "deadline", limit);
            // And again with filters and another order.
            let f = random_filters(&mut qrng, &checker.cases);
            let sort = random_sort(&mut qrng);
            let limit = *[2usize, 4, 7, 50, 200].choose(&mut qrng).unwrap_or(&7);
            checker.check(q, &f, sort, limit);
            if i % 6 == 0 {
                checker.check_page(&reviewer, q);
            }
        }
        // Every filter on its own with a search that matches many cases.
        for f in [
            Filters {
                overdue: true,
                ..Filters::default()
            },
            Filters {
                mine: true,
                ..Filters::default()
            },
            Filters {
                country: Some("cn".into()),
                ..Filters::default()
            },
            Filters {
                risk: Some("high".into()),
                ..Filters::default()
            },
            Filters {
                state: Some("screening".into()),
                ..Filters::default()
            },
        ] {
            for q in ["parcel", "", "hua", "nor zur"] {
                for sort in ["deadline", "received", "updated"] {
                    checker.check(q, &f, sort, 3);
                }
            }
        }
        let report = checker.report();
        if !report.is_empty() {
            reports
                .borrow_mut()
                .push(format!("on {:?}: {report}", app.backend));
        }
        // Nothing a query typed was run as SQL.
        assert_eq!(model(&p.rita).len(), 200);
        answers.borrow_mut().push(checker.answers.into_inner());
    });
    // The same query finds the same cases on both backends.
    let mut reports = reports.into_inner();
    let answers = answers.into_inner();
    if let [sqlite, pg] = answers.as_slice() {
        let differ: Vec<String> = sqlite
            .iter()
            .filter_map(|(k, v)| {
                let w = pg.get(k)?;
                (v != w).then(|| format!("{k}: SQLite {v:?}, PostgreSQL {w:?}"))
            })
            .collect();
        if !differ.is_empty() {
            reports.push(format!(
                "{} queries answer differently on the two backends:\n{}",
                differ.len(),
                differ.join("\n")
            ));
        }
    }
    assert!(reports.is_empty(), "{}", reports.join("\n\n"));
}

#[test]
fn hostile_queries_are_plain_text_on_the_api_and_the_page() {
    each_backend(|app| {
        let rita = Api::new(app, "rita", Role::Reviewer);
        let page = app.signed_in(Role::Reviewer);
        let report = |title: &str, party: &str, address: &str| {
            let mut r = mineone_json();
            r["title"] = json!(title);
            r["summary"] = json!("");
            r["property"]["address"] = json!(address);
            r["parties"] =
                json!([{"key": "p1", "name": party, "country": "CN", "role": "acquirer"}]);
            r
        };
        let id_of = |v: &Value| v["id"].as_i64().unwrap();
        let huaxin = id_of(&rita.create(&report("Farm", "Huaxin Precision", "1 Main St")));
        let norfolk = id_of(&rita.create(&report("Port", "Acme", "Norfolk, VA")));
        let both = id_of(&rita.create(&report("Or so", "Huaxin Norfolk", "2 Main St")));
        let percent = id_of(&rita.create(&report("50% stake", "100%_Owned_Ltd", "3 Main St")));
        let drop = id_of(&rita.create(&report(
            "'); DROP TABLE cases; --",
            "NEAR(x y) col:word",
            "\"Quoted\" Road",
        )));
        let all = [huaxin, norfolk, both, percent, drop];
        let find = |q: &str| -> Vec<i64> {
            let mut ids = api::ids(
                &rita
                    .queue_all(&[("q", q)], 2)
                    .unwrap_or_else(|e| panic!("{q:?}: {e}")),
            );
            ids.sort();
            ids
        };
        let sorted = |mut v: Vec<i64>| {
            v.sort();
            v
        };
        // Full-text operators are words: OR must itself be found, so only the case whose
        // title holds "Or" matches.
        assert_eq!(find("huaxin OR norfolk"), [both]);
        assert_eq!(find("huaxin AND norfolk"), Vec::<i64>::new());
        assert_eq!(find("huaxin norfolk"), [both]);
        assert_eq!(find("NOT huaxin"), Vec::<i64>::new());
        assert_eq!(find("-huaxin"), sorted(vec![huaxin, both]));
        assert_eq!(find("huaxin -norfolk"), [both]);
        assert_eq!(find("NEAR(huaxin norfolk)"), Vec::<i64>::new());
        assert_eq!(find("near"), [drop]);
        assert_eq!(find("col:word"), [drop]);
        assert_eq!(find("title:norfolk"), Vec::<i64>::new());
        assert_eq!(find("^huaxin"), sorted(vec![huaxin, both]));
        assert_eq!(find("huax*"), sorted(vec![huaxin, both]));
        assert_eq!(find("\"huaxin precision\""), [huaxin]);
        assert_eq!(find("'huaxin':*"), sorted(vec![huaxin, both]));
        assert_eq!(find("huaxin | norfolk"), [both]);
        assert_eq!(find("huaxin & norfolk"), [both]);
        assert_eq!(find("(norfolk)"), sorted(vec![norfolk, both]));
        // Wildcards are no wildcards: "%" alone has no word and finds nothing (a blank query
        // is the whole queue); with words it is a separator.
        assert_eq!(find("%"), Vec::<i64>::new());
        assert_eq!(find("_"), Vec::<i64>::new());
        assert_eq!(find("*"), Vec::<i64>::new());
        assert_eq!(find(" "), sorted(all.to_vec()));
        assert_eq!(find("50%"), [percent]);
        assert_eq!(find("100%_owned"), [percent]);
        assert_eq!(find("%owned%"), [percent]);
        assert_eq!(find("hua%xin"), Vec::<i64>::new());
        assert_eq!(find("hua_in"), Vec::<i64>::new());
        // SQL typed into the box.
        assert_eq!(find("'); DROP TABLE cases; --"), [drop]);
        assert_eq!(find("' OR '1'='1"), Vec::<i64>::new());
        assert_eq!(find("\" OR 1=1 --"), Vec::<i64>::new());
        assert_eq!(find("quoted"), [drop]);
        for q in HOSTILE {
            let page_res = page.get(&format!("/cases?{}", api::query_string(&[("q", q)])));
            assert_eq!(page_res.status, 200, "{q:?}");
            let (status, body) =
                rita.get(&format!("/api/v1/cases?{}", api::query_string(&[("q", q)])));
            assert_eq!(status, 200, "{q:?}: {body}");
        }
        // Still five cases, all searchable.
        assert_eq!(find(""), sorted(all.to_vec()));
        assert_eq!(find("main"), sorted(vec![huaxin, both, percent]));
    });
}

#[test]
fn edited_cases_are_found_by_their_new_words_only_and_new_cases_at_once() {
    each_backend(|app| {
        let p = people(app);
        let mut rng = StdRng::seed_from_u64(99);
        let made = fill(app, &p, &mut rng, 40);
        let editor = app.signed_in(Role::Reviewer);
        let mut checker = Checker::new(&p.rita);

        // Renamed through the edit page: the new words find the case, the old ones do not.
        for (n, (id, _)) in made.iter().take(FRESH.len()).enumerate() {
            let id = *id;
            let before = checker
                .cases
                .iter()
                .find(|c| c.id == id)
                .cloned()
                .expect("in the model");
            let title = format!("{} Renamed-{n}", FRESH[n]);
            let party = format!("{} Ümlaut Holdings {n}", FRESH[(n + 1) % FRESH.len()]);
            rename_on_page(&editor, id, &title, &party);
            let shown = p.rita.case(id);
            assert_eq!(shown["title"], title.as_str());
            assert_eq!(shown["parties"][0]["name"], party.as_str());
            checker.refresh();
            let fresh: String = FRESH[n].to_lowercase().chars().take(4).collect();
            let found = checker.check(&fresh, &Filters::default(), "deadline", 5);
            assert!(found.contains(&before.reference), "{fresh}: {found:?}");
            let found = checker.check("umlaut", &Filters::default(), "deadline", 5);
            assert!(found.contains(&before.reference), "umlaut: {found:?}");
            let found = checker.check(&format!("renamed {n}"), &Filters::default(), "deadline", 5);
            assert!(found.contains(&before.reference), "renamed {n}: {found:?}");
            // The old unique title word is gone with the old title.
            if let Some(old) = raw_words(&before.texts[1])
                .into_iter()
                .find(|w| w.len() == 4 && w.starts_with('0'))
            {
                let q = format!("parcel {old}");
                let found = checker.check(&q, &Filters::default(), "deadline", 5);
                assert!(!found.contains(&before.reference), "{q}: {found:?}");
            }
            // And so are the old party's words, unless another text of the case holds them.
            let old_party = &before.texts[4];
            checker.check(old_party, &Filters::default(), "deadline", 3);
        }

        // A new case is found at once, by the API and on the page.
        let mut r = random_report(&mut rng, 9999);
        r["title"] = json!("Brand-new Kleinod purchase");
        r["parties"][0]["name"] = json!("Ĳsselmeer Kleinodien BV");
        let new = p.rita.create(&r);
        let reference = new["reference"].as_str().expect("reference").to_string();
        let (_, body) = p.rita.get("/api/v1/cases?q=kleinod");
        let refs: Vec<&str> = body["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter_map(|c| c["reference"].as_str())
            .collect();
        assert_eq!(refs, [reference.as_str()]);
        let page = editor.get("/cases?q=Kleinod");
        assert_eq!(page.texts("#queue tbody tr").len(), 1, "{}", page.body);
        assert!(page.text("#queue tbody tr").contains(&reference));

        // A public tip is found at once too.
        let public = Client::new(app);
        let res = public.post(
            "/tip",
            &[
                ("title", "Tip about Wunderbaum acres"),
                ("details", "Seen near the gate: Gänseblümchen trucks."),
                ("address", "Cheyenne, WY"),
                ("lat", "41.17"),
                ("lon", "-104.85"),
                ("contact", ""),
                ("website", ""),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let (_, body) = p.rita.get("/api/v1/cases?q=wunderb");
        assert_eq!(body["cases"].as_array().map(Vec::len), Some(1), "{body}");
        let (_, body) = p.rita.get("/api/v1/cases?q=ganseblum");
        assert_eq!(
            body["cases"].as_array().map(Vec::len),
            Some(1),
            "the tip's details are its summary: {body}"
        );

        // Everything still agrees with the scan, moves and assignments after the edits
        // included.
        checker.refresh();
        let mut qrng = StdRng::seed_from_u64(5);
        for q in queries(&mut qrng, &checker.cases).iter().step_by(3) {
            checker.check(q, &Filters::default(), "deadline", 7);
            let f = random_filters(&mut qrng, &checker.cases);
            checker.check(q, &f, random_sort(&mut qrng), 4);
        }
        for w in FRESH {
            checker.check(w, &Filters::default(), "updated", 2);
        }
        checker.assert_clean();
    });
}

/// Runs the real binary against the app's database.
fn cordon(app: &TestApp, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("run cordon");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn cases_loaded_by_the_demo_and_bench_data_are_found_as_the_scan_finds_them() {
    each_backend(|app| {
        cordon::service::demo::load(&mut app.conn())
            .expect("demo loads")
            .expect("an empty database");
        let (ok, out) = cordon(
            app,
            &[
                "bench-data",
                "--cases",
                "40",
                "--sites",
                "10",
                "--events",
                "6",
                "--names",
                "50",
                "--seed",
                "3",
            ],
        );
        assert!(ok, "{out}");
        let rita = Api::new(app, "rita", Role::Reviewer);
        let checker = Checker::new(&rita);
        assert!(checker.cases.len() >= 40, "{}", checker.cases.len());
        let mut rng = StdRng::seed_from_u64(11);
        for q in queries(&mut rng, &checker.cases) {
            checker.check(&q, &Filters::default(), "deadline", 9);
        }
        for c in checker.cases.iter().take(60) {
            // Each case by its reference, and by the first word of each of its texts.
            checker.check(&c.reference, &Filters::default(), "deadline", 5);
            for t in &c.texts {
                if let Some(w) = raw_words(t).first() {
                    checker.check(w, &Filters::default(), "received", 10);
                }
            }
        }
        checker.assert_clean();
    });
}

#[test]
fn long_words_in_a_summary_are_stored_and_found() {
    each_backend(|app| {
        let rita = Api::new(app, "rita", Role::Reviewer);
        // One word of 3,200 letters and digits (a pasted hash, say), and one of 800 Chinese
        // characters (2,400 bytes): more than a PostgreSQL lexeme's 2,046 bytes.
        let hex = "ab12".repeat(800);
        let han = "北京".repeat(400);
        for (n, word) in [hex.as_str(), han.as_str()].into_iter().enumerate() {
            let mut r = mineone_json();
            r["title"] = json!(format!("Long word case {n}"));
            r["summary"] = json!(format!("Preamble{n} {word} tail{n}"));
            let (status, body) = rita.post("/api/v1/cases", &r);
            assert_eq!(
                status,
                201,
                "a summary with a {}-byte word: {body:.300}",
                word.len()
            );
            let reference = body["reference"].as_str().unwrap_or_default().to_string();
            let prefix: String = word.chars().take(12).collect();
            for q in [format!("preamble{n}"), format!("tail{n}"), prefix] {
                let rows = rita
                    .queue_all(&[("q", &q)], 5)
                    .unwrap_or_else(|e| panic!("{e}"));
                let refs: Vec<&str> = rows
                    .iter()
                    .filter_map(|c| c["reference"].as_str())
                    .collect();
                assert_eq!(refs, [reference.as_str()], "{q}");
            }
        }
    });
}
