//! A database filled by the previous release's `bench-data` (the fixtures in `tests/fixtures`,
//! made as their README says), migrated by this release when it starts. What the old schema
//! held is read with raw SQL first; then, over HTTP: searches answer as a scan of the old
//! texts says, the dashboard counts what the old rows counted, every case shows the screening
//! it had stored, and histories keep their events and still verify when exported.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::Command;

use chrono::NaiveDate;
use cordon::domain::Role;
use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::Value;

use crate::counters::dashboard;
use crate::search::{queries, random_filters, random_report, random_sort, Checker};
use crate::support::api::Api;
use crate::support::oracle::{CaseModel, Doc, Filters};
use crate::support::{backends, Backend, Scratch, TestApp};

/// The fixture of a backend, decompressed.
fn fixture(backend: Backend) -> Vec<u8> {
    let name = match backend {
        Backend::Sqlite => "prev-sqlite.db.gz",
        Backend::Postgres => "prev-postgres.sql.gz",
    };
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let gz = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut out)
        .expect("gunzip");
    out
}

/// A scratch database holding the fixture, not yet migrated by this release.
pub(crate) fn restore(backend: Backend) -> Scratch {
    let scratch = Scratch::new(backend);
    let data = fixture(backend);
    match backend {
        Backend::Sqlite => {
            std::fs::write(scratch.path.as_ref().expect("a file"), data).expect("write db")
        }
        Backend::Postgres => {
            let sql = String::from_utf8(data).expect("UTF-8 dump");
            // psql's own commands (`\restrict`) are not SQL.
            let sql: String = sql
                .lines()
                .filter(|l| !l.starts_with('\\'))
                .collect::<Vec<_>>()
                .join("\n");
            let mut conn = PgConnection::establish(&scratch.url).expect("connect");
            conn.batch_execute(&sql).expect("restore the dump");
        }
    }
    scratch
}

/// Rows of a raw query on the restored database, before the application touches it.
fn load<T>(scratch: &Scratch, sql: &str) -> Vec<T>
where
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    match scratch.backend {
        Backend::Sqlite => {
            let path = scratch.path.as_ref().expect("a file");
            let mut c = SqliteConnection::establish(&path.display().to_string()).expect("open");
            diesel::sql_query(sql).load(&mut c)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(&scratch.url).expect("connect");
            diesel::sql_query(sql).load(&mut c)
        }
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs SQL on the restored database, before the application touches it.
fn execute(scratch: &Scratch, sql: &str) {
    match scratch.backend {
        Backend::Sqlite => {
            let path = scratch.path.as_ref().expect("a file");
            let mut c = SqliteConnection::establish(&path.display().to_string()).expect("open");
            c.batch_execute(sql)
        }
        Backend::Postgres => {
            let mut c = PgConnection::establish(&scratch.url).expect("connect");
            c.batch_execute(sql)
        }
    }
    .unwrap_or_else(|e| panic!("{sql:.200}: {e}"))
}

#[derive(QueryableByName, Debug)]
struct StateCount {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName, Debug)]
struct OldCase {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    summary: String,
    #[diesel(sql_type = Text)]
    address: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Nullable<Text>)]
    assignee: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    lead_agency: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    jurisdiction: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    risk_score: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    risk_band: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    screening: Option<String>,
    #[diesel(sql_type = Text)]
    next_due: String,
    #[diesel(sql_type = Text)]
    received_on: String,
    #[diesel(sql_type = Text)]
    updated_at: String,
}

#[derive(QueryableByName, Debug)]
struct OldParty {
    #[diesel(sql_type = BigInt)]
    case_id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    country: String,
}

#[derive(QueryableByName, Debug)]
struct EventCount {
    #[diesel(sql_type = BigInt)]
    case_id: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What the old schema held.
struct Before {
    counts: BTreeMap<String, i64>,
    cases: Vec<OldCase>,
    model: Vec<CaseModel>,
    events: BTreeMap<i64, i64>,
}

fn before(scratch: &Scratch) -> Before {
    let counts = load::<StateCount>(
        scratch,
        "SELECT state, COUNT(*) AS n FROM cases GROUP BY state",
    )
    .into_iter()
    .map(|r| (r.state, r.n))
    .collect();
    let cases = load::<OldCase>(
        scratch,
        "SELECT CAST(id AS BIGINT) AS id, reference, title, summary, address, state, assignee, \
         lead_agency, jurisdiction, CAST(risk_score AS BIGINT) AS risk_score, risk_band, \
         screening, CAST(next_due AS TEXT) AS next_due, \
         CAST(received_on AS TEXT) AS received_on, CAST(updated_at AS TEXT) AS updated_at \
         FROM cases ORDER BY id",
    );
    let parties = load::<OldParty>(
        scratch,
        "SELECT CAST(case_id AS BIGINT) AS case_id, name, country FROM parties \
         ORDER BY case_id, position",
    );
    let events = load::<EventCount>(
        scratch,
        "SELECT CAST(case_id AS BIGINT) AS case_id, COUNT(*) AS n FROM events GROUP BY case_id",
    )
    .into_iter()
    .map(|r| (r.case_id, r.n))
    .collect();
    let date = |s: &str| -> NaiveDate { s.parse().unwrap_or_else(|_| panic!("date {s:?}")) };
    let model = cases
        .iter()
        .map(|c| {
            let mine: Vec<&OldParty> = parties.iter().filter(|p| p.case_id == c.id).collect();
            let mut texts = vec![
                c.reference.clone(),
                c.title.clone(),
                c.summary.clone(),
                c.address.clone(),
            ];
            texts.extend(mine.iter().map(|p| p.name.clone()));
            let due = date(&c.next_due);
            CaseModel {
                id: c.id,
                reference: c.reference.clone(),
                state: c.state.clone(),
                assignee: c.assignee.clone(),
                lead_agency: c.lead_agency.clone(),
                countries: mine.iter().map(|p| p.country.to_uppercase()).collect(),
                risk_band: c.risk_band.clone(),
                next_due: (due != cordon::db::cases::NO_DEADLINE).then_some(due),
                received_on: date(&c.received_on),
                updated_at: c.updated_at.clone(),
                doc: Doc::new(texts.iter().map(String::as_str)),
                texts,
            }
        })
        .collect();
    Before {
        counts,
        cases,
        model,
        events,
    }
}

fn kept_counts(app: &TestApp) -> BTreeMap<String, i64> {
    app.load::<StateCount>("SELECT state, CAST(n AS BIGINT) AS n FROM case_counts")
        .into_iter()
        .filter(|r| r.n != 0)
        .map(|r| (r.state, r.n))
        .collect()
}

/// `cordon verify` on a file: exit code and what it said.
fn verify_file(dir: &tempfile::TempDir, name: &str, doc: &str) -> (i32, String) {
    let path = dir.path().join(name);
    std::fs::write(&path, doc).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_cordon"))
        .args(["verify", &path.display().to_string()])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run cordon");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_database_of_the_previous_release_migrates_and_answers_as_before() {
    for backend in backends() {
        eprintln!("-- on {backend:?}");
        let scratch = restore(backend);
        let old = before(&scratch);
        assert!(
            old.cases.len() >= 100,
            "the fixture holds {}",
            old.cases.len()
        );
        assert!(old.counts.len() >= 5, "{:?}", old.counts);
        assert!(old.cases.iter().all(|c| c.screening.is_some()));

        let app = TestApp::spawn_on(scratch, |_| {});
        let rita = Api::new(&app, "rita", Role::Reviewer);
        let chair = app.signed_in(Role::Chair);

        // The dashboard counts what the old rows counted, and so does the kept table.
        let d = dashboard(&chair);
        assert_eq!(d.by_state, old.counts, "the dashboard");
        assert_eq!(d.total, old.cases.len() as i64);
        assert_eq!(kept_counts(&app), old.counts, "case_counts");

        // Every case shows the screening it had stored, keeps its events, and verifies.
        for c in &old.cases {
            let case = rita.case(c.id);
            let stored: Value =
                serde_json::from_str(c.screening.as_deref().unwrap_or("null")).expect("JSON");
            assert_eq!(case["screening"], stored, "{}: the screening", c.reference);
            assert_eq!(case["reference"], c.reference.as_str());
            assert_eq!(case["state"], c.state.as_str());
            assert_eq!(case["chain"]["verified"], true, "{}", c.reference);
            assert_eq!(
                case["chain"]["events"].as_i64(),
                old.events.get(&c.id).copied(),
                "{}: events",
                c.reference
            );
        }
        // The case page shows the stored jurisdiction and risk, in every state.
        let mut sample: Vec<&OldCase> = Vec::new();
        for state in old.counts.keys() {
            sample.extend(old.cases.iter().filter(|c| &c.state == state).take(2));
        }
        for c in &sample {
            let page = chair.get(&format!("/cases/{}", c.id));
            assert_eq!(page.status, 200);
            let band = c.risk_band.clone().unwrap_or_default();
            assert_eq!(page.text("#risk .risk-band"), band, "{}", c.reference);
            assert_eq!(
                page.text("#risk .risk-score"),
                c.risk_score.map(|s| s.to_string()).unwrap_or_default(),
                "{}",
                c.reference
            );
            let class = page.attr("#jurisdiction", "class").unwrap_or_default();
            let want = format!(
                "jurisdiction-{}",
                c.jurisdiction.clone().unwrap_or_default()
            );
            assert!(
                class.split(' ').any(|k| k == want),
                "{}: {class}",
                c.reference
            );
        }

        // Exported histories still verify, with the export's own event added.
        let dir = tempfile::tempdir().expect("dir");
        for c in sample.iter().take(8) {
            let (status, doc) = rita.get(&format!("/api/v1/cases/{}/export", c.id));
            assert_eq!(status, 200, "{doc}");
            let text = doc.to_string();
            let intact = cordon::domain::export::verify(&text)
                .unwrap_or_else(|e| panic!("{}: the export does not verify: {e}", c.reference));
            assert_eq!(
                intact.events as i64,
                old.events.get(&c.id).copied().unwrap_or(0) + 1
            );
            let (code, said) = verify_file(&dir, &format!("{}.json", c.reference), &text);
            assert_eq!(code, 0, "{said}");
            assert!(said.starts_with("intact"), "{said}");
        }

        // Searches answer as a scan of the old texts says.
        let checker = Checker::with_cases(&rita, old.model);
        let mut rng = StdRng::seed_from_u64(2024);
        for q in queries(&mut rng, &checker.cases) {
            checker.check(&q, &Filters::default(), "deadline", 11);
            let f = random_filters(&mut rng, &checker.cases);
            checker.check(&q, &f, random_sort(&mut rng), 6);
        }
        let refs: Vec<String> = checker
            .cases
            .choose_multiple(&mut rng, 20)
            .map(|c| c.reference.clone())
            .collect();
        for r in refs {
            checker.check(&r, &Filters::default(), "deadline", 3);
        }
        checker.assert_clean();

        // Life goes on: a new case is found and counted, a moved one counted where it went.
        let new = rita.create(&random_report(&mut rng, 1));
        let reference = new["reference"].as_str().expect("reference");
        let found = rita
            .queue_all(&[("q", reference)], 50)
            .expect("search the new case");
        assert!(
            found.iter().any(|r| r["reference"] == reference),
            "{reference}"
        );
        let mut want = old.counts.clone();
        *want.entry("lead".into()).or_default() += 1;
        assert_eq!(dashboard(&chair).by_state, want);
    }
}

#[test]
fn a_previous_case_whose_summary_holds_a_very_long_word_still_migrates() {
    for backend in backends() {
        eprintln!("-- on {backend:?}");
        let scratch = restore(backend);
        // The previous release took any summary of up to 20,000 characters: here one word of
        // 3,200 letters and digits (a pasted hash, say) in a case of the old schema.
        let word = "ab12".repeat(800);
        execute(
            &scratch,
            &format!("UPDATE cases SET summary = 'Pasted {word} end' WHERE id = 1"),
        );
        let app = TestApp::spawn_on(scratch, |_| {});
        let rita = Api::new(&app, "rita", Role::Reviewer);
        let rows = rita
            .queue_all(&[("q", &word[..16])], 10)
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<i64> = rows.iter().filter_map(|r| r["id"].as_i64()).collect();
        assert_eq!(ids, [1]);
    }
}
