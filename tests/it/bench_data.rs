//! `cordon bench-data`: synthetic cases whose histories verify, that the queue finds by state
//! and by search, that never collide with real references, and refusals of bad arguments.

use std::collections::HashSet;
use std::process::{Command, Stdio};

use cordon::db::queue::Filter;
use cordon::domain::history::EventKind;
use cordon::domain::risk::Band;
use cordon::domain::workflow::State;
use cordon::domain::Role;
use cordon::service;
use cordon::service::bench_data::{Spec, Stage};

use crate::support::{each_backend, mineone_json, Backend, TestApp};

/// Runs the real binary against the app's database: (success, stdout, stderr).
fn cordon(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env("DATABASE_URL", &app.db_url)
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

/// Every case, by id.
fn all_cases(app: &TestApp) -> Vec<cordon::db::cases::CaseRow> {
    let mut conn = app.conn();
    let mut rows: Vec<_> = service::cases::queue(
        &mut conn,
        &Filter {
            limit: 10_000,
            ..Filter::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|(c, _)| app.case(c.id).case)
    .collect();
    rows.sort_by_key(|c| c.id);
    rows
}

/// Checks what a bench case must be: a verifying history of `events` events that starts with
/// `created` and ends in the case's state, a version that counts its changes, a screening whose
/// band matches its score, and 1 to 4 parties.
fn check_case(app: &TestApp, id: i64, events: usize) {
    let mut conn = app.conn();
    let v = service::cases::view(&mut conn, id).unwrap();
    let c = &v.case;
    assert!(v.chain.is_ok(), "{}: {:?}", c.reference, v.chain);
    assert_eq!(v.events.len(), events, "{}", c.reference);
    let first = v.events.first().unwrap();
    assert_eq!(first.body.kind, EventKind::Created.as_str());
    assert_eq!(first.body.payload["state"], "lead");
    let moves: Vec<_> = v
        .events
        .iter()
        .filter(|e| e.body.kind == "transitioned")
        .collect();
    let last_state = moves
        .last()
        .map(|e| e.body.payload["to"].as_str().unwrap().to_string())
        .unwrap_or_else(|| "lead".into());
    assert_eq!(c.state, last_state, "{}", c.reference);
    assert_eq!(
        c.outcome.as_deref(),
        moves
            .last()
            .and_then(|e| e.body.payload["outcome"].as_str())
    );
    let changes = v
        .events
        .iter()
        .filter(|e| ["transitioned", "commented", "assigned"].contains(&e.body.kind.as_str()))
        .count();
    assert_eq!(c.version, 1 + changes as i64, "{}", c.reference);
    let ats: Vec<_> = v.events.iter().map(|e| e.body.at.clone()).collect();
    assert!(ats.windows(2).all(|w| w[0] <= w[1]), "events in time order");
    let score = u16::try_from(c.risk_score.unwrap()).unwrap();
    assert_eq!(c.risk_band.as_deref(), Some(Band::of(score).as_str()));
    assert!(c.jurisdiction.is_some() && v.screening.is_some());
    assert!((1..=4).contains(&v.parties.len()), "{}", c.reference);
    let reference_words = cordon::domain::search::index_text([c.reference.as_str()]);
    assert!(c.search_text.starts_with(&reference_words));
    let open_clock = v.open_deadlines().count();
    if !c.state.parse::<State>().unwrap().is_open() {
        assert_eq!(open_clock, 0, "a closed case has no open clock");
    }
}

#[test]
fn bench_data_adds_cases_whose_histories_verify() {
    each_backend(|app| {
        app.user("rita", Role::Reviewer);
        let real = app.report("rita", mineone_json());
        let args = [
            "bench-data",
            "--cases",
            "30",
            "--sites",
            "20",
            "--events",
            "6",
            "--names",
            "300",
            "--seed",
            "11",
        ];
        let (ok, out, err) = cordon(app, &args);
        assert!(ok, "{err}");
        assert!(out.contains("added 30 cases"), "{out}");
        assert!(
            out.contains("added 20 sites and 300 watchlist names"),
            "{out}"
        );

        let cases = all_cases(app);
        assert_eq!(cases.len(), 31);
        for c in cases.iter().filter(|c| c.id != real) {
            check_case(app, c.id, 6);
            assert!(c.created_by.as_deref() != Some("rita"));
        }

        // The queue's state filter finds every case, each under its own state.
        let mut conn = app.conn();
        let mut found = 0;
        for state in State::ALL {
            let filter = Filter {
                state: Some(state.as_str().to_string()),
                limit: 1000,
                ..Filter::default()
            };
            let rows = service::cases::queue(&mut conn, &filter).unwrap();
            assert!(rows.iter().all(|(c, _)| c.state == state.as_str()));
            found += rows.len();
        }
        assert_eq!(found, 31);
        let states: HashSet<&str> = cases.iter().map(|c| c.state.as_str()).collect();
        assert!(states.len() >= 4, "cases spread over states: {states:?}");

        // Search finds a bench case by reference and by a party's name.
        let sample = cases.iter().find(|c| c.id != real).unwrap();
        let filter = |q: &str| Filter {
            search: cordon::domain::search::Query::parse(q),
            limit: 100,
            ..Filter::default()
        };
        let rows = service::cases::queue(&mut conn, &filter(&sample.reference)).unwrap();
        assert_eq!(rows.len(), 1);
        let party = cordon::db::cases::parties_of(&mut conn, sample.id).unwrap();
        let rows = service::cases::queue(&mut conn, &filter(&party[0].name)).unwrap();
        assert!(rows.iter().any(|(c, _)| c.id == sample.id));

        // The case page says the history verifies.
        let observer = app.signed_in(Role::Observer);
        for c in cases.iter().filter(|c| c.id != real).take(3) {
            let page = observer.get(&format!("/cases/{}", c.id));
            assert_eq!(page.status, 200);
            assert!(
                page.text("#chain-status")
                    .starts_with("History verified: 6 events"),
                "{}",
                page.text("#chain-status")
            );
        }

        // Running again (same seed) adds as many, on new references; real cases still get one.
        let (ok, out, err) = cordon(app, &args);
        assert!(ok, "{err}");
        assert!(out.contains("added 30 cases"), "{out}");
        let later = app.report("rita", mineone_json());
        let cases = all_cases(app);
        assert_eq!(cases.len(), 62);
        let refs: HashSet<&str> = cases.iter().map(|c| c.reference.as_str()).collect();
        assert_eq!(refs.len(), 62, "references are unique");
        for c in cases.iter().filter(|c| c.id != real && c.id != later) {
            check_case(app, c.id, 6);
        }
        assert_eq!(cordon::db::sites::count_sites(&mut conn).unwrap(), 40);
        let lists = service::watchlists::lists(&mut conn).unwrap();
        assert_eq!(
            lists.iter().map(|l| l.count).sum::<i64>(),
            300,
            "lists replaced"
        );
    });
}

#[test]
fn bench_data_refuses_bad_arguments() {
    let app = TestApp::spawn(Backend::Sqlite, |_| {});
    let refused = [
        (
            vec!["--cases", "0", "--sites", "5"],
            "0 is not in 1..=1000000",
        ),
        (vec!["--cases", "-3", "--sites", "5"], "-3"),
        (
            vec!["--cases", "many", "--sites", "5"],
            "invalid value 'many'",
        ),
        (vec!["--cases", "5"], "--sites"),
        (
            vec!["--cases", "5", "--sites", "5", "--events", "0"],
            "--events",
        ),
        (vec!["--cases", "5", "--sites", "-1"], "-1"),
        (
            vec!["--cases", "5", "--sites", "5", "--names", "600000"],
            "--names",
        ),
        (
            vec!["--cases", "5", "--sites", "5", "--seed", "x"],
            "--seed",
        ),
    ];
    for (args, says) in refused {
        let mut all = vec!["bench-data"];
        all.extend(args.iter());
        let (ok, _, err) = cordon(&app, &all);
        assert!(!ok, "{args:?} was accepted");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(all_cases(&app).is_empty(), "nothing was written");

    // Callers of the service are checked too.
    let mut conn = app.conn();
    let spec = Spec {
        cases: 0,
        sites: 0,
        events: 0,
        names: 0,
        seed: 1,
    };
    let now = service::clock::Now::real();
    let err = service::bench_data::generate(&mut conn, &spec, &now, &|_, _, _| {}).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("cases") && text.contains("events"), "{text}");
}

#[test]
fn bench_data_is_deterministic_for_a_seed() {
    let run = |seed: u64| {
        let app = TestApp::spawn(Backend::Sqlite, |_| {});
        let spec = Spec {
            cases: 25,
            sites: 15,
            events: 9,
            names: 100,
            seed,
        };
        let now = service::clock::Now::real();
        let stages = std::cell::RefCell::new(Vec::new());
        let summary = {
            let mut conn = app.conn();
            service::bench_data::generate(&mut conn, &spec, &now, &|stage: Stage, _, _| {
                stages.borrow_mut().push(stage)
            })
            .unwrap()
        };
        assert_eq!(summary.cases, 25);
        assert_eq!(summary.events, 25 * 9);
        assert!(stages.borrow().contains(&Stage::Cases));
        all_cases(&app)
            .into_iter()
            .map(|c| {
                check_case(&app, c.id, 9);
                let mut conn = app.conn();
                let (_, head) = service::history::load(&mut conn, c.id, &c.reference).unwrap();
                (
                    c.reference,
                    c.title,
                    c.state,
                    c.risk_band,
                    c.assignee,
                    head.unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let a = run(5);
    assert_eq!(a.len(), 25);
    assert_eq!(
        a,
        run(5),
        "same seed, same data (and the same history hashes)"
    );
    let c = run(6);
    assert_ne!(
        a.iter().map(|x| &x.1).collect::<Vec<_>>(),
        c.iter().map(|x| &x.1).collect::<Vec<_>>()
    );
}
