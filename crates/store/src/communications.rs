//! The communication log: every call, email, meeting and letter about a student (date, with
//! whom, channel, summary, follow-up due). It is one shared log per student, part of the
//! student's record: everyone who may read the record reads it, and each entry names who
//! recorded it. Entries are append-only (a correction is a new entry), so nothing is edited.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use serde::Serialize;

/// How the communication happened.
pub const CHANNELS: &[&str] = &[
    "call",
    "email",
    "meeting",
    "letter",
    "text_message",
    "other",
];

/// The longest summary kept, in characters.
pub const MAX_SUMMARY_CHARS: usize = 4000;
/// The longest "with whom", in characters.
pub const MAX_WITH_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommunication {
    pub on: Date,
    pub channel: String,
    pub with_whom: String,
    pub summary: String,
    pub follow_up_due: Option<Date>,
    /// The letter kind when the entry records a letter the toolkit wrote.
    pub letter_kind: Option<String>,
    /// The case event the letter was logged as, if any.
    pub event_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Communication {
    pub id: i64,
    pub student_id: i64,
    pub on: Date,
    pub channel: String,
    pub with_whom: String,
    pub summary: String,
    pub follow_up_due: Option<Date>,
    pub letter_kind: Option<String>,
    pub event_id: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: String,
}

impl NewCommunication {
    /// Checks what the database would otherwise accept silently.
    pub fn validate(&self) -> Result<(), StoreError> {
        if !CHANNELS.contains(&self.channel.as_str()) {
            return Err(StoreError::Invalid(format!(
                "channel: expected one of {}, got `{}`",
                CHANNELS.join(", "),
                self.channel
            )));
        }
        if self.with_whom.trim().is_empty() || self.with_whom.chars().count() > MAX_WITH_CHARS {
            return Err(StoreError::Invalid(format!(
                "with_whom: required, at most {MAX_WITH_CHARS} characters"
            )));
        }
        if self.summary.trim().is_empty() || self.summary.chars().count() > MAX_SUMMARY_CHARS {
            return Err(StoreError::Invalid(format!(
                "summary: required, at most {MAX_SUMMARY_CHARS} characters"
            )));
        }
        if self.follow_up_due.is_some_and(|due| due < self.on) {
            return Err(StoreError::Invalid(
                "follow_up_due: on or after the date of the communication".into(),
            ));
        }
        Ok(())
    }
}

fn from_row(row: &Row) -> Result<Communication, StoreError> {
    Ok(Communication {
        id: row.int(0)?,
        student_id: row.int(1)?,
        on: row.date(2)?,
        channel: row.string(3)?,
        with_whom: row.string(4)?,
        summary: row.string(5)?,
        follow_up_due: row.opt_date(6)?,
        letter_kind: row.opt_string(7)?,
        event_id: row.opt_string(8)?,
        recorded_by: row.opt_string(9)?,
        recorded_at: row.string(10)?,
    })
}

/// Adds one entry inside the caller's transaction.
pub fn add(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    new: &NewCommunication,
    recorded_by: Option<i64>,
) -> Result<i64, StoreError> {
    new.validate()?;
    let row = tx.query_one(
        "INSERT INTO communications (district_id, student_id, on_date, channel, with_whom,
             summary, follow_up_due, letter_kind, event_id, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        params![
            district_id,
            student_id,
            new.on,
            new.channel.as_str(),
            new.with_whom.trim(),
            new.summary.trim(),
            new.follow_up_due,
            new.letter_kind.as_deref(),
            new.event_id.as_deref(),
            recorded_by,
            now()
        ],
    )?;
    row.int(0)
}

/// A student's log, newest first; `recorded_by` is the recorder's display name.
pub fn list(conn: &mut Conn, student_id: i64) -> Result<Vec<Communication>, StoreError> {
    conn.query(
        "SELECT c.id, c.student_id, c.on_date, c.channel, c.with_whom, c.summary,
                c.follow_up_due, c.letter_kind, c.event_id, u.display_name, c.recorded_at
         FROM communications c LEFT JOIN users u ON u.id = c.recorded_by
         WHERE c.student_id = $1 ORDER BY c.on_date DESC, c.id DESC",
        params![student_id],
    )?
    .iter()
    .map(from_row)
    .collect()
}
