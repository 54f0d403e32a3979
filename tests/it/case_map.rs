//! The case's map: on the case page, on the print page and in the PDF, with MineOne inside
//! F.E. Warren's 1-mile ring next to the Microsoft data center; a case far from every site
//! still gets a map with the property and a scale bar.

use cordon::domain::Role;

use crate::screening_web::seed_sites;
use crate::support::{each_backend, mineone_json, TestApp};

fn mineone(app: &TestApp) -> i64 {
    seed_sites(app);
    app.signed_in(Role::Reviewer);
    app.report("reviewer1", mineone_json())
}

fn assert_map(page: &crate::support::client::Page) {
    // The local map: a group titled for the property, its rings, both sites linked with a
    // <title> that names the site, its kind and its distance.
    assert!(page.has_selector("svg#map-local[role=group][aria-labelledby]"));
    assert_eq!(
        page.text("#map-local-title"),
        "The property and the sites near it"
    );
    let rings = page.texts("svg#map-local path.map-ring title");
    assert!(
        rings.iter().any(|t| t
            == "1 mi close proximity zone of F.E. Warren Air Force Base (the property is inside)"),
        "{rings:?}"
    );
    let sites = page.texts("svg#map-local a.map-site > title");
    assert!(
        sites.iter().any(|t| t.starts_with(
            "F.E. Warren Air Force Base: Military installation (Appendix A part 2), 0."
        ) && t.ends_with("mi from the property")),
        "{sites:?}"
    );
    assert!(
        sites
            .iter()
            .any(|t| t.starts_with("Microsoft data center (Cheyenne): Data center, ")),
        "{sites:?}"
    );
    let links = page
        .html()
        .select(&scraper::Selector::parse("svg#map-local a.map-site").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect::<Vec<_>>();
    assert!(
        links.contains(&"/sites?q=F.E.+Warren+Air+Force+Base".to_string()),
        "{links:?}"
    );
    assert!(page
        .text("#map-local-scale title")
        .starts_with("Scale: the bar is "));
    // The 100-mile ring is on the regional map, and the table says the same in words.
    let regional = page.texts("svg#map-regional path.map-ring title");
    assert!(regional
        .iter()
        .any(|t| t.starts_with("100 mi extended range zone of F.E. Warren")));
    let table = page.text("#map-table");
    assert!(
        table.contains("1 mi (close proximity)") && table.contains("3 mi (the rule set's radius)"),
        "{table}"
    );
}

#[test]
fn mineone_shows_inside_warrens_ring_on_the_case_and_print_pages() {
    each_backend(|app| {
        let id = mineone(app);
        let c = app.signed_in(Role::Observer);
        let page = c.get(&format!("/cases/{id}"));
        assert_eq!(page.status, 200);
        assert_map(&page);
        let print = c.get(&format!("/cases/{id}/print"));
        assert_eq!(print.status, 200);
        assert_map(&print);
    });
}

#[test]
fn a_case_far_from_every_site_still_has_a_map_with_the_property_and_a_scale_bar() {
    each_backend(|app| {
        seed_sites(app);
        let mut report = mineone_json();
        // A field in Arkansas: hundreds of miles from every seeded site.
        report["property"]["lat"] = serde_json::json!(35.2);
        report["property"]["lon"] = serde_json::json!(-92.4);
        report["property"]["state"] = serde_json::json!("AR");
        report["property"]["county_fips"] = serde_json::Value::Null;
        app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", report);
        let c = app.signed_in(Role::Observer);
        for path in [format!("/cases/{id}"), format!("/cases/{id}/print")] {
            let page = c.get(&path);
            assert_eq!(page.status, 200);
            assert!(page.has_selector("svg#map-local g.map-property"));
            assert!(page.text("#map-local-scale").contains("mi"));
            assert!(!page.has_selector("svg#map-regional"));
            assert!(
                page.text("#map-note")
                    .starts_with("No site is within 25 mi"),
                "{}",
                page.text("#map-note")
            );
        }
    });
}

#[test]
fn the_dossier_pdf_draws_the_map_as_vector_paths() {
    each_backend(|app| {
        let id = mineone(app);
        let c = app.signed_in(Role::Observer);
        let res = c.get_raw(&format!("/cases/{id}/dossier.pdf"));
        assert_eq!(res.status().as_u16(), 200);
        let bytes = res.bytes().unwrap();
        let pdf = lopdf::Document::load_mem(&bytes).unwrap();
        let mut lines = 0;
        let mut dashes = 0;
        let mut colours = Vec::new();
        let mut images = 0;
        for (_, page) in pdf.get_pages() {
            let content = pdf.get_page_content(page);
            let ops = lopdf::content::Content::decode(&content)
                .unwrap()
                .operations;
            for op in &ops {
                match op.operator.as_str() {
                    "l" => lines += 1,
                    "d" => dashes += 1,
                    "RG" => colours.push(
                        op.operands
                            .iter()
                            .map(|o| o.as_float().unwrap_or(-1.0))
                            .collect::<Vec<f32>>(),
                    ),
                    "Do" => images += 1,
                    _ => {}
                }
            }
        }
        assert!(
            lines > 500,
            "county lines, rings and boundaries: {lines} segments"
        );
        assert!(dashes >= 3, "the rings are dashed: {dashes}");
        let vermillion = colours
            .iter()
            .any(|c| c.len() == 3 && (c[0] - 0.835).abs() < 0.01 && (c[1] - 0.369).abs() < 0.01);
        assert!(vermillion, "F.E. Warren's ring in vermillion");
        assert_eq!(images, 0, "drawn, not a picture");
        let text: String = (1..=u32::try_from(pdf.get_pages().len()).unwrap())
            .map(|p| pdf.extract_text(&[p]).unwrap_or_default())
            .collect();
        assert!(text.contains("The property and the sites near it"));
        assert!(text.contains("Rings drawn"));
    });
}
