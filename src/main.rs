//! The `cordon` binary: parse the command line and hand over to `cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    cordon::telemetry::init();
    let cli = cordon::cli::Cli::parse();
    match cordon::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
