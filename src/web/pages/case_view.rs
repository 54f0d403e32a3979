//! How a case reads on its page: deadlines with days left, the ownership chain, the timeline.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::Value;

use crate::db::cases::{DeadlineRow, PartyRow};
use crate::domain::clock::days_left;
use crate::domain::countries::country_name;
use crate::domain::history::{ChainedEvent, EventKind};
use crate::domain::report::{LeadAgency, PartyRole, Source};
use crate::domain::workflow::{Outcome, State};

/// "12 days left", "due today", "3 days overdue", with a CSS class.
pub fn days_text(due: NaiveDate, today: NaiveDate) -> (String, &'static str) {
    match days_left(due, today) {
        0 => ("due today".into(), "due-soon"),
        1 => ("1 day left".into(), "due-soon"),
        n if n < 0 => (
            format!("{} day{} overdue", -n, if n == -1 { "" } else { "s" }),
            "overdue",
        ),
        n if n <= 7 => (format!("{n} days left"), "due-soon"),
        n => (format!("{n} days left"), "due-later"),
    }
}

/// A deadline as the page shows it.
pub struct DeadlineView {
    pub label: String,
    pub starts: NaiveDate,
    pub due: NaiveDate,
    pub left: String,
    pub class: &'static str,
}

pub fn deadline_views(rows: &[DeadlineRow], today: NaiveDate, paused: bool) -> Vec<DeadlineView> {
    rows.iter()
        .filter(|d| d.is_open)
        .map(|d| {
            let (left, class) = if paused {
                ("paused (clocks tolled)".into(), "paused")
            } else {
                days_text(d.due, today)
            };
            DeadlineView {
                label: d.label.clone(),
                starts: d.starts,
                due: d.due,
                left,
                class,
            }
        })
        .collect()
}

/// A party in the ownership tree: how deep it sits and what to say about it.
pub struct PartyLine {
    pub depth: usize,
    pub name: String,
    pub country: String,
    pub country_name: String,
    pub role: String,
    pub share: String,
    pub flags: Vec<&'static str>,
    pub foreign: bool,
}

fn line(p: &PartyRow, depth: usize) -> PartyLine {
    let mut flags = Vec::new();
    if p.government_controlled {
        flags.push("government-controlled");
    }
    if p.state_owned {
        flags.push("state-owned");
    }
    PartyLine {
        depth,
        name: p.name.clone(),
        country: p.country.clone(),
        country_name: country_name(&p.country).unwrap_or("").to_string(),
        role: p
            .role
            .parse::<PartyRole>()
            .map(|r| r.label().to_string())
            .unwrap_or_else(|_| p.role.clone()),
        share: p.ownership_pct.map(|s| format!("{s}%")).unwrap_or_default(),
        flags,
        foreign: p.country != "US",
    }
}

/// The parties as chains: each party that owns no other party of the report, then its owners
/// beneath it, their owners beneath them, and so on.
pub fn ownership_lines(parties: &[PartyRow]) -> Vec<PartyLine> {
    fn walk(
        p: &PartyRow,
        depth: usize,
        all: &[PartyRow],
        seen: &mut HashSet<i64>,
        out: &mut Vec<PartyLine>,
    ) {
        if !seen.insert(p.id) || depth > 20 {
            return;
        }
        out.push(line(p, depth));
        for owner in all
            .iter()
            .filter(|o| o.owns.as_deref() == Some(p.key.as_str()))
        {
            walk(owner, depth + 1, all, seen, out);
        }
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in parties.iter().filter(|p| p.owns.is_none()) {
        walk(p, 0, parties, &mut seen, &mut out);
    }
    for p in parties {
        walk(p, 0, parties, &mut seen, &mut out);
    }
    out
}

/// A dollar amount with thousands separators (`$1,500,000`), or a dash.
pub fn money(value: Option<i64>) -> String {
    let Some(n) = value else {
        return "—".into();
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}${out}")
}

/// A stored `YYYY-MM-DDTHH:MM:SSZ` as people read it: `2026-11-29 06:21 UTC`.
pub fn when(stamp: &str) -> String {
    match (stamp.get(..10), stamp.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => stamp.to_string(),
    }
}

/// One entry of the timeline.
pub struct TimelineItem {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: &'static str,
    pub title: String,
    pub detail: String,
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn state_label(v: &str) -> String {
    v.parse::<State>()
        .map(|s| s.label().to_string())
        .unwrap_or_else(|_| v.to_string())
}

fn kind_label(kind: &str) -> &'static str {
    match EventKind::parse(kind) {
        Some(EventKind::Created) => "Logged",
        Some(EventKind::Edited) => "Edited",
        Some(EventKind::Screened) => "Screened",
        Some(EventKind::Transitioned) => "State changed",
        Some(EventKind::Commented) => "Comment",
        Some(EventKind::AttachmentAdded) => "Attachment",
        Some(EventKind::Assigned) => "Assigned",
        Some(EventKind::WatchlistConfirmed) => "Watchlist hit confirmed",
        Some(EventKind::WatchlistDismissed) => "Watchlist hit dismissed",
        Some(EventKind::RiskOverridden) => "Risk overridden",
        Some(EventKind::Tolled) => "Clocks tolled",
        Some(EventKind::Resumed) => "Clocks resumed",
        Some(EventKind::Extended) => "Investigation extended",
        Some(EventKind::DecisionRecorded) => "Decision recorded",
        Some(EventKind::ConditionUpdated) => "Condition updated",
        Some(EventKind::Exported) => "Exported",
        None => "Event",
    }
}

fn clock_text(v: &Value) -> String {
    match v.get("clock") {
        Some(c) if !c.is_null() => {
            let kind = s(c, "kind")
                .parse::<crate::domain::workflow::DeadlineKind>()
                .map(|k| k.label())
                .unwrap_or("Deadline");
            format!("{kind}: {}.", s(c, "due"))
        }
        _ => String::new(),
    }
}

/// Sentences joined with one space, each ending in a full stop.
fn join_sentences(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.ends_with(['.', '!', '?']) {
                p.to_string()
            } else {
                format!("{p}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn summarise(e: &ChainedEvent) -> (String, String) {
    let p = &e.body.payload;
    match EventKind::parse(&e.body.kind) {
        Some(EventKind::Created) => {
            let source = s(p, "source")
                .parse::<Source>()
                .map(|s| s.label())
                .unwrap_or("");
            (
                format!("Report logged as a lead ({source})"),
                join_sentences(&[s(p, "title"), &clock_text(p)]),
            )
        }
        Some(EventKind::Transitioned) => {
            let mut title = format!(
                "{} → {}",
                state_label(s(p, "from")),
                state_label(s(p, "to"))
            );
            if let Ok(o) = s(p, "outcome").parse::<Outcome>() {
                title.push_str(&format!(": {}", o.label()));
            }
            let effective = format!("Effective {}", s(p, "effective"));
            let detail = join_sentences(&[
                s(p, "action"),
                &effective,
                &clock_text(p),
                s(p, "rationale"),
            ]);
            (title, detail)
        }
        Some(EventKind::Commented) => (String::new(), s(p, "body").to_string()),
        Some(EventKind::Screened) => {
            let risk = p.get("risk").cloned().unwrap_or_default();
            let score = risk.get("score").and_then(Value::as_i64).unwrap_or(0);
            let title = format!(
                "{}; risk {score} ({})",
                s(p, "jurisdiction").replace('_', " "),
                s(&risk, "band")
            );
            let zones: Vec<&str> = p
                .get("zones")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let hits = p.get("watchlist_hits").and_then(Value::as_i64).unwrap_or(0);
            let mut detail = if zones.is_empty() {
                "No zone applies.".to_string()
            } else {
                format!("Zones: {}.", zones.join("; "))
            };
            detail.push_str(&format!(
                " {hits} watchlist hit(s). Rules {}, sites in force on {}.",
                s(p, "rules_version"),
                s(p, "as_of")
            ));
            (title, detail)
        }
        Some(EventKind::Edited) => {
            let list: Vec<String> = p
                .get("changes")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|c| {
                            let show = |v: Option<&Value>| match v {
                                Some(Value::String(t)) => t.clone(),
                                Some(Value::Null) | None => "—".into(),
                                Some(Value::Array(items)) => format!("{} item(s)", items.len()),
                                Some(other) => other.to_string(),
                            };
                            format!(
                                "{}: {} → {}",
                                s(c, "field"),
                                show(c.get("old")),
                                show(c.get("new"))
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            (format!("{} fact(s) changed", list.len()), list.join("\n"))
        }
        Some(EventKind::Assigned) => {
            let who = p
                .pointer("/assignee/new")
                .and_then(Value::as_str)
                .unwrap_or("nobody");
            let agency = p
                .pointer("/lead_agency/new")
                .and_then(Value::as_str)
                .and_then(|a| a.parse::<LeadAgency>().ok())
                .map(|a| a.label())
                .unwrap_or("none");
            (
                format!("Assigned to {who}; lead agency {agency}"),
                String::new(),
            )
        }
        Some(EventKind::Tolled) => (
            format!("All clocks paused from {}", s(p, "from")),
            s(p, "rationale").to_string(),
        ),
        Some(EventKind::Resumed) => {
            let days = p.get("paused_days").and_then(Value::as_i64).unwrap_or(0);
            (
                format!(
                    "Clocks resumed on {} after {days} paused day(s)",
                    s(p, "on")
                ),
                s(p, "rationale").to_string(),
            )
        }
        Some(EventKind::Extended) => (
            format!("Investigation extended to {}", s(p, "new")),
            s(p, "rationale").to_string(),
        ),
        Some(EventKind::DecisionRecorded) => {
            let list: Vec<String> = p
                .get("conditions")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|c| match c.get("due").and_then(Value::as_str) {
                            Some(d) => format!("{} (due {d})", s(c, "text")),
                            None => s(c, "text").to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                format!("{} with {} condition(s)", s(p, "decision"), list.len()),
                list.join("; "),
            )
        }
        Some(EventKind::ConditionUpdated) => (
            format!("Condition now {}", s(p, "new")),
            s(p, "condition").to_string(),
        ),
        Some(EventKind::AttachmentAdded) => {
            let size = p.get("size").and_then(Value::as_i64).unwrap_or(0);
            (
                format!(
                    "{} attached ({})",
                    s(p, "name"),
                    crate::service::attachments::human_size(size)
                ),
                format!("SHA-256 {}", s(p, "sha256")),
            )
        }
        Some(EventKind::Exported) => {
            let what = match s(p, "format") {
                "json" => "Exported as JSON".to_string(),
                "csv" => "Timeline exported as CSV".to_string(),
                "print" => "Dossier opened for printing".to_string(),
                "pdf" => "Dossier downloaded as PDF".to_string(),
                "attachment" => format!("{} downloaded", s(p, "name")),
                other => format!("Exported ({other})"),
            };
            let via = match s(p, "via") {
                "web" => "From the case page.",
                "api" => "Through the API.",
                "command line" => "From the command line.",
                _ => "",
            };
            (what, via.to_string())
        }
        _ => (String::new(), p.to_string()),
    }
}

pub fn timeline(events: &[ChainedEvent]) -> Vec<TimelineItem> {
    events
        .iter()
        .rev()
        .map(|e| {
            let (title, detail) = summarise(e);
            TimelineItem {
                seq: e.body.seq,
                at: e
                    .body
                    .at
                    .replace('T', " ")
                    .trim_end_matches('Z')
                    .to_string(),
                actor: e.body.actor.clone(),
                kind: kind_label(&e.body.kind),
                title,
                detail,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn money_and_times_read_naturally() {
        assert_eq!(money(Some(1_500_000)), "$1,500,000");
        assert_eq!(money(Some(999)), "$999");
        assert_eq!(money(Some(-1_000)), "-$1,000");
        assert_eq!(money(None), "—");
        assert_eq!(when("2026-11-29T06:21:54Z"), "2026-11-29 06:21 UTC");
        assert_eq!(when("garbled"), "garbled");
    }

    #[test]
    fn days_left_reads_naturally() {
        assert_eq!(days_text(d("2025-03-10"), d("2025-03-10")).0, "due today");
        assert_eq!(days_text(d("2025-03-11"), d("2025-03-10")).0, "1 day left");
        assert_eq!(
            days_text(d("2025-03-09"), d("2025-03-10")),
            ("1 day overdue".into(), "overdue")
        );
        assert_eq!(
            days_text(d("2025-03-07"), d("2025-03-10")).0,
            "3 days overdue"
        );
        assert_eq!(
            days_text(d("2025-04-24"), d("2025-03-10")),
            ("45 days left".into(), "due-later")
        );
    }
}
