//! The CLI's one error type and the single place errors become exit codes: bad input names the
//! option, file or field and what was expected (exit 2); everything else is exit 1.

use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The user's input is wrong: `what` names the option, file or field.
    #[error("{what}: {expected}")]
    Input { what: String, expected: String },
    #[error("cannot open {location}: {source}")]
    Open {
        location: String,
        source: StoreError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Web(#[from] web::WebError),
    /// A check found a problem (e.g. a broken record-of-access chain): exit 1.
    #[error("{0}")]
    Audit(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
}

impl CliError {
    pub fn input(what: impl Into<String>, expected: impl Into<String>) -> Self {
        CliError::Input {
            what: what.into(),
            expected: expected.into(),
        }
    }

    /// A store error caused by what the user typed (unknown id, taken name, invalid value)
    /// becomes bad input about `what`; other store errors stay failures.
    pub fn from_store_input(what: &str) -> impl FnOnce(StoreError) -> CliError + '_ {
        move |err| match err {
            StoreError::NotFound(thing) => CliError::input(what, format!("no {thing}")),
            StoreError::Invalid(msg) | StoreError::Conflict(msg) => CliError::input(what, msg),
            other => CliError::Store(other),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input { .. } => 2,
            CliError::Open { .. }
            | CliError::Store(_)
            | CliError::Web(_)
            | CliError::Audit(_)
            | CliError::Io { .. } => 1,
        }
    }
}
