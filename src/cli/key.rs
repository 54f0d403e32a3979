//! `cordon key create|show`: the office's export-signing key. The private key stays in its
//! file (`--key-file`, `CORDON_KEY_FILE`, or beside a SQLite database); the database keeps
//! every public key with the time it was in use, so exports signed before a rotation still
//! verify.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::user::explain;
use super::DbArgs;
use crate::domain::signing;
use crate::service::keys;

#[derive(Args, Debug)]
pub struct KeyArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The private key file (default: `CORDON_KEY_FILE`, else as `cordon serve` finds it).
    #[arg(long, global = true)]
    key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: KeyCommand,
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
    /// Create the office key; with --rotate, replace the one in use (its public key stays
    /// published with the time it was in use).
    Create {
        #[arg(long)]
        rotate: bool,
    },
    /// Print the public key in use and its fingerprint, and the keys used before.
    Show {
        /// Print the key list as JSON, as `/.well-known/cordon-export-key` serves it (what
        /// `cordon verify --key` reads).
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: KeyArgs) -> anyhow::Result<ExitCode> {
    let path = match &args.key_file {
        Some(p) => p.clone(),
        None => super::key_path(&args.db)?,
    };
    let db = args.db.open()?;
    let mut conn = db.conn()?;
    let conn = &mut *conn;
    match args.command {
        KeyCommand::Create { rotate } => {
            let key = keys::create(&path, rotate).map_err(anyhow::Error::msg)?;
            keys::register(conn, &key, chrono::Utc::now().naive_utc()).map_err(explain)?;
            println!("created {}", path.display());
            println!(
                "fingerprint {}",
                signing::short_fingerprint(key.fingerprint())
            );
            print!("{}", key.public_pem());
            Ok(ExitCode::SUCCESS)
        }
        KeyCommand::Show { json } => {
            keys::open(conn, &path).map_err(anyhow::Error::msg)?;
            let list = keys::published(conn).map_err(explain)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
                return Ok(ExitCode::SUCCESS);
            }
            for k in list.keys.iter().rev() {
                let when = match &k.valid_until {
                    None => format!("in use since {}", k.valid_from),
                    Some(until) => format!("used {} to {}", k.valid_from, until),
                };
                println!("{} {when}", signing::short_fingerprint(&k.fingerprint));
                if k.valid_until.is_none() {
                    print!("{}", k.public_key_pem);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
