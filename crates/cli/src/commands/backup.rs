//! `iep504 backup --out FILE` and `iep504 restore FILE`: a consistent backup as a SQLite file
//! (from either database), restored only into an empty database, all or nothing.

use crate::context::Context;
use crate::error::CliError;
use crate::output;
use std::path::PathBuf;
use store::StoreError;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The new backup file (must not exist).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A backup written by `iep504 backup`.
    file: PathBuf,
}

pub fn run_backup(args: BackupArgs, ctx: &Context) -> Result<(), CliError> {
    let summary = store::backup::backup(&ctx.location, &args.out).map_err(|e| match e {
        StoreError::Conflict(msg) => CliError::input("--out", msg),
        StoreError::NotFound(what) => CliError::input("--db", format!("no {what}")),
        other => CliError::Store(other),
    })?;
    eprintln!(
        "iep504: backed up {} rows in {} tables to {}",
        summary.rows,
        summary.tables,
        args.out.display()
    );
    output::json(&serde_json::json!({
        "file": args.out.display().to_string(),
        "schema_version": summary.schema_version,
        "tables": summary.tables,
        "rows": summary.rows,
    }))
}

pub fn run_restore(args: RestoreArgs, ctx: &Context) -> Result<(), CliError> {
    let what = args.file.display().to_string();
    let summary = store::backup::restore(&ctx.location, &args.file).map_err(|e| match e {
        StoreError::NotFound(thing) => CliError::input(&what, format!("no {thing}")),
        StoreError::Invalid(msg) => CliError::input(&what, msg),
        StoreError::Conflict(msg) => CliError::input(ctx.location.describe(), msg),
        other => CliError::Store(other),
    })?;
    eprintln!(
        "iep504: restored {} rows in {} tables into {}",
        summary.rows,
        summary.tables,
        ctx.location.describe()
    );
    output::json(&serde_json::json!({
        "schema_version": summary.schema_version,
        "tables": summary.tables,
        "rows": summary.rows,
    }))
}
