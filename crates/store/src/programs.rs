//! Program associations: a student's participation in special education (IDEA) or Section 504,
//! in the shape of Ed-Fi's program associations (begin/end, disabilities with their order,
//! educational environment, basis of exit). Child-count, exiting and CRDC reports read these.

use crate::db::Conn;
use crate::{StoreError, params};
use domain::Date;
use domain::codes::{
    DISABILITY_CODES, EARLY_CHILDHOOD_ENVIRONMENTS, EXIT_BASES, Program, SCHOOL_AGE_ENVIRONMENTS,
};
use serde::{Deserialize, Serialize};

/// One disability of a student, by EDFacts code, with Ed-Fi's `orderOfDisability` (1 = primary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disability {
    pub code: String,
    pub order: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgramAssociation {
    pub id: i64,
    pub district_id: i64,
    pub student_id: i64,
    pub program: Program,
    pub begin_date: Date,
    pub end_date: Option<Date>,
    pub primary_disability: Option<String>,
    pub disabilities: Vec<Disability>,
    pub environment: Option<String>,
    pub exit_basis: Option<String>,
    pub section504_disability: Option<String>,
    pub source_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramAssociation<'a> {
    pub district_id: i64,
    pub student_id: i64,
    pub program: Program,
    pub begin_date: Date,
    pub end_date: Option<Date>,
    pub primary_disability: Option<&'a str>,
    pub disabilities: &'a [Disability],
    pub environment: Option<&'a str>,
    pub exit_basis: Option<&'a str>,
    pub section504_disability: Option<&'a str>,
    pub source_id: Option<&'a str>,
}

/// The columns an insert writes, in order; the synthetic generator's bulk writer uses the same.
pub const INSERT_COLUMNS: &[&str] = &[
    "district_id",
    "student_id",
    "program",
    "begin_date",
    "end_date",
    "primary_disability",
    "disabilities",
    "environment",
    "exit_basis",
    "section504_disability",
    "source_id",
];

/// The stored spelling of a program; RTI is not a program association.
pub fn program_tag(program: Program) -> Result<&'static str, StoreError> {
    match program {
        Program::Idea => Ok("idea"),
        Program::Section504 => Ok("section504"),
        Program::Rti => Err(StoreError::Invalid(
            "program: expected `idea` or `section504` (RTI is not a program association)".into(),
        )),
    }
}

pub(crate) fn parse_program(text: &str) -> Result<Program, StoreError> {
    match text {
        "idea" => Ok(Program::Idea),
        "section504" => Ok(Program::Section504),
        other => Err(StoreError::Corrupt(format!("program `{other}`"))),
    }
}

/// The first problem with an association's codes, as "field: what was expected".
pub fn validate(assoc: &NewProgramAssociation<'_>) -> Result<(), StoreError> {
    program_tag(assoc.program)?;
    let invalid = |msg: String| Err(StoreError::Invalid(msg));
    if assoc.end_date.is_some_and(|end| end < assoc.begin_date) {
        return invalid("end_date: expected a date on or after begin_date".into());
    }
    if let Some(code) = assoc.primary_disability
        && !DISABILITY_CODES.contains(&code)
    {
        return invalid(format!(
            "primary_disability: expected one of {}, got `{code}`",
            DISABILITY_CODES.join(", ")
        ));
    }
    for (i, disability) in assoc.disabilities.iter().enumerate() {
        if !DISABILITY_CODES.contains(&disability.code.as_str()) {
            return invalid(format!(
                "disabilities[{i}].code: expected one of {}, got `{}`",
                DISABILITY_CODES.join(", "),
                disability.code
            ));
        }
    }
    if let Some(env) = assoc.environment
        && !SCHOOL_AGE_ENVIRONMENTS.contains(&env)
        && !EARLY_CHILDHOOD_ENVIRONMENTS.contains(&env)
    {
        return invalid(format!(
            "environment: expected an EDFacts environment code, got `{env}`"
        ));
    }
    if let Some(basis) = assoc.exit_basis
        && !EXIT_BASES.contains(&basis)
    {
        return invalid(format!(
            "exit_basis: expected one of {}, got `{basis}`",
            EXIT_BASES.join(", ")
        ));
    }
    Ok(())
}

/// The association as the row values `INSERT_COLUMNS` names.
pub fn row_values(assoc: &NewProgramAssociation<'_>) -> Result<Vec<crate::db::Value>, StoreError> {
    let disabilities = serde_json::to_string(assoc.disabilities)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(params![
        assoc.district_id,
        assoc.student_id,
        program_tag(assoc.program)?,
        assoc.begin_date,
        assoc.end_date,
        assoc.primary_disability,
        disabilities,
        assoc.environment,
        assoc.exit_basis,
        assoc.section504_disability,
        assoc.source_id
    ]
    .to_vec())
}

/// Adds one association; returns its id.
pub fn insert(conn: &mut Conn, assoc: &NewProgramAssociation<'_>) -> Result<i64, StoreError> {
    validate(assoc)?;
    let values = row_values(assoc)?;
    let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO program_associations ({}) VALUES ({}) RETURNING id",
        INSERT_COLUMNS.join(", "),
        placeholders.join(", ")
    );
    match conn.query_one(&sql, &values) {
        Ok(row) => row.int(0),
        Err(e) if e.is_unique_violation() => Err(StoreError::Conflict(format!(
            "student {} already has a {} association beginning {}",
            assoc.student_id,
            program_tag(assoc.program)?,
            assoc.begin_date
        ))),
        Err(e) => Err(e),
    }
}

/// A student's associations, oldest first.
pub fn list_for_student(
    conn: &mut Conn,
    student_id: i64,
) -> Result<Vec<ProgramAssociation>, StoreError> {
    conn.query(
        "SELECT id, district_id, student_id, program, begin_date, end_date, primary_disability,
                disabilities, environment, exit_basis, section504_disability, source_id
         FROM program_associations WHERE student_id = $1 ORDER BY begin_date, id",
        params![student_id],
    )?
    .iter()
    .map(|row| {
        let disabilities = serde_json::from_str(row.text(7)?)
            .map_err(|e| StoreError::Corrupt(format!("program disabilities: {e}")))?;
        Ok(ProgramAssociation {
            id: row.int(0)?,
            district_id: row.int(1)?,
            student_id: row.int(2)?,
            program: parse_program(row.text(3)?)?,
            begin_date: row.date(4)?,
            end_date: row.opt_date(5)?,
            primary_disability: row.opt_string(6)?,
            disabilities,
            environment: row.opt_string(8)?,
            exit_basis: row.opt_string(9)?,
            section504_disability: row.opt_string(10)?,
            source_id: row.opt_string(11)?,
        })
    })
    .collect()
}
