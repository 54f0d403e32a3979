//! The dashboard's counts against the cases themselves: after a random run of reports, moves,
//! refused moves, assignments, comments and edits, after moves made at the same moment, and
//! after the demo and `bench-data` load their cases, the counts by state on `/` are a
//! `GROUP BY` over `cases`, and so is the `case_counts` table they are kept in.

use std::collections::BTreeMap;

use chrono::Duration;
use cordon::domain::Role;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::search::{random_report, rename_on_page};
use crate::support::api::{self, Api};
use crate::support::client::Page;
use crate::support::{each_backend, Client, TestApp};

#[derive(QueryableByName, Debug)]
struct StateCount {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName, Debug)]
struct Reference {
    #[diesel(sql_type = Text)]
    reference: String,
}

/// Cases by state, counted over `cases`.
fn group_by(app: &TestApp) -> BTreeMap<String, i64> {
    app.load::<StateCount>("SELECT state, COUNT(*) AS n FROM cases GROUP BY state")
        .into_iter()
        .map(|r| (r.state, r.n))
        .collect()
}

/// The `case_counts` table: refuses a negative count, leaves out zeros.
fn kept_counts(app: &TestApp) -> BTreeMap<String, i64> {
    let rows = app.load::<StateCount>("SELECT state, CAST(n AS BIGINT) AS n FROM case_counts");
    assert!(rows.iter().all(|r| r.n >= 0), "negative counts: {rows:?}");
    rows.into_iter()
        .filter(|r| r.n != 0)
        .map(|r| (r.state, r.n))
        .collect()
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.load::<Count>(sql).first().map(|c| c.n).unwrap_or(0)
}

fn references(app: &TestApp, sql: &str) -> Vec<String> {
    app.load::<Reference>(sql)
        .into_iter()
        .map(|r| r.reference)
        .collect()
}

/// What the dashboard shows.
#[derive(Debug, PartialEq)]
pub struct Dashboard {
    pub by_state: BTreeMap<String, i64>,
    pub total: i64,
    pub overdue: i64,
    pub mine: Vec<String>,
    pub due_soon: Vec<String>,
    /// The count beside "Due in the next 7 days", when there is one.
    pub due_soon_count: Option<i64>,
    pub overdue_list: Vec<String>,
}

fn number(text: &str) -> i64 {
    text.replace([',', ' ', '\u{a0}'], "")
        .parse()
        .unwrap_or_else(|_| panic!("not a count: {text:?}"))
}

pub fn dashboard(c: &Client) -> Dashboard {
    let page: Page = c.get("/");
    assert_eq!(page.status, 200);
    let html = page.html();
    let stat = scraper::Selector::parse("a.stat").expect("selector");
    let n = scraper::Selector::parse(".stat-n").expect("selector");
    let mut by_state = BTreeMap::new();
    let mut total = None;
    for a in html.select(&stat) {
        let href = a.value().attr("href").unwrap_or_default();
        let value = a
            .select(&n)
            .next()
            .map(|e| number(&e.text().collect::<String>()));
        if let Some(state) = href.strip_prefix("/cases?state=") {
            by_state.insert(state.to_string(), value.expect("a count"));
        } else if href == "/cases" {
            total = value;
        }
    }
    let list = |id: &str| page.texts(&format!("#{id} li a"));
    Dashboard {
        by_state,
        total: total.expect("the total"),
        overdue: number(&page.text("#overdue-count .stat-n")),
        mine: list("mine"),
        due_soon: list("due-soon"),
        due_soon_count: Some(page.text("#due-soon h2 .count"))
            .filter(|t| !t.is_empty())
            .map(|t| number(&t)),
        overdue_list: list("overdue"),
    }
}

/// Checks the dashboard (seen by `c`, user `me`) and the kept counts against the cases.
fn check(app: &TestApp, c: &Client, when: &str, me: &str) {
    let today = cordon::service::clock::Now::real().today;
    let truth = group_by(app);
    assert_eq!(kept_counts(app), truth, "case_counts {when}");
    let d = dashboard(c);
    assert_eq!(d.by_state, truth, "dashboard by state {when}");
    assert_eq!(d.total, truth.values().sum::<i64>(), "total {when}");
    assert_eq!(
        d.overdue,
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM cases WHERE next_due < '{today}'")
        ),
        "overdue {when}"
    );
    let week = today + Duration::days(8);
    let first10 = |cond: &str| {
        references(
            app,
            &format!("SELECT reference FROM cases WHERE {cond} ORDER BY next_due, id LIMIT 10"),
        )
    };
    assert_eq!(
        d.mine,
        first10(&format!("assignee = '{me}'")),
        "my cases {when}"
    );
    assert_eq!(
        d.overdue_list,
        first10(&format!("next_due < '{today}'")),
        "overdue list {when}"
    );
    let soon = format!("next_due >= '{today}' AND next_due < '{week}'");
    assert_eq!(d.due_soon, first10(&soon), "due soon {when}");
    assert_eq!(
        d.due_soon_count.unwrap_or(0),
        count(
            app,
            &format!("SELECT COUNT(*) AS n FROM cases WHERE {soon}")
        ),
        "due soon count {when}"
    );
    // The count's link lists those cases (its first page).
    let page = c.get("/cases?due=week");
    assert_eq!(page.status, 200);
    let listed: Vec<i64> = page
        .html()
        .select(&scraper::Selector::parse("#queue tbody tr[data-case]").expect("selector"))
        .filter_map(|e| e.value().attr("data-case")?.parse().ok())
        .collect();
    let want: Vec<i64> = app
        .load::<Id>(&format!(
            "SELECT CAST(id AS BIGINT) AS id FROM cases WHERE {soon} ORDER BY next_due, id LIMIT 50"
        ))
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(listed, want, "/cases?due=week {when}");
}

/// The queue's count of each state, read through the API's state filter.
fn queue_counts(api: &Api) -> BTreeMap<String, i64> {
    cordon::domain::workflow::State::ALL
        .iter()
        .filter_map(|s| {
            let rows = api
                .queue_all(&[("state", s.as_str())], 200)
                .expect("the queue");
            (!rows.is_empty()).then(|| (s.as_str().to_string(), rows.len() as i64))
        })
        .collect()
}

fn version(api: &Api, id: i64) -> i64 {
    api.case(id)["version"].as_i64().expect("version")
}

/// One move the chair may make now, chosen at random; `None` when there is none.
fn random_move(rng: &mut StdRng, carl: &Api, id: i64) -> Option<(String, Option<String>, i64)> {
    let case = carl.case(id);
    let actions = case["actions"].as_array().cloned().unwrap_or_default();
    let a = actions.choose(rng)?;
    Some((
        a["to"].as_str()?.to_string(),
        a["outcome"].as_str().map(str::to_string),
        case["version"].as_i64()?,
    ))
}

#[test]
fn dashboard_counts_follow_every_report_and_move() {
    each_backend(|app| {
        let rita = Api::new(app, "rita", Role::Reviewer);
        let chair = app.signed_in(Role::Chair);
        let carl = Api::for_user(app, "chair1");
        let mut rng = StdRng::seed_from_u64(4242);
        let mut ids: Vec<i64> = Vec::new();
        check(app, &chair, "on an empty database", "chair1");
        let today = cordon::service::clock::Now::real().today;
        for step in 0..160 {
            let roll = rng.gen_range(0..100);
            if roll < 30 || ids.is_empty() {
                let case = rita.create(&random_report(&mut rng, step));
                ids.push(case["id"].as_i64().expect("id"));
            } else if roll < 68 {
                let id = *ids.choose(&mut rng).expect("a case");
                if rng.gen_bool(0.1) && version(&carl, id) == 1 {
                    // A case whose clock started weeks ago: overdue after its move.
                    let since = today - Duration::days(70);
                    app.sql(&format!(
                        "UPDATE cases SET state_since = '{since}' WHERE id = {id}"
                    ));
                    let (status, body) =
                        carl.transition(id, 1, "screening", None, Some(today - Duration::days(60)));
                    assert_eq!(status, 200, "{body}");
                } else if let Some((to, outcome, v)) = random_move(&mut rng, &carl, id) {
                    let mut body = json!({"to": to, "rationale": "Moving on.", "version": v});
                    if let Some(o) = outcome {
                        body["outcome"] = json!(o);
                    }
                    if to == "monitoring" || to == "divestiture" {
                        // Dated conditions count as deadlines too.
                        let days = *[2i64, 5, 30].choose(&mut rng).expect("days");
                        body["conditions"] = json!([
                            {"text": "Report quarterly", "due": (today + Duration::days(days)).to_string()},
                            {"text": "Keep the fence"}
                        ]);
                    }
                    let (status, answer) =
                        carl.post(&format!("/api/v1/cases/{id}/transitions"), &body);
                    assert_eq!(status, 200, "{body}: {answer}");
                }
            } else if roll < 79 {
                // Clocks paused, resumed or extended move the next deadline.
                let id = *ids.choose(&mut rng).expect("a case");
                let v = version(&carl, id).to_string();
                let from = (today - Duration::days(rng.gen_range(0..12))).to_string();
                let on = today.to_string();
                let (action, fields): (&str, Vec<(&str, &str)>) = match rng.gen_range(0..3) {
                    0 => ("toll", vec![("from", &from)]),
                    1 => ("resume", vec![("on", &on)]),
                    _ => ("extend", vec![]),
                };
                let mut fields = fields;
                fields.push(("rationale", "Clock change."));
                fields.push(("version", &v));
                let res = chair.post(&format!("/cases/{id}/{action}"), &fields);
                assert!(
                    [303, 409, 422].contains(&res.status),
                    "{action} {id}: {}",
                    res.status
                );
            } else if roll < 84 {
                // A stale move is refused and changes nothing.
                let id = *ids.choose(&mut rng).expect("a case");
                if let Some((to, outcome, v)) = random_move(&mut rng, &carl, id) {
                    let before = group_by(app);
                    let (status, body) = carl.transition(id, v - 1, &to, outcome.as_deref(), None);
                    assert_eq!(status, 409, "{body}");
                    assert_eq!(kept_counts(app), before);
                }
                // A move the table does not have is refused too.
                let (status, _) = carl.transition(id, version(&carl, id), "lead", None, None);
                assert_eq!(status, 422);
            } else if roll < 90 {
                let id = *ids.choose(&mut rng).expect("a case");
                let who = *["rita", "chair1"].choose(&mut rng).expect("who");
                let v = version(&carl, id).to_string();
                let res = chair.post(
                    &format!("/cases/{id}/assign"),
                    &[
                        ("assignee", who),
                        ("lead_agency", "treasury"),
                        ("version", &v),
                    ],
                );
                assert_eq!(res.status, 303, "{}", res.body);
            } else if roll < 95 {
                let id = *ids.choose(&mut rng).expect("a case");
                let (status, body) = rita.post(
                    &format!("/api/v1/cases/{id}/comments"),
                    &json!({"body": "Checked the county records."}),
                );
                assert_eq!(status, 201, "{body}");
            } else {
                let id = *ids.choose(&mut rng).expect("a case");
                rename_on_page(&chair, id, &format!("Renamed {step}"), "Renamed Holdings");
            }
            if step % 16 == 15 {
                check(app, &chair, &format!("after step {step}"), "chair1");
            }
        }
        check(app, &chair, "at the end", "chair1");
        assert_eq!(queue_counts(&rita), group_by(app), "the queue by state");
        let truth = group_by(app);
        assert!(truth.len() >= 5, "cases spread over states: {truth:?}");
        assert!(dashboard(&chair).overdue > 0, "some cases are overdue");
    });
}

/// A move made from another thread: the status.
fn move_from_thread(base: &str, token: &str, id: i64, version: i64, to: &str) -> u16 {
    reqwest::blocking::Client::new()
        .post(format!("{base}/api/v1/cases/{id}/transitions"))
        .bearer_auth(token)
        .json(&json!({"to": to, "rationale": "At the same time.", "version": version}))
        .send()
        .expect("POST")
        .status()
        .as_u16()
}

#[test]
fn counts_stay_right_when_moves_happen_at_the_same_moment() {
    each_backend(|app| {
        let rita = Api::new(app, "rita", Role::Reviewer);
        let chair = app.signed_in(Role::Chair);
        let carl = Api::for_user(app, "chair1");
        let mut rng = StdRng::seed_from_u64(77);
        let ids: Vec<i64> = (0..24)
            .map(|i| {
                rita.create(&random_report(&mut rng, i))["id"]
                    .as_i64()
                    .expect("id")
            })
            .collect();
        // Four writers, each moving its own six cases lead → screening → notice_submitted
        // → review while the others do the same.
        let token = carl.token().to_string();
        let base = app.base.clone();
        std::thread::scope(|s| {
            for chunk in ids.chunks(6) {
                let (token, base) = (token.clone(), base.clone());
                s.spawn(move || {
                    for (v, to) in [(1, "screening"), (2, "notice_submitted"), (3, "review")] {
                        for id in chunk {
                            assert_eq!(move_from_thread(&base, &token, *id, v, to), 200);
                        }
                    }
                });
            }
        });
        check(app, &chair, "after simultaneous moves", "chair1");
        assert_eq!(group_by(app).get("review"), Some(&24));
        // Two moves of one case from the same version: one wins, the count moves once.
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = ["investigation", "withdrawn", "monitoring"]
                .into_iter()
                .map(|to| {
                    let (token, base) = (token.clone(), base.clone());
                    let id = ids[0];
                    s.spawn(move || move_from_thread(&base, &token, id, 4, to))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| [200, 409].contains(s)),
            "{statuses:?}"
        );
        check(app, &chair, "after a race on one case", "chair1");
        assert_eq!(group_by(app).get("review"), Some(&23));
        assert_eq!(queue_counts(&rita), group_by(app));
    });
}

#[test]
fn counts_include_cases_loaded_by_the_demo_and_bench_data() {
    each_backend(|app| {
        cordon::service::demo::load(&mut app.conn())
            .expect("demo loads")
            .expect("an empty database");
        let chair = app.signed_in(Role::Chair);
        check(app, &chair, "after the demo", "chair1");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cordon"))
            .args([
                "bench-data",
                "--cases",
                "60",
                "--sites",
                "5",
                "--events",
                "7",
                "--seed",
                "9",
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
        check(app, &chair, "after bench-data", "chair1");
        let rita = Api::new(app, "rita", Role::Reviewer);
        assert_eq!(queue_counts(&rita), group_by(app));
        // And they keep counting as bench cases move on.
        let carl = Api::for_user(app, "chair1");
        let mut rng = StdRng::seed_from_u64(1);
        let all = api::ids(&rita.queue_all(&[], 200).expect("queue"));
        for id in all.choose_multiple(&mut rng, 30) {
            if let Some((to, outcome, v)) = random_move(&mut rng, &carl, *id) {
                let (status, body) = carl.transition(*id, v, &to, outcome.as_deref(), None);
                assert_eq!(status, 200, "{to}: {body}");
            }
        }
        check(app, &chair, "after moving bench cases", "chair1");
    });
}
