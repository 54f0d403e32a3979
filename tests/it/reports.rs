//! The reports page (`/reports?year=YYYY`): cases walked through known paths on known days give
//! exactly the expected cells, every cell's link opens a queue of that many cases, each table's
//! CSV is the table, a year without data says so, and a bad year is refused clearly.

use chrono::Datelike;
use cordon::domain::Role;
use cordon::service;
use scraper::Selector;

use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, Client, TestApp};

/// Rows of a report table: the row label and the text of each number.
fn table(page: &Page, key: &str) -> Vec<(String, Vec<String>)> {
    let html = page.html();
    let tr = Selector::parse(&format!("#report-{key} tbody tr")).unwrap();
    let th = Selector::parse("th").unwrap();
    let td = Selector::parse("td").unwrap();
    let text = |e: scraper::ElementRef| e.text().collect::<String>().trim().to_string();
    html.select(&tr)
        .filter_map(|r| {
            let label = r.select(&th).next().map(text)?;
            Some((label, r.select(&td).map(text).collect()))
        })
        .collect()
}

/// The number in a row of a one-column table, or in a column of a dimension table.
fn cell(page: &Page, key: &str, row: &str, col: usize) -> String {
    table(page, key)
        .into_iter()
        .find(|(l, _)| l == row)
        .and_then(|(_, v)| v.get(col).cloned())
        .unwrap_or_else(|| panic!("no row {row:?} in {key}: {:?}", table(page, key)))
}

fn report(app: &TestApp, received: &str) -> i64 {
    let mut json = mineone_json();
    json["received_on"] = serde_json::json!(received);
    app.report("rev", json)
}

fn walk(app: &TestApp, id: i64, steps: &[(&str, &str, &str)]) {
    for (by, to, on) in steps {
        app.move_case(by, id, to, Some(on));
    }
}

/// Clears a case with mitigation on a day, with conditions.
fn mitigate(app: &TestApp, id: i64, on: &str, conditions: &[&str]) {
    let input = service::workflow::TransitionInput {
        to: "monitoring".parse().unwrap(),
        outcome: None,
        rationale: "Cleared with an NSA.".into(),
        effective: Some(on.parse().unwrap()),
        version: app.case(id).case.version,
        conditions: conditions
            .iter()
            .map(|t| service::workflow::NewCondition {
                text: t.to_string(),
                due: None,
            })
            .collect(),
    };
    let mut conn = app.conn();
    service::workflow::transition(
        &mut conn,
        &app.principal("chair"),
        id,
        &input,
        &Default::default(),
        &service::clock::Now::real(),
    )
    .expect("mitigate");
}

/// Four cases on known paths through 2023 and 2024; an extension and a breach recorded today.
fn walk_four(app: &TestApp) {
    app.user("rev", Role::Reviewer);
    app.user("chair", Role::Chair);
    let a = report(app, "2023-01-10");
    walk(
        app,
        a,
        &[
            ("rev", "screening", "2023-01-11"),
            ("rev", "declaration", "2023-02-01"),
            ("chair", "closed:declaration_cleared", "2023-03-01"),
        ],
    );
    let b = report(app, "2023-02-01");
    walk(
        app,
        b,
        &[
            ("rev", "screening", "2023-02-02"),
            ("rev", "notice_submitted", "2023-03-01"),
            ("rev", "review", "2023-03-02"),
            ("chair", "investigation", "2023-04-15"),
            ("rev", "withdrawn", "2023-05-01"),
            ("rev", "review", "2023-06-01"),
        ],
    );
    mitigate(app, b, "2024-01-10", &["Security officer", "Annual audit"]);
    let c = report(app, "2024-02-01");
    walk(
        app,
        c,
        &[
            ("rev", "screening", "2024-02-02"),
            ("rev", "inquiry", "2024-03-01"),
            ("chair", "closed:no_further_action", "2024-04-01"),
        ],
    );
    let d = report(app, "2023-12-20");
    walk(
        app,
        d,
        &[
            ("rev", "screening", "2023-12-21"),
            ("rev", "inquiry", "2024-01-05"),
            ("chair", "review", "2024-01-10"),
            ("chair", "investigation", "2024-02-20"),
        ],
    );
    let now = service::clock::Now::real();
    let mut conn = app.conn();
    let chair = app.principal("chair");
    let v = app.case(d).case.version;
    service::workflow::extend(
        &mut conn,
        &chair,
        d,
        "Extraordinary.",
        v,
        &Default::default(),
        &now,
    )
    .expect("extend");
    drop(conn);
    walk(
        app,
        d,
        &[
            ("chair", "presidential", "2024-03-20"),
            ("chair", "closed:presidential_no_action", "2024-04-01"),
        ],
    );
    let cond = app.case(b).conditions[0].id;
    let v = app.case(b).case.version;
    let mut conn = app.conn();
    service::workflow::set_condition(&mut conn, &chair, b, cond, "breached", v, &now)
        .expect("breach");
}

/// Every linked number of the page opens a queue listing exactly that many cases.
fn links_open_their_cases(client: &Client, page: &Page) {
    let html = page.html();
    let a = Selector::parse("table.data td a").unwrap();
    let mut seen = 0;
    for link in html.select(&a) {
        let n: usize = link.text().collect::<String>().trim().parse().unwrap();
        let href = link.value().attr("href").unwrap();
        let queue = client.get(href);
        assert_eq!(queue.status, 200, "{href}");
        assert_eq!(queue.texts("#queue tbody tr").len(), n, "{href}");
        assert!(queue.has_selector("#report-note"), "{href}");
        seen += 1;
    }
    assert!(seen > 0, "no links");
}

#[test]
fn walked_cases_fill_the_expected_cells_and_each_cell_lists_its_cases() {
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        walk_four(app);
        let client = app.signed_in(Role::Observer);

        let y23 = client.get("/reports?year=2023");
        assert_eq!(y23.status, 200);
        assert!(!y23.has_selector("#no-data"));
        assert_eq!(cell(&y23, "declarations", "Declarations filed", 0), "1");
        assert_eq!(
            cell(&y23, "declarations", "Concluded all action (cleared)", 0),
            "1"
        );
        assert_eq!(cell(&y23, "declarations", "Notice requested", 0), "0");
        assert_eq!(cell(&y23, "notices", "Notices filed", 0), "1");
        assert_eq!(cell(&y23, "notices", "Accepted (review started)", 0), "1");
        assert_eq!(cell(&y23, "notices", "Withdrawn", 0), "1");
        // Case B started two reviews in 2023 (accepted, then refiled): one case.
        assert_eq!(cell(&y23, "reviews", "Reviews started", 0), "1");
        assert_eq!(cell(&y23, "reviews", "Went to investigation", 0), "1");
        assert_eq!(cell(&y23, "withdrawals", "Withdrawn", 0), "1");
        assert_eq!(cell(&y23, "withdrawals", "Refiled", 0), "1");
        assert_eq!(cell(&y23, "withdrawals", "Abandoned", 0), "0");
        assert_eq!(cell(&y23, "inquiries", "Inquiries opened", 0), "0");
        // Received in 2023: A, B and D, each under its acquirer's, parent's and ultimate
        // parent's country; filings A and B; closed A.
        for country in ["CN", "US", "VG"] {
            assert_eq!(cell(&y23, "countries", country, 0), "3", "{country}");
            assert_eq!(cell(&y23, "countries", country, 1), "2", "{country}");
            assert_eq!(cell(&y23, "countries", country, 2), "1", "{country}");
        }
        assert_eq!(cell(&y23, "agencies", "None", 0), "3");
        // MineOne's lot lies in F.E. Warren's 1-mile zone and in the data center's zone.
        for kind in ["Military installation", "Data center"] {
            assert_eq!(cell(&y23, "site_kinds", kind, 0), "3", "{kind}");
            assert_eq!(cell(&y23, "site_kinds", kind, 1), "2", "{kind}");
            assert_eq!(cell(&y23, "site_kinds", kind, 2), "1", "{kind}");
        }
        links_open_their_cases(&client, &y23);

        let y24 = client.get("/reports?year=2024");
        assert_eq!(cell(&y24, "declarations", "Declarations filed", 0), "0");
        assert_eq!(cell(&y24, "reviews", "Reviews started", 0), "1");
        assert_eq!(cell(&y24, "reviews", "Went to investigation", 0), "1");
        assert_eq!(cell(&y24, "inquiries", "Inquiries opened", 0), "2");
        assert_eq!(
            cell(&y24, "inquiries", "Agency notice: review started", 0),
            "1"
        );
        assert_eq!(cell(&y24, "inquiries", "No further action", 0), "1");
        assert_eq!(
            cell(&y24, "presidential", "Referred to the President", 0),
            "1"
        );
        assert_eq!(
            cell(&y24, "presidential", "President took no action", 0),
            "1"
        );
        assert_eq!(cell(&y24, "mitigation", "Cleared with mitigation", 0), "1");
        assert_eq!(cell(&y24, "mitigation", "Cleared with mitigation", 1), "2");
        assert_eq!(cell(&y24, "countries", "CN", 0), "1");
        assert_eq!(cell(&y24, "countries", "CN", 2), "2");
        links_open_their_cases(&client, &y24);

        // The extension and the breach are dated by when they were recorded: this year.
        let this = chrono::Utc::now().year();
        let now = client.get(&format!("/reports?year={this}"));
        assert_eq!(
            cell(&now, "reviews", "Investigations extended 15 days", 0),
            "1"
        );
        assert_eq!(cell(&now, "mitigation", "Conditions breached", 0), "1");
        assert_eq!(cell(&now, "mitigation", "Conditions breached", 1), "1");
        links_open_their_cases(&client, &now);
    });
}

#[test]
fn each_table_downloads_as_the_csv_of_what_the_page_shows() {
    each_backend(|app| {
        walk_four(app);
        let client = app.signed_in(Role::Observer);
        for year in ["2023", "2024"] {
            let page = client.get(&format!("/reports?year={year}"));
            for key in [
                "declarations",
                "notices",
                "mitigation",
                "countries",
                "agencies",
            ] {
                let res = client.get_raw(&format!("/reports/{key}.csv?year={year}"));
                assert_eq!(res.status().as_u16(), 200);
                assert!(res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv"));
                let body = res.text().unwrap();
                let lines: Vec<&str> = body.lines().skip(1).collect();
                let expected: Vec<String> = table(&page, key)
                    .into_iter()
                    .map(|(l, v)| format!("{l},{}", v.join(",")))
                    .collect();
                assert_eq!(lines, expected, "{key} {year}");
            }
        }
        let head = client.get("/reports/countries.csv?year=2023");
        assert!(
            head.body.starts_with("Country,Reports received,"),
            "{}",
            head.body
        );
    });
}

#[test]
fn a_year_without_data_says_so_and_a_bad_year_is_refused_clearly() {
    each_backend(|app| {
        walk_four(app);
        let client = app.signed_in(Role::Observer);
        let empty = client.get("/reports?year=2019");
        assert_eq!(empty.status, 200);
        assert!(empty.text("#no-data").contains("No data for 2019"));
        assert!(!empty.has_selector("table.data"));
        // The picker offers the years from the first report received.
        let picker = client.get("/reports");
        assert_eq!(picker.status, 200);
        assert!(picker.texts("#year option").contains(&"2023".to_string()));
        assert!(picker.has_selector("nav a[href='/reports']"));

        for bad in ["abc", "99999", "1900", "2024%27%20OR%201=1", "-1"] {
            let page = client.get(&format!("/reports?year={bad}"));
            assert_eq!(page.status, 422, "{bad}");
            assert!(page.text("#year-error").contains("Give a year"), "{bad}");
            let csv = client.get(&format!("/reports/declarations.csv?year={bad}"));
            assert_eq!(csv.status, 422, "{bad}");
        }
        assert_eq!(client.get("/reports/nope.csv?year=2023").status, 404);
        assert_eq!(client.get("/reports/declarations?year=2023").status, 404);

        // A queue link to a cell that does not exist lists nothing, never everything.
        for bad in [
            "/cases?report=nope:x:cases&year=2023",
            "/cases?report=countries:cn%27:received&year=2023",
            "/cases?report=declarations:filed:cases&year=abc",
        ] {
            let q = client.get(bad);
            assert_eq!(q.status, 200, "{bad}");
            assert_eq!(q.texts("#queue tbody tr").len(), 0, "{bad}");
            assert!(q.text("#report-note").contains("No such cell"), "{bad}");
        }
    });
}

/// The plans and timings of the page's queries on a filled database (not run by default):
/// `REPORTS_DB=sqlite:///tmp/bench.db REPORTS_YEAR=2025 cargo test --test it -- --ignored
/// reports::plans --nocapture` (PostgreSQL: `REPORTS_DB=postgres://…`).
#[test]
#[ignore]
fn plans_on_a_filled_database() {
    let url = std::env::var("REPORTS_DB").expect("REPORTS_DB");
    let year: i32 = std::env::var("REPORTS_YEAR")
        .ok()
        .and_then(|y| y.parse().ok())
        .unwrap_or(2025);
    let settings = cordon::config::Settings::with_database(&url);
    let db = cordon::startup::open_database(&settings).expect("open");
    let mut conn = db.conn().expect("connection");
    let cell = cordon::domain::reports::Cell::parse("countries:CN:filings").unwrap();
    for (i, plan) in cordon::db::reports::plans(&mut conn, year, &cell)
        .expect("plans")
        .iter()
        .enumerate()
    {
        eprintln!("-- query {i}");
        for line in plan {
            eprintln!("   {line}");
        }
    }
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let counts = cordon::db::reports::counts(&mut conn, year).expect("counts");
        eprintln!(
            "counts of {year}: {:?} ({} cells)",
            t.elapsed(),
            counts.rows.len() + counts.dims.len()
        );
    }
    let t = std::time::Instant::now();
    let f = cordon::db::queue::Filter {
        report: Some(cordon::domain::reports::CellFilter::Cell(cell, year)),
        limit: 51,
        ..Default::default()
    };
    let rows = cordon::db::queue::list(&mut conn, &f).expect("queue");
    eprintln!(
        "queue of countries:CN:filings: {} rows in {:?}",
        rows.len(),
        t.elapsed()
    );
}

#[test]
fn a_re_screening_moves_a_case_between_site_kinds() {
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        app.user("rev", Role::Reviewer);
        report(app, "2024-03-01");
        let chair = app.signed_in(Role::Chair);
        let admin = app.signed_in(Role::Admin);
        let y24 = chair.get("/reports?year=2024");
        assert_eq!(cell(&y24, "site_kinds", "Military installation", 0), "1");
        assert_eq!(cell(&y24, "site_kinds", "Data center", 0), "1");

        // F.E. Warren retired from the list, and the open cases screened again: MineOne is now
        // near the data center only.
        let warren: Vec<Id> =
            app.load("SELECT id FROM sites WHERE name = 'F.E. Warren Air Force Base'");
        admin.get("/sites");
        let retired = admin.post(&format!("/sites/{}/retire", warren[0].id), &[]);
        assert!(retired.status < 400, "retire: {}", retired.status);
        chair.get("/");
        assert_eq!(chair.post("/cases/rescreen", &[]).status, 200);
        let y24 = chair.get("/reports?year=2024");
        let kinds: Vec<String> = table(&y24, "site_kinds")
            .into_iter()
            .map(|(label, _)| label)
            .collect();
        assert_eq!(kinds, ["Data center"]);
        links_open_their_cases(&chair, &y24);
    });
}

#[test]
fn kept_counts_follow_every_change_at_once() {
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        app.user("rev", Role::Reviewer);
        let id = report(app, "2024-03-01");
        let client = app.signed_in(Role::Observer);
        let before = client.get("/reports?year=2024");
        assert_eq!(cell(&before, "declarations", "Declarations filed", 0), "0");
        assert_eq!(cell(&before, "countries", "CN", 0), "1");
        // Read twice: the second answer is the kept one, and the same.
        let again = client.get("/reports?year=2024");
        assert_eq!(
            table(&again, "declarations"),
            table(&before, "declarations")
        );

        walk(
            app,
            id,
            &[
                ("rev", "screening", "2024-03-02"),
                ("rev", "declaration", "2024-04-01"),
            ],
        );
        let after = client.get("/reports?year=2024");
        assert_eq!(cell(&after, "declarations", "Declarations filed", 0), "1");
        let csv = client.get("/reports/declarations.csv?year=2024");
        assert!(csv.body.contains("Declarations filed,1"), "{}", csv.body);

        // A second report counts at once too, in the table of countries.
        report(app, "2024-05-01");
        let more = client.get("/reports?year=2024");
        assert_eq!(cell(&more, "countries", "CN", 0), "2");
    });
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}
