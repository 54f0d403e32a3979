//! Correcting the day a report was received (PRODUCT.md 4): the `lead` state starts on it, so
//! it may not move after anything the history dates: a move's effective date or the start of
//! a tolling.

use chrono::NaiveDate;
use serde_json::Value;

/// The earliest day the history dates, and what happened on it ("moved to screening",
/// "clocks tolled"), from `(kind, payload)` pairs of the stored events.
pub fn earliest_dated<'a>(
    events: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Option<(NaiveDate, String)> {
    events
        .into_iter()
        .filter_map(|(kind, payload)| {
            let (key, what) = match kind {
                "transitioned" => (
                    "effective",
                    format!(
                        "moved to {}",
                        payload["to"].as_str().unwrap_or("another state")
                    ),
                ),
                "tolled" => ("from", "had its clocks tolled".to_string()),
                _ => return None,
            };
            let day = payload[key].as_str()?.parse::<NaiveDate>().ok()?;
            Some((day, what))
        })
        .min_by_key(|(day, _)| *day)
}

/// Why `received` cannot be the case's received day, if it cannot: the history dates a step
/// before it.
pub fn correction_refused(
    received: NaiveDate,
    earliest: Option<&(NaiveDate, String)>,
) -> Option<String> {
    let (day, what) = earliest?;
    (received > *day)
        .then(|| format!("The case {what} on {day}; the received date cannot be after that day."))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_earliest_move_or_tolling_bounds_the_received_day() {
        let events = [
            ("created", json!({"received_on": "2022-08-22"})),
            (
                "commented",
                json!({"body": "effective 2020-01-01 is only words"}),
            ),
            (
                "transitioned",
                json!({"to": "inquiry", "effective": "2022-09-01"}),
            ),
            (
                "transitioned",
                json!({"to": "screening", "effective": "2022-08-24"}),
            ),
            ("tolled", json!({"from": "2022-10-01"})),
        ];
        let earliest = earliest_dated(events.iter().map(|(k, p)| (*k, p)));
        assert_eq!(
            earliest,
            Some((d("2022-08-24"), "moved to screening".into()))
        );
        assert_eq!(correction_refused(d("2022-08-24"), earliest.as_ref()), None);
        assert_eq!(correction_refused(d("2021-01-04"), earliest.as_ref()), None);
        assert_eq!(
            correction_refused(d("2022-08-25"), earliest.as_ref()).as_deref(),
            Some("The case moved to screening on 2022-08-24; the received date cannot be after that day.")
        );

        let tolled_first = [
            ("tolled", json!({"from": "2022-08-23"})),
            (
                "transitioned",
                json!({"to": "screening", "effective": "2022-08-24"}),
            ),
        ];
        let earliest = earliest_dated(tolled_first.iter().map(|(k, p)| (*k, p)));
        assert_eq!(
            earliest,
            Some((d("2022-08-23"), "had its clocks tolled".into()))
        );
    }

    #[test]
    fn a_case_that_never_moved_may_take_any_day() {
        let events = [("created", json!({})), ("screened", json!({}))];
        let earliest = earliest_dated(events.iter().map(|(k, p)| (*k, p)));
        assert_eq!(earliest, None);
        assert_eq!(correction_refused(d("2026-01-01"), earliest.as_ref()), None);
        // A payload without a readable day is not a dated step.
        let odd = [(
            "transitioned",
            json!({"to": "screening", "effective": "soon"}),
        )];
        assert_eq!(earliest_dated(odd.iter().map(|(k, p)| (*k, p))), None);
    }
}
