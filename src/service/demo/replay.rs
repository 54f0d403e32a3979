//! Replaying a demo story through the services, one step at a time, each at the instant it
//! happened: the report is logged with `cases::create_report` and every later step is the same
//! service call a person would have made that day, so events, clocks and hashes are real.

use chrono::{NaiveDate, NaiveTime, TimeDelta};
use serde_json::Value;

use crate::db::{self, DbConn};
use crate::domain::clock::Calendar;
use crate::domain::report::{self, LeadAgency, RawReport};
use crate::domain::workflow::{Outcome, State, WorkflowSettings};
use crate::service::auth::Principal;
use crate::service::clock::Now;
use crate::service::workflow::{self as flow, NewCondition, TransitionInput};
use crate::service::{cases, ServiceError};

/// Who takes a step: one of the demo users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Who {
    Admin,
    Chair,
    Reviewer,
}

/// When a step happens.
#[derive(Clone, Copy, Debug)]
pub(super) enum When {
    /// This many days after the previous step (after the day the case was logged, for the
    /// first step).
    After(i64),
    /// On a fixed date (year, month, day).
    On(i32, u32, u32),
}

/// The day a case was logged.
#[derive(Clone, Copy, Debug)]
pub(super) enum Start {
    /// A fixed date (year, month, day).
    On(i32, u32, u32),
    /// Whatever day makes the story's last step fall this many days before today: the open
    /// cases are anchored to the real date, so their deadlines are always near.
    Ago(i64),
}

/// A workflow move, with the decision's conditions (text, due this many days after it).
#[derive(Clone, Copy, Debug)]
pub(super) struct Move {
    by: Who,
    to: State,
    outcome: Option<Outcome>,
    why: &'static str,
    conditions: &'static [(&'static str, i64)],
}

/// One thing that happened to a case. Texts may hold `{word}` placeholders that the story
/// fills in (see [`Story::words`]).
#[derive(Clone, Copy, Debug)]
pub(super) enum Step {
    /// A transition.
    Move(Move),
    /// A comment.
    Note(Who, &'static str),
    /// Sets the story's assignee and lead agency.
    Assign(Who),
    /// The chair tolls every clock from the step's date.
    Toll(&'static str),
    /// The chair resumes the clocks on the step's date.
    Resume(&'static str),
    /// The chair grants the investigation's 15-day extension.
    Extend(&'static str),
    /// The chair marks the case's n-th condition met.
    Met(usize),
}

/// A move that carries no conditions.
pub(super) const fn go(by: Who, to: State, why: &'static str) -> Step {
    Step::Move(Move {
        by,
        to,
        outcome: None,
        why,
        conditions: &[],
    })
}

/// The chair closes the case.
pub(super) const fn close(outcome: Outcome, why: &'static str) -> Step {
    Step::Move(Move {
        by: Who::Chair,
        to: State::Closed,
        outcome: Some(outcome),
        why,
        conditions: &[],
    })
}

/// The chair records a decision with dated conditions (mitigation, or a presidential order).
pub(super) const fn decide(
    to: State,
    why: &'static str,
    conditions: &'static [(&'static str, i64)],
) -> Step {
    Step::Move(Move {
        by: Who::Chair,
        to,
        outcome: None,
        why,
        conditions,
    })
}

/// A comment.
pub(super) const fn note(by: Who, text: &'static str) -> Step {
    Step::Note(by, text)
}

/// A run of steps that several stories share.
pub(super) type Segment = &'static [(When, Step)];

/// One case from report to where it stands today.
#[derive(Clone, Debug)]
pub(super) struct Story {
    /// The report in the JSON shape of PRODUCT.md section 6.
    pub report: Value,
    /// Who logged it; `None` for a public tip.
    pub logged_by: Option<Who>,
    /// Whom `Step::Assign` assigns the case to.
    pub assignee: Who,
    /// The lead agency `Step::Assign` sets.
    pub agency: LeadAgency,
    /// The day the case is logged.
    pub start: Start,
    /// What happens after that, in order.
    pub steps: Vec<(When, Step)>,
    /// What each `{word}` placeholder of the step texts stands for.
    pub words: Vec<(&'static str, String)>,
}

impl Story {
    fn fill(&self, text: &str) -> String {
        self.words
            .iter()
            .fold(text.to_string(), |s, (k, v)| s.replace(k, v))
    }
}

/// The demo users, as the services take them.
#[derive(Clone, Debug)]
pub(super) struct Cast {
    /// `admin`.
    pub admin: Principal,
    /// `chair`, who takes every decision.
    pub chair: Principal,
    /// `reviewer`, who logs most cases.
    pub reviewer: Principal,
}

impl Cast {
    fn get(&self, who: Who) -> &Principal {
        match who {
            Who::Admin => &self.admin,
            Who::Chair => &self.chair,
            Who::Reviewer => &self.reviewer,
        }
    }
}

/// A date, or an internal error when the tables hold an impossible one.
pub(super) fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, ServiceError> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| ServiceError::Internal(format!("demo date {y}-{m}-{d} does not exist")))
}

/// `d` moved by `days` (back when negative).
pub(super) fn shift(d: NaiveDate, days: i64) -> Result<NaiveDate, ServiceError> {
    d.checked_add_signed(TimeDelta::days(days))
        .ok_or_else(|| ServiceError::Internal(format!("demo date {d} + {days} days")))
}

/// The day a story starts, before any move to a working day.
pub(super) fn first_day(
    start: Start,
    steps: &[(When, Step)],
    today: NaiveDate,
) -> Result<NaiveDate, ServiceError> {
    match start {
        Start::On(y, m, d) => ymd(y, m, d),
        Start::Ago(n) => {
            let span: i64 = steps
                .iter()
                .map(|(w, _)| match w {
                    When::After(days) => *days,
                    When::On(..) => 0,
                })
                .sum();
            shift(today, -(n + span))
        }
    }
}

/// Replays stories against one database.
pub(super) struct Player<'a> {
    /// Who acts.
    pub cast: &'a Cast,
    /// The workflow settings the services apply.
    pub ws: WorkflowSettings,
    /// The office calendar, for moving steps to working days.
    pub cal: Calendar,
    /// The screening engine (demo sites and lists are loaded before the stories).
    pub screener: crate::service::screening::Screener,
    /// The real date in New York. Only what happened before it is replayed: a story that
    /// starts later is left out, and one that goes on past it stops there.
    pub today: NaiveDate,
}

impl Player<'_> {
    /// The day itself when the office is open, else the business day before: people act on
    /// working days.
    fn working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        while !self.cal.is_business_day(day) {
            match day.pred_opt() {
                Some(prev) => day = prev,
                None => break,
            }
        }
        day
    }

    /// The day the case was logged and the day of each step.
    fn days(&self, story: &Story) -> Result<(NaiveDate, Vec<NaiveDate>), ServiceError> {
        let first = first_day(story.start, &story.steps, self.today)?;
        let mut day = first;
        let mut days = Vec::with_capacity(story.steps.len());
        for (when, _) in &story.steps {
            day = match *when {
                When::After(n) => shift(day, n)?,
                When::On(y, m, d) => ymd(y, m, d)?,
            };
            days.push(self.working_day(day));
        }
        Ok((self.working_day(first), days))
    }

    /// The working day the story's case is logged.
    pub fn logged_on(&self, story: &Story) -> Result<NaiveDate, ServiceError> {
        Ok(self.days(story)?.0)
    }

    /// Logs the story's report and replays its steps; returns the case id, or `None` when the
    /// story starts today or later.
    pub fn play(&self, conn: &mut DbConn, story: &Story) -> Result<Option<i64>, ServiceError> {
        let (first, days) = self.days(story)?;
        if first >= self.today {
            return Ok(None);
        }
        let logged = instant(first, 0);
        let report = report::parse(&RawReport::from_json(story.report.clone()), logged.today)?;
        let by = story.logged_by.map(|w| self.cast.get(w));
        let id = cases::create_report(
            conn,
            by,
            &report,
            report.source,
            &self.ws,
            &self.screener,
            &logged,
        )?
        .id;
        let mut version = db::cases::find(conn, id)?
            .ok_or(ServiceError::NotFound)?
            .version;
        let past = days.into_iter().take_while(|d| *d < self.today);
        for (k, ((_, step), day)) in story.steps.iter().zip(past).enumerate() {
            let now = instant(day, k + 1);
            version = self.step(conn, story, id, version, step, &now)?;
        }
        Ok(Some(id))
    }

    fn step(
        &self,
        conn: &mut DbConn,
        story: &Story,
        id: i64,
        version: i64,
        step: &Step,
        now: &Now,
    ) -> Result<i64, ServiceError> {
        let chair = &self.cast.chair;
        match *step {
            Step::Move(m) => {
                let conditions = m
                    .conditions
                    .iter()
                    .map(|(text, days)| {
                        Ok(NewCondition {
                            text: story.fill(text),
                            due: Some(shift(now.today, *days)?),
                        })
                    })
                    .collect::<Result<Vec<_>, ServiceError>>()?;
                let input = TransitionInput {
                    to: m.to,
                    outcome: m.outcome,
                    rationale: story.fill(m.why),
                    effective: Some(now.today),
                    version,
                    conditions,
                };
                flow::transition(conn, self.cast.get(m.by), id, &input, &self.ws, now)
            }
            Step::Note(who, text) => cases::comment(
                conn,
                self.cast.get(who),
                id,
                &story.fill(text),
                Some(version),
                now,
            ),
            Step::Assign(who) => cases::assign(
                conn,
                self.cast.get(who),
                id,
                Some(&self.cast.get(story.assignee).username),
                Some(story.agency),
                version,
                now,
            ),
            Step::Toll(why) => {
                flow::toll(conn, chair, id, now.today, &story.fill(why), version, now)
            }
            Step::Resume(why) => {
                flow::resume(conn, chair, id, now.today, &story.fill(why), version, now)
            }
            Step::Extend(why) => {
                flow::extend(conn, chair, id, &story.fill(why), version, &self.ws, now)
            }
            Step::Met(n) => {
                let condition = db::cases::conditions_of(conn, id)?
                    .get(n)
                    .map(|c| c.id)
                    .ok_or(ServiceError::NotFound)?;
                flow::set_condition(conn, chair, id, condition, "met", version, now)
            }
        }
    }
}

/// The `k`-th step of a story on `day`: mid-morning in New York, five minutes apart, so the
/// steps of one day keep their order.
fn instant(day: NaiveDate, k: usize) -> Now {
    let minutes = 14 * 60 + 5 * i64::try_from(k).unwrap_or(0);
    Now::at((day.and_time(NaiveTime::MIN) + TimeDelta::minutes(minutes)).and_utc())
}
