//! Settings: built-in defaults, overridden by environment variables, overridden by flags
//! (clap reads both). Validated once at start.

use clap::Args;

/// Everything `cordon serve` can be told. Each option names its environment variable.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "CORDON_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// `sqlite://PATH` (default) or `postgres://USER@HOST/DB`.
    #[arg(
        long = "database",
        env = "DATABASE_URL",
        default_value = "sqlite://cordon.db"
    )]
    pub database_url: String,

    /// Mark cookies Secure and give the session cookie the `__Host-` prefix (serve over TLS).
    #[arg(long, env = "CORDON_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// A session ends after this many minutes without a request.
    #[arg(long, env = "CORDON_SESSION_IDLE_MINUTES", default_value_t = 480)]
    pub session_idle_minutes: i64,

    /// A session ends this many hours after sign-in, however active.
    #[arg(long, env = "CORDON_SESSION_ABSOLUTE_HOURS", default_value_t = 24)]
    pub session_absolute_hours: i64,

    /// Failed sign-ins allowed per account within the throttle window.
    #[arg(long, env = "CORDON_LOGIN_MAX_PER_ACCOUNT", default_value_t = 5)]
    pub login_max_per_account: i64,

    /// Failed sign-ins allowed per client address within the throttle window.
    #[arg(long, env = "CORDON_LOGIN_MAX_PER_ADDRESS", default_value_t = 20)]
    pub login_max_per_address: i64,

    /// The throttle window, in minutes.
    #[arg(long, env = "CORDON_LOGIN_WINDOW_MINUTES", default_value_t = 15)]
    pub login_window_minutes: i64,

    /// Largest request body accepted for forms and JSON, in bytes.
    #[arg(long, env = "CORDON_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,

    /// Largest attachment accepted, in bytes (each file; one upload takes up to 10 files).
    #[arg(long, env = "CORDON_ATTACHMENT_MAX_BYTES", default_value_t = 25 * 1024 * 1024)]
    pub attachment_max_bytes: usize,

    /// An upload (attachments, bulk intake) that sends nothing for this many seconds is refused
    /// and its connection freed.
    #[arg(long, env = "CORDON_UPLOAD_IDLE_SECS", default_value_t = 30)]
    pub upload_idle_secs: u64,

    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    #[arg(long, env = "CORDON_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Database connections per node.
    #[arg(long, env = "CORDON_DB_POOL", default_value_t = 8)]
    pub db_pool: u32,

    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "CORDON_WORKERS")]
    pub workers: Option<usize>,

    /// Bar the person who logged a case from recording its final decision.
    #[arg(long, env = "CORDON_FOUR_EYES", default_value_t = true, action = clap::ArgAction::Set)]
    pub four_eyes: bool,

    /// Calendar-day periods count the start date as day 1 (`start`) or the day after (`after`).
    #[arg(long, env = "CORDON_DAY_ONE", default_value = "start", value_parser = ["start", "after"])]
    pub day_one: String,

    /// Triage SLA for a new lead, in business days.
    #[arg(long, env = "CORDON_TRIAGE_DAYS", default_value_t = 5)]
    pub triage_days: u32,

    /// Screening SLA, in business days.
    #[arg(long, env = "CORDON_SCREENING_DAYS", default_value_t = 10)]
    pub screening_days: u32,

    /// Time given to answer a filing request, in business days.
    #[arg(long, env = "CORDON_FILING_RESPONSE_DAYS", default_value_t = 10)]
    pub filing_response_days: u32,

    /// Public tips accepted per client address per hour.
    #[arg(long, env = "CORDON_TIPS_PER_HOUR", default_value_t = 5)]
    pub tips_per_hour: i64,

    /// The office's private export-signing key (Ed25519, PKCS#8 PEM), kept outside the
    /// database; created at first start; refused when others may read it. Default: beside a
    /// SQLite database file (`cordon.db.export-key`), else `cordon-export.key`.
    #[arg(long, env = "CORDON_KEY_FILE")]
    pub key_file: Option<std::path::PathBuf>,
}

impl Settings {
    /// Defaults with the given database, as tests and tools start from.
    pub fn with_database(database_url: &str) -> Self {
        Settings {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            secure_cookies: false,
            session_idle_minutes: 480,
            session_absolute_hours: 24,
            login_max_per_account: 5,
            login_max_per_address: 20,
            login_window_minutes: 15,
            max_body_bytes: 256 * 1024,
            attachment_max_bytes: 25 * 1024 * 1024,
            upload_idle_secs: 30,
            trust_proxy: false,
            db_pool: 4,
            workers: Some(2),
            four_eyes: true,
            day_one: "start".into(),
            triage_days: 5,
            screening_days: 10,
            filing_response_days: 10,
            tips_per_hour: 5,
            key_file: None,
        }
    }

    /// Where the office's private export key is: the setting, else beside a SQLite database
    /// file, else `cordon-export.key` in the working directory.
    pub fn key_path(&self) -> std::path::PathBuf {
        if let Some(p) = &self.key_file {
            return p.clone();
        }
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) if !path.is_empty() && path != ":memory:" => {
                std::path::PathBuf::from(format!("{path}.export-key"))
            }
            _ => std::path::PathBuf::from("cordon-export.key"),
        }
    }

    /// The workflow rules these settings choose.
    pub fn workflow(&self) -> crate::domain::workflow::WorkflowSettings {
        use crate::domain::clock::DayOne;
        crate::domain::workflow::WorkflowSettings {
            triage_bd: self.triage_days,
            screening_bd: self.screening_days,
            filing_response_bd: self.filing_response_days,
            day_one: if self.day_one == "after" {
                DayOne::DayAfter
            } else {
                DayOne::StartDate
            },
            four_eyes: self.four_eyes,
        }
    }

    /// Refuses settings that cannot work, with a message naming the option.
    pub fn validate(&self) -> Result<(), String> {
        if self.session_idle_minutes < 1 {
            return Err("CORDON_SESSION_IDLE_MINUTES must be at least 1".into());
        }
        if self.session_absolute_hours < 1 {
            return Err("CORDON_SESSION_ABSOLUTE_HOURS must be at least 1".into());
        }
        if self.login_max_per_account < 1 || self.login_max_per_address < 1 {
            return Err("login throttle limits must be at least 1".into());
        }
        if self.login_window_minutes < 1 {
            return Err("CORDON_LOGIN_WINDOW_MINUTES must be at least 1".into());
        }
        if self.max_body_bytes < 1024 {
            return Err("CORDON_MAX_BODY_BYTES must be at least 1024".into());
        }
        if self.attachment_max_bytes < 1024 || self.attachment_max_bytes > 1024 * 1024 * 1024 {
            return Err("CORDON_ATTACHMENT_MAX_BYTES must be between 1 KiB and 1 GiB".into());
        }
        if self.triage_days > 365 || self.screening_days > 365 || self.filing_response_days > 365 {
            return Err("SLA periods are at most 365 business days".into());
        }
        if !(1..=3600).contains(&self.upload_idle_secs) {
            return Err("CORDON_UPLOAD_IDLE_SECS must be between 1 and 3600".into());
        }
        if self.tips_per_hour < 1 {
            return Err("CORDON_TIPS_PER_HOUR must be at least 1".into());
        }
        if self.db_pool < 1 {
            return Err("CORDON_DB_POOL must be at least 1".into());
        }
        Ok(())
    }

    /// The session cookie's name (`__Host-` prefixed when Secure).
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-cordon_session"
        } else {
            "cordon_session"
        }
    }
}
