//! The case's map in a browser: MineOne logged through the API with the demo's sites loaded by
//! the CLI; the map shows the property inside F.E. Warren's 1-mile ring, a site is reached by
//! keyboard and names itself, and the print page carries the same map. Screenshots of both.

use anyhow::{ensure, Context, Result};

use super::harness::{self, Browser, Server};

#[test]
fn reviewer_sees_mineone_inside_warrens_ring_on_the_case_map() {
    super::run_journey("case-map", case_map_journey);
}

async fn case_map_journey(b: &Browser, s: &Server) -> Result<()> {
    const USER: &str = "mia.reviewer";
    const PASSWORD: &str = "a reviewer who reads maps";
    let sites = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/sites.csv");
    let out = s.cli(&["sites", "import", sites])?;
    ensure!(
        out.status.success(),
        "importing the demo sites: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.add_user(USER, "reviewer", PASSWORD)?;
    let (id, _) = super::log_report_through_api(s, USER, super::mineone_report()).await?;
    b.open("/login").await?;
    super::sign_in(b, USER, PASSWORD).await?;
    b.open(&format!("/cases/{id}")).await?;

    let map = b.find("svg#map-local").await?;
    b.reveal(&map).await?;
    let rings = b.text_contents("svg#map-local path.map-ring title").await?;
    ensure!(
        rings.iter().any(|t| t.contains(
            "1 mi close proximity zone of F.E. Warren Air Force Base (the property is inside)"
        )),
        "rings: {rings:?}"
    );
    // The first site link takes the keyboard focus and names the site, its kind and distance.
    let links = b.find_all("svg#map-local a.map-site").await?;
    ensure!(links.len() >= 2, "site links on the map: {}", links.len());
    b.client
        .execute(
            "document.querySelector('svg#map-local a.map-site').focus(); return null;",
            vec![],
        )
        .await
        .context("focusing a site on the map")?;
    let focused: String = b
        .client
        .execute(
            "const a = document.activeElement; return a && a.querySelector('title') ? a.querySelector('title').textContent : '';",
            vec![],
        )
        .await
        .context("reading the focused site")?
        .as_str()
        .unwrap_or("")
        .to_string();
    ensure!(
        focused.contains("mi from the property"),
        "the focused map link says {focused:?}"
    );
    let png = map.screenshot().await.context("screenshot of the map")?;
    let path = harness::screenshot_dir()?.join("case-map-01-mineone-local.png");
    std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("screenshot: {}", path.display());
    if let Ok(regional) = b.find("svg#map-regional").await {
        b.reveal(&regional).await?;
        let png = regional
            .screenshot()
            .await
            .context("screenshot of the regional map")?;
        let path = harness::screenshot_dir()?.join("case-map-02-mineone-regional.png");
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("screenshot: {}", path.display());
    }
    b.screenshot("case-map-03-case-page").await?;
    b.expect_accessible("case-map-03-case-page").await?;

    b.open(&format!("/cases/{id}/print")).await?;
    let printed = b.find("#dossier svg#map-local").await?;
    b.reveal(&printed).await?;
    b.screenshot("case-map-04-print-page").await?;
    b.expect_accessible("case-map-04-print-page").await?;
    Ok(())
}
