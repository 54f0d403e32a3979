//! The demo data: the real cases as they happened, a case in every state of the workflow,
//! histories that verify and respect the clocks, deadlines near today, and a load that runs
//! once.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use cordon::db::queue::{self, Filter};
use cordon::domain::workflow::State;
use cordon::domain::Role;
use cordon::service::cases::CaseView;
use cordon::service::{self, clock::Now};

use crate::support::{each_backend, TestApp};

fn load(app: &TestApp) -> Vec<service::demo::DemoLogin> {
    let mut conn = app.conn();
    service::demo::load(&mut conn)
        .expect("demo loads")
        .expect("the database was empty")
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// The one case the queue search finds.
fn find(app: &TestApp, text: &str) -> CaseView {
    let mut conn = app.conn();
    let filter = Filter {
        search: cordon::domain::search::Query::parse(text),
        limit: 10,
        ..Filter::default()
    };
    let rows = queue::list(&mut conn, &filter).expect("queue");
    assert_eq!(rows.len(), 1, "cases matching {text:?}");
    app.case(rows[0].id)
}

fn all_cases(app: &TestApp) -> Vec<CaseView> {
    let mut conn = app.conn();
    let filter = Filter {
        limit: 1000,
        ..Filter::default()
    };
    let rows = queue::list(&mut conn, &filter).expect("queue");
    rows.iter().map(|c| app.case(c.id)).collect()
}

/// The `(kind, payload)` of a case's events of one kind.
fn events<'a>(case: &'a CaseView, kind: &str) -> Vec<&'a serde_json::Value> {
    case.events
        .iter()
        .filter(|e| e.body.kind == kind)
        .map(|e| &e.body.payload)
        .collect()
}

#[test]
fn mineone_runs_from_the_microsoft_report_to_the_completed_divestiture() {
    each_backend(|app| {
        let logins = load(app);
        let roles: Vec<(&str, Role)> = logins
            .iter()
            .map(|l| (l.username.as_str(), l.role))
            .collect();
        assert_eq!(
            roles,
            [
                ("admin", Role::Admin),
                ("chair", Role::Chair),
                ("reviewer", Role::Reviewer),
                ("observer", Role::Observer)
            ]
        );
        assert!(logins.iter().all(|l| l.password.len() >= 12));

        let m = find(app, "mineone");
        assert_eq!(
            m.case.title,
            "MineOne crypto mine within a mile of F.E. Warren AFB"
        );
        assert_eq!(m.case.reference, "CFN-2022-00002", "logged after Fufeng");
        assert_eq!(m.case.source, "company_report");
        assert_eq!(m.case.created_by.as_deref(), Some("reviewer"));
        assert_eq!(m.case.assignee.as_deref(), Some("reviewer"));
        assert_eq!(m.case.lead_agency.as_deref(), Some("defense"));
        assert_eq!(m.case.state, "closed");
        assert_eq!(m.case.outcome.as_deref(), Some("divestiture_complete"));
        assert_eq!(m.case.received_on, date("2022-08-22"));
        let countries: Vec<&str> = m.parties.iter().map(|p| p.country.as_str()).collect();
        assert!(countries.contains(&"VG") && countries.contains(&"CN"));
        assert!(m
            .parties
            .iter()
            .any(|p| p.name == "Cheyenne LEADS" && p.role == "seller"));
        // The Cayman Islands company the press linked to the mine (DOMAIN.md 0).
        assert!(m
            .parties
            .iter()
            .any(|p| p.name == "Bit Origin Ltd" && p.country == "KY" && p.role == "affiliate"));

        // The order's two conditions, dated 90 and 120 days after 13 May 2024, both met.
        let conditions: Vec<(Option<NaiveDate>, &str, &str)> = m
            .conditions
            .iter()
            .map(|c| (c.due, c.kind.as_str(), c.status.as_str()))
            .collect();
        assert_eq!(
            conditions,
            [
                (Some(date("2024-08-11")), "order", "met"),
                (Some(date("2024-09-10")), "order", "met")
            ]
        );

        // The path and its dates.
        let moves: Vec<(&str, &str)> = events(&m, "transitioned")
            .iter()
            .map(|p| (p["to"].as_str().unwrap(), p["effective"].as_str().unwrap()))
            .collect();
        assert_eq!(
            moves,
            [
                ("screening", "2022-08-23"),
                ("inquiry", "2022-09-07"),
                ("review", "2024-02-01"),
                ("investigation", "2024-03-15"),
                ("presidential", "2024-04-29"),
                ("divestiture", "2024-05-13"),
                ("closed", "2024-10-01"),
            ]
        );
        let decision = m
            .deadlines
            .iter()
            .find(|d| d.kind == "presidential_decision")
            .expect("presidential clock");
        assert_eq!(decision.due, date("2024-05-13"));
        let comments = events(&m, "commented");
        assert!(comments.len() >= 6, "{comments:?}");
        assert!(comments
            .iter()
            .any(|c| c["body"].as_str().unwrap().contains("New York Times")));

        // A sound chain, dated from 2022 to 2024, in order.
        assert!(m.chain.is_ok(), "{:?}", m.chain);
        let stamps: Vec<&str> = m.events.iter().map(|e| e.body.at.as_str()).collect();
        assert!(stamps.first().unwrap().starts_with("2022-08-22"));
        assert!(stamps.last().unwrap().starts_with("2024-"));
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");

        let f = find(app, "fufeng");
        assert_eq!(f.case.state, "closed");
        assert_eq!(f.case.outcome.as_deref(), Some("not_covered"));
        assert_eq!(f.case.state_since, date("2022-12-12"));
        assert_eq!(f.case.source, "media");
        let closing = f
            .events
            .iter()
            .find(|e| e.body.kind == "transitioned" && e.body.payload["to"] == "closed")
            .expect("closed");
        assert_eq!(closing.body.actor, "chair");
        assert!(closing.body.at.starts_with("2022-12-12"));
        // Fufeng's path: the notice, its review, and the finding of no jurisdiction from review.
        let path: Vec<&str> = f
            .events
            .iter()
            .filter(|e| e.body.kind == "transitioned")
            .filter_map(|e| e.body.payload["to"].as_str())
            .collect();
        assert_eq!(path, ["screening", "notice_submitted", "review", "closed"]);
        assert_eq!(closing.body.payload["from"], "review");
        let review = f
            .events
            .iter()
            .find(|e| e.body.kind == "transitioned" && e.body.payload["to"] == "review")
            .expect("review");
        // Accepted 27 Oct 2022: day 1 is the next business day, day 45 a Sunday, so the review
        // ends on Monday 12 Dec 2022, the day of the Committee's letter.
        assert_eq!(review.body.payload["clock"]["starts"], "2022-10-28");
        assert_eq!(review.body.payload["clock"]["due"], "2022-12-12");
        assert_clocks_kept(&f);
        assert!(f.chain.is_ok(), "{:?}", f.chain);
    });
}

/// Walks a case's events and checks that each move out of a state with a statutory clock
/// (assessment, review, investigation, presidential decision) came on or before its last day,
/// as extensions and tolling left it.
fn assert_clocks_kept(case: &CaseView) {
    const STATUTORY: [&str; 4] = [
        "assessment",
        "review",
        "investigation",
        "presidential_decision",
    ];
    let mut open: Option<(String, NaiveDate)> = None;
    for e in &case.events {
        let p = &e.body.payload;
        match e.body.kind.as_str() {
            "transitioned" => {
                let effective = date(p["effective"].as_str().unwrap());
                if let Some((kind, due)) = &open {
                    assert!(
                        effective <= *due,
                        "{}: left the {kind} clock on {effective}, after {due}",
                        case.case.reference
                    );
                }
                open = p["clock"]["kind"]
                    .as_str()
                    .filter(|k| STATUTORY.contains(k))
                    .map(|k| (k.to_string(), date(p["clock"]["due"].as_str().unwrap())));
            }
            "extended" => {
                if let Some((_, due)) = &mut open {
                    *due = date(p["new"].as_str().unwrap());
                }
            }
            "resumed" => {
                for m in p["moved"].as_array().unwrap() {
                    if let Some((kind, due)) = &mut open {
                        if m["kind"] == kind.as_str() {
                            *due = date(m["new"].as_str().unwrap());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_state_has_a_case_and_every_history_holds() {
    each_backend(|app| {
        load(app);
        let cases = all_cases(app);
        // MineOne, Fufeng, the four illustrative mines linked to MineOne through Bit Origin
        // Ltd, and forty generated cases.
        assert_eq!(cases.len(), 46);
        for state in State::ALL {
            assert!(
                cases.iter().any(|c| c.case.state == state.as_str()),
                "no case in {state}"
            );
        }
        let now = Now::real();
        let stamp_now = cordon::service::history::stamp(now.at);
        for c in &cases {
            let r = &c.case.reference;
            assert!(c.chain.is_ok(), "{r}: {:?}", c.chain);
            let stamps: Vec<&str> = c.events.iter().map(|e| e.body.at.as_str()).collect();
            assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{r}: {stamps:?}");
            assert!(
                stamps.iter().all(|s| *s < stamp_now.as_str()),
                "{r}: {stamps:?}"
            );
            assert!(c.case.received_on < now.today, "{r}");
            assert_eq!(
                c.events[0].body.actor,
                c.case.created_by.as_deref().unwrap_or("public"),
                "{r}"
            );
            // Four eyes: whoever logged a case never decides it.
            for e in &c.events {
                let to = e.body.payload["to"].as_str().unwrap_or("");
                if e.body.kind == "transitioned"
                    && ["closed", "monitoring", "divestiture"].contains(&to)
                {
                    assert_eq!(e.body.actor, "chair", "{r}");
                    assert_ne!(Some(e.body.actor.as_str()), c.case.created_by.as_deref());
                }
            }
            assert_clocks_kept(c);
        }

        // One case's clocks were tolled for the 2025 lapse in appropriations, then resumed.
        let tolled = cases
            .iter()
            .find(|c| !events(c, "tolled").is_empty())
            .expect("a tolled case");
        assert_eq!(events(tolled, "tolled")[0]["from"], "2025-10-01");
        let resumed = events(tolled, "resumed");
        assert_eq!(resumed[0]["on"], "2025-11-12");
        assert_eq!(resumed[0]["paused_days"], 42);
        assert!(!resumed[0]["moved"].as_array().unwrap().is_empty());
        assert!(cases
            .iter()
            .any(|c| c.case.state == "investigation" && c.case.extension_used));
        assert!(cases.iter().any(|c| c.case.state == "monitoring"
            && c.conditions.iter().any(|k| k.status == "met")
            && c.conditions.iter().any(|k| k.status == "open")));

        // Alive whenever it is loaded: deadlines in the coming days, and some overdue.
        let week = now.today + chrono::Duration::days(10);
        let open: Vec<&CaseView> = cases.iter().filter(|c| c.case.state != "closed").collect();
        let soon = open
            .iter()
            .filter(|c| c.case.next_due >= now.today && c.case.next_due <= week)
            .count();
        let overdue = open.iter().filter(|c| c.case.next_due < now.today).count();
        assert!(soon >= 5, "{soon} due in the next 10 days");
        assert!((3..=8).contains(&overdue), "{overdue} overdue");

        // Variety.
        let set = |f: &dyn Fn(&CaseView) -> Vec<String>| -> BTreeSet<String> {
            cases.iter().flat_map(f).collect()
        };
        let countries = set(&|c| c.parties.iter().map(|p| p.country.clone()).collect());
        for cc in [
            "CN", "HK", "RU", "IR", "AE", "SG", "JP", "CA", "GB", "DE", "KY", "VG",
        ] {
            assert!(countries.contains(cc), "no party from {cc}");
        }
        assert!(set(&|c| vec![c.case.source.clone()]).len() >= 6);
        let assignees = set(&|c| c.case.assignee.iter().cloned().collect());
        assert_eq!(
            assignees.into_iter().collect::<Vec<_>>(),
            ["admin", "chair", "reviewer"]
        );
        assert!(set(&|c| c.case.lead_agency.iter().cloned().collect()).len() >= 5);
        assert!(set(&|c| c.case.outcome.iter().cloned().collect()).len() >= 9);
        let years = set(&|c| vec![c.case.received_on.format("%Y").to_string()]);
        for y in ["2022", "2023", "2024", "2025"] {
            assert!(years.contains(y), "nothing logged in {y}: {years:?}");
        }
    });
}

#[test]
fn the_pages_show_the_demo_and_a_second_load_adds_nothing() {
    each_backend(|app| {
        load(app);
        let before = all_cases(app).len();
        {
            let mut conn = app.conn();
            assert!(service::demo::load(&mut conn).expect("load").is_none());
        }
        assert_eq!(all_cases(app).len(), before);

        let observer = app.signed_in(Role::Observer);
        let page = observer.get("/cases?q=mineone");
        assert_eq!(page.status, 200);
        assert_eq!(
            page.texts("#queue tbody tr td:nth-child(2)"),
            ["MineOne crypto mine within a mile of F.E. Warren AFB"]
        );
        let overdue = observer.get("/cases?overdue=1");
        assert!(!overdue.texts("#queue tbody tr").is_empty());
        // Every demo case page renders.
        for c in all_cases(app) {
            let page = observer.get(&format!("/cases/{}", c.case.id));
            assert_eq!(page.status, 200, "{}", c.case.reference);
        }
    });
}
