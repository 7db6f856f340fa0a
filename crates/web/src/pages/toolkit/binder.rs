//! The binder: one tagged PDF of a child's record for a parent to print or bring to a meeting
//! — the timeline, the deadlines, the letters, the communication log and the index of the
//! vault's documents (`documents::binder_pdf`). Reading it is a read of the record, logged.

use super::doc_lang;
use crate::db;
use crate::error::AppError;
use crate::obligations;
use crate::pages::Chrome;
use crate::policy::{self, Grant};
use crate::state::AppState;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use documents::{BinderData, BinderDeadline, BinderDocument, BinderEntry};

fn entry(c: &Chrome, e: &store::communications::Communication) -> BinderEntry {
    BinderEntry {
        on: e.on,
        channel: c.t.term("log-channel", &e.channel),
        with_whom: e.with_whom.clone(),
        summary: e.summary.clone(),
        follow_up_due: e.follow_up_due,
    }
}

/// `GET /students/{id}/binder.pdf`.
pub async fn download(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let read = grant.clone();
    let (events, listed, log, docs) = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&read.caller, &read.student, "download_binder")?;
            Ok((
                store::events::list(tx, read.student.id)?,
                obligations::for_student(tx, read.student.id, today, law::Detail::Brief)?,
                store::communications::list(tx, read.student.id)?,
                store::vault::list(tx, read.student.id)?,
            ))
        })?)
    })
    .await?;
    let case = domain::case::Case {
        jurisdiction: grant.student.jurisdiction.clone(),
        student: domain::case::StudentFacts {
            birth_date: grant.student.birth_date,
        },
        calendar: Default::default(),
        events,
    };
    let timeline = case
        .effective_events()
        .into_iter()
        .map(|e| {
            let tag = store::events::kind_tag(e).unwrap_or_default();
            (e.on, c.t.term("event", &tag))
        })
        .collect();
    let s = &grant.student;
    let data = BinderData {
        student: format!("{} {}", s.first_name, s.last_name),
        birth_date: s.birth_date,
        as_of: today,
        timeline,
        deadlines: listed
            .iter()
            .map(|l| &l.obligation)
            .map(|o| BinderDeadline {
                what: c.t.term("obligation", &o.kind),
                due: o.due,
                status: c.t.term("status", o.status.as_str()),
                citation: o.citation.clone(),
            })
            .collect(),
        letters: log
            .iter()
            .filter(|e| e.channel == "letter")
            .map(|e| entry(&c, e))
            .collect(),
        communications: log.iter().map(|e| entry(&c, e)).collect(),
        documents: docs
            .iter()
            .map(|d| BinderDocument {
                name: d.name.clone(),
                dated: d.dated,
                size_bytes: d.size_bytes,
                sha256: d.sha256.clone(),
            })
            .collect(),
    };
    let pdf = documents::binder_pdf(&data, doc_lang(&c.t))
        .map_err(|_| AppError::Internal("binder PDF"))?;
    Ok(crate::pages::pdf_response(
        pdf,
        &format!("binder-{}.pdf", s.id),
        crate::pages::Disposition::Attachment,
    ))
}
