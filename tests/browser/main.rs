//! Browser journeys: the real `cordon` binary, driven by headless Chromium through
//! chromedriver.
//!
//! Needs `/usr/bin/chromedriver` and `/usr/bin/chromium` (or `CHROMEDRIVER` / `CHROMIUM`).
//! Without them each test prints `browser tests skipped: ...` and passes, unless
//! `CORDON_BROWSER_TESTS=required`, which turns a missing tool into a failure.
//!
//! Screenshots go to `$CARGO_TARGET_DIR/screenshots/` (else `target/screenshots/`).
//!
//! Run: `CORDON_BROWSER_TESTS=required cargo test --test browser -- --nocapture`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod case_map;
mod dashboard_charts;
mod harness;
mod national_maps;
mod reports;

use anyhow::{ensure, Context, Result};

use harness::{Browser, Chromedriver, Server};

/// Starts Cordon and chromedriver, opens a browser, runs `journey`, and closes the browser
/// whatever happened. Panics with the journey's error if it failed (the server's log follows
/// when `server` drops).
fn run_journey(name: &str, journey: impl AsyncFnOnce(&Browser, &Server) -> Result<()>) {
    // One journey at a time: two browsers and two servers at once on a small CI machine make
    // the waits flaky, and the journeys gain nothing from running side by side.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(tools) = harness::tools_or_skip() else {
        return;
    };
    let server = Server::start().expect("starting `cordon serve`");
    let driver = Chromedriver::start(&tools).expect("starting chromedriver");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("building the tokio runtime");
    let result = runtime.block_on(async {
        let browser = Browser::connect(&driver, &tools, &server.base).await?;
        let outcome = journey(&browser, &server).await;
        browser.finish(name, outcome).await
    });
    drop(runtime);
    drop(driver);
    if let Err(e) = result {
        panic!("browser journey `{name}` failed: {e:?}");
    }
}

/// The texts of the links in the main navigation.
async fn nav_links(b: &Browser) -> Result<Vec<String>> {
    b.find("nav.main-nav").await?;
    let mut texts = Vec::new();
    for a in b.find_all("nav.main-nav a").await? {
        texts.push(
            a.text()
                .await
                .context("reading a nav link")?
                .trim()
                .to_string(),
        );
    }
    Ok(texts)
}

/// Clicks the main navigation's link with this text, checks where it points, and waits for
/// the page.
async fn click_nav(b: &Browser, label: &str, href: &str) -> Result<()> {
    b.find("nav.main-nav").await?;
    for a in b.find_all("nav.main-nav a").await? {
        let text = a.text().await.context("reading a nav link")?;
        if text.trim() != label {
            continue;
        }
        let to = a.attr("href").await.context("reading a nav link's href")?;
        ensure!(
            to.as_deref() == Some(href),
            "the {label:?} link points to {to:?}, expected {href}"
        );
        b.click_element_and_wait(&a, &format!("the {label:?} link"))
            .await?;
        let path = b.path().await?;
        ensure!(path == href, "the {label:?} link led to {path}");
        return Ok(());
    }
    let links = nav_links(b).await?;
    anyhow::bail!("the navigation has no {label:?} link: {links:?}")
}

/// Signs in through the real form on `/login` and checks we land on the dashboard.
async fn sign_in(b: &Browser, username: &str, password: &str) -> Result<()> {
    b.find(r#"form[action="/login"]"#).await?;
    b.fill("#f-username", username).await?;
    b.fill("#f-password", password).await?;
    b.click_and_wait(r#"form[action="/login"] button[type="submit"]"#)
        .await?;
    let path = b.path().await?;
    ensure!(
        path == "/",
        "signing in as {username} should land on the dashboard, got {path}"
    );
    let h1 = b.text("h1").await?;
    ensure!(h1 == "Dashboard", "dashboard heading: {h1:?}");
    let who = b.text(".who-name").await?;
    ensure!(
        who == username,
        "the header names {who:?}, expected {username:?}"
    );
    Ok(())
}

#[test]
fn admin_creates_reviewer_who_sees_no_admin() {
    run_journey(
        "admin_creates_reviewer_who_sees_no_admin",
        admin_creates_reviewer,
    );
}

async fn admin_creates_reviewer(b: &Browser, s: &Server) -> Result<()> {
    const RITA: &str = "rita.reviewer";
    const RITA_PASSWORD: &str = "correct horse battery staple";
    const ADD_FORM: &str = r#"form[action="/admin/users"]"#;

    // The admin signs in.
    b.open("/login").await?;
    let h1 = b.text("h1").await?;
    ensure!(h1 == "Sign in to Cordon", "login heading: {h1:?}");
    b.screenshot("01-login").await?;
    b.expect_accessible("01-login").await?;
    sign_in(b, "admin", &s.admin_password).await?;
    let links = nav_links(b).await?;
    ensure!(
        links.iter().any(|l| l == "Admin"),
        "an admin's navigation should have an Admin link: {links:?}"
    );
    b.screenshot("02-dashboard-admin").await?;
    b.expect_accessible("02-dashboard-admin").await?;

    // Adds a reviewer through the Admin page's form.
    b.click_and_wait(r#"nav.main-nav a[href="/admin/users"]"#)
        .await?;
    let path = b.path().await?;
    ensure!(path == "/admin/users", "the Admin link led to {path}");
    b.find(ADD_FORM).await?;
    b.fill(&format!("{ADD_FORM} #f-username"), RITA).await?;
    b.select(&format!("{ADD_FORM} #f-role"), "reviewer").await?;
    b.fill(&format!("{ADD_FORM} #f-password"), RITA_PASSWORD)
        .await?;
    b.click_and_wait(&format!("{ADD_FORM} button[type=\"submit\"]"))
        .await?;
    let path = b.path().await?;
    ensure!(path == "/admin/users", "adding a user led to {path}");
    let flash = b.text(".flash-ok").await?;
    ensure!(
        flash.contains(&format!("Added {RITA}")),
        "flash after adding: {flash:?}"
    );
    let badge = b
        .text(&format!(r#"#users tr[data-user="{RITA}"] .role-badge"#))
        .await?;
    ensure!(badge == "reviewer", "{RITA}'s role badge: {badge:?}");
    b.screenshot("03-user-added").await?;
    b.expect_accessible("03-user-added").await?;

    // A bad user name and a short password come back with field errors and the typed name.
    const BAD_NAME: &str = "<script>x";
    b.fill(&format!("{ADD_FORM} #f-username"), BAD_NAME).await?;
    b.fill(&format!("{ADD_FORM} #f-password"), "short").await?;
    b.click_and_wait(&format!("{ADD_FORM} button[type=\"submit\"]"))
        .await?;
    let path = b.path().await?;
    ensure!(path == "/admin/users", "the rejected form led to {path}");
    let name_error = b
        .text(&format!("{ADD_FORM} #e-username.field-error"))
        .await?;
    ensure!(!name_error.is_empty(), "the user name error is empty");
    let password_error = b
        .text(&format!("{ADD_FORM} #e-password.field-error"))
        .await?;
    ensure!(!password_error.is_empty(), "the password error is empty");
    let kept = b
        .find(&format!("{ADD_FORM} #f-username"))
        .await?
        .prop("value")
        .await
        .context("reading the user name input's value")?;
    ensure!(
        kept.as_deref() == Some(BAD_NAME),
        "the user name input should keep what was typed, has {kept:?}"
    );
    let mut rows = Vec::new();
    for row in b.find_all("#users tr[data-user]").await? {
        rows.push(row.attr("data-user").await.context("reading a row")?);
    }
    ensure!(
        !rows.iter().flatten().any(|r| r == BAD_NAME),
        "a row for the rejected name appeared: {rows:?}"
    );
    ensure!(
        rows.iter().flatten().any(|r| r == RITA),
        "{RITA}'s row is missing after the rejected form: {rows:?}"
    );
    b.screenshot("04-add-user-rejected").await?;
    b.expect_accessible("04-add-user-rejected").await?;

    // Signs out with the header's button.
    b.click_and_wait(r#"form[action="/logout"] button"#).await?;
    let path = b.path().await?;
    ensure!(path == "/login", "signing out led to {path}");
    let flash = b.text(".flash-ok").await?;
    ensure!(
        flash == "You have signed out.",
        "flash after signing out: {flash:?}"
    );
    b.screenshot("05-signed-out").await?;

    // The reviewer signs in and sees no administration.
    sign_in(b, RITA, RITA_PASSWORD).await?;
    let role = b.text(".who .role-badge").await?;
    ensure!(role == "reviewer", "the header's role badge: {role:?}");
    let links = nav_links(b).await?;
    ensure!(
        !links.iter().any(|l| l == "Admin"),
        "a reviewer's navigation should have no Admin link: {links:?}"
    );
    b.screenshot("06-dashboard-reviewer").await?;

    b.open("/admin/users").await?;
    let h1 = b.text("h1").await?;
    ensure!(
        h1 == "Not allowed",
        "a reviewer at /admin/users sees {h1:?}"
    );
    let code = b.text(".error-code").await?;
    ensure!(code == "403", "error code shown: {code:?}");
    ensure!(
        b.find_all("#users").await?.is_empty(),
        "the users table leaked to a reviewer"
    );
    b.screenshot("07-reviewer-forbidden").await?;
    b.expect_accessible("07-reviewer-forbidden").await?;
    Ok(())
}

#[test]
fn reviewer_logs_report_finds_it_and_moves_it_to_review() {
    run_journey(
        "reviewer_logs_report_finds_it_and_moves_it_to_review",
        reviewer_logs_report,
    );
}

/// A selector for the element with this id, for ids CSS would misread (`f-property.lat`,
/// `f-parties[0].name`).
fn id(id: &str) -> String {
    format!(r#"[id="{id}"]"#)
}

/// One row of the report form's party table.
struct PartyInput {
    name: &'static str,
    country: &'static str,
    role: &'static str,
    /// The row this party owns ("0" is Party 1), if any.
    owns: Option<&'static str>,
    share: Option<&'static str>,
}

/// Picks one of the case page's "Move this case" actions, types the rationale and records it.
async fn record_move(b: &Browser, to: &str, rationale: &str) -> Result<()> {
    b.set_checked(
        &format!(r#"#transition-form input[name="to"][value="{to}"]"#),
        true,
    )
    .await?;
    b.fill("#transition-form #f-rationale", rationale).await?;
    b.click_and_wait(r#"#transition-form button[type="submit"]"#)
        .await
}

/// Checks the state badge and the flash after a move.
async fn expect_moved(b: &Browser, case_path: &str, label: &str) -> Result<()> {
    let path = b.path().await?;
    ensure!(
        path == case_path,
        "recording the move to {label} led to {path}"
    );
    let state = b.text("#case-state").await?;
    ensure!(
        state == label,
        "the state badge says {state:?}, expected {label:?}"
    );
    let flash = b.text(".flash-ok").await?;
    ensure!(
        flash == format!("Moved to {label}."),
        "flash after moving to {label}: {flash:?}"
    );
    Ok(())
}

async fn reviewer_logs_report(b: &Browser, s: &Server) -> Result<()> {
    const REX: &str = "rex.reviewer";
    const REX_PASSWORD: &str = "a long enough reviewer password";
    const FORM: &str = r#"form[action="/cases/new"]"#;
    const TITLE: &str = "Crypto mine next to F.E. Warren AFB";
    const PARTIES: [PartyInput; 3] = [
        PartyInput {
            name: "MineOne Wyoming Data Center LLC",
            country: "US",
            role: "acquirer",
            owns: None,
            share: None,
        },
        PartyInput {
            name: "MineOne Partners Ltd",
            country: "VG",
            role: "parent",
            owns: Some("0"),
            share: Some("100"),
        },
        PartyInput {
            name: "PRC nationals (undisclosed)",
            country: "CN",
            role: "ultimate_parent",
            owns: Some("1"),
            share: Some("51"),
        },
    ];

    // A reviewer, created through the CLI on the server's database, signs in.
    s.add_user(REX, "reviewer", REX_PASSWORD)?;
    b.open("/login").await?;
    sign_in(b, REX, REX_PASSWORD).await?;

    // Opens the report form from the navigation.
    click_nav(b, "New report", "/cases/new").await?;
    b.find(FORM).await?;

    // Fills it in.
    let field = |name: &str| format!("{FORM} {}", id(&format!("f-{name}")));
    b.fill(&field("title"), TITLE).await?;
    b.select(&field("source"), "company_report").await?;
    b.select(&field("transaction.kind"), "purchase").await?;
    b.fill(&field("transaction.date"), "2022-06-15").await?;
    for right in ["access", "exclude", "improve"] {
        b.set_checked(&field(&format!("transaction.rights.{right}")), true)
            .await?;
    }
    b.set_checked(&field("transaction.rights.affix"), false)
        .await?;
    b.fill(&field("property.lat"), "41.17").await?;
    b.fill(&field("property.lon"), "-104.85").await?;
    for (i, p) in PARTIES.iter().enumerate() {
        let party = |f: &str| field(&format!("parties[{i}].{f}"));
        b.fill(&party("name"), p.name).await?;
        b.fill(&party("country"), p.country).await?;
        b.select(&party("role"), p.role).await?;
        b.select(&party("owns"), p.owns.unwrap_or("")).await?;
        b.fill(&party("ownership_pct"), p.share.unwrap_or(""))
            .await?;
    }
    b.screenshot_full_page("report-01-form-filled").await?;
    b.expect_accessible("report-01-form-filled").await?;

    let submit = format!(r#"{FORM} button[type="submit"].primary"#);
    let label = b.text(&submit).await?;
    ensure!(label == "Log report", "the form's button says {label:?}");
    b.click_and_wait(&submit).await?;

    // The case page of the new lead.
    let case_path = b.path().await?;
    ensure!(
        case_path.starts_with("/cases/") && case_path["/cases/".len()..].parse::<i64>().is_ok(),
        "logging the report led to {case_path}"
    );
    let flash = b.text(".flash-ok").await?;
    ensure!(
        flash.starts_with("Logged CFN-"),
        "flash after logging: {flash:?}"
    );
    let reference = b.text("#case-reference").await?;
    ensure!(
        flash == format!("Logged {reference}."),
        "the flash {flash:?} does not name the case's reference {reference:?}"
    );
    let title = b.text("#case-title").await?;
    ensure!(title == TITLE, "the case page's title: {title:?}");
    let state = b.text("#case-state").await?;
    ensure!(state == "Lead", "a new report's state: {state:?}");
    let names = b.texts(".ownership .party-name").await?;
    let expected: Vec<&str> = PARTIES.iter().map(|p| p.name).collect();
    ensure!(
        names == expected,
        "the ownership chain should read acquirer → parent → ultimate parent: {names:?}"
    );
    let deadlines = b.text("#deadlines").await?;
    ensure!(
        deadlines.contains("Triage due") && deadlines.contains("days left"),
        "the deadlines of a new lead: {deadlines:?}"
    );
    let chain = b.text("#chain-status").await?;
    ensure!(
        chain.starts_with("History verified"),
        "the history check: {chain:?}"
    );
    b.screenshot_full_page("report-02-case-logged").await?;
    b.expect_accessible("report-02-case-logged").await?;

    // Finds it in the queue by a party's name.
    click_nav(b, "Queue", "/cases").await?;
    b.fill("#q", "MineOne Partners").await?;
    b.click_and_wait(r#"form.filters button[type="submit"]"#)
        .await?;
    let button = b.text(r#"form.filters button[type="submit"]"#).await?;
    ensure!(
        button == "Apply",
        "the queue's search button says {button:?}"
    );
    let path = b.path().await?;
    ensure!(path == "/cases", "searching led to {path}");
    let kept = b.find("#q").await?.prop("value").await?;
    ensure!(
        kept.as_deref() == Some("MineOne Partners"),
        "the search box should keep the query, has {kept:?}"
    );
    let rows = b.find_all("#queue tbody tr").await?;
    ensure!(
        rows.len() == 1,
        "searching for a party should find exactly one case, found {} rows: {:?}",
        rows.len(),
        b.texts("#queue tbody tr").await?
    );
    let cells = b.texts("#queue tbody tr td:nth-child(2)").await?;
    ensure!(cells == [TITLE], "the found row's title: {cells:?}");
    let link = b.text("#queue tbody tr td:first-child a").await?;
    ensure!(link == reference, "the found row's reference: {link:?}");
    b.screenshot("report-03-queue-search").await?;
    b.expect_accessible("report-03-queue-search").await?;
    b.click_and_wait("#queue tbody tr td:first-child a").await?;
    let path = b.path().await?;
    ensure!(
        path == case_path,
        "the reference link led to {path}, expected {case_path}"
    );

    // Lead → Screening, after a first try without a rationale.
    b.set_checked(
        r#"#transition-form input[name="to"][value="screening"]"#,
        true,
    )
    .await?;
    b.fill("#transition-form #f-rationale", "").await?;
    b.click_and_wait(r#"#transition-form button[type="submit"]"#)
        .await?;
    let error = b.text("#transition-form #e-rationale").await?;
    ensure!(
        error == "Give a rationale.",
        "the error for a missing rationale: {error:?}"
    );
    ensure!(
        b.is_checked(r#"#transition-form input[name="to"][value="screening"]"#)
            .await?,
        "the chosen action should still be checked after the refusal"
    );
    let state = b.text("#case-state").await?;
    ensure!(
        state == "Lead",
        "a refused move changed the state to {state:?}"
    );
    b.screenshot("report-04-move-refused").await?;
    b.expect_accessible("report-04-move-refused").await?;

    record_move(
        b,
        "screening",
        "Within one mile of F.E. Warren AFB (Part 802 appendix A, part 1).",
    )
    .await?;
    expect_moved(b, &case_path, "Screening").await?;

    record_move(
        b,
        "notice_submitted",
        "The parties filed a joint voluntary notice.",
    )
    .await?;
    expect_moved(b, &case_path, "Notice submitted").await?;

    record_move(
        b,
        "review",
        "Notice found complete; the review period starts the next business day.",
    )
    .await?;
    expect_moved(b, &case_path, "Review").await?;

    // The review clock: 45 days from the next business day, rolled past a weekend or holiday.
    let review = r#"#deadlines li.deadline"#;
    let mut found = None;
    for li in b.find_all(review).await? {
        let text = li.text().await.context("reading a deadline")?;
        if text.contains("Review period ends") {
            found = Some(li);
        }
    }
    let li = found.with_context(|| "no \"Review period ends\" deadline in #deadlines")?;
    let text = li.text().await.context("reading the review deadline")?;
    ensure!(
        text.contains("days left"),
        "the review deadline shows no days left: {text:?}"
    );
    let due = li
        .find(fantoccini::Locator::Css("time"))
        .await
        .context("finding the review deadline's date")?
        .attr("datetime")
        .await
        .context("reading the review deadline's datetime")?
        .context("the review deadline's time has no datetime")?;
    let due = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d")
        .with_context(|| format!("the review deadline's datetime {due:?}"))?;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::New_York)
        .date_naive();
    let days = (due - today).num_days();
    ensure!(
        (44..=52).contains(&days),
        "the review period ends {due}, {days} days after today ({today}) in New York; \
         expected 44 to 52"
    );
    let timeline = b.texts("#timeline .event-title").await?;
    ensure!(
        timeline.iter().any(|t| t == "Notice submitted → Review"),
        "the timeline has no \"Notice submitted → Review\": {timeline:?}"
    );
    let chain = b.text("#chain-status").await?;
    ensure!(
        chain.starts_with("History verified"),
        "the history check after the moves: {chain:?}"
    );
    b.screenshot_full_page("report-05-case-in-review").await?;
    b.expect_accessible("report-05-case-in-review").await?;
    Ok(())
}

#[test]
fn reviewer_attaches_files_exports_and_prints() {
    run_journey(
        "reviewer_attaches_files_exports_and_prints",
        reviewer_attaches_exports_prints,
    );
}

/// The MineOne report of PRODUCT.md section 6, in the API's shape.
fn mineone_report() -> serde_json::Value {
    serde_json::json!({
        "title": "Crypto mine next to F.E. Warren AFB",
        "source": "company_report",
        "summary": "Report of a PRC-linked Bitcoin mine on a 12-acre lot north of the base.",
        "transaction": {"kind": "purchase", "date": "2022-06-15", "value_usd": 1500000,
                        "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
                        "intended_use": "cryptocurrency mining", "power_mw": 75},
        "property": {"lat": 41.17, "lon": -104.85, "address": "North Range Business Park, Cheyenne",
                     "state": "WY", "county_fips": "56021", "acreage": 12,
                     "urban_area": false, "single_housing_unit": false, "in_port": false,
                     "commercial_office": false},
        "parties": [
            {"key": "p1", "name": "MineOne Wyoming Data Center LLC", "country": "US", "role": "acquirer"},
            {"key": "p2", "name": "MineOne Partners Ltd", "country": "VG", "role": "parent", "owns": "p1", "ownership_pct": 100},
            {"key": "p3", "name": "PRC nationals (undisclosed)", "country": "CN", "role": "ultimate_parent", "owns": "p2", "ownership_pct": 51}
        ]
    })
}

/// A file the reviewer attaches: its name, content, and what the case page shows of it.
struct AttachedFile {
    name: &'static str,
    content: Vec<u8>,
    /// The size as the page writes it.
    size: String,
    sha256: String,
}

impl AttachedFile {
    fn new(name: &'static str, content: Vec<u8>, size: &str) -> AttachedFile {
        use sha2::Digest;
        let sha256 = hex::encode(sha2::Sha256::digest(&content));
        AttachedFile {
            name,
            content,
            size: size.to_string(),
            sha256,
        }
    }
}

/// Logs the MineOne report through the API with a token made by the CLI; returns the new
/// case's id and reference.
async fn log_case_through_api(s: &Server, user: &str) -> Result<(i64, String)> {
    log_report_through_api(s, user, mineone_report()).await
}

/// Logs a report through the API with a token made by the CLI; returns the new case's id and
/// reference.
async fn log_report_through_api(
    s: &Server,
    user: &str,
    report: serde_json::Value,
) -> Result<(i64, String)> {
    let token = s.create_token(user, "browser journey")?;
    let url = format!("{}/api/v1/cases", s.base);
    let res = harness::http(move |c| c.post(url).bearer_auth(token).json(&report)).await?;
    ensure!(
        res.status == reqwest::StatusCode::CREATED,
        "POST /api/v1/cases answered {}: {}",
        res.status,
        res.body_start()
    );
    let case: serde_json::Value =
        serde_json::from_slice(&res.body).context("the created case is not JSON")?;
    let id = case["id"]
        .as_i64()
        .with_context(|| format!("the created case has no id: {case}"))?;
    let reference = case["reference"]
        .as_str()
        .with_context(|| format!("the created case has no reference: {case}"))?
        .to_string();
    ensure!(
        reference.starts_with("CFN-"),
        "the created case's reference: {reference:?}"
    );
    Ok((id, reference))
}

/// Checks that a download answered 200 with this content type, as an attachment.
fn expect_download(res: &harness::Fetched, what: &str, content_type: &str) -> Result<()> {
    ensure!(
        res.status == reqwest::StatusCode::OK,
        "downloading {what} answered {} (Location {:?}): {}",
        res.status,
        res.header("location"),
        res.body_start()
    );
    let ct = res.header("content-type");
    ensure!(
        ct.starts_with(content_type),
        "{what} came as {ct:?}, expected {content_type}"
    );
    let disposition = res.header("content-disposition");
    ensure!(
        disposition.starts_with("attachment"),
        "{what} should be a download, its Content-Disposition is {disposition:?}"
    );
    Ok(())
}

async fn reviewer_attaches_exports_prints(b: &Browser, s: &Server) -> Result<()> {
    const AVA: &str = "ava.reviewer";
    const AVA_PASSWORD: &str = "a reviewer who keeps the paperwork";

    // A reviewer, and a case logged through the API with a token made by the CLI.
    s.add_user(AVA, "reviewer", AVA_PASSWORD)?;
    let (id, reference) = log_case_through_api(s, AVA).await?;
    let case_path = format!("/cases/{id}");

    // Two files with distinctive content: one under a kilobyte, one of exactly 3 KB.
    let text =
        format!("{reference}: site visit, 2022-07-01. Fence line 0.9 mi from the missile field.\n");
    let notes = AttachedFile::new(
        "site-visit-notes.txt",
        text.clone().into_bytes(),
        &format!("{} bytes", text.len()),
    );
    let mut survey = b"parcel,acres,owner\n".to_vec();
    while survey.len() < 3 * 1024 {
        survey.extend_from_slice(b"56021-0042,12,MineOne Wyoming Data Center LLC\n");
    }
    survey.truncate(3 * 1024);
    let survey = AttachedFile::new("parcel-survey.csv", survey, "3.0 KB");
    let files = [&notes, &survey];
    let dir = tempfile::tempdir().context("creating the upload directory")?;
    let mut paths = Vec::new();
    for f in files {
        let path = dir.path().join(f.name);
        std::fs::write(&path, &f.content).with_context(|| format!("writing {}", path.display()))?;
        paths.push(path.display().to_string());
    }

    // The reviewer signs in and opens the case.
    b.open("/login").await?;
    sign_in(b, AVA, AVA_PASSWORD).await?;
    b.open(&case_path).await?;
    let shown = b.text("#case-reference").await?;
    ensure!(
        shown == reference,
        "the case page shows {shown:?}, the API created {reference:?}"
    );
    let empty = b.text("#attachments .empty").await?;
    ensure!(
        empty == "No files attached.",
        "a new case's attachments panel: {empty:?}"
    );

    // Chooses both files at once and attaches them.
    let input = b.find("#attach-form #f-files").await?;
    input
        .send_keys(&paths.join("\n"))
        .await
        .context("choosing two files in #f-files")?;
    // The page's script names the chosen files under the input when the input changes.
    let mut chosen = String::new();
    for _ in 0..100 {
        chosen = b.text("#attach-form [data-dropzone-names]").await?;
        if !chosen.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    ensure!(
        chosen == format!("{}, {}", notes.name, survey.name),
        "the drop zone should name both chosen files: {chosen:?}"
    );
    b.client
        .execute(
            "document.getElementById('attachments').scrollIntoView();",
            Vec::new(),
        )
        .await
        .context("scrolling to the attachments panel")?;
    b.screenshot("attach-01-files-chosen").await?;
    b.click_and_wait(r#"#attach-form button[type="submit"]"#)
        .await?;
    let path = b.path().await?;
    ensure!(path == case_path, "attaching led to {path}");
    let flash = b.text(".flash-ok").await?;
    ensure!(
        flash == "Attached 2 files.",
        "flash after attaching: {flash:?}"
    );
    b.find("#attachment-list").await?;
    let names = b.texts("#attachment-list .attachment-link").await?;
    for f in files {
        ensure!(
            names.iter().any(|n| n == f.name),
            "#attachment-list should list {}: {names:?}",
            f.name
        );
    }
    ensure!(names.len() == 2, "#attachment-list lists {names:?}");
    for row in b.find_all("#attachment-list tbody tr").await? {
        let cells: Vec<String> = {
            let mut cells = Vec::new();
            for td in row
                .find_all(fantoccini::Locator::Css("td"))
                .await
                .context("reading an attachment row")?
            {
                cells.push(
                    td.text()
                        .await
                        .context("reading a cell")?
                        .trim()
                        .to_string(),
                );
            }
            cells
        };
        let f = files
            .iter()
            .find(|f| cells.first().map(String::as_str) == Some(f.name))
            .with_context(|| format!("an attachment row for no file of ours: {cells:?}"))?;
        let size = cells.get(1).map(String::as_str).unwrap_or_default();
        ensure!(
            size == f.size,
            "{} is {} bytes and should show as {:?}, the page says {size:?}",
            f.name,
            f.content.len(),
            f.size
        );
        let hash = cells.get(3).map(String::as_str).unwrap_or_default();
        ensure!(
            hash == format!("{}…", &f.sha256[..12]),
            "{}'s SHA-256 {} shows as {hash:?}",
            f.name,
            f.sha256
        );
    }
    let timeline = b.texts("#timeline .event-title").await?;
    for f in files {
        ensure!(
            timeline
                .iter()
                .any(|t| t.starts_with(&format!("{} attached", f.name))),
            "the timeline has no \"{} attached\": {timeline:?}",
            f.name
        );
    }
    b.screenshot_full_page("attach-02-files-attached").await?;
    b.expect_accessible("attach-02-files-attached").await?;

    // Downloads one back: the very bytes, as a download, recorded.
    let mut link = None;
    for a in b.find_all("#attachment-list .attachment-link").await? {
        if a.text().await.context("reading an attachment link")?.trim() == notes.name {
            link = a.attr("href").await.context("reading an attachment link")?;
        }
    }
    let link = link.with_context(|| format!("no link to {}", notes.name))?;
    let res = b.download(&link).await?;
    expect_download(&res, notes.name, "text/plain")?;
    ensure!(
        res.body == notes.content,
        "{} came back different: {:?}",
        notes.name,
        res.body_start()
    );

    // Exports the case as JSON with the browser's session, and checks it offline.
    let href = b.find("#exports #json-link").await?.attr("href").await?;
    let json_path = format!("{case_path}/export.json");
    ensure!(
        href.as_deref() == Some(json_path.as_str()),
        "#json-link points to {href:?}"
    );
    let res = b.download(&json_path).await?;
    expect_download(&res, "the JSON export", "application/json")?;
    let disposition = res.header("content-disposition");
    ensure!(
        disposition.contains(&format!("{reference}.json")),
        "the JSON export should be saved as {reference}.json: {disposition:?}"
    );
    let saved = dir.path().join(format!("{reference}.json"));
    std::fs::write(&saved, &res.body).with_context(|| format!("writing {}", saved.display()))?;
    let out = s.cli(&["verify", &saved.display().to_string()])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    ensure!(
        out.status.success(),
        "`cordon verify` of the export failed with {}: {stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    ensure!(
        stdout.starts_with("intact:") && stdout.contains(&format!("({reference})")),
        "`cordon verify` says {stdout:?}"
    );
    let doc: serde_json::Value =
        serde_json::from_slice(&res.body).context("the JSON export is not JSON")?;
    let events = doc["events"].as_array().map_or(0, Vec::len);
    let head = doc["chain"]["head"].as_str().unwrap_or_default();
    ensure!(
        !head.is_empty() && stdout.contains(&format!("intact: {events} events, head {head}")),
        "`cordon verify` says {stdout:?}; the document has {events} events and head {head:?}"
    );
    let manifest = doc["attachments"]
        .as_array()
        .context("the JSON export has no attachment manifest")?;
    ensure!(
        manifest.len() == 2,
        "the JSON manifest should hold two files: {manifest:?}"
    );
    for f in files {
        let entry = manifest
            .iter()
            .find(|a| a["name"] == f.name)
            .with_context(|| format!("the JSON manifest lacks {}: {manifest:?}", f.name))?;
        ensure!(
            entry["sha256"] == f.sha256.as_str(),
            "the JSON manifest's SHA-256 of {} is {}, the file's is {}",
            f.name,
            entry["sha256"],
            f.sha256
        );
        ensure!(
            entry["size"].as_u64() == u64::try_from(f.content.len()).ok(),
            "the JSON manifest's size of {} is {}, the file is {} bytes",
            f.name,
            entry["size"],
            f.content.len()
        );
        ensure!(
            entry["uploaded_by"] == AVA,
            "{} uploaded by {}",
            f.name,
            entry["uploaded_by"]
        );
    }

    // Opens the dossier for printing.
    b.click_and_wait("#exports #print-link").await?;
    let path = b.path().await?;
    ensure!(
        path == format!("{case_path}/print"),
        "#print-link led to {path}"
    );
    let shown = b.text("#dossier-reference").await?;
    ensure!(shown == reference, "the dossier's reference: {shown:?}");
    let state = b.text("#dossier-state").await?;
    ensure!(
        state.starts_with("Lead since "),
        "the dossier's state: {state:?}"
    );
    let listed = b.texts("#manifest tbody tr td:first-child").await?;
    ensure!(
        listed.len() == 2 && files.iter().all(|f| listed.iter().any(|n| n == f.name)),
        "the dossier's manifest should list both files: {listed:?}"
    );
    let hashes = b.texts("#manifest tbody tr code.hash").await?;
    ensure!(
        files.iter().all(|f| hashes.contains(&f.sha256)),
        "the dossier's manifest should give each file's full SHA-256: {hashes:?}"
    );
    let chain_head = b.text("#chain-head").await?;
    ensure!(
        chain_head.len() == 64 && chain_head.chars().all(|c| c.is_ascii_hexdigit()),
        "the dossier's chain head: {chain_head:?}"
    );
    b.screenshot_full_page("dossier-print").await?;
    b.expect_accessible("dossier-print").await?;

    // Downloads the server-made PDF.
    let pdf_path = format!("{case_path}/dossier.pdf");
    let href = b.find("#pdf-link").await?.attr("href").await?;
    ensure!(
        href.as_deref() == Some(pdf_path.as_str()),
        "the dossier's PDF link points to {href:?}"
    );
    let res = b.download(&pdf_path).await?;
    expect_download(&res, "the dossier PDF", "application/pdf")?;
    ensure!(
        res.body.starts_with(b"%PDF-"),
        "the dossier PDF does not start with %PDF-: {:?}",
        res.body_start()
    );
    let pdf = lopdf::Document::load_mem(&res.body).context("lopdf cannot read the dossier PDF")?;
    let pages = pdf.get_pages();
    ensure!(!pages.is_empty(), "the dossier PDF has no pages");
    eprintln!(
        "dossier PDF: {} bytes, {} pages",
        res.body.len(),
        pages.len()
    );
    let first = pdf
        .extract_text(&[1])
        .context("extracting the text of the PDF's first page")?;
    ensure!(
        first.contains(&reference),
        "the PDF's first page does not name {reference}: {:?}",
        first.chars().take(400).collect::<String>()
    );

    // Back on the case page, every export is in the history, and the history still holds.
    b.click_and_wait(&format!(r#"nav.toolbar a[href="{case_path}"]"#))
        .await?;
    let path = b.path().await?;
    ensure!(path == case_path, "the dossier's back link led to {path}");
    let timeline = b.texts("#timeline .event-title").await?;
    for title in [
        "Exported as JSON",
        "Dossier opened for printing",
        "Dossier downloaded as PDF",
        &format!("{} downloaded", notes.name),
    ] {
        ensure!(
            timeline.iter().any(|t| t == title),
            "the timeline has no {title:?}: {timeline:?}"
        );
    }
    let chain = b.text("#chain-status").await?;
    ensure!(
        chain.starts_with("History verified"),
        "the history check after the exports: {chain:?}"
    );
    b.screenshot_full_page("attach-03-exports-in-timeline")
        .await?;
    Ok(())
}

#[test]
fn reviewer_and_chair_record_mineone_after_the_fact() {
    run_journey(
        "reviewer_and_chair_record_mineone_after_the_fact",
        record_mineone_after_the_fact,
    );
}

/// Picks a move, dates it, and records it; checks the state badge after.
async fn record_dated_move(
    b: &Browser,
    case_path: &str,
    to: &str,
    on: &str,
    rationale: &str,
    conditions: Option<&str>,
    label: &str,
) -> Result<()> {
    b.set_checked(
        &format!(r#"#transition-form input[name="to"][value="{to}"]"#),
        true,
    )
    .await?;
    b.fill("#transition-form #f-rationale", rationale).await?;
    b.set_value("#transition-form #f-effective", on).await?;
    if let Some(text) = conditions {
        b.fill("#transition-form #f-conditions", text).await?;
    }
    b.click_and_wait(r#"#transition-form button[type="submit"]"#)
        .await?;
    expect_moved(b, case_path, label)
        .await
        .with_context(|| format!("moving to {to} on {on}"))
}

/// MineOne's real history, entered through the pages alone: received 2022-08-22, each move on
/// its real date, the order of 2024-05-13 with its 90- and 120-day conditions.
async fn record_mineone_after_the_fact(b: &Browser, s: &Server) -> Result<()> {
    const REVIEWER: (&str, &str) = ("rosa.reviewer", "a long enough reviewer password");
    const CHAIR: (&str, &str) = ("carl.chair", "a long enough chair password!");
    const FORM: &str = r#"form[action="/cases/new"]"#;
    s.add_user(REVIEWER.0, "reviewer", REVIEWER.1)?;
    s.add_user(CHAIR.0, "chair", CHAIR.1)?;
    b.open("/login").await?;
    sign_in(b, REVIEWER.0, REVIEWER.1).await?;
    click_nav(b, "New report", "/cases/new").await?;

    let field = |name: &str| format!("{FORM} {}", id(&format!("f-{name}")));
    // A future day is refused beside the field, and what was typed stays.
    b.fill(&field("received_on"), "2099-01-01").await?;
    b.fill(
        &field("title"),
        "MineOne crypto mine within a mile of F.E. Warren AFB",
    )
    .await?;
    b.select(&field("source"), "company_report").await?;
    b.select(&field("transaction.kind"), "purchase").await?;
    b.fill(&field("transaction.date"), "2022-06-15").await?;
    for right in ["access", "exclude", "improve", "affix"] {
        b.set_checked(&field(&format!("transaction.rights.{right}")), true)
            .await?;
    }
    b.fill(&field("transaction.intended_use"), "cryptocurrency mining")
        .await?;
    b.fill(&field("property.lat"), "41.17").await?;
    b.fill(&field("property.lon"), "-104.85").await?;
    let parties = [
        ("MineOne Wyoming Data Center LLC", "US", "acquirer", "", ""),
        ("MineOne Partners Ltd", "VG", "parent", "0", "100"),
        (
            "PRC nationals (undisclosed)",
            "CN",
            "ultimate_parent",
            "1",
            "51",
        ),
    ];
    for (i, (name, country, role, owns, share)) in parties.iter().enumerate() {
        let party = |f: &str| field(&format!("parties[{i}].{f}"));
        b.fill(&party("name"), name).await?;
        b.fill(&party("country"), country).await?;
        b.select(&party("role"), role).await?;
        b.select(&party("owns"), owns).await?;
        b.fill(&party("ownership_pct"), share).await?;
    }
    let submit = format!(r#"{FORM} button[type="submit"].primary"#);
    b.click_and_wait(&submit).await?;
    let error = b.text(&format!("{FORM} #e-received_on")).await?;
    ensure!(
        error.contains("cannot be in the future"),
        "a future received date: {error:?}"
    );
    let kept = b.find(&field("received_on")).await?.prop("value").await?;
    ensure!(kept.as_deref() == Some("2099-01-01"), "kept {kept:?}");
    b.fill(&field("received_on"), "2022-08-22").await?;
    b.click_and_wait(&submit).await?;

    let case_path = b.path().await?;
    let reference = b.text("#case-reference").await?;
    ensure!(
        reference.starts_with("CFN-2022-"),
        "a report received in 2022 is numbered in 2022: {reference}"
    );
    let header = b.text("main").await?;
    ensure!(
        header.contains("Received 2022-08-22"),
        "the case page names the received day"
    );
    // Nothing may be dated before the report was received.
    b.set_checked(
        r#"#transition-form input[name="to"][value="screening"]"#,
        true,
    )
    .await?;
    b.fill("#transition-form #f-rationale", "Screen for jurisdiction.")
        .await?;
    b.set_value("#transition-form #f-effective", "2022-08-21")
        .await?;
    b.click_and_wait(r#"#transition-form button[type="submit"]"#)
        .await?;
    let refused = b.text("#e-effective").await?;
    ensure!(
        refused.contains("2022-08-22"),
        "a move before the received day: {refused:?}"
    );

    record_dated_move(
        b,
        &case_path,
        "screening",
        "2022-08-23",
        "Lot within one mile of F.E. Warren AFB; PRC nationals hold 51% through a BVI parent.",
        None,
        "Screening",
    )
    .await?;
    record_dated_move(
        b,
        &case_path,
        "inquiry",
        "2022-09-07",
        "Covered real estate, a foreign-person buyer, no filing: open a non-notified inquiry.",
        None,
        "Non-notified inquiry",
    )
    .await?;
    b.click_and_wait(r#"form[action="/logout"] button"#).await?;

    b.open("/login").await?;
    sign_in(b, CHAIR.0, CHAIR.1).await?;
    b.open(&case_path).await?;
    record_dated_move(
        b,
        &case_path,
        "review",
        "2024-02-01",
        "Defense filed an agency notice: the 45-day review starts.",
        None,
        "Review",
    )
    .await?;
    record_dated_move(
        b,
        &case_path,
        "investigation",
        "2024-03-15",
        "Unresolved concerns at the end of the review.",
        None,
        "Investigation",
    )
    .await?;
    record_dated_move(
        b,
        &case_path,
        "presidential",
        "2024-04-29",
        "Report to the President recommending prohibition.",
        None,
        "Presidential decision",
    )
    .await?;
    record_dated_move(
        b,
        &case_path,
        "divestiture",
        "2024-05-13",
        "Prohibition ordered by the President (order of 13 May 2024).",
        Some(
            "2024-08-11: Remove all equipment and improvements within 90 days of the order\n\
              2024-09-10: Divest all interests within 120 days of the order",
        ),
        "Divestiture",
    )
    .await?;

    let conditions = b.text("#conditions").await?;
    for due in ["2024-08-11", "2024-09-10"] {
        ensure!(
            conditions.contains(due),
            "the order's condition due {due}: {conditions:?}"
        );
    }
    let timeline = b.text("#timeline").await?;
    for day in [
        "2022-08-23",
        "2022-09-07",
        "2024-02-01",
        "2024-03-15",
        "2024-04-29",
        "2024-05-13",
    ] {
        ensure!(timeline.contains(day), "the timeline names {day}");
    }
    let chain = b.text("#chain-status").await?;
    ensure!(
        chain.starts_with("History verified"),
        "the history check: {chain:?}"
    );
    b.screenshot_full_page("mineone-after-the-fact").await?;
    b.expect_accessible("mineone-after-the-fact").await?;

    // WCAG 2.2 (2.4.11): tabbing through the edit form of a case with 8 parties, no focused
    // control is hidden behind the sticky "Save changes" bar.
    let mut report = mineone_report();
    report["parties"] = serde_json::Value::Array(
        (1..=8)
            .map(|i| serde_json::json!({"key": format!("p{i}"), "name": format!("Holding company {i} Ltd"),
                                        "country": "KY", "role": "affiliate"}))
            .collect(),
    );
    let (id8, _) = log_report_through_api(s, REVIEWER.0, report).await?;
    b.reset_window().await?;
    b.open(&format!("/cases/{id8}/edit")).await?;
    b.find("#f-title")
        .await?
        .click()
        .await
        .context("focusing the title")?;
    let mut seen = 0;
    for _ in 0..400 {
        let place = b
            .client
            .execute(
                "const a = document.activeElement; const r = a.getBoundingClientRect(); \
                 const bar = document.querySelector('.sticky-actions').getBoundingClientRect(); \
                 return [a.id || a.name || a.tagName, r.top, r.bottom, bar.top, \
                         a.closest('.sticky-actions') !== null, window.innerHeight];",
                Vec::new(),
            )
            .await
            .context("reading the focused element")?;
        let what = place[0].as_str().unwrap_or("?").to_string();
        let n = |i: usize| place[i].as_f64().unwrap_or(f64::NAN);
        let (top, bottom, bar_top, in_bar) = (n(1), n(2), n(3), place[4].as_bool() == Some(true));
        if in_bar {
            break;
        }
        seen += 1;
        ensure!(
            top >= 0.0 && bottom <= bar_top + 0.5,
            "{what} is focused but hidden: its box runs {top}..{bottom}, the bar starts at {bar_top}"
        );
        b.client
            .active_element()
            .await
            .context("the focused element")?
            .send_keys("\u{e004}")
            .await
            .context("pressing Tab")?;
    }
    ensure!(
        seen > 8 * 6,
        "only {seen} controls were focused before the bar"
    );
    b.screenshot("edit-form-focus-above-sticky-bar").await?;
    Ok(())
}

#[test]
fn reviewer_imports_a_file_of_reports() {
    run_journey("reviewer_imports_a_file_of_reports", import_reports);
}

/// Waits until an element matching `css` is on the page (the import page replaces its main
/// content in place when the answer comes, without loading a new page).
async fn wait_for(b: &Browser, css: &str) -> Result<()> {
    for _ in 0..600 {
        if !b.find_all(css).await?.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    anyhow::bail!("`{css}` did not appear within 30 s")
}

/// Chooses a file in the import form and sends it; waits for the answer.
async fn send_import(b: &Browser, path: &std::path::Path, answer: &str) -> Result<()> {
    b.find("#f-file")
        .await?
        .send_keys(&path.display().to_string())
        .await
        .context("choosing the file in #f-file")?;
    let button = b.find(r#"#import-form button[type="submit"]"#).await?;
    b.reveal(&button).await?;
    button.click().await.context("clicking Import")?;
    wait_for(b, answer).await
}

/// A reviewer imports two Wyoming mines from a CSV: first with a mistake (refused, nothing
/// stored, the problem named by line and column), then corrected; the cases open from the
/// result.
async fn import_reports(b: &Browser, s: &Server) -> Result<()> {
    const REVIEWER: (&str, &str) = ("ivy.importer", "a long enough reviewer password");
    s.add_user(REVIEWER.0, "reviewer", REVIEWER.1)?;
    b.open("/login").await?;
    sign_in(b, REVIEWER.0, REVIEWER.1).await?;
    click_nav(b, "Queue", "/cases").await?;
    b.click_and_wait(r#"a[href="/cases/import"]"#).await?;
    ensure!(b.text("h1").await? == "Import reports", "the import page");

    let dir = tempfile::tempdir().context("a folder for the files")?;
    let header = "report,received_on,title,source,transaction.kind,property.lat,property.lon,\
                  party.key,party.name,party.country,party.role,party.owns,party.ownership_pct";
    let rows = |role: &str| {
        format!(
            "{header}\n\
             campbell,2023-04-03,Crypto mine near Gillette,media,purchase,44.29,-105.5,p1,Campbell Mining LLC,US,acquirer,,\n\
             campbell,,,,,,,p2,Bit Origin Ltd,KY,{role},p1,100\n\
             laramie,2023-05-10,Data hall outside Laramie,public_tip,lease,41.31,-105.59,p1,Laramie Compute LLC,US,acquirer,,\n\
             laramie,,,,,,,p2,Bit Origin Ltd,KY,parent,p1,80\n"
        )
    };
    let bad = dir.path().join("wyoming-mines.csv");
    std::fs::write(&bad, rows("owner")).context("writing the file")?;
    send_import(b, &bad, "#problems").await?;
    let problems = b.texts("#problems tbody tr").await?;
    ensure!(
        problems.len() == 1 && problems[0].contains('3') && problems[0].contains("party.role"),
        "the wrong role on line 3 should be named: {problems:?}"
    );
    let notice = b.text("#notice").await?;
    ensure!(
        notice.contains("Nothing was imported"),
        "notice: {notice:?}"
    );
    b.screenshot_full_page("import-01-refused").await?;
    b.expect_accessible("import-01-refused").await?;
    b.reset_window().await?;

    let good = dir.path().join("wyoming-mines-fixed.csv");
    std::fs::write(&good, rows("parent")).context("writing the file")?;
    send_import(b, &good, "#imported").await?;
    let heading = b.text("#imported h2").await?;
    ensure!(heading == "Imported 2 report(s)", "result: {heading:?}");
    let refs = b.texts("#imported-cases a").await?;
    ensure!(
        refs.len() == 2 && refs.iter().all(|r| r.starts_with("CFN-2023-")),
        "two cases numbered in 2023: {refs:?}"
    );
    b.screenshot("import-02-imported").await?;
    b.expect_accessible("import-02-imported").await?;
    b.click_and_wait("#imported-cases a").await?;
    let title = b.text("h1").await?;
    ensure!(
        title.contains("Gillette"),
        "the first imported case: {title:?}"
    );
    // The second mine shares Bit Origin Ltd with the first: the related cases say so.
    let related = b.text("#related").await?;
    ensure!(
        related.contains("Laramie") && related.contains("Bit Origin"),
        "related cases: {related:?}"
    );
    b.screenshot_full_page("import-03-imported-case").await?;
    b.expect_accessible("import-03-imported-case").await?;
    Ok(())
}
