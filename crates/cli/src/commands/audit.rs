//! `iep504 audit verify`: walk the record-of-access hash chain; exit 1 naming the first broken
//! entry.

use crate::context::Context;
use crate::error::CliError;
use crate::output;
use store::access_log::Verdict;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check that no record-of-access entry was altered or removed.
    Verify,
}

pub fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Verify => {
            let mut conn = ctx.open_migrated()?;
            match store::access_log::verify(&mut conn)? {
                Verdict::Intact { entries } => {
                    output::json(&serde_json::json!({ "status": "intact", "entries": entries }))
                }
                Verdict::Broken { entry_id, reason } => {
                    output::json(&serde_json::json!({
                        "status": "broken", "entry": entry_id, "reason": reason
                    }))?;
                    Err(CliError::Audit(format!(
                        "record of access broken at entry {entry_id}: {reason}"
                    )))
                }
            }
        }
    }
}
