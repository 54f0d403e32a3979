//! One hostile request (`Probe`), who sends it (`Identity`), what answer it must get, and the
//! checks every answer goes through.

use std::time::Duration;

use cordon::web::auth::Access;
use cordon::web::RouteSpec;
use scraper::{Html, Selector};

use super::http::{self, Answer, Request};
use super::payloads::{self, MARKUP};

/// Who sends a probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Nobody,
    Observer,
    Reviewer,
    Chair,
    Admin,
}

impl Who {
    pub const ALL: [Who; 5] = [
        Who::Nobody,
        Who::Observer,
        Who::Reviewer,
        Who::Chair,
        Who::Admin,
    ];

    pub fn role(self) -> Option<cordon::domain::Role> {
        use cordon::domain::Role;
        match self {
            Who::Nobody => None,
            Who::Observer => Some(Role::Observer),
            Who::Reviewer => Some(Role::Reviewer),
            Who::Chair => Some(Role::Chair),
            Who::Admin => Some(Role::Admin),
        }
    }
}

/// A sender: its session cookie and CSRF token for pages, its bearer token for the API.
#[derive(Clone, Debug)]
pub struct Identity {
    pub who: Who,
    /// `name=value` of the session cookie, or of the anonymous CSRF cookie for nobody.
    pub cookie: String,
    pub csrf: String,
    pub bearer: Option<String>,
}

/// The CSRF token a probe carries (pages only; the API takes none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Csrf {
    /// The sender's own, valid token.
    Own,
    Missing,
    Empty,
    /// A well-formed token that no session has.
    Forged,
    /// Another signed-in user's token.
    Foreign,
}

/// The body of a probe.
#[derive(Clone, Debug)]
pub enum Body {
    None,
    /// `application/x-www-form-urlencoded`, exactly these bytes (see `payloads::form`).
    Form(String),
    /// `application/json`, exactly this text (it may be malformed on purpose).
    Json(String),
    /// Any bytes with any content type (`None`: no Content-Type header).
    Raw(Option<String>, Vec<u8>),
}

/// What a probe must get once it is past the route's access check.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// Refused with one of these statuses, and nothing stored changes.
    Refused(&'static [u16]),
    /// Refused the same way whoever sends it: the request is refused before anyone is asked
    /// who they are (encoding, method, size).
    ByAll(&'static [u16]),
    /// A read that is served (one of these statuses), with every payload escaped.
    Served(&'static [u16]),
}

/// One hostile request.
#[derive(Clone, Debug)]
pub struct Probe {
    pub what: String,
    pub method: &'static str,
    /// Path and query, sent byte for byte.
    pub target: String,
    pub body: Body,
    pub csrf: Csrf,
    /// Replaces the sender's cookies (a forged or stolen session cookie).
    pub cookie: Option<String>,
    /// Replaces the sender's `Authorization` header on the API.
    pub authorization: Option<String>,
    pub extra_headers: Vec<(String, String)>,
    pub expect: Expect,
    /// Tables a served request may write to by design (a bulk export is audited).
    pub may_change: &'static [&'static str],
}

impl Probe {
    pub fn new(what: impl Into<String>, method: &'static str, target: impl Into<String>) -> Self {
        Probe {
            what: what.into(),
            method,
            target: target.into(),
            body: Body::None,
            csrf: Csrf::Own,
            cookie: None,
            authorization: None,
            extra_headers: Vec::new(),
            expect: Expect::Refused(&[400]),
            may_change: &[],
        }
    }

    pub fn get(what: impl Into<String>, target: impl Into<String>) -> Self {
        Probe::new(what, "GET", target)
    }

    pub fn post(what: impl Into<String>, target: impl Into<String>) -> Self {
        Probe::new(what, "POST", target)
    }

    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        self.body = Body::Form(payloads::form(fields));
        self
    }

    pub fn form_raw(mut self, encoded: impl Into<String>) -> Self {
        self.body = Body::Form(encoded.into());
        self
    }

    pub fn json(mut self, text: impl Into<String>) -> Self {
        self.body = Body::Json(text.into());
        self
    }

    pub fn raw(mut self, content_type: Option<&str>, bytes: Vec<u8>) -> Self {
        self.body = Body::Raw(content_type.map(str::to_string), bytes);
        self
    }

    pub fn csrf(mut self, c: Csrf) -> Self {
        self.csrf = c;
        self
    }

    pub fn cookie(mut self, c: impl Into<String>) -> Self {
        self.cookie = Some(c.into());
        self
    }

    pub fn authorization(mut self, a: impl Into<String>) -> Self {
        self.authorization = Some(a.into());
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.extra_headers.push((k.into(), v.into()));
        self
    }

    pub fn refused(mut self, statuses: &'static [u16]) -> Self {
        self.expect = Expect::Refused(statuses);
        self
    }

    pub fn by_all(mut self, statuses: &'static [u16]) -> Self {
        self.expect = Expect::ByAll(statuses);
        self
    }

    pub fn served(mut self, statuses: &'static [u16]) -> Self {
        self.expect = Expect::Served(statuses);
        self
    }

    pub fn may_change(mut self, tables: &'static [&'static str]) -> Self {
        self.may_change = tables;
        self
    }

    fn is_api(&self) -> bool {
        self.target.starts_with("/api/")
    }

    fn is_unsafe(&self) -> bool {
        !matches!(self.method, "GET" | "HEAD" | "OPTIONS")
    }

    /// The statuses this sender may get, given the route's least access.
    pub fn expected(&self, access: Access, who: Who) -> &'static [u16] {
        if let Expect::ByAll(s) = self.expect {
            return s;
        }
        // A page's form without its session's token is refused before anything else; a forged
        // or stolen cookie has no token that the sender could know.
        if !self.is_api() && self.is_unsafe() && (self.csrf != Csrf::Own || self.cookie.is_some()) {
            return &[403];
        }
        let signed_out = self.cookie.is_some() || (self.is_api() && self.authorization.is_some());
        let role = if signed_out { None } else { who.role() };
        if let Access::Role(least) = access {
            match role {
                None if self.is_api() => return &[401],
                None => return &[303],
                Some(r) if !r.at_least(least) => return &[403],
                Some(_) => {}
            }
        }
        match self.expect {
            Expect::Refused(s) | Expect::Served(s) | Expect::ByAll(s) => s,
        }
    }

    /// The request this sender makes.
    pub fn request(&self, id: &Identity, foreign_csrf: &str) -> Request {
        let mut target = self.target.clone();
        let mut headers = self.extra_headers.clone();
        let mut body = Vec::new();
        let token = match self.csrf {
            Csrf::Own => Some(id.csrf.clone()),
            Csrf::Missing => None,
            Csrf::Empty => Some(String::new()),
            Csrf::Forged => Some("f".repeat(64)),
            Csrf::Foreign => Some(foreign_csrf.to_string()),
        };
        let token = token.filter(|_| !self.is_api() && self.is_unsafe());
        match &self.body {
            Body::None => {}
            Body::Form(text) => {
                headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
                body = text.clone().into_bytes();
            }
            Body::Json(text) => {
                headers.push(("Content-Type".into(), "application/json".into()));
                body = text.clone().into_bytes();
            }
            Body::Raw(ct, bytes) => {
                if let Some(ct) = ct {
                    headers.push(("Content-Type".into(), ct.clone()));
                }
                body = bytes.clone();
            }
        }
        if let Some(t) = token {
            match &self.body {
                Body::Form(_) => {
                    if !body.is_empty() {
                        body.push(b'&');
                    }
                    body.extend_from_slice(format!("csrf_token={t}").as_bytes());
                }
                _ => {
                    let sep = if target.contains('?') { '&' } else { '?' };
                    target.push_str(&format!("{sep}csrf_token={t}"));
                }
            }
        }
        match &self.cookie {
            Some(c) => headers.push(("Cookie".into(), c.clone())),
            None => headers.push(("Cookie".into(), id.cookie.clone())),
        }
        if self.is_api() {
            match (&self.authorization, &id.bearer) {
                (Some(a), _) => headers.push(("Authorization".into(), a.clone())),
                (None, Some(b)) => headers.push(("Authorization".into(), format!("Bearer {b}"))),
                (None, None) => {}
            }
        }
        Request {
            method: self.method.to_string(),
            target,
            headers,
            body,
            announce: None,
        }
    }
}

/// Sends a request with a bound on the wait.
pub fn send(addr: &str, r: &Request) -> Result<Answer, String> {
    http::send(addr, r, Duration::from_secs(30))
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).expect("selector");
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The message an HTML refusal shows people: the error page's sentence, a notice or alert, or
/// a field's error.
pub fn html_message(body: &str) -> Option<String> {
    let doc = Html::parse_document(body);
    for sel in [
        ".error-page p:not(.error-code)",
        "[role=alert]",
        ".flash-error",
        ".field-error",
        ".errors li",
    ] {
        if let Some(t) = texts(&doc, sel).into_iter().next() {
            return Some(t);
        }
    }
    None
}

/// Whether a redirect target stays on this site: a path, not `//host`, `/\host` or a scheme,
/// with nothing a browser would strip or reinterpret.
pub fn same_site(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.starts_with("/\\")
        && !location
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
}

/// A short account of an answer's body for a failure message: the message it shows people, or
/// its first characters.
pub fn gist(a: &Answer) -> String {
    let text = a.text();
    if a.content_type().starts_with("text/html") {
        if let Some(m) = html_message(&text) {
            return format!("«{m:.200}»");
        }
    }
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{flat:.200}")
}

/// Every check an answer goes through; the problems found (empty when it is right).
pub fn check(p: &Probe, route: &RouteSpec, who: Who, a: &Answer) -> Vec<String> {
    let mut out = Vec::new();
    let expected = p.expected(route.access, who);
    if a.status >= 500 {
        out.push(format!("a {} (server error): {}", a.status, gist(a)));
    } else if !expected.contains(&a.status) {
        out.push(format!(
            "status {} where {expected:?} was expected: {}",
            a.status,
            gist(a)
        ));
    }
    if let Some(loc) = a.header("location") {
        if !same_site(loc) {
            out.push(format!("redirects off the site: {loc:?}"));
        }
        let signed_out = who == Who::Nobody || p.cookie.is_some();
        if a.status == 303
            && signed_out
            && route.access != Access::Public
            && !loc.starts_with("/login")
        {
            out.push(format!("a refusal that does not ask to sign in: {loc:?}"));
        }
    }
    let ct = a.content_type().to_ascii_lowercase();
    let body = a.text();
    if (400..500).contains(&a.status) {
        if p.is_api() {
            let msg = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
                .unwrap_or_default();
            if msg.trim().is_empty() {
                out.push(format!(
                    "an API refusal without a JSON error message ({ct}): {body:.200}"
                ));
            }
        } else if ct.starts_with("text/html") {
            if html_message(&body).is_none() {
                out.push(format!("a refusal page without a message: {}", gist(a)));
            }
        } else if body.trim().is_empty() {
            out.push(format!("a refusal with an empty body ({ct})"));
        }
        if a.status == 405 && a.header("allow").is_none_or(|v| v.trim().is_empty()) {
            out.push("a 405 without an Allow header".into());
        }
    }
    if ct.starts_with("text/html") {
        for m in MARKUP {
            if body.contains(m) {
                out.push(format!("the page shows {m:?} unescaped"));
            }
        }
        let lower = body.to_ascii_lowercase();
        for attr in [
            "href=\"javascript:",
            "src=\"javascript:",
            "action=\"javascript:",
        ] {
            if lower.contains(attr) {
                out.push(format!("the page holds a script link ({attr})"));
            }
        }
    }
    for d in a.headers_named("content-disposition") {
        if d.chars()
            .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c))
        {
            out.push(format!("a download name with control characters: {d:?}"));
        }
    }
    out
}
