//! Sign-in state for the web app: server-side sessions (only a hash of the cookie's id is
//! stored), single-use recovery codes for the second factor, and the TOTP replay guard.
//! Times are passed in by the caller, whose clock decides expiry.

use crate::db::Conn;
use crate::users::secret_hash;
use crate::{StoreError, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    /// The second factor was given (or is not required) for this session.
    pub mfa_ok: bool,
    pub created_at: String,
    pub last_seen_at: String,
}

/// Stores a new session under the hash of `session_id` (which the caller puts in the cookie).
pub fn create(
    conn: &mut Conn,
    session_id: &str,
    user_id: i64,
    csrf_token: &str,
    mfa_ok: bool,
    at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, mfa_ok, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
        params![secret_hash(session_id), user_id, csrf_token, mfa_ok, at],
    )?;
    Ok(())
}

/// The session whose cookie carries `session_id`, if it exists (expiry is the caller's call).
pub fn find(conn: &mut Conn, session_id: &str) -> Result<Option<Session>, StoreError> {
    conn.query_opt(
        "SELECT id_hash, user_id, csrf_token, mfa_ok, created_at, last_seen_at
         FROM sessions WHERE id_hash = $1",
        params![secret_hash(session_id)],
    )?
    .map(|row| {
        Ok(Session {
            id_hash: row.string(0)?,
            user_id: row.int(1)?,
            csrf_token: row.string(2)?,
            mfa_ok: row.bool(3)?,
            created_at: row.string(4)?,
            last_seen_at: row.string(5)?,
        })
    })
    .transpose()
}

/// Records activity, which pushes back the idle expiry.
pub fn touch(conn: &mut Conn, id_hash: &str, at: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
        params![at, id_hash],
    )?;
    Ok(())
}

/// Ends one session (sign-out, expiry, or replacement by a fresh id).
pub fn delete(conn: &mut Conn, id_hash: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM sessions WHERE id_hash = $1", params![id_hash])?;
    Ok(())
}

/// Ends every session of a user except `keep` (after a password or second-factor change).
pub fn delete_others(conn: &mut Conn, user_id: i64, keep: &str) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2",
        params![user_id, keep],
    )?;
    Ok(())
}

/// Removes sessions last seen before `idle_cutoff` or created before `absolute_cutoff`.
pub fn purge_expired(
    conn: &mut Conn,
    idle_cutoff: &str,
    absolute_cutoff: &str,
) -> Result<u64, StoreError> {
    conn.execute(
        "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2",
        params![idle_cutoff, absolute_cutoff],
    )
}

/// Replaces a user's recovery codes with new ones (the caller shows the plain codes once).
pub fn replace_recovery_codes(
    tx: &mut Conn,
    user_id: i64,
    codes: &[String],
    at: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM recovery_codes WHERE user_id = $1",
        params![user_id],
    )?;
    for code in codes {
        tx.execute(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
            params![user_id, secret_hash(code), at],
        )?;
    }
    Ok(())
}

/// Uses up one recovery code; true when it was valid and unused.
pub fn use_recovery_code(
    conn: &mut Conn,
    user_id: i64,
    code: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
        params![at, user_id, secret_hash(code)],
    )?;
    Ok(changed == 1)
}

/// How many unused recovery codes a user has left.
pub fn recovery_codes_left(conn: &mut Conn, user_id: i64) -> Result<i64, StoreError> {
    conn.query_one(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        params![user_id],
    )?
    .int(0)
}

/// Accepts TOTP time step `step` for a user unless it (or a later one) was accepted before,
/// so a code seen over someone's shoulder cannot be replayed within its window.
pub fn accept_totp_step(tx: &mut Conn, user_id: i64, step: i64) -> Result<bool, StoreError> {
    let last = tx
        .query_opt(
            "SELECT last_step FROM totp_steps WHERE user_id = $1",
            params![user_id],
        )?
        .map(|row| row.int(0))
        .transpose()?;
    match last {
        Some(last) if last >= step => Ok(false),
        Some(_) => {
            tx.execute(
                "UPDATE totp_steps SET last_step = $1 WHERE user_id = $2",
                params![step, user_id],
            )?;
            Ok(true)
        }
        None => {
            tx.execute(
                "INSERT INTO totp_steps (user_id, last_step) VALUES ($1, $2)",
                params![user_id, step],
            )?;
            Ok(true)
        }
    }
}
