//! The one bulk read of many students' records: a district's students with their projected
//! obligations, for a district administrator's export. The web layer gates it behind a fresh
//! re-authentication and writes a record-of-access entry.

use crate::db::Conn;
use crate::{StoreError, params};
use domain::Date;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportedStudent {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub school: Option<String>,
    pub grade: Option<String>,
    pub obligations: Vec<ExportedObligation>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportedObligation {
    pub kind: String,
    pub due: Date,
    pub status: String,
    pub satisfied_on: Option<Date>,
}

/// Every active student of the district, by id, each with their obligations as last computed.
pub fn district_records(
    conn: &mut Conn,
    district_id: i64,
) -> Result<Vec<ExportedStudent>, StoreError> {
    let mut students: Vec<ExportedStudent> = conn
        .query(
            "SELECT s.id, s.first_name, s.last_name, s.birth_date, sc.name, s.grade
             FROM students s LEFT JOIN schools sc ON sc.id = s.school_id
             WHERE s.district_id = $1 AND s.active = TRUE ORDER BY s.id",
            params![district_id],
        )?
        .iter()
        .map(|row| {
            Ok(ExportedStudent {
                id: row.int(0)?,
                first_name: row.string(1)?,
                last_name: row.string(2)?,
                birth_date: row.date(3)?,
                school: row.opt_string(4)?,
                grade: row.opt_string(5)?,
                obligations: Vec::new(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let index: std::collections::HashMap<i64, usize> = students
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    conn.for_each(
        "SELECT student_id, kind, due, status, satisfied_on FROM obligations
         WHERE district_id = $1 ORDER BY student_id, ordinal",
        params![district_id],
        |row| {
            if let Some(&i) = index.get(&row.int(0)?) {
                students[i].obligations.push(ExportedObligation {
                    kind: row.string(1)?,
                    due: row.date(2)?,
                    status: row.string(3)?,
                    satisfied_on: row.opt_date(4)?,
                });
            }
            Ok(())
        },
    )?;
    Ok(students)
}
