//! The letter data file of CONTRACT.md (`letter`): who writes, about which student, to whom,
//! and the parent's concerns. Parsing reports the JSON path of a bad value; validation names
//! each required field that is missing or blank.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::LetterKind;
use crate::DocumentError;

/// Long enough for a page or two of concerns; bounds the PDF a form post can ask for.
const MAX_TEXT_CHARS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterData {
    /// The date the letter is sent; the answer-by date counts from it.
    pub date: Date,
    pub parent: Parent,
    pub student: Student,
    pub recipient: Recipient,
    #[serde(default)]
    pub concerns: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    pub name: String,
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    pub name: String,
    #[serde(default)]
    pub birth_date: Option<Date>,
    pub school: String,
    #[serde(default)]
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub address: String,
}

impl LetterData {
    /// Reads a data file; the error names the JSON path (`parent.name`) and what was expected.
    pub fn from_json(json: &str) -> Result<LetterData, DocumentError> {
        let mut de = serde_json::Deserializer::from_str(json);
        let data: LetterData = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let message = e.inner().to_string();
            missing_field(&path, &message).unwrap_or_else(|| DocumentError::input(path, message))
        })?;
        de.end()
            .map_err(|e| DocumentError::input(".", format!("nothing after the object ({e})")))?;
        Ok(data)
    }

    /// Checks what a letter of `kind` needs: names, addresses, and the concerns for the kinds
    /// whose request is about them.
    pub fn validate(&self, kind: LetterKind) -> Result<(), DocumentError> {
        let required = [
            ("parent.name", &self.parent.name),
            ("parent.address", &self.parent.address),
            ("student.name", &self.student.name),
            ("student.school", &self.student.school),
            ("recipient.name", &self.recipient.name),
        ];
        for (path, value) in required {
            if value.trim().is_empty() {
                return Err(DocumentError::input(path, "required, a non-empty string"));
            }
        }
        if kind.needs_concerns() && self.concerns.trim().is_empty() {
            return Err(DocumentError::input(
                "concerns",
                format!(
                    "required for a {} letter: {}",
                    kind.as_str(),
                    kind.concerns_hint()
                ),
            ));
        }
        let texts = [
            ("parent.name", &self.parent.name),
            ("parent.address", &self.parent.address),
            ("parent.email", &self.parent.email),
            ("parent.phone", &self.parent.phone),
            ("student.name", &self.student.name),
            ("student.school", &self.student.school),
            ("student.grade", &self.student.grade),
            ("recipient.name", &self.recipient.name),
            ("recipient.title", &self.recipient.title),
            ("recipient.address", &self.recipient.address),
            ("concerns", &self.concerns),
        ];
        for (path, value) in texts {
            if value.chars().count() > MAX_TEXT_CHARS {
                return Err(DocumentError::input(
                    path,
                    format!("at most {MAX_TEXT_CHARS} characters"),
                ));
            }
        }
        if let Some(born) = self.student.birth_date
            && born > self.date
        {
            return Err(DocumentError::input(
                "student.birth_date",
                "a date on or before the letter's date",
            ));
        }
        Ok(())
    }
}

/// serde says "missing field `name`" at the parent's path; the field's own path reads better.
fn missing_field(path: &str, message: &str) -> Option<DocumentError> {
    let field = message.strip_prefix("missing field `")?.split('`').next()?;
    let full = if path == "." || path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    };
    Some(DocumentError::input(full, "required"))
}
