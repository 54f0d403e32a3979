//! Screening on the case page: the answer with its reasons, zones, risk, hits and overrides.

use cordon::db::sites::{NewSiteRow, NewWatchRow};
use cordon::domain::Role;

use crate::support::{each_backend, mineone_json, TestApp};

/// F.E. Warren AFB, the Microsoft data center next door, Grand Forks AFB (listed 2023), and a
/// small watchlist.
pub fn seed_sites(app: &TestApp) {
    let mut conn = app.conn();
    let now = cordon::service::now();
    let site = |name: &str,
                kind: &str,
                part: Option<i32>,
                lat: f64,
                lon: f64,
                r: f64,
                crit: i32,
                from: Option<&str>| NewSiteRow {
        name: name.into(),
        kind: kind.into(),
        part,
        lat,
        lon,
        boundary_radius_mi: r,
        criticality: crit,
        us_state: None,
        listed_from: from.map(|d| d.parse().unwrap()),
        listed_until: None,
        counties: String::new(),
        notes: String::new(),
        boundary: None,
        retired: false,
        updated_at: now,
    };
    for s in [
        site(
            "F.E. Warren Air Force Base",
            "military",
            Some(2),
            41.13,
            -104.87,
            2.2,
            5,
            Some("2020-02-13"),
        ),
        site(
            "Microsoft data center (Cheyenne)",
            "data_center",
            None,
            41.165,
            -104.843,
            0.2,
            4,
            None,
        ),
        site(
            "Grand Forks Air Force Base",
            "military",
            Some(2),
            47.961,
            -97.401,
            1.5,
            4,
            Some("2023-09-22"),
        ),
    ] {
        cordon::db::sites::insert_site(&mut conn, &s, now).unwrap();
    }
    cordon::db::sites::insert_watch(
        &mut conn,
        &NewWatchRow {
            list: "OFAC SDN".into(),
            name: "MineOne Partners Ltd".into(),
            aliases: "MineOne Partners Limited".into(),
            country: Some("VG".into()),
            program: "Demo".into(),
            source: "test".into(),
            created_at: now,
        },
    )
    .unwrap();
    cordon::db::cases::next_counter(&mut conn, "sites-version").unwrap();
    cordon::db::cases::next_counter(&mut conn, "watchlists-version").unwrap();
}

#[test]
fn a_logged_report_is_screened_at_once_with_reasons() {
    each_backend(|app| {
        seed_sites(app);
        let c = app.signed_in(Role::Reviewer);
        let mut report = mineone_json();
        report["property"]["county_fips"] = serde_json::Value::Null;
        report["property"]["state"] = serde_json::Value::Null;
        let id = app.report("reviewer1", report);
        let case = app.case(id);
        assert_eq!(case.case.jurisdiction.as_deref(), Some("covered"));
        assert_eq!(
            case.case.county_fips.as_deref(),
            Some("56021"),
            "county found from the point"
        );
        assert_eq!(case.case.us_state.as_deref(), Some("WY"));
        let page = c.get(&format!("/cases/{id}"));
        assert_eq!(page.status, 200);
        assert_eq!(
            page.text("#jurisdiction"),
            "Covered real estate transaction"
        );
        let zones = page.text("#zones");
        assert!(
            zones.contains("F.E. Warren Air Force Base") && zones.contains("Close proximity"),
            "{zones}"
        );
        assert!(page.text("#reasons").contains("F.E. Warren"));
        assert!(page.text("#foreign").starts_with("Yes"));
        assert!(page.text("#risk").contains("critical") || page.text("#risk").contains("high"));
        assert!(page.text("#hits").contains("MineOne Partners Ltd"));
        assert_eq!(
            page.texts("#nearest tr").len(),
            2,
            "sites in force on the date"
        );
        assert!(case.events.iter().any(|e| e.body.kind == "screened"));
        assert!(case.chain.is_ok());
    });
}

#[test]
fn a_reviewer_overrides_risk_and_decides_hits_with_a_rationale() {
    each_backend(|app| {
        seed_sites(app);
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let page = c.get(&format!("/cases/{id}"));
        let version = page.attr("input[name=version]", "value").unwrap();
        let res = c.post(
            &format!("/cases/{id}/risk"),
            &[
                ("factor", "consequence"),
                ("value", "2"),
                ("rationale", ""),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 422);
        let res = c.post(
            &format!("/cases/{id}/risk"),
            &[
                ("factor", "consequence"),
                ("value", "9"),
                ("rationale", "x"),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 422);
        let res = c.post(
            &format!("/cases/{id}/risk"),
            &[
                ("factor", "consequence"),
                ("value", "2"),
                ("rationale", "Site decommissioned."),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = c.get(&format!("/cases/{id}"));
        assert!(page.text("#risk").contains("C 2"), "{}", page.text("#risk"));
        let entry = page.attr("#hits input[name=entry_id]", "value").unwrap();
        let party = page.attr("#hits input[name=party]", "value").unwrap();
        let version = page.attr("input[name=version]", "value").unwrap();
        let res = c.post(
            &format!("/cases/{id}/hits"),
            &[
                ("party", &party),
                ("entry_id", &entry),
                ("decision", "confirm"),
                ("rationale", "Same BVI company."),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = c.get(&format!("/cases/{id}"));
        assert!(page.text("#hits").contains("confirmed"));
        let kinds: Vec<String> = app
            .case(id)
            .events
            .iter()
            .map(|e| e.body.kind.clone())
            .collect();
        assert!(
            kinds.contains(&"risk_overridden".to_string())
                && kinds.contains(&"watchlist_confirmed".to_string()),
            "{kinds:?}"
        );
        assert!(app.case(id).chain.is_ok());
        // Observers can see the screening but not change it.
        let o = app.signed_in(Role::Observer);
        assert!(o.get(&format!("/cases/{id}")).has_selector("#jurisdiction"));
        let v = app.case(id).case.version.to_string();
        assert_eq!(
            o.post(
                &format!("/cases/{id}/risk"),
                &[
                    ("factor", "threat"),
                    ("value", "1"),
                    ("rationale", "x"),
                    ("version", &v)
                ]
            )
            .status,
            403
        );
    });
}

#[test]
fn fufeng_is_not_covered_on_its_date_but_would_be_today() {
    each_backend(|app| {
        seed_sites(app);
        app.user("rev", Role::Reviewer);
        let fufeng = serde_json::json!({
            "title": "Corn mill near Grand Forks AFB", "source": "media",
            "transaction": {"kind": "greenfield", "date": "2022-10-17", "rights": {"access": true, "exclude": true, "improve": true, "affix": true}},
            "property": {"lat": 47.97, "lon": -97.07, "state": "ND", "county_fips": "38035", "acreage": 370},
            "parties": [{"key": "p1", "name": "Fufeng USA Inc", "country": "US", "role": "acquirer"},
                        {"key": "p2", "name": "Fufeng Group Ltd", "country": "CN", "role": "parent", "owns": "p1"}]
        });
        let then = app.report("rev", fufeng.clone());
        assert_eq!(
            app.case(then).case.jurisdiction.as_deref(),
            Some("not_covered")
        );
        let mut today = fufeng;
        today["transaction"]["date"] = serde_json::Value::Null;
        let now = app.report("rev", today);
        assert_eq!(app.case(now).case.jurisdiction.as_deref(), Some("covered"));
    });
}

#[test]
fn a_chair_rescreens_open_cases_and_sees_what_changed() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        // Logged before any site exists: not covered.
        let id = app.report("rev", mineone_json());
        assert_eq!(
            app.case(id).case.jurisdiction.as_deref(),
            Some("not_covered")
        );
        seed_sites(app);
        let chair = app.signed_in(Role::Chair);
        chair.get("/cases");
        let page = chair.post("/cases/rescreen", &[]);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.text("#rescreen-summary").starts_with("1 open case(s)"));
        let row = page.text("#changes tbody tr");
        assert!(row.contains("not_covered → covered"), "{row}");
        assert_eq!(app.case(id).case.jurisdiction.as_deref(), Some("covered"));
        // A second run changes nothing.
        let again = chair.post("/cases/rescreen", &[]);
        assert!(again
            .text("#rescreen-summary")
            .ends_with("0 answer(s) changed."));
        // Reviewers may not.
        let rev = app.signed_in(Role::Reviewer);
        rev.get("/cases");
        assert_eq!(rev.post("/cases/rescreen", &[]).status, 403);
    });
}

#[test]
fn the_api_screens_without_storing_and_cases_carry_their_screening() {
    each_backend(|app| {
        seed_sites(app);
        app.user("bot", Role::Reviewer);
        let (_, token) =
            cordon::service::users::create_token(&mut app.conn(), None, "bot", "t").unwrap();
        let http = reqwest::blocking::Client::new();
        let res = http
            .post(app.url("/api/v1/screen"))
            .bearer_auth(&token)
            .json(&mineone_json())
            .send()
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let s: serde_json::Value = res.json().unwrap();
        assert_eq!(s["jurisdiction"], "covered");
        assert_eq!(s["zones"][0]["zone"], "close_proximity");
        assert!(s["zones"][0]["distance_mi"].as_f64().unwrap() < 1.0);
        assert!(s["risk"]["score"].as_u64().unwrap() >= 37);
        assert_eq!(s["nearest"].as_array().unwrap().len(), 2);
        let queue: serde_json::Value = http
            .get(app.url("/api/v1/cases"))
            .bearer_auth(&token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert!(
            queue["cases"].as_array().unwrap().is_empty(),
            "nothing stored"
        );
        let mut bad = mineone_json();
        bad["property"]["lat"] = "north".into();
        let res = http
            .post(app.url("/api/v1/screen"))
            .bearer_auth(&token)
            .json(&bad)
            .send()
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);

        let res = http
            .post(app.url("/api/v1/cases"))
            .bearer_auth(&token)
            .json(&mineone_json())
            .send()
            .unwrap();
        let case: serde_json::Value = res.json().unwrap();
        assert_eq!(case["screening"]["jurisdiction"], "covered");
        assert!(case["screening"]["reasons"].as_array().unwrap().len() > 1);
        for key in [
            "foreign_person",
            "zones",
            "nearest",
            "watchlist_hits",
            "risk",
            "state_law",
        ] {
            assert!(!case["screening"][key].is_null(), "{key}");
        }
    });
}

#[test]
fn an_admin_loads_a_versioned_rule_set_and_bad_ones_are_refused() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let page = admin.get("/admin/rules");
        assert_eq!(page.status, 200);
        let builtin = cordon::domain::rules::BUILTIN_TOML;
        let current = cordon::domain::rules::RuleSet::parse(builtin)
            .unwrap()
            .version;
        assert!(page.text("#rules-version").contains(&current));
        // The same version again is refused; a broken file is refused with the reason; input kept.
        let res = admin.post("/admin/rules", &[("body", builtin)]);
        assert_eq!(
            res.status,
            303,
            "the built-in version is not stored yet: {}",
            res.text("#e-body")
        );
        let res = admin.post("/admin/rules", &[("body", builtin)]);
        assert_eq!(res.status, 422);
        assert!(res.text("#e-body").contains("loaded before"));
        let res = admin.post("/admin/rules", &[("body", "version = [")]);
        assert_eq!(res.status, 422);
        assert_eq!(res.text("#f-body"), "version = [");
        let bumped = builtin.replacen(&format!("\"{current}\""), "\"2099.1\"", 1);
        let res = admin.post("/admin/rules", &[("body", &bumped)]);
        assert_eq!(res.status, 303, "{}", res.text("#e-body"));
        assert!(admin
            .get("/admin/rules")
            .text("#rules-version")
            .contains("2099.1"));
        // New screenings record it.
        app.user("rev", Role::Reviewer);
        let id = app.report("rev", mineone_json());
        let stored = app.case(id).screening.unwrap();
        assert_eq!(stored.rules_version, "2099.1");
        // Back to the built-in one; reviewers cannot touch any of it.
        assert_eq!(admin.post("/admin/rules", &[("builtin", "1")]).status, 303);
        let rev = app.signed_in(Role::Reviewer);
        assert_eq!(rev.get("/admin/rules").status, 403);
    });
}

#[test]
fn the_queue_filters_by_risk_band() {
    each_backend(|app| {
        seed_sites(app);
        app.user("rev", Role::Reviewer);
        let covered = app.report("rev", mineone_json());
        let mut far = mineone_json();
        far["title"] = "Warehouse in Ohio".into();
        far["property"] = serde_json::json!({"lat": 39.96, "lon": -82.99});
        far["parties"] = serde_json::json!([{"key": "p1", "name": "Acme Logistics", "country": "US", "role": "acquirer"}]);
        let low = app.report("rev", far);
        let band = app.case(covered).case.risk_band.unwrap();
        assert_ne!(app.case(low).case.risk_band.as_deref(), Some(band.as_str()));
        let c = app.signed_in(Role::Observer);
        let page = c.get(&format!("/cases?risk={band}"));
        assert_eq!(
            page.texts("#queue tbody tr td:nth-child(2)"),
            ["Crypto mine next to F.E. Warren AFB"]
        );
        assert_eq!(
            page.attr("#f-risk option[selected]", "value"),
            Some(band.clone())
        );
        assert_eq!(
            c.get("/cases?risk=bogus").texts("#queue tbody tr").len(),
            2,
            "unknown band ignored on the page"
        );
    });
}

#[test]
fn the_timeline_says_what_the_screening_found() {
    each_backend(|app| {
        seed_sites(app);
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let page = c.get(&format!("/cases/{id}"));
        let timeline = page.text("#timeline");
        assert!(timeline.contains("covered; risk"), "{timeline}");
        assert!(
            timeline.contains("F.E. Warren Air Force Base (close_proximity"),
            "{timeline}"
        );
    });
}
