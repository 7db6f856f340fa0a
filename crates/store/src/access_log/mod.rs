//! The record of access to education records (34 CFR 300.614): who read which student's record,
//! when, in what role, doing what and why. Entries are append-only and hash-chained: each hash
//! covers the entry and the previous hash, so an edited or deleted entry is detectable.

use crate::db::Conn;
use crate::{StoreError, now, params};

mod group;
mod purpose;
pub use group::{GroupWriter, OwnedEntry};
pub use purpose::Purpose;
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub at: String,
    pub who: String,
    pub role: String,
    pub action: String,
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry<'a> {
    pub district_id: i64,
    pub student_id: Option<i64>,
    pub user_id: Option<i64>,
    pub who: &'a str,
    pub role: &'a str,
    pub action: &'a str,
    pub purpose: &'a str,
    /// When the record was read; `None` stamps the entry with the time it is written. Entries
    /// held through a storage outage keep the time of their read.
    pub at: Option<&'a str>,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    district_id: i64,
    student_id: Option<i64>,
    at: &str,
    who: &str,
    role: &str,
    action: &str,
    purpose: &str,
) -> String {
    let mut hasher = Sha256::new();
    // Fields are length-prefixed so no two different entries serialise alike.
    for field in [
        prev,
        &district_id.to_string(),
        &student_id.map_or(String::new(), |s| s.to_string()),
        at,
        who,
        role,
        action,
        purpose,
    ] {
        hasher.update((field.len() as u64).to_le_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// Appends an entry inside the caller's transaction.
pub fn record(tx: &mut Conn, entry: &NewEntry<'_>) -> Result<(), StoreError> {
    record_all(tx, std::slice::from_ref(entry))
}

/// Appends entries in order inside the caller's transaction. The chain is global, so appends
/// are serialised: SQLite's write lock does it; on PostgreSQL an advisory lock does.
pub fn record_all(tx: &mut Conn, entries: &[NewEntry<'_>]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    if tx.backend() == crate::Backend::Postgres {
        tx.execute_batch("SELECT pg_advisory_xact_lock(300614)")?;
    }
    let mut prev = tx
        .query_opt("SELECT hash FROM access_log ORDER BY id DESC LIMIT 1", &[])?
        .map(|row| row.string(0))
        .transpose()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let now = now();
    for entry in entries {
        let at = entry.at.unwrap_or(&now);
        let hash = entry_hash(
            &prev,
            entry.district_id,
            entry.student_id,
            at,
            entry.who,
            entry.role,
            entry.action,
            entry.purpose,
        );
        tx.execute(
            "INSERT INTO access_log (district_id, student_id, at, user_id, who, role, action, purpose, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            params![
                entry.district_id,
                entry.student_id,
                at,
                entry.user_id,
                entry.who,
                entry.role,
                entry.action,
                entry.purpose,
                prev,
                hash.clone()
            ],
        )?;
        prev = hash;
    }
    Ok(())
}

/// A student's record of access, oldest first.
pub fn for_student(conn: &mut Conn, student_id: i64) -> Result<Vec<Entry>, StoreError> {
    conn.query(
        "SELECT at, who, role, action, purpose FROM access_log WHERE student_id = $1 ORDER BY id",
        params![student_id],
    )?
    .iter()
    .map(|row| {
        Ok(Entry {
            at: row.string(0)?,
            who: row.string(1)?,
            role: row.string(2)?,
            action: row.string(3)?,
            purpose: row.string(4)?,
        })
    })
    .collect()
}

/// How many entries a student's record of access has (a count over the student's index range:
/// for the paged record, not for every student page).
pub fn count_for_student(conn: &mut Conn, student_id: i64) -> Result<i64, StoreError> {
    conn.query_one(
        "SELECT COUNT(*) FROM access_log WHERE student_id = $1",
        params![student_id],
    )?
    .int(0)
}

/// One page of a student's record of access, newest first.
pub fn page_for_student(
    conn: &mut Conn,
    student_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Entry>, StoreError> {
    conn.query(
        "SELECT at, who, role, action, purpose FROM access_log WHERE student_id = $1
             ORDER BY id DESC LIMIT $2 OFFSET $3",
        params![student_id, limit, offset],
    )?
    .iter()
    .map(|row| {
        Ok(Entry {
            at: row.string(0)?,
            who: row.string(1)?,
            role: row.string(2)?,
            action: row.string(3)?,
            purpose: row.string(4)?,
        })
    })
    .collect()
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact { entries: u64 },
    Broken { entry_id: i64, reason: String },
}

/// Walks the whole chain, recomputing every hash.
pub fn verify(conn: &mut Conn) -> Result<Verdict, StoreError> {
    let mut prev = GENESIS.to_owned();
    let mut count = 0u64;
    let mut broken = None;
    conn.for_each(
        "SELECT id, district_id, student_id, at, who, role, action, purpose, prev_hash, hash
         FROM access_log ORDER BY id",
        &[],
        |row| {
            if broken.is_some() {
                return Ok(());
            }
            let id = row.int(0)?;
            let stored_prev = row.text(8)?;
            let stored_hash = row.text(9)?;
            if stored_prev != prev {
                broken = Some((id, "its link to the previous entry does not match (an entry before it was removed or altered)".to_owned()));
                return Ok(());
            }
            let expected = entry_hash(
                &prev,
                row.int(1)?,
                row.opt_int(2)?,
                row.text(3)?,
                row.text(4)?,
                row.text(5)?,
                row.text(6)?,
                row.text(7)?,
            );
            if expected != stored_hash {
                broken = Some((id, "its contents do not match its hash (the entry was altered)".to_owned()));
                return Ok(());
            }
            prev = stored_hash.to_owned();
            count += 1;
            Ok(())
        },
    )?;
    Ok(match broken {
        Some((entry_id, reason)) => Verdict::Broken { entry_id, reason },
        None => Verdict::Intact { entries: count },
    })
}
