//! `cordon verify [--key KEYS] FILE.json`: checks an exported case offline. Exit 0 and
//! "intact: N events, head HASH" when it is (and, with `--key`, "signed by the office key
//! (fingerprint …)"); exit 1 naming the first event that does not match when anything was
//! changed, removed, reordered or added, or saying why the signature fails; exit 2 when the
//! file (or the key file) cannot be read at all.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::domain::export::{self, Invalid};
use crate::domain::signing::{self, Trusted};

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// A case exported as JSON (`/cases/{id}/export.json` or `cordon export case`); `-` reads
    /// standard input.
    file: PathBuf,
    /// The office's public keys: a PEM public key, or the key list of
    /// `/.well-known/cordon-export-key` (or `cordon key show --json`). With it, the file's
    /// signature must verify too.
    #[arg(long)]
    key: Option<PathBuf>,
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
    let trusted = match &args.key {
        None => None,
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| Trusted::read_all(&t))
        {
            Ok(keys) => Some(keys),
            Err(e) => {
                eprintln!("cannot read the keys in {}: {e}", path.display());
                return Ok(ExitCode::from(2));
            }
        },
    };
    match export::verify(&text) {
        Ok(ok) => {
            println!(
                "intact: {} events, head {} ({})",
                ok.events, ok.head, ok.reference
            );
            match (&trusted, &ok.signature) {
                (None, None) => println!("unsigned"),
                (None, Some(s)) => println!(
                    "signed by key {} (not checked: give the office's keys with --key)",
                    signing::short_fingerprint(&s.key_fingerprint)
                ),
                (Some(keys), _) => match ok.check_signature(keys) {
                    Ok(fp) => println!(
                        "signed by the office key (fingerprint {})",
                        signing::short_fingerprint(&fp)
                    ),
                    Err(e) => {
                        println!("NOT signed by the office: {e}");
                        return Ok(ExitCode::from(1));
                    }
                },
            }
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
