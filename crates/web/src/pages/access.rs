//! The record of access (34 CFR 300.614), page by page, newest first. The student page shows
//! only the latest entries: a record read every school day for years would otherwise make the
//! student page grow without end.

use super::{Chrome, render};
use crate::db;
use crate::error::AppError;
use crate::policy::{self, Grant};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

/// Entries on the student page.
pub const LATEST_SHOWN: i64 = 20;
/// Entries per page of the full record.
const PAGE_SIZE: i64 = 100;

#[derive(Debug, Clone)]
pub struct AccessView {
    pub at: String,
    /// The instant to the minute, in UTC, for people.
    pub at_text: String,
    pub who: String,
    pub role: String,
    pub action: String,
    pub purpose: String,
}

impl From<store::access_log::Entry> for AccessView {
    fn from(e: store::access_log::Entry) -> AccessView {
        let at_text =
            e.at.parse::<jiff::Timestamp>()
                .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|_| e.at.clone());
        AccessView {
            at: e.at,
            at_text,
            who: e.who,
            role: e.role,
            action: e.action,
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
            entries: entries.into_iter().map(AccessView::from).collect(),
            position,
            page,
            pages,
            c,
        },
    ))
}
