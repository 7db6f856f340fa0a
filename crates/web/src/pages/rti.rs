//! The RTI/MTSS page: a student's interventions with their probe scores, the forms to start
//! one, end one and record a probe, and the OSEP Memo 11-07 warning when a parent's
//! evaluation request is pending while the student is in RTI.

use super::record_form::{Builder, FormView, Input, choices};
use super::{Chrome, render};
use crate::api_records::{finish_intervention, path_id, start_intervention};
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::policy::{self, Grant};
use crate::records;
use crate::records_input::{self as input, FieldError, Fields};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::access::Action;
use std::collections::HashMap;

#[derive(Debug, Clone)]
struct InterventionView {
    id: i64,
    heading: String,
    facts: Vec<(String, String)>,
    probes: Vec<(Shown, String)>,
    end_form: Option<FormView>,
    probe_form: Option<FormView>,
}

#[derive(Template)]
#[template(path = "interventions.html")]
struct RtiPage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    note: Option<String>,
    warning: Option<(String, String)>,
    interventions: Vec<InterventionView>,
    start_form: Option<FormView>,
}

#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// A refused form: its anchor, what was sent, and the problems.
#[derive(Debug, Default)]
struct Refused {
    anchor: String,
    fields: Fields,
    errors: Vec<FieldError>,
}

impl Refused {
    fn for_form(&self, anchor: &str) -> (&Fields, &[FieldError]) {
        const NONE: &[FieldError] = &[];
        static EMPTY: Fields = Vec::new();
        if self.anchor == anchor {
            (&self.fields, &self.errors)
        } else {
            (&EMPTY, NONE)
        }
    }
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<SavedQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = query.saved.is_some().then(|| c.t.get("note-rti-saved"));
    rti_page(&state, grant, c, note, Refused::default(), StatusCode::OK).await
}

async fn rti_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    note: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let for_read = grant.clone();
    let (interventions, events) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "view_interventions")?;
            let mut out = Vec::new();
            for intervention in store::rti::list_interventions(tx, for_read.student.id)? {
                let probes = store::rti::probes(tx, intervention.id)?;
                out.push((intervention, probes));
            }
            let events = store::events::list(tx, for_read.student.id)?;
            Ok((out, events))
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let name = format!("{} {}", s.first_name, s.last_name);
    let listed: Vec<store::rti::Intervention> =
        interventions.iter().map(|(i, _)| i.clone()).collect();
    let warning = records::rti_delay_warning(&events, &listed, today).then(|| {
        (
            t.get("rti-delay-warning"),
            records::RTI_DELAY_CITATION.to_owned(),
        )
    });
    let views = interventions
        .iter()
        .map(|(iv, probes)| {
            let end_anchor = format!("end-{}", iv.id);
            let probe_anchor = format!("probe-{}", iv.id);
            let (end_fields, end_errors) = refused.for_form(&end_anchor);
            let (probe_fields, probe_errors) = refused.for_form(&probe_anchor);
            InterventionView {
                id: iv.id,
                heading: t.with_args(
                    "intervention-heading",
                    &[("program", &iv.program), ("tier", &iv.tier.to_string())],
                ),
                facts: vec![
                    (t.get("rf-frequency"), iv.frequency.clone()),
                    (t.get("rf-minutes"), iv.minutes.to_string()),
                    (t.get("rf-group-size"), iv.group_size.to_string()),
                    (t.get("rf-owner"), iv.owner.clone()),
                    (t.get("rf-start"), dates::long_text(iv.start, t.lang)),
                    (
                        t.get("rf-end"),
                        iv.end.map_or_else(
                            || t.get("intervention-ongoing"),
                            |d| dates::long_text(d, t.lang),
                        ),
                    ),
                ],
                probes: probes
                    .iter()
                    .map(|p| (dates::short(p.on, t.lang), p.score.to_string()))
                    .collect(),
                end_form: (iv.end.is_none() && grant.permits(Action::WriteEvent)).then(|| {
                    Builder::new(
                        t,
                        &end_anchor,
                        "end-intervention-heading",
                        format!("/students/{}/interventions/{}/end", s.id, iv.id),
                        "end-intervention-button",
                        end_fields,
                        end_errors,
                    )
                    .level(4)
                    .hidden("revision", iv.revision.to_string())
                    .field("on", Input::Date, true, &today.to_string())
                    .build()
                }),
                probe_form: grant.permits(Action::LogService).then(|| {
                    Builder::new(
                        t,
                        &probe_anchor,
                        "add-probe-heading",
                        format!("/students/{}/interventions/{}/probes", s.id, iv.id),
                        "add-probe-button",
                        probe_fields,
                        probe_errors,
                    )
                    .level(4)
                    .field("on", Input::Date, true, &today.to_string())
                    .field("score", Input::Number, true, "")
                    .build()
                }),
            }
        })
        .collect();
    let (start_fields, start_errors) = refused.for_form("start-intervention");
    let start_form = grant.permits(Action::WriteEvent).then(|| {
        Builder::new(
            t,
            "start-intervention",
            "start-intervention-heading",
            format!("/students/{}/interventions", s.id),
            "start-intervention-button",
            start_fields,
            start_errors,
        )
        .field(
            "tier",
            Input::Choice(choices(t, "tier", &["2", "3"])),
            true,
            "2",
        )
        .field("program", Input::Text, true, "")
        .field("frequency", Input::Text, true, "")
        .field("minutes", Input::Number, true, "30")
        .field("group_size", Input::Number, true, "3")
        .field("owner", Input::Text, true, "")
        .field("start", Input::Date, true, &today.to_string())
        .build()
    });
    let page = RtiPage {
        id: s.id,
        heading: t.with("rti-title", "name", &name),
        name,
        note,
        warning,
        interventions: views,
        start_form,
        c,
    };
    Ok(render(status, &page))
}

fn back(student: i64) -> Response {
    Redirect::to(&format!("/students/{student}/interventions?saved=1")).into_response()
}

async fn refuse(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    anchor: String,
    fields: Fields,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let refused = Refused {
        anchor,
        fields,
        errors,
    };
    rti_page(
        state,
        grant,
        c,
        None,
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn start(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let new = match input::intervention(&fields) {
        Ok(new) => new,
        Err(errors) => {
            return refuse(
                &state,
                grant,
                c,
                "start-intervention".into(),
                fields,
                errors,
            )
            .await;
        }
    };
    let as_of = state.clock.today();
    let student = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| start_intervention(tx, &grant, &new, as_of))?)
    })
    .await?;
    Ok(back(student))
}

pub async fn end(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "intervention")?;
    let today = state.clock.today();
    let (on, revision) = match input::end(&fields, today) {
        Ok(parsed) => parsed,
        Err(errors) => return refuse(&state, grant, c, format!("end-{id}"), fields, errors).await,
    };
    let student = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| finish_intervention(tx, &grant, id, on, revision, today))?)
    })
    .await?;
    Ok(back(student))
}

pub async fn add_probe(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "intervention")?;
    let (on, score) = match input::probe(&fields, state.clock.today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return refuse(&state, grant, c, format!("probe-{id}"), fields, errors).await;
        }
    };
    let student = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let s = &grant.student;
            store::rti::add_probe(
                tx,
                s.district_id,
                s.id,
                id,
                on,
                score,
                Some(grant.caller.user.id),
            )
        })?)
    })
    .await?;
    Ok(back(student))
}
