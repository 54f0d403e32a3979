//! Related cases (issue 10): the case page and the API's case JSON list the other cases that
//! share a party with a case (the same name after the watchlist normalisation, or a confirmed
//! watchlist alias) or lie within 10 miles of it, found through indexes; the demo's MineOne
//! lists the illustrative mines through Bit Origin Ltd.

use cordon::domain::related::name_key;
use cordon::domain::Role;
use cordon::service;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use serde_json::{json, Value};

use crate::support::api::Api;
use crate::support::client::{Client, Page};
use crate::support::{each_backend, mineone_json, Backend, TestApp};

/// Degrees of latitude in `miles` on the sphere the distances are measured on.
fn north(miles: f64) -> f64 {
    (miles / 3958.8_f64).to_degrees()
}

/// A report at (lat, lon) with these parties (name, country, role).
fn report(title: &str, lat: f64, lon: f64, parties: &[(&str, &str, &str)]) -> Value {
    let mut r = mineone_json();
    r["title"] = json!(title);
    r["property"]["lat"] = json!(lat);
    r["property"]["lon"] = json!(lon);
    // Let the service find the county and state from the point.
    r["property"]
        .as_object_mut()
        .map(|p| (p.remove("county_fips"), p.remove("state")));
    r["parties"] = parties
        .iter()
        .enumerate()
        .map(|(i, (name, country, role))| {
            json!({"key": format!("p{i}"), "name": name, "country": country, "role": role})
        })
        .collect();
    r
}

fn reference(app: &TestApp, id: i64) -> String {
    app.case(id).case.reference
}

/// The related cases a page lists: (reference, title, state, risk, why), in order.
fn listed(page: &Page) -> Vec<(String, String, String, String, String)> {
    let cells = |n: usize| page.texts(&format!("#related-list tbody tr > :nth-child({n})"));
    let (refs, titles, states, risks, why) = (cells(1), cells(2), cells(3), cells(4), cells(5));
    assert_eq!(refs.len(), page.texts("#related-list tbody tr").len());
    refs.into_iter()
        .zip(titles)
        .zip(states)
        .zip(risks)
        .zip(why)
        .map(|((((a, b), c), d), e)| (a, b, c, d, e))
        .collect()
}

fn page(client: &Client, id: i64) -> Page {
    let page = client.get(&format!("/cases/{id}"));
    assert_eq!(page.status, 200);
    assert!(
        page.has_selector("section#related h2"),
        "a Related cases panel"
    );
    page
}

/// The references the API's `related` lists, in order.
fn api_refs(api: &Api, id: i64) -> Vec<String> {
    api.case(id)["related"]
        .as_array()
        .expect("a related list")
        .iter()
        .map(|r| r["reference"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_shared_party_after_normalisation_and_a_property_within_ten_miles_are_listed() {
    each_backend(|app| {
        let rev = Api::new(app, "rita", Role::Reviewer);
        let (lat, lon) = (41.17, -104.85);
        let id = |r: Value| rev.create(&r)["id"].as_i64().expect("id");
        let mine = id(report(
            "MineOne at Cheyenne",
            lat,
            lon,
            &[
                ("MineOne Wyoming Data Center LLC", "US", "acquirer"),
                ("MineOne Partners Ltd", "VG", "parent"),
                ("PRC nationals (undisclosed)", "CN", "ultimate_parent"),
            ],
        ));
        // The same parent, written another way, 700 miles away in Texas.
        let texas = id(report(
            "Mine near Abilene",
            32.48,
            -99.78,
            &[
                ("Mesquite Hash LLC", "US", "acquirer"),
                ("MINEONE PARTNERS, LTD.", "VG", "parent"),
            ],
        ));
        // No party in common: 8 miles north, and 12 miles south.
        let near = id(report(
            "Solar lease north of Cheyenne",
            lat + north(8.0),
            lon,
            &[
                ("High Plains Solar LLC", "US", "acquirer"),
                ("Kanto Power K.K.", "JP", "parent"),
            ],
        ));
        let far = id(report(
            "Ranch south of Cheyenne",
            lat - north(12.0),
            lon,
            &[
                ("Crow Creek Ranch LLC", "US", "acquirer"),
                ("Severnaya Logistics JSC", "RU", "parent"),
            ],
        ));
        // Only the placeholder for undisclosed owners in common: not a shared party.
        let undisclosed = id(report(
            "Farmland in Montana",
            47.5,
            -111.2,
            &[
                ("Great Falls Farms LLC", "US", "acquirer"),
                ("PRC nationals (undisclosed)", "CN", "parent"),
            ],
        ));
        let (mine_ref, texas_ref, near_ref) = (
            reference(app, mine),
            reference(app, texas),
            reference(app, near),
        );

        let observer = app.signed_in(Role::Observer);
        let p = page(&observer, mine);
        let rows = listed(&p);
        assert_eq!(
            rows,
            [
                (
                    texas_ref.clone(),
                    "Mine near Abilene".to_string(),
                    "Lead".to_string(),
                    app.case(texas).case.risk_band.expect("screened"),
                    "Shares party MINEONE PARTNERS, LTD.".to_string()
                ),
                (
                    near_ref.clone(),
                    "Solar lease north of Cheyenne".to_string(),
                    "Lead".to_string(),
                    app.case(near).case.risk_band.expect("screened"),
                    "8.0 mi away".to_string()
                ),
            ],
            "{:?}",
            p.texts("#related")
        );
        // Each reference links to its case; the case itself, the 12-mile case and the one
        // sharing only "undisclosed" owners are not listed.
        assert_eq!(
            p.attr("#related-list tbody tr:first-child a", "href"),
            Some(format!("/cases/{texas}"))
        );
        let refs: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        for (absent, what) in [
            (mine, "itself"),
            (far, "12 miles"),
            (undisclosed, "placeholder"),
        ] {
            assert!(!refs.contains(&reference(app, absent)), "{what}");
        }
        assert!(p.has_selector("#related-list thead th[scope=col]"));
        assert!(!p.has_selector("#related-none"));

        // Both ways: the Texas mine lists MineOne by the name MineOne gives the parent, the
        // case 8 miles away lists MineOne by distance.
        let t = listed(&page(&observer, texas));
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].0, mine_ref);
        assert_eq!(t[0].4, "Shares party MineOne Partners Ltd");
        let n = listed(&page(&observer, near));
        assert_eq!(
            n.iter()
                .map(|r| (r.0.as_str(), r.4.as_str()))
                .collect::<Vec<_>>(),
            [(mine_ref.as_str(), "8.0 mi away")]
        );

        // Nothing related: the empty state says so.
        let lone = page(&observer, far);
        assert!(lone.texts("#related-list tbody tr").is_empty());
        assert!(
            lone.text("#related-none").starts_with("No related cases"),
            "{}",
            lone.text("#related")
        );

        // The API's case JSON carries the same list.
        let related = rev.case(mine)["related"].clone();
        assert_eq!(
            related,
            json!([
                {"id": texas, "reference": texas_ref, "title": "Mine near Abilene",
                 "state": "lead", "risk_band": app.case(texas).case.risk_band,
                 "shared_party": "MINEONE PARTNERS, LTD."},
                {"id": near, "reference": near_ref, "title": "Solar lease north of Cheyenne",
                 "state": "lead", "risk_band": app.case(near).case.risk_band,
                 "distance_miles": 8.0}
            ])
        );
        assert_eq!(api_refs(&rev, far), Vec::<String>::new());
        // Every case answer carries it, a new case's too.
        let again = rev.create(&report(
            "Second report on the Abilene mine",
            32.48,
            -99.78,
            &[("Mesquite Hash L.L.C.", "US", "acquirer")],
        ));
        let rel: Vec<(&str, Option<&str>, Option<f64>)> = again["related"]
            .as_array()
            .expect("related")
            .iter()
            .map(|r| {
                (
                    r["reference"].as_str().unwrap_or_default(),
                    r["shared_party"].as_str(),
                    r["distance_miles"].as_f64(),
                )
            })
            .collect();
        assert_eq!(
            rel,
            [(texas_ref.as_str(), Some("Mesquite Hash LLC"), Some(0.0))]
        );
    });
}

#[test]
fn a_confirmed_watchlist_alias_links_cases_both_ways_until_it_is_dismissed() {
    each_backend(|app| {
        // A list entry with two names a party could go by.
        let csv = "name,aliases,country,program,source\n\
                   Bit Origin Limited,China Commercial Pork Holdings,KY,Test,Test list\n";
        service::watchlists::import_list(
            &mut app.conn(),
            None,
            "Test list",
            csv.as_bytes(),
            &|_, _| {},
        )
        .expect("import");
        app.user("rita", Role::Reviewer);
        let operator = app.report(
            "rita",
            report(
                "Mine in Texas",
                32.48,
                -99.78,
                &[("Bit Origin Ltd", "KY", "affiliate")],
            ),
        );
        let pork = app.report(
            "rita",
            report(
                "Hog farm in Iowa",
                42.0,
                -93.6,
                &[("China Commercial Pork Holdings Ltd", "KY", "parent")],
            ),
        );
        let unrelated = app.report(
            "rita",
            report(
                "Warehouse in Ohio",
                40.0,
                -83.0,
                &[("Buckeye Cold Storage LLC", "US", "acquirer")],
            ),
        );
        let observer = app.signed_in(Role::Observer);
        // Both names match the entry, but no reviewer has said the parties are it.
        assert!(listed(&page(&observer, operator)).is_empty());
        assert!(listed(&page(&observer, pork)).is_empty());

        let hit = app
            .case(operator)
            .screening
            .expect("screened")
            .watchlist_hits
            .into_iter()
            .find(|h| h.party == "Bit Origin Ltd")
            .expect("a hit on the entry");
        let decide = |confirm: bool| {
            let version = app.case(operator).case.version;
            service::screening::decide_hit_and_rescreen(
                &mut app.conn(),
                &service::screening::Screener::default(),
                &app.principal("rita"),
                operator,
                &hit.party,
                hit.entry_id,
                confirm,
                "Checked against the registry.",
                version,
                &service::clock::Now::real(),
            )
            .expect("decided");
        };
        decide(true);
        let (op_ref, pork_ref) = (reference(app, operator), reference(app, pork));
        let from_operator = listed(&page(&observer, operator));
        assert_eq!(from_operator.len(), 1, "{from_operator:?}");
        assert_eq!(from_operator[0].0, pork_ref);
        assert_eq!(
            from_operator[0].4,
            "Shares party China Commercial Pork Holdings Ltd, a confirmed alias of watchlist \
             entry “Bit Origin Limited”"
        );
        let from_pork = listed(&page(&observer, pork));
        assert_eq!(from_pork.len(), 1, "{from_pork:?}");
        assert_eq!(from_pork[0].0, op_ref);
        assert!(
            from_pork[0].4.starts_with("Shares party Bit Origin Ltd"),
            "{from_pork:?}"
        );
        assert!(listed(&page(&observer, unrelated)).is_empty());
        let rev = Api::for_user(app, "rita");
        let related = rev.case(pork)["related"].clone();
        assert_eq!(related[0]["shared_party"], "Bit Origin Ltd");
        assert_eq!(related[0]["via_watchlist_entry"], "Bit Origin Limited");

        // Dismissed later: the parties are not the entry after all.
        decide(false);
        assert!(listed(&page(&observer, operator)).is_empty());
        assert!(listed(&page(&observer, pork)).is_empty());
        assert_eq!(api_refs(&rev, pork), Vec::<String>::new());
    });
}

#[test]
fn the_demo_s_mineone_lists_the_other_mines_through_bit_origin() {
    each_backend(|app| {
        service::demo::load(&mut app.conn())
            .expect("demo loads")
            .expect("an empty database");
        let mineone = cordon::db::cases::find_by_reference(&mut app.conn(), "CFN-2022-00002")
            .expect("query")
            .expect("MineOne");
        assert!(mineone.title.contains("MineOne"));
        let observer = app.signed_in(Role::Observer);
        let rows = listed(&page(&observer, mineone.id));
        let mines: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| {
                r.4.starts_with("Shares party") && r.4.to_lowercase().contains("bit origin")
            })
            .map(|r| (r.1.as_str(), r.4.as_str()))
            .collect();
        let states = [
            "Dyess AFB",
            "Faulkner County, AR",
            "Offutt AFB",
            "Minot AFB",
        ];
        assert_eq!(mines.len(), states.len(), "{rows:?}");
        for place in states {
            assert!(
                mines
                    .iter()
                    .any(|(title, _)| title.contains(place) && title.contains("illustrative")),
                "{place}: {mines:?}"
            );
        }
        // However each report writes the name.
        let names: std::collections::BTreeSet<&str> = mines.iter().map(|(_, why)| *why).collect();
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            [
                "Shares party BIT ORIGIN LIMITED",
                "Shares party Bit Origin Ltd",
                "Shares party Bit Origin, Ltd."
            ]
        );
        // The generated case near F.E. Warren lies within 10 miles; Fufeng shares nothing.
        assert!(rows.iter().any(|r| r.4.ends_with("mi away")), "{rows:?}");
        assert!(rows.iter().all(|r| !r.1.contains("Fufeng")));
        // And a mine's page lists MineOne.
        let texas = rows
            .iter()
            .find(|r| r.1.contains("Dyess AFB"))
            .map(|r| r.0.clone())
            .expect("the Texas mine");
        let texas_id = cordon::db::cases::find_by_reference(&mut app.conn(), &texas)
            .expect("query")
            .expect("case")
            .id;
        let back = listed(&page(&observer, texas_id));
        assert!(
            back.iter()
                .any(|r| r.0 == "CFN-2022-00002" && r.4 == "Shares party Bit Origin Ltd"),
            "{back:?}"
        );
        // The API says the same.
        let rev = Api::new(app, "rita", Role::Reviewer);
        let refs = api_refs(&rev, mineone.id);
        assert_eq!(refs, rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>());
    });
}

#[derive(QueryableByName, Debug)]
struct PartyKey {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    name_key: String,
}

/// Every party's stored key is its name's key.
fn assert_keys_in_step(app: &TestApp) -> usize {
    let rows: Vec<PartyKey> = app.load("SELECT name, name_key FROM parties");
    for r in &rows {
        assert_eq!(r.name_key, name_key(&r.name), "{r:?}");
    }
    rows.len()
}

#[test]
fn every_writer_keeps_the_name_keys_and_the_searches_use_the_indexes() {
    each_backend(|app| {
        // Reports, an edit, and the bulk writer of bench-data.
        let rev = Api::new(app, "rita", Role::Reviewer);
        let created = rev.create(&mineone_json());
        let id = created["id"].as_i64().expect("id");
        let mut edited = mineone_json();
        edited["parties"][1]["name"] = json!("Société MineOne S.A.");
        // The edit form's service call (the API has no edit).
        let edited = cordon::domain::report::parse(
            &cordon::domain::report::RawReport::from_json(edited),
            service::clock::Now::real().today,
        )
        .expect("valid");
        service::cases::edit(
            &mut app.conn(),
            &app.principal("rita"),
            id,
            service::cases::Edit {
                report: &edited,
                version: created["version"].as_i64().expect("version"),
            },
            &cordon::domain::workflow::WorkflowSettings::default(),
            &service::screening::Screener::default(),
            &service::clock::Now::real(),
        )
        .expect("edit");
        assert!(app
            .case(id)
            .parties
            .iter()
            .any(|p| p.name == "Société MineOne S.A."));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cordon"))
            .args([
                "bench-data",
                "--cases",
                "30",
                "--sites",
                "5",
                "--events",
                "6",
                "--seed",
                "4",
            ])
            .env("DATABASE_URL", &app.db_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run cordon");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(assert_keys_in_step(app) > 30);
        let stored: Vec<PartyKey> = app.load(&format!(
            "SELECT name, name_key FROM parties WHERE case_id = {id} ORDER BY position"
        ));
        assert_eq!(stored[1].name_key, "societe mineone");

        // The two searches over every case go through their indexes. PostgreSQL plans a
        // sequential scan of a table this small, so it is asked to avoid one: the plan then
        // shows that the index serves the query as written.
        let mut conn = app.conn();
        if app.backend == Backend::Postgres {
            conn.batch_execute("ANALYZE; SET enable_seqscan = off")
                .expect("set");
        }
        let (named, inside) = cordon::db::related::plans(&mut conn).expect("plans");
        if app.backend == Backend::Postgres {
            conn.batch_execute("RESET enable_seqscan").expect("reset");
        }
        drop(conn);
        eprintln!(
            "name search:\n  {}\nbox search:\n  {}",
            named.join("\n  "),
            inside.join("\n  ")
        );
        let uses = |plan: &[String], index: &str| plan.iter().any(|l| l.contains(index));
        assert!(uses(&named, "parties_name_key"), "{named:?}");
        assert!(uses(&inside, "cases_location"), "{inside:?}");
        if app.backend == Backend::Sqlite {
            // A range of the index, not a scan of the table.
            assert!(
                named.iter().any(|l| l.starts_with("SEARCH parties USING")),
                "{named:?}"
            );
            assert!(
                inside.iter().any(|l| l.starts_with(
                    "SEARCH cases USING COVERING INDEX cases_location (lat>? AND lat<?)"
                )),
                "{inside:?}"
            );
            assert!(
                !named.iter().chain(&inside).any(|l| l.starts_with("SCAN")),
                "{named:?} {inside:?}"
            );
        }
    });
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[test]
fn a_database_of_the_previous_release_gets_its_name_keys_at_start() {
    for backend in crate::support::backends() {
        let app = TestApp::spawn_on(crate::migrate_previous::restore(backend), |_| {});
        let n = assert_keys_in_step(&app);
        assert!(n > 300, "{n} parties");
        let blank: Vec<Count> = app.load("SELECT COUNT(*) AS n FROM parties WHERE name_key = ''");
        assert_eq!(blank[0].n, 0);
        let format: Vec<Count> =
            app.load("SELECT value AS n FROM counters WHERE name = 'party-key-format'");
        assert_eq!(format[0].n, service::related::KEY_FORMAT);
        // A case of the old data lists the cases sharing its parent's name.
        let shared: Vec<Count> = app.load(
            "SELECT MIN(a.case_id) AS n FROM parties a JOIN parties b \
             ON a.name_key = b.name_key AND a.case_id <> b.case_id \
             WHERE a.name NOT LIKE '%undisclosed%'",
        );
        let id = shared[0].n;
        let rev = Api::new(&app, "rita", Role::Reviewer);
        let related = rev.case(id)["related"].clone();
        assert!(
            related
                .as_array()
                .is_some_and(|r| r.iter().any(|c| c["shared_party"].is_string())),
            "{related}"
        );
    }
}
