//! RTI/MTSS interventions (tier, program, frequency, minutes, group size, owner, dates) and
//! the probe scores that monitor them. The case events `rti_started`/`rti_ended` are appended
//! by the caller in the same transaction, through the path that refreshes obligations.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntervention {
    pub tier: u8,
    pub program: String,
    pub frequency: String,
    pub minutes: u32,
    pub group_size: u32,
    pub owner: String,
    pub start: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Intervention {
    pub id: i64,
    pub student_id: i64,
    pub tier: u8,
    pub program: String,
    pub frequency: String,
    pub minutes: u32,
    pub group_size: u32,
    pub owner: String,
    pub start: Date,
    pub end: Option<Date>,
    pub revision: i64,
}

impl Intervention {
    /// Under way on `day`: started, and not ended before it.
    pub fn active_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|end| end >= day)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    pub id: i64,
    pub on: Date,
    pub score: f64,
}

const COLUMNS: &str = "id, student_id, tier, program, frequency, minutes, group_size, owner,
    start_date, end_date, revision";

fn small<T: TryFrom<i64>>(row: &Row, i: usize) -> Result<T, StoreError> {
    T::try_from(row.int(i)?).map_err(|_| StoreError::Corrupt(format!("column {i} out of range")))
}

fn from_row(row: &Row) -> Result<Intervention, StoreError> {
    Ok(Intervention {
        id: row.int(0)?,
        student_id: row.int(1)?,
        tier: small(row, 2)?,
        program: row.string(3)?,
        frequency: row.string(4)?,
        minutes: small(row, 5)?,
        group_size: small(row, 6)?,
        owner: row.string(7)?,
        start: row.date(8)?,
        end: row.opt_date(9)?,
        revision: row.int(10)?,
    })
}

pub fn add_intervention(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    new: &NewIntervention,
    created_by: Option<i64>,
) -> Result<Intervention, StoreError> {
    if !matches!(new.tier, 2 | 3) || new.program.trim().is_empty() {
        return Err(StoreError::Invalid(
            "an intervention needs tier 2 or 3 and a program".into(),
        ));
    }
    let id = tx
        .query_one(
            "INSERT INTO interventions (district_id, student_id, tier, program, frequency, minutes,
                                        group_size, owner, start_date, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            params![
                district_id,
                student_id,
                i64::from(new.tier),
                new.program.trim(),
                new.frequency.trim(),
                i64::from(new.minutes),
                i64::from(new.group_size),
                new.owner.trim(),
                new.start,
                now(),
                created_by
            ],
        )?
        .int(0)?;
    get_intervention(tx, student_id, id)
}

pub fn get_intervention(
    conn: &mut Conn,
    student_id: i64,
    id: i64,
) -> Result<Intervention, StoreError> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM interventions WHERE id = $1 AND student_id = $2"),
            params![id, student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("intervention {id}")))?;
    from_row(&row)
}

pub fn list_interventions(
    conn: &mut Conn,
    student_id: i64,
) -> Result<Vec<Intervention>, StoreError> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM interventions WHERE student_id = $1 ORDER BY start_date, id"
        ),
        params![student_id],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// Ends an intervention still at `expected_revision`; ending one already ended, or from a
/// stale copy, is a conflict.
pub fn end_intervention(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    on: Date,
) -> Result<Intervention, StoreError> {
    let current = get_intervention(tx, student_id, id)?;
    if on < current.start {
        return Err(StoreError::Invalid(
            "end: a date on or after the intervention's start".into(),
        ));
    }
    let changed = tx.execute(
        "UPDATE interventions SET end_date = $1, revision = revision + 1
         WHERE id = $2 AND student_id = $3 AND revision = $4 AND end_date IS NULL",
        params![on, id, student_id, expected_revision],
    )?;
    if changed == 0 {
        return Err(StoreError::Conflict(format!(
            "intervention {id} was changed or ended by someone else (it is at revision {}); reload it",
            current.revision
        )));
    }
    get_intervention(tx, student_id, id)
}

pub fn add_probe(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    intervention_id: i64,
    on: Date,
    score: f64,
    recorded_by: Option<i64>,
) -> Result<Probe, StoreError> {
    get_intervention(tx, student_id, intervention_id)?;
    if !score.is_finite() {
        return Err(StoreError::Invalid("score: a number".into()));
    }
    let id = tx
        .query_one(
            "INSERT INTO probes (district_id, student_id, intervention_id, on_date, score,
                                 recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![
                district_id,
                student_id,
                intervention_id,
                on,
                score,
                recorded_by,
                now()
            ],
        )?
        .int(0)?;
    Ok(Probe { id, on, score })
}

pub fn probes(conn: &mut Conn, intervention_id: i64) -> Result<Vec<Probe>, StoreError> {
    conn.query(
        "SELECT id, on_date, score FROM probes WHERE intervention_id = $1 ORDER BY on_date, id",
        params![intervention_id],
    )?
    .iter()
    .map(|row| {
        Ok(Probe {
            id: row.int(0)?,
            on: row.date(1)?,
            score: row.real(2)?,
        })
    })
    .collect()
}
