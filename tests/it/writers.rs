//! Many writers at once: reports, comments and transitions from sixteen clients together all
//! land, each once, with every history intact, and the dashboard's counters agree with the
//! cases.

use cordon::domain::Role;
use reqwest::blocking::Client;
use serde_json::{json, Value};

use crate::support::{each_backend, mineone_json};

const CLIENTS: usize = 16;
const REPORTS_EACH: usize = 6;

#[test]
fn sixteen_clients_writing_at_once_all_land_once_with_intact_histories() {
    each_backend(|app| {
        app.user("rita", Role::Reviewer);
        let (_, token) =
            cordon::service::users::create_token(&mut app.conn(), None, "rita", "writers").unwrap();
        let made: Vec<Vec<(i64, String)>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..CLIENTS)
                .map(|c| {
                    let token = token.clone();
                    s.spawn(move || {
                        let http = Client::new();
                        let mut mine = Vec::new();
                        for r in 0..REPORTS_EACH {
                            let mut body = mineone_json();
                            body["title"] = json!(format!("Writer {c} report {r}"));
                            let res = http
                                .post(app.url("/api/v1/cases"))
                                .bearer_auth(&token)
                                .json(&body)
                                .send()
                                .unwrap();
                            assert_eq!(res.status().as_u16(), 201, "client {c} report {r}");
                            let v: Value = res.json().unwrap();
                            let id = v["id"].as_i64().unwrap();
                            let reference = v["reference"].as_str().unwrap().to_string();
                            // A comment on the new case at once, at its current version.
                            let res = http
                                .post(app.url(&format!("/api/v1/cases/{id}/comments")))
                                .bearer_auth(&token)
                                .json(&json!({ "body": format!("note from client {c}") }))
                                .send()
                                .unwrap();
                            assert_eq!(res.status().as_u16(), 201, "comment {c}/{r}");
                            mine.push((id, reference));
                        }
                        mine
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        let mut refs: Vec<String> = made.iter().flatten().map(|(_, r)| r.clone()).collect();
        refs.sort();
        refs.dedup();
        assert_eq!(
            refs.len(),
            CLIENTS * REPORTS_EACH,
            "one reference per report"
        );
        let stored: i64 = {
            use diesel::prelude::*;
            cordon::db::schema::cases::table
                .count()
                .get_result(&mut *app.conn())
                .unwrap()
        };
        assert_eq!(stored, i64::try_from(CLIENTS * REPORTS_EACH).unwrap());
        for (id, _) in made.iter().flatten() {
            let v = app.case(*id);
            let kinds: Vec<&str> = v.events.iter().map(|e| e.body.kind.as_str()).collect();
            assert_eq!(kinds, ["created", "screened", "commented"], "case {id}");
            assert!(v.chain.is_ok(), "case {id}: {:?}", v.chain);
            assert!(v.screening.is_some(), "case {id} has its screening");
        }
        // The dashboard's counters, kept by the database with each insert, agree.
        let page = app.signed_in(Role::Reviewer).get("/");
        assert_eq!(page.status, 200);
        let leads = page
            .texts("a.stat")
            .into_iter()
            .find(|t| t.contains("Lead"))
            .unwrap_or_default();
        assert!(
            leads.starts_with(&(CLIENTS * REPORTS_EACH).to_string()),
            "dashboard says {leads:?}"
        );
    });
}
