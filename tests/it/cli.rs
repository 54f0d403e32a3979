//! The command line, run as the real binary against each backend.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{each_backend, Client, PASSWORD};

fn cordon(
    app: &crate::support::TestApp,
    args: &[&str],
    stdin: Option<&str>,
) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("CORDON_KEY_FILE", &app.key_file)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn users_are_managed_from_the_command_line() {
    each_backend(|app| {
        let (ok, out, _) = cordon(app, &["migrate"], None);
        assert!(ok && out.contains("up to date"));

        let (ok, out, err) = cordon(
            app,
            &["user", "add", "erin", "--role", "chair", "--password-stdin"],
            Some(&format!("{PASSWORD}\n")),
        );
        assert!(ok, "{err}");
        assert!(out.contains("added erin (chair)"));
        let c = Client::new(app);
        assert_eq!(c.login("erin", PASSWORD).status().as_u16(), 303);

        let (ok, out, _) = cordon(app, &["user", "add", "frank", "--role", "observer"], None);
        assert!(ok);
        let generated = out
            .lines()
            .find_map(|l| l.strip_prefix("password: "))
            .unwrap()
            .to_string();
        assert_eq!(
            Client::new(app)
                .login("frank", &generated)
                .status()
                .as_u16(),
            303
        );

        let (ok, out, _) = cordon(app, &["user", "list"], None);
        assert!(ok);
        assert!(out
            .lines()
            .any(|l| l.contains("erin") && l.contains("chair") && l.contains("active")));

        let (ok, out, _) = cordon(app, &["user", "passwd", "erin"], None);
        assert!(ok);
        let newpass = out
            .lines()
            .find_map(|l| l.strip_prefix("password: "))
            .unwrap()
            .to_string();
        assert_eq!(
            Client::new(app).login("erin", PASSWORD).status().as_u16(),
            401
        );
        assert_eq!(
            Client::new(app).login("erin", &newpass).status().as_u16(),
            303
        );

        let (ok, _, _) = cordon(app, &["user", "disable", "erin"], None);
        assert!(ok);
        assert_eq!(c.get("/").status, 303, "session ended by disable");
        let (_, out, _) = cordon(app, &["user", "list"], None);
        assert!(out
            .lines()
            .any(|l| l.contains("erin") && l.contains("disabled")));

        // Refusals are clear and leave things as they were.
        let (ok, _, err) = cordon(app, &["user", "add", "erin", "--role", "admin"], None);
        assert!(!ok && err.contains("taken"), "{err}");
        let (ok, _, err) = cordon(app, &["user", "add", "gina", "--role", "boss"], None);
        assert!(
            !ok && err.contains("observer, reviewer, chair or admin"),
            "{err}"
        );
        let (ok, _, err) = cordon(
            app,
            &[
                "user",
                "add",
                "hal",
                "--role",
                "observer",
                "--password-stdin",
            ],
            Some("short\n"),
        );
        assert!(!ok && err.contains("at least 12"), "{err}");
        let (ok, _, err) = cordon(app, &["user", "disable", "nobody"], None);
        assert!(!ok && err.contains("no such user"), "{err}");
    });
}

#[test]
fn tokens_are_created_and_revoked_from_the_command_line() {
    each_backend(|app| {
        app.user("ivan", cordon::domain::Role::Reviewer);
        let (ok, out, err) = cordon(
            app,
            &["token", "create", "ivan", "--label", "intake script"],
            None,
        );
        assert!(ok, "{err}");
        let secret = out.trim().to_string();
        let id: i64 = err
            .split('#')
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let me = reqwest::blocking::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .unwrap();
        assert_eq!(me.status().as_u16(), 200);

        let (ok, out, _) = cordon(app, &["token", "list"], None);
        assert!(ok && out.contains("intake script") && !out.contains(&secret));

        let (ok, _, _) = cordon(app, &["token", "revoke", &id.to_string()], None);
        assert!(ok);
        let me = reqwest::blocking::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .unwrap();
        assert_eq!(me.status().as_u16(), 401);
        let (ok, _, err) = cordon(app, &["token", "revoke", &id.to_string()], None);
        assert!(!ok && err.contains("no such"), "{err}");
        let (ok, _, _) = cordon(app, &["token", "create", "nobody"], None);
        assert!(!ok);
    });
}

#[test]
fn the_command_line_screens_a_point() {
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        let (ok, out, err) = cordon(
            app,
            &[
                "screen",
                "--lat",
                "41.17",
                "--lon",
                "-104.85",
                "--country",
                "CN",
                "--name",
                "Acme",
                "--date",
                "2022-06-15",
            ],
            None,
        );
        assert!(ok, "{err}");
        let s: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(s["jurisdiction"], "covered");
        let (ok, out, _) = cordon(app, &["screen", "--lat", "41.17", "--lon", "-104.85"], None);
        assert!(ok);
        let s: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(s["jurisdiction"], "not_covered", "a US buyer");
        let (ok, _, err) = cordon(app, &["screen", "--lat", "91", "--lon", "-104.85"], None);
        assert!(!ok && err.contains("--lat"), "{err}");
    });
}

/// Runs the binary with no `DATABASE_URL`: the database comes from the flag alone.
fn cordon_flag_only(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn database_is_taken_wherever_it_comes_and_lists_line_up() {
    each_backend(|app| {
        let db = app.db_url.as_str();
        let long = "maximilian.longusername-reviewer";
        for args in [
            vec!["user", "add", "ida", "--role", "reviewer", "--database", db],
            vec!["user", "--database", db, "add", long, "--role", "observer"],
        ] {
            let (ok, out, err) = cordon_flag_only(&args);
            assert!(ok, "{args:?}: {err}");
            assert!(out.contains("added"), "{args:?}: {out}");
        }
        let (ok, _, err) = cordon_flag_only(&["token", "create", "ida", "--database", db]);
        assert!(ok, "{err}");
        let (ok, _, err) = cordon_flag_only(&[
            "token",
            "create",
            long,
            "--label",
            "nightly sync",
            "--database",
            db,
        ]);
        assert!(ok, "{err}");

        for (args, header) in [
            (["user", "list", "--database", db], "name"),
            (["token", "list", "--database", db], "user"),
        ] {
            let (ok, out, err) = cordon_flag_only(&args);
            assert!(ok, "{args:?}: {err}");
            let lines: Vec<&str> = out.lines().collect();
            assert!(lines.len() >= 3, "{out}");
            assert!(out.contains(long), "{out}");
            // The column after the names starts at the same character on every line.
            let third = if header == "name" { "role" } else { "status" };
            let at = lines[0].find(third).expect("header");
            for l in &lines[1..] {
                let chars: Vec<char> = l.chars().collect();
                assert!(
                    chars.len() > at
                        && chars[at] != ' '
                        && chars[at - 1] == ' '
                        && chars[at - 2] == ' ',
                    "{header}: column {at} in {l:?}\n{out}"
                );
            }
        }
        // DATABASE_URL still works as before.
        let (_, out, _) = cordon(app, &["user", "list"], None);
        assert!(out.contains("ida"));
    });
}
