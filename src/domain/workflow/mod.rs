//! The review workflow (PRODUCT.md 4.1): states, outcomes, and the one transition table that
//! the pages, the API and the tests all read. `plan` checks a requested transition against it
//! and says which clock to start.

pub mod received;
mod table;

use chrono::NaiveDate;

pub use table::{Entry, Transition, TRANSITIONS};

use super::clock::{Calendar, DayOne};
use super::Role;

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Lead,
    Screening,
    Inquiry,
    FilingRequested,
    Declaration,
    Prefiling,
    NoticeSubmitted,
    Review,
    Investigation,
    Presidential,
    Withdrawn,
    Monitoring,
    Divestiture,
    Closed,
}

/// How a closed case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    NotCovered,
    NoFurtherAction,
    DeclarationCleared,
    UnableToConclude,
    Rejected,
    Cleared,
    PresidentialNoAction,
    Abandoned,
    MitigationCompleted,
    DivestitureComplete,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal, $label:literal;)* }) => {
        impl $ty {
            /// Every value, in workflow order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The stored and API form.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }

            /// The form people read.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),* }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($ty::$variant),)*
                    other => Err(format!("unknown {}: {other:?}", stringify!($ty).to_lowercase())),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(State {
    Lead => "lead", "Lead";
    Screening => "screening", "Screening";
    Inquiry => "inquiry", "Non-notified inquiry";
    FilingRequested => "filing_requested", "Filing requested";
    Declaration => "declaration", "Declaration assessment";
    Prefiling => "prefiling", "Pre-filing";
    NoticeSubmitted => "notice_submitted", "Notice submitted";
    Review => "review", "Review";
    Investigation => "investigation", "Investigation";
    Presidential => "presidential", "Presidential decision";
    Withdrawn => "withdrawn", "Withdrawn";
    Monitoring => "monitoring", "Mitigation monitoring";
    Divestiture => "divestiture", "Divestiture";
    Closed => "closed", "Closed";
});

text_enum!(Outcome {
    NotCovered => "not_covered", "Not a covered transaction";
    NoFurtherAction => "no_further_action", "No further action";
    DeclarationCleared => "declaration_cleared", "Cleared on declaration";
    UnableToConclude => "unable_to_conclude", "Unable to conclude on declaration";
    Rejected => "rejected", "Filing rejected";
    Cleared => "cleared", "Cleared";
    PresidentialNoAction => "presidential_no_action", "President took no action";
    Abandoned => "abandoned", "Withdrawn and abandoned";
    MitigationCompleted => "mitigation_completed", "Mitigation completed";
    DivestitureComplete => "divestiture_complete", "Divestiture complete";
});

impl State {
    /// Whether a case in this state is still being worked.
    pub fn is_open(self) -> bool {
        self != State::Closed
    }
}

/// The statutory or internal deadline a state starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Triage,
    Screening,
    FilingResponse,
    Assessment,
    StaffComments,
    Acceptance,
    Review,
    Investigation,
    PresidentialDecision,
    Refile,
    Condition,
}

text_enum!(DeadlineKind {
    Triage => "triage", "Triage due";
    Screening => "screening", "Screening due";
    FilingResponse => "filing_response", "Filing response due";
    Assessment => "assessment", "Declaration assessment ends";
    StaffComments => "staff_comments", "Staff comments due";
    Acceptance => "acceptance", "Acceptance decision due";
    Review => "review", "Review period ends";
    Investigation => "investigation", "Investigation ends";
    PresidentialDecision => "presidential_decision", "Presidential decision due";
    Refile => "refile", "Refiling due";
    Condition => "condition", "Condition due";
});

/// Workflow settings that an office may change.
#[derive(Clone, Copy, Debug)]
pub struct WorkflowSettings {
    /// Internal triage SLA for a lead, in business days.
    pub triage_bd: u32,
    /// Internal screening SLA, in business days.
    pub screening_bd: u32,
    /// Time given to parties to answer a filing request, in business days.
    pub filing_response_bd: u32,
    /// Day-counting convention for calendar-day periods.
    pub day_one: DayOne,
    /// Whether the person who logged a case is barred from recording its final decision.
    pub four_eyes: bool,
}

impl Default for WorkflowSettings {
    fn default() -> Self {
        WorkflowSettings {
            triage_bd: 5,
            screening_bd: 10,
            filing_response_bd: 10,
            day_one: DayOne::StartDate,
            four_eyes: true,
        }
    }
}

/// Days in the single investigation extension ("extraordinary circumstances").
pub const EXTENSION_DAYS: u32 = 15;
/// The longest rationale accepted.
pub const MAX_RATIONALE: usize = 5000;

/// A deadline that entering a state starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeadline {
    pub kind: DeadlineKind,
    /// The day the period runs from.
    pub starts: NaiveDate,
    pub due: NaiveDate,
}

/// The clock a state starts when entered, given how it was entered and from when.
pub fn entry_clock(
    to: State,
    entry: Entry,
    effective: NaiveDate,
    cal: &Calendar,
    s: &WorkflowSettings,
) -> Option<NewDeadline> {
    let bd = |kind, days| {
        Some(NewDeadline {
            kind,
            starts: effective,
            due: cal.business_deadline(effective, days),
        })
    };
    let cd = |kind, starts: NaiveDate, days| {
        Some(NewDeadline {
            kind,
            starts,
            due: cal.calendar_deadline(starts, days, s.day_one),
        })
    };
    match to {
        State::Lead => bd(DeadlineKind::Triage, s.triage_bd),
        State::Screening => bd(DeadlineKind::Screening, s.screening_bd),
        State::FilingRequested => bd(DeadlineKind::FilingResponse, s.filing_response_bd),
        State::Declaration => cd(DeadlineKind::Assessment, effective, 30),
        State::Prefiling => bd(DeadlineKind::StaffComments, 10),
        State::NoticeSubmitted => bd(DeadlineKind::Acceptance, 10),
        State::Review => {
            // An accepted notice is effective the next business day; other routes start now.
            let starts = match entry {
                Entry::AcceptedNotice => cal.acceptance_effective(effective),
                _ => effective,
            };
            cd(DeadlineKind::Review, starts, 45)
        }
        State::Investigation => cd(DeadlineKind::Investigation, effective, 45),
        State::Presidential => cd(DeadlineKind::PresidentialDecision, effective, 15),
        State::Inquiry
        | State::Withdrawn
        | State::Monitoring
        | State::Divestiture
        | State::Closed => None,
    }
}

/// What the case looks like to the rules.
#[derive(Clone, Debug)]
pub struct CaseFacts<'a> {
    pub state: State,
    /// Who logged the case.
    pub created_by: &'a str,
    /// When the current state was entered (effective date).
    pub state_since: NaiveDate,
}

/// A requested move.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub to: State,
    pub outcome: Option<Outcome>,
    pub rationale: &'a str,
    pub effective: Option<NaiveDate>,
    /// When the move is recorded as it happens: the business day a party's submission counts
    /// as received (after 17:00 New York or on a non-business day, the next business day).
    pub received: Option<NaiveDate>,
}

impl State {
    /// States entered by a party's submission, whose clock runs from the day it counts as
    /// received rather than from the calendar date.
    pub fn is_party_submission(self) -> bool {
        matches!(
            self,
            State::Declaration | State::Prefiling | State::NoticeSubmitted
        )
    }
}

/// Why a transition was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("A case cannot move from {from} to {to} this way.")]
    NotAllowed { from: &'static str, to: String },
    #[error("Only a {least} or above may do this.")]
    Role { least: Role },
    #[error("The person who logged this case cannot record its final decision (four-eyes rule).")]
    FourEyes,
    #[error("Give a rationale.")]
    MissingRationale,
    #[error("The rationale is too long (at most {MAX_RATIONALE} characters).")]
    RationaleTooLong,
    /// The rationale holds a character that is not kept (see `domain::text`).
    #[error("{0}")]
    RationaleText(&'static str),
    #[error("The effective date cannot be in the future.")]
    FutureEffective,
    #[error("The effective date cannot be before {0}, when the case entered its current state.")]
    EffectiveTooEarly(NaiveDate),
}

impl TransitionError {
    /// The request field the error concerns.
    pub fn field(&self) -> &'static str {
        match self {
            TransitionError::MissingRationale
            | TransitionError::RationaleTooLong
            | TransitionError::RationaleText(_) => "rationale",
            TransitionError::FutureEffective | TransitionError::EffectiveTooEarly(_) => "effective",
            _ => "to",
        }
    }

    /// Whether the actor's role (not the request) is the problem.
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            TransitionError::Role { .. } | TransitionError::FourEyes
        )
    }
}

/// A checked transition: the table row, its effective date and the clock it starts.
#[derive(Clone, Debug)]
pub struct Plan {
    pub transition: &'static Transition,
    pub effective: NaiveDate,
    pub deadline: Option<NewDeadline>,
}

/// The transitions this actor may take from this case's state, in table order.
pub fn available(
    case: &CaseFacts<'_>,
    actor: &str,
    role: Role,
    s: &WorkflowSettings,
) -> Vec<&'static Transition> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from == case.state && role.at_least(t.least))
        .filter(|t| !(s.four_eyes && t.is_final_decision() && actor == case.created_by))
        .collect()
}

/// Checks a requested transition; nothing changes here.
pub fn plan(
    case: &CaseFacts<'_>,
    req: &Request<'_>,
    actor: &str,
    role: Role,
    today: NaiveDate,
    cal: &Calendar,
    s: &WorkflowSettings,
) -> Result<Plan, TransitionError> {
    let transition = table::find(case.state, req.to, req.outcome).ok_or_else(|| {
        TransitionError::NotAllowed {
            from: case.state.as_str(),
            to: match req.outcome {
                Some(o) => format!("{} ({})", req.to.as_str(), o.as_str()),
                None => req.to.as_str().to_string(),
            },
        }
    })?;
    if !role.at_least(transition.least) {
        return Err(TransitionError::Role {
            least: transition.least,
        });
    }
    if s.four_eyes && transition.is_final_decision() && actor == case.created_by {
        return Err(TransitionError::FourEyes);
    }
    let rationale = req.rationale.trim();
    if rationale.is_empty() {
        return Err(TransitionError::MissingRationale);
    }
    if rationale.chars().count() > MAX_RATIONALE {
        return Err(TransitionError::RationaleTooLong);
    }
    super::text::check_chars(rationale, true).map_err(TransitionError::RationaleText)?;
    let effective = req.effective.unwrap_or(today);
    if effective > today {
        return Err(TransitionError::FutureEffective);
    }
    if effective < case.state_since {
        return Err(TransitionError::EffectiveTooEarly(case.state_since));
    }
    // A submission counts from the business day it is received: the recorded instant's (after
    // the 17:00 cut-off) when the move is recorded as it happens, else the effective date's.
    let clock_from = if transition.to.is_party_submission() {
        match (req.effective, req.received) {
            (None, Some(received)) => received,
            _ => cal.on_or_after_business_day(effective),
        }
    } else {
        effective
    };
    let deadline = entry_clock(transition.to, transition.entry, clock_from, cal, s);
    Ok(Plan {
        transition,
        effective,
        deadline,
    })
}

#[cfg(test)]
mod tests;
