//! The hostile requests of the JSON API: tokens, the queue's filters, reports, imports,
//! transitions and comments.

use serde_json::json;

use super::super::payloads::{enc, CONTROL, NUL, RLO, SCRIPT, SQL, TEXTS};
use super::super::probe::Probe;
use super::short;

pub(super) fn api_auth(path: &str) -> Vec<Probe> {
    [
        "Bearer ".to_string(),
        format!("Bearer {}", "f".repeat(64)),
        "Basic YWRtaW4xOnBhc3N3b3Jk".to_string(),
        format!("Bearer {}", enc(SCRIPT)),
    ]
    .into_iter()
    .map(|a| {
        Probe::get(format!("authorization {a:.30?}"), path.to_string())
            .authorization(a)
            .refused(&[401])
    })
    .collect()
}

pub(super) fn api_list() -> Vec<Probe> {
    let mut v = vec![
        Probe::get(
            "markup as the state",
            format!("/api/v1/cases?state={}", enc(SCRIPT)),
        )
        .refused(&[422]),
        Probe::get("a limit of -1", "/api/v1/cases?limit=-1").refused(&[422]),
        Probe::get("a limit of NaN", "/api/v1/cases?limit=NaN").refused(&[422]),
        Probe::get(
            "a cursor of nonsense",
            format!("/api/v1/cases?after={}", enc(SQL)),
        )
        .refused(&[422]),
        Probe::get(
            "a search over the limit",
            format!("/api/v1/cases?q={}", "x".repeat(600)),
        )
        .refused(&[422]),
        Probe::get(
            "duplicated filters",
            "/api/v1/cases?state=lead&state=closed",
        )
        .refused(&[400, 422]),
        Probe::get(
            "markup as the search",
            format!("/api/v1/cases?q={}", enc(SCRIPT)),
        )
        .served(&[200]),
    ];
    v.extend(api_auth("/api/v1/cases"));
    v
}

/// The MineOne report with one member replaced (a JSON pointer) and the title made hostile.
pub(super) fn api_report_with(pointer: &str, value: serde_json::Value) -> String {
    let mut r = crate::support::mineone_json();
    if let Some(slot) = r.pointer_mut(pointer) {
        *slot = value;
    } else if let Some((parent, key)) = pointer.rsplit_once('/') {
        if let Some(serde_json::Value::Object(m)) = r.pointer_mut(parent) {
            m.insert(key.to_string(), value);
        }
    }
    r.to_string()
}

pub(super) fn api_report(path: &str) -> Vec<Probe> {
    let bads: Vec<(&str, serde_json::Value)> = vec![
        ("/title", json!(NUL)),
        ("/title", json!(CONTROL)),
        ("/title", json!(RLO)),
        ("/title", json!(12)),
        ("/property/lat", json!("41.17")),
        ("/property/lat", json!(1000)),
        ("/property/lon", json!(null)),
        ("/transaction/value_usd", json!(-5)),
        ("/transaction/power_mw", json!(1.0e300)),
        ("/transaction/date", json!("2024-02-30")),
        ("/received_on", json!("9999-12-31")),
        ("/parties", json!("not a list")),
        ("/parties/0/country", json!(SCRIPT)),
        ("/parties/1/ownership_pct", json!(150)),
        ("/parties/0/owns", json!("p1")),
        ("/transaction/rights/access", json!("yes")),
    ];
    let mut v: Vec<Probe> = bads
        .into_iter()
        .map(|(ptr, val)| {
            Probe::post(
                format!("{ptr} = {}", short(&val.to_string())),
                path.to_string(),
            )
            .json(api_report_with(ptr, val))
            .refused(&[422])
        })
        .collect();
    let raw: Vec<(&str, String, &'static [u16])> = vec![
        (
            "NaN as a number",
            api_report_with("/property/lat", json!(0)).replace("\"lat\":0", "\"lat\":NaN"),
            &[400],
        ),
        (
            "Infinity as a number",
            api_report_with("/property/lat", json!(0)).replace("\"lat\":0", "\"lat\":Infinity"),
            &[400],
        ),
        (
            "a number too large for JSON",
            api_report_with("/property/lat", json!(0)).replace("\"lat\":0", "\"lat\":1e999"),
            &[400],
        ),
        (
            "duplicated members, the last one bad",
            format!("{{\"title\":\"a\",\"title\":{}}}", json!(SCRIPT)),
            &[422],
        ),
        ("not an object", "[1,2,3]".into(), &[400, 422]),
        ("truncated JSON", "{\"title\": \"a".into(), &[400]),
        ("an empty body", String::new(), &[400]),
        (
            "extra members and a bad one",
            api_report_with("/extra", json!({"nested": [1, {"deep": SCRIPT}]}))
                .replace("\"lat\":41.17", "\"lat\":\"x\""),
            &[422],
        ),
        (
            "deeply nested arrays",
            format!("{}{}", "[".repeat(5000), "]".repeat(5000)),
            &[400],
        ),
    ];
    for (what, text, expect) in raw {
        v.push(
            Probe::post(what, path.to_string())
                .json(text)
                .refused(expect),
        );
    }
    v.push(
        Probe::post("invalid UTF-8 in a string", path.to_string())
            .raw(
                Some("application/json"),
                b"{\"title\": \"\xff\xfe\xc0\xaf\"}".to_vec(),
            )
            .refused(&[400]),
    );
    v.push(
        Probe::post("a body over the limit", path.to_string())
            .json(api_report_with("/summary", json!("s".repeat(300 * 1024))))
            .refused(&[413]),
    );
    v.push(
        Probe::post("a text/plain body", path.to_string())
            .raw(
                Some("text/plain"),
                crate::support::mineone_json().to_string().into_bytes(),
            )
            .refused(&[400, 415]),
    );
    v
}

pub(super) fn api_import() -> Vec<Probe> {
    vec![
        Probe::post(
            "markup as the format",
            format!("/api/v1/cases/import?format={}", enc(SCRIPT)),
        )
        .raw(Some("text/csv"), b"x".to_vec())
        .refused(&[400]),
        Probe::post("no format at all", "/api/v1/cases/import")
            .raw(None, b"x".to_vec())
            .refused(&[415]),
        Probe::post(
            "lines of nonsense",
            "/api/v1/cases/import?format=jsonl&name=..%2F..%2Fetc%2Fpasswd",
        )
        .raw(
            Some("application/x-ndjson"),
            format!("{{\"title\": {}}}\n[]\n\u{0}\n", json!(SCRIPT)).into_bytes(),
        )
        .refused(&[422]),
        Probe::post("a CSV of invalid UTF-8", "/api/v1/cases/import?format=csv")
            .raw(Some("text/csv"), b"report,title\n1,\xff\xfe\n".to_vec())
            .refused(&[422]),
        Probe::post(
            "a confirm flag of markup",
            format!(
                "/api/v1/cases/import?format=csv&confirm_duplicate={}",
                enc(SCRIPT)
            ),
        )
        .raw(Some("text/csv"), b"x".to_vec())
        .refused(&[400]),
        Probe::post("an empty file", "/api/v1/cases/import?format=jsonl")
            .raw(Some("application/x-ndjson"), Vec::new())
            .refused(&[422]),
    ]
}

pub(super) fn api_transition(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/api/v1/cases/{id}/transitions");
    let bodies: Vec<(&str, serde_json::Value, &'static [u16])> = vec![
        (
            "a state that is a number",
            json!({"to": 5, "rationale": "r", "version": v}),
            &[422],
        ),
        (
            "markup as the state",
            json!({"to": SCRIPT, "rationale": "r", "version": v}),
            &[422],
        ),
        (
            "a version given as text",
            json!({"to": "screening", "rationale": "r", "version": v.to_string()}),
            &[422],
        ),
        (
            "a version of 1.5",
            json!({"to": "screening", "rationale": "r", "version": 1.5}),
            &[422],
        ),
        (
            "a stale version",
            json!({"to": "screening", "rationale": SCRIPT, "version": v - 1}),
            &[409],
        ),
        (
            "a version of -1",
            json!({"to": "screening", "rationale": "r", "version": -1}),
            &[409],
        ),
        (
            "control characters in the rationale",
            json!({"to": "screening", "rationale": CONTROL, "version": v}),
            &[422],
        ),
        (
            "NUL in the rationale",
            json!({"to": "screening", "rationale": NUL, "version": v}),
            &[422],
        ),
        (
            "an impossible effective date",
            json!({"to": "screening", "rationale": "r", "version": v, "effective": "2024-02-30"}),
            &[422],
        ),
        (
            "a future effective date",
            json!({"to": "screening", "rationale": "r", "version": v, "effective": "2999-01-01"}),
            &[422],
        ),
        (
            "conditions that are not a list",
            json!({"to": "screening", "rationale": "r", "version": v, "conditions": "x"}),
            &[422],
        ),
        (
            "a condition with NUL",
            json!({"to": "monitoring", "rationale": "r", "version": v, "conditions": [{"text": NUL}]}),
            &[422],
        ),
        (
            "an outcome on a move that is not a close",
            json!({"to": "screening", "outcome": "cleared", "rationale": "r", "version": v}),
            &[422],
        ),
        (
            "no rationale",
            json!({"to": "screening", "version": v}),
            &[422],
        ),
        (
            "a chair's close from lead",
            json!({"to": "closed", "outcome": "not_covered", "rationale": "r", "version": v}),
            &[403, 422],
        ),
    ];
    bodies
        .into_iter()
        .map(|(what, body, expect)| {
            Probe::post(what, p.clone())
                .json(body.to_string())
                .refused(expect)
        })
        .collect()
}

pub(super) fn api_comment(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/api/v1/cases/{id}/comments");
    let mut out: Vec<Probe> = TEXTS
        .iter()
        .filter(|t| {
            t.chars()
                .any(|c| c.is_control() || ('\u{202A}'..='\u{202E}').contains(&c))
        })
        .map(|t| {
            Probe::post(format!("comment {t:?}"), p.clone())
                .json(json!({"body": t}).to_string())
                .refused(&[422])
        })
        .collect();
    out.push(
        Probe::post("a comment that is a number", p.clone())
            .json(json!({"body": 5}).to_string())
            .refused(&[422]),
    );
    out.push(
        Probe::post("a comment over the limit", p.clone())
            .json(json!({"body": "c".repeat(20_000)}).to_string())
            .refused(&[422]),
    );
    out.push(
        Probe::post("markup, stale", p.clone())
            .json(json!({"body": SCRIPT, "version": v - 1}).to_string())
            .refused(&[409]),
    );
    out.push(
        Probe::post("a version of -1", p.clone())
            .json(json!({"body": "x", "version": -1}).to_string())
            .refused(&[409]),
    );
    out.push(
        Probe::post("a version of text", p.clone())
            .json(json!({"body": "x", "version": "1"}).to_string())
            .refused(&[422]),
    );
    out
}
