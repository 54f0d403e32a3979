//! `cordon user add|list|passwd|disable|enable`.

use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::{password_from_stdin, DbArgs};
use crate::domain::Role;
use crate::service::{self, ServiceError};

#[derive(Args, Debug)]
pub struct UserArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user; prints a generated password unless --password-stdin is given.
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Set a new password (generated and printed unless --password-stdin); ends their sessions.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user; their sessions end at once.
    Disable { name: String },
    /// Enable a disabled user.
    Enable { name: String },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse::<Role>().map_err(|e| e.to_string())
}

/// Turns a refusal into a message for the terminal.
pub(super) fn explain(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Validation(v) => anyhow::anyhow!("{v}"),
        ServiceError::NotFound => anyhow::anyhow!("no such user or token"),
        other => anyhow::anyhow!("{other}"),
    }
}

pub fn run(args: UserArgs) -> anyhow::Result<ExitCode> {
    let db = args.db.open()?;
    let mut conn = db.conn()?;
    let conn = &mut *conn;
    match args.command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            let issued = service::users::add_user(conn, None, &name, role, password.as_deref())
                .map_err(explain)?;
            println!("added {} ({})", issued.value.username, issued.value.role);
            if let Some(p) = issued.generated_password {
                println!("password: {p}");
            }
        }
        UserCommand::List => {
            let rows: Vec<[String; 5]> = service::users::list_users(conn)
                .map_err(explain)?
                .into_iter()
                .map(|u| {
                    let status = if u.disabled { "disabled" } else { "active" };
                    [
                        u.id.to_string(),
                        u.username,
                        u.role.as_str().to_string(),
                        status.to_string(),
                        u.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    ]
                })
                .collect();
            super::print_table(["id", "name", "role", "status", "created (UTC)"], &rows);
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            let issued = service::users::reset_password(conn, None, &name, password.as_deref())
                .map_err(explain)?;
            println!("password changed for {}", issued.value.username);
            if let Some(p) = issued.generated_password {
                println!("password: {p}");
            }
        }
        UserCommand::Disable { name } => {
            let u = service::users::set_disabled(conn, None, &name, true).map_err(explain)?;
            println!("disabled {}", u.username);
        }
        UserCommand::Enable { name } => {
            let u = service::users::set_disabled(conn, None, &name, false).map_err(explain)?;
            println!("enabled {}", u.username);
        }
    }
    Ok(ExitCode::SUCCESS)
}
