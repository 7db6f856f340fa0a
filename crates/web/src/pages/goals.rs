//! Goals pages: a student's goals with the measurable-goal check and each goal's decision, the
//! progress reports issued on the IEP's schedule (with the next one's date), the form to write
//! a goal; one goal's accessible chart with its data table beside it, the decision in words,
//! and the form to add a data point.

use super::record_form::{Builder, FormView, Input, choices};
use super::{Chrome, render};
use crate::api_records::path_id;
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
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
use store::goals::{Goal, Point};

#[derive(Debug, Clone)]
struct GoalRow {
    id: i64,
    description: String,
    measure: String,
    not_measurable: Option<String>,
    decision: Option<String>,
    points: usize,
}

/// One issued progress report as the goals page lists it.
#[derive(Debug, Clone)]
struct IssuedRow {
    id: i64,
    reported_on: Shown,
    lang: String,
    issued_on: Option<Shown>,
    link: String,
}

#[derive(Template)]
#[template(path = "goals.html")]
struct GoalsPage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    note: Option<String>,
    goals: Vec<GoalRow>,
    reports: Vec<IssuedRow>,
    next_report: Option<String>,
    goal_form: Option<FormView>,
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    c: Chrome,
    id: i64,
    name: String,
    goal: GoalRow,
    criterion: String,
    note: Option<String>,
    decision_text: Option<String>,
    summary: Option<String>,
    chart_svg: Option<String>,
    table_html: Option<String>,
    points: Vec<(Shown, String, String)>,
    point_form: Option<FormView>,
}

#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn doc_lang(t: &Tr) -> documents::Lang {
    match t.lang {
        Lang::En => documents::Lang::En,
        Lang::Es => documents::Lang::Es,
    }
}

/// "Not measurable: no baseline, no target date", or nothing for a measurable goal.
pub fn not_measurable(goal: &Goal, t: &Tr) -> Option<String> {
    let missing = goal.missing();
    if missing.is_empty() {
        return None;
    }
    let parts: Vec<String> = missing
        .iter()
        .map(|m| t.term("goal-missing", m.as_str()))
        .collect();
    Some(t.with("goal-not-measurable", "missing", parts.join(", ")))
}

fn decision_code(goal: &Goal, points: &[Point]) -> Option<String> {
    let (_, report) = records::progress(goal, points)?;
    let value = serde_json::to_value(report.decision).ok()?;
    value.as_str().map(str::to_owned)
}

fn goal_row(goal: &Goal, points: &[Point], t: &Tr) -> GoalRow {
    GoalRow {
        id: goal.id,
        description: goal.description.clone(),
        measure: goal.measure.clone(),
        not_measurable: not_measurable(goal, t),
        decision: decision_code(goal, points).map(|d| t.term("decision", &d)),
        points: points.len(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<SavedQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = query.saved.is_some().then(|| c.t.get("note-goal-added"));
    goals_page(&state, grant, c, note, &Fields::new(), &[], StatusCode::OK).await
}

async fn goals_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    note: Option<String>,
    fields: &Fields,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let for_read = grant.clone();
    let today = state.clock.today();
    let (goals, reports, next_report) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "view_goals")?;
            let id = for_read.student.id;
            let mut out = Vec::new();
            for goal in store::goals::list_goals(tx, id)? {
                let points = store::goals::points(tx, goal.id)?;
                out.push((goal, points));
            }
            let reports = store::progress_reports::list(tx, id)?;
            let next = store::progress_reports::next_scheduled(tx, id, today)?;
            Ok((out, reports, next))
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let reports = reports
        .iter()
        .map(|r| {
            let reported_on = dates::long_text(r.reported_on, t.lang);
            let kb = ((r.size_bytes + 1023) / 1024).to_string();
            IssuedRow {
                id: r.id,
                link: t.with_args(
                    "progress-reports-download",
                    &[("date", &reported_on), ("kb", &kb)],
                ),
                reported_on: dates::short(r.reported_on, t.lang),
                lang: t.term("progress-report-lang", &r.lang),
                issued_on: dates::day_of(&r.issued_at).map(|d| dates::short(d, t.lang)),
            }
        })
        .collect();
    let name = format!("{} {}", s.first_name, s.last_name);
    let goal_form = grant.permits(Action::WritePlan).then(|| {
        Builder::new(
            t,
            "add-goal",
            "add-goal-heading",
            format!("/students/{}/goals", s.id),
            "add-goal-button",
            fields,
            errors,
        )
        .field("description", Input::LongText, true, "")
        .field("measure", Input::Text, false, "")
        .field("baseline.on", Input::Date, false, "")
        .field("baseline.value", Input::Number, false, "")
        .field("target.on", Input::Date, false, "")
        .field("target.value", Input::Number, false, "")
        .field(
            "direction",
            Input::Choice(choices(t, "direction", &["increase", "decrease"])),
            true,
            "increase",
        )
        .field("criterion", Input::LongText, false, "")
        .build()
    });
    let page = GoalsPage {
        id: s.id,
        heading: t.with("goals-title", "name", &name),
        name,
        note,
        goals: goals.iter().map(|(g, p)| goal_row(g, p, t)).collect(),
        reports,
        next_report: next_report.map(|d| dates::long_text(d, t.lang)),
        goal_form,
        c,
    };
    Ok(render(status, &page))
}

pub async fn add(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let new = match input::goal(&fields) {
        Ok(new) => new,
        Err(errors) => {
            return goals_page(
                &state,
                grant,
                c,
                None,
                &fields,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let id = grant.student.id;
    let goal = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let s = &grant.student;
            store::goals::add_goal(tx, s.district_id, s.id, &new, Some(grant.caller.user.id))
        })?)
    })
    .await?;
    Ok(Redirect::to(&format!("/students/{id}/goals/{}?saved=goal", goal.id)).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<SavedQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let goal_id = path_id(&params, "goal")?;
    let note = query.saved.as_deref().map(|what| match what {
        "goal" => c.t.get("note-goal-added"),
        _ => c.t.get("note-point-added"),
    });
    goal_page(
        &state,
        grant,
        goal_id,
        c,
        note,
        &Fields::new(),
        &[],
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn goal_page(
    state: &AppState,
    grant: Grant,
    goal_id: i64,
    c: Chrome,
    note: Option<String>,
    fields: &Fields,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, AppError> {
    let for_read = grant.clone();
    let (goal, points) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let goal = store::goals::get_goal(tx, for_read.student.id, goal_id)?;
            policy::log_read(&for_read.caller, &for_read.student, "view_goal")?;
            let points = store::goals::points(tx, goal.id)?;
            Ok((goal, points))
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let progress = records::progress(&goal, &points);
    let (decision_text, summary, chart_svg, table_html) = match &progress {
        Some((data, report)) => {
            let lang = doc_lang(t);
            let labels = documents::ChartLabels::new(
                lang,
                format!("goal-{}", goal.id),
                goal.description.clone(),
                goal.measure.clone(),
            );
            let decision = serde_json::to_value(report.decision)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            (
                Some(t.term("decision-long", &decision)),
                Some(documents::progress_summary(data, report, lang)),
                Some(documents::progress_chart_svg(data, report, &labels)),
                Some(documents::progress_table_html(data, report, &labels)),
            )
        }
        None => (None, None, None, None),
    };
    let point_form = grant.permits(Action::LogService).then(|| {
        Builder::new(
            t,
            "add-point",
            "add-point-heading",
            format!("/students/{}/goals/{}/points", s.id, goal.id),
            "add-point-button",
            fields,
            errors,
        )
        .field("on", Input::Date, true, &state.clock.today().to_string())
        .field("value", Input::Number, true, "")
        .field("note", Input::LongText, false, "")
        .build()
    });
    let page = GoalPage {
        id: s.id,
        name: format!("{} {}", s.first_name, s.last_name),
        goal: goal_row(&goal, &points, t),
        criterion: goal.criterion.clone(),
        note,
        decision_text,
        summary,
        chart_svg,
        table_html,
        points: points
            .iter()
            .map(|p| {
                (
                    dates::short(p.on, t.lang),
                    p.value.to_string(),
                    p.note.clone(),
                )
            })
            .collect(),
        point_form,
        c,
    };
    Ok(render(status, &page))
}

pub async fn add_point(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let goal_id = path_id(&params, "goal")?;
    let (on, value, note) = match input::point(&fields, state.clock.today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return goal_page(
                &state,
                grant,
                goal_id,
                c,
                None,
                &fields,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let id = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let s = &grant.student;
            store::goals::add_point(
                tx,
                s.district_id,
                s.id,
                goal_id,
                on,
                value,
                &note,
                Some(grant.caller.user.id),
            )
        })?)
    })
    .await?;
    Ok(Redirect::to(&format!("/students/{id}/goals/{goal_id}?saved=point#chart")).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub struct ReportQuery {
    lang: Option<String>,
}

/// `GET /students/{id}/goals/report.pdf[?lang=en|es]`: the progress report over every goal as a
/// tagged PDF, in the family's language by default; logged as a read of the record.
pub async fn report_pdf(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<ReportQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let lang = match query.lang.as_deref() {
        None => doc_lang(&c.t),
        Some("en") => documents::Lang::En,
        Some("es") => documents::Lang::Es,
        Some(_) => return Err(AppError::invalid("lang", "en or es")),
    };
    let for_read = grant.clone();
    let goals = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "print_progress_report")?;
            let mut out = Vec::new();
            for goal in store::goals::list_goals(tx, for_read.student.id)? {
                let points = store::goals::points(tx, goal.id)?;
                out.push((goal, points));
            }
            Ok(out)
        })?)
    })
    .await?;
    let bytes = crate::print::progress_report_pdf(&grant.student, &goals, lang)
        .map_err(|_| AppError::Internal("the progress report could not be rendered"))?;
    Ok(super::pdf_response(
        bytes,
        &format!("progress-report-{}-{}.pdf", grant.student.id, lang.code()),
        super::Disposition::Inline,
    ))
}

/// `GET /students/{id}/progress-reports/{report}`: one issued progress report, the PDF exactly
/// as it was issued (its SHA-256 is stored beside it); logged as a read of the record.
pub async fn issued_report(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let report_id: i64 = params
        .get("report")
        .and_then(|v| v.parse().ok())
        .ok_or(AppError::NotFound)?;
    let student_id = grant.student.id;
    let stored = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let found = store::progress_reports::get(tx, grant.student.id, report_id)?;
            if found.is_some() {
                policy::log_read(&grant.caller, &grant.student, "download_progress_report")?;
            }
            Ok(found)
        })?)
    })
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(super::pdf_response(
        stored.content,
        &format!(
            "progress-report-{student_id}-{}-{}.pdf",
            stored.info.reported_on, stored.info.lang
        ),
        super::Disposition::Attachment,
    ))
}
