//! The browser-test harness: the real `cordon` binary on a fresh SQLite database, a
//! chromedriver child process, and a headless Chromium session driven through fantoccini.
//!
//! Everything runs on 127.0.0.1 ports picked at start; the browser is only ever sent to the
//! Cordon server this harness started.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use tempfile::TempDir;

/// How long a child process may take to start answering.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a page may take to load after a click or a navigation.
const PAGE_TIMEOUT: Duration = Duration::from_secs(20);
/// How often the hand-written waits below check again.
const POLL: Duration = Duration::from_millis(50);

/// The browser window's usual size.
const WINDOW_WIDTH: u32 = 1280;
const WINDOW_HEIGHT: u32 = 900;

const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

// ---------------------------------------------------------------------------------------------
// Finding the tools, or skipping.

/// Where chromedriver and Chromium are.
pub struct Tools {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
}

/// True when `CORDON_BROWSER_TESTS=required`: missing tools then fail the test instead of
/// skipping it.
fn required() -> bool {
    std::env::var("CORDON_BROWSER_TESTS").is_ok_and(|v| v.trim() == "required")
}

fn tool(env: &str, default: &str) -> (PathBuf, bool) {
    let path = std::env::var_os(env)
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(default), PathBuf::from);
    let found = path.is_file();
    (path, found)
}

/// The tools, or `None` when the test should be skipped (a message says so on stderr).
/// Panics instead of skipping when `CORDON_BROWSER_TESTS=required`.
pub fn tools_or_skip() -> Option<Tools> {
    let (chromedriver, has_driver) = tool("CHROMEDRIVER", DEFAULT_CHROMEDRIVER);
    let (chromium, has_chromium) = tool("CHROMIUM", DEFAULT_CHROMIUM);
    for (what, path, found) in [
        ("chromedriver", &chromedriver, has_driver),
        ("chromium", &chromium, has_chromium),
    ] {
        if found {
            continue;
        }
        if required() {
            panic!(
                "CORDON_BROWSER_TESTS=required but {what} was not found at {} \
                 (install it, or point {} at it)",
                path.display(),
                what.to_uppercase()
            );
        }
        eprintln!("browser tests skipped: {what} not found");
        return None;
    }
    Some(Tools {
        chromedriver,
        chromium,
    })
}

// ---------------------------------------------------------------------------------------------
// Child processes.

/// A free TCP port on the loopback interface (free when this returns; the child binds it next).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
    Ok(listener
        .local_addr()
        .context("reading the bound port")?
        .port())
}

/// A child process that is killed (and reaped) when dropped.
struct ChildGuard {
    name: &'static str,
    child: Child,
}

impl ChildGuard {
    /// An error if the child has already exited.
    fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait() {
            Ok(Some(status)) => bail!("{} exited early with {status}", self.name),
            Ok(None) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("checking on {}", self.name)),
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Err(e) = self.child.kill() {
            eprintln!("could not kill {}: {e}", self.name);
        }
        let _ = self.child.wait();
    }
}

/// A plain HTTP client for readiness probes (no proxy: everything is on loopback).
fn probe_client() -> Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2))
        .build()
        .context("building the probe HTTP client")
}

/// Polls `ready` until it answers true, the child dies, or the startup timeout passes.
fn wait_ready(child: &mut ChildGuard, what: &str, mut ready: impl FnMut() -> bool) -> Result<()> {
    let start = Instant::now();
    loop {
        child.check_running()?;
        if ready() {
            return Ok(());
        }
        if start.elapsed() > STARTUP_TIMEOUT {
            bail!("{what} did not become ready within {STARTUP_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// chromedriver on a free loopback port.
pub struct Chromedriver {
    _child: ChildGuard,
    pub url: String,
}

impl Chromedriver {
    pub fn start(tools: &Tools) -> Result<Chromedriver> {
        let port = free_port()?;
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", tools.chromedriver.display()))?;
        let mut child = ChildGuard {
            name: "chromedriver",
            child,
        };
        let url = format!("http://127.0.0.1:{port}");
        let http = probe_client()?;
        let status = format!("{url}/status");
        wait_ready(&mut child, "chromedriver", || {
            http.get(&status)
                .send()
                .ok()
                .filter(|r| r.status().is_success())
                .and_then(|r| r.json::<serde_json::Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == serde_json::Value::Bool(true))
        })?;
        Ok(Chromedriver { _child: child, url })
    }
}

/// The real `cordon serve` on a fresh SQLite database in its own temporary directory.
pub struct Server {
    child: ChildGuard,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
    /// The password `serve` printed for the `admin` user it created.
    pub admin_password: String,
    /// The `sqlite://` URL of the server's database, for the CLI.
    pub database: String,
    stderr: Arc<Mutex<String>>,
    _dir: TempDir,
}

impl Server {
    pub fn start() -> Result<Server> {
        let dir = tempfile::tempdir().context("creating the database directory")?;
        let port = free_port()?;
        let bind = format!("127.0.0.1:{port}");
        let database = format!("sqlite://{}", dir.path().join("cordon.db").display());
        let mut cmd = cordon_command();
        cmd.args(["serve", "--bind", &bind, "--database", &database])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.env("CORDON_WORKERS", "2");
        let mut child = cmd.spawn().context("starting the cordon binary")?;
        let stdout = child.stdout.take().context("cordon stdout")?;
        let stderr_pipe = child.stderr.take().context("cordon stderr")?;
        let child = ChildGuard {
            name: "cordon serve",
            child,
        };

        // Keep the server's log (stderr) to show if the test fails.
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let stderr = Arc::clone(&stderr);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stderr_pipe);
                let mut buf = [0u8; 4096];
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if let Ok(mut s) = stderr.lock() {
                        s.push_str(&String::from_utf8_lossy(&buf[..n]));
                    }
                }
            });
        }

        let mut server = Server {
            child,
            base: String::new(),
            admin_password: String::new(),
            database: database.clone(),
            stderr,
            _dir: dir,
        };
        let (password, base) = read_banner(stdout)
            .with_context(|| format!("reading the startup banner\n{}", server.log()))?;
        ensure!(
            base == format!("http://{bind}"),
            "cordon says it serves on {base}, expected http://{bind}"
        );
        server.base = base;
        server.admin_password = password;

        let http = probe_client()?;
        let health = format!("{}/healthz", server.base);
        wait_ready(&mut server.child, "cordon /healthz", || {
            http.get(&health)
                .send()
                .ok()
                .filter(|r| r.status().is_success())
                .and_then(|r| r.text().ok())
                .is_some_and(|body| body.trim() == "ok")
        })
        .with_context(|| server.log())?;
        Ok(server)
    }

    /// Creates a user through the CLI (`cordon user add NAME --role ROLE --password-stdin`)
    /// on this server's database.
    pub fn add_user(&self, name: &str, role: &str, password: &str) -> Result<()> {
        let mut child = cordon_command()
            .args(["user", "add", name, "--role", role, "--password-stdin"])
            .env("DATABASE_URL", &self.database)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("starting `cordon user add`")?;
        {
            let mut stdin = child.stdin.take().context("`cordon user add` stdin")?;
            writeln!(stdin, "{password}").context("writing the password to `cordon user add`")?;
        }
        let out = child
            .wait_with_output()
            .context("waiting for `cordon user add`")?;
        ensure!(
            out.status.success(),
            "`cordon user add {name} --role {role}` failed with {}: {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }

    /// Runs the `cordon` command line with these arguments on this server's database
    /// (`DATABASE_URL`) and returns what it printed, whatever its exit status.
    pub fn cli(&self, args: &[&str]) -> Result<Output> {
        cordon_command()
            .args(args)
            .env("DATABASE_URL", &self.database)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running `cordon {}`", args.join(" ")))
    }

    /// Creates an API token for `user` through the CLI (`cordon token create USER --label
    /// LABEL`) and returns its secret (printed once, on stdout).
    pub fn create_token(&self, user: &str, label: &str) -> Result<String> {
        let out = self.cli(&["token", "create", user, "--label", label])?;
        ensure!(
            out.status.success(),
            "`cordon token create {user}` failed with {}: {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let secret = String::from_utf8(out.stdout)
            .context("the token printed by `cordon token create` is not UTF-8")?
            .trim()
            .to_string();
        ensure!(
            !secret.is_empty() && !secret.contains(char::is_whitespace),
            "`cordon token create` printed {secret:?}, expected one token"
        );
        Ok(secret)
    }

    /// What the server logged so far.
    pub fn log(&self) -> String {
        let log = self.stderr.lock().map(|s| s.clone()).unwrap_or_default();
        format!("--- cordon serve log ---\n{log}--- end of log ---")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("{}", self.log());
        }
    }
}

/// The `cordon` binary under test, without settings from the developer's environment (Secure
/// cookies, a proxy to trust, another database...) that would change what the browser sees.
fn cordon_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cordon"));
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CORDON_") || key == "DATABASE_URL" {
            cmd.env_remove(key.as_ref());
        }
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Reads `serve`'s stdout up to the "serving" line: returns the admin password and the base
/// URL. Keeps draining stdout afterwards on a thread so the server never blocks on it.
fn read_banner(stdout: ChildStdout) -> Result<(String, String)> {
    const PASSWORD: &str = "Created user 'admin' with password: ";
    const SERVING: &str = "Cordon is serving on ";
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            // After the banner nobody listens; keep reading so the pipe never fills.
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    let mut password = None;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match rx.recv_timeout(left) {
            Ok(line) => line,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                bail!("no '{SERVING}' line within {STARTUP_TIMEOUT:?}; stdout so far: {seen:?}")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                bail!("cordon closed stdout before '{SERVING}'; stdout so far: {seen:?}")
            }
        };
        if let Some(p) = line.strip_prefix(PASSWORD) {
            password = Some(p.trim().to_string());
        }
        if let Some(url) = line.strip_prefix(SERVING) {
            let password = password.with_context(|| {
                format!("cordon did not print the admin password; stdout: {seen:?}")
            })?;
            ensure!(!password.is_empty(), "the printed admin password is empty");
            return Ok((password, url.trim().trim_end_matches('/').to_string()));
        }
        seen.push(line);
    }
}

// ---------------------------------------------------------------------------------------------
// The browser.

/// A headless Chromium session with its own throw-away profile.
pub struct Browser {
    pub client: Client,
    base: String,
    shots: PathBuf,
    _profile: TempDir,
}

impl Browser {
    /// Opens a session. `base` is the Cordon server: [`Browser::open`] goes nowhere else.
    pub async fn connect(driver: &Chromedriver, tools: &Tools, base: &str) -> Result<Browser> {
        ensure!(
            base.starts_with("http://127.0.0.1:"),
            "refusing to drive a browser to {base}: only 127.0.0.1 is allowed"
        );
        let profile = tempfile::tempdir().context("creating the browser profile directory")?;
        let chrome_options = serde_json::json!({
            "binary": tools.chromium.display().to_string(),
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                format!("--window-size={WINDOW_WIDTH},{WINDOW_HEIGHT}"),
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), chrome_options);
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .with_context(|| format!("opening a Chromium session through {}", driver.url))?;
        Ok(Browser {
            client,
            base: base.to_string(),
            shots: screenshot_dir()?,
            _profile: profile,
        })
    }

    /// Ends the session, whatever `outcome` is. On failure, first saves a screenshot named
    /// `failed-<name>.png` and adds the page's URL to the error.
    pub async fn finish(self, name: &str, outcome: Result<()>) -> Result<()> {
        let outcome = match outcome {
            Ok(()) => Ok(()),
            Err(e) => {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map_or_else(|e| format!("(unknown: {e})"), |u| u.to_string());
                let shot = self.screenshot(&format!("failed-{name}")).await;
                let shot =
                    shot.map_or_else(|e| format!("(none: {e:#})"), |p| p.display().to_string());
                Err(e.context(format!("browser was at {url}; screenshot {shot}")))
            }
        };
        let closed = self.client.close().await;
        match (outcome, closed) {
            (Err(e), _) => Err(e),
            (Ok(()), Err(e)) => Err(e).context("closing the browser session"),
            (Ok(()), Ok(())) => Ok(()),
        }
    }

    /// Goes to a path on the Cordon server and waits for the page to load.
    pub async fn open(&self, path: &str) -> Result<()> {
        ensure!(path.starts_with('/'), "open() takes a path, got {path:?}");
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .with_context(|| format!("going to {url}"))?;
        self.wait_loaded().await
    }

    /// The path of the current page.
    pub async fn path(&self) -> Result<String> {
        let url = self.client.current_url().await.context("reading the URL")?;
        ensure!(
            url.as_str().starts_with(&self.base),
            "the browser left the Cordon server: it is at {url}"
        );
        Ok(url.path().to_string())
    }

    /// Waits for an element to be on the page and returns it.
    pub async fn find(&self, css: &str) -> Result<Element> {
        match self
            .client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => Ok(el),
            Err(e) => {
                let at = self.where_am_i().await;
                Err(e).with_context(|| format!("waiting for `{css}` on {at}"))
            }
        }
    }

    /// All elements matching a selector now (no waiting).
    pub async fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .with_context(|| format!("looking for `{css}`"))
    }

    /// The visible text of the first element matching `css`, trimmed.
    pub async fn text(&self, css: &str) -> Result<String> {
        let el = self.find(css).await?;
        let text = el
            .text()
            .await
            .with_context(|| format!("reading the text of `{css}`"))?;
        Ok(text.trim().to_string())
    }

    /// Types `value` into the (emptied) input matching `css`.
    pub async fn fill(&self, css: &str, value: &str) -> Result<()> {
        let el = self.find(css).await?;
        el.clear()
            .await
            .with_context(|| format!("clearing `{css}`"))?;
        el.send_keys(value)
            .await
            .with_context(|| format!("typing into `{css}`"))
    }

    /// Scrolls `el` to the middle of the window, as a person scrolls to what they are about to
    /// click: WebDriver scrolls only when an element is outside the window, so one inside it
    /// but under the edit form's sticky bar would take the bar's click.
    pub async fn reveal(&self, el: &Element) -> Result<()> {
        let arg = serde_json::to_value(el).context("passing the element")?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                vec![arg],
            )
            .await
            .context("scrolling to the element")?;
        Ok(())
    }

    /// Sets the value of the input matching `css` as a date picker would (typing into a
    /// `type=date` input depends on the browser's locale).
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        let el = self.find(css).await?;
        let arg = serde_json::to_value(&el).context("passing the element")?;
        self.client
            .execute(
                "arguments[0].value = arguments[1]; \
                 arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![arg, serde_json::Value::String(value.to_string())],
            )
            .await
            .with_context(|| format!("setting `{css}` to {value:?}"))?;
        Ok(())
    }

    /// Chooses the option with this value in the select matching `css`.
    pub async fn select(&self, css: &str, value: &str) -> Result<()> {
        self.find(css)
            .await?
            .select_by_value(value)
            .await
            .with_context(|| format!("choosing {value:?} in `{css}`"))
    }

    /// Clicks the element matching `css` and waits until the browser has replaced the page
    /// with the next one (the old document goes stale) and that one has loaded.
    pub async fn click_and_wait(&self, css: &str) -> Result<()> {
        let el = self.find(css).await?;
        self.click_element_and_wait(&el, css).await
    }

    /// [`Browser::click_and_wait`] for an element already in hand.
    pub async fn click_element_and_wait(&self, el: &Element, what: &str) -> Result<()> {
        let old = self
            .client
            .find(Locator::Css("html"))
            .await
            .context("finding the current document")?;
        self.reveal(el).await?;
        el.click()
            .await
            .with_context(|| format!("clicking `{what}`"))?;
        let start = Instant::now();
        loop {
            match old.tag_name().await {
                // Chromium answers "Node with given id does not belong to the document" when
                // asked about the old page while the new one is being swapped in.
                Err(e)
                    if e.is_stale_element_reference()
                        || e.is_no_such_element()
                        || e.to_string().contains("does not belong to the document") =>
                {
                    break
                }
                Err(e) => return Err(e).context("waiting for the next page"),
                Ok(_) => {}
            }
            if start.elapsed() > PAGE_TIMEOUT {
                bail!(
                    "clicking `{what}` did not load a new page within {PAGE_TIMEOUT:?} (still on {})",
                    self.where_am_i().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
        self.wait_loaded().await
    }

    /// Ticks (or unticks) the checkbox or radio button matching `css`, clicking it only when it
    /// is not already as wanted.
    pub async fn set_checked(&self, css: &str, checked: bool) -> Result<()> {
        let el = self.find(css).await?;
        let now = el
            .is_selected()
            .await
            .with_context(|| format!("reading whether `{css}` is checked"))?;
        if now != checked {
            self.reveal(&el).await?;
            el.click()
                .await
                .with_context(|| format!("clicking `{css}`"))?;
        }
        let after = el
            .is_selected()
            .await
            .with_context(|| format!("reading whether `{css}` is checked"))?;
        ensure!(
            after == checked,
            "`{css}` is still checked={after} after clicking"
        );
        Ok(())
    }

    /// Whether the checkbox or radio button matching `css` is checked.
    pub async fn is_checked(&self, css: &str) -> Result<bool> {
        self.find(css)
            .await?
            .is_selected()
            .await
            .with_context(|| format!("reading whether `{css}` is checked"))
    }

    /// The trimmed visible texts of every element matching `css` now.
    pub async fn texts(&self, css: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for el in self.find_all(css).await? {
            let text = el
                .text()
                .await
                .with_context(|| format!("reading the text of `{css}`"))?;
            out.push(text.trim().to_string());
        }
        Ok(out)
    }

    /// The text content of every element matching `css`, rendered or not (an SVG `<title>` is
    /// never rendered, so WebDriver's visible text of it is empty).
    pub async fn text_contents(&self, css: &str) -> Result<Vec<String>> {
        let found = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0])) \
                   .map(e => e.textContent.trim());",
                vec![serde_json::Value::String(css.to_string())],
            )
            .await
            .with_context(|| format!("reading the text content of `{css}`"))?;
        Ok(found
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|x| x.as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits for `document.readyState` to be `complete`.
    async fn wait_loaded(&self) -> Result<()> {
        let start = Instant::now();
        loop {
            let state = self
                .client
                .execute("return document.readyState", Vec::new())
                .await
                .context("reading document.readyState")?;
            if state == "complete" {
                return Ok(());
            }
            if start.elapsed() > PAGE_TIMEOUT {
                bail!(
                    "the page did not finish loading within {PAGE_TIMEOUT:?} (readyState {state})"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs axe-core (the npm package's `axe.min.js`, kept in `tests/browser/vendor`, so it works
    /// offline) on the page as it is now, against the WCAG 2.0, 2.1 and 2.2 A and AA rules; every
    /// violation as `rule (impact): the elements`, or none.
    pub async fn axe_violations(&self) -> Result<Vec<String>> {
        const AXE: &str = include_str!("vendor/axe.min.js");
        self.client
            .execute(AXE, Vec::new())
            .await
            .context("loading axe-core into the page")?;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 axe.run(document, {runOnly: {type: 'tag', values: \
                   ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}) \
                 .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + \
                   v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ')))) \
                 .catch(e => done(['axe could not run: ' + e]));",
                Vec::new(),
            )
            .await
            .context("running axe-core")?;
        Ok(found
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|x| x.as_str().unwrap_or("?").to_string())
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Fails when axe-core finds any violation on the page as it is now.
    pub async fn expect_accessible(&self, what: &str) -> Result<()> {
        let violations = self.axe_violations().await?;
        ensure!(
            violations.is_empty(),
            "axe-core finds {} violation(s) on {what}:\n{}",
            violations.len(),
            violations.join("\n")
        );
        Ok(())
    }

    /// Saves a PNG of the viewport as `<name>.png` in the screenshot directory.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self
            .client
            .screenshot()
            .await
            .with_context(|| format!("taking screenshot {name}"))?;
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("screenshot: {}", path.display());
        Ok(path)
    }

    /// Saves a PNG of the whole page: scrolls to the top, makes the window as tall as the
    /// document (capped), takes the shot, and puts the window back to its usual size.
    pub async fn screenshot_full_page(&self, name: &str) -> Result<PathBuf> {
        let fitted = self.fit_window_to_page().await;
        let shot = match fitted {
            Ok(()) => self.screenshot(name).await,
            Err(e) => Err(e),
        };
        let restored = self
            .client
            .set_window_size(WINDOW_WIDTH, WINDOW_HEIGHT)
            .await
            .context("restoring the window size");
        let path = shot?;
        restored?;
        Ok(path)
    }

    /// Gives the window its usual size again (after a full-page screenshot made it tall).
    pub async fn reset_window(&self) -> Result<()> {
        self.client
            .set_window_size(WINDOW_WIDTH, WINDOW_HEIGHT)
            .await
            .context("resizing the window")
    }

    /// Makes the viewport as tall as the document (up to a cap) and scrolls to the top.
    async fn fit_window_to_page(&self) -> Result<()> {
        const MAX_HEIGHT: u64 = 8000;
        // The document can grow a little as the viewport does (e.g. a footer pushed down to
        // the bottom), so measure again after resizing.
        for _ in 0..3 {
            let sizes = self
                .client
                .execute(
                    "window.scrollTo(0, 0); \
                     return [document.documentElement.scrollHeight, \
                             window.innerHeight, window.outerHeight];",
                    Vec::new(),
                )
                .await
                .context("measuring the page")?;
            let n = |i: usize| sizes.get(i).and_then(serde_json::Value::as_u64);
            let (Some(page), Some(inner), Some(outer)) = (n(0), n(1), n(2)) else {
                bail!("unexpected page measurements {sizes}");
            };
            if inner >= page || inner >= MAX_HEIGHT {
                return Ok(());
            }
            let chrome = outer.saturating_sub(inner);
            let tall =
                u32::try_from((page + chrome).min(MAX_HEIGHT + chrome)).context("window height")?;
            self.client
                .set_window_size(WINDOW_WIDTH, tall)
                .await
                .context("making the window as tall as the page")?;
        }
        Ok(())
    }

    /// The browser's cookies for the Cordon server (its session included), as the value of a
    /// `Cookie` request header.
    pub async fn cookie_header(&self) -> Result<String> {
        let cookies = self
            .client
            .get_all_cookies()
            .await
            .context("reading the browser's cookies")?;
        Ok(cookies
            .iter()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect::<Vec<_>>()
            .join("; "))
    }

    /// GETs a path on the Cordon server outside the browser but with its cookies, so as the
    /// user signed in there: for downloads, which a headless browser saves without showing.
    pub async fn download(&self, path: &str) -> Result<Fetched> {
        ensure!(
            path.starts_with('/'),
            "download() takes a path, got {path:?}"
        );
        let url = format!("{}{path}", self.base);
        let cookies = self.cookie_header().await?;
        http(move |c| c.get(url).header(reqwest::header::COOKIE, cookies)).await
    }

    /// The current URL, for error messages.
    async fn where_am_i(&self) -> String {
        self.client
            .current_url()
            .await
            .map_or_else(|_| "an unknown page".into(), |u| u.to_string())
    }
}

/// `$CARGO_TARGET_DIR/screenshots`, else `target/screenshots` in the package; created.
pub fn screenshot_dir() -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        );
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

// ---------------------------------------------------------------------------------------------
// Plain HTTP beside the browser.

/// How long a plain HTTP request may take (a PDF is made on the spot).
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);

/// An HTTP answer, read in full.
pub struct Fetched {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Fetched {
    /// A header's value ("" when it is absent or not text).
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    /// The start of the body as text, for error messages.
    pub fn body_start(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(300)
            .collect()
    }
}

/// Sends the request that `build` makes with a blocking reqwest client (no proxy, redirects
/// not followed) on a blocking thread, and reads the answer in full. Refuses any URL that is
/// not on 127.0.0.1.
pub async fn http<F>(build: F) -> Result<Fetched>
where
    F: FnOnce(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .build()
            .context("building an HTTP client")?;
        let request = build(&client).build().context("building the request")?;
        ensure!(
            request.url().host_str() == Some("127.0.0.1"),
            "refusing to send a request to {}: only 127.0.0.1 is allowed",
            request.url()
        );
        let what = format!("{} {}", request.method(), request.url());
        let res = client
            .execute(request)
            .with_context(|| format!("sending {what}"))?;
        let status = res.status();
        let headers = res.headers().clone();
        let body = res
            .bytes()
            .with_context(|| format!("reading the answer to {what}"))?
            .to_vec();
        Ok(Fetched {
            status,
            headers,
            body,
        })
    })
    .await
    .context("the HTTP request's thread")?
}
