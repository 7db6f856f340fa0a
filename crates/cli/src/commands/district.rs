//! Which district an administration command writes to: the one named by `--district`, the only
//! one there is, or a new "Default district" in an empty database.

use crate::error::CliError;
use domain::calendar::CalendarSpec;
use store::{Conn, districts};

pub const DEFAULT_DISTRICT: &str = "Default district";

pub fn resolve(
    conn: &mut Conn,
    explicit: Option<i64>,
    jurisdiction: &str,
) -> Result<i64, CliError> {
    let all = districts::list_districts(conn)?;
    if let Some(id) = explicit {
        return if all.iter().any(|d| d.id == id) {
            Ok(id)
        } else {
            Err(CliError::input("--district", format!("no district {id}")))
        };
    }
    match all.as_slice() {
        [] => Ok(districts::create_district(
            conn,
            DEFAULT_DISTRICT,
            jurisdiction,
            &CalendarSpec::default(),
        )?),
        [only] => Ok(only.id),
        several => Err(CliError::input(
            "--district",
            format!(
                "this database has {} districts ({}); name one",
                several.len(),
                several
                    .iter()
                    .map(|d| format!("{} = {}", d.id, d.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}
