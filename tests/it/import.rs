//! Bulk intake (issue 10): files of reports through the import page, the API and the command
//! line; every report screened and stored with its events, the file stored whole or not at
//! all, and the same file refused a second time unless confirmed.

use std::process::Command;

use cordon::domain::Role;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::attachments::post_body;
use crate::support::api::Api;
use crate::support::client::Page;
use crate::support::{each_backend, mineone_json, Client, TestApp};

const BOUNDARY: &str = "cordon-import-boundary-0b9d41";

/// The multipart body the import form sends.
fn form_body(file: (&str, &[u8]), format: &str, confirm: bool) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(b"\r\n");
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\n{format}\r\n"
        )
        .as_bytes(),
    );
    if confirm {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"confirm\"\r\n\r\nyes\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Sends a file through the import page as the browser does.
fn upload(app: &TestApp, c: &Client, name: &str, bytes: &[u8], confirm: bool) -> Page {
    let token = c.csrf();
    post_body(
        app,
        c,
        &format!("/cases/import?csrf_token={token}"),
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        form_body((name, bytes), "auto", confirm),
    )
}

/// Sends a file to the API; the status and the JSON answer.
fn api_import(api: &Api<'_>, query: &str, content_type: &str, bytes: Vec<u8>) -> (u16, Value) {
    let res = reqwest::blocking::Client::new()
        .post(api.app.url(&format!("/api/v1/cases/import{query}")))
        .bearer_auth(api.token())
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .expect("POST");
    let status = res.status().as_u16();
    let text = res.text().expect("body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: not JSON ({e}): {text:.300}"));
    (status, body)
}

fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.load::<N>(sql).first().map_or(0, |r| r.n)
}

fn cases(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) AS n FROM cases")
}

fn events(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) AS n FROM events")
}

fn import_audits(app: &TestApp) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    app.load::<Row>("SELECT detail FROM audit_log WHERE action = 'cases.import' ORDER BY id")
        .into_iter()
        .map(|r| r.detail)
        .collect()
}

/// A report as one JSON line: MineOne's, moved a little, titled and dated.
fn line(i: usize, received: &str) -> String {
    let mut r = mineone_json();
    r["title"] = json!(format!("Imported parcel {i}"));
    r["received_on"] = json!(received);
    r["property"]["lat"] = json!(41.0 + (i % 100) as f64 * 0.01);
    r["property"]["lon"] = json!(-104.0 - (i / 100) as f64 * 0.01);
    r["property"]
        .as_object_mut()
        .expect("property")
        .remove("county_fips");
    r["property"]
        .as_object_mut()
        .expect("property")
        .remove("state");
    r.to_string()
}

fn jsonl(n: usize) -> String {
    (0..n).map(|i| line(i, "2023-03-01") + "\n").collect()
}

#[test]
fn the_template_csv_imports_through_the_page_as_a_screened_case() {
    each_backend(|app| {
        crate::screening_web::seed_sites(app);
        let c = app.signed_in(Role::Reviewer);
        let form = c.get("/cases/import");
        assert_eq!(form.status, 200);
        assert!(form.has_selector("form#import-form input[type=file][name=file]"));
        let link = form
            .attr("a[href='/cases/import/template.csv']", "href")
            .expect("template link");
        let template = c.get(&link);
        assert_eq!(template.status, 200);
        assert!(template
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/csv")));
        assert!(template.body.starts_with("report,received_on,title,"));

        let page = upload(app, &c, "template.csv", template.body.as_bytes(), false);
        assert_eq!(page.status, 201, "{}", page.body);
        assert!(page.text("#imported h2").contains("Imported 1 report"));
        let href = page.attr("#imported-cases a", "href").expect("case link");
        let id: i64 = href.trim_start_matches("/cases/").parse().expect("id");

        // The case is what the form would have made: received in 2022, screened, three
        // parties in order, its opening events chained.
        let v = app.case(id);
        assert_eq!(v.case.state, "lead");
        assert_eq!(v.case.received_on.to_string(), "2022-08-22");
        assert!(v.case.reference.starts_with("CFN-2022-"));
        assert_eq!(v.case.created_by.as_deref(), Some("reviewer1"));
        let names: Vec<_> = v.parties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "MineOne Wyoming Data Center LLC",
                "MineOne Partners Ltd",
                "PRC nationals (undisclosed)"
            ]
        );
        assert_eq!(v.parties[2].owns.as_deref(), Some("p2"));
        let s = v.screening.as_ref().expect("screened");
        assert!(
            s.zones.iter().any(|z| z.site.contains("Warren")),
            "{:?}",
            s.zones
        );
        let kinds: Vec<_> = v.events.iter().map(|e| e.body.kind.as_str()).collect();
        assert_eq!(kinds, ["created", "screened"]);
        assert!(v.chain.is_ok(), "{:?}", v.chain);
        assert_eq!(v.deadlines.len(), 1);
        assert_eq!(v.deadlines[0].starts.to_string(), "2022-08-22");

        // One audit entry naming the file's SHA-256 and the case.
        let sha = hex::encode(Sha256::digest(template.body.as_bytes()));
        let audits = import_audits(app);
        assert_eq!(audits.len(), 1, "{audits:?}");
        assert!(
            audits[0].contains(&sha) && audits[0].contains(&v.case.reference),
            "{audits:?}"
        );

        // The case page of an imported case is the same as any other.
        let shown = c.get(&href);
        assert_eq!(shown.status, 200);
        assert!(shown.body.contains("MineOne Wyoming Data Center LLC"));
    });
}

#[test]
fn json_lines_through_the_api_number_each_report_in_its_year() {
    each_backend(|app| {
        let api = Api::new(app, "bulk", Role::Reviewer);
        let file = format!(
            "{}\n\n{}\n{}\n",
            line(1, "2022-08-22"),
            line(2, "2023-01-05"),
            line(3, "2022-09-01")
        );
        let (status, body) = api_import(
            &api,
            "?name=batch.jsonl",
            "application/x-ndjson",
            file.into_bytes(),
        );
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["count"], 3);
        let refs: Vec<&str> = body["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter_map(|c| c["reference"].as_str())
            .collect();
        assert_eq!(refs, ["CFN-2022-00001", "CFN-2023-00001", "CFN-2022-00002"]);
        // Each is a case the API shows, with its county found from the point.
        let href = body["cases"][1]["href"].as_str().expect("href");
        let (status, case) = api.get(href);
        assert_eq!(status, 200);
        assert_eq!(case["received_on"], "2023-01-05");
        assert_eq!(case["state"], "lead");
        assert!(case["screening"]["jurisdiction"].is_string(), "{case}");
        assert_eq!(events(app), 6);
        assert!(import_audits(app)[0].contains("batch.jsonl"));

        // The format from the query when the type says nothing; none at all is a 415.
        let (status, body) = api_import(
            &api,
            "",
            "application/octet-stream",
            line(4, "2024-01-02").into_bytes(),
        );
        assert_eq!(status, 415, "{body}");
        let (status, body) = api_import(
            &api,
            "?format=jsonl",
            "application/octet-stream",
            line(4, "2024-01-02").into_bytes(),
        );
        assert_eq!(status, 201, "{body}");
        // An observer may not import.
        let watcher = Api::new(app, "watcher", Role::Observer);
        let (status, _) = api_import(
            &watcher,
            "",
            "application/x-ndjson",
            line(5, "2024-01-02").into_bytes(),
        );
        assert_eq!(status, 403);
        assert_eq!(cases(app), 4);
    });
}

#[test]
fn one_bad_line_among_5000_refuses_the_file_whole() {
    each_backend(|app| {
        let api = Api::new(app, "bulk", Role::Reviewer);
        let mut lines: Vec<String> = jsonl(5000).lines().map(str::to_string).collect();
        let mut bad: Value = serde_json::from_str(&lines[4320]).expect("json");
        bad["property"]["lat"] = json!(200);
        lines[4320] = bad.to_string();
        lines[17] = "{not json".into();
        let mut future: Value = serde_json::from_str(&lines[99]).expect("json");
        future["received_on"] = json!("2999-01-01");
        lines[99] = future.to_string();
        let file = lines.join("\n");
        let (status, body) = api_import(&api, "", "application/x-ndjson", file.into_bytes());
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "import_refused");
        let problems = body["error"]["problems"].as_array().expect("problems");
        assert_eq!(body["error"]["problems_total"], 1, "{body}");
        // JSON that cannot be read stops the file before its reports are checked.
        assert_eq!(problems[0]["line"], 18);
        assert_eq!(cases(app), 0);

        lines[17] = line(17, "2023-03-01");
        let file = lines.join("\n");
        let (status, body) = api_import(&api, "", "application/x-ndjson", file.into_bytes());
        assert_eq!(status, 422, "{body}");
        let problems = body["error"]["problems"].as_array().expect("problems");
        let at: Vec<(i64, &str)> = problems
            .iter()
            .map(|p| {
                (
                    p["line"].as_i64().unwrap_or(0),
                    p["field"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(at, [(100, "received_on"), (4321, "property.lat")], "{body}");
        assert_eq!(cases(app), 0);
        assert_eq!(events(app), 0);
        assert!(import_audits(app).is_empty());

        // The page lists the same problems, and keeps nothing either.
        let c = app.signed_in(Role::Reviewer);
        let page = upload(app, &c, "big.jsonl", lines.join("\n").as_bytes(), false);
        assert_eq!(page.status, 422);
        let rows = page.texts("#problems tbody tr");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(
            rows[1].contains("4321") && rows[1].contains("property.lat"),
            "{rows:?}"
        );
        assert!(page.text("#notice").contains("Nothing was imported"));
        assert_eq!(cases(app), 0);

        // Fixed, the 5,000 go in.
        let mut ok: Value = serde_json::from_str(&lines[4320]).expect("json");
        ok["property"]["lat"] = json!(41.5);
        lines[4320] = ok.to_string();
        lines[99] = line(99, "2023-03-01");
        let (status, body) = api_import(
            &api,
            "",
            "application/x-ndjson",
            lines.join("\n").into_bytes(),
        );
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["count"], 5000);
        assert_eq!(cases(app), 5000);
        assert_eq!(events(app), 10_000);
        // The dashboard's counts saw every one.
        let home = c.get("/");
        assert_eq!(home.status, 200);
        assert_eq!(
            home.text("a.stat[href='/cases?state=lead'] .stat-n"),
            "5000"
        );
        assert_eq!(home.text("#overdue-count .stat-n"), "5000");
    });
}

#[test]
fn csv_problems_are_reported_on_the_party_s_own_row_and_column() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let csv = "report,title,source,transaction.kind,property.lat,property.lon,party.name,party.country,party.role\n\
                   a,First,public_tip,purchase,41.17,-104.85,Acme LLC,US,acquirer\n\
                   a,,,,,,Acme Holdings,CN,overlord\n\
                   b,Second,public_tip,lease,41.2,-104.9,Beta LLC,US,acquirer\n\
                   b,Other title,,,,,Beta Parent,CN,parent\n";
        let page = upload(app, &c, "parties.csv", csv.as_bytes(), false);
        assert_eq!(page.status, 422, "{}", page.body);
        let rows = page.texts("#problems tbody tr");
        assert!(
            rows.iter()
                .any(|r| r.starts_with('3') && r.contains("party.role")),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| r.starts_with('5') && r.contains("title")),
            "{rows:?}"
        );
        assert_eq!(cases(app), 0);

        // An unknown column is named in the header's line.
        let page = upload(app, &c, "odd.csv", b"report,title,colour\nx,Y,red\n", false);
        assert_eq!(page.status, 422);
        assert!(page
            .texts("#problems tbody tr")
            .iter()
            .any(|r| r.contains("colour")));
    });
}

#[test]
fn the_same_file_twice_is_refused_unless_confirmed() {
    each_backend(|app| {
        let api = Api::new(app, "bulk", Role::Reviewer);
        let file = jsonl(3);
        let (status, _) = api_import(&api, "", "application/x-ndjson", file.clone().into_bytes());
        assert_eq!(status, 201);
        let (status, body) =
            api_import(&api, "", "application/x-ndjson", file.clone().into_bytes());
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "duplicate");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("bulk"),
            "{body}"
        );
        assert_eq!(cases(app), 3);
        let (status, body) = api_import(
            &api,
            "?confirm_duplicate=true",
            "application/x-ndjson",
            file.clone().into_bytes(),
        );
        assert_eq!(status, 201, "{body}");
        assert_eq!(cases(app), 6);

        // On the page: refused with a box to tick, then imported when ticked.
        let c = app.signed_in(Role::Reviewer);
        let page = upload(app, &c, "again.jsonl", file.as_bytes(), false);
        assert_eq!(page.status, 409);
        assert!(page.text("#notice").contains("already imported"));
        assert!(page.has_selector("input[type=checkbox][name=confirm]"));
        assert_eq!(cases(app), 6);
        let page = upload(app, &c, "again.jsonl", file.as_bytes(), true);
        assert_eq!(page.status, 201, "{}", page.body);
        assert_eq!(cases(app), 9);
        let audits = import_audits(app);
        assert_eq!(audits.len(), 3);
        assert!(audits[2].contains("re-import confirmed"), "{audits:?}");
    });
}

#[test]
fn wrong_encoding_huge_files_and_formula_cells() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        // Latin-1, as a spreadsheet might save it.
        let mut latin1 = b"report,title,source,transaction.kind,property.lat,property.lon,party.name,party.country,party.role\n".to_vec();
        latin1.extend_from_slice(
            b"a,Caf\xe9 parcel,public_tip,purchase,41.17,-104.85,Acme,US,acquirer\n",
        );
        let page = upload(app, &c, "latin1.csv", &latin1, false);
        assert_eq!(page.status, 422);
        assert!(
            page.text("#problems").contains("not UTF-8"),
            "{}",
            page.text("#problems")
        );

        // 50 MB: refused before anything is read into a case, on the page and the API.
        let huge = vec![b'x'; 50 * 1024 * 1024];
        let page = upload(app, &c, "huge.csv", &huge, false);
        assert_eq!(page.status, 413);
        assert!(page.text("#notice").contains("larger than 32 MB"));
        let api = Api::new(app, "bulk", Role::Reviewer);
        let (status, body) = api_import(&api, "", "text/csv", huge);
        assert_eq!(status, 413, "{body}");
        assert_eq!(cases(app), 0);

        // A cell a spreadsheet would run is stored as the text it is, and exported inert.
        let csv = "report,title,source,transaction.kind,property.lat,property.lon,party.name,party.country,party.role\n\
                   a,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",public_tip,purchase,41.17,-104.85,@SUM(A1),US,acquirer\n";
        let page = upload(app, &c, "formula.csv", csv.as_bytes(), false);
        assert_eq!(page.status, 201, "{}", page.text("main"));
        let v = app.case(1);
        assert_eq!(v.case.title, "=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(v.parties[0].name, "@SUM(A1)");
        let export = c.get("/export/cases.csv");
        assert_eq!(export.status, 200);
        assert!(export.body.contains("'=HYPERLINK"), "{}", export.body);

        // No file, a file of an unknown kind, and a form without its CSRF token.
        let page = post_body(
            app,
            &c,
            &format!("/cases/import?csrf_token={}", c.csrf()),
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nauto\r\n--{BOUNDARY}--\r\n").into_bytes(),
        );
        assert_eq!(page.status, 422);
        assert!(page.text("#notice").contains("Choose a file"));
        let page = upload(app, &c, "notes.txt", b"hello", false);
        assert_eq!(page.status, 422);
        assert!(page.text("#notice").contains(".csv or .jsonl"));
        let page = post_body(
            app,
            &c,
            "/cases/import",
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            form_body(("a.csv", csv.as_bytes()), "auto", false),
        );
        assert_eq!(page.status, 403);
        // An observer gets no form.
        let o = app.signed_in(Role::Observer);
        assert_eq!(o.get("/cases/import").status, 403);
        assert_eq!(cases(app), 1);
    });
}

#[test]
fn the_command_line_imports_with_exit_codes_for_problems_and_duplicates() {
    each_backend(|app| {
        app.user("clerk", Role::Reviewer);
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("reports.jsonl");
        std::fs::write(&path, jsonl(20)).expect("write");
        let run = |extra: &[&str]| {
            let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
                .args(["cases", "import"])
                .arg(&path)
                .args(["--by", "clerk", "--database", &app.db_url])
                .args(extra)
                .env("RUST_LOG", "warn")
                .output()
                .expect("run");
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        };
        let (code, out, err) = run(&[]);
        assert_eq!(code, Some(0), "{out}{err}");
        assert!(out.contains("imported 20 report(s)"), "{out}");
        assert_eq!(cases(app), 20);
        let (code, _, err) = run(&[]);
        assert_eq!(code, Some(3), "{err}");
        assert!(err.contains("already imported"), "{err}");
        let (code, _, _) = run(&["--confirm-duplicate"]);
        assert_eq!(code, Some(0));
        assert_eq!(cases(app), 40);

        std::fs::write(&path, "{\"title\": \"\"}\n").expect("write");
        let (code, _, err) = run(&[]);
        assert_eq!(code, Some(1), "{err}");
        assert!(err.contains("line 1"), "{err}");
        assert_eq!(cases(app), 40);
    });
}
