//! `iep504 gen`: add a synthetic district, with a progress bar on stderr when it is a terminal.

use super::parse;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::Date;
use store::synth::{GenOptions, GenSummary};

pub const DEFAULT_SEED: u64 = 504;
/// Progress reports `gen` issues itself: enough for the demo, few enough to keep `gen` fast.
const DEMO_REPORTS: usize = 12;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of students.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=50_000_000))]
    students: u64,
    /// Seed of the random generator: the same seed and anchor give the same district.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// `US` or `US-XX` (a state's postal code).
    #[arg(long, default_value = "US", value_parser = parse::jurisdiction)]
    jurisdiction: String,
    /// "Today" for the generated histories [default: today].
    #[arg(long, value_parser = parse::date)]
    anchor: Option<Date>,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let opts = GenOptions {
        students: args.students,
        seed: args.seed,
        jurisdiction: args.jurisdiction,
        anchor: args.anchor.unwrap_or_else(parse::today),
        demo_logins: false,
    };
    let started = std::time::Instant::now();
    let summary = generate_with_progress(&mut conn, &opts)?;
    eprintln!(
        "iep504: generated {} students in {:.1} s",
        summary.students,
        started.elapsed().as_secs_f64()
    );
    output::json(&summary)
}

/// Runs the generator, drawing a progress bar when stderr is a terminal.
pub fn generate_with_progress(
    conn: &mut store::Conn,
    opts: &GenOptions,
) -> Result<GenSummary, CliError> {
    let bar = super::progress_bar(opts.students, "students");
    let summary = store::synth::generate(conn, opts, &mut |done, _total| bar.set_position(done))
        .map_err(CliError::from_store_input("gen"))?;
    bar.finish_and_clear();
    // A few progress reports already issued, so the demo shows them (the first students, the
    // demo logins' own, come first); the nightly `progress-reports issue` does the rest.
    let issued = web::print::issue_progress_reports(
        conn,
        Some(summary.district_id),
        opts.anchor,
        Some(DEMO_REPORTS),
    )
    .map_err(|e| CliError::Document(e.to_string()))?;
    eprintln!(
        "iep504: issued {} of {} progress reports due; `iep504 progress-reports issue` issues the rest",
        issued.issued, issued.due
    );
    Ok(summary)
}
