//! The JSON API of case records: services and sessions with the compensatory ledger, goals
//! with data points and progress, RTI interventions with probes. Reads are logged in the
//! transaction that reads; each write is one transaction; stale edits answer 409.

use crate::api::{json_response, read_logged};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::policy::Grant;
use crate::records::{self, StudentLedger};
use crate::records_input::{self as input, Fields};
use crate::state::AppState;
use crate::{db, obligations};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use std::collections::HashMap;
use store::StoreError;

fn to_json(value: &impl serde::Serialize) -> Result<Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// A numbered sub-record in the path (`{service}`, `{goal}`…); a malformed one cannot exist.
pub(crate) fn path_id(params: &HashMap<String, String>, name: &str) -> Result<i64, AppError> {
    params
        .get(name)
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::NotFound)
}

fn parsed<T>(state: &AppState, result: Result<T, Vec<input::FieldError>>) -> Result<T, AppError> {
    result.map_err(|errors| input::api_error(&errors, &state.i18n.tr(Lang::En)))
}

/// Runs one write transaction for the granted student and answers with `status` and its JSON.
async fn write(
    state: &AppState,
    grant: Grant,
    status: StatusCode,
    work: impl Fn(&mut store::Conn, &Grant) -> Result<Value, StoreError> + Send + 'static,
) -> Result<Response, AppError> {
    let body = db::run(state, move |conn| {
        Ok(conn.transaction(|tx| work(tx, &grant))?)
    })
    .await?;
    Ok(json_response(status, body.to_string()))
}

pub fn ledger_json(ledger: &StudentLedger) -> Result<Value, StoreError> {
    let mut services = Vec::new();
    for (service, line) in ledger.lines() {
        let mut value = to_json(line)?;
        value["name"] = json!(service.name);
        value["provider_role"] = json!(service.provider_role);
        value["minutes"] = json!(service.minutes);
        value["per"] = json!(service.per);
        services.push(value);
    }
    Ok(json!({
        "as_of": ledger.report.as_of,
        "balance": ledger.balance(),
        "services": services,
    }))
}

pub async fn services(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_services", |tx, s| {
        Ok(json!({ "services": to_json(&store::services::list_services(tx, s.id)?)? }))
    })
    .await
}

pub async fn add_service(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let new = parsed(&state, input::service(&input::from_json(&body)?))?;
    write(&state, grant, StatusCode::CREATED, move |tx, g| {
        let s = &g.student;
        to_json(&store::services::add_service(
            tx,
            s.district_id,
            s.id,
            &new,
            Some(g.caller.user.id),
        )?)
    })
    .await
}

pub async fn update_service(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "service")?;
    let fields: Fields = input::from_json(&body)?;
    let revision = parsed(&state, input::revision(&fields))?;
    let new = parsed(&state, input::service(&fields))?;
    write(&state, grant, StatusCode::OK, move |tx, g| {
        to_json(&store::services::update_service(
            tx,
            g.student.id,
            id,
            revision,
            &new,
        )?)
    })
    .await
}

pub async fn sessions(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_sessions", |tx, s| {
        Ok(json!({ "sessions": to_json(&store::services::list_sessions(tx, s.id)?)? }))
    })
    .await
}

pub async fn add_session(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let fields = input::from_json(&body)?;
    let today = state.clock.today();
    let en = state.i18n.tr(Lang::En);
    let body = db::run(&state, move |conn| {
        let result = conn.transaction(|tx| {
            let s = &grant.student;
            let services = store::services::list_services(tx, s.id)?;
            let new = match input::session(&fields, &services, today) {
                Ok(new) => new,
                Err(errors) => return Ok(Err(errors)),
            };
            let id = store::services::add_session(
                tx,
                s.district_id,
                s.id,
                &new,
                Some(grant.caller.user.id),
            )?;
            let logged = store::services::list_sessions(tx, s.id)?
                .into_iter()
                .find(|l| l.id == id)
                .ok_or_else(|| StoreError::NotFound(format!("session {id}")))?;
            Ok(Ok(to_json(&logged)?))
        })?;
        result.map_err(|errors| input::api_error(&errors, &en))
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

pub async fn ledger(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    let as_of = state.clock.today();
    read_logged(&state, grant, "read_ledger", move |tx, s| {
        ledger_json(&records::student_ledger(tx, s, as_of)?)
    })
    .await
}

fn goal_json(goal: &store::goals::Goal) -> Result<Value, StoreError> {
    let mut value = to_json(goal)?;
    let missing: Vec<&str> = goal.missing().iter().map(|m| m.as_str()).collect();
    value["measurable"] = json!(missing.is_empty());
    value["missing"] = json!(missing);
    Ok(value)
}

pub async fn goals(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_goals", |tx, s| {
        let goals = store::goals::list_goals(tx, s.id)?
            .iter()
            .map(goal_json)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(json!({ "goals": goals }))
    })
    .await
}

pub async fn add_goal(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let new = parsed(&state, input::goal(&input::from_json(&body)?))?;
    write(&state, grant, StatusCode::CREATED, move |tx, g| {
        let s = &g.student;
        goal_json(&store::goals::add_goal(
            tx,
            s.district_id,
            s.id,
            &new,
            Some(g.caller.user.id),
        )?)
    })
    .await
}

pub async fn update_goal(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "goal")?;
    let fields = input::from_json(&body)?;
    let revision = parsed(&state, input::revision(&fields))?;
    let new = parsed(&state, input::goal(&fields))?;
    write(&state, grant, StatusCode::OK, move |tx, g| {
        goal_json(&store::goals::update_goal(
            tx,
            g.student.id,
            id,
            revision,
            &new,
        )?)
    })
    .await
}

pub async fn add_point(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let goal = path_id(&params, "goal")?;
    let (on, value, note) = parsed(
        &state,
        input::point(&input::from_json(&body)?, state.clock.today()),
    )?;
    write(&state, grant, StatusCode::CREATED, move |tx, g| {
        let s = &g.student;
        to_json(&store::goals::add_point(
            tx,
            s.district_id,
            s.id,
            goal,
            on,
            value,
            &note,
            Some(g.caller.user.id),
        )?)
    })
    .await
}

pub async fn progress(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let goal_id = path_id(&params, "goal")?;
    read_logged(&state, grant, "read_progress", move |tx, s| {
        let goal = store::goals::get_goal(tx, s.id, goal_id)?;
        let points = store::goals::points(tx, goal_id)?;
        let Some((_, report)) = records::progress(&goal, &points) else {
            let missing: Vec<&str> = goal.missing().iter().map(|m| m.as_str()).collect();
            return Err(StoreError::Invalid(format!(
                "goal {goal_id} is not measurable: missing {}",
                missing.join(", ")
            )));
        };
        to_json(&report)
    })
    .await
}

fn intervention_json(
    tx: &mut store::Conn,
    intervention: &store::rti::Intervention,
) -> Result<Value, StoreError> {
    let mut value = to_json(intervention)?;
    value["probes"] = to_json(&store::rti::probes(tx, intervention.id)?)?;
    Ok(value)
}

pub async fn interventions(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_interventions", |tx, s| {
        let mut out = Vec::new();
        for intervention in store::rti::list_interventions(tx, s.id)? {
            out.push(intervention_json(tx, &intervention)?);
        }
        Ok(json!({ "interventions": out }))
    })
    .await
}

/// Starts an intervention and records `rti_started` on the timeline, in one transaction.
pub async fn add_intervention(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let new = parsed(&state, input::intervention(&input::from_json(&body)?))?;
    let as_of = state.clock.today();
    write(&state, grant, StatusCode::CREATED, move |tx, g| {
        start_intervention(tx, g, &new, as_of)
    })
    .await
}

pub(crate) fn start_intervention(
    tx: &mut store::Conn,
    g: &Grant,
    new: &store::rti::NewIntervention,
    as_of: domain::Date,
) -> Result<Value, StoreError> {
    let s = &g.student;
    let created =
        store::rti::add_intervention(tx, s.district_id, s.id, new, Some(g.caller.user.id))?;
    let event = records::rti_event(
        format!("rti-{}-start", created.id),
        created.start,
        created.tier,
        true,
    );
    obligations::append_and_refresh(tx, s, &event, g.caller.user.id, as_of)?;
    intervention_json(tx, &created)
}

pub(crate) fn finish_intervention(
    tx: &mut store::Conn,
    g: &Grant,
    id: i64,
    on: domain::Date,
    revision: i64,
    as_of: domain::Date,
) -> Result<Value, StoreError> {
    let s = &g.student;
    let ended = store::rti::end_intervention(tx, s.id, id, revision, on)?;
    let event = records::rti_event(format!("rti-{id}-end"), on, ended.tier, false);
    obligations::append_and_refresh(tx, s, &event, g.caller.user.id, as_of)?;
    intervention_json(tx, &ended)
}

/// Ends an intervention (compare-and-set on its revision) and records `rti_ended`.
pub async fn end_intervention(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "intervention")?;
    let today = state.clock.today();
    let (on, revision) = parsed(&state, input::end(&input::from_json(&body)?, today))?;
    write(&state, grant, StatusCode::OK, move |tx, g| {
        finish_intervention(tx, g, id, on, revision, today)
    })
    .await
}

pub async fn add_probe(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = path_id(&params, "intervention")?;
    let (on, score) = parsed(
        &state,
        input::probe(&input::from_json(&body)?, state.clock.today()),
    )?;
    write(&state, grant, StatusCode::CREATED, move |tx, g| {
        let s = &g.student;
        to_json(&store::rti::add_probe(
            tx,
            s.district_id,
            s.id,
            id,
            on,
            score,
            Some(g.caller.user.id),
        )?)
    })
    .await
}
