//! The document vault's upload and download. An upload is a `multipart/form-data` form (the
//! policy gate has checked its CSRF field); what is kept is decided by the bytes
//! (`store::vault::sniff`: PDF, PNG or JPEG, at most 10 MiB, nothing executable, no PDF with
//! script), never by the file name or the browser's Content-Type. A download is sent as an
//! attachment with the stored type, `nosniff`, and a sandboxing Content-Security-Policy.

use super::attachment;
use super::communications::{Refused, child_page};
use crate::db;
use crate::error::AppError;
use crate::pages::Chrome;
use crate::policy::{self, Grant};
use crate::state::AppState;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Date;
use std::collections::HashMap;

/// The largest upload body: the vault's file limit plus room for the form's other fields.
pub const BODY_LIMIT: usize = store::vault::MAX_BYTES + 256 * 1024;

/// The upload form as drawn: its values and problems.
#[derive(Debug, Clone)]
pub struct UploadView {
    pub action: String,
    pub dated: String,
    pub dated_error: Option<String>,
    pub file_error: Option<String>,
    /// (field id, message) for the summary.
    pub errors: Vec<(String, String)>,
}

impl UploadView {
    pub fn blank(student: i64, today: Date) -> UploadView {
        UploadView {
            action: format!("/students/{student}/documents"),
            dated: today.to_string(),
            dated_error: None,
            file_error: None,
            errors: Vec::new(),
        }
    }
}

/// `POST /students/{id}/documents`.
pub async fn upload(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = crate::multipart::parse(content_type, &body)
        .ok_or_else(|| AppError::invalid("file", "a multipart/form-data upload"))?;
    let field = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name && p.filename.is_none())
            .map(|p| String::from_utf8_lossy(p.data).trim().to_owned())
            .unwrap_or_default()
    };
    let file = parts
        .iter()
        .find(|p| p.name == "file" && p.filename.is_some());
    let mut view = UploadView::blank(grant.student.id, today);
    view.dated = field("dated");
    let dated = match view.dated.parse::<Date>() {
        Ok(d) if d <= today => Some(d),
        _ => {
            view.dated_error = Some(c.t.get("vault-error-dated"));
            None
        }
    };
    let refusal = match file {
        None => Some("vault-error-no-file".to_owned()),
        Some(f) if f.data.is_empty() => Some("vault-error-no-file".to_owned()),
        Some(f) => store::vault::sniff(f.data)
            .err()
            .map(|r| format!("vault-error-{}", r.code().replace('_', "-"))),
    };
    if let Some(id) = &refusal {
        view.file_error = Some(c.t.get(id));
    }
    if let (Some(dated), None, Some(file)) = (dated, &refusal, file) {
        let name = file.filename.clone().unwrap_or_default();
        let bytes = file.data.to_vec();
        let id = grant.student.id;
        let stored = db::run(&state, move |conn| {
            Ok(conn.transaction(|tx| {
                store::vault::add(
                    tx,
                    grant.student.district_id,
                    grant.student.id,
                    &name,
                    dated,
                    &bytes,
                    Some(grant.caller.user.id),
                )
            })?)
        })
        .await?;
        return match stored {
            Ok(_) => Ok(
                Redirect::to(&format!("/students/{id}/toolkit?saved=document#documents"))
                    .into_response(),
            ),
            // `sniff` ran above on the same bytes; the store checks again and agrees.
            Err(_) => Err(AppError::Internal("vault refusal after check")),
        };
    }
    if let Some(e) = &view.file_error {
        view.errors.push(("f-file".into(), e.clone()));
    }
    if let Some(e) = &view.dated_error {
        view.errors.push(("f-dated".into(), e.clone()));
    }
    let refused = Refused {
        log: None,
        upload: Some(view),
    };
    let status = if refusal.as_deref() == Some("vault-error-too-large") {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    child_page(&state, grant, c, None, refused, status).await
}

/// `GET /students/{id}/documents/{document}`: the file, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id: i64 = params
        .get("document")
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::NotFound)?;
    let stored = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let found = store::vault::get(tx, grant.student.id, id)?;
            if found.is_some() {
                policy::log_read(&grant.caller, &grant.student, "download_document")?;
            }
            Ok(found)
        })?)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    // The stored type was decided by the bytes; decide again rather than trust the row.
    let kind = store::vault::sniff(&stored.content).map_err(|_| AppError::Internal("vault"))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(kind.media_type()),
            ),
            (header::CONTENT_DISPOSITION, attachment(&stored.info.name)),
            (
                header::CONTENT_SECURITY_POLICY,
                axum::http::HeaderValue::from_static("sandbox; default-src 'none'"),
            ),
        ],
        stored.content,
    )
        .into_response())
}
