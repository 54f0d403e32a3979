//! The reports page on the demo data: a chair opens Reports from the navigation, picks 2024,
//! finds MineOne's referral to the President and prohibition order, follows a number to the
//! queue of the cases it counts, and sees 2022's tables with Fufeng's not-covered close.

use anyhow::{ensure, Context, Result};

use super::harness::{Browser, Server};

/// Loads the demo (`serve --demo`) into the server's database and returns the chair's
/// password. The demo loads only where there is no user, and the server's first start made
/// `admin` (no one has signed in yet), so that account goes first.
fn load_demo(s: &Server) -> Result<String> {
    use diesel::RunQueryDsl;
    let settings = cordon::config::Settings::with_database(&s.database);
    let db = cordon::startup::open_database(&settings)?;
    let mut conn = db.conn().context("a connection")?;
    diesel::sql_query("DELETE FROM users").execute(&mut *conn)?;
    let logins = cordon::service::demo::load(&mut conn)
        .map_err(|e| anyhow::anyhow!("loading the demo: {e}"))?
        .context("the demo did not load")?;
    logins
        .into_iter()
        .find(|l| l.username == "chair")
        .map(|l| l.password)
        .context("no demo chair")
}

/// The number in the row of a report table whose label is `row`.
async fn number(b: &Browser, table: &str, row: &str) -> Result<String> {
    for tr in b.find_all(&format!("#report-{table} tbody tr")).await? {
        let text = tr.text().await.context("reading a row")?;
        if let Some(rest) = text.trim().strip_prefix(row) {
            return Ok(rest.split_whitespace().next().unwrap_or("").to_string());
        }
    }
    anyhow::bail!("no row {row:?} in {table}")
}

#[test]
fn chair_reads_the_2024_report_on_the_demo_data() {
    super::run_journey("reports", async |b, s| {
        let password = load_demo(s)?;
        b.open("/login").await?;
        super::sign_in(b, "chair", &password).await?;
        super::click_nav(b, "Reports", "/reports").await?;
        b.select("#year", "2024").await?;
        b.click_and_wait("#year-picker button[type='submit']")
            .await?;
        let path = b.path().await?;
        ensure!(path == "/reports", "the picker stays on /reports: {path}");
        let h1 = b.text("h1").await?;
        ensure!(h1 == "Annual report 2024", "heading: {h1:?}");
        let referred = number(b, "presidential", "Referred to the President").await?;
        ensure!(referred == "1", "MineOne was referred in 2024: {referred}");
        let ordered = number(b, "presidential", "Prohibition ordered").await?;
        ensure!(ordered == "1", "MineOne's prohibition: {ordered}");
        b.screenshot_full_page("reports-2024-demo").await?;
        b.expect_accessible("reports-2024-demo").await?;
        b.screenshot("reports-2024-top").await?;
        b.expect_accessible("reports-2024-top").await?;

        let link = b
            .find("#report-presidential tbody tr:nth-child(1) td a")
            .await?;
        b.click_element_and_wait(&link, "the referral count")
            .await?;
        ensure!(b.path().await? == "/cases", "the number opens the queue");
        let rows = b.texts("#queue tbody tr").await?;
        ensure!(rows.len() == 1, "one case referred: {rows:?}");
        ensure!(rows[0].contains("MineOne"), "MineOne is listed: {rows:?}");
        let note = b.text("#report-note").await?;
        ensure!(
            note.contains("Presidential decisions"),
            "the note: {note:?}"
        );
        b.screenshot("reports-2024-queue-of-a-cell").await?;
        b.expect_accessible("reports-2024-queue-of-a-cell").await?;

        b.open("/reports?year=2022").await?;
        let nc = number(b, "notices", "Not a covered transaction").await?;
        ensure!(nc == "1", "Fufeng's not-covered close in 2022: {nc}");
        b.open("/reports?year=1999").await?;
        let none = b.text("#no-data").await?;
        ensure!(none.contains("No data for 1999"), "{none:?}");
        Ok(())
    });
}
