//! `iep504 progress-reports issue [--as-of DATE] [--district ID] [--limit N]`: for a nightly
//! cron. Issues every progress report the IEPs in effect schedule on or before the day (the
//! written reporting dates, or every three months from the meeting) that is not issued yet, each
//! in the family's language with the data up to its date, stored with its SHA-256. Running it
//! again issues nothing twice. Prints the counts as JSON.

use super::parse;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::Date;
use web::print::IssueError;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Issue the progress reports due on or before a day and not issued yet.
    Issue {
        /// The day to issue for [default: today].
        #[arg(long, value_parser = parse::date, value_name = "DATE")]
        as_of: Option<Date>,
        /// Only this district [default: every district].
        #[arg(long, value_name = "ID")]
        district: Option<i64>,
        /// Issue at most this many now; the rest stay due for the next run.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
}

pub fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Issue {
            as_of,
            district,
            limit,
        } => {
            let as_of = as_of.unwrap_or_else(parse::today);
            let mut conn = ctx.open_migrated()?;
            if let Some(id) = district {
                store::districts::get_district(&mut conn, id)
                    .map_err(CliError::from_store_input("--district"))?;
            }
            let started = std::time::Instant::now();
            let summary = web::print::issue_progress_reports(&mut conn, district, as_of, limit)
                .map_err(|e| match e {
                    IssueError::Store(e) => CliError::Store(e),
                    other => CliError::Document(other.to_string()),
                })?;
            eprintln!(
                "iep504: issued {} progress reports in {:.1} s",
                summary.issued,
                started.elapsed().as_secs_f64()
            );
            output::json(&serde_json::json!({
                "as_of": as_of,
                "due": summary.due,
                "issued": summary.issued,
                "languages": summary.languages,
                "already_issued": summary.already_issued,
                "left": summary.left,
            }))
        }
    }
}
