//! `iep504 export edfi --out DIR`: every student, program association, eligibility record and
//! Ed-Fi school in the database as Ed-Fi JSON, one `<resource>.json` per resource.

use crate::context::Context;
use crate::error::CliError;
use crate::output;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Ed-Fi JSON, one file per resource.
    Edfi(EdfiArgs),
}

#[derive(Debug, clap::Args)]
pub struct EdfiArgs {
    /// The directory to write (created if missing; files there are replaced).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Edfi(args) => edfi(args, ctx),
    }
}

fn edfi(args: EdfiArgs, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let batch = store::edfi_store::export_batch(&mut conn)?;
    let files = interop::edfi::to_edfi(&batch)
        .files()
        .map_err(|e| CliError::Document(format!("Ed-Fi JSON: {e}")))?;
    let io = |what: &PathBuf| {
        let what = what.display().to_string();
        move |source| CliError::Io { what, source }
    };
    std::fs::create_dir_all(&args.out).map_err(io(&args.out))?;
    let mut written = Vec::new();
    for (name, text) in files {
        let path = args.out.join(&name);
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path.display().to_string());
    }
    output::json(&serde_json::json!({
        "files": written,
        "schools": batch.schools.len(),
        "students": batch.students.len(),
        "program_associations": batch.programs.len(),
        "eligibility_associations": batch.eligibility.len(),
    }))
}
