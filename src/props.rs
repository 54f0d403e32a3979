//! Properties of the pure rules, checked on generated input (proptest): the clock engine, the
//! name normalisers, the report and import readers, the county lookup and `cordon verify`'s
//! reader. Each property runs a bounded number of cases (`CASES`), so the whole set stays well
//! inside CI's time. A failure proptest finds is shrunk to a small input; it then becomes a
//! named regression test below.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::Value;

use crate::domain::clock::{Calendar, DayOne};
use crate::domain::report::{self, RawReport};
use crate::domain::screening::names;
use crate::service::import::{self, Format};

/// Cases per property in CI; `PROPTEST_CASES=N` asks for more (a longer hunt).
const CASES: u32 = 256;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A day from 1975 to 2060.
fn day() -> impl Strategy<Value = NaiveDate> {
    (0u64..31_400).prop_map(|n| {
        NaiveDate::from_ymd_opt(1975, 1, 1)
            .and_then(|d| d.checked_add_days(Days::new(n)))
            .unwrap_or(NaiveDate::MIN)
    })
}

/// A calendar with up to six closure days near the generated days.
fn calendar() -> impl Strategy<Value = Calendar> {
    proptest::collection::vec(day(), 0..6).prop_map(Calendar::new)
}

/// Any JSON value, a few levels deep, with the strings that matter to reports mixed in.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z_.\\[\\]0-9 ]{0,12}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        prop_oneof![
            Just("yes"),
            Just("on"),
            Just("41.17"),
            Just("2022-08-22"),
            Just("purchase"),
            Just("acquirer"),
            Just("CN"),
            Just("p1"),
            Just(""),
            Just("NaN"),
            Just("1e309"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("title".to_string()),
                    Just("source".to_string()),
                    Just("transaction".to_string()),
                    Just("property".to_string()),
                    Just("parties".to_string()),
                    Just("kind".to_string()),
                    Just("rights".to_string()),
                    Just("lat".to_string()),
                    Just("lon".to_string()),
                    Just("received_on".to_string()),
                    Just("owns".to_string()),
                    Just("key".to_string()),
                    Just("name".to_string()),
                    "[a-z_]{1,10}",
                ],
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_calendar_deadline_is_a_business_day_on_or_after_its_nominal_end(
        cal in calendar(), start in day(), days in 0u32..400, after in any::<bool>()
    ) {
        let day_one = if after { DayOne::DayAfter } else { DayOne::StartDate };
        let due = cal.calendar_deadline(start, days, day_one);
        prop_assert!(cal.is_business_day(due), "{due} is not a business day");
        prop_assert!(due >= day_one.nominal_end(start, days));
        prop_assert!(days == 0 || due >= start, "a period never ends before it starts");
    }

    #[test]
    fn a_business_deadline_counts_exactly_its_business_days(
        cal in calendar(), start in day(), n in 1u32..60
    ) {
        let due = cal.business_deadline(start, n);
        prop_assert!(cal.is_business_day(due));
        prop_assert!(due > start);
        let mut counted = 0;
        let mut d = start;
        while d < due {
            d = d.succ_opt().unwrap();
            if cal.is_business_day(d) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, n);
    }

    #[test]
    fn tolling_never_brings_a_deadline_earlier_and_leaves_it_on_a_business_day(
        cal in calendar(), due in day(), from in day(), pause in 0u64..200
    ) {
        let resumed = from.checked_add_days(Days::new(pause)).unwrap();
        let tolled = cal.toll(due, from, resumed);
        prop_assert!(tolled >= due);
        if tolled != due {
            prop_assert!(cal.is_business_day(tolled));
        }
    }

    #[test]
    fn a_report_is_received_on_a_business_day_never_before_its_new_york_date(
        cal in calendar(), secs in 157_766_400i64..2_840_140_800
    ) {
        let at: DateTime<Utc> = DateTime::from_timestamp(secs, 0).unwrap();
        let received = cal.received_on(at);
        prop_assert!(cal.is_business_day(received));
        prop_assert!(received >= crate::domain::clock::office_date(at));
        prop_assert!(received.year() >= 1975);
    }

    #[test]
    fn normalising_a_name_twice_changes_nothing(name in any::<String>()) {
        let once = names::normalize(&name);
        prop_assert_eq!(names::normalize(&once), once.clone());
        let key = crate::domain::related::name_key(&name);
        prop_assert_eq!(crate::domain::related::name_key(&key), key);
    }

    #[test]
    fn any_json_body_is_read_into_a_report_or_field_errors_never_a_panic(body in json()) {
        let raw = RawReport::from_json(body);
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        match (report::parse(&raw, today), report::parse_json(&raw, today)) {
            (_, Ok(r)) => prop_assert!(r.parties.len() <= report::MAX_PARTIES),
            (_, Err(e)) => prop_assert!(!e.is_empty()),
        }
    }

    #[test]
    fn any_form_is_read_without_a_panic(
        pairs in proptest::collection::vec(("[a-z_.\\[\\]0-9]{0,24}", any::<String>()), 0..40)
    ) {
        let raw = RawReport::from_pairs(&pairs);
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let _ = report::parse(&raw, today);
    }

    #[test]
    fn any_file_is_read_into_reports_or_problems_never_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048), csv in any::<bool>()
    ) {
        let format = if csv { Format::Csv } else { Format::Jsonl };
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        match import::read(&bytes, format) {
            Ok(items) => {
                prop_assert!(!items.is_empty());
                let _ = import::check(&items, today);
            }
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }

    #[test]
    fn any_csv_text_with_the_real_header_is_read_without_a_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-zA-Z0-9 ,.\"=+@-]{0,10}", 0..8), 0..20)
    ) {
        let mut text = String::from("report,title,source,transaction.kind,property.lat,property.lon,party.name,party.country,party.role\n");
        for row in rows {
            text.push_str(&row.join(","));
            text.push('\n');
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        if let Ok(items) = import::read(text.as_bytes(), Format::Csv) {
            let _ = import::check(&items, today);
        }
    }

    #[test]
    fn any_coordinate_finds_one_county_or_none(lat in any::<f64>(), lon in any::<f64>()) {
        let found = crate::maps::county_at(lat, lon);
        if !(lat.is_finite() && lon.is_finite()) {
            prop_assert!(found.is_none());
        }
        if let Some(c) = found {
            prop_assert_eq!(c.fips.len(), 5);
        }
    }

    #[test]
    fn any_file_given_to_verify_is_judged_never_a_panic(body in json(), text in any::<String>()) {
        let _ = crate::domain::export::verify(&body.to_string());
        let _ = crate::domain::export::verify(&text);
    }
}
