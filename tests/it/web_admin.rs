//! The admin pages: users and tokens.

use cordon::domain::clock::Calendar;
use cordon::domain::Role;

use crate::support::{each_backend, Client, PASSWORD};

#[test]
fn admin_adds_a_user_who_can_then_sign_in() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let page = admin.post(
            "/admin/users",
            &[
                ("username", "rita"),
                ("role", "reviewer"),
                ("password", PASSWORD),
            ],
        );
        assert_eq!(page.status, 303);
        let list = admin.get("/admin/users");
        assert_eq!(list.text(".flash-ok"), "Added rita as reviewer.");
        assert_eq!(list.text(r#"tr[data-user="rita"] .role-badge"#), "reviewer");
        assert_eq!(list.text(r#"tr[data-user="rita"] .status"#), "active");

        let rita = Client::new(app);
        assert_eq!(rita.login("rita", PASSWORD).status().as_u16(), 303);
        assert_eq!(rita.get("/").text(".who-name"), "rita");
    });
}

#[test]
fn a_user_added_without_password_gets_one_shown_once() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let page = admin.post(
            "/admin/users",
            &[
                ("username", "olive"),
                ("role", "observer"),
                ("password", ""),
            ],
        );
        assert_eq!(page.status, 200);
        let secret = page.text("#issued-secret");
        assert_eq!(secret.len(), 19, "{secret}");
        assert!(
            !admin.get("/admin/users").body.contains(&secret),
            "shown only once"
        );
        let olive = Client::new(app);
        assert_eq!(olive.login("olive", &secret).status().as_u16(), 303);
    });
}

#[test]
fn bad_user_input_is_answered_field_by_field_and_kept() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let hostile = r#"<script>alert(1)</script>"#;
        let page = admin.post(
            "/admin/users",
            &[
                ("username", hostile),
                ("role", "observer"),
                ("password", "short"),
            ],
        );
        assert_eq!(page.status, 422);
        assert!(page
            .text("#e-username")
            .starts_with("Use lower-case letters"));
        assert!(page.text("#e-password").contains("at least 12"));
        assert_eq!(
            page.attr("#f-username", "value").as_deref(),
            Some(hostile),
            "input kept"
        );
        assert!(!page.body.contains("<script>alert(1)</script>"), "escaped");

        let page = admin.post(
            "/admin/users",
            &[("username", "valid.name"), ("role", "superuser")],
        );
        assert_eq!(page.status, 422);
        assert_eq!(page.text("#e-role"), "Choose one of the four roles.");
        assert_eq!(
            page.attr("#f-username", "value").as_deref(),
            Some("valid.name")
        );

        let sql = "x'; DROP TABLE users; --";
        let page = admin.post("/admin/users", &[("username", sql), ("role", "observer")]);
        assert_eq!(page.status, 422);
        assert_eq!(admin.get("/admin/users").status, 200, "users table intact");

        app.user("taken", Role::Observer);
        let page = admin.post(
            "/admin/users",
            &[
                ("username", "taken"),
                ("role", "observer"),
                ("password", PASSWORD),
            ],
        );
        assert_eq!(page.status, 422);
        assert_eq!(page.text("#e-username"), "That user name is taken.");
    });
}

#[test]
fn reset_password_replaces_the_old_one_and_ends_sessions() {
    each_backend(|app| {
        app.user("bob", Role::Reviewer);
        let bob = Client::new(app);
        bob.login("bob", PASSWORD);
        let admin = app.signed_in(Role::Admin);
        let page = admin.post("/admin/users/bob/password", &[]);
        assert_eq!(page.status, 200);
        let fresh = page.text("#issued-secret");
        assert_eq!(bob.get("/").status, 303, "bob's session ended");
        let c = Client::new(app);
        assert_eq!(c.login("bob", PASSWORD).status().as_u16(), 401);
        assert_eq!(c.login("bob", &fresh).status().as_u16(), 303);
    });
}

#[test]
fn roles_change_and_the_last_admin_is_protected() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        app.user("carol", Role::Reviewer);
        assert_eq!(
            admin
                .post("/admin/users/carol/role", &[("role", "chair")])
                .status,
            303
        );
        let list = admin.get("/admin/users");
        assert_eq!(list.text(r#"tr[data-user="carol"] .role-badge"#), "chair");

        // admin1 is the only admin: it can be neither disabled nor demoted (409, on the list).
        let list = admin.post("/admin/users/admin1/disable", &[]);
        assert_eq!(list.status, 409);
        assert!(list.text(".flash-error").contains("last enabled admin"));
        let list = admin.post("/admin/users/admin1/role", &[("role", "observer")]);
        assert_eq!(list.status, 409);
        assert!(list.text(".flash-error").contains("last enabled admin"));
        assert_eq!(list.text(r#"tr[data-user="admin1"] .role-badge"#), "admin");

        // Disable and enable again.
        admin.post("/admin/users/carol/disable", &[]);
        assert_eq!(
            admin
                .get("/admin/users")
                .text(r#"tr[data-user="carol"] .status"#),
            "disabled"
        );
        admin.post("/admin/users/carol/enable", &[]);
        assert_eq!(
            admin
                .get("/admin/users")
                .text(r#"tr[data-user="carol"] .status"#),
            "active"
        );

        // Acting on someone who does not exist is a clean 404.
        assert_eq!(admin.post("/admin/users/nobody/disable", &[]).status, 404);
        assert_eq!(
            admin.post("/admin/users/%3Cscript%3E/enable", &[]).status,
            404
        );

        let audit = admin.get("/admin/audit");
        let actions = audit.texts("#audit td code");
        for a in ["user.role", "user.disable", "user.enable"] {
            assert!(actions.contains(&a.to_string()), "{a} in {actions:?}");
        }
    });
}

#[test]
fn admin_creates_and_revokes_api_tokens() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        app.user("bot", Role::Reviewer);
        let page = admin.post(
            "/admin/tokens",
            &[("username", "bot"), ("label", "intake <script>")],
        );
        assert_eq!(page.status, 200);
        let secret = page.text("#issued-secret");
        assert!(secret.starts_with("cordon_"), "{secret}");
        assert_eq!(
            page.text("tr[data-token] td:nth-child(3)"),
            "intake <script>"
        );
        assert!(!page.body.contains("intake <script>"), "escaped");

        let me = reqwest::blocking::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .unwrap();
        assert_eq!(me.status().as_u16(), 200);

        let id = page.attr("tr[data-token]", "data-token").unwrap();
        assert_eq!(
            admin
                .post(&format!("/admin/tokens/{id}/revoke"), &[])
                .status,
            303
        );
        let list = admin.get("/admin/tokens");
        assert!(list
            .text(&format!(r#"tr[data-token="{id}"] .status"#))
            .starts_with("revoked"));
        let me = reqwest::blocking::Client::new()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .unwrap();
        assert_eq!(me.status().as_u16(), 401);

        // Revoking twice, or a token that never existed, says so (404, on the tokens page).
        let again = admin.post(&format!("/admin/tokens/{id}/revoke"), &[]);
        assert_eq!(again.status, 404);
        assert!(again.text(".flash-error").contains("already revoked"));

        let bad = admin.post("/admin/tokens", &[("username", "nobody"), ("label", "x")]);
        assert_eq!(bad.status, 422);
        assert_eq!(bad.text("#e-username"), "No such user.");
        let long = "l".repeat(150);
        let bad = admin.post("/admin/tokens", &[("username", "bot"), ("label", &long)]);
        assert_eq!(bad.status, 422);
        assert_eq!(
            bad.attr("#f-label", "value").as_deref(),
            Some(long.as_str())
        );
    });
}

#[test]
fn closure_days_are_skipped_by_new_deadlines() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let cal = cordon::domain::clock::Calendar::new([]);
        let today = cordon::service::clock::Now::real().today;
        let normal = cal.business_deadline(today, 5);
        // Close the office on the first business day after today.
        let closed = cal.next_business_day(today);
        admin.get("/admin/closures");
        let res = admin.post(
            "/admin/closures",
            &[("day", &closed.to_string()), ("label", "OPM closure: snow")],
        );
        assert_eq!(res.status, 303);
        let page = admin.get("/admin/closures");
        assert!(page.text("#closures").contains("OPM closure: snow"));
        assert!(page.text("#holidays").contains("Christmas Day"));

        app.user("rev", Role::Reviewer);
        let id = app.report("rev", crate::support::mineone_json());
        let due = app.case(id).deadlines.first().unwrap().due;
        let with_closure = Calendar::new([closed]);
        let received = with_closure.received_on(chrono::Utc::now());
        assert_eq!(due, with_closure.business_deadline(received, 5));
        assert!(due > normal, "{due} should be after {normal}");

        // Bad input is answered and kept; duplicates refused.
        let res = admin.post(
            "/admin/closures",
            &[("day", "2026-02-30"), ("label", "<b>x</b>")],
        );
        assert_eq!(res.status, 422);
        assert_eq!(res.attr("#f-label", "value").as_deref(), Some("<b>x</b>"));
        let res = admin.post(
            "/admin/closures",
            &[("day", &closed.to_string()), ("label", "again")],
        );
        assert_eq!(res.status, 422);
        assert_eq!(res.text("#e-day"), "That day is already a closure day.");
        let res = admin.post("/admin/closures", &[("day", "2026-03-01"), ("label", "")]);
        assert_eq!(res.status, 422);
        // Removing it, and removing what is not there.
        assert_eq!(
            admin
                .post(&format!("/admin/closures/{closed}/remove"), &[])
                .status,
            303
        );
        assert_eq!(
            admin
                .post(&format!("/admin/closures/{closed}/remove"), &[])
                .status,
            404
        );
        assert_eq!(
            admin.post("/admin/closures/yesterday/remove", &[]).status,
            404
        );
        // Reviewers cannot touch them.
        let rev = app.signed_in(Role::Reviewer);
        assert_eq!(rev.get("/admin/closures").status, 403);
    });
}
