//! `iep504 student add`: add one student to the district (the only one, or `--district`).

use super::{district, parse};
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::Date;
use store::{districts, students};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a student; prints {"id": …}.
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    first: String,
    #[arg(long)]
    last: String,
    #[arg(long, value_parser = parse::date)]
    birth_date: Date,
    /// `US` or `US-XX` [default: the district's].
    #[arg(long, value_parser = parse::jurisdiction)]
    jurisdiction: Option<String>,
    /// The district, when the database holds several [default: the only one, or a new
    /// "Default district" in an empty database].
    #[arg(long)]
    district: Option<i64>,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Add(args) => add(args, ctx),
    }
}

fn add(args: AddArgs, ctx: &Context) -> Result<(), CliError> {
    if args.birth_date > parse::today() {
        return Err(CliError::input(
            "--birth-date",
            format!("expected a date in the past, got {}", args.birth_date),
        ));
    }
    for (what, value) in [("--first", &args.first), ("--last", &args.last)] {
        if value.trim().is_empty() {
            return Err(CliError::input(what, "expected a name, got an empty one"));
        }
    }
    // Inputs are checked above, so creating the default district here never leaves it
    // behind for a student that is then refused.
    let mut conn = ctx.open_migrated()?;
    let district_id = district::resolve(
        &mut conn,
        args.district,
        args.jurisdiction.as_deref().unwrap_or("US"),
    )?;
    let jurisdiction = match args.jurisdiction {
        Some(j) => j,
        None => districts::get_district(&mut conn, district_id)?.jurisdiction,
    };
    let id = students::add_student(
        &mut conn,
        &students::NewStudent {
            district_id,
            school_id: None,
            first_name: args.first.trim(),
            last_name: args.last.trim(),
            birth_date: args.birth_date,
            jurisdiction: &jurisdiction,
            grade: None,
            preferred_language: "en",
            source_id: None,
        },
    )
    .map_err(CliError::from_store_input("student"))?;
    output::json(&serde_json::json!({ "id": id }))
}
