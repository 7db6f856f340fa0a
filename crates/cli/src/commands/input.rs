//! Reading the JSON or text files commands take: a missing or unreadable file is bad input
//! naming the file; parse errors are prefixed with the file name so the message reads
//! `case.json: events[3].on: …`.

use crate::error::CliError;
use std::io::Read;
use std::path::Path;

pub fn read_file(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::input(
            path.display().to_string(),
            format!("cannot read the file ({e})"),
        )
    })
}

/// The file's text, or standard input when no file is given.
pub fn read_file_or_stdin(path: Option<&Path>) -> Result<String, CliError> {
    match path {
        Some(path) => read_file(path),
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                CliError::input("standard input", format!("readable UTF-8 text ({e})"))
            })?;
            Ok(text)
        }
    }
}

/// A parse error from one of the law crate's readers, attributed to its file.
pub fn bad_file(path: &Path, error: impl std::fmt::Display) -> CliError {
    CliError::input(path.display().to_string(), error.to_string())
}
