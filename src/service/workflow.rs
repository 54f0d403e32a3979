//! Moving cases through the review states, and the chair's clock controls: tolling, the
//! investigation extension, and decision conditions.

use chrono::NaiveDate;
use serde_json::json;

use super::auth::Principal;
use super::cases::{calendar, clock_json};
use super::clock::Now;
use super::{history, ServiceError};
use crate::db::cases::{CaseRow, StateChange};
use crate::db::{self, DbConn};
use crate::domain::history::EventKind;
use crate::domain::workflow::{
    self, CaseFacts, DeadlineKind, Entry, Outcome, State, TransitionError, WorkflowSettings,
};
use crate::domain::{text, Role, ValidationErrors};

impl From<TransitionError> for ServiceError {
    fn from(e: TransitionError) -> Self {
        if e.is_forbidden() {
            ServiceError::Forbidden(e.to_string())
        } else if matches!(e, TransitionError::NotAllowed { .. }) {
            ServiceError::InvalidTransition(e.to_string())
        } else {
            ServiceError::Validation(ValidationErrors::single(e.field(), e.to_string()))
        }
    }
}

/// A condition of a decision: mitigation terms, or a deadline of a presidential order.
#[derive(Clone, Debug)]
pub struct NewCondition {
    pub text: String,
    pub due: Option<NaiveDate>,
}

/// A requested transition, as forms and the API give it.
#[derive(Clone, Debug)]
pub struct TransitionInput {
    pub to: State,
    pub outcome: Option<Outcome>,
    pub rationale: String,
    pub effective: Option<NaiveDate>,
    pub version: i64,
    /// For clearing with mitigation or a prohibition order.
    pub conditions: Vec<NewCondition>,
}

/// The longest condition text.
pub const MAX_CONDITION: usize = 2000;

/// How many days before a case was received a pause of its clocks may start.
pub const MAX_TOLL_LEAD_DAYS: i64 = 365;

fn facts(case: &CaseRow) -> Result<(State, CaseFacts<'_>), ServiceError> {
    let state: State = case.state.parse().map_err(ServiceError::Internal)?;
    Ok((
        state,
        CaseFacts {
            state,
            created_by: case.created_by.as_deref().unwrap_or(""),
            state_since: case.state_since,
        },
    ))
}

fn load(conn: &mut DbConn, id: i64) -> Result<CaseRow, ServiceError> {
    db::cases::find(conn, id)?.ok_or(ServiceError::NotFound)
}

/// Loads a case that the caller saw at `version`: a later version means someone else changed
/// it first, which is said before anything else (the `claim` in the transaction still guards
/// against a change in between).
fn load_at(conn: &mut DbConn, id: i64, version: i64) -> Result<CaseRow, ServiceError> {
    let case = load(conn, id)?;
    if case.version != version {
        return Err(crate::db::DbError::StaleVersion.into());
    }
    Ok(case)
}

fn check_conditions(input: &TransitionInput) -> Result<(), ServiceError> {
    let mut errors = ValidationErrors::new();
    let takes = matches!(input.to, State::Monitoring | State::Divestiture);
    if !takes && !input.conditions.is_empty() {
        errors.add(
            "conditions",
            "Only clearing with mitigation or a prohibition order carries conditions.",
        );
    }
    if input.conditions.len() > 50 {
        errors.add("conditions", "At most 50 conditions.");
    }
    for (i, c) in input.conditions.iter().enumerate() {
        let n = c.text.chars().take(MAX_CONDITION + 1).count();
        if c.text.trim().is_empty() {
            errors.add(&format!("conditions[{i}].text"), "Describe the condition.");
        } else if n > MAX_CONDITION {
            errors.add(
                &format!("conditions[{i}].text"),
                format!("At most {MAX_CONDITION} characters."),
            );
        } else if let Err(m) = text::check_chars(&c.text, true) {
            errors.add(&format!("conditions[{i}].text"), m);
        }
    }
    errors.into_result(()).map_err(ServiceError::from)
}

/// Moves a case, starting the new state's clock and recording the event (and the decision's
/// conditions, if any). Returns the new version.
pub fn transition(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    input: &TransitionInput,
    ws: &WorkflowSettings,
    now: &Now,
) -> Result<i64, ServiceError> {
    let case = load_at(conn, id, input.version)?;
    let (from, case_facts) = facts(&case)?;
    let cal = calendar(conn)?;
    let req = workflow::Request {
        to: input.to,
        outcome: input.outcome,
        rationale: &input.rationale,
        effective: input.effective,
        received: Some(cal.received_on(now.at.and_utc())),
    };
    let plan = workflow::plan(
        &case_facts,
        &req,
        &by.username,
        by.role,
        now.today,
        &cal,
        ws,
    )?;
    check_conditions(input)?;
    let t = plan.transition;
    let filing_number = if t.entry == Entry::Refiled {
        case.filing_number + 1
    } else {
        case.filing_number
    };
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, input.version, now.at)?;
        db::cases::close_open_deadlines(conn, id, now.at)?;
        if let Some(k) = &plan.deadline {
            db::cases::insert_deadline(
                conn,
                id,
                k.kind.as_str(),
                k.kind.label(),
                k.starts,
                k.due,
                now.at,
            )?;
        }
        let kind = if t.to == State::Divestiture {
            "order"
        } else {
            "mitigation"
        };
        for c in &input.conditions {
            db::cases::insert_condition(conn, id, kind, c.text.trim(), c.due, now.at)?;
        }
        let change = StateChange {
            state: t.to.as_str(),
            outcome: t.outcome.map(Outcome::as_str),
            state_since: plan.effective,
            filing_number,
            // A new investigation may be extended again; otherwise keep what was used.
            extension_used: case.extension_used && t.to != State::Investigation,
        };
        db::cases::set_state(conn, id, &change)?;
        db::cases::refresh_next_due(conn, id)?;
        let payload = json!({
            "from": from.as_str(),
            "to": t.to.as_str(),
            "outcome": t.outcome.map(Outcome::as_str),
            "action": t.label,
            "rationale": input.rationale.trim(),
            "effective": plan.effective.to_string(),
            "clock": clock_json(plan.deadline.as_ref()),
            "filing_number": filing_number,
        });
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Transitioned,
            payload,
            now,
        )?;
        if !input.conditions.is_empty() {
            let list: Vec<_> = input
                .conditions
                .iter()
                .map(|c| json!({"kind": kind, "text": c.text.trim(), "due": c.due.map(|d| d.to_string())}))
                .collect();
            let payload = json!({"decision": t.label, "effective": plan.effective.to_string(), "conditions": list});
            history::append(
                conn,
                id,
                &case.reference,
                &by.username,
                EventKind::DecisionRecorded,
                payload,
                now,
            )?;
        }
        Ok(input.version + 1)
    })
}

fn require_chair(by: &Principal, what: &str) -> Result<(), ServiceError> {
    if by.role.at_least(Role::Chair) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "{what} needs the chair role."
        )))
    }
}

fn require_rationale(rationale: &str) -> Result<&str, ServiceError> {
    let r = rationale.trim();
    if r.is_empty() {
        return Err(ValidationErrors::single("rationale", "Give a rationale.").into());
    }
    if r.chars().take(workflow::MAX_RATIONALE + 1).count() > workflow::MAX_RATIONALE {
        return Err(ValidationErrors::single("rationale", "The rationale is too long.").into());
    }
    text::check_chars(r, true).map_err(|m| ValidationErrors::single("rationale", m))?;
    Ok(r)
}

fn date_not_future(d: NaiveDate, now: &Now, field: &str) -> Result<(), ServiceError> {
    if d > now.today {
        return Err(ValidationErrors::single(field, "The date cannot be in the future.").into());
    }
    Ok(())
}

/// Pauses every clock of an open case from a date (a lapse in appropriations, say).
pub fn toll(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    from: NaiveDate,
    rationale: &str,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    require_chair(by, "Tolling clocks")?;
    let rationale = require_rationale(rationale)?;
    date_not_future(from, now, "from")?;
    let case = load_at(conn, id, version)?;
    if case.state == State::Closed.as_str() {
        return Err(ServiceError::Conflict(
            "A closed case has no clocks to toll.".into(),
        ));
    }
    if let Some(since) = case.tolled_since {
        return Err(ServiceError::Conflict(format!(
            "The clocks have been tolled since {since}."
        )));
    }
    // A lapse may have begun before the case was received (its clocks then resume with the
    // others), but not long before: a start years back is a mistyped date, and would move every
    // deadline by that many days.
    let earliest = case.received_on - chrono::Duration::days(MAX_TOLL_LEAD_DAYS);
    if from < earliest {
        return Err(ValidationErrors::single(
            "from",
            format!(
                "A pause cannot start before {earliest}, a year before the case was received \
                 ({}); check the date.",
                case.received_on
            ),
        )
        .into());
    }
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        db::cases::set_tolled(conn, id, Some(from))?;
        let payload = json!({"from": from.to_string(), "rationale": rationale});
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Tolled,
            payload,
            now,
        )?;
        Ok(version + 1)
    })
}

/// Resumes tolled clocks: every open deadline moves by the paused days.
pub fn resume(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    on: NaiveDate,
    rationale: &str,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    require_chair(by, "Resuming clocks")?;
    let rationale = require_rationale(rationale)?;
    date_not_future(on, now, "on")?;
    let case = load_at(conn, id, version)?;
    let Some(since) = case.tolled_since else {
        return Err(ServiceError::Conflict(
            "The clocks of this case are running.".into(),
        ));
    };
    if on < since {
        return Err(ValidationErrors::single(
            "on",
            format!("The clocks were tolled on {since}; resume on or after it."),
        )
        .into());
    }
    let cal = calendar(conn)?;
    let open: Vec<_> = db::cases::deadlines_of(conn, id)?
        .into_iter()
        .filter(|d| d.is_open)
        .collect();
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        let mut moved = Vec::new();
        for d in &open {
            let due = cal.toll(d.due, since, on);
            if due != d.due {
                db::cases::move_deadline(conn, d.id, due)?;
                moved.push(
                    json!({"kind": d.kind, "old": d.due.to_string(), "new": due.to_string()}),
                );
            }
        }
        db::cases::set_tolled(conn, id, None)?;
        db::cases::refresh_next_due(conn, id)?;
        let payload = json!({
            "from": since.to_string(),
            "on": on.to_string(),
            "paused_days": (on - since).num_days(),
            "moved": moved,
            "rationale": rationale,
        });
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Resumed,
            payload,
            now,
        )?;
        Ok(version + 1)
    })
}

/// Grants the one 15-day extension of an investigation.
pub fn extend(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    rationale: &str,
    version: i64,
    ws: &WorkflowSettings,
    now: &Now,
) -> Result<i64, ServiceError> {
    require_chair(by, "Extending an investigation")?;
    let rationale = require_rationale(rationale)?;
    let case = load_at(conn, id, version)?;
    if case.state != State::Investigation.as_str() {
        return Err(ServiceError::InvalidTransition(
            "Only an investigation can be extended.".into(),
        ));
    }
    if case.extension_used {
        return Err(ServiceError::InvalidTransition(
            "This investigation has already been extended once.".into(),
        ));
    }
    let cal = calendar(conn)?;
    let deadline = db::cases::deadlines_of(conn, id)?
        .into_iter()
        .find(|d| d.is_open && d.kind == DeadlineKind::Investigation.as_str())
        .ok_or_else(|| ServiceError::Conflict("The investigation has no open deadline.".into()))?;
    let due = cal.calendar_deadline(deadline.starts, 45 + workflow::EXTENSION_DAYS, ws.day_one);
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        db::cases::move_deadline(conn, deadline.id, due)?;
        db::cases::set_extension_used(conn, id)?;
        db::cases::refresh_next_due(conn, id)?;
        let payload = json!({
            "days": workflow::EXTENSION_DAYS,
            "old": deadline.due.to_string(),
            "new": due.to_string(),
            "rationale": rationale,
        });
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::Extended,
            payload,
            now,
        )?;
        Ok(version + 1)
    })
}

/// The statuses a condition can have.
pub const CONDITION_STATUSES: [&str; 4] = ["open", "met", "breached", "waived"];

/// Records a condition's status (met, breached, waived, or open again).
pub fn set_condition(
    conn: &mut DbConn,
    by: &Principal,
    id: i64,
    condition_id: i64,
    status: &str,
    version: i64,
    now: &Now,
) -> Result<i64, ServiceError> {
    require_chair(by, "Updating a condition")?;
    if !CONDITION_STATUSES.contains(&status) {
        return Err(
            ValidationErrors::single("status", "Choose open, met, breached or waived.").into(),
        );
    }
    let case = load(conn, id)?;
    let cond = db::cases::conditions_of(conn, id)?
        .into_iter()
        .find(|c| c.id == condition_id)
        .ok_or(ServiceError::NotFound)?;
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::cases::claim(conn, id, version, now.at)?;
        db::cases::set_condition_status(conn, id, condition_id, status, now.at)?;
        db::cases::refresh_next_due(conn, id)?;
        let payload = json!({"condition": cond.text, "old": cond.status, "new": status});
        history::append(
            conn,
            id,
            &case.reference,
            &by.username,
            EventKind::ConditionUpdated,
            payload,
            now,
        )?;
        Ok(version + 1)
    })
}
