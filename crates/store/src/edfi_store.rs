//! Ed-Fi records in the store: writing an imported batch (students, program associations,
//! eligibility records and the case events they imply) and reading the same records back, in
//! pages for the Ed-Fi-compatible API or whole for `export edfi`.

use crate::db::{Backend, Conn, Row, Value};
use crate::events::{self, Appended};
use crate::programs::{self, Disability};
use crate::{StoreError, now, params};
use domain::Date;
use domain::codes::Program;
use domain::event::Event;
use interop::normalized::{
    Batch, EligibilityRecord, IdeaServices, ProgramAssociation, Record, School, Student,
    StudentEvent, sort_implied, stable_id,
};
use std::collections::{BTreeSet, HashMap, HashSet};

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

/// Writes a parsed `batch` into `district_id` inside the caller's transaction, as
/// [`EdfiWriter`] does for records streamed from the files.
pub fn import(
    tx: &mut Conn,
    district_id: i64,
    batch: &Batch,
    as_of: Date,
) -> Result<EdfiSummary, StoreError> {
    let mut writer = EdfiWriter::begin(tx, district_id, record_count(batch))?;
    let records: Vec<Record> = batch
        .schools
        .iter()
        .cloned()
        .map(Record::School)
        .chain(batch.students.iter().cloned().map(Record::Student))
        .chain(batch.programs.iter().cloned().map(Record::Program))
        .chain(batch.eligibility.iter().cloned().map(Record::Eligibility))
        .collect();
    writer.write(tx, records)?;
    writer.finish(tx, as_of)
}

/// A stored student the import has met, by `studentUniqueId`.
struct KnownStudent {
    id: i64,
    /// The birth date before this import, for a student stored earlier.
    stored_birth_date: Option<Date>,
    in_batch: bool,
}

/// The natural key a program association is upserted by.
type ProgramRow = (i64, &'static str, Date);

/// Writes Ed-Fi records into a district inside the caller's transaction as they are read:
/// students upserted by `studentUniqueId`, associations by (student, program, begin date),
/// eligibility records by their natural key — a record read again updates in place, the last
/// one read winning. Records naming a student not met yet wait for [`EdfiWriter::finish`], which
/// refuses any whose student is neither stored nor in the files, appends the case events the
/// records imply under their stable ids (a re-import replays them) and refreshes the
/// obligations of every student whose case changed.
pub struct EdfiWriter {
    district_id: i64,
    jurisdiction: String,
    created_at: String,
    students: HashMap<String, KnownStudent>,
    waiting: Vec<Record>,
    programs: HashSet<ProgramRow>,
    exits: HashMap<ProgramRow, StudentEvent>,
    eligibility: HashMap<(i64, String), EligibilityRecord>,
    /// Students whose obligations must be recomputed: new events or a changed birth date.
    changed: BTreeSet<i64>,
    /// The secondary indexes dropped for a bulk import, to create again at its end.
    rebuild: Vec<String>,
    edfi_programs: EdfiPrograms,
    summary: EdfiSummary,
}

/// An import expected to bring at least this many records, and at least as many as the tables
/// hold, rebuilds the tables' secondary indexes at its end instead of updating them row by row
/// (SQLite): building an index once from sorted keys costs a fraction of a million random
/// inserts. The unique indexes stay, as the upserts need them.
const REBUILD_INDEXES_FROM: u64 = 100_000;

/// The tables an Ed-Fi import writes.
const IMPORT_TABLES: &str = "'students', 'program_associations', 'eligibility_associations'";

const INSERT_STUDENT: &str =
    "INSERT INTO students (district_id, first_name, middle_name, last_name,
                                       birth_date, jurisdiction, source_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

const UPDATE_STUDENT: &str = "UPDATE students
     SET first_name = $1, middle_name = $2, last_name = $3, birth_date = $4, active = TRUE
     WHERE id = $5";

const UPSERT_PROGRAM: &str = "INSERT INTO program_associations
         (district_id, student_id, program, begin_date, end_date, primary_disability,
          disabilities, environment, exit_basis, section504_disability, exit_date,
          edfi_program_id, education_organization_id, idea_eligibility, iep_begin_date,
          iep_end_date, iep_review_date, last_evaluation_date, section504_eligibility,
          accommodation_plan, section504_disability_descriptor, section504_meeting_date,
          section504_eligibility_decision_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, $20, $21, $22, $23)
     ON CONFLICT (student_id, program, begin_date)
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

/// The columns of a program association: the report columns, then its Ed-Fi program and fields.
fn program_row(
    district_id: i64,
    student_id: i64,
    program: &ProgramAssociation,
    edfi_program_id: i64,
) -> Result<Vec<Value>, StoreError> {
    let disabilities: Vec<Disability> = program
        .disabilities
        .iter()
        .zip(1u32..)
        .map(|(code, order)| Disability {
            code: code.clone(),
            order,
        })
        .collect();
    let mut row = params![
        district_id,
        student_id,
        programs::program_tag(program.program)?,
        program.begin_date,
        program.end_date,
        program.primary_disability.as_deref(),
        to_json(&disabilities)?,
        program.environment.as_deref(),
        program.exit_basis.as_deref(),
        program.section504_disability_text(),
        program.exit_date,
        edfi_program_id
    ]
    .to_vec();
    row.extend(edfi_fields(program));
    Ok(row)
}

/// The Ed-Fi programs (education organization, name, type) by id, as associations refer to
/// them; the last one asked for is remembered, as a file's associations mostly share one.
#[derive(Default)]
struct EdfiPrograms {
    last: Option<(i64, String, String, i64)>,
}

impl EdfiPrograms {
    fn id_of(&mut self, tx: &mut Conn, p: &ProgramAssociation) -> Result<i64, StoreError> {
        if let Some((org, name, kind, id)) = &self.last
            && *org == p.program_education_organization_id
            && *name == p.program_name
            && *kind == p.program_type_descriptor
        {
            return Ok(*id);
        }
        let key = params![
            p.program_education_organization_id,
            p.program_name.as_str(),
            p.program_type_descriptor.as_str()
        ];
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
        self.last = Some((
            p.program_education_organization_id,
            p.program_name.clone(),
            p.program_type_descriptor.clone(),
            id,
        ));
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
        let record: ProgramAssociation = from_json("program association", &row.string(1)?)?;
        let mut values = vec![Value::from(programs.id_of(tx, &record)?)];
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

const UPSERT_ELIGIBILITY: &str = "INSERT INTO eligibility_associations
         (district_id, student_id, natural_key, consent_date, edfi_record)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (student_id, natural_key)
     DO UPDATE SET edfi_record = excluded.edfi_record";

const UPSERT_SCHOOL: &str =
    "INSERT INTO schools (district_id, name, source_id, active, edfi_record)
     VALUES ($1, $2, $3, TRUE, $4)
     ON CONFLICT (district_id, source_id)
     DO UPDATE SET name = excluded.name, active = TRUE, edfi_record = excluded.edfi_record";

impl EdfiWriter {
    /// Starts an import into `district_id` of about `expected_records` records: reads the
    /// district's jurisdiction and the students it already holds by source id (one scan, instead
    /// of a lookup per record), and readies the tables for a bulk import when it is one.
    pub fn begin(
        tx: &mut Conn,
        district_id: i64,
        expected_records: u64,
    ) -> Result<EdfiWriter, StoreError> {
        let jurisdiction = tx
            .query_one(
                "SELECT jurisdiction FROM districts WHERE id = $1",
                params![district_id],
            )?
            .string(0)?;
        // Sized for the files' records, so the map is not rebuilt as it grows.
        let mut students =
            HashMap::with_capacity(usize::try_from(expected_records / 2).unwrap_or(0));
        tx.for_each(
            "SELECT source_id, id, birth_date FROM students
             WHERE district_id = $1 AND source_id IS NOT NULL",
            params![district_id],
            |row| {
                students.insert(
                    row.string(0)?,
                    KnownStudent {
                        id: row.int(1)?,
                        stored_birth_date: Some(row.date(2)?),
                        in_batch: false,
                    },
                );
                Ok(())
            },
        )?;
        let rebuild = drop_secondary_indexes(tx, expected_records)?;
        Ok(EdfiWriter {
            district_id,
            jurisdiction,
            created_at: now(),
            students,
            waiting: Vec::new(),
            programs: HashSet::new(),
            exits: HashMap::new(),
            eligibility: HashMap::new(),
            changed: BTreeSet::new(),
            rebuild,
            edfi_programs: EdfiPrograms::default(),
            summary: EdfiSummary::default(),
        })
    }

    /// Writes `records` in order; runs of one kind share a compiled statement.
    pub fn write(&mut self, tx: &mut Conn, records: Vec<Record>) -> Result<(), StoreError> {
        let mut records = records.into_iter().peekable();
        while let Some(first) = records.next() {
            let mut run = vec![first];
            while let Some(next) = records.next_if(|r| same_kind(r, &run[0])) {
                run.push(next);
            }
            match &run[0] {
                Record::School(_) => self.schools(tx, run)?,
                Record::Student(_) => self.write_students(tx, run)?,
                Record::Program(_) => self.write_programs(tx, run)?,
                Record::Eligibility(_) => self.write_eligibility(tx, run)?,
            }
        }
        Ok(())
    }

    fn schools(&mut self, tx: &mut Conn, run: Vec<Record>) -> Result<(), StoreError> {
        let mut upsert = tx.prepare(UPSERT_SCHOOL)?;
        for record in run {
            let Record::School(school) = record else {
                continue;
            };
            upsert.execute(params![
                self.district_id,
                &school.name,
                school.school_id.to_string(),
                to_json(&school)?
            ])?;
            self.summary.schools += 1;
        }
        Ok(())
    }

    /// New students are inserted; students met before (stored, or earlier in the files) are
    /// updated after the run's inserts, which keeps the last record of a student the one that
    /// counts.
    fn write_students(&mut self, tx: &mut Conn, run: Vec<Record>) -> Result<(), StoreError> {
        let mut updates = Vec::new();
        let mut insert = tx.prepare_insert(INSERT_STUDENT)?;
        for record in run {
            let Record::Student(student) = record else {
                continue;
            };
            if let Some(known) = self.students.get_mut(&student.unique_id) {
                if known
                    .stored_birth_date
                    .is_some_and(|stored| stored != student.birth_date)
                {
                    self.changed.insert(known.id);
                }
                if !known.in_batch {
                    known.in_batch = true;
                    self.summary.students += 1;
                }
                updates.push((known.id, student));
                continue;
            }
            let id = insert.insert(params![
                self.district_id,
                &student.first_name,
                student.middle_name.as_deref(),
                &student.last_surname,
                student.birth_date,
                self.jurisdiction.as_str(),
                student.unique_id.as_str(),
                self.created_at.as_str()
            ])?;
            self.students.insert(
                student.unique_id,
                KnownStudent {
                    id,
                    stored_birth_date: None,
                    in_batch: true,
                },
            );
            self.summary.students += 1;
        }
        drop(insert);
        if !updates.is_empty() {
            let mut update = tx.prepare(UPDATE_STUDENT)?;
            for (id, student) in updates {
                update.execute(params![
                    &student.first_name,
                    student.middle_name.as_deref(),
                    &student.last_surname,
                    student.birth_date,
                    id
                ])?;
            }
        }
        Ok(())
    }

    fn student_id(&self, unique_id: &str) -> Option<i64> {
        self.students.get(unique_id).map(|known| known.id)
    }

    fn write_programs(&mut self, tx: &mut Conn, run: Vec<Record>) -> Result<(), StoreError> {
        // The programs first: their rows are written by other statements than the upsert.
        let mut ready = Vec::with_capacity(run.len());
        for record in run {
            let Record::Program(program) = record else {
                continue;
            };
            match self.student_id(&program.student_unique_id) {
                Some(student_id) => {
                    let edfi_program_id = self.edfi_programs.id_of(tx, &program)?;
                    ready.push((student_id, edfi_program_id, program));
                }
                None => self.waiting.push(Record::Program(program)),
            }
        }
        let mut upsert = tx.prepare(UPSERT_PROGRAM)?;
        for (student_id, edfi_program_id, program) in ready {
            upsert.execute(&program_row(
                self.district_id,
                student_id,
                &program,
                edfi_program_id,
            )?)?;
            let row = (
                student_id,
                programs::program_tag(program.program)?,
                program.begin_date,
            );
            if self.programs.insert(row) {
                self.summary.program_associations += 1;
            }
            match program.implied_exit() {
                Some(event) => {
                    self.exits.insert(
                        row,
                        StudentEvent {
                            student_unique_id: program.student_unique_id,
                            event,
                        },
                    );
                }
                None => {
                    self.exits.remove(&row);
                }
            }
        }
        Ok(())
    }

    fn write_eligibility(&mut self, tx: &mut Conn, run: Vec<Record>) -> Result<(), StoreError> {
        let mut upsert = tx.prepare(UPSERT_ELIGIBILITY)?;
        for record in run {
            let Record::Eligibility(eligibility) = record else {
                continue;
            };
            let Some(student_id) = self.student_id(&eligibility.student_unique_id) else {
                self.waiting.push(Record::Eligibility(eligibility));
                continue;
            };
            let key = eligibility_key(&eligibility);
            upsert.execute(params![
                self.district_id,
                student_id,
                key.as_str(),
                eligibility.consent_date,
                to_json(&eligibility)?
            ])?;
            if self
                .eligibility
                .insert((student_id, key), eligibility)
                .is_none()
            {
                self.summary.eligibility_associations += 1;
            }
        }
        Ok(())
    }

    /// Writes the records that waited for their student, appends the implied case events and
    /// refreshes the obligations of every student whose case changed, as of `as_of`.
    pub fn finish(mut self, tx: &mut Conn, as_of: Date) -> Result<EdfiSummary, StoreError> {
        let waiting = std::mem::take(&mut self.waiting);
        let unknown: BTreeSet<&str> = waiting
            .iter()
            .filter_map(|record| match record {
                Record::Program(p) => Some(p.student_unique_id.as_str()),
                Record::Eligibility(e) => Some(e.student_unique_id.as_str()),
                Record::School(_) | Record::Student(_) => None,
            })
            .filter(|unique_id| self.student_id(unique_id).is_none())
            .collect();
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
        self.write(tx, waiting)?;
        for create in std::mem::take(&mut self.rebuild) {
            tx.execute_batch(&create)?;
        }

        let mut implied: Vec<StudentEvent> =
            std::mem::take(&mut self.exits).into_values().collect();
        for ((student_id, _), record) in std::mem::take(&mut self.eligibility) {
            let programs = idea_programs(tx, student_id)?;
            let services: Vec<IdeaServices<'_>> = programs
                .iter()
                .map(|(begin_date, disabilities)| IdeaServices {
                    begin_date: *begin_date,
                    disabilities,
                })
                .collect();
            implied.extend(record.implied_events(&services).into_iter().map(|event| {
                StudentEvent {
                    student_unique_id: record.student_unique_id.clone(),
                    event,
                }
            }));
        }
        sort_implied(&mut implied);
        for event in implied {
            let id = self.student_id(&event.student_unique_id).ok_or_else(|| {
                StoreError::Corrupt(format!("student `{}` vanished", event.student_unique_id))
            })?;
            match append_revisable(tx, self.district_id, id, &event.event)? {
                Outcome::Created => {
                    self.summary.events_created += 1;
                    self.changed.insert(id);
                }
                Outcome::Revised => {
                    self.summary.events_revised += 1;
                    self.changed.insert(id);
                }
                Outcome::Replayed => self.summary.events_replayed += 1,
            }
        }
        for id in &self.changed {
            crate::projection::refresh_student(tx, *id, as_of)?;
        }
        self.summary.students_refreshed = self.changed.len() as u64;
        Ok(self.summary)
    }
}

/// Drops the secondary indexes of the import's tables when the import is a bulk one (see
/// [`REBUILD_INDEXES_FROM`]) and returns the statements that create them again.
fn drop_secondary_indexes(tx: &mut Conn, expected_records: u64) -> Result<Vec<String>, StoreError> {
    if tx.backend() != Backend::Sqlite || expected_records < REBUILD_INDEXES_FROM {
        return Ok(Vec::new());
    }
    let held = tx
        .query_one(
            "SELECT (SELECT COUNT(*) FROM students) + (SELECT COUNT(*) FROM program_associations)",
            &[],
        )?
        .int(0)?;
    if u64::try_from(held).unwrap_or(u64::MAX) > expected_records {
        return Ok(Vec::new());
    }
    // Indexes SQLite made for UNIQUE constraints have no SQL and are kept.
    let indexes = tx.query(
        &format!(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({IMPORT_TABLES})
               AND sql NOT LIKE 'CREATE UNIQUE%'
             ORDER BY name"
        ),
        &[],
    )?;
    let mut rebuild = Vec::new();
    for index in indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", index.string(0)?))?;
        rebuild.push(index.string(1)?);
    }
    Ok(rebuild)
}

fn same_kind(a: &Record, b: &Record) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// A student's stored IDEA associations: begin date and disability codes, primary first.
fn idea_programs(tx: &mut Conn, student_id: i64) -> Result<Vec<(Date, Vec<String>)>, StoreError> {
    tx.query(
        "SELECT begin_date, disabilities FROM program_associations
         WHERE student_id = $1 AND program = 'idea'",
        params![student_id],
    )?
    .iter()
    .map(|row| {
        let mut disabilities: Vec<Disability> =
            from_json("program_associations.disabilities", &row.string(1)?)?;
        disabilities.sort_by_key(|d| d.order);
        Ok((
            row.date(0)?,
            disabilities.into_iter().map(|d| d.code).collect(),
        ))
    })
    .collect()
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
    let primary_disability = row.opt_string(7)?;
    let disabilities = codes.into_iter().map(|(_, code)| code).collect();
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
