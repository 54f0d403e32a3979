//! Sensitive sites: CSV import (page and command line), export, the add/edit/retire pages,
//! and who may do what.

use std::process::Command;

use cordon::domain::Role;

use crate::support::client::Page;
use crate::support::{each_backend, Client, TestApp};

pub const HEADER: &str =
    "name,kind,part,lat,lon,boundary_radius_mi,criticality,state,listed_from,listed_until,counties,notes";

/// Three sites: a Part 3 missile field with its counties, a port and a data center.
pub fn good_csv() -> String {
    format!(
        "{HEADER}\n\
         F.E. Warren Air Force Base,military,3,41.1333,-104.8667,2.5,5,WY,2018-11-26,,56021;56015;31007,90th Missile Wing\n\
         Port of Long Beach,port,,33.754,-118.216,3,4,CA,,,,\"Strategic seaport, container terminals\"\n\
         Cheyenne data center,data_center,,41.1,-104.9,0.3,3,WY,2012-01-01,2030-12-31,,\n"
    )
}

/// Runs the `cordon` binary on the app's database: (success, stdout, stderr).
pub fn cordon(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(args)
        .env("DATABASE_URL", &app.db_url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// Writes bytes to a temporary file and returns it (deleted on drop).
pub fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    std::io::Write::write_all(&mut f, bytes).unwrap();
    f
}

fn path(f: &tempfile::NamedTempFile) -> &str {
    f.path().to_str().unwrap()
}

fn site_names(page: &Page) -> Vec<String> {
    page.texts("#sites tbody th.site-name")
        .into_iter()
        .map(|t| t.trim_end_matches(" polygon").to_string())
        .collect()
}

fn records(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn count_sites(app: &TestApp) -> i64 {
    cordon::db::sites::count_sites(&mut app.conn()).unwrap()
}

fn sites_version(app: &TestApp) -> i64 {
    cordon::db::cases::counter(&mut app.conn(), "sites-version").unwrap()
}

/// The id of the site row with this name on the list page.
fn site_id(page: &Page, name: &str) -> i64 {
    let html = page.html();
    let row = scraper::Selector::parse("#sites tbody tr").unwrap();
    let th = scraper::Selector::parse("th.site-name").unwrap();
    html.select(&row)
        .find(|r| {
            r.select(&th)
                .next()
                .is_some_and(|t| t.text().collect::<String>().trim().starts_with(name))
        })
        .and_then(|r| r.value().attr("data-site"))
        .unwrap_or_else(|| panic!("no row for {name}"))
        .parse()
        .unwrap()
}

#[test]
fn a_good_csv_imports_from_the_page_and_the_cli_and_export_round_trips() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let empty = admin.get("/sites");
        assert_eq!(empty.status, 200);
        assert!(empty.text(".empty").contains("No sites yet"));
        let before = sites_version(app);

        let res = admin.post("/sites/import", &[("csv", &good_csv())]);
        assert_eq!(res.status, 303, "{}", res.body);
        let list = admin.get("/sites");
        assert!(
            list.text(".flash-ok")
                .contains("Imported 3 sites (3 added, 0 updated)"),
            "{}",
            list.text(".flash")
        );
        assert_eq!(
            site_names(&list),
            vec![
                "Cheyenne data center",
                "F.E. Warren Air Force Base",
                "Port of Long Beach"
            ]
        );
        assert!(
            sites_version(app) > before,
            "the import bumps sites-version"
        );
        let warren = list
            .texts("#sites tbody tr")
            .into_iter()
            .find(|t| t.contains("Warren"))
            .unwrap();
        assert!(
            warren.contains("Military installation") && warren.contains(" 3 "),
            "{warren}"
        );

        // Export: CSV attachment with the same columns and values.
        let res = admin.get_raw("/sites/export.csv");
        assert_eq!(res.status().as_u16(), 200);
        let ct = res.headers()["content-type"].to_str().unwrap().to_string();
        let cd = res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(ct.starts_with("text/csv"), "{ct}");
        assert_eq!(cd, "attachment; filename=\"sites.csv\"");
        let exported = res.text().unwrap();
        let rows = records(&exported);
        assert_eq!(rows[0].join(","), HEADER);
        assert_eq!(rows.len(), 4);
        let warren = rows.iter().find(|r| r[0].contains("Warren")).unwrap();
        assert_eq!(
            warren.join(","),
            "F.E. Warren Air Force Base,military,3,41.1333,-104.8667,2.5,5,WY,2018-11-26,,56021;56015;31007,90th Missile Wing"
        );
        let port = rows.iter().find(|r| r[0].contains("Port")).unwrap();
        assert_eq!(port[11], "Strategic seaport, container terminals");
        assert_eq!(port[2], "");

        // Importing the export back changes nothing: every site is updated in place.
        let file = temp_file(exported.as_bytes());
        let (ok, out, err) = cordon(app, &["sites", "import", path(&file)]);
        assert!(ok, "{err}");
        assert!(
            out.contains("imported 3 sites (0 added, 3 updated)"),
            "{out}"
        );
        let (ok, again, err) = cordon(app, &["sites", "export"]);
        assert!(ok, "{err}");
        assert_eq!(again, exported);

        // The CLI adds and updates by name.
        let more = format!(
            "{HEADER}\n\
             Port of Long Beach,port,,33.754,-118.216,3,5,CA,,,,Raised criticality\n\
             Naval Base San Diego,military,1,32.684,-117.13,1.5,5,CA,,,,\n"
        );
        let file = temp_file(more.as_bytes());
        let (ok, out, err) = cordon(app, &["sites", "import", path(&file)]);
        assert!(ok, "{err}");
        assert!(
            out.contains("imported 2 sites (1 added, 1 updated)"),
            "{out}"
        );
        assert_eq!(count_sites(app), 4);
        let (_, csv_out, _) = cordon(app, &["sites", "export"]);
        let rows = records(&csv_out);
        let port = rows.iter().find(|r| r[0] == "Port of Long Beach").unwrap();
        assert_eq!(
            (port[6].as_str(), port[11].as_str()),
            ("5", "Raised criticality")
        );

        // Search and kind filter live in the URL.
        let found = admin.get("/sites?q=warren");
        assert_eq!(site_names(&found), vec!["F.E. Warren Air Force Base"]);
        let found = admin.get("/sites?q=31007");
        assert_eq!(site_names(&found), vec!["F.E. Warren Air Force Base"]);
        let found = admin.get("/sites?kind=military");
        assert_eq!(
            site_names(&found),
            vec!["F.E. Warren Air Force Base", "Naval Base San Diego"]
        );
        assert_eq!(
            found.attr("#f-kind option[selected]", "value").as_deref(),
            Some("military")
        );
        let found = admin.get("/sites?q=CA&kind=port");
        assert_eq!(site_names(&found), vec!["Port of Long Beach"]);
        let none = admin.get("/sites?q=nowhere&kind=bogus");
        assert_eq!(none.status, 200);
        assert!(none.text(".empty").contains("No site matches"));
    });
}

/// A bad file, the line that should be named, and words the message should hold.
struct Bad {
    what: &'static str,
    csv: Vec<u8>,
    line: usize,
    says: &'static str,
}

fn bad_files() -> Vec<Bad> {
    let ok_row = "Good site,port,,10,10,0,3,,,,,";
    let with = |rows: &str| format!("{HEADER}\n{ok_row}\n{rows}\n").into_bytes();
    let mut utf8 = format!("{HEADER}\n{ok_row}\n").into_bytes();
    utf8.extend(b"Caf\xe9 site,port,,10,11,0,3,,,,,\n");
    vec![
        Bad {
            what: "wrong header",
            csv: format!("name,kind,lat,lon\n{ok_row}\n").into_bytes(),
            line: 1,
            says: "header row must be exactly",
        },
        Bad {
            what: "bad number",
            csv: with("Second,port,,10,1O.5,0,3,,,,,"),
            line: 3,
            says: "lon: \"1O.5\" is not a number",
        },
        Bad {
            what: "lat 91",
            csv: with("Second,port,,91,10,0,3,,,,,"),
            line: 3,
            says: "lat: 91 is not between -90 and 90",
        },
        Bad {
            what: "duplicate name",
            csv: with("Good site,water,,11,11,0,2,,,,,"),
            line: 3,
            says: "duplicate (first on line 2)",
        },
        Bad {
            what: "bad date",
            csv: with("Second,port,,10,10,0,3,,2024-02-30,,,"),
            line: 3,
            says: "listed_from: \"2024-02-30\" is not a date",
        },
        Bad {
            what: "wrong column count",
            csv: with("Second,port,,10,10"),
            line: 3,
            says: "Expected 12 columns",
        },
        Bad {
            what: "invalid UTF-8",
            csv: utf8,
            line: 3,
            says: "not valid UTF-8",
        },
    ]
}

#[test]
fn bad_csvs_name_the_line_and_problem_and_import_nothing() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let version = sites_version(app);
        for bad in bad_files() {
            let expected = format!("line {}: ", bad.line);
            // The command line: every problem on stderr, exit 1, nothing written.
            let file = temp_file(&bad.csv);
            let (ok, out, err) = cordon(app, &["sites", "import", path(&file)]);
            assert!(!ok, "{}: {out}", bad.what);
            assert!(
                err.contains(&expected) && err.contains(bad.says),
                "{}: {err}",
                bad.what
            );
            assert!(err.contains("nothing was imported"), "{}: {err}", bad.what);
            assert_eq!(count_sites(app), 0, "{}", bad.what);

            // The page (text only: a form cannot carry invalid UTF-8).
            let Ok(text) = String::from_utf8(bad.csv.clone()) else {
                continue;
            };
            let page = admin.post("/sites/import", &[("csv", &text)]);
            assert_eq!(page.status, 422, "{}", bad.what);
            let errors = page.texts("#import-errors li");
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with(&expected) && e.contains(bad.says)),
                "{}: {errors:?}",
                bad.what
            );
            assert!(page.text("#import-errors").contains("Nothing was imported"));
            assert_eq!(
                page.text("textarea[name=csv]"),
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            assert_eq!(count_sites(app), 0, "{}", bad.what);
        }
        assert_eq!(
            sites_version(app),
            version,
            "refused imports change nothing"
        );

        // Many problems: every line is listed (up to the cap), each with its line.
        let rows: String = (0..3)
            .map(|i| format!("S{i},port,,95,10,0,3,,,,,\n"))
            .collect();
        let page = admin.post("/sites/import", &[("csv", &format!("{HEADER}\n{rows}"))]);
        assert_eq!(page.status, 422);
        let errors = page.texts("#import-errors li");
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[2].starts_with("line 4: lat:"), "{errors:?}");

        // An oversized file is refused before it is read.
        let big = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        big.as_file().set_len(100 * 1024 * 1024).unwrap();
        let (ok, _, err) = cordon(app, &["sites", "import", path(&big)]);
        assert!(!ok && err.contains("the limit is 20 MB"), "{err}");
        let (ok, _, err) = cordon(app, &["sites", "import", "/nonexistent/sites.csv"]);
        assert!(!ok && err.contains("cannot open"), "{err}");
        assert_eq!(count_sites(app), 0);
    });
}

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[-104.9,41.1],[-104.8,41.1],[-104.8,41.2],[-104.9,41.2],[-104.9,41.1]]]}"#;

#[test]
fn sites_are_added_edited_retired_and_restored_from_the_pages() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let form = admin.get("/sites/new");
        assert_eq!(form.status, 200);
        assert_eq!(
            form.attr("input[name=criticality]", "value").as_deref(),
            Some("3")
        );

        // Bad input: 422, each problem beside its field, everything kept.
        let bad = admin.post(
            "/sites/new",
            &[
                ("name", ""),
                ("kind", "military"),
                ("part", "3"),
                ("lat", "91"),
                ("lon", "-104.8667"),
                ("boundary_radius_mi", "2"),
                ("criticality", "9"),
                ("state", "WY"),
                ("listed_from", "2024-05-01"),
                ("listed_until", "2024-04-01"),
                ("counties", "56021;5602"),
                ("notes", "Typed <notes>"),
                (
                    "boundary",
                    "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
                ),
            ],
        );
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert_eq!(bad.text("#e-name"), "Required.");
        assert!(bad.text("#e-lat").contains("91 is not between -90 and 90"));
        assert!(bad.text("#e-criticality").contains("1 to 5"));
        assert!(bad.text("#e-listed_until").contains("not after"));
        assert!(bad.text("#e-counties").contains("5602"));
        assert!(bad.text("#e-boundary").contains("not closed"));
        assert_eq!(bad.attr("input[name=lat]", "value").as_deref(), Some("91"));
        assert_eq!(
            bad.attr("input[name=counties]", "value").as_deref(),
            Some("56021;5602")
        );
        assert_eq!(
            bad.attr("#f-kind option[selected]", "value").as_deref(),
            Some("military")
        );
        assert_eq!(
            bad.attr("#f-part option[selected]", "value").as_deref(),
            Some("3")
        );
        assert_eq!(bad.text("textarea[name=notes]"), "Typed <notes>");
        assert!(!bad.body.contains("Typed <notes>"), "escaped");
        assert_eq!(count_sites(app), 0);

        // A hostile form: unknown kind, part on a port, garbage everywhere: still a 422.
        let odd = admin.post(
            "/sites/new",
            &[
                ("name", "X\u{7}Y"),
                ("kind", "castle"),
                ("lat", "NaN"),
                ("lon", "1e999"),
                ("criticality", "-1"),
                ("state", "ZZ"),
                ("boundary", &"[".repeat(5000)),
            ],
        );
        assert_eq!(odd.status, 422);
        assert!(odd.text("#e-kind").contains("castle"));
        assert!(odd.text("#e-name").contains("control"));
        assert!(odd.text("#e-state").contains("ZZ"));
        assert_eq!(
            odd.attr("#f-state option[selected]", "value").as_deref(),
            Some("ZZ")
        );

        // A good site with a boundary polygon.
        let fields = [
            ("name", "F.E. Warren AFB"),
            ("kind", "military"),
            ("part", "3"),
            ("lat", "41.1333"),
            ("lon", "-104.8667"),
            ("boundary_radius_mi", "2.5"),
            ("criticality", "5"),
            ("state", "wy"),
            ("listed_from", "2018-11-26"),
            ("listed_until", ""),
            ("counties", "56021; 56015"),
            ("notes", "ICBM base"),
            ("boundary", SQUARE),
        ];
        let before = sites_version(app);
        let res = admin.post("/sites/new", &fields);
        assert_eq!(res.status, 303, "{}", res.body);
        assert!(sites_version(app) > before);
        let list = admin.get("/sites");
        assert!(list
            .text(".flash-ok")
            .contains("Added site F.E. Warren AFB"));
        assert!(list.text("#sites tbody th").contains("polygon"));
        let id = site_id(&list, "F.E. Warren AFB");
        let row = list.text(&format!("tr[data-site=\"{id}\"]"));
        assert!(row.contains("WY") && row.contains("2018-11-26"), "{row}");
        assert_eq!(
            list.text(&format!("tr[data-site=\"{id}\"] td.counties")),
            "2"
        );

        // The same name again is refused beside the name.
        let dup = admin.post("/sites/new", &fields);
        assert_eq!(dup.status, 422);
        assert!(dup.text("#e-name").contains("already has this name"));

        // Edit: the form is filled in; bad input is kept; a good one is saved.
        let edit = admin.get(&format!("/sites/{id}/edit"));
        assert_eq!(edit.status, 200);
        assert_eq!(
            edit.attr("input[name=name]", "value").as_deref(),
            Some("F.E. Warren AFB")
        );
        assert_eq!(
            edit.attr("input[name=counties]", "value").as_deref(),
            Some("56021;56015")
        );
        assert!(edit.text("textarea[name=boundary]").contains("Polygon"));
        let mut changed: Vec<(&str, &str)> = fields.to_vec();
        changed[0] = ("name", "F.E. Warren Air Force Base");
        changed[6] = ("criticality", "six");
        let bad = admin.post(&format!("/sites/{id}/edit"), &changed);
        assert_eq!(bad.status, 422);
        assert!(bad.text("#e-criticality").contains("\"six\""));
        assert_eq!(
            bad.attr("input[name=name]", "value").as_deref(),
            Some("F.E. Warren Air Force Base")
        );
        assert_eq!(
            bad.attr("form.panel", "action").as_deref(),
            Some(format!("/sites/{id}/edit").as_str())
        );
        changed[6] = ("criticality", "4");
        changed[12] = ("boundary", "");
        let res = admin.post(&format!("/sites/{id}/edit"), &changed);
        assert_eq!(res.status, 303, "{}", res.body);
        let list = admin.get("/sites");
        assert_eq!(site_names(&list), vec!["F.E. Warren Air Force Base"]);
        assert!(!list.text("#sites tbody th").contains("polygon"));

        // Retire and restore.
        let res = admin.post(&format!("/sites/{id}/retire"), &[]);
        assert_eq!(res.status, 303);
        let list = admin.get("/sites");
        assert!(list.text(".flash-ok").contains("Retired"));
        assert!(list
            .text(&format!("tr[data-site=\"{id}\"] .status-cell"))
            .contains("retired"));
        let (_, active, _) = cordon(app, &["sites", "export"]);
        assert_eq!(records(&active).len(), 1, "retired sites are left out");
        let (_, all, _) = cordon(app, &["sites", "export", "--include-retired"]);
        assert_eq!(records(&all).len(), 2);
        let with_retired = admin.get("/sites/export.csv?retired=1");
        assert_eq!(records(&with_retired.body).len(), 2);
        let res = admin.post(&format!("/sites/{id}/restore"), &[]);
        assert_eq!(res.status, 303);
        let list = admin.get("/sites");
        assert!(list.text(".flash-ok").contains("Restored"));
        assert!(list
            .text(&format!("tr[data-site=\"{id}\"] .status-cell"))
            .contains("active"));

        // No such site.
        assert_eq!(admin.get("/sites/999999/edit").status, 404);
        assert_eq!(admin.get("/sites/abc/edit").status, 404);
        assert_eq!(admin.post("/sites/999999/edit", &changed).status, 404);
        let res = admin.post("/sites/999999/retire", &[]);
        assert_eq!(res.status, 404);
        assert_eq!(res.text("h1"), "Not found");

        // Every change is in the audit log.
        let audit = admin.get("/admin/audit");
        for action in ["sites.add", "sites.edit", "sites.retire", "sites.restore"] {
            assert!(audit.body.contains(action), "{action}");
        }
    });
}

#[test]
fn observers_list_search_and_export_but_cannot_change_sites() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        assert_eq!(
            admin.post("/sites/import", &[("csv", &good_csv())]).status,
            303
        );
        let id = site_id(&admin.get("/sites"), "Port of Long Beach");

        for role in [Role::Observer, Role::Reviewer, Role::Chair] {
            let c = app.signed_in(role);
            let list = c.get("/sites");
            assert_eq!(list.status, 200);
            assert!(list.texts(".main-nav a").contains(&"Sites".to_string()));
            assert!(list
                .texts(".main-nav a")
                .contains(&"Watchlists".to_string()));
            assert_eq!(site_names(&list).len(), 3);
            assert!(!list.has_selector("#add-site"));
            assert!(!list.has_selector("form[action=\"/sites/import\"]"));
            assert!(!list.has_selector(".actions form"));
            assert_eq!(
                site_names(&c.get("/sites?q=long+beach")),
                vec!["Port of Long Beach"]
            );
            let export = c.get("/sites/export.csv");
            assert_eq!(export.status, 200);
            assert_eq!(records(&export.body).len(), 4);

            assert_eq!(c.get("/sites/new").status, 403);
            assert_eq!(c.get(&format!("/sites/{id}/edit")).status, 403);
            let fields = [
                ("name", "Mine"),
                ("kind", "port"),
                ("lat", "1"),
                ("lon", "1"),
                ("criticality", "1"),
            ];
            assert_eq!(c.post("/sites/new", &fields).status, 403);
            assert_eq!(c.post(&format!("/sites/{id}/edit"), &fields).status, 403);
            assert_eq!(c.post(&format!("/sites/{id}/retire"), &[]).status, 403);
            assert_eq!(c.post(&format!("/sites/{id}/restore"), &[]).status, 403);
            assert_eq!(c.post("/sites/import", &[("csv", &good_csv())]).status, 403);
        }
        assert_eq!(count_sites(app), 3);
        let (_, csv_out, _) = cordon(app, &["sites", "export"]);
        assert!(!csv_out.contains("Mine"));

        // Nobody signed in: sent to the login page; a forged form without CSRF: refused.
        let anon = Client::new(app);
        assert_eq!(anon.get("/sites").status, 303);
        assert_eq!(anon.get("/sites/export.csv").status, 303);
        let forged = admin.post_raw("/sites/import", &[("csv", &good_csv())]);
        assert_eq!(forged.status, 403);
    });
}

#[test]
fn formula_cells_come_out_neutralised_in_the_export() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let csv_in = format!(
            "{HEADER}\n\
             =cmd|' /C calc'!A0,other,,-33.5,-70.25,0,1,,,,,@SUM(A1:A9)\n\
             \"+1 Site, Ltd\",water,,10,-10,0,2,,,,,-minus notes\n"
        );
        let res = admin.post("/sites/import", &[("csv", &csv_in)]);
        assert_eq!(res.status, 303, "{}", res.body);
        let list = admin.get("/sites");
        assert!(site_names(&list).contains(&"=cmd|' /C calc'!A0".to_string()));

        let export = admin.get("/sites/export.csv");
        let rows = records(&export.body);
        let cmd = rows.iter().find(|r| r[0].contains("cmd")).unwrap();
        assert_eq!(cmd[0], "'=cmd|' /C calc'!A0");
        assert_eq!(cmd[11], "'@SUM(A1:A9)");
        assert_eq!(
            (cmd[3].as_str(), cmd[4].as_str()),
            ("-33.5", "-70.25"),
            "numbers as they are"
        );
        let plus = rows.iter().find(|r| r[0].contains("Site, Ltd")).unwrap();
        assert_eq!(plus[0], "'+1 Site, Ltd");
        assert_eq!(plus[11], "'-minus notes");
        assert!(!export.body.lines().any(|l| l.starts_with('=')));

        // The neutralised export imports back to the same names.
        let file = temp_file(export.body.as_bytes());
        let (ok, out, err) = cordon(app, &["sites", "import", path(&file)]);
        assert!(ok, "{err}");
        assert!(out.contains("0 added, 2 updated"), "{out}");
        let again = admin.get("/sites/export.csv");
        assert_eq!(again.body, export.body);
    });
}
