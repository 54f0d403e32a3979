//! The dashboard's charts: reports received per month, outcomes per year, cases by foreign
//! party's country and by risk band. Their tables show exactly the cases logged; bars link to
//! the queue, which lists as many cases; the counts the database keeps stay equal to a
//! `GROUP BY` after parties and cases change; an empty database shows each chart's empty state.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use cordon::domain::countries::country_name;
use cordon::domain::Role;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use serde_json::{json, Value};

use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, Client, TestApp};

#[derive(QueryableByName, Debug)]
struct Bucket {
    #[diesel(sql_type = Text)]
    k: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn buckets(app: &TestApp, sql: &str) -> BTreeMap<String, i64> {
    app.load::<Bucket>(sql)
        .into_iter()
        .filter(|b| b.n != 0)
        .map(|b| (b.k, b.n))
        .collect()
}

/// The kept counts of one chart, zeros left out.
fn kept(app: &TestApp, chart: &str) -> BTreeMap<String, i64> {
    buckets(
        app,
        &format!(
            "SELECT bucket AS k, CAST(n AS BIGINT) AS n FROM chart_counts WHERE chart = '{chart}'"
        ),
    )
}

/// Every chart's kept counts against a `GROUP BY` over the cases and parties themselves.
fn assert_counts_match(app: &TestApp) {
    let year_month = match app.backend {
        crate::support::Backend::Sqlite => {
            ("substr(received_on, 1, 7)", "substr(state_since, 1, 4)")
        }
        crate::support::Backend::Postgres => (
            "to_char(received_on, 'YYYY-MM')",
            "to_char(state_since, 'YYYY')",
        ),
    };
    let truth = [
        (
            "intake",
            format!(
                "SELECT {} AS k, COUNT(*) AS n FROM cases GROUP BY 1",
                year_month.0
            ),
        ),
        (
            "band",
            "SELECT COALESCE(risk_band, '') AS k, COUNT(*) AS n FROM cases GROUP BY 1".into(),
        ),
        (
            "outcome",
            format!(
                "SELECT {} || ' ' || outcome AS k, COUNT(*) AS n FROM cases \
                 WHERE state = 'closed' AND outcome IS NOT NULL GROUP BY 1",
                year_month.1
            ),
        ),
        (
            "country",
            "SELECT country AS k, COUNT(DISTINCT case_id) AS n FROM parties GROUP BY 1".into(),
        ),
    ];
    for (chart, sql) in truth {
        assert_eq!(
            kept(app, chart),
            buckets(app, &sql),
            "{chart} on {:?}",
            app.backend
        );
    }
}

fn report(received: NaiveDate, parties: Value) -> Value {
    let mut r = mineone_json();
    r["received_on"] = json!(received.to_string());
    r["parties"] = parties;
    r
}

fn party(key: &str, country: &str, role: &str) -> Value {
    json!({"key": key, "name": format!("{country} {role} {key} Holdings"), "country": country, "role": role})
}

/// `(label, count, link)` of each row of a chart's table.
fn table(page: &Page, chart: &str) -> Vec<(String, i64, Option<String>)> {
    let html = page.html();
    let row = scraper::Selector::parse(&format!("#{chart} table tbody tr")).unwrap();
    let th = scraper::Selector::parse("th").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    let a = scraper::Selector::parse("a").unwrap();
    html.select(&row)
        .map(|tr| {
            let label = tr.select(&th).next().unwrap().text().collect::<String>();
            let n = tr.select(&td).last().unwrap().text().collect::<String>();
            let href = tr
                .select(&a)
                .next()
                .and_then(|a| a.value().attr("href"))
                .map(str::to_string);
            (label.trim().to_string(), n.trim().parse().unwrap(), href)
        })
        .collect()
}

fn month_label(d: NaiveDate) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", NAMES[d.month0() as usize], d.year())
}

/// How many cases the queue lists at a link (fewer than a page in these tests).
fn queue_count(client: &Client, href: &str) -> usize {
    let page = client.get(href);
    assert_eq!(page.status, 200, "{href}");
    page.texts("tr[data-case]").len()
}

#[test]
fn an_empty_database_shows_each_chart_s_empty_state() {
    each_backend(|app| {
        let client = app.signed_in(Role::Reviewer);
        let page = client.get("/");
        assert_eq!(page.status, 200);
        for (chart, says) in [
            (
                "chart-intake",
                "No report was received in the last 24 months.",
            ),
            ("chart-outcomes", "No case was closed in the last 10 years."),
            (
                "chart-countries",
                "No case has a party from outside the United States.",
            ),
            ("chart-bands", "No cases yet."),
        ] {
            assert_eq!(page.text(&format!("#{chart} .empty")), says);
            assert!(
                !page.has_selector(&format!("#{chart} svg")),
                "{chart} draws nothing"
            );
        }
        assert_counts_match(app);
    });
}

#[test]
fn the_charts_count_the_cases_logged_and_link_to_the_same_cases() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        app.user("chair", Role::Chair);
        let today = cordon::service::clock::Now::real().today;
        let last_year = today - Duration::days(300);
        let too_old = today - Duration::days(800);
        // Three this month, two about ten months ago, one more than 24 months ago.
        let a = app.report(
            "rev",
            report(
                today,
                json!([
                    party("p1", "US", "acquirer"),
                    party("p2", "VG", "parent"),
                    party("p3", "CN", "ultimate_parent")
                ]),
            ),
        );
        let b = app.report(
            "rev",
            report(
                today,
                json!([
                    party("p1", "US", "acquirer"),
                    party("p2", "CN", "parent"),
                    party("p3", "CN", "ultimate_parent")
                ]),
            ),
        );
        let c = app.report("rev", report(today, json!([party("p1", "DE", "acquirer")])));
        app.report(
            "rev",
            report(last_year, json!([party("p1", "US", "acquirer")])),
        );
        app.report(
            "rev",
            report(
                last_year,
                json!([party("p1", "US", "acquirer"), party("p2", "US", "seller")]),
            ),
        );
        app.report(
            "rev",
            report(
                too_old,
                json!([
                    party("p1", "US", "acquirer"),
                    party("p2", "DE", "ultimate_parent")
                ]),
            ),
        );
        // Two closed this year, with two outcomes.
        for (id, outcome) in [(a, "not_covered"), (c, "no_further_action")] {
            app.move_case("rev", id, "screening", None);
            app.move_case("chair", id, &format!("closed:{outcome}"), None);
        }
        app.move_case("rev", b, "screening", None);

        let client = app.signed_in(Role::Observer);
        let page = client.get("/");
        assert_eq!(page.status, 200);
        for chart in [
            "chart-intake",
            "chart-outcomes",
            "chart-countries",
            "chart-bands",
        ] {
            let svg = format!("#{chart} svg[aria-labelledby]");
            assert!(page.has_selector(&svg), "{chart} is drawn");
            let labelled = page.attr(&svg, "aria-labelledby").unwrap();
            assert!(
                !page.text(&format!("#{labelled}")).is_empty(),
                "{chart} has a title"
            );
        }

        let intake = table(&page, "chart-intake");
        assert_eq!(intake.len(), 24);
        assert_eq!(intake[23], (month_label(today), 3, None));
        let ten_months = intake
            .iter()
            .find(|r| r.0 == month_label(last_year))
            .unwrap();
        assert_eq!(ten_months.1, 2);
        assert_eq!(
            intake.iter().map(|r| r.1).sum::<i64>(),
            5,
            "the old report is left out"
        );

        // Outcomes: a column per outcome, this year's row holds the two closings.
        let heads = page.texts("#chart-outcomes thead th");
        assert_eq!(
            heads,
            [
                "Year",
                "Not a covered transaction",
                "No further action",
                "Total"
            ]
        );
        assert_eq!(page.texts("#chart-outcomes tbody tr").len(), 10);
        let this_year = page.texts("#chart-outcomes tbody tr:last-child > *");
        assert_eq!(
            this_year,
            [today.year().to_string(), "1".into(), "1".into(), "2".into()]
        );
        assert_eq!(
            page.texts("#chart-outcomes .chart-legend li"),
            ["Not a covered transaction", "No further action"]
        );

        // Countries: CN twice (case b's two CN parties count once), DE once (the old case's
        // DE owner counts too: the chart is not windowed), VG once, the US left out.
        let label = |code: &str| format!("{} ({code})", country_name(code).unwrap());
        let countries = table(&page, "chart-countries");
        assert_eq!(
            countries,
            [
                (label("CN"), 2, Some("/cases?country=CN".to_string())),
                (label("DE"), 2, Some("/cases?country=DE".to_string())),
                (label("VG"), 1, Some("/cases?country=VG".to_string())),
            ]
        );
        for (_, n, href) in &countries {
            let href = href.as_deref().unwrap();
            assert_eq!(queue_count(&client, href) as i64, *n, "{href}");
            assert!(
                page.has_selector(&format!("#chart-countries svg a[href=\"{href}\"]")),
                "the bar links to {href}"
            );
        }

        // Risk bands: as the screening set them; each band's link lists as many cases.
        let bands = table(&page, "chart-bands");
        let truth = buckets(
            app,
            "SELECT COALESCE(risk_band, '') AS k, COUNT(*) AS n FROM cases GROUP BY 1",
        );
        let names = [
            ("low", "Low"),
            ("moderate", "Moderate"),
            ("high", "High"),
            ("critical", "Critical"),
            ("", "Not screened"),
        ];
        assert_eq!(bands.len(), 5);
        for ((key, name), (label, n, href)) in names.iter().zip(&bands) {
            assert_eq!(label, name);
            assert_eq!(*n, truth.get(*key).copied().unwrap_or(0), "{name}");
            if key.is_empty() {
                assert_eq!(*href, None);
            } else {
                let href = href.as_deref().unwrap();
                assert_eq!(href, format!("/cases?risk={key}"));
                assert_eq!(queue_count(&client, href) as i64, *n, "{href}");
            }
        }
        assert_eq!(bands.iter().map(|b| b.1).sum::<i64>(), 6);
        assert_counts_match(app);
    });
}

#[test]
fn the_kept_counts_follow_changes_to_parties_and_cases() {
    each_backend(|app| {
        app.user("rev", Role::Reviewer);
        let today = cordon::service::clock::Now::real().today;
        let two = json!([
            party("p1", "US", "acquirer"),
            party("p2", "CN", "parent"),
            party("p3", "CN", "ultimate_parent")
        ]);
        let a = app.report("rev", report(today, two.clone()));
        let b = app.report("rev", report(today - Duration::days(40), two));
        assert_eq!(kept(app, "country").get("CN"), Some(&2));
        // One of two CN parties goes: the case still counts; both go in one statement: it
        // no longer does.
        app.sql(&format!(
            "DELETE FROM parties WHERE case_id = {a} AND key = 'p2'"
        ));
        assert_eq!(kept(app, "country").get("CN"), Some(&2));
        app.sql(&format!(
            "DELETE FROM parties WHERE case_id = {b} AND country = 'CN'"
        ));
        assert_eq!(kept(app, "country").get("CN"), Some(&1));
        assert_counts_match(app);
        // A party changes country; a case changes month and band.
        app.sql(&format!(
            "UPDATE parties SET country = 'FR' WHERE case_id = {a} AND key = 'p3'"
        ));
        app.sql(&format!("UPDATE cases SET received_on = received_on - 400, risk_band = 'critical' WHERE id = {b}")
            .replace("received_on - 400", match app.backend {
                crate::support::Backend::Sqlite => "date(received_on, '-400 days')",
                crate::support::Backend::Postgres => "received_on - 400",
            }));
        assert_eq!(kept(app, "country").get("CN"), None);
        assert_eq!(kept(app, "country").get("FR"), Some(&1));
        assert_counts_match(app);
        let page = app.signed_in(Role::Reviewer).get("/");
        assert_eq!(
            table(&page, "chart-countries").first().map(|r| r.1),
            Some(1)
        );
    });
}
