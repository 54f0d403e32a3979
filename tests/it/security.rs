//! CSRF, role boundaries, security headers, limits and hostile input.

use cordon::domain::Role;

use crate::support::{each_backend, each_backend_with, Client};

fn user_names(app: &crate::support::TestApp) -> Vec<String> {
    let mut conn = app.conn();
    cordon::service::users::list_users(&mut conn)
        .unwrap()
        .into_iter()
        .map(|u| u.username)
        .collect()
}

#[test]
fn state_changes_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let before = user_names(app);
        let fields = [
            ("username", "mallory"),
            ("role", "admin"),
            ("password", "correct horse battery"),
        ];

        let missing = admin.post_raw("/admin/users", &fields);
        assert_eq!(missing.status, 403);
        assert!(missing
            .body
            .contains("This form has expired or did not come from Cordon"));

        let mut wrong = fields.to_vec();
        wrong.push((
            "csrf_token",
            "0000000000000000000000000000000000000000000000000000000000000000",
        ));
        assert_eq!(admin.post_raw("/admin/users", &wrong).status, 403);

        let mut empty = fields.to_vec();
        empty.push(("csrf_token", ""));
        assert_eq!(admin.post_raw("/admin/users", &empty).status, 403);

        assert_eq!(user_names(app), before, "no user was added");

        // Sign-out without a token does not end the session.
        assert_eq!(admin.post_raw("/logout", &[]).status, 403);
        assert_eq!(admin.get("/").status, 200);

        // A token from another session is no good either.
        let other = app.signed_in(Role::Reviewer);
        let before = user_names(app);
        let foreign = other.csrf();
        let mut stolen = fields.to_vec();
        stolen.push(("csrf_token", &foreign));
        assert_eq!(admin.post_raw("/admin/users", &stolen).status, 403);
        assert_eq!(user_names(app), before);
    });
}

#[test]
fn sign_in_itself_needs_the_csrf_token() {
    each_backend(|app| {
        app.user("alice", Role::Observer);
        let c = Client::new(app);
        c.get("/login");
        let page = c.post_raw(
            "/login",
            &[
                ("username", "alice"),
                ("password", crate::support::PASSWORD),
            ],
        );
        assert_eq!(page.status, 403);
        assert_eq!(c.get("/").status, 303, "not signed in");
    });
}

#[test]
fn a_cross_origin_post_is_refused_even_with_the_token() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let token = admin.csrf();
        let res = admin
            .http()
            .post(app.url("/admin/users"))
            .header("origin", "http://evil.example")
            .form(&[
                ("username", "mallory"),
                ("role", "admin"),
                ("csrf_token", &token),
            ])
            .send()
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert!(!user_names(app).contains(&"mallory".to_string()));
    });
}

#[test]
fn every_role_boundary_holds() {
    each_backend(|app| {
        let anon = Client::new(app);
        assert_eq!(anon.get("/").status, 303);
        assert_eq!(anon.get("/admin/users").status, 303);
        assert_eq!(anon.get("/admin/tokens").status, 303);
        assert_eq!(anon.get("/login").status, 200);
        assert_eq!(anon.get("/healthz").status, 200);

        app.user("target", Role::Observer);
        let admin_pages = ["/admin", "/admin/users", "/admin/tokens", "/admin/audit"];
        let admin_posts: [(&str, &[(&str, &str)]); 6] = [
            ("/admin/users", &[("username", "newbie"), ("role", "admin")]),
            ("/admin/users/target/disable", &[]),
            ("/admin/users/target/role", &[("role", "admin")]),
            ("/admin/users/target/password", &[]),
            ("/admin/tokens", &[("username", "target"), ("label", "x")]),
            ("/admin/tokens/1/revoke", &[]),
        ];
        for role in [Role::Observer, Role::Reviewer, Role::Chair] {
            let c = app.signed_in(role);
            assert_eq!(c.get("/").status, 200, "{role} sees the dashboard");
            for path in admin_pages {
                let page = c.get(path);
                assert_eq!(page.status, 403, "{role} GET {path}");
                assert_eq!(page.text("h1"), "Not allowed");
                // The refusal keeps the signed-in header.
                assert_eq!(page.text(".who-name"), format!("{}1", role.as_str()));
            }
            for (path, fields) in admin_posts {
                assert_eq!(c.post(path, fields).status, 403, "{role} POST {path}");
            }
            let dash = c.get("/");
            assert!(
                !dash.texts("nav.main-nav a").contains(&"Admin".to_string()),
                "{role} is not offered Admin"
            );
        }
        // Nothing those requests asked for happened.
        let names = user_names(app);
        assert!(!names.contains(&"newbie".to_string()));
        let mut conn = app.conn();
        let target = cordon::service::users::list_users(&mut conn)
            .unwrap()
            .into_iter()
            .find(|u| u.username == "target")
            .unwrap();
        assert!(!target.disabled);
        assert_eq!(target.role, Role::Observer);
        assert!(cordon::service::users::list_tokens(&mut conn)
            .unwrap()
            .is_empty());

        let admin = app.signed_in(Role::Admin);
        for path in admin_pages {
            let page = admin.get(path);
            assert!(
                page.status == 200 || (path == "/admin" && page.status == 303),
                "admin GET {path}"
            );
        }
        assert!(admin
            .get("/")
            .texts("nav.main-nav a")
            .contains(&"Admin".to_string()));
    });
}

#[test]
fn security_headers_are_on_every_response() {
    each_backend(|app| {
        let c = Client::new(app);
        for path in [
            "/login",
            "/",
            "/no/such/page",
            "/healthz",
            "/static/css/app.css",
            "/api/v1/me",
        ] {
            let res = c.get_raw(path);
            let h = res.headers();
            let csp = h
                .get("content-security-policy")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            assert!(h.contains_key("referrer-policy"), "{path}");
        }
    });
}

#[test]
fn unknown_pages_get_a_clear_404() {
    each_backend(|app| {
        let c = app.signed_in(Role::Observer);
        let page = c.get("/no/such/page");
        assert_eq!(page.status, 404);
        assert_eq!(page.text("h1"), "Not found");
        let api = c.get("/api/v1/nothing");
        assert_eq!(api.status, 404);
        assert_eq!(api.json()["error"]["code"], "not_found");
        assert_eq!(c.get("/static/../../etc/passwd").status, 404);
        assert_eq!(c.get("/static/css/..%2F..%2Fsrc%2Fmain.rs").status, 404);
    });
}

#[test]
fn oversized_and_malformed_bodies_are_refused_cleanly() {
    each_backend_with(
        |s| s.max_body_bytes = 4096,
        |app| {
            let admin = app.signed_in(Role::Admin);
            let big = "x".repeat(10_000);
            let page = admin.post("/admin/users", &[("username", &big), ("role", "observer")]);
            assert_eq!(page.status, 413);
            assert!(page.body.contains("larger than Cordon accepts"));
            // A path that is not a number is simply not there.
            assert_eq!(admin.post("/admin/tokens/abc/revoke", &[]).status, 404);
            assert_eq!(
                admin
                    .post("/admin/tokens/99999999999999999999999/revoke", &[])
                    .status,
                404
            );
            // Broken url-encoding.
            let token = admin.csrf();
            let res = admin
                .http()
                .post(app.url("/admin/users"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("csrf_token={token}&username=%ZZ&role=observer"))
                .send()
                .unwrap();
            assert!(res.status().as_u16() < 500, "status {}", res.status());
            assert_eq!(admin.get("/admin/users").status, 200);
        },
    );
}
