//! Statutory periods on the office calendar: calendar-day and business-day deadlines, the
//! 17:00 New York cut-off for submissions, acceptance of a notice, and tolling (DOMAIN.md 1.3,
//! PRODUCT.md 4.1).

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use chrono_tz::America::New_York;

use super::calendar::Calendar;

/// The hour (New York time) after which a submission counts as received the next business day.
pub const CUTOFF_HOUR: u32 = 17;

/// Day-counting convention for calendar-day periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DayOne {
    /// The start date is day 1, so day 45 = start + 44 (practitioners' reading; the default).
    #[default]
    StartDate,
    /// The day after the start date is day 1, so day 45 = start + 45 (the literal reading of
    /// "the forty-fifth day after it has commenced").
    DayAfter,
}

impl DayOne {
    /// The last day of a `days`-day period starting on `start`, before any move to a business
    /// day. Under [`DayOne::StartDate`] a 0-day period is treated as a 1-day one (it ends on
    /// `start`). Saturates at the last representable date.
    pub fn nominal_end(self, start: NaiveDate, days: u32) -> NaiveDate {
        let offset = match self {
            DayOne::StartDate => days.saturating_sub(1),
            DayOne::DayAfter => days,
        };
        start
            .checked_add_days(Days::new(u64::from(offset)))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// Calendar days a pause from `paused_from` (inclusive) until `resumed_on` lasted:
/// `resumed_on - paused_from`, never negative.
pub fn paused_days(paused_from: NaiveDate, resumed_on: NaiveDate) -> i64 {
    resumed_on
        .signed_duration_since(paused_from)
        .num_days()
        .max(0)
}

impl Calendar {
    /// A calendar-day period of `days` days starting on `start`, under `day_one`; when the last
    /// day is not a business day the period ends on the next business day.
    pub fn calendar_deadline(&self, start: NaiveDate, days: u32, day_one: DayOne) -> NaiveDate {
        self.on_or_after_business_day(day_one.nominal_end(start, days))
    }

    /// A business-day period: the `days`-th business day after `start`.
    pub fn business_deadline(&self, start: NaiveDate, days: u32) -> NaiveDate {
        self.add_business_days(start, days)
    }

    /// The date a submission counts as received: its America/New_York date, moved to the next
    /// business day when it arrived after 17:00 New York time or on a non-business day.
    /// "After" is strict: 17:00:00.000 exactly is on time, anything later is late.
    pub fn received_on(&self, at: DateTime<Utc>) -> NaiveDate {
        let local = at.with_timezone(&New_York);
        let date = local.date_naive();
        let cutoff = CUTOFF_HOUR * 3600;
        let secs = local.num_seconds_from_midnight();
        let late = secs > cutoff || (secs == cutoff && local.nanosecond() > 0);
        if late {
            self.next_business_day(date)
        } else {
            self.on_or_after_business_day(date)
        }
    }

    /// A notice accepted (found complete) on `found_complete` is effective the next business day
    /// (strictly after, 802.503(a)).
    pub fn acceptance_effective(&self, found_complete: NaiveDate) -> NaiveDate {
        self.next_business_day(found_complete)
    }

    /// Tolling: a deadline paused from `paused_from` (inclusive) until `resumed_on` moves by the
    /// paused calendar days (`resumed_on - paused_from`, never negative), then to the next
    /// business day if it lands on a non-business day. Deadlines already past when the pause
    /// began (due < paused_from) do not move; a deadline due on `paused_from` itself does. A
    /// pause of 0 days leaves every deadline as it was.
    pub fn toll(&self, due: NaiveDate, paused_from: NaiveDate, resumed_on: NaiveDate) -> NaiveDate {
        if due < paused_from {
            return due;
        }
        let days = u64::try_from(paused_days(paused_from, resumed_on)).unwrap_or(0);
        if days == 0 {
            return due;
        }
        let moved = due
            .checked_add_days(Days::new(days))
            .unwrap_or(NaiveDate::MAX);
        self.on_or_after_business_day(moved)
    }
}

/// Days from `today` to `due` (negative when overdue, 0 on the day itself).
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    due.signed_duration_since(today).num_days()
}

/// Today's date in America/New_York for an instant (the office's calendar).
pub fn office_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&New_York).date_naive()
}
