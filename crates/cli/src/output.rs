//! What commands print: one JSON object on stdout; human messages go to stderr.

use crate::error::CliError;
use std::io::Write;

pub fn json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Io {
        what: "stdout".into(),
        source: std::io::Error::other(e),
    })?;
    text_line(&text)
}

/// Writes `text` and a newline to stdout. A reader that stopped early (`| head`) is not an
/// error worth a panic or a message.
pub fn text_line(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Io {
            what: "stdout".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}
