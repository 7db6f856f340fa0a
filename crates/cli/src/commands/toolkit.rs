//! The parent toolkit's calculators, each a pure function of the law crate over one input file:
//! `advise`, `redflags`, `progress` and `ledger`.

use super::input::{bad_file, read_file, read_file_or_stdin};
use super::parse;
use crate::error::CliError;
use crate::output;
use domain::Date;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct AdviseArgs {
    /// The questionnaire answers (JSON; every field optional).
    #[arg(long, value_name = "FILE")]
    answers: PathBuf,
    /// Language of the reasons and warnings.
    #[arg(long, value_parser = ["en", "es"], default_value = "en")]
    lang: String,
}

pub fn advise(args: AdviseArgs) -> Result<(), CliError> {
    let text = read_file(&args.answers)?;
    let answers = law::advisor::parse_answers(&text).map_err(|e| bad_file(&args.answers, e))?;
    let lang = if args.lang == "es" {
        law::advisor::Lang::Es
    } else {
        law::advisor::Lang::En
    };
    output::json(&law::advisor::advise_in(&answers, lang))
}

#[derive(Debug, clap::Args)]
pub struct RedflagsArgs {
    /// A text file (an email, meeting notes); standard input when omitted.
    file: Option<PathBuf>,
}

pub fn redflags(args: RedflagsArgs) -> Result<(), CliError> {
    let text = read_file_or_stdin(args.file.as_deref())?;
    output::json(&law::redflags::check(&text))
}

#[derive(Debug, clap::Args)]
pub struct ProgressArgs {
    /// One goal's baseline, target, direction and data points (JSON).
    #[arg(long, value_name = "FILE")]
    goal: PathBuf,
}

pub fn progress(args: ProgressArgs) -> Result<(), CliError> {
    let text = read_file(&args.goal)?;
    let goal = law::progress::parse_goal(&text).map_err(|e| bad_file(&args.goal, e))?;
    output::json(&law::progress::analyze(&goal))
}

#[derive(Debug, clap::Args)]
pub struct LedgerArgs {
    /// The calendar, services and session log (JSON).
    #[arg(long, value_name = "FILE")]
    services: PathBuf,
    /// Only periods ended on or before this day count [default: today].
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    as_of: Option<Date>,
}

pub fn ledger(args: LedgerArgs) -> Result<(), CliError> {
    let text = read_file(&args.services)?;
    let input = law::ledger::parse_ledger(&text).map_err(|e| bad_file(&args.services, e))?;
    input.validate().map_err(|e| bad_file(&args.services, e))?;
    let as_of = args.as_of.unwrap_or_else(parse::today);
    output::json(&law::ledger::compute(&input, as_of))
}
