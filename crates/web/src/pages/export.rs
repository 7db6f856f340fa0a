//! Bulk export: the only path that returns many students' records at once. A district
//! administrator confirms their password (and a fresh TOTP code when two-step sign-in is on)
//! in the same request that exports; the export is written to the record of access.

use super::{Chrome, render};
use crate::error::AppError;
use crate::pages::signin::{ACCOUNT_FAILURES, WINDOW_SECONDS, totp_accepted};
use crate::policy::{Viewer, require};
use crate::state::AppState;
use crate::{auth, db};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use store::access_log::Purpose;

#[derive(Template)]
#[template(path = "export.html")]
struct ExportPage {
    c: Chrome,
    needs_code: bool,
    error: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let user_id = require(&viewer)?.user.id;
    let user = db::run(&state, move |conn| {
        Ok(store::users::get_user(conn, user_id)?)
    })
    .await?;
    Ok(render(
        StatusCode::OK,
        &ExportPage {
            c,
            needs_code: user.totp_enabled,
            error: None,
        },
    ))
}

#[derive(Debug, serde::Deserialize)]
pub struct ExportForm {
    password: String,
    #[serde(default)]
    code: String,
}

enum Outcome {
    Refused { needs_code: bool },
    Exported(Vec<u8>),
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
    Form(form): Form<ExportForm>,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let clock = state.clock.clone();
    let outcome = db::run(&state, move |conn| {
        let now = clock.now();
        let since = (now - jiff::SignedDuration::from_secs(WINDOW_SECONDS)).to_string();
        let user = store::users::get_user(conn, caller.user.id)?;
        // Re-authentication failures count against the same budget as sign-in failures.
        let scope = format!("user:{}", user.username.to_lowercase());
        if store::throttle::failures_since(conn, &scope, &since)? >= ACCOUNT_FAILURES {
            return Err(AppError::Throttled);
        }
        conn.transaction(|tx| {
            let password_ok = user
                .password_hash
                .as_deref()
                .is_some_and(|hash| auth::verify_password(&form.password, hash));
            let code_ok = !user.totp_enabled
                || totp_accepted(
                    tx,
                    user.id,
                    user.totp_secret.as_deref().unwrap_or_default(),
                    form.code.trim(),
                    clock.unix_seconds(),
                )
                .map_err(|_| store::StoreError::Invalid("two-step code".into()))?;
            if !(password_ok && code_ok) {
                store::throttle::record_failure(tx, &scope, &now.to_string(), &since)?;
                return Ok(Outcome::Refused {
                    needs_code: user.totp_enabled,
                });
            }
            let records = store::export::district_records(tx, user.district_id)?;
            let who = format!("{} ({})", user.display_name, user.username);
            let action = format!("bulk export of {} students' records", records.len());
            store::access_log::record(
                tx,
                &store::access_log::NewEntry {
                    district_id: user.district_id,
                    student_id: None,
                    user_id: Some(user.id),
                    who: &who,
                    role: user.role.as_str(),
                    action: &action,
                    purpose: Purpose::BulkExport.stated(),
                    at: None,
                },
            )?;
            let body = serde_json::to_vec_pretty(&serde_json::json!({
                "exported_at": now.to_string(),
                "district_id": user.district_id,
                "students": records,
            }))
            .map_err(|e| store::StoreError::Invalid(e.to_string()))?;
            Ok(Outcome::Exported(body))
        })
        .map_err(AppError::from)
    })
    .await?;
    match outcome {
        Outcome::Exported(body) => Ok((
            [
                (header::CONTENT_TYPE, "application/json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"iep504-export.json\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response()),
        Outcome::Refused { needs_code } => {
            let error = Some(c.t.get("export-error"));
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ExportPage {
                    c,
                    needs_code,
                    error,
                },
            ))
        }
    }
}
