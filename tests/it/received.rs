//! Reports recorded after the fact (PRODUCT.md 4 and 4.1): the received day given at intake,
//! the `lead` state and its clock starting on it, moves dated from it, and a chair's
//! correction that the history bounds.

use chrono::NaiveDate;
use cordon::domain::Role;
use serde_json::{json, Value};

use crate::cases_web::{mineone_form, post_fields};
use crate::support::api::Api;
use crate::support::{each_backend, mineone_json, TestApp};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// `(kind, starts, due)` of every deadline a case ever had, and the due days of its
/// conditions, in order.
fn clocks(app: &TestApp, id: i64) -> (Vec<(String, NaiveDate, NaiveDate)>, Vec<NaiveDate>) {
    let v = app.case(id);
    let mut deadlines: Vec<_> = v
        .deadlines
        .iter()
        .map(|d| (d.kind.clone(), d.starts, d.due))
        .collect();
    deadlines.sort_by_key(|(_, starts, _)| *starts);
    let mut conditions: Vec<_> = v.conditions.iter().filter_map(|c| c.due).collect();
    conditions.sort();
    (deadlines, conditions)
}

/// Moves a case through the API on a given day; panics when refused.
fn walk(api: &Api, id: i64, to: &str, outcome: Option<&str>, on: &str) {
    let version = api.case(id)["version"].as_i64().expect("version");
    let (status, body) = api.transition(id, version, to, outcome, Some(day(on)));
    assert_eq!(status, 200, "{to} on {on}: {body}");
}

#[test]
fn mineone_entered_through_the_api_gets_the_demo_s_deadlines() {
    each_backend(|app| {
        // The demo's MineOne, for reference.
        let mut conn = app.conn();
        cordon::service::demo::load(&mut conn)
            .expect("demo loads")
            .expect("empty database");
        let demo_id = cordon::db::cases::find_by_reference(&mut conn, "CFN-2022-00002")
            .expect("query")
            .expect("the demo's MineOne")
            .id;
        drop(conn);
        assert!(app.case(demo_id).case.title.contains("MineOne"));

        let rev = Api::new(app, "walker", Role::Reviewer);
        let chair = Api::new(app, "decider", Role::Chair);
        let mut report = mineone_json();
        report["received_on"] = json!("2022-08-22");
        let created = rev.create(&report);
        let id = created["id"].as_i64().expect("id");
        assert_eq!(created["received_on"], "2022-08-22");
        assert_eq!(created["state_since"], "2022-08-22");
        // Numbered in the year it was received, after the demo's cases of 2022.
        assert!(
            created["reference"]
                .as_str()
                .is_some_and(|r| r.starts_with("CFN-2022-")),
            "{}",
            created["reference"]
        );
        // The triage clock ran from the received day, so it is long overdue.
        assert_eq!(created["deadlines"][0]["starts"], "2022-08-22");

        // A move cannot come before the report was received.
        let (status, body) = rev.transition(id, 1, "screening", None, Some(day("2022-08-21")));
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("2022-08-22"), "{body}");

        walk(&rev, id, "screening", None, "2022-08-23");
        walk(&rev, id, "inquiry", None, "2022-09-07");
        walk(&chair, id, "review", None, "2024-02-01");
        walk(&chair, id, "investigation", None, "2024-03-15");
        walk(&chair, id, "presidential", None, "2024-04-29");
        let version = chair.case(id)["version"].as_i64().expect("version");
        let (status, body) = chair.post(
            &format!("/api/v1/cases/{id}/transitions"),
            &json!({
                "to": "divestiture",
                "rationale": "Prohibition ordered (order of 13 May 2024).",
                "effective": "2024-05-13",
                "version": version,
                "conditions": [
                    {"text": "Remove all equipment within 90 days of the order", "due": "2024-08-11"},
                    {"text": "Divest all interests within 120 days of the order", "due": "2024-09-10"}
                ]
            }),
        );
        assert_eq!(status, 200, "{body}");

        let (mine, mine_conditions) = clocks(app, id);
        let (demo, demo_conditions) = clocks(app, demo_id);
        assert_eq!(mine, demo, "the deadlines of the walk and of the demo");
        assert_eq!(mine_conditions, demo_conditions);
        assert_eq!(
            mine_conditions,
            [day("2024-08-11"), day("2024-09-10")],
            "90 and 120 days after the order"
        );
        let case = chair.case(id);
        assert_eq!(case["state"], "divestiture");
        assert_eq!(case["state_since"], "2024-05-13");
        assert_eq!(case["chain"]["verified"], true, "{}", case["chain"]);
        let created_event = app
            .case(id)
            .events
            .into_iter()
            .find(|e| e.body.kind == "created")
            .expect("created");
        assert_eq!(created_event.body.payload["received_on"], "2022-08-22");
    });
}

#[test]
fn received_days_out_of_range_are_refused_with_the_field_named() {
    each_backend(|app| {
        let rev = Api::new(app, "intake", Role::Reviewer);
        let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
        for (given, message) in [
            (json!(tomorrow), "cannot be in the future"),
            (json!("1974-12-31"), "from 1975-01-01"),
            (json!("22 August 2022"), "YYYY-MM-DD"),
            (json!(20220822), "YYYY-MM-DD"),
        ] {
            let mut report = mineone_json();
            report["received_on"] = given.clone();
            let (status, body) = rev.post("/api/v1/cases", &report);
            assert_eq!(status, 422, "{given}: {body}");
            let said = body.to_string();
            assert!(
                said.contains("received_on") && said.contains(message),
                "{given}: {said}"
            );
        }
        let (status, queue) = rev.get("/api/v1/cases");
        assert_eq!(status, 200);
        assert_eq!(queue["cases"], json!([]), "nothing stored");

        // The form keeps what was typed and says what is wrong beside the field.
        let c = app.signed_in(Role::Reviewer);
        let mut fields = mineone_form();
        fields.push(("received_on", "2099-01-01".into()));
        let res = post_fields(&c, "/cases/new", &fields);
        assert_eq!(res.status, 422);
        assert_eq!(
            res.attr("#f-received_on", "value").as_deref(),
            Some("2099-01-01")
        );
        assert!(res
            .text("#e-received_on")
            .contains("cannot be in the future"));
        // A past day through the form.
        let mut fields = mineone_form();
        fields.push(("received_on", "2023-03-01".into()));
        let res = post_fields(&c, "/cases/new", &fields);
        assert_eq!(res.status, 303, "{}", res.body);
        let page = c.get(&res.location());
        assert!(page.text("main").contains("Received 2023-03-01"));
    });
}

/// The edit form of a case, with `received_on` set and the version it shows.
fn edit_fields(c: &crate::support::Client, id: i64, received: &str) -> Vec<(&'static str, String)> {
    let form = c.get(&format!("/cases/{id}/edit"));
    assert_eq!(form.status, 200);
    let version = form.attr("input[name=version]", "value").expect("version");
    let mut fields: Vec<_> = mineone_form()
        .into_iter()
        .filter(|(k, _)| *k != "received_on")
        .collect();
    fields.push(("received_on", received.to_string()));
    fields.push(("version", version));
    fields
}

#[test]
fn a_chair_corrects_the_received_day_within_what_the_history_allows() {
    each_backend(|app| {
        let rev = Api::new(app, "intake", Role::Reviewer);
        let mut report = mineone_json();
        report["received_on"] = json!("2024-03-04");
        let id = rev.create(&report)["id"].as_i64().expect("id");
        let reviewer = app.signed_in(Role::Reviewer);
        let chair = app.signed_in(Role::Chair);

        // The form shows the recorded day; a reviewer may not change it.
        let form = reviewer.get(&format!("/cases/{id}/edit"));
        assert_eq!(
            form.attr("#f-received_on", "value").as_deref(),
            Some("2024-03-04")
        );
        let res = post_fields(
            &reviewer,
            &format!("/cases/{id}/edit"),
            &edit_fields(&reviewer, id, "2024-02-01"),
        );
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(res.text("#e-received_on").contains("Only a chair"));
        assert_eq!(app.case(id).case.received_on, day("2024-03-04"));

        // Still in lead: a chair moves it earlier; the state and the triage clock follow.
        let res = post_fields(
            &chair,
            &format!("/cases/{id}/edit"),
            &edit_fields(&chair, id, "2024-02-01"),
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let v = app.case(id);
        assert_eq!(v.case.received_on, day("2024-02-01"));
        assert_eq!(v.case.state_since, day("2024-02-01"));
        let open: Vec<_> = v
            .open_deadlines()
            .map(|d| (d.kind.clone(), d.starts))
            .collect();
        assert_eq!(open, [("triage".to_string(), day("2024-02-01"))]);
        let edited = v
            .events
            .iter()
            .rev()
            .find(|e| e.body.kind == "edited")
            .expect("edited event");
        let change = edited.body.payload["changes"]
            .as_array()
            .and_then(|l| l.iter().find(|c| c["field"] == "received_on"))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(change["old"], "2024-03-04");
        assert_eq!(change["new"], "2024-02-01");
        assert!(v.chain.is_ok());

        // Once the case moved on 2024-02-05, the received day may not come after it.
        let version = v.case.version;
        let (status, body) =
            rev.transition(id, version, "screening", None, Some(day("2024-02-05")));
        assert_eq!(status, 200, "{body}");
        let before = app.case(id).events.len();
        let res = post_fields(
            &chair,
            &format!("/cases/{id}/edit"),
            &edit_fields(&chair, id, "2024-02-06"),
        );
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(res
            .text("#e-received_on")
            .contains("moved to screening on 2024-02-05"));
        assert_eq!(
            res.attr("#f-received_on", "value").as_deref(),
            Some("2024-02-06")
        );
        assert_eq!(app.case(id).events.len(), before, "nothing recorded");
        assert_eq!(app.case(id).case.received_on, day("2024-02-01"));
        // Up to that day is fine; the state it is in now keeps its own start.
        let res = post_fields(
            &chair,
            &format!("/cases/{id}/edit"),
            &edit_fields(&chair, id, "2024-02-05"),
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let v = app.case(id);
        assert_eq!(v.case.received_on, day("2024-02-05"));
        assert_eq!(v.case.state, "screening");
        assert_eq!(v.case.state_since, day("2024-02-05"));
    });
}
