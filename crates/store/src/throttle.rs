//! Failed sign-in attempts, counted per scope (an account, a client address) so the web layer
//! can slow down password guessing. Old rows are pruned as new ones arrive.

use crate::db::Conn;
use crate::{StoreError, params};

/// Records one failure in `scope` at `at` and forgets failures older than `forget_before`.
pub fn record_failure(
    conn: &mut Conn,
    scope: &str,
    at: &str,
    forget_before: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM login_attempts WHERE at < $1",
        params![forget_before],
    )?;
    conn.execute(
        "INSERT INTO login_attempts (scope, at) VALUES ($1, $2)",
        params![scope, at],
    )?;
    Ok(())
}

/// Failures in `scope` at or after `since`.
pub fn failures_since(conn: &mut Conn, scope: &str, since: &str) -> Result<i64, StoreError> {
    conn.query_one(
        "SELECT COUNT(*) FROM login_attempts WHERE scope = $1 AND at >= $2",
        params![scope, since],
    )?
    .int(0)
}

/// Forgets the failures of a scope (after a successful sign-in to that account).
pub fn clear(conn: &mut Conn, scope: &str) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM login_attempts WHERE scope = $1",
        params![scope],
    )?;
    Ok(())
}
