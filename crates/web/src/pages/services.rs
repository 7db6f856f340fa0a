//! Services pages: a student's service grid, compensatory ledger and session log with a
//! plain-language summary ("The school owes Leo 70 minutes of speech therapy"); a provider's
//! "my sessions"; the district's list of students owed minutes, oldest debt first.

use super::record_form::{Builder, FormView, Input, choices};
use super::{Chrome, ok, render};
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::policy::{self, Grant, Viewer, require};
use crate::records::{self, StudentLedger};
use crate::records_input::{self as input, FieldError, Fields, PROVIDER_ROLES};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::access::Action;
use store::services::{STATUSES, SessionLog, status_str};

#[derive(Debug, Clone)]
struct GridRow {
    name: String,
    role: String,
    amount: String,
    setting: String,
    start: Shown,
    end: Shown,
}

#[derive(Debug, Clone)]
struct PeriodRow {
    from: Shown,
    to: Shown,
    mandated: u64,
    delivered: u64,
    excused: u64,
    owed: u64,
    made_up: u64,
}

#[derive(Debug, Clone)]
struct LedgerView {
    id: i64,
    name: String,
    periods: Vec<PeriodRow>,
    mandated: u64,
    delivered: u64,
    excused: u64,
    owed: u64,
    made_up: u64,
    balance: u64,
}

#[derive(Debug, Clone)]
struct SessionRow {
    on: Shown,
    student_id: i64,
    student: String,
    service: String,
    minutes: u32,
    status: String,
    note: String,
    logged_by: String,
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    as_of: String,
    note: Option<String>,
    summary: Vec<String>,
    grid: Vec<GridRow>,
    ledgers: Vec<LedgerView>,
    sessions: Vec<SessionRow>,
    log_form: Option<FormView>,
    service_form: Option<FormView>,
}

#[derive(Debug, serde::Deserialize)]
pub struct NoteQuery {
    saved: Option<String>,
}

/// What a refused form sends back to be redrawn.
#[derive(Debug, Default)]
struct Refused {
    which: &'static str,
    fields: Fields,
    errors: Vec<FieldError>,
}

fn session_row(s: SessionLog, t: &Tr) -> SessionRow {
    SessionRow {
        on: dates::short(s.on, t.lang),
        student_id: s.student_id,
        student: s.student_name,
        service: s.service_name,
        minutes: s.minutes,
        status: t.term("session-status", status_str(s.status)),
        note: s.note,
        logged_by: s.logged_by.unwrap_or_default(),
    }
}

/// The plain-language lines: who is owed what, or that every minute due was given.
pub fn summary_lines(first_name: &str, ledger: &StudentLedger, t: &Tr) -> Vec<String> {
    ledger
        .lines()
        .map(|(service, line)| {
            let minutes = line.balance.to_string();
            if line.balance > 0 {
                t.with_args(
                    "ledger-owes",
                    &[
                        ("name", first_name),
                        ("minutes", &minutes),
                        ("service", &service.name),
                    ],
                )
            } else {
                t.with_args(
                    "ledger-square",
                    &[("name", first_name), ("service", &service.name)],
                )
            }
        })
        .collect()
}

fn ledger_views(ledger: &StudentLedger, lang: Lang) -> Vec<LedgerView> {
    ledger
        .lines()
        .map(|(service, line)| LedgerView {
            id: service.id,
            name: service.name.clone(),
            periods: line
                .periods
                .iter()
                .map(|p| PeriodRow {
                    from: dates::short(p.from, lang),
                    to: dates::short(p.to, lang),
                    mandated: p.mandated,
                    delivered: p.delivered,
                    excused: p.student_absent + p.school_closed,
                    owed: p.owed,
                    made_up: p.made_up,
                })
                .collect(),
            mandated: line.mandated,
            delivered: line.delivered,
            excused: line.student_absent + line.school_closed,
            owed: line.owed,
            made_up: line.made_up,
            balance: line.balance,
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<NoteQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = query.saved.as_deref().map(|what| match what {
        "service" => c.t.get("note-service-added"),
        _ => c.t.get("note-session-logged"),
    });
    services_page(&state, grant, c, note, Refused::default(), StatusCode::OK).await
}

async fn services_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    note: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let as_of = state.clock.today();
    let for_read = grant.clone();
    let (ledger, sessions) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "view_services")?;
            let ledger = records::student_ledger(tx, &for_read.student, as_of)?;
            let sessions = store::services::list_sessions(tx, for_read.student.id)?;
            Ok((ledger, sessions))
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let id = s.id;
    let empty = Fields::new();
    let (log_fields, log_errors, service_fields, service_errors) = match refused.which {
        "session" => (&refused.fields, &refused.errors[..], &empty, &[][..]),
        "service" => (&empty, &[][..], &refused.fields, &refused.errors[..]),
        _ => (&empty, &[][..], &empty, &[][..]),
    };
    let service_options: Vec<(String, String)> = ledger
        .services
        .iter()
        .map(|sv| (sv.id.to_string(), sv.name.clone()))
        .collect();
    let log_form = (grant.permits(Action::LogService) && !service_options.is_empty()).then(|| {
        let statuses: Vec<&str> = STATUSES.iter().map(|s| status_str(*s)).collect();
        Builder::new(
            t,
            "log-session",
            "log-session-heading",
            format!("/students/{id}/sessions"),
            "log-session-button",
            log_fields,
            log_errors,
        )
        .field("service", Input::Choice(service_options.clone()), true, "")
        .field("on", Input::Date, true, &as_of.to_string())
        .field("minutes", Input::Number, true, "30")
        .field(
            "status",
            Input::Choice(choices(t, "session-status", &statuses)),
            true,
            "delivered",
        )
        .field("note", Input::LongText, false, "")
        .build()
    });
    let service_form = grant.permits(Action::WritePlan).then(|| {
        Builder::new(
            t,
            "add-service",
            "add-service-heading",
            format!("/students/{id}/services"),
            "add-service-button",
            service_fields,
            service_errors,
        )
        .field("name", Input::Text, true, "")
        .field(
            "provider_role",
            Input::Choice(choices(t, "provider-role", PROVIDER_ROLES)),
            true,
            "",
        )
        .field("minutes", Input::Number, true, "")
        .field(
            "per",
            Input::Choice(choices(t, "per", &["week", "month"])),
            true,
            "week",
        )
        .field("setting", Input::Text, true, "")
        .field("start", Input::Date, true, "")
        .field("end", Input::Date, true, "")
        .build()
    });
    let grid = ledger
        .services
        .iter()
        .map(|sv| GridRow {
            name: sv.name.clone(),
            role: t.term("provider-role", &sv.provider_role),
            amount: t.with(
                &format!("minutes-per-{}", store::services::per_str(sv.per)),
                "minutes",
                sv.minutes,
            ),
            setting: sv.setting.clone(),
            start: dates::short(sv.start, t.lang),
            end: dates::short(sv.end, t.lang),
        })
        .collect();
    let page = ServicesPage {
        id,
        name: format!("{} {}", s.first_name, s.last_name),
        heading: t.with(
            "services-title",
            "name",
            format!("{} {}", s.first_name, s.last_name),
        ),
        as_of: dates::long_text(as_of, t.lang),
        note,
        summary: summary_lines(&s.first_name, &ledger, t),
        ledgers: ledger_views(&ledger, t.lang),
        grid,
        sessions: sessions.into_iter().map(|l| session_row(l, t)).collect(),
        log_form,
        service_form,
        c,
    };
    Ok(render(status, &page))
}

pub async fn add_service(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let new = match input::service(&fields) {
        Ok(new) => new,
        Err(errors) => {
            let refused = Refused {
                which: "service",
                fields,
                errors,
            };
            return services_page(
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
            let s = &grant.student;
            store::services::add_service(tx, s.district_id, s.id, &new, Some(grant.caller.user.id))
        })?)
    })
    .await?;
    Ok(Redirect::to(&format!("/students/{id}/services?saved=service#grid")).into_response())
}

pub async fn log_session(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let for_write = grant.clone();
    let submitted = fields.clone();
    let outcome = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let s = &for_write.student;
            let services = store::services::list_services(tx, s.id)?;
            match input::session(&submitted, &services, today) {
                Ok(new) => {
                    store::services::add_session(
                        tx,
                        s.district_id,
                        s.id,
                        &new,
                        Some(for_write.caller.user.id),
                    )?;
                    Ok(Ok(()))
                }
                Err(errors) => Ok(Err(errors)),
            }
        })?)
    })
    .await?;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/students/{}/services?saved=session#sessions",
            grant.student.id
        ))
        .into_response()),
        Err(errors) => {
            let refused = Refused {
                which: "session",
                fields,
                errors,
            };
            services_page(
                &state,
                grant,
                c,
                None,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Clone)]
struct StudentLink {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "my_sessions.html")]
struct MySessionsPage {
    c: Chrome,
    students: Vec<StudentLink>,
    sessions: Vec<SessionRow>,
}

/// How many of their own sessions a provider sees at once.
const MY_SESSIONS_SHOWN: i64 = 100;

/// A provider's students (each linked to its services page, where sessions are logged) and
/// the sessions they logged most recently.
pub async fn my_sessions(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let today = state.clock.today();
    let (students, sessions) = db::run(&state, move |conn| {
        let linked = store::students::linked_students(conn, caller.user.id)?;
        let mut loggable = Vec::new();
        for student in linked {
            if policy::permitted_actions(conn, &caller, &student, today)?
                .contains(&Action::LogService)
            {
                loggable.push(student);
            }
        }
        let sessions =
            store::services::sessions_logged_by(conn, caller.user.id, MY_SESSIONS_SHOWN)?;
        for student in &loggable {
            policy::log_read(&caller, student, "view_my_sessions")?;
        }
        Ok((loggable, sessions))
    })
    .await?;
    let t = &c.t;
    let page = MySessionsPage {
        students: students
            .into_iter()
            .map(|s| StudentLink {
                id: s.id,
                name: format!("{} {}", s.first_name, s.last_name),
            })
            .collect(),
        sessions: sessions.into_iter().map(|l| session_row(l, t)).collect(),
        c,
    };
    Ok(ok(&page))
}

#[derive(Debug, Clone)]
struct DebtRow {
    id: i64,
    name: String,
    since: Shown,
    balance: u64,
}

#[derive(Template)]
#[template(path = "service_debts.html")]
struct DebtsPage {
    c: Chrome,
    as_of: String,
    rows: Vec<DebtRow>,
}

/// Students of the caller's district who are owed minutes, oldest unpaid period first.
pub async fn district_debts(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let caller = require(&viewer)?.clone();
    let as_of = state.clock.today();
    let lang = c.t.lang;
    let rows = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            // The stored summaries answer; only students whose summary does not hold today
            // (no sweep since a period ended) are computed here.
            let owed = store::services::district_debts(tx, caller.user.district_id, as_of)?;
            let mut rows = Vec::with_capacity(owed.debts.len());
            for debt in owed.debts {
                let student = store::students::get_student(tx, debt.student_id)?;
                policy::log_read(&caller, &student, "view_service_debts")?;
                rows.push(DebtRow {
                    id: student.id,
                    name: format!("{} {}", student.first_name, student.last_name),
                    since: dates::short(debt.since, lang),
                    balance: debt.balance,
                });
            }
            Ok(rows)
        })?)
    })
    .await?;
    Ok(ok(&DebtsPage {
        as_of: dates::long_text(as_of, c.t.lang),
        rows,
        c,
    }))
}
