//! The JSON API as a client with a bearer token uses it, and the queue read to its end by
//! following its cursors.

use chrono::NaiveDate;
use cordon::domain::Role;
use serde_json::{json, Value};

use super::TestApp;

/// An API client for one user's token.
pub struct Api<'a> {
    pub app: &'a TestApp,
    pub user: String,
    http: reqwest::blocking::Client,
    token: String,
}

/// The query string of these parameters.
pub fn query_string(params: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(params).expect("query string")
}

impl<'a> Api<'a> {
    /// A new user with this role, and a token for it.
    pub fn new(app: &'a TestApp, name: &str, role: Role) -> Api<'a> {
        app.user(name, role);
        Api::for_user(app, name)
    }

    /// The bearer token, for requests made elsewhere (other threads).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// A token for an existing user.
    pub fn for_user(app: &'a TestApp, name: &str) -> Api<'a> {
        let (_, token) =
            cordon::service::users::create_token(&mut app.conn(), None, name, "test client")
                .expect("token");
        Api {
            app,
            user: name.to_string(),
            http: reqwest::blocking::Client::new(),
            token,
        }
    }

    /// The status and JSON body of an answer; panics when the body is not JSON.
    pub fn read(res: reqwest::blocking::Response) -> (u16, Value) {
        let status = res.status().as_u16();
        let text = res.text().expect("body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("status {status}: not JSON ({e}): {text:.300}"));
        (status, body)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        Api::read(
            self.http
                .get(self.app.url(path))
                .bearer_auth(&self.token)
                .send()
                .expect("GET"),
        )
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        Api::read(
            self.http
                .post(self.app.url(path))
                .bearer_auth(&self.token)
                .json(body)
                .send()
                .expect("POST"),
        )
    }

    /// Logs a report; the new case.
    pub fn create(&self, report: &Value) -> Value {
        let (status, body) = self.post("/api/v1/cases", report);
        assert_eq!(status, 201, "{body}");
        body
    }

    /// A case as the API shows it.
    pub fn case(&self, id: i64) -> Value {
        let (status, body) = self.get(&format!("/api/v1/cases/{id}"));
        assert_eq!(status, 200, "case {id}: {body}");
        body
    }

    /// Asks for a move; the status and the answer.
    pub fn transition(
        &self,
        id: i64,
        version: i64,
        to: &str,
        outcome: Option<&str>,
        effective: Option<NaiveDate>,
    ) -> (u16, Value) {
        let mut body =
            json!({"to": to, "rationale": format!("Moving to {to}."), "version": version});
        if let Some(o) = outcome {
            body["outcome"] = json!(o);
        }
        if let Some(d) = effective {
            body["effective"] = json!(d.to_string());
        }
        self.post(&format!("/api/v1/cases/{id}/transitions"), &body)
    }

    /// Every case a queue query lists, following `next` page by page with `limit` cases a
    /// page; refuses (with what went wrong) an error status, a page larger than asked, a case
    /// listed twice, a cursor on a short page or one that does not end.
    pub fn queue_all(&self, params: &[(&str, &str)], limit: usize) -> Result<Vec<Value>, String> {
        let limit_text = limit.to_string();
        let mut all: Vec<Value> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut after = String::new();
        for page in 0.. {
            let mut p: Vec<(&str, &str)> = params.to_vec();
            p.push(("limit", &limit_text));
            if !after.is_empty() {
                p.push(("after", &after));
            }
            let path = format!("/api/v1/cases?{}", query_string(&p));
            let (status, body) = self.get(&path);
            if status != 200 {
                return Err(format!("{path}: status {status}: {body}"));
            }
            let rows = body["cases"]
                .as_array()
                .ok_or_else(|| format!("{path}: no cases list: {body}"))?;
            if rows.len() > limit {
                return Err(format!("{path}: {} rows on a page of {limit}", rows.len()));
            }
            for r in rows {
                let id = r["id"].as_i64().ok_or("a row without an id")?;
                if !seen.insert(id) {
                    return Err(format!("{path}: case {id} listed twice (page {page})"));
                }
                all.push(r.clone());
            }
            match body["next"].as_str() {
                None => break,
                Some(_) if rows.len() < limit => {
                    return Err(format!("{path}: a next cursor after a short page"));
                }
                Some(n) => after = n.to_string(),
            }
            if page > 10_000 {
                return Err(format!("{path}: the cursor does not end"));
            }
        }
        Ok(all)
    }
}

/// The ids of queue rows.
pub fn ids(rows: &[Value]) -> Vec<i64> {
    rows.iter().map(|r| r["id"].as_i64().expect("id")).collect()
}
