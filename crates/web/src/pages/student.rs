//! The student page: obligations with explanation and citation, the case timeline, the "add
//! event" form (choose a kind, then fill that kind's fields; no script needed), and the
//! record of access for those who may read it. Viewing the page is itself logged.

use super::access::AccessView;
use super::{Chrome, render};
use crate::dates::{self, Shown};
use crate::error::AppError;
use crate::event_form::{self, FieldType};
use crate::i18n::Tr;
use crate::policy::{self, Grant};
use crate::state::AppState;
use crate::{db, obligations};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::access::Action;
use domain::event::Event;

#[derive(Debug, Clone)]
struct ObligationView {
    ordinal: i64,
    kind_label: String,
    status: &'static str,
    status_label: String,
    due: Shown,
    satisfied_on: Option<Shown>,
    citation: String,
    explanation: Vec<String>,
}

#[derive(Debug, Clone)]
struct EventView {
    on: Shown,
    label: String,
    details: String,
}

#[derive(Debug, Clone)]
struct FieldView {
    id: String,
    label: String,
    input: &'static str,
    value: String,
    options: Vec<(String, String)>,
    error: Option<String>,
    hint: Option<String>,
    required: bool,
    described_by: String,
}

#[derive(Debug, Clone)]
struct FormView {
    kinds: Vec<(String, String)>,
    kind: String,
    kind_label: String,
    fields: Vec<FieldView>,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "student.html")]
struct StudentPage {
    c: Chrome,
    id: i64,
    name: String,
    birth_date: Shown,
    grade: Option<String>,
    jurisdiction: String,
    note: Option<String>,
    obligations: Vec<ObligationView>,
    events: Vec<EventView>,
    add_event: Option<FormView>,
    access: Option<Vec<AccessView>>,
    /// OSEP Memo 11-07: (warning, citation) while RTI runs beside a pending parent request.
    rti_warning: Option<(String, String)>,
}

#[derive(Debug, serde::Deserialize)]
pub struct StudentQuery {
    add: Option<String>,
    added: Option<String>,
}

/// What the add-event form shows: the chosen kind, the submitted values and their errors.
#[derive(Debug, Default)]
struct Submitted {
    kind: String,
    values: Vec<(String, String)>,
    errors: Vec<event_form::FieldError>,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<StudentQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = query.added.is_some().then(|| c.t.get("note-event-added"));
    let submitted = Submitted {
        kind: query.add.unwrap_or_default(),
        ..Submitted::default()
    };
    student_page(&state, grant, c, note, submitted, StatusCode::OK).await
}

async fn student_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    note: Option<String>,
    submitted: Submitted,
    status: StatusCode,
) -> Result<Response, AppError> {
    let as_of = state.clock.today();
    let with_log = grant.permits(Action::ReadAccessLog);
    // The explanation is written in the page's language.
    let detail = law::Detail::In(c.t.lang.law());
    let for_read = grant.clone();
    let (events, listed, access, interventions) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "view_student_page")?;
            let events = store::events::list(tx, for_read.student.id)?;
            let listed = obligations::for_student(tx, for_read.student.id, as_of, detail)?;
            let access = if with_log {
                Some(store::access_log::page_for_student(
                    tx,
                    for_read.student.id,
                    super::access::LATEST_SHOWN,
                    0,
                )?)
            } else {
                None
            };
            let interventions = store::rti::list_interventions(tx, for_read.student.id)?;
            Ok((events, listed, access, interventions))
        })?)
    })
    .await?;
    let t = &c.t;
    let obligations = listed
        .into_iter()
        .map(|l| ObligationView {
            ordinal: l.ordinal,
            kind_label: t.term("obligation", &l.obligation.kind),
            status: l.obligation.status.as_str(),
            status_label: t.term("status", l.obligation.status.as_str()),
            due: dates::long(l.obligation.due, t.lang),
            satisfied_on: l.obligation.satisfied_on.map(|d| dates::long(d, t.lang)),
            citation: l.obligation.citation,
            explanation: l.obligation.explanation,
        })
        .collect();
    let rti_warning =
        crate::records::rti_delay_warning(&events, &interventions, as_of).then(|| {
            (
                t.get("rti-delay-warning"),
                crate::records::RTI_DELAY_CITATION.to_owned(),
            )
        });
    let events = events.iter().map(|e| event_view(e, t)).collect();
    let add_event = (grant.permits(Action::WriteEvent) || grant.permits(Action::WriteParentEvent))
        .then(|| form_view(&grant, &submitted, t));
    let s = &grant.student;
    Ok(render(
        status,
        &StudentPage {
            id: s.id,
            name: format!("{} {}", s.first_name, s.last_name),
            birth_date: dates::long(s.birth_date, c.t.lang),
            grade: s.grade.clone(),
            jurisdiction: s.jurisdiction.clone(),
            note,
            obligations,
            events,
            add_event,
            access: access.map(|entries| {
                entries
                    .into_iter()
                    .map(|e| AccessView::new(e, c.t.lang))
                    .collect()
            }),
            rti_warning,
            c,
        },
    ))
}

fn event_view(event: &Event, t: &Tr) -> EventView {
    let value = serde_json::to_value(event).unwrap_or_default();
    let kind = value["kind"].as_str().unwrap_or_default().to_owned();
    let mut details = Vec::new();
    if let Some(spec) = event_form::spec(&kind) {
        for field in spec.fields {
            let shown = match &value[field.name] {
                serde_json::Value::Bool(true) => t.get("yes"),
                serde_json::Value::Bool(false) => t.get("no"),
                serde_json::Value::String(s) => match field.ty {
                    FieldType::Choice(_) => t.term("choice", s),
                    FieldType::Date => dates::long_if_date(s, t.lang),
                    _ => s.clone(),
                },
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            details.push(format!("{}: {shown}", t.term("field", field.name)));
        }
    }
    if let Some(old) = &event.supersedes {
        details.push(t.with("corrects-event", "id", old));
    }
    EventView {
        on: dates::short(event.on, t.lang),
        label: t.term("event", &kind),
        details: details.join("; "),
    }
}

fn form_view(grant: &Grant, submitted: &Submitted, t: &Tr) -> FormView {
    let kinds: Vec<(String, String)> = event_form::KINDS
        .iter()
        .filter(|k| policy::may_add_event(grant, k.kind))
        .map(|k| (k.kind.to_owned(), t.term("event", k.kind)))
        .collect();
    let chosen =
        event_form::spec(&submitted.kind).filter(|k| kinds.iter().any(|(kind, _)| kind == k.kind));
    let value_of = |id: &str| {
        submitted
            .values
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let error_of = |id: &str| {
        submitted
            .errors
            .iter()
            .find(|e| e.field == id)
            .map(|e| t.get(e.message_id))
    };
    let mut fields = Vec::new();
    if let Some(spec) = chosen {
        let on = event_form::field_id("on");
        fields.push(field_view(
            &on,
            t.get("field-on"),
            FieldType::Date,
            value_of(&on),
            error_of(&on),
            t,
        ));
        for field in spec.fields {
            let id = event_form::field_id(field.name);
            fields.push(field_view(
                &id,
                t.term("field", field.name),
                field.ty,
                value_of(&id),
                error_of(&id),
                t,
            ));
        }
    }
    FormView {
        kind_label: chosen.map(|k| t.term("event", k.kind)).unwrap_or_default(),
        kind: chosen.map(|k| k.kind.to_owned()).unwrap_or_default(),
        kinds,
        errors: submitted
            .errors
            .iter()
            .map(|e| (e.field.clone(), t.get(e.message_id)))
            .collect(),
        fields,
    }
}

fn field_view(
    id: &str,
    label: String,
    ty: FieldType,
    value: String,
    error: Option<String>,
    t: &Tr,
) -> FieldView {
    let (input, options, hint) = match ty {
        FieldType::Date => ("date", Vec::new(), Some(t.get("hint-date"))),
        FieldType::Bool => ("checkbox", Vec::new(), None),
        FieldType::Choice(options) => (
            "select",
            options
                .iter()
                .map(|o| ((*o).to_owned(), t.term("choice", o)))
                .collect(),
            None,
        ),
        FieldType::Number(..) => ("number", Vec::new(), None),
        FieldType::List => ("text", Vec::new(), Some(t.get("hint-list"))),
        FieldType::Text => ("text", Vec::new(), None),
    };
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(format!("{id}-hint"));
    }
    if error.is_some() {
        described.push(format!("{id}-error"));
    }
    FieldView {
        id: id.to_owned(),
        label,
        input,
        required: matches!(
            ty,
            FieldType::Date | FieldType::Number(..) | FieldType::Text
        ),
        value,
        options,
        error,
        hint,
        described_by: described.join(" "),
    }
}

pub async fn add_event(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(values): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = values
        .iter()
        .find(|(k, _)| k == "kind")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if event_form::spec(&kind).is_some() && !policy::may_add_event(&grant, &kind) {
        return Err(AppError::Forbidden(
            "your role may not add this kind of event",
        ));
    }
    let event = match event_form::parse(&kind, &values) {
        Ok(event) => event,
        Err(errors) => {
            let submitted = Submitted {
                kind,
                values,
                errors,
            };
            return student_page(
                &state,
                grant,
                c,
                None,
                submitted,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let student_id = grant.student.id;
    let as_of = state.clock.today();
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            obligations::append_and_refresh(tx, &grant.student, &event, grant.caller.user.id, as_of)
        })?)
    })
    .await?;
    Ok(Redirect::to(&format!("/students/{student_id}?added=1#timeline")).into_response())
}
