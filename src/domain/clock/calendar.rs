//! The office calendar: 5 U.S.C. 6103 federal holidays with their observed days, the closure
//! days an admin adds, and business-day arithmetic (31 CFR 802.201).
//!
//! Holidays are computed from their rules for any year; nothing is tabulated. The rules are
//! those of 5 U.S.C. 6103 and Executive Order 11582:
//!
//! | Holiday | Date |
//! |---|---|
//! | New Year's Day | January 1 |
//! | Birthday of Martin Luther King, Jr. | third Monday in January (from 1986) |
//! | Washington's Birthday | third Monday in February (from 1971; February 22 before) |
//! | Memorial Day | last Monday in May (from 1971; May 30 before) |
//! | Juneteenth National Independence Day | June 19 (from 2021) |
//! | Independence Day | July 4 |
//! | Labor Day | first Monday in September |
//! | Columbus Day | second Monday in October (from 1971) |
//! | Veterans Day | November 11 (fourth Monday in October 1971–1977) |
//! | Thanksgiving Day | fourth Thursday in November |
//! | Christmas Day | December 25 |
//! | Inauguration Day | January 20 of every fourth year from 1965 (see below) |
//!
//! A fixed-date holiday falling on a Saturday is observed the Friday before; on a Sunday, the
//! Monday after. So New Year's Day on a Saturday is observed on December 31 of the *previous*
//! year, and appears in that year's list.
//!
//! Inauguration Day (5 U.S.C. 6103(c)) is a holiday only for federal employees in the
//! Washington DC area; CFIUS sits there, so it is included. When January 20 is a Sunday the
//! holiday is Monday January 21. The Saturday/Sunday in-lieu rule of 6103(b) does not apply to
//! it, so an Inauguration Day on a Saturday (e.g. 2029) closes no office and is not listed.
//! When it falls on the Monday that is also Martin Luther King Jr.'s Birthday (2013, 2025), the
//! day is listed once under both names.
//!
//! Years before 1971 use the fixed dates that applied then with the same observed-day rules;
//! that is a best effort, and no case in Cordon predates it.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// Name of New Year's Day (5 U.S.C. 6103(a)).
pub const NEW_YEARS_DAY: &str = "New Year's Day";
/// Name of Martin Luther King Jr.'s Birthday (5 U.S.C. 6103(a)).
pub const MLK_DAY: &str = "Birthday of Martin Luther King, Jr.";
/// Name of Washington's Birthday (5 U.S.C. 6103(a)).
pub const WASHINGTONS_BIRTHDAY: &str = "Washington's Birthday";
/// Name of Memorial Day (5 U.S.C. 6103(a)).
pub const MEMORIAL_DAY: &str = "Memorial Day";
/// Name of Juneteenth (5 U.S.C. 6103(a), from 2021).
pub const JUNETEENTH: &str = "Juneteenth National Independence Day";
/// Name of Independence Day (5 U.S.C. 6103(a)).
pub const INDEPENDENCE_DAY: &str = "Independence Day";
/// Name of Labor Day (5 U.S.C. 6103(a)).
pub const LABOR_DAY: &str = "Labor Day";
/// Name of Columbus Day (5 U.S.C. 6103(a)).
pub const COLUMBUS_DAY: &str = "Columbus Day";
/// Name of Veterans Day (5 U.S.C. 6103(a)).
pub const VETERANS_DAY: &str = "Veterans Day";
/// Name of Thanksgiving Day (5 U.S.C. 6103(a)).
pub const THANKSGIVING_DAY: &str = "Thanksgiving Day";
/// Name of Christmas Day (5 U.S.C. 6103(a)).
pub const CHRISTMAS_DAY: &str = "Christmas Day";
/// Name of Inauguration Day (5 U.S.C. 6103(c), Washington DC area).
pub const INAUGURATION_DAY: &str = "Inauguration Day";
/// Name of a day that is both Martin Luther King Jr.'s Birthday and Inauguration Day.
pub const MLK_DAY_AND_INAUGURATION_DAY: &str =
    "Birthday of Martin Luther King, Jr. and Inauguration Day";
/// What [`Calendar::is_holiday`] answers for an admin-added closure day.
pub const CLOSURE: &str = "Closure";

/// The `n`-th (1-based) `weekday` of `month`.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
}

/// The last `weekday` of `month`.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    nth_weekday(year, month, weekday, 5).or_else(|| nth_weekday(year, month, weekday, 4))
}

/// The day a holiday falling on `d` is observed: Saturday → Friday before, Sunday → Monday after.
fn observed(d: NaiveDate) -> Option<NaiveDate> {
    match d.weekday() {
        Weekday::Sat => d.pred_opt(),
        Weekday::Sun => d.succ_opt(),
        _ => Some(d),
    }
}

/// The 6103(a) holidays of `year` on their actual (not observed) dates.
fn actual_holidays(year: i32) -> Vec<(Option<NaiveDate>, &'static str)> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let monday_act = year >= 1971;
    let mut out = vec![(ymd(1, 1), NEW_YEARS_DAY)];
    if year >= 1986 {
        out.push((nth_weekday(year, 1, Weekday::Mon, 3), MLK_DAY));
    }
    if monday_act {
        out.push((nth_weekday(year, 2, Weekday::Mon, 3), WASHINGTONS_BIRTHDAY));
        out.push((last_weekday(year, 5, Weekday::Mon), MEMORIAL_DAY));
    } else {
        out.push((ymd(2, 22), WASHINGTONS_BIRTHDAY));
        out.push((ymd(5, 30), MEMORIAL_DAY));
    }
    if year >= 2021 {
        out.push((ymd(6, 19), JUNETEENTH));
    }
    out.push((ymd(7, 4), INDEPENDENCE_DAY));
    out.push((nth_weekday(year, 9, Weekday::Mon, 1), LABOR_DAY));
    if monday_act {
        out.push((nth_weekday(year, 10, Weekday::Mon, 2), COLUMBUS_DAY));
    }
    if (1971..=1977).contains(&year) {
        out.push((nth_weekday(year, 10, Weekday::Mon, 4), VETERANS_DAY));
    } else {
        out.push((ymd(11, 11), VETERANS_DAY));
    }
    out.push((nth_weekday(year, 11, Weekday::Thu, 4), THANKSGIVING_DAY));
    out.push((ymd(12, 25), CHRISTMAS_DAY));
    out
}

/// Inauguration Day of `year`, when it closes offices (see the module doc).
fn inauguration_day(year: i32) -> Option<NaiveDate> {
    if year < 1965 || (year - 1965) % 4 != 0 {
        return None;
    }
    let jan20 = NaiveDate::from_ymd_opt(year, 1, 20)?;
    match jan20.weekday() {
        Weekday::Sun => jan20.succ_opt(),
        Weekday::Sat => None,
        _ => Some(jan20),
    }
}

/// 5 U.S.C. 6103 holidays actually observed in `year` (dates on which federal offices close),
/// with names, sorted by date.
///
/// Observed-day rules: a holiday on Saturday is observed the Friday before, on Sunday the Monday
/// after. New Year's Day of `year + 1` falling on a Saturday is observed on December 31 of `year`
/// and appears here (and New Year's Day of `year` on a Saturday does not: it belongs to
/// `year - 1`). Juneteenth from 2021 on. Inauguration Day (January 20 every four years from
/// 1965, January 21 when the 20th is a Sunday, nothing when it is a Saturday) is included
/// because CFIUS sits in the Washington DC area, where it is a holiday; on a day that is also
/// Martin Luther King Jr.'s Birthday the entry carries both names. The names are the statute's
/// (see the constants of this module). Years the calendar cannot represent give an empty list.
pub fn federal_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let mut out: Vec<(NaiveDate, &'static str)> = Vec::with_capacity(13);
    let next_new_year = NaiveDate::from_ymd_opt(year.saturating_add(1), 1, 1);
    let candidates = actual_holidays(year)
        .into_iter()
        .chain([(next_new_year, NEW_YEARS_DAY)]);
    for (day, name) in candidates {
        if let Some(obs) = day.and_then(observed) {
            if obs.year() == year {
                out.push((obs, name));
            }
        }
    }
    if let Some(inaug) = inauguration_day(year) {
        match out.iter_mut().find(|(d, _)| *d == inaug) {
            Some(entry) if entry.1 == MLK_DAY => entry.1 = MLK_DAY_AND_INAUGURATION_DAY,
            Some(_) => {}
            None => out.push((inaug, INAUGURATION_DAY)),
        }
    }
    out.sort_by_key(|(d, _)| *d);
    out
}

/// The federal holiday observed on `d`, if any (no closure days).
pub fn federal_holiday_on(d: NaiveDate) -> Option<&'static str> {
    if d.weekday() == Weekday::Sat || d.weekday() == Weekday::Sun {
        // Observed holidays are always weekdays.
        return None;
    }
    federal_holidays(d.year())
        .into_iter()
        .find(|(h, _)| *h == d)
        .map(|(_, name)| name)
}

/// The office calendar: federal holidays (computed) plus the closure days an admin added (OPM
/// closures of Washington DC area agencies, days made holidays by executive order, and the like).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    closures: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A calendar with these admin-added closure days (duplicates are ignored).
    pub fn new(closures: impl IntoIterator<Item = NaiveDate>) -> Self {
        Calendar {
            closures: closures.into_iter().collect(),
        }
    }

    /// The admin-added closure days, in date order.
    pub fn closures(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.closures.iter().copied()
    }

    /// Whether `d` is an admin-added closure day.
    pub fn is_closure(&self, d: NaiveDate) -> bool {
        self.closures.contains(&d)
    }

    /// The federal holiday observed on `d` (its name), or [`CLOSURE`] for a closure day. A
    /// holiday that falls on a weekend answers on its observed day only (Saturday 2026-07-04
    /// gives `None`, Friday 2026-07-03 gives "Independence Day"). A closure day that is also a
    /// federal holiday gives the holiday's name.
    pub fn is_holiday(&self, d: NaiveDate) -> Option<&'static str> {
        federal_holiday_on(d).or_else(|| self.is_closure(d).then_some(CLOSURE))
    }

    /// Monday to Friday, not a federal holiday and not a closure day.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && self.is_holiday(d).is_none()
    }

    /// `d` itself if it is a business day, else the next one.
    pub fn on_or_after_business_day(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        while !self.is_business_day(day) {
            match day.succ_opt() {
                Some(next) => day = next,
                // The end of representable time: nothing later to move to.
                None => return day,
            }
        }
        day
    }

    /// The first business day strictly after `d`.
    pub fn next_business_day(&self, d: NaiveDate) -> NaiveDate {
        match d.succ_opt() {
            Some(next) => self.on_or_after_business_day(next),
            None => d,
        }
    }

    /// The n-th business day after `start` (start itself never counts; n = 0 returns start,
    /// whatever day it is).
    pub fn add_business_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        for _ in 0..n {
            let next = self.next_business_day(day);
            if next == day {
                break;
            }
            day = next;
        }
        day
    }
}
