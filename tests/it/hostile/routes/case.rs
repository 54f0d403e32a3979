//! The hostile requests of a case's forms: transitions, risk, watchlist hits, comments,
//! assignment, clocks, conditions and attachments.

use super::super::payloads::{BAD_DATES, BAD_NUMBERS, CONTROL, RLO, SCRIPT, SQL};
use super::super::probe::Probe;
use super::{multipart, multipart_type, Ids};

pub(super) fn action(
    path: String,
    what: &str,
    fields: &[(&str, &str)],
    version: i64,
    expect: &'static [u16],
) -> Probe {
    let v = version.to_string();
    let mut all = fields.to_vec();
    if !all.iter().any(|(k, _)| *k == "version") {
        all.push(("version", &v));
    }
    Probe::post(what.to_string(), path)
        .form(&all)
        .refused(expect)
}

pub(super) fn transition(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/transition");
    let mut out = vec![
        action(
            p.clone(),
            "markup as the move",
            &[("to", SCRIPT), ("rationale", "r")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "an unknown outcome",
            &[("to", "closed:bogus"), ("rationale", "r")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a chair's move from the wrong state",
            &[("to", "closed:not_covered"), ("rationale", "r")],
            v,
            &[403, 422],
        ),
        action(
            p.clone(),
            "control characters in the rationale",
            &[("to", "screening"), ("rationale", CONTROL)],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a right-to-left override in the rationale",
            &[("to", "screening"), ("rationale", RLO)],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a rationale over the limit",
            &[("to", "screening"), ("rationale", &"r".repeat(6000))],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a future effective date",
            &[
                ("to", "screening"),
                ("rationale", "r"),
                ("effective", "2999-01-01"),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "conditions on a move that takes none",
            &[
                ("to", "screening"),
                ("rationale", "r"),
                ("conditions_text", "Sell the lot"),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a condition with an impossible date",
            &[
                ("to", "screening"),
                ("rationale", "r"),
                ("conditions_text", "2024-13-45: x"),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a stale version",
            &[("to", "screening"), ("rationale", SCRIPT)],
            v - 1,
            &[409],
        ),
        action(
            p.clone(),
            "a version of nonsense",
            &[("to", "screening"), ("rationale", "r"), ("version", "1e3")],
            v,
            &[400, 409, 422],
        ),
        action(
            p.clone(),
            "no version",
            &[("to", "screening"), ("rationale", "r"), ("version", "")],
            v,
            &[400, 409, 422],
        ),
        action(
            p.clone(),
            "duplicated moves",
            &[("to", "screening"), ("to", "inquiry"), ("rationale", "r")],
            v,
            &[400, 422],
        ),
    ];
    for d in BAD_DATES.iter().take(4) {
        out.push(action(
            p.clone(),
            &format!("effective {d}"),
            &[("to", "screening"), ("rationale", "r"), ("effective", d)],
            v,
            &[422],
        ));
    }
    out
}

pub(super) fn risk(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/risk");
    let mut out = vec![
        action(
            p.clone(),
            "markup as the factor",
            &[("factor", SCRIPT), ("value", "3"), ("rationale", "r")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "control characters in the rationale",
            &[("factor", "threat"), ("value", "3"), ("rationale", CONTROL)],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a score of 6",
            &[("factor", "threat"), ("value", "6"), ("rationale", "r")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a stale version",
            &[("factor", "threat"), ("value", "3"), ("rationale", "r")],
            v - 1,
            &[409],
        ),
    ];
    for n in BAD_NUMBERS.iter().take(7) {
        out.push(action(
            p.clone(),
            &format!("score {n}"),
            &[("factor", "threat"), ("value", n), ("rationale", "r")],
            v,
            &[422],
        ));
    }
    out
}

pub(super) fn hits(ids: &Ids) -> Vec<Probe> {
    let (party, entry) = &ids.fx.hit;
    let entry = entry.to_string();
    let p = format!("/cases/{}/hits", ids.fx.lead);
    let v = ids.v_lead;
    vec![
        action(
            p.clone(),
            "an entry that is not a number",
            &[
                ("party", party),
                ("entry_id", "abc"),
                ("decision", "confirm"),
                ("rationale", "r"),
            ],
            v,
            &[404],
        ),
        action(
            p.clone(),
            "a party that is not on the case",
            &[
                ("party", SCRIPT),
                ("entry_id", &entry),
                ("decision", "confirm"),
                ("rationale", "r"),
            ],
            v,
            &[404],
        ),
        action(
            p.clone(),
            "control characters in the rationale",
            &[
                ("party", party),
                ("entry_id", &entry),
                ("decision", "confirm"),
                ("rationale", CONTROL),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a right-to-left override in the rationale",
            &[
                ("party", party),
                ("entry_id", &entry),
                ("decision", "dismiss"),
                ("rationale", RLO),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a rationale of 20,000 characters",
            &[
                ("party", party),
                ("entry_id", &entry),
                ("decision", "confirm"),
                ("rationale", &"r".repeat(20_000)),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "no rationale",
            &[
                ("party", party),
                ("entry_id", &entry),
                ("decision", "confirm"),
                ("rationale", "  "),
            ],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "markup as the decision, stale",
            &[
                ("party", party),
                ("entry_id", &entry),
                ("decision", SCRIPT),
                ("rationale", "r"),
            ],
            v - 1,
            &[409],
        ),
    ]
}

pub(super) fn comment(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/comment");
    let mut out: Vec<Probe> = [CONTROL, RLO, "x\u{1}y"]
        .iter()
        .map(|t| {
            action(
                p.clone(),
                &format!("comment {t:?}"),
                &[("body", t)],
                v,
                &[422],
            )
        })
        .collect();
    out.push(action(
        p.clone(),
        "a comment over the limit",
        &[("body", &"c".repeat(20_000))],
        v,
        &[422],
    ));
    out.push(action(
        p.clone(),
        "an empty comment",
        &[("body", " \t ")],
        v,
        &[422],
    ));
    out.push(action(
        p.clone(),
        "markup, stale",
        &[("body", SCRIPT)],
        v - 1,
        &[409],
    ));
    out.push(action(
        p.clone(),
        "markup, with a version of -1",
        &[("body", SCRIPT), ("version", "-1")],
        v,
        &[409],
    ));
    out.push(action(
        p.clone(),
        "no version",
        &[("body", "hello"), ("version", "")],
        v,
        &[409, 422],
    ));
    out.push(
        action(
            p.clone(),
            "multi-line text with NUL escaped",
            &[("body", "=line%0D%0Anext%00")],
            v,
            &[400],
        )
        .by_all(&[400]),
    );
    out
}

pub(super) fn assign(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/assign");
    vec![
        action(
            p.clone(),
            "markup as the assignee",
            &[("assignee", SCRIPT)],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "an observer as the assignee",
            &[("assignee", "observer1")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "SQL as the agency",
            &[("assignee", ""), ("lead_agency", SQL)],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a stale version",
            &[("assignee", "reviewer1")],
            v - 1,
            &[409],
        ),
    ]
}

pub(super) fn toll(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/toll");
    let mut out = vec![
        action(
            p.clone(),
            "control characters in the rationale",
            &[("from", ""), ("rationale", CONTROL)],
            v,
            &[422],
        ),
        action(p.clone(), "no rationale", &[("from", "")], v, &[422]),
        action(
            p.clone(),
            "a stale version",
            &[("from", ""), ("rationale", "Lapse")],
            v - 1,
            &[409],
        ),
        action(
            p.clone(),
            "a day long before the case",
            &[("from", "1900-01-01"), ("rationale", "Lapse")],
            v,
            &[422],
        ),
    ];
    for d in BAD_DATES.iter().take(6) {
        out.push(action(
            p.clone(),
            &format!("from {d}"),
            &[("from", d), ("rationale", "Lapse")],
            v,
            &[422],
        ));
    }
    out
}

pub(super) fn resume(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/resume");
    vec![
        action(
            p.clone(),
            "clocks that run",
            &[("on", ""), ("rationale", "Back")],
            v,
            &[409],
        ),
        action(
            p.clone(),
            "an impossible day",
            &[("on", "2024-02-30"), ("rationale", "Back")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "control characters in the rationale",
            &[("on", ""), ("rationale", CONTROL)],
            v,
            &[422],
        ),
    ]
}

pub(super) fn extend(id: i64, v: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/extend");
    vec![
        action(
            p.clone(),
            "a case that is not under investigation",
            &[("rationale", "Extraordinary")],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "control characters in the rationale",
            &[("rationale", CONTROL)],
            v,
            &[422],
        ),
        action(
            p.clone(),
            "a stale version",
            &[("rationale", "r")],
            v - 1,
            &[409],
        ),
    ]
}

pub(super) fn condition(ids: &Ids) -> Vec<Probe> {
    let fx = ids.fx;
    let own = format!("/cases/{}/conditions/{}", fx.monitored, fx.condition);
    vec![
        action(
            own.clone(),
            "markup as the status",
            &[("status", SCRIPT)],
            ids.v_mon,
            &[422],
        ),
        action(
            own.clone(),
            "a stale version",
            &[("status", "met")],
            ids.v_mon - 1,
            &[409],
        ),
        action(
            format!("/cases/{}/conditions/{}", fx.lead, fx.condition),
            "another case's condition",
            &[("status", "met")],
            ids.v_lead,
            &[404],
        ),
    ]
}

pub(super) fn attachments(id: i64) -> Vec<Probe> {
    let p = format!("/cases/{id}/attachments");
    let eleven: Vec<(&str, Option<&str>, &[u8])> = (0..11)
        .map(|_| ("files", Some("a.txt"), &b"x"[..]))
        .collect();
    vec![
        Probe::post("an empty file with a path-trick name", p.clone())
            .raw(
                Some(&multipart_type()),
                multipart(&[("files", Some("../../etc/passwd"), b"")]),
            )
            .refused(&[422]),
        Probe::post("no file at all", p.clone())
            .raw(
                Some(&multipart_type()),
                multipart(&[("note", None, SCRIPT.as_bytes())]),
            )
            .refused(&[422]),
        Probe::post("eleven files", p.clone())
            .raw(Some(&multipart_type()), multipart(&eleven))
            .refused(&[413, 422]),
        Probe::post("a form post, not multipart", p.clone())
            .form(&[("files", "x")])
            .refused(&[400, 415]),
        Probe::post("a broken multipart body", p.clone())
            .raw(Some(&multipart_type()), b"--nonsense\r\n\r\n".to_vec())
            .refused(&[400, 422]),
    ]
}
