//! Public tips: rate-limited per client address, turned into a lead like any report.

use chrono::Duration;

use super::clock::Now;
use super::{cases, ServiceError};
use crate::db::{self, DbConn};
use crate::domain::report::{self, RawReport, Source};
use crate::domain::workflow::WorkflowSettings;
use crate::domain::ValidationErrors;

/// What the public tip form collects.
#[derive(Clone, Debug, Default)]
pub struct Tip {
    pub title: String,
    pub details: String,
    pub address: String,
    pub lat: String,
    pub lon: String,
    pub contact: String,
}

/// The longest tip details and contact.
pub const MAX_DETAILS: usize = 5000;
pub const MAX_CONTACT: usize = 200;

/// Turns the tip form's field names into the report's, for errors.
fn tip_field(report_field: &str) -> &str {
    match report_field {
        "property.lat" => "lat",
        "property.lon" => "lon",
        "property.address" => "address",
        "summary" => "details",
        "title" => "title",
        _ => "form",
    }
}

/// Logs a tip as a lead with source "public tip". At most `per_hour` per address.
pub fn submit(
    conn: &mut DbConn,
    addr: &str,
    tip: &Tip,
    per_hour: i64,
    ws: &WorkflowSettings,
    screener: &super::screening::Screener,
    now: &Now,
) -> Result<cases::Created, ServiceError> {
    let key = format!("tip:{addr}");
    let since = now.at - Duration::hours(1);
    let throttled = || ServiceError::Throttled {
        retry_after_secs: 3600,
    };
    if db::throttle::count_since(conn, &key, since)? >= per_hour {
        return Err(throttled());
    }
    let mut errors = ValidationErrors::new();
    if tip.details.chars().take(MAX_DETAILS + 1).count() > MAX_DETAILS {
        errors.add("details", format!("At most {MAX_DETAILS} characters."));
    }
    if tip.contact.chars().take(MAX_CONTACT + 1).count() > MAX_CONTACT {
        errors.add("contact", format!("At most {MAX_CONTACT} characters."));
    }
    let mut summary = tip.details.trim().to_string();
    if !tip.contact.trim().is_empty() {
        summary.push_str(&format!("\n\nContact given: {}", tip.contact.trim()));
    }
    let pairs: Vec<(String, String)> = [
        ("title", tip.title.as_str()),
        ("source", Source::PublicTip.as_str()),
        ("summary", summary.as_str()),
        ("transaction.kind", "purchase"),
        ("property.address", tip.address.as_str()),
        ("property.lat", tip.lat.as_str()),
        ("property.lon", tip.lon.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let parsed = report::parse(&RawReport::from_pairs(&pairs), now.today);
    let report = match parsed {
        Ok(r) if errors.is_empty() => r,
        Ok(_) => return Err(errors.into()),
        Err(e) => {
            for (field, message) in e.iter() {
                errors.add(tip_field(field), message);
            }
            return Err(errors.into());
        }
    };
    // Counted again and recorded in one step: tips sent at the same moment, to this node or
    // another, each see the ones before them.
    db::write::<_, ServiceError, _>(conn, |conn| {
        db::throttle::lock_key(conn, &key)?;
        if db::throttle::count_since(conn, &key, since)? >= per_hour {
            return Err(throttled());
        }
        Ok(db::throttle::record(conn, &[key.as_str()], now.at)?)
    })?;
    cases::create_report(conn, None, &report, Source::PublicTip, ws, screener, now)
}
