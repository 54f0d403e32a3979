//! A browser-like HTTP client: keeps cookies, does not follow redirects, and carries the CSRF
//! token of the last page it read.

use std::cell::RefCell;

use reqwest::blocking::Response;
use scraper::{Html, Selector};

use super::TestApp;

pub struct Client {
    base: String,
    http: reqwest::blocking::Client,
    csrf: RefCell<String>,
}

/// A response read into memory.
pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Texts of every element matching a CSS selector.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).into_iter().next().unwrap_or_default()
    }

    pub fn has_selector(&self, selector: &str) -> bool {
        !self.texts(selector).is_empty()
    }

    /// The value of an attribute on the first element matching a selector.
    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_string))
    }

    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }

    /// A response read into memory; the CSRF token of a form on it, if any, goes to `csrf`.
    pub fn read(res: Response, csrf: &RefCell<String>) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.text().unwrap_or_default();
        let page = Page {
            status,
            headers,
            body,
        };
        if let Some(token) = page.attr("input[name=csrf_token]", "value") {
            *csrf.borrow_mut() = token;
        }
        page
    }
}

impl Client {
    pub fn new(app: &TestApp) -> Client {
        let http = reqwest::blocking::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Client {
            base: app.base.clone(),
            http,
            csrf: RefCell::new(String::new()),
        }
    }

    fn read(&self, res: Response) -> Page {
        Page::read(res, &self.csrf)
    }

    pub fn get(&self, path: &str) -> Page {
        self.read(
            self.http
                .get(format!("{}{}", self.base, path))
                .send()
                .expect("GET"),
        )
    }

    /// The raw response of a GET, for headers and cookies.
    pub fn get_raw(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{}", self.base, path))
            .send()
            .expect("GET")
    }

    /// The raw response of a HEAD.
    pub fn head_raw(&self, path: &str) -> Response {
        self.http
            .head(format!("{}{}", self.base, path))
            .send()
            .expect("HEAD")
    }

    /// The CSRF token of the last page read (reads `/login` or `/` first if there is none).
    pub fn csrf(&self) -> String {
        if self.csrf.borrow().is_empty() {
            let p = self.get("/");
            if p.status == 303 {
                self.get("/login");
            }
        }
        self.csrf.borrow().clone()
    }

    /// POSTs a form with the current CSRF token added.
    pub fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all)
    }

    /// POSTs exactly these fields (no CSRF token added).
    pub fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.read(
            self.http
                .post(format!("{}{}", self.base, path))
                .form(fields)
                .send()
                .expect("POST"),
        )
    }

    /// Signs in; returns the raw response (303 on success).
    pub fn login(&self, name: &str, password: &str) -> Response {
        let form = self.get("/login");
        if form.status == 303 {
            // Already signed in: the form on the page we land on carries the session's token.
            self.get(&form.location());
        }
        let token = self.csrf.borrow().clone();
        let res = self
            .http
            .post(format!("{}/login", self.base))
            .form(&[
                ("username", name),
                ("password", password),
                ("csrf_token", &token),
            ])
            .send()
            .expect("POST /login");
        if res.status().as_u16() == 303 {
            // A new session has a new token: read it from the next page.
            self.csrf.borrow_mut().clear();
        }
        res
    }

    pub fn cookie_header(&self, res: &Response, name: &str) -> Option<String> {
        res.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }

    pub fn http(&self) -> &reqwest::blocking::Client {
        &self.http
    }
}
