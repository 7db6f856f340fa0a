//! Students and the links that tie users to them (guardian, case manager, teacher…). The
//! links are what the access policy reads.

use crate::db::Conn;
use crate::{StoreError, now, params};
use domain::Date;
use domain::people::Relation;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Student {
    pub id: i64,
    pub district_id: i64,
    pub school_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub jurisdiction: String,
    pub grade: Option<String>,
    pub preferred_language: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStudent<'a> {
    pub district_id: i64,
    pub school_id: Option<i64>,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub birth_date: Date,
    pub jurisdiction: &'a str,
    pub grade: Option<&'a str>,
    pub preferred_language: &'a str,
    pub source_id: Option<&'a str>,
}

const COLUMNS: &str = "id, district_id, school_id, first_name, last_name, birth_date, jurisdiction, grade, preferred_language";

pub fn add_student(conn: &mut Conn, student: &NewStudent<'_>) -> Result<i64, StoreError> {
    if student.first_name.trim().is_empty() || student.last_name.trim().is_empty() {
        return Err(StoreError::Invalid(
            "a student needs a first and a last name".into(),
        ));
    }
    conn.query_one(
        "INSERT INTO students (district_id, school_id, first_name, last_name, birth_date,
                               jurisdiction, grade, preferred_language, source_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params![
            student.district_id,
            student.school_id,
            student.first_name,
            student.last_name,
            student.birth_date,
            student.jurisdiction,
            student.grade,
            student.preferred_language,
            student.source_id,
            now()
        ],
    )?
    .int(0)
}

pub fn get_student(conn: &mut Conn, id: i64) -> Result<Student, StoreError> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM students WHERE id = $1 AND active = TRUE"),
            params![id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("student {id}")))?;
    student_from_row(&row)
}

/// Students a user is linked to, by name.
pub fn linked_students(conn: &mut Conn, user_id: i64) -> Result<Vec<Student>, StoreError> {
    conn.query(
        &format!(
            "SELECT DISTINCT s.{} FROM students s JOIN links l ON l.student_id = s.id
             WHERE l.user_id = $1 AND l.active = TRUE AND s.active = TRUE
             ORDER BY s.last_name, s.first_name, s.id",
            COLUMNS.replace(", ", ", s.")
        ),
        params![user_id],
    )?
    .iter()
    .map(student_from_row)
    .collect()
}

/// One page of a district's students, by name.
pub fn district_students(
    conn: &mut Conn,
    district_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Student>, StoreError> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM students WHERE district_id = $1 AND active = TRUE
             ORDER BY last_name, first_name, id LIMIT $2 OFFSET $3"
        ),
        params![district_id, limit, offset],
    )?
    .iter()
    .map(student_from_row)
    .collect()
}

pub fn count_students(conn: &mut Conn) -> Result<i64, StoreError> {
    conn.query_one("SELECT COUNT(*) FROM students WHERE active = TRUE", &[])?
        .int(0)
}

fn student_from_row(row: &crate::Row) -> Result<Student, StoreError> {
    Ok(Student {
        id: row.int(0)?,
        district_id: row.int(1)?,
        school_id: row.opt_int(2)?,
        first_name: row.string(3)?,
        last_name: row.string(4)?,
        birth_date: row.date(5)?,
        jurisdiction: row.string(6)?,
        grade: row.opt_string(7)?,
        preferred_language: row.string(8)?,
    })
}

/// Links a user to a student; linking twice is harmless.
pub fn link(
    conn: &mut Conn,
    user_id: i64,
    student_id: i64,
    relation: Relation,
) -> Result<(), StoreError> {
    conn.transaction(|tx| {
        let student = get_student(tx, student_id)?;
        let user_district = tx
            .query_opt(
                "SELECT district_id FROM users WHERE id = $1",
                params![user_id],
            )?
            .ok_or_else(|| StoreError::NotFound(format!("user {user_id}")))?
            .int(0)?;
        if user_district != student.district_id {
            return Err(StoreError::Invalid(format!(
                "user {user_id} and student {student_id} belong to different districts"
            )));
        }
        tx.execute(
            "INSERT INTO links (user_id, student_id, district_id, relation, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (user_id, student_id, relation) DO UPDATE SET active = TRUE",
            params![
                user_id,
                student_id,
                student.district_id,
                relation.as_str(),
                now()
            ],
        )?;
        Ok(())
    })
}

/// The relations a user holds to a student (what the access policy needs).
pub fn relations(
    conn: &mut Conn,
    user_id: i64,
    student_id: i64,
) -> Result<Vec<Relation>, StoreError> {
    conn.query(
        "SELECT relation FROM links WHERE user_id = $1 AND student_id = $2 AND active = TRUE",
        params![user_id, student_id],
    )?
    .iter()
    .map(|row| {
        let text = row.text(0)?;
        Relation::parse(text).ok_or_else(|| StoreError::Corrupt(format!("relation `{text}`")))
    })
    .collect()
}

/// Serialises writers of one student's case inside the caller's transaction: PostgreSQL locks
/// the student's row until commit; SQLite's `BEGIN IMMEDIATE` already holds the write lock.
/// Without it, two concurrent appends on PostgreSQL could both rewrite the obligation
/// projection and collide on its primary key.
pub fn lock_for_update(tx: &mut Conn, student_id: i64) -> Result<(), StoreError> {
    if tx.backend() == crate::Backend::Postgres {
        tx.query(
            "SELECT id FROM students WHERE id = $1 FOR UPDATE",
            params![student_id],
        )?;
    }
    Ok(())
}
