//! Every row of the transition table, on a real database: allowed for its role, refused for the
//! role below, refused from every other state, and the four-eyes rule on final decisions.

use std::collections::VecDeque;

use cordon::domain::workflow::{State, Transition, WorkflowSettings, TRANSITIONS};
use cordon::domain::Role;
use cordon::service::clock::Now;
use cordon::service::workflow::TransitionInput;
use cordon::service::{self, ServiceError};

use crate::support::{each_backend, mineone_json, TestApp};

/// The shortest chain of moves from `lead` to `target`.
fn path_to(target: State) -> Vec<&'static Transition> {
    let mut queue = VecDeque::from([(State::Lead, Vec::new())]);
    let mut seen = vec![State::Lead];
    while let Some((s, path)) = queue.pop_front() {
        if s == target {
            return path;
        }
        for t in TRANSITIONS.iter().filter(|t| t.from == s) {
            if !seen.contains(&t.to) {
                seen.push(t.to);
                let mut p = path.clone();
                p.push(t);
                queue.push_back((t.to, p));
            }
        }
    }
    panic!("{target:?} unreachable from lead");
}

fn input(app: &TestApp, id: i64, t: &Transition) -> TransitionInput {
    TransitionInput {
        to: t.to,
        outcome: t.outcome,
        rationale: format!("{} (test)", t.label),
        effective: None,
        version: app.case(id).case.version,
        conditions: Vec::new(),
    }
}

fn attempt(app: &TestApp, by: &str, id: i64, t: &Transition) -> Result<i64, ServiceError> {
    let mut conn = app.conn();
    let principal = app.principal(by);
    service::workflow::transition(
        &mut conn,
        &principal,
        id,
        &input(app, id, t),
        &WorkflowSettings::default(),
        &Now::real(),
    )
}

/// A case logged by `logger`, driven by `driver` to `state`.
fn case_in(app: &TestApp, logger: &str, driver: &str, state: State) -> i64 {
    let id = app.report(logger, mineone_json());
    for t in path_to(state) {
        attempt(app, driver, id, t)
            .unwrap_or_else(|e| panic!("driving to {state:?} via {}: {e}", t.label));
    }
    assert_eq!(app.case(id).case.state, state.as_str());
    id
}

#[test]
fn every_table_row_is_allowed_for_its_role_and_refused_below_it() {
    each_backend(|app| {
        app.user("logger", Role::Reviewer);
        app.user("rev", Role::Reviewer);
        app.user("chair", Role::Chair);
        app.user("obs", Role::Observer);
        for t in TRANSITIONS {
            let id = case_in(app, "logger", "chair", t.from);
            let before = app.case(id);
            let below = if t.least == Role::Chair { "rev" } else { "obs" };
            match attempt(app, below, id, t) {
                Err(ServiceError::Forbidden(_)) => {}
                other => panic!("{} by {below}: {other:?}", t.label),
            }
            let unchanged = app.case(id);
            assert_eq!(unchanged.case.version, before.case.version, "{}", t.label);
            assert_eq!(unchanged.events.len(), before.events.len(), "{}", t.label);

            let by = if t.least == Role::Chair {
                "chair"
            } else {
                "rev"
            };
            attempt(app, by, id, t).unwrap_or_else(|e| panic!("{} by {by}: {e}", t.label));
            let after = app.case(id);
            assert_eq!(after.case.state, t.to.as_str(), "{}", t.label);
            assert_eq!(
                after.case.outcome.as_deref(),
                t.outcome.map(|o| o.as_str()),
                "{}",
                t.label
            );
            let last = after.events.last().unwrap();
            assert_eq!(last.body.kind, "transitioned");
            assert_eq!(last.body.payload["from"], t.from.as_str());
            assert_eq!(last.body.payload["to"], t.to.as_str());
            assert!(after.chain.is_ok());
        }
    });
}

#[test]
fn moves_from_any_other_state_are_refused() {
    each_backend(|app| {
        app.user("logger", Role::Reviewer);
        app.user("admin", Role::Admin);
        // One case per state; try every table row whose `from` is another state.
        for state in State::ALL {
            let id = case_in(app, "logger", "admin", *state);
            for t in TRANSITIONS.iter().filter(|t| t.from != *state) {
                // Rows that happen to exist from this state with the same target are not refusals.
                if TRANSITIONS
                    .iter()
                    .any(|r| r.from == *state && r.to == t.to && r.outcome == t.outcome)
                {
                    continue;
                }
                match attempt(app, "admin", id, t) {
                    Err(ServiceError::InvalidTransition(_)) => {}
                    other => panic!("{} from {state:?}: {other:?}", t.label),
                }
            }
            assert_eq!(app.case(id).case.state, state.as_str());
        }
    });
}

#[test]
fn the_logger_cannot_record_any_final_decision() {
    each_backend(|app| {
        app.user("chairlogger", Role::Chair);
        app.user("driver", Role::Chair);
        for t in TRANSITIONS.iter().filter(|t| t.is_final_decision()) {
            let id = case_in(app, "chairlogger", "driver", t.from);
            match attempt(app, "chairlogger", id, t) {
                Err(ServiceError::Forbidden(m)) => assert!(m.contains("four-eyes"), "{m}"),
                other => panic!("{}: {other:?}", t.label),
            }
        }
    });
}
