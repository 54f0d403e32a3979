//! The integration-test harness: each test gets its own database (a temporary SQLite file, and
//! a fresh PostgreSQL database when `TEST_DATABASE_URL` is set) and the real application on a
//! free port, driven over HTTP.

pub mod client;

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
struct PgScratch {
    admin_url: String,
    name: String,
}

impl PgScratch {
    fn create() -> (Self, String) {
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
    handle: actix_web::dev::ServerHandle,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<PgScratch>,
}

impl TestApp {
    pub fn spawn(backend: Backend, tweak: impl Fn(&mut Settings)) -> TestApp {
        let (dir, pg, db_url) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("cordon.db").display());
                (Some(dir), None, url)
            }
            Backend::Postgres => {
                let (pg, url) = PgScratch::create();
                (None, Some(pg), url)
            }
        };
        let mut settings = Settings::with_database(&db_url);
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
            handle,
            _dir: dir,
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
