//! The append-only case timeline. An event is written once and never changed; writing the same
//! event again under its id is a harmless replay, a different event under a used id a conflict.

use crate::db::Conn;
use crate::{StoreError, now, params};
use domain::event::Event;

/// The outcome of an append: a new event, or the same one already stored under that id.
#[derive(Debug, Clone, PartialEq)]
pub enum Appended {
    Created(Event),
    Replayed(Event),
}

impl Appended {
    pub fn event(&self) -> &Event {
        match self {
            Appended::Created(e) | Appended::Replayed(e) => e,
        }
    }
}

/// The `kind` tag of an event, as stored in its own column for filtering.
pub fn kind_tag(event: &Event) -> Result<String, StoreError> {
    let value =
        serde_json::to_value(&event.kind).map_err(|e| StoreError::Invalid(e.to_string()))?;
    value
        .get("kind")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
        .ok_or_else(|| StoreError::Invalid("event has no kind".into()))
}

/// Appends one event inside the caller's transaction. An empty id gets a fresh random one.
pub fn append(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    event: &Event,
    recorded_by: Option<i64>,
) -> Result<Appended, StoreError> {
    let mut event = event.clone();
    if event.id.is_empty() {
        event.id = fresh_event_id();
    }
    let body = serde_json::to_string(&event).map_err(|e| StoreError::Invalid(e.to_string()))?;
    if let Some(row) = tx.query_opt(
        "SELECT body FROM events WHERE student_id = $1 AND event_id = $2",
        params![student_id, &event.id],
    )? {
        let stored: Event = serde_json::from_str(row.text(0)?)
            .map_err(|e| StoreError::Corrupt(format!("stored event: {e}")))?;
        return if stored == event {
            Ok(Appended::Replayed(stored))
        } else {
            Err(StoreError::Conflict(format!(
                "event id `{}` is already used by a different event of this student",
                event.id
            )))
        };
    }
    if let Some(target) = &event.supersedes {
        let exists = tx
            .query_opt(
                "SELECT 1 FROM events WHERE student_id = $1 AND event_id = $2",
                params![student_id, target],
            )?
            .is_some();
        if !exists {
            return Err(StoreError::Invalid(format!(
                "`supersedes` names event `{target}`, which this student does not have"
            )));
        }
    }
    tx.execute(
        "INSERT INTO events (district_id, student_id, event_id, on_date, kind, body, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            district_id,
            student_id,
            &event.id,
            event.on,
            kind_tag(&event)?,
            body,
            now(),
            recorded_by
        ],
    )?;
    Ok(Appended::Created(event))
}

/// A student's events in the order they were recorded.
pub fn list(conn: &mut Conn, student_id: i64) -> Result<Vec<Event>, StoreError> {
    conn.query(
        "SELECT body FROM events WHERE student_id = $1 ORDER BY seq",
        params![student_id],
    )?
    .iter()
    .map(|row| parse_body(row.text(0)?))
    .collect()
}

/// One event of a student by its id (what a conflicting write is shown).
pub fn find(conn: &mut Conn, student_id: i64, event_id: &str) -> Result<Option<Event>, StoreError> {
    conn.query_opt(
        "SELECT body FROM events WHERE student_id = $1 AND event_id = $2",
        params![student_id, event_id],
    )?
    .map(|row| parse_body(row.text(0)?))
    .transpose()
}

pub fn parse_body(body: &str) -> Result<Event, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("stored event: {e}")))
}

fn fresh_event_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Uniqueness within one student is all that is needed; time plus a process counter gives
    // that without a random-number dependency in the store.
    let nanos = jiff::Timestamp::now().as_nanosecond();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("ev-{nanos:x}-{n:x}")
}
