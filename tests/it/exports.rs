//! Exports: one case as verifiable JSON (pages, API, command line), its timeline as CSV, the
//! printable dossier, every case of a queue filter as CSV and JSON Lines, and `cordon verify`
//! run as the real binary on real (and tampered) exported files.

use std::collections::BTreeSet;
use std::process::Command;

use cordon::domain::history::{next_event, ChainedEvent, EventKind};
use cordon::domain::Role;
use cordon::service::clock::Now;
use serde_json::{json, Value};

use crate::attachments::{sha256_hex, upload, File};
use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, Client, TestApp};

/// An API token for a new user.
fn token(app: &TestApp, name: &str, role: Role) -> String {
    app.user(name, role);
    let (_, secret) =
        cordon::service::users::create_token(&mut app.conn(), None, name, "export test").unwrap();
    secret
}

/// A GET on the API: status and JSON body.
fn api(app: &TestApp, token: Option<&str>, path: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::blocking::Client::new().get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{path}: status {status}, not JSON ({e}): {text:.300}"));
    (status, headers, body)
}

/// The case's history as the API reports it.
fn history(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, _, body) = api(app, Some(token), &format!("/api/v1/cases/{id}/history"));
    assert_eq!(status, 200, "{body}");
    body
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A GET read as text with its headers (the body of a download).
fn fetch(c: &Client, path: &str) -> Page {
    let res = c.get_raw(path);
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.text().unwrap();
    Page {
        status,
        headers,
        body,
    }
}

fn comment(app: &TestApp, by: &str, id: i64, body: &str) {
    cordon::service::cases::comment(
        &mut app.conn(),
        &app.principal(by),
        id,
        body,
        None,
        &Now::real(),
    )
    .unwrap();
}

/// Comments through the case page's form, as a reviewer would.
fn comment_on_page(c: &Client, id: i64, body: &str) {
    let page = c.get(&format!("/cases/{id}"));
    let version = page.attr("input[name=version]", "value").unwrap();
    let res = c.post(
        &format!("/cases/{id}/comment"),
        &[("body", body), ("version", &version)],
    );
    assert_eq!(res.status, 303, "{}", res.body);
}

/// MineOne logged by `rev`, moved twice with two comments between: 6 events.
fn worked_case(app: &TestApp) -> i64 {
    app.user("rev", Role::Reviewer);
    let id = app.report("rev", mineone_json());
    app.move_case("rev", id, "screening", None);
    comment(app, "rev", id, "Called the county assessor.");
    comment(app, "rev", id, "Microsoft flagged the site.");
    app.move_case("rev", id, "notice_submitted", None);
    assert_eq!(app.case(id).events.len(), 6);
    id
}

/// Runs the real `cordon` binary against the test database: exit code, stdout, stderr.
fn cordon(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("CORDON_KEY_FILE", &app.key_file)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `cordon verify -` with the document on standard input.
fn verify_stdin(app: &TestApp, doc: &str) -> (i32, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(["verify", "-"])
        .env("DATABASE_URL", &app.db_url)
        .env("CORDON_KEY_FILE", &app.key_file)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(doc.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// `cordon verify` on a document written to a file.
fn verify_file(app: &TestApp, dir: &tempfile::TempDir, name: &str, doc: &str) -> (i32, String) {
    let path = dir.path().join(name);
    std::fs::write(&path, doc).unwrap();
    let (code, out, err) = cordon(app, &["verify", path.to_str().unwrap()]);
    (code, format!("{out}{err}"))
}

fn events_of(doc: &Value) -> Vec<Value> {
    doc["events"].as_array().unwrap().clone()
}

fn with_events(doc: &Value, events: Vec<Value>) -> String {
    let mut d = doc.clone();
    d["events"] = Value::Array(events);
    serde_json::to_string_pretty(&d).unwrap()
}

#[test]
fn a_json_export_verifies_and_matches_the_history() {
    each_backend(|app| {
        let id = worked_case(app);
        let version = app.case(id).case.version;
        let reference = app.case(id).case.reference;
        let observer = app.signed_in(Role::Observer);
        let watcher = token(app, "watcher", Role::Observer);

        // The case page offers the export.
        let page = observer.get(&format!("/cases/{id}"));
        assert_eq!(
            page.attr("#json-link", "href"),
            Some(format!("/cases/{id}/export.json"))
        );
        let res = fetch(&observer, &format!("/cases/{id}/export.json"));
        assert_eq!(res.status, 200);
        assert!(header(&res.headers, "content-type").starts_with("application/json"));
        let disposition = header(&res.headers, "content-disposition");
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(
            disposition.contains(&format!("filename=\"{reference}.json\"")),
            "{disposition}"
        );
        assert_eq!(header(&res.headers, "x-content-type-options"), "nosniff");

        let intact = cordon::domain::export::verify(&res.body)
            .unwrap_or_else(|e| panic!("the export does not verify: {e}"));
        assert_eq!(intact.reference, reference);
        assert_eq!(intact.events, 7, "6 events and the export's own");

        // The history now reports exactly what the file holds, ending with this export.
        let h = history(app, &watcher, id);
        assert_eq!(h["verified"], true);
        let events = h["events"].as_array().unwrap();
        assert_eq!(events.len(), intact.events);
        assert_eq!(h["head"], intact.head.as_str());
        let last = events.last().unwrap();
        assert_eq!(last["kind"], "exported");
        assert_eq!(last["actor"], "observer1");
        assert_eq!(last["payload"]["format"], "json");
        assert_eq!(last["payload"]["via"], "web");
        assert_eq!(last["hash"], intact.head.as_str());

        // The document: the case as it stands, every event with its hashes.
        let doc: Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(doc["format"], "cordon-case-export");
        assert_eq!(doc["exported_by"], "observer1");
        assert_eq!(doc["case"]["reference"], reference.as_str());
        assert_eq!(doc["case"]["title"], "Crypto mine next to F.E. Warren AFB");
        assert_eq!(doc["case"]["state"], "notice_submitted");
        assert_eq!(doc["case"]["version"], version);
        assert_eq!(doc["parties"].as_array().unwrap().len(), 3);
        assert_eq!(doc["chain"]["verified"], true);
        assert_eq!(doc["chain"]["events"], 7);
        assert_eq!(doc["chain"]["head"], intact.head.as_str());
        let exported = events_of(&doc);
        for (i, (e, h)) in exported.iter().zip(events).enumerate() {
            assert_eq!(e["seq"], i + 1);
            assert_eq!(e["hash"], h["hash"], "event {}", i + 1);
            assert_eq!(e["payload"], h["payload"], "event {}", i + 1);
        }
        let kinds: Vec<&str> = exported
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "created",
                "screened",
                "transitioned",
                "commented",
                "commented",
                "transitioned",
                "exported"
            ]
        );
        assert_eq!(
            exported[4]["payload"]["body"],
            "Microsoft flagged the site."
        );

        // Exporting does not change the case.
        assert_eq!(app.case(id).case.version, version);
        let (_, _, shown) = api(app, Some(&watcher), &format!("/api/v1/cases/{id}"));
        assert_eq!(shown["version"], version);

        // The file stays intact as a snapshot while the history grows past it.
        comment(app, "rev", id, "Later note.");
        let again = cordon::domain::export::verify(&res.body).unwrap();
        assert_eq!(again.head, intact.head);
        let second = fetch(&observer, &format!("/cases/{id}/export.json"));
        let newer = cordon::domain::export::verify(&second.body).unwrap();
        assert_eq!(newer.events, 9);
        assert_eq!(history(app, &watcher, id)["head"], newer.head.as_str());

        // Unknown cases are a clean 404 and record nothing.
        assert_eq!(fetch(&observer, "/cases/999999/export.json").status, 404);
        assert_eq!(fetch(&observer, "/cases/abc/export.json").status, 404);
        // Signed out: to the login page.
        let anonymous = Client::new(app).get(&format!("/cases/{id}/export.json"));
        assert_eq!(anonymous.status, 303);
        assert!(anonymous.location().starts_with("/login"));
        assert_eq!(app.case(id).events.len(), 9);
    });
}

#[test]
fn tampering_with_an_exported_file_is_caught_by_cordon_verify() {
    each_backend(|app| {
        let id = worked_case(app);
        let observer = app.signed_in(Role::Observer);
        let text = fetch(&observer, &format!("/cases/{id}/export.json")).body;
        let doc: Value = serde_json::from_str(&text).unwrap();
        let reference = doc["case"]["reference"].as_str().unwrap().to_string();
        let dir = tempfile::tempdir().unwrap();
        let events = events_of(&doc);
        assert_eq!(events.len(), 7);

        // Untouched: exit 0 with the count, head and reference.
        let (code, out) = verify_file(app, &dir, "intact.json", &text);
        assert_eq!(code, 0, "{out}");
        let head = doc["chain"]["head"].as_str().unwrap();
        // The first line is the chain's verdict; the second names the signature (see signing.rs).
        assert_eq!(
            out.lines().next().unwrap_or_default(),
            format!("intact: 7 events, head {head} ({reference})")
        );

        let broken = |name: &str, tampered: String, seq: usize| {
            let (code, out) = verify_file(app, &dir, name, &tampered);
            assert_eq!(code, 1, "{name}: {out}");
            assert!(
                out.starts_with(&format!("NOT intact: event {seq}:")),
                "{name}: expected event {seq}: {out}"
            );
        };

        // One field of one event's payload (the first comment, event 4).
        let mut edited = events.clone();
        assert_eq!(edited[3]["kind"], "commented");
        edited[3]["payload"]["body"] = json!("Nothing to see here.");
        broken("edited.json", with_events(&doc, edited), 4);

        // Every event is bound to its case: the file cannot be passed off as another case's.
        let mut rebound = doc.clone();
        rebound["case"]["reference"] = json!("CFN-1999-00001");
        let (code, out) = verify_file(app, &dir, "rebound.json", &rebound.to_string());
        assert_eq!(code, 1, "{out}");
        assert!(out.starts_with("NOT intact: event 1:"), "{out}");

        // An event dropped from the middle.
        let mut dropped = events.clone();
        dropped.remove(3);
        broken("dropped.json", with_events(&doc, dropped), 4);

        // Two events swapped.
        let mut swapped = events.clone();
        swapped.swap(2, 3);
        broken("swapped.json", with_events(&doc, swapped), 3);

        // A forged event with correct hashes appended.
        let chained: Vec<ChainedEvent> = serde_json::from_value(doc["events"].clone()).unwrap();
        let forged = next_event(
            &reference,
            chained.last(),
            "2099-01-01T00:00:00Z".into(),
            "mallory",
            EventKind::Commented,
            json!({"body": "All cleared."}),
        );
        let mut appended = events.clone();
        appended.push(serde_json::to_value(&forged).unwrap());
        broken("appended.json", with_events(&doc, appended), 8);

        // The last event dropped.
        let mut truncated = events.clone();
        truncated.pop();
        broken("truncated.json", with_events(&doc, truncated), 7);

        // An attachment listed that the history never recorded.
        let mut listed = doc.clone();
        listed["attachments"] = json!([{"id": 1, "name": "planted.pdf", "content_type": "application/pdf",
            "size": 10, "sha256": "ab".repeat(32), "uploaded_by": "mallory", "uploaded_at": "2099-01-01T00:00:00Z"}]);
        let (code, out) = verify_file(app, &dir, "planted.json", &listed.to_string());
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("planted.pdf"), "{out}");

        // Not an export at all: exit 2.
        for (name, text) in [
            ("other.json", r#"{"hello": "world"}"#),
            ("list.json", "[1, 2, 3]"),
            ("text.json", "not json at all"),
        ] {
            let (code, out) = verify_file(app, &dir, name, text);
            assert_eq!(code, 2, "{name}: {out}");
        }
        let missing = dir.path().join("missing.json");
        let (code, _, err) = cordon(app, &["verify", missing.to_str().unwrap()]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot read"), "{err}");

        // The original file still checks out after all that, from a file or standard input.
        assert_eq!(verify_file(app, &dir, "intact-again.json", &text).0, 0);
        let (code, out) = verify_stdin(app, &text);
        assert_eq!(code, 0, "{out}");
        assert!(out.starts_with("intact: 7 events"), "{out}");
        let (code, out) = verify_stdin(app, &with_events(&doc, events[..6].to_vec()));
        assert_eq!(code, 1, "{out}");
        assert!(out.starts_with("NOT intact: event 7:"), "{out}");
    });
}

#[test]
fn the_api_exports_with_a_bearer_token() {
    each_backend(|app| {
        let id = worked_case(app);
        let secret = token(app, "analyst", Role::Observer);
        let version = app.case(id).case.version;

        let (status, headers, doc) = api(app, Some(&secret), &format!("/api/v1/cases/{id}/export"));
        assert_eq!(status, 200, "{doc}");
        assert!(header(&headers, "content-type").starts_with("application/json"));
        let intact = cordon::domain::export::verify(&doc.to_string()).unwrap();
        assert_eq!(intact.events, 7);
        assert_eq!(doc["exported_by"], "analyst");
        let last = events_of(&doc).pop().unwrap();
        assert_eq!(last["kind"], "exported");
        assert_eq!(last["actor"], "analyst");
        assert_eq!(last["payload"]["via"], "api");
        assert_eq!(last["payload"]["format"], "json");
        assert_eq!(history(app, &secret, id)["head"], intact.head.as_str());
        assert_eq!(app.case(id).case.version, version);

        // The same document as the page's export.
        let observer = app.signed_in(Role::Observer);
        let page: Value =
            serde_json::from_str(&fetch(&observer, &format!("/cases/{id}/export.json")).body)
                .unwrap();
        let keys =
            |v: &Value| -> BTreeSet<String> { v.as_object().unwrap().keys().cloned().collect() };
        assert_eq!(keys(&doc), keys(&page));
        for k in [
            "format",
            "case",
            "parties",
            "ftm",
            "screening",
            "hit_decisions",
            "deadlines",
            "decisions",
            "conditions",
            "attachments",
            "chain",
            "events",
        ] {
            assert!(doc.get(k).is_some(), "{k} missing");
        }
        assert_eq!(keys(&doc["case"]), keys(&page["case"]));
        assert_eq!(doc["case"]["reference"], page["case"]["reference"]);
        assert_eq!(doc["parties"], page["parties"]);

        // The MineOne chain as FollowTheMoney entities.
        let ftm = doc["ftm"].as_array().unwrap();
        let named = |name: &str| -> &Value {
            ftm.iter()
                .find(|e| e["properties"]["name"][0] == name)
                .unwrap_or_else(|| panic!("no entity named {name}: {ftm:?}"))
        };
        let llc = named("MineOne Wyoming Data Center LLC");
        let parent = named("MineOne Partners Ltd");
        let nationals = named("PRC nationals (undisclosed)");
        assert_eq!(llc["schema"], "Company");
        assert_eq!(parent["schema"], "Company");
        assert_eq!(nationals["schema"], "Person");
        assert_eq!(parent["properties"]["jurisdiction"][0], "vg");
        assert_eq!(nationals["properties"]["nationality"][0], "cn");
        let ownerships: Vec<&Value> = ftm.iter().filter(|e| e["schema"] == "Ownership").collect();
        assert_eq!(ownerships.len(), 2, "{ftm:?}");
        let link = |owner: &Value, asset: &Value| {
            ownerships
                .iter()
                .find(|o| {
                    o["properties"]["owner"][0] == owner["id"]
                        && o["properties"]["asset"][0] == asset["id"]
                })
                .copied()
        };
        let top = link(nationals, parent).expect("PRC nationals own MineOne Partners");
        assert_eq!(top["properties"]["percentage"][0], "51");
        let mid = link(parent, llc).expect("MineOne Partners owns the LLC");
        assert_eq!(mid["properties"]["percentage"][0], "100");
        let ids: BTreeSet<&str> = ftm.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), ftm.len(), "entity ids are unique");

        // No token, a bad token, an unknown case.
        let (status, _, body) = api(app, None, &format!("/api/v1/cases/{id}/export"));
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "unauthenticated");
        let (status, _, _) = api(app, Some("nope"), &format!("/api/v1/cases/{id}/export"));
        assert_eq!(status, 401);
        let (status, _, body) = api(app, Some(&secret), "/api/v1/cases/999999/export");
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
        let (status, _, _) = api(app, Some(&secret), "/api/v1/cases/abc/export");
        assert_eq!(status, 404);
        // Refusals record nothing: the history holds the two exports only.
        let h = history(app, &secret, id);
        let exports = h["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "exported")
            .count();
        assert_eq!(exports, 2);
    });
}

#[test]
fn the_timeline_csv_has_a_row_per_event_and_no_live_formulas() {
    each_backend(|app| {
        let reviewer = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let formula = "=HYPERLINK(\"http://x\",\"y\")";
        let unicode = "Prüfung: Grundstück nahe 北京 — ✓ «ok»";
        comment_on_page(&reviewer, id, formula);
        comment_on_page(&reviewer, id, unicode);
        comment_on_page(&reviewer, id, "line one\nline, \"two\"");
        // User names cannot start with a formula character today; the actor column is
        // neutralised all the same, so write such actors through the service layer.
        for actor in ["@mallory", "+cmd"] {
            let mut p = app.principal("reviewer1");
            p.username = actor.into();
            cordon::service::cases::comment(&mut app.conn(), &p, id, "-1+2", None, &Now::real())
                .unwrap();
        }

        let observer = app.signed_in(Role::Observer);
        let res = fetch(&observer, &format!("/cases/{id}/export.csv"));
        assert_eq!(res.status, 200);
        assert_eq!(
            header(&res.headers, "content-type"),
            "text/csv; charset=utf-8"
        );
        let reference = app.case(id).case.reference;
        let disposition = header(&res.headers, "content-disposition");
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(
            disposition.contains(&format!("{reference}-timeline.csv")),
            "{disposition}"
        );
        assert!(res.body.contains(unicode), "UTF-8 text kept as written");

        let mut reader = csv::Reader::from_reader(res.body.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            headers,
            [
                "seq",
                "at",
                "actor",
                "kind",
                "payload",
                "prev_hash",
                "hash",
                "case"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let events = app.case(id).events;
        assert_eq!(rows.len(), events.len(), "one row per event");
        assert_eq!(rows.len(), 8, "2 + 5 comments + the export");
        for (row, e) in rows.iter().zip(&events) {
            assert_eq!(&row[0], e.body.seq.to_string());
            assert_eq!(&row[1], e.body.at);
            assert_eq!(&row[3], e.body.kind);
            assert_eq!(&row[5], e.body.prev_hash);
            assert_eq!(&row[6], e.hash);
            assert_eq!(&row[7], reference);
        }
        // No cell can run as a formula in a spreadsheet.
        for (i, row) in rows.iter().enumerate() {
            for cell in row.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "row {}: live formula {cell:?}",
                    i + 1
                );
            }
        }
        // The formula comment is kept, as inert text.
        let payload = |i: usize| -> Value {
            let cell = rows[i][4].trim_start_matches('\'');
            serde_json::from_str(cell).unwrap()
        };
        assert_eq!(payload(2)["body"], formula);
        assert_eq!(payload(3)["body"], unicode);
        assert_eq!(payload(4)["body"], "line one\nline, \"two\"");
        // Actors that start like a formula come out prefixed with an apostrophe.
        assert_eq!(&rows[5][2], "'@mallory");
        assert_eq!(&rows[6][2], "'+cmd");
        assert_eq!(&rows[2][2], "reviewer1");
        // The last row is this export, by the observer.
        assert_eq!(&rows[7][2], "observer1");
        assert_eq!(&rows[7][3], "exported");
        assert_eq!(payload(7)["format"], "csv");
        assert_eq!(app.case(id).events.len(), 8);
    });
}

#[test]
fn the_print_page_is_a_dossier_with_escaped_text_and_no_site_navigation() {
    each_backend(|app| {
        let reviewer = app.signed_in(Role::Reviewer);
        let hostile = "<script>alert(1)</script>";
        let mut report = mineone_json();
        report["title"] = json!(hostile);
        report["summary"] = json!("Summary with <img src=x onerror=alert(2)> inside.");
        let id = app.report("reviewer1", report);
        app.move_case("reviewer1", id, "screening", None);
        let deed = b"Warranty deed, lot 7\n".repeat(10);
        let res = upload(
            app,
            &reviewer,
            id,
            &[File {
                name: "deed.pdf",
                content_type: "application/pdf",
                content: &deed,
            }],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let reference = app.case(id).case.reference;

        let observer = app.signed_in(Role::Observer);
        assert_eq!(
            observer
                .get(&format!("/cases/{id}"))
                .attr("#print-link", "href"),
            Some(format!("/cases/{id}/print"))
        );
        let page = observer.get(&format!("/cases/{id}/print"));
        assert_eq!(page.status, 200);
        assert!(header(&page.headers, "content-type").starts_with("text/html"));
        assert_eq!(page.text("#dossier-reference"), reference);
        assert_eq!(page.text("h1 .title"), hostile);
        let state = page.text("#dossier-state");
        assert!(state.to_lowercase().starts_with("screening"), "{state}");
        assert!(page.text("title").contains(&reference));
        // Hostile text is escaped, never markup.
        assert!(!page.body.contains(hostile));
        assert!(!page.body.contains("<img src=x"));
        assert!(!page.has_selector("main script"));
        assert!(!page.has_selector("main img"));

        // The chain head is the history's head, this print included.
        let v = app.case(id);
        let last = v.events.last().unwrap();
        assert_eq!(last.body.kind, "exported");
        assert_eq!(last.body.actor, "observer1");
        assert_eq!(last.body.payload["format"], "print");
        assert_eq!(page.text("#chain-head"), last.hash);
        assert_eq!(v.chain.as_deref().ok(), Some(last.hash.as_str()));
        assert!(page
            .text(".chain-line")
            .starts_with(&format!("History verified: {} events", v.events.len())));

        // The attachment manifest: name, size and full SHA-256.
        let manifest = page.text("#manifest tbody");
        assert!(manifest.contains("deed.pdf"), "{manifest}");
        assert!(manifest.contains("210 bytes"), "{manifest}");
        assert!(manifest.contains(&sha256_hex(&deed)), "{manifest}");
        // The parties and the timeline are there.
        assert!(page.text("main").contains("PRC nationals (undisclosed)"));
        assert_eq!(
            page.texts(".events li").len(),
            v.events.len(),
            "every event in the timeline"
        );
        // The JSON export of the same case, attachment manifest included, verifies.
        let text = fetch(&observer, &format!("/cases/{id}/export.json")).body;
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["attachments"][0]["name"], "deed.pdf");
        assert_eq!(doc["attachments"][0]["sha256"], sha256_hex(&deed));
        assert_eq!(doc["attachments"][0]["size"], deed.len());
        assert_eq!(doc["case"]["title"], hostile);
        cordon::domain::export::verify(&text).unwrap();

        // No site navigation: no main menu, no links into the rest of the application.
        assert!(!page.has_selector("nav.main-nav"));
        assert!(!page.has_selector("header nav"));
        for href in ["/sites", "/watchlists", "/admin", "/cases\"", "/logout"] {
            assert!(
                !page.body.contains(&format!("href=\"{href}")),
                "link to {href}"
            );
        }
        assert!(!page.has_selector("form"), "no forms on paper");

        assert_eq!(observer.get("/cases/999999/print").status, 404);
    });
}

/// The references a bulk CSV export lists, checking its header.
fn csv_refs(body: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &headers[..5],
        ["id", "reference", "title", "source", "state"]
    );
    assert_eq!(headers.len(), 27);
    reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect()
}

/// The references the queue page shows for a query string.
fn queue_refs(c: &Client, query: &str) -> Vec<String> {
    let page = c.get(&format!("/cases?{query}"));
    assert_eq!(page.status, 200);
    let mut refs = page.texts("#queue tbody tr td:first-child");
    refs.sort();
    refs
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn bulk_exports_match_the_queue_filters_and_are_audited() {
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        app.user("rev", Role::Reviewer);
        let mine = app.report("rev", mineone_json());
        let mut vineyard = mineone_json();
        vineyard["title"] = json!("Vineyard lease in Napa");
        vineyard["property"]["lat"] = json!(38.3);
        vineyard["property"]["lon"] = json!(-122.3);
        vineyard["property"]["state"] = json!("CA");
        vineyard["property"]["county_fips"] = json!("06055");
        vineyard["parties"] = json!([{"key": "p1", "name": "Domaine Example SA", "country": "FR", "role": "acquirer"},
                                     {"key": "p2", "name": "Smith & Sons Ltd", "country": "GB", "role": "parent", "owns": "p1"}]);
        let vineyard = app.report("rev", vineyard);
        let mut hostile = mineone_json();
        hostile["title"] = json!("=HYPERLINK(\"http://evil\",\"click\")");
        hostile["property"]["address"] = json!("+1 Main Street");
        hostile["parties"] = json!([{"key": "p1", "name": "@SUM(A1) Holdings Ltd", "country": "CN", "role": "acquirer"}]);
        let hostile = app.report("rev", hostile);
        let mut fourth = mineone_json();
        fourth["title"] = json!("Notice on a solar farm");
        let fourth = app.report("rev", fourth);
        app.move_case("rev", vineyard, "screening", None);
        for to in ["screening", "notice_submitted", "review"] {
            app.move_case("rev", fourth, to, None);
        }
        let all = [mine, vineyard, hostile, fourth];
        let reference = |id: i64| app.case(id).case.reference;

        let c = app.signed_in(Role::Observer);
        let get = |path: &str| -> Page {
            let res = fetch(&c, path);
            assert_eq!(res.status, 200, "{path}");
            res
        };

        // Unfiltered: every case, in id order, with the header row.
        let res = get("/export/cases.csv");
        assert_eq!(
            header(&res.headers, "content-type"),
            "text/csv; charset=utf-8"
        );
        assert!(header(&res.headers, "content-disposition").starts_with("attachment"));
        let refs = csv_refs(&res.body);
        assert_eq!(refs, all.map(reference));
        assert_eq!(sorted(refs), queue_refs(&c, ""));

        // Filtered like the queue.
        let band = app.case(mine).case.risk_band.clone().expect("a risk band");
        let same_band: Vec<String> = all
            .iter()
            .filter(|&&id| app.case(id).case.risk_band.as_deref() == Some(band.as_str()))
            .map(|&id| reference(id))
            .collect();
        assert!(
            same_band.len() < all.len(),
            "the sites give the cases different bands: {band}"
        );
        let by_band = format!("risk={band}");
        for (query, expected) in [
            ("state=review", vec![reference(fourth)]),
            ("state=screening", vec![reference(vineyard)]),
            ("state=lead", vec![reference(mine), reference(hostile)]),
            ("q=vineyard", vec![reference(vineyard)]),
            ("q=domaine%20example", vec![reference(vineyard)]),
            ("country=fr", vec![reference(vineyard)]),
            (by_band.as_str(), same_band.clone()),
            ("state=lead&q=hyperlink", vec![reference(hostile)]),
            ("q=no%20such%20thing", vec![]),
        ] {
            let refs = csv_refs(&get(&format!("/export/cases.csv?{query}")).body);
            assert_eq!(refs, expected, "{query}");
            assert_eq!(sorted(refs), queue_refs(&c, query), "{query}: as the queue");
        }

        // Text that a spreadsheet would run is neutralised; JSON keeps it as it is.
        let body = get("/export/cases.csv?q=hyperlink").body;
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[2], "'=HYPERLINK(\"http://evil\",\"click\")");
        assert_eq!(&row[13], "'+1 Main Street");
        assert_eq!(&row[25], "'@SUM(A1) Holdings Ltd");
        assert_eq!(&row[11], "41.17", "numbers stay numbers");
        assert_eq!(&row[12], "-104.85", "numbers stay numbers");

        // JSON Lines: one parseable object per case.
        let res = get("/export/cases.jsonl");
        assert!(header(&res.headers, "content-type").starts_with("application/x-ndjson"));
        let lines: Vec<Value> = res
            .body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(lines.len(), 4);
        let refs: Vec<String> = lines
            .iter()
            .map(|l| l["reference"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(refs, all.map(reference));
        assert_eq!(lines[2]["title"], "=HYPERLINK(\"http://evil\",\"click\")");
        assert_eq!(lines[3]["state"], "review");
        assert_eq!(lines[1]["countries"], json!(["FR", "GB"]));
        assert_eq!(
            lines[0]["parties"],
            json!([
                "MineOne Wyoming Data Center LLC",
                "MineOne Partners Ltd",
                "PRC nationals (undisclosed)"
            ])
        );
        let review = get("/export/cases.jsonl?state=review").body;
        let review: Vec<Value> = review
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(review.len(), 1);
        assert_eq!(review[0]["id"], fourth);
        assert_eq!(get("/export/cases.jsonl?state=withdrawn").body, "");
        // Hostile parameters are harmless.
        for q in [
            "state=%3Cscript%3E",
            "risk=drop+table",
            "country=%27%20OR%201%3D1",
            "after=garbage&sort=nonsense",
        ] {
            assert_eq!(
                fetch(&c, &format!("/export/cases.csv?{q}")).status,
                200,
                "{q}"
            );
        }

        // The queue's links carry its filters (not its sort or page), and give what it shows.
        let queue = c.get("/cases?state=lead&q=mineone&sort=received");
        let href = queue.attr("#export-csv", "href").unwrap();
        assert!(href.starts_with("/export/cases.csv?"), "{href}");
        assert!(
            href.contains("state=lead") && href.contains("q=mineone"),
            "{href}"
        );
        assert!(!href.contains("sort="), "{href}");
        let jsonl = queue.attr("#export-jsonl", "href").unwrap();
        assert!(jsonl.starts_with("/export/cases.jsonl?"), "{jsonl}");
        assert!(
            jsonl.contains("state=lead") && jsonl.contains("q=mineone"),
            "{jsonl}"
        );
        assert_eq!(
            sorted(csv_refs(&get(&href).body)),
            queue_refs(&c, "state=lead&q=mineone&sort=received")
        );
        assert_eq!(
            c.get("/cases").attr("#export-csv", "href").as_deref(),
            Some("/export/cases.csv?")
        );

        // Filters with characters that mean something in a URL survive the link.
        let queue = c.get("/cases?q=smith%20%26%20sons");
        assert_eq!(
            queue_refs(&c, "q=smith%20%26%20sons"),
            [reference(vineyard)]
        );
        let href = queue.attr("#export-csv", "href").unwrap();
        assert_eq!(csv_refs(&get(&href).body), [reference(vineyard)], "{href}");

        // Signed out: to the login page, nothing exported or recorded.
        let anonymous = Client::new(app);
        for path in ["/export/cases.csv", "/export/cases.jsonl?state=review"] {
            let res = anonymous.get(path);
            assert_eq!(res.status, 303, "{path}");
            assert!(res.location().starts_with("/login"), "{path}");
        }

        // The audit log shows each export: who, which format, which filter.
        let admin = app.signed_in(Role::Admin);
        let audit = admin.get("/admin/audit");
        assert_eq!(audit.status, 200);
        let html = audit.html();
        let tr = scraper::Selector::parse("#audit tbody tr").unwrap();
        let td = scraper::Selector::parse("td").unwrap();
        let rows: Vec<Vec<String>> = html
            .select(&tr)
            .map(|r| {
                r.select(&td)
                    .map(|t| t.text().collect::<String>().trim().to_string())
                    .collect()
            })
            .filter(|cells: &Vec<String>| cells[2] == "export.cases")
            .collect();
        // CSV: 1 unfiltered, 9 filtered, 1 formulas, 4 hostile, 2 by the queue's links;
        // JSON Lines: 3. None for the anonymous requests.
        assert_eq!(rows.len(), 1 + 9 + 1 + 4 + 2 + 3, "{rows:?}");
        assert!(rows.iter().all(|r| r[1] == "observer1"), "{rows:?}");
        let details: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
        for expected in [
            "cases.csv via web: all cases",
            "cases.jsonl via web: all cases",
            "cases.csv via web: state=review",
            "cases.jsonl via web: state=review",
            "cases.csv via web: search=vineyard",
            "cases.csv via web: state=lead search=mineone",
            "cases.csv via web: search=smith & sons",
        ] {
            assert!(details.contains(&expected), "{expected} not in {details:?}");
        }
        assert!(
            details
                .iter()
                .any(|d| d.starts_with(&format!("cases.csv via web: risk={band}"))),
            "{details:?}"
        );
    });
}

#[test]
fn the_command_line_exports_a_case_that_verifies_and_cases_by_state() {
    each_backend(|app| {
        let id = worked_case(app);
        let reference = app.case(id).case.reference;
        let other = app.report("rev", mineone_json());
        for to in ["screening", "notice_submitted", "review"] {
            app.move_case("rev", other, to, None);
        }
        let third = app.report("rev", mineone_json());
        for to in ["screening", "notice_submitted", "review"] {
            app.move_case("rev", third, to, None);
        }
        let dir = tempfile::tempdir().unwrap();

        let (code, out, err) = cordon(app, &["export", "case", &reference, "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let doc: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["case"]["id"], id);
        let (code, said) = verify_file(app, &dir, "case.json", &out);
        assert_eq!(code, 0, "{said}");
        let events = app.case(id).events;
        assert_eq!(events.len(), 7);
        assert_eq!(
            said.lines().next().unwrap_or_default(),
            format!(
                "intact: 7 events, head {} ({reference})",
                events.last().unwrap().hash
            )
        );
        let last = events.last().unwrap();
        assert_eq!(last.body.kind, "exported");
        assert_eq!(last.body.actor, "cordon");
        assert_eq!(last.body.payload["via"], "command line");
        assert_eq!(last.body.payload["format"], "json");

        // By id and in lower case; the timeline as CSV; `verify -` reads standard input.
        let (code, out, err) = cordon(app, &["export", "case", &reference.to_lowercase()]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(cordon::domain::export::verify(&out).unwrap().events, 8);
        let (code, out, err) = cordon(app, &["export", "case", &id.to_string(), "--format", "csv"]);
        assert_eq!(code, 0, "{err}");
        let mut lines = out.lines();
        assert_eq!(
            lines.next(),
            Some("seq,at,actor,kind,payload,prev_hash,hash,case")
        );
        assert_eq!(lines.count(), 9);
        let (code, _, err) = cordon(app, &["export", "case", "CFN-1999-99999"]);
        assert_ne!(code, 0);
        assert!(err.contains("no case"), "{err}");
        assert_eq!(
            app.case(id).events.len(),
            9,
            "a refused export records nothing"
        );

        // Every case in review, one line each.
        let (code, out, err) = cordon(
            app,
            &["export", "cases", "--format", "jsonl", "--state", "review"],
        );
        assert_eq!(code, 0, "{err}");
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let ids: Vec<i64> = lines.iter().map(|l| l["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, [other, third]);
        assert!(lines.iter().all(|l| l["state"] == "review"));
        assert!(err.contains("exported 2 cases"), "{err}");
        let (code, out, _) = cordon(app, &["export", "cases"]);
        assert_eq!(code, 0);
        assert_eq!(csv_refs(&out).len(), 3);
        let (code, _, err) = cordon(app, &["export", "cases", "--state", "limbo"]);
        assert_eq!(code, 2);
        assert!(err.contains("limbo"), "{err}");

        // Recorded in the audit log as the command line's.
        let admin = app.signed_in(Role::Admin);
        let audit = admin.get("/admin/audit").text("#audit");
        assert!(
            audit.contains("cases.jsonl via command line: state=review"),
            "{audit}"
        );
        assert!(
            audit.contains("cases.csv via command line: all cases"),
            "{audit}"
        );
    });
}

#[test]
fn simultaneous_exports_and_uploads_keep_the_chain_intact() {
    each_backend(|app| {
        let id = worked_case(app);
        let reviewer = app.signed_in(Role::Reviewer);
        let res = upload(app, &reviewer, id, &[File::new("deed.txt", b"deed\n")]);
        assert_eq!(res.status, 303, "{}", res.body);
        let observer = app.signed_in(Role::Observer);
        let before = app.case(id).events.len();
        let version = app.case(id).case.version;

        // (Simultaneous attachment downloads are tested in `attachments`.)
        let reads: Vec<String> = (0..15)
            .map(|i| match i % 3 {
                0 => format!("/cases/{id}/export.json"),
                1 => format!("/cases/{id}/export.csv"),
                _ => format!("/cases/{id}/print"),
            })
            .map(|p| app.url(&p))
            .collect();
        let upload_url = app.url(&format!(
            "/cases/{id}/attachments?csrf_token={}",
            reviewer.csrf()
        ));
        let bodies: Vec<Vec<u8>> = (0..4)
            .map(|i| {
                let name = format!("note-{i}.txt");
                let content = format!("note {i}\n");
                crate::attachments::multipart(&[File::new(&name, content.as_bytes())])
            })
            .collect();
        let (reader, writer) = (observer.http().clone(), reviewer.http().clone());
        let (read_results, write_results) = std::thread::scope(|s| {
            let reads: Vec<_> = reads
                .iter()
                .map(|url| {
                    let http = reader.clone();
                    s.spawn(move || {
                        let res = http.get(url).send().unwrap();
                        (url.clone(), res.status().as_u16(), res.text().unwrap())
                    })
                })
                .collect();
            let writes: Vec<_> = bodies
                .into_iter()
                .map(|body| {
                    let http = writer.clone();
                    let url = upload_url.clone();
                    s.spawn(move || {
                        http.post(&url)
                            .header("content-type", crate::attachments::multipart_type())
                            .body(body)
                            .send()
                            .unwrap()
                            .status()
                            .as_u16()
                    })
                })
                .collect();
            (
                reads
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<_>>(),
                writes
                    .into_iter()
                    .map(|h| h.join().unwrap())
                    .collect::<Vec<_>>(),
            )
        });
        for (url, status, body) in &read_results {
            assert_eq!(*status, 200, "{url}: {body:.300}");
            if url.ends_with("export.json") {
                let ok = cordon::domain::export::verify(body)
                    .unwrap_or_else(|e| panic!("a simultaneous export does not verify: {e}"));
                assert!(ok.events > before);
            }
        }
        assert_eq!(write_results, [303, 303, 303, 303]);

        let v = app.case(id);
        assert!(v.chain.is_ok(), "{:?}", v.chain);
        assert_eq!(v.events.len(), before + 15 + 4);
        let seqs: Vec<i64> = v.events.iter().map(|e| e.body.seq).collect();
        assert_eq!(seqs, (1..=v.events.len() as i64).collect::<Vec<_>>());
        assert_eq!(v.case.version, version);
        assert_eq!(
            cordon::db::attachments::of_case(&mut app.conn(), id)
                .unwrap()
                .len(),
            5
        );
    });
}

#[test]
fn bulk_exports_stream_every_case_across_batches() {
    each_backend(|app| {
        let (code, _, err) = cordon(
            app,
            &[
                "bench-data",
                "--cases",
                "2050",
                "--sites",
                "0",
                "--events",
                "3",
            ],
        );
        assert_eq!(code, 0, "{err}");
        let total = crate::attachments::count(app, "SELECT COUNT(*) AS n FROM cases");
        assert_eq!(total, 2050);
        let c = app.signed_in(Role::Observer);

        let body = fetch(&c, "/export/cases.csv").body;
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        let ids: Vec<i64> = reader
            .records()
            .map(|r| r.unwrap()[0].parse().unwrap())
            .collect();
        assert_eq!(ids.len() as i64, total, "every case once");
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "in id order, no repeats"
        );
        assert_eq!(
            body.matches("id,reference,title").count(),
            1,
            "one header row"
        );

        let body = fetch(&c, "/export/cases.jsonl").body;
        let lines: Vec<Value> = body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len() as i64, total);
        let jsonl_ids: Vec<i64> = lines.iter().map(|l| l["id"].as_i64().unwrap()).collect();
        assert_eq!(jsonl_ids, ids);

        // A filter across batches: exactly the rows the database holds in that state.
        for state in ["lead", "screening", "closed"] {
            let expected = crate::attachments::count(
                app,
                &format!("SELECT COUNT(*) AS n FROM cases WHERE state = '{state}'"),
            );
            let body = fetch(&c, &format!("/export/cases.jsonl?state={state}")).body;
            let lines: Vec<Value> = body
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert!(expected > 0, "bench data has cases in {state}");
            assert_eq!(lines.len() as i64, expected, "{state}");
            assert!(lines.iter().all(|l| l["state"] == state), "{state}");
            let (code, out, _) = cordon(
                app,
                &["export", "cases", "--format", "jsonl", "--state", state],
            );
            assert_eq!(code, 0);
            assert_eq!(
                out.lines().count() as i64,
                expected,
                "{state} (command line)"
            );
        }
        let (code, out, err) = cordon(app, &["export", "cases"]);
        assert_eq!(code, 0);
        assert_eq!(
            out.lines().count() as i64,
            total + 1,
            "header and every case"
        );
        assert!(err.contains(&format!("exported {total} cases")), "{err}");
    });
}

#[test]
fn the_dossier_pdf_opens_names_the_case_and_is_recorded() {
    each_backend(|app| {
        let id = worked_case(app);
        let reference = app.case(id).case.reference;
        let version = app.case(id).case.version;
        let c = app.signed_in(Role::Observer);
        let res = c.get_raw(&format!("/cases/{id}/dossier.pdf"));
        assert_eq!(res.status().as_u16(), 200);
        let headers = res.headers().clone();
        assert_eq!(header(&headers, "content-type"), "application/pdf");
        assert!(header(&headers, "content-disposition")
            .starts_with(&format!("attachment; filename=\"{reference}-dossier.pdf\"")));
        let bytes = res.bytes().unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let pages = pdf.get_pages();
        assert!(!pages.is_empty());
        let first = pdf.extract_text(&[1]).unwrap();
        assert!(first.contains(&reference), "{first}");
        let last = pdf
            .extract_text(&[u32::try_from(pages.len()).unwrap()])
            .unwrap();
        assert!(
            last.contains(&format!("of {}", pages.len())),
            "the footer counts the pages: {last}"
        );

        // Recorded, without changing the version; unknown cases are 404.
        let v = app.case(id);
        let e = v.events.last().unwrap();
        assert_eq!(e.body.kind, "exported");
        assert_eq!(e.body.payload["format"], "pdf");
        assert_eq!(e.body.actor, "observer1");
        assert_eq!(v.case.version, version);
        assert!(v.chain.is_ok());
        assert_eq!(c.get_raw("/cases/99999/dossier.pdf").status().as_u16(), 404);
    });
}
