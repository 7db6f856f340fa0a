//! The obligation projection: the law engine's results for each student, stored one row per
//! obligation so "what is overdue in the district" is an indexed query. Refreshed inside the
//! transaction that changes a student's events, and in bulk by `sweep`.

use crate::db::{Backend, Conn, Location, Value};
use crate::{StoreError, districts, events, params};
use domain::Date;
use domain::case::{Case, StudentFacts};
use domain::obligation::Obligation;
use std::collections::{BTreeMap, HashMap};

/// The rules one district's students are judged by: its calendar and, per jurisdiction, the
/// state profile with the district's policy laid over it. Built once per district.
pub struct DistrictRules {
    calendar: law::Calendar,
    policy: law::DistrictPolicy,
    profiles: HashMap<String, law::Profile>,
}

impl DistrictRules {
    pub fn load(conn: &mut Conn, district_id: i64) -> Result<DistrictRules, StoreError> {
        let district = districts::get_district(conn, district_id)?;
        let policy: law::DistrictPolicy = serde_json::from_value(district.policy.clone())
            .map_err(|e| StoreError::Corrupt(format!("district {district_id} policy: {e}")))?;
        Ok(DistrictRules {
            calendar: law::Calendar::new(&district.calendar),
            policy,
            profiles: HashMap::new(),
        })
    }

    pub fn calendar(&self) -> &law::Calendar {
        &self.calendar
    }

    /// Makes sure the profile for a jurisdiction code, with this district's policy applied, is
    /// built.
    fn prepare(&mut self, jurisdiction: &str) -> Result<(), StoreError> {
        if !self.profiles.contains_key(jurisdiction) {
            let base =
                law::profile(jurisdiction).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let with_policy = base
                .with_policy(&self.policy)
                .map_err(|e| StoreError::Invalid(format!("district policy: {e}")))?;
            self.profiles.insert(jurisdiction.to_owned(), with_policy);
        }
        Ok(())
    }

    pub fn obligations(
        &mut self,
        case: &Case,
        as_of: Date,
        detail: law::Detail,
    ) -> Result<Vec<Obligation>, StoreError> {
        self.prepare(&case.jurisdiction)?;
        let profile = &self.profiles[&case.jurisdiction];
        Ok(law::obligations_with(
            case,
            profile,
            &self.calendar,
            as_of,
            detail,
        ))
    }
}

/// A student's case as the law engine reads it, from the database.
pub fn load_case(conn: &mut Conn, student_id: i64) -> Result<(i64, Case), StoreError> {
    let row = conn
        .query_opt(
            "SELECT district_id, birth_date, jurisdiction FROM students WHERE id = $1",
            params![student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("student {student_id}")))?;
    let district_id = row.int(0)?;
    let case = Case {
        jurisdiction: row.string(2)?,
        student: StudentFacts {
            birth_date: row.date(1)?,
        },
        calendar: districts::get_district(conn, district_id)?.calendar,
        events: events::list(conn, student_id)?,
    };
    Ok((district_id, case))
}

/// A student's obligations computed now from the events, explained as `detail` asks (in the
/// reader's language for a page, English for the API, none for a list of dates).
pub fn obligations_for_student(
    conn: &mut Conn,
    student_id: i64,
    as_of: Date,
    detail: law::Detail,
) -> Result<Vec<Obligation>, StoreError> {
    let (district_id, case) = load_case(conn, student_id)?;
    let mut rules = DistrictRules::load(conn, district_id)?;
    rules.obligations(&case, as_of, detail)
}

/// Recomputes one student's obligations and rewrites their projection rows, inside the caller's
/// transaction (the one that changed the events). The student's row is locked first, so two
/// concurrent refreshes of one student queue instead of colliding on the projection's key
/// (SQLite's write lock already serialises them; PostgreSQL needs the row lock).
pub fn refresh_student(
    tx: &mut Conn,
    student_id: i64,
    as_of: Date,
) -> Result<Vec<Obligation>, StoreError> {
    crate::students::lock_for_update(tx, student_id)?;
    let (district_id, case) = load_case(tx, student_id)?;
    let mut rules = DistrictRules::load(tx, district_id)?;
    let obligations = rules.obligations(&case, as_of, law::Detail::Brief)?;
    tx.execute(
        "DELETE FROM obligations WHERE student_id = $1",
        params![student_id],
    )?;
    write_rows(tx, &[(student_id, district_id, &obligations)])?;
    tx.execute(
        "UPDATE students SET obligations_as_of = $1 WHERE id = $2",
        params![as_of, student_id],
    )?;
    Ok(obligations)
}

/// Rows per multi-row INSERT: 9 parameters each, well under SQLite's parameter limit.
const ROWS_PER_INSERT: usize = 100;

fn insert_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO obligations (student_id, ordinal, district_id, kind, due, status, triggered_by, satisfied_by, satisfied_on) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        let b = r * 9;
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5,
            b + 6,
            b + 7,
            b + 8,
            b + 9
        ));
    }
    sql
}

/// Writes projection rows for students whose old rows were already removed.
fn write_rows(tx: &mut Conn, students: &Rows<'_>) -> Result<(), StoreError> {
    let full_sql = insert_sql(ROWS_PER_INSERT);
    let mut params: Vec<Value> = Vec::with_capacity(ROWS_PER_INSERT * 9);
    let mut pending = 0;
    for (student_id, district_id, obligations) in students {
        for (ordinal, o) in obligations.iter().enumerate() {
            params.extend([
                Value::Int(*student_id),
                Value::Int(ordinal as i64),
                Value::Int(*district_id),
                Value::Text(o.kind.clone()),
                Value::from(o.due),
                Value::Text(o.status.as_str().to_owned()),
                Value::from(o.triggered_by.clone()),
                Value::from(o.satisfied_by.clone()),
                Value::from(o.satisfied_on),
            ]);
            pending += 1;
            if pending == ROWS_PER_INSERT {
                tx.execute(&full_sql, &params)?;
                params.clear();
                pending = 0;
            }
        }
    }
    if pending > 0 {
        tx.execute(&insert_sql(pending), &params)?;
    }
    Ok(())
}

/// What a sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepSummary {
    pub as_of: String,
    pub students: u64,
    pub obligations: u64,
    /// Counts by kind, then by status.
    pub by_kind: BTreeMap<String, BTreeMap<String, u64>>,
    pub by_status: BTreeMap<String, u64>,
}

impl SweepSummary {
    fn count(&mut self, obligations: &[Obligation]) {
        self.students += 1;
        for o in obligations {
            self.obligations += 1;
            *self
                .by_kind
                .entry(o.kind.clone())
                .or_default()
                .entry(o.status.as_str().to_owned())
                .or_default() += 1;
            *self
                .by_status
                .entry(o.status.as_str().to_owned())
                .or_default() += 1;
        }
    }
}

/// Students per write transaction: large enough to amortise commits, small enough that the
/// projection of a student is never left half-written and memory stays bounded.
const SWEEP_CHUNK: usize = 5_000;

type Batch = Vec<(i64, i64, Vec<Obligation>)>;
/// Students of a batch to write: (student id, district id, obligations).
type Rows<'a> = [(i64, i64, &'a [Obligation])];

/// Recomputes every active student's obligations as of `as_of`. One thread streams students
/// and their events and runs the engine; another writes the projection in chunked
/// transactions. `progress` is called with the number of students done so far.
pub fn sweep(
    location: &Location,
    as_of: Date,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<SweepSummary, StoreError> {
    let mut reader = Conn::open(location)?;
    let mut writer = Conn::open(location)?;
    if writer.backend() == Backend::Sqlite {
        // The projection is derived data: a power cut may undo the last chunks written here
        // (never half of one), and the next refresh or sweep writes them again. Skipping the
        // fsync of each chunk's commit halves the time of a sweep that rewrites most rows.
        // Case events keep `synchronous = FULL` on their own connections, and their commit's
        // fsync makes everything before it in the WAL durable too. Checkpointing after every
        // chunk would copy the same pages back again and again; the sweep checkpoints once at
        // the end instead.
        writer.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0")?;
    }
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(4);
    let mut summary = SweepSummary {
        as_of: as_of.to_string(),
        ..Default::default()
    };

    std::thread::scope(|scope| {
        let write_thread = scope.spawn(move || -> Result<(), StoreError> {
            let mut done = 0u64;
            for batch in receiver {
                writer.transaction(|tx| write_changes(tx, &batch, as_of))?;
                done += batch.len() as u64;
                progress(done);
            }
            // Students no longer active keep their history but not a place on any dashboard.
            writer.execute(
                "DELETE FROM obligations WHERE student_id IN (SELECT id FROM students WHERE active = FALSE)",
                &[],
            )?;
            if writer.backend() == Backend::Sqlite {
                // One checkpoint of everything the sweep wrote (each page copied back once,
                // not once per chunk), leaving the write-ahead log empty. A reader holding an
                // old snapshot makes it stop short; the next checkpoint finishes the job.
                writer.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
            }
            Ok(())
        });

        let read_result = read_and_compute(&mut reader, as_of, &mut summary, &sender);
        drop(sender);
        let write_result = write_thread.join().unwrap_or_else(|_| {
            Err(StoreError::Corrupt(
                "the sweep's writer thread panicked".into(),
            ))
        });
        read_result.and(write_result)
    })?;
    Ok(summary)
}

/// One stored projection row, as compared with a fresh computation.
#[derive(Debug, PartialEq, Eq)]
struct StoredRow {
    kind: String,
    due: String,
    status: String,
    triggered_by: Option<String>,
    satisfied_by: Option<String>,
    satisfied_on: Option<String>,
}

impl StoredRow {
    fn matches(&self, o: &Obligation) -> bool {
        self.kind == o.kind
            && self.due == o.due.to_string()
            && self.status == o.status.as_str()
            && self.triggered_by == o.triggered_by
            && self.satisfied_by == o.satisfied_by
            && self.satisfied_on == o.satisfied_on.map(|d| d.to_string())
    }
}

/// Rewrites the projection of the students in one batch whose obligations changed. Most students' deadlines
/// do not move from one day to the next, so reading the stored rows and writing only the
/// differences keeps a nightly sweep close to the cost of reading the cases.
fn write_changes(tx: &mut Conn, batch: &Batch, as_of: Date) -> Result<(), StoreError> {
    let (Some(first), Some(last)) = (batch.first(), batch.last()) else {
        return Ok(());
    };
    let (low, high) = (first.0, last.0);
    let mut stored: HashMap<i64, Vec<StoredRow>> = HashMap::new();
    tx.for_each(
        "SELECT student_id, kind, due, status, triggered_by, satisfied_by, satisfied_on
         FROM obligations WHERE student_id >= $1 AND student_id <= $2
         ORDER BY student_id, ordinal",
        params![low, high],
        |row| {
            stored.entry(row.int(0)?).or_default().push(StoredRow {
                kind: row.string(1)?,
                due: row.string(2)?,
                status: row.string(3)?,
                triggered_by: row.opt_string(4)?,
                satisfied_by: row.opt_string(5)?,
                satisfied_on: row.opt_string(6)?,
            });
            Ok(())
        },
    )?;
    let mut changed: Vec<(i64, i64, &[Obligation])> = Vec::new();
    let mut had_rows: Vec<i64> = Vec::new();
    for (student_id, district_id, obligations) in batch {
        let rows = stored.remove(student_id).unwrap_or_default();
        let same = rows.len() == obligations.len()
            && rows.iter().zip(obligations).all(|(row, o)| row.matches(o));
        if !same {
            if !rows.is_empty() {
                had_rows.push(*student_id);
            }
            changed.push((*student_id, *district_id, obligations));
        }
    }
    // When most of the batch changed (the first sweep of a new database, or a new school
    // year), rewriting the whole id range in three statements beats one per student.
    if changed.len() * 2 > batch.len() {
        tx.execute(
            "DELETE FROM obligations WHERE student_id >= $1 AND student_id <= $2",
            params![low, high],
        )?;
        let all: Vec<_> = batch
            .iter()
            .map(|(s, d, o)| (*s, *d, o.as_slice()))
            .collect();
        write_rows(tx, &all)?;
        tx.execute(
            "UPDATE students SET obligations_as_of = $1 WHERE id >= $2 AND id <= $3 AND active = TRUE",
            params![as_of, low, high],
        )?;
        return Ok(());
    }
    for student_id in &had_rows {
        tx.execute(
            "DELETE FROM obligations WHERE student_id = $1",
            params![*student_id],
        )?;
    }
    write_rows(tx, &changed)?;
    // A student never computed before gets its date; the others keep the date of the
    // computation that last changed their rows (still correct as of today: nothing moved).
    for (student_id, _, _) in &changed {
        tx.execute(
            "UPDATE students SET obligations_as_of = $1 WHERE id = $2",
            params![as_of, *student_id],
        )?;
    }
    tx.execute(
        "UPDATE students SET obligations_as_of = $1
         WHERE id >= $2 AND id <= $3 AND active = TRUE AND obligations_as_of IS NULL",
        params![as_of, low, high],
    )?;
    Ok(())
}

fn read_and_compute(
    reader: &mut Conn,
    as_of: Date,
    summary: &mut SweepSummary,
    sender: &std::sync::mpsc::SyncSender<Batch>,
) -> Result<(), StoreError> {
    let mut rules: HashMap<i64, DistrictRules> = HashMap::new();
    for district in districts::list_districts(reader)? {
        rules.insert(district.id, DistrictRules::load(reader, district.id)?);
    }
    let mut batch: Batch = Vec::with_capacity(SWEEP_CHUNK);
    for_each_case(reader, |student_id, district_id, case| {
        let district_rules = rules
            .get_mut(&district_id)
            .ok_or_else(|| StoreError::Corrupt(format!("district {district_id} missing")))?;
        let obligations = district_rules.obligations(&case, as_of, law::Detail::Brief)?;
        summary.count(&obligations);
        batch.push((student_id, district_id, obligations));
        if batch.len() >= SWEEP_CHUNK {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(SWEEP_CHUNK));
            sender
                .send(full)
                .map_err(|_| StoreError::Corrupt("the sweep's writer stopped".into()))?;
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        sender
            .send(batch)
            .map_err(|_| StoreError::Corrupt("the sweep's writer stopped".into()))?;
    }
    Ok(())
}

/// Streams every active student's case (student id, district id, case without its calendar,
/// which belongs to the district) from one consistent snapshot, in student-id order.
pub fn for_each_case(
    reader: &mut Conn,
    mut visit: impl FnMut(i64, i64, Case) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    if reader.backend() == Backend::Sqlite {
        reader.execute_batch("BEGIN")?;
    }
    let mut current: Option<(i64, i64, Case)> = None;
    let result = reader.for_each(
        "SELECT s.id, s.district_id, s.birth_date, s.jurisdiction, e.body
         FROM students s LEFT JOIN events e ON e.student_id = s.id
         WHERE s.active = TRUE ORDER BY s.id, e.seq",
        &[],
        |row| {
            let student_id = row.int(0)?;
            if current.as_ref().is_none_or(|(id, _, _)| *id != student_id) {
                if let Some((id, district, case)) = current.take() {
                    visit(id, district, case)?;
                }
                current = Some((
                    student_id,
                    row.int(1)?,
                    Case {
                        jurisdiction: row.string(3)?,
                        student: StudentFacts {
                            birth_date: row.date(2)?,
                        },
                        calendar: Default::default(),
                        events: Vec::new(),
                    },
                ));
            }
            if let (Some((_, _, case)), Ok(body)) = (current.as_mut(), row.text(4)) {
                case.events.push(events::parse_body(body)?);
            }
            Ok(())
        },
    );
    if reader.backend() == Backend::Sqlite {
        let _ = reader.execute_batch("COMMIT");
    }
    result?;
    if let Some((id, district, case)) = current.take() {
        visit(id, district, case)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_insert_numbers_every_parameter() {
        let sql = insert_sql(2);
        assert!(
            sql.ends_with("($10, $11, $12, $13, $14, $15, $16, $17, $18)"),
            "{sql}"
        );
    }
}
