//! The hostile-input battery: for every route of `cordon::web::ROUTES`, malformed and
//! malicious requests sent as nobody and as each role, each answer checked (no 5xx, the right
//! 4xx with a message people can read, payloads escaped, redirects kept on the site) and the
//! whole database compared before and after each probe (its five sends), which must all be
//! refused or be reads.
//!
//! `generic` makes the requests every route gets (NUL bytes, wrong methods, bad ids, missing,
//! forged and stolen CSRF tokens and cookies); `routes::specific` those of each route, and a
//! route without them fails the battery. `accepted` holds the few checks that need a request
//! to succeed first (sign-in redirects, stored file names, replays, uploads cut short).

mod accepted;
mod fixture;
mod http;
mod payloads;
mod probe;
mod routes;
mod snapshot;

use std::collections::BTreeMap;
use std::time::Instant;

use cordon::web::auth::Access;
use cordon::web::{RouteSpec, ROUTES};

use crate::support::{each_backend_with, TestApp};
use fixture::Fixture;
use probe::{Identity, Probe, Who};
use routes::Ids;
use snapshot::{Snapshot, Snapshotter};

/// Bad values for a numeric path parameter; each route takes a few in turn.
const BAD_IDS: &[&str] = &[
    "-1",
    "99999999",
    "99999999999999999999999",
    "abc",
    "1.5",
    "1%27%20OR%20%271%27%3D%271",
    "%F0%9F%92%A9",
    "0x10",
    "%00",
];

/// The numeric parameters of the route table.
const NUMERIC: &[&str] = &["id", "cid", "attachment"];

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The requests every route gets.
fn generic(route: &RouteSpec, ids: &Ids, turn: usize) -> Vec<Probe> {
    let real = routes::real_params(route.path, ids);
    let path = routes::fill(route.path, &real);
    let post = route.method == "POST";
    let html_post = post && !is_api(route.path);
    let mut out = Vec::new();

    let mut nul = Probe::new(
        "NUL in the query string",
        route.method,
        format!("{path}?q=a%00b"),
    )
    .by_all(&[400]);
    if html_post {
        nul = nul.form_raw(routes::plain_form());
    }
    out.push(nul);
    if html_post {
        out.push(
            Probe::post("NUL in a form field", path.clone())
                .form_raw("note=a%00b")
                .by_all(&[400]),
        );
        out.extend(routes::csrf_probes(&path));
        out.push(
            Probe::post("a form from another site", path.clone())
                .form_raw(routes::plain_form())
                .header("Origin", "http://evil.example")
                .by_all(&[403]),
        );
        out.push(
            Probe::post("a forged session cookie", path.clone())
                .form_raw(routes::plain_form())
                .cookie(routes::forged_session()),
        );
        out.push(
            Probe::post("another user's session cookie", path.clone())
                .form_raw(routes::plain_form())
                .cookie(accepted::FOREIGN_COOKIE),
        );
    }
    if route.method == "GET" && route.access != Access::Public && !is_api(route.path) {
        out.push(
            Probe::get("a forged session cookie", path.clone()).cookie(routes::forged_session()),
        );
    }
    if is_api(route.path) && route.access != Access::Public {
        out.push(
            Probe::new("a forged bearer token", route.method, path.clone())
                .authorization(format!("Bearer {}", "0".repeat(43))),
        );
    }
    for param in NUMERIC {
        if !route.path.contains(&format!("{{{param}}}")) {
            continue;
        }
        for k in 0..3 {
            let bad = BAD_IDS[(turn + k) % BAD_IDS.len()];
            let mut values: Vec<(&str, String)> = vec![(param, bad.to_string())];
            values.extend(real.iter().filter(|(k, _)| k != param).cloned());
            let target = routes::fill(route.path, &values);
            let mut p = Probe::new(format!("{param} = {bad}"), route.method, target);
            p.body = routes::plausible(route, ids);
            let expect: &'static [u16] = if bad == "%00" { &[400] } else { &[404] };
            out.push(if bad == "%00" {
                p.by_all(expect)
            } else {
                p.refused(expect)
            });
        }
    }
    out
}

/// Requests with methods a path does not take: 405, with an Allow header and a message.
fn wrong_methods(path: &str, served: &[&str], ids: &Ids) -> Vec<Probe> {
    let target = routes::fill(path, &routes::real_params(path, ids));
    let mut methods = vec!["PUT", "DELETE", "PATCH"];
    if !served.contains(&"GET") {
        methods.push("GET");
    }
    if !served.contains(&"POST") {
        methods.push("POST");
    }
    methods
        .into_iter()
        .map(|m| Probe::new(format!("method {m}"), m, target.clone()).by_all(&[405]))
        .collect()
}

/// What one backend's run saw.
#[derive(Default)]
pub struct Tally {
    pub sent: usize,
    pub server_errors: usize,
    pub failures: Vec<String>,
}

impl Tally {
    pub fn fail(&mut self, what: String) {
        self.failures.push(what);
    }
}

/// Sends requests and checks the answers, and the database after each probe.
pub struct Runner<'a> {
    pub app: &'a TestApp,
    pub fx: &'a Fixture,
    pub snap: Snapshotter,
    pub last: Snapshot,
    pub tally: Tally,
}

impl<'a> Runner<'a> {
    fn new(app: &'a TestApp, fx: &'a Fixture) -> Self {
        let snap = Snapshotter::new(app);
        let last = snap.take(app);
        Runner {
            app,
            fx,
            snap,
            last,
            tally: Tally::default(),
        }
    }

    fn addr(&self) -> &str {
        self.app.base.trim_start_matches("http://")
    }

    /// The token and cookie of the sender after `who`, for the forged and stolen cases.
    fn next_of(&self, who: Who) -> &Identity {
        let i = Who::ALL.iter().position(|w| *w == who).unwrap_or(0);
        self.fx.identity(Who::ALL[(i + 1) % Who::ALL.len()])
    }

    /// Sends a probe as one sender and checks everything about the answer; the status.
    fn send_as(&mut self, route: &RouteSpec, p: &Probe, who: Who) -> Option<u16> {
        let id = self.fx.identity(who).clone();
        let next = self.next_of(who).clone();
        let mut p = p.clone();
        if p.cookie.as_deref() == Some(accepted::FOREIGN_COOKIE) {
            p.cookie = Some(next.cookie.clone());
        }
        let req = p.request(&id, &next.csrf);
        self.tally.sent += 1;
        let label = format!("{} {} [{:?}] {}", p.method, route.path, who, p.what);
        match probe::send(self.addr(), &req) {
            Err(e) => {
                self.tally.fail(format!("{label}: {e}"));
                None
            }
            Ok(answer) => {
                if answer.status >= 500 {
                    self.tally.server_errors += 1;
                }
                for problem in probe::check(&p, route, who, &answer) {
                    self.tally.fail(format!("{label}: {problem}"));
                }
                Some(answer.status)
            }
        }
    }

    /// Sends a probe as nobody and as each role, then compares the database with before.
    pub fn run(&mut self, route: &RouteSpec, p: &Probe) {
        let statuses: Vec<String> = Who::ALL
            .iter()
            .map(|who| {
                let s = self.send_as(route, p, *who);
                format!("{who:?} {}", s.map(|s| s.to_string()).unwrap_or("-".into()))
            })
            .collect();
        let label = format!(
            "{} {} {} (answered {})",
            p.method,
            route.path,
            p.what,
            statuses.join(", ")
        );
        self.compare(&label, p.may_change);
    }

    /// Compares the database with the last snapshot; every change not allowed is a failure.
    pub fn compare(&mut self, label: &str, allowed: &[&str]) {
        let now = self.snap.take(self.app);
        if let Some(diff) = now.changes_since(&self.last, allowed) {
            self.tally
                .fail(format!("{label}: stored data changed:\n{diff}"));
        }
        self.last = now;
    }
}

/// Every probe of the battery, by route.
fn plan(ids: &Ids) -> (Vec<(RouteSpec, Vec<Probe>)>, Vec<String>) {
    let mut plan = Vec::new();
    let mut missing = Vec::new();
    for (turn, route) in ROUTES.iter().enumerate() {
        let Some(own) = routes::specific(route, ids) else {
            missing.push(format!("{} {}", route.method, route.path));
            continue;
        };
        let mut probes = generic(route, ids, turn);
        probes.extend(own);
        plan.push((*route, probes));
    }
    let mut by_path: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in ROUTES {
        by_path.entry(r.path).or_default().push(r.method);
    }
    for (path, methods) in by_path {
        let route = ROUTES
            .iter()
            .find(|r| r.path == path)
            .copied()
            .expect("a route of the path");
        plan.push((route, wrong_methods(path, &methods, ids)));
    }
    (plan, missing)
}

#[test]
fn every_route_has_hostile_requests() {
    let fx = Fixture::placeholder();
    let ids = Ids {
        fx: &fx,
        v_lead: 3,
        v_mon: 9,
    };
    let (plan, missing) = plan(&ids);
    assert!(
        missing.is_empty(),
        "routes without hostile requests in tests/it/hostile/routes.rs: {missing:?}"
    );
    let probes: usize = plan.iter().map(|(_, p)| p.len()).sum();
    assert!(
        probes * Who::ALL.len() >= 300,
        "at least 300 hostile requests ({probes} probes)"
    );
}

#[test]
fn hostile_battery() {
    each_backend_with(
        |s| s.upload_idle_secs = accepted::UPLOAD_IDLE_SECS,
        |app| {
            let started = Instant::now();
            let fx = fixture::build(app);
            let ids = Ids {
                fx: &fx,
                v_lead: Fixture::version(app, fx.lead),
                v_mon: Fixture::version(app, fx.monitored),
            };
            let mut runner = Runner::new(app, &fx);
            // Sign-ins that succeed come first: the hostile ones fill the address's throttle.
            accepted::sign_in_redirects(&mut runner);
            let (plan, missing) = plan(&ids);
            assert!(
                missing.is_empty(),
                "routes without hostile requests: {missing:?}"
            );
            for (route, probes) in &plan {
                for p in probes {
                    runner.run(route, p);
                }
            }
            accepted::uploads_cut_short(&mut runner);
            accepted::replays(&mut runner, &ids);
            accepted::stored_file_names(&mut runner);
            let tally = &runner.tally;
            eprintln!(
                "hostile battery on {:?}: {} requests, {} answered 5xx, {} problems, {} tables compared, {:.1} s",
                app.backend,
                tally.sent,
                tally.server_errors,
                tally.failures.len(),
                runner.snap.tables(),
                started.elapsed().as_secs_f64()
            );
            let file = std::env::temp_dir().join(format!("cordon-hostile-{:?}.txt", app.backend));
            let _ = std::fs::remove_file(&file);
            if !tally.failures.is_empty() {
                let _ = std::fs::write(&file, tally.failures.join("\n"));
                eprintln!("every problem: {}", file.display());
                let shown: Vec<&String> = tally.failures.iter().take(60).collect();
                panic!(
                    "{} problems (first {}):\n{}",
                    tally.failures.len(),
                    shown.len(),
                    shown
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
            assert_eq!(tally.server_errors, 0);
        },
    );
}
