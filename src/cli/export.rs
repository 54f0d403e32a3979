//! `cordon export case ID [--format json|csv]` and `cordon export cases [--format csv|jsonl]
//! [--state S]`: the same exports as the pages, to standard output, recorded like them.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use super::DbArgs;
use crate::db::queue::Filter;
use crate::domain::workflow::State;
use crate::service::clock::Now;
use crate::service::export::bulk::{self, Format};
use crate::service::export::{self, sheet, Exporter, Kind};

/// The actor recorded for exports from the command line.
const ACTOR: &str = "cordon";
const VIA: &str = "command line";

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand, Debug)]
enum What {
    /// One case (by id or reference) as JSON (verifiable) or its timeline as CSV.
    Case {
        #[command(flatten)]
        db: DbArgs,
        /// The case id or its reference (CFN-2026-00042).
        id: String,
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
    },
    /// Every case (or those in one state) as CSV or JSON Lines.
    Cases {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value = "csv", value_parser = ["csv", "jsonl"])]
        format: String,
        /// Only cases in this state (e.g. review).
        #[arg(long)]
        state: Option<String>,
    },
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    match args.what {
        What::Case { db, id, format } => case(&db, &id, &format),
        What::Cases { db, format, state } => cases(&db, &format, state),
    }
}

fn case(args: &DbArgs, id: &str, format: &str) -> anyhow::Result<ExitCode> {
    let db = args.open()?;
    let mut conn = db.conn()?;
    let found = match id.trim().parse::<i64>() {
        Ok(n) => crate::db::cases::find(&mut conn, n)?,
        Err(_) => crate::db::cases::find_by_reference(&mut conn, &id.trim().to_uppercase())?,
    };
    let Some(row) = found else {
        eprintln!("no case {id}");
        return Ok(ExitCode::from(2));
    };
    let kind = if format == "csv" {
        Kind::Csv
    } else {
        Kind::Json
    };
    let by = Exporter {
        actor: ACTOR,
        via: VIA,
        record: true,
    };
    let doc = export::export_case(&mut conn, row.id, &by, kind, &Now::real())?;
    let body = match kind {
        Kind::Csv => sheet::timeline(&doc.events)?,
        _ => {
            let key = crate::service::keys::open(&mut conn, &super::key_path(args)?)
                .map_err(anyhow::Error::msg)?;
            let doc = key.seal(doc);
            let mut b = serde_json::to_vec_pretty(&doc)?;
            b.push(b'\n');
            b
        }
    };
    std::io::stdout()
        .lock()
        .write_all(&body)
        .context("writing the export")?;
    Ok(ExitCode::SUCCESS)
}

fn cases(db: &DbArgs, format: &str, state: Option<String>) -> anyhow::Result<ExitCode> {
    if let Some(s) = &state {
        if s.parse::<State>().is_err() {
            eprintln!("unknown state {s:?}");
            return Ok(ExitCode::from(2));
        }
    }
    let format = Format::parse(format).unwrap_or(Format::Csv);
    let filter = Filter {
        state,
        limit: bulk::BATCH,
        ..Filter::default()
    };
    let db = db.open()?;
    let mut conn = db.conn()?;
    bulk::record(&mut conn, ACTOR, VIA, format, &filter, &Now::real())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let n = bulk::write_all(&mut conn, &filter, format, &mut out)?;
    out.flush().context("writing the export")?;
    eprintln!("exported {n} cases");
    Ok(ExitCode::SUCCESS)
}
