//! The clients of the races: a browser (its own session, its CSRF token) or a program with a
//! bearer token, each counting every answer it gets, and the barrier that sends their requests
//! at the same instant.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, Mutex, PoisonError};

use cordon::domain::Role;
use scraper::Selector;
use serde_json::{json, Value};

use crate::attachments::{multipart, multipart_type, File};
use crate::support::client::Page;
use crate::support::{TestApp, PASSWORD};

/// What the clients were told, counted as the answers come in.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) sent: AtomicUsize,
    pub(super) succeeded: AtomicUsize,
    pub(super) conflicts: AtomicUsize,
    pub(super) server_errors: AtomicUsize,
    /// Failed connections, 5xx answers and anything a client could not do, in words.
    pub(super) failures: Mutex<Vec<String>>,
}

impl Tally {
    pub(super) fn fail(&self, what: String) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(what);
    }

    /// Counts one answer (or a failed request) and reads it; `None` when there was none.
    fn answer(
        &self,
        who: &str,
        what: &str,
        res: reqwest::Result<reqwest::blocking::Response>,
        csrf: &RefCell<String>,
    ) -> Option<Page> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let page = match res {
            Ok(res) => Page::read(res, csrf),
            Err(e) => {
                self.fail(format!("{who}: {what}: no answer: {e}"));
                return None;
            }
        };
        let counter = match page.status {
            200..=299 | 303 => Some(&self.succeeded),
            409 => Some(&self.conflicts),
            500.. => {
                self.fail(format!(
                    "{who}: {what}: {}: {:.300}",
                    page.status, page.body
                ));
                Some(&self.server_errors)
            }
            _ => None,
        };
        if let Some(c) = counter {
            c.fetch_add(1, Ordering::SeqCst);
        }
        Some(page)
    }
}

/// How a client talks to Cordon.
pub(super) enum Via {
    /// A browser: its cookies (the session) and the CSRF token of the last page it read.
    Form {
        http: reqwest::blocking::Client,
        csrf: RefCell<String>,
    },
    /// A program with a bearer token.
    Api {
        http: reqwest::blocking::Client,
        token: String,
    },
}

/// One of the fifty.
pub(super) struct Racer<'a> {
    /// Its number, which spreads the clients over the moves and export formats.
    pub(super) n: usize,
    pub(super) name: String,
    pub(super) app: &'a TestApp,
    pub(super) tally: &'a Tally,
    via: Via,
}

/// The case as a client read it: its version and the moves offered to this client.
pub(super) struct Seen {
    pub(super) version: i64,
    pub(super) moves: Vec<String>,
}

impl Seen {
    /// The version read and the move client `n` asks for: one of those offered on the path,
    /// spread over the clients so that they ask for different moves.
    pub(super) fn pick(&self, n: usize) -> Option<(i64, String)> {
        let mine: Vec<&String> = self
            .moves
            .iter()
            .filter(|m| super::PATH.contains(&m.as_str()))
            .collect();
        mine.get(n % mine.len().max(1))
            .map(|m| (self.version, m.to_string()))
    }
}

impl<'a> Racer<'a> {
    pub(super) fn new(app: &'a TestApp, tally: &'a Tally, n: usize) -> Racer<'a> {
        let name = format!("racer{n:02}");
        // Reviewers and chairs in turn: the moves of the rounds are open to both.
        let role = if n.is_multiple_of(2) {
            Role::Reviewer
        } else {
            Role::Chair
        };
        app.user(&name, role);
        let via = if n < super::BROWSERS {
            Via::Form {
                http: reqwest::blocking::Client::builder()
                    .cookie_store(true)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("browser client"),
                csrf: RefCell::new(String::new()),
            }
        } else {
            let (_, token) =
                cordon::service::users::create_token(&mut app.conn(), None, &name, "races")
                    .expect("token");
            Via::Api {
                http: reqwest::blocking::Client::new(),
                token,
            }
        };
        Racer {
            n,
            name,
            app,
            tally,
            via,
        }
    }

    pub(super) fn browser(&self) -> bool {
        matches!(self.via, Via::Form { .. })
    }

    fn send(&self, what: &str, req: reqwest::blocking::RequestBuilder) -> Option<Page> {
        let unused = RefCell::new(String::new());
        let (req, csrf) = match &self.via {
            Via::Form { csrf, .. } => (req, csrf),
            Via::Api { token, .. } => (req.bearer_auth(token), &unused),
        };
        self.tally.answer(&self.name, what, req.send(), csrf)
    }

    fn http(&self) -> &reqwest::blocking::Client {
        match &self.via {
            Via::Form { http, .. } | Via::Api { http, .. } => http,
        }
    }

    pub(super) fn csrf(&self) -> String {
        match &self.via {
            Via::Form { csrf, .. } => csrf.borrow().clone(),
            Via::Api { .. } => String::new(),
        }
    }

    pub(super) fn get(&self, path: &str) -> Option<Page> {
        self.send(&format!("GET {path}"), self.http().get(self.app.url(path)))
    }

    /// A form as the page the client read last sends it (its CSRF token added).
    pub(super) fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Option<Page> {
        let token = self.csrf();
        let mut all = fields.to_vec();
        all.push(("csrf_token", &token));
        self.send(
            &format!("POST {path}"),
            self.http().post(self.app.url(path)).form(&all),
        )
    }

    fn post_json(&self, path: &str, body: &Value) -> Option<Page> {
        self.send(
            &format!("POST {path}"),
            self.http().post(self.app.url(path)).json(body),
        )
    }

    /// Signs in through the login form: the form is read first, then `ready` is waited on,
    /// then the form is sent. API clients make their first call of the day instead.
    pub(super) fn sign_in(&self, ready: &Barrier) -> bool {
        if !self.browser() {
            ready.wait();
            return self
                .get("/api/v1/me")
                .is_some_and(|p| self.expect(p.status == 200, "GET /api/v1/me", &p));
        }
        let form = self.get("/login");
        ready.wait();
        form.is_some()
            && self
                .post_form(
                    "/login",
                    &[("username", &self.name), ("password", PASSWORD)],
                )
                .is_some_and(|p| {
                    if let Via::Form { csrf, .. } = &self.via {
                        // A new session has a new token: the next page read carries it.
                        csrf.borrow_mut().clear();
                    }
                    self.expect(p.status == 303, "signing in", &p)
                })
    }

    /// Records a failure unless `ok`; returns `ok`.
    pub(super) fn expect(&self, ok: bool, what: &str, p: &Page) -> bool {
        if !ok {
            self.tally.fail(format!(
                "{}: {what}: {}: {:.300}",
                self.name, p.status, p.body
            ));
        }
        ok
    }

    /// Reads the case as this client's user would: the case page, or the API's case.
    pub(super) fn read_case(&self, id: i64) -> Option<Seen> {
        if self.browser() {
            let page = self.get(&format!("/cases/{id}"))?;
            let version = page
                .attr("input[name=version]", "value")
                .and_then(|v| v.parse().ok());
            let sel = Selector::parse("#transition-form input[name=to]").expect("selector");
            let moves = page
                .html()
                .select(&sel)
                .filter_map(|e| e.value().attr("value").map(str::to_string))
                .collect();
            self.seen(version, moves, &page)
        } else {
            let page = self.get(&format!("/api/v1/cases/{id}"))?;
            let body: Value = serde_json::from_str(&page.body).unwrap_or(Value::Null);
            let moves = body["actions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|m| m["outcome"].is_null())
                        .filter_map(|m| m["to"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            self.seen(body["version"].as_i64(), moves, &page)
        }
    }

    fn seen(&self, version: Option<i64>, moves: Vec<String>, page: &Page) -> Option<Seen> {
        match version {
            Some(version) if page.status == 200 => Some(Seen { version, moves }),
            _ => {
                self.expect(false, "reading the case (no version on it)", page);
                None
            }
        }
    }

    /// Asks for the move `to` from `version`.
    pub(super) fn transition(
        &self,
        id: i64,
        version: i64,
        to: &str,
        rationale: &str,
    ) -> Option<Page> {
        let v = version.to_string();
        if self.browser() {
            self.post_form(
                &format!("/cases/{id}/transition"),
                &[("to", to), ("rationale", rationale), ("version", &v)],
            )
        } else {
            self.post_json(
                &format!("/api/v1/cases/{id}/transitions"),
                &json!({"to": to, "rationale": rationale, "version": version}),
            )
        }
    }

    /// Comments, from the form (always with a version) or the API (with one or without).
    pub(super) fn comment(&self, id: i64, body: &str, version: Option<i64>) -> Option<Page> {
        if self.browser() {
            let v = version.map(|v| v.to_string()).unwrap_or_default();
            self.post_form(
                &format!("/cases/{id}/comment"),
                &[("body", body), ("version", &v)],
            )
        } else {
            let mut req = json!({ "body": body });
            if let Some(v) = version {
                req["version"] = json!(v);
            }
            self.post_json(&format!("/api/v1/cases/{id}/comments"), &req)
        }
    }

    pub(super) fn upload(&self, id: i64, name: &str, content: &[u8]) -> Option<Page> {
        let path = format!("/cases/{id}/attachments?csrf_token={}", self.csrf());
        self.send(
            &format!("POST /cases/{id}/attachments"),
            self.http()
                .post(self.app.url(&path))
                .header("content-type", multipart_type())
                .body(multipart(&[File::new(name, content)])),
        )
    }
}

/// Runs `run` for every client on its own thread; each waits on the barrier it is given when it
/// is ready to send, so the requests after it leave together. Returns what each returned, in
/// the clients' order.
pub(super) fn at_once<'a, T: Send>(
    racers: &mut [Racer<'a>],
    run: impl Fn(&mut Racer<'a>, &Barrier) -> T + Sync,
) -> Vec<T> {
    let barrier = Barrier::new(racers.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = racers
            .iter_mut()
            .map(|r| {
                let (run, barrier) = (&run, &barrier);
                s.spawn(move || run(r, barrier))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a client's thread"))
            .collect()
    })
}

/// Whether a refusal says clearly that someone else changed the case first: the page's notice,
/// or the API's error.
pub(super) fn says_conflict(p: &Page) -> bool {
    const MESSAGE: &str = "Someone else changed";
    if p.status != 409 {
        return false;
    }
    match serde_json::from_str::<Value>(&p.body) {
        Ok(body) => {
            body["error"]["code"] == "conflict"
                && body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(MESSAGE))
        }
        Err(_) => p.text("#notice").contains(MESSAGE),
    }
}
