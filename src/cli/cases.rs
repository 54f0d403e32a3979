//! `cordon cases import FILE`: bulk intake from the command line, with a progress bar.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use super::user::explain;
use super::DbArgs;
use crate::domain::Role;
use crate::service::auth::Principal;
use crate::service::clock::Now;
use crate::service::import::{self, Format, ImportError, Stage, Upload};
use crate::service::screening::Screener;

#[derive(Args, Debug)]
pub struct CasesArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: CasesCommand,
}

#[derive(Subcommand, Debug)]
enum CasesCommand {
    /// Import reports from a JSON Lines or CSV file: every report checked and screened, all
    /// stored or none.
    Import {
        /// The file (`.jsonl`, `.ndjson` or `.csv`).
        file: PathBuf,
        /// The reviewer who logs the reports (an active user with the reviewer role or above).
        #[arg(long = "by")]
        by: String,
        /// `jsonl` or `csv` (default: from the file name).
        #[arg(long)]
        format: Option<String>,
        /// Import the file even if the same file (by SHA-256) was imported before.
        #[arg(long)]
        confirm_duplicate: bool,
    },
}

pub fn run(args: CasesArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        CasesCommand::Import {
            file,
            by,
            format,
            confirm_duplicate,
        } => import_file(&args.db, &file, &by, format.as_deref(), confirm_duplicate),
    }
}

fn import_file(
    db: &DbArgs,
    file: &std::path::Path,
    by: &str,
    format: Option<&str>,
    confirm_duplicate: bool,
) -> anyhow::Result<ExitCode> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    let format = match format {
        Some(f) => Format::parse(f)
            .ok_or_else(|| anyhow::anyhow!("--format must be jsonl or csv, not {f:?}"))?,
        None => Format::from_name(&name).ok_or_else(|| {
            anyhow::anyhow!(
                "cannot tell the format of {name:?}: name it .jsonl or .csv, or give --format"
            )
        })?,
    };
    let size = std::fs::metadata(file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?
        .len();
    if usize::try_from(size).map_or(true, |n| n > import::MAX_BYTES) {
        anyhow::bail!(
            "{}: {size} bytes; at most {} MB go in one import",
            file.display(),
            import::MAX_BYTES / (1024 * 1024)
        );
    }
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let db = db.open()?;
    let mut conn = db.conn()?;
    let user = crate::db::users::find_by_name(&mut conn, by)?
        .filter(|u| !u.disabled)
        .ok_or_else(|| anyhow::anyhow!("no active user {by:?}"))?;
    let role: Role = user.role.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let principal = Principal {
        user_id: user.id,
        username: user.username,
        role,
        csrf_token: String::new(),
    };
    let started = Instant::now();
    let bar = ProgressBar::new(0);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({elapsed}, {per_sec})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let mut progress = |stage: Stage, done: usize, total: usize| {
        bar.set_message(stage.label());
        bar.set_length(u64::try_from(total).unwrap_or(0));
        bar.set_position(u64::try_from(done).unwrap_or(0));
    };
    let upload = Upload {
        name: &name,
        bytes: &bytes,
        format,
        confirm_duplicate,
    };
    let result = import::import(
        &mut conn,
        &principal,
        upload,
        &super::settings_from_env()?.workflow(),
        &Screener::default(),
        &Now::real(),
        &mut progress,
    );
    bar.finish_and_clear();
    match result {
        Ok(done) => {
            let seconds = started.elapsed().as_secs_f64();
            let n = done.cases.len();
            let span = match (done.cases.first(), done.cases.last()) {
                (Some(a), Some(b)) => format!(" ({} … {})", a.reference, b.reference),
                _ => String::new(),
            };
            println!(
                "imported {n} report(s){span} from {name}, sha256 {}",
                done.sha256
            );
            println!(
                "in {seconds:.1} s ({:.0} reports/s)",
                n as f64 / seconds.max(0.001)
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Refused { problems, total }) => {
            eprintln!("{name}: nothing was imported; {total} problem(s):");
            for p in &problems {
                eprintln!("  line {}: {}: {}", p.line, p.field, p.message);
            }
            if total > problems.len() {
                eprintln!("  … and {} more", total - problems.len());
            }
            Ok(ExitCode::from(1))
        }
        Err(ImportError::Duplicate(before)) => {
            eprintln!("{name}: {}", import::duplicate_message(&before));
            eprintln!("(import it again with --confirm-duplicate)");
            Ok(ExitCode::from(3))
        }
        Err(ImportError::Service(e)) => Err(explain(e)),
    }
}
