//! The command line (PRODUCT.md section 3). Each command parses its arguments and calls the
//! same service functions the web pages use.

mod bench_data;
mod cases;
mod export;
mod key;
mod screen;
mod serve;
mod sites;
mod token;
mod user;
mod verify;
mod watchlist;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::config::Settings;

#[derive(Parser, Debug)]
#[command(
    name = "cordon",
    version,
    about = "Screens foreign acquisitions near sensitive sites"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the database is, for commands other than `serve`. Global: it may come anywhere after
/// the command's first word (`cordon user list --database URL`, `cordon user --database URL
/// list`).
#[derive(Args, Clone, Debug)]
pub struct DbArgs {
    /// `sqlite://PATH` (default) or `postgres://USER@HOST/DB`.
    #[arg(
        long = "database",
        env = "DATABASE_URL",
        default_value = "sqlite://cordon.db",
        global = true
    )]
    pub database_url: String,
}

/// Prints rows under a header, each column as wide as its widest cell (counted in
/// characters), two spaces apart; the last column is not padded.
pub fn print_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) {
    for line in table_lines(header, rows) {
        println!("{line}");
    }
}

fn table_lines<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> Vec<String> {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; N]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.extend(std::iter::repeat_n(' ', w - cell.chars().count() + 2));
            }
        }
        out.trim_end().to_string()
    };
    std::iter::once(line(header))
        .chain(
            rows.iter()
                .map(|r| line(std::array::from_fn(|i| r[i].as_str()))),
        )
        .collect()
}

/// The office's settings as `cordon serve` would read them from the environment (`CORDON_*`),
/// for commands that apply them (the clocks of imported reports).
pub fn settings_from_env() -> anyhow::Result<Settings> {
    use clap::FromArgMatches;
    let matches =
        Settings::augment_args(clap::Command::new("cordon")).try_get_matches_from(["cordon"])?;
    let settings = Settings::from_arg_matches(&matches)?;
    settings.validate().map_err(anyhow::Error::msg)?;
    Ok(settings)
}

/// Where the office's export key is for a command on this database: `CORDON_KEY_FILE`, else
/// as `cordon serve` would find it (see `Settings::key_path`).
pub fn key_path(db: &DbArgs) -> anyhow::Result<std::path::PathBuf> {
    let mut settings = settings_from_env()?;
    settings.database_url = db.database_url.clone();
    Ok(settings.key_path())
}

impl DbArgs {
    /// Opens and migrates the database.
    pub fn open(&self) -> anyhow::Result<crate::db::Db> {
        let mut settings = Settings::with_database(&self.database_url);
        settings.db_pool = 2;
        crate::startup::open_database(&settings)
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database, then serve.
    Serve(serve::ServeArgs),
    /// Run pending migrations and exit.
    Migrate(DbArgs),
    /// Manage users.
    User(user::UserArgs),
    /// Manage API tokens.
    Token(token::TokenArgs),
    /// Import reports in bulk (JSON Lines or CSV).
    Cases(cases::CasesArgs),
    /// The office's export-signing key: create, rotate, show.
    Key(key::KeyArgs),
    /// Screen a point (and a buyer) and print the result as JSON; nothing is stored.
    Screen(screen::ScreenArgs),
    /// Import or export sensitive sites (CSV).
    Sites(sites::SitesArgs),
    /// Import restricted-party lists (CSV).
    Watchlist(watchlist::WatchlistArgs),
    /// Export one case or every case to standard output.
    Export(export::ExportArgs),
    /// Check an exported case's history offline.
    Verify(verify::VerifyArgs),
    /// Fill a database with realistic synthetic data for benchmarks.
    BenchData(bench_data::BenchDataArgs),
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Migrate(db) => {
            db.open()?;
            println!("database is up to date");
            Ok(ExitCode::SUCCESS)
        }
        Command::User(args) => user::run(args),
        Command::Token(args) => token::run(args),
        Command::Cases(args) => cases::run(args),
        Command::Key(args) => key::run(args),
        Command::Screen(args) => screen::run(args),
        Command::Sites(args) => sites::run(args),
        Command::Watchlist(args) => watchlist::run(args),
        Command::BenchData(args) => bench_data::run(args),
        Command::Export(args) => export::run(args),
        Command::Verify(args) => verify::run(args),
    }
}

/// Reads a password from standard input (first line, without its line ending).
pub fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

#[cfg(test)]
mod tests {
    use super::table_lines;

    #[test]
    fn table_columns_line_up_whatever_the_cell_widths() {
        let rows = [
            ["1".to_string(), "admin".to_string(), "active".to_string()],
            [
                "12345".to_string(),
                "zoë-with-a-very-long-name".to_string(),
                "disabled".to_string(),
            ],
        ];
        let lines = table_lines(["id", "name", "status"], &rows);
        assert_eq!(
            lines,
            [
                "id     name                       status",
                "1      admin                      active",
                "12345  zoë-with-a-very-long-name  disabled",
            ]
        );
    }
}
