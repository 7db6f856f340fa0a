//! A program association's columns: the report columns every association has, the Ed-Fi
//! program it belongs to (a row of `edfi_programs`) and its other Ed-Fi fields (migration 0014).

use super::from_json;
use super::to_json;
use crate::db::{Conn, Value};
use crate::programs::{self, Disability};
use crate::{StoreError, params};
use interop::normalized::ProgramAssociation;

/// The columns of an association's row, in the order it is written: `$1` district, `$2`
/// student, [`row_values`] and, last, the Ed-Fi program.
pub(super) const PROGRAM_COLUMNS: [&str; 23] = [
    "district_id",
    "student_id",
    "program",
    "begin_date",
    "end_date",
    "section504_disability",
    "education_organization_id",
    "idea_eligibility",
    "iep_begin_date",
    "iep_end_date",
    "iep_review_date",
    "last_evaluation_date",
    "section504_eligibility",
    "accommodation_plan",
    "section504_disability_descriptor",
    "section504_meeting_date",
    "section504_eligibility_decision_date",
    "primary_disability",
    "disabilities",
    "environment",
    "exit_basis",
    "exit_date",
    "edfi_program_id",
];

/// What an association read again updates: every column but its key and owner.
pub(super) const PROGRAM_CONFLICT: &str = " ON CONFLICT (student_id, program, begin_date)
     DO UPDATE SET end_date = excluded.end_date,
                   primary_disability = excluded.primary_disability,
                   disabilities = excluded.disabilities,
                   environment = excluded.environment,
                   exit_basis = excluded.exit_basis,
                   section504_disability = excluded.section504_disability,
                   exit_date = excluded.exit_date,
                   edfi_program_id = excluded.edfi_program_id,
                   education_organization_id = excluded.education_organization_id,
                   idea_eligibility = excluded.idea_eligibility,
                   iep_begin_date = excluded.iep_begin_date,
                   iep_end_date = excluded.iep_end_date,
                   iep_review_date = excluded.iep_review_date,
                   last_evaluation_date = excluded.last_evaluation_date,
                   section504_eligibility = excluded.section504_eligibility,
                   accommodation_plan = excluded.accommodation_plan,
                   section504_disability_descriptor = excluded.section504_disability_descriptor,
                   section504_meeting_date = excluded.section504_meeting_date,
                   section504_eligibility_decision_date = excluded.section504_eligibility_decision_date";

/// The Ed-Fi fields of an association beyond the report columns, in the order of the
/// `education_organization_id … section504_eligibility_decision_date` columns.
fn edfi_fields(p: &ProgramAssociation) -> [Value; 11] {
    [
        p.education_organization_id.into(),
        p.idea_eligibility.into(),
        p.iep_begin_date.into(),
        p.iep_end_date.into(),
        p.iep_review_date.into(),
        p.last_evaluation_date.into(),
        p.section504_eligibility.into(),
        p.accommodation_plan.into(),
        p.section504_disability_descriptor.as_deref().into(),
        p.section504_meeting_date.into(),
        p.section504_eligibility_decision_date.into(),
    ]
}

/// An association's values for its columns between the student and the Ed-Fi program
/// ([`PROGRAM_COLUMNS`]).
pub(super) fn row_values(program: ProgramAssociation) -> Result<Vec<Value>, StoreError> {
    let mut row = Vec::with_capacity(20);
    row.extend([
        programs::program_tag(program.program)?.into(),
        program.begin_date.into(),
        program.end_date.into(),
        program.section504_disability_text().into(),
    ]);
    row.extend(edfi_fields(&program));
    row.extend([
        program.primary_disability.into(),
        disabilities_column(&program.disabilities)?.into(),
        program.environment.into(),
        program.exit_basis.into(),
        program.exit_date.into(),
    ]);
    Ok(row)
}

/// The `disabilities` column of EDFacts codes given primary first: each code with its
/// `orderOfDisability`.
fn disabilities_column(codes: &[String]) -> Result<String, StoreError> {
    let disabilities: Vec<Disability> = codes
        .iter()
        .zip(1u32..)
        .map(|(code, order)| Disability {
            code: code.clone(),
            order,
        })
        .collect();
    to_json(&disabilities)
}

/// The codes of a `disabilities` column, primary (lowest order) first.
pub(super) fn disability_codes(column: &str) -> Result<Vec<String>, StoreError> {
    let disabilities: Vec<Disability> = from_json("program disabilities", column)?;
    let mut codes: Vec<(u32, String)> = disabilities
        .into_iter()
        .map(|d| (d.order, d.code))
        .collect();
    codes.sort();
    Ok(codes.into_iter().map(|(_, code)| code).collect())
}

/// An Ed-Fi program reference: education organization, program name, program type.
pub(super) type ProgramReference = (i64, String, String);

/// The reference of the program `p` belongs to, taken out of it (its row keeps the reference
/// as an id, not the names).
pub(super) fn take_reference(p: &mut ProgramAssociation) -> ProgramReference {
    (
        p.program_education_organization_id,
        std::mem::take(&mut p.program_name),
        std::mem::take(&mut p.program_type_descriptor),
    )
}

/// The Ed-Fi programs by id, as associations refer to them; the last one asked for is
/// remembered, as a file's associations mostly share one.
#[derive(Default)]
pub(super) struct EdfiPrograms {
    last: Option<(ProgramReference, i64)>,
}

impl EdfiPrograms {
    pub(super) fn id_of(
        &mut self,
        tx: &mut Conn,
        reference: &ProgramReference,
    ) -> Result<i64, StoreError> {
        if let Some((last, id)) = &self.last
            && last == reference
        {
            return Ok(*id);
        }
        let (org, name, kind) = reference;
        let key = params![*org, name.as_str(), kind.as_str()];
        tx.execute(
            "INSERT INTO edfi_programs (education_organization_id, program_name, program_type_descriptor)
             VALUES ($1, $2, $3)
             ON CONFLICT (education_organization_id, program_name, program_type_descriptor) DO NOTHING",
            key,
        )?;
        let id = tx
            .query_one(
                "SELECT id FROM edfi_programs
                 WHERE education_organization_id = $1 AND program_name = $2
                   AND program_type_descriptor = $3",
                key,
            )?
            .int(0)?;
        self.last = Some((reference.clone(), id));
        Ok(id)
    }
}

/// Migration 0014's backfill: the Ed-Fi fields of every association imported before it, moved
/// from the association's JSON copy of its record into the columns.
pub fn move_records_into_columns(tx: &mut Conn) -> Result<(), StoreError> {
    let stored = tx.query(
        "SELECT id, edfi_record FROM program_associations WHERE edfi_record IS NOT NULL",
        &[],
    )?;
    let mut programs = EdfiPrograms::default();
    for row in stored {
        let mut record: ProgramAssociation = from_json("program association", &row.string(1)?)?;
        let reference = take_reference(&mut record);
        let mut values = vec![Value::from(programs.id_of(tx, &reference)?)];
        values.extend(edfi_fields(&record));
        values.push(row.int(0)?.into());
        tx.execute(
            "UPDATE program_associations
             SET edfi_program_id = $1, education_organization_id = $2, idea_eligibility = $3,
                 iep_begin_date = $4, iep_end_date = $5, iep_review_date = $6,
                 last_evaluation_date = $7, section504_eligibility = $8,
                 accommodation_plan = $9, section504_disability_descriptor = $10,
                 section504_meeting_date = $11, section504_eligibility_decision_date = $12,
                 edfi_record = NULL
             WHERE id = $13",
            &values,
        )?;
    }
    Ok(())
}
