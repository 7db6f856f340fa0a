//! Signing in and out: the password step (argon2id, throttled per account and per client
//! address), the second step (TOTP, or first-time TOTP enrolment for staff, or a recovery
//! code), a fresh session id at each step, and the language switch.

use super::{Chrome, RecoveryCodesPage, TotpSetup, ok, render};
use crate::error::AppError;
use crate::policy::{Viewer, require};
use crate::session::{self, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::state::AppState;
use crate::{auth, db};
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use std::net::SocketAddr;

/// Failed attempts within the window before an account must wait.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failed attempts from one address before it must wait; higher than per account because a
/// whole school may share one address.
pub const ADDRESS_FAILURES: i64 = 20;
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// The client's address as the server saw it (a proxy's, behind one), or "unknown".
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    login_csrf: String,
    username: String,
    error: Option<String>,
    note: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct NoteQuery {
    note: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<NoteQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    if viewer.0.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    // An empty instance has nobody to sign in: offer the first-run choice instead.
    if db::run(&state, |conn| {
        Ok(store::districts::list_districts(conn)?.is_empty())
    })
    .await?
    {
        return Ok(Redirect::to("/setup").into_response());
    }
    let note = match query.note.as_deref() {
        Some("signed-out") => Some(c.t.get("note-signed-out")),
        _ => None,
    };
    sign_in_page(c, StatusCode::OK, String::new(), None, note)
}

fn sign_in_page(
    c: Chrome,
    status: StatusCode,
    username: String,
    error: Option<String>,
    note: Option<String>,
) -> Result<Response, AppError> {
    let login_csrf = auth::random_hex(32).map_err(|_| AppError::Internal("random source"))?;
    let mut response = render(
        status,
        &SignInPage {
            c,
            login_csrf: login_csrf.clone(),
            username,
            error,
            note,
        },
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        session::cookie(LOGIN_CSRF_COOKIE, &login_csrf, Some(3600)),
    );
    Ok(response)
}

#[derive(Debug, serde::Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
}

enum Outcome {
    Failed,
    SignedIn { id: String, second_step: bool },
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| auth::hash_password("a password nobody has").unwrap_or_default())
}

pub async fn submit(
    State(state): State<AppState>,
    c: Chrome,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let username = form.username.trim().to_owned();
    let old_session = session::read_cookie(&headers, SESSION_COOKIE);
    let clock = state.clock.clone();
    let demo = state.demo;
    let outcome = db::run(&state, move |conn| {
        let now = clock.now();
        let since = (now - jiff::SignedDuration::from_secs(WINDOW_SECONDS)).to_string();
        let account_scope = format!("user:{}", username.to_lowercase());
        let address_scope = format!("addr:{addr}");
        if store::throttle::failures_since(conn, &account_scope, &since)? >= ACCOUNT_FAILURES
            || store::throttle::failures_since(conn, &address_scope, &since)? >= ADDRESS_FAILURES
        {
            return Err(AppError::Throttled);
        }
        let user = store::users::find_by_username(conn, &username)?;
        let hash = user
            .as_ref()
            .and_then(|u| u.password_hash.clone())
            .unwrap_or_else(|| dummy_hash().to_owned());
        // Verify even for unknown users, so timing does not tell which usernames exist.
        let verified = auth::verify_password(&form.password, &hash);
        let Some(user) = user.filter(|u| verified && u.password_hash.is_some()) else {
            for scope in [&account_scope, &address_scope] {
                store::throttle::record_failure(conn, scope, &now.to_string(), &since)?;
            }
            return Ok(Outcome::Failed);
        };
        store::throttle::clear(conn, &account_scope)?;
        // Sign-ins are a natural moment to sweep away sessions that expired unnoticed.
        let idle_cutoff = now - jiff::SignedDuration::from_secs(session::IDLE_LIMIT_SECONDS);
        let absolute_cutoff =
            now - jiff::SignedDuration::from_secs(session::ABSOLUTE_LIMIT_SECONDS);
        store::sessions::purge_expired(
            conn,
            &idle_cutoff.to_string(),
            &absolute_cutoff.to_string(),
        )?;
        if let Some(old) = &old_session {
            store::sessions::delete(conn, &store::users::secret_hash(old))?;
        }
        // The demo relaxes only the duty to enrol; a user who enrolled is always asked.
        let second_step = user.totp_enabled || (!demo && user.role.is_staff());
        let (id, _) = session::start(conn, user.id, !second_step, now)?;
        Ok(Outcome::SignedIn { id, second_step })
    })
    .await?;
    match outcome {
        Outcome::Failed => {
            let error = c.t.get("error-sign-in");
            sign_in_page(
                c,
                StatusCode::UNAUTHORIZED,
                form.username,
                Some(error),
                None,
            )
        }
        Outcome::SignedIn { id, second_step } => {
            let to = if second_step {
                "/sign-in/second-factor"
            } else {
                "/"
            };
            let mut response = Redirect::to(to).into_response();
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                session::cookie(SESSION_COOKIE, &id, None),
            );
            headers.append(header::SET_COOKIE, session::clear(LOGIN_CSRF_COOKIE));
            Ok(response)
        }
    }
}

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactorPage {
    c: Chrome,
    setup: Option<TotpSetup>,
    error: Option<String>,
}

pub async fn second_factor_form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let user_id = require(&viewer)?.user.id;
    let user = db::run(&state, move |conn| {
        let mut user = store::users::get_user(conn, user_id)?;
        if !user.totp_enabled && user.totp_secret.is_none() {
            let secret =
                auth::new_totp_secret().map_err(|_| AppError::Internal("random source"))?;
            store::users::set_totp(conn, user.id, Some(&secret), false)?;
            user.totp_secret = Some(secret);
        }
        Ok(user)
    })
    .await?;
    let setup = (!user.totp_enabled)
        .then(|| {
            user.totp_secret
                .as_deref()
                .map(|s| TotpSetup::new(s, &user.username, &c.t))
        })
        .flatten();
    Ok(ok(&SecondFactorPage {
        c,
        setup,
        error: None,
    }))
}

#[derive(Debug, serde::Deserialize)]
pub struct SecondFactorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    recovery_code: String,
}

enum Second {
    Failed(store::users::User),
    Passed {
        id: String,
        csrf: String,
        recovery_codes: Option<Vec<String>>,
    },
}

/// Checks a TOTP code against `secret` and refuses a time step already used.
pub(crate) fn totp_accepted(
    conn: &mut store::Conn,
    user_id: i64,
    secret: &str,
    code: &str,
    unix: u64,
) -> Result<bool, AppError> {
    let Some(step) = auth::totp_step(secret, code, unix) else {
        return Ok(false);
    };
    let step = i64::try_from(step).map_err(|_| AppError::Internal("totp step"))?;
    Ok(store::sessions::accept_totp_step(conn, user_id, step)?)
}

pub async fn second_factor_submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
    Form(form): Form<SecondFactorForm>,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let old_hash = caller
        .session
        .as_ref()
        .map(|s| s.id_hash.clone())
        .unwrap_or_default();
    let clock = state.clock.clone();
    let outcome = db::run(&state, move |conn| {
        let now = clock.now();
        let since = (now - jiff::SignedDuration::from_secs(WINDOW_SECONDS)).to_string();
        let user = store::users::get_user(conn, caller.user.id)?;
        let scope = format!("user:{}", user.username.to_lowercase());
        if store::throttle::failures_since(conn, &scope, &since)? >= ACCOUNT_FAILURES {
            return Err(AppError::Throttled);
        }
        conn.transaction(|tx| {
            let secret = user.totp_secret.clone().unwrap_or_default();
            let enrolling = !user.totp_enabled;
            let unix = clock.unix_seconds();
            let passed = if !enrolling && !form.recovery_code.trim().is_empty() {
                store::sessions::use_recovery_code(
                    tx,
                    user.id,
                    form.recovery_code.trim(),
                    &now.to_string(),
                )?
            } else {
                totp_accepted(tx, user.id, &secret, &form.code, unix).map_err(|e| match e {
                    AppError::Store(e) => e,
                    _ => store::StoreError::Invalid("totp".into()),
                })?
            };
            if !passed {
                store::throttle::record_failure(tx, &scope, &now.to_string(), &since)?;
                return Ok(Second::Failed(user.clone()));
            }
            let recovery_codes = if enrolling {
                store::users::set_totp(tx, user.id, Some(&secret), true)?;
                let codes = auth::new_recovery_codes()
                    .map_err(|e| store::StoreError::Invalid(e.to_string()))?;
                store::sessions::replace_recovery_codes(tx, user.id, &codes, &now.to_string())?;
                Some(codes)
            } else {
                None
            };
            store::throttle::clear(tx, &scope)?;
            store::sessions::delete(tx, &old_hash)?;
            let (id, csrf) = session::start(tx, user.id, true, now).map_err(|e| match e {
                AppError::Store(e) => e,
                _ => store::StoreError::Invalid("session".into()),
            })?;
            Ok(Second::Passed {
                id,
                csrf,
                recovery_codes,
            })
        })
        .map_err(AppError::from)
    })
    .await?;
    match outcome {
        Second::Failed(user) => {
            let setup = (!user.totp_enabled)
                .then(|| {
                    user.totp_secret
                        .as_deref()
                        .map(|s| TotpSetup::new(s, &user.username, &c.t))
                })
                .flatten();
            let error = Some(c.t.get("error-totp"));
            Ok(render(
                StatusCode::UNAUTHORIZED,
                &SecondFactorPage { c, setup, error },
            ))
        }
        Second::Passed {
            id,
            csrf,
            recovery_codes,
        } => {
            let mut response = match recovery_codes {
                Some(codes) => {
                    let mut c = c;
                    c.csrf = csrf;
                    ok(&RecoveryCodesPage {
                        c,
                        codes,
                        next: "/".into(),
                    })
                }
                None => Redirect::to("/").into_response(),
            };
            response.headers_mut().append(
                header::SET_COOKIE,
                session::cookie(SESSION_COOKIE, &id, None),
            );
            Ok(response)
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    if let Some(session) = require(&viewer)?.session.clone() {
        db::run(&state, move |conn| {
            Ok(store::sessions::delete(conn, &session.id_hash)?)
        })
        .await?;
    }
    let mut response = Redirect::to("/sign-in?note=signed-out").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::clear(SESSION_COOKIE));
    Ok(response)
}

#[derive(Debug, serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and goes back; a plain link, so it works without scripts.
pub async fn choose_language(
    Path(code): Path<String>,
    Query(query): Query<NextQuery>,
) -> Result<Response, AppError> {
    let lang = crate::i18n::Lang::parse(&code).ok_or(AppError::NotFound)?;
    // Only same-site paths: an open redirect would let another site borrow our address.
    let next = query
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        session::cookie(LANG_COOKIE, lang.code(), Some(365 * 24 * 3600)),
    );
    Ok(response)
}
