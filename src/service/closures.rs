//! Closure days: days the office is shut beyond the federal holidays (OPM closures, executive
//! orders). They count as non-business days for every deadline computed after they are added.

use chrono::NaiveDate;

use super::clock::Now;
use super::{now, ServiceError};
use crate::db::{self, DbConn};
use crate::domain::ValidationErrors;

/// The longest label of a closure day.
pub const MAX_LABEL: usize = 100;

pub fn list(conn: &mut DbConn) -> Result<Vec<(NaiveDate, String)>, ServiceError> {
    Ok(db::closures::list(conn)?)
}

/// Adds a closure day (dates from raw form text), recorded in the audit log.
pub fn add(
    conn: &mut DbConn,
    actor: &str,
    day: &str,
    label: &str,
) -> Result<NaiveDate, ServiceError> {
    let mut errors = ValidationErrors::new();
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| errors.add("day", "Enter a date as YYYY-MM-DD."))
        .ok();
    let label = label.trim();
    if label.is_empty() {
        errors.add(
            "label",
            "Say why the office is closed, e.g. 'OPM closure: snow'.",
        );
    } else if label.chars().take(MAX_LABEL + 1).count() > MAX_LABEL
        || label.chars().any(char::is_control)
    {
        errors.add(
            "label",
            format!("At most {MAX_LABEL} characters, on one line."),
        );
    }
    let Some(day) = day.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let today = Now::real().today;
    if (day - today).num_days().abs() > 3660 {
        return Err(
            ValidationErrors::single("day", "Choose a date within ten years of today.").into(),
        );
    }
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        if db::closures::list(conn)?.iter().any(|(d, _)| *d == day) {
            return Err(
                ValidationErrors::single("day", "That day is already a closure day.").into(),
            );
        }
        db::closures::insert(conn, day, label)?;
        db::audit::record(
            conn,
            at,
            Some(actor),
            "closure.add",
            &format!("{day}: {label}"),
        )?;
        Ok(day)
    })
}

/// Removes a closure day.
pub fn remove(conn: &mut DbConn, actor: &str, day: NaiveDate) -> Result<(), ServiceError> {
    let at = now();
    db::write::<_, ServiceError, _>(conn, |conn| {
        if db::closures::delete(conn, day)? == 0 {
            return Err(ServiceError::NotFound);
        }
        db::audit::record(conn, at, Some(actor), "closure.remove", &day.to_string())?;
        Ok(())
    })
}
