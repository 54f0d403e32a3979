//! `cordon screen`: screen a point (and optionally a buyer) and print the result as JSON,
//! storing nothing.

use std::process::ExitCode;

use clap::Args;

use super::DbArgs;
use crate::domain::report::{self, RawReport};
use crate::service::clock::Now;
use crate::service::screening::{screen_report, Screener};

#[derive(Args, Debug)]
pub struct ScreenArgs {
    #[command(flatten)]
    db: DbArgs,
    /// Latitude of the property, decimal degrees.
    #[arg(long, allow_hyphen_values = true)]
    lat: String,
    /// Longitude of the property, decimal degrees.
    #[arg(long, allow_hyphen_values = true)]
    lon: String,
    /// The buyer's country (ISO 3166-1 alpha-2); a US buyer when left out.
    #[arg(long)]
    country: Option<String>,
    /// The buyer's name, matched against the watchlists.
    #[arg(long)]
    name: Option<String>,
    /// The transaction date (YYYY-MM-DD): sites count only if listed on it. Today by default.
    #[arg(long)]
    date: Option<String>,
}

pub fn run(args: ScreenArgs) -> anyhow::Result<ExitCode> {
    let now = Now::real();
    // A purchase with all four property rights, by the one buyer named.
    let body = serde_json::json!({
        "title": "Screening from the command line",
        "source": "other",
        "transaction": {"kind": "purchase", "date": args.date,
                        "rights": {"access": true, "exclude": true, "improve": true, "affix": true}},
        "property": {"lat": args.lat, "lon": args.lon},
        "parties": [{"key": "p1", "name": args.name.as_deref().unwrap_or("Buyer"),
                     "country": args.country.as_deref().unwrap_or("US"), "role": "acquirer"}],
    });
    let report = match report::parse(&RawReport::from_json(body), now.today) {
        Ok(r) => r,
        Err(errors) => {
            for (field, message) in errors.iter() {
                let flag = match field {
                    "property.lat" => "--lat",
                    "property.lon" => "--lon",
                    "transaction.date" => "--date",
                    f if f.ends_with(".country") => "--country",
                    f if f.ends_with(".name") => "--name",
                    other => other,
                };
                eprintln!("{flag}: {message}");
            }
            return Ok(ExitCode::from(2));
        }
    };
    let db = args.db.open()?;
    let mut conn = db.conn()?;
    let result = screen_report(&mut conn, &Screener::default(), &report, now.today)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(ExitCode::SUCCESS)
}
