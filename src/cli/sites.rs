//! `cordon sites import FILE.csv` and `cordon sites export`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use super::DbArgs;
use crate::domain::sites::{LineError, MAX_FILE_BYTES};
use crate::service::{self, sites::ImportError};

/// `cordon sites …`.
#[derive(Args, Debug)]
pub struct SitesArgs {
    #[command(subcommand)]
    command: SitesCommand,
}

#[derive(Subcommand, Debug)]
enum SitesCommand {
    /// Import sites from a CSV file; a file with any problem imports nothing.
    ///
    /// Header row: name,kind,part,lat,lon,boundary_radius_mi,criticality,state,listed_from,listed_until,counties,notes
    ///
    /// Sites are matched by name: existing ones are updated (keeping their boundary polygon
    /// and retired flag), new ones added.
    Import {
        /// The CSV file (at most 20 MB); `-` reads standard input.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write every site as CSV (same columns, header first) to standard output.
    Export {
        /// Include retired sites.
        #[arg(long)]
        include_retired: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Reads an import file, refusing one over the size limit before reading it.
pub(super) fn read_limited(path: &Path) -> anyhow::Result<Vec<u8>> {
    let limit = u64::try_from(MAX_FILE_BYTES).unwrap_or(u64::MAX);
    let too_big = |len: u64| {
        anyhow::anyhow!(
            "{} is {:.1} MB; the limit is {} MB. Nothing was imported.",
            path.display(),
            len as f64 / (1024.0 * 1024.0),
            MAX_FILE_BYTES / (1024 * 1024)
        )
    };
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let len = file
            .metadata()
            .with_context(|| format!("cannot read {}", path.display()))?
            .len();
        if len > limit {
            return Err(too_big(len));
        }
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_big(u64::try_from(bytes.len()).unwrap_or(u64::MAX)));
    }
    Ok(bytes)
}

/// A progress bar on standard error (drawn only when it is a terminal).
pub(super) fn progress_bar(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({elapsed})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// Prints every problem of a refused file and says nothing was imported.
pub(super) fn refused(file: &Path, err: ImportError) -> anyhow::Result<ExitCode> {
    match err {
        ImportError::Lines(lines) => {
            let problems = lines.iter().filter(|e| !e.message.starts_with('…')).count();
            for LineError { line, message } in &lines {
                if *line == 0 {
                    eprintln!("{}: {message}", file.display());
                } else {
                    eprintln!("{}: line {line}: {message}", file.display());
                }
            }
            eprintln!(
                "error: {} problem(s) in {}; nothing was imported",
                problems,
                file.display()
            );
            Ok(ExitCode::FAILURE)
        }
        ImportError::Service(e) => Err(super::user::explain(e)),
    }
}

/// Runs a `cordon sites` command; exit code 1 when an import is refused.
pub fn run(args: SitesArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        SitesCommand::Import { file, db } => {
            let bytes = read_limited(&file)?;
            let db = db.open()?;
            let mut conn = db.conn()?;
            let bar = progress_bar("importing sites");
            let progress = |done: usize, total: usize| {
                bar.set_length(u64::try_from(total).unwrap_or(0));
                bar.set_position(u64::try_from(done).unwrap_or(0));
            };
            let result = service::sites::import_sites(&mut conn, None, &bytes, &progress);
            bar.finish_and_clear();
            match result {
                Ok(r) => {
                    println!(
                        "imported {} sites ({} added, {} updated)",
                        r.added + r.updated,
                        r.added,
                        r.updated
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(&file, e),
            }
        }
        SitesCommand::Export {
            include_retired,
            db,
        } => {
            let db = db.open()?;
            let mut conn = db.conn()?;
            let csv = service::sites::export_sites(&mut conn, include_retired)
                .map_err(super::user::explain)?;
            let mut out = std::io::stdout().lock();
            out.write_all(csv.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write to standard output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
