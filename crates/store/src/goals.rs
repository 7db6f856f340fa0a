//! IEP goals and their progress-monitoring data points. Baseline and target may be missing
//! (a goal can be written before it is measurable); `GoalRecord::data` says what
//! `law::progress::analyze` needs, or what is missing. `revision` guards edits.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use law::progress::{Direction, GoalData, Observation};
use serde::Serialize;

/// A baseline or target as entered: either half may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Mark {
    pub on: Option<Date>,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewGoal {
    pub description: String,
    pub measure: String,
    pub baseline: Mark,
    pub target: Mark,
    pub direction: Direction,
    pub criterion: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Goal {
    pub id: i64,
    pub student_id: i64,
    pub description: String,
    pub measure: String,
    pub baseline: Mark,
    pub target: Mark,
    pub direction: Direction,
    pub criterion: String,
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub id: i64,
    pub on: Date,
    pub value: f64,
    pub note: String,
}

/// What keeps a goal from being measurable, in the order a reader would fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    Measure,
    Baseline,
    TargetValue,
    TargetDate,
}

impl Missing {
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Measure => "measure",
            Missing::Baseline => "baseline",
            Missing::TargetValue => "target_value",
            Missing::TargetDate => "target_date",
        }
    }
}

impl Goal {
    /// The measurable-goal check: empty when the goal names a measure, a baseline (date and
    /// value), and a target value and date.
    pub fn missing(&self) -> Vec<Missing> {
        let mut missing = Vec::new();
        if self.measure.trim().is_empty() {
            missing.push(Missing::Measure);
        }
        if self.baseline.on.is_none() || self.baseline.value.is_none() {
            missing.push(Missing::Baseline);
        }
        if self.target.value.is_none() {
            missing.push(Missing::TargetValue);
        }
        if self.target.on.is_none() {
            missing.push(Missing::TargetDate);
        }
        missing
    }

    /// The progress-math input, when the goal is measurable.
    pub fn data(&self, points: &[Point]) -> Option<GoalData> {
        let (Some(b_on), Some(b_value), Some(t_on), Some(t_value)) = (
            self.baseline.on,
            self.baseline.value,
            self.target.on,
            self.target.value,
        ) else {
            return None;
        };
        if self.measure.trim().is_empty() {
            return None;
        }
        Some(GoalData {
            baseline: Observation {
                on: b_on,
                value: b_value,
            },
            target: Observation {
                on: t_on,
                value: t_value,
            },
            direction: self.direction,
            points: points
                .iter()
                .map(|p| Observation {
                    on: p.on,
                    value: p.value,
                })
                .collect(),
        })
    }
}

pub fn direction_str(direction: Direction) -> &'static str {
    match direction {
        Direction::Increase => "increase",
        Direction::Decrease => "decrease",
    }
}

pub fn parse_direction(text: &str) -> Option<Direction> {
    [Direction::Increase, Direction::Decrease]
        .into_iter()
        .find(|d| direction_str(*d) == text)
}

const COLUMNS: &str = "id, student_id, description, measure, baseline_on, baseline_value,
    target_on, target_value, direction, criterion, revision";

fn opt_real(row: &Row, i: usize) -> Result<Option<f64>, StoreError> {
    match row.0.get(i) {
        Some(crate::Value::Null) => Ok(None),
        _ => row.real(i).map(Some),
    }
}

fn goal_from_row(row: &Row) -> Result<Goal, StoreError> {
    Ok(Goal {
        id: row.int(0)?,
        student_id: row.int(1)?,
        description: row.string(2)?,
        measure: row.string(3)?,
        baseline: Mark {
            on: row.opt_date(4)?,
            value: opt_real(row, 5)?,
        },
        target: Mark {
            on: row.opt_date(6)?,
            value: opt_real(row, 7)?,
        },
        direction: parse_direction(row.text(8)?)
            .ok_or_else(|| StoreError::Corrupt("goal direction".into()))?,
        criterion: row.string(9)?,
        revision: row.int(10)?,
    })
}

fn check(goal: &NewGoal) -> Result<(), StoreError> {
    let finite = |m: &Mark| m.value.is_none_or(f64::is_finite);
    if goal.description.trim().is_empty() || !finite(&goal.baseline) || !finite(&goal.target) {
        return Err(StoreError::Invalid(
            "a goal needs a description, and its values must be numbers".into(),
        ));
    }
    Ok(())
}

pub fn add_goal(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    goal: &NewGoal,
    created_by: Option<i64>,
) -> Result<Goal, StoreError> {
    check(goal)?;
    let id = tx
        .query_one(
            "INSERT INTO goals (district_id, student_id, description, measure, baseline_on,
                                baseline_value, target_on, target_value, direction, criterion,
                                created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            params![
                district_id,
                student_id,
                goal.description.trim(),
                goal.measure.trim(),
                goal.baseline.on,
                goal.baseline.value,
                goal.target.on,
                goal.target.value,
                direction_str(goal.direction),
                goal.criterion.trim(),
                now(),
                created_by
            ],
        )?
        .int(0)?;
    get_goal(tx, student_id, id)
}

/// One goal of one student; another student's goal is "not found".
pub fn get_goal(conn: &mut Conn, student_id: i64, id: i64) -> Result<Goal, StoreError> {
    let row = conn
        .query_opt(
            &format!("SELECT {COLUMNS} FROM goals WHERE id = $1 AND student_id = $2"),
            params![id, student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("goal {id}")))?;
    goal_from_row(&row)
}

pub fn list_goals(conn: &mut Conn, student_id: i64) -> Result<Vec<Goal>, StoreError> {
    conn.query(
        &format!("SELECT {COLUMNS} FROM goals WHERE student_id = $1 ORDER BY id"),
        params![student_id],
    )?
    .iter()
    .map(goal_from_row)
    .collect()
}

/// Replaces a goal's fields if it is still at `expected_revision` (compare-and-set).
pub fn update_goal(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    goal: &NewGoal,
) -> Result<Goal, StoreError> {
    check(goal)?;
    let changed = tx.execute(
        "UPDATE goals SET description = $1, measure = $2, baseline_on = $3, baseline_value = $4,
                target_on = $5, target_value = $6, direction = $7, criterion = $8,
                revision = revision + 1
         WHERE id = $9 AND student_id = $10 AND revision = $11",
        params![
            goal.description.trim(),
            goal.measure.trim(),
            goal.baseline.on,
            goal.baseline.value,
            goal.target.on,
            goal.target.value,
            direction_str(goal.direction),
            goal.criterion.trim(),
            id,
            student_id,
            expected_revision
        ],
    )?;
    let current = get_goal(tx, student_id, id)?;
    if changed == 0 {
        return Err(StoreError::Conflict(format!(
            "goal {id} was changed by someone else (it is at revision {}, not {expected_revision}); reload it and edit again",
            current.revision
        )));
    }
    Ok(current)
}

#[allow(clippy::too_many_arguments)]
pub fn add_point(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    goal_id: i64,
    on: Date,
    value: f64,
    note: &str,
    recorded_by: Option<i64>,
) -> Result<Point, StoreError> {
    get_goal(tx, student_id, goal_id)?;
    if !value.is_finite() {
        return Err(StoreError::Invalid(
            "a data point's value must be a number".into(),
        ));
    }
    let id = tx
        .query_one(
            "INSERT INTO goal_points (district_id, student_id, goal_id, on_date, value, note,
                                      recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            params![
                district_id,
                student_id,
                goal_id,
                on,
                value,
                note.trim(),
                recorded_by,
                now()
            ],
        )?
        .int(0)?;
    Ok(Point {
        id,
        on,
        value,
        note: note.trim().to_owned(),
    })
}

/// A goal's data points by date.
pub fn points(conn: &mut Conn, goal_id: i64) -> Result<Vec<Point>, StoreError> {
    conn.query(
        "SELECT id, on_date, value, note FROM goal_points WHERE goal_id = $1 ORDER BY on_date, id",
        params![goal_id],
    )?
    .iter()
    .map(|row| {
        Ok(Point {
            id: row.int(0)?,
            on: row.date(1)?,
            value: row.real(2)?,
            note: row.string(3)?,
        })
    })
    .collect()
}
