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
