//! Restricted-party lists: import from the command line and the page (a file replaces its
//! list), refusals that import nothing, the name search, and who may do what.

use cordon::domain::Role;

use crate::sites::{cordon, temp_file};
use crate::support::each_backend;

const HEADER: &str = "name,aliases,country,program,source";

fn sdn_csv() -> String {
    format!(
        "{HEADER}\n\
         Huawei Technologies Co. Ltd.,HUAWEI; Huawei Tech Investment,CN,Entity List,BIS\n\
         Golden Lotus Trading Ltd,Jin Lian Trading,HK,SDN,OFAC\n\
         \"Sokolov, Ivan\",,RU,RUSSIA-EO14024,OFAC\n"
    )
}

fn watch_version(app: &crate::support::TestApp) -> i64 {
    cordon::db::cases::counter(&mut app.conn(), "watchlists-version").unwrap()
}

fn list_counts(page: &crate::support::client::Page) -> Vec<String> {
    let names = page.texts("#lists tbody th");
    let counts = page.texts("#lists tbody td");
    names
        .iter()
        .zip(counts.iter())
        .map(|(n, c)| format!("{n} {c}"))
        .collect()
}

#[test]
fn lists_import_from_cli_and_page_and_the_search_finds_aliases() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let v0 = watch_version(app);

        // Command line.
        let file = temp_file(sdn_csv().as_bytes());
        let path = file.path().to_str().unwrap();
        let (ok, out, err) = cordon(app, &["watchlist", "import", path, "--list", "OFAC SDN"]);
        assert!(ok, "{err}");
        assert!(
            out.contains("imported 3 entries into OFAC SDN (replacing 0)"),
            "{out}"
        );
        assert!(watch_version(app) > v0);

        // The page.
        let page = admin.get("/watchlists");
        assert_eq!(page.status, 200);
        assert_eq!(list_counts(&page), vec!["OFAC SDN 3"]);
        let entity = format!(
            "{HEADER}\nShenzhen Example Drone Co,Example UAV;SZ Drone,CN,Entity List,BIS\n"
        );
        let res = admin.post(
            "/watchlists/import",
            &[("list", "BIS Entity List"), ("csv", &entity)],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = admin.get("/watchlists");
        assert!(page
            .text(".flash-ok")
            .contains("Imported 1 entries into BIS Entity List (replacing 0)"));
        assert_eq!(list_counts(&page), vec!["BIS Entity List 1", "OFAC SDN 3"]);

        // Search by alias, case-insensitive.
        let found = admin.get("/watchlists?q=huawei+tech+INVESTMENT");
        assert_eq!(found.status, 200);
        assert_eq!(found.texts("#hits tbody tr").len(), 1);
        assert_eq!(
            found.text("#hits .hit-name"),
            "Huawei Technologies Co. Ltd."
        );
        assert_eq!(found.text("#hits .hit-list"), "OFAC SDN");
        assert_eq!(found.text("#hits .hit-country"), "CN");
        assert!(found
            .text("#hits .hit-aliases")
            .contains("Huawei Tech Investment"));
        assert!(found.text("#hits .hit-score").ends_with('%'));
        assert_eq!(
            found.attr("#q", "value").as_deref(),
            Some("huawei tech INVESTMENT")
        );
        let by_alias = admin.get("/watchlists?q=sz+drone");
        assert_eq!(
            by_alias.text("#hits .hit-name"),
            "Shenzhen Example Drone Co"
        );
        let by_alias = admin.get("/watchlists?q=jin%20lian");
        assert_eq!(by_alias.text("#hits .hit-name"), "Golden Lotus Trading Ltd");
        // Punctuation does not matter.
        let punct = admin.get("/watchlists?q=sokolov+ivan");
        assert_eq!(punct.text("#hits .hit-name"), "Sokolov, Ivan");
        // Several hits, best first.
        let two = admin.get("/watchlists?q=ltd");
        assert_eq!(two.texts("#hits tbody tr").len(), 2);
        let none = admin.get("/watchlists?q=nobody+at+all");
        assert_eq!(none.status, 200);
        assert!(none.text("#results h2").starts_with("0 entries match"));
        assert!(!none.has_selector("#hits"));
        let weird = admin.get("/watchlists?q=%25_%27%22%3Cscript%3E");
        assert_eq!(weird.status, 200);
        assert!(!weird.body.contains("<script>"));

        // Re-importing a list replaces it.
        let smaller = format!("{HEADER}\nOnly One Entity,,,,\n");
        let file = temp_file(smaller.as_bytes());
        let (ok, out, err) = cordon(
            app,
            &[
                "watchlist",
                "import",
                file.path().to_str().unwrap(),
                "--list",
                "OFAC SDN",
            ],
        );
        assert!(ok, "{err}");
        assert!(
            out.contains("imported 1 entries into OFAC SDN (replacing 3)"),
            "{out}"
        );
        let page = admin.get("/watchlists?q=huawei");
        assert_eq!(list_counts(&page), vec!["BIS Entity List 1", "OFAC SDN 1"]);
        assert!(!page.has_selector("#hits"));

        let audit = admin.get("/admin/audit");
        assert!(audit.body.contains("watchlists.import"));
    });
}

#[test]
fn bad_watchlist_files_import_nothing() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let file = temp_file(sdn_csv().as_bytes());
        let path = file.path().to_str().unwrap().to_string();
        let (ok, _, err) = cordon(app, &["watchlist", "import", &path, "--list", "SDN"]);
        assert!(ok, "{err}");
        let version = watch_version(app);

        let bad = format!("{HEADER}\nGood Co,,CN,,\n,alias,XX,,\n");
        let file = temp_file(bad.as_bytes());
        let (ok, _, err) = cordon(
            app,
            &[
                "watchlist",
                "import",
                file.path().to_str().unwrap(),
                "--list",
                "SDN",
            ],
        );
        assert!(!ok);
        assert!(err.contains("line 3: name: Required."), "{err}");
        assert!(err.contains("line 3: country: \"XX\""), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");

        let mut utf8 = format!("{HEADER}\nGood Co,,CN,,\n").into_bytes();
        utf8.extend(b"Bad \xff Co,,,,\n");
        let file = temp_file(&utf8);
        let (ok, _, err) = cordon(
            app,
            &[
                "watchlist",
                "import",
                file.path().to_str().unwrap(),
                "--list",
                "SDN",
            ],
        );
        assert!(
            !ok && err.contains("line 3: column 1 (name) is not valid UTF-8"),
            "{err}"
        );

        let (ok, _, err) = cordon(app, &["watchlist", "import", &path, "--list", ""]);
        assert!(!ok && err.contains("Required"), "{err}");

        // The page: 422, every line, the input kept.
        let page = admin.post("/watchlists/import", &[("list", "SDN"), ("csv", &bad)]);
        assert_eq!(page.status, 422);
        let errors = page.texts("#import-errors li");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("line 3: name:"), "{errors:?}");
        assert_eq!(
            page.attr("input[name=list]", "value").as_deref(),
            Some("SDN")
        );
        assert!(page.text("textarea[name=csv]").contains("Good Co,,CN,,"));
        let page = admin.post("/watchlists/import", &[("list", "  "), ("csv", &sdn_csv())]);
        assert_eq!(page.status, 422);
        assert_eq!(page.text("#e-list"), "Required.");
        let page = admin.post(
            "/watchlists/import",
            &[("list", "SDN"), ("csv", "name,alias,country\nA,B,C\n")],
        );
        assert_eq!(page.status, 422);
        assert!(page
            .text("#import-errors li")
            .starts_with("line 1: The header row"));

        assert_eq!(watch_version(app), version, "refusals change nothing");
        let page = admin.get("/watchlists");
        assert_eq!(list_counts(&page), vec!["SDN 3"]);
    });
}

#[test]
fn observers_search_watchlists_but_cannot_import() {
    each_backend(|app| {
        let admin = app.signed_in(Role::Admin);
        let res = admin.post(
            "/watchlists/import",
            &[("list", "SDN"), ("csv", &sdn_csv())],
        );
        assert_eq!(res.status, 303);
        let observer = app.signed_in(Role::Observer);
        let page = observer.get("/watchlists?q=golden+lotus");
        assert_eq!(page.status, 200);
        assert_eq!(page.text("#hits .hit-name"), "Golden Lotus Trading Ltd");
        assert!(!page.has_selector("form[action=\"/watchlists/import\"]"));
        let res = observer.post(
            "/watchlists/import",
            &[("list", "SDN"), ("csv", &sdn_csv())],
        );
        assert_eq!(res.status, 403);
        let reviewer = app.signed_in(Role::Reviewer);
        let res = reviewer.post("/watchlists/import", &[("list", "X"), ("csv", &sdn_csv())]);
        assert_eq!(res.status, 403);
        assert_eq!(list_counts(&admin.get("/watchlists")), vec!["SDN 3"]);
    });
}
