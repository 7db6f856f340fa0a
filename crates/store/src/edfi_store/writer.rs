//! Writing Ed-Fi records as they are read. Each record is first made [`Ready`] — turned into the
//! values its row is written with — by [`ready`], which needs no database and so runs on the
//! thread reading the files; the [`EdfiWriter`] then only looks up ids and binds values, inside
//! the caller's one transaction.

use super::columns::{self, EdfiPrograms, PROGRAM_COLUMNS, PROGRAM_CONFLICT, ProgramReference};
use super::{EdfiSummary, record_count, to_json};
use crate::bulk::{ROWS_PER_STATEMENT, RowsInsert};
use crate::db::{Backend, Conn, Value};
use crate::events::{self, Appended};
use crate::programs;
use crate::{StoreError, now, params};
use domain::Date;
use domain::event::Event;
use interop::normalized::{
    Batch, EligibilityRecord, IdeaServices, Record, School, StudentEvent, sort_implied, stable_id,
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A record with the values its row is written with, all but the ids only the writer knows.
#[derive(Debug, Clone)]
pub enum Ready {
    School(School),
    Student(ReadyStudent),
    Program(ReadyProgram),
    Eligibility(EligibilityRecord),
}

#[derive(Debug, Clone)]
pub struct ReadyStudent {
    unique_id: String,
    birth_date: Date,
    /// first name, middle name, last name, birth date, source id ([`STUDENT_COLUMNS`] 3 to 7).
    values: [Value; 5],
}

#[derive(Debug, Clone)]
pub struct ReadyProgram {
    student_unique_id: String,
    tag: &'static str,
    begin_date: Date,
    reference: ProgramReference,
    exit: Option<Event>,
    /// The columns between the student and the Ed-Fi program ([`PROGRAM_COLUMNS`]).
    values: Vec<Value>,
}

/// Makes `record` ready to write (no database needed).
pub fn ready(record: Record) -> Result<Ready, StoreError> {
    Ok(match record {
        Record::School(school) => Ready::School(school),
        Record::Eligibility(eligibility) => Ready::Eligibility(eligibility),
        Record::Student(student) => Ready::Student(ReadyStudent {
            values: [
                student.first_name.into(),
                student.middle_name.into(),
                student.last_surname.into(),
                student.birth_date.into(),
                student.unique_id.as_str().into(),
            ],
            unique_id: student.unique_id,
            birth_date: student.birth_date,
        }),
        Record::Program(mut program) => {
            let exit = program.implied_exit();
            // The row's values need neither the student's id nor the program's names.
            let student_unique_id = std::mem::take(&mut program.student_unique_id);
            let reference = columns::take_reference(&mut program);
            Ready::Program(ReadyProgram {
                student_unique_id,
                tag: programs::program_tag(program.program)?,
                begin_date: program.begin_date,
                reference,
                exit,
                values: columns::row_values(program)?,
            })
        }
    })
}

/// Writes a parsed `batch` into `district_id` inside the caller's transaction, as the
/// [`EdfiWriter`] does for records streamed from the files.
pub fn import(
    tx: &mut Conn,
    district_id: i64,
    batch: &Batch,
    as_of: Date,
) -> Result<EdfiSummary, StoreError> {
    let mut writer = EdfiWriter::begin(tx, district_id, record_count(batch))?;
    let records = batch.records().map(ready).collect::<Result<Vec<_>, _>>()?;
    writer.write(tx, &records)?;
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

type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Writes Ed-Fi records into a district inside the caller's transaction as they are read:
/// students inserted (or updated by `studentUniqueId`), associations upserted by (student,
/// program, begin date), eligibility records by their natural key — a record read again updates
/// in place, the last one read winning. Records naming a student not met yet wait for
/// [`EdfiWriter::finish`], which refuses any whose student is neither stored nor in the files,
/// appends the case events the records imply under their stable ids (a re-import replays them)
/// and refreshes the obligations of every student whose case changed.
pub struct EdfiWriter {
    district_id: i64,
    jurisdiction: String,
    created_at: String,
    students: FastMap<String, KnownStudent>,
    waiting: Vec<Ready>,
    programs: HashSet<ProgramRow, foldhash::fast::RandomState>,
    exits: FastMap<ProgramRow, StudentEvent>,
    eligibility: HashMap<(i64, String), EligibilityRecord>,
    /// Students whose obligations must be recomputed: new events or a changed birth date.
    changed: BTreeSet<i64>,
    /// The secondary indexes dropped for a bulk import, by table, to create again: the students'
    /// once the files move on to associations (so the index is built while the rest is still
    /// being read), every other at the end.
    rebuild: Vec<(String, String)>,
    edfi_programs: EdfiPrograms,
    /// New students' rows and associations' rows, many to a statement.
    student_rows: RowsInsert,
    program_rows: RowsInsert,
    summary: EdfiSummary,
}

/// An import expected to bring at least this many records, and at least as many as the tables
/// hold, rebuilds the tables' secondary indexes at its end instead of updating them row by row
/// (SQLite): building an index once from sorted keys costs a fraction of a million random
/// inserts. The unique indexes stay, as the upserts need them.
const REBUILD_INDEXES_FROM: u64 = 100_000;

/// The tables an Ed-Fi import writes.
const IMPORT_TABLES: &str = "'students', 'program_associations', 'eligibility_associations'";

/// The columns of a new student's row, in the order it is written: its id (reserved by the
/// writer), its district, [`ReadyStudent`]'s values, then the jurisdiction and creation time.
const STUDENT_COLUMNS: [&str; 9] = [
    "id",
    "district_id",
    "first_name",
    "middle_name",
    "last_name",
    "birth_date",
    "source_id",
    "jurisdiction",
    "created_at",
];

const UPDATE_STUDENT: &str = "UPDATE students
     SET first_name = $1, middle_name = $2, last_name = $3, birth_date = $4, active = TRUE
     WHERE id = $5";

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
        let mut students = FastMap::with_capacity_and_hasher(
            usize::try_from(expected_records / 2).unwrap_or(0),
            foldhash::fast::RandomState::default(),
        );
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
            programs: HashSet::default(),
            exits: FastMap::default(),
            eligibility: HashMap::new(),
            changed: BTreeSet::new(),
            rebuild,
            edfi_programs: EdfiPrograms::default(),
            student_rows: RowsInsert::new(tx.backend(), "students", &STUDENT_COLUMNS, ""),
            program_rows: RowsInsert::new(
                tx.backend(),
                "program_associations",
                &PROGRAM_COLUMNS,
                PROGRAM_CONFLICT,
            ),
            summary: EdfiSummary::default(),
        })
    }

    /// Writes `records` in order; runs of one kind share a compiled statement.
    pub fn write(&mut self, tx: &mut Conn, records: &[Ready]) -> Result<(), StoreError> {
        for run in records.chunk_by(same_kind) {
            match &run[0] {
                Ready::School(_) => self.write_schools(tx, run)?,
                Ready::Student(_) => self.write_students(tx, run)?,
                Ready::Program(_) => {
                    self.rebuild_indexes(tx, Some("students"))?;
                    self.write_programs(tx, run)?;
                }
                Ready::Eligibility(_) => self.write_eligibility(tx, run)?,
            }
        }
        Ok(())
    }

    /// Creates again the dropped indexes of `table` (of every table: `None`). Rows written after
    /// that keep the index up to date as usual.
    fn rebuild_indexes(&mut self, tx: &mut Conn, table: Option<&str>) -> Result<(), StoreError> {
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.rebuild)
            .into_iter()
            .partition(|(of, _)| table.is_none_or(|t| t == of));
        self.rebuild = later;
        for (_, create) in now {
            tx.execute_batch(&create)?;
        }
        Ok(())
    }

    fn write_schools(&mut self, tx: &mut Conn, run: &[Ready]) -> Result<(), StoreError> {
        let mut upsert = tx.prepare(UPSERT_SCHOOL)?;
        for school in run.iter().filter_map(|r| match r {
            Ready::School(school) => Some(school),
            _ => None,
        }) {
            upsert.execute(params![
                self.district_id,
                &school.name,
                school.school_id.to_string(),
                to_json(school)?
            ])?;
            self.summary.schools += 1;
        }
        Ok(())
    }

    /// New students are inserted, under ids reserved for them; students met before (stored, or
    /// earlier in the files) are updated after the run's inserts, which keeps the last record of
    /// a student the one that counts.
    fn write_students(&mut self, tx: &mut Conn, run: &[Ready]) -> Result<(), StoreError> {
        let mut known = Vec::new();
        let mut new: Vec<&ReadyStudent> = Vec::new();
        let mut again = Vec::new();
        let mut new_here = HashSet::new();
        for student in run.iter().filter_map(|r| match r {
            Ready::Student(student) => Some(student),
            _ => None,
        }) {
            if let Some(met) = self.students.get_mut(&student.unique_id) {
                if met
                    .stored_birth_date
                    .is_some_and(|stored| stored != student.birth_date)
                {
                    self.changed.insert(met.id);
                }
                if !met.in_batch {
                    met.in_batch = true;
                    self.summary.students += 1;
                }
                known.push((met.id, student));
            } else if new_here.insert(student.unique_id.as_str()) {
                new.push(student);
            } else {
                again.push(student);
            }
        }
        let ids = crate::bulk::reserve_ids(tx, "students", "id", new.len())?;
        for (student, id) in new.iter().zip(&ids) {
            self.students.insert(
                student.unique_id.clone(),
                KnownStudent {
                    id: *id,
                    stored_birth_date: None,
                    in_batch: true,
                },
            );
            self.summary.students += 1;
        }
        let rows: Vec<(i64, &ReadyStudent)> = ids.into_iter().zip(new).collect();
        let (district, jurisdiction, created_at) = (
            Value::from(self.district_id),
            Value::from(self.jurisdiction.as_str()),
            Value::from(self.created_at.as_str()),
        );
        self.student_rows
            .write(tx, &rows, |insert, first, (id, student)| {
                insert.bind(first, &(*id).into())?;
                insert.bind(first + 1, &district)?;
                insert.bind_from(first + 2, &student.values)?;
                insert.bind(first + 7, &jurisdiction)?;
                insert.bind(first + 8, &created_at)
            })?;
        for student in again {
            if let Some(id) = self.student_id(&student.unique_id) {
                known.push((id, student));
            }
        }
        if !known.is_empty() {
            let mut update = tx.prepare(UPDATE_STUDENT)?;
            for (id, student) in known {
                update.bind_from(1, &student.values[..4])?;
                update.bind(5, &id.into())?;
                update.run()?;
            }
        }
        Ok(())
    }

    fn student_id(&self, unique_id: &str) -> Option<i64> {
        self.students.get(unique_id).map(|known| known.id)
    }

    fn write_programs(&mut self, tx: &mut Conn, run: &[Ready]) -> Result<(), StoreError> {
        // The programs first: their rows are written by other statements than the upsert.
        let mut found = Vec::with_capacity(run.len());
        for record in run {
            let Ready::Program(program) = record else {
                continue;
            };
            match self.student_id(&program.student_unique_id) {
                Some(student_id) => {
                    let edfi_program = self.edfi_programs.id_of(tx, &program.reference)?;
                    found.push((student_id, edfi_program, program));
                }
                None => self.waiting.push(record.clone()),
            }
        }
        // A statement never holds one association twice (PostgreSQL refuses to update a row
        // twice in one statement): a repeat sends the rows before it first.
        let mut pending: Vec<(i64, i64, &ReadyProgram)> = Vec::with_capacity(ROWS_PER_STATEMENT);
        let mut pending_rows = HashSet::new();
        for (student_id, edfi_program, program) in found {
            let row = (student_id, program.tag, program.begin_date);
            if !pending_rows.insert(row) {
                self.upsert_programs(tx, &pending)?;
                pending.clear();
                pending_rows.clear();
                pending_rows.insert(row);
            }
            pending.push((student_id, edfi_program, program));
            if pending.len() == ROWS_PER_STATEMENT {
                self.upsert_programs(tx, &pending)?;
                pending.clear();
                pending_rows.clear();
            }
            if self.programs.insert(row) {
                self.summary.program_associations += 1;
            }
            match &program.exit {
                Some(event) => {
                    self.exits.insert(
                        row,
                        StudentEvent {
                            student_unique_id: program.student_unique_id.clone(),
                            event: event.clone(),
                        },
                    );
                }
                None => {
                    self.exits.remove(&row);
                }
            }
        }
        self.upsert_programs(tx, &pending)
    }

    /// Upserts `rows` (student id, Ed-Fi program id, association).
    fn upsert_programs(
        &self,
        tx: &mut Conn,
        rows: &[(i64, i64, &ReadyProgram)],
    ) -> Result<(), StoreError> {
        let district = Value::from(self.district_id);
        self.program_rows.write(
            tx,
            rows,
            |upsert, first, (student_id, edfi_program, program)| {
                upsert.bind(first, &district)?;
                upsert.bind(first + 1, &(*student_id).into())?;
                upsert.bind_from(first + 2, &program.values)?;
                upsert.bind(first + PROGRAM_COLUMNS.len() - 1, &(*edfi_program).into())
            },
        )
    }

    fn write_eligibility(&mut self, tx: &mut Conn, run: &[Ready]) -> Result<(), StoreError> {
        let mut upsert = tx.prepare(UPSERT_ELIGIBILITY)?;
        for record in run {
            let Ready::Eligibility(eligibility) = record else {
                continue;
            };
            let Some(student_id) = self.student_id(&eligibility.student_unique_id) else {
                self.waiting.push(record.clone());
                continue;
            };
            let key = eligibility_key(eligibility);
            upsert.execute(params![
                self.district_id,
                student_id,
                key.as_str(),
                eligibility.consent_date,
                to_json(eligibility)?
            ])?;
            if self
                .eligibility
                .insert((student_id, key), eligibility.clone())
                .is_none()
            {
                self.summary.eligibility_associations += 1;
            }
        }
        Ok(())
    }

    /// Writes the records that waited for their student, rebuilds the indexes a bulk import
    /// dropped, appends the implied case events and refreshes the obligations of every student
    /// whose case changed, as of `as_of`.
    pub fn finish(mut self, tx: &mut Conn, as_of: Date) -> Result<EdfiSummary, StoreError> {
        let waiting = std::mem::take(&mut self.waiting);
        let unknown: BTreeSet<&str> = waiting
            .iter()
            .filter_map(|record| match record {
                Ready::Program(p) => Some(p.student_unique_id.as_str()),
                Ready::Eligibility(e) => Some(e.student_unique_id.as_str()),
                Ready::School(_) | Ready::Student(_) => None,
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
        self.write(tx, &waiting)?;
        self.rebuild_indexes(tx, None)?;

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
fn drop_secondary_indexes(
    tx: &mut Conn,
    expected_records: u64,
) -> Result<Vec<(String, String)>, StoreError> {
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
            "SELECT name, tbl_name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({IMPORT_TABLES})
               AND sql NOT LIKE 'CREATE UNIQUE%'
             ORDER BY name"
        ),
        &[],
    )?;
    let mut rebuild = Vec::new();
    for index in indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", index.string(0)?))?;
        rebuild.push((index.string(1)?, index.string(2)?));
    }
    Ok(rebuild)
}

fn same_kind(a: &Ready, b: &Ready) -> bool {
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
    .map(|row| Ok((row.date(0)?, columns::disability_codes(row.text(1)?)?)))
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
