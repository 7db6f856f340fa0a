//! Districts and their schools, with each district's school calendar and local policy (both
//! stored as JSON documents the law engine reads).

use crate::db::Conn;
use crate::{StoreError, now, params};
use domain::calendar::CalendarSpec;

#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub id: i64,
    pub name: String,
    pub jurisdiction: String,
    pub calendar: CalendarSpec,
    /// District policy settings the law leaves to districts (e.g. the 504 review interval),
    /// as the law engine's `DistrictPolicy` JSON.
    pub policy: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub id: i64,
    pub district_id: i64,
    pub name: String,
}

pub fn create_district(
    conn: &mut Conn,
    name: &str,
    jurisdiction: &str,
    calendar: &CalendarSpec,
) -> Result<i64, StoreError> {
    let calendar =
        serde_json::to_string(calendar).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let row = conn.query_one(
        "INSERT INTO districts (name, jurisdiction, calendar, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
        params![name, jurisdiction, calendar, now()],
    )?;
    row.int(0)
}

pub fn get_district(conn: &mut Conn, id: i64) -> Result<District, StoreError> {
    let row = conn
        .query_opt(
            "SELECT id, name, jurisdiction, calendar, policy FROM districts WHERE id = $1",
            params![id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("district {id}")))?;
    district_from_row(&row)
}

pub fn list_districts(conn: &mut Conn) -> Result<Vec<District>, StoreError> {
    conn.query(
        "SELECT id, name, jurisdiction, calendar, policy FROM districts ORDER BY id",
        &[],
    )?
    .iter()
    .map(district_from_row)
    .collect()
}

pub fn set_calendar(
    conn: &mut Conn,
    district_id: i64,
    calendar: &CalendarSpec,
) -> Result<(), StoreError> {
    let text = serde_json::to_string(calendar).map_err(|e| StoreError::Invalid(e.to_string()))?;
    // The calendar decides what each week of a service mandates, so the debt summary is
    // rewritten with it.
    conn.transaction(|tx| {
        let changed = tx.execute(
            "UPDATE districts SET calendar = $1 WHERE id = $2",
            params![text, district_id],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound(format!("district {district_id}")));
        }
        crate::services::refresh_district_debts(tx, district_id, crate::today())?;
        Ok(())
    })
}

pub fn set_policy(
    conn: &mut Conn,
    district_id: i64,
    policy: &serde_json::Value,
) -> Result<(), StoreError> {
    let changed = conn.execute(
        "UPDATE districts SET policy = $1 WHERE id = $2",
        params![policy.to_string(), district_id],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!("district {district_id}")));
    }
    Ok(())
}

fn district_from_row(row: &crate::Row) -> Result<District, StoreError> {
    let calendar = serde_json::from_str(row.text(3)?)
        .map_err(|e| StoreError::Corrupt(format!("district calendar: {e}")))?;
    let policy = serde_json::from_str(row.text(4)?)
        .map_err(|e| StoreError::Corrupt(format!("district policy: {e}")))?;
    Ok(District {
        id: row.int(0)?,
        name: row.string(1)?,
        jurisdiction: row.string(2)?,
        calendar,
        policy,
    })
}

pub fn create_school(
    conn: &mut Conn,
    district_id: i64,
    name: &str,
    source_id: Option<&str>,
) -> Result<i64, StoreError> {
    conn.query_one(
        "INSERT INTO schools (district_id, name, source_id) VALUES ($1, $2, $3) RETURNING id",
        params![district_id, name, source_id],
    )?
    .int(0)
}

pub fn list_schools(conn: &mut Conn, district_id: i64) -> Result<Vec<School>, StoreError> {
    conn.query(
        "SELECT id, district_id, name FROM schools WHERE district_id = $1 ORDER BY name",
        params![district_id],
    )?
    .iter()
    .map(|row| {
        Ok(School {
            id: row.int(0)?,
            district_id: row.int(1)?,
            name: row.string(2)?,
        })
    })
    .collect()
}

/// Marks a district as one family's own records (parent-only mode): no district staff, and the
/// parent keeps the whole timeline (see `domain::access::decide_in`).
pub fn mark_parent_only(conn: &mut Conn, district_id: i64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO parent_only_districts (district_id, created_at) VALUES ($1, $2)",
        params![district_id, now()],
    )?;
    Ok(())
}

/// Whether the district is one family's own records (parent-only mode).
pub fn is_parent_only(conn: &mut Conn, district_id: i64) -> Result<bool, StoreError> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM parent_only_districts WHERE district_id = $1",
            params![district_id],
        )?
        .is_some())
}

/// What the web app's first-run page asks a parent keeping their own records.
#[derive(Debug, Clone)]
pub struct ParentSetup<'a> {
    pub display_name: &'a str,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub preferred_language: &'a str,
    pub child_first_name: &'a str,
    pub child_last_name: &'a str,
    pub child_birth_date: domain::Date,
    pub jurisdiction: &'a str,
}

/// First run only: on a database with no district yet, creates a parent-only district with
/// the parent's account and their child, linked as guardian, in one transaction. Returns the
/// parent's user id, or `None` when the database already has a district (nothing is written:
/// a second visitor cannot take over an instance someone has set up).
pub fn first_run_parent(
    conn: &mut Conn,
    setup: &ParentSetup<'_>,
) -> Result<Option<i64>, StoreError> {
    crate::synth::validate_jurisdiction(setup.jurisdiction)?;
    conn.transaction(|tx| {
        if tx.backend() == crate::Backend::Postgres {
            tx.execute_batch("SELECT pg_advisory_xact_lock(504505)")?;
        }
        if tx
            .query_opt("SELECT id FROM districts LIMIT 1", &[])?
            .is_some()
        {
            return Ok(None);
        }
        let district_id = create_district(
            tx,
            "Family records",
            setup.jurisdiction,
            &CalendarSpec::default(),
        )?;
        mark_parent_only(tx, district_id)?;
        let user_id = crate::users::add_user(
            tx,
            &crate::users::NewUser {
                district_id,
                username: setup.username,
                display_name: setup.display_name,
                role: domain::people::Role::Parent,
                password_hash: Some(setup.password_hash),
                preferred_language: setup.preferred_language,
            },
        )?;
        let student_id = crate::students::add_student(
            tx,
            &crate::students::NewStudent {
                district_id,
                school_id: None,
                first_name: setup.child_first_name,
                last_name: setup.child_last_name,
                birth_date: setup.child_birth_date,
                jurisdiction: setup.jurisdiction,
                grade: None,
                preferred_language: setup.preferred_language,
                source_id: None,
            },
        )?;
        tx.execute(
            "INSERT INTO links (user_id, student_id, district_id, relation, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            params![
                user_id,
                student_id,
                district_id,
                domain::people::Relation::Guardian.as_str(),
                now()
            ],
        )?;
        // Two first runs at once on SQLite: the later one sees two districts and rolls back.
        let count = tx
            .query_one("SELECT COUNT(*) FROM districts", &[])?
            .int(0)?;
        if count != 1 {
            return Err(StoreError::Conflict(
                "the instance was set up by someone else meanwhile".into(),
            ));
        }
        Ok(Some(user_id))
    })
}
