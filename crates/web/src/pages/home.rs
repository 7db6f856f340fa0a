//! The home page. Case staff land on their caseload and district staff on the compliance
//! view; parents and adult students see each child with upcoming deadlines in plain words and
//! a link to who looked at the record; teachers and providers see their students.

use super::{Chrome, ok};
use crate::error::AppError;
use crate::policy::{self, Viewer, require};
use crate::routes::{CASE_STAFF, DISTRICT_WIDE};
use crate::state::AppState;
use crate::{dates, db, obligations};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::obligation::Status;
use domain::people::Role;

/// How far ahead the family home looks.
const FAMILY_HORIZON_DAYS: i64 = 90;

#[derive(Debug, Clone)]
struct DeadlineView {
    ordinal: i64,
    sentence: String,
    overdue: bool,
}

#[derive(Debug, Clone)]
struct ChildView {
    id: i64,
    name: String,
    deadlines: Vec<DeadlineView>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    heading: String,
    family: bool,
    children: Vec<ChildView>,
    /// For a teacher: how many plans in effect have accommodations still to acknowledge.
    to_acknowledge: i64,
}

pub async fn home(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let role = caller.user.role;
    if CASE_STAFF.contains(&role) {
        return Ok(Redirect::to("/caseload").into_response());
    }
    if DISTRICT_WIDE.contains(&role) {
        return Ok(Redirect::to("/compliance").into_response());
    }
    let family = matches!(role, Role::Parent | Role::Student);
    let today = state.clock.today();
    let horizon = today.saturating_add(jiff::Span::new().days(FAMILY_HORIZON_DAYS));
    let teacher = (role == Role::Teacher).then_some((caller.user.id, caller.user.district_id));
    let to_acknowledge = match teacher {
        Some((id, district)) => db::run(&state, move |conn| {
            Ok(conn.transaction(|tx| {
                store::plans::sync_deliveries(tx, district, Some(id))?;
                store::plans::pending_for(tx, id)
            })?)
        })
        .await?
        .len() as i64,
        None => 0,
    };
    let found = db::run(&state, move |conn| {
        let linked = store::students::linked_students(conn, caller.user.id)?;
        let students = policy::readable(conn, &caller, linked, today)?;
        Ok(conn.read_transaction(|tx| {
            let mut out = Vec::new();
            for student in students {
                let action = if family {
                    "view_home_deadlines"
                } else {
                    "list_students"
                };
                policy::log_read(&caller, &student, action)?;
                let due = if family {
                    obligations::for_student(tx, student.id, today, law::Detail::Brief)?
                        .into_iter()
                        .filter(|l| {
                            matches!(l.obligation.status, Status::Open | Status::Overdue)
                                && l.obligation.due <= horizon
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                out.push((student, due));
            }
            Ok(out)
        })?)
    })
    .await?;
    let children = found
        .into_iter()
        .map(|(student, due)| ChildView {
            id: student.id,
            name: format!("{} {}", student.first_name, student.last_name),
            deadlines: due
                .into_iter()
                .map(|l| {
                    let overdue = l.obligation.status == Status::Overdue;
                    let what = c.t.term("obligation", &l.obligation.kind);
                    let date = dates::long_text(l.obligation.due, c.t.lang);
                    let id = if overdue {
                        "deadline-overdue"
                    } else {
                        "deadline-due"
                    };
                    DeadlineView {
                        ordinal: l.ordinal,
                        sentence: c.t.with_args(id, &[("what", &what), ("date", &date)]),
                        overdue,
                    }
                })
                .collect(),
        })
        .collect();
    let heading = c.t.get(if family {
        "home-family-heading"
    } else {
        "home-staff-heading"
    });
    Ok(ok(&HomePage {
        to_acknowledge,
        c,
        heading,
        family,
        children,
    }))
}
