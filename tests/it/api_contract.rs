//! The API as its OpenAPI document describes it (issue 10): every operation's documented
//! examples are sent, and every answer, good or refused, must have a status the document lists
//! for that operation and a body its schema accepts. The JSON API is strict where the document
//! is (a boolean is `true` or `false`, a number is a number, an enum one of its values), while
//! the HTML forms keep reading what browsers send.

use std::collections::BTreeSet;

use cordon::domain::Role;
use serde_json::{json, Value};

use crate::support::api::Api;
use crate::support::{each_backend, mineone_json, TestApp};

/// The order the operations are exercised in: the case the first one makes is the one the
/// others' `id` example (1) names. A documented operation missing here fails the test.
const SEQUENCE: &[(&str, &str)] = &[
    ("post", "/api/v1/cases"),
    ("post", "/api/v1/screen"),
    ("post", "/api/v1/cases/import"),
    ("get", "/api/v1/cases"),
    ("get", "/api/v1/cases/{id}"),
    ("post", "/api/v1/cases/{id}/transitions"),
    ("post", "/api/v1/cases/{id}/comments"),
    ("get", "/api/v1/cases/{id}/history"),
    ("get", "/api/v1/cases/{id}/export"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/openapi.json"),
];

/// The OpenAPI document as served.
fn document(app: &TestApp) -> Value {
    let res = reqwest::blocking::get(app.url("/api/v1/openapi.json")).expect("GET");
    assert_eq!(res.status().as_u16(), 200);
    res.json().expect("JSON")
}

/// A request expected to be refused: the status, the token, the URL and the body.
type Refusal<'a> = (u16, Option<&'a str>, String, Option<(&'a str, Vec<u8>)>);

/// Follows a `$ref` inside the document.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {r}")),
        None => v,
    }
}

/// Checks `body` against `schema` (a schema of the document, its `$ref`s resolved against the
/// document's components); every error, or none.
fn schema_errors(doc: &Value, schema: &Value, body: &Value) -> Vec<String> {
    let mut root = match schema {
        Value::Object(m) => m.clone(),
        other => panic!("a schema that is not an object: {other}"),
    };
    root.insert("components".into(), doc["components"].clone());
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .unwrap_or_else(|e| panic!("the document's schema does not compile: {e}"));
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The operation's documented answer for `status`: its JSON schema, or a panic naming the
/// status the document forgot.
fn documented<'a>(doc: &'a Value, op: &'a Value, what: &str, status: u16) -> Option<&'a Value> {
    let responses = &op["responses"];
    let Some(r) = responses.get(status.to_string()) else {
        let listed: Vec<&String> = responses
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        panic!("{what} answered {status}, which its document does not list ({listed:?})");
    };
    resolve(doc, r).pointer("/content/application~1json/schema")
}

/// Sends one request; the status and the body (JSON, or a string when not JSON).
fn send(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    body: Option<(&str, Vec<u8>)>,
) -> (u16, Value) {
    let http = reqwest::blocking::Client::new();
    let mut req = match method {
        "get" => http.get(app.url(path)),
        "post" => http.post(app.url(path)),
        other => panic!("method {other}"),
    };
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some((content_type, bytes)) = body {
        req = req.header("content-type", content_type).body(bytes);
    }
    let res = req.send().expect("request");
    let status = res.status().as_u16();
    let text = res.text().expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// The documented example request of an operation: its path with the `id` example, the query
/// of every parameter with an example, and the body example with its media type.
fn example_request(doc: &Value, path: &str, op: &Value) -> (String, Option<(String, Vec<u8>)>) {
    let mut url = path.to_string();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let p = resolve(doc, p);
        let name = p["name"].as_str().unwrap_or_default();
        let example = p.get("example").or_else(|| p["schema"].get("example"));
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match (p["in"].as_str(), example) {
            (Some("path"), Some(v)) => url = url.replace(&format!("{{{name}}}"), &text(v)),
            (Some("path"), None) => panic!("{path}: path parameter {name} has no example"),
            (Some("query"), Some(v)) => query.push((name.to_string(), text(v))),
            _ => {}
        }
    }
    if !query.is_empty() {
        url.push('?');
        url.push_str(&serde_urlencoded::to_string(&query).expect("query"));
    }
    let body = op["requestBody"]["content"]
        .as_object()
        .and_then(|contents| {
            contents.iter().find_map(|(media, c)| {
                let example = c
                    .get("example")
                    .or_else(|| resolve(doc, &c["schema"]).get("example"))?;
                let bytes = match example {
                    Value::String(s) if media != "application/json" => s.clone().into_bytes(),
                    other => other.to_string().into_bytes(),
                };
                Some((media.clone(), bytes))
            })
        });
    if op.get("requestBody").is_some() {
        assert!(body.is_some(), "{path}: the request body has no example");
    }
    (url, body)
}

#[test]
fn every_operation_s_examples_answer_as_the_document_says() {
    each_backend(|app| {
        let doc = document(app);
        assert!(doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")));
        let chair = Api::new(app, "contract", Role::Chair);
        let token = chair.token().to_string();

        // The document describes exactly the API the route table serves.
        let documented_ops: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .into_iter()
                    .flat_map(|m| m.keys())
                    .filter(|k| matches!(k.as_str(), "get" | "post"))
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        let served: BTreeSet<(String, String)> = cordon::web::ROUTES
            .iter()
            .filter(|r| r.path.starts_with("/api/"))
            .map(|r| (r.method.to_ascii_lowercase(), r.path.to_string()))
            .collect();
        assert_eq!(documented_ops, served);
        let sequenced: BTreeSet<(String, String)> = SEQUENCE
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        assert_eq!(documented_ops, sequenced, "add new operations to SEQUENCE");

        for (method, path) in SEQUENCE {
            let op = &doc["paths"][path][method];
            let what = format!("{} {path}", method.to_uppercase());
            let (url, body) = example_request(&doc, path, op);
            let example = body.as_ref().map(|(m, b)| (m.as_str(), b.clone()));
            let (status, answer) = send(app, Some(&token), method, &url, example);
            assert!(
                (200..300).contains(&status),
                "{what} example: {status} {answer}"
            );
            if let Some(schema) = documented(&doc, op, &what, status) {
                let errors = schema_errors(&doc, schema, &answer);
                assert!(
                    errors.is_empty(),
                    "{what} {status}: {errors:#?}\n{answer:#}"
                );
            }

            // The refusals the document promises, each with an error body it describes.
            let secured = *path != "/api/v1/openapi.json";
            let mut refusals: Vec<Refusal<'_>> = Vec::new();
            if secured {
                refusals.push((401, None, url.clone(), None));
                refusals.push((401, Some("not-a-token"), url.clone(), None));
            }
            if path.contains("{id}") {
                let example = body.as_ref().map(|(m, b)| (m.as_str(), b.clone()));
                refusals.push((
                    404,
                    Some(&token),
                    path.replace("{id}", "999999"),
                    example.clone(),
                ));
                refusals.push((404, Some(&token), path.replace("{id}", "abc"), example));
            }
            if *method == "post" && *path != "/api/v1/cases/import" {
                refusals.push((
                    400,
                    Some(&token),
                    url.clone(),
                    Some(("application/json", b"{\"title\":".to_vec())),
                ));
                refusals.push((
                    422,
                    Some(&token),
                    url.clone(),
                    Some(("application/json", b"{}".to_vec())),
                ));
                refusals.push((
                    413,
                    Some(&token),
                    url.clone(),
                    Some(("application/json", vec![b' '; 300 * 1024])),
                ));
            }
            for (expected, token, url, body) in refusals {
                let (status, answer) = send(app, token, method, &url, body);
                assert_eq!(status, expected, "{what} ({url}): {answer}");
                let schema = documented(&doc, op, &what, status)
                    .unwrap_or_else(|| panic!("{what} {status} has no JSON schema"));
                let errors = schema_errors(&doc, schema, &answer);
                assert!(
                    errors.is_empty(),
                    "{what} {status}: {errors:#?}\n{answer:#}"
                );
            }
        }

        // Roles: an observer's token is refused what needs a reviewer, as documented.
        let observer = Api::new(app, "onlooker", Role::Observer);
        for (method, path) in SEQUENCE.iter().filter(|(m, _)| *m == "post") {
            let op = &doc["paths"][path][method];
            let what = format!("{} {path}", method.to_uppercase());
            let (url, body) = example_request(&doc, path, op);
            let body = body.as_ref().map(|(m, b)| (m.as_str(), b.clone()));
            let (status, answer) = send(app, Some(observer.token()), method, &url, body);
            assert_eq!(status, 403, "{what}: {answer}");
            documented(&doc, op, &what, status);
        }
    });
}

/// The field a 422 names first, and every field it names.
fn refused(api: &Api<'_>, path: &str, body: &Value) -> Vec<String> {
    let (status, answer) = api.post(path, body);
    assert_eq!(status, 422, "{path} {body}: {answer}");
    answer["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn the_json_api_is_strict_where_the_document_is() {
    each_backend(|app| {
        let api = Api::new(app, "strict", Role::Chair);
        // A boolean is true or false; null is "not given".
        for wrong in [json!("yes"), json!(0), json!(1), json!("true"), json!([])] {
            let mut r = mineone_json();
            r["transaction"]["rights"]["access"] = wrong.clone();
            r["parties"][0]["state_owned"] = wrong.clone();
            for path in ["/api/v1/cases", "/api/v1/screen"] {
                assert_eq!(
                    refused(&api, path, &r),
                    ["parties[0].state_owned", "transaction.rights.access"],
                    "{wrong}"
                );
            }
        }
        let mut r = mineone_json();
        r["transaction"]["rights"]["access"] = Value::Null;
        let created = api.create(&r);
        assert_eq!(created["transaction"]["rights"]["access"], false);
        // A number is a number, text is text, an enum one of its values.
        let mut r = mineone_json();
        r["property"]["lat"] = json!("41.17");
        r["title"] = json!(42);
        r["source"] = json!("rumour");
        r["parties"][1]["role"] = json!("owner");
        assert_eq!(
            refused(&api, "/api/v1/cases", &r),
            ["parties[1].role", "property.lat", "source", "title"]
        );
        // Required means required.
        let mut r = mineone_json();
        r.as_object_mut().expect("object").remove("title");
        r["property"].as_object_mut().expect("object").remove("lon");
        assert_eq!(
            refused(&api, "/api/v1/cases", &r),
            ["property.lon", "title"]
        );

        // Transitions and comments: no empty rationale, body, outcome or date.
        let id = created["id"].as_i64().expect("id");
        let move_to = |extra: Value| {
            let mut b = json!({"to": "screening", "rationale": "Why.", "version": 1});
            for (k, v) in extra.as_object().expect("object") {
                b[k] = v.clone();
            }
            b
        };
        let path = format!("/api/v1/cases/{id}/transitions");
        assert_eq!(
            refused(&api, &path, &move_to(json!({"rationale": ""}))),
            ["rationale"]
        );
        assert_eq!(
            refused(&api, &path, &move_to(json!({"effective": ""}))),
            ["effective"]
        );
        assert_eq!(
            refused(
                &api,
                &path,
                &move_to(json!({"to": "closed", "outcome": ""}))
            ),
            ["outcome"]
        );
        assert_eq!(
            refused(&api, &path, &move_to(json!({"version": "1"}))),
            ["version"]
        );
        assert_eq!(
            refused(&api, &path, &move_to(json!({"to": "nowhere"}))),
            ["to"]
        );
        let path = format!("/api/v1/cases/{id}/comments");
        assert_eq!(refused(&api, &path, &json!({"body": ""})), ["body"]);
        assert_eq!(refused(&api, &path, &json!({"body": "   "})), ["body"]);
        assert_eq!(refused(&api, &path, &json!({"body": true})), ["body"]);
        assert_eq!(
            api.case(id)["version"],
            1,
            "nothing refused changed the case"
        );

        // The queue's parameters, as declared.
        for (query, field) in [
            ("overdue=1", "overdue"),
            ("overdue=yes", "overdue"),
            ("mine=on", "mine"),
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("limit=ten", "limit"),
            ("sort=oldest", "sort"),
            ("state=open", "state"),
            ("risk=severe", "risk"),
            ("agency=fbi", "agency"),
            ("after=yesterday", "after"),
        ] {
            let (status, answer) = api.get(&format!("/api/v1/cases?{query}"));
            assert_eq!(status, 422, "{query}: {answer}");
            assert!(
                answer["error"]["fields"][field].is_string(),
                "{query}: {answer}"
            );
        }
        let (status, answer) = api.get(&format!("/api/v1/cases?q={}", "x".repeat(501)));
        assert_eq!(status, 422, "{answer}");
        let (status, answer) =
            api.get("/api/v1/cases?overdue=false&mine=true&limit=200&sort=updated");
        assert_eq!(status, 200, "{answer}");
    });
}
