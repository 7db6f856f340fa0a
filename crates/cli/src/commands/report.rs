//! `iep504 report …`: compliance and federal reports over the database. Indicator 11 comes from
//! the law engine run over every case, so it agrees with the deadlines users see; the federal
//! counts (child count, FS009, FS088, CRDC 504) are `interop::reports` over the stored records.

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
    /// IDEA Section 618 child count (FS002/FS089) on one day.
    ChildCount(ChildCountArgs),
    /// FS009: students exiting special education, ages 14–21.
    Exiting(FederalPeriodArgs),
    /// FS088: children with disabilities removed for discipline, by cumulative days.
    Discipline(FederalPeriodArgs),
    /// CRDC: students served under Section 504 only.
    #[command(name = "crdc-504")]
    Crdc504(FederalPeriodArgs),
}

#[derive(Debug, clap::Args)]
pub struct ChildCountArgs {
    /// The count date [default: today].
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    as_of: Option<Date>,
    #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
    format: String,
}

#[derive(Debug, clap::Args)]
pub struct FederalPeriodArgs {
    /// First day of the period.
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    from: Date,
    /// Last day of the period.
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    to: Date,
    #[arg(long, value_parser = ["json", "csv"], default_value = "json")]
    format: String,
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
        Command::ChildCount(args) => child_count(args, ctx),
        Command::Exiting(args) => federal(args, ctx, Federal::Exiting),
        Command::Discipline(args) => federal(args, ctx, Federal::Discipline),
        Command::Crdc504(args) => federal(args, ctx, Federal::Crdc504),
    }
}

/// A report as JSON (one object) or as its EDFacts-style CSV.
fn print(
    format: &str,
    report: &impl serde::Serialize,
    csv: impl FnOnce() -> String,
) -> Result<(), CliError> {
    if format == "csv" {
        return output::text_line(csv().trim_end());
    }
    output::json(report)
}

fn child_count(args: ChildCountArgs, ctx: &Context) -> Result<(), CliError> {
    let as_of = args.as_of.unwrap_or_else(parse::today);
    let mut conn = ctx.open_migrated()?;
    let records = store::reports_data::child_count_records(&mut conn, None, as_of)?;
    let report = interop::reports::child_count(&records, as_of);
    print(&args.format, &report, || report.to_csv())
}

#[derive(Debug, Clone, Copy)]
enum Federal {
    Exiting,
    Discipline,
    Crdc504,
}

fn federal(args: FederalPeriodArgs, ctx: &Context, which: Federal) -> Result<(), CliError> {
    if args.to < args.from {
        return Err(CliError::input("--to", "a date on or after --from"));
    }
    let mut conn = ctx.open_migrated()?;
    let records = store::reports_data::period_records(&mut conn, None, args.from, args.to)?;
    use interop::reports;
    match which {
        Federal::Exiting => {
            let report = reports::exiting(&records, args.from, args.to);
            print(&args.format, &report, || report.to_csv())
        }
        Federal::Discipline => {
            let report = reports::discipline(&records, args.from, args.to);
            print(&args.format, &report, || report.to_csv())
        }
        Federal::Crdc504 => {
            let report = reports::crdc_504(&records, args.from, args.to);
            print(&args.format, &report, || report.to_csv())
        }
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
