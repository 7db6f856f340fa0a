//! The evaluation workflow's records: each step (referral, consent request and answer, plan,
//! report, IDEA and Section 504 decisions) with the case event it recorded, and notices drafted
//! from a step (the step's kind decides the law the notice answers to), completed
//! (compare-and-set on `revision`) and then sent. The caller appends the events in the same
//! transaction, through the path that refreshes obligations, and links them here with
//! `set_step_event` and `mark_sent`. Steps are
//! append-only: `correct_step` adds a corrected version that names the one it supersedes, with
//! the reason; the original row stays as it was and reads as superseded.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use domain::evaluation::{NoticeContents, NoticeKind, PriorWrittenNotice, Step};
use domain::event::{NoticeAction, NoticeSubject};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRecord {
    pub id: i64,
    pub student_id: i64,
    pub on: Date,
    #[serde(flatten)]
    pub step: Step,
    pub event_id: Option<String>,
    /// The step this one corrects, and why.
    pub supersedes: Option<i64>,
    pub correction_reason: Option<String>,
    /// The correction that replaced this step, if any: the step is then history.
    pub superseded_by: Option<i64>,
}

impl StepRecord {
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub id: i64,
    pub student_id: i64,
    /// The step the notice was drafted from, if any.
    pub step_id: Option<i64>,
    /// The law the notice answers to, from the kind of step it was drafted from.
    pub kind: NoticeKind,
    #[serde(flatten)]
    pub notice: PriorWrittenNotice,
    pub sent_on: Option<Date>,
    pub event_id: Option<String>,
    pub revision: i64,
    pub created_at: String,
}

impl Notice {
    pub fn is_sent(&self) -> bool {
        self.sent_on.is_some()
    }
}

fn to_text(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

const STEP_COLUMNS: &str = "s.id, s.student_id, s.on_date, s.body, s.event_id, s.supersedes,
    s.correction_reason,
    (SELECT c.id FROM evaluation_steps c WHERE c.supersedes = s.id)";

fn step_from_row(row: &Row) -> Result<StepRecord, StoreError> {
    let body = row.string(3)?;
    Ok(StepRecord {
        id: row.int(0)?,
        student_id: row.int(1)?,
        on: row.date(2)?,
        step: serde_json::from_str(&body).map_err(|e| corrupt("evaluation step", e))?,
        event_id: row.opt_string(4)?,
        supersedes: row.opt_int(5)?,
        correction_reason: row.opt_string(6)?,
        superseded_by: row.opt_int(7)?,
    })
}

pub fn add_step(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    on: Date,
    step: &Step,
    created_by: Option<i64>,
) -> Result<StepRecord, StoreError> {
    let id = tx
        .query_one(
            "INSERT INTO evaluation_steps (district_id, student_id, step, on_date, body,
                                           created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            params![
                district_id,
                student_id,
                step.name(),
                on,
                to_text(step)?,
                now(),
                created_by
            ],
        )?
        .int(0)?;
    get_step(tx, student_id, id)
}

/// The longest reason a correction may give.
pub const REASON_MAX: usize = 2000;

/// Records a corrected version of step `original` (the current version of one of the
/// student's steps, and the same kind of step) with the reason. The original row is not
/// touched; it reads as superseded from now on. The caller corrects the original's case event.
#[allow(clippy::too_many_arguments)]
pub fn correct_step(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    original: i64,
    on: Date,
    step: &Step,
    reason: &str,
    created_by: Option<i64>,
) -> Result<StepRecord, StoreError> {
    let before = get_step(tx, student_id, original)?;
    if let Some(by) = before.superseded_by {
        return Err(StoreError::Conflict(format!(
            "evaluation step {original} was already corrected by step {by}; correct that one"
        )));
    }
    if before.step.name() != step.name() {
        return Err(StoreError::Invalid(format!(
            "step: a correction records the same step as the original ({}), not {}",
            before.step.name(),
            step.name()
        )));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > REASON_MAX {
        return Err(StoreError::Invalid(format!(
            "reason: why the step is corrected, 1 to {REASON_MAX} characters"
        )));
    }
    let id = tx
        .query_one(
            "INSERT INTO evaluation_steps (district_id, student_id, step, on_date, body,
                                           created_at, created_by, supersedes, correction_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            params![
                district_id,
                student_id,
                step.name(),
                on,
                to_text(step)?,
                now(),
                created_by,
                original,
                reason
            ],
        )?
        .int(0)?;
    get_step(tx, student_id, id)
}

/// Links a step to the case event it recorded.
pub fn set_step_event(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    event_id: &str,
) -> Result<StepRecord, StoreError> {
    tx.execute(
        "UPDATE evaluation_steps SET event_id = $1 WHERE id = $2 AND student_id = $3",
        params![event_id, id, student_id],
    )?;
    get_step(tx, student_id, id)
}

pub fn get_step(conn: &mut Conn, student_id: i64, id: i64) -> Result<StepRecord, StoreError> {
    let row = conn
        .query_opt(
            &format!(
                "SELECT {STEP_COLUMNS} FROM evaluation_steps s WHERE s.id = $1 AND s.student_id = $2"
            ),
            params![id, student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("evaluation step {id}")))?;
    step_from_row(&row)
}

/// The student's steps, oldest first.
pub fn list_steps(conn: &mut Conn, student_id: i64) -> Result<Vec<StepRecord>, StoreError> {
    conn.query(
        &format!(
            "SELECT {STEP_COLUMNS} FROM evaluation_steps s WHERE s.student_id = $1
             ORDER BY s.on_date, s.id"
        ),
        params![student_id],
    )?
    .iter()
    .map(step_from_row)
    .collect()
}

const NOTICE_COLUMNS: &str =
    "n.id, n.student_id, n.step_id, n.action, n.subject, n.body, n.sent_on, n.event_id,
     n.revision, n.created_at,
     (SELECT s.step FROM evaluation_steps s WHERE s.id = n.step_id)";

fn parse_action(text: &str) -> Result<NoticeAction, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| corrupt("notice action", e))
}

fn parse_subject(text: &str) -> Result<NoticeSubject, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| corrupt("notice subject", e))
}

fn tag(value: &impl Serialize) -> Result<String, StoreError> {
    match serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Invalid(format!("not a tag: {other}"))),
    }
}

fn notice_from_row(row: &Row) -> Result<Notice, StoreError> {
    let contents: NoticeContents =
        serde_json::from_str(&row.string(5)?).map_err(|e| corrupt("notice", e))?;
    Ok(Notice {
        id: row.int(0)?,
        student_id: row.int(1)?,
        step_id: row.opt_int(2)?,
        kind: NoticeKind::of_step_name(row.opt_string(10)?.as_deref()),
        notice: PriorWrittenNotice {
            action: parse_action(&row.string(3)?)?,
            subject: parse_subject(&row.string(4)?)?,
            contents,
        },
        sent_on: row.opt_date(6)?,
        event_id: row.opt_string(7)?,
        revision: row.int(8)?,
        created_at: row.string(9)?,
    })
}

/// Drafts a notice, from `step_id` (one of the student's steps) when given.
pub fn add_notice(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    step_id: Option<i64>,
    notice: &PriorWrittenNotice,
    created_by: Option<i64>,
) -> Result<Notice, StoreError> {
    if let Some(step) = step_id {
        get_step(tx, student_id, step)?;
    }
    let id = tx
        .query_one(
            "INSERT INTO prior_written_notices (district_id, student_id, step_id, action, subject,
                                                body, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            params![
                district_id,
                student_id,
                step_id,
                tag(&notice.action)?,
                tag(&notice.subject)?,
                to_text(&notice.contents)?,
                now(),
                created_by
            ],
        )?
        .int(0)?;
    get_notice(tx, student_id, id)
}

pub fn get_notice(conn: &mut Conn, student_id: i64, id: i64) -> Result<Notice, StoreError> {
    let row = conn
        .query_opt(
            &format!(
                "SELECT {NOTICE_COLUMNS} FROM prior_written_notices n
                 WHERE n.id = $1 AND n.student_id = $2"
            ),
            params![id, student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("prior written notice {id}")))?;
    notice_from_row(&row)
}

pub fn list_notices(conn: &mut Conn, student_id: i64) -> Result<Vec<Notice>, StoreError> {
    conn.query(
        &format!(
            "SELECT {NOTICE_COLUMNS} FROM prior_written_notices n
             WHERE n.student_id = $1 ORDER BY n.id"
        ),
        params![student_id],
    )?
    .iter()
    .map(notice_from_row)
    .collect()
}

/// The student's latest notice: the last one sent, or else the last draft.
pub fn latest_notice(conn: &mut Conn, student_id: i64) -> Result<Option<Notice>, StoreError> {
    let notices = list_notices(conn, student_id)?;
    let sent = notices
        .iter()
        .filter(|n| n.is_sent())
        .max_by_key(|n| (n.sent_on, n.id))
        .cloned();
    Ok(sent.or_else(|| notices.into_iter().next_back()))
}

fn changed_elsewhere(id: i64, current: &Notice) -> StoreError {
    if current.is_sent() {
        StoreError::Conflict(format!(
            "prior written notice {id} was already sent on {}; it can no longer change",
            current.sent_on.map(|d| d.to_string()).unwrap_or_default()
        ))
    } else {
        StoreError::Conflict(format!(
            "prior written notice {id} was changed by someone else (it is at revision {}); reload it",
            current.revision
        ))
    }
}

/// Saves a draft's contents if it is still at `expected_revision` and not sent.
pub fn update_notice(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    contents: &NoticeContents,
) -> Result<Notice, StoreError> {
    let current = get_notice(tx, student_id, id)?;
    let changed = tx.execute(
        "UPDATE prior_written_notices SET body = $1, revision = revision + 1
         WHERE id = $2 AND student_id = $3 AND revision = $4 AND sent_on IS NULL",
        params![to_text(contents)?, id, student_id, expected_revision],
    )?;
    if changed == 0 {
        return Err(changed_elsewhere(id, &current));
    }
    get_notice(tx, student_id, id)
}

/// Marks a draft sent on `on` with the `prior_written_notice_sent` event that recorded it.
pub fn mark_sent(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    on: Date,
    event_id: &str,
) -> Result<Notice, StoreError> {
    let current = get_notice(tx, student_id, id)?;
    let changed = tx.execute(
        "UPDATE prior_written_notices SET sent_on = $1, event_id = $2, revision = revision + 1
         WHERE id = $3 AND student_id = $4 AND revision = $5 AND sent_on IS NULL",
        params![on, event_id, id, student_id, expected_revision],
    )?;
    if changed == 0 {
        return Err(changed_elsewhere(id, &current));
    }
    get_notice(tx, student_id, id)
}
