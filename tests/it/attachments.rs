//! Files attached to a case: uploaded as a browser does (multipart, several at once, the CSRF
//! token in the query string), listed with their size and SHA-256, recorded in the history,
//! downloaded byte for byte with headers that keep a browser from rendering them, and refused
//! (with nothing stored) when they are too large, too many, empty, unnamed or not files at all.

use cordon::db::DbConn;
use cordon::domain::Role;
use diesel::RunQueryDsl;
use sha2::{Digest, Sha256};

use crate::support::client::Page;
use crate::support::{each_backend, each_backend_with, mineone_json, Client, TestApp};

/// The boundary of every multipart body sent here (never inside a test file's content).
const BOUNDARY: &str = "cordon-test-boundary-5f1c9a07e2";

/// One part of an upload.
pub struct File<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
}

impl<'a> File<'a> {
    pub fn new(name: &'a str, content: &'a [u8]) -> Self {
        File {
            name,
            content_type: "text/plain",
            content,
        }
    }
}

/// A `multipart/form-data` body with every file under the field `files`, as a browser sends a
/// `<input type=file multiple>`.
pub fn multipart(files: &[File<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for f in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                f.name, f.content_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(f.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// POSTs exactly this body with this content type (the path carries any query string).
pub fn post_body(app: &TestApp, c: &Client, path: &str, content_type: &str, body: Vec<u8>) -> Page {
    let res = c
        .http()
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .expect("POST");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let body = res.text().unwrap_or_default();
    Page {
        status,
        headers,
        body,
    }
}

/// Uploads files to a case as the case page's form does.
pub fn upload(app: &TestApp, c: &Client, case: i64, files: &[File<'_>]) -> Page {
    let token = c.csrf();
    post_body(
        app,
        c,
        &format!("/cases/{case}/attachments?csrf_token={token}"),
        &multipart_type(),
        multipart(files),
    )
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The answer of a `SELECT COUNT(*) AS n …`.
pub fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.conn();
    let conn: &mut DbConn = &mut conn;
    let rows: Vec<Count> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
        DbConn::Pg(c) => diesel::sql_query(sql).load(c),
    }
    .expect("count query");
    rows.first().map(|r| r.n).expect("one row")
}

/// Stored attachments and events, everywhere: what a refused upload must leave alone.
fn stored(app: &TestApp) -> (i64, i64) {
    (
        count(app, "SELECT COUNT(*) AS n FROM attachments"),
        count(app, "SELECT COUNT(*) AS n FROM events"),
    )
}

/// The response of a download, read into memory.
struct Download {
    status: u16,
    headers: reqwest::header::HeaderMap,
    bytes: Vec<u8>,
}

impl Download {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

fn download(c: &Client, path: &str) -> Download {
    let res = c.get_raw(path);
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().expect("body").to_vec();
    Download {
        status,
        headers,
        bytes,
    }
}

/// The rows of the case page's attachment list: (name, size, full SHA-256, link).
fn listed(c: &Client, case: i64) -> Vec<(String, String, String, String)> {
    let page = c.get(&format!("/cases/{case}"));
    assert_eq!(page.status, 200);
    let html = page.html();
    let row = scraper::Selector::parse("#attachment-list tbody tr").unwrap();
    let td = scraper::Selector::parse("td").unwrap();
    let link = scraper::Selector::parse("a.attachment-link").unwrap();
    let code = scraper::Selector::parse("code").unwrap();
    html.select(&row)
        .map(|tr| {
            let cells: Vec<String> = tr
                .select(&td)
                .map(|t| t.text().collect::<String>().trim().to_string())
                .collect();
            let sha = tr
                .select(&code)
                .next()
                .and_then(|c| c.value().attr("title"))
                .unwrap_or_default()
                .to_string();
            let href = tr
                .select(&link)
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_default()
                .to_string();
            (cells[0].clone(), cells[1].clone(), sha, href)
        })
        .collect()
}

/// The message under the file input of a refused upload.
fn files_error(page: &Page) -> String {
    page.text("#e-files")
}

#[test]
fn two_files_in_one_upload_are_listed_hashed_recorded_and_downloaded_exactly() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let version = app.case(id).case.version;
        let deed: Vec<u8> = b"%PDF-1.4\nWarranty deed, Laramie County, lot 7\n\x00\x01\x02\xff"
            .iter()
            .copied()
            .cycle()
            .take(3000)
            .collect();
        let memo = "Memo — Grundstück nahe F.E. Warren ✓\n".as_bytes();

        let res = upload(
            app,
            &c,
            id,
            &[
                File {
                    name: "deed.pdf",
                    content_type: "application/pdf",
                    content: &deed,
                },
                File::new("memo.txt", memo),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(res.location(), format!("/cases/{id}#attachments"));
        let page = c.get(&format!("/cases/{id}"));
        assert_eq!(page.text(".flash-ok"), "Attached 2 files.");

        let rows = listed(&c, id);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].0, "deed.pdf");
        assert_eq!(rows[0].1, "2.9 KB");
        assert_eq!(rows[0].2, sha256_hex(&deed));
        assert_eq!(rows[1].0, "memo.txt");
        assert_eq!(rows[1].1, format!("{} bytes", memo.len()));
        assert_eq!(rows[1].2, sha256_hex(memo));
        assert!(page
            .text("#attachment-list")
            .contains(&sha256_hex(&deed)[..12]));

        // One event per file, carrying what was stored; adding files leaves the version alone.
        let v = app.case(id);
        assert_eq!(v.case.version, version);
        let added: Vec<_> = v
            .events
            .iter()
            .filter(|e| e.body.kind == "attachment_added")
            .collect();
        assert_eq!(added.len(), 2);
        let rows_db = cordon::db::attachments::of_case(&mut app.conn(), id).unwrap();
        assert_eq!(rows_db.len(), 2);
        for (e, (file, content, ctype)) in added.iter().zip([
            ("deed.pdf", deed.as_slice(), "application/pdf"),
            ("memo.txt", memo, "text/plain"),
        ]) {
            let p = &e.body.payload;
            assert_eq!(e.body.actor, "reviewer1");
            assert_eq!(p["name"], file);
            assert_eq!(p["size"], content.len());
            assert_eq!(p["sha256"], sha256_hex(content));
            assert_eq!(p["content_type"], ctype);
            let row = rows_db.iter().find(|r| r.name == file).unwrap();
            assert_eq!(p["attachment"], row.id);
            assert_eq!(row.sha256, sha256_hex(content));
            assert_eq!(row.uploaded_by, "reviewer1");
        }
        assert!(v.chain.is_ok(), "the chain still verifies");

        // The download is the exact bytes, as an attachment that is never rendered.
        let before = app.case(id).events.len();
        let d = download(&c, &rows[0].3);
        assert_eq!(d.status, 200);
        assert_eq!(d.bytes, deed);
        assert_eq!(d.header("content-type"), "application/pdf");
        let disposition = d.header("content-disposition");
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(
            disposition.contains("filename=\"deed.pdf\""),
            "{disposition}"
        );
        assert_eq!(d.header("x-content-type-options"), "nosniff");
        assert_eq!(
            d.header("content-security-policy"),
            "default-src 'none'; sandbox"
        );
        let d2 = download(&c, &rows[1].3);
        assert_eq!(d2.status, 200);
        assert_eq!(d2.bytes, memo);

        // Each download is recorded, by whom and of what; an observer may download too.
        let observer = app.signed_in(Role::Observer);
        let d3 = download(&observer, &rows[1].3);
        assert_eq!(d3.bytes, memo);
        let v = app.case(id);
        assert_eq!(v.events.len(), before + 3);
        let last = v.events.last().unwrap();
        assert_eq!(last.body.kind, "exported");
        assert_eq!(last.body.actor, "observer1");
        assert_eq!(last.body.payload["format"], "attachment");
        assert_eq!(last.body.payload["name"], "memo.txt");
        assert_eq!(last.body.payload["sha256"], sha256_hex(memo));
        let first = &v.events[before];
        assert_eq!(first.body.actor, "reviewer1");
        assert_eq!(first.body.payload["name"], "deed.pdf");
        assert_eq!(v.case.version, version, "downloads leave the version alone");
        assert!(v.chain.is_ok());
        // The case page's timeline says so too.
        assert!(c
            .get(&format!("/cases/{id}"))
            .text("#chain-status")
            .starts_with(&format!("History verified: {} events", v.events.len())));
    });
}

#[test]
fn a_file_over_the_limit_is_refused_by_name_and_nothing_is_stored() {
    each_backend_with(
        |s| s.attachment_max_bytes = 4096,
        |app| {
            let c = app.signed_in(Role::Reviewer);
            let id = app.report("reviewer1", mineone_json());
            let before = stored(app);
            let small = vec![b'a'; 100];
            let big = vec![b'b'; 4097];
            let res = upload(
                app,
                &c,
                id,
                &[
                    File::new("small.txt", &small),
                    File::new("survey.bin", &big),
                ],
            );
            assert_eq!(res.status, 413, "{}", res.body);
            let msg = files_error(&res);
            assert!(msg.contains("survey.bin"), "{msg}");
            assert!(msg.contains("4.0 KB"), "{msg}");
            assert!(msg.contains("nothing was stored"), "{msg}");
            assert!(!msg.contains("small.txt"), "{msg}");
            // The page is the case page, with its form still there.
            assert!(res.has_selector("#attach-form"));
            assert_eq!(stored(app), before, "no row and no event");
            assert!(listed(&c, id).is_empty());

            // The big file first is refused the same way.
            let res = upload(
                app,
                &c,
                id,
                &[File::new("first.bin", &big), File::new("small.txt", &small)],
            );
            assert_eq!(res.status, 413);
            assert!(files_error(&res).contains("first.bin"));
            assert_eq!(stored(app), before);

            // Far over the limit (past what is read at all): still 413 on the case page,
            // with the limit spelled out, and nothing stored.
            let huge = vec![b'c'; 200 * 1024];
            let res = upload(app, &c, id, &[File::new("huge.bin", &huge)]);
            assert_eq!(res.status, 413);
            let msg = files_error(&res);
            assert!(msg.contains("larger than 10 files of 4.0 KB"), "{msg}");
            assert!(msg.contains("nothing was stored"), "{msg}");
            assert_eq!(stored(app), before);

            // Exactly at the limit is accepted.
            let exact = vec![b'd'; 4096];
            let res = upload(app, &c, id, &[File::new("exact.bin", &exact)]);
            assert_eq!(res.status, 303, "{}", res.body);
            let rows = listed(&c, id);
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].0, "exact.bin");
            assert_eq!(rows[0].1, "4.0 KB");
            assert_eq!(rows[0].2, sha256_hex(&exact));
            assert_eq!(stored(app), (before.0 + 1, before.1 + 1));
            // The form tells the limit.
            assert!(c
                .get(&format!("/cases/{id}"))
                .text("#attach-form")
                .contains("4.0 KB"));
        },
    );
}

#[test]
fn file_names_lose_their_paths_and_are_escaped_on_the_page() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let res = upload(
            app,
            &c,
            id,
            &[
                File::new("../../etc/passwd", b"root:x:0:0\n"),
                File::new("<script>alert(1).txt", b"hostile name\n"),
                File::new("Lageplan Grundstück.txt", b"plan\n"),
            ],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let page = c.get(&format!("/cases/{id}"));
        assert!(
            !page.body.contains("<script>alert(1)"),
            "the name is escaped"
        );
        let rows = listed(&c, id);
        let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(
            names,
            ["passwd", "<script>alert(1).txt", "Lageplan Grundstück.txt"]
        );
        let stored_names: Vec<String> = cordon::db::attachments::of_case(&mut app.conn(), id)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(stored_names, names);

        let d = download(&c, &rows[0].3);
        assert_eq!(d.status, 200);
        assert_eq!(d.bytes, b"root:x:0:0\n");
        let disposition = d.header("content-disposition");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(disposition.contains("filename=\"passwd\""), "{disposition}");
        assert!(
            !disposition.contains('/') && !disposition.contains(".."),
            "{disposition}"
        );

        let d = download(&c, &rows[1].3);
        let disposition = d.header("content-disposition");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            !disposition.contains('<') && !disposition.contains('>'),
            "{disposition}"
        );
        assert_eq!(d.header("x-content-type-options"), "nosniff");

        // A non-ASCII name keeps its exact form in the RFC 8187 parameter.
        let d = download(&c, &rows[2].3);
        let disposition = d.header("content-disposition");
        assert!(
            disposition.contains("Lageplan%20Grundst%C3%BCck.txt"),
            "{disposition}"
        );
        assert!(disposition.is_ascii());
    });
}

#[test]
fn a_windows_path_in_a_file_name_is_cut_to_its_last_part() {
    // Browsers send a file name's backslashes as they are (the HTML form encoding escapes only
    // `"`, CR and LF), and some send the full path a user picked the file from.
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let res = upload(
            app,
            &c,
            id,
            &[File::new("C:\\Users\\clerk\\Lageplan.txt", b"plan\n")],
        );
        assert_eq!(res.status, 303, "{}", res.body);
        let rows = listed(&c, id);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "Lageplan.txt");
    });
}

#[test]
fn only_reviewers_with_the_csrf_token_may_attach() {
    each_backend(|app| {
        let id = report_as_new_reviewer(app);
        let before = stored(app);
        let file = [File::new("note.txt", b"a note\n")];

        let observer = app.signed_in(Role::Observer);
        let res = upload(app, &observer, id, &file);
        assert_eq!(res.status, 403, "{}", res.body);
        assert_eq!(stored(app), before);
        // The observer is offered no form.
        assert!(!observer
            .get(&format!("/cases/{id}"))
            .has_selector("#attach-form"));

        let reviewer = app.signed_in(Role::Reviewer);
        let res = post_body(
            app,
            &reviewer,
            &format!("/cases/{id}/attachments"),
            &multipart_type(),
            multipart(&file),
        );
        assert_eq!(res.status, 403, "no token");
        let res = post_body(
            app,
            &reviewer,
            &format!("/cases/{id}/attachments?csrf_token=forged"),
            &multipart_type(),
            multipart(&file),
        );
        assert_eq!(res.status, 403, "a wrong token");
        // Someone else's token is no better.
        let res = post_body(
            app,
            &reviewer,
            &format!("/cases/{id}/attachments?csrf_token={}", observer.csrf()),
            &multipart_type(),
            multipart(&file),
        );
        assert_eq!(res.status, 403, "another session's token");
        assert_eq!(stored(app), before);

        // Signed out: nothing is stored either.
        let anonymous = Client::new(app);
        let res = upload(app, &anonymous, id, &file);
        assert!(
            res.status == 403 || (res.status == 303 && res.location().starts_with("/login")),
            "{}",
            res.status
        );
        assert_eq!(stored(app), before);

        // The form's own action carries the token and works.
        let page = reviewer.get(&format!("/cases/{id}"));
        let action = page.attr("#attach-form", "action").unwrap();
        assert!(action.contains("csrf_token="), "{action}");
        let res = post_body(app, &reviewer, &action, &multipart_type(), multipart(&file));
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(stored(app), (before.0 + 1, before.1 + 1));
    });
}

#[test]
fn bad_uploads_are_refused_with_a_reason_and_store_nothing() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let before = stored(app);
        let token = c.csrf();
        let path = format!("/cases/{id}/attachments?csrf_token={token}");

        // No file chosen: the browser sends one empty, unnamed part.
        let res = upload(
            app,
            &c,
            id,
            &[File {
                name: "",
                content_type: "application/octet-stream",
                content: b"",
            }],
        );
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(files_error(&res).contains("Choose at least one file"));
        // Only a field that is not a file.
        let res = post_body(
            app,
            &c,
            &path,
            &multipart_type(),
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{BOUNDARY}--\r\n"
            )
            .into_bytes(),
        );
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(files_error(&res).contains("Choose at least one file"));
        assert_eq!(stored(app), before);

        // Eleven files are refused as a whole; ten are fine.
        let contents: Vec<Vec<u8>> = (0..11)
            .map(|i| format!("file {i}\n").into_bytes())
            .collect();
        let names: Vec<String> = (0..11).map(|i| format!("f{i}.txt")).collect();
        let eleven: Vec<File<'_>> = names
            .iter()
            .zip(&contents)
            .map(|(n, c)| File::new(n, c))
            .collect();
        let res = upload(app, &c, id, &eleven);
        assert!(
            res.status == 413 || res.status == 422,
            "{}: {}",
            res.status,
            res.body
        );
        let msg = files_error(&res);
        assert!(msg.contains("At most 10 files"), "{msg}");
        assert!(msg.contains("nothing was stored"), "{msg}");
        assert_eq!(stored(app), before);

        // An empty file (with a name) is refused, and the others with it.
        let res = upload(
            app,
            &c,
            id,
            &[File::new("ok.txt", b"fine\n"), File::new("blank.txt", b"")],
        );
        assert_eq!(res.status, 422, "{}", res.body);
        let msg = files_error(&res);
        assert!(msg.contains("blank.txt") && msg.contains("empty"), "{msg}");
        assert_eq!(stored(app), before);

        // Bodies that are not multipart, or not well-formed: a 4xx, never a 500.
        for (ctype, body) in [
            (
                "application/x-www-form-urlencoded".to_string(),
                b"files=abc".to_vec(),
            ),
            ("text/plain".to_string(), b"just text".to_vec()),
            ("application/json".to_string(), b"{\"files\": []}".to_vec()),
            ("multipart/form-data".to_string(), multipart(&eleven[..1])),
            (
                multipart_type(),
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"cut.txt\"\r\n\r\nno end"
                )
                .into_bytes(),
            ),
            (multipart_type(), b"garbage without any boundary".to_vec()),
            (multipart_type(), format!("--{BOUNDARY}--\r\n").into_bytes()),
            (multipart_type(), Vec::new()),
        ] {
            let res = post_body(app, &c, &path, &ctype, body);
            assert!(
                (400..500).contains(&res.status),
                "{ctype}: {} {}",
                res.status,
                res.body
            );
            assert_eq!(stored(app), before, "{ctype}");
        }

        // Ten at once are accepted, each with its event.
        let res = upload(app, &c, id, &eleven[..10]);
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(listed(&c, id).len(), 10);
        assert_eq!(stored(app), (before.0 + 10, before.1 + 10));
        assert!(app.case(id).chain.is_ok());
    });
}

#[test]
fn attachment_ids_belong_to_their_case() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let a = app.report("reviewer1", mineone_json());
        let b = app.report("reviewer1", mineone_json());
        let res = upload(app, &c, a, &[File::new("a.txt", b"case a\n")]);
        assert_eq!(res.status, 303);
        let aid = cordon::db::attachments::of_case(&mut app.conn(), a).unwrap()[0].id;
        let before = stored(app);

        assert_eq!(
            download(&c, &format!("/cases/{b}/attachments/{aid}")).status,
            404
        );
        assert_eq!(
            download(&c, &format!("/cases/999999/attachments/{aid}")).status,
            404
        );
        assert_eq!(
            download(&c, &format!("/cases/{a}/attachments/999999")).status,
            404
        );
        assert_eq!(
            download(&c, &format!("/cases/{a}/attachments/abc")).status,
            404
        );
        assert_eq!(stored(app), before, "a refused download is not recorded");
        // The right pair works.
        let d = download(&c, &format!("/cases/{a}/attachments/{aid}"));
        assert_eq!(d.status, 200);
        assert_eq!(d.bytes, b"case a\n");

        // Uploading to a case that does not exist stores nothing.
        let before = stored(app);
        let res = upload(app, &c, 999_999, &[File::new("x.txt", b"x\n")]);
        assert_eq!(res.status, 404, "{}", res.body);
        assert_eq!(stored(app), before);
        assert!(listed(&c, b).is_empty());
    });
}

/// A case logged by a new reviewer (`author1`).
fn report_as_new_reviewer(app: &TestApp) -> i64 {
    app.user("author1", Role::Reviewer);
    app.report("author1", mineone_json())
}

#[test]
fn simultaneous_downloads_are_all_served_and_recorded() {
    each_backend(|app| {
        let c = app.signed_in(Role::Reviewer);
        let id = app.report("reviewer1", mineone_json());
        let content = b"survey of lot 7\n".repeat(64);
        let res = upload(app, &c, id, &[File::new("survey.txt", &content)]);
        assert_eq!(res.status, 303, "{}", res.body);
        let aid = cordon::db::attachments::of_case(&mut app.conn(), id).unwrap()[0].id;
        let observer = app.signed_in(Role::Observer);
        let before = app.case(id).events.len();

        let url = app.url(&format!("/cases/{id}/attachments/{aid}"));
        let http = observer.http().clone();
        let results: Vec<(u16, Vec<u8>)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..24)
                .map(|_| {
                    let http = http.clone();
                    let url = url.clone();
                    s.spawn(move || {
                        let res = http.get(&url).send().unwrap();
                        (res.status().as_u16(), res.bytes().unwrap().to_vec())
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let statuses: Vec<u16> = results.iter().map(|r| r.0).collect();
        assert!(
            statuses.iter().all(|s| *s == 200),
            "every simultaneous download is served: {statuses:?}"
        );
        assert!(results.iter().all(|r| r.1 == content));
        let v = app.case(id);
        assert!(v.chain.is_ok(), "{:?}", v.chain);
        assert_eq!(v.events.len(), before + 24, "each download recorded once");
        assert!(v.events[before..]
            .iter()
            .all(|e| e.body.kind == "exported" && e.body.actor == "observer1"));
    });
}
