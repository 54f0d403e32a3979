//! Cases through the pages: intake, queue, case page, workflow actions.

use cordon::domain::Role;

use crate::support::{each_backend, each_backend_with, mineone_json, Client};

pub(crate) fn mineone_form() -> Vec<(&'static str, String)> {
    [
        ("title", "Crypto mine next to F.E. Warren AFB"),
        ("source", "company_report"),
        (
            "summary",
            "Bitcoin mine on a 12-acre lot north of the base.",
        ),
        ("transaction.kind", "purchase"),
        ("transaction.date", "2022-06-15"),
        ("transaction.value_usd", "1,500,000"),
        ("transaction.rights.access", "on"),
        ("transaction.rights.exclude", "on"),
        ("transaction.rights.improve", "on"),
        ("transaction.intended_use", "cryptocurrency mining"),
        ("property.lat", "41.17"),
        ("property.lon", "-104.85"),
        ("property.address", "North Range Business Park, Cheyenne"),
        ("property.state", "WY"),
        ("property.county_fips", "56021"),
        ("parties[0].name", "MineOne Wyoming Data Center LLC"),
        ("parties[0].country", "US"),
        ("parties[0].role", "acquirer"),
        ("parties[1].name", "MineOne Partners Ltd"),
        ("parties[1].country", "VG"),
        ("parties[1].role", "parent"),
        ("parties[1].owns", "0"),
        ("parties[1].ownership_pct", "100"),
        ("parties[2].name", "PRC nationals (undisclosed)"),
        ("parties[2].country", "CN"),
        ("parties[2].role", "ultimate_parent"),
        ("parties[2].owns", "1"),
        ("parties[2].ownership_pct", "51"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}

pub(crate) fn post_fields(
    c: &Client,
    path: &str,
    fields: &[(&str, String)],
) -> crate::support::client::Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(path, &borrowed)
}

/// Opens the case page and posts one of its forms with the version it shows.
fn act(c: &Client, id: i64, action: &str, fields: &[(&str, &str)]) -> crate::support::client::Page {
    let page = c.get(&format!("/cases/{id}"));
    let version = page
        .attr("input[name=version]", "value")
        .expect("version field");
    let mut all = fields.to_vec();
    all.push(("version", &version));
    c.post(&format!("/cases/{id}/{action}"), &all)
}

#[test]
fn a_reviewer_logs_a_report_with_an_ownership_chain() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        assert_eq!(c.get("/cases/new").status, 200);
        let res = post_fields(&c, "/cases/new", &mineone_form());
        assert_eq!(res.status, 303, "{}", res.body);
        let loc = res.location();
        let page = c.get(&loc);
        assert_eq!(page.status, 200);
        assert!(
            page.text(".flash-ok").starts_with("Logged CFN-"),
            "{}",
            page.text(".flash-ok")
        );
        let reference = page.text("#case-reference");
        assert!(
            reference.starts_with("CFN-20") && reference.len() == 14,
            "{reference}"
        );
        assert_eq!(page.text("#case-state"), "Lead");
        // The chain reads from the acquirer up to the ultimate owner.
        assert_eq!(
            page.texts(".ownership .party-name"),
            [
                "MineOne Wyoming Data Center LLC",
                "MineOne Partners Ltd",
                "PRC nationals (undisclosed)"
            ]
        );
        assert_eq!(
            page.attr(".ownership li:nth-child(3)", "class").as_deref(),
            Some("depth-2")
        );
        assert!(page.text("#deadlines").contains("Triage due"));
        assert!(page
            .text("#chain-status")
            .starts_with("History verified: 2 events"));
        assert!(page.text("#facts").contains("$1,500,000"));
        assert!(page.text("#facts").contains("3 of 4"));
    });
}

#[test]
fn bad_report_input_is_answered_field_by_field_and_kept() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let mut form = mineone_form();
        for (k, v) in form.iter_mut() {
            match *k {
                "title" => *v = "<script>alert('x')</script>".into(),
                "property.lat" => *v = "91.5".into(),
                "property.lon" => *v = "abc".into(),
                "transaction.date" => *v = "2999-01-01".into(),
                "parties[1].country" => *v = "ZZ".into(),
                _ => {}
            }
        }
        let page = post_fields(&c, "/cases/new", &form);
        assert_eq!(page.status, 422);
        assert!(!page.text("#e-property\\.lat").is_empty());
        assert!(!page.text("#e-property\\.lon").is_empty());
        assert!(!page.text("#e-transaction\\.date").is_empty());
        assert!(page.body.contains("ISO country code") || page.body.contains("country code"));
        // What was typed comes back, escaped.
        assert_eq!(
            page.attr("#f-title", "value").as_deref(),
            Some("<script>alert('x')</script>")
        );
        assert!(!page.body.contains("<script>alert"));
        assert_eq!(
            page.attr("#f-property\\.lon", "value").as_deref(),
            Some("abc")
        );
        assert_eq!(
            page.attr("#f-parties\\[1\\]\\.name", "value").as_deref(),
            Some("MineOne Partners Ltd")
        );
        // Nothing was stored.
        assert!(c.get("/cases").texts("#queue tbody tr").is_empty());

        let mut empty = mineone_form();
        empty.retain(|(k, _)| *k != "title" && *k != "property.lat");
        let page = post_fields(&c, "/cases/new", &empty);
        assert_eq!(page.status, 422);
        assert!(!page.text("#e-title").is_empty());
        assert!(!page.text("#e-property\\.lat").is_empty());
    });
}

#[test]
fn a_ten_megabyte_title_is_refused_without_harm() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let mut form = mineone_form();
        form.retain(|(k, _)| *k != "title");
        form.push(("title", "x".repeat(10 * 1024 * 1024)));
        let page = post_fields(&c, "/cases/new", &form);
        assert_eq!(page.status, 413);
        assert!(page.body.contains("larger than Cordon accepts"));
        let long = "y".repeat(201);
        let mut form = mineone_form();
        form.retain(|(k, _)| *k != "title");
        form.push(("title", long.clone()));
        let page = post_fields(&c, "/cases/new", &form);
        assert_eq!(page.status, 422);
        assert_eq!(page.attr("#f-title", "value"), Some(long));
    });
}

#[test]
fn more_party_rows_keep_what_was_typed() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let page = post_fields(&c, "/cases/new/rows", &mineone_form());
        assert_eq!(page.status, 200);
        assert_eq!(
            page.attr("#f-parties\\[2\\]\\.name", "value").as_deref(),
            Some("PRC nationals (undisclosed)")
        );
        assert!(page.has_selector("#f-parties\\[7\\]\\.name"));
    });
}

#[test]
fn the_queue_filters_searches_sorts_and_pages_in_the_url() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        app.user("chairman", Role::Chair);
        let mine = app.report("rev", mineone_json());
        let mut other = mineone_json();
        other["title"] = "Farmland near Grand Forks AFB".into();
        other["parties"] = serde_json::json!([{"key": "p1", "name": "Fufeng USA Inc", "country": "US", "role": "acquirer"},
                                              {"key": "p2", "name": "Fufeng Group Ltd", "country": "CN", "role": "parent", "owns": "p1"}]);
        let fufeng = app.report("rev", other);
        app.move_case("rev", fufeng, "screening", None);
        let c = app.signed_in(Role::Observer);

        let ids =
            |page: &crate::support::client::Page| page.texts("#queue tbody tr td:first-child");
        let all = c.get("/cases");
        assert_eq!(all.status, 200);
        assert_eq!(ids(&all).len(), 2);
        let by_party = c.get("/cases?q=partners");
        assert_eq!(
            by_party.texts("#queue tbody tr td:nth-child(2)"),
            ["Crypto mine next to F.E. Warren AFB"]
        );
        let by_state = c.get("/cases?state=screening");
        assert_eq!(
            by_state.texts("#queue tbody tr td:nth-child(2)"),
            ["Farmland near Grand Forks AFB"]
        );
        let by_country = c.get("/cases?country=vg");
        assert_eq!(
            by_country.texts("#queue tbody tr td:nth-child(2)"),
            ["Crypto mine next to F.E. Warren AFB"]
        );
        assert_eq!(
            c.get("/cases?q=%25").texts("#queue tbody tr").len(),
            0,
            "a % is searched literally"
        );
        assert_eq!(c.get("/cases?overdue=1").texts("#queue tbody tr").len(), 0);
        // Filters stay in the form.
        let kept = c.get("/cases?q=partners&state=lead&sort=received");
        assert_eq!(kept.attr("#q", "value").as_deref(), Some("partners"));
        assert_eq!(
            kept.attr("#f-state option[selected]", "value").as_deref(),
            Some("lead")
        );
        assert_eq!(
            kept.attr("#f-sort option[selected]", "value").as_deref(),
            Some("received")
        );
        // Hostile parameters are harmless.
        for q in [
            "/cases?state=%3Cscript%3E",
            "/cases?sort=drop+table",
            "/cases?after=garbage",
            "/cases?country=%27%20OR%201%3D1",
        ] {
            assert_eq!(c.get(q).status, 200, "{q}");
        }
        let _ = mine;
    });
}

#[test]
fn the_queue_pages_with_a_cursor() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        for i in 0..53 {
            let mut r = mineone_json();
            r["title"] = format!("Parcel {i:02}").into();
            app.report("rev", r);
        }
        let c = app.signed_in(Role::Observer);
        let first = c.get("/cases?sort=received");
        let rows1 = first.texts("#queue tbody tr td:first-child");
        assert_eq!(rows1.len(), 50);
        let next = first.attr("#next-page", "href").expect("next link");
        assert!(
            next.contains("sort=received") && next.contains("after="),
            "{next}"
        );
        let second = c.get(&next);
        let rows2 = second.texts("#queue tbody tr td:first-child");
        assert_eq!(rows2.len(), 3);
        assert!(rows2.iter().all(|r| !rows1.contains(r)), "no row twice");
        assert!(!second.has_selector("#next-page"));
    });
}

#[test]
fn moves_follow_the_table_roles_and_four_eyes() {
    each_backend(|app| {
        let reviewer = app.signed_in(Role::Reviewer);
        let chair = app.signed_in(Role::Chair);
        let observer = app.signed_in(Role::Observer);
        let id = app.report("reviewer1", mineone_json());

        // The reviewer sees only reviewer moves.
        let page = reviewer.get(&format!("/cases/{id}"));
        assert_eq!(
            page.texts("#transition-form .radio label"),
            ["Start screening"]
        );
        assert!(observer
            .get(&format!("/cases/{id}"))
            .texts("#transition-form")
            .is_empty());

        let res = act(
            &reviewer,
            id,
            "transition",
            &[("to", "screening"), ("rationale", "Worth a look.")],
        );
        assert_eq!(res.status, 303);
        assert_eq!(
            reviewer.get(&format!("/cases/{id}")).text("#case-state"),
            "Screening"
        );
        // A chair-only move by a reviewer is refused and changes nothing.
        let before = app.case(id).case.version;
        let res = act(
            &reviewer,
            id,
            "transition",
            &[("to", "closed:not_covered"), ("rationale", "No.")],
        );
        assert_eq!(res.status, 403);
        assert_eq!(app.case(id).case.version, before);
        // The observer is offered no form and may not act at all.
        let v = app.case(id).case.version.to_string();
        let res = observer.post(
            &format!("/cases/{id}/transition"),
            &[("to", "inquiry"), ("rationale", "x"), ("version", &v)],
        );
        assert_eq!(res.status, 403);
        assert_eq!(
            observer
                .post(
                    &format!("/cases/{id}/comment"),
                    &[("body", "x"), ("version", &v)]
                )
                .status,
            403
        );
        assert_eq!(app.case(id).case.version.to_string(), v);

        // Four eyes: a chair who logged a case cannot close it.
        let own = app.report("chair1", mineone_json());
        app.move_case("chair1", own, "screening", None);
        let page = chair.get(&format!("/cases/{own}"));
        assert!(!page
            .texts("#transition-form .radio label")
            .iter()
            .any(|l| l.starts_with("Close")));
        let res = act(
            &chair,
            own,
            "transition",
            &[
                ("to", "closed:not_covered"),
                ("rationale", "Mine to close?"),
            ],
        );
        assert_eq!(res.status, 403);
        assert!(res.body.contains("four-eyes"));
        // Another chair's case is fine.
        let res = act(
            &chair,
            id,
            "transition",
            &[("to", "closed:not_covered"), ("rationale", "Greenfield.")],
        );
        assert_eq!(res.status, 303);
        let page = chair.get(&format!("/cases/{id}"));
        assert_eq!(page.text("#case-state"), "Closed");
        assert_eq!(page.text("#case-outcome"), "Not a covered transaction");
        assert!(page.text("#deadlines").contains("No open deadline"));
        // A move that is not in the table from this state.
        let res = act(
            &chair,
            id,
            "transition",
            &[("to", "investigation"), ("rationale", "x")],
        );
        assert_eq!(res.status, 422);
        assert!(res.text("#notice").contains("cannot move"));
    });
}

#[test]
fn rationale_and_effective_date_are_checked_and_kept() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let res = act(
            &c,
            id,
            "transition",
            &[
                ("to", "screening"),
                ("rationale", "  "),
                ("effective", "2020-01-01"),
            ],
        );
        assert_eq!(res.status, 422);
        assert_eq!(res.text("#e-rationale"), "Give a rationale.");
        assert_eq!(
            res.attr("#f-effective", "value").as_deref(),
            Some("2020-01-01")
        );
        assert_eq!(
            res.attr("input[name=to][checked]", "value").as_deref(),
            Some("screening")
        );

        let res = act(
            &c,
            id,
            "transition",
            &[
                ("to", "screening"),
                ("rationale", "Start."),
                ("effective", "2999-01-01"),
            ],
        );
        assert_eq!(res.status, 422);
        assert!(res.text("#e-effective").contains("future"));
        assert_eq!(res.text("#f-rationale"), "Start.");

        let res = act(
            &c,
            id,
            "transition",
            &[
                ("to", "screening"),
                ("rationale", "Start."),
                ("effective", "not a date"),
            ],
        );
        assert_eq!(res.status, 422);
        assert_eq!(res.text("#e-effective"), "Enter a date as YYYY-MM-DD.");
        assert_eq!(app.case(id).case.state, "lead", "nothing changed");
    });
}

#[test]
fn a_stale_form_is_refused_and_nothing_is_applied_twice() {
    each_backend(|app| {
        let a = app.signed_in(Role::Reviewer);
        let b = app.signed_in(Role::Chair);
        let id = app.report("reviewer1", mineone_json());
        let page_a = a.get(&format!("/cases/{id}"));
        let stale = page_a.attr("input[name=version]", "value").unwrap();
        // B moves first.
        assert_eq!(
            act(
                &b,
                id,
                "transition",
                &[("to", "screening"), ("rationale", "Mine.")]
            )
            .status,
            303
        );
        // A's form still carries the old version.
        a.get(&format!("/cases/{id}"));
        let res = a.post(
            &format!("/cases/{id}/transition"),
            &[
                ("to", "screening"),
                ("rationale", "Me too."),
                ("version", &stale),
            ],
        );
        assert_eq!(res.status, 409);
        assert!(res.text("#notice").contains("Someone else changed"));
        assert_eq!(res.text("#f-rationale"), "Me too.", "input kept");
        let events = app.case(id).events;
        assert_eq!(
            events
                .iter()
                .filter(|e| e.body.kind == "transitioned")
                .count(),
            1
        );
        // A comment with the stale version is refused too; a garbage version as well.
        let res = a.post(
            &format!("/cases/{id}/comment"),
            &[("body", "Late note"), ("version", &stale)],
        );
        assert_eq!(res.status, 409);
        assert_eq!(res.text("#f-body"), "Late note");
        let res = a.post(
            &format!("/cases/{id}/comment"),
            &[("body", "x"), ("version", "abc")],
        );
        assert_eq!(res.status, 409);
    });
}

#[test]
fn comments_and_assignment_are_recorded_in_the_history() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        assert_eq!(
            act(
                &c,
                id,
                "comment",
                &[("body", "Microsoft's report <b>attached</b>.")]
            )
            .status,
            303
        );
        let res = act(&c, id, "comment", &[("body", "   ")]);
        assert_eq!(res.status, 422);
        assert_eq!(res.text("#e-body"), "Write a comment.");
        assert_eq!(
            act(
                &c,
                id,
                "assign",
                &[("assignee", "reviewer1"), ("lead_agency", "defense")]
            )
            .status,
            303
        );
        let res = act(
            &c,
            id,
            "assign",
            &[("assignee", "ghost"), ("lead_agency", "defense")],
        );
        assert_eq!(res.status, 422);
        let res = act(
            &c,
            id,
            "assign",
            &[("assignee", ""), ("lead_agency", "cia")],
        );
        assert_eq!(res.status, 422);
        let page = c.get(&format!("/cases/{id}"));
        assert_eq!(page.text("#case-assignee"), "reviewer1");
        let timeline = page.text("#timeline");
        assert!(
            timeline.contains("Microsoft's report <b>attached</b>."),
            "{timeline}"
        );
        assert!(!page.body.contains("<b>attached</b>"), "escaped");
        assert!(timeline.contains("Assigned to reviewer1; lead agency Defense"));
        assert!(page
            .text("#chain-status")
            .starts_with("History verified: 4 events"));
    });
}

#[test]
fn another_cases_id_or_a_missing_one_is_a_clean_404() {
    each_backend(|app| {
        let c = app.signed_in(Role::Chair);
        assert_eq!(c.get("/cases/999999").status, 404);
        assert_eq!(c.get("/cases/abc").status, 404);
        assert_eq!(c.get("/cases/-1").status, 404);
        let id = app.report("chair1", mineone_json());
        let version = app.case(id).case.version.to_string();
        c.get(&format!("/cases/{id}"));
        let res = c.post(
            "/cases/999999/transition",
            &[
                ("to", "screening"),
                ("rationale", "x"),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 404);
        let res = c.post(
            &format!("/cases/{id}/conditions/12345"),
            &[("status", "met"), ("version", &version)],
        );
        assert_eq!(res.status, 404);
    });
}

#[test]
fn a_chair_tolls_and_resumes_clocks_and_deadlines_move() {
    each_backend(|app| {
        let chair = app.signed_in(Role::Chair);
        app.user("rev", Role::Reviewer);
        let id = app.report("rev", mineone_json());
        let due_before = app
            .case(id)
            .deadlines
            .iter()
            .find(|d| d.is_open)
            .unwrap()
            .due;
        let today = cordon::service::clock::Now::real().today;
        let from = (today - chrono::Duration::days(10)).to_string();
        // The case entered lead today, but tolling may start earlier (a lapse that began before).
        assert_eq!(
            act(
                &chair,
                id,
                "toll",
                &[("from", &from), ("rationale", "Lapse in appropriations.")]
            )
            .status,
            303
        );
        let page = chair.get(&format!("/cases/{id}"));
        assert!(page.text("#deadlines").contains("paused"));
        assert_eq!(
            act(
                &chair,
                id,
                "toll",
                &[("from", &from), ("rationale", "Again")]
            )
            .status,
            409
        );
        assert_eq!(
            act(
                &chair,
                id,
                "resume",
                &[
                    ("on", &today.to_string()),
                    ("rationale", "Funding restored.")
                ]
            )
            .status,
            303
        );
        let after = app.case(id);
        let due_after = after.deadlines.iter().find(|d| d.is_open).unwrap().due;
        assert!(
            due_after >= due_before + chrono::Duration::days(10),
            "{due_before} -> {due_after}"
        );
        assert!(after
            .events
            .iter()
            .any(|e| e.body.kind == "resumed" && e.body.payload["paused_days"] == 10));
        // Reviewers cannot toll.
        let rev = Client::new(app);
        rev.login("rev", crate::support::PASSWORD);
        assert_eq!(
            act(&rev, id, "toll", &[("from", &from), ("rationale", "x")]).status,
            403
        );
    });
}

#[test]
fn an_investigation_is_extended_once_by_fifteen_days() {
    each_backend(|app| {
        let chair = app.signed_in(Role::Chair);
        app.user("rev", Role::Reviewer);
        let id = app.report("rev", mineone_json());
        for to in ["screening", "notice_submitted", "review"] {
            app.move_case("rev", id, to, None);
        }
        app.move_case("chair1", id, "investigation", None);
        let before = app
            .case(id)
            .deadlines
            .iter()
            .find(|d| d.is_open)
            .unwrap()
            .clone();
        assert_eq!(
            act(
                &chair,
                id,
                "extend",
                &[("rationale", "Extraordinary circumstances.")]
            )
            .status,
            303
        );
        let after = app
            .case(id)
            .deadlines
            .iter()
            .find(|d| d.is_open)
            .unwrap()
            .clone();
        assert!(
            after.due >= before.starts + chrono::Duration::days(59),
            "{} -> {}",
            before.due,
            after.due
        );
        assert!(after.due > before.due);
        let res = act(&chair, id, "extend", &[("rationale", "Again.")]);
        assert_eq!(res.status, 422);
        assert!(res.text("#notice").contains("already been extended"));
    });
}

#[test]
fn a_prohibition_order_carries_dated_conditions() {
    each_backend(|app| {
        let chair = app.signed_in(Role::Chair);
        app.user("rev", Role::Reviewer);
        let id = app.report("rev", mineone_json());
        for to in ["screening", "inquiry"] {
            app.move_case("rev", id, to, None);
        }
        for to in ["review", "investigation", "presidential"] {
            app.move_case("chair1", id, to, None);
        }
        let res = act(
            &chair,
            id,
            "transition",
            &[
                ("to", "divestiture"),
                ("rationale", "Order of the President."),
                (
                    "conditions_text",
                    "2024-08-11: Remove all equipment\n2024-09-10: Divest all interests",
                ),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = chair.get(&format!("/cases/{id}"));
        assert_eq!(page.text("#case-state"), "Divestiture");
        assert_eq!(
            page.texts("#conditions tbody td:first-child"),
            ["Remove all equipment", "Divest all interests"]
        );
        assert!(page
            .text("#timeline")
            .contains("Prohibition ordered with 2 condition(s)"));
        let cid = app.case(id).conditions.first().unwrap().id;
        assert_eq!(
            act(
                &chair,
                id,
                &format!("conditions/{cid}"),
                &[("status", "met")]
            )
            .status,
            303
        );
        assert_eq!(
            act(
                &chair,
                id,
                &format!("conditions/{cid}"),
                &[("status", "bogus")]
            )
            .status,
            422
        );
        assert_eq!(app.case(id).conditions.first().unwrap().status, "met");
        // A bad condition date is refused with the text kept.
        let id2 = app.report("rev", mineone_json());
        for to in ["screening", "inquiry"] {
            app.move_case("rev", id2, to, None);
        }
        app.move_case("chair1", id2, "review", None);
        let res = act(
            &chair,
            id2,
            "transition",
            &[
                ("to", "monitoring"),
                ("rationale", "NSA signed."),
                ("conditions_text", "2024-99-99: Audit"),
            ],
        );
        assert_eq!(res.status, 422);
        assert_eq!(res.text("#f-conditions"), "2024-99-99: Audit");
    });
}

#[test]
fn the_database_refuses_to_change_or_remove_events() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        let id = app.report("rev", mineone_json());
        let mut conn = app.conn();
        let conn: &mut cordon::db::DbConn = &mut conn;
        use diesel::connection::SimpleConnection;
        let update = format!("UPDATE events SET actor = 'mallory' WHERE case_id = {id}");
        let delete = format!("DELETE FROM events WHERE case_id = {id}");
        for sql in [update, delete] {
            let err = match conn {
                cordon::db::DbConn::Sqlite(c) => c.batch_execute(&sql),
                cordon::db::DbConn::Pg(c) => c.batch_execute(&sql),
            };
            let msg = err.expect_err("refused").to_string();
            assert!(msg.contains("append-only"), "{msg}");
        }
        assert!(app.case(id).chain.is_ok());
    });
}

#[test]
fn the_public_sends_a_tip_that_lands_as_a_lead() {
    each_backend_with(
        |s| s.tips_per_hour = 2,
        |app| {
            let public = Client::new(app);
            let form = public.get("/tip");
            assert_eq!(form.status, 200);
            let tip = [
                ("title", "Chinese-owned company bought land by the base"),
                (
                    "details",
                    "A 12-acre lot next to the Microsoft data center.",
                ),
                ("address", "Cheyenne, WY"),
                ("lat", "41.17"),
                ("lon", "-104.85"),
                ("contact", "a neighbour"),
                ("website", ""),
            ];
            let res = public.post("/tip", &tip);
            assert_eq!(res.status, 303);
            assert!(!public.get(&res.location()).text("#tip-sent").is_empty());
            // The honeypot: thanked, nothing stored.
            let mut bot = tip.to_vec();
            bot.retain(|(k, _)| *k != "website");
            bot.push(("website", "http://spam.example"));
            assert_eq!(public.post("/tip", &bot).status, 303);
            // Bad input is answered and kept.
            let res = public.post(
                "/tip",
                &[
                    ("title", ""),
                    ("details", "x"),
                    ("lat", "95"),
                    ("lon", "-104"),
                    ("website", ""),
                ],
            );
            assert_eq!(res.status, 422);
            assert!(!res.text("#e-lat").is_empty());
            assert_eq!(res.attr("#f-lat", "value").as_deref(), Some("95"));
            // The second real tip is the last this hour.
            assert_eq!(public.post("/tip", &tip).status, 303);
            assert_eq!(public.post("/tip", &tip).status, 429);

            let observer = app.signed_in(Role::Observer);
            let queue = observer.get("/cases?q=chinese-owned");
            assert_eq!(queue.texts("#queue tbody tr").len(), 2);
            let id: i64 = queue
                .attr("#queue tbody tr", "data-case")
                .unwrap()
                .parse()
                .unwrap();
            let case = app.case(id);
            assert_eq!(case.case.source, "public_tip");
            assert_eq!(case.case.state, "lead");
            assert_eq!(case.case.created_by, None);
            assert_eq!(case.events.first().unwrap().body.actor, "public");
        },
    );
}

#[test]
fn the_dashboard_shows_my_cases_and_counts() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        act(
            &c,
            id,
            "assign",
            &[("assignee", "reviewer1"), ("lead_agency", "")],
        );
        let page = c.get("/");
        assert_eq!(page.status, 200);
        assert!(page
            .text("#mine")
            .contains("Crypto mine next to F.E. Warren AFB"));
        assert!(
            page.text("#due-soon").contains("Crypto mine") || page.text("#mine").contains("left")
        );
        assert_eq!(page.text("#overdue-count .stat-n"), "0");
    });
}

#[test]
fn facts_are_edited_with_every_change_in_the_history() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let form = c.get(&format!("/cases/{id}/edit"));
        assert_eq!(form.status, 200);
        assert_eq!(
            form.attr("#f-title", "value").as_deref(),
            Some("Crypto mine next to F.E. Warren AFB")
        );
        assert_eq!(
            form.attr("#f-parties\\[1\\]\\.country", "value").as_deref(),
            Some("VG")
        );
        assert_eq!(
            form.attr("#f-parties\\[2\\]\\.owns option[selected]", "value")
                .as_deref(),
            Some("1")
        );
        let version = form.attr("input[name=version]", "value").unwrap();

        let mut fields = mineone_form();
        for (k, v) in fields.iter_mut() {
            match *k {
                "title" => *v = "Bitcoin mine by F.E. Warren AFB".into(),
                "parties[1].country" => *v = "KY".into(),
                _ => {}
            }
        }
        fields.push(("version", version.clone()));
        let res = post_fields(&c, &format!("/cases/{id}/edit"), &fields);
        assert_eq!(res.status, 303, "{}", res.body);
        let page = c.get(&format!("/cases/{id}"));
        assert_eq!(page.text("#case-title"), "Bitcoin mine by F.E. Warren AFB");
        assert!(page.text("#timeline").contains(
            "title: Crypto mine next to F.E. Warren AFB → Bitcoin mine by F.E. Warren AFB"
        ));
        let edited = app
            .case(id)
            .events
            .into_iter()
            .find(|e| e.body.kind == "edited")
            .unwrap();
        let fields_changed: Vec<String> = edited.body.payload["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["field"].as_str().unwrap().to_string())
            .collect();
        assert!(
            fields_changed.contains(&"title".to_string())
                && fields_changed.contains(&"parties".to_string()),
            "{fields_changed:?}"
        );
        assert!(app.case(id).chain.is_ok());
        // The old form again: stale, refused, input kept.
        let res = post_fields(&c, &format!("/cases/{id}/edit"), &fields);
        assert_eq!(res.status, 409);
        assert!(res.text("#notice").contains("Someone else changed"));
        assert_eq!(
            res.attr("#f-title", "value").as_deref(),
            Some("Bitcoin mine by F.E. Warren AFB")
        );
        // Bad input with the current version.
        let current = app.case(id).case.version.to_string();
        let mut bad: Vec<(&str, String)> = fields
            .iter()
            .filter(|(k, _)| *k != "version" && *k != "property.lat")
            .cloned()
            .collect();
        bad.push(("property.lat", "north".into()));
        bad.push(("version", current));
        let res = post_fields(&c, &format!("/cases/{id}/edit"), &bad);
        assert_eq!(res.status, 422);
        assert_eq!(
            res.attr("#f-property\\.lat", "value").as_deref(),
            Some("north")
        );
        // Observers may not edit.
        let o = app.signed_in(Role::Observer);
        assert_eq!(o.get(&format!("/cases/{id}/edit")).status, 403);
    });
}

#[test]
fn long_decimals_keep_the_history_verifiable() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        let mut r = mineone_json();
        r["property"]["lon"] = serde_json::json!(-93.59179999999999);
        r["property"]["acreage"] = serde_json::json!(12.345678901234567);
        let id = app.report("rev", r);
        assert!(app.case(id).chain.is_ok(), "{:?}", app.case(id).chain);
    });
}
