//! Words: stored values and event payloads as the dossier prints them (labels, dates, dollars,
//! countries, one-line event summaries).

use std::str::FromStr;

use serde_json::Value;

use crate::domain::history::{ChainedEvent, EventKind};
use crate::domain::workflow::State;

/// The one-line summary of an event's payload.
pub(super) fn summary(e: &ChainedEvent) -> String {
    let p = &e.body.payload;
    let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let s = match EventKind::parse(&e.body.kind) {
        Some(EventKind::Transitioned) => {
            let mut s = format!(
                "{} → {}",
                named(&text("from"), State::label),
                named(&text("to"), State::label)
            );
            let rationale = text("rationale");
            if !rationale.trim().is_empty() {
                s.push_str(&format!(": {rationale}"));
            }
            s
        }
        Some(EventKind::Commented) => text("body"),
        _ => pairs(p),
    };
    // One line: every run of white space (line breaks included) becomes one space.
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A payload as compact `key: value` pairs.
pub(super) fn pairs(v: &Value) -> String {
    match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", value(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => value(other),
    }
}

/// A payload value in words: lists joined with commas, objects as `(key: value, …)`.
fn value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        Value::Array(items) => items.iter().map(value).collect::<Vec<_>>().join(", "),
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", value(v)))
                .collect();
            format!("({})", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// The label of a stored value ("filing_requested" → "Filing requested"), or the value made
/// readable when it is not one the domain knows.
pub(super) fn named<T: FromStr>(raw: &str, label: fn(T) -> &'static str) -> String {
    match raw.parse::<T>() {
        Ok(v) => label(v).to_string(),
        Err(_) => {
            let words = raw.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

pub(super) fn opt_named<T: FromStr>(
    raw: &Option<String>,
    label: fn(T) -> &'static str,
    none: &str,
) -> String {
    raw.as_deref().map_or(none.to_string(), |r| named(r, label))
}

pub(super) fn or(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_string())
}

pub(super) fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

pub(super) fn country(code: &str) -> String {
    match crate::domain::countries::country_name(code) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

/// `2024-05-13T15:00:00Z` → `2024-05-13 15:00:00 UTC`.
pub(super) fn stamp(at: &str) -> String {
    match at.strip_suffix('Z') {
        Some(t) => format!("{} UTC", t.replacen('T', " ", 1)),
        None => at.to_string(),
    }
}

/// Whole dollars with thousands separators.
pub(super) fn dollars(v: i64) -> String {
    let out = crate::domain::text::thousands(v.unsigned_abs());
    if v < 0 {
        format!("−${out}")
    } else {
        format!("${out}")
    }
}
