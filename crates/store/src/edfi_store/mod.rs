//! Ed-Fi records in the store: writing imported records (students, program associations,
//! eligibility records and the case events they imply; [`writer`]) and reading the same records
//! back, in pages for the Ed-Fi-compatible API or whole for `export edfi`.

mod columns;
mod writer;

pub use columns::move_records_into_columns;
pub use writer::{EdfiWriter, Ready, import, ready};

use crate::db::{Conn, Row};
use crate::programs;
use crate::{StoreError, params};
use domain::codes::Program;
use interop::normalized::{Batch, EligibilityRecord, ProgramAssociation, School, Student};

/// What one import wrote, for the command's JSON output.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EdfiSummary {
    pub schools: u64,
    pub students: u64,
    pub program_associations: u64,
    pub eligibility_associations: u64,
    pub events_created: u64,
    pub events_replayed: u64,
    pub events_revised: u64,
    pub students_refreshed: u64,
}

/// How many records a batch holds.
pub fn record_count(batch: &Batch) -> u64 {
    (batch.schools.len() + batch.students.len() + batch.programs.len() + batch.eligibility.len())
        as u64
}

fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// The Ed-Fi resources the store serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Students,
    SpecialEducation,
    Section504,
    Eligibility,
}

/// A page of one resource: rows after `after_id` (keyset paging), then `offset`, `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub after_id: i64,
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    pub const ALL: Page = Page {
        after_id: 0,
        offset: 0,
        limit: i64::MAX,
    };
}

/// The Ed-Fi `studentUniqueId` of a stored student: its source id, or one made from the row id
/// for students created in iep504.
pub fn unique_id(source_id: Option<String>, id: i64) -> String {
    source_id.unwrap_or_else(|| format!("iep504-{id}"))
}

/// A student row's Ed-Fi record.
fn student_from_row(row: &Row) -> Result<Student, StoreError> {
    Ok(Student {
        unique_id: unique_id(row.opt_string(1)?, row.int(0)?),
        first_name: row.string(2)?,
        middle_name: row.opt_string(3)?,
        last_surname: row.string(4)?,
        birth_date: row.date(5)?,
    })
}

/// Active students of a district (all districts when `None`), by row id; each with its id.
pub fn students(
    conn: &mut Conn,
    district_id: Option<i64>,
    page: Page,
) -> Result<Vec<(i64, Student)>, StoreError> {
    conn.query(
        "SELECT id, source_id, first_name, middle_name, last_name, birth_date FROM students
         WHERE active = TRUE AND (CAST($1 AS BIGINT) IS NULL OR district_id = $1) AND id > $2
         ORDER BY id LIMIT $3 OFFSET $4",
        params![district_id, page.after_id, page.limit, page.offset],
    )?
    .iter()
    .map(|row| Ok((row.int(0)?, student_from_row(row)?)))
    .collect()
}

const PROGRAM_SELECT: &str = "SELECT p.id, s.source_id, s.id, p.district_id, p.program, p.begin_date, p.end_date,
            p.primary_disability, p.disabilities, p.environment, p.exit_basis,
            p.section504_disability, p.exit_date, e.education_organization_id, e.program_name,
            e.program_type_descriptor, p.education_organization_id, p.idea_eligibility,
            p.iep_begin_date, p.iep_end_date, p.iep_review_date, p.last_evaluation_date,
            p.section504_eligibility, p.accommodation_plan, p.section504_disability_descriptor,
            p.section504_meeting_date, p.section504_eligibility_decision_date
     FROM program_associations p JOIN students s ON s.id = p.student_id
          LEFT JOIN edfi_programs e ON e.id = p.edfi_program_id
     WHERE s.active = TRUE AND p.program = $1 AND (CAST($2 AS BIGINT) IS NULL OR p.district_id = $2) AND p.id > $3
     ORDER BY p.id LIMIT $4 OFFSET $5";

/// The program associations of one program for active students, by row id.
pub fn program_associations(
    conn: &mut Conn,
    program: Program,
    district_id: Option<i64>,
    page: Page,
) -> Result<Vec<(i64, ProgramAssociation)>, StoreError> {
    conn.query(
        PROGRAM_SELECT,
        params![
            programs::program_tag(program)?,
            district_id,
            page.after_id,
            page.limit,
            page.offset
        ],
    )?
    .iter()
    .map(|row| Ok((row.int(0)?, program_from_row(row)?)))
    .collect()
}

/// An association as imported from Ed-Fi, or, for one made in iep504, built from the columns
/// with iep504's program references.
fn program_from_row(row: &Row) -> Result<ProgramAssociation, StoreError> {
    let student = unique_id(row.opt_string(1)?, row.int(2)?);
    let district_id = row.int(3)?;
    let program = programs::parse_program(row.text(4)?)?;
    let disabilities = columns::disability_codes(row.text(8)?)?;
    let end_date = row.opt_date(6)?;
    let exit_basis = row.opt_string(10)?;
    let (program_name, program_type) = match program {
        Program::Section504 => (
            "Section 504",
            "uri://ed-fi.org/ProgramTypeDescriptor#Section 504 Placement",
        ),
        _ => (
            "Special Education",
            "uri://ed-fi.org/ProgramTypeDescriptor#Special Education",
        ),
    };
    let section504_disability = row.opt_string(11)?.map(|text| {
        format!(
            "{}/Section504DisabilityDescriptor#{text}",
            interop::edfi::IEP504_NAMESPACE
        )
    });
    let primary_disability = row.opt_string(7)?;
    let environment = row.opt_string(9)?;
    if let Some(program_education_organization_id) = row.opt_int(13)? {
        // Imported from Ed-Fi: every field as the record gave it.
        return Ok(ProgramAssociation {
            student_unique_id: student,
            program,
            education_organization_id: row.opt_int(16)?.unwrap_or(district_id),
            program_education_organization_id,
            program_name: row.string(14)?,
            program_type_descriptor: row.string(15)?,
            begin_date: row.date(5)?,
            end_date,
            primary_disability,
            disabilities,
            environment,
            exit_date: row.opt_date(12)?,
            exit_basis,
            idea_eligibility: row.opt_bool(17)?,
            iep_begin_date: row.opt_date(18)?,
            iep_end_date: row.opt_date(19)?,
            iep_review_date: row.opt_date(20)?,
            last_evaluation_date: row.opt_date(21)?,
            section504_eligibility: row.opt_bool(22)?,
            accommodation_plan: row.opt_bool(23)?,
            section504_disability_descriptor: row.opt_string(24)?,
            section504_meeting_date: row.opt_date(25)?,
            section504_eligibility_decision_date: row.opt_date(26)?,
        });
    }
    Ok(ProgramAssociation {
        student_unique_id: student,
        program,
        education_organization_id: district_id,
        program_education_organization_id: district_id,
        program_name: program_name.into(),
        program_type_descriptor: program_type.into(),
        begin_date: row.date(5)?,
        end_date,
        primary_disability,
        disabilities,
        environment,
        // The exit is the end of the association when a basis is recorded.
        exit_date: exit_basis.as_ref().and(end_date),
        exit_basis,
        idea_eligibility: None,
        iep_begin_date: None,
        iep_end_date: None,
        iep_review_date: None,
        last_evaluation_date: None,
        section504_eligibility: (program == Program::Section504).then_some(true),
        accommodation_plan: None,
        section504_disability_descriptor: section504_disability,
        section504_meeting_date: None,
        section504_eligibility_decision_date: None,
    })
}

/// Eligibility records of active students, by row id.
pub fn eligibility(
    conn: &mut Conn,
    district_id: Option<i64>,
    page: Page,
) -> Result<Vec<(i64, EligibilityRecord)>, StoreError> {
    conn.query(
        "SELECT e.id, s.source_id, s.id, e.edfi_record
         FROM eligibility_associations e JOIN students s ON s.id = e.student_id
         WHERE s.active = TRUE AND (CAST($1 AS BIGINT) IS NULL OR e.district_id = $1) AND e.id > $2
         ORDER BY e.id LIMIT $3 OFFSET $4",
        params![district_id, page.after_id, page.limit, page.offset],
    )?
    .iter()
    .map(|row| {
        let mut record: EligibilityRecord = from_json("eligibility record", row.text(3)?)?;
        record.student_unique_id = unique_id(row.opt_string(1)?, row.int(2)?);
        Ok((row.int(0)?, record))
    })
    .collect()
}

/// How many records of `resource` a district (or the database) holds.
pub fn count(
    conn: &mut Conn,
    resource: Resource,
    district_id: Option<i64>,
) -> Result<i64, StoreError> {
    let (sql, program) = match resource {
        Resource::Students => (
            "SELECT COUNT(*) FROM students WHERE active = TRUE AND (CAST($1 AS BIGINT) IS NULL OR district_id = $1)",
            None,
        ),
        Resource::SpecialEducation | Resource::Section504 => (
            "SELECT COUNT(*) FROM program_associations p JOIN students s ON s.id = p.student_id
             WHERE s.active = TRUE AND (CAST($1 AS BIGINT) IS NULL OR p.district_id = $1) AND p.program = $2",
            Some(if resource == Resource::Section504 {
                "section504"
            } else {
                "idea"
            }),
        ),
        Resource::Eligibility => (
            "SELECT COUNT(*) FROM eligibility_associations e JOIN students s ON s.id = e.student_id
             WHERE s.active = TRUE AND (CAST($1 AS BIGINT) IS NULL OR e.district_id = $1)",
            None,
        ),
    };
    match program {
        Some(tag) => conn.query_one(sql, params![district_id, tag])?.int(0),
        None => conn.query_one(sql, params![district_id])?.int(0),
    }
}

/// Schools that came from Ed-Fi, by school id.
fn schools(conn: &mut Conn) -> Result<Vec<School>, StoreError> {
    conn.query(
        "SELECT edfi_record FROM schools WHERE active = TRUE AND edfi_record IS NOT NULL",
        &[],
    )?
    .iter()
    .map(|row| from_json("school", row.text(0)?))
    .collect()
}

/// Everything the database holds as one batch, sorted by the keys the Ed-Fi parser sorts by,
/// so export → import → export gives identical files.
pub fn export_batch(conn: &mut Conn) -> Result<Batch, StoreError> {
    let mut batch = Batch {
        schools: schools(conn)?,
        students: students(conn, None, Page::ALL)?
            .into_iter()
            .map(|(_, s)| s)
            .collect(),
        programs: Vec::new(),
        eligibility: eligibility(conn, None, Page::ALL)?
            .into_iter()
            .map(|(_, e)| e)
            .collect(),
    };
    for program in [Program::Idea, Program::Section504] {
        batch.programs.extend(
            program_associations(conn, program, None, Page::ALL)?
                .into_iter()
                .map(|(_, p)| p),
        );
    }
    batch.schools.sort_by_key(|s| s.school_id);
    batch.students.sort_by(|a, b| a.unique_id.cmp(&b.unique_id));
    batch.programs.sort_by_cached_key(ProgramAssociation::key);
    batch.eligibility.sort_by_cached_key(EligibilityRecord::key);
    Ok(batch)
}
