//! The integration-test harness: each test gets its own database (a temporary SQLite file, and
//! a fresh PostgreSQL database when `TEST_DATABASE_URL` is set) and the real application on a
//! free port, driven over HTTP.

pub mod api;
pub mod client;
pub mod oracle;
pub mod process;

use std::net::TcpListener;
use std::sync::mpsc;

use cordon::config::Settings;
use cordon::db::{Db, DbConn};
use cordon::domain::Role;
use cordon::service;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

pub use client::Client;

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite always; PostgreSQL too when `TEST_DATABASE_URL` names a server.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        v.push(Backend::Postgres);
    }
    v
}

/// Runs a test body once per backend, each on a fresh application.
pub fn each_backend(body: impl Fn(&TestApp)) {
    each_backend_with(|_| {}, body)
}

/// The same, with settings adjusted before the application starts.
pub fn each_backend_with(tweak: impl Fn(&mut Settings), body: impl Fn(&TestApp)) {
    for backend in backends() {
        let app = TestApp::spawn(backend, &tweak);
        eprintln!("-- on {backend:?}");
        body(&app);
    }
}

/// A fresh PostgreSQL database, dropped with this value.
pub struct PgScratch {
    admin_url: String,
    name: String,
}

impl PgScratch {
    pub fn create() -> (Self, String) {
        let admin_url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
        let name = format!("cordon_t_{}", &service::secrets::random_token()[..16]);
        let mut conn = PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .expect("URL has a database name");
        let url = format!("{base}/{name}");
        (PgScratch { admin_url, name }, url)
    }
}

impl Drop for PgScratch {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub struct TestApp {
    pub backend: Backend,
    pub base: String,
    pub db_url: String,
    pub db: Db,
    /// The office's export key file of this app (in its own temporary directory).
    pub key_file: std::path::PathBuf,
    handle: actix_web::dev::ServerHandle,
    _dir: Option<tempfile::TempDir>,
    _keys: tempfile::TempDir,
    _pg: Option<PgScratch>,
}

/// An empty database of one backend, removed with this value: a SQLite file in a temporary
/// directory (not created yet) or a fresh PostgreSQL database.
pub struct Scratch {
    pub backend: Backend,
    pub url: String,
    /// For SQLite, the database file's path.
    pub path: Option<std::path::PathBuf>,
    dir: Option<tempfile::TempDir>,
    pg: Option<PgScratch>,
}

impl Scratch {
    pub fn new(backend: Backend) -> Scratch {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("cordon.db");
                let url = format!("sqlite://{}", path.display());
                Scratch {
                    backend,
                    url,
                    path: Some(path),
                    dir: Some(dir),
                    pg: None,
                }
            }
            Backend::Postgres => {
                let (pg, url) = PgScratch::create();
                Scratch {
                    backend,
                    url,
                    path: None,
                    dir: None,
                    pg: Some(pg),
                }
            }
        }
    }
}

impl TestApp {
    pub fn spawn(backend: Backend, tweak: impl Fn(&mut Settings)) -> TestApp {
        TestApp::spawn_on(Scratch::new(backend), tweak)
    }

    /// The application on a database that may already hold data (it is migrated first).
    pub fn spawn_on(scratch: Scratch, tweak: impl Fn(&mut Settings)) -> TestApp {
        let Scratch {
            backend,
            url: db_url,
            dir,
            pg,
            ..
        } = scratch;
        let keys = tempfile::tempdir().expect("key dir");
        let key_file = keys.path().join("export.key");
        let mut settings = Settings::with_database(&db_url);
        settings.key_file = Some(key_file.clone());
        tweak(&mut settings);
        let db = cordon::startup::open_database(&settings).expect("open and migrate");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = mpsc::channel();
        let server_db = db.clone();
        std::thread::spawn(move || {
            let system = actix_web::rt::System::new();
            system.block_on(async move {
                let server = cordon::startup::run(settings, server_db, listener).expect("server");
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        let handle = rx.recv().expect("server handle");
        TestApp {
            backend,
            base,
            db_url,
            db,
            key_file,
            handle,
            _dir: dir,
            _keys: keys,
            _pg: pg,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn conn(&self) -> r2d2_conn::Conn {
        self.db.conn().expect("connection")
    }

    /// Creates a user directly through the service layer.
    pub fn user(&self, name: &str, role: Role) {
        let mut conn = self.conn();
        service::users::add_user(&mut conn, None, name, role, Some(PASSWORD)).expect("add user");
    }

    /// A client signed in as a new user with this role (named after the role).
    pub fn signed_in(&self, role: Role) -> Client {
        let name = format!("{}1", role.as_str());
        self.user(&name, role);
        let client = Client::new(self);
        let res = client.login(&name, PASSWORD);
        assert_eq!(res.status().as_u16(), 303, "login as {name}");
        client
    }

    /// The rows of a raw SQL query on the test database.
    pub fn load<T>(&self, sql: &str) -> Vec<T>
    where
        T: diesel::QueryableByName<diesel::sqlite::Sqlite>
            + diesel::QueryableByName<diesel::pg::Pg>
            + 'static,
    {
        use diesel::RunQueryDsl;
        let mut conn = self.conn();
        let conn: &mut DbConn = &mut conn;
        match conn {
            DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
            DbConn::Pg(c) => diesel::sql_query(sql).load(c),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs raw SQL on the test database (to age sessions and the like).
    pub fn sql(&self, sql: &str) {
        let mut conn = self.conn();
        let conn: &mut DbConn = &mut conn;
        match conn {
            DbConn::Sqlite(c) => c.batch_execute(sql).expect("sql"),
            DbConn::Pg(c) => c.batch_execute(sql).expect("sql"),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // The stop command is sent at once; the returned future only waits for completion.
        drop(self.handle.stop(false));
    }
}

/// The pooled connection type, named for the harness.
pub mod r2d2_conn {
    pub type Conn = diesel::r2d2::PooledConnection<cordon::db::pool::Manager>;
}

/// The MineOne report of PRODUCT.md section 6, as JSON.
pub fn mineone_json() -> serde_json::Value {
    serde_json::json!({
        "title": "Crypto mine next to F.E. Warren AFB",
        "source": "company_report",
        "summary": "Report of a PRC-linked Bitcoin mine on a 12-acre lot north of the base.",
        "transaction": {"kind": "purchase", "date": "2022-06-15", "value_usd": 1500000,
                        "rights": {"access": true, "exclude": true, "improve": true, "affix": true},
                        "intended_use": "cryptocurrency mining", "power_mw": 75},
        "property": {"lat": 41.17, "lon": -104.85, "address": "North Range Business Park, Cheyenne",
                     "state": "WY", "county_fips": "56021", "acreage": 12,
                     "urban_area": false, "single_housing_unit": false, "in_port": false,
                     "commercial_office": false},
        "parties": [
            {"key": "p1", "name": "MineOne Wyoming Data Center LLC", "country": "US", "role": "acquirer"},
            {"key": "p2", "name": "MineOne Partners Ltd", "country": "VG", "role": "parent", "owns": "p1", "ownership_pct": 100},
            {"key": "p3", "name": "PRC nationals (undisclosed)", "country": "CN", "role": "ultimate_parent", "owns": "p2", "ownership_pct": 51}
        ]
    })
}

impl TestApp {
    /// The principal of an existing user, as the services take it.
    pub fn principal(&self, name: &str) -> service::auth::Principal {
        let mut conn = self.conn();
        let row = cordon::db::users::find_by_name(&mut conn, name)
            .expect("query")
            .expect("user exists");
        service::auth::Principal {
            user_id: row.id,
            role: row.role.parse().expect("role"),
            username: row.username,
            csrf_token: String::new(),
        }
    }

    /// Logs a report (JSON in the API's shape) as `by`; returns the case id.
    pub fn report(&self, by: &str, json: serde_json::Value) -> i64 {
        let raw = cordon::domain::report::RawReport::from_json(json);
        let now = service::clock::Now::real();
        let report = cordon::domain::report::parse(&raw, now.today).expect("valid report");
        let mut conn = self.conn();
        let ws = cordon::domain::workflow::WorkflowSettings::default();
        service::cases::create_report(
            &mut conn,
            Some(&self.principal(by)),
            &report,
            report.source,
            &ws,
            &service::screening::Screener::default(),
            &now,
        )
        .expect("create")
        .id
    }

    /// A case as the services see it.
    pub fn case(&self, id: i64) -> service::cases::CaseView {
        let mut conn = self.conn();
        service::cases::view(&mut conn, id).expect("view")
    }

    /// Moves a case as `by`; panics when refused.
    pub fn move_case(&self, by: &str, id: i64, to: &str, effective: Option<&str>) {
        let (state, outcome) = match to.split_once(':') {
            Some((s, o)) => (s.parse().expect("state"), Some(o.parse().expect("outcome"))),
            None => (to.parse().expect("state"), None),
        };
        let version = self.case(id).case.version;
        let input = service::workflow::TransitionInput {
            to: state,
            outcome,
            rationale: format!("Moved to {to} for the test."),
            effective: effective.map(|e| e.parse().expect("date")),
            version,
            conditions: Vec::new(),
        };
        let mut conn = self.conn();
        let ws = cordon::domain::workflow::WorkflowSettings::default();
        service::workflow::transition(
            &mut conn,
            &self.principal(by),
            id,
            &input,
            &ws,
            &service::clock::Now::real(),
        )
        .expect("transition");
    }
}
