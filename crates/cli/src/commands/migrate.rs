//! `iep504 migrate`: create or upgrade the schema; prints the versions applied.

use crate::context::Context;
use crate::error::CliError;
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open()?;
    let applied = store::migrate::migrate(&mut conn)?;
    let version = store::migrate::current_version(&mut conn)?;
    output::json(&serde_json::json!({ "applied": applied, "version": version }))
}
