//! Reading a case file (CONTRACT.md's `deadlines` input): JSON with the path of the first
//! problem (`events[3].on`) and what was expected, then the case's own checks, then the
//! jurisdiction, which must be one this crate has a profile for.

use crate::registry::{UnknownJurisdiction, profile};
use domain::case::Case;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InputError {
    /// Malformed JSON or a value of the wrong shape.
    #[error("{path}: {message} (line {line}, column {column})")]
    Json {
        path: String,
        message: String,
        line: usize,
        column: usize,
    },
    /// Well-formed but inconsistent (a school year ending before it starts, a repeated id).
    #[error("{path}: expected {expected}")]
    Invalid { path: String, expected: String },
    #[error("jurisdiction: {0}")]
    Jurisdiction(#[from] UnknownJurisdiction),
}

impl InputError {
    /// The JSON path of the problem (`jurisdiction` for an unknown jurisdiction).
    pub fn path(&self) -> &str {
        match self {
            InputError::Json { path, .. } | InputError::Invalid { path, .. } => path,
            InputError::Jurisdiction(_) => "jurisdiction",
        }
    }
}

/// Parse and check a case file.
pub fn parse_case(json: &str) -> Result<Case, InputError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let case: Case = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        InputError::Json {
            path: if path == "." || path.is_empty() {
                "(top level)".into()
            } else {
                path
            },
            message: explain_serde(&inner.to_string()),
            line: inner.line(),
            column: inner.column(),
        }
    })?;
    case.validate()
        .map_err(|(path, expected)| InputError::Invalid { path, expected })?;
    profile(&case.jurisdiction)?;
    Ok(case)
}

/// serde's messages end with " at line L column C", which the error carries separately; dates
/// get a word on the expected format.
fn explain_serde(message: &str) -> String {
    let trimmed = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    if trimmed.contains("invalid date") || trimmed.contains("failed to parse") {
        format!("expected a date YYYY-MM-DD: {trimmed}")
    } else if trimmed.starts_with("unknown variant") {
        trimmed.replacen("unknown variant", "unknown value", 1)
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"jurisdiction":"US-TX","student":{"birth_date":"2012-05-02"},
      "events":[{"id":"e1","kind":"consent_received","on":"2026-09-08","for":"initial_evaluation"}]}"#;

    #[test]
    fn accepts_a_good_file() {
        assert_eq!(parse_case(GOOD).unwrap().events.len(), 1);
    }

    #[test]
    fn bad_date_names_the_path() {
        let e = parse_case(&GOOD.replace("2026-09-08", "2026-13-08")).unwrap_err();
        assert_eq!(e.path(), "events[0].on", "{e}");
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
    }

    #[test]
    fn unknown_kind_lists_the_accepted_ones() {
        let e = parse_case(&GOOD.replace("consent_received", "consent_recieved")).unwrap_err();
        let text = e.to_string();
        assert!(e.path().starts_with("events[0]"), "{text}");
        assert!(
            text.contains("consent_recieved") && text.contains("consent_received"),
            "{text}"
        );
    }

    #[test]
    fn missing_field_is_named() {
        let e = parse_case(&GOOD.replace(r#","for":"initial_evaluation""#, "")).unwrap_err();
        assert!(e.to_string().contains("missing field `for`"), "{e}");
        let e = parse_case(r#"{"jurisdiction":"US","events":[]}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `student`"), "{e}");
    }

    #[test]
    fn unknown_jurisdiction_is_an_error() {
        let e = parse_case(&GOOD.replace("US-TX", "US-ZZ")).unwrap_err();
        assert_eq!(e.path(), "jurisdiction");
        assert!(e.to_string().contains("US-CA"), "{e}");
    }

    #[test]
    fn repeated_ids_are_rejected() {
        let json = GOOD.replace(
            r#""for":"initial_evaluation"}"#,
            r#""for":"initial_evaluation"},{"id":"e1","kind":"records_requested","on":"2026-09-09"}"#,
        );
        let e = parse_case(&json).unwrap_err();
        assert_eq!(e.path(), "events[1].id");
    }
}
