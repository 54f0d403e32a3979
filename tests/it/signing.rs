//! Signed exports (issue 12): the office key signs every JSON export of a case; its public keys
//! are published with the time each was in use; `cordon verify --key` checks the chain and the
//! signature, so a history rewritten with every hash recomputed is caught; a rotated key keeps
//! the exports of its time verifiable; a key file others may read is refused.

use std::process::Command;

use cordon::domain::history::{next_event, ChainedEvent, EventKind};
use cordon::domain::Role;
use serde_json::Value;

use crate::support::{each_backend, mineone_json, Client, TestApp};

/// Runs `cordon` on the app's database and key; exit code, stdout and stderr.
fn cordon(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("CORDON_KEY_FILE", &app.key_file)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run cordon");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn well_known(app: &TestApp) -> Value {
    let res = reqwest::blocking::get(app.url("/.well-known/cordon-export-key")).expect("GET");
    assert_eq!(res.status().as_u16(), 200, "published without signing in");
    res.json().expect("JSON")
}

/// Writes text to a file in `dir`; its path as text.
fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.display().to_string()
}

/// The JSON export of a case as the case page's link gives it.
fn export(c: &Client, id: i64) -> Value {
    let page = c.get(&format!("/cases/{id}/export.json"));
    assert_eq!(page.status, 200);
    serde_json::from_str(&page.body).expect("JSON export")
}

/// The same history with one event's payload changed and every hash after it recomputed, and
/// the summary's head moved to the new end: consistent with itself, as a forger would make it.
fn rewritten(doc: &Value) -> Value {
    let reference = doc["case"]["reference"].as_str().expect("reference");
    let events: Vec<ChainedEvent> = serde_json::from_value(doc["events"].clone()).expect("events");
    let mut forged: Vec<ChainedEvent> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let mut payload = e.body.payload.clone();
        if i == 0 {
            payload["title"] = Value::from("Harmless farmland purchase");
        }
        let kind = EventKind::parse(&e.body.kind).expect("kind");
        let next = next_event(
            reference,
            forged.last(),
            e.body.at.clone(),
            &e.body.actor,
            kind,
            payload,
        );
        forged.push(next);
    }
    let mut out = doc.clone();
    out["chain"]["head"] = Value::from(forged.last().map(|e| e.hash.clone()));
    out["events"] = serde_json::to_value(&forged).expect("events");
    out
}

#[test]
fn exports_are_signed_and_a_rewritten_history_is_caught() {
    each_backend(|app| {
        app.user("rosa", Role::Reviewer);
        let id = app.report("rosa", mineone_json());
        let c = app.signed_in(Role::Reviewer);
        let doc = export(&c, id);
        let sig = &doc["signature"];
        assert_eq!(sig["algorithm"], "ed25519");
        let keys = well_known(app);
        assert_eq!(keys["algorithm"], "ed25519");
        assert_eq!(keys["keys"].as_array().map(Vec::len), Some(1));
        assert_eq!(keys["current"], sig["key_fingerprint"]);
        assert!(keys["keys"][0]["public_key_pem"]
            .as_str()
            .is_some_and(|p| p.starts_with("-----BEGIN PUBLIC KEY-----")));

        let dir = tempfile::tempdir().expect("dir");
        let list = file(&dir, "keys.json", &keys.to_string());
        let pem = file(
            &dir,
            "key.pem",
            keys["keys"][0]["public_key_pem"].as_str().unwrap_or(""),
        );
        let good = file(
            &dir,
            "case.json",
            &serde_json::to_string_pretty(&doc).expect("text"),
        );
        let short: String = sig["key_fingerprint"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(4)
            .collect();
        for key in [&list, &pem] {
            let (code, out, err) = cordon(app, &["verify", "--key", key, &good]);
            assert_eq!(code, 0, "{out}{err}");
            assert!(out.contains("intact:"), "{out}");
            assert!(
                out.contains(&format!("signed by the office key (fingerprint {short}")),
                "{out}"
            );
        }
        // Without keys the chain is checked and the signature named, not trusted.
        let (code, out, _) = cordon(app, &["verify", &good]);
        assert_eq!(code, 0);
        assert!(out.contains("not checked"), "{out}");

        // A history rewritten with every hash recomputed is intact on its own terms, and is
        // caught by the signature.
        let forged = file(&dir, "forged.json", &rewritten(&doc).to_string());
        let (code, out, _) = cordon(app, &["verify", &forged]);
        assert_eq!(code, 0, "the forgery is consistent with itself: {out}");
        let (code, out, _) = cordon(app, &["verify", "--key", &list, &forged]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("NOT signed by the office") && out.contains("changed after it was signed"),
            "{out}"
        );
        // Re-signed with another key, it names a key the office never had.
        let mut stranger = rewritten(&doc);
        stranger["signature"]["key_fingerprint"] = Value::from("00".repeat(32));
        let stranger = file(&dir, "stranger.json", &stranger.to_string());
        let (code, out, _) = cordon(app, &["verify", "--key", &list, &stranger]);
        assert_eq!(code, 1);
        assert!(out.contains("not among the keys given"), "{out}");
        // An unreadable key file is exit 2.
        let bad = file(&dir, "bad.pem", "hello");
        let (code, _, err) = cordon(app, &["verify", "--key", &bad, &good]);
        assert_eq!(code, 2, "{err}");

        // The print dossier names the key's fingerprint.
        let print = c.get(&format!("/cases/{id}/print"));
        assert_eq!(print.status, 200);
        let spaced: String = sig["key_fingerprint"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(8)
            .collect();
        let spaced = format!("{} {}", &spaced[..4], &spaced[4..]);
        assert!(
            print.text("#office-key").contains(&spaced),
            "{}",
            print.text("#office-key")
        );

        // The API's export and the command line's are signed by the same key.
        let (code, out, err) = cordon(app, &["export", "case", &id.to_string()]);
        assert_eq!(code, 0, "{err}");
        let cli: Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(cli["signature"]["key_fingerprint"], sig["key_fingerprint"]);
    });
}

#[test]
fn a_rotated_key_keeps_the_exports_of_its_time_verifiable() {
    each_backend(|app| {
        app.user("rosa", Role::Reviewer);
        let id = app.report("rosa", mineone_json());
        let c = app.signed_in(Role::Reviewer);
        let before = export(&c, id);
        let old = before["signature"]["key_fingerprint"].clone();
        std::thread::sleep(std::time::Duration::from_millis(1100));

        let (code, out, err) = cordon(app, &["key", "create"]);
        assert_ne!(
            code, 0,
            "an existing key is not replaced without --rotate: {out}"
        );
        assert!(err.contains("--rotate"), "{err}");
        let (code, out, err) = cordon(app, &["key", "create", "--rotate"]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("fingerprint") && out.contains("BEGIN PUBLIC KEY"),
            "{out}"
        );

        let keys = well_known(app);
        let listed = keys["keys"].as_array().expect("keys");
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0]["fingerprint"], old);
        assert!(
            listed[0]["valid_until"].is_string(),
            "the old key is retired: {keys}"
        );
        assert!(listed[1]["valid_until"].is_null());
        assert_ne!(keys["current"], old);

        // The export made before the rotation verifies against the published list.
        let dir = tempfile::tempdir().expect("dir");
        let list = file(&dir, "keys.json", &keys.to_string());
        let then = file(&dir, "before.json", &before.to_string());
        let (code, out, _) = cordon(app, &["verify", "--key", &list, &then]);
        assert_eq!(code, 0, "{out}");
        // The command line signs with the new key from now on.
        let (code, out, _) = cordon(app, &["export", "case", &id.to_string()]);
        assert_eq!(code, 0);
        let now: Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(now["signature"]["key_fingerprint"], keys["current"]);
        let now = file(&dir, "after.json", &now.to_string());
        let (code, out, _) = cordon(app, &["verify", "--key", &list, &now]);
        assert_eq!(code, 0, "{out}");
        // `cordon key show` names both.
        let (code, out, _) = cordon(app, &["key", "show"]);
        assert_eq!(code, 0);
        assert!(
            out.contains("in use since") && out.contains("used "),
            "{out}"
        );
    });
}

#[test]
fn a_key_file_others_may_read_is_refused() {
    each_backend(|app| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&app.key_file, std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
        let (code, _, err) = cordon(app, &["key", "show"]);
        assert_ne!(code, 0);
        assert!(
            err.contains("can be read by others") && err.contains("chmod 600"),
            "{err}"
        );
        // `cordon serve` refuses to start with it too.
        let mut child = Command::new(env!("CARGO_BIN_EXE_cordon"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", &app.db_url)
            .env("CORDON_KEY_FILE", &app.key_file)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run");
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > std::time::Duration::from_secs(20) {
                let _ = child.kill();
                panic!("`cordon serve` started with a key file others may read");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(!status.success());
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
            .expect("stderr");
        assert!(err.contains("can be read by others"), "{err}");
    });
}
