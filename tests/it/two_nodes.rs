//! Two `cordon serve` processes on one PostgreSQL database, as behind a load balancer
//! (PRODUCT.md section 2: stateless nodes), started at the same moment on a database neither
//! has used, with requests going to one and then the other.
//!
//! What keeps the nodes in step: nothing a request depends on lives only in a node's memory.
//! Sessions, sign-in failures and tips counted for throttling, cases, their versions and
//! counts, reference numbers, sites, watchlists, rule sets and the export keys in use are rows
//! of the shared database, read by each request. What a node does keep in memory is checked
//! against a counter in the database on every request that uses it (a version check per
//! request):
//!
//! - the screening engine (rule set, site index, name index) remembers the `sites-version`,
//!   `watchlists-version` and `rules-version` counters it was built from; every change of
//!   sites, lists or rules bumps its counter in the same transaction, and each screening reads
//!   the three counters (one query) and rebuilds the engine when any moved;
//! - the dashboard's map of open cases remembers the `case-map-version` counter it was drawn
//!   at; triggers bump it in the same transaction as any change to what the map shows (a case
//!   logged, closed or reopened, placed elsewhere, or given another risk band), and the
//!   dashboard draws again when it moved. It used to remember the newest case id and change
//!   time instead, which missed a change stamped in the same second as the newest, or behind
//!   a change stamped by a node whose clock runs ahead (up to ten seconds of a stale map).
//!
//! The rest of a node's memory does not depend on the data: the history's memory of verified
//! chains is keyed by a fingerprint of the stored rows themselves, and the base maps, the
//! OpenAPI document and the asset version are built from the binary. A counter read per
//! request costs one indexed query and, unlike a message between nodes, cannot be missed by a
//! node that was down or starting when the change was made.
//!
//! The two-node test is skipped (with a message) without `TEST_DATABASE_URL`: two nodes need
//! PostgreSQL. The map's one-node test runs on both backends.

use std::collections::BTreeMap;
use std::time::Instant;

use cordon::config::Settings;
use cordon::db::DbConn;
use cordon::domain::Role;
use cordon::service;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::QueryableByName;
use serde_json::{json, Value};

use crate::support::client::Page;
use crate::support::process::{execute, load, Browser, Node};
use crate::support::{backends, each_backend, mineone_json, Backend, Scratch, PASSWORD};

/// Failed sign-ins allowed per account, set on both nodes.
const ACCOUNT_LIMIT: usize = 4;
/// Public tips accepted per address per hour, set on both nodes.
const TIPS_LIMIT: usize = 3;

/// The API with one bearer token, on whichever node it is pointed at.
struct Api {
    http: reqwest::blocking::Client,
    token: String,
}

impl Api {
    fn read(res: reqwest::blocking::Response) -> (u16, Value) {
        crate::support::api::Api::read(res)
    }

    fn get(&self, node: &Node, path: &str) -> (u16, Value) {
        Api::read(
            self.http
                .get(node.url(path))
                .bearer_auth(&self.token)
                .send()
                .expect("GET"),
        )
    }

    fn post(&self, node: &Node, path: &str, body: &Value) -> (u16, Value) {
        Api::read(
            self.http
                .post(node.url(path))
                .bearer_auth(&self.token)
                .json(body)
                .send()
                .expect("POST"),
        )
    }

    fn create(&self, node: &Node, report: &Value) -> Value {
        let (status, body) = self.post(node, "/api/v1/cases", report);
        assert_eq!(status, 201, "a report on {}: {body}", node.name);
        body
    }

    fn case(&self, node: &Node, id: i64) -> Value {
        let (status, body) = self.get(node, &format!("/api/v1/cases/{id}"));
        assert_eq!(status, 200, "case {id} on {}: {body}", node.name);
        body
    }

    fn mv(&self, node: &Node, id: i64, version: i64, to: &str) -> (u16, Value) {
        let body = json!({"to": to, "version": version, "rationale": format!("To {to}.")});
        self.post(node, &format!("/api/v1/cases/{id}/transitions"), &body)
    }

    fn screen(&self, node: &Node, report: &Value) -> Value {
        let (status, body) = self.post(node, "/api/v1/screen", report);
        assert_eq!(status, 200, "screening on {}: {body}", node.name);
        body
    }
}

#[test]
fn two_nodes_on_one_database_share_sessions_throttling_cases_counts_and_screening_data() {
    if !backends().contains(&Backend::Postgres) {
        eprintln!("two nodes: skipped, TEST_DATABASE_URL is not set (two nodes need PostgreSQL)");
        return;
    }
    let started = Instant::now();
    let scratch = Scratch::new(Backend::Postgres);
    let db = cordon::startup::open_database(&Settings::with_database(&scratch.url))
        .expect("open and migrate");
    let token = {
        let mut conn = db.conn().expect("connection");
        for (name, role) in [
            ("admin", Role::Admin),
            ("rev", Role::Reviewer),
            ("victim", Role::Reviewer),
            ("victim2", Role::Reviewer),
        ] {
            service::users::add_user(&mut conn, None, name, role, Some(PASSWORD))
                .expect("add user");
        }
        service::users::create_token(&mut conn, None, "rev", "two nodes")
            .expect("token")
            .1
    };
    let keys = tempfile::tempdir().expect("key dir");
    let key_file = keys.path().join("export.key");
    let (limit, tips) = (ACCOUNT_LIMIT.to_string(), TIPS_LIMIT.to_string());
    let mut a = Node::new("node A", &scratch.url, &key_file)
        .setting("CORDON_LOGIN_MAX_PER_ACCOUNT", &limit)
        .setting("CORDON_TIPS_PER_HOUR", &tips);
    let mut b = Node::new("node B", &scratch.url, &key_file)
        .setting("CORDON_LOGIN_MAX_PER_ACCOUNT", &limit)
        .setting("CORDON_TIPS_PER_HOUR", &tips);
    // Started at the same moment on a database neither has used, with no key file yet, as a
    // deployment brings its nodes up.
    a.spawn();
    b.spawn();
    a.wait_ready();
    b.wait_ready();
    let api = Api {
        http: reqwest::blocking::Client::new(),
        token,
    };
    let mut conn = db.conn().expect("connection");

    sessions(&a, &b);
    let refused = throttling(&a, &b, &mut conn);
    let moves = cases_and_versions(&a, &b, &api);
    one_export_key(&a, &b, &api, &key_file);
    let references = references_and_counts(&a, &b, &api, &mut conn);
    let admin = Browser::new();
    assert_eq!(admin.login(&a, "admin", PASSWORD).status, 303);
    let screenings = screening_data(&a, &b, &api, &admin, &mut conn);
    dashboard_map(&a, &b, &api, &admin, &mut conn);

    for node in [&a, &b] {
        let errors = node.errors();
        assert!(
            errors.is_empty(),
            "errors in {}'s log: {errors:#?}",
            node.name
        );
    }
    println!(
        "two nodes: sessions shared and ended on both; {refused} sign-ins and tips refused across \
         both at their limits; {moves} moves seen at once and stale versions refused on \
         both; {references} references distinct and consecutive; sites, watchlists and rules \
         changed on one seen in {screenings} screenings on the other; the dashboard's counts and \
         map in step ({:.1?})",
        started.elapsed()
    );
}

/// One node, either backend: the dashboard's map follows a band change whose case change time
/// is not the newest in the database (made in the same second as the newest, or the newest
/// stamped by a node whose clock runs ahead).
#[test]
fn the_dashboard_map_follows_a_change_stamped_behind_the_newest() {
    each_backend(|app| {
        let reviewer = app.signed_in(Role::Reviewer);
        let id = app.report(
            "reviewer1",
            report_at(45.45, -98.49, "Plains Land Holdings LLC"),
        );
        let other = app.report("reviewer1", mineone_json());
        let ahead = match app.backend {
            Backend::Sqlite => "datetime(updated_at, '+1 minute')",
            Backend::Postgres => "updated_at + INTERVAL '1 minute'",
        };
        app.sql(&format!(
            "UPDATE cases SET updated_at = {ahead} WHERE id = {other}"
        ));
        let before = open_bands(&mut app.conn());
        let legend = |c: &crate::support::Client| -> BTreeMap<String, i64> {
            let page = c.get("/");
            assert_eq!(page.status, 200);
            let labels = page.texts("#cases-map-legend tbody tr td:nth-child(2)");
            let counts = page.texts("#cases-map-legend tbody tr td:nth-child(3)");
            labels
                .into_iter()
                .zip(counts)
                .filter_map(|(l, c)| Some((l, c.parse().ok()?)))
                .filter(|(_, n)| *n > 0)
                .collect()
        };
        assert_eq!(legend(&reviewer), before);
        for factor in ["threat", "vulnerability", "consequence"] {
            let page = reviewer.get(&format!("/cases/{id}"));
            let version = page.attr("input[name=version]", "value").expect("version");
            let res = reviewer.post(
                &format!("/cases/{id}/risk"),
                &[
                    ("factor", factor),
                    ("value", "5"),
                    ("rationale", "Worst case, for the test."),
                    ("version", &version),
                ],
            );
            assert_eq!(res.status, 303, "{}", res.body);
        }
        let after = open_bands(&mut app.conn());
        assert_ne!(after, before, "the band changed");
        assert_eq!(legend(&reviewer), after);
    });
}

/// The session cookie's value in a sign-in answer.
fn session_cookie(page: &Page) -> String {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("cordon_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
        .expect("a session cookie")
}

/// `GET /` with only this session cookie: the status, and who the page says is signed in.
fn with_cookie(node: &Node, cookie: &str) -> (u16, String) {
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = http
        .get(node.url("/"))
        .header("cookie", format!("cordon_session={cookie}"))
        .send()
        .expect("GET /");
    let status = res.status().as_u16();
    let page = Page {
        status,
        headers: res.headers().clone(),
        body: res.text().unwrap_or_default(),
    };
    (status, page.text(".who-name"))
}

/// A session made on one node works on the other; signing out on one ends it on both.
fn sessions(a: &Node, b: &Node) {
    let browser = Browser::new();
    // The form read on B (its anonymous CSRF cookie), the sign-in sent to A.
    assert_eq!(browser.get(b, "/login").status, 200);
    let res = browser.post(a, "/login", &[("username", "rev"), ("password", PASSWORD)]);
    assert_eq!(res.status, 303, "sign-in on A with B's form: {}", res.body);
    let cookie = session_cookie(&res);
    // A's cookie alone opens B's pages, as rev.
    assert_eq!(with_cookie(b, &cookie), (200, "rev".to_string()));
    assert_eq!(with_cookie(a, &cookie), (200, "rev".to_string()));
    // Signing out on B with the token of a page read on A ends the session on both.
    assert_eq!(browser.get(a, "/").status, 200);
    let out = browser.post(b, "/logout", &[]);
    assert_eq!(out.status, 303, "sign-out on B: {}", out.body);
    for node in [a, b] {
        let (status, who) = with_cookie(node, &cookie);
        assert_eq!(status, 303, "{} still knows the session ({who})", node.name);
        assert_eq!(browser.get(node, "/").status, 303, "{}", node.name);
    }
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConn, sql: &str) -> i64 {
    load::<N>(conn, sql).first().map_or(0, |r| r.n)
}

/// Failed sign-ins split between the nodes add up to one limit, also when they arrive at the
/// same moment; so do public tips. Returns how many attempts were refused in all.
fn throttling(a: &Node, b: &Node, conn: &mut DbConn) -> usize {
    let nodes = [a, b];
    // One after the other, alternating.
    let browser = Browser::new();
    for i in 0..ACCOUNT_LIMIT {
        let node = nodes[i % 2];
        let res = browser.login(node, "victim", &format!("wrong {i}"));
        assert_eq!(res.status, 401, "failure {i} on {}", node.name);
        assert!(res.body.contains("Incorrect user name or password."));
    }
    for node in nodes {
        let res = browser.login(node, "victim", "still wrong");
        assert_eq!(
            res.status, 429,
            "{} after {ACCOUNT_LIMIT} failures",
            node.name
        );
        assert!(
            res.body.contains("Too many failed sign-ins"),
            "{}",
            node.name
        );
        // The right password does not get through either.
        let res = browser.login(node, "victim", PASSWORD);
        assert_eq!(
            res.status, 429,
            "{}: the right password while throttled",
            node.name
        );
    }
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) AS n FROM login_failures WHERE scope_key LIKE '%victim'"
        ),
        ACCOUNT_LIMIT as i64
    );

    // At once: twice the limit and more, half on each node. Only `ACCOUNT_LIMIT` of them may
    // be weighed as a wrong password; the rest are refused as throttled.
    let attempts = 2 * ACCOUNT_LIMIT + 2;
    let statuses = at_once(attempts, |i, barrier| {
        let node = nodes[i % 2];
        let browser = Browser::new();
        assert_eq!(browser.get(node, "/login").status, 200);
        barrier.wait();
        browser
            .post(
                node,
                "/login",
                &[("username", "victim2"), ("password", "a guess")],
            )
            .status
    });
    let weighed = statuses.iter().filter(|&&s| s == 401).count();
    let throttled = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!(
        (weighed, throttled),
        (ACCOUNT_LIMIT, attempts - ACCOUNT_LIMIT),
        "{attempts} guesses at once on two nodes: {statuses:?}"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) AS n FROM login_failures WHERE scope_key LIKE '%victim2'"
        ),
        ACCOUNT_LIMIT as i64
    );

    // Public tips sent at once, half on each node: the hour's limit holds across both.
    let tips = 2 * TIPS_LIMIT + 2;
    let statuses = at_once(tips, |i, barrier| {
        let node = nodes[i % 2];
        let public = Browser::new();
        assert_eq!(public.get(node, "/tip").status, 200);
        barrier.wait();
        let title = format!("Tip {i}: land bought by the base");
        public
            .post(
                node,
                "/tip",
                &[
                    ("title", title.as_str()),
                    ("details", "A lot next to the base changed hands."),
                    ("address", "Cheyenne, WY"),
                    ("lat", "41.17"),
                    ("lon", "-104.85"),
                    ("contact", ""),
                    ("website", ""),
                ],
            )
            .status
    });
    let taken = statuses.iter().filter(|&&s| s == 303).count();
    assert_eq!(
        (taken, statuses.iter().filter(|&&s| s == 429).count()),
        (TIPS_LIMIT, tips - TIPS_LIMIT),
        "{tips} tips at once on two nodes: {statuses:?}"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) AS n FROM cases WHERE source = 'public_tip'"
        ),
        TIPS_LIMIT as i64
    );
    2 * 2 + throttled + tips - TIPS_LIMIT
}

/// A move on one node is seen on the other at once; a stale version is refused on either.
/// Returns the moves made.
fn cases_and_versions(a: &Node, b: &Node, api: &Api) -> usize {
    let case = api.create(a, &mineone_json());
    let id = case["id"].as_i64().expect("id");
    assert_eq!(
        (case["state"].as_str(), case["version"].as_i64()),
        (Some("lead"), Some(1))
    );
    let on_b = api.case(b, id);
    assert_eq!(on_b["reference"], case["reference"]);
    assert_eq!(on_b["version"], 1);

    let (status, moved) = api.mv(a, id, 1, "screening");
    assert_eq!(status, 200, "{moved}");
    let on_b = api.case(b, id);
    assert_eq!(
        (on_b["state"].as_str(), on_b["version"].as_i64()),
        (Some("screening"), Some(2))
    );
    for node in [b, a] {
        let (status, body) = api.mv(node, id, 1, "inquiry");
        assert_eq!(status, 409, "a stale version on {}: {body}", node.name);
        assert!(body["error"]["message"].as_str().is_some(), "{body}");
    }
    let (status, moved) = api.mv(b, id, 2, "declaration");
    assert_eq!(status, 200, "{moved}");
    for node in [a, b] {
        let seen = api.case(node, id);
        assert_eq!(
            (seen["state"].as_str(), seen["version"].as_i64()),
            (Some("declaration"), Some(3)),
            "{}",
            node.name
        );
        let (status, history) = api.get(node, &format!("/api/v1/cases/{id}/history"));
        assert_eq!(status, 200);
        let kinds: Vec<&str> = history["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            ["created", "screened", "transitioned", "transitioned"],
            "{}",
            node.name
        );
        assert_eq!(history["verified"], true, "{}: {history}", node.name);
    }
    // Both stale versions were refused with nothing changed.
    assert_eq!(api.case(a, id)["version"], 3);
    2
}

/// Both nodes sign exports with the one key in the key file, which is the office's only
/// published key.
fn one_export_key(a: &Node, b: &Node, api: &Api, key_file: &std::path::Path) {
    let file = service::keys::load(key_file).expect("the key file");
    let fingerprint = file.fingerprint().to_string();
    for node in [a, b] {
        let (status, doc) = api.get(node, "/api/v1/cases/1/export");
        assert_eq!(status, 200, "{doc}");
        assert_eq!(
            doc["signature"]["key_fingerprint"],
            fingerprint.as_str(),
            "{} signs with the key in the file",
            node.name
        );
        let res = reqwest::blocking::get(node.url("/.well-known/cordon-export-key"))
            .expect("GET the published keys");
        assert_eq!(res.status().as_u16(), 200);
        let keys: Value = res.json().expect("JSON");
        assert_eq!(
            keys["current"],
            fingerprint.as_str(),
            "{}: {keys}",
            node.name
        );
        assert_eq!(
            keys["keys"].as_array().map(Vec::len),
            Some(1),
            "{}: {keys}",
            node.name
        );
    }
}

/// The number in a reference `CFN-YYYY-NNNNN`.
fn number(reference: &Value) -> i64 {
    reference
        .as_str()
        .and_then(|r| r.rsplit('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not a reference: {reference}"))
}

#[derive(QueryableByName)]
struct StateCount {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Cases by state as the database has them.
fn by_state(conn: &mut DbConn) -> BTreeMap<String, i64> {
    load::<StateCount>(
        conn,
        "SELECT state, COUNT(*) AS n FROM cases GROUP BY state",
    )
    .into_iter()
    .map(|r| (r.state, r.n))
    .collect()
}

/// The counts by state on a node's dashboard.
fn dashboard_counts(browser: &Browser, node: &Node) -> BTreeMap<String, i64> {
    let page = browser.get(node, "/");
    assert_eq!(page.status, 200, "the dashboard on {}", node.name);
    let html = page.html();
    let stat = scraper::Selector::parse("a.stat").expect("selector");
    let n = scraper::Selector::parse(".stat-n").expect("selector");
    html.select(&stat)
        .filter_map(|a| {
            let state = a.value().attr("href")?.strip_prefix("/cases?state=")?;
            let text: String = a.select(&n).next()?.text().collect();
            Some((
                state.to_string(),
                text.trim().replace(',', "").parse().ok()?,
            ))
        })
        .collect()
}

/// Cases logged on A and B in turn, and at once on both, take distinct consecutive
/// references; each node's dashboard counts what the other changed. Returns the references.
fn references_and_counts(a: &Node, b: &Node, api: &Api, conn: &mut DbConn) -> usize {
    let nodes = [a, b];
    let first = number(&api.create(a, &mineone_json())["reference"]);
    let mut numbers = vec![first];
    for i in 1..6 {
        numbers.push(number(
            &api.create(nodes[i % 2], &mineone_json())["reference"],
        ));
    }
    let expected: Vec<i64> = (first..first + 6).collect();
    assert_eq!(numbers, expected, "references logged on A and B in turn");

    // At once: four clients, each alternating between the nodes.
    let mut at_once: Vec<i64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|t| {
                s.spawn(move || {
                    (0..5)
                        .map(|i| {
                            number(&api.create(nodes[(t + i) % 2], &mineone_json())["reference"])
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("client"))
            .collect()
    });
    at_once.sort_unstable();
    let next = first + 6;
    assert_eq!(
        at_once,
        (next..next + 20).collect::<Vec<_>>(),
        "references logged at once"
    );

    // Each node's dashboard counts every case, whichever node logged or moved it.
    let viewer = Browser::new();
    assert_eq!(viewer.login(b, "rev", PASSWORD).status, 303);
    let truth = by_state(conn);
    for node in nodes {
        assert_eq!(dashboard_counts(&viewer, node), truth, "{}", node.name);
    }
    let id = api.create(b, &mineone_json())["id"].as_i64().expect("id");
    let (status, body) = api.mv(b, id, 1, "screening");
    assert_eq!(status, 200, "{body}");
    let after = by_state(conn);
    assert_ne!(after, truth);
    assert_eq!(
        dashboard_counts(&viewer, a),
        after,
        "A after a report and a move on B"
    );
    let (status, body) = api.mv(a, id, 2, "inquiry");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        dashboard_counts(&viewer, b),
        by_state(conn),
        "B after a move on A"
    );
    27
}

/// A report on a spot of South Dakota with no site near it, its buyer named `buyer`.
fn report_at(lat: f64, lon: f64, buyer: &str) -> Value {
    let mut r = mineone_json();
    r["property"]["lat"] = json!(lat);
    r["property"]["lon"] = json!(lon);
    r["property"]["state"] = json!("SD");
    r["property"]["county_fips"] = json!("46065");
    r["property"]["address"] = json!("Somewhere in Hughes County");
    r["parties"][0]["name"] = json!(buyer);
    r
}

fn zone_sites(s: &Value) -> Vec<String> {
    s["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .filter_map(|z| z["site"].as_str().map(str::to_string))
        .collect()
}

fn hit_entries(s: &Value) -> Vec<String> {
    s["watchlist_hits"]
        .as_array()
        .expect("watchlist hits")
        .iter()
        .filter_map(|h| h["entry"].as_str().map(str::to_string))
        .collect()
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Adds a military site at (lat, lon) through the admin form on `node`.
fn add_site(admin: &Browser, node: &Node, name: &str, lat: f64, lon: f64) {
    assert_eq!(admin.get(node, "/sites/new").status, 200);
    let (lat, lon) = (lat.to_string(), lon.to_string());
    let res = admin.post(
        node,
        "/sites/new",
        &[
            ("name", name),
            ("kind", "military"),
            // Appendix A part 1: one mile of close proximity.
            ("part", "1"),
            ("lat", &lat),
            ("lon", &lon),
            ("boundary_radius_mi", "1"),
            ("criticality", "5"),
            ("state", "SD"),
            ("listed_from", "2020-01-01"),
            ("listed_until", ""),
            ("counties", ""),
            ("notes", ""),
            ("boundary", ""),
        ],
    );
    assert_eq!(res.status, 303, "a site on {}: {}", node.name, res.body);
}

/// Sites, watchlists and rule sets an admin changes on one node change the screening on the
/// other. Returns the screenings made.
fn screening_data(a: &Node, b: &Node, api: &Api, admin: &Browser, conn: &mut DbConn) -> usize {
    let buyer = "Zephyr Crossing Holdings Ltd";
    let report = report_at(44.37, -100.35, buyer);
    let builtin = cordon::domain::rules::RuleSet::parse(cordon::domain::rules::BUILTIN_TOML)
        .expect("built-in rules")
        .version;
    // Both engines built and kept before anything changes.
    for node in [a, b] {
        let s = api.screen(node, &report);
        assert!(zone_sites(&s).is_empty(), "{}: {s}", node.name);
        assert!(hit_entries(&s).is_empty(), "{}: {s}", node.name);
        assert_eq!(s["rules_version"], builtin.as_str(), "{}", node.name);
    }

    add_site(admin, a, "Node Test Range", 44.37, -100.35);
    assert_eq!(
        zone_sites(&api.screen(b, &report)),
        ["Node Test Range"],
        "B screens with the site added on A"
    );

    assert_eq!(admin.get(a, "/watchlists").status, 200);
    let csv = format!("name,aliases,country,program,source\n{buyer},,CN,Test program,Test\n");
    let res = admin.post(
        a,
        "/watchlists/import",
        &[("list", "Node Test List"), ("csv", &csv)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        hit_entries(&api.screen(b, &report)),
        [buyer],
        "B screens with the list imported on A"
    );

    assert_eq!(admin.get(a, "/admin/rules").status, 200);
    let bumped =
        cordon::domain::rules::BUILTIN_TOML.replacen(&format!("\"{builtin}\""), "\"2099.7\"", 1);
    let res = admin.post(a, "/admin/rules", &[("body", &bumped)]);
    assert_eq!(res.status, 303, "{}", res.text("#e-body"));
    assert_eq!(
        api.screen(b, &report)["rules_version"],
        "2099.7",
        "B screens with the rules loaded on A"
    );

    // And the other way: the site retired on B is gone from A's screening.
    let site = load::<Id>(conn, "SELECT id FROM sites WHERE name = 'Node Test Range'")
        .first()
        .expect("the new site")
        .id;
    assert_eq!(admin.get(b, "/sites").status, 200);
    let res = admin.post(b, &format!("/sites/{site}/retire"), &[]);
    assert_eq!(res.status, 303, "{}", res.body);
    let s = api.screen(a, &report);
    assert!(
        zone_sites(&s).is_empty(),
        "A screens without the site retired on B: {s}"
    );
    assert_eq!(hit_entries(&s), [buyer]);
    assert_eq!(s["rules_version"], "2099.7");
    6
}

#[derive(QueryableByName)]
struct Band {
    #[diesel(sql_type = Nullable<Text>)]
    risk_band: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The map's legend on a node's dashboard: symbol label → cases on the map.
fn map_legend(browser: &Browser, node: &Node) -> BTreeMap<String, i64> {
    let page = browser.get(node, "/");
    assert_eq!(page.status, 200, "the dashboard on {}", node.name);
    let labels = page.texts("#cases-map-legend tbody tr td:nth-child(2)");
    let counts = page.texts("#cases-map-legend tbody tr td:nth-child(3)");
    labels
        .into_iter()
        .zip(counts)
        .filter_map(|(l, c)| Some((l, c.parse().ok()?)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Open cases by band, labelled as the legend labels them.
fn open_bands(conn: &mut DbConn) -> BTreeMap<String, i64> {
    load::<Band>(
        conn,
        "SELECT risk_band, COUNT(*) AS n FROM cases WHERE state <> 'closed' GROUP BY risk_band",
    )
    .into_iter()
    .map(|r| {
        let label = match r.risk_band.as_deref() {
            Some("low") => "Low",
            Some("moderate") => "Moderate",
            Some("high") => "High",
            Some("critical") => "Critical",
            _ => "Not yet screened",
        };
        (label.to_string(), r.n)
    })
    .collect()
}

/// The dashboard's map on one node shows a risk band changed through the other, even when the
/// newest change time in the database is ahead of it (stamped by a node whose clock runs
/// ahead, or in the same second).
fn dashboard_map(a: &Node, b: &Node, api: &Api, admin: &Browser, conn: &mut DbConn) {
    let report = report_at(45.45, -98.49, "Plains Land Holdings LLC");
    let case = api.create(a, &report);
    let id = case["id"].as_i64().expect("id");
    // Another case last changed by a node whose clock runs a minute ahead of A's.
    execute(
        conn,
        &format!(
            "UPDATE cases SET updated_at = updated_at + INTERVAL '1 minute' \
             WHERE id = (SELECT MAX(id) FROM cases WHERE id <> {id})"
        ),
    );
    let before = open_bands(conn);
    assert_eq!(map_legend(admin, b), before, "B's map before");

    // A reviewer on A scores every risk factor of the case at its worst.
    for factor in ["threat", "vulnerability", "consequence"] {
        let page = admin.get(a, &format!("/cases/{id}"));
        let version = page.attr("input[name=version]", "value").expect("version");
        let res = admin.post(
            a,
            &format!("/cases/{id}/risk"),
            &[
                ("factor", factor),
                ("value", "5"),
                ("rationale", "Worst case, for the test."),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
    }
    let band = api.case(a, id)["screening"]["risk"]["band"].clone();
    assert_ne!(
        band, case["screening"]["risk"]["band"],
        "the band of case {id} changed"
    );
    let after = open_bands(conn);
    assert_ne!(after, before);
    assert_eq!(map_legend(admin, b), after, "B's map after the change on A");
}

/// Runs `run(i, barrier)` on `n` threads at once (each waits on the barrier when it is ready to
/// send), and returns what each returned, in order.
fn at_once<T: Send>(n: usize, run: impl Fn(usize, &std::sync::Barrier) -> T + Sync) -> Vec<T> {
    let barrier = std::sync::Barrier::new(n);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let (run, barrier) = (&run, &barrier);
                s.spawn(move || run(i, barrier))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a request at once"))
            .collect()
    })
}
