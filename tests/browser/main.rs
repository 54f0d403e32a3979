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

mod harness;

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
    sign_in(b, "admin", &s.admin_password).await?;
    let links = nav_links(b).await?;
    ensure!(
        links.iter().any(|l| l == "Admin"),
        "an admin's navigation should have an Admin link: {links:?}"
    );
    b.screenshot("02-dashboard-admin").await?;

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
    Ok(())
}
