//! User accounts: role, password hash (argon2id, computed by the caller), TOTP secret, and the
//! API tokens whose hashes stand in for passwords on the JSON API.

use crate::db::Conn;
use crate::{StoreError, now, params};
use domain::people::Role;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub district_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub preferred_language: String,
}

const COLUMNS: &str = "id, district_id, username, display_name, role, password_hash, totp_secret, totp_enabled, preferred_language";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser<'a> {
    pub district_id: i64,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
    pub preferred_language: &'a str,
}

pub fn add_user(conn: &mut Conn, user: &NewUser<'_>) -> Result<i64, StoreError> {
    let username = user.username.trim();
    if username.is_empty() || username.chars().any(char::is_whitespace) {
        return Err(StoreError::Invalid(
            "a username is one word without spaces".into(),
        ));
    }
    match conn.query_one(
        "INSERT INTO users (district_id, username, display_name, role, password_hash, preferred_language, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        params![
            user.district_id,
            username,
            user.display_name,
            user.role.as_str(),
            user.password_hash,
            user.preferred_language,
            now()
        ],
    ) {
        Ok(row) => row.int(0),
        Err(e) if e.is_unique_violation() => {
            Err(StoreError::Conflict(format!("the username `{username}` is taken")))
        }
        Err(e) => Err(e),
    }
}

pub fn get_user(conn: &mut Conn, id: i64) -> Result<User, StoreError> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM users WHERE id = $1 AND active = TRUE"),
        params![id],
    )?
    .map(|row| user_from_row(&row))
    .transpose()?
    .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
}

pub fn find_by_username(conn: &mut Conn, username: &str) -> Result<Option<User>, StoreError> {
    conn.query_opt(
        &format!("SELECT {COLUMNS} FROM users WHERE username = $1 AND active = TRUE"),
        params![username],
    )?
    .map(|row| user_from_row(&row))
    .transpose()
}

pub fn set_password_hash(conn: &mut Conn, user_id: i64, hash: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET password_hash = $1 WHERE id = $2",
        params![hash, user_id],
    )?;
    Ok(())
}

pub fn set_totp(
    conn: &mut Conn,
    user_id: i64,
    secret: Option<&str>,
    enabled: bool,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET totp_secret = $1, totp_enabled = $2 WHERE id = $3",
        params![secret, enabled, user_id],
    )?;
    Ok(())
}

pub fn set_language(conn: &mut Conn, user_id: i64, lang: &str) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE users SET preferred_language = $1 WHERE id = $2",
        params![lang, user_id],
    )?;
    Ok(())
}

fn user_from_row(row: &crate::Row) -> Result<User, StoreError> {
    let role_text = row.text(4)?;
    Ok(User {
        id: row.int(0)?,
        district_id: row.int(1)?,
        username: row.string(2)?,
        display_name: row.string(3)?,
        role: Role::parse(role_text)
            .ok_or_else(|| StoreError::Corrupt(format!("role `{role_text}`")))?,
        password_hash: row.opt_string(5)?,
        totp_secret: row.opt_string(6)?,
        totp_enabled: row.bool(7)?,
        preferred_language: row.string(8)?,
    })
}

/// SHA-256 of a secret, hex: how tokens and session ids are stored, so a leaked database does
/// not hand out working credentials.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Stores a new API token's hash; the caller generated `token` and shows it once.
pub fn add_api_token(
    conn: &mut Conn,
    user_id: i64,
    token: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        params![secret_hash(token), user_id, now(), expires_at],
    )?;
    Ok(())
}

/// The user a bearer token belongs to, if it is known, unrevoked and unexpired.
pub fn user_for_token(conn: &mut Conn, token: &str) -> Result<Option<User>, StoreError> {
    let Some(row) = conn.query_opt(
        "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked = FALSE AND expires_at > $2",
        params![secret_hash(token), now()],
    )?
    else {
        return Ok(None);
    };
    get_user(conn, row.int(0)?).map(Some)
}
