//! The dashboard's charts in a browser: a reviewer signs in on a database of a few hundred
//! generated cases and sees the four charts drawn, each with a legend or labels and its data
//! table; a bar leads to the queue of the same cases. Screenshots: the dashboard in colour, and
//! again in greyscale (as a black-and-white printer renders it) to check the patterns.

use anyhow::{ensure, Context, Result};

use super::harness::{Browser, Server};
use super::{run_journey, sign_in};

#[test]
fn reviewer_reads_the_dashboard_charts() {
    run_journey("reviewer_reads_the_dashboard_charts", read_charts);
}

async fn read_charts(b: &Browser, s: &Server) -> Result<()> {
    const USER: &str = "cleo.reviewer";
    const PASSWORD: &str = "a reviewer who reads charts";
    s.add_user(USER, "reviewer", PASSWORD)?;
    let out = s.cli(&[
        "bench-data",
        "--cases",
        "400",
        "--sites",
        "20",
        "--events",
        "3",
    ])?;
    ensure!(
        out.status.success(),
        "bench-data failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    b.open("/login").await?;
    sign_in(b, USER, PASSWORD).await?;
    for chart in [
        "chart-intake",
        "chart-outcomes",
        "chart-countries",
        "chart-bands",
    ] {
        let drawn = b
            .find_all(&format!("#{chart} svg[aria-labelledby] .chart-mark"))
            .await?;
        ensure!(!drawn.is_empty(), "{chart} draws no bars");
    }
    let bands = b.texts("#chart-bands svg .chart-label").await?;
    ensure!(
        bands == ["Low", "Moderate", "High", "Critical", "Not screened"],
        "the band labels: {bands:?}"
    );
    b.find("#charts").await?;
    b.screenshot_full_page("dashboard_charts").await?;
    b.expect_accessible("dashboard_charts").await?;

    // Black and white: the charts greyed as a monochrome printer would; the patterns must
    // still tell the series apart (look at the screenshot).
    let grey = |f: &'static str| {
        format!(
            "const c = document.getElementById('charts'); c.scrollIntoView(); \
             c.style.filter = '{f}'; return true;"
        )
    };
    b.client
        .execute(&grey("grayscale(1)"), Vec::new())
        .await
        .context("greying the charts")?;
    b.screenshot("dashboard_charts_greyscale").await?;
    b.client
        .execute(&grey(""), Vec::new())
        .await
        .context("restoring colour")?;

    // The first country's table row leads to the queue, which lists as many cases.
    let summary = b.find("#chart-countries details summary").await?;
    summary.click().await.context("opening the country table")?;
    let first = b.find("#chart-countries table tbody tr th a").await?;
    let n: usize = b
        .text("#chart-countries table tbody tr td")
        .await?
        .trim()
        .parse()
        .context("the first country's count")?;
    b.click_element_and_wait(&first, "the first country's link")
        .await?;
    let path = b.path().await?;
    ensure!(path.starts_with("/cases"), "the country link led to {path}");
    let rows = b.find_all("tr[data-case]").await?;
    ensure!(
        rows.len() == n.min(50),
        "the queue lists {} cases, the chart said {n}",
        rows.len()
    );
    Ok(())
}
