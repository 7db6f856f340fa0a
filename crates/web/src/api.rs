//! The JSON API under `/api/v1/` (CONTRACT.md "JSON API"). The gate has identified the caller
//! and granted access to the student in the path; each read here is written to the record of
//! access in the same transaction that reads it.

use crate::db;
use crate::error::AppError;
use crate::policy::{self, Grant, Viewer};
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use store::students::Student;

fn student_json(s: &Student) -> Value {
    json!({
        "id": s.id,
        "first_name": s.first_name,
        "last_name": s.last_name,
        "birth_date": s.birth_date,
        "grade": s.grade,
        "jurisdiction": s.jurisdiction,
    })
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    limit: Option<i64>,
    offset: Option<i64>,
}

pub const MAX_PAGE: i64 = 200;

pub async fn list_students(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(page): Query<PageQuery>,
) -> Result<Response, AppError> {
    let caller = policy::require(&viewer)?.clone();
    let limit = page.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let offset = page.offset.unwrap_or(0).max(0);
    let today = state.clock.today();
    let body = db::run(&state, move |conn| {
        let candidates = if caller.user.role.is_district_wide() {
            // One extra row tells whether another page follows.
            store::students::district_students(conn, caller.user.district_id, limit + 1, offset)?
        } else {
            store::students::linked_students(conn, caller.user.id)?
                .into_iter()
                .skip(usize::try_from(offset).unwrap_or(0))
                .take(usize::try_from(limit + 1).unwrap_or(0))
                .collect()
        };
        let mut visible = policy::readable(conn, &caller, candidates, today)?;
        let more = visible.len() > usize::try_from(limit).unwrap_or(0);
        visible.truncate(usize::try_from(limit).unwrap_or(0));
        for student in &visible {
            policy::log_read(&caller, student, "list_students")?;
        }
        Ok(json!({
            "students": visible.iter().map(student_json).collect::<Vec<_>>(),
            "limit": limit,
            "offset": offset,
            "next_offset": more.then_some(offset + limit),
        }))
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

/// Reads something of the granted student from one snapshot and logs the read.
pub(crate) async fn read_logged(
    state: &AppState,
    grant: Grant,
    action: &'static str,
    read: impl Fn(&mut store::Conn, &Student) -> Result<Value, store::StoreError> + Send + 'static,
) -> Result<Response, AppError> {
    let body = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&grant.caller, &grant.student, action)?;
            read(tx, &grant.student)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

pub async fn student(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_student", |_, s| Ok(student_json(s))).await
}

pub async fn events(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_events", |tx, s| {
        Ok(json!({ "events": store::events::list(tx, s.id)? }))
    })
    .await
}

pub async fn obligations(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    let as_of = state.clock.today();
    read_logged(&state, grant, "read_obligations", move |tx, s| {
        let listed = crate::obligations::for_student(tx, s.id, as_of, law::Detail::Full)?;
        Ok(json!({
            "as_of": as_of,
            "jurisdiction": s.jurisdiction,
            "obligations": listed.into_iter().map(|l| l.obligation).collect::<Vec<_>>(),
        }))
    })
    .await
}

pub async fn access_log(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_access_log", |tx, s| {
        Ok(json!({ "entries": store::access_log::for_student(tx, s.id)? }))
    })
    .await
}

/// Adds one event. A client-chosen `id` already holding the same event answers 200 with it; a
/// different event under that id is 409, with the stored event as the problem's `current`. With an `Idempotency-Key`, a retry of the same
/// request answers exactly what the first answered; the key is stored with the event.
pub async fn add_event(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| AppError::invalid("$", format!("the body is not JSON: {e}")))?;
    let event: domain::event::Event = serde_json::from_value(value.clone())
        .map_err(|e| AppError::invalid("$", format!("not an event in the case-file shape: {e}")))?;
    let tag = store::events::kind_tag(&event)?;
    if !policy::may_add_event(&grant, &tag) {
        return Err(AppError::Forbidden(
            "your role may not add this kind of event",
        ));
    }
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .ok()
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .map(str::to_owned)
                .ok_or_else(|| {
                    AppError::invalid("Idempotency-Key", "a key of 1 to 200 visible characters")
                })
        })
        .transpose()?;
    let request_hash = store::users::secret_hash(&format!("{}\n{}", grant.student.id, value));
    let as_of = state.clock.today();
    let (status, body) = db::run(&state, move |conn| {
        let written = conn.transaction(|tx| {
            let user_id = grant.caller.user.id;
            // Taken before the key lookup, so a concurrent retry waits for the first answer.
            store::students::lock_for_update(tx, grant.student.id)?;
            if let Some(key) = &key
                && let Some(stored) = store::idempotency::find(tx, user_id, key)?
            {
                return if stored.request_hash == request_hash {
                    Ok((stored.status_code, stored.response))
                } else {
                    Err(store::StoreError::Invalid(
                        "this Idempotency-Key was already used for a different request".into(),
                    ))
                };
            }
            let appended =
                crate::obligations::append_and_refresh(tx, &grant.student, &event, user_id, as_of)?;
            let status = match appended {
                store::events::Appended::Created(_) => 201,
                store::events::Appended::Replayed(_) => 200,
            };
            let body = serde_json::to_string(appended.event())
                .map_err(|e| store::StoreError::Invalid(e.to_string()))?;
            if let Some(key) = &key {
                store::idempotency::save(
                    tx,
                    user_id,
                    key,
                    &store::idempotency::Stored {
                        request_hash: request_hash.clone(),
                        status_code: status,
                        response: body.clone(),
                    },
                )?;
            }
            Ok((status, body))
        });
        match written {
            // The transaction rolled back; show the caller the event that holds the id.
            Err(store::StoreError::Conflict(detail)) if !event.id.is_empty() => {
                let current = store::events::find(conn, grant.student.id, &event.id)?;
                Err(AppError::EventConflict {
                    detail,
                    current: serde_json::to_value(current)
                        .map_err(|e| store::StoreError::Invalid(e.to_string()))?,
                })
            }
            other => Ok(other?),
        }
    })
    .await?;
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    Ok(json_response(status, body))
}

pub async fn openapi() -> Response {
    json_response(StatusCode::OK, crate::openapi::DOCUMENT.to_owned())
}
