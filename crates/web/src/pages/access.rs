//! The record of access (34 CFR 300.614), page by page, newest first. The student page shows
//! only the latest entries: a record read every school day for years would otherwise make the
//! student page grow without end.

use super::{Chrome, render};
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::policy::{self, Grant};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use store::access_log::Purpose;

/// Entries on the student page.
pub const LATEST_SHOWN: i64 = 20;
/// Entries per page of the full record.
const PAGE_SIZE: i64 = 100;

#[derive(Debug, Clone)]
pub struct AccessView {
    /// The instant to the minute, in UTC; the stored text when it is not an instant.
    pub at: Result<Shown, String>,
    pub who: String,
    pub role: String,
    pub action: String,
    pub purpose: String,
    /// The catalogue's name for the purpose, when iep504 stated it (shown in the reader's
    /// language; any other text is shown as stored).
    pub purpose_code: Option<&'static str>,
}

impl AccessView {
    pub fn new(e: store::access_log::Entry, lang: Lang) -> AccessView {
        let at =
            e.at.parse::<jiff::Timestamp>()
                .map(|t| dates::instant(t, lang))
                .map_err(|_| e.at);
        AccessView {
            at,
            who: e.who,
            role: e.role,
            action: e.action,
            purpose_code: Purpose::of_stated(&e.purpose).map(Purpose::code),
            purpose: e.purpose,
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "access.html")]
struct AccessPage {
    c: Chrome,
    id: i64,
    name: String,
    entries: Vec<AccessView>,
    /// "Page 2 of 7; 640 entries in all."
    position: String,
    /// 1-based.
    page: i64,
    pages: i64,
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<PageQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let page = query.page.unwrap_or(1).max(1);
    let for_read = grant.clone();
    let (entries, total) = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "read_access_log")?;
            let entries = store::access_log::page_for_student(
                tx,
                for_read.student.id,
                PAGE_SIZE,
                (page - 1).saturating_mul(PAGE_SIZE),
            )?;
            Ok((
                entries,
                store::access_log::count_for_student(tx, for_read.student.id)?,
            ))
        })?)
    })
    .await?;
    let s = &grant.student;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let position = c.t.with_args(
        "access-page",
        &[
            ("page", &page.to_string()),
            ("pages", &pages.to_string()),
            ("total", &total.to_string()),
        ],
    );
    Ok(render(
        StatusCode::OK,
        &AccessPage {
            id: s.id,
            name: format!("{} {}", s.first_name, s.last_name),
            entries: entries
                .into_iter()
                .map(|e| AccessView::new(e, c.t.lang))
                .collect(),
            position,
            page,
            pages,
            c,
        },
    ))
}
