//! The `cordon` binary: parse the command line and hand over to `cli`.

use clap::Parser;

/// mimalloc instead of the system allocator: pages parse and render many small values (event
/// payloads, rows), and glibc's malloc took about a third of a case page's time under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
