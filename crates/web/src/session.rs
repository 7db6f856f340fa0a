//! Browser sessions: the cookie (`__Host-iep504`: Secure, HttpOnly, SameSite=Lax, Path=/), a
//! random 256-bit id of which the database keeps only the SHA-256, a per-session CSRF token,
//! and expiry after 30 idle minutes or 12 hours in all.

use crate::auth;
use crate::error::AppError;
use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION_COOKIE: &str = "__Host-iep504";
/// Double-submit token for the sign-in form, which is posted before any session exists.
pub const LOGIN_CSRF_COOKIE: &str = "__Host-iep504-signin";
pub const LANG_COOKIE: &str = "__Host-iep504-lang";

pub const IDLE_LIMIT_SECONDS: i64 = 30 * 60;
pub const ABSOLUTE_LIMIT_SECONDS: i64 = 12 * 60 * 60;
/// Activity is written back at most this often, to spare the database a write per request.
const TOUCH_EVERY_SECONDS: i64 = 60;

pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value with the attributes every cookie of ours carries. `__Host-` requires
/// Secure and Path=/ with no Domain; browsers treat http://127.0.0.1 and http://localhost as
/// secure contexts, so this works for the local demo too.
pub fn cookie(name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let age = max_age.map_or(String::new(), |s| format!("; Max-Age={s}"));
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax{age}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

pub fn clear(name: &str) -> HeaderValue {
    cookie(name, "", Some(0))
}

/// A fresh session for `user_id`: returns the cookie id (the database stores its hash) and
/// the session's CSRF token.
pub fn start(
    conn: &mut store::Conn,
    user_id: i64,
    mfa_ok: bool,
    now: jiff::Timestamp,
) -> Result<(String, String), AppError> {
    let id = auth::random_hex(32).map_err(|_| AppError::Internal("random source"))?;
    let csrf = auth::random_hex(32).map_err(|_| AppError::Internal("random source"))?;
    store::sessions::create(conn, &id, user_id, &csrf, mfa_ok, &now.to_string())?;
    Ok((id, csrf))
}

/// The live session for a cookie id, after enforcing both expiry limits.
pub fn load(
    conn: &mut store::Conn,
    session_id: &str,
    now: jiff::Timestamp,
) -> Result<Option<store::sessions::Session>, AppError> {
    let Some(session) = store::sessions::find(conn, session_id)? else {
        return Ok(None);
    };
    let age = |at: &str| {
        at.parse::<jiff::Timestamp>()
            .map(|t| now.as_second() - t.as_second())
            .unwrap_or(i64::MAX)
    };
    let idle = age(&session.last_seen_at);
    if idle > IDLE_LIMIT_SECONDS || age(&session.created_at) > ABSOLUTE_LIMIT_SECONDS {
        tolerate_outage(store::sessions::delete(conn, &session.id_hash))?;
        return Ok(None);
    }
    if idle > TOUCH_EVERY_SECONDS {
        tolerate_outage(store::sessions::touch(
            conn,
            &session.id_hash,
            &now.to_string(),
        ))?;
    }
    Ok(Some(session))
}

/// Keeping a session's bookkeeping current is a write, but reading must go on while storage
/// refuses writes: an expired session is still refused, and a live one is touched next time.
fn tolerate_outage(written: Result<(), store::StoreError>) -> Result<(), AppError> {
    match written {
        Err(e) if e.storage_cause().is_none() => Err(e.into()),
        _ => Ok(()),
    }
}
