//! The clock engine: business days, federal holidays, statutory periods, tolling. Pure.
//!
//! Pure domain rules: no actix, diesel, askama, tokio, file system, environment or clock reads.
//! "Now" and every lookup are arguments: the closure days come in through [`Calendar::new`],
//! instants through [`Calendar::received_on`] and [`office_date`].
//!
//! The rules (DOMAIN.md 1.3, PRODUCT.md 4.1):
//!
//! - Big periods (30/45/45/15/15) are in calendar days. By default the start date is day 1
//!   ([`DayOne::StartDate`]: day 45 = start + 44); [`DayOne::DayAfter`] makes the next day day 1.
//!   A period whose last day is not a business day ends on the next business day.
//! - A business day is Monday to Friday, not a 5 U.S.C. 6103 holiday as observed
//!   ([`federal_holidays`]), and not a closure day an admin added.
//! - Business-day periods count business days after the start (the start never counts).
//! - A submission after 17:00 America/New_York, or on a non-business day, counts as received
//!   the next business day ([`Calendar::received_on`]).
//! - A notice found complete is accepted (its review starts) the next business day
//!   ([`Calendar::acceptance_effective`]).
//! - Tolling moves every open deadline by the paused calendar days ([`Calendar::toll`]).

mod calendar;
mod deadline;

pub use calendar::{
    federal_holiday_on, federal_holidays, Calendar, CHRISTMAS_DAY, CLOSURE, COLUMBUS_DAY,
    INAUGURATION_DAY, INDEPENDENCE_DAY, JUNETEENTH, LABOR_DAY, MEMORIAL_DAY, MLK_DAY,
    MLK_DAY_AND_INAUGURATION_DAY, NEW_YEARS_DAY, THANKSGIVING_DAY, VETERANS_DAY,
    WASHINGTONS_BIRTHDAY,
};
pub use deadline::{days_left, office_date, paused_days, DayOne, CUTOFF_HOUR};

#[cfg(test)]
mod tests;
