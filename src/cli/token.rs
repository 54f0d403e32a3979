//! `cordon token create|revoke|list`.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::user::explain;
use super::DbArgs;
use crate::service;

#[derive(Args, Debug)]
pub struct TokenArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Create an API token for a user; the token is printed once.
    Create {
        /// The user the token acts as.
        name: String,
        #[arg(long, default_value = "")]
        label: String,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
    /// List tokens (never their secrets).
    List,
}

pub fn run(args: TokenArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.open()?;
    let mut conn = db.conn()?;
    let conn = &mut *conn;
    match args.command {
        TokenCommand::Create { name, label } => {
            let (view, secret) =
                service::users::create_token(conn, None, &name, &label).map_err(explain)?;
            eprintln!("token #{} for {} (shown once):", view.id, view.username);
            println!("{secret}");
        }
        TokenCommand::Revoke { id } => {
            service::users::revoke_token(conn, None, id).map_err(explain)?;
            println!("revoked token #{id}");
        }
        TokenCommand::List => {
            let rows: Vec<[String; 5]> = service::users::list_tokens(conn)
                .map_err(explain)?
                .into_iter()
                .map(|t| {
                    let status = if t.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    let used = t
                        .last_used_at
                        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_else(|| "never".into());
                    [
                        t.id.to_string(),
                        t.username,
                        status.to_string(),
                        used,
                        t.label,
                    ]
                })
                .collect();
            super::print_table(["id", "user", "status", "last used (UTC)", "label"], &rows);
        }
    }
    Ok(ExitCode::SUCCESS)
}
