//! `iep504 sweep [--as-of DATE]`: recompute every student's obligations and print counts by
//! kind and status; then rewrite the compensatory-debt summaries the day has overtaken.

use super::parse;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::Date;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day to judge statuses on [default: today].
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    as_of: Option<Date>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let as_of = args.as_of.unwrap_or_else(parse::today);
    let mut conn = ctx.open_migrated()?;
    let total = store::students::count_students(&mut conn)?;
    drop(conn);
    let bar = super::progress_bar(total as u64, "students");
    let started = std::time::Instant::now();
    let summary = store::projection::sweep(&ctx.location, as_of, &|done| bar.set_position(done))?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "iep504: swept {} students ({} obligations) in {seconds:.2} s",
        summary.students, summary.obligations
    );
    // The compensatory-debt summaries that no longer hold on the day (a period ended since).
    let started = std::time::Instant::now();
    let mut conn = ctx.open_migrated()?;
    let debts = store::services::sweep_debts(&mut conn, as_of)?;
    eprintln!(
        "iep504: refreshed the debt summary of {} services ({} students) in {:.2} s",
        debts.services,
        debts.students,
        started.elapsed().as_secs_f64()
    );
    output::json(&summary)
}
