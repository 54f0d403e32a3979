//! Fifty clients at once on one case: half through the pages, each signed in with its own
//! session (all signing in at the same moment, as an office does at nine), half through the API
//! with their own tokens. Each phase starts every client's request at the same instant (a
//! barrier), after each client has read the case as its user would:
//!
//! - conflicting transitions, in rounds: every client asks for a move from the version it read;
//!   exactly one wins each round, every other gets 409 with a clear message, and the case moved
//!   exactly once;
//! - comments: one sent without a version (API) is always stored; one sent with a version
//!   (forms, API) is stored when acknowledged and not at all when refused; each exactly once;
//! - edits of the report (the edit form, with its version): exactly one wins each round, while
//!   the API clients export the case;
//! - uploads and exports (JSON, CSV, PDF, the API's export) with comments: each acknowledged
//!   one is recorded exactly once;
//! - all at once: moves racing uploads and comments; at most one move wins, nothing else is
//!   refused.
//!
//! Afterwards the stored history verifies (by the project's verifier over the stored rows, on
//! the case page, through the API and in an exported file) and holds exactly the acknowledged
//! writes; no answer was a 5xx and no connection failed. A summary line per backend gives the
//! figures: requests sent, successes, 409s, 5xx, rounds, lost updates.

mod racer;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use cordon::domain::Role;
use serde_json::Value;

use crate::attachments::sha256_hex;
use crate::cases_web::mineone_form;
use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, Backend, TestApp};
use racer::{at_once, says_conflict, Racer, Tally};

/// Clients in all; the first `BROWSERS` use the pages, the rest the API.
const CLIENTS: usize = 50;
const BROWSERS: usize = 25;
/// Rounds of conflicting transitions, and of conflicting edits.
const MOVE_ROUNDS: usize = 5;
const EDIT_ROUNDS: usize = 3;
/// How often a browser user whose comment was refused reloads and sends it again.
const COMMENT_TRIES: usize = 3;

/// The moves the rounds choose from: reviewers may make each from the states the rounds reach
/// (chairs may too), so every client has one to ask for whatever its role.
const PATH: &[&str] = &[
    "screening",
    "declaration",
    "prefiling",
    "notice_submitted",
    "withdrawn",
    "review",
];

/// One write a client asked for and what it was answered.
struct Asked {
    who: String,
    /// The event the write records when it is acknowledged.
    kind: &'static str,
    /// What identifies the write in the history: the rationale, comment, title or file.
    text: String,
    /// The state a move asked for.
    to: String,
    version: i64,
    page: Option<Page>,
}

impl Asked {
    fn won(&self) -> bool {
        self.page
            .as_ref()
            .is_some_and(|p| matches!(p.status, 200 | 201 | 303))
    }

    fn answer(&self) -> String {
        match &self.page {
            Some(p) => format!("{} {}: {}", self.who, p.status, p.text("#notice")),
            None => format!("{}: no answer", self.who),
        }
    }
}

/// The stored events of a case as `(kind, actor, payload)`, oldest first.
fn stored_events(app: &TestApp, id: i64) -> Vec<(String, String, Value)> {
    cordon::db::events::of_case(&mut app.conn(), id)
        .expect("events")
        .into_iter()
        .map(|e| {
            let payload = serde_json::from_str(&e.payload).expect("event payload is JSON");
            (e.kind, e.actor, payload)
        })
        .collect()
}

/// What the checks found, and the writes that were acknowledged.
#[derive(Default)]
struct Ledger {
    problems: Vec<String>,
    /// Acknowledged writes by the event each recorded (`transitioned`, `commented`, …).
    acked: BTreeMap<&'static str, usize>,
    /// Acknowledged exports by client and kind (each is recorded with its client's name).
    exports: BTreeMap<(String, &'static str), usize>,
    /// The names of the files whose upload was acknowledged.
    files: Vec<String>,
    /// Acknowledged writes missing from the history, and writes stored more than once.
    lost: usize,
    twice: usize,
    rounds: usize,
}

impl Ledger {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.problems.push(what());
        }
    }

    fn ack(&mut self, kind: &'static str, n: usize) {
        *self.acked.entry(kind).or_default() += n;
    }

    fn export(&mut self, by: &str, kind: &'static str) {
        self.ack(kind, 1);
        *self.exports.entry((by.to_string(), kind)).or_default() += 1;
    }

    /// An acknowledged write must be found once, a refused one not at all.
    fn found(&mut self, what: &str, acked: bool, times: usize) {
        match (acked, times) {
            (true, 1) | (false, 0) => {}
            (true, 0) => {
                self.lost += 1;
                self.problems
                    .push(format!("{what}: acknowledged, not stored"));
            }
            (false, n) => {
                self.twice += n;
                self.problems
                    .push(format!("{what}: refused, yet stored {n} time(s)"));
            }
            (true, n) => {
                self.twice += n - 1;
                self.problems.push(format!("{what}: stored {n} times"));
            }
        }
    }
}

#[test]
fn fifty_clients_at_once_on_one_case_lose_nothing_and_apply_nothing_twice() {
    each_backend(|app| {
        let started = Instant::now();
        let tally = Tally::default();
        app.user("author", Role::Reviewer);
        let id = app.report("author", mineone_json());
        let mut racers: Vec<Racer> = (0..CLIENTS).map(|n| Racer::new(app, &tally, n)).collect();
        let mut ledger = Ledger::default();

        // Everyone signs in at once.
        let signed = at_once(&mut racers, |r, ready| r.sign_in(ready));
        let refused: Vec<&str> = racers
            .iter()
            .zip(&signed)
            .filter(|(_, ok)| !**ok)
            .map(|(r, _)| r.name.as_str())
            .collect();
        assert!(
            refused.is_empty(),
            "sign-ins at the same moment refused for {refused:?}: {:#?}",
            tally
                .failures
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        );

        for round in 1..=MOVE_ROUNDS {
            move_round(app, &mut racers, id, round, &mut ledger);
        }
        comments(app, &mut racers, id, &mut ledger);
        for round in 1..=EDIT_ROUNDS {
            edit_round(app, &mut racers, id, round, &mut ledger);
        }
        files_and_exports(app, &mut racers, id, &mut ledger);
        storm(app, &mut racers, id, &mut ledger);
        let events = history_holds_what_was_acknowledged(app, &racers, id, &mut ledger);

        let failures = tally
            .failures
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        eprintln!(
            "races on {:?}: {CLIENTS} clients ({BROWSERS} signed in, {} with tokens), {} requests, \
             {} succeeded, {} refused with 409, {} 5xx, {} failed connections or answers, \
             {} rounds ({MOVE_ROUNDS} of moves, {EDIT_ROUNDS} of edits, then \
             comments, files and exports, and all at once), {} lost updates, {} applied \
             twice, {events} events verified ({:.1?})",
            app.backend,
            CLIENTS - BROWSERS,
            tally.sent.load(Ordering::SeqCst),
            tally.succeeded.load(Ordering::SeqCst),
            tally.conflicts.load(Ordering::SeqCst),
            tally.server_errors.load(Ordering::SeqCst),
            failures.len(),
            ledger.rounds,
            ledger.lost,
            ledger.twice,
            started.elapsed()
        );
        assert!(failures.is_empty(), "failed requests: {failures:#?}");
        assert!(ledger.problems.is_empty(), "{:#?}", ledger.problems);
    });
}

/// Every client reads the case and asks for one of the moves it is offered (spread over them),
/// all from the same version: exactly one wins, the others are told someone else was first.
fn move_round(app: &TestApp, racers: &mut [Racer], id: i64, round: usize, ledger: &mut Ledger) {
    let before = app.case(id).case;
    let asked = at_once(racers, |r, go| {
        let seen = r.read_case(id);
        let choice = seen.as_ref().and_then(|s| s.pick(r.n));
        go.wait();
        let (version, to) = choice?;
        let text = format!("Round {round}: {} moves the case to {to}.", r.name);
        let page = r.transition(id, version, &to, &text);
        Some(Asked {
            who: r.name.clone(),
            kind: "transitioned",
            text,
            to,
            version,
            page,
        })
    });
    ledger.rounds += 1;
    let asked: Vec<Asked> = asked.into_iter().flatten().collect();
    let label = format!(
        "move round {round} from {} v{}",
        before.state, before.version
    );
    ledger.check(asked.len() == CLIENTS, || {
        format!(
            "{label}: {} of {CLIENTS} clients had a move to ask for",
            asked.len()
        )
    });
    ledger.check(asked.iter().all(|a| a.version == before.version), || {
        format!(
            "{label}: clients read another version than v{}",
            before.version
        )
    });
    one_winner(&label, &asked, ledger);
    let Some(winner) = asked.iter().find(|a| a.won()) else {
        return;
    };
    ledger.ack("transitioned", 1);
    let after = app.case(id).case;
    ledger.check(
        after.version == before.version + 1 && after.state == winner.to,
        || {
            format!(
                "{label}: the case is {} v{} after {} won the move to {}",
                after.state, after.version, winner.who, winner.to
            )
        },
    );
    let events = stored_events(app, id);
    let moves = events.iter().filter(|(k, _, _)| k == "transitioned");
    ledger.check(moves.count() == round, || {
        format!("{label}: not {round} moves in the history")
    });
    for a in &asked {
        let times = events
            .iter()
            .filter(|(k, _, p)| k == "transitioned" && p["rationale"] == a.text.as_str())
            .count();
        ledger.found(&format!("{label}: {}", a.text), a.won(), times);
    }
}

/// Exactly one of `asked` succeeded; every other was refused with a clear 409.
fn one_winner(label: &str, asked: &[Asked], ledger: &mut Ledger) {
    let winners: Vec<String> = asked
        .iter()
        .filter(|a| a.won())
        .map(Asked::answer)
        .collect();
    ledger.check(winners.len() == 1, || {
        format!("{label}: {} winners: {winners:?}", winners.len())
    });
    let unclear: Vec<String> = asked
        .iter()
        .filter(|a| !a.won() && !a.page.as_ref().is_some_and(says_conflict))
        .map(Asked::answer)
        .collect();
    ledger.check(unclear.is_empty(), || {
        format!("{label}: refused without a clear 409: {unclear:?}")
    });
}

/// Comments at once. The API clients each send one without a version (it must be stored
/// whatever else moves the case meanwhile) and then one with the version they read; the
/// browser users send theirs from the case page, reloading and sending again when told someone
/// else was first. Every acknowledged comment is stored once, every refused one not at all.
fn comments(app: &TestApp, racers: &mut [Racer], id: i64, ledger: &mut Ledger) {
    let before = app.case(id).case.version;
    let asked = at_once(racers, |r, go| {
        let seen = r.read_case(id);
        go.wait();
        let mut out = Vec::new();
        let Some(seen) = seen else { return out };
        let mut ask = |text: String, version: Option<i64>, page: Option<Page>| {
            out.push(Asked {
                who: r.name.clone(),
                kind: "commented",
                text,
                to: String::new(),
                version: version.unwrap_or(0),
                page,
            });
        };
        if r.browser() {
            let text = format!("{} notes the lot's fence line (form).", r.name);
            let mut version = Some(seen.version);
            for _ in 0..COMMENT_TRIES {
                let page = r.comment(id, &text, version);
                let again = page.as_ref().is_some_and(|p| p.status == 409);
                ask(text.clone(), version, page);
                if !again {
                    break;
                }
                version = r.read_case(id).map(|s| s.version);
            }
        } else {
            let text = format!("{} notes the power line (API, no version).", r.name);
            let page = r.comment(id, &text, None);
            ask(text, None, page);
            let text = format!("{} notes the access road (API, v{}).", r.name, seen.version);
            let page = r.comment(id, &text, Some(seen.version));
            ask(text, Some(seen.version), page);
        }
        out
    });
    let asked: Vec<Asked> = asked.into_iter().flatten().collect();
    // A comment without a version cannot be stale: refusing one is the bug this guards against.
    let refused: Vec<String> = asked
        .iter()
        .filter(|a| a.text.contains("no version") && !a.won())
        .map(|a| {
            let body = a.page.as_ref().map(|p| p.body.clone()).unwrap_or_default();
            format!("{}: {body:.200}", a.answer())
        })
        .collect();
    ledger.check(refused.is_empty(), || {
        format!("comments sent without a version were refused: {refused:#?}")
    });
    let unclear: Vec<String> = asked
        .iter()
        .filter(|a| !a.won() && !a.page.as_ref().is_some_and(says_conflict))
        .map(Asked::answer)
        .collect();
    ledger.check(unclear.is_empty(), || {
        format!("comments refused without a clear 409: {unclear:?}")
    });
    let events = stored_events(app, id);
    let mut acked = 0;
    let mut texts: Vec<&str> = asked.iter().map(|a| a.text.as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    for text in texts {
        let won = asked.iter().filter(|a| a.text == text && a.won()).count();
        let times = events
            .iter()
            .filter(|(k, _, p)| k == "commented" && p["body"] == text)
            .count();
        ledger.check(won <= 1, || {
            format!("comment {text:?} acknowledged {won} times")
        });
        ledger.found(&format!("comment {text:?}"), won > 0, times);
        acked += won;
    }
    ledger.ack("commented", acked);
    let after = app.case(id).case.version;
    ledger.check(after == before + i64::try_from(acked).unwrap_or(0), || {
        format!("{acked} comments acknowledged, but the version went from {before} to {after}")
    });
}

/// The browser users each open the edit form and save a title of their own at once, while the
/// API clients export the case: exactly one edit wins, and every export is served with a chain
/// that verifies.
fn edit_round(app: &TestApp, racers: &mut [Racer], id: i64, round: usize, ledger: &mut Ledger) {
    let before = app.case(id).case;
    let asked = at_once(racers, |r, go| {
        if !r.browser() {
            go.wait();
            let page = r.get(&format!("/api/v1/cases/{id}/export"));
            let verified = page.as_ref().is_some_and(|p| {
                p.status == 200 && cordon::domain::export::verify(&p.body).is_ok()
            });
            if !verified {
                r.tally.fail(format!(
                    "{}: an export during edit round {round} did not verify",
                    r.name
                ));
            }
            return (None, verified.then(|| r.name.clone()));
        }
        let version = r
            .get(&format!("/cases/{id}/edit"))
            .and_then(|p| p.attr("input[name=version]", "value"))
            .and_then(|v| v.parse::<i64>().ok());
        go.wait();
        let Some(version) = version else {
            return (None, None);
        };
        let title = format!("Lot 7 mine, as {} saw it in edit round {round}", r.name);
        let mut fields = mineone_form();
        for (k, v) in fields.iter_mut() {
            if *k == "title" {
                v.clone_from(&title);
            }
        }
        fields.push(("version", version.to_string()));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = r.post_form(&format!("/cases/{id}/edit"), &borrowed);
        let asked = Asked {
            who: r.name.clone(),
            kind: "edited",
            text: title,
            to: String::new(),
            version,
            page,
        };
        (Some(asked), None)
    });
    ledger.rounds += 1;
    let (edits, exports): (Vec<_>, Vec<_>) = asked.into_iter().unzip();
    let edits: Vec<Asked> = edits.into_iter().flatten().collect();
    for by in exports.into_iter().flatten() {
        ledger.export(&by, export_kind("json", "api"));
    }
    let label = format!("edit round {round} from v{}", before.version);
    ledger.check(edits.len() == BROWSERS, || {
        format!(
            "{label}: {} of {BROWSERS} edit forms were read",
            edits.len()
        )
    });
    one_winner(&label, &edits, ledger);
    let Some(winner) = edits.iter().find(|a| a.won()) else {
        return;
    };
    // An edit records what changed and the screening run on the new facts.
    ledger.ack("edited", 1);
    ledger.ack("screened", 1);
    let after = app.case(id).case;
    ledger.check(
        after.version == before.version + 1 && after.title == winner.text,
        || {
            format!(
                "{label}: the case reads {:?} at v{} after {} won",
                after.title, after.version, winner.who
            )
        },
    );
    let events = stored_events(app, id);
    for a in &edits {
        let times = events
            .iter()
            .filter(|(k, _, p)| {
                k == "edited"
                    && p["changes"].as_array().is_some_and(|c| {
                        c.iter()
                            .any(|c| c["field"] == "title" && c["new"] == a.text.as_str())
                    })
            })
            .count();
        ledger.found(&format!("{label}: title {:?}", a.text), a.won(), times);
    }
}

/// The event an export records: `exported`, by format and channel.
fn export_kind(format: &str, via: &str) -> &'static str {
    match (format, via) {
        ("json", "api") => "exported json via api",
        ("json", _) => "exported json via web",
        ("csv", _) => "exported csv via web",
        _ => "exported pdf via web",
    }
}

/// Uploads, exports and comments at once: browser users each attach a file of their own and
/// export the case (JSON, CSV or PDF in turn); API clients export it and comment without a
/// version. Every one is answered with success and recorded once.
fn files_and_exports(app: &TestApp, racers: &mut [Racer], id: i64, ledger: &mut Ledger) {
    let done = at_once(racers, |r, go| {
        let n = r.n;
        // (event kind, what identifies the write, acknowledged, client, file name)
        let mut out: Vec<(&'static str, String, bool, String, String)> = Vec::new();
        if r.browser() {
            let read = r.get(&format!("/cases/{id}"));
            go.wait();
            if read.is_none() {
                return out;
            }
            let name = format!("{}-site-visit.txt", r.name);
            let content = format!("Site visit notes by {}: fence, gate, substation.\n", r.name)
                .repeat(20 + n);
            let page = r.upload(id, &name, content.as_bytes());
            out.push((
                "attachment_added",
                sha256_hex(content.as_bytes()),
                page.is_some_and(|p| r.expect(p.status == 303, "uploading", &p)),
                r.name.clone(),
                name,
            ));
            let (path, format) = match n % 3 {
                0 => ("export.json", "json"),
                1 => ("export.csv", "csv"),
                _ => ("dossier.pdf", "pdf"),
            };
            let page = r.get(&format!("/cases/{id}/{path}"));
            let ok = page.is_some_and(|p| r.expect(p.status == 200, path, &p));
            out.push((
                export_kind(format, "web"),
                String::new(),
                ok,
                r.name.clone(),
                String::new(),
            ));
        } else {
            go.wait();
            let page = r.get(&format!("/api/v1/cases/{id}/export"));
            let ok = page.is_some_and(|p| r.expect(p.status == 200, "the API export", &p));
            out.push((
                export_kind("json", "api"),
                String::new(),
                ok,
                r.name.clone(),
                String::new(),
            ));
            let text = format!("{} saw the files arrive (API, no version).", r.name);
            let page = r.comment(id, &text, None);
            let ok = page.is_some_and(|p| r.expect(p.status == 201, "commenting", &p));
            out.push(("commented", text, ok, r.name.clone(), String::new()));
        }
        out
    });
    ledger.rounds += 1;
    let done: Vec<_> = done.into_iter().flatten().collect();
    let events = stored_events(app, id);
    let files = cordon::db::attachments::of_case(&mut app.conn(), id).expect("attachments");
    for (kind, key, ok, by, name) in &done {
        match *kind {
            "attachment_added" | "commented" if *ok => ledger.ack(kind, 1),
            _ if *ok => ledger.export(by, kind),
            _ => {}
        }
        match *kind {
            "attachment_added" => {
                if *ok {
                    ledger.files.push(name.clone());
                }
                let rows = files.iter().filter(|f| &f.sha256 == key).count();
                let times = events
                    .iter()
                    .filter(|(k, _, p)| k == kind && p["sha256"] == key.as_str())
                    .count();
                ledger.check(rows == times, || {
                    format!("file {key}: {rows} stored, {times} recorded")
                });
                ledger.found(&format!("file {key}"), *ok, times);
            }
            "commented" => {
                let times = events
                    .iter()
                    .filter(|(k, _, p)| k == kind && p["body"] == key.as_str())
                    .count();
                ledger.found(&format!("comment {key:?}"), *ok, times);
            }
            _ => {}
        }
    }
}

/// Everything at once: half the clients ask for a move from the version they read, while the
/// other half attach files (browsers) or comment without a version (API). The moves race each
/// other and the comments, so at most one wins, and the others are told why; every file and
/// comment is stored once, and the version moved once for each acknowledged change.
fn storm(app: &TestApp, racers: &mut [Racer], id: i64, ledger: &mut Ledger) {
    let before = app.case(id).case;
    let asked = at_once(racers, |r, go| {
        let seen = r.read_case(id);
        go.wait();
        let (version, to) = seen.as_ref()?.pick(r.n)?;
        let (kind, text, page) = match (r.n.is_multiple_of(2), r.browser()) {
            (true, _) => {
                let text = format!("In the storm, {} moves the case to {to}.", r.name);
                let page = r.transition(id, version, &to, &text);
                ("transitioned", text, page)
            }
            (false, true) => {
                let name = format!("{}-storm-photo.txt", r.name);
                let content = format!("Photo log by {} during the storm.\n", r.name);
                let page = r.upload(id, &name, content.as_bytes());
                ("attachment_added", name, page)
            }
            (false, false) => {
                let text = format!("{} writes during the storm (API, no version).", r.name);
                ("commented", text.clone(), r.comment(id, &text, None))
            }
        };
        Some(Asked {
            who: r.name.clone(),
            kind,
            text,
            to,
            version,
            page,
        })
    });
    ledger.rounds += 1;
    let asked: Vec<Asked> = asked.into_iter().flatten().collect();
    let label = format!("the storm from {} v{}", before.state, before.version);
    ledger.check(asked.len() == CLIENTS, || {
        format!("{label}: {} of {CLIENTS} clients were ready", asked.len())
    });
    let (moves, others): (Vec<&Asked>, Vec<&Asked>) =
        asked.iter().partition(|a| a.kind == "transitioned");
    let won: Vec<&&Asked> = moves.iter().filter(|a| a.won()).collect();
    ledger.check(won.len() <= 1, || {
        format!("{label}: {} moves won from one version", won.len())
    });
    let unclear: Vec<String> = moves
        .iter()
        .filter(|a| !a.won() && !a.page.as_ref().is_some_and(says_conflict))
        .map(|a| a.answer())
        .collect();
    ledger.check(unclear.is_empty(), || {
        format!("{label}: moves refused without a clear 409: {unclear:?}")
    });
    let failed: Vec<String> = others
        .iter()
        .filter(|a| !a.won())
        .map(|a| a.answer())
        .collect();
    ledger.check(failed.is_empty(), || {
        format!("{label}: files and comments refused: {failed:?}")
    });
    let events = stored_events(app, id);
    let files = cordon::db::attachments::of_case(&mut app.conn(), id).expect("attachments");
    for a in &asked {
        // What identifies each in its event: a file's name, a comment's text, a move's reason.
        let field = match a.kind {
            "attachment_added" => "name",
            "commented" => "body",
            _ => "rationale",
        };
        let times = events
            .iter()
            .filter(|(k, _, p)| k == a.kind && p[field] == a.text.as_str())
            .count();
        if a.kind == "attachment_added" {
            let rows = files.iter().filter(|f| f.name == a.text).count();
            ledger.check(rows == times, || {
                format!("{label}: file {}: {rows} stored, {times} recorded", a.text)
            });
        }
        ledger.found(&format!("{label}: {}", a.text), a.won(), times);
        if a.won() {
            ledger.ack(a.kind, 1);
            if a.kind == "attachment_added" {
                ledger.files.push(a.text.clone());
            }
        }
    }
    let after = app.case(id).case;
    let changes = asked
        .iter()
        .filter(|a| a.won() && a.kind != "attachment_added")
        .count();
    ledger.check(
        after.version == before.version + i64::try_from(changes).unwrap_or(0),
        || {
            format!(
                "{label}: {changes} changes acknowledged, the version went from {} to {}",
                before.version, after.version
            )
        },
    );
    if let Some(w) = won.first() {
        ledger.check(after.state == w.to, || {
            format!("{label}: the case is {} after {} won", after.state, w.who)
        });
    }
}

/// The stored history verifies, by the project's verifier, on the case page, through the API and
/// in an exported file, and it holds exactly the acknowledged writes: every event is one of
/// them, each export recorded once under its client's name. Returns how many events were
/// verified.
fn history_holds_what_was_acknowledged(
    app: &TestApp,
    racers: &[Racer],
    id: i64,
    ledger: &mut Ledger,
) -> usize {
    let reference = app.case(id).case.reference;
    let rows = cordon::db::events::of_case(&mut app.conn(), id).expect("events");
    let chained: Vec<_> = rows
        .iter()
        .map(|r| cordon::service::history::chained(&reference, r).expect("event payload"))
        .collect();
    let verdict = cordon::domain::history::verify(&reference, &chained);
    ledger.check(verdict.is_ok(), || format!("the stored chain: {verdict:?}"));

    let mut stored: BTreeMap<String, usize> = BTreeMap::new();
    let mut exports: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (kind, actor, payload) in stored_events(app, id) {
        let key = match kind.as_str() {
            "exported" => format!(
                "exported {} via {}",
                payload["format"].as_str().unwrap_or("?"),
                payload["via"].as_str().unwrap_or("?")
            ),
            _ => kind,
        };
        if key.starts_with("exported") {
            *exports.entry((actor, key.clone())).or_default() += 1;
        }
        *stored.entry(key).or_default() += 1;
    }
    // The report itself: its `created` and first `screened` events.
    let mut expected: BTreeMap<String, usize> =
        BTreeMap::from([("created".to_string(), 1), ("screened".to_string(), 1)]);
    for (kind, n) in &ledger.acked {
        *expected.entry((*kind).to_string()).or_default() += n;
    }
    ledger.check(stored == expected, || {
        format!("the history holds {stored:?}, the clients were told {expected:?}")
    });
    let told: BTreeMap<(String, String), usize> = ledger
        .exports
        .iter()
        .map(|((by, kind), n)| ((by.clone(), (*kind).to_string()), *n))
        .collect();
    ledger.check(exports == told, || {
        format!("exports recorded {exports:?}, acknowledged {told:?}")
    });
    let acknowledged: usize = expected.values().sum();
    ledger.check(rows.len() == acknowledged, || {
        format!(
            "{} events stored, {acknowledged} writes acknowledged",
            rows.len()
        )
    });

    // What users see: the case page lists every file and says the history verifies; the
    // API's history and an exported file verify too.
    let browser = racers.iter().find(|r| r.browser()).expect("a browser");
    let page = browser.get(&format!("/cases/{id}"));
    let status = page
        .as_ref()
        .map(|p| p.text("#chain-status"))
        .unwrap_or_default();
    ledger.check(
        status.starts_with(&format!("History verified: {} events", rows.len())),
        || format!("the case page says {status:?}"),
    );
    let mut listed = page
        .as_ref()
        .map(|p| p.texts("#attachment-list .attachment-link"))
        .unwrap_or_default();
    let mut files = ledger.files.clone();
    listed.sort_unstable();
    files.sort_unstable();
    ledger.check(listed == files, || {
        format!("the case page lists {listed:?}, uploaded {files:?}")
    });
    let api = racers.iter().find(|r| !r.browser()).expect("an API client");
    let history = api.get(&format!("/api/v1/cases/{id}/history"));
    let seen: Value = history
        .as_ref()
        .and_then(|p| serde_json::from_str(&p.body).ok())
        .unwrap_or(Value::Null);
    ledger.check(
        seen["verified"] == true && seen["events"].as_array().map(Vec::len) == Some(rows.len()),
        || format!("the API's history: verified {}", seen["verified"]),
    );
    let export = api.get(&format!("/api/v1/cases/{id}/export"));
    let checked = export
        .as_ref()
        .map(|p| cordon::domain::export::verify(&p.body).map(|i| format!("{i:?}")));
    ledger.check(matches!(checked, Some(Ok(_))), || {
        format!("the final export: {checked:?}")
    });
    rows.len()
}

/// The bug the races found first: a comment sent without a version (as the API allows) was
/// refused as stale when another write moved the case between the service reading the version
/// and taking the write lock. Sixteen such comments at once are all stored, once each.
#[test]
fn comments_without_a_version_sent_at_once_are_all_stored() {
    each_backend(|app| {
        const N: usize = 16;
        app.user("author", Role::Reviewer);
        let id = app.report("author", mineone_json());
        let tally = Tally::default();
        let mut racers: Vec<Racer> = (BROWSERS..BROWSERS + N)
            .map(|n| Racer::new(app, &tally, n))
            .collect();
        let answers = at_once(&mut racers, |r, go| {
            go.wait();
            let text = format!("{} was here.", r.name);
            let status = r.comment(id, &text, None).map(|p| p.status);
            (text, status)
        });
        let refused: Vec<_> = answers.iter().filter(|(_, s)| *s != Some(201)).collect();
        assert!(refused.is_empty(), "refused: {refused:?}");
        let events = stored_events(app, id);
        for (text, _) in &answers {
            let times = events
                .iter()
                .filter(|(k, _, p)| k == "commented" && p["body"] == text.as_str())
                .count();
            assert_eq!(times, 1, "{text:?} stored {times} times");
        }
        let v = app.case(id);
        assert_eq!(
            v.case.version,
            1 + N as i64,
            "each comment moved the version"
        );
        assert!(v.chain.is_ok(), "{:?}", v.chain);
    });
}

/// The second: the server closed connections idle for five seconds (actix's default), so a
/// client that pools connections (reqwest keeps them 90 s; proxies about a minute) could send
/// its next request on a socket the server was closing, and get a reset instead of an answer.
/// A connection idle for six seconds still carries the next request.
#[test]
fn a_connection_idle_for_six_seconds_still_carries_the_next_request() {
    let app = TestApp::spawn(Backend::Sqlite, |_| {});
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut conn = TcpStream::connect(&addr).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let ask = |conn: &mut TcpStream| -> String {
        if conn.write_all(request.as_bytes()).is_err() {
            return String::new();
        }
        let mut answer = Vec::new();
        let mut buf = [0u8; 1024];
        // The answer is short: its head and the two bytes `ok`.
        while !answer.ends_with(b"\r\n\r\nok") {
            match conn.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    };
    let first = ask(&mut conn);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    // The idle time is what is tested, not a wait for something to happen.
    std::thread::sleep(Duration::from_secs(6));
    let second = ask(&mut conn);
    assert!(
        second.starts_with("HTTP/1.1 200"),
        "the server closed a connection idle for six seconds: {second:?}"
    );
}
