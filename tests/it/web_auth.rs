//! Signing in and out, sessions, throttling.

use cordon::domain::Role;

use crate::support::{each_backend, each_backend_with, Client, PASSWORD};

#[test]
fn sign_in_lands_on_dashboard_with_a_strict_http_only_cookie() {
    each_backend(|app| {
        app.user("alice", Role::Reviewer);
        let c = Client::new(app);
        let res = c.login("alice", PASSWORD);
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(res.headers()["location"], "/");
        let cookie = c
            .cookie_header(&res, "cordon_session")
            .expect("session cookie");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "not Secure unless configured: {cookie}"
        );
        let page = c.get("/");
        assert_eq!(page.status, 200);
        assert_eq!(page.text("h1"), "Dashboard");
        assert_eq!(page.text(".who-name"), "alice");
        assert_eq!(page.text(".site-header .role-badge"), "reviewer");
    });
}

#[test]
fn secure_cookie_setting_uses_host_prefix() {
    each_backend_with(
        |s| s.secure_cookies = true,
        |app| {
            app.user("alice", Role::Reviewer);
            let c = Client::new(app);
            let res = c.login("alice", PASSWORD);
            let cookie = c
                .cookie_header(&res, "__Host-cordon_session")
                .expect("prefixed cookie");
            assert!(
                cookie.contains("Secure") && cookie.contains("Path=/"),
                "{cookie}"
            );
        },
    );
}

#[test]
fn sign_in_returns_to_the_page_asked_for_but_never_off_site() {
    each_backend(|app| {
        app.user("alice", Role::Admin);
        let c = Client::new(app);
        let first = c.get("/admin/users");
        assert_eq!(first.status, 303);
        assert_eq!(first.location(), "/login?next=%2Fadmin%2Fusers");
        for (next, expected) in [
            ("/admin/users", "/admin/users"),
            ("//evil.example/x", "/"),
            ("https://evil.example", "/"),
        ] {
            let c = Client::new(app);
            c.get("/login");
            let token = c.csrf();
            let page = c.post_raw(
                "/login",
                &[
                    ("username", "alice"),
                    ("password", PASSWORD),
                    ("next", next),
                    ("csrf_token", &token),
                ],
            );
            assert_eq!(page.status, 303);
            assert_eq!(page.location(), expected, "next={next}");
        }
    });
}

#[test]
fn wrong_password_and_unknown_user_get_the_same_answer() {
    each_backend(|app| {
        app.user("alice", Role::Reviewer);
        let c = Client::new(app);
        let wrong = c.login("alice", "not the password at all");
        assert_eq!(wrong.status().as_u16(), 401);
        let wrong_body = wrong.text().unwrap();
        let unknown = c.login("nobody", "not the password at all");
        assert_eq!(unknown.status().as_u16(), 401);
        let unknown_body = unknown.text().unwrap();
        assert!(wrong_body.contains("Incorrect user name or password."));
        assert!(unknown_body.contains("Incorrect user name or password."));
        // The name typed is kept in the form; the password is not echoed.
        assert!(wrong_body.contains(r#"value="alice""#));
        assert!(!wrong_body.contains("not the password at all"));
        assert_eq!(c.get("/").status, 303, "no session was opened");
    });
}

#[test]
fn disabled_user_cannot_sign_in_and_loses_live_sessions() {
    each_backend(|app| {
        app.user("bob", Role::Reviewer);
        let live = Client::new(app);
        assert_eq!(live.login("bob", PASSWORD).status().as_u16(), 303);
        assert_eq!(live.get("/").status, 200);

        let admin = app.signed_in(Role::Admin);
        let page = admin.post("/admin/users/bob/disable", &[]);
        assert_eq!(page.status, 303);

        assert_eq!(live.get("/").status, 303, "the live session ended");
        let again = Client::new(app);
        let res = again.login("bob", PASSWORD);
        assert_eq!(res.status().as_u16(), 401);
        assert!(res
            .text()
            .unwrap()
            .contains("Incorrect user name or password."));
    });
}

#[test]
fn logout_destroys_the_session_server_side() {
    each_backend(|app| {
        app.user("alice", Role::Observer);
        let c = Client::new(app);
        let res = c.login("alice", PASSWORD);
        let cookie = c.cookie_header(&res, "cordon_session").unwrap();
        let value = cookie.split(';').next().unwrap().to_string();
        assert_eq!(c.get("/").status, 200);
        let out = c.post("/logout", &[]);
        assert_eq!(out.status, 303);
        assert_eq!(out.location(), "/login");
        // Replaying the old cookie does not bring the session back.
        let replay = c
            .http()
            .get(app.url("/"))
            .header("cookie", value)
            .send()
            .unwrap();
        assert_eq!(replay.status().as_u16(), 303);
        let login = c.get("/login");
        assert_eq!(login.text(".flash-ok"), "You have signed out.");
    });
}

#[test]
fn sign_in_rotates_the_session() {
    each_backend(|app| {
        app.user("alice", Role::Observer);
        let c = Client::new(app);
        let first = c.login("alice", PASSWORD);
        let one = c.cookie_header(&first, "cordon_session").unwrap();
        let second = c.login("alice", PASSWORD);
        let two = c.cookie_header(&second, "cordon_session").unwrap();
        assert_ne!(one, two);
        let old = one.split(';').next().unwrap().to_string();
        let replay = c
            .http()
            .get(app.url("/"))
            .header("cookie", old)
            .send()
            .unwrap();
        assert_eq!(
            replay.status().as_u16(),
            303,
            "the previous session was ended"
        );
        assert_eq!(c.get("/").status, 200);
    });
}

#[test]
fn idle_and_absolute_timeouts_end_sessions() {
    each_backend(|app| {
        app.user("alice", Role::Observer);
        let c = Client::new(app);
        c.login("alice", PASSWORD);
        assert_eq!(c.get("/").status, 200);
        // 7 h idle is still fine (limit 8 h) ...
        app.sql(&format!(
            "UPDATE sessions SET last_seen_at = {}",
            shift(app, "last_seen_at", -7)
        ));
        assert_eq!(c.get("/").status, 200);
        // ... 9 h idle is not.
        app.sql(&format!(
            "UPDATE sessions SET last_seen_at = {}",
            shift(app, "last_seen_at", -9)
        ));
        assert_eq!(c.get("/").status, 303);

        c.login("alice", PASSWORD);
        assert_eq!(c.get("/").status, 200);
        // Active all along, but signed in 25 h ago: over the absolute limit of 24 h.
        app.sql(&format!(
            "UPDATE sessions SET created_at = {}",
            shift(app, "created_at", -25)
        ));
        assert_eq!(c.get("/").status, 303);
    });
}

/// SQL for "column moved by this many hours", in each backend's dialect.
fn shift(app: &crate::support::TestApp, column: &str, hours: i64) -> String {
    match app.backend {
        crate::support::Backend::Sqlite => format!("datetime({column}, '{hours} hours')"),
        crate::support::Backend::Postgres => format!("{column} + INTERVAL '{hours} hours'"),
    }
}

#[test]
fn repeated_failures_lock_the_account_even_for_the_right_password() {
    each_backend(|app| {
        app.user("alice", Role::Observer);
        let c = Client::new(app);
        for _ in 0..5 {
            assert_eq!(c.login("alice", "wrong wrong wrong").status().as_u16(), 401);
        }
        let locked = c.login("alice", PASSWORD);
        assert_eq!(locked.status().as_u16(), 429);
        assert!(locked.headers().contains_key("retry-after"));
        assert!(locked.text().unwrap().contains("Too many failed sign-ins"));
        // An unknown account is throttled the same way (nothing to tell them apart).
        for _ in 0..5 {
            c.login("ghost", "wrong wrong wrong");
        }
        assert_eq!(c.login("ghost", "wrong wrong wrong").status().as_u16(), 429);
        // The counter lives in the database: every node sees it.
        let mut conn = app.conn();
        let n =
            cordon::db::throttle::count_since(&mut conn, "account:alice", since_2000()).unwrap();
        assert_eq!(n, 5);
    });
}

#[test]
fn repeated_failures_from_one_address_lock_that_address() {
    each_backend_with(
        |s| s.login_max_per_address = 3,
        |app| {
            app.user("alice", Role::Observer);
            let c = Client::new(app);
            for name in ["a1", "a2", "a3"] {
                assert_eq!(c.login(name, "wrong wrong wrong").status().as_u16(), 401);
            }
            assert_eq!(c.login("alice", PASSWORD).status().as_u16(), 429);
        },
    );
}

/// Sends one sign-in per name from its own browser, all released at the same moment; the
/// statuses in the order of the names.
fn sign_ins_at_once(app: &crate::support::TestApp, names: &[String], password: &str) -> Vec<u16> {
    let barrier = std::sync::Barrier::new(names.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| {
                let barrier = &barrier;
                s.spawn(move || {
                    let c = Client::new(app);
                    barrier.wait();
                    c.login(name, password).status().as_u16()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn colleagues_signing_in_at_once_from_one_address_are_all_let_in() {
    each_backend_with(
        |s| s.login_max_per_address = 3,
        |app| {
            let names: Vec<String> = (0..12).map(|i| format!("analyst{i}")).collect();
            for name in &names {
                app.user(name, Role::Reviewer);
            }
            // Four times the address's limit, all with the right password: the ones beyond the
            // limit wait for those being weighed instead of being told to come back later.
            let statuses = sign_ins_at_once(app, &names, PASSWORD);
            assert!(statuses.iter().all(|&s| s == 303), "{statuses:?}");
            let mut conn = app.conn();
            let left =
                cordon::db::throttle::count_since(&mut conn, "address:127.0.0.1", since_2000())
                    .unwrap();
            assert_eq!(left, 0, "a sign-in that succeeded leaves nothing counted");

            // Wrong passwords at once from the same address: exactly the limit are weighed.
            let guesses: Vec<String> = (0..8).map(|i| format!("guess{i}")).collect();
            let statuses = sign_ins_at_once(app, &guesses, "wrong wrong wrong");
            let weighed = statuses.iter().filter(|&&s| s == 401).count();
            let throttled = statuses.iter().filter(|&&s| s == 429).count();
            assert_eq!((weighed, throttled), (3, 5), "{statuses:?}");
            assert_eq!(
                cordon::db::throttle::count_since(&mut conn, "address:127.0.0.1", since_2000())
                    .unwrap(),
                3
            );
        },
    );
}

#[test]
fn a_success_clears_the_account_counter() {
    each_backend(|app| {
        app.user("alice", Role::Observer);
        let c = Client::new(app);
        for _ in 0..4 {
            c.login("alice", "wrong wrong wrong");
        }
        assert_eq!(c.login("alice", PASSWORD).status().as_u16(), 303);
        for _ in 0..4 {
            assert_eq!(c.login("alice", "wrong wrong wrong").status().as_u16(), 401);
        }
        assert_eq!(c.login("alice", PASSWORD).status().as_u16(), 303);
    });
}

fn since_2000() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}
