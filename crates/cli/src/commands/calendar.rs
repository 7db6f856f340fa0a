//! `iep504 calendar …`: a district's school calendar, from JSON (the case file's `calendar`
//! shape) or from the district's iCalendar file of closures. Changing the calendar moves
//! school-day deadlines, so every student's obligations are recomputed afterwards.

use super::input::{bad_file, read_file};
use super::{district, parse};
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::Date;
use domain::calendar::{CalendarSpec, SchoolYear};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the district's calendar as JSON.
    Show(DistrictArg),
    /// Replace the district's calendar with a JSON file (`{"school_years": [...]}`).
    Set(SetArgs),
    /// Set one school year from its first and last day plus the closures in an .ics file.
    ImportIcs(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct DistrictArg {
    /// The district [default: the only one].
    #[arg(long)]
    district: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct SetArgs {
    #[command(flatten)]
    district: DistrictArg,
    /// The calendar JSON.
    file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    #[command(flatten)]
    district: DistrictArg,
    /// The district's iCalendar file; each all-day event is a closure.
    file: PathBuf,
    /// First day of the school year.
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    first_day: Date,
    /// Last day of the school year.
    #[arg(long, value_parser = parse::date, value_name = "DATE")]
    last_day: Date,
}

pub fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let (district_arg, new_calendar) = match command {
        Command::Show(arg) => {
            let id = district::resolve(&mut conn, arg.district, "US")?;
            return output::json(&store::districts::get_district(&mut conn, id)?.calendar);
        }
        Command::Set(args) => {
            let text = read_file(&args.file)?;
            let mut de = serde_json::Deserializer::from_str(&text);
            let spec: CalendarSpec = serde_path_to_error::deserialize(&mut de)
                .map_err(|e| bad_file(&args.file, format!("{}: {}", e.path(), e.inner())))?;
            spec.validate().map_err(|(path, expected)| {
                bad_file(&args.file, format!("{path}: expected {expected}"))
            })?;
            (args.district, Some(spec))
        }
        Command::ImportIcs(args) => {
            if args.last_day < args.first_day {
                return Err(CliError::input(
                    "--last-day",
                    "a date on or after --first-day",
                ));
            }
            let text = read_file(&args.file)?;
            let closures =
                law::ics::closures_from_ics(&text).map_err(|e| bad_file(&args.file, e))?;
            let id = district::resolve(&mut conn, args.district.district, "US")?;
            let mut spec = store::districts::get_district(&mut conn, id)?.calendar;
            // The imported year replaces any year it overlaps; closures outside it are ignored.
            spec.school_years
                .retain(|y| y.last_day < args.first_day || y.first_day > args.last_day);
            spec.school_years.push(SchoolYear {
                first_day: args.first_day,
                last_day: args.last_day,
                closed: closures
                    .into_iter()
                    .filter(|c| c.to >= args.first_day && c.from <= args.last_day)
                    .collect(),
            });
            spec.school_years.sort_by_key(|y| y.first_day);
            (DistrictArg { district: Some(id) }, Some(spec))
        }
    };
    let id = district::resolve(&mut conn, district_arg.district, "US")?;
    if let Some(spec) = new_calendar {
        store::districts::set_calendar(&mut conn, id, &spec)?;
        drop(conn);
        let summary = store::projection::sweep(&ctx.location, parse::today(), &|_| {})?;
        eprintln!(
            "iep504: calendar saved; recomputed {} students' obligations",
            summary.students
        );
        let mut conn = ctx.open()?;
        output::json(&store::districts::get_district(&mut conn, id)?.calendar)?;
    }
    Ok(())
}
