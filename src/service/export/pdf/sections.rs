//! The dossier's sections, in words: the cover, facts, parties, screening, decisions,
//! deadlines, conditions, the timeline, the attachment manifest and the history. Each says what
//! goes on the page and leaves where it goes to `Layout`.

use super::layout::Layout;
use super::words::{country, dollars, named, opt_named, or, or_dash, stamp, summary};
use super::{BODY, H1, KICKER, STRONG, TITLE};
use crate::domain::history::ChainedEvent;
use crate::domain::report::{LeadAgency, PartyRole, Source, TxKind};
use crate::domain::screening::Screening;
use crate::domain::workflow::{Outcome, State};
use crate::maps::case_map::CaseMap;
use crate::service::attachments::human_size;
use crate::service::export::json::CaseExport;

pub(super) fn cover(l: &mut Layout<'_>, doc: &CaseExport) {
    let c = &doc.case;
    l.para(KICKER, "CORDON · CASE DOSSIER");
    l.para(H1, &c.reference);
    l.para(TITLE, &c.title);
    l.gap(6.0);
    let risk = match (c.risk_score, &c.risk_band) {
        (Some(s), Some(b)) => format!("{s} ({b})"),
        (Some(s), None) => s.to_string(),
        _ => "not scored".into(),
    };
    let screening = doc.screening.as_ref().map_or("not screened".into(), |s| {
        format!("{} (rules {})", s.jurisdiction.label(), s.rules_version)
    });
    let received = match &c.created_by {
        Some(by) => format!("{} by {by}", c.received_on),
        None => c.received_on.to_string(),
    };
    let chain = match (&doc.chain.head, doc.chain.verified) {
        (Some(h), true) => h.clone(),
        (None, true) => "no events".into(),
        (_, false) => format!(
            "DOES NOT VERIFY: {}",
            doc.chain
                .broken
                .as_deref()
                .unwrap_or("the stored chain is broken")
        ),
    };
    l.grid(&[
        (
            "State",
            format!("{} since {}", named(&c.state, State::label), c.state_since),
            false,
        ),
        (
            "Outcome",
            opt_named(&c.outcome, Outcome::label, "open"),
            false,
        ),
        ("Risk", risk, false),
        ("Screening", screening, false),
        ("Source", named(&c.source, Source::label), false),
        ("Received", received, false),
        ("Assignee", or(&c.assignee, "unassigned"), false),
        (
            "Lead agency",
            opt_named(&c.lead_agency, LeadAgency::label, "none"),
            false,
        ),
        (
            "Exported",
            format!("{} by {}", stamp(&doc.exported_at), doc.exported_by),
            false,
        ),
        ("Events", doc.chain.events.to_string(), false),
        ("Chain head", chain, true),
    ]);
}

pub(super) fn facts(l: &mut Layout<'_>, doc: &CaseExport) {
    let (c, t, p) = (&doc.case, &doc.case.transaction, &doc.case.property);
    l.section("Facts");
    if !c.summary.trim().is_empty() {
        l.para(BODY, &c.summary);
        l.gap(4.0);
    }
    let yes = |b: bool| if b { "yes" } else { "no" };
    let r = &t.rights;
    let flags: Vec<&str> = [
        (p.urban_area, "urban area"),
        (p.single_housing_unit, "single housing unit"),
        (p.in_port, "in a port"),
        (p.commercial_office, "commercial office space"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    l.grid(&[
        ("Transaction", named(&t.kind, TxKind::label), false),
        ("Date", t.date.map_or("—".into(), |d| d.to_string()), false),
        ("Value", t.value_usd.map_or("—".into(), dollars), false),
        (
            "Power",
            t.power_mw.map_or("—".into(), |mw| format!("{mw} MW")),
            false,
        ),
        (
            "Rights",
            format!(
                "access {}, exclude {}, improve {}, affix {}",
                yes(r.access),
                yes(r.exclude),
                yes(r.improve),
                yes(r.affix)
            ),
            true,
        ),
        ("Intended use", or_dash(&t.intended_use), true),
        ("Location", format!("{}, {}", p.lat, p.lon), false),
        (
            "State / county",
            format!(
                "{} / {}",
                p.state.as_deref().unwrap_or("—"),
                p.county_fips.as_deref().unwrap_or("—")
            ),
            false,
        ),
        ("Address", or_dash(&p.address), true),
        (
            "Acreage",
            p.acreage.map_or("—".into(), |a| format!("{a} acres")),
            false,
        ),
        (
            "Flags",
            if flags.is_empty() {
                "none".into()
            } else {
                flags.join(", ")
            },
            false,
        ),
    ]);
}

pub(super) fn parties(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.parties.is_empty() {
        return l.empty_section("Parties", "none recorded");
    }
    l.section("Parties");
    let rows: Vec<Vec<String>> = doc
        .parties
        .iter()
        .map(|p| {
            let mut gov = Vec::new();
            if p.government_controlled {
                gov.push("government-controlled");
            }
            if p.state_owned {
                gov.push("state-owned");
            }
            vec![
                p.key.clone(),
                p.name.clone(),
                country(&p.country),
                named(&p.role, PartyRole::label),
                p.owns.clone().unwrap_or_else(|| "—".into()),
                p.ownership_pct.map_or("—".into(), |s| format!("{s}%")),
                if gov.is_empty() {
                    "no".into()
                } else {
                    gov.join(", ")
                },
            ]
        })
        .collect();
    l.table(
        &[
            ("Key", 0.06),
            ("Name", 0.29),
            ("Country", 0.15),
            ("Role", 0.13),
            ("Owns", 0.07),
            ("Share", 0.08),
            ("Government / state-owned", 0.22),
        ],
        &rows,
    );
}

pub(super) fn screening(l: &mut Layout<'_>, s: &Screening, map: Option<&CaseMap>) {
    l.section("Screening");
    l.para(
        STRONG,
        &format!(
            "{} · rules {} · sites in force on {}",
            s.jurisdiction.label(),
            s.rules_version,
            s.as_of
        ),
    );
    l.gap(2.0);
    for r in &s.reasons {
        l.bullet(r);
    }
    if let Some(m) = map {
        super::map::maps(l, m);
    }
    foreign_person(l, s);
    list(
        l,
        "Zones",
        s.zones.iter().map(|z| {
            format!(
                "{} ({}) — {}, {:.2} mi",
                z.site,
                z.kind.label(),
                z.zone.as_str().replace('_', " "),
                z.distance_mi
            )
        }),
    );
    list(
        l,
        "Nearest sites",
        s.nearest
            .iter()
            .map(|n| format!("{} ({}), {:.2} mi", n.site, n.kind.label(), n.distance_mi)),
    );
    list(
        l,
        "Watchlist hits",
        s.watchlist_hits.iter().map(|h| {
            format!(
                "{} ≈ {} ({}, {}; entry {}), score {:.2}",
                h.party, h.entry, h.list, h.program, h.entry_id, h.score
            )
        }),
    );
    risk(l, s);
    list(
        l,
        "State law",
        s.state_law.iter().map(|f| {
            let applies = if f.applies { "applies" } else { "flag only" };
            format!("{}: {} ({applies}) — {}", f.state, f.law, f.finding)
        }),
    );
}

fn foreign_person(l: &mut Layout<'_>, s: &Screening) {
    let f = &s.foreign_person;
    if !f.foreign {
        return l.empty_sub("Foreign person", "none on the buyer side");
    }
    l.sub("Foreign person");
    let countries: Vec<String> = f.countries.iter().map(|c| country(c)).collect();
    l.para(BODY, &format!("Countries: {}", countries.join(", ")));
    if !f.ultimate_owners.is_empty() {
        l.para(
            BODY,
            &format!("Ultimate owners: {}", f.ultimate_owners.join("; ")),
        );
    }
    for chain in &f.chain {
        l.bullet(chain);
    }
}

fn risk(l: &mut Layout<'_>, s: &Screening) {
    let r = &s.risk;
    l.sub("Risk");
    let mut line = format!(
        "Threat {} × vulnerability {} × consequence {} = {} ({})",
        r.threat,
        r.vulnerability,
        r.consequence,
        r.score,
        r.band.as_str()
    );
    if !r.overridden.is_empty() {
        line.push_str(&format!("; set by a reviewer: {}", r.overridden.join(", ")));
    }
    l.para(STRONG, &line);
    let factors = [
        ("Threat", &r.factors.threat),
        ("Vulnerability", &r.factors.vulnerability),
        ("Consequence", &r.factors.consequence),
    ];
    for (name, list) in factors {
        for f in list {
            l.bullet(&format!("{name} {:+}: {}", f.points, f.label));
        }
    }
}

/// A sub-heading and a bullet per item, or the sub-heading and "none".
fn list(l: &mut Layout<'_>, title: &str, items: impl Iterator<Item = String>) {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return l.empty_sub(title, "none");
    }
    l.sub(title);
    for item in items {
        l.bullet(&item);
    }
}

pub(super) fn hit_decisions(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.hit_decisions.is_empty() {
        return l.empty_section("Hit decisions", "none");
    }
    l.section("Hit decisions");
    for d in &doc.hit_decisions {
        l.bullet(&format!(
            "{} / entry {}: {} by {} at {} — {}",
            d.party,
            d.entry_id,
            d.decision,
            d.decided_by,
            stamp(&d.decided_at),
            d.rationale
        ));
    }
}

pub(super) fn deadlines(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.deadlines.is_empty() {
        return l.empty_section("Deadlines", "none");
    }
    l.section("Deadlines");
    let rows: Vec<Vec<String>> = doc
        .deadlines
        .iter()
        .map(|d| {
            let status = if d.open { "open" } else { "closed" };
            vec![
                d.label.clone(),
                d.starts.to_string(),
                d.due.to_string(),
                status.into(),
            ]
        })
        .collect();
    l.table(
        &[
            ("Deadline", 0.52),
            ("Starts", 0.16),
            ("Due", 0.16),
            ("Status", 0.16),
        ],
        &rows,
    );
}

pub(super) fn decisions(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.decisions.is_empty() {
        return l.empty_section("Decisions", "none recorded");
    }
    l.section("Decisions");
    for d in &doc.decisions {
        let mut text = d.decision.clone();
        if let Some(o) = &d.outcome {
            text.push_str(&format!(" ({})", named(o, Outcome::label)));
        }
        if let Some(e) = &d.effective {
            text.push_str(&format!(", effective {e}"));
        }
        text.push_str(&format!(
            " — {}, event #{} at {}",
            d.by,
            d.seq,
            stamp(&d.at)
        ));
        if let Some(r) = d.rationale.as_deref().filter(|r| !r.trim().is_empty()) {
            text.push_str(&format!(": {r}"));
        }
        l.bullet(&text);
    }
}

pub(super) fn conditions(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.conditions.is_empty() {
        return l.empty_section("Conditions", "none");
    }
    l.section("Conditions");
    let rows: Vec<Vec<String>> = doc
        .conditions
        .iter()
        .map(|c| {
            vec![
                c.kind.clone(),
                c.text.clone(),
                c.due.map_or("—".into(), |d| d.to_string()),
                c.status.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            ("Kind", 0.13),
            ("Condition", 0.57),
            ("Due", 0.15),
            ("Status", 0.15),
        ],
        &rows,
    );
}

pub(super) fn timeline(l: &mut Layout<'_>, events: &[ChainedEvent]) {
    if events.is_empty() {
        return l.empty_section("Timeline", "no events");
    }
    l.section("Timeline");
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.body.seq.to_string(),
                stamp(&e.body.at).trim_end_matches(" UTC").to_string(),
                e.body.actor.clone(),
                e.body.kind.replace('_', " "),
                summary(e),
            ]
        })
        .collect();
    l.table(
        &[
            ("#", 0.05),
            ("At (UTC)", 0.16),
            ("Actor", 0.13),
            ("Event", 0.14),
            ("Summary", 0.52),
        ],
        &rows,
    );
}

pub(super) fn attachments(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.attachments.is_empty() {
        return l.empty_section("Attachments", "none");
    }
    l.section("Attachments");
    let rows: Vec<Vec<String>> = doc
        .attachments
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                human_size(a.size),
                a.sha256.clone(),
                format!("{} at {}", a.uploaded_by, stamp(&a.uploaded_at)),
            ]
        })
        .collect();
    l.table(
        &[
            ("Name", 0.28),
            ("Size", 0.10),
            ("SHA-256", 0.36),
            ("Uploaded by", 0.26),
        ],
        &rows,
    );
}

pub(super) fn history(l: &mut Layout<'_>, doc: &CaseExport) {
    l.section("History");
    let n = match doc.chain.events {
        1 => "1 event".to_string(),
        n => format!("{n} events"),
    };
    match (&doc.chain.head, doc.chain.verified) {
        (Some(head), true) => l.para(STRONG, &format!("{n}, chain head {head}")),
        (None, true) => l.para(STRONG, &n),
        (_, false) => l.para(
            STRONG,
            &format!(
                "{n}; the history does NOT verify: {}",
                doc.chain
                    .broken
                    .as_deref()
                    .unwrap_or("the stored chain is broken")
            ),
        ),
    }
    if let Some(sig) = &doc.signature {
        l.para(
            BODY,
            &format!(
                "Office export key: fingerprint {}. The JSON export of this case is signed with \
                 it; check one with `cordon verify --key` and the office's published keys \
                 (/.well-known/cordon-export-key).",
                crate::domain::signing::short_fingerprint(&sig.key_fingerprint)
            ),
        );
    }
    l.gap(2.0);
    l.para(
        BODY,
        &format!(
            "Each event carries the SHA-256 of its canonical form and the hash of the event \
             before it, so a changed, removed, reordered or inserted event breaks the chain. \
             To check this history, export the case as JSON and run `cordon verify {}.json`: it \
             recomputes every hash offline and prints the chain head, which must match the one \
             above.",
            doc.case.reference
        ),
    );
}
