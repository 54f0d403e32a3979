//! The real `cordon serve` as a child process on a database a test prepared: started on a port
//! it keeps across restarts, killed with SIGKILL when a test says so and on drop (a failing test
//! leaves no server behind), its output kept in one log file per start.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cordon::db::DbConn;
use diesel::connection::SimpleConnection;

use super::client::Page;

/// How long a start may take before the test gives up (a debug build on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// One `cordon serve` process (not running until [`Node::start`]).
pub struct Node {
    pub name: String,
    pub base: String,
    db_url: String,
    key_file: PathBuf,
    env: Vec<(String, String)>,
    child: Option<Child>,
    logs: tempfile::TempDir,
    starts: usize,
}

/// The `cordon` binary built with these tests, or the one `CORDON_TEST_BINARY` names (to
/// run the tests against a copy, when other builds share the target directory).
fn binary() -> PathBuf {
    std::env::var_os("CORDON_TEST_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cordon")))
}

/// A port nothing listens on now (the listener is dropped at once).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Node {
    /// A node named `name` on `db_url`, signing exports with the key in `key_file` (created at
    /// its first start when missing).
    pub fn new(name: &str, db_url: &str, key_file: &Path) -> Node {
        Node {
            name: name.to_string(),
            base: format!("http://127.0.0.1:{}", free_port()),
            db_url: db_url.to_string(),
            key_file: key_file.to_path_buf(),
            env: Vec::new(),
            child: None,
            logs: tempfile::tempdir().expect("log dir"),
            starts: 0,
        }
    }

    /// A setting for every later start (`CORDON_…`).
    pub fn setting(mut self, key: &str, value: &str) -> Node {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn log_path(&self, start: usize) -> PathBuf {
        self.logs.path().join(format!("serve-{start}.log"))
    }

    /// Starts the server and waits until `/healthz` answers `ok`; returns how long that took.
    /// Panics (with the log) when it exits or does not answer in time.
    pub fn start(&mut self) -> Duration {
        let started = Instant::now();
        self.spawn();
        self.wait_ready();
        started.elapsed()
    }

    /// Starts the server without waiting for it (see [`Node::wait_ready`]).
    pub fn spawn(&mut self) {
        assert!(self.child.is_none(), "{} is already running", self.name);
        self.starts += 1;
        let log = std::fs::File::create(self.log_path(self.starts)).expect("log file");
        let mut cmd = Command::new(binary());
        // Nothing from the developer's environment (another database, Secure cookies...).
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("CORDON_") || key == "DATABASE_URL" || key == "RUST_LOG" {
                cmd.env_remove(key.as_ref());
            }
        }
        let bind = self.base.trim_start_matches("http://").to_string();
        cmd.args(["serve", "--bind", &bind, "--database", &self.db_url])
            .env("CORDON_KEY_FILE", &self.key_file)
            .env("CORDON_WORKERS", "2")
            .env("CORDON_DB_POOL", "4")
            .env("RUST_LOG", "info,actix_server=warn")
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().expect("log file")))
            .stderr(Stdio::from(log));
        self.child = Some(cmd.spawn().expect("spawn cordon serve"));
    }

    /// Waits until the spawned server's `/healthz` answers `ok`. Panics (with the log) when it
    /// exits or does not answer in time.
    pub fn wait_ready(&mut self) {
        let started = Instant::now();
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("client");
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                self.child = None;
                panic!("{} exited at start ({status}):\n{}", self.name, self.log());
            }
            if let Ok(res) = http.get(self.url("/healthz")).send() {
                let status = res.status().as_u16();
                let body = res.text().unwrap_or_default();
                assert_eq!(
                    (status, body.as_str()),
                    (200, "ok"),
                    "{} /healthz:\n{}",
                    self.name,
                    self.log()
                );
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "{} did not answer /healthz within {START_TIMEOUT:?}:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server with SIGKILL (no shutdown, no flush) and reaps it.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The output of the latest start.
    pub fn log(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(self.log_path(self.starts)) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    /// Lines of every start's output that report an error or a panic.
    pub fn errors(&self) -> Vec<String> {
        let mut found = Vec::new();
        for start in 1..=self.starts {
            let mut text = String::new();
            if let Ok(mut f) = std::fs::File::open(self.log_path(start)) {
                let _ = f.read_to_string(&mut text);
            }
            found.extend(
                text.lines()
                    .filter(|l| {
                        l.contains("ERROR") || l.contains("panicked") || l.starts_with("error")
                    })
                    .map(|l| format!("start {start}: {l}")),
            );
        }
        found
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        if self.child.is_some() && std::thread::panicking() {
            eprintln!("--- log of {} ---\n{}", self.name, self.log());
        }
        self.kill();
    }
}

/// A browser's view of several nodes behind one address: one cookie jar (cookies do not care
/// about the port, so a cookie set by one node goes to every node), no redirects followed, and
/// the CSRF token of the last form read.
pub struct Browser {
    http: reqwest::blocking::Client,
    csrf: std::cell::RefCell<String>,
}

impl Default for Browser {
    fn default() -> Self {
        Browser::new()
    }
}

impl Browser {
    pub fn new() -> Browser {
        Browser {
            http: reqwest::blocking::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            csrf: std::cell::RefCell::new(String::new()),
        }
    }

    fn read(&self, res: reqwest::blocking::Response) -> Page {
        Page::read(res, &self.csrf)
    }

    pub fn get(&self, node: &Node, path: &str) -> Page {
        self.read(self.http.get(node.url(path)).send().expect("GET"))
    }

    /// POSTs a form with the CSRF token of the last form read (from whichever node).
    pub fn post(&self, node: &Node, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf.borrow().clone();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.read(
            self.http
                .post(node.url(path))
                .form(&all)
                .send()
                .expect("POST"),
        )
    }

    /// Signs in on `node` (the form read there first); the response's status and page.
    pub fn login(&self, node: &Node, name: &str, password: &str) -> Page {
        let form = self.get(node, "/login");
        assert_eq!(form.status, 200, "the sign-in form on {}", node.name);
        self.post(
            node,
            "/login",
            &[("username", name), ("password", password)],
        )
    }
}

/// The rows of a raw SQL query, on either backend.
pub fn load<T>(conn: &mut DbConn, sql: &str) -> Vec<T>
where
    T: diesel::QueryableByName<diesel::sqlite::Sqlite>
        + diesel::QueryableByName<diesel::pg::Pg>
        + 'static,
{
    use diesel::RunQueryDsl;
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(sql).load(c),
        DbConn::Pg(c) => diesel::sql_query(sql).load(c),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs raw SQL, on either backend.
pub fn execute(conn: &mut DbConn, sql: &str) {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute(sql),
        DbConn::Pg(c) => c.batch_execute(sql),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
