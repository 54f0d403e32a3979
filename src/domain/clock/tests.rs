//! Hand-computed cases for the clock engine. Every expected date was worked out by hand (the
//! arithmetic is in the comments) and cross-checked with an independent Python computation
//! (`datetime` + `zoneinfo`). The tables are kept one case per line (`rustfmt::skip`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn no_closures() -> Calendar {
    Calendar::new([])
}

// ---------------------------------------------------------------- holidays

#[test]
#[rustfmt::skip]
fn holidays_2024() {
    let expected = vec![
        (d(2024, 1, 1), NEW_YEARS_DAY),         // Mon
        (d(2024, 1, 15), MLK_DAY),              // Jan 1 is Mon → Mondays 1, 8, 15
        (d(2024, 2, 19), WASHINGTONS_BIRTHDAY), // Feb 1 Thu → Mondays 5, 12, 19
        (d(2024, 5, 27), MEMORIAL_DAY),         // May 31 is Fri → last Monday 27
        (d(2024, 6, 19), JUNETEENTH),           // Wed
        (d(2024, 7, 4), INDEPENDENCE_DAY),      // Thu
        (d(2024, 9, 2), LABOR_DAY),             // Sep 1 Sun → first Monday 2
        (d(2024, 10, 14), COLUMBUS_DAY),        // Oct 1 Tue → Mondays 7, 14
        (d(2024, 11, 11), VETERANS_DAY),        // Mon
        (d(2024, 11, 28), THANKSGIVING_DAY),    // Nov 1 Fri → Thursdays 7, 14, 21, 28
        (d(2024, 12, 25), CHRISTMAS_DAY),       // Wed; New Year 2025 is a Wed, so no Dec 31
    ];
    assert_eq!(federal_holidays(2024), expected);
}

#[test]
#[rustfmt::skip]
fn holidays_2025() {
    let expected = vec![
        (d(2025, 1, 1), NEW_YEARS_DAY),                 // Wed
        (d(2025, 1, 20), MLK_DAY_AND_INAUGURATION_DAY), // (2025-1965)%4 == 0; Jan 20 Mon = 3rd Monday
        (d(2025, 2, 17), WASHINGTONS_BIRTHDAY),         // Feb 1 Sat → Mondays 3, 10, 17
        (d(2025, 5, 26), MEMORIAL_DAY),                 // May 31 Sat → last Monday 26
        (d(2025, 6, 19), JUNETEENTH),                   // Thu
        (d(2025, 7, 4), INDEPENDENCE_DAY),              // Fri
        (d(2025, 9, 1), LABOR_DAY),                     // Sep 1 is a Monday
        (d(2025, 10, 13), COLUMBUS_DAY),                // Oct 1 Wed → Mondays 6, 13
        (d(2025, 11, 11), VETERANS_DAY),                // Tue
        (d(2025, 11, 27), THANKSGIVING_DAY),            // Nov 1 Sat → Thursdays 6, 13, 20, 27
        (d(2025, 12, 25), CHRISTMAS_DAY),               // Thu
    ];
    assert_eq!(federal_holidays(2025), expected);
}

#[test]
#[rustfmt::skip]
fn holidays_2026() {
    let expected = vec![
        (d(2026, 1, 1), NEW_YEARS_DAY),         // Thu
        (d(2026, 1, 19), MLK_DAY),              // Jan 1 Thu → Mondays 5, 12, 19
        (d(2026, 2, 16), WASHINGTONS_BIRTHDAY), // Feb 1 Sun → Mondays 2, 9, 16
        (d(2026, 5, 25), MEMORIAL_DAY),         // May 31 Sun → last Monday 25
        (d(2026, 6, 19), JUNETEENTH),           // Fri
        (d(2026, 7, 3), INDEPENDENCE_DAY),      // Jul 4 is a Saturday → observed Fri Jul 3
        (d(2026, 9, 7), LABOR_DAY),             // Sep 1 Tue → first Monday 7
        (d(2026, 10, 12), COLUMBUS_DAY),        // Oct 1 Thu → Mondays 5, 12
        (d(2026, 11, 11), VETERANS_DAY),        // Wed
        (d(2026, 11, 26), THANKSGIVING_DAY),    // Nov 1 Sun → Thursdays 5, 12, 19, 26
        (d(2026, 12, 25), CHRISTMAS_DAY),       // Fri
    ];
    assert_eq!(federal_holidays(2026), expected);
}

#[test]
#[rustfmt::skip]
fn observed_days_and_edge_years() {
    let cal = no_closures();
    let cases: &[(NaiveDate, Option<&str>, &str)] = &[
        (d(2021, 12, 31), Some(NEW_YEARS_DAY), "New Year 2022 is a Saturday → observed Fri 2021-12-31"),
        (d(2022, 1, 1), None, "the Saturday itself is not an observed holiday"),
        (d(2022, 6, 20), Some(JUNETEENTH), "Juneteenth 2022-06-19 is a Sunday → Mon 2022-06-20"),
        (d(2023, 1, 2), Some(NEW_YEARS_DAY), "New Year 2023 is a Sunday → Mon 2023-01-02"),
        (d(2027, 6, 18), Some(JUNETEENTH), "Juneteenth 2027-06-19 is a Saturday → Fri 2027-06-18"),
        (d(2022, 12, 26), Some(CHRISTMAS_DAY), "Christmas 2022 is a Sunday → Mon 2022-12-26"),
        (d(2026, 7, 3), Some(INDEPENDENCE_DAY), "Jul 4 2026 Saturday → Fri Jul 3"),
        (d(2026, 7, 4), None, "the Saturday itself answers nothing"),
        (d(2025, 11, 27), Some(THANKSGIVING_DAY), "4th Thursday of Nov 2025"),
        (d(2025, 1, 20), Some(MLK_DAY_AND_INAUGURATION_DAY), "Inauguration 2025 on MLK day"),
        (d(2021, 6, 18), Some(JUNETEENTH), "first Juneteenth: Sat 2021-06-19 → Fri 2021-06-18"),
        (d(2020, 6, 19), None, "no Juneteenth before 2021"),
        (d(2021, 1, 20), Some(INAUGURATION_DAY), "Inauguration 2021 on a Wednesday"),
        (d(2017, 1, 20), Some(INAUGURATION_DAY), "Inauguration 2017 on a Friday"),
        (d(2013, 1, 21), Some(MLK_DAY_AND_INAUGURATION_DAY), "Jan 20 2013 Sunday → Mon 21 = 3rd Monday"),
        (d(2029, 1, 19), None, "Jan 20 2029 is a Saturday: no in-lieu Friday for Inauguration Day"),
        (d(2023, 11, 10), Some(VETERANS_DAY), "Nov 11 2023 Saturday → Fri Nov 10"),
        (d(2021, 12, 24), Some(CHRISTMAS_DAY), "Christmas 2021 Saturday → Fri Dec 24"),
        (d(2021, 7, 5), Some(INDEPENDENCE_DAY), "Jul 4 2021 Sunday → Mon Jul 5"),
        (d(1986, 1, 20), Some(MLK_DAY), "first MLK day: 3rd Monday of Jan 1986"),
        (d(1985, 1, 21), Some(INAUGURATION_DAY), "Jan 20 1985 Sunday → Mon 21; no MLK day yet"),
        (d(1975, 10, 27), Some(VETERANS_DAY), "1971–1977: 4th Monday of October (Oct 1 1975 Wed → 6, 13, 20, 27)"),
        (d(1975, 11, 11), None, "so not Nov 11 in 1975"),
        (d(2025, 12, 24), None, "Christmas Eve is not a 6103 holiday (closures are added by an admin)"),
    ];
    for (day, want, why) in cases {
        assert_eq!(cal.is_holiday(*day), *want, "{day}: {why}");
    }
}

#[test]
fn new_year_on_saturday_belongs_to_the_previous_year() {
    // 2022: New Year's Day (Sat) was observed in 2021, so 2022 has 10 entries (no Jan 1), and
    // Christmas (Sun) → Mon Dec 26. 2021 has 13: its own New Year, Inauguration Day and 2022's.
    let y2022 = federal_holidays(2022);
    assert_eq!(y2022.len(), 10);
    assert_eq!(y2022.first(), Some(&(d(2022, 1, 17), MLK_DAY)));
    assert_eq!(y2022.last(), Some(&(d(2022, 12, 26), CHRISTMAS_DAY)));
    let y2021 = federal_holidays(2021);
    assert_eq!(y2021.len(), 13);
    assert_eq!(y2021.last(), Some(&(d(2021, 12, 31), NEW_YEARS_DAY)));
    // 2027 ends the same way: Dec 25 Sat → Fri Dec 24, Jan 1 2028 Sat → Fri Dec 31.
    let y2027: Vec<_> = federal_holidays(2027).into_iter().rev().take(2).collect();
    assert_eq!(
        y2027,
        vec![
            (d(2027, 12, 31), NEW_YEARS_DAY),
            (d(2027, 12, 24), CHRISTMAS_DAY)
        ]
    );
}

#[test]
fn before_the_monday_holiday_act() {
    // 1970: fixed dates. Feb 22 Sun → Mon Feb 23; May 30 Sat → Fri May 29; Jul 4 Sat → Fri Jul 3;
    // no Columbus Day, no MLK day.
    let y1970: Vec<NaiveDate> = federal_holidays(1970).into_iter().map(|(h, _)| h).collect();
    let want = [
        (1, 1),
        (2, 23),
        (5, 29),
        (7, 3),
        (9, 7),
        (11, 11),
        (11, 26),
        (12, 25),
    ];
    assert_eq!(
        y1970,
        want.iter()
            .map(|&(m, day)| d(1970, m, day))
            .collect::<Vec<_>>()
    );
}

#[test]
fn holiday_lists_are_consistent_for_every_year() {
    let cal = no_closures();
    for year in 1900..=2200 {
        let list = federal_holidays(year);
        assert!(
            list.windows(2).all(|w| w[0].0 < w[1].0),
            "{year}: sorted, one entry per date"
        );
        for (day, name) in &list {
            assert_eq!(day.year(), year);
            assert!(
                !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
                "{day} {name} on a weekend"
            );
            assert_eq!(cal.is_holiday(*day), Some(*name));
            assert!(!cal.is_business_day(*day));
        }
        if year >= 2021 {
            // 11 holidays; one fewer when New Year's is observed the year before, one more when
            // the next New Year's is observed on Dec 31; plus a non-MLK Inauguration Day.
            assert!((10..=13).contains(&list.len()), "{year}: {}", list.len());
        }
    }
}

// ---------------------------------------------------------------- business days

#[test]
#[rustfmt::skip]
fn business_days() {
    let cal = Calendar::new([d(2025, 12, 24)]);
    let cases: &[(NaiveDate, bool, &str)] = &[
        (d(2025, 3, 3), true, "plain Monday"),
        (d(2025, 3, 8), false, "Saturday"),
        (d(2025, 3, 9), false, "Sunday"),
        (d(2025, 7, 4), false, "Independence Day"),
        (d(2026, 7, 3), false, "observed Independence Day"),
        (d(2025, 11, 28), true, "day after Thanksgiving is not a 6103 holiday"),
        (d(2025, 12, 24), false, "closure day"),
        (d(2024, 12, 24), true, "Christmas Eve without a closure"),
    ];
    for (day, want, why) in cases {
        assert_eq!(cal.is_business_day(*day), *want, "{day}: {why}");
    }
}

#[test]
#[rustfmt::skip]
fn add_business_days_table() {
    let eo_2025 = Calendar::new([d(2025, 12, 24), d(2025, 12, 26)]);
    let jan9 = Calendar::new([d(2025, 1, 9)]);
    let none = no_closures();
    let cases: &[(&Calendar, NaiveDate, u32, NaiveDate, &str)] = &[
        // Dec 22(1) 23(2) 24(3) [25 Xmas] 26(4) 29(5) 30(6) 31(7) [Jan 1] 2(8) 5(9) 6(10)
        (&none, d(2025, 12, 19), 10, d(2026, 1, 6), "10 BD across Christmas and New Year"),
        // closures Dec 24 and 26: Dec 22(1) 23(2) 29(3) 30(4) 31(5) Jan 2(6) 5(7) 6(8) 7(9) 8(10)
        (&eo_2025, d(2025, 12, 19), 10, d(2026, 1, 8), "same with two closure days"),
        (&none, d(2025, 3, 15), 0, d(2025, 3, 15), "0 BD returns the start, even a Saturday"),
        (&none, d(2025, 3, 15), 1, d(2025, 3, 17), "Sat + 1 BD = Mon"),
        (&none, d(2025, 11, 26), 1, d(2025, 11, 28), "Wed before Thanksgiving + 1 = Fri"),
        // Dec 23(1) 24(2) [25] 26(3)
        (&none, d(2024, 12, 20), 3, d(2024, 12, 26), "3 BD over Christmas 2024"),
        // Jan 17(1) [20 MLK/Inauguration] 21(2) 22(3) 23(4) 24(5)
        (&none, d(2025, 1, 16), 5, d(2025, 1, 24), "5 BD over MLK/Inauguration"),
        // [Jan 1] 2(1) 3(2) 6(3) 7(4) 8(5) 9(6) 10(7) 13(8) 14(9) 15(10)
        (&none, d(2024, 12, 31), 10, d(2025, 1, 15), "10 BD across the year end"),
        // with Jan 9 closed: 2 3 6 7 8 10 13 14 15 16
        (&jan9, d(2024, 12, 31), 10, d(2025, 1, 16), "same with a closure day (Jan 9)"),
        // [Fri Jul 3 observed] [Sat 4] [Sun 5] Mon 6(1) Tue 7(2)
        (&none, d(2026, 7, 2), 2, d(2026, 7, 7), "2 BD over the observed Independence Day"),
        // [Mon 26 Memorial] 27(1) 28(2) 29(3)
        (&none, d(2025, 5, 23), 3, d(2025, 5, 29), "3 BD over Memorial Day"),
        // [Fri Dec 31 observed New Year 2022] [Sat] [Sun] Mon Jan 3
        (&none, d(2021, 12, 30), 1, d(2022, 1, 3), "1 BD over New Year observed on Dec 31"),
        // Mar 4..7 (4), 10..14 (9), 17 (10)
        (&none, d(2025, 3, 3), 10, d(2025, 3, 17), "10 BD staff comments, plain fortnight"),
    ];
    for (cal, start, n, want, why) in cases {
        assert_eq!(cal.add_business_days(*start, *n), *want, "{start} + {n} BD: {why}");
        assert_eq!(cal.business_deadline(*start, *n), *want, "{start} + {n} BD: {why}");
    }
}

#[test]
#[rustfmt::skip]
fn next_and_on_or_after() {
    let cal = no_closures();
    let cases: &[(NaiveDate, NaiveDate, NaiveDate, &str)] = &[
        // (d, on_or_after(d), next(d))
        (d(2025, 3, 3), d(2025, 3, 3), d(2025, 3, 4), "Monday: itself / Tuesday"),
        (d(2025, 3, 7), d(2025, 3, 7), d(2025, 3, 10), "Friday: itself / Monday"),
        (d(2025, 3, 8), d(2025, 3, 10), d(2025, 3, 10), "Saturday: Monday both ways"),
        (d(2025, 11, 27), d(2025, 11, 28), d(2025, 11, 28), "Thanksgiving: Friday"),
        (d(2025, 12, 31), d(2025, 12, 31), d(2026, 1, 2), "Dec 31 Wed: itself / Fri Jan 2"),
        (d(2026, 7, 3), d(2026, 7, 6), d(2026, 7, 6), "observed Jul 3: Mon Jul 6"),
    ];
    for (day, on_or_after, next, why) in cases {
        assert_eq!(cal.on_or_after_business_day(*day), *on_or_after, "{day}: {why}");
        assert_eq!(cal.next_business_day(*day), *next, "{day}: {why}");
    }
}

// ---------------------------------------------------------------- calendar-day periods

#[test]
#[rustfmt::skip]
fn calendar_deadlines() {
    use DayOne::{DayAfter, StartDate};
    let none = no_closures();
    let closed_16 = Calendar::new([d(2025, 4, 16)]);
    let closed_16_18 = Calendar::new([d(2025, 4, 16), d(2025, 4, 17), d(2025, 4, 18)]);
    let cases: &[(&Calendar, NaiveDate, u32, DayOne, NaiveDate, &str)] = &[
        // 45 CD review, start = day 1: last day = start + 44.
        (&none, d(2025, 3, 3), 45, StartDate, d(2025, 4, 16), "Mar 3 + 44: Mar 3+28 = Mar 31, +16 = Wed Apr 16"),
        (&none, d(2025, 3, 6), 45, StartDate, d(2025, 4, 21), "Mar 6 + 44: +25 = Mar 31, +19 = Sat Apr 19 → Mon Apr 21"),
        (&none, d(2025, 10, 14), 45, StartDate, d(2025, 11, 28), "Oct 14 + 44: +17 = Oct 31, +27 = Nov 27 Thanksgiving → Fri 28"),
        (&none, d(2025, 11, 11), 45, StartDate, d(2025, 12, 26), "Nov 11 + 44: +19 = Nov 30, +25 = Dec 25 Christmas → Fri 26"),
        (&none, d(2026, 5, 21), 45, StartDate, d(2026, 7, 6), "May 21 + 44: +10 = May 31, +30 = Jun 30, +4 = Sat Jul 4 → Mon Jul 6"),
        (&none, d(2026, 5, 20), 45, StartDate, d(2026, 7, 6), "May 20 + 44 = Fri Jul 3, observed holiday → [Sat, Sun] → Mon Jul 6"),
        (&none, d(2025, 12, 5), 45, StartDate, d(2026, 1, 20), "Dec 5 + 44: +26 = Dec 31, +18 = Sun Jan 18; Mon 19 MLK → Tue Jan 20"),
        (&none, d(2025, 11, 18), 45, StartDate, d(2026, 1, 2), "Nov 18 + 44: +12 = Nov 30, +31 = Dec 31, +1 = Jan 1 → Fri Jan 2"),
        // Day after start = day 1: last day = start + 45.
        (&none, d(2025, 3, 3), 45, DayAfter, d(2025, 4, 17), "Mar 3 + 45 = Thu Apr 17"),
        (&none, d(2025, 3, 5), 45, StartDate, d(2025, 4, 18), "Mar 5 + 44 = Fri Apr 18"),
        (&none, d(2025, 3, 5), 45, DayAfter, d(2025, 4, 21), "Mar 5 + 45 = Sat Apr 19 → Mon Apr 21"),
        (&none, d(2025, 10, 13), 45, DayAfter, d(2025, 11, 28), "Oct 13 + 45: +18 = Oct 31, +27 = Nov 27 → Fri 28"),
        // 30 CD declaration assessment: start + 29.
        (&none, d(2025, 6, 2), 30, StartDate, d(2025, 7, 1), "Jun 2 + 29: +28 = Jun 30, +1 = Tue Jul 1"),
        (&none, d(2025, 6, 5), 30, StartDate, d(2025, 7, 7), "Jun 5 + 29: +25 = Jun 30, +4 = Fri Jul 4 holiday → Mon Jul 7"),
        (&none, d(2025, 12, 3), 30, StartDate, d(2026, 1, 2), "Dec 3 + 29: +28 = Dec 31, +1 = Jan 1 → Fri Jan 2"),
        (&none, d(2026, 6, 4), 30, StartDate, d(2026, 7, 6), "Jun 4 + 29 = Fri Jul 3 observed → Mon Jul 6"),
        (&none, d(2025, 6, 4), 30, DayAfter, d(2025, 7, 7), "Jun 4 + 30 = Fri Jul 4 → Mon Jul 7"),
        // 15 CD presidential decision.
        (&none, d(2024, 4, 29), 15, StartDate, d(2024, 5, 13), "Apr 29 + 14: +1 = Apr 30, +13 = Mon May 13"),
        // Closure days.
        (&closed_16, d(2025, 3, 3), 45, StartDate, d(2025, 4, 17), "Wed Apr 16 closed → Thu Apr 17"),
        (&closed_16_18, d(2025, 3, 3), 45, StartDate, d(2025, 4, 21), "Apr 16–18 closed, weekend → Mon Apr 21"),
    ];
    for (cal, start, days, day_one, want, why) in cases {
        assert_eq!(cal.calendar_deadline(*start, *days, *day_one), *want, "{start} {days} CD {day_one:?}: {why}");
    }
}

#[test]
fn nominal_end_and_zero_length() {
    assert_eq!(DayOne::default(), DayOne::StartDate);
    assert_eq!(
        DayOne::StartDate.nominal_end(d(2025, 3, 6), 45),
        d(2025, 4, 19)
    ); // before rolling
    assert_eq!(
        DayOne::StartDate.nominal_end(d(2025, 3, 6), 0),
        d(2025, 3, 6)
    ); // 0 treated as 1
    assert_eq!(
        DayOne::DayAfter.nominal_end(d(2025, 3, 6), 0),
        d(2025, 3, 6)
    );
    assert_eq!(
        DayOne::StartDate.nominal_end(NaiveDate::MAX, 45),
        NaiveDate::MAX
    ); // saturates
}

// ---------------------------------------------------------------- 17:00 cut-off

#[test]
#[rustfmt::skip]
fn received_on_cutoff() {
    let cal = no_closures();
    let cases: &[(&str, NaiveDate, &str)] = &[
        // EDT (UTC-4) from Sun 2025-03-09.
        ("2025-03-10T20:59:00Z", d(2025, 3, 10), "16:59 EDT Mon → same day"),
        ("2025-03-10T21:01:00Z", d(2025, 3, 11), "17:01 EDT Mon → Tue"),
        ("2025-03-10T21:00:00Z", d(2025, 3, 10), "17:00:00 EDT exactly is not after 17:00"),
        ("2025-03-10T21:30:00Z", d(2025, 3, 11), "17:30 EDT (would be 16:30 if EST were wrongly used)"),
        ("2025-03-07T21:30:00Z", d(2025, 3, 7), "Fri before DST: 16:30 EST → same day"),
        // EST (UTC-5): 17:00 EST = 22:00Z.
        ("2025-01-14T21:59:59Z", d(2025, 1, 14), "16:59:59 EST → same day"),
        ("2025-01-14T22:00:00Z", d(2025, 1, 14), "17:00:00 EST exactly → same day"),
        ("2025-01-14T22:00:01Z", d(2025, 1, 15), "17:00:01 EST → Wed"),
        ("2025-01-14T22:00:00.001Z", d(2025, 1, 15), "a millisecond after 17:00 EST → Wed"),
        ("2025-01-14T21:30:00Z", d(2025, 1, 14), "16:30 EST → same day"),
        // The New York date differs from the UTC date in the evening.
        ("2025-03-11T02:00:00Z", d(2025, 3, 11), "Mon 22:00 EDT (UTC says Tue) → late → Tue"),
        ("2025-03-11T04:30:00Z", d(2025, 3, 11), "Tue 00:30 EDT → Tue"),
        // Non-business days.
        ("2025-03-15T15:00:00Z", d(2025, 3, 17), "Sat 11:00 EDT → Mon"),
        ("2025-03-16T03:00:00Z", d(2025, 3, 17), "Sat 23:00 EDT (UTC says Sun) → Mon"),
        ("2025-03-14T21:30:00Z", d(2025, 3, 17), "Fri 17:30 EDT → Mon"),
        ("2025-05-23T22:00:00Z", d(2025, 5, 27), "Fri 18:00 EDT before Memorial Day → Tue"),
        ("2025-07-04T14:00:00Z", d(2025, 7, 7), "Independence Day 10:00 → Mon"),
        // DST ends Sun 2025-11-02.
        ("2025-10-31T21:30:00Z", d(2025, 11, 3), "Fri 17:30 EDT → Mon"),
        ("2025-11-03T21:30:00Z", d(2025, 11, 3), "Mon 16:30 EST → same day"),
        ("2025-12-31T23:00:00Z", d(2026, 1, 2), "Wed Dec 31 18:00 EST → [Jan 1] → Fri Jan 2"),
    ];
    for (at, want, why) in cases {
        assert_eq!(cal.received_on(utc(at)), *want, "{at}: {why}");
    }
    // A closure day moves a timely submission too: Mon 10:00 EDT on a closed day → Tue.
    assert_eq!(Calendar::new([d(2025, 3, 10)]).received_on(utc("2025-03-10T14:00:00Z")), d(2025, 3, 11));
}

#[test]
#[rustfmt::skip]
fn office_dates() {
    let cases: &[(&str, NaiveDate, &str)] = &[
        ("2025-03-11T03:30:00Z", d(2025, 3, 10), "23:30 EDT on the 10th"),
        ("2025-01-01T04:59:59Z", d(2024, 12, 31), "23:59:59 EST on New Year's Eve"),
        ("2025-01-01T05:00:00Z", d(2025, 1, 1), "midnight EST"),
        ("2025-07-01T04:00:00Z", d(2025, 7, 1), "midnight EDT"),
    ];
    for (at, want, why) in cases {
        assert_eq!(office_date(utc(at)), *want, "{at}: {why}");
    }
}

// ---------------------------------------------------------------- acceptance

#[test]
#[rustfmt::skip]
fn acceptance_effective_next_business_day() {
    let none = no_closures();
    let closed_26 = Calendar::new([d(2025, 12, 26)]);
    let cases: &[(&Calendar, NaiveDate, NaiveDate, &str)] = &[
        (&none, d(2025, 11, 26), d(2025, 11, 28), "Wed before Thanksgiving → [Thu 27] → Fri 28"),
        (&none, d(2025, 8, 29), d(2025, 9, 2), "Fri → [Sat, Sun, Mon Labor Day] → Tue"),
        (&none, d(2025, 5, 23), d(2025, 5, 27), "Fri → [Mon Memorial Day] → Tue"),
        (&none, d(2025, 1, 17), d(2025, 1, 21), "Fri → [Mon MLK/Inauguration] → Tue"),
        (&none, d(2025, 12, 24), d(2025, 12, 26), "Wed → [Christmas] → Fri"),
        (&closed_26, d(2025, 12, 24), d(2025, 12, 29), "Wed → [Christmas, closed Fri, weekend] → Mon"),
        (&none, d(2025, 12, 31), d(2026, 1, 2), "Wed Dec 31 → [Jan 1] → Fri"),
        (&none, d(2025, 3, 15), d(2025, 3, 17), "found complete on a Saturday → Mon"),
        (&none, d(2025, 3, 4), d(2025, 3, 5), "plain Tuesday → Wednesday"),
    ];
    for (cal, found, want, why) in cases {
        assert_eq!(cal.acceptance_effective(*found), *want, "{found}: {why}");
    }
}

#[test]
fn review_from_acceptance() {
    // Found complete Wed 2025-11-26 → accepted Fri 2025-11-28 (day 1);
    // day 45 = Nov 28 + 44: +2 = Nov 30, +31 = Dec 31, +11 = Sun Jan 11 2026 → Mon Jan 12.
    let cal = no_closures();
    let start = cal.acceptance_effective(d(2025, 11, 26));
    assert_eq!(
        cal.calendar_deadline(start, 45, DayOne::StartDate),
        d(2026, 1, 12)
    );
}

// ---------------------------------------------------------------- tolling

#[test]
#[rustfmt::skip]
fn tolling_2025_shutdown() {
    let cal = no_closures();
    let (from, to) = (d(2025, 10, 1), d(2025, 11, 12));
    // Oct 1 → Oct 31 is 30 days, + 12 = 42.
    assert_eq!(paused_days(from, to), 42);
    let cases: &[(NaiveDate, NaiveDate, &str)] = &[
        (d(2025, 10, 15), d(2025, 11, 26), "Oct 15 + 42: +16 = Oct 31, +26 = Wed Nov 26"),
        (d(2025, 10, 16), d(2025, 11, 28), "Oct 16 + 42: +15 = Oct 31, +27 = Thu Nov 27 Thanksgiving → Fri 28"),
        (d(2025, 11, 13), d(2025, 12, 26), "Nov 13 + 42: +17 = Nov 30, +25 = Dec 25 → Fri 26"),
        (d(2025, 11, 14), d(2025, 12, 26), "Nov 14 + 42: +16 = Nov 30, +26 = Fri Dec 26"),
        (d(2025, 10, 1), d(2025, 11, 12), "due on the first paused day moves: Oct 1 + 42 = Wed Nov 12"),
        (d(2025, 10, 3), d(2025, 11, 14), "Oct 3 + 42: +28 = Oct 31, +14 = Fri Nov 14"),
        (d(2025, 10, 28), d(2025, 12, 9), "Oct 28 + 42: +3 = Oct 31, +30 = Nov 30, +9 = Tue Dec 9"),
        (d(2025, 10, 5), d(2025, 11, 17), "Oct 5 + 42: +26 = Oct 31, +16 = Sun Nov 16 → Mon Nov 17"),
        (d(2025, 9, 30), d(2025, 9, 30), "already due before the pause: unchanged"),
    ];
    for (due, want, why) in cases {
        assert_eq!(cal.toll(*due, from, to), *want, "{due}: {why}");
    }
    // A closure on the moved date pushes it on: Nov 26 closed → [Thanksgiving] → Fri Nov 28.
    assert_eq!(Calendar::new([d(2025, 11, 26)]).toll(d(2025, 10, 15), from, to), d(2025, 11, 28));
}

#[test]
fn tolling_edge_cases() {
    let cal = no_closures();
    // Resumed before it was paused: never negative, nothing moves.
    assert_eq!(paused_days(d(2025, 10, 10), d(2025, 10, 1)), 0);
    assert_eq!(
        cal.toll(d(2025, 10, 15), d(2025, 10, 10), d(2025, 10, 1)),
        d(2025, 10, 15)
    );
    // Paused and resumed the same day: 0 days, nothing moves.
    assert_eq!(
        cal.toll(d(2025, 10, 15), d(2025, 10, 10), d(2025, 10, 10)),
        d(2025, 10, 15)
    );
    // One day: Fri Oct 17 + 1 = Sat → Mon Oct 20.
    assert_eq!(
        cal.toll(d(2025, 10, 17), d(2025, 10, 10), d(2025, 10, 11)),
        d(2025, 10, 20)
    );
}

// ---------------------------------------------------------------- days left

#[test]
#[rustfmt::skip]
fn days_left_table() {
    let cases: &[(NaiveDate, NaiveDate, i64, &str)] = &[
        (d(2025, 11, 28), d(2025, 11, 26), 2, "two days to go"),
        (d(2025, 11, 26), d(2025, 11, 28), -2, "two days overdue"),
        (d(2025, 11, 26), d(2025, 11, 26), 0, "due today"),
        (d(2026, 1, 2), d(2025, 12, 19), 14, "across the year end: 12 + 2"),
        (d(2024, 3, 1), d(2024, 2, 28), 2, "leap day counted"),
    ];
    for (due, today, want, why) in cases {
        assert_eq!(days_left(*due, *today), *want, "{why}");
    }
}

// ---------------------------------------------------------------- purity and robustness

#[test]
fn module_is_pure() {
    let sources = [
        include_str!("mod.rs"),
        include_str!("calendar.rs"),
        include_str!("deadline.rs"),
    ];
    let forbidden = [
        "actix_web",
        "diesel::",
        "askama::",
        "tokio::",
        "std::fs",
        "std::env",
        "Utc::now",
        "Local::now",
        "SystemTime",
    ];
    for src in sources {
        for word in forbidden {
            assert!(!src.contains(word), "clock module mentions {word}");
        }
    }
}

#[test]
fn extremes_do_not_panic_or_loop() {
    let cal = no_closures();
    assert_eq!(cal.on_or_after_business_day(NaiveDate::MAX), NaiveDate::MAX);
    assert_eq!(cal.next_business_day(NaiveDate::MAX), NaiveDate::MAX);
    let _ = cal.add_business_days(NaiveDate::MAX, 5);
    let _ = cal.calendar_deadline(NaiveDate::MAX, 45, DayOne::DayAfter);
    let _ = cal.toll(NaiveDate::MAX, NaiveDate::MIN, NaiveDate::MAX);
    let _ = federal_holidays(NaiveDate::MAX.year());
    assert!(federal_holidays(i32::MAX).is_empty());
    assert!(federal_holidays(i32::MIN).is_empty());
}

#[test]
fn calendar_basics() {
    let cal = Calendar::new([
        d(2025, 12, 26),
        d(2025, 12, 24),
        d(2025, 12, 26),
        d(2025, 12, 25),
    ]);
    assert_eq!(
        cal.closures().collect::<Vec<_>>(),
        vec![d(2025, 12, 24), d(2025, 12, 25), d(2025, 12, 26)]
    );
    assert!(cal.is_closure(d(2025, 12, 24)));
    assert_eq!(cal.is_holiday(d(2025, 12, 24)), Some(CLOSURE));
    assert_eq!(
        cal.is_holiday(d(2025, 12, 25)),
        Some(CHRISTMAS_DAY),
        "holiday name wins over closure"
    );
    assert_eq!(Calendar::default(), no_closures());
    assert_eq!(
        federal_holiday_on(d(2025, 12, 24)),
        None,
        "closures are not federal holidays"
    );
}
