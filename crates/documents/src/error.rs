//! The crate's one error type: bad input names the JSON path or field and what was expected;
//! a failure inside the PDF writer carries the writer's own message.

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocumentError {
    /// The data file (or a value built in code) is missing a field or has a wrong one.
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    /// The PDF writer refused the document (for example a PDF/UA check failed).
    #[error("could not write the PDF: {0}")]
    Pdf(String),
}

impl DocumentError {
    pub(crate) fn input(path: impl Into<String>, message: impl Into<String>) -> DocumentError {
        DocumentError::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}
