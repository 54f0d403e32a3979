//! A killed server loses no acknowledged write and leaves nothing half-written (PRODUCT.md
//! section 8). The real `cordon serve` runs as a child process while four client threads send
//! 1,000 writes through the API (new reports, and moves of the cases they logged); at five
//! random moments of that stream the server gets SIGKILL and is started again, and the clients
//! carry on against the new process. After each restart and at the end, every write a client
//! was told succeeded is in the database, no case, event, party or count is half there, every
//! case's hash chain verifies, and the server started by itself with no error in its log.
//!
//! The moments are drawn from a seed printed at the start; `CRASH_SEED=N` replays a run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use cordon::config::Settings;
use cordon::db::{Db, DbConn};
use cordon::domain::Role;
use cordon::service;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use diesel::QueryableByName;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::support::process::{execute, load, Node};
use crate::support::{backends, mineone_json, Backend, Scratch, PASSWORD};

/// Writes the clients send in all (each attempt counts, answered or not).
const WRITES: usize = 1000;
/// Kills during the stream.
const KILLS: usize = 5;
/// Client threads.
const THREADS: usize = 4;

#[test]
fn a_killed_server_loses_no_acknowledged_write_and_leaves_nothing_half_written() {
    for backend in backends() {
        crash_run(backend);
    }
}

/// A write the server acknowledged.
#[derive(Clone, Debug)]
enum Ack {
    Created {
        id: i64,
        reference: String,
    },
    Moved {
        id: i64,
        version: i64,
        to: String,
        head: String,
    },
}

/// What the clients were told, and anything they were told that they should not have been.
#[derive(Default)]
struct Ledger {
    acks: Vec<Ack>,
    unexpected: Vec<String>,
}

/// Lets the clients through while the server is up; holds them (and counts them) while it is
/// down, so that the checks after a restart see a quiet database.
struct Gate {
    state: Mutex<GateState>,
    changed: Condvar,
}

struct GateState {
    open: bool,
    /// Bumped at each reopening: clients then start a fresh HTTP client.
    generation: u64,
    parked: usize,
    live: usize,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Gate {
    fn new(clients: usize) -> Gate {
        Gate {
            state: Mutex::new(GateState {
                open: true,
                generation: 0,
                parked: 0,
                live: clients,
            }),
            changed: Condvar::new(),
        }
    }

    /// Waits while the gate is closed; the generation it opened in.
    fn pass(&self) -> u64 {
        let mut s = locked(&self.state);
        while !s.open {
            s.parked += 1;
            self.changed.notify_all();
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
            s.parked -= 1;
        }
        s.generation
    }

    fn close(&self) {
        locked(&self.state).open = false;
    }

    fn reopen(&self) {
        let mut s = locked(&self.state);
        s.open = true;
        s.generation += 1;
        self.changed.notify_all();
    }

    /// Waits until every client still running waits at the gate.
    fn wait_quiet(&self) {
        let started = Instant::now();
        let mut s = locked(&self.state);
        while s.parked < s.live {
            let (next, _) = self
                .changed
                .wait_timeout(s, Duration::from_millis(200))
                .unwrap_or_else(PoisonError::into_inner);
            s = next;
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "clients did not stop after the kill"
            );
        }
    }

    fn live(&self) -> usize {
        locked(&self.state).live
    }
}

/// Takes a client off the gate's count when it ends, however it ends.
struct Leaving<'a>(&'a Gate);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        let mut s = locked(&self.0.state);
        s.live -= 1;
        self.0.changed.notify_all();
    }
}

struct Shared<'a> {
    base: &'a str,
    token: &'a str,
    seed: u64,
    sent: AtomicUsize,
    gate: Gate,
    ledger: Mutex<Ledger>,
    /// Set when the test fails: the clients stop instead of waiting for a restart.
    stop: AtomicBool,
}

/// Lets the clients go when a check fails (they must not wait at a closed gate for ever).
struct Release<'a, 'b>(&'a Shared<'b>);

impl Drop for Release<'_, '_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop.store(true, Ordering::SeqCst);
            self.0.gate.reopen();
        }
    }
}

/// A case a client logged and moves on.
struct Mine {
    id: i64,
    state: String,
    /// `None` after a move whose answer was lost: read the case before moving it again.
    version: Option<i64>,
}

/// The MineOne report, made different for each write.
fn varied(client: usize, n: usize, rng: &mut StdRng) -> Value {
    let mut r = mineone_json();
    r["title"] = json!(format!("Crash run report {client}-{n}"));
    r["summary"] = json!(format!(
        "Report {n} of client {client}, sent while the server may be killed."
    ));
    r["property"]["lat"] = json!(41.17 + rng.gen_range(-0.5..0.5));
    r["property"]["lon"] = json!(-104.85 + rng.gen_range(-0.5..0.5));
    r["property"]["acreage"] = json!(rng.gen_range(1..500));
    r["transaction"]["value_usd"] = json!(rng.gen_range(100_000..90_000_000));
    r["parties"][0]["name"] = json!(format!("MineOne {client}-{n} Data Center LLC"));
    r
}

/// One POST; `None` when no answer came (the server died under it).
fn post(
    http: &reqwest::blocking::Client,
    s: &Shared,
    path: &str,
    body: &Value,
) -> Option<(u16, Value)> {
    let res = http
        .post(format!("{}{path}", s.base))
        .bearer_auth(s.token)
        .json(body)
        .send()
        .ok()?;
    let status = res.status().as_u16();
    let text = res.text().ok()?;
    Some((
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    ))
}

fn client(t: usize, s: &Shared) {
    let _leaving = Leaving(&s.gate);
    let mut rng = StdRng::seed_from_u64(s.seed ^ ((t as u64 + 1) << 32));
    let mut mine: Vec<Mine> = Vec::new();
    let mut http = reqwest::blocking::Client::new();
    let mut generation = 0;
    let unexpected = |what: String| locked(&s.ledger).unexpected.push(what);
    loop {
        let now = s.gate.pass();
        if s.stop.load(Ordering::SeqCst) {
            break;
        }
        if now != generation {
            // The old process's connections are gone with it.
            http = reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client");
            generation = now;
        }
        // A case whose last move went unanswered: read where it stands first.
        if let Some(c) = mine.iter_mut().find(|c| c.version.is_none()) {
            let res = http
                .get(format!("{}/api/v1/cases/{}", s.base, c.id))
                .bearer_auth(s.token)
                .send()
                .ok()
                .and_then(|r| Some((r.status().as_u16(), r.json::<Value>().ok()?)));
            match res {
                Some((200, body)) => {
                    c.version = body["version"].as_i64();
                    c.state = body["state"].as_str().unwrap_or_default().to_string();
                }
                Some((status, body)) => unexpected(format!("GET case {}: {status} {body}", c.id)),
                None => {}
            }
            continue;
        }
        let n = s.sent.fetch_add(1, Ordering::SeqCst);
        if n >= WRITES {
            break;
        }
        let movable: Vec<usize> = (0..mine.len())
            .filter(|&i| matches!(mine[i].state.as_str(), "lead" | "screening"))
            .collect();
        if !movable.is_empty() && rng.gen_bool(0.6) {
            let c = &mut mine[movable[rng.gen_range(0..movable.len())]];
            let to = if c.state == "lead" {
                "screening"
            } else {
                "declaration"
            };
            let version = c.version.unwrap_or_default();
            let body = json!({"to": to, "version": version,
                              "rationale": format!("Write {n} of client {t}.")});
            match post(
                &http,
                s,
                &format!("/api/v1/cases/{}/transitions", c.id),
                &body,
            ) {
                Some((200, b)) => {
                    let head = b["chain"]["head"].as_str().unwrap_or_default().to_string();
                    if b["state"] != to || b["version"] != version + 1 || head.is_empty() {
                        unexpected(format!("move of case {} answered {b}", c.id));
                    }
                    locked(&s.ledger).acks.push(Ack::Moved {
                        id: c.id,
                        version: version + 1,
                        to: to.to_string(),
                        head,
                    });
                    c.version = Some(version + 1);
                    c.state = to.to_string();
                }
                Some((status, b)) => {
                    unexpected(format!("move of case {} at {version}: {status} {b}", c.id));
                    c.version = None;
                }
                None => c.version = None,
            }
        } else {
            let report = varied(t, n, &mut rng);
            match post(&http, s, "/api/v1/cases", &report) {
                Some((201, b)) => {
                    let (Some(id), Some(reference)) = (b["id"].as_i64(), b["reference"].as_str())
                    else {
                        unexpected(format!("a new case without id or reference: {b}"));
                        continue;
                    };
                    locked(&s.ledger).acks.push(Ack::Created {
                        id,
                        reference: reference.to_string(),
                    });
                    mine.push(Mine {
                        id,
                        state: "lead".into(),
                        version: b["version"].as_i64(),
                    });
                }
                Some((status, b)) => unexpected(format!("report {n}: {status} {b}")),
                // Unanswered: the case may or may not be there; nobody was told it is.
                None => {}
            }
        }
    }
}

fn crash_run(backend: Backend) {
    let started = Instant::now();
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("crash on {backend:?}: seed {seed} (CRASH_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);

    let scratch = Scratch::new(backend);
    let token = {
        let db = cordon::startup::open_database(&Settings::with_database(&scratch.url))
            .expect("open and migrate");
        let mut conn = db.conn().expect("connection");
        service::users::add_user(&mut conn, None, "writer", Role::Reviewer, Some(PASSWORD))
            .expect("add user");
        service::users::create_token(&mut conn, None, "writer", "crash run")
            .expect("token")
            .1
    };
    let keys = tempfile::tempdir().expect("key dir");
    let mut node = Node::new("cordon", &scratch.url, &keys.path().join("export.key"));
    node.start();

    // The kills: after random numbers of writes sent, and a random delay after that.
    let mut points: Vec<usize> = (0..KILLS)
        .map(|_| rng.gen_range(WRITES / 20..WRITES * 19 / 20))
        .collect();
    points.sort_unstable();

    let base = node.base.clone();
    let shared = Shared {
        base: &base,
        token: &token,
        seed,
        sent: AtomicUsize::new(0),
        gate: Gate::new(THREADS),
        ledger: Mutex::new(Ledger::default()),
        stop: AtomicBool::new(false),
    };
    let mut restarts = Vec::new();
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let shared = &shared;
            scope.spawn(move || client(t, shared));
        }
        let _release = Release(&shared);
        for (k, &point) in points.iter().enumerate() {
            while shared.sent.load(Ordering::SeqCst) < point {
                assert!(shared.gate.live() > 0, "the clients stopped early");
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(rng.gen_range(0..30)));
            shared.gate.close();
            node.kill();
            let at = shared.sent.load(Ordering::SeqCst);
            shared.gate.wait_quiet();
            restarts.push(node.start());
            let errors = node.errors();
            assert!(
                errors.is_empty(),
                "errors after kill {}: {errors:#?}",
                k + 1
            );
            let acks = locked(&shared.ledger).acks.clone();
            check(
                &scratch,
                &acks,
                &format!("after kill {} (at write {at})", k + 1),
            );
            shared.gate.reopen();
        }
    });
    let ledger = shared
        .ledger
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let checked = check(&scratch, &ledger.acks, "at the end");
    let errors = node.errors();
    let sent = shared.sent.load(Ordering::SeqCst).min(WRITES);
    let slowest = restarts.iter().max().copied().unwrap_or_default();
    println!(
        "crash on {backend:?}: {KILLS} kills, {sent} writes sent, {} acknowledged, {} lost, \
         {} half-written, {} chains verified ({} cases; slowest restart {slowest:.1?}; {:.1?})",
        ledger.acks.len(),
        checked.lost.len(),
        checked.half.len(),
        checked.chains,
        checked.cases,
        started.elapsed()
    );
    assert_eq!(restarts.len(), KILLS);
    assert_eq!(sent, WRITES);
    assert!(
        ledger.unexpected.is_empty(),
        "unexpected answers: {:#?}",
        ledger.unexpected
    );
    assert!(errors.is_empty(), "errors in the server's log: {errors:#?}");
    // Acknowledged writes of both kinds were made, across the kills.
    let moves = ledger
        .acks
        .iter()
        .filter(|a| matches!(a, Ack::Moved { .. }))
        .count();
    assert!(
        moves > 100 && ledger.acks.len() - moves > 100,
        "{moves} moves of {} writes acknowledged",
        ledger.acks.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The checks.

#[derive(Default)]
struct Checked {
    lost: Vec<String>,
    half: Vec<String>,
    chains: usize,
    cases: usize,
}

#[derive(QueryableByName, Debug)]
struct CaseFacts {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Date)]
    received_on: NaiveDate,
    #[diesel(sql_type = Date)]
    next_due: NaiveDate,
    #[diesel(sql_type = Nullable<Text>)]
    risk_band: Option<String>,
}

#[derive(QueryableByName, Debug)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName, Debug)]
struct Counted {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Ids a query returns, as findings.
/// What a half-written write would leave behind, and the query that lists its ids.
const HALF_WRITTEN: [(&str, &str); 9] = [
    (
        "a party without its case",
        "SELECT CAST(p.id AS BIGINT) AS id FROM parties p \
         WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = p.case_id)",
    ),
    (
        "an event without its case",
        "SELECT CAST(e.id AS BIGINT) AS id FROM events e \
         WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)",
    ),
    (
        "a deadline without its case",
        "SELECT CAST(d.id AS BIGINT) AS id FROM deadlines d \
         WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = d.case_id)",
    ),
    (
        "a screening without its case",
        "SELECT CAST(s.case_id AS BIGINT) AS id \
         FROM case_screenings s WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = s.case_id)",
    ),
    (
        "a case without its screening",
        "SELECT CAST(c.id AS BIGINT) AS id FROM cases c \
         WHERE NOT EXISTS (SELECT 1 FROM case_screenings s WHERE s.case_id = c.id)",
    ),
    (
        "a case without its 3 parties",
        "SELECT CAST(c.id AS BIGINT) AS id FROM cases c \
         WHERE (SELECT COUNT(*) FROM parties p WHERE p.case_id = c.id) <> 3",
    ),
    (
        "a case whose open clock is not its next due date",
        "SELECT CAST(c.id AS BIGINT) AS id \
         FROM cases c WHERE (SELECT COUNT(*) FROM deadlines d WHERE d.case_id = c.id AND d.is_open) <> 1 \
         OR NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.is_open AND d.due = c.next_due)",
    ),
    (
        "a move without its report row",
        "SELECT CAST(e.id AS BIGINT) AS id FROM events e \
         WHERE e.kind = 'transitioned' AND NOT EXISTS (SELECT 1 FROM report_moves m WHERE m.event_id = e.id)",
    ),
    (
        "a report row without its move",
        "SELECT CAST(m.event_id AS BIGINT) AS id FROM report_moves m \
         WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)",
    ),
];

fn found(conn: &mut DbConn, what: &str, sql: &str, out: &mut Vec<String>) {
    for r in load::<Id>(conn, sql) {
        out.push(format!("{what} {}", r.id));
    }
}

fn counted(conn: &mut DbConn, sql: &str) -> BTreeMap<String, i64> {
    load::<Counted>(conn, sql)
        .into_iter()
        .filter(|c| c.n != 0)
        .map(|c| (c.key, c.n))
        .collect()
}

/// Checks the database against what the clients were told; panics with every finding.
fn check(scratch: &Scratch, acks: &[Ack], when: &str) -> Checked {
    let db = Db::open(&scratch.url, 1).expect("open the database");
    let mut conn = db.conn().expect("connection");
    let conn: &mut DbConn = &mut conn;
    let mut out = Checked::default();

    let cases: HashMap<i64, CaseFacts> = load::<CaseFacts>(
        conn,
        "SELECT CAST(id AS BIGINT) AS id, reference, state, CAST(version AS BIGINT) AS version, \
         received_on, next_due, risk_band FROM cases",
    )
    .into_iter()
    .map(|c| (c.id, c))
    .collect();
    out.cases = cases.len();

    // Every case's chain, checked by the project's verifier over the stored rows.
    let mut events = HashMap::new();
    for c in cases.values() {
        let rows = cordon::db::events::of_case(conn, c.id).expect("events");
        let chained: Vec<_> = rows
            .iter()
            .map(|r| service::history::chained(&c.reference, r).expect("event payload"))
            .collect();
        match cordon::domain::history::verify(&c.reference, &chained) {
            Ok(_) => out.chains += 1,
            Err(broken) => out
                .half
                .push(format!("{}: chain broken: {broken}", c.reference)),
        }
        events.insert(c.id, rows);
    }

    // Acknowledged writes.
    for ack in acks {
        match ack {
            Ack::Created { id, reference } => match cases.get(id) {
                Some(c) if &c.reference == reference => {}
                Some(c) => out
                    .lost
                    .push(format!("case {id}: {} instead of {reference}", c.reference)),
                None => out
                    .lost
                    .push(format!("acknowledged case {id} {reference} is missing")),
            },
            Ack::Moved {
                id,
                version,
                to,
                head,
            } => {
                let Some(c) = cases.get(id) else {
                    out.lost.push(format!("moved case {id} is missing"));
                    continue;
                };
                let event = events
                    .get(id)
                    .and_then(|rows| rows.iter().find(|e| &e.hash == head));
                match event {
                    Some(e)
                        if e.kind == "transitioned"
                            && serde_json::from_str::<Value>(&e.payload)
                                .is_ok_and(|p| p["to"] == to.as_str()) => {}
                    Some(e) => out.lost.push(format!(
                        "{}: event {head} is a {} {}",
                        c.reference, e.kind, e.payload
                    )),
                    None => out.lost.push(format!(
                        "{}: the move to {to} (version {version}) is not in its history",
                        c.reference
                    )),
                }
                if c.version < *version || (c.version == *version && &c.state != to) {
                    out.lost.push(format!(
                        "{}: {} at version {}, acknowledged {to} at version {version}",
                        c.reference, c.state, c.version
                    ));
                }
            }
        }
    }

    // Each case whole: its opening events, its moves in step with its state and version, its
    // parties, screening and clock.
    for c in cases.values() {
        let rows = &events[&c.id];
        let kinds: Vec<&str> = rows.iter().map(|e| e.kind.as_str()).collect();
        if kinds.first() != Some(&"created") || kinds.get(1) != Some(&"screened") {
            out.half
                .push(format!("{}: history opens with {kinds:?}", c.reference));
        }
        let moves: Vec<Value> = rows
            .iter()
            .filter(|e| e.kind == "transitioned")
            .filter_map(|e| serde_json::from_str(&e.payload).ok())
            .collect();
        let last = moves
            .last()
            .and_then(|m| m["to"].as_str())
            .unwrap_or("lead");
        if c.version != 1 + moves.len() as i64 || c.state != last {
            out.half.push(format!(
                "{}: {} at version {} after {} moves (last to {last})",
                c.reference,
                c.state,
                c.version,
                moves.len()
            ));
        }
    }
    // Rows that are only half there: each query lists the ids of what lacks its other half.
    for (what, sql) in HALF_WRITTEN {
        found(conn, what, sql, &mut out.half);
    }

    // The counts the database keeps beside the cases.
    let mut by_state: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_due: BTreeMap<String, i64> = BTreeMap::new();
    let mut intake: BTreeMap<String, i64> = BTreeMap::new();
    let mut band: BTreeMap<String, i64> = BTreeMap::new();
    let mut top: BTreeMap<i32, i64> = BTreeMap::new();
    for c in cases.values() {
        *by_state.entry(c.state.clone()).or_default() += 1;
        *by_due.entry(c.next_due.to_string()).or_default() += 1;
        *intake
            .entry(c.received_on.format("%Y-%m").to_string())
            .or_default() += 1;
        *band
            .entry(c.risk_band.clone().unwrap_or_default())
            .or_default() += 1;
        let number = c
            .reference
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let year = c.received_on.year();
        let t = top.entry(year).or_default();
        *t = (*t).max(number);
    }
    let kept = [
        ("case_counts", counted(conn, "SELECT state AS key, CAST(n AS BIGINT) AS n FROM case_counts"), by_state),
        ("due_counts", counted(conn, "SELECT CAST(day AS TEXT) AS key, CAST(n AS BIGINT) AS n FROM due_counts"), by_due),
        ("intake chart", counted(conn, "SELECT bucket AS key, CAST(n AS BIGINT) AS n FROM chart_counts WHERE chart = 'intake'"), intake),
        ("band chart", counted(conn, "SELECT bucket AS key, CAST(n AS BIGINT) AS n FROM chart_counts WHERE chart = 'band'"), band),
    ];
    for (what, stored, truth) in kept {
        if stored != truth {
            out.half
                .push(format!("{what} {stored:?}, the cases say {truth:?}"));
        }
    }
    let countries = counted(
        conn,
        "SELECT bucket AS key, CAST(n AS BIGINT) AS n FROM chart_counts WHERE chart = 'country'",
    );
    let truth = counted(
        conn,
        "SELECT country AS key, CAST(COUNT(DISTINCT case_id) AS BIGINT) AS n FROM parties GROUP BY country",
    );
    if countries != truth {
        out.half.push(format!(
            "country chart {countries:?}, the parties say {truth:?}"
        ));
    }
    let refs: HashSet<&str> = cases.values().map(|c| c.reference.as_str()).collect();
    if refs.len() != cases.len() {
        out.half.push("two cases share a reference".into());
    }
    let counters = counted(
        conn,
        "SELECT name AS key, CAST(value AS BIGINT) AS n FROM counters WHERE name LIKE 'reference-%'",
    );
    for (year, n) in top {
        let taken = counters
            .get(&format!("reference-{year}"))
            .copied()
            .unwrap_or(0);
        if taken < n {
            out.half.push(format!(
                "the {year} reference counter is at {taken}, a case has {n}"
            ));
        }
    }

    // The file itself: SQLite opened it after the kill with no help.
    if scratch.backend == Backend::Sqlite {
        let lines = load::<Line>(
            conn,
            "SELECT integrity_check AS line FROM pragma_integrity_check",
        );
        if lines.iter().map(|l| l.line.as_str()).collect::<Vec<_>>() != ["ok"] {
            out.half.push(format!("integrity_check: {lines:?}"));
        }
        let orphans = counted(
            conn,
            "SELECT \"table\" AS key, CAST(COUNT(*) AS BIGINT) AS n \
             FROM pragma_foreign_key_check GROUP BY \"table\"",
        );
        if !orphans.is_empty() {
            out.half
                .push(format!("rows failing their foreign keys: {orphans:?}"));
        }
        execute(
            conn,
            "INSERT INTO case_search (case_search) VALUES ('integrity-check')",
        );
    }

    assert!(
        out.lost.is_empty(),
        "acknowledged writes lost {when}: {:#?}",
        out.lost
    );
    assert!(out.half.is_empty(), "half-written {when}: {:#?}", out.half);
    assert_eq!(out.chains, cases.len(), "chains verified {when}");
    out
}
