//! The account page: preferred language, password change, two-step sign-in (TOTP set-up with
//! a QR code, recovery codes) and the secret calendar-feed address.

use super::{Chrome, RecoveryCodesPage, TotpSetup, ok, render};
use crate::error::AppError;
use crate::policy::{Caller, Viewer, require};
use crate::session::{self, LANG_COOKIE};
use crate::state::AppState;
use crate::{auth, db};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    username: String,
    role: String,
    preferred_language: String,
    totp_enabled: bool,
    recovery_left: i64,
    setup: Option<TotpSetup>,
    has_feed: bool,
    new_feed_url: Option<String>,
    note: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default)]
struct Extras {
    new_feed_url: Option<String>,
    note: Option<String>,
    error: Option<String>,
}

async fn account_page(
    state: &AppState,
    caller: &Caller,
    c: Chrome,
    status: StatusCode,
    extras: Extras,
) -> Result<Response, AppError> {
    let user_id = caller.user.id;
    let (user, recovery_left, has_feed) = db::run(state, move |conn| {
        Ok((
            store::users::get_user(conn, user_id)?,
            store::sessions::recovery_codes_left(conn, user_id)?,
            store::feeds::has_feed(conn, user_id)?,
        ))
    })
    .await?;
    let setup = (!user.totp_enabled)
        .then(|| {
            user.totp_secret
                .as_deref()
                .map(|s| TotpSetup::new(s, &user.username, &c.t))
        })
        .flatten();
    Ok(render(
        status,
        &AccountPage {
            c,
            username: user.username,
            role: user.role.as_str().to_owned(),
            preferred_language: user.preferred_language,
            totp_enabled: user.totp_enabled,
            recovery_left,
            setup,
            has_feed,
            new_feed_url: extras.new_feed_url,
            note: extras.note,
            error: extras.error,
        },
    ))
}

#[derive(Debug, serde::Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(query): Query<DoneQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = query
        .done
        .as_deref()
        .filter(|d| ["password", "language", "feed-revoked"].contains(d))
        .map(|d| c.t.get(&format!("note-done-{d}")));
    let extras = Extras {
        note,
        ..Extras::default()
    };
    account_page(&state, require(&viewer)?, c, StatusCode::OK, extras).await
}

#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    current: String,
    new_password: String,
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let problem = if form.new_password != form.confirm {
        Some("error-password-mismatch")
    } else if form.new_password.chars().count() < auth::MIN_PASSWORD_LEN {
        Some("error-password-short")
    } else {
        None
    };
    if let Some(id) = problem {
        let extras = Extras {
            error: Some(c.t.get(id)),
            ..Extras::default()
        };
        return account_page(&state, &caller, c, StatusCode::UNPROCESSABLE_ENTITY, extras).await;
    }
    let hash = auth::hash_password(&form.new_password)
        .map_err(|_| AppError::Internal("password hashing"))?;
    let keep = caller
        .session
        .as_ref()
        .map(|s| s.id_hash.clone())
        .unwrap_or_default();
    let user_id = caller.user.id;
    let current = form.current.clone();
    let changed = db::run(&state, move |conn| {
        let user = store::users::get_user(conn, user_id)?;
        let verified = user
            .password_hash
            .as_deref()
            .is_some_and(|h| auth::verify_password(&current, h));
        if !verified {
            return Ok(false);
        }
        conn.transaction(|tx| {
            store::users::set_password_hash(tx, user_id, &hash)?;
            // Anyone else signed in with the old password is signed out.
            store::sessions::delete_others(tx, user_id, &keep)
        })?;
        Ok(true)
    })
    .await?;
    if changed {
        Ok(Redirect::to("/account?done=password").into_response())
    } else {
        let extras = Extras {
            error: Some(c.t.get("error-current-password")),
            ..Extras::default()
        };
        account_page(&state, &caller, c, StatusCode::UNPROCESSABLE_ENTITY, extras).await
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LanguageForm {
    lang: String,
}

pub async fn set_language(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<LanguageForm>,
) -> Result<Response, AppError> {
    let lang = crate::i18n::Lang::parse(&form.lang)
        .ok_or_else(|| AppError::invalid("lang", "en or es"))?;
    let user_id = require(&viewer)?.user.id;
    db::run(&state, move |conn| {
        Ok(store::users::set_language(conn, user_id, lang.code())?)
    })
    .await?;
    let mut response = Redirect::to("/account?done=language").into_response();
    // The saved preference now decides; a leftover switch choice would override it.
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::clear(LANG_COOKIE));
    Ok(response)
}

pub async fn start_two_step(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    let user_id = require(&viewer)?.user.id;
    let secret = auth::new_totp_secret().map_err(|_| AppError::Internal("random source"))?;
    db::run(&state, move |conn| {
        Ok(store::users::set_totp(conn, user_id, Some(&secret), false)?)
    })
    .await?;
    Ok(Redirect::to("/account#two-step").into_response())
}

#[derive(Debug, serde::Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn confirm_two_step(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let user_id = caller.user.id;
    let clock = state.clock.clone();
    let codes = db::run(&state, move |conn| {
        let user = store::users::get_user(conn, user_id)?;
        let Some(secret) = user.totp_secret.filter(|_| !user.totp_enabled) else {
            return Ok(None);
        };
        let Some(step) = auth::totp_step(&secret, &form.code, clock.unix_seconds()) else {
            return Ok(None);
        };
        let step = i64::try_from(step).map_err(|_| AppError::Internal("totp step"))?;
        let codes = auth::new_recovery_codes().map_err(|_| AppError::Internal("random source"))?;
        let at = clock.now().to_string();
        Ok(conn.transaction(|tx| {
            if !store::sessions::accept_totp_step(tx, user_id, step)? {
                return Ok(None);
            }
            store::users::set_totp(tx, user_id, Some(&secret), true)?;
            store::sessions::replace_recovery_codes(tx, user_id, &codes, &at)?;
            Ok(Some(codes.clone()))
        })?)
    })
    .await?;
    match codes {
        Some(codes) => Ok(ok(&RecoveryCodesPage {
            c,
            codes,
            next: "/account".into(),
        })),
        None => {
            let extras = Extras {
                error: Some(c.t.get("error-totp")),
                ..Extras::default()
            };
            account_page(&state, &caller, c, StatusCode::UNPROCESSABLE_ENTITY, extras).await
        }
    }
}

pub async fn new_recovery_codes(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let user = require(&viewer)?.user.clone();
    if !user.totp_enabled {
        return Err(AppError::Forbidden("two-step sign-in is not set up"));
    }
    let codes = auth::new_recovery_codes().map_err(|_| AppError::Internal("random source"))?;
    let at = state.clock.now().to_string();
    let stored = codes.clone();
    db::run(&state, move |conn| {
        Ok(conn
            .transaction(|tx| store::sessions::replace_recovery_codes(tx, user.id, &stored, &at))?)
    })
    .await?;
    Ok(ok(&RecoveryCodesPage {
        c,
        codes,
        next: "/account".into(),
    }))
}

pub async fn new_feed(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: axum::http::HeaderMap,
    c: Chrome,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let secret = auth::random_hex(32).map_err(|_| AppError::Internal("random source"))?;
    let user_id = caller.user.id;
    let stored = secret.clone();
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| store::feeds::replace(tx, user_id, &stored))?)
    })
    .await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    // Only the local demo is served over plain HTTP; anywhere else a proxy terminates TLS.
    let loopback =
        host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]");
    let scheme = if loopback { "http" } else { "https" };
    let extras = Extras {
        new_feed_url: Some(format!("{scheme}://{host}/feeds/{secret}.ics")),
        ..Extras::default()
    };
    account_page(&state, &caller, c, StatusCode::OK, extras).await
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
) -> Result<Response, AppError> {
    let user_id = require(&viewer)?.user.id;
    db::run(&state, move |conn| Ok(store::feeds::revoke(conn, user_id)?)).await?;
    Ok(Redirect::to("/account?done=feed-revoked").into_response())
}
