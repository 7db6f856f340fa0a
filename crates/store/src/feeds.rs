//! Secret calendar-feed URLs: one per user, stored as a hash, replaced or revoked at will.

use crate::db::Conn;
use crate::users::secret_hash;
use crate::{StoreError, now, params};

/// Makes `secret` the user's feed secret, replacing (and so revoking) any earlier one.
pub fn replace(tx: &mut Conn, user_id: i64, secret: &str) -> Result<(), StoreError> {
    revoke(tx, user_id)?;
    tx.execute(
        "INSERT INTO calendar_feeds (secret_hash, user_id, created_at) VALUES ($1, $2, $3)",
        params![secret_hash(secret), user_id, now()],
    )?;
    Ok(())
}

pub fn revoke(conn: &mut Conn, user_id: i64) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM calendar_feeds WHERE user_id = $1",
        params![user_id],
    )?;
    Ok(())
}

pub fn has_feed(conn: &mut Conn, user_id: i64) -> Result<bool, StoreError> {
    Ok(conn
        .query_opt(
            "SELECT 1 FROM calendar_feeds WHERE user_id = $1",
            params![user_id],
        )?
        .is_some())
}

/// The user a feed secret belongs to.
pub fn user_for_secret(conn: &mut Conn, secret: &str) -> Result<Option<i64>, StoreError> {
    conn.query_opt(
        "SELECT user_id FROM calendar_feeds WHERE secret_hash = $1",
        params![secret_hash(secret)],
    )?
    .map(|row| row.int(0))
    .transpose()
}
