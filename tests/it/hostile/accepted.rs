//! Hostile input that rides on a request that succeeds, or that needs one first: where a
//! sign-in sends the browser, the names files are stored under, forms sent twice, and uploads
//! that stop half way.

use std::time::Duration;

use cordon::domain::Role;
use cordon::web::auth::Access;
use cordon::web::RouteSpec;

use super::http::{self, Answer, Request};
use super::payloads::{self, PATHS, SCRIPT};
use super::probe::{self, Who};
use super::routes::{multipart, multipart_type};
use super::Runner;
use crate::support::PASSWORD;

/// Stands for "another signed-in user's session cookie" in a probe.
pub const FOREIGN_COOKIE: &str = "@foreign";

/// How long an upload may stall before it is refused, in the battery's application.
pub const UPLOAD_IDLE_SECS: u64 = 2;

fn set_cookie(a: &Answer, name: &str) -> Option<String> {
    a.headers_named("set-cookie")
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

fn request(method: &str, target: &str, headers: Vec<(String, String)>, body: Vec<u8>) -> Request {
    Request {
        method: method.into(),
        target: target.into(),
        headers,
        body,
        announce: None,
    }
}

fn send(runner: &mut Runner, label: &str, r: &Request) -> Option<Answer> {
    runner.tally.sent += 1;
    match probe::send(runner.addr(), r) {
        Ok(a) => {
            if a.status >= 500 {
                runner.tally.server_errors += 1;
                runner.tally.fail(format!(
                    "{label}: a {} (server error): {:.300}",
                    a.status,
                    a.text()
                ));
            }
            Some(a)
        }
        Err(e) => {
            runner.tally.fail(format!("{label}: {e}"));
            None
        }
    }
}

/// A successful sign-in goes to `next` only when it is a path of this site; anything else
/// (another host, a scheme, a backslash, control characters) lands on the dashboard.
pub fn sign_in_redirects(runner: &mut Runner) {
    runner.app.user("walker", Role::Observer);
    runner.last = runner.snap.take(runner.app);
    let cases: Vec<(&str, &str)> = vec![
        ("/cases?q=mine", "/cases?q=mine"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("\\\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/\r\nSet-Cookie: stolen=1", "/"),
        // Refused before the sign-in is tried (400, no redirect).
        ("/cases\u{0}x", ""),
        ("/\u{1b}[31m", "/"),
        ("https://evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),
        ("/\u{202E}lim", "/"),
    ];
    for (next, landing) in cases {
        let label = format!("sign in with next={next:?}");
        let Some(form) = send(
            runner,
            &label,
            &request("GET", "/login", Vec::new(), Vec::new()),
        ) else {
            continue;
        };
        let Some(cookie) = set_cookie(&form, cordon::web::auth::ANON_CSRF_COOKIE) else {
            runner
                .tally
                .fail(format!("{label}: no anonymous CSRF cookie"));
            continue;
        };
        let token = cookie.split_once('=').map(|(_, v)| v).unwrap_or_default();
        let body = payloads::form(&[
            ("username", "walker"),
            ("password", PASSWORD),
            ("next", next),
            ("csrf_token", token),
        ]);
        let headers = vec![
            ("Cookie".to_string(), cookie.clone()),
            (
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        if let Some(a) = send(
            runner,
            &label,
            &request("POST", "/login", headers, body.into_bytes()),
        ) {
            let location = a.header("location").unwrap_or_default();
            let status = if landing.is_empty() { 400 } else { 303 };
            if a.status != status || location != landing {
                runner.tally.fail(format!(
                    "{label}: {} to {location:?}, where {status} to {landing:?} was expected: {}",
                    a.status,
                    probe::gist(&a)
                ));
            }
        }
        // A sign-in opens a session: that is all it may store.
        runner.compare(&label, &["sessions", "audit_log"]);
    }
}

fn reviewer_headers(runner: &Runner) -> (Vec<(String, String)>, String) {
    let id = runner.fx.identity(Who::Reviewer);
    (
        vec![("Cookie".to_string(), id.cookie.clone())],
        id.csrf.clone(),
    )
}

/// An upload that stops half way, with the connection left open or closed, gets an answer
/// (or a closed connection) at once, and stores nothing.
pub fn uploads_cut_short(runner: &mut Runner) {
    let (cookie, token) = reviewer_headers(runner);
    let lead = runner.fx.lead;
    let file = multipart(&[("files", Some("deed.txt"), &[b'x'; 4000][..])]);
    let targets = [
        format!("/cases/{lead}/attachments?csrf_token={token}"),
        format!("/cases/import?csrf_token={token}"),
    ];
    for target in &targets {
        for close in [true, false] {
            let label = format!(
                "POST {target}: a multipart body cut short, connection {}",
                if close { "closed" } else { "kept open" }
            );
            let mut headers = cookie.clone();
            headers.push(("Content-Type".into(), multipart_type()));
            let mut r = request("POST", target, headers, file[..1500].to_vec());
            r.announce = Some(file.len() + 10_000);
            runner.tally.sent += 1;
            let wait = Duration::from_secs(UPLOAD_IDLE_SECS + 8);
            match http::send_cut_short(runner.addr(), &r, close, wait) {
                Err(e) => runner.tally.fail(format!("{label}: {e}")),
                Ok(None) => {}
                Ok(Some(a)) => {
                    if a.status >= 500 {
                        runner.tally.server_errors += 1;
                    }
                    if !(400..500).contains(&a.status) {
                        runner.tally.fail(format!(
                            "{label}: status {}: {:.200}",
                            a.status,
                            a.text()
                        ));
                    } else if probe::html_message(&a.text()).is_none() {
                        runner
                            .tally
                            .fail(format!("{label}: a refusal without a message"));
                    }
                }
            }
            runner.compare(&label, &[]);
        }
    }
}

fn form_post(runner: &Runner, target: &str, fields: &[(&str, &str)]) -> Request {
    let (mut headers, token) = reviewer_headers(runner);
    headers.push((
        "Content-Type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    request("POST", target, headers, payloads::form(&all).into_bytes())
}

fn api_post(runner: &Runner, target: &str, body: serde_json::Value) -> Request {
    let bearer = runner
        .fx
        .identity(Who::Reviewer)
        .bearer
        .clone()
        .unwrap_or_default();
    request(
        "POST",
        target,
        vec![
            ("Authorization".into(), format!("Bearer {bearer}")),
            ("Content-Type".into(), "application/json".into()),
        ],
        body.to_string().into_bytes(),
    )
}

/// A form or API call sent twice: the second is refused as stale (409) with a message, and
/// nothing is applied twice.
pub fn replays(runner: &mut Runner, ids: &super::routes::Ids) {
    let lead = ids.fx.lead;
    let route = RouteSpec {
        path: "/cases/{id}/comment",
        method: "POST",
        access: Access::Role(Role::Reviewer),
    };
    let v = super::Fixture::version(runner.app, lead);
    let first = [
        form_post(
            runner,
            &format!("/cases/{lead}/comment"),
            &[("body", SCRIPT), ("version", &v.to_string())],
        ),
        api_post(
            runner,
            &format!("/api/v1/cases/{lead}/transitions"),
            serde_json::json!({"to": "screening", "rationale": SCRIPT, "version": v + 1}),
        ),
        api_post(
            runner,
            &format!("/api/v1/cases/{lead}/comments"),
            serde_json::json!({"body": SCRIPT, "version": v + 2}),
        ),
    ];
    let accepted: [&[u16]; 3] = [&[303], &[200], &[201]];
    for (r, ok) in first.iter().zip(accepted) {
        let label = format!("{} {} (first send)", r.method, r.target);
        if let Some(a) = send(runner, &label, r) {
            if !ok.contains(&a.status) {
                runner
                    .tally
                    .fail(format!("{label}: status {}: {:.300}", a.status, a.text()));
            }
        }
        let now = runner.snap.take(runner.app);
        runner.last = now;
        let label = format!("{} {} (sent again)", r.method, r.target);
        if let Some(a) = send(runner, &label, r) {
            let p = probe::Probe::post("replay", r.target.clone()).refused(&[409]);
            for problem in probe::check(&p, &route, Who::Reviewer, &a) {
                runner.tally.fail(format!("{label}: {problem}"));
            }
        }
        runner.compare(&label, &[]);
    }
    shown_escaped(runner, lead);
}

/// The markup stored by the sends above comes back as text on the case page, never as markup.
fn shown_escaped(runner: &mut Runner, id: i64) {
    let observer = runner.fx.identity(Who::Observer).cookie.clone();
    let path = format!("/cases/{id}");
    let r = request("GET", &path, vec![("Cookie".into(), observer)], Vec::new());
    let Some(a) = send(runner, &format!("GET {path}"), &r) else {
        return;
    };
    let body = a.text();
    if body.contains(SCRIPT) {
        runner
            .tally
            .fail(format!("GET {path}: the stored comment is shown unescaped"));
    }
    let doc = scraper::Html::parse_document(&body);
    let text: String = doc.root_element().text().collect();
    if !text.contains(SCRIPT) {
        runner.tally.fail(format!(
            "GET {path}: the stored comment is not shown as text"
        ));
    }
    runner.compare(&format!("GET {path}"), &[]);
}

/// Files named with paths, drive letters and right-to-left overrides are stored under a plain
/// name, and served with a download name that holds none of them.
pub fn stored_file_names(runner: &mut Runner) {
    let (cookie, token) = reviewer_headers(runner);
    let mon = runner.fx.monitored;
    let parts: Vec<(&str, Option<&str>, &[u8])> = PATHS
        .iter()
        .map(|n| ("files", Some(*n), &b"content\n"[..]))
        .collect();
    let mut headers = cookie.clone();
    headers.push(("Content-Type".into(), multipart_type()));
    let target = format!("/cases/{mon}/attachments?csrf_token={token}");
    let label = format!("POST {target}: files with hostile names");
    let before: Vec<i64> = cordon::service::attachments::list(&mut runner.app.conn(), mon)
        .expect("attachments")
        .iter()
        .map(|a| a.id)
        .collect();
    if let Some(a) = send(
        runner,
        &label,
        &request("POST", &target, headers, multipart(&parts)),
    ) {
        if a.status != 303 {
            runner
                .tally
                .fail(format!("{label}: status {}: {:.300}", a.status, a.text()));
        }
    }
    runner.last = runner.snap.take(runner.app);
    let stored =
        cordon::service::attachments::list(&mut runner.app.conn(), mon).expect("attachments");
    for row in stored.iter().filter(|r| !before.contains(&r.id)) {
        let bad = row.name.contains(['/', '\\'])
            || row.name.starts_with("..")
            || row.name.get(1..2) == Some(":")
            || row.name.chars().any(|c| {
                c.is_control()
                    || ('\u{202A}'..='\u{202E}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
            });
        if bad {
            runner
                .tally
                .fail(format!("{label}: a file stored as {:?}", row.name));
        }
        let path = format!("/cases/{mon}/attachments/{}", row.id);
        let r = request("GET", &path, cookie.clone(), Vec::new());
        if let Some(a) = send(runner, &format!("GET {path}"), &r) {
            let d = a
                .header("content-disposition")
                .unwrap_or_default()
                .to_ascii_lowercase();
            if !d.starts_with("attachment") || d.contains("%e2%80%ae") || d.contains("%e2%81%a6") {
                runner
                    .tally
                    .fail(format!("GET {path}: download named {d:?}"));
            }
        }
        // A download is recorded in the case's history.
        runner.compare(&format!("GET {path}"), &["events", "cases"]);
    }
}
