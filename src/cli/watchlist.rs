//! `cordon watchlist import FILE.csv --list NAME`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::sites::{progress_bar, read_limited, refused};
use super::DbArgs;
use crate::service;

/// `cordon watchlist …`.
#[derive(Args, Debug)]
pub struct WatchlistArgs {
    #[command(subcommand)]
    command: WatchlistCommand,
}

#[derive(Subcommand, Debug)]
enum WatchlistCommand {
    /// Replace a restricted-party list with the entries of a CSV file; a file with any
    /// problem imports nothing.
    ///
    /// Header row: name,aliases,country,program,source (aliases separated by ';', country an
    /// ISO 3166-1 alpha-2 code or empty).
    Import {
        /// The CSV file (at most 20 MB); `-` reads standard input.
        file: PathBuf,
        /// The list's name, e.g. "OFAC SDN".
        #[arg(long)]
        list: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Runs a `cordon watchlist` command; exit code 1 when an import is refused.
pub fn run(args: WatchlistArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        WatchlistCommand::Import { file, list, db } => {
            let bytes = read_limited(&file)?;
            let db = db.open()?;
            let mut conn = db.conn()?;
            let bar = progress_bar("importing entries");
            let progress = |done: usize, total: usize| {
                bar.set_length(u64::try_from(total).unwrap_or(0));
                bar.set_position(u64::try_from(done).unwrap_or(0));
            };
            let result =
                service::watchlists::import_list(&mut conn, None, &list, &bytes, &progress);
            bar.finish_and_clear();
            match result {
                Ok(r) => {
                    println!(
                        "imported {} entries into {} (replacing {})",
                        r.added, r.list, r.removed
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(&file, e),
            }
        }
    }
}
