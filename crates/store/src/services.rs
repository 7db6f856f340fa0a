//! The service grid (minutes per week or month of each related service) and the session logs
//! providers write against it: the inputs of `law::ledger::compute`. A service's `revision`
//! counts its edits, so an edit made from a stale copy is refused instead of lost. Also the
//! district's compensatory-debt summary, kept in step with every write of those inputs.

use crate::db::{Conn, Row, Value};
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
    refresh_student(tx, student_id)?;
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
    refresh_student(tx, student_id)?;
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
    let id = tx
        .query_one(
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
        .int(0)?;
    refresh_student(tx, student_id)?;
    Ok(id)
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

// ---------------------------------------------------------------------------------------------
// The compensatory-debt summary (migration 0013): one row per service with the ledger's totals
// as of a day and the days between which they hold (`law::ledger::unchanged_between`). Every
// write that changes a ledger rewrites its student's rows in the same transaction; the district
// view reads the rows that hold on the day asked and computes only the others; the sweep
// rewrites the rows time has overtaken.

/// A student owed minutes: the first day of the oldest period not fully made up, and the
/// minutes owed and not made up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudentDebt {
    pub student_id: i64,
    pub since: Date,
    pub balance: u64,
}

/// Who is owed minutes in a district, oldest debt first, and how many students' ledgers had
/// to be computed because their stored summary did not hold on the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DistrictDebts {
    pub debts: Vec<StudentDebt>,
    pub computed: usize,
}

/// One service's summary row.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DebtRow {
    service_id: i64,
    student_id: i64,
    from: Option<Date>,
    until: Option<Date>,
    mandated: u64,
    delivered: u64,
    owed: u64,
    made_up: u64,
    balance: u64,
    oldest: Option<Date>,
}

/// One student's grid and sessions, and their district.
struct StudentInput {
    district_id: i64,
    services: Vec<Service>,
    sessions: Vec<LedgerSession>,
}

/// Students read per batch when many summaries are computed at once.
const DEBT_BATCH: usize = 2_000;

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The summary rows of one student's services as of `as_of`: the ledger arithmetic is
/// `law::ledger::compute`'s, nothing else.
fn debt_rows(
    calendar: &domain::calendar::CalendarSpec,
    student: &StudentInput,
    as_of: Date,
) -> Vec<DebtRow> {
    let input = LedgerInput {
        calendar: calendar.clone(),
        services: student.services.iter().map(ledger_service).collect(),
        sessions: student.sessions.clone(),
    };
    let report = law::ledger::compute(&input, as_of);
    student
        .services
        .iter()
        .zip(&input.services)
        .zip(&report.services)
        .map(|((service, line), ledger)| {
            let (from, until) = law::ledger::unchanged_between(line, &input.sessions, as_of);
            DebtRow {
                service_id: service.id,
                student_id: service.student_id,
                from,
                until,
                mandated: ledger.mandated,
                delivered: ledger.delivered,
                owed: ledger.owed,
                made_up: ledger.made_up,
                balance: ledger.balance,
                oldest: ledger
                    .periods
                    .iter()
                    .filter(|p| p.owed > p.made_up)
                    .map(|p| p.from)
                    .min(),
            }
        })
        .collect()
}

/// The grids and sessions of `students` (ascending ids), read by ranges of ids.
fn load_inputs(
    conn: &mut Conn,
    students: &[i64],
) -> Result<BTreeMap<i64, StudentInput>, StoreError> {
    let mut out: BTreeMap<i64, StudentInput> = BTreeMap::new();
    for batch in students.chunks(DEBT_BATCH) {
        let (Some(&first), Some(&last)) = (batch.first(), batch.last()) else {
            continue;
        };
        let wanted = |id: i64| batch.binary_search(&id).is_ok();
        conn.for_each(
            &format!(
                "SELECT {SERVICE_COLUMNS}, district_id FROM services
                 WHERE student_id >= $1 AND student_id <= $2 ORDER BY student_id, id"
            ),
            params![first, last],
            |row| {
                let service = service_from_row(&row)?;
                if wanted(service.student_id) {
                    let district_id = row.int(10)?;
                    out.entry(service.student_id)
                        .or_insert_with(|| StudentInput {
                            district_id,
                            services: Vec::new(),
                            sessions: Vec::new(),
                        })
                        .services
                        .push(service);
                }
                Ok(())
            },
        )?;
        conn.for_each(
            "SELECT service_id, on_date, minutes, status, student_id FROM service_sessions
             WHERE student_id >= $1 AND student_id <= $2 ORDER BY student_id, on_date, id",
            params![first, last],
            |row| {
                if let Some(student) = out.get_mut(&row.int(4)?) {
                    student.sessions.push(ledger_session(&row)?);
                }
                Ok(())
            },
        )?;
    }
    Ok(out)
}

/// The calendars of the districts `inputs` belong to, each read once.
fn calendars(
    conn: &mut Conn,
    inputs: &BTreeMap<i64, StudentInput>,
) -> Result<BTreeMap<i64, domain::calendar::CalendarSpec>, StoreError> {
    let mut out = BTreeMap::new();
    for student in inputs.values() {
        if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(student.district_id) {
            slot.insert(crate::districts::get_district(conn, student.district_id)?.calendar);
        }
    }
    Ok(out)
}

/// Rewrites the summary rows of `students` (ascending ids) as of `as_of`, in the caller's
/// transaction; returns how many rows it wrote.
pub fn refresh_debts_of(tx: &mut Conn, students: &[i64], as_of: Date) -> Result<u64, StoreError> {
    let mut written = 0;
    for batch in students.chunks(DEBT_BATCH) {
        let inputs = load_inputs(tx, batch)?;
        let calendars = calendars(tx, &inputs)?;
        for student in inputs.values() {
            let calendar = &calendars[&student.district_id];
            for row in debt_rows(calendar, student, as_of) {
                tx.execute(
                    "INSERT INTO service_debts (service_id, district_id, student_id, as_of,
                         valid_from, valid_until, mandated, delivered, owed, made_up, balance,
                         oldest_debt)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                     ON CONFLICT (service_id) DO UPDATE SET district_id = excluded.district_id,
                         student_id = excluded.student_id, as_of = excluded.as_of,
                         valid_from = excluded.valid_from, valid_until = excluded.valid_until,
                         mandated = excluded.mandated, delivered = excluded.delivered,
                         owed = excluded.owed, made_up = excluded.made_up,
                         balance = excluded.balance, oldest_debt = excluded.oldest_debt",
                    params![
                        row.service_id,
                        student.district_id,
                        row.student_id,
                        as_of,
                        row.from,
                        row.until,
                        to_i64(row.mandated),
                        to_i64(row.delivered),
                        to_i64(row.owed),
                        to_i64(row.made_up),
                        to_i64(row.balance),
                        row.oldest
                    ],
                )?;
                written += 1;
            }
        }
    }
    Ok(written)
}

/// Rewrites one student's summary as of today: every write to a ledger's inputs calls it in
/// its own transaction.
fn refresh_student(tx: &mut Conn, student_id: i64) -> Result<(), StoreError> {
    refresh_debts_of(tx, &[student_id], crate::today()).map(|_| ())
}

/// Rewrites the summary of the student whose service `service_id` is, as of today (for a
/// write that changes a service by its id alone, such as ending it with its plan).
pub fn refresh_debts_of_service(tx: &mut Conn, service_id: i64) -> Result<(), StoreError> {
    let student_id = tx
        .query_opt(
            "SELECT student_id FROM services WHERE id = $1",
            params![service_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("service {service_id}")))?
        .int(0)?;
    refresh_student(tx, student_id)
}

/// Students with a service whose summary is missing or does not hold on `as_of` (ascending),
/// in one district or all.
fn stale_students(
    conn: &mut Conn,
    district_id: Option<i64>,
    as_of: Date,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::new();
    let (filter, params) = match district_id {
        Some(d) => (
            "sv.district_id = $2 AND",
            vec![Value::from(as_of), Value::from(d)],
        ),
        None => ("", vec![Value::from(as_of)]),
    };
    conn.for_each(
        &format!(
            "SELECT DISTINCT sv.student_id FROM services sv
             LEFT JOIN service_debts d ON d.service_id = sv.id
             WHERE {filter} (d.service_id IS NULL OR d.valid_from > $1 OR d.valid_until <= $1)
             ORDER BY sv.student_id"
        ),
        &params,
        |row| {
            ids.push(row.int(0)?);
            Ok(())
        },
    )?;
    Ok(ids)
}

/// Rewrites, in the caller's transaction, every summary that is missing or that time has
/// overtaken (migration 0013 fills the table with it); returns how many students it computed.
pub fn refresh_stale_debts(tx: &mut Conn, as_of: Date) -> Result<usize, StoreError> {
    let stale = stale_students(tx, None, as_of)?;
    refresh_debts_of(tx, &stale, as_of)?;
    Ok(stale.len())
}

/// What `sweep_debts` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DebtSweep {
    pub students: usize,
    pub services: u64,
}

/// The sweep's part: rewrites the summaries that do not hold on `as_of` (a period ended, a
/// dated session came due, or they were never written), `DEBT_BATCH` students per transaction.
pub fn sweep_debts(conn: &mut Conn, as_of: Date) -> Result<DebtSweep, StoreError> {
    let stale = stale_students(conn, None, as_of)?;
    let mut services = 0;
    for batch in stale.chunks(DEBT_BATCH) {
        services += conn.transaction(|tx| refresh_debts_of(tx, batch, as_of))?;
    }
    Ok(DebtSweep {
        students: stale.len(),
        services,
    })
}

/// Rewrites every summary of a district, as after a change of its calendar.
pub fn refresh_district_debts(
    tx: &mut Conn,
    district_id: i64,
    as_of: Date,
) -> Result<u64, StoreError> {
    let mut students = Vec::new();
    tx.for_each(
        "SELECT DISTINCT student_id FROM services WHERE district_id = $1 ORDER BY student_id",
        params![district_id],
        |row| {
            students.push(row.int(0)?);
            Ok(())
        },
    )?;
    refresh_debts_of(tx, &students, as_of)
}

/// Every student of a district who is owed minutes on `as_of`, oldest debt first (then by id):
/// the stored summaries that hold that day, and a fresh computation for students whose summary
/// does not. Reads only.
pub fn district_debts(
    conn: &mut Conn,
    district_id: i64,
    as_of: Date,
) -> Result<DistrictDebts, StoreError> {
    let stale = stale_students(conn, Some(district_id), as_of)?;
    let mut owed: BTreeMap<i64, (Date, u64)> = BTreeMap::new();
    let mut add = |student_id: i64, since: Date, balance: u64| {
        let entry = owed.entry(student_id).or_insert((since, 0));
        entry.0 = entry.0.min(since);
        entry.1 += balance;
    };
    conn.for_each(
        "SELECT student_id, oldest_debt, balance FROM service_debts
         WHERE district_id = $1 AND balance > 0
           AND (valid_from IS NULL OR valid_from <= $2)
           AND (valid_until IS NULL OR valid_until > $2)",
        params![district_id, as_of],
        |row| {
            let student_id = row.int(0)?;
            if stale.binary_search(&student_id).is_err() {
                let balance = u64::try_from(row.int(2)?)
                    .map_err(|_| StoreError::Corrupt("service debt balance".into()))?;
                add(student_id, row.date(1)?, balance);
            }
            Ok(())
        },
    )?;
    let inputs = load_inputs(conn, &stale)?;
    let calendars = calendars(conn, &inputs)?;
    for student in inputs.values() {
        for row in debt_rows(&calendars[&student.district_id], student, as_of) {
            if let (Some(since), true) = (row.oldest, row.balance > 0) {
                add(row.student_id, since, row.balance);
            }
        }
    }
    let mut debts: Vec<StudentDebt> = owed
        .into_iter()
        .map(|(student_id, (since, balance))| StudentDebt {
            student_id,
            since,
            balance,
        })
        .collect();
    debts.sort_by_key(|d| (d.since, d.student_id));
    Ok(DistrictDebts {
        debts,
        computed: stale.len(),
    })
}
