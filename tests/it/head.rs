//! Every GET route answers HEAD (monitoring tools and `curl -I`): the status and headers of
//! the GET, and no body. The route table (`cordon::web::ROUTES`) drives the test, so a new
//! page is covered as soon as it is served.

use cordon::domain::Role;

use crate::support::{each_backend, mineone_json};

#[test]
fn every_get_route_answers_head_as_it_answers_get() {
    each_backend(|app| {
        app.user("reviewer1", Role::Reviewer);
        let id = app.report("reviewer1", mineone_json()).to_string();
        let admin = app.signed_in(Role::Admin);
        let anonymous = crate::support::Client::new(app);
        let gets: Vec<_> = cordon::web::ROUTES
            .iter()
            .filter(|r| r.method == "GET")
            .collect();
        assert!(gets.len() >= 25, "{} GET routes", gets.len());
        for route in gets {
            let path = route
                .path
                .replace("{path:.*}", "css/app.css")
                .replace("{attachment}", "999999")
                .replace("{table}", "presidential.csv")
                .replace("{id}", &id);
            assert!(!path.contains('{'), "a parameter left in {path}");
            for (who, client) in [("admin", &admin), ("nobody", &anonymous)] {
                let get = client.get_raw(&path);
                let head = client.head_raw(&path);
                let (gs, hs) = (get.status().as_u16(), head.status().as_u16());
                assert_ne!(hs, 405, "HEAD {path} as {who}");
                assert_eq!(hs, gs, "HEAD {path} as {who}");
                assert!(gs < 500, "GET {path} as {who}: {gs}");
                for header in ["content-type", "location", "cache-control"] {
                    assert_eq!(
                        head.headers().get(header),
                        get.headers().get(header),
                        "{header} of {path} as {who}"
                    );
                }
                let body = head.bytes().expect("HEAD body");
                assert!(
                    body.is_empty(),
                    "HEAD {path} as {who} sent {} bytes",
                    body.len()
                );
            }
        }
        // A HEAD of a recorded download delivers nothing, so it records nothing.
        let events = app.case(id.parse().expect("id")).events.len();
        for path in [
            format!("/cases/{id}/export.json"),
            format!("/cases/{id}/export.csv"),
            format!("/cases/{id}/print"),
            format!("/cases/{id}/dossier.pdf"),
        ] {
            assert_eq!(admin.head_raw(&path).status().as_u16(), 200, "{path}");
        }
        let api = crate::support::api::Api::new(app, "monitor", Role::Observer);
        let head = reqwest::blocking::Client::new()
            .head(app.url(&format!("/api/v1/cases/{id}/export")))
            .bearer_auth(api.token())
            .send()
            .expect("HEAD");
        assert_eq!(head.status().as_u16(), 200);
        assert!(head.bytes().expect("body").is_empty());
        assert_eq!(app.case(id.parse().expect("id")).events.len(), events);
        // What curl -I asks first.
        let login = anonymous.head_raw("/login");
        assert_eq!(login.status().as_u16(), 200);
        assert!(login
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html")));
    });
}
