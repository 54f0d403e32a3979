//! The hostile requests of each route of `cordon::web::ROUTES`, beyond those every route gets
//! (see `generic`). A route missing from `specific` fails the battery, so a new route cannot
//! be left out. The requests themselves are in one file per area.

mod admin;
mod api;
mod case;
mod pages;

use admin::*;
use api::*;
use case::*;
use pages::*;

use cordon::web::RouteSpec;
use serde_json::json;

use super::fixture::Fixture;
use super::payloads::{enc, form, SCRIPT, SQL, SQL_OR};
use super::probe::{Csrf, Probe};

/// The ids each route's own probes are made with, read once the fixture is built.
pub struct Ids<'a> {
    pub fx: &'a Fixture,
    /// The current versions of the lead and the monitored case.
    pub v_lead: i64,
    pub v_mon: i64,
}

/// The first characters of a value, for naming a probe.
fn short(v: &str) -> String {
    let s: String = v.chars().take(40).collect();
    if s.len() < v.len() {
        format!("{s}… ({} characters)", v.chars().count())
    } else {
        s
    }
}

/// The boundary of the multipart bodies sent here.
pub const BOUNDARY: &str = "hostile-battery-boundary-0c1d";

/// A multipart body: `(field, file name, content)`; a part without a file name is a field.
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (field, name, content) in parts {
        let disposition = match name {
            Some(n) => format!("form-data; name=\"{field}\"; filename=\"{n}\""),
            None => format!("form-data; name=\"{field}\""),
        };
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\nContent-Type: text/plain\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// `path` with its `{…}` parameters replaced.
pub fn fill(path: &str, values: &[(&str, String)]) -> String {
    let mut out = path.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    // `{path:.*}`
    out.replace("{path:.*}", "css/app.css")
}

/// The parameter values of a route's path that aim at real records (`{id}` is a site under
/// `/sites`, else a case).
pub fn real_params(path: &str, ids: &Ids) -> Vec<(&'static str, String)> {
    let fx = ids.fx;
    let id = if path.starts_with("/sites/") {
        fx.site
    } else {
        fx.lead
    };
    vec![
        ("id", id.to_string()),
        ("cid", fx.condition.to_string()),
        ("attachment", fx.attachment.to_string()),
        ("name", fx.target.to_string()),
        ("day", fx.closure.to_string()),
        ("table", "filings.csv".to_string()),
    ]
}

/// The probes made for a route beyond the generic ones; `None` when the route has none
/// written (which fails the battery).
pub fn specific(route: &RouteSpec, ids: &Ids) -> Option<Vec<Probe>> {
    let fx = ids.fx;
    let (lead, mon) = (fx.lead, fx.monitored);
    let probes = match (route.method, route.path) {
        ("GET", "/healthz") => {
            vec![
                Probe::get("markup in the query", format!("/healthz?{}=1", enc(SCRIPT)))
                    .served(&[200]),
            ]
        }
        ("GET", "/.well-known/cordon-export-key") => vec![Probe::get(
            "invalid UTF-8 in the query",
            "/.well-known/cordon-export-key?format=%FF",
        )
        .served(&[200])],
        ("GET", "/static/{path:.*}") => statics(),
        ("GET", "/login") => login_form(),
        ("POST", "/login") => login_submit(),
        ("POST", "/logout") => Vec::new(),
        ("GET", "/tip") => {
            vec![Probe::get("markup in sent", format!("/tip?sent={}", enc(SCRIPT))).served(&[200])]
        }
        ("POST", "/tip") => tip(),
        ("GET", "/") => vec![Probe::get(
            "markup and junk in the query",
            format!("/?year={}&x={}", enc(SCRIPT), enc(SQL)),
        )
        .served(&[200])],
        ("GET", "/cases") => queue("/cases"),
        ("GET", "/cases/new") => vec![Probe::get(
            "markup in the query",
            format!("/cases/new?title={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/cases/new") => report_form("/cases/new", None),
        ("POST", "/cases/rescreen") => Vec::new(),
        ("POST", "/cases/new/rows") => more_rows(),
        ("GET", "/cases/import") => vec![Probe::get(
            "markup in the query",
            format!("/cases/import?format={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/cases/import") => import_page(),
        ("GET", "/cases/import/template.csv") => vec![Probe::get(
            "invalid UTF-8 in the query",
            "/cases/import/template.csv?x=%C0%AF",
        )
        .served(&[200])],
        ("GET", "/cases/{id}") => vec![Probe::get(
            "markup in the query of a real case",
            format!("/cases/{lead}?tab={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("GET", "/cases/{id}/edit") => vec![Probe::get(
            "markup in the query",
            format!("/cases/{lead}/edit?x={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/cases/{id}/edit") => {
            report_form(&format!("/cases/{lead}/edit"), Some(ids.v_lead))
        }
        ("POST", "/cases/{id}/transition") => transition(lead, ids.v_lead),
        ("POST", "/cases/{id}/risk") => risk(lead, ids.v_lead),
        ("POST", "/cases/{id}/hits") => hits(ids),
        ("POST", "/cases/{id}/comment") => comment(lead, ids.v_lead),
        ("POST", "/cases/{id}/assign") => assign(lead, ids.v_lead),
        ("POST", "/cases/{id}/toll") => toll(lead, ids.v_lead),
        ("POST", "/cases/{id}/resume") => resume(lead, ids.v_lead),
        ("POST", "/cases/{id}/extend") => extend(lead, ids.v_lead),
        ("POST", "/cases/{id}/conditions/{cid}") => condition(ids),
        ("POST", "/cases/{id}/attachments") => attachments(lead),
        ("GET", "/cases/{id}/attachments/{attachment}") => vec![Probe::get(
            "another case's file",
            format!("/cases/{lead}/attachments/{}", fx.attachment),
        )
        .refused(&[404])],
        ("GET", "/cases/{id}/export.json")
        | ("GET", "/cases/{id}/export.csv")
        | ("GET", "/cases/{id}/print")
        | ("GET", "/cases/{id}/dossier.pdf") => {
            let path = fill(route.path, &[("id", format!("{lead}x"))]);
            vec![Probe::get("an id with a tail", path).refused(&[404])]
        }
        ("GET", "/export/cases.csv") => bulk("/export/cases.csv"),
        ("GET", "/export/cases.jsonl") => bulk("/export/cases.jsonl"),
        ("GET", "/sites") => sites_list(),
        ("GET", "/sites/export.csv") => vec![Probe::get(
            "markup as the retired flag",
            format!("/sites/export.csv?retired={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("GET", "/sites/new") => vec![Probe::get(
            "markup in the query",
            format!("/sites/new?name={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/sites/new") => site_form("/sites/new"),
        ("POST", "/sites/import") => sites_import(),
        ("GET", "/sites/{id}/edit") => vec![Probe::get(
            "markup in the query",
            format!("/sites/{}/edit?x={}", fx.site, enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/sites/{id}/edit") => site_form(&format!("/sites/{}/edit", fx.site)),
        ("POST", "/sites/{id}/retire") | ("POST", "/sites/{id}/restore") => Vec::new(),
        ("GET", "/reports") => reports(),
        ("GET", "/reports/{table}") => reports_csv(),
        ("GET", "/watchlists") => vec![
            Probe::get(
                "markup as the search",
                format!("/watchlists?q={}", enc(SCRIPT)),
            )
            .served(&[200]),
            Probe::get(
                "SQL as the search",
                format!("/watchlists?q={}", enc(SQL_OR)),
            )
            .served(&[200]),
            Probe::get(
                "a huge search",
                format!("/watchlists?q={}", "x".repeat(20_000)),
            )
            .served(&[200, 400, 414, 431]),
        ],
        ("POST", "/watchlists/import") => watchlists_import(),
        ("GET", "/admin") => {
            vec![
                Probe::get("junk in the query", format!("/admin?x={}", enc(SCRIPT))).served(&[303]),
            ]
        }
        ("GET", "/admin/users") => vec![Probe::get(
            "markup in the query",
            format!("/admin/users?username={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/admin/users") => add_user(),
        ("POST", "/admin/users/{name}/disable")
        | ("POST", "/admin/users/{name}/enable")
        | ("POST", "/admin/users/{name}/password") => user_names(route.path),
        ("POST", "/admin/users/{name}/role") => user_role(fx.target),
        ("GET", "/admin/tokens") => vec![Probe::get(
            "markup in the query",
            format!("/admin/tokens?label={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/admin/tokens") => tokens(),
        ("POST", "/admin/tokens/{id}/revoke") => Vec::new(),
        ("GET", "/admin/audit") => vec![Probe::get(
            "markup in the query",
            format!("/admin/audit?x={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("GET", "/admin/rules") => vec![Probe::get(
            "markup in the query",
            format!("/admin/rules?x={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/admin/rules") => rules(),
        ("GET", "/admin/closures") => vec![Probe::get(
            "markup in the query",
            format!("/admin/closures?x={}", enc(SCRIPT)),
        )
        .served(&[200])],
        ("POST", "/admin/closures") => closures(),
        ("POST", "/admin/closures/{day}/remove") => closure_remove(),
        ("GET", "/api/v1/me") => api_auth("/api/v1/me"),
        ("GET", "/api/v1/openapi.json") => {
            vec![
                Probe::get("invalid UTF-8 in the query", "/api/v1/openapi.json?x=%FF")
                    .served(&[200]),
            ]
        }
        ("GET", "/api/v1/cases") => api_list(),
        ("POST", "/api/v1/cases") => api_report("/api/v1/cases"),
        ("POST", "/api/v1/screen") => api_report("/api/v1/screen"),
        ("POST", "/api/v1/cases/import") => api_import(),
        ("GET", "/api/v1/cases/{id}") => {
            vec![Probe::get("an id with a tail", format!("/api/v1/cases/{lead}x")).refused(&[404])]
        }
        ("POST", "/api/v1/cases/{id}/transitions") => api_transition(lead, ids.v_lead),
        ("POST", "/api/v1/cases/{id}/comments") => api_comment(lead, ids.v_lead),
        ("GET", "/api/v1/cases/{id}/history") => api_auth(&format!("/api/v1/cases/{mon}/history")),
        ("GET", "/api/v1/cases/{id}/export") => {
            vec![
                Probe::get("an id with a tail", format!("/api/v1/cases/{mon}x/export"))
                    .refused(&[404]),
            ]
        }
        _ => return None,
    };
    Some(probes)
}

/// A body that the route would take if its ids were real, so that a bad id is what is refused.
pub fn plausible(route: &RouteSpec, ids: &Ids) -> super::probe::Body {
    use super::probe::Body;
    let fx = ids.fx;
    let v = ids.v_lead.to_string();
    let f = |fields: &[(&str, &str)]| Body::Form(form(fields));
    let entry = fx.hit.1.to_string();
    match route.path {
        "/cases/{id}/transition" => f(&[("to", "screening"), ("rationale", "r"), ("version", &v)]),
        "/cases/{id}/risk" => f(&[
            ("factor", "threat"),
            ("value", "3"),
            ("rationale", "r"),
            ("version", &v),
        ]),
        "/cases/{id}/hits" => f(&[
            ("party", &fx.hit.0),
            ("entry_id", &entry),
            ("decision", "confirm"),
            ("rationale", "r"),
            ("version", &v),
        ]),
        "/cases/{id}/comment" => f(&[("body", "x"), ("version", &v)]),
        "/cases/{id}/assign" => f(&[("assignee", "reviewer1"), ("version", &v)]),
        "/cases/{id}/toll" | "/cases/{id}/resume" | "/cases/{id}/extend" => {
            f(&[("rationale", "r"), ("version", &v)])
        }
        "/cases/{id}/conditions/{cid}" => f(&[("status", "met"), ("version", &v)]),
        "/cases/{id}/edit" => {
            let mut all = crate::cases_web::mineone_form();
            all.push(("version", v.clone()));
            let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            f(&borrowed)
        }
        "/cases/{id}/attachments" => Body::Raw(
            Some(multipart_type()),
            multipart(&[("files", Some("deed.txt"), b"The deed.")]),
        ),
        "/sites/{id}/edit" => f(&SITE_FIELDS),
        "/api/v1/cases/{id}/transitions" => Body::Json(
            json!({"to": "screening", "rationale": "r", "version": ids.v_lead}).to_string(),
        ),
        "/api/v1/cases/{id}/comments" => Body::Json(json!({"body": "x"}).to_string()),
        _ if route.method == "POST" => Body::Form(plain_form()),
        _ => Body::None,
    }
}

/// Form bodies used by the probes every POST route gets.
pub fn plain_form() -> String {
    form(&[("note", "x")])
}

/// A forged session cookie value (no session has it).
pub fn forged_session() -> String {
    format!("cordon_session={}", "0".repeat(64))
}

/// The CSRF refusals of a page's form: missing, empty, forged, another user's.
pub fn csrf_probes(path: &str) -> Vec<Probe> {
    [Csrf::Missing, Csrf::Empty, Csrf::Forged, Csrf::Foreign]
        .into_iter()
        .map(|c| {
            Probe::post(format!("CSRF token {c:?}"), path.to_string())
                .form_raw(plain_form())
                .csrf(c)
        })
        .collect()
}
