//! The caseload dashboard (case managers, evaluators, 504 coordinators): unmet obligations of
//! the caller's students, overdue and due within 7 and 30 days, filtered by kind and school;
//! and the district compliance view (district admins, compliance viewers): counts by school
//! and kind, which name no student.

use super::{Chrome, ok};
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::policy::{self, Viewer, require};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::access::Action;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct DeadlineRow {
    student_id: i64,
    student_name: String,
    school: String,
    ordinal: i64,
    kind_label: String,
    due: Shown,
}

#[derive(Debug, Clone)]
struct Group {
    id: &'static str,
    heading: String,
    rows: Vec<DeadlineRow>,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    c: Chrome,
    as_of: String,
    kinds: Vec<(String, String)>,
    schools: Vec<(String, String)>,
    selected_kind: String,
    selected_school: String,
    groups: Vec<Group>,
    students: Vec<StudentRow>,
}

#[derive(Debug, Clone)]
struct StudentRow {
    id: i64,
    name: String,
    grade: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct Filters {
    kind: Option<String>,
    school: Option<String>,
}

pub async fn caseload(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(filters): Query<Filters>,
    c: Chrome,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let today = state.clock.today();
    let week = today.saturating_add(jiff::Span::new().days(7));
    let month = today.saturating_add(jiff::Span::new().days(30));
    // Every linked student the caller may read: the deadlines below, and the "my students"
    // list, so a caseload with nothing due still leads to each student.
    let (items, students) = db::run(&state, move |conn| {
        let mut items = store::dashboard::linked_unmet(conn, caller.user.id, month)?;
        let mut readable = Vec::new();
        for student in store::students::linked_students(conn, caller.user.id)? {
            if policy::permitted_actions(conn, &caller, &student, today)?
                .contains(&Action::ReadRecord)
            {
                readable.push(student);
            }
        }
        items.retain(|i| readable.iter().any(|s| s.id == i.student_id));
        for student in &readable {
            policy::log_read(&caller, student, "view_caseload")?;
        }
        Ok((items, readable))
    })
    .await?;
    let students: Vec<StudentRow> = students
        .into_iter()
        .map(|s| StudentRow {
            id: s.id,
            name: format!("{}, {}", s.last_name, s.first_name),
            grade: s.grade.unwrap_or_default(),
        })
        .collect();

    let no_school = c.t.get("no-school");
    let kinds: BTreeMap<String, String> = items
        .iter()
        .map(|i| (i.kind.clone(), c.t.term("obligation", &i.kind)))
        .collect();
    let schools: BTreeMap<String, String> = items
        .iter()
        .filter_map(|i| Some((i.school_id?.to_string(), i.school_name.clone()?)))
        .collect();
    let selected_kind = filters.kind.unwrap_or_default();
    let selected_school = filters.school.unwrap_or_default();
    let mut groups = vec![
        Group {
            id: "overdue",
            heading: c.t.get("group-overdue"),
            rows: Vec::new(),
        },
        Group {
            id: "week",
            heading: c.t.get("group-week"),
            rows: Vec::new(),
        },
        Group {
            id: "month",
            heading: c.t.get("group-month"),
            rows: Vec::new(),
        },
    ];
    for item in items {
        if !selected_kind.is_empty() && item.kind != selected_kind {
            continue;
        }
        if !selected_school.is_empty()
            && item.school_id.map(|s| s.to_string()) != Some(selected_school.clone())
        {
            continue;
        }
        let slot = if item.due < today {
            0
        } else if item.due <= week {
            1
        } else {
            2
        };
        groups[slot].rows.push(DeadlineRow {
            student_id: item.student_id,
            student_name: format!("{}, {}", item.last_name, item.first_name),
            school: item
                .school_name
                .clone()
                .unwrap_or_else(|| no_school.clone()),
            ordinal: item.ordinal,
            kind_label: c.t.term("obligation", &item.kind),
            due: dates::short(item.due, c.t.lang),
        });
    }
    Ok(ok(&CaseloadPage {
        as_of: dates::long_text(today, c.t.lang),
        c,
        kinds: kinds.into_iter().collect(),
        schools: schools.into_iter().collect(),
        selected_kind,
        selected_school,
        groups,
        students,
    }))
}

#[derive(Debug, Clone)]
struct CountRow {
    school: String,
    kind_label: String,
    overdue: i64,
    due_7: i64,
    due_30: i64,
}

#[derive(Template)]
#[template(path = "compliance.html")]
struct CompliancePage {
    c: Chrome,
    as_of: String,
    rows: Vec<CountRow>,
}

pub async fn compliance(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let district_id = require(&viewer)?.user.district_id;
    let today = state.clock.today();
    let counts = db::run(&state, move |conn| {
        Ok(store::dashboard::compliance_counts(
            conn,
            district_id,
            today,
        )?)
    })
    .await?;
    let no_school = c.t.get("no-school");
    let rows = counts
        .into_iter()
        .map(|row| CountRow {
            school: row.school_name.unwrap_or_else(|| no_school.clone()),
            kind_label: c.t.term("obligation", &row.kind),
            overdue: row.overdue,
            due_7: row.due_7,
            due_30: row.due_30,
        })
        .collect();
    Ok(ok(&CompliancePage {
        as_of: dates::long_text(today, c.t.lang),
        c,
        rows,
    }))
}
