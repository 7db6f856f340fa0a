//! Read models over the `obligations` projection for the web dashboards: the deadlines of the
//! students a user is linked to, one student's obligations, and district counts by school and
//! kind. Dates are ISO text, so comparisons are plain string comparisons on both backends.

use crate::db::Conn;
use crate::{StoreError, params};
use domain::Date;

/// One unmet obligation of one student, as the dashboard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub student_id: i64,
    pub district_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub school_id: Option<i64>,
    pub school_name: Option<String>,
    pub ordinal: i64,
    pub kind: String,
    pub due: Date,
    pub status: String,
}

/// One row of the obligations projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectedObligation {
    pub ordinal: i64,
    pub kind: String,
    pub due: Date,
    pub status: String,
    pub triggered_by: Option<String>,
    pub satisfied_by: Option<String>,
    pub satisfied_on: Option<Date>,
}

/// Unmet obligations due on or before `until` of the students `user_id` is linked to (any
/// relation), soonest first, read through the user's links (a caseload, not the district). The
/// caller still asks the access policy about each student.
pub fn linked_unmet(
    conn: &mut Conn,
    user_id: i64,
    until: Date,
) -> Result<Vec<DueItem>, StoreError> {
    conn.query(
        "SELECT s.id, s.district_id, s.first_name, s.last_name, s.school_id, sc.name,
                o.ordinal, o.kind, o.due, o.status
         FROM obligations o
         JOIN students s ON s.id = o.student_id AND s.active = TRUE
         LEFT JOIN schools sc ON sc.id = s.school_id
         WHERE o.status IN ('open', 'overdue') AND o.due <= $2
           AND o.student_id IN (SELECT l.student_id FROM links l
                                WHERE l.user_id = $1 AND l.active = TRUE)
         ORDER BY o.due, s.last_name, s.first_name, s.id, o.ordinal",
        params![user_id, until],
    )?
    .iter()
    .map(|row| {
        Ok(DueItem {
            student_id: row.int(0)?,
            district_id: row.int(1)?,
            first_name: row.string(2)?,
            last_name: row.string(3)?,
            school_id: row.opt_int(4)?,
            school_name: row.opt_string(5)?,
            ordinal: row.int(6)?,
            kind: row.string(7)?,
            due: row.date(8)?,
            status: row.string(9)?,
        })
    })
    .collect()
}

/// A student's projected obligations in due order.
pub fn student_obligations(
    conn: &mut Conn,
    student_id: i64,
) -> Result<Vec<ProjectedObligation>, StoreError> {
    conn.query(
        "SELECT ordinal, kind, due, status, triggered_by, satisfied_by, satisfied_on
         FROM obligations WHERE student_id = $1 ORDER BY due, ordinal",
        params![student_id],
    )?
    .iter()
    .map(|row| {
        Ok(ProjectedObligation {
            ordinal: row.int(0)?,
            kind: row.string(1)?,
            due: row.date(2)?,
            status: row.string(3)?,
            triggered_by: row.opt_string(4)?,
            satisfied_by: row.opt_string(5)?,
            satisfied_on: row.opt_date(6)?,
        })
    })
    .collect()
}

/// Counts of unmet obligations for one school (or none) and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceCount {
    pub school_name: Option<String>,
    pub kind: String,
    /// Due before `as_of` and not met.
    pub overdue: i64,
    /// Due from `as_of` to `as_of` + 7 days.
    pub due_7: i64,
    /// Due from `as_of` + 8 days to `as_of` + 30 days.
    pub due_30: i64,
}

/// District-wide counts of unmet obligations by school and kind.
pub fn compliance_counts(
    conn: &mut Conn,
    district_id: i64,
    as_of: Date,
) -> Result<Vec<ComplianceCount>, StoreError> {
    let week = as_of.saturating_add(jiff::Span::new().days(7));
    let month = as_of.saturating_add(jiff::Span::new().days(30));
    conn.query(
        "SELECT sc.name, o.kind,
                CAST(SUM(CASE WHEN o.due < $2 THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN o.due >= $2 AND o.due <= $3 THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN o.due > $3 AND o.due <= $4 THEN 1 ELSE 0 END) AS BIGINT)
         FROM obligations o
         JOIN students s ON s.id = o.student_id AND s.active = TRUE
         LEFT JOIN schools sc ON sc.id = s.school_id
         WHERE o.district_id = $1 AND o.status IN ('open', 'overdue') AND o.due <= $4
         GROUP BY sc.name, o.kind
         ORDER BY sc.name, o.kind",
        params![district_id, as_of, week, month],
    )?
    .iter()
    .map(|row| {
        Ok(ComplianceCount {
            school_name: row.opt_string(0)?,
            kind: row.string(1)?,
            overdue: row.int(2)?,
            due_7: row.int(3)?,
            due_30: row.int(4)?,
        })
    })
    .collect()
}

/// Writes projection rows directly; for tests and fixtures that have no law engine at hand.
pub fn put_obligation(
    conn: &mut Conn,
    district_id: i64,
    student_id: i64,
    row: &ProjectedObligation,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO obligations (student_id, ordinal, district_id, kind, due, status,
                                  triggered_by, satisfied_by, satisfied_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            student_id,
            row.ordinal,
            district_id,
            &row.kind,
            row.due,
            &row.status,
            row.triggered_by.clone(),
            row.satisfied_by.clone(),
            row.satisfied_on
        ],
    )?;
    Ok(())
}

/// Active students whose obligations were never projected (added by an import or a generator
/// that did not sweep); the server computes theirs at start so dashboards are not empty.
pub fn unprojected_students(conn: &mut Conn) -> Result<i64, StoreError> {
    conn.query_one(
        "SELECT COUNT(*) FROM students WHERE active = TRUE AND obligations_as_of IS NULL",
        &[],
    )?
    .int(0)
}
