//! The national maps: the Sites page's map of active sites (links, a state filter that zooms
//! in, a bad state answered clearly, a light page with 10,000 sites) and the dashboard's map of
//! open cases by risk band.

use std::time::Instant;

use cordon::domain::Role;
use cordon::service;
use cordon::service::bench_data::Spec;

use crate::sites::good_csv;
use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, TestApp};

fn hrefs(page: &Page, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).unwrap();
    page.html()
        .select(&sel)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

fn import_sites(app: &TestApp) {
    let admin = app.signed_in(Role::Admin);
    admin.get("/sites");
    let res = admin.post("/sites/import", &[("csv", &good_csv())]);
    assert_eq!(res.status, 303, "{}", res.body);
}

#[test]
fn the_sites_page_maps_every_active_site_as_a_link() {
    each_backend(|app| {
        import_sites(app);
        let observer = app.signed_in(Role::Observer);
        let page = observer.get("/sites");
        assert_eq!(page.status, 200);
        assert!(page.has_selector("#sites-map svg[role=group][aria-labelledby]"));
        assert_eq!(
            page.text("#sites-map-title"),
            "Active sites in the United States"
        );
        // 51 outlines: the 50 states and DC, Alaska and Hawaii inset.
        assert_eq!(page.texts("#sites-map .map-states path").len(), 51);
        // Long Beach stands alone; the two Cheyenne sites merge into one counted mark that
        // leads to Wyoming's map.
        let marks = hrefs(&page, "#sites-map .map-marks a");
        assert_eq!(marks.len(), 2, "{marks:?}");
        assert!(marks.contains(&"/sites?q=Port+of+Long+Beach".to_string()));
        assert!(marks.contains(&"/sites?state=WY".to_string()));
        assert_eq!(page.texts("#sites-map .map-marks text"), vec!["2"]);
        let legend = page.texts("#sites-map-legend tbody tr");
        assert!(legend
            .iter()
            .any(|r| r.contains("Port") && r.ends_with('1')));
        // A retired site leaves the map.
        let mut conn = app.conn();
        let id = cordon::db::sites::all_sites(&mut conn)
            .unwrap()
            .into_iter()
            .find(|s| s.name == "Port of Long Beach")
            .unwrap()
            .id;
        service::sites::retire_site(&mut conn, Some("admin1"), id).unwrap();
        let page = observer.get("/sites");
        assert_eq!(hrefs(&page, "#sites-map .map-marks a").len(), 1);
    });
}

#[test]
fn the_state_filter_zooms_the_map_and_keeps_the_other_filters() {
    each_backend(|app| {
        import_sites(app);
        let observer = app.signed_in(Role::Observer);
        let page = observer.get("/sites?state=wy&kind=data_center");
        assert_eq!(page.status, 200);
        assert_eq!(page.text("#sites-map-title"), "Active sites in Wyoming");
        assert_eq!(page.texts("#sites-map .map-states path").len(), 1);
        assert!(page.has_selector("#sites-map path.map-counties"));
        assert_eq!(
            page.attr("#f-state option[selected]", "value").as_deref(),
            Some("WY")
        );
        // The list and the map keep only Wyoming's data center.
        assert_eq!(
            page.texts("#sites tbody th.site-name"),
            vec!["Cheyenne data center"]
        );
        assert_eq!(
            hrefs(&page, "#sites-map .map-marks a"),
            vec!["/sites?q=Cheyenne+data+center"]
        );
        // The legend keeps the state when it changes the kind.
        assert!(hrefs(&page, "#sites-map-legend a").contains(&"/sites?kind=port&state=WY".into()));
        // Zoomed in, the two Cheyenne sites (3 miles apart) still share a counted mark, which
        // leads to the state's list.
        let page = observer.get("/sites?state=WY");
        assert_eq!(
            hrefs(&page, "#sites-map .map-marks a"),
            vec!["/sites?state=WY#sites"]
        );
        assert_eq!(page.texts("#sites-map .map-marks text"), vec!["2"]);
        // A state without sites shows its map and an empty list.
        let page = observer.get("/sites?state=HI");
        assert_eq!(page.status, 200);
        assert_eq!(page.text("#sites-map-title"), "Active sites in Hawaii");
        assert!(hrefs(&page, "#sites-map .map-marks a").is_empty());
    });
}

#[test]
fn a_bad_state_is_answered_clearly() {
    each_backend(|app| {
        import_sites(app);
        let observer = app.signed_in(Role::Observer);
        for bad in ["XX", "%3Cscript%3E", "Wyoming", "W"] {
            let page = observer.get(&format!("/sites?state={bad}"));
            assert_eq!(page.status, 400, "{bad}");
            assert!(
                page.text("#bad-state")
                    .contains("is not the code of a US state"),
                "{bad}"
            );
            assert!(!page.body.contains("<script>"), "{bad}");
            // The national map and the whole list are still there.
            assert_eq!(page.texts("#sites tbody tr").len(), 3, "{bad}");
            assert_eq!(
                page.text("#sites-map-title"),
                "Active sites in the United States"
            );
        }
    });
}

#[test]
fn the_dashboard_maps_open_cases_by_risk_band() {
    each_backend(|app| {
        import_sites(app);
        let reviewer = app.signed_in(Role::Reviewer);
        let empty = reviewer.get("/");
        assert_eq!(empty.status, 200);
        assert_eq!(empty.text("#case-map h2"), "Open cases on the map");
        assert!(hrefs(&empty, "#cases-map .map-marks a").is_empty());
        let id = app.report("reviewer1", mineone_json());
        let band = app.case(id).case.risk_band.clone();
        let page = reviewer.get("/");
        let marks = hrefs(&page, "#cases-map .map-marks a");
        assert_eq!(marks, vec![format!("/cases/{id}")]);
        let title = page.text("#cases-map .map-marks a title");
        assert!(title.starts_with(&format!("Case #{id}")), "{title}");
        if let Some(b) = band {
            assert!(title.contains(&b), "{title}");
            let row = page
                .texts("#cases-map-legend tbody tr")
                .into_iter()
                .find(|r| r.to_lowercase().starts_with(&b))
                .unwrap();
            assert!(row.ends_with('1'), "{row}");
        }
        // A second case nearby merges with the first into a counted mark.
        let mut near = mineone_json();
        near["property"]["lat"] = serde_json::json!(41.18);
        near["property"]["lon"] = serde_json::json!(-104.86);
        let second = app.report("reviewer1", near);
        // A case far away (Seattle) has its own mark.
        let mut far = mineone_json();
        far["property"] = serde_json::json!({"lat": 47.6, "lon": -122.33, "address": "Harbor Island, Seattle",
            "state": "WA", "county_fips": "53033", "acreage": 3, "urban_area": true,
            "single_housing_unit": false, "in_port": true, "commercial_office": false});
        let third = app.report("reviewer1", far);
        let page = reviewer.get("/");
        let marks = hrefs(&page, "#cases-map .map-marks a");
        assert_eq!(marks.len(), 2, "{marks:?}");
        assert_eq!(page.texts("#cases-map .map-marks text"), vec!["2"]);
        assert!(marks.contains(&format!("/cases/{third}")), "{marks:?}");
        // The counted mark lists exactly the open cases placed there, whatever their band.
        let merged = marks.iter().find(|h| h.starts_with("/cases?")).unwrap();
        assert!(merged.contains("area="), "{merged}");
        let listed = |href: &str| -> Vec<String> {
            let queue = reviewer.get(href);
            assert_eq!(queue.status, 200, "{href}");
            let sel = scraper::Selector::parse("tr[data-case]").unwrap();
            let mut ids: Vec<String> = queue
                .html()
                .select(&sel)
                .filter_map(|e| e.value().attr("data-case").map(str::to_string))
                .collect();
            ids.sort();
            ids
        };
        let mut both = vec![id.to_string(), second.to_string()];
        both.sort();
        assert_eq!(listed(merged), both);
        let queue = reviewer.get(merged);
        let note = queue.text("#area-note");
        assert!(
            note.starts_with("Open cases placed between 41.1700° N and 41.1800° N"),
            "{note}"
        );
        assert!(queue.has_selector("input#f-open[checked]"));
        // The same filter through the API, and an area that is not one.
        let api = crate::support::api::Api::new(app, "api-reader", Role::Observer);
        let area = merged.split("area=").nth(1).unwrap();
        let (status, body) = api.get(&format!("/api/v1/cases?open=true&area={area}"));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["cases"].as_array().map(Vec::len), Some(2), "{body}");
        let (status, body) = api.get("/api/v1/cases?area=41.2,-104.9,41.1,-104.7");
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("south,west,north,east"), "{body}");
        let bad = reviewer.get("/cases?area=%3Cscript%3E");
        assert_eq!(bad.status, 200);
        assert!(bad.text("#area-note").starts_with("Not an area"));
        assert!(bad
            .html()
            .select(&scraper::Selector::parse("tr[data-case]").unwrap())
            .next()
            .is_none());
        assert!(!bad.body.contains("<script>"));
        // Closed cases leave the map.
        app.sql(&format!(
            "UPDATE cases SET state = 'closed', updated_at = updated_at WHERE id = {second}"
        ));
        let mut conn = app.conn();
        let open: Vec<_> = cordon::db::maps::open_case_points(&mut conn).unwrap();
        assert_eq!(open.len(), 2);
        // Following the same mark now lists only the case still open there.
        assert_eq!(listed(merged), vec![id.to_string()]);
    });
}

#[test]
fn ten_thousand_sites_make_a_page_under_a_megabyte() {
    each_backend(|app| {
        {
            let mut conn = app.conn();
            let spec = Spec {
                cases: 1,
                sites: 10_000,
                events: 1,
                names: 0,
                seed: 11,
            };
            let now = service::clock::Now::real();
            service::bench_data::generate(&mut conn, &spec, &now, &|_, _, _| {}).unwrap();
        }
        let admin = app.signed_in(Role::Admin);
        admin.get("/sites");
        let started = Instant::now();
        let page = admin.get("/sites");
        let took = started.elapsed();
        assert_eq!(page.status, 200);
        let marks = page.texts("#sites-map .map-marks a").len();
        assert!(marks > 100 && marks < 3_000, "{marks} marks");
        let counted: usize = page
            .texts("#sites-map-legend tbody td.num")
            .iter()
            .filter_map(|t| t.parse::<usize>().ok())
            .sum();
        assert_eq!(counted, 10_000, "every site is on the map once");
        eprintln!(
            "sites page with 10,000 sites: {} bytes, {} marks, {:?} (debug build)",
            page.body.len(),
            marks,
            took
        );
        assert!(page.body.len() < 1_000_000, "{} bytes", page.body.len());
        let page = admin.get("/sites?state=TX");
        assert!(page.body.len() < 1_000_000, "{} bytes", page.body.len());
    });
}
