#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn case(state: State) -> CaseFacts<'static> {
    CaseFacts {
        state,
        created_by: "logger",
        state_since: d(2025, 1, 6),
    }
}

fn req(to: State, outcome: Option<Outcome>) -> Request<'static> {
    Request {
        to,
        outcome,
        rationale: "Because the facts say so.",
        effective: None,
        received: None,
    }
}

fn run(
    c: &CaseFacts<'_>,
    r: &Request<'_>,
    actor: &str,
    role: Role,
) -> Result<Plan, TransitionError> {
    plan(
        c,
        r,
        actor,
        role,
        d(2025, 3, 3),
        &Calendar::new([]),
        &WorkflowSettings::default(),
    )
}

#[test]
fn the_table_matches_product_section_4_1() {
    let targets = |s: State| -> Vec<String> {
        TRANSITIONS
            .iter()
            .filter(|t| t.from == s)
            .map(|t| match t.outcome {
                Some(o) => format!("closed:{o}"),
                None => t.to.as_str().to_string(),
            })
            .collect()
    };
    assert_eq!(targets(State::Lead), ["screening"]);
    assert_eq!(
        targets(State::Screening),
        [
            "inquiry",
            "declaration",
            "prefiling",
            "notice_submitted",
            "closed:not_covered",
            "closed:no_further_action"
        ]
    );
    assert_eq!(
        targets(State::Inquiry),
        [
            "filing_requested",
            "review",
            "closed:not_covered",
            "closed:no_further_action"
        ]
    );
    assert_eq!(
        targets(State::FilingRequested),
        ["declaration", "prefiling", "notice_submitted", "review"]
    );
    assert_eq!(
        targets(State::Declaration),
        [
            "closed:declaration_cleared",
            "closed:unable_to_conclude",
            "prefiling",
            "review",
            "withdrawn",
            "closed:rejected",
            "closed:not_covered"
        ]
    );
    assert_eq!(targets(State::Prefiling), ["notice_submitted", "withdrawn"]);
    assert_eq!(
        targets(State::NoticeSubmitted),
        ["review", "closed:rejected", "closed:not_covered"]
    );
    assert_eq!(
        targets(State::Review),
        [
            "investigation",
            "closed:cleared",
            "monitoring",
            "withdrawn",
            "closed:rejected",
            "closed:not_covered"
        ]
    );
    assert_eq!(
        targets(State::Investigation),
        ["presidential", "closed:cleared", "monitoring", "withdrawn"]
    );
    assert_eq!(
        targets(State::Presidential),
        ["closed:presidential_no_action", "divestiture"]
    );
    assert_eq!(
        targets(State::Withdrawn),
        ["review", "closed:abandoned", "monitoring"]
    );
    assert_eq!(
        targets(State::Monitoring),
        ["closed:mitigation_completed", "review"]
    );
    assert_eq!(targets(State::Divestiture), ["closed:divestiture_complete"]);
    assert_eq!(targets(State::Closed), ["review"]);
    // Only chairs close, clear with mitigation or order divestiture.
    for t in TRANSITIONS.iter().filter(|t| t.is_final_decision()) {
        assert_eq!(t.least, Role::Chair, "{t:?}");
    }
    // Reviewer moves, as the table marks them R.
    let reviewer: Vec<(State, State)> = TRANSITIONS
        .iter()
        .filter(|t| t.least == Role::Reviewer)
        .map(|t| (t.from, t.to))
        .collect();
    assert!(reviewer.contains(&(State::NoticeSubmitted, State::Review)));
    assert!(reviewer.contains(&(State::Withdrawn, State::Review)));
    assert!(!reviewer.contains(&(State::Inquiry, State::Review)));
}

#[test]
fn stored_names_round_trip() {
    for s in State::ALL {
        assert_eq!(s.as_str().parse::<State>(), Ok(*s));
    }
    for o in Outcome::ALL {
        assert_eq!(o.as_str().parse::<Outcome>(), Ok(*o));
    }
    assert!("Closed".parse::<State>().is_err());
}

#[test]
fn roles_are_enforced() {
    let err = run(
        &case(State::Screening),
        &req(State::Closed, Some(Outcome::NotCovered)),
        "rev",
        Role::Reviewer,
    );
    assert_eq!(
        err.unwrap_err(),
        TransitionError::Role { least: Role::Chair }
    );
    assert!(run(
        &case(State::Screening),
        &req(State::Closed, Some(Outcome::NotCovered)),
        "chair",
        Role::Chair
    )
    .is_ok());
    assert!(run(
        &case(State::Screening),
        &req(State::Closed, Some(Outcome::NotCovered)),
        "admin",
        Role::Admin
    )
    .is_ok());
    let err = run(
        &case(State::Lead),
        &req(State::Screening, None),
        "obs",
        Role::Observer,
    )
    .unwrap_err();
    assert!(err.is_forbidden());
}

#[test]
fn moves_outside_the_table_are_refused() {
    let err = run(
        &case(State::Lead),
        &req(State::Review, None),
        "chair",
        Role::Admin,
    )
    .unwrap_err();
    assert!(matches!(err, TransitionError::NotAllowed { .. }));
    // Closing needs the right outcome for the state.
    let err = run(
        &case(State::Screening),
        &req(State::Closed, Some(Outcome::Cleared)),
        "chair",
        Role::Chair,
    )
    .unwrap_err();
    assert!(matches!(err, TransitionError::NotAllowed { .. }));
    let err = run(
        &case(State::Screening),
        &req(State::Closed, None),
        "chair",
        Role::Chair,
    )
    .unwrap_err();
    assert!(matches!(err, TransitionError::NotAllowed { .. }));
    // And only closing has an outcome.
    let err = run(
        &case(State::Lead),
        &req(State::Screening, Some(Outcome::Cleared)),
        "r",
        Role::Reviewer,
    )
    .unwrap_err();
    assert!(matches!(err, TransitionError::NotAllowed { .. }));
}

#[test]
fn four_eyes_bars_the_logger_from_final_decisions_only() {
    let c = case(State::Review);
    let err = run(
        &c,
        &req(State::Closed, Some(Outcome::Cleared)),
        "logger",
        Role::Chair,
    )
    .unwrap_err();
    assert_eq!(err, TransitionError::FourEyes);
    assert!(run(&c, &req(State::Investigation, None), "logger", Role::Chair).is_ok());
    assert!(run(
        &c,
        &req(State::Closed, Some(Outcome::Cleared)),
        "other",
        Role::Chair
    )
    .is_ok());
    let off = WorkflowSettings {
        four_eyes: false,
        ..WorkflowSettings::default()
    };
    let p = plan(
        &c,
        &req(State::Closed, Some(Outcome::Cleared)),
        "logger",
        Role::Chair,
        d(2025, 3, 3),
        &Calendar::new([]),
        &off,
    );
    assert!(p.is_ok());
    let offered = available(&c, "logger", Role::Chair, &WorkflowSettings::default());
    assert!(offered.iter().all(|t| !t.is_final_decision()));
    assert!(offered.iter().any(|t| t.to == State::Investigation));
}

#[test]
fn rationale_and_effective_date_are_checked() {
    let c = case(State::Lead);
    let mut r = req(State::Screening, None);
    r.rationale = "   ";
    assert_eq!(
        run(&c, &r, "x", Role::Reviewer).unwrap_err(),
        TransitionError::MissingRationale
    );
    let long = "x".repeat(MAX_RATIONALE + 1);
    r.rationale = &long;
    assert_eq!(
        run(&c, &r, "x", Role::Reviewer).unwrap_err(),
        TransitionError::RationaleTooLong
    );
    let mut r = req(State::Screening, None);
    r.effective = Some(d(2025, 3, 4));
    assert_eq!(
        run(&c, &r, "x", Role::Reviewer).unwrap_err(),
        TransitionError::FutureEffective
    );
    r.effective = Some(d(2025, 1, 5));
    assert_eq!(
        run(&c, &r, "x", Role::Reviewer).unwrap_err(),
        TransitionError::EffectiveTooEarly(d(2025, 1, 6))
    );
    r.effective = Some(d(2025, 2, 3));
    assert_eq!(
        run(&c, &r, "x", Role::Reviewer).unwrap().effective,
        d(2025, 2, 3)
    );
    assert_eq!(
        run(&c, &req(State::Screening, None), "x", Role::Reviewer)
            .unwrap()
            .effective,
        d(2025, 3, 3),
        "defaults to today"
    );
}

#[test]
fn entering_a_state_starts_its_clock_from_the_effective_date() {
    let cal = Calendar::new([]);
    let s = WorkflowSettings::default();
    // Review from an agency notice on Mon 2025-03-03: day 1 is 03-03, day 45 is 04-16 (Wed).
    let k = entry_clock(State::Review, Entry::Normal, d(2025, 3, 3), &cal, &s).unwrap();
    assert_eq!(
        (k.kind, k.starts, k.due),
        (DeadlineKind::Review, d(2025, 3, 3), d(2025, 4, 16))
    );
    // An accepted notice on Fri 2025-02-28 starts the review Mon 03-03: same end.
    let k = entry_clock(
        State::Review,
        Entry::AcceptedNotice,
        d(2025, 2, 28),
        &cal,
        &s,
    )
    .unwrap();
    assert_eq!((k.starts, k.due), (d(2025, 3, 3), d(2025, 4, 16)));
    // Lead triage: 5 business days after Mon 2025-03-03 is Mon 03-10.
    let k = entry_clock(State::Lead, Entry::Normal, d(2025, 3, 3), &cal, &s).unwrap();
    assert_eq!(k.due, d(2025, 3, 10));
    // Presidential decision: 15 days from 2024-04-29 (day 1) is 2024-05-13.
    let k = entry_clock(State::Presidential, Entry::Normal, d(2024, 4, 29), &cal, &s).unwrap();
    assert_eq!(k.due, d(2024, 5, 13));
    assert!(entry_clock(State::Closed, Entry::Normal, d(2025, 3, 3), &cal, &s).is_none());
}

#[test]
fn party_submissions_count_from_the_business_day_they_are_received() {
    let cal = Calendar::new([]);
    let s = WorkflowSettings::default();
    let c = case(State::Screening);
    // Recorded on Saturday 2025-03-01 (today): received the next business day, Mon 03-03;
    // acceptance is due 10 business days later, Mon 03-17.
    let mut r = req(State::NoticeSubmitted, None);
    r.received = Some(d(2025, 3, 3));
    let p = plan(&c, &r, "x", Role::Reviewer, d(2025, 3, 1), &cal, &s).unwrap();
    assert_eq!(p.effective, d(2025, 3, 1));
    let k = p.deadline.unwrap();
    assert_eq!((k.starts, k.due), (d(2025, 3, 3), d(2025, 3, 17)));
    // Recorded after the fact on a Sunday: counts from Monday too.
    let mut r = req(State::Declaration, None);
    r.effective = Some(d(2025, 3, 2));
    let p = plan(&c, &r, "x", Role::Reviewer, d(2025, 3, 10), &cal, &s).unwrap();
    assert_eq!(p.deadline.unwrap().starts, d(2025, 3, 3));
    // Other states run from the effective date itself.
    let mut r = req(State::Inquiry, None);
    r.received = Some(d(2025, 3, 3));
    assert!(plan(&c, &r, "x", Role::Reviewer, d(2025, 3, 1), &cal, &s)
        .unwrap()
        .deadline
        .is_none());
}
