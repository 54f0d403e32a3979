//! "Now" for the use cases: the instant to stamp and the office's calendar date. Real requests
//! use the wall clock; the demo loader replays history with past instants.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::domain::clock::office_date;

#[derive(Clone, Copy, Debug)]
pub struct Now {
    /// UTC, whole seconds, as stored.
    pub at: NaiveDateTime,
    /// The date in America/New_York, which every deadline counts from.
    pub today: NaiveDate,
}

impl Now {
    pub fn at(instant: DateTime<Utc>) -> Now {
        Now {
            at: crate::db::timestamp(instant),
            today: office_date(instant),
        }
    }

    pub fn real() -> Now {
        Now::at(Utc::now())
    }
}
