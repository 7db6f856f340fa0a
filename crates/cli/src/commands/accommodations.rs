//! `iep504 accommodations remind [--district ID]`: for a nightly cron. Hands the plans in
//! effect to teachers linked since they were finalized, then records a reminder for each
//! teacher who has not acknowledged a finalized plan's accommodations (shown to the team on
//! the plan's page and counted on the teacher's list). Prints the counts as JSON.

use crate::context::Context;
use crate::error::CliError;
use crate::output;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record a reminder for each teacher who has not acknowledged a plan in effect.
    Remind {
        /// Only this district [default: every district].
        #[arg(long, value_name = "ID")]
        district: Option<i64>,
    },
}

pub fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Remind { district } => {
            let mut conn = ctx.open_migrated()?;
            let districts: Vec<i64> = match district {
                Some(id) => vec![
                    store::districts::get_district(&mut conn, id)
                        .map_err(CliError::from_store_input("--district"))?
                        .id,
                ],
                None => store::districts::list_districts(&mut conn)?
                    .iter()
                    .map(|d| d.id)
                    .collect(),
            };
            let (mut assigned, mut reminded) = (0, 0);
            for id in &districts {
                let (a, r) = conn.transaction(|tx| {
                    let a = store::plans::sync_deliveries(tx, *id, None)?;
                    let r = store::plans::remind(tx, *id, None, None)?;
                    Ok((a, r))
                })?;
                assigned += a;
                reminded += r;
            }
            output::json(&serde_json::json!({
                "districts": districts.len(),
                "newly_assigned": assigned,
                "reminded": reminded,
            }))
        }
    }
}
