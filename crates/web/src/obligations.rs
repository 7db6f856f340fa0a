//! A student's obligations as the pages and the API show them, read from the projection the
//! store keeps, with the status re-read against today (an open clock that passed its due date
//! since the last refresh is overdue now).

use domain::obligation::{Obligation, Status};
use store::StoreError;

/// One obligation with its place in the projection (the page anchors rows by it).
#[derive(Debug, Clone)]
pub struct Listed {
    pub ordinal: i64,
    pub obligation: Obligation,
}

pub fn for_student(
    conn: &mut store::Conn,
    student_id: i64,
    as_of: domain::Date,
) -> Result<Vec<Listed>, StoreError> {
    store::dashboard::student_obligations(conn, student_id)?
        .into_iter()
        .map(|row| {
            let stored = Status::parse(&row.status)
                .ok_or_else(|| StoreError::Corrupt(format!("status `{}`", row.status)))?;
            let status = match stored {
                Status::Open | Status::Overdue => Status::classify(row.due, None, as_of),
                other => other,
            };
            Ok(Listed {
                ordinal: row.ordinal,
                obligation: Obligation {
                    kind: row.kind,
                    triggered_by: row.triggered_by,
                    due: row.due,
                    status,
                    satisfied_by: row.satisfied_by,
                    citation: String::new(),
                    explanation: Vec::new(),
                    satisfied_on: row.satisfied_on,
                    secondary_source: false,
                },
            })
        })
        .collect()
}
