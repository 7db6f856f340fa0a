//! A child's toolkit page (`/students/{id}/toolkit`): letters, the communication log, the
//! document vault and the binder. The log is one shared log per child, part of the child's
//! record: whoever may read the record reads it (and the read is logged), and the linked
//! people who write on it — parents, case staff, teachers and providers — may add entries.
//! Entries are never edited or deleted; a correction is a new entry.

use super::vault::{self as vault_page};
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::pages::record_form::{Builder, FormView, Input, choices};
use crate::pages::{Chrome, render};
use crate::policy::{self, Grant};
use crate::records_input::{FieldError, Fields};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::Date;
use domain::access::Action;
use store::communications::{CHANNELS, Communication, NewCommunication};

/// Who may add to the log and the vault: anyone linked who writes on the record.
pub const WRITE_LOG: &[Action] = &[
    Action::WriteEvent,
    Action::WriteParentEvent,
    Action::LogService,
];

pub fn may_write(grant: &Grant) -> bool {
    WRITE_LOG.iter().any(|a| grant.permits(*a))
}

fn value<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// The form's entry, or every problem with it.
pub fn parse(fields: &Fields, today: Date) -> Result<NewCommunication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let on = match value(fields, "on").parse::<Date>() {
        Ok(d) if d <= today => Some(d),
        _ => {
            errors.push(FieldError {
                field: "on",
                message_id: "log-error-on",
            });
            None
        }
    };
    let channel = value(fields, "channel");
    if !CHANNELS.contains(&channel) {
        errors.push(FieldError {
            field: "channel",
            message_id: "log-error-channel",
        });
    }
    let with_whom = value(fields, "with_whom");
    if with_whom.is_empty() || with_whom.chars().count() > store::communications::MAX_WITH_CHARS {
        errors.push(FieldError {
            field: "with_whom",
            message_id: "log-error-with",
        });
    }
    let summary = value(fields, "summary");
    if summary.is_empty() || summary.chars().count() > store::communications::MAX_SUMMARY_CHARS {
        errors.push(FieldError {
            field: "summary",
            message_id: "log-error-summary",
        });
    }
    let follow_up_due = match value(fields, "follow_up_due") {
        "" => None,
        text => match text.parse::<Date>() {
            Ok(d) if on.is_none_or(|on| d >= on) => Some(d),
            _ => {
                errors.push(FieldError {
                    field: "follow_up_due",
                    message_id: "log-error-follow-up",
                });
                None
            }
        },
    };
    match on {
        Some(on) if errors.is_empty() => Ok(NewCommunication {
            on,
            channel: channel.to_owned(),
            with_whom: with_whom.to_owned(),
            summary: summary.to_owned(),
            follow_up_due,
            letter_kind: None,
            event_id: None,
        }),
        _ => Err(errors),
    }
}

#[derive(Debug, Clone)]
pub struct EntryView {
    pub on: Shown,
    pub channel: String,
    pub with_whom: String,
    pub summary: String,
    pub follow_up: Option<(Shown, bool)>,
    pub recorded_by: String,
}

#[derive(Debug, Clone)]
pub struct DocView {
    pub href: String,
    pub name: String,
    pub dated: Shown,
    pub kind: String,
    pub size: String,
    pub sha256: String,
}

#[derive(Template)]
#[template(path = "toolkit_child.html")]
struct ChildPage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    note: Option<String>,
    letters: bool,
    entries: Vec<EntryView>,
    log_form: Option<FormView>,
    documents: Vec<DocView>,
    upload: Option<vault_page::UploadView>,
}

/// A form sent back: which one, what was sent, what was wrong.
#[derive(Debug, Default)]
pub struct Refused {
    pub log: Option<(Fields, Vec<FieldError>)>,
    pub upload: Option<vault_page::UploadView>,
}

#[derive(Debug, serde::Deserialize)]
pub struct NoteQuery {
    saved: Option<String>,
}

pub fn entry_views(c: &Chrome, entries: &[Communication], today: Date) -> Vec<EntryView> {
    entries
        .iter()
        .map(|e| EntryView {
            on: dates::short(e.on, c.t.lang),
            channel: c.t.term("log-channel", &e.channel),
            with_whom: e.with_whom.clone(),
            summary: e.summary.clone(),
            follow_up: e
                .follow_up_due
                .map(|d| (dates::short(d, c.t.lang), d < today)),
            recorded_by: e.recorded_by.clone().unwrap_or_default(),
        })
        .collect()
}

pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", (bytes as f64 / 1024.0).ceil())
    }
}

pub async fn child_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    note: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let read = grant.clone();
    let (entries, documents) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&read.caller, &read.student, "view_toolkit")?;
            Ok((
                store::communications::list(tx, read.student.id)?,
                store::vault::list(tx, read.student.id)?,
            ))
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let name = format!("{} {}", s.first_name, s.last_name);
    let writer = may_write(&grant);
    let (log_fields, log_errors) = refused.log.unwrap_or_default();
    let log_form = writer.then(|| {
        Builder::new(
            t,
            "add-communication",
            "log-form-heading",
            format!("/students/{}/communications", s.id),
            "log-submit",
            &log_fields,
            &log_errors,
        )
        .field("on", Input::Date, true, &today.to_string())
        .field(
            "channel",
            Input::Choice(choices(t, "log-channel", CHANNELS)),
            true,
            "call",
        )
        .field("with_whom", Input::Text, true, "")
        .field_labelled("summary", "rf-log-summary", Input::LongText, true, "")
        .field("follow_up_due", Input::Date, false, "")
        .build()
    });
    let documents = documents
        .iter()
        .map(|d| DocView {
            href: format!("/students/{}/documents/{}", s.id, d.id),
            name: d.name.clone(),
            dated: dates::short(d.dated, t.lang),
            kind: d.media_type.clone(),
            size: size_text(d.size_bytes),
            sha256: d.sha256.clone(),
        })
        .collect();
    let upload = writer.then(|| {
        refused
            .upload
            .unwrap_or_else(|| vault_page::UploadView::blank(s.id, today))
    });
    let page = ChildPage {
        id: s.id,
        heading: t.with("tk-child-title", "name", &name),
        name,
        note,
        letters: grant.permits(Action::WriteParentEvent),
        entries: entry_views(&c, &entries, today),
        log_form,
        documents,
        upload,
        c,
    };
    Ok(render(status, &page))
}

/// `GET /students/{id}/toolkit`.
pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<NoteQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = match query.saved.as_deref() {
        Some("log") => Some(c.t.get("log-saved")),
        Some("document") => Some(c.t.get("vault-saved")),
        _ => None,
    };
    child_page(&state, grant, c, note, Refused::default(), StatusCode::OK).await
}

/// `POST /students/{id}/communications`.
pub async fn add(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let new = match parse(&fields, state.clock.today()) {
        Ok(new) => new,
        Err(errors) => {
            let refused = Refused {
                log: Some((fields, errors)),
                upload: None,
            };
            return child_page(
                &state,
                grant,
                c,
                None,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let id = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            store::communications::add(
                tx,
                grant.student.district_id,
                grant.student.id,
                &new,
                Some(grant.caller.user.id),
            )
        })?)
    })
    .await?;
    Ok(Redirect::to(&format!("/students/{id}/toolkit?saved=log#communications")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_log_entry_is_checked_field_by_field() {
        let today: Date = "2026-11-24".parse().unwrap();
        let ok = parse(
            &fields(&[
                ("on", "2026-11-20"),
                ("channel", "call"),
                ("with_whom", "Ms. Alvarez"),
                ("summary", "Asked about the evaluation."),
                ("follow_up_due", "2026-12-01"),
            ]),
            today,
        )
        .unwrap();
        assert_eq!(ok.follow_up_due, Some("2026-12-01".parse().unwrap()));
        let errors = parse(
            &fields(&[
                ("on", "2026-12-20"),
                ("channel", "fax"),
                ("summary", ""),
                ("follow_up_due", "soon"),
            ]),
            today,
        )
        .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            named,
            vec!["on", "channel", "with_whom", "summary", "follow_up_due"]
        );
    }
}
