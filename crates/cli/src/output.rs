//! What commands print: one JSON object on stdout; human messages go to stderr.

use crate::error::CliError;

pub fn json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Io {
        what: "stdout".into(),
        source: std::io::Error::other(e),
    })?;
    println!("{text}");
    Ok(())
}
