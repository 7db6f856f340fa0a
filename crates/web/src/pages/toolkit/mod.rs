//! The parent toolkit: the plan advisor and the IEP / 504 / RTI comparison, the red-flag
//! checker, the deadline calculator with its iCalendar download, and letters — all usable
//! without an account — and, on a child's record, the communication log, the document vault
//! and the binder PDF. The law is the law crate's (`law::advisor`, `law::redflags`,
//! `law::obligations`, `law::filing_windows`); these pages only ask and show.

pub mod advisor;
pub mod binder;
pub mod calculator;
pub mod communications;
pub mod compare;
pub mod letters;
pub mod redflags;
pub mod setup;
pub mod vault;

use super::{Chrome, ok};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::session;
use askama::Template;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// Gives an anonymous visitor a form token (the sign-in page's double-submit cookie), so the
/// toolkit's POST forms work without an account and are still protected against CSRF. A
/// signed-in visitor already has the session's token. Returns the cookie to set, if new.
pub(crate) fn form_token(
    c: &mut Chrome,
    headers: &HeaderMap,
) -> Result<Option<HeaderValue>, AppError> {
    if !c.csrf.is_empty() {
        return Ok(None);
    }
    if let Some(existing) = session::read_cookie(headers, session::LOGIN_CSRF_COOKIE)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        c.csrf = existing;
        return Ok(None);
    }
    let token = crate::auth::random_hex(32).map_err(|_| AppError::Internal("random source"))?;
    c.csrf = token.clone();
    Ok(Some(session::cookie(
        session::LOGIN_CSRF_COOKIE,
        &token,
        Some(3600),
    )))
}

/// Adds the form-token cookie to a rendered page when one was made.
pub(crate) fn with_cookie(mut response: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The law crate's language for the page's.
pub(crate) fn law_lang(t: &Tr) -> law::Lang {
    t.lang.law()
}

/// The documents crate's language for the page's.
pub(crate) fn doc_lang(t: &Tr) -> documents::Lang {
    match t.lang {
        Lang::En => documents::Lang::En,
        Lang::Es => documents::Lang::Es,
    }
}

/// A `Content-Disposition: attachment` value for a file name already limited to safe
/// characters (`store::vault::clean_name`, or one of ours).
pub(crate) fn attachment(name: &str) -> HeaderValue {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[derive(Template)]
#[template(path = "toolkit_index.html")]
struct IndexPage {
    c: Chrome,
}

/// `/toolkit`: what the toolkit offers, for anyone.
pub async fn index(c: Chrome) -> Result<Response, AppError> {
    Ok(ok(&IndexPage { c }))
}
