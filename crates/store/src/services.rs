//! The service grid (minutes per week or month of each related service) and the session logs
//! providers write against it: the inputs of `law::ledger::compute`. A service's `revision`
//! counts its edits, so an edit made from a stale copy is refused instead of lost.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use law::ledger::{LedgerInput, Per, Session as LedgerSession, SessionStatus};
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of the grid as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    pub name: String,
    pub provider_role: String,
    pub minutes: u32,
    pub per: Per,
    pub setting: String,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub id: i64,
    pub student_id: i64,
    pub name: String,
    pub provider_role: String,
    pub minutes: u32,
    pub per: Per,
    pub setting: String,
    pub start: Date,
    pub end: Date,
    pub revision: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub service_id: i64,
    pub on: Date,
    pub minutes: u32,
    pub status: SessionStatus,
    pub note: String,
}

/// A logged session, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionLog {
    pub id: i64,
    pub student_id: i64,
    pub service_id: i64,
    pub service_name: String,
    pub on: Date,
    pub minutes: u32,
    pub status: SessionStatus,
    pub note: String,
    pub logged_by: Option<String>,
    #[serde(skip)]
    pub student_name: String,
}

const SERVICE_COLUMNS: &str =
    "id, student_id, name, provider_role, minutes, per, setting, start_date, end_date, revision";

pub fn per_str(per: Per) -> &'static str {
    match per {
        Per::Week => "week",
        Per::Month => "month",
    }
}

pub fn status_str(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Delivered => "delivered",
        SessionStatus::StudentAbsent => "student_absent",
        SessionStatus::ProviderAbsent => "provider_absent",
        SessionStatus::SchoolClosed => "school_closed",
        SessionStatus::MakeUp => "make_up",
    }
}

pub const STATUSES: [SessionStatus; 5] = [
    SessionStatus::Delivered,
    SessionStatus::StudentAbsent,
    SessionStatus::ProviderAbsent,
    SessionStatus::SchoolClosed,
    SessionStatus::MakeUp,
];

pub fn parse_status(text: &str) -> Option<SessionStatus> {
    STATUSES.into_iter().find(|s| status_str(*s) == text)
}

pub fn parse_per(text: &str) -> Option<Per> {
    [Per::Week, Per::Month]
        .into_iter()
        .find(|p| per_str(*p) == text)
}

fn minutes_of(row: &Row, i: usize) -> Result<u32, StoreError> {
    u32::try_from(row.int(i)?)
        .map_err(|_| StoreError::Corrupt(format!("column {i}: minutes out of range")))
}

fn service_from_row(row: &Row) -> Result<Service, StoreError> {
    Ok(Service {
        id: row.int(0)?,
        student_id: row.int(1)?,
        name: row.string(2)?,
        provider_role: row.string(3)?,
        minutes: minutes_of(row, 4)?,
        per: parse_per(row.text(5)?).ok_or_else(|| StoreError::Corrupt("service period".into()))?,
        setting: row.string(6)?,
        start: row.date(7)?,
        end: row.date(8)?,
        revision: row.int(9)?,
    })
}

fn check(service: &NewService) -> Result<(), StoreError> {
    if service.name.trim().is_empty() || service.minutes == 0 || service.end < service.start {
        return Err(StoreError::Invalid(
            "a service needs a name, some minutes, and an end on or after its start".into(),
        ));
    }
    Ok(())
}

pub fn add_service(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    service: &NewService,
    created_by: Option<i64>,
) -> Result<Service, StoreError> {
    check(service)?;
    let id = tx
        .query_one(
            "INSERT INTO services (district_id, student_id, name, provider_role, minutes, per,
                                   setting, start_date, end_date, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            params![
                district_id,
                student_id,
                service.name.trim(),
                service.provider_role.as_str(),
                i64::from(service.minutes),
                per_str(service.per),
                service.setting.trim(),
                service.start,
                service.end,
                now(),
                created_by
            ],
        )?
        .int(0)?;
    get_service(tx, student_id, id)
}

/// One service of one student; another student's service is "not found".
pub fn get_service(conn: &mut Conn, student_id: i64, id: i64) -> Result<Service, StoreError> {
    let row = conn
        .query_opt(
            &format!("SELECT {SERVICE_COLUMNS} FROM services WHERE id = $1 AND student_id = $2"),
            params![id, student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("service {id}")))?;
    service_from_row(&row)
}

pub fn list_services(conn: &mut Conn, student_id: i64) -> Result<Vec<Service>, StoreError> {
    conn.query(
        &format!("SELECT {SERVICE_COLUMNS} FROM services WHERE student_id = $1 ORDER BY id"),
        params![student_id],
    )?
    .iter()
    .map(service_from_row)
    .collect()
}

/// Replaces a service's fields if it is still at `expected_revision` (compare-and-set); a
/// service edited meanwhile is a conflict, and the caller must reload.
pub fn update_service(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    service: &NewService,
) -> Result<Service, StoreError> {
    check(service)?;
    let changed = tx.execute(
        "UPDATE services SET name = $1, provider_role = $2, minutes = $3, per = $4, setting = $5,
                start_date = $6, end_date = $7, revision = revision + 1
         WHERE id = $8 AND student_id = $9 AND revision = $10",
        params![
            service.name.trim(),
            service.provider_role.as_str(),
            i64::from(service.minutes),
            per_str(service.per),
            service.setting.trim(),
            service.start,
            service.end,
            id,
            student_id,
            expected_revision
        ],
    )?;
    let current = get_service(tx, student_id, id)?;
    if changed == 0 {
        return Err(StoreError::Conflict(format!(
            "service {id} was changed by someone else (it is at revision {}, not {expected_revision}); reload it and edit again",
            current.revision
        )));
    }
    Ok(current)
}

pub fn add_session(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    session: &NewSession,
    logged_by: Option<i64>,
) -> Result<i64, StoreError> {
    // The service must be this student's: a session cannot be filed under another child.
    get_service(tx, student_id, session.service_id)?;
    if session.minutes == 0 {
        return Err(StoreError::Invalid("a session needs some minutes".into()));
    }
    tx.query_one(
        "INSERT INTO service_sessions (district_id, student_id, service_id, on_date, minutes,
                                       status, note, logged_by, logged_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        params![
            district_id,
            student_id,
            session.service_id,
            session.on,
            i64::from(session.minutes),
            status_str(session.status),
            session.note.trim(),
            logged_by,
            now()
        ],
    )?
    .int(0)
}

const SESSION_SELECT: &str = "SELECT ss.id, ss.student_id, ss.service_id, sv.name, ss.on_date,
        ss.minutes, ss.status, ss.note, u.display_name, st.first_name || ' ' || st.last_name
     FROM service_sessions ss
     JOIN services sv ON sv.id = ss.service_id
     JOIN students st ON st.id = ss.student_id
     LEFT JOIN users u ON u.id = ss.logged_by";

fn session_from_row(row: &Row) -> Result<SessionLog, StoreError> {
    Ok(SessionLog {
        id: row.int(0)?,
        student_id: row.int(1)?,
        service_id: row.int(2)?,
        service_name: row.string(3)?,
        on: row.date(4)?,
        minutes: minutes_of(row, 5)?,
        status: parse_status(row.text(6)?)
            .ok_or_else(|| StoreError::Corrupt("session status".into()))?,
        note: row.string(7)?,
        logged_by: row.opt_string(8)?,
        student_name: row.string(9)?,
    })
}

/// A student's sessions, newest first.
pub fn list_sessions(conn: &mut Conn, student_id: i64) -> Result<Vec<SessionLog>, StoreError> {
    conn.query(
        &format!("{SESSION_SELECT} WHERE ss.student_id = $1 ORDER BY ss.on_date DESC, ss.id DESC"),
        params![student_id],
    )?
    .iter()
    .map(session_from_row)
    .collect()
}

/// The sessions one user logged, newest first (a provider's "my sessions").
pub fn sessions_logged_by(
    conn: &mut Conn,
    user_id: i64,
    limit: i64,
) -> Result<Vec<SessionLog>, StoreError> {
    conn.query(
        &format!(
            "{SESSION_SELECT} WHERE ss.logged_by = $1 ORDER BY ss.on_date DESC, ss.id DESC LIMIT $2"
        ),
        params![user_id, limit],
    )?
    .iter()
    .map(session_from_row)
    .collect()
}

/// The ledger's input for one student: the grid (each service under its id as text) and every
/// session, over the district calendar.
pub fn ledger_input(
    conn: &mut Conn,
    student_id: i64,
    calendar: &domain::calendar::CalendarSpec,
) -> Result<LedgerInput, StoreError> {
    let services = list_services(conn, student_id)?;
    let sessions = conn
        .query(
            "SELECT service_id, on_date, minutes, status FROM service_sessions
             WHERE student_id = $1 ORDER BY on_date, id",
            params![student_id],
        )?
        .iter()
        .map(ledger_session)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LedgerInput {
        calendar: calendar.clone(),
        services: services.iter().map(ledger_service).collect(),
        sessions,
    })
}

fn ledger_service(s: &Service) -> law::ledger::Service {
    law::ledger::Service {
        id: s.id.to_string(),
        minutes: s.minutes,
        per: s.per,
        start: s.start,
        end: s.end,
    }
}

fn ledger_session(row: &Row) -> Result<LedgerSession, StoreError> {
    Ok(LedgerSession {
        service: row.int(0)?.to_string(),
        on: row.date(1)?,
        minutes: minutes_of(row, 2)?,
        status: parse_status(row.text(3)?)
            .ok_or_else(|| StoreError::Corrupt("session status".into()))?,
    })
}

/// Every student of a district with a service grid, with their ledger inputs and services, in
/// two queries (the district's compensatory-debt view computes each ledger from these).
pub fn district_ledger_inputs(
    conn: &mut Conn,
    district_id: i64,
    calendar: &domain::calendar::CalendarSpec,
) -> Result<BTreeMap<i64, (Vec<Service>, LedgerInput)>, StoreError> {
    let mut out: BTreeMap<i64, (Vec<Service>, LedgerInput)> = BTreeMap::new();
    let empty = || LedgerInput {
        calendar: calendar.clone(),
        services: Vec::new(),
        sessions: Vec::new(),
    };
    conn.for_each(
        &format!(
            "SELECT {SERVICE_COLUMNS} FROM services WHERE district_id = $1 ORDER BY student_id, id"
        ),
        params![district_id],
        |row| {
            let service = service_from_row(&row)?;
            let entry = out
                .entry(service.student_id)
                .or_insert_with(|| (Vec::new(), empty()));
            entry.1.services.push(ledger_service(&service));
            entry.0.push(service);
            Ok(())
        },
    )?;
    conn.for_each(
        "SELECT service_id, on_date, minutes, status, student_id FROM service_sessions
         WHERE district_id = $1 ORDER BY student_id, on_date, id",
        params![district_id],
        |row| {
            let session = ledger_session(&row)?;
            if let Some(entry) = out.get_mut(&row.int(4)?) {
                entry.1.sessions.push(session);
            }
            Ok(())
        },
    )?;
    Ok(out)
}
