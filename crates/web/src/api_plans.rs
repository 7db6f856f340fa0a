//! The JSON API of IEPs and 504 plans: versions, saves (compare-and-set on `revision`; a stale
//! save answers 409 with the current version and the sections someone else changed), lifecycle
//! transitions, amendments, the family's comments on a shared draft, the teachers'
//! acknowledgements and reminders. Reads are logged in the transaction that reads; a version
//! the caller may not see (a parent and a working draft) is "not found".

use crate::api::json_response;
use crate::api_records::path_id;
use crate::error::AppError;
use crate::policy::Grant;
use crate::state::AppState;
use crate::{db, obligations, policy};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::people::Role;
use domain::plan::{PlanKind, PlanStatus, visible_to};
use serde_json::{Value, json};
use std::collections::HashMap;
use store::StoreError;
use store::plans::{self, PlanRecord, Saved};

fn to_json(value: &impl serde::Serialize) -> Result<Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// A version the caller may see, else "not found".
pub(crate) fn visible(
    tx: &mut store::Conn,
    grant: &Grant,
    id: i64,
) -> Result<PlanRecord, StoreError> {
    let plan = plans::get(tx, grant.student.id, id)?;
    if visible_to(grant.caller.user.role, plan.status) {
        Ok(plan)
    } else {
        Err(StoreError::NotFound(format!("plan {id}")))
    }
}

/// The summary of a version in a list.
pub(crate) fn summary_json(plan: &PlanRecord) -> Value {
    json!({
        "id": plan.id,
        "kind": plan.kind,
        "version": plan.version,
        "status": plan.status,
        "revision": plan.revision,
        "change_summary": plan.change_summary,
        "finalized_at": plan.finalized_at,
        "updated_at": plan.updated_at,
    })
}

/// One version in full: content, what it lacks (with citations), the environment code, what
/// it changed from the version before, comments, and who acknowledged its accommodations.
pub(crate) fn plan_json(
    tx: &mut store::Conn,
    plan: &PlanRecord,
    grant: &Grant,
) -> Result<Value, StoreError> {
    let ages = plans::student_ages(tx, plan.student_id)?;
    let mut value = to_json(plan)?;
    value["problems"] = to_json(&plans::problems(plan, &ages)?)?;
    if plan.kind == PlanKind::Iep {
        let iep = plans::iep(plan)?;
        value["environment_code"] = json!(iep.lre.environment_code());
        value["transition_required"] = json!(
            iep.meeting
                .on
                .is_some_and(|on| ages.transition_required(on))
        );
    }
    value["changed_from_previous"] = json!(plans::changes_from_previous(tx, plan)?);
    value["comments"] = to_json(&plans::comments(tx, plan.id)?)?;
    let deliveries = plans::deliveries(tx, plan.id)?;
    // The team and the family see every teacher's line; a teacher or provider sees their own.
    let role = grant.caller.user.role;
    let shown: Vec<_> = if !matches!(role, Role::Teacher | Role::Provider) {
        deliveries
    } else {
        deliveries
            .into_iter()
            .filter(|d| d.teacher_id == grant.caller.user.id)
            .collect()
    };
    value["acknowledgements"] = to_json(&shown)?;
    Ok(value)
}

fn body_json(body: &[u8]) -> Result<serde_json::Map<String, Value>, AppError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AppError::invalid("$", "a JSON object")),
        Err(e) => Err(AppError::invalid("$", format!("the body is not JSON: {e}"))),
    }
}

fn int_field(map: &serde_json::Map<String, Value>, name: &str) -> Result<i64, AppError> {
    map.get(name)
        .and_then(Value::as_i64)
        .ok_or_else(|| AppError::invalid(name, format!("`{name}`: a whole number")))
}

fn text_field(map: &serde_json::Map<String, Value>, name: &str) -> Result<String, AppError> {
    map.get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| AppError::invalid(name, format!("`{name}`: a string")))
}

/// The 409 of a stale save: the current version and what changed since the caller's copy.
pub(crate) fn stale_error(stale: &store::plans::Stale) -> AppError {
    let who = stale
        .changed_by
        .clone()
        .unwrap_or_else(|| "someone else".into());
    let sections = if stale.changed_sections.is_empty() {
        "its status".to_owned()
    } else {
        stale.changed_sections.join(", ")
    };
    AppError::EventConflict {
        detail: format!(
            "this plan was saved by {who} since your copy (revision {} is now {}); they changed: {sections}. Nothing of yours was saved: review their changes and save again",
            stale.your_revision, stale.current.revision
        ),
        current: json!({
            "plan": stale.current,
            "changed_sections": stale.changed_sections,
            "changed_by": stale.changed_by,
        }),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    let body = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&grant.caller, &grant.student, "read_plans")?;
            let role = grant.caller.user.role;
            let list: Vec<Value> = plans::list(tx, grant.student.id)?
                .iter()
                .filter(|p| visible_to(role, p.status))
                .map(summary_json)
                .collect();
            Ok(json!({ "plans": list }))
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let map = body_json(&body)?;
    let kind_text = text_field(&map, "kind")?;
    let kind = PlanKind::parse(&kind_text)
        .filter(|k| plans::KINDS.contains(k))
        .ok_or_else(|| AppError::invalid("kind", "`kind`: iep or plan504"))?;
    let content = map.get("content").cloned().unwrap_or_else(|| json!({}));
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let s = &grant.student;
            let plan = plans::create(
                tx,
                s.district_id,
                s.id,
                kind,
                &content,
                Some(grant.caller.user.id),
            )?;
            plan_json(tx, &plan, &grant)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

pub async fn get(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let plan = visible(tx, &grant, id)?;
            policy::log_read(&grant.caller, &grant.student, "read_plan")?;
            plan_json(tx, &plan, &grant)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

/// Saves one version's content; only a caller who may write plans gets here (the registry).
pub(crate) fn save_in(
    tx: &mut store::Conn,
    grant: &Grant,
    id: i64,
    revision: i64,
    content: &Value,
) -> Result<Result<PlanRecord, Box<store::plans::Stale>>, StoreError> {
    Ok(
        match plans::save(
            tx,
            grant.student.id,
            id,
            revision,
            content,
            Some(grant.caller.user.id),
        )? {
            Saved::Saved(plan) => Ok(plan),
            Saved::Stale(stale) => Err(stale),
        },
    )
}

pub async fn save(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let map = body_json(&body)?;
    let revision = int_field(&map, "revision")?;
    let content = map
        .get("content")
        .filter(|c| c.is_object())
        .cloned()
        .ok_or_else(|| AppError::invalid("content", "`content`: the plan's content, an object"))?;
    let body = db::run(&state, move |conn| {
        conn.transaction(|tx| match save_in(tx, &grant, id, revision, &content)? {
            Ok(plan) => Ok(Ok(plan_json(tx, &plan, &grant)?)),
            Err(stale) => Ok(Err(stale)),
        })
        .map_err(AppError::from)?
        .map_err(|stale| stale_error(&stale))
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

/// Moves a version along its lifecycle and, when it is finalized, records the meeting on the
/// student's timeline (and refreshes the deadlines) in the same transaction.
pub(crate) fn transition_in(
    tx: &mut store::Conn,
    grant: &Grant,
    id: i64,
    revision: i64,
    to: PlanStatus,
    today: domain::Date,
) -> Result<plans::Finalized, StoreError> {
    let s = &grant.student;
    let done = plans::transition(
        tx,
        s.id,
        id,
        revision,
        to,
        Some(grant.caller.user.id),
        today,
    )?;
    if let Some(event) = &done.event {
        obligations::append_and_refresh(tx, s, event, grant.caller.user.id, today)?;
    }
    Ok(done)
}

pub async fn transition(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let map = body_json(&body)?;
    let revision = int_field(&map, "revision")?;
    let to_text = text_field(&map, "to")?;
    let to = PlanStatus::parse(&to_text)
        .ok_or_else(|| AppError::invalid("to", "`to`: draft, shared, finalized or ended"))?;
    let today = state.clock.today();
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let done = transition_in(tx, &grant, id, revision, to, today)?;
            let mut value = plan_json(tx, &done.plan, &grant)?;
            value["superseded"] = json!(done.superseded);
            value["event_id"] = json!(done.event.as_ref().map(|e| e.id.clone()));
            value["teachers_notified"] = json!(done.teachers);
            Ok(value)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

pub async fn amend(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let map = body_json(&body)?;
    let summary = text_field(&map, "change_summary")?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let plan = plans::amend(
                tx,
                grant.student.id,
                id,
                &summary,
                Some(grant.caller.user.id),
            )?;
            plan_json(tx, &plan, &grant)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

pub(crate) fn comment_in(
    tx: &mut store::Conn,
    grant: &Grant,
    id: i64,
    text: &str,
) -> Result<plans::Comment, StoreError> {
    let plan = visible(tx, grant, id)?;
    plans::add_comment(tx, &plan, grant.caller.user.id, text)
}

pub async fn comment(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let map = body_json(&body)?;
    let text = text_field(&map, "body")?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| to_json(&comment_in(tx, &grant, id, &text)?))?)
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

pub(crate) fn acknowledge_in(
    tx: &mut store::Conn,
    grant: &Grant,
    id: i64,
) -> Result<plans::Delivery, StoreError> {
    let plan = visible(tx, grant, id)?;
    // A teacher linked after the plan was finalized receives it now.
    plans::sync_deliveries(tx, grant.student.district_id, Some(grant.caller.user.id))?;
    plans::acknowledge(tx, &plan, grant.caller.user.id)
}

pub async fn acknowledge(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| to_json(&acknowledge_in(tx, &grant, id)?))?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

pub(crate) fn remind_in(tx: &mut store::Conn, grant: &Grant, id: i64) -> Result<usize, StoreError> {
    let plan = plans::get(tx, grant.student.id, id)?;
    if plan.status != PlanStatus::Finalized {
        return Err(StoreError::Conflict(format!(
            "version {} is {}; reminders are for the plan in effect",
            plan.version, plan.status
        )));
    }
    plans::remind(
        tx,
        grant.student.district_id,
        Some(id),
        Some(grant.caller.user.id),
    )
}

pub async fn remind(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let reminded = remind_in(tx, &grant, id)?;
            let status = plans::deliveries(tx, id)?;
            Ok(json!({ "reminded": reminded, "acknowledgements": to_json(&status)? }))
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}
