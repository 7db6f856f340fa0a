//! Ed-Fi API clients: a key and secret (only the secret's hash is stored) that exchange for
//! short-lived bearer tokens (stored by hash too), as the Ed-Fi ODS/API's OAuth
//! client-credentials flow does.

use crate::db::Conn;
use crate::users::secret_hash;
use crate::{StoreError, now, params};

/// A client a token was issued to: who reads, for the record of access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub key: String,
    pub name: String,
    pub district_id: i64,
}

/// Registers a client; the caller generated `key` and `secret` and shows the secret once.
pub fn create(
    conn: &mut Conn,
    district_id: i64,
    name: &str,
    key: &str,
    secret: &str,
) -> Result<(), StoreError> {
    if name.trim().is_empty() {
        return Err(StoreError::Invalid("a client needs a name".into()));
    }
    conn.execute(
        "INSERT INTO edfi_clients (client_key, secret_hash, name, district_id, created_at)
         VALUES ($1, $2, $3, $4, $5)",
        params![key, secret_hash(secret), name.trim(), district_id, now()],
    )?;
    Ok(())
}

/// The client whose key and secret these are, if any (and it is active).
pub fn authenticate(
    conn: &mut Conn,
    key: &str,
    secret: &str,
) -> Result<Option<Client>, StoreError> {
    let Some(row) = conn.query_opt(
        "SELECT client_key, name, district_id, secret_hash FROM edfi_clients
         WHERE client_key = $1 AND active = TRUE",
        params![key],
    )?
    else {
        return Ok(None);
    };
    // Both sides are hex digests of equal length; compare without an early exit.
    let stored = row.text(3)?.as_bytes();
    let given = secret_hash(secret);
    let same = stored.len() == given.len()
        && stored
            .iter()
            .zip(given.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Ok(None);
    }
    Ok(Some(Client {
        key: row.string(0)?,
        name: row.string(1)?,
        district_id: row.int(2)?,
    }))
}

/// Stores a token's hash for `client_key` until `expires_at` (RFC 3339).
pub fn add_token(
    conn: &mut Conn,
    client_key: &str,
    token: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM edfi_tokens WHERE expires_at <= $1",
        params![now()],
    )?;
    conn.execute(
        "INSERT INTO edfi_tokens (token_hash, client_key, expires_at) VALUES ($1, $2, $3)",
        params![secret_hash(token), client_key, expires_at],
    )?;
    Ok(())
}

/// The client an unexpired token was issued to.
pub fn client_for_token(conn: &mut Conn, token: &str) -> Result<Option<Client>, StoreError> {
    conn.query_opt(
        "SELECT c.client_key, c.name, c.district_id FROM edfi_tokens t
         JOIN edfi_clients c ON c.client_key = t.client_key
         WHERE t.token_hash = $1 AND t.expires_at > $2 AND c.active = TRUE",
        params![secret_hash(token), now()],
    )?
    .map(|row| {
        Ok(Client {
            key: row.string(0)?,
            name: row.string(1)?,
            district_id: row.int(2)?,
        })
    })
    .transpose()
}
