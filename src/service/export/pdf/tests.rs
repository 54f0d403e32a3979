#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use chrono::NaiveDate;
use serde_json::json;

use super::words::{dollars, named, pairs, stamp, summary};
use super::*;
use crate::domain::history::{next_event, verify, ChainedEvent, EventKind};
use crate::domain::risk::{Band, Factor, Risk, RiskFactors};
use crate::domain::screening::{
    ForeignPerson, Jurisdiction, Nearest, Screening, SiteKind, StateLawFinding, WatchHit, Zone,
    ZoneHit,
};
use crate::domain::workflow::State;
use crate::service::export::json::{
    ConditionJson, ExportedAttachment, ExportedCase, ExportedChain, ExportedDeadline,
    ExportedDecision, ExportedHitDecision, PartyJson, PropertyJson, RightsJson, TransactionJson,
};

const REFERENCE: &str = "CFN-2024-00017";
const CASE_TITLE: &str = "MineOne purchase near F.E. Warren AFB";
const LONG_WORD_LEN: usize = 600;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A history of `n` events, cycling through kinds and hostile text.
fn history_of(n: usize) -> Vec<ChainedEvent> {
    let hostile = [
        "<script>alert(1)</script>".to_string(),
        "w".repeat(LONG_WORD_LEN),
        "收购方：北京某某科技有限公司 (parent) 与 MineOne".to_string(),
        r#"Quotes "double" and 'single', a backslash \ and two \\, (parens) % <>"#.to_string(),
        "line one\nline two\r\nline three\ttabbed\n\n\n\nafter blank lines".to_string(),
    ];
    let mut v: Vec<ChainedEvent> = Vec::new();
    for i in 0..n {
        let (kind, payload) = match i % 6 {
            0 if i == 0 => (
                EventKind::Created,
                json!({"title": CASE_TITLE, "source": "media"}),
            ),
            0 | 1 => (
                EventKind::Commented,
                json!({"body": hostile[i % hostile.len()]}),
            ),
            2 => (
                EventKind::Transitioned,
                json!({"from": "lead", "to": "screening", "action": "Screen",
                       "rationale": format!("Step {i}: {}", hostile[(i / 6) % hostile.len()]),
                       "effective": "2024-02-01"}),
            ),
            3 => (
                EventKind::Screened,
                json!({"jurisdiction": "covered", "risk": {"score": 60, "band": "high"},
                       "zones": ["F.E. Warren AFB: close proximity"], "watchlist_hits": 1,
                       "rules_version": "2024.1", "as_of": "2022-06-01"}),
            ),
            4 => (
                EventKind::Edited,
                json!({"changes": [{"field": "title", "old": null, "new": "x"}],
                       "note": hostile[(i / 6 + 1) % hostile.len()]}),
            ),
            _ => (EventKind::Exported, json!({"format": "pdf", "via": "web"})),
        };
        let at = format!(
            "2024-{:02}-{:02}T10:{:02}:00Z",
            1 + i / 28 % 12,
            1 + i % 28,
            i % 60
        );
        let e = next_event(REFERENCE, v.last(), at, "analyst", kind, payload);
        v.push(e);
    }
    v
}

/// A case with nothing but its facts and its events.
fn bare(events: Vec<ChainedEvent>) -> CaseExport {
    let head = verify(REFERENCE, &events).ok();
    CaseExport {
        format: "cordon-case-export",
        format_version: 1,
        exported_at: "2024-06-01T12:00:00Z".into(),
        exported_by: "chair".into(),
        case: ExportedCase {
            id: 17,
            reference: REFERENCE.into(),
            title: CASE_TITLE.into(),
            source: "media".into(),
            summary: "Press reports a purchase of land for a crypto mine.".into(),
            transaction: TransactionJson {
                kind: "purchase".into(),
                date: Some(day("2022-06-01")),
                value_usd: Some(1_250_000),
                rights: RightsJson {
                    access: true,
                    exclude: true,
                    improve: true,
                    affix: true,
                },
                intended_use: "cryptocurrency mining".into(),
                power_mw: Some(12.5),
            },
            property: PropertyJson {
                lat: 41.1333,
                lon: -104.8,
                address: "North Range Business Park, Cheyenne, WY".into(),
                state: Some("WY".into()),
                county_fips: Some("56021".into()),
                acreage: Some(12.0),
                urban_area: false,
                single_housing_unit: false,
                in_port: false,
                commercial_office: false,
            },
            state: "screening".into(),
            outcome: None,
            state_since: day("2024-02-01"),
            assignee: None,
            lead_agency: None,
            received_on: day("2024-01-15"),
            created_by: Some("analyst".into()),
            created_at: "2024-01-15T09:00:00Z".into(),
            updated_at: "2024-02-01T10:00:00Z".into(),
            version: 3,
            tolled_since: None,
            extension_used: false,
            filing_number: 0,
            risk_score: None,
            risk_band: None,
        },
        parties: Vec::new(),
        ftm: Vec::new(),
        screening: None,
        hit_decisions: Vec::new(),
        deadlines: Vec::new(),
        decisions: Vec::new(),
        conditions: Vec::new(),
        attachments: Vec::new(),
        chain: ExportedChain {
            verified: head.is_some(),
            events: events.len(),
            head,
            broken: None,
        },
        events,
        signature: None,
    }
}

fn party(key: &str, name: &str, country: &str, role: &str, owns: Option<&str>) -> PartyJson {
    PartyJson {
        key: key.into(),
        name: name.into(),
        country: country.into(),
        role: role.into(),
        ownership_pct: owns.map(|_| 100.0),
        owns: owns.map(Into::into),
        government_controlled: false,
        state_owned: country == "CN",
    }
}

fn screening_of_mineone() -> Screening {
    let factor = |label: &str, points: i32| Factor {
        label: label.into(),
        points,
    };
    Screening {
        jurisdiction: Jurisdiction::Covered,
        reasons: vec![
            "Covered real estate transaction under 31 CFR 802.212.".into(),
            "A foreign person (CN) holds the acquirer through MineOne Partners Ltd (VG).".into(),
            "The property lies within 1 mile of F.E. Warren AFB (Appendix A part 2).".into(),
        ],
        foreign_person: ForeignPerson {
            foreign: true,
            countries: vec!["CN".into(), "VG".into()],
            ultimate_owners: vec!["PRC nationals (undisclosed) (CN)".into()],
            chain: vec![
                "MineOne Wyoming Data Center LLC (US) ← MineOne Partners Ltd (VG) ← PRC \
                 nationals (undisclosed) (CN)"
                    .into(),
            ],
        },
        zones: vec![ZoneHit {
            site_id: 1,
            site: "F.E. Warren AFB".into(),
            kind: SiteKind::Military,
            zone: Zone::CloseProximity,
            distance_mi: 0.98,
        }],
        nearest: vec![Nearest {
            site_id: 1,
            site: "F.E. Warren AFB".into(),
            kind: SiteKind::Military,
            distance_mi: 0.98,
        }],
        watchlist_hits: vec![WatchHit {
            party: "MineOne Partners Ltd".into(),
            party_key: "p2".into(),
            entry_id: 7,
            entry: "MINEONE PARTNERS LIMITED".into(),
            list: "SDN".into(),
            program: "CMIC".into(),
            score: 0.93,
        }],
        risk: Risk {
            threat: 4,
            vulnerability: 3,
            consequence: 5,
            score: 60,
            band: Band::High,
            factors: RiskFactors {
                threat: vec![factor("Base", 1), factor("CN is a tier 1 country", 3)],
                vulnerability: vec![factor("Within 1 mile of an installation", 3)],
                consequence: vec![factor("ICBM field support base", 5)],
            },
            overridden: Vec::new(),
        },
        state_law: vec![StateLawFinding {
            state: "WY".into(),
            law: "Wyo. Stat. 34-15-101".into(),
            applies: false,
            finding: "Flag only: the buyer's principal country is not stated.".into(),
        }],
        rules_version: "2024.1".into(),
        as_of: day("2022-06-01"),
    }
}

/// MineOne: 3 parties, a screening, 2 conditions, 3 attachments and 250 events.
fn mineone() -> CaseExport {
    let mut doc = bare(history_of(250));
    doc.case.state = "monitoring".into();
    doc.case.assignee = Some("analyst".into());
    doc.case.lead_agency = Some("treasury".into());
    doc.case.risk_score = Some(60);
    doc.case.risk_band = Some("high".into());
    doc.parties = vec![
        party(
            "p1",
            "MineOne Wyoming Data Center LLC",
            "US",
            "acquirer",
            None,
        ),
        party("p2", "MineOne Partners Ltd", "VG", "parent", Some("p1")),
        party(
            "p3",
            "北京某某科技有限公司",
            "CN",
            "ultimate_parent",
            Some("p2"),
        ),
    ];
    doc.screening = Some(screening_of_mineone());
    doc.hit_decisions = vec![ExportedHitDecision {
        party: "p2".into(),
        entry_id: 7,
        decision: "confirmed".into(),
        rationale: "Same registration number.".into(),
        decided_by: "chair".into(),
        decided_at: "2024-03-01T10:00:00Z".into(),
    }];
    doc.deadlines = vec![ExportedDeadline {
        kind: "triage".into(),
        label: "Triage".into(),
        starts: day("2024-01-15"),
        due: day("2024-02-14"),
        open: false,
    }];
    doc.decisions = vec![ExportedDecision {
        seq: 200,
        at: "2024-05-13T15:00:00Z".into(),
        by: "chair".into(),
        decision: "Prohibition ordered".into(),
        outcome: None,
        effective: Some("2024-05-13".into()),
        rationale: Some("Order of 13 May 2024".into()),
    }];
    doc.conditions = ["Divest the property within 120 days.", &"x".repeat(700)]
        .iter()
        .enumerate()
        .map(|(i, text)| ConditionJson {
            id: i64::try_from(i).unwrap(),
            kind: "order".into(),
            text: (*text).into(),
            due: Some(day("2024-09-10")),
            status: "open".into(),
        })
        .collect();
    doc.attachments = ["order.pdf", "deed <script>.pdf", "合同.pdf"]
        .iter()
        .enumerate()
        .map(|(i, name)| ExportedAttachment {
            id: i64::try_from(i).unwrap(),
            name: (*name).into(),
            content_type: "application/pdf".into(),
            size: 48_213 * (i64::try_from(i).unwrap() + 1),
            sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            uploaded_by: "analyst".into(),
            uploaded_at: "2024-02-02T11:00:00Z".into(),
        })
        .collect();
    doc
}

fn parse(bytes: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(bytes).unwrap()
}

fn page_text(pdf: &lopdf::Document, page: u32) -> String {
    pdf.extract_text(&[page]).unwrap()
}

/// The M of the footer's "page N of M".
fn footer_total(text: &str, page: u32) -> usize {
    let marker = format!("page {page} of ");
    let at = text.find(&marker).unwrap() + marker.len();
    let digits: String = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

#[test]
fn a_full_dossier_loads_and_numbers_its_pages() {
    let bytes = render(&mineone()).unwrap();
    let pdf = parse(&bytes);
    let pages = pdf.get_pages().len();
    assert!(pages > 1, "{pages} pages");
    let first = page_text(&pdf, 1);
    assert_eq!(footer_total(&first, 1), pages);
    assert!(first.contains(REFERENCE), "{first}");
    assert!(first.contains(CASE_TITLE), "{first}");
    assert!(first.contains("chain head "), "{first}");
    let last = u32::try_from(pages).unwrap();
    let text = page_text(&pdf, last);
    assert_eq!(footer_total(&text, last), pages);
    let all = pdf.extract_text(&(1..=last).collect::<Vec<_>>()).unwrap();
    // Shown as text, never run; what the font cannot show prints as '?'.
    assert!(all.contains("<script>alert(1)</script>"));
    assert!(all.contains("??????????"), "a Chinese name becomes '?'s");
    assert!(!all.contains('收'));
}

#[test]
fn a_minimal_dossier_is_one_page() {
    let mut doc = bare(history_of(1));
    doc.case.summary = String::new();
    let pdf = parse(&render(&doc).unwrap());
    assert_eq!(pdf.get_pages().len(), 1);
    let text = page_text(&pdf, 1);
    assert_eq!(footer_total(&text, 1), 1);
    assert!(text.contains("not screened"), "{text}");
}

#[test]
fn a_broken_chain_is_named_in_every_footer() {
    let mut doc = mineone();
    doc.chain = ExportedChain {
        verified: false,
        events: doc.events.len(),
        head: None,
        broken: Some("event 17: its content does not match its hash (it was changed)".into()),
    };
    let pdf = parse(&render(&doc).unwrap());
    let text = page_text(&pdf, 2);
    assert!(text.contains("chain broken at event 17"), "{text}");
    assert!(!text.contains("chain head"));
}

#[test]
fn nothing_runs_off_the_page_and_no_page_ends_on_a_heading() {
    let fonts = Fonts::load().unwrap();
    let pages = lay_out(&mineone(), &fonts, None);
    for (n, ops) in pages.iter().enumerate() {
        let mut last_y = 0.0_f32;
        let mut last_line: Vec<Style> = Vec::new();
        for op in ops {
            let Op::Text { x, y, style, text } = op else {
                continue;
            };
            let right = x + fonts.width(*style, text);
            assert!(*x >= LEFT - 0.01, "page {n}: {text:?} starts at {x}");
            assert!(
                right <= LEFT + WIDTH + 0.01,
                "page {n}: {text:?} ends at {right}"
            );
            if *y == HEADER_BASELINE || *y == FOOTER_BASELINE {
                continue;
            }
            assert!(*y > TOP && *y < BOTTOM, "page {n}: {text:?} at y {y}");
            if *y > last_y + 0.01 {
                last_y = *y;
                last_line.clear();
            }
            if (*y - last_y).abs() < 0.01 {
                last_line.push(*style);
            }
        }
        let headings_only = last_line.iter().all(|s| *s == H2 || *s == H3);
        assert!(!headings_only, "page {n} ends on a heading");
    }
}

#[test]
fn long_words_break_to_the_width_and_line_breaks_are_kept() {
    let fonts = Fonts::load().unwrap();
    let word = "w".repeat(LONG_WORD_LEN);
    let lines = fonts.wrap(BODY, &format!("before {word} after"), 200.0);
    assert!(lines.len() > 3);
    assert!(lines.iter().all(|l| fonts.width(BODY, l) <= 200.0));
    assert_eq!(lines.concat().matches('w').count(), LONG_WORD_LEN);
    let fitted = fonts.fit(SMALL, &word, 100.0);
    assert!(fitted.ends_with('…') && fonts.width(SMALL, &fitted) <= 100.0);
    let lines = fonts.wrap(BODY, "a\r\nb\n\n\n\nc\u{7}d\te", 200.0);
    assert_eq!(lines, ["a", "b", "", "cd e"]);
}

#[test]
fn characters_the_font_lacks_print_as_a_question_mark() {
    let fonts = Fonts::load().unwrap();
    assert_eq!(fonts.regular.glyph('中').1, '?');
    assert_eq!(fonts.regular.glyph('é').1, 'é');
    assert_eq!(fonts.bold.glyph('Ж').1, 'Ж');
    assert_eq!(fonts.regular.glyph('\u{1F600}').1, '?');
}

#[test]
fn words_read_naturally() {
    assert_eq!(dollars(1_250_000), "$1,250,000");
    assert_eq!(dollars(999), "$999");
    assert_eq!(dollars(-1_000), "−$1,000");
    assert_eq!(stamp("2024-05-13T15:00:00Z"), "2024-05-13 15:00:00 UTC");
    assert_eq!(named("filing_requested", State::label), "Filing requested");
    assert_eq!(named("odd_value", State::label), "Odd value");
    let e = next_event(
        REFERENCE,
        None,
        "2024-01-01T00:00:00Z".into(),
        "chair",
        EventKind::Transitioned,
        json!({"from": "lead", "to": "screening", "rationale": "Press\nreport"}),
    );
    assert_eq!(summary(&e), "Lead → Screening: Press report");
    let payload = json!({"changes": [{"field": "title", "old": null, "new": "x"}], "n": 2});
    assert_eq!(
        pairs(&payload),
        "changes: (field: title, new: x, old: —); n: 2"
    );
}
