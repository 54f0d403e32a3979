//! The cases API: reports, the queue, cases, transitions, comments, history and the OpenAPI
//! document, driven over HTTP with bearer tokens as a client would.

use chrono::Datelike;
use cordon::domain::Role;
use reqwest::blocking::{Client, RequestBuilder};
use serde_json::{json, Value};

use crate::support::{each_backend, mineone_json, TestApp};

/// A user with an API token.
fn token(app: &TestApp, name: &str, role: Role) -> String {
    app.user(name, role);
    let (_, secret) =
        cordon::service::users::create_token(&mut app.conn(), None, name, "api test").unwrap();
    secret
}

/// A response as a client sees it.
struct Res {
    status: u16,
    content_type: String,
    location: String,
    body: Value,
}

fn send(req: RequestBuilder) -> Res {
    let res = req.send().unwrap();
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let content_type = header("content-type");
    let location = header("location");
    let text = res.text().unwrap();
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: not JSON ({e}): {text:.300}"));
    Res {
        status,
        content_type,
        location,
        body,
    }
}

/// An API client for one token (or none).
struct Api<'a> {
    app: &'a TestApp,
    http: Client,
    token: Option<String>,
}

impl<'a> Api<'a> {
    fn new(app: &'a TestApp, token: Option<String>) -> Self {
        Api {
            app,
            http: Client::new(),
            token,
        }
    }

    fn auth(&self, req: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    fn get(&self, path: &str) -> Res {
        send(self.auth(self.http.get(self.app.url(path))))
    }

    fn post(&self, path: &str, body: Value) -> Res {
        send(self.auth(self.http.post(self.app.url(path)).json(&body)))
    }

    /// POSTs exactly these bytes as `application/json`.
    fn post_raw(&self, path: &str, body: impl Into<reqwest::blocking::Body>) -> Res {
        send(
            self.auth(
                self.http
                    .post(self.app.url(path))
                    .header("content-type", "application/json")
                    .body(body),
            ),
        )
    }

    fn create(&self, report: Value) -> Value {
        let res = self.post("/api/v1/cases", report);
        assert_eq!(res.status, 201, "{}", res.body);
        res.body
    }

    fn case(&self, id: i64) -> Value {
        let res = self.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(res.status, 200, "{}", res.body);
        res.body
    }

    fn history(&self, id: i64) -> Value {
        let res = self.get(&format!("/api/v1/cases/{id}/history"));
        assert_eq!(res.status, 200, "{}", res.body);
        res.body
    }

    fn events(&self, id: i64) -> usize {
        self.history(id)["events"].as_array().unwrap().len()
    }

    fn transition(&self, id: i64, body: Value) -> Res {
        self.post(&format!("/api/v1/cases/{id}/transitions"), body)
    }

    /// Moves a case and insists that it worked; returns the case after the move.
    fn move_to(&self, id: i64, to: &str) -> Value {
        let version = self.case(id)["version"].as_i64().unwrap();
        let res = self.transition(
            id,
            json!({"to": to, "rationale": format!("Moving to {to}."), "version": version}),
        );
        assert_eq!(res.status, 200, "to {to}: {}", res.body);
        assert_eq!(res.body["state"], to);
        assert_eq!(res.body["version"], version + 1);
        res.body
    }
}

fn id_of(case: &Value) -> i64 {
    case["id"].as_i64().unwrap()
}

/// Asserts a validation refusal that names `field` (first and in `fields`).
fn assert_field_error(res: &Res, field: &str) {
    assert_eq!(res.status, 422, "{field}: {}", res.body);
    let e = &res.body["error"];
    assert_eq!(e["code"], "validation", "{}", res.body);
    assert!(
        e["fields"][field].as_str().is_some_and(|m| !m.is_empty()),
        "{field} not in {}",
        res.body
    );
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    let first = e["fields"].as_object().unwrap().keys().next().unwrap();
    assert_eq!(e["field"], first.as_str());
}

/// A second report, for lists with more than one case.
fn other_report(title: &str, party: &str) -> Value {
    let mut r = mineone_json();
    r["title"] = json!(title);
    r["parties"] = json!([{"key": "p1", "name": party, "country": "FR", "role": "acquirer"}]);
    r
}

#[test]
fn a_report_becomes_a_case_in_lead_that_the_queue_finds() {
    each_backend(|app| {
        let api = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let res = api.post("/api/v1/cases", mineone_json());
        assert_eq!(res.status, 201, "{}", res.body);
        assert!(res.content_type.starts_with("application/json"));
        let case = res.body;
        let id = id_of(&case);
        assert_eq!(res.location, format!("/api/v1/cases/{id}"));

        let year = cordon::service::clock::Now::real().today.year();
        let reference = case["reference"].as_str().unwrap();
        let prefix = format!("CFN-{year}-");
        assert!(reference.starts_with(&prefix), "{reference}");
        let number = &reference[prefix.len()..];
        assert_eq!(number.len(), 5, "{reference}");
        assert!(number.bytes().all(|b| b.is_ascii_digit()), "{reference}");

        assert_eq!(case["state"], "lead");
        assert_eq!(case["outcome"], Value::Null);
        assert_eq!(case["version"], 1);
        assert_eq!(case["created_by"], "rita");
        assert_eq!(case["title"], "Crypto mine next to F.E. Warren AFB");
        assert_eq!(case["source"], "company_report");
        assert_eq!(case["property"]["lat"], 41.17);
        assert_eq!(case["property"]["county_fips"], "56021");
        assert_eq!(case["transaction"]["value_usd"], 1_500_000);
        assert_eq!(case["transaction"]["rights"]["affix"], true);
        let parties = case["parties"].as_array().unwrap();
        assert_eq!(parties.len(), 3);
        assert_eq!(parties[1]["name"], "MineOne Partners Ltd");
        assert_eq!(parties[1]["owns"], "p1");
        assert_eq!(parties[2]["ownership_pct"], 51.0);
        assert_eq!(parties[2]["role"], "ultimate_parent");

        let deadlines = case["deadlines"].as_array().unwrap();
        assert_eq!(deadlines.len(), 1, "{case}");
        assert_eq!(deadlines[0]["kind"], "triage");
        let due = deadlines[0]["due"].as_str().unwrap();
        let due = chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap();
        let today = cordon::service::clock::Now::real().today;
        assert!(
            due > today && due <= today + chrono::Duration::days(21),
            "{due}"
        );

        assert_eq!(case["chain"]["verified"], true);
        assert_eq!(case["chain"]["events"], 2, "created, screened");
        let actions: Vec<&str> = case["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["to"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["screening"]);

        // The case as GET shows it is the case as created.
        let shown = api.case(id);
        assert_eq!(shown["reference"], reference);
        assert_eq!(shown["deadlines"], case["deadlines"]);

        // The queue: by a party's name (any case), by state.
        let other = api.create(other_report("Vineyard lease", "Domaine Example SA"));
        let refs = |path: &str| -> Vec<String> {
            let res = api.get(path);
            assert_eq!(res.status, 200, "{path}: {}", res.body);
            assert!(res.body["next"].is_null());
            res.body["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["reference"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(refs("/api/v1/cases?q=mineone%20partners"), [reference]);
        assert_eq!(refs("/api/v1/cases?q=PRC%20NATIONALS"), [reference]);
        assert_eq!(
            refs("/api/v1/cases?q=domaine"),
            [other["reference"].as_str().unwrap()]
        );
        assert!(refs("/api/v1/cases?q=no%20such%20party").is_empty());
        assert_eq!(refs("/api/v1/cases?state=lead").len(), 2);
        assert!(refs("/api/v1/cases?state=review").is_empty());
        assert_eq!(refs("/api/v1/cases?country=cn"), [reference]);
        api.move_to(id, "screening");
        assert_eq!(refs("/api/v1/cases?state=screening"), [reference]);
        assert_eq!(
            refs("/api/v1/cases?state=lead"),
            [other["reference"].as_str().unwrap()]
        );
        let row = &api.get("/api/v1/cases?q=mineone").body["cases"][0];
        assert_eq!(row["id"], id);
        assert_eq!(row["state"], "screening");
        assert_eq!(row["version"], 2);
        assert_eq!(row["countries"], json!(["CN", "US", "VG"]));
    });
}

#[test]
fn the_queue_pages_with_a_cursor_and_refuses_bad_filters() {
    each_backend(|app| {
        let api = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        for i in 0..5 {
            api.create(other_report(&format!("Case {i}"), &format!("Party {i}")));
        }
        for sort in ["deadline", "received", "updated"] {
            let mut seen = Vec::new();
            let mut path = format!("/api/v1/cases?limit=2&sort={sort}");
            let mut pages = 0;
            loop {
                let res = api.get(&path);
                assert_eq!(res.status, 200, "{path}: {}", res.body);
                pages += 1;
                for c in res.body["cases"].as_array().unwrap() {
                    seen.push(c["id"].as_i64().unwrap());
                }
                match res.body["next"].as_str() {
                    Some(next) => path = format!("/api/v1/cases?limit=2&sort={sort}&after={next}"),
                    None => break,
                }
            }
            assert_eq!(pages, 3, "{sort}");
            let mut unique = seen.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 5, "{sort}: every case once: {seen:?}");
        }
        for (query, field) in [
            ("state=nowhere", "state"),
            ("agency=nasa", "agency"),
            ("sort=sideways", "sort"),
            ("limit=0", "limit"),
            ("limit=abc", "limit"),
            ("limit=100000", "limit"),
            ("after=garbage", "after"),
            ("overdue=perhaps", "overdue"),
        ] {
            let res = api.get(&format!("/api/v1/cases?{query}"));
            assert_field_error(&res, field);
        }
        let res = api.get("/api/v1/cases?overdue=true");
        assert_eq!(res.status, 200);
        assert!(res.body["cases"].as_array().unwrap().is_empty());
        let res = api.get("/api/v1/cases?mine=true");
        assert_eq!(res.status, 200);
        assert!(res.body["cases"].as_array().unwrap().is_empty());
    });
}

#[test]
fn a_case_goes_from_lead_to_cleared_by_reviewer_then_chair() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let carl = Api::new(app, Some(token(app, "carl", Role::Chair)));
        let id = id_of(&rita.create(mineone_json()));
        rita.move_to(id, "screening");
        let case = rita.move_to(id, "notice_submitted");
        assert_eq!(case["deadlines"][0]["kind"], "acceptance");
        let case = rita.move_to(id, "review");
        assert_eq!(case["deadlines"].as_array().unwrap().len(), 1);
        assert_eq!(case["deadlines"][0]["kind"], "review");
        assert_eq!(case["version"], 4);
        // The chair (not the creator) sees the decisions, and closes the case.
        let offered = carl.case(id)["actions"].clone();
        assert!(offered
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["to"] == "closed" && a["outcome"] == "cleared"));
        let res = carl.transition(
            id,
            json!({"to": "closed", "outcome": "cleared", "rationale": "No national security risk.", "version": 4}),
        );
        assert_eq!(res.status, 200, "{}", res.body);
        let case = res.body;
        assert_eq!(case["state"], "closed");
        assert_eq!(case["outcome"], "cleared");
        assert_eq!(case["version"], 5);
        assert!(case["deadlines"].as_array().unwrap().is_empty());
        assert_eq!(case["chain"]["verified"], true);
        assert_eq!(case["chain"]["events"], 6);
        let last = &rita.history(id)["events"][5];
        assert_eq!(last["actor"], "carl");
        assert_eq!(last["kind"], "transitioned");
        assert_eq!(last["payload"]["from"], "review");
        assert_eq!(last["payload"]["outcome"], "cleared");
        assert_eq!(last["payload"]["rationale"], "No national security risk.");
    });
}

#[test]
fn a_chair_only_move_is_forbidden_to_a_reviewer_and_changes_nothing() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let id = id_of(&rita.create(mineone_json()));
        rita.move_to(id, "screening");
        let before = rita.case(id);
        let res = rita.transition(
            id,
            json!({"to": "closed", "outcome": "not_covered", "rationale": "Not covered.", "version": 2}),
        );
        assert_eq!(res.status, 403, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "forbidden");
        assert!(res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("chair"));
        let after = rita.case(id);
        assert_eq!(after["version"], before["version"]);
        assert_eq!(after["state"], "screening");
        assert_eq!(rita.events(id), 3);

        // Four eyes: a chair who logged the case may not decide it.
        let carl = Api::new(app, Some(token(app, "carl", Role::Chair)));
        let id = id_of(&carl.create(mineone_json()));
        carl.move_to(id, "screening");
        let res = carl.transition(
            id,
            json!({"to": "closed", "outcome": "not_covered", "rationale": "Not covered.", "version": 2}),
        );
        assert_eq!(res.status, 403, "{}", res.body);
        assert!(res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("four-eyes"));
        assert_eq!(carl.case(id)["version"], 2);
    });
}

#[test]
fn a_stale_version_is_refused_with_409_and_nothing_is_applied_twice() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let id = id_of(&rita.create(mineone_json()));
        let body = json!({"to": "screening", "rationale": "Looks covered.", "version": 1});
        assert_eq!(rita.transition(id, body.clone()).status, 200);
        assert_eq!(rita.events(id), 3);
        // The same request again (a retry, or a second user on the same version).
        let res = rita.transition(id, body);
        assert_eq!(res.status, 409, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "conflict");
        assert!(res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Someone else changed"));
        let case = rita.case(id);
        assert_eq!(case["version"], 2);
        assert_eq!(case["state"], "screening");
        assert_eq!(case["deadlines"].as_array().unwrap().len(), 1);
        assert_eq!(rita.events(id), 3);
        // A version from the future is just as stale.
        let res = rita.transition(
            id,
            json!({"to": "inquiry", "rationale": "r", "version": 99}),
        );
        assert_eq!(res.status, 409);
        assert_eq!(rita.events(id), 3);
    });
}

#[test]
fn bad_transitions_are_refused_with_the_field_concerned() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let id = id_of(&rita.create(mineone_json()));
        let path = format!("/api/v1/cases/{id}/transitions");

        // Not a move from `lead`.
        let res = rita.transition(id, json!({"to": "review", "rationale": "r", "version": 1}));
        assert_eq!(res.status, 422, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "invalid_transition");
        assert!(res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("lead"));

        let future =
            (cordon::service::clock::Now::real().today + chrono::Duration::days(3)).to_string();
        let cases: Vec<(Value, &str)> = vec![
            (json!({"to": "screening", "version": 1}), "rationale"),
            (
                json!({"to": "screening", "rationale": "   ", "version": 1}),
                "rationale",
            ),
            (
                json!({"to": "screening", "rationale": 7, "version": 1}),
                "rationale",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "effective": future}),
                "effective",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "effective": "2026-13-45"}),
                "effective",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "effective": "yesterday"}),
                "effective",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "effective": 20260101}),
                "effective",
            ),
            (json!({"rationale": "r", "version": 1}), "to"),
            (json!({"to": null, "rationale": "r", "version": 1}), "to"),
            (json!({"to": 3, "rationale": "r", "version": 1}), "to"),
            (
                json!({"to": ["screening"], "rationale": "r", "version": 1}),
                "to",
            ),
            (
                json!({"to": "nowhere", "rationale": "r", "version": 1}),
                "to",
            ),
            (json!({"to": "screening", "rationale": "r"}), "version"),
            (
                json!({"to": "screening", "rationale": "r", "version": "1"}),
                "version",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1.5}),
                "version",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": true}),
                "version",
            ),
            (
                json!({"to": "closed", "rationale": "r", "version": 1}),
                "outcome",
            ),
            (
                json!({"to": "closed", "outcome": "vanished", "rationale": "r", "version": 1}),
                "outcome",
            ),
            (
                json!({"to": "screening", "outcome": "cleared", "rationale": "r", "version": 1}),
                "outcome",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "conditions": "many"}),
                "conditions",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "conditions": [{"text": 5}]}),
                "conditions[0].text",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "conditions": [{"text": "t", "due": "soon"}]}),
                "conditions[0].due",
            ),
            (
                json!({"to": "screening", "rationale": "r", "version": 1, "conditions": [{"text": "Divest"}]}),
                "conditions",
            ),
        ];
        for (body, field) in cases {
            let res = rita.post(&path, body.clone());
            assert_field_error(&res, field);
            assert!(
                res.body["error"]["fields"].as_object().unwrap().len() == 1,
                "{body}: {}",
                res.body
            );
        }
        // Everything wrong at once: every field is named.
        let res = rita.post(&path, json!({"to": 1, "version": "x", "effective": "x"}));
        assert_field_error(&res, "to");
        let fields = res.body["error"]["fields"].as_object().unwrap();
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["effective", "rationale", "to", "version"]);

        // Not JSON, not an object, too large, no body.
        let res = rita.post_raw(&path, "{\"to\": \"screening\",");
        assert_eq!(res.status, 400, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "bad_request");
        let res = rita.post_raw(&path, "[1, 2]");
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(res.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("JSON object"));
        let big = format!(
            "{{\"to\": \"screening\", \"version\": 1, \"rationale\": \"{}\"}}",
            "x".repeat(10 * 1024 * 1024)
        );
        let res = rita.post_raw(&path, big);
        assert_eq!(res.status, 413, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "too_large");
        let res = send(
            rita.http
                .post(app.url(&path))
                .bearer_auth(rita.token.as_deref().unwrap())
                .header("content-type", "text/plain")
                .body("to=screening"),
        );
        assert_eq!(res.status, 400, "{}", res.body);

        // A case that does not exist, an id that is not one.
        let res = rita.transition(
            999_999,
            json!({"to": "screening", "rationale": "r", "version": 1}),
        );
        assert_eq!(res.status, 404, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "not_found");
        let res = rita.post("/api/v1/cases/abc/transitions", json!({}));
        assert_eq!(res.status, 404);
        assert_eq!(rita.get("/api/v1/cases/999999").status, 404);
        assert_eq!(rita.get("/api/v1/cases/999999/history").status, 404);
        assert_eq!(
            rita.get("/api/v1/cases/99999999999999999999999").status,
            404
        );

        // Nothing was changed by any of it.
        let case = rita.case(id);
        assert_eq!(case["version"], 1);
        assert_eq!(case["state"], "lead");
        assert_eq!(rita.events(id), 2);
    });
}

#[test]
fn a_decision_with_conditions_records_them() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let carl = Api::new(app, Some(token(app, "carl", Role::Chair)));
        let id = id_of(&rita.create(mineone_json()));
        for to in ["screening", "notice_submitted", "review"] {
            rita.move_to(id, to);
        }
        let res = carl.transition(
            id,
            json!({
                "to": "monitoring",
                "rationale": "Cleared with mitigation.",
                "version": 4,
                "conditions": [
                    {"text": "Remove the equipment", "due": "2030-01-31"},
                    {"text": "Annual compliance report"}
                ]
            }),
        );
        assert_eq!(res.status, 200, "{}", res.body);
        let conditions = res.body["conditions"].as_array().unwrap();
        assert_eq!(conditions.len(), 2);
        assert_eq!(conditions[0]["text"], "Remove the equipment");
        assert_eq!(conditions[0]["due"], "2030-01-31");
        assert_eq!(conditions[0]["kind"], "mitigation");
        assert_eq!(conditions[0]["status"], "open");
        assert_eq!(conditions[1]["due"], Value::Null);
        let kinds: Vec<String> = rita.history(id)["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(kinds.last().unwrap(), "decision_recorded");
        // A blank condition is refused by name.
        let id = id_of(&rita.create(mineone_json()));
        for to in ["screening", "notice_submitted", "review"] {
            rita.move_to(id, to);
        }
        let res = carl.transition(
            id,
            json!({"to": "monitoring", "rationale": "r", "version": 4, "conditions": [{"text": " "}]}),
        );
        assert_field_error(&res, "conditions[0].text");
        assert_eq!(carl.case(id)["state"], "review");
    });
}

#[test]
fn wrong_types_in_a_report_are_named_field_by_field() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let mut report = mineone_json();
        report["property"]["lat"] = json!("abc");
        let res = rita.post("/api/v1/cases", report.clone());
        assert_field_error(&res, "property.lat");
        assert_eq!(res.body["error"]["field"], "property.lat");
        assert_eq!(res.body["error"]["fields"].as_object().unwrap().len(), 1);

        // Several at once: every one is listed, the first also as `field`.
        report["title"] = json!(5);
        report["transaction"]["rights"] = json!("yes");
        report["parties"][1]["country"] = json!("Narnia");
        report["parties"][2]["owns"] = json!("p9");
        let res = rita.post("/api/v1/cases", report);
        assert_field_error(&res, "title");
        let fields = res.body["error"]["fields"].as_object().unwrap();
        for f in [
            "title",
            "property.lat",
            "transaction.rights",
            "parties[1].country",
            "parties[2].owns",
        ] {
            assert!(fields.contains_key(f), "{f} missing: {}", res.body);
        }

        // Not a report at all.
        let res = rita.post("/api/v1/cases", json!([1, 2, 3]));
        assert_field_error(&res, "report");
        let res = rita.post("/api/v1/cases", json!({}));
        assert_field_error(&res, "property.lat");
        assert!(res.body["error"]["fields"]["title"].is_string());
        let res = rita.post_raw("/api/v1/cases", "{\"title\": ");
        assert_eq!(res.status, 400, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "bad_request");
        let res = rita.post_raw("/api/v1/cases", "");
        assert_eq!(res.status, 400, "{}", res.body);
        let mut huge = mineone_json();
        huge["summary"] = json!("s".repeat(10 * 1024 * 1024));
        let res = rita.post_raw("/api/v1/cases", serde_json::to_vec(&huge).unwrap());
        assert_eq!(res.status, 413, "{}", res.body);
        assert_eq!(res.body["error"]["code"], "too_large");

        // Nothing was stored.
        let res = rita.get("/api/v1/cases");
        assert!(res.body["cases"].as_array().unwrap().is_empty());
    });
}

#[test]
fn comments_are_recorded_and_checked() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let id = id_of(&rita.create(mineone_json()));
        let path = format!("/api/v1/cases/{id}/comments");
        let res = rita.post(&path, json!({"body": "Called the county assessor."}));
        assert_eq!(res.status, 201, "{}", res.body);
        assert_eq!(res.body["version"], 2);
        assert_eq!(res.body["chain"]["events"], 3);
        let res = rita.post(&path, json!({"body": "Second note.", "version": 2}));
        assert_eq!(res.status, 201, "{}", res.body);
        let res = rita.post(&path, json!({"body": "Stale note.", "version": 2}));
        assert_eq!(res.status, 409, "{}", res.body);
        for (body, field) in [
            (json!({}), "body"),
            (json!({"body": "  "}), "body"),
            (json!({"body": 12}), "body"),
            (json!({"body": "x".repeat(10_001)}), "body"),
            (json!({"body": "ok", "version": "3"}), "version"),
        ] {
            assert_field_error(&rita.post(&path, body), field);
        }
        assert_eq!(
            rita.post("/api/v1/cases/999999/comments", json!({"body": "x"}))
                .status,
            404
        );
        let history = rita.history(id);
        let events = history["events"].as_array().unwrap();
        assert_eq!(events.len(), 4);
        assert_eq!(events[2]["kind"], "commented");
        assert_eq!(events[2]["payload"]["body"], "Called the county assessor.");
        assert_eq!(events[3]["actor"], "rita");
    });
}

#[test]
fn observers_read_but_may_not_write_and_strangers_get_401() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let id = id_of(&rita.create(mineone_json()));
        let olga = Api::new(app, Some(token(app, "olga", Role::Observer)));
        let nobody = Api::new(app, None);
        let forged = Api::new(app, Some("not-a-token".into()));
        let reads = [
            "/api/v1/cases".to_string(),
            format!("/api/v1/cases/{id}"),
            format!("/api/v1/cases/{id}/history"),
        ];
        for path in &reads {
            assert_eq!(olga.get(path).status, 200, "{path}");
            for stranger in [&nobody, &forged] {
                let res = stranger.get(path);
                assert_eq!(res.status, 401, "{path}");
                assert_eq!(res.body["error"]["code"], "unauthenticated");
            }
        }
        // An observer sees no move to make.
        assert!(olga.case(id)["actions"].as_array().unwrap().is_empty());
        let writes = [
            ("/api/v1/cases".to_string(), mineone_json()),
            (
                format!("/api/v1/cases/{id}/transitions"),
                json!({"to": "screening", "rationale": "r", "version": 1}),
            ),
            (
                format!("/api/v1/cases/{id}/comments"),
                json!({"body": "observed"}),
            ),
        ];
        for (path, body) in &writes {
            let res = olga.post(path, body.clone());
            assert_eq!(res.status, 403, "{path}: {}", res.body);
            assert_eq!(res.body["error"]["code"], "forbidden");
            for stranger in [&nobody, &forged] {
                assert_eq!(stranger.post(path, body.clone()).status, 401, "{path}");
            }
        }
        let case = rita.case(id);
        assert_eq!(case["version"], 1);
        assert_eq!(rita.events(id), 2);
        assert_eq!(
            rita.get("/api/v1/cases").body["cases"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    });
}

#[test]
fn the_history_verifies_and_each_event_links_to_the_one_before() {
    each_backend(|app| {
        let rita = Api::new(app, Some(token(app, "rita", Role::Reviewer)));
        let id = id_of(&rita.create(mineone_json()));
        rita.move_to(id, "screening");
        rita.post(
            &format!("/api/v1/cases/{id}/comments"),
            json!({"body": "Checked the parcel map."}),
        );
        rita.move_to(id, "inquiry");
        let case = rita.case(id);
        let h = rita.history(id);
        assert_eq!(h["reference"], case["reference"]);
        assert_eq!(h["verified"], true);
        assert!(h["broken"].is_null());
        let events = h["events"].as_array().unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            [
                "created",
                "screened",
                "transitioned",
                "commented",
                "transitioned"
            ]
        );
        let mut prev = "0".repeat(64);
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e["seq"], i as i64 + 1);
            assert_eq!(e["prev_hash"], prev.as_str(), "event {}", i + 1);
            let hash = e["hash"].as_str().unwrap();
            assert_eq!(hash.len(), 64);
            assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(e["at"].as_str().unwrap().ends_with('Z'));
            assert_eq!(e["actor"], "rita");
            prev = hash.to_string();
        }
        assert_eq!(h["head"], prev.as_str());
        assert_eq!(case["chain"]["head"], prev.as_str());
        assert_eq!(case["chain"]["events"], 5);
        assert_eq!(events[4]["payload"]["from"], "screening");
        assert_eq!(events[4]["payload"]["to"], "inquiry");
        // The hashes are those of the domain's canonical form: the chain verifies offline.
        let chained: Vec<cordon::domain::history::ChainedEvent> = events
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e["case"] = h["reference"].clone();
                serde_json::from_value(e).unwrap()
            })
            .collect();
        let head = cordon::domain::history::verify(h["reference"].as_str().unwrap(), &chained);
        assert_eq!(head.unwrap(), prev);

        // An event changed behind Cordon's back (the append-only trigger dropped first): the
        // history says where the chain breaks, and the case that it does not verify.
        let drop_trigger = match app.backend {
            crate::support::Backend::Sqlite => "DROP TRIGGER events_no_update;",
            crate::support::Backend::Postgres => "DROP TRIGGER events_no_update ON events;",
        };
        app.sql(&format!(
            "{drop_trigger} UPDATE events SET payload = '{{\"body\":\"forged\"}}' \
             WHERE case_id = {id} AND seq = 3;"
        ));
        let h = rita.history(id);
        assert_eq!(h["verified"], false);
        assert!(h["head"].is_null());
        assert_eq!(h["broken"]["seq"], 3);
        assert!(h["broken"]["reason"]
            .as_str()
            .unwrap()
            .contains("does not match its hash"));
        assert_eq!(h["events"].as_array().unwrap().len(), 5);
        let case = rita.case(id);
        assert_eq!(case["chain"]["verified"], false);
        assert!(case["chain"]["head"].is_null());
    });
}

#[test]
fn the_openapi_document_lists_every_path_and_the_bearer_scheme() {
    each_backend(|app| {
        let res = Api::new(app, None).get("/api/v1/openapi.json");
        assert_eq!(res.status, 200);
        assert!(res.content_type.starts_with("application/json"));
        let doc = res.body;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        for (path, method) in [
            ("/api/v1/me", "get"),
            ("/api/v1/openapi.json", "get"),
            ("/api/v1/cases", "get"),
            ("/api/v1/cases", "post"),
            ("/api/v1/cases/{id}", "get"),
            ("/api/v1/cases/{id}/transitions", "post"),
            ("/api/v1/cases/{id}/comments", "post"),
            ("/api/v1/cases/{id}/history", "get"),
        ] {
            assert!(
                paths.get(path).and_then(|p| p.get(method)).is_some(),
                "{method} {path} missing"
            );
        }
        let scheme = &doc["components"]["securitySchemes"]["bearer"];
        assert_eq!(scheme["type"], "http");
        assert_eq!(scheme["scheme"], "bearer");
        assert_eq!(doc["security"], json!([{"bearer": []}]));
        let t = &paths["/api/v1/cases/{id}/transitions"]["post"];
        for status in ["200", "403", "404", "409", "422"] {
            assert!(t["responses"].get(status).is_some(), "{status}");
        }
        assert!(t["requestBody"]["content"]["application/json"].is_object());
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in [
            "CaseJson",
            "HistoryJson",
            "ErrorBody",
            "TransitionRequest",
            "MeJson",
        ] {
            assert!(schemas.contains_key(name), "{name}");
        }
        let list = &paths["/api/v1/cases"]["get"]["parameters"];
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for n in ["state", "q", "after", "limit"] {
            assert!(names.contains(&n), "{n}");
        }
    });
}
