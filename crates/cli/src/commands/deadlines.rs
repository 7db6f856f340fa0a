//! `iep504 deadlines --case FILE [--as-of DATE]`: every obligation of one case file, computed by
//! the law engine with no database.

use super::input::{bad_file, read_file};
use super::parse;
use crate::error::CliError;
use crate::output;
use domain::Date;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case file (CONTRACT.md's case-file JSON).
    #[arg(long, value_name = "FILE")]
    case: PathBuf,
    /// The day to judge statuses on [default: today].
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    as_of: Option<Date>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let text = read_file(&args.case)?;
    let case = law::parse_case(&text).map_err(|e| bad_file(&args.case, e))?;
    let as_of = args.as_of.unwrap_or_else(parse::today);
    let report = law::deadlines_report(&case, as_of).map_err(|e| bad_file(&args.case, e))?;
    output::json(&report)
}
