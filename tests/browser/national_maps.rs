//! The national maps in a real browser: the Sites page's map of 600 sites, a state's zoomed
//! map reached by clicking a counted mark, and the dashboard's map of open cases.

use anyhow::{ensure, Context, Result};

use super::harness::{Browser, Server};
use super::{run_journey, sign_in};

#[test]
fn national_maps_show_sites_and_open_cases() {
    run_journey("national_maps_show_sites_and_open_cases", national_maps);
}

async fn national_maps(b: &Browser, s: &Server) -> Result<()> {
    let out = s.cli(&[
        "bench-data",
        "--cases",
        "400",
        "--sites",
        "600",
        "--seed",
        "3",
    ])?;
    ensure!(
        out.status.success(),
        "bench-data failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    b.open("/login").await?;
    sign_in(b, "admin", &s.admin_password).await?;

    // The dashboard: open cases by risk band, with the legend as a table of links.
    let heading = b.text("#case-map-h").await?;
    ensure!(heading == "Open cases on the map", "heading: {heading:?}");
    let marks = b.find_all("#cases-map .map-marks a").await?;
    ensure!(marks.len() > 20, "{} case marks", marks.len());
    let map = b.find("#case-map").await?;
    b.reveal(&map).await?;
    b.screenshot("national-maps-01-dashboard-map").await?;
    b.expect_accessible("national-maps-01-dashboard-map")
        .await?;

    // The Sites page: the national map above the list.
    b.open("/sites").await?;
    let title = b.text("#sites-map-h").await?;
    ensure!(
        title == "Active sites in the United States",
        "heading: {title:?}"
    );
    let states = b.find_all("#sites-map .map-states path").await?;
    ensure!(states.len() == 51, "{} state outlines", states.len());
    b.screenshot("national-maps-02-sites-map").await?;
    b.expect_accessible("national-maps-02-sites-map").await?;

    // A counted mark leads to its state's zoomed map with county lines.
    let mut target = None;
    for a in b.find_all("#sites-map .map-marks a").await? {
        let href = a.attr("href").await.context("reading a mark's href")?;
        if let Some(h) = href.filter(|h| h.starts_with("/sites?state=")) {
            target = Some(h);
            break;
        }
    }
    let target = target.context("no counted mark on the national map")?;
    b.open(&target).await?;
    let title = b.text("#sites-map-h").await?;
    ensure!(
        title.starts_with("Active sites in ") && !title.contains("United States"),
        "{target} did not zoom: {title:?}"
    );
    b.find("#sites-map path.map-counties").await?;
    b.screenshot("national-maps-03-state-map").await?;
    b.expect_accessible("national-maps-03-state-map").await?;

    // Alaska zooms with its own projection.
    b.open("/sites?state=AK").await?;
    b.find("#sites-map path.map-counties").await?;
    b.screenshot("national-maps-04-alaska-map").await?;
    b.expect_accessible("national-maps-04-alaska-map").await?;
    Ok(())
}
