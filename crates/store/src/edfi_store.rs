//! Ed-Fi records in the store: writing an imported batch (students, program associations,
//! eligibility records and the case events they imply) and reading the same records back, in
//! pages for the Ed-Fi-compatible API or whole for `export edfi`.

use crate::db::{Conn, Row};
use crate::events::{self, Appended};
use crate::programs::{self, Disability};
use crate::{StoreError, now, params};
use domain::Date;
use domain::codes::Program;
use domain::event::Event;
use interop::normalized::{
    Batch, EligibilityRecord, ProgramAssociation, School, Student, stable_id,
};
use std::collections::{BTreeSet, HashMap};

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

/// How many records `import` writes, for a progress bar.
pub fn record_count(batch: &Batch) -> u64 {
    (batch.schools.len() + batch.students.len() + batch.programs.len() + batch.eligibility.len())
        as u64
}

/// Writes `batch` into `district_id` inside the caller's transaction: students upserted by
/// `studentUniqueId`, associations by (student, program, begin date), eligibility records by
/// their natural key, implied events appended under their stable ids (a re-import replays them),
/// and the obligations of every student whose case changed refreshed as of `as_of`.
/// An association naming a student neither stored nor in the batch is refused.
pub fn import(
    tx: &mut Conn,
    district_id: i64,
    batch: &Batch,
    as_of: Date,
    progress: &mut dyn FnMut(u64),
) -> Result<EdfiSummary, StoreError> {
    let jurisdiction = tx
        .query_one(
            "SELECT jurisdiction FROM districts WHERE id = $1",
            params![district_id],
        )?
        .string(0)?;
    let mut summary = EdfiSummary::default();
    let mut done = 0u64;
    let mut tick = |progress: &mut dyn FnMut(u64)| {
        done += 1;
        if done.is_multiple_of(1024) {
            progress(done);
        }
    };
    // Students whose obligations must be recomputed: new events or a changed birth date.
    let mut changed: BTreeSet<i64> = BTreeSet::new();

    for school in &batch.schools {
        let record = to_json(school)?;
        tx.execute(
            "INSERT INTO schools (district_id, name, source_id, active, edfi_record)
             VALUES ($1, $2, $3, TRUE, $4)
             ON CONFLICT (district_id, source_id)
             DO UPDATE SET name = excluded.name, active = TRUE, edfi_record = excluded.edfi_record",
            params![
                district_id,
                &school.name,
                school.school_id.to_string(),
                record
            ],
        )?;
        summary.schools += 1;
        tick(progress);
    }

    let mut ids: HashMap<String, i64> = HashMap::new();
    for student in &batch.students {
        let existing = tx.query_opt(
            "SELECT id, birth_date FROM students WHERE district_id = $1 AND source_id = $2",
            params![district_id, &student.unique_id],
        )?;
        let id = match existing {
            Some(row) => {
                let id = row.int(0)?;
                if row.date(1)? != student.birth_date {
                    changed.insert(id);
                }
                tx.execute(
                    "UPDATE students SET first_name = $1, middle_name = $2, last_name = $3,
                                         birth_date = $4, active = TRUE
                     WHERE id = $5",
                    params![
                        &student.first_name,
                        student.middle_name.as_deref(),
                        &student.last_surname,
                        student.birth_date,
                        id
                    ],
                )?;
                id
            }
            None => tx
                .query_one(
                    "INSERT INTO students (district_id, first_name, middle_name, last_name,
                                           birth_date, jurisdiction, source_id, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    params![
                        district_id,
                        &student.first_name,
                        student.middle_name.as_deref(),
                        &student.last_surname,
                        student.birth_date,
                        &jurisdiction,
                        &student.unique_id,
                        now()
                    ],
                )?
                .int(0)?,
        };
        ids.insert(student.unique_id.clone(), id);
        summary.students += 1;
        tick(progress);
    }

    let referenced = batch
        .programs
        .iter()
        .map(|p| &p.student_unique_id)
        .chain(batch.eligibility.iter().map(|e| &e.student_unique_id));
    let mut unknown = BTreeSet::new();
    for unique_id in referenced {
        if ids.contains_key(unique_id) || unknown.contains(unique_id) {
            continue;
        }
        match tx.query_opt(
            "SELECT id FROM students WHERE district_id = $1 AND source_id = $2",
            params![district_id, unique_id],
        )? {
            Some(row) => {
                ids.insert(unique_id.clone(), row.int(0)?);
            }
            None => {
                unknown.insert(unique_id.clone());
            }
        }
    }
    if !unknown.is_empty() {
        return Err(StoreError::Invalid(
            unknown
                .iter()
                .map(|id| {
                    format!(
                        "studentReference.studentUniqueId: expected a student in these files or already imported, got \"{id}\""
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    let student_id = |unique_id: &str| {
        ids.get(unique_id)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("student `{unique_id}` vanished")))
    };

    for program in &batch.programs {
        let disabilities: Vec<Disability> = program
            .disabilities
            .iter()
            .zip(1u32..)
            .map(|(code, order)| Disability {
                code: code.clone(),
                order,
            })
            .collect();
        tx.execute(
            "INSERT INTO program_associations
                 (district_id, student_id, program, begin_date, end_date, primary_disability,
                  disabilities, environment, exit_basis, section504_disability, edfi_record,
                  exit_date)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (student_id, program, begin_date)
             DO UPDATE SET end_date = excluded.end_date,
                           primary_disability = excluded.primary_disability,
                           disabilities = excluded.disabilities,
                           environment = excluded.environment,
                           exit_basis = excluded.exit_basis,
                           section504_disability = excluded.section504_disability,
                           edfi_record = excluded.edfi_record,
                           exit_date = excluded.exit_date",
            params![
                district_id,
                student_id(&program.student_unique_id)?,
                programs::program_tag(program.program)?,
                program.begin_date,
                program.end_date,
                program.primary_disability.as_deref(),
                to_json(&disabilities)?,
                program.environment.as_deref(),
                program.exit_basis.as_deref(),
                program.section504_disability_text(),
                to_json(program)?,
                program.exit_date
            ],
        )?;
        summary.program_associations += 1;
        tick(progress);
    }

    for record in &batch.eligibility {
        tx.execute(
            "INSERT INTO eligibility_associations
                 (district_id, student_id, natural_key, consent_date, edfi_record)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (student_id, natural_key)
             DO UPDATE SET edfi_record = excluded.edfi_record",
            params![
                district_id,
                student_id(&record.student_unique_id)?,
                eligibility_key(record),
                record.consent_date,
                to_json(record)?
            ],
        )?;
        summary.eligibility_associations += 1;
        tick(progress);
    }

    for implied in batch.implied_events() {
        let id = student_id(&implied.student_unique_id)?;
        match append_revisable(tx, district_id, id, &implied.event)? {
            Outcome::Created => {
                summary.events_created += 1;
                changed.insert(id);
            }
            Outcome::Revised => {
                summary.events_revised += 1;
                changed.insert(id);
            }
            Outcome::Replayed => summary.events_replayed += 1,
        }
    }

    for id in &changed {
        crate::projection::refresh_student(tx, *id, as_of)?;
    }
    summary.students_refreshed = changed.len() as u64;
    progress(done);
    Ok(summary)
}

enum Outcome {
    Created,
    Replayed,
    Revised,
}

/// Appends an implied event. When the source record changed since the last import (same
/// stable id, different facts), the event log stays append-only: a revision is added that
/// supersedes the original, under an id derived from its content, so importing the changed
/// record again replays that revision.
fn append_revisable(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    event: &Event,
) -> Result<Outcome, StoreError> {
    match events::append(tx, district_id, student_id, event, None) {
        Ok(Appended::Created(_)) => Ok(Outcome::Created),
        Ok(Appended::Replayed(_)) => Ok(Outcome::Replayed),
        Err(StoreError::Conflict(_)) => {
            let body = to_json(event)?;
            let revision = Event {
                id: stable_id(&event.id, &[&body]),
                supersedes: Some(event.id.clone()),
                ..event.clone()
            };
            match events::append(tx, district_id, student_id, &revision, None)? {
                Appended::Created(_) => Ok(Outcome::Revised),
                Appended::Replayed(_) => Ok(Outcome::Replayed),
            }
        }
        Err(other) => Err(other),
    }
}

fn eligibility_key(record: &EligibilityRecord) -> String {
    stable_id(
        "eligibility",
        &[
            &record.education_organization_id.to_string(),
            &record.program_education_organization_id.to_string(),
            &record.program_name,
            &record.program_type_descriptor,
            &record.consent_date.to_string(),
        ],
    )
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
            p.section504_disability, p.edfi_record
     FROM program_associations p JOIN students s ON s.id = p.student_id
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

/// An association as imported when the import kept its record (the columns win where a later
/// edit changed them), else built from the columns with iep504's program references.
fn program_from_row(row: &Row) -> Result<ProgramAssociation, StoreError> {
    let student = unique_id(row.opt_string(1)?, row.int(2)?);
    let district_id = row.int(3)?;
    let program = match row.text(4)? {
        "idea" => Program::Idea,
        "section504" => Program::Section504,
        other => return Err(StoreError::Corrupt(format!("program `{other}`"))),
    };
    if let Some(record) = row.opt_string(12)? {
        let mut association: ProgramAssociation = from_json("program association", &record)?;
        association.student_unique_id = student;
        return Ok(association);
    }
    let disabilities: Vec<Disability> = from_json("program disabilities", row.text(8)?)?;
    let mut codes: Vec<(u32, String)> = disabilities
        .into_iter()
        .map(|d| (d.order, d.code))
        .collect();
    codes.sort();
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
    Ok(ProgramAssociation {
        student_unique_id: student,
        program,
        education_organization_id: district_id,
        program_education_organization_id: district_id,
        program_name: program_name.into(),
        program_type_descriptor: program_type.into(),
        begin_date: row.date(5)?,
        end_date,
        primary_disability: row.opt_string(7)?,
        disabilities: codes.into_iter().map(|(_, code)| code).collect(),
        environment: row.opt_string(9)?,
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
    batch.programs.sort_by(|a, b| {
        let key = |p: &ProgramAssociation| {
            (
                p.student_unique_id.clone(),
                p.program == Program::Section504,
                p.begin_date,
                p.education_organization_id,
                p.program_education_organization_id,
                p.program_name.clone(),
                p.program_type_descriptor.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    batch.eligibility.sort_by(|a, b| {
        let key = |e: &EligibilityRecord| {
            (
                e.student_unique_id.clone(),
                e.consent_date,
                e.education_organization_id,
                e.program_education_organization_id,
                e.program_name.clone(),
                e.program_type_descriptor.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(batch)
}
