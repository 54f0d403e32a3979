//! The dashboard's four charts, built from the counts the database keeps (`db::stats`): what
//! each chart shows, its table (the text alternative) and its geometry.

use chrono::{Datelike, NaiveDate};

use super::geometry::{BarChart, ColumnChart, Row, Series};
use super::palette::{band_style, style};
use crate::domain::countries::country_name;
use crate::domain::workflow::Outcome;

/// Months in the intake chart, the current one last.
pub const MONTHS: i32 = 24;
/// Years in the outcomes chart, the current one last.
pub const YEARS: i32 = 10;
/// Countries in the country chart.
pub const COUNTRIES: usize = 15;
/// The risk bands, lowest first; unscreened cases come last as `""`.
const BANDS: [&str; 5] = ["low", "moderate", "high", "critical", ""];

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// What the database counted, each as (bucket, cases) with no zero rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    /// `YYYY-MM` of the received day.
    pub intake: Vec<(String, i64)>,
    /// `YYYY outcome` of the closing day.
    pub outcomes: Vec<(String, i64)>,
    /// Risk band, `""` for cases not screened.
    pub bands: Vec<(String, i64)>,
    /// Country code, the United States left out, most cases first.
    pub countries: Vec<(String, i64)>,
}

/// The first month the intake chart shows, as `YYYY-MM` (what `db::stats` reads from).
pub fn first_month(today: NaiveDate) -> String {
    let (y, m) = month_back(today, MONTHS - 1);
    format!("{y:04}-{m:02}")
}

/// The first year the outcomes chart shows.
pub fn first_year(today: NaiveDate) -> i32 {
    today.year() - YEARS + 1
}

fn month_back(today: NaiveDate, back: i32) -> (i32, u32) {
    let index = today.year() * 12 + today.month0() as i32 - back;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

fn count(rows: &[(String, i64)], key: &str) -> i64 {
    rows.iter()
        .find(|(k, _)| k == key)
        .map(|(_, n)| *n)
        .unwrap_or(0)
}

/// A row of a chart's table: what it counts, how many, and the queue of the same cases.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub label: String,
    pub n: i64,
    pub href: Option<String>,
}

/// The outcomes table: a row per year, a column per outcome shown.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeYear {
    pub year: i32,
    pub counts: Vec<i64>,
    pub total: i64,
}

/// Everything the dashboard draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Charts {
    pub intake: ColumnChart,
    pub intake_rows: Vec<TableRow>,
    pub intake_total: i64,
    pub outcomes: ColumnChart,
    pub outcome_series: Vec<Series>,
    pub outcome_years: Vec<OutcomeYear>,
    pub outcome_total: i64,
    pub countries: BarChart,
    pub country_rows: Vec<TableRow>,
    pub bands: BarChart,
    pub band_rows: Vec<TableRow>,
    pub band_total: i64,
}

impl Charts {
    pub fn build(counts: &Counts, today: NaiveDate) -> Self {
        let (intake, intake_rows) = intake(counts, today);
        let (outcomes, outcome_series, outcome_years) = outcomes(counts, today);
        let country_rows: Vec<TableRow> = counts
            .countries
            .iter()
            .filter(|(_, n)| *n > 0)
            .take(COUNTRIES)
            .map(|(code, n)| TableRow {
                label: match country_name(code) {
                    Some(name) => format!("{name} ({code})"),
                    None => code.clone(),
                },
                n: *n,
                href: code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric())
                    .then(|| format!("/cases?country={code}")),
            })
            .collect();
        let band_rows: Vec<TableRow> = BANDS
            .iter()
            .map(|b| TableRow {
                label: band_label(b).to_string(),
                n: count(&counts.bands, b),
                href: (!b.is_empty()).then(|| format!("/cases?risk={b}")),
            })
            .collect();
        let bars = |rows: &[TableRow], styles: &dyn Fn(usize) -> super::palette::Style| {
            let rows: Vec<Row> = rows
                .iter()
                .enumerate()
                .map(|(i, t)| Row {
                    label: t.label.clone(),
                    value: t.n,
                    style: styles(i),
                    href: t.href.clone(),
                })
                .collect();
            BarChart::layout(560.0, &rows)
        };
        Charts {
            intake_total: intake_rows.iter().map(|r| r.n).sum(),
            intake,
            intake_rows,
            outcome_total: outcome_years.iter().map(|y| y.total).sum(),
            outcomes,
            outcome_series,
            outcome_years,
            countries: bars(&country_rows, &|_| style(0)),
            country_rows,
            bands: bars(&band_rows, &|i| {
                band_style(BANDS.get(i).copied().unwrap_or(""))
            }),
            band_total: band_rows.iter().map(|r| r.n).sum(),
            band_rows,
        }
    }
}

/// A risk band as people read it.
pub fn band_label(band: &str) -> &'static str {
    match band {
        "low" => "Low",
        "moderate" => "Moderate",
        "high" => "High",
        "critical" => "Critical",
        _ => "Not screened",
    }
}

fn intake(counts: &Counts, today: NaiveDate) -> (ColumnChart, Vec<TableRow>) {
    let rows: Vec<TableRow> = (0..MONTHS)
        .rev()
        .map(|back| {
            let (y, m) = month_back(today, back);
            let name = MONTH_NAMES.get(m as usize - 1).copied().unwrap_or("");
            TableRow {
                label: format!("{name} {y}"),
                n: count(&counts.intake, &format!("{y:04}-{m:02}")),
                href: None,
            }
        })
        .collect();
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let values: Vec<Vec<i64>> = rows.iter().map(|r| vec![r.n]).collect();
    let series = [Series {
        label: "reports received".into(),
        style: style(0),
    }];
    let chart = ColumnChart::layout(640.0, 240.0, &labels, &series, &values, 3);
    (chart, rows)
}

fn outcomes(counts: &Counts, today: NaiveDate) -> (ColumnChart, Vec<Series>, Vec<OutcomeYear>) {
    let years: Vec<i32> = (first_year(today)..=today.year()).collect();
    let in_window = |o: &Outcome| {
        years
            .iter()
            .any(|y| count(&counts.outcomes, &format!("{y} {}", o.as_str())) > 0)
    };
    let shown: Vec<Outcome> = Outcome::ALL.iter().copied().filter(in_window).collect();
    let series: Vec<Series> = shown
        .iter()
        .enumerate()
        .map(|(i, o)| Series {
            label: o.label().into(),
            style: style(i),
        })
        .collect();
    let table: Vec<OutcomeYear> = years
        .iter()
        .map(|y| {
            let counts: Vec<i64> = shown
                .iter()
                .map(|o| count(&counts.outcomes, &format!("{y} {}", o.as_str())))
                .collect();
            OutcomeYear {
                year: *y,
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    let labels: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let values: Vec<Vec<i64>> = table.iter().map(|y| y.counts.clone()).collect();
    let chart = ColumnChart::layout(640.0, 240.0, &labels, &series, &values, 1);
    (chart, series, table)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rows(v: &[(&str, i64)]) -> Vec<(String, i64)> {
        v.iter().map(|(k, n)| ((*k).to_string(), *n)).collect()
    }

    #[test]
    fn the_windows_end_this_month_and_this_year() {
        assert_eq!(first_month(day(2026, 12, 3)), "2025-01");
        assert_eq!(first_month(day(2026, 1, 31)), "2024-02");
        assert_eq!(first_year(day(2026, 12, 3)), 2017);
    }

    #[test]
    fn intake_fills_empty_months_and_drops_older_ones() {
        let counts = Counts {
            intake: rows(&[("2024-12", 9), ("2025-01", 2), ("2026-03", 5)]),
            ..Counts::default()
        };
        let c = Charts::build(&counts, day(2026, 12, 3));
        assert_eq!(c.intake_rows.len(), 24);
        assert_eq!(c.intake_rows[0].label, "Jan 2025");
        assert_eq!(c.intake_rows[0].n, 2);
        assert_eq!(c.intake_rows[14].label, "Mar 2026");
        assert_eq!(c.intake_rows[14].n, 5);
        assert_eq!(c.intake_rows[23].label, "Dec 2026");
        assert_eq!(c.intake_total, 7);
        assert_eq!(c.intake.marks.len(), 2);
    }

    #[test]
    fn outcomes_show_only_the_outcomes_that_happened_in_the_window() {
        let counts = Counts {
            outcomes: rows(&[
                ("2026 cleared", 3),
                ("2024 not_covered", 1),
                ("2010 rejected", 4),
            ]),
            ..Counts::default()
        };
        let c = Charts::build(&counts, day(2026, 6, 1));
        let labels: Vec<&str> = c.outcome_series.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Not a covered transaction", "Cleared"]);
        assert_eq!(c.outcome_years.len(), 10);
        let last = c.outcome_years.last().unwrap();
        assert_eq!(
            (last.year, last.counts.clone(), last.total),
            (2026, vec![0, 3], 3)
        );
        assert_eq!(c.outcome_total, 4);
        assert_ne!(c.outcome_series[0].style, c.outcome_series[1].style);
    }

    #[test]
    fn countries_and_bands_link_to_the_queue() {
        let counts = Counts {
            countries: rows(&[("CN", 4), ("VG", 2), ("X\"<", 1)]),
            bands: rows(&[("high", 2), ("", 3)]),
            ..Counts::default()
        };
        let c = Charts::build(&counts, day(2026, 6, 1));
        assert_eq!(c.country_rows[0].label, "China (CN)");
        assert_eq!(c.country_rows[0].href.as_deref(), Some("/cases?country=CN"));
        assert_eq!(c.country_rows[2].href, None, "an odd code gets no link");
        assert_eq!(c.countries.bars.len(), 3);
        let bands: Vec<(&str, i64)> = c
            .band_rows
            .iter()
            .map(|r| (r.label.as_str(), r.n))
            .collect();
        assert_eq!(
            bands,
            [
                ("Low", 0),
                ("Moderate", 0),
                ("High", 2),
                ("Critical", 0),
                ("Not screened", 3)
            ]
        );
        assert_eq!(c.band_rows[2].href.as_deref(), Some("/cases?risk=high"));
        assert_eq!(c.band_rows[4].href, None);
        assert_eq!(c.band_total, 5);
    }

    #[test]
    fn nothing_counted_gives_empty_totals() {
        let c = Charts::build(&Counts::default(), day(2026, 6, 1));
        assert_eq!((c.intake_total, c.outcome_total, c.band_total), (0, 0, 0));
        assert!(c.country_rows.is_empty());
        assert!(c.outcome_series.is_empty());
    }
}
