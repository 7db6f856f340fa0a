//! The `iep504` binary. Parses the command line (clap), runs one command, and turns its typed
//! error into a message on stderr and the exit code of CONTRACT.md: 0 success, 2 bad input or
//! usage, 1 anything else.

mod commands;
mod context;
mod error;
mod output;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints usage errors itself and exits 2 (0 for --help and --version).
    let cli = commands::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("iep504: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
