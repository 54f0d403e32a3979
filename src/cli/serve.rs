//! `cordon serve`: migrate, make sure someone can sign in, then serve until SIGTERM/SIGINT.

use std::net::TcpListener;
use std::process::ExitCode;

use clap::Args;

use crate::config::Settings;
use crate::service;

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub settings: Settings,
    /// Load demo data into an empty database and print the demo sign-ins.
    #[arg(long)]
    pub demo: bool,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = args.settings;
    settings.validate().map_err(anyhow::Error::msg)?;
    let db = crate::startup::open_database(&settings)?;
    {
        let mut conn = db.conn()?;
        if args.demo {
            match service::demo::load(&mut conn)? {
                Some(logins) => {
                    println!("Demo data loaded. Sign in with one of these (shown once):");
                    for l in logins {
                        println!("  {:<10} {:<9} {}", l.username, l.role.as_str(), l.password);
                    }
                }
                None => println!("The database already has data; demo data was not loaded."),
            }
        } else if let Some(password) = service::demo::ensure_admin(&mut conn)? {
            println!("Created user 'admin' with password: {password}");
            println!("(shown once; change it with `cordon user passwd admin`)");
        }
    }
    let listener = TcpListener::bind(&settings.bind)?;
    println!("Cordon is serving on http://{}", listener.local_addr()?);
    let server = crate::startup::run(settings, db, listener)?;
    actix_web::rt::System::new().block_on(server)?;
    Ok(ExitCode::SUCCESS)
}
