//! `cordon verify FILE.json`: checks an exported case offline. Exit 0 and "intact: N events,
//! head HASH" when it is; exit 1 naming the first event that does not match when anything was
//! changed, removed, reordered or added; exit 2 when the file cannot be read at all.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::domain::export::{self, Invalid};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// A case exported as JSON (`/cases/{id}/export.json` or `cordon export case`); `-` reads
    /// standard input.
    file: PathBuf,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let text = if args.file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(&args.file)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args.file.display());
            return Ok(ExitCode::from(2));
        }
    };
    match export::verify(&text) {
        Ok(ok) => {
            println!(
                "intact: {} events, head {} ({})",
                ok.events, ok.head, ok.reference
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ Invalid::NotAnExport(_)) => {
            eprintln!("{}: {e}", args.file.display());
            Ok(ExitCode::from(2))
        }
        Err(e) => {
            println!("NOT intact: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
