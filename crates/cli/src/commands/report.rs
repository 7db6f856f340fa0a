//! `iep504 report …`: compliance and federal reports over the database. Indicator 11 comes from
//! the law engine run over every case, so it agrees with the deadlines users see.

use super::parse;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::Date;
use std::collections::HashMap;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Indicator 11: initial evaluations completed within the applicable timeline.
    Indicator11(PeriodArgs),
}

#[derive(Debug, clap::Args)]
pub struct PeriodArgs {
    /// First day of the period (clocks started on or after it).
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    from: Date,
    /// Last day of the period.
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    to: Date,
    /// The day timelines are judged on [default: today].
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    as_of: Option<Date>,
    #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
    format: String,
}

pub fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Indicator11(args) => indicator11(args, ctx),
    }
}

fn indicator11(args: PeriodArgs, ctx: &Context) -> Result<(), CliError> {
    if args.to < args.from {
        return Err(CliError::input("--to", "a date on or after --from"));
    }
    let as_of = args.as_of.unwrap_or_else(parse::today);
    let mut conn = ctx.open_migrated()?;
    let calendars: HashMap<i64, domain::calendar::CalendarSpec> =
        store::districts::list_districts(&mut conn)?
            .into_iter()
            .map(|d| (d.id, d.calendar))
            .collect();
    let mut cases = Vec::new();
    store::projection::for_each_case(&mut conn, |student_id, district_id, mut case| {
        // Only cases with an initial-evaluation clock can count; skip the rest early.
        if case.events.iter().any(|e| {
            matches!(
                e.kind,
                domain::event::EventKind::ConsentReceived { .. }
                    | domain::event::EventKind::EvaluationRequested { .. }
            )
        }) {
            case.calendar = calendars.get(&district_id).cloned().unwrap_or_default();
            cases.push((format!("student-{student_id}"), case));
        }
        Ok(())
    })?;
    let report = law::indicator11(
        cases.iter().map(|(id, c)| (id.as_str(), c)),
        args.from,
        args.to,
        as_of,
    )
    .map_err(|e| CliError::input("jurisdiction", e.to_string()))?;
    if args.format == "csv" {
        let mut out = String::from("case_id,started_on,due,completed_on,days_late\n");
        for late in &report.late_cases {
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                late.case_id,
                late.started_on,
                late.due,
                late.completed_on.map(|d| d.to_string()).unwrap_or_default(),
                late.days_late
            ));
        }
        eprintln!(
            "iep504: {} of {} evaluations timely ({})",
            report.timely,
            report.counted,
            report
                .percent_timely
                .map_or("n/a".into(), |p| format!("{p}%"))
        );
        return output::text_line(out.trim_end());
    }
    output::json(&report)
}
