//! IEP and 504 plan pages: a student's versions, one version section by section with what it
//! still lacks (and the rule that asks for it), the section editor (a stale save comes back
//! with the other person's changes shown and nothing lost), the lifecycle buttons (share with
//! the family, finalize, amend, end), the family's comments on a shared draft, the teachers'
//! acknowledgements with reminders, and each teacher's list of accommodations to acknowledge.
//! Sections are described once as data (`sections`): the editor, the parser and the read-only
//! view all walk the same description.

use super::{Chrome, render};
use crate::api_plans;
use crate::api_records::path_id;
use crate::dates::{self, Shown};
use crate::db;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::policy::{self, Grant, Viewer};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::access::Action;
use domain::plan::{PlanKind, PlanStatus, visible_to};
use domain::plan_content as pc;
use serde_json::{Value, json};
use std::collections::HashMap;
use store::StoreError;
use store::plans::{self, PlanRecord};

type Fields = Vec<(String, String)>;

/// How one field is entered and shown.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    Long,
    Date,
    /// A whole number.
    Int,
    /// Any number.
    Real,
    /// One of these codes, shown through `{prefix}-{code}`.
    Choice(&'static [&'static str], &'static str),
    Check,
    /// A list of short texts, one a line.
    Lines,
    /// A list of dates, one a line.
    Dates,
    /// Carried through the form unseen (the record a row became).
    Hidden,
}

#[derive(Debug, Clone, Copy)]
struct Def {
    key: &'static str,
    kind: Kind,
}

const fn f(key: &'static str, kind: Kind) -> Def {
    Def { key, kind }
}

/// A part of a section: single fields (paths such as `meeting.on`) or a list of rows.
#[derive(Debug, Clone, Copy)]
enum Part {
    Fields(&'static [Def]),
    Rows {
        key: &'static str,
        fields: &'static [Def],
        blank: usize,
    },
}

const DIRECTIONS: &[&str] = &["increase", "decrease"];

const SUPPORT: &[Def] = &[
    f("description", Kind::Long),
    f("provider", Kind::Text),
    f("setting", Kind::Text),
];

const IEP: &[(&str, &[Part])] = &[
    (
        "meeting",
        &[Part::Fields(&[
            f("meeting.on", Kind::Date),
            f("meeting.purpose", Kind::Choice(pc::IEP_PURPOSES, "purpose")),
        ])],
    ),
    (
        "present_levels",
        &[Part::Fields(&[f("present_levels", Kind::Long)])],
    ),
    (
        "goals",
        &[Part::Rows {
            key: "goals",
            fields: &[
                f("area", Kind::Text),
                f("description", Kind::Long),
                f("measure", Kind::Text),
                f("baseline", Kind::Real),
                f("baseline_on", Kind::Date),
                f("target", Kind::Real),
                f("by", Kind::Date),
                f("criterion", Kind::Text),
                f("direction", Kind::Choice(DIRECTIONS, "direction")),
                f("objectives", Kind::Lines),
                f("goal_id", Kind::Hidden),
            ],
            blank: 1,
        }],
    ),
    (
        "progress_reporting",
        &[Part::Fields(&[
            f("progress_reporting", Kind::Long),
            f("progress_report_dates", Kind::Dates),
        ])],
    ),
    (
        "services",
        &[Part::Rows {
            key: "services",
            fields: &[
                f(
                    "category",
                    Kind::Choice(pc::SERVICE_CATEGORIES, "service-category"),
                ),
                f("service", Kind::Text),
                f("provider_role", Kind::Text),
                f("minutes", Kind::Int),
                f("per", Kind::Choice(pc::SERVICE_PERIODS, "per")),
                f("setting", Kind::Text),
                f("start", Kind::Date),
                f("end", Kind::Date),
                f("service_id", Kind::Hidden),
            ],
            blank: 1,
        }],
    ),
    (
        "accommodations",
        &[
            Part::Rows {
                key: "accommodations",
                fields: SUPPORT,
                blank: 1,
            },
            Part::Rows {
                key: "modifications",
                fields: SUPPORT,
                blank: 1,
            },
        ],
    ),
    (
        "assessment",
        &[Part::Fields(&[
            f(
                "assessment.participation",
                Kind::Choice(pc::ASSESSMENT_PARTICIPATION, "participation"),
            ),
            f("assessment.accommodations", Kind::Long),
            f("assessment.alternate_reason", Kind::Long),
        ])],
    ),
    (
        "lre",
        &[Part::Fields(&[
            f("lre.setting", Kind::Choice(pc::LRE_SETTINGS, "lre-setting")),
            f("lre.regular_class_percent", Kind::Int),
            f("lre.removal_explanation", Kind::Long),
        ])],
    ),
    (
        "esy",
        &[Part::Fields(&[
            f("esy.decision", Kind::Choice(pc::ESY_DECISIONS, "esy")),
            f("esy.note", Kind::Long),
        ])],
    ),
    (
        "transition",
        &[Part::Fields(&[
            f("transition.postsecondary_goals", Kind::Long),
            f("transition.services", Kind::Long),
            f("transition.course_of_study", Kind::Long),
            f("age_of_majority_statement", Kind::Long),
        ])],
    ),
    (
        "team",
        &[
            Part::Rows {
                key: "team",
                fields: &[
                    f("name", Kind::Text),
                    f("role", Kind::Choice(pc::TEAM_ROLES, "team-role")),
                    f("attendance", Kind::Choice(pc::ATTENDANCE, "attendance")),
                    f("excusal_in_writing", Kind::Check),
                    f("interprets_evaluations", Kind::Check),
                ],
                blank: 2,
            },
            Part::Fields(&[f(
                "parent_participation",
                Kind::Choice(pc::PARENT_PARTICIPATION, "participation-parent"),
            )]),
        ],
    ),
];

const PLAN504: &[(&str, &[Part])] = &[
    (
        "meeting",
        &[Part::Fields(&[
            f("meeting.on", Kind::Date),
            f(
                "meeting.purpose",
                Kind::Choice(pc::PLAN504_PURPOSES, "purpose"),
            ),
        ])],
    ),
    (
        "eligibility",
        &[Part::Fields(&[
            f("impairment", Kind::Long),
            f("major_life_activities", Kind::Lines),
        ])],
    ),
    (
        "accommodations",
        &[Part::Rows {
            key: "accommodations",
            fields: SUPPORT,
            blank: 1,
        }],
    ),
    (
        "review",
        &[Part::Fields(&[
            f("review_on", Kind::Date),
            f("coordinator", Kind::Text),
        ])],
    ),
];

/// The LRE section for a child aged 3–5 not in kindergarten on the day the IEP takes effect:
/// a regular early-childhood program (hours a week, where most services are received) or a
/// separate setting, which map to the FS089 codes (`domain::codes::early_childhood_environment`).
const LRE_EARLY_CHILDHOOD: &[Part] = &[Part::Fields(&[
    f(
        "lre.setting",
        Kind::Choice(pc::LRE_EC_SETTINGS, "lre-setting"),
    ),
    f(
        "lre.ec_program_hours",
        Kind::Choice(&domain::codes::EC_PROGRAM_HOURS, "lre-ec-hours"),
    ),
    f(
        "lre.ec_services_location",
        Kind::Choice(&domain::codes::EC_SERVICES_LOCATIONS, "lre-ec-services"),
    ),
    f("lre.removal_explanation", Kind::Long),
])];

/// Whether an IEP is written for a child in the early-childhood environments (3–5, not in
/// kindergarten) on the day it takes effect (today for a draft with no dates yet).
fn early_childhood(
    student: &store::students::Student,
    plan: &PlanRecord,
    today: domain::Date,
) -> bool {
    if plan.kind != PlanKind::Iep {
        return false;
    }
    let Ok(content) = plans::iep(plan) else {
        return false;
    };
    let on = content.starts_on().unwrap_or(today);
    let kindergarten = student
        .grade
        .as_deref()
        .is_some_and(domain::codes::is_kindergarten);
    domain::codes::is_early_childhood(
        law::eligibility::age_on(student.birth_date, on).map_or(-1, i64::from),
        kindergarten,
    )
}

fn sections(kind: PlanKind) -> &'static [(&'static str, &'static [Part])] {
    match kind {
        PlanKind::Iep => IEP,
        _ => PLAN504,
    }
}

fn section_parts(kind: PlanKind, name: &str, early: bool) -> Option<&'static [Part]> {
    if early && kind == PlanKind::Iep && name == "lre" {
        return Some(LRE_EARLY_CHILDHOOD);
    }
    sections(kind)
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, parts)| *parts)
}

/// The label of a field: `pf-{path with dots and underscores as dashes}`.
fn label(t: &Tr, path: &str) -> String {
    t.get(&format!("pf-{}", path.replace(['.', '_'], "-")))
}

fn html_id(name: &str) -> String {
    format!("f-{}", name.replace(['.', '_'], "-"))
}

fn get_path<'a>(content: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(content, |v, key| match key.parse::<usize>() {
            Ok(i) => v.get(i).unwrap_or(&Value::Null),
            Err(_) => v.get(key).unwrap_or(&Value::Null),
        })
}

fn set_path(content: &mut Value, path: &str, value: Value) {
    let mut here = content;
    let keys: Vec<&str> = path.split('.').collect();
    for (i, key) in keys.iter().enumerate() {
        if !here.is_object() {
            *here = json!({});
        }
        let map = here.as_object_mut().expect("an object");
        if i + 1 == keys.len() {
            map.insert((*key).to_owned(), value);
            return;
        }
        here = map.entry((*key).to_owned()).or_insert_with(|| json!({}));
    }
}

/// A stored value as the form shows it.
fn as_input(value: &Value, kind: Kind) -> String {
    match (value, kind) {
        (Value::Null, _) => String::new(),
        (Value::String(s), _) => s.clone(),
        (Value::Bool(b), _) => if *b { "on" } else { "" }.to_owned(),
        (Value::Array(items), _) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        (other, _) => other.to_string(),
    }
}

/// A stored value as the read-only view shows it.
fn as_display(value: &Value, kind: Kind, t: &Tr) -> String {
    match kind {
        Kind::Choice(_, prefix) => match value.as_str() {
            Some(code) if !code.is_empty() => t.term(prefix, code),
            _ => String::new(),
        },
        Kind::Check => t.get(if value.as_bool() == Some(true) {
            "yes"
        } else {
            "no"
        }),
        Kind::Date => dates::long_if_date(&as_input(value, kind), t.lang),
        Kind::Dates => as_input(value, kind)
            .lines()
            .map(|d| dates::long_if_date(d, t.lang))
            .collect::<Vec<_>>()
            .join("; "),
        Kind::Lines => as_input(value, kind).replace('\n', "; "),
        _ => as_input(value, kind),
    }
}

/// A stored value in a table cell: dates in the short form.
fn as_cell(value: &Value, kind: Kind, t: &Tr) -> String {
    match kind {
        Kind::Date => dates::short_if_date(&as_input(value, kind), t.lang),
        _ => as_display(value, kind, t),
    }
}

/// One field of the section editor.
#[derive(Debug, Clone)]
pub struct FieldView {
    id: String,
    name: String,
    label: String,
    input: &'static str,
    value: String,
    options: Vec<(String, String)>,
    error: Option<String>,
    hint: Option<String>,
    checked: bool,
}

#[derive(Debug, Clone)]
pub struct GroupView {
    legend: Option<String>,
    fields: Vec<FieldView>,
    hidden: Vec<(String, String)>,
}

fn field_view(
    t: &Tr,
    def: &Def,
    name: String,
    label_path: &str,
    value: String,
    errors: &[(String, String)],
) -> FieldView {
    let (input, options) = match def.kind {
        Kind::Text => ("text", Vec::new()),
        Kind::Long | Kind::Lines | Kind::Dates => ("textarea", Vec::new()),
        Kind::Date => ("date", Vec::new()),
        Kind::Int | Kind::Real => ("number", Vec::new()),
        Kind::Check => ("checkbox", Vec::new()),
        Kind::Hidden => ("hidden", Vec::new()),
        Kind::Choice(codes, prefix) => {
            let mut options = vec![(String::new(), t.get("pf-choose"))];
            options.extend(
                codes
                    .iter()
                    .map(|code| ((*code).to_owned(), t.term(prefix, code))),
            );
            ("select", options)
        }
    };
    let hint = match def.kind {
        Kind::Date => Some(t.get("hint-date")),
        Kind::Lines => Some(t.get("pf-hint-lines")),
        Kind::Dates => Some(t.get("pf-hint-dates")),
        _ => None,
    };
    let id = html_id(&name);
    FieldView {
        error: errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.clone()),
        checked: value == "on" || value == "true",
        label: label(t, label_path),
        id,
        name,
        input,
        value,
        options,
        hint,
    }
}

/// The groups of fields of one section, filled from `content` or from what was submitted.
fn groups(
    t: &Tr,
    parts: &[Part],
    content: &Value,
    submitted: Option<&Fields>,
    errors: &[(String, String)],
) -> Vec<GroupView> {
    let value_of = |name: &str, def: &Def, stored: &Value| -> String {
        match submitted {
            Some(fields) => fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .next_back()
                .unwrap_or_default(),
            None => as_input(stored, def.kind),
        }
    };
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Fields(defs) => {
                let mut group = GroupView {
                    legend: None,
                    fields: Vec::new(),
                    hidden: Vec::new(),
                };
                for def in *defs {
                    let value = value_of(def.key, def, get_path(content, def.key));
                    group.fields.push(field_view(
                        t,
                        def,
                        def.key.to_owned(),
                        def.key,
                        value,
                        errors,
                    ));
                }
                out.push(group);
            }
            Part::Rows { key, fields, blank } => {
                let stored = content
                    .get(*key)
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                let rows = match submitted {
                    Some(sub) => row_count(sub, key).max(stored),
                    None => stored + blank,
                };
                for i in 0..rows {
                    let legend = if i < stored {
                        t.with(&format!("pf-row-{key}"), "n", i + 1)
                    } else {
                        t.get(&format!("pf-new-{key}"))
                    };
                    let mut group = GroupView {
                        legend: Some(legend),
                        fields: Vec::new(),
                        hidden: Vec::new(),
                    };
                    for def in *fields {
                        let name = format!("{key}.{i}.{}", def.key);
                        let stored_value = get_path(content, &name);
                        let value = value_of(&name, def, stored_value);
                        if matches!(def.kind, Kind::Hidden) {
                            group.hidden.push((name, value));
                            continue;
                        }
                        group.fields.push(field_view(
                            t,
                            def,
                            name,
                            &format!("{key}.{}", def.key),
                            value,
                            errors,
                        ));
                    }
                    out.push(group);
                }
            }
        }
    }
    out
}

/// How many rows of list `key` a submitted form carries.
fn row_count(fields: &Fields, key: &str) -> usize {
    fields
        .iter()
        .filter_map(|(k, _)| k.strip_prefix(&format!("{key}.")))
        .filter_map(|rest| rest.split('.').next()?.parse::<usize>().ok())
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

/// Parses one field's text into its JSON value, or the message id of what was expected.
fn parse_value(text: &str, kind: Kind) -> Result<Value, &'static str> {
    let text = text.trim();
    match kind {
        Kind::Text | Kind::Long => Ok(json!(text)),
        Kind::Choice(codes, _) => {
            if text.is_empty() || codes.contains(&text) {
                Ok(json!(text))
            } else {
                Err("pf-error-choice")
            }
        }
        Kind::Date if text.is_empty() => Ok(Value::Null),
        Kind::Date => text
            .parse::<domain::Date>()
            .map(|d| json!(d))
            .map_err(|_| "pf-error-date"),
        Kind::Int | Kind::Hidden if text.is_empty() => Ok(Value::Null),
        Kind::Int | Kind::Hidden => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(|n| json!(n))
            .ok_or("pf-error-whole"),
        Kind::Real if text.is_empty() => Ok(Value::Null),
        Kind::Real => text
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| json!(n))
            .ok_or("pf-error-number"),
        Kind::Check => Ok(json!(!text.is_empty())),
        Kind::Lines => Ok(json!(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        )),
        Kind::Dates => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.parse::<domain::Date>().map(|d| json!(d)))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array)
            .map_err(|_| "pf-error-dates"),
    }
}

/// Reads a submitted section into `content` (a copy of the version's); rows left empty are
/// dropped. Returns the field errors (html name, message) when some field is malformed.
fn read_section(
    t: &Tr,
    parts: &[Part],
    fields: &Fields,
    content: &mut Value,
) -> Vec<(String, String)> {
    let text_of = |name: &str| -> String {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .next_back()
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    for part in parts {
        match part {
            Part::Fields(defs) => {
                for def in *defs {
                    match parse_value(&text_of(def.key), def.kind) {
                        Ok(v) => set_path(content, def.key, v),
                        Err(msg) => errors.push((def.key.to_owned(), t.get(msg))),
                    }
                }
            }
            Part::Rows {
                key, fields: defs, ..
            } => {
                let mut rows = Vec::new();
                for i in 0..row_count(fields, key) {
                    let mut row = json!({});
                    let mut filled = false;
                    for def in *defs {
                        let name = format!("{key}.{i}.{}", def.key);
                        let text = text_of(&name);
                        let counts = matches!(
                            def.kind,
                            Kind::Text
                                | Kind::Long
                                | Kind::Lines
                                | Kind::Dates
                                | Kind::Int
                                | Kind::Real
                        );
                        filled |= counts && !text.trim().is_empty();
                        match parse_value(&text, def.kind) {
                            Ok(v) => set_path(&mut row, def.key, v),
                            Err(msg) => errors.push((name, t.get(msg))),
                        }
                    }
                    if filled {
                        rows.push(row);
                    }
                }
                set_path(content, key, Value::Array(rows));
            }
        }
    }
    errors
}

/// A section as the read-only view shows it.
#[derive(Debug, Clone)]
pub struct SectionView {
    name: String,
    heading: String,
    pairs: Vec<(String, String)>,
    tables: Vec<TableView>,
    problems: Vec<String>,
    edit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TableView {
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn problem_text(p: &pc::Problem, t: &Tr) -> String {
    let mut text = t.term("problem", p.code);
    if let Some(i) = p.item {
        text = format!("{} {}: {text}", t.get("pf-item"), i + 1);
    }
    if !p.missing.is_empty() {
        let missing: Vec<String> = p.missing.iter().map(|m| t.term("goal-gap", m)).collect();
        text = format!("{text} ({})", missing.join(", "));
    }
    format!("{text} — {}", p.citation)
}

fn section_views(
    t: &Tr,
    plan: &PlanRecord,
    problems: &[pc::Problem],
    editable: bool,
    env_code: Option<&str>,
    early: bool,
) -> Vec<SectionView> {
    let content = &plan.content;
    sections(plan.kind)
        .iter()
        .map(|(name, parts)| {
            let parts = section_parts(plan.kind, name, early).unwrap_or(parts);
            let mut view = SectionView {
                name: (*name).to_owned(),
                heading: t.term("section", name),
                pairs: Vec::new(),
                tables: Vec::new(),
                problems: problems
                    .iter()
                    .filter(|p| p.section == *name)
                    .map(|p| problem_text(p, t))
                    .collect(),
                edit: editable.then(|| {
                    format!(
                        "/students/{}/plans/{}/sections/{name}",
                        plan.student_id, plan.id
                    )
                }),
            };
            for part in parts {
                match part {
                    Part::Fields(defs) => {
                        for def in *defs {
                            view.pairs.push((
                                label(t, def.key),
                                as_display(get_path(content, def.key), def.kind, t),
                            ));
                        }
                    }
                    Part::Rows { key, fields, .. } => {
                        let shown: Vec<&Def> = fields
                            .iter()
                            .filter(|d| !matches!(d.kind, Kind::Hidden))
                            .collect();
                        let rows = content
                            .get(*key)
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default();
                        view.tables.push(TableView {
                            caption: t.term("rows", key),
                            header: shown
                                .iter()
                                .map(|d| label(t, &format!("{key}.{}", d.key)))
                                .collect(),
                            rows: rows
                                .iter()
                                .map(|row| {
                                    shown
                                        .iter()
                                        .map(|d| as_cell(get_path(row, d.key), d.kind, t))
                                        .collect()
                                })
                                .collect(),
                        });
                    }
                }
            }
            if *name == "lre" {
                view.pairs.push((
                    t.get("pf-environment-code"),
                    env_code.map_or_else(|| t.get("pf-none"), str::to_owned),
                ));
            }
            view
        })
        .collect()
}

#[derive(Debug, serde::Deserialize)]
pub struct NoteQuery {
    saved: Option<String>,
}

fn student_name(grant: &Grant) -> String {
    format!("{} {}", grant.student.first_name, grant.student.last_name)
}

fn plan_title(t: &Tr, kind: PlanKind) -> String {
    t.term("plan-kind", kind.as_str())
}

#[derive(Debug, Clone)]
pub struct VersionRow {
    id: i64,
    version: i64,
    status: String,
    updated: Option<Shown>,
    summary: String,
}

#[derive(Debug, Clone)]
pub struct KindView {
    heading: String,
    anchor: String,
    versions: Vec<VersionRow>,
    /// The kind code, when the caller may start a new draft of it.
    start: Option<String>,
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    note: Option<String>,
    kinds: Vec<KindView>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<NoteQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let for_read = grant.clone();
    let versions = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            policy::log_read(&for_read.caller, &for_read.student, "view_plans")?;
            plans::list(tx, for_read.student.id)
        })?)
    })
    .await?;
    let t = &c.t;
    let role = grant.caller.user.role;
    let kinds = plans::KINDS
        .iter()
        .map(|&kind| {
            let mine: Vec<&PlanRecord> = versions
                .iter()
                .filter(|p| p.kind == kind && visible_to(role, p.status))
                .collect();
            let open = versions
                .iter()
                .any(|p| p.kind == kind && p.status.editable());
            KindView {
                heading: plan_title(t, kind),
                anchor: kind.as_str().to_owned(),
                versions: mine
                    .iter()
                    .map(|p| VersionRow {
                        id: p.id,
                        version: p.version,
                        status: t.term("plan-status", p.status.as_str()),
                        updated: dates::day_of(&p.updated_at).map(|d| dates::short(d, t.lang)),
                        summary: p.change_summary.clone().unwrap_or_default(),
                    })
                    .collect(),
                start: (grant.permits(Action::WritePlan) && !open)
                    .then(|| kind.as_str().to_owned()),
            }
        })
        .collect();
    let name = student_name(&grant);
    let page = PlansPage {
        id: grant.student.id,
        heading: t.with("plans-title", "name", &name),
        name,
        note: query.saved.map(|_| t.get("note-plan-saved")),
        kinds,
        c,
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let kind = fields
        .iter()
        .find(|(k, _)| k == "kind")
        .and_then(|(_, v)| PlanKind::parse(v))
        .filter(|k| plans::KINDS.contains(k))
        .ok_or_else(|| AppError::invalid("kind", "`kind`: iep or plan504"))?;
    let id = grant.student.id;
    let plan = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let s = &grant.student;
            plans::create(
                tx,
                s.district_id,
                s.id,
                kind,
                &json!({}),
                Some(grant.caller.user.id),
            )
        })?)
    })
    .await?;
    Ok(saved(id, plan.id, "created"))
}

#[derive(Debug, Clone)]
pub struct Ack {
    teacher: String,
    acknowledged: Option<Shown>,
    reminders: i64,
    last_reminded: Option<Shown>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    id: i64,
    plan_id: i64,
    name: String,
    heading: String,
    status_line: String,
    note: Option<String>,
    alert: Option<String>,
    revision: i64,
    change_summary: Option<String>,
    changed: Vec<String>,
    problems_count: usize,
    sections: Vec<SectionView>,
    comments: Vec<(String, Option<Shown>, String)>,
    may_comment: bool,
    acks: Vec<Ack>,
    show_acks: bool,
    may_remind: bool,
    may_acknowledge: bool,
    accommodations: Vec<(String, String, String)>,
    /// (status code, button label) the caller may move the version to.
    moves: Vec<(String, String)>,
    may_amend: bool,
    draft_banner: bool,
}

struct Loaded {
    plan: PlanRecord,
    problems: Vec<pc::Problem>,
    env_code: Option<&'static str>,
    early: bool,
    changed: Vec<String>,
    comments: Vec<plans::Comment>,
    deliveries: Vec<plans::Delivery>,
}

async fn load(
    state: &AppState,
    grant: &Grant,
    id: i64,
    action: &'static str,
) -> Result<Loaded, AppError> {
    let grant = grant.clone();
    let today = state.clock.today();
    db::run(state, move |conn| {
        Ok(conn.transaction(|tx| {
            let plan = api_plans::visible(tx, &grant, id)?;
            policy::log_read(&grant.caller, &grant.student, action)?;
            let ages = plans::student_ages(tx, plan.student_id)?;
            let problems = plans::problems(&plan, &ages)?;
            let env_code = match plan.kind {
                PlanKind::Iep => plans::iep(&plan)?.lre.environment_code(),
                _ => None,
            };
            Ok(Loaded {
                early: early_childhood(&grant.student, &plan, today),
                changed: plans::changes_from_previous(tx, &plan)?,
                comments: plans::comments(tx, plan.id)?,
                deliveries: plans::deliveries(tx, plan.id)?,
                plan,
                problems,
                env_code,
            })
        })?)
    })
    .await
}

/// Back to the plan after a change, with the note for `what` (`section`, `amended`, a status;
/// any `#fragment` after it names where on the page to land).
fn saved(student: i64, plan: i64, what: &str) -> Response {
    Redirect::to(&format!("/students/{student}/plans/{plan}?saved={what}")).into_response()
}

/// The plan's page again with why a change was refused, answering `status`.
async fn refused(
    state: &AppState,
    grant: Grant,
    id: i64,
    c: Chrome,
    alert: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    version_page(state, grant, id, c, None, Some(alert), status).await
}

async fn version_page(
    state: &AppState,
    grant: Grant,
    id: i64,
    c: Chrome,
    note: Option<String>,
    alert: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let loaded = load(state, &grant, id, "view_plan").await?;
    let t = &c.t;
    let plan = &loaded.plan;
    let writes = grant.permits(Action::WritePlan);
    let editable = writes && plan.status.editable();
    let name = student_name(&grant);
    let me = grant.caller.user.id;
    let mine = loaded.deliveries.iter().find(|d| d.teacher_id == me);
    let mut moves = Vec::new();
    if writes {
        let targets: &[PlanStatus] = match plan.status {
            PlanStatus::Draft => &[PlanStatus::Shared, PlanStatus::Finalized],
            PlanStatus::Shared => &[PlanStatus::Draft, PlanStatus::Finalized],
            PlanStatus::Finalized => &[PlanStatus::Ended],
            _ => &[],
        };
        moves = targets
            .iter()
            .map(|s| (s.as_str().to_owned(), t.term("move-to", s.as_str())))
            .collect();
    }
    let role = grant.caller.user.role;
    // The team and the family see every teacher's line; a teacher sees their own.
    let everyone = writes
        || role.is_district_wide()
        || matches!(
            role,
            domain::people::Role::Parent | domain::people::Role::Student
        );
    let acks = loaded
        .deliveries
        .iter()
        .filter(|d| everyone || d.teacher_id == me)
        .map(|d| Ack {
            teacher: d.teacher.clone(),
            acknowledged: d
                .acknowledged_at
                .as_deref()
                .and_then(dates::day_of)
                .map(|day| dates::short(day, t.lang)),
            reminders: d.reminders,
            last_reminded: d
                .last_reminded_at
                .as_deref()
                .and_then(|at| dates::instant_of(at, t.lang)),
        })
        .collect::<Vec<_>>();
    let accommodations = plans::accommodations(plan)
        .map_err(AppError::from)?
        .into_iter()
        .map(|s| (s.description, s.provider, s.setting))
        .collect();
    let page = PlanPage {
        id: grant.student.id,
        plan_id: plan.id,
        heading: t.with_args(
            "plan-heading",
            &[
                ("plan", &plan_title(t, plan.kind)),
                ("name", &name),
                ("version", &plan.version.to_string()),
            ],
        ),
        status_line: t.with(
            "plan-status-line",
            "status",
            t.term("plan-status", plan.status.as_str()),
        ),
        name,
        note,
        alert,
        revision: plan.revision,
        change_summary: plan.change_summary.clone(),
        changed: loaded
            .changed
            .iter()
            .map(|s| t.term("section", s))
            .collect(),
        problems_count: loaded.problems.len(),
        sections: section_views(
            t,
            plan,
            &loaded.problems,
            editable,
            loaded.env_code,
            loaded.early,
        ),
        comments: loaded
            .comments
            .iter()
            .map(|cm| {
                (
                    format!("{} ({})", cm.author, t.term("role", &cm.role)),
                    dates::day_of(&cm.at).map(|day| dates::long(day, t.lang)),
                    cm.body.clone(),
                )
            })
            .collect(),
        may_comment: plan.status.editable() && grant.permits(Action::CommentOnPlan),
        show_acks: plan.status != PlanStatus::Draft && plan.status != PlanStatus::Shared,
        acks,
        may_remind: writes
            && plan.status == PlanStatus::Finalized
            && loaded
                .deliveries
                .iter()
                .any(|d| d.acknowledged_at.is_none()),
        may_acknowledge: plan.status == PlanStatus::Finalized
            && grant.permits(Action::AcknowledgeAccommodations)
            && mine.is_none_or(|d| d.acknowledged_at.is_none()),
        accommodations,
        moves,
        may_amend: writes && plan.status == PlanStatus::Finalized,
        draft_banner: plan.status.editable(),
        c,
    };
    Ok(render(status, &page))
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<NoteQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let note = query
        .saved
        .as_deref()
        .map(|what| c.t.term("note-plan", what));
    version_page(&state, grant, id, c, note, None, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "plan_section.html")]
struct SectionPage {
    c: Chrome,
    id: i64,
    plan_id: i64,
    heading: String,
    plan_heading: String,
    action: String,
    revision: i64,
    groups: Vec<GroupView>,
    /// Whether the section has lists of rows (the "to remove a row" hint).
    has_rows: bool,
    errors: Vec<(String, String)>,
    alert: Option<String>,
    /// The other person's version of this section, after a stale save.
    theirs: Option<SectionView>,
    problems: Vec<String>,
}

fn field_section(
    plan: &PlanRecord,
    section: &str,
    early: bool,
) -> Result<&'static [Part], AppError> {
    section_parts(plan.kind, section, early).ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
fn section_page(
    c: Chrome,
    grant: &Grant,
    plan: &PlanRecord,
    section: &str,
    submitted: Option<&Fields>,
    errors: Vec<(String, String)>,
    alert: Option<String>,
    theirs: Option<SectionView>,
    problems: Vec<String>,
    status: StatusCode,
    today: domain::Date,
) -> Result<Response, AppError> {
    let early = early_childhood(&grant.student, plan, today);
    let parts = field_section(plan, section, early)?;
    let t = &c.t;
    let groups = groups(t, parts, &plan.content, submitted, &errors);
    let page = SectionPage {
        id: grant.student.id,
        plan_id: plan.id,
        heading: t.with(
            "section-edit-heading",
            "section",
            t.term("section", section),
        ),
        plan_heading: t.with_args(
            "plan-heading",
            &[
                ("plan", &plan_title(t, plan.kind)),
                ("name", &student_name(grant)),
                ("version", &plan.version.to_string()),
            ],
        ),
        action: format!(
            "/students/{}/plans/{}/sections/{section}",
            grant.student.id, plan.id
        ),
        revision: plan.revision,
        has_rows: groups.iter().any(|g| g.legend.is_some()),
        groups,
        errors,
        alert,
        theirs,
        problems,
        c,
    };
    Ok(render(status, &page))
}

async fn editable_plan(state: &AppState, grant: &Grant, id: i64) -> Result<PlanRecord, AppError> {
    let grant = grant.clone();
    let plan = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let plan = plans::get(tx, grant.student.id, id)?;
            policy::log_read(&grant.caller, &grant.student, "edit_plan")?;
            Ok(plan)
        })?)
    })
    .await?;
    if !plan.status.editable() {
        return Err(AppError::Conflict(
            "this version is finalized and never changes; amend it with a new version".into(),
        ));
    }
    Ok(plan)
}

pub async fn section_form(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let section = params.get("section").cloned().unwrap_or_default();
    let plan = editable_plan(&state, &grant, id).await?;
    let today = state.clock.today();
    let ages = {
        let s = grant.student.id;
        db::run(&state, move |conn| Ok(plans::student_ages(conn, s)?)).await?
    };
    let problems = plans::problems(&plan, &ages)?
        .iter()
        .filter(|p| p.section == section)
        .map(|p| problem_text(p, &c.t))
        .collect();
    section_page(
        c,
        &grant,
        &plan,
        &section,
        None,
        Vec::new(),
        None,
        None,
        problems,
        StatusCode::OK,
        today,
    )
}

pub async fn save_section(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let section = params.get("section").cloned().unwrap_or_default();
    let plan = editable_plan(&state, &grant, id).await?;
    let today = state.clock.today();
    let parts = field_section(
        &plan,
        &section,
        early_childhood(&grant.student, &plan, today),
    )?;
    let revision: i64 = fields
        .iter()
        .find(|(k, _)| k == "revision")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| AppError::invalid("revision", "`revision`: a whole number"))?;
    let mut content = plan.content.clone();
    let errors = read_section(&c.t, parts, &fields, &mut content);
    if !errors.is_empty() {
        return section_page(
            c,
            &grant,
            &plan,
            &section,
            Some(&fields),
            errors,
            None,
            None,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            today,
        );
    }
    // Only this section's keys are taken from the form; the rest is the stored version's,
    // read again inside the saving transaction's compare-and-set.
    let keys: Vec<String> = parts
        .iter()
        .flat_map(|p| match p {
            Part::Fields(defs) => defs
                .iter()
                .map(|d| d.key.split('.').next().unwrap_or(d.key).to_owned())
                .collect::<Vec<_>>(),
            Part::Rows { key, .. } => vec![(*key).to_owned()],
        })
        .collect();
    let for_save = grant.clone();
    let result = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let stored = plans::get(tx, for_save.student.id, id)?;
            let mut merged = stored.content.clone();
            for key in &keys {
                if let Some(v) = content.get(key) {
                    merged[key.as_str()] = v.clone();
                }
            }
            // Compare against the editor's revision, not the stored one.
            api_plans::save_in(tx, &for_save, id, revision, &merged)
        }))
    })
    .await?;
    let sid = grant.student.id;
    match result {
        Ok(Ok(_)) => Ok(saved(sid, id, &format!("section#section-{section}"))),
        Ok(Err(stale)) => {
            let t = &c.t;
            let who = stale
                .changed_by
                .clone()
                .unwrap_or_else(|| t.get("someone-else"));
            let changed: Vec<String> = stale
                .changed_sections
                .iter()
                .map(|s| t.term("section", s))
                .collect();
            let alert = t.with_args(
                "stale-save",
                &[("who", &who), ("sections", &changed.join(", "))],
            );
            let early = early_childhood(&grant.student, &stale.current, today);
            let theirs = section_views(t, &stale.current, &[], false, None, early)
                .into_iter()
                .find(|v| v.name == section);
            // The form keeps what this editor typed, now against the current revision.
            section_page(
                c,
                &grant,
                &stale.current,
                &section,
                Some(&fields),
                Vec::new(),
                Some(alert),
                theirs,
                Vec::new(),
                StatusCode::CONFLICT,
                today,
            )
        }
        Err(StoreError::Invalid(detail)) => section_page(
            c,
            &grant,
            &plan,
            &section,
            Some(&fields),
            Vec::new(),
            Some(detail),
            None,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            today,
        ),
        Err(e) => Err(e.into()),
    }
}

fn field(fields: &Fields, name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

pub async fn change_status(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let to = PlanStatus::parse(&field(&fields, "to"))
        .ok_or_else(|| AppError::invalid("to", "`to`: draft, shared, finalized or ended"))?;
    let revision: i64 = field(&fields, "revision")
        .parse()
        .map_err(|_| AppError::invalid("revision", "`revision`: a whole number"))?;
    let today = state.clock.today();
    let for_tx = grant.clone();
    let result = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| api_plans::transition_in(tx, &for_tx, id, revision, to, today)))
    })
    .await?;
    match result {
        Ok(done) => Ok(saved(grant.student.id, done.plan.id, to.as_str())),
        Err(StoreError::Invalid(detail) | StoreError::Conflict(detail)) => {
            let alert = c.t.with("status-refused", "detail", detail);
            refused(&state, grant, id, c, alert, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn amend(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let summary = field(&fields, "change_summary");
    if summary.is_empty() {
        let alert = c.t.get("amend-needs-summary");
        return refused(
            &state,
            grant,
            id,
            c,
            alert,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let for_tx = grant.clone();
    let result = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            plans::amend(
                tx,
                for_tx.student.id,
                id,
                &summary,
                Some(for_tx.caller.user.id),
            )
        }))
    })
    .await?;
    match result {
        Ok(plan) => Ok(saved(grant.student.id, plan.id, "amended")),
        Err(StoreError::Conflict(detail)) => {
            let alert = c.t.with("status-refused", "detail", detail);
            refused(&state, grant, id, c, alert, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn comment(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let text = field(&fields, "body");
    let for_tx = grant.clone();
    let result = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| api_plans::comment_in(tx, &for_tx, id, &text)))
    })
    .await?;
    match result {
        Ok(_) => Ok(saved(grant.student.id, id, "comment#comments")),
        Err(StoreError::Invalid(_)) => {
            let alert = c.t.get("comment-needs-text");
            refused(
                &state,
                grant,
                id,
                c,
                alert,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn acknowledge(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let sid = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| api_plans::acknowledge_in(tx, &grant, id))?)
    })
    .await?;
    Ok(saved(sid, id, "acknowledged"))
}

pub async fn remind(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let sid = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| api_plans::remind_in(tx, &grant, id))?)
    })
    .await?;
    Ok(saved(sid, id, "reminded#acknowledgements"))
}

#[derive(Debug, serde::Deserialize)]
pub struct PdfQuery {
    lang: Option<String>,
}

pub async fn pdf(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<PdfQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let id = path_id(&params, "plan")?;
    let lang = match query
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(c.t.lang)
    {
        Lang::En => documents::Lang::En,
        Lang::Es => documents::Lang::Es,
    };
    let loaded = load(&state, &grant, id, "print_plan").await?;
    let s = &grant.student;
    let bytes = documents::plan_pdf(
        &documents::PlanDocument {
            student: format!("{} {}", s.first_name, s.last_name),
            birth_date: s.birth_date,
            kind: loaded.plan.kind,
            version: loaded.plan.version,
            status: loaded.plan.status,
            change_summary: loaded.plan.change_summary.clone(),
            content: loaded.plan.content.clone(),
        },
        lang,
    )
    .map_err(|_| AppError::Internal("plan document"))?;
    let file = format!(
        "{}-{}-v{}.pdf",
        loaded.plan.kind.as_str(),
        s.id,
        loaded.plan.version
    );
    Ok(super::pdf_response(
        bytes,
        &file,
        super::Disposition::Inline,
    ))
}

#[derive(Template)]
#[template(path = "my_accommodations.html")]
struct MyAccommodationsPage {
    c: Chrome,
    /// (student name, plan href, plan label, assigned, reminders, accommodations)
    pending: Vec<PendingView>,
}

#[derive(Debug, Clone)]
pub struct PendingView {
    student: String,
    href: String,
    plan: String,
    assigned: String,
    reminders: i64,
    accommodations: Vec<(String, String, String)>,
    action: String,
}

pub async fn my_accommodations(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    c: Chrome,
) -> Result<Response, AppError> {
    let caller = policy::require(&viewer)?.clone();
    let rows = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            plans::sync_deliveries(tx, caller.user.district_id, Some(caller.user.id))?;
            let mut out = Vec::new();
            for p in plans::pending_for(tx, caller.user.id)? {
                let plan = plans::get(tx, p.student_id, p.plan_id)?;
                let student = store::students::get_student(tx, p.student_id)?;
                policy::log_read(&caller, &student, "view_accommodations")?;
                out.push((p, plans::accommodations(&plan)?));
            }
            Ok::<_, StoreError>(out)
        })?)
    })
    .await?;
    let t = &c.t;
    let pending = rows
        .into_iter()
        .map(|(p, supports)| PendingView {
            href: format!("/students/{}/plans/{}", p.student_id, p.plan_id),
            action: format!("/students/{}/plans/{}/acknowledge", p.student_id, p.plan_id),
            plan: t.with_args(
                "plan-label",
                &[
                    ("plan", &plan_title(t, p.kind)),
                    ("version", &p.version.to_string()),
                ],
            ),
            student: p.student_name,
            assigned: dates::day_of(&p.assigned_at)
                .map_or_else(|| p.assigned_at.clone(), |d| dates::long_text(d, t.lang)),
            reminders: p.reminders,
            accommodations: supports
                .into_iter()
                .map(|s| (s.description, s.provider, s.setting))
                .collect(),
        })
        .collect();
    Ok(render(StatusCode::OK, &MyAccommodationsPage { c, pending }))
}
