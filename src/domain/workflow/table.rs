//! The transition table of PRODUCT.md 4.1, row for row. Nothing else in Cordon decides which
//! moves exist or who may make them.

use super::{Outcome, State};
use crate::domain::Role;

/// How a state is entered, where it changes the clock or the filing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    Normal,
    /// A notice accepted: the review clock starts the next business day.
    AcceptedNotice,
    /// A withdrawn notice refiled: a new filing number and a fresh review clock.
    Refiled,
    /// A closed or monitored case reopened (false information or material breach).
    Reopened,
}

/// One allowed move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    pub from: State,
    pub to: State,
    /// Set for moves into `closed`.
    pub outcome: Option<Outcome>,
    /// The least role that may take it.
    pub least: Role,
    /// What the button says.
    pub label: &'static str,
    pub entry: Entry,
}

impl Transition {
    /// A decision that the four-eyes rule reserves: closing, clearing with mitigation, or a
    /// prohibition order.
    pub fn is_final_decision(&self) -> bool {
        matches!(
            self.to,
            State::Closed | State::Monitoring | State::Divestiture
        )
    }
}

const R: Role = Role::Reviewer;
const C: Role = Role::Chair;

const fn t(from: State, to: State, least: Role, label: &'static str) -> Transition {
    Transition {
        from,
        to,
        outcome: None,
        least,
        label,
        entry: Entry::Normal,
    }
}

const fn close(from: State, outcome: Outcome, label: &'static str) -> Transition {
    Transition {
        from,
        to: State::Closed,
        outcome: Some(outcome),
        least: C,
        label,
        entry: Entry::Normal,
    }
}

const fn entered(
    from: State,
    to: State,
    least: Role,
    label: &'static str,
    entry: Entry,
) -> Transition {
    Transition {
        from,
        to,
        outcome: None,
        least,
        label,
        entry,
    }
}

use Outcome as O;
use State as S;

/// Every allowed transition.
pub const TRANSITIONS: &[Transition] = &[
    t(S::Lead, S::Screening, R, "Start screening"),
    t(S::Screening, S::Inquiry, R, "Open non-notified inquiry"),
    t(S::Screening, S::Declaration, R, "Declaration received"),
    t(S::Screening, S::Prefiling, R, "Pre-filing draft received"),
    t(S::Screening, S::NoticeSubmitted, R, "Notice submitted"),
    close(
        S::Screening,
        O::NotCovered,
        "Close: not a covered transaction",
    ),
    close(S::Screening, O::NoFurtherAction, "Close: no further action"),
    t(S::Inquiry, S::FilingRequested, C, "Request a filing"),
    t(S::Inquiry, S::Review, C, "Agency notice: start review now"),
    close(
        S::Inquiry,
        O::NotCovered,
        "Close: not a covered transaction",
    ),
    close(S::Inquiry, O::NoFurtherAction, "Close: no further action"),
    t(
        S::FilingRequested,
        S::Declaration,
        R,
        "Declaration received",
    ),
    t(
        S::FilingRequested,
        S::Prefiling,
        R,
        "Pre-filing draft received",
    ),
    t(
        S::FilingRequested,
        S::NoticeSubmitted,
        R,
        "Notice submitted",
    ),
    t(
        S::FilingRequested,
        S::Review,
        C,
        "Agency notice: start review now",
    ),
    close(
        S::Declaration,
        O::DeclarationCleared,
        "Close: cleared on declaration",
    ),
    close(
        S::Declaration,
        O::UnableToConclude,
        "Close: unable to conclude",
    ),
    t(S::Declaration, S::Prefiling, C, "Request a notice"),
    t(S::Declaration, S::Review, C, "Start unilateral review"),
    t(S::Declaration, S::Withdrawn, R, "Declaration withdrawn"),
    close(S::Declaration, O::Rejected, "Close: declaration rejected"),
    close(
        S::Declaration,
        O::NotCovered,
        "Close: not a covered transaction",
    ),
    t(
        S::Prefiling,
        S::NoticeSubmitted,
        R,
        "Formal notice submitted",
    ),
    t(S::Prefiling, S::Withdrawn, R, "Withdrawn"),
    entered(
        S::NoticeSubmitted,
        S::Review,
        R,
        "Notice accepted: start review",
        Entry::AcceptedNotice,
    ),
    close(S::NoticeSubmitted, O::Rejected, "Close: notice rejected"),
    close(
        S::NoticeSubmitted,
        O::NotCovered,
        "Close: not a covered transaction",
    ),
    t(S::Review, S::Investigation, C, "Start investigation"),
    close(S::Review, O::Cleared, "Close: cleared"),
    t(S::Review, S::Monitoring, C, "Clear with mitigation"),
    t(S::Review, S::Withdrawn, R, "Notice withdrawn"),
    close(S::Review, O::Rejected, "Close: notice rejected"),
    // The Committee finds it has no jurisdiction (Fufeng, 2022).
    close(S::Review, O::NotCovered, "Close: not a covered transaction"),
    t(
        S::Investigation,
        S::Presidential,
        C,
        "Refer to the President",
    ),
    close(S::Investigation, O::Cleared, "Close: cleared"),
    t(S::Investigation, S::Monitoring, C, "Clear with mitigation"),
    t(S::Investigation, S::Withdrawn, R, "Notice withdrawn"),
    close(
        S::Presidential,
        O::PresidentialNoAction,
        "Close: President took no action",
    ),
    t(S::Presidential, S::Divestiture, C, "Prohibition ordered"),
    entered(
        S::Withdrawn,
        S::Review,
        R,
        "Refiled: start a new review",
        Entry::Refiled,
    ),
    close(S::Withdrawn, O::Abandoned, "Close: abandoned"),
    t(S::Withdrawn, S::Monitoring, C, "Abandoned with mitigation"),
    close(
        S::Monitoring,
        O::MitigationCompleted,
        "Close: mitigation completed",
    ),
    entered(
        S::Monitoring,
        S::Review,
        C,
        "Reopen for material breach",
        Entry::Reopened,
    ),
    close(
        S::Divestiture,
        O::DivestitureComplete,
        "Close: divestiture complete",
    ),
    entered(
        S::Closed,
        S::Review,
        C,
        "Reopen (false information or material breach)",
        Entry::Reopened,
    ),
];

/// The row for a move, if the table has one. A move into `closed` names its outcome; no other
/// move has one.
pub fn find(from: State, to: State, outcome: Option<Outcome>) -> Option<&'static Transition> {
    TRANSITIONS
        .iter()
        .find(|t| t.from == from && t.to == to && t.outcome == outcome)
}
