//! The stored screening, kept apart from the case rows: what the case page, the API, the
//! export and the printable dossier show is the screening of the case as it is now, for new
//! cases, edited cases (an edit screens again), overridden scores and re-screened cases; and it
//! is the answer `POST /api/v1/screen` gives for the same facts.

use cordon::db::sites::NewSiteRow;
use cordon::domain::Role;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::screening_web::seed_sites;
use crate::search::{form_fields, random_report};
use crate::support::api::Api;
use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, Client};

/// The screening a report gets from `POST /api/v1/screen` (nothing stored).
fn screen(api: &Api, report: &Value) -> Value {
    let (status, body) = api.post("/api/v1/screen", report);
    assert_eq!(status, 200, "{body}");
    body
}

/// The parts of a screening that depend on the facts (not on the day or rules version).
fn answer(s: &Value) -> Value {
    json!({
        "jurisdiction": s["jurisdiction"],
        "reasons": s["reasons"],
        "foreign_person": s["foreign_person"],
        "zones": s["zones"],
        "nearest": s["nearest"],
        "watchlist_hits": s["watchlist_hits"],
        "risk": s["risk"],
        "state_law": s["state_law"],
    })
}

/// Checks that the case page, the API, the JSON export and the dossier show `want`.
fn assert_shown(c: &Client, api: &Api, id: i64, want: &Value) {
    let case = api.case(id);
    let s = &case["screening"];
    assert!(s.is_object(), "case {id} has no screening: {case}");
    assert_eq!(answer(s), answer(want), "case {id}: the API's screening");
    let band = want["risk"]["band"].as_str().expect("band");
    let score = want["risk"]["score"].as_i64().expect("score");
    let jurisdiction = want["jurisdiction"].as_str().expect("jurisdiction");

    let page: Page = c.get(&format!("/cases/{id}"));
    assert_eq!(page.status, 200);
    let class = page.attr("#jurisdiction", "class").unwrap_or_default();
    assert!(
        class
            .split(' ')
            .any(|k| k == format!("jurisdiction-{jurisdiction}")),
        "case {id}: page shows {class:?}, want {jurisdiction}"
    );
    assert_eq!(page.text("#risk .risk-band"), band, "case {id}: page band");
    assert_eq!(
        page.text("#risk .risk-score"),
        score.to_string(),
        "case {id}: page score"
    );
    let zones = page.text("#zones");
    for z in want["zones"].as_array().into_iter().flatten() {
        let site = z["site"].as_str().unwrap_or_default();
        assert!(
            zones.contains(site),
            "case {id}: zone {site} not in {zones:?}"
        );
    }
    if want["zones"].as_array().is_some_and(Vec::is_empty) {
        assert!(!page.has_selector("#zones"), "case {id}: zones shown");
    }

    // The queue row carries the band the screening gives.
    let queue = c.get(&format!(
        "/cases?q={}",
        case["reference"].as_str().unwrap_or_default()
    ));
    assert!(
        queue.has_selector(&format!("#queue tr[data-case=\"{id}\"] .risk-{band}")),
        "case {id}: the queue row has no {band} chip"
    );

    let (status, doc) = api.get(&format!("/api/v1/cases/{id}/export"));
    assert_eq!(status, 200, "{doc}");
    assert_eq!(answer(&doc["screening"]), answer(want), "case {id}: export");

    let print = c.get(&format!("/cases/{id}/print"));
    assert_eq!(print.status, 200);
    let text = print.text("body");
    assert!(
        text.contains(&format!("{score} ({band})")),
        "case {id}: the dossier does not show {score} ({band})"
    );
}

/// Moves the property of a case and renames its first parties (`names[i]` for party `i`)
/// through the edit page; the report as it now stands, in the API's shape.
fn edit_facts(c: &Client, api: &Api, id: i64, lat: f64, lon: f64, names: &[&str]) -> Value {
    let path = format!("/cases/{id}/edit");
    let form = c.get(&path);
    assert_eq!(form.status, 200);
    let mut fields = form_fields(&form, &path);
    for (k, v) in fields.iter_mut() {
        match k.as_str() {
            "property.lat" => *v = lat.to_string(),
            "property.lon" => *v = lon.to_string(),
            "property.state" | "property.county_fips" => v.clear(),
            _ => {
                let party = k
                    .strip_prefix("parties[")
                    .and_then(|r| r.strip_suffix("].name"))
                    .and_then(|i| i.parse::<usize>().ok());
                if let Some(name) = party.and_then(|i| names.get(i)) {
                    *v = name.to_string();
                }
            }
        }
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = c.post_raw(&path, &borrowed);
    assert_eq!(res.status, 303, "edit {id}: {}", res.body);
    report_of(&api.case(id))
}

/// A case's facts as a report (to screen them again through the API).
fn report_of(case: &Value) -> Value {
    let mut property = case["property"].clone();
    if let Some(p) = property.as_object_mut() {
        p.retain(|_, v| !v.is_null());
    }
    let mut transaction = case["transaction"].clone();
    if let Some(t) = transaction.as_object_mut() {
        t.retain(|_, v| !v.is_null());
    }
    let parties: Vec<Value> = case["parties"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let mut p = p.clone();
            if let Some(o) = p.as_object_mut() {
                o.retain(|_, v| !v.is_null());
            }
            p
        })
        .collect();
    json!({
        "title": case["title"],
        "source": case["source"],
        "summary": case["summary"],
        "transaction": transaction,
        "property": property,
        "parties": parties,
    })
}

fn screened_events(api: &Api, id: i64) -> usize {
    let (status, h) = api.get(&format!("/api/v1/cases/{id}/history"));
    assert_eq!(status, 200);
    h["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] == "screened")
        .count()
}

#[test]
fn new_and_edited_cases_show_their_current_screening() {
    each_backend(|app| {
        seed_sites(app);
        let rita = Api::new(app, "rita", Role::Reviewer);
        let c = app.signed_in(Role::Reviewer);

        // MineOne by F.E. Warren: covered, a close-proximity zone, a watchlist hit.
        let report = mineone_json();
        let want = screen(&rita, &report);
        assert_eq!(want["jurisdiction"], "covered");
        assert!(!want["watchlist_hits"].as_array().expect("hits").is_empty());
        let id = rita.create(&report)["id"].as_i64().expect("id");
        assert_shown(&c, &rita, id, &want);

        // Moved to the plains and renamed: screened again, and the new answer shows.
        let edited = edit_facts(
            &c,
            &rita,
            id,
            38.5,
            -99.0,
            &["Prairie Holdings", "Prairie Parent", "Prairie Owner"],
        );
        let again = screen(&rita, &edited);
        assert_ne!(answer(&again), answer(&want), "the edit changes the answer");
        assert!(again["zones"].as_array().expect("zones").is_empty());
        assert!(again["watchlist_hits"].as_array().expect("hits").is_empty());
        assert_shown(&c, &rita, id, &again);
        assert_eq!(screened_events(&rita, id), 2);

        // And back next to the base.
        let back = edit_facts(
            &c,
            &rita,
            id,
            41.17,
            -104.85,
            &["MineOne Wyoming Data Center LLC", "MineOne Partners Ltd"],
        );
        let third = screen(&rita, &back);
        assert_eq!(third["jurisdiction"], "covered");
        assert_shown(&c, &rita, id, &third);
        assert_eq!(screened_events(&rita, id), 3);

        // Random cases: what each shows is what the API answers for its facts, after an edit
        // too.
        let mut rng = StdRng::seed_from_u64(31);
        let mut ids = vec![id];
        for i in 0..16 {
            let r = random_report(&mut rng, i);
            let new = rita.create(&r)["id"].as_i64().expect("id");
            // The facts as stored (with the county found from the point), screened anew.
            let want = screen(&rita, &report_of(&rita.case(new)));
            assert_shown(&c, &rita, new, &want);
            if i % 3 == 0 {
                let (lat, lon) = if rng.gen_bool(0.5) {
                    (41.14, -104.86)
                } else {
                    (rng.gen_range(32.0..45.0), rng.gen_range(-115.0..-80.0))
                };
                let facts = edit_facts(&c, &rita, new, lat, lon, &["Edited Party LLC"]);
                assert_shown(&c, &rita, new, &screen(&rita, &facts));
            }
            ids.push(new);
        }

        // One stored screening per case.
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n = |sql: &str| app.load::<N>(sql).first().map(|r| r.n).unwrap_or(-1);
        assert_eq!(
            n("SELECT COUNT(*) AS n FROM case_screenings"),
            n("SELECT COUNT(*) AS n FROM cases")
        );
        assert_eq!(
            n("SELECT COUNT(DISTINCT case_id) AS n FROM case_screenings"),
            ids.len() as i64
        );
    });
}

#[test]
fn an_overridden_score_and_a_rescreen_show_at_once() {
    each_backend(|app| {
        seed_sites(app);
        let rita = Api::new(app, "rita", Role::Reviewer);
        let c = app.signed_in(Role::Reviewer);
        let id = rita.create(&mineone_json())["id"].as_i64().expect("id");
        let before = rita.case(id)["screening"].clone();

        // A reviewer sets the threat score.
        let version = rita.case(id)["version"]
            .as_i64()
            .expect("version")
            .to_string();
        c.get(&format!("/cases/{id}"));
        let res = c.post(
            &format!("/cases/{id}/risk"),
            &[
                ("factor", "threat"),
                ("value", "1"),
                ("rationale", "The buyer divested."),
                ("version", &version),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let after = rita.case(id)["screening"].clone();
        assert_eq!(after["risk"]["threat"], 1, "{after}");
        assert_eq!(after["risk"]["overridden"], json!(["threat"]));
        assert_ne!(after["risk"]["score"], before["risk"]["score"]);
        assert_shown(&c, &rita, id, &after);

        // A site listed next to a case far from any: a chair re-screens, the case shows it.
        let mut far = mineone_json();
        far["property"]["lat"] = json!(44.5);
        far["property"]["lon"] = json!(-103.2);
        far["property"]["state"] = Value::Null;
        far["property"]["county_fips"] = Value::Null;
        far["parties"] =
            json!([{"key": "p1", "name": "Far Away LLC", "country": "CN", "role": "acquirer"}]);
        let far_id = rita.create(&far)["id"].as_i64().expect("id");
        assert!(rita.case(far_id)["screening"]["zones"]
            .as_array()
            .expect("zones")
            .is_empty());
        {
            let mut conn = app.conn();
            let now = cordon::service::now();
            cordon::db::sites::insert_site(
                &mut conn,
                &NewSiteRow {
                    name: "Black Hills Radar".into(),
                    kind: "military".into(),
                    part: Some(2),
                    lat: 44.501,
                    lon: -103.201,
                    boundary_radius_mi: 0.5,
                    criticality: 5,
                    us_state: None,
                    listed_from: None,
                    listed_until: None,
                    counties: String::new(),
                    notes: String::new(),
                    boundary: None,
                    retired: false,
                    updated_at: now,
                },
                now,
            )
            .expect("site");
            cordon::db::cases::next_counter(&mut conn, "sites-version").expect("counter");
        }
        let chair = app.signed_in(Role::Chair);
        chair.get("/cases");
        let page = chair.post("/cases/rescreen", &[]);
        assert_eq!(page.status, 200, "{}", page.body);
        let now = rita.case(far_id)["screening"].clone();
        let zones = now["zones"].as_array().expect("zones");
        assert!(
            zones.iter().any(|z| z["site"] == "Black Hills Radar"),
            "{now}"
        );
        assert_eq!(
            answer(&now),
            answer(&screen(&rita, &report_of(&rita.case(far_id))))
        );
        assert_shown(&c, &rita, far_id, &now);
        // The override of the first case survives the re-screen.
        assert_eq!(rita.case(id)["screening"]["risk"]["threat"], 1);
    });
}
