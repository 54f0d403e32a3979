//! `cordon bench-data --cases N --sites M [--events K] [--names W] [--seed S]`: fill a database
//! with synthetic data for benchmarks (see `service::bench_data`).

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::DbArgs;
use crate::service::bench_data::{self, Spec, Stage, MAX_CASES, MAX_EVENTS, MAX_NAMES, MAX_SITES};
use crate::service::clock::Now;
use crate::service::ServiceError;

/// `cordon bench-data`.
///
/// Adds cases (with their parties, screening, deadlines and a hash-chained history that
/// verifies), sensitive sites across the United States and restricted-party names, plus six
/// accounts (bench-reviewer-1..4, bench-chair-1..2) that the cases name. Cases take new
/// references, so it may run again, or on a database in use. The same seed gives the same data
/// on the same day and the same starting data.
#[derive(Args, Debug)]
pub struct BenchDataArgs {
    /// Cases to add (1 to 1,000,000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_CASES)))]
    cases: u32,
    /// Sensitive sites to add (0 to 200,000): every kind the screening uses, spread over the
    /// 50 states and DC.
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_SITES)))]
    sites: u32,
    /// Events per case (1 to 10,000): created, then the workflow moves, then as room allows
    /// screened, the decision's conditions, assigned and comments. Moves need room:
    /// presidential and divestiture cases appear from 6 and 7 events.
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_EVENTS)))]
    events: u32,
    /// Watchlist names (0 to 500,000) written into the lists "Bench SDN (synthetic)" and
    /// "Bench Entity List (synthetic)", which they replace. 0 (the default) leaves every list
    /// as it is.
    #[arg(long, value_name = "W", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_NAMES)))]
    names: u32,
    /// Seed of every random choice.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    #[command(flatten)]
    db: DbArgs,
}

fn explain(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Validation(v) => anyhow::anyhow!("{v}"),
        other => anyhow::anyhow!("{other}"),
    }
}

/// Runs `cordon bench-data`; prints what it added and how long it took.
pub fn run(args: BenchDataArgs) -> anyhow::Result<ExitCode> {
    let spec = Spec {
        cases: args.cases,
        sites: args.sites,
        events: args.events,
        names: args.names,
        seed: args.seed,
    };
    spec.check().map_err(|v| anyhow::anyhow!("{v}"))?;
    let started = Instant::now();
    let db = args.db.open()?;
    let mut conn = db.conn()?;
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>15} [{bar:40}] {pos}/{len} ({elapsed}, {per_sec}, eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    let progress = |stage: Stage, done: usize, total: usize| {
        bar.set_message(stage.label());
        bar.set_length(u64::try_from(total).unwrap_or(0));
        bar.set_position(u64::try_from(done).unwrap_or(0));
    };
    let result = bench_data::generate(&mut conn, &spec, &Now::real(), &progress);
    bar.finish_and_clear();
    let s = result.map_err(explain)?;
    let seconds = started.elapsed().as_secs_f64();
    let (first, last) = s.references.clone().unwrap_or_default();
    println!(
        "added {} cases ({first} … {last}), {} parties, {} events, {} deadlines, {} conditions",
        s.cases, s.parties, s.events, s.deadlines, s.conditions
    );
    println!(
        "added {} sites and {} watchlist names; accounts: {}",
        s.sites,
        s.names,
        s.users.join(", ")
    );
    let states: Vec<String> = s.by_state.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("by state: {}", states.join(", "));
    println!(
        "in {seconds:.1} s ({:.0} cases/s)",
        s.cases as f64 / seconds.max(0.001)
    );
    Ok(ExitCode::SUCCESS)
}
