//! Idempotency keys for the JSON API: the first answer to a keyed request is stored in the same
//! transaction as its effect, so a client's retry gets that answer instead of a second write.

use crate::db::Conn;
use crate::{StoreError, now, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// A hash of the request the key was first used with.
    pub request_hash: String,
    pub status_code: u16,
    pub response: String,
}

pub fn find(conn: &mut Conn, user_id: i64, key: &str) -> Result<Option<Stored>, StoreError> {
    conn.query_opt(
        "SELECT request_hash, status_code, response FROM idempotency_keys
         WHERE user_id = $1 AND idem_key = $2",
        params![user_id, key],
    )?
    .map(|row| {
        let code = row.int(1)?;
        Ok(Stored {
            request_hash: row.string(0)?,
            status_code: u16::try_from(code)
                .map_err(|_| StoreError::Corrupt(format!("status code {code}")))?,
            response: row.string(2)?,
        })
    })
    .transpose()
}

/// Stores the answer to a keyed request inside the caller's transaction.
pub fn save(tx: &mut Conn, user_id: i64, key: &str, stored: &Stored) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, status_code, response, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
        params![
            user_id,
            key,
            &stored.request_hash,
            i64::from(stored.status_code),
            &stored.response,
            now()
        ],
    )?;
    Ok(())
}
