//! `iep504 import oneroster|edfi`: parse the files (every problem reported, exit 2), then write
//! everything in one transaction, so an import lands whole or not at all.

use super::district;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// A OneRoster 1.2 CSV directory: schools, students, guardians, teachers.
    Oneroster(OnerosterArgs),
    /// Ed-Fi JSON files: students, program associations, eligibility records.
    Edfi(EdfiArgs),
}

#[derive(Debug, clap::Args)]
pub struct OnerosterArgs {
    /// The directory holding manifest.csv, orgs.csv, users.csv …
    dir: PathBuf,
    /// The district, when the database holds several.
    #[arg(long)]
    district: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct EdfiArgs {
    /// Ed-Fi JSON files (an array of one resource, or an object of resource → array).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// JSON object mapping the district's own descriptor URIs to federal codes.
    #[arg(long, value_name = "MAP.json")]
    descriptor_map: Option<PathBuf>,
    /// The district, when the database holds several.
    #[arg(long)]
    district: Option<i64>,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Oneroster(args) => oneroster(args, ctx),
        Command::Edfi(args) => edfi(args, ctx),
    }
}

/// Every parser problem, one per line, under the input they came from.
fn problems(input: &str, count: usize, list: impl std::fmt::Display) -> CliError {
    CliError::input(
        input,
        format!("{count} problem(s), nothing imported:\n{list}"),
    )
}

fn oneroster(args: OnerosterArgs, ctx: &Context) -> Result<(), CliError> {
    let roster = interop::oneroster::read_dir(&args.dir)
        .map_err(|errors| problems(&args.dir.display().to_string(), errors.len(), &errors))?;
    let mut conn = ctx.open_migrated()?;
    conn.prepare_for_bulk()?;
    let district_id = district::resolve(&mut conn, args.district, "US")?;
    let bar = super::progress_bar(store::roster::record_count(&roster), "records");
    let started = std::time::Instant::now();
    let summary = conn
        .transaction(|tx| {
            store::roster::import(tx, district_id, &roster, &mut |done| bar.set_position(done))
        })
        .map_err(CliError::from_store_input(&args.dir.display().to_string()))?;
    bar.finish_and_clear();
    eprintln!(
        "iep504: imported the roster in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    output::json(&summary)
}

fn edfi(args: EdfiArgs, ctx: &Context) -> Result<(), CliError> {
    let paths: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let batch = interop::edfi::read_files(&paths, args.descriptor_map.as_deref())
        .map_err(|errors| problems("import edfi", errors.len(), &errors))?;
    let mut conn = ctx.open_migrated()?;
    conn.prepare_for_bulk()?;
    let district_id = district::resolve(&mut conn, args.district, "US")?;
    let bar = super::progress_bar(store::edfi_store::record_count(&batch), "records");
    let started = std::time::Instant::now();
    let today = super::parse::today();
    let what = args
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let summary = conn
        .transaction(|tx| {
            store::edfi_store::import(tx, district_id, &batch, today, &mut |done| {
                bar.set_position(done)
            })
        })
        .map_err(CliError::from_store_input(&what))?;
    bar.finish_and_clear();
    eprintln!(
        "iep504: imported {} records in {:.1} s",
        store::edfi_store::record_count(&batch),
        started.elapsed().as_secs_f64()
    );
    output::json(&summary)
}
