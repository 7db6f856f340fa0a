//! The evaluation pages: a student's referral, consents, evaluation plan and report, IDEA and
//! Section 504 decisions with the rules' reasons and citations, the forms to record each step
//! (a refused decision comes back with the rules it breaks), and prior written notices drafted
//! from a proposal or refusal, completed, sent and printed in English or Spanish.

use super::record_form::{Builder, FormView, Input, choices};
use super::{Chrome, render};
use crate::api_evaluations::{
    self as ev, check, code, draft_notice, finding_text, is_notice_source, may_record, record_step,
    refused_on_form, send_notice, step_from_fields,
};
use crate::api_records::path_id;
use crate::dates;
use crate::db;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::policy::{self, Grant};
use crate::records;
use crate::records_input::{FieldError, Fields};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use domain::Date;
use domain::access::Action;
use domain::codes::IdeaCategory;
use domain::evaluation::{
    Area, ExclusionaryFactor, ImpairmentKind, MajorLifeActivity, NoticeField, NoticeKind, SldArea,
    SldMethod, Step,
};
use domain::event::{NoticeAction, NoticeSubject};
use law::eligibility::Finding;
use std::collections::HashMap;
use store::evaluations::{Notice, StepRecord};

#[derive(Debug, Clone)]
struct StepView {
    id: i64,
    heading: String,
    facts: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    problems: Vec<(String, String)>,
    notice_form: Option<FormView>,
    /// Why this version corrects an earlier one, when it does.
    correction: Option<String>,
    /// The versions this one replaced, newest first: (heading, facts, why it was corrected).
    history: Vec<Superseded>,
    correct_form: Option<FormView>,
}

/// An earlier version of a step: its heading, its facts, and why it was corrected.
#[derive(Debug, Clone)]
struct Superseded {
    heading: String,
    facts: Vec<(String, String)>,
    reason: String,
}

#[derive(Debug, Clone)]
struct NoticeRow {
    id: i64,
    label: String,
    status: String,
    missing: usize,
}

#[derive(Template)]
#[template(path = "evaluations.html")]
struct EvaluationsPage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    note: Option<String>,
    warning: Option<(String, String)>,
    /// The rules a refused decision breaks: (text, citation).
    rule_problems: Vec<(String, String)>,
    steps: Vec<StepView>,
    notices: Vec<NoticeRow>,
    forms: Vec<FormView>,
}

#[derive(Debug, serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

#[derive(Debug, Default)]
struct Refused {
    anchor: String,
    fields: Fields,
    errors: Vec<FieldError>,
    rules: Vec<Finding>,
}

impl Refused {
    fn for_form(&self, anchor: &str) -> (&Fields, &[FieldError]) {
        const NONE: &[FieldError] = &[];
        static EMPTY: Fields = Vec::new();
        if self.anchor == anchor {
            (&self.fields, &self.errors)
        } else {
            (&EMPTY, NONE)
        }
    }
}

fn yes_no(t: &Tr) -> Vec<(String, String)> {
    choices(t, "answer", &["yes", "no"])
}

fn codes_of<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| as_str(*v)).collect()
}

fn word(t: &Tr, prefix: &str, value: &impl serde::Serialize) -> String {
    t.term(prefix, &code(value))
}

fn yes(t: &Tr, b: bool) -> String {
    t.get(if b { "answer-yes" } else { "answer-no" })
}

fn list(t: &Tr, prefix: &str, codes: impl IntoIterator<Item = &'static str>) -> String {
    let words: Vec<String> = codes.into_iter().map(|c| t.term(prefix, c)).collect();
    if words.is_empty() {
        t.get("none-listed")
    } else {
        words.join(", ")
    }
}

fn step_facts(t: &Tr, step: &Step) -> Vec<(String, String)> {
    match step {
        Step::Referral(r) => vec![
            (t.get("rf-by"), word(t, "requester", &r.by)),
            (t.get("rf-requester"), r.requester.clone()),
            (t.get("rf-written"), yes(t, r.written)),
            (t.get("rf-concerns"), r.concerns.clone()),
        ],
        Step::ConsentRequest(c) => vec![(t.get("rf-for"), word(t, "consent-for", &c.consent_for))],
        Step::ConsentAnswer(a) => vec![
            (t.get("rf-for"), word(t, "consent-for", &a.consent_for)),
            (t.get("rf-given"), yes(t, a.given)),
        ],
        Step::Plan(p) => vec![
            (t.get("rf-evaluation"), word(t, "evaluation", &p.evaluation)),
            (
                t.get("rf-areas"),
                list(t, "area", p.areas.iter().map(|a| a.as_str())),
            ),
            (t.get("rf-assessments"), p.assessments.clone()),
        ],
        Step::Report(r) => vec![
            (t.get("rf-evaluation"), word(t, "evaluation", &r.evaluation)),
            (t.get("rf-procedures"), r.procedures.clone()),
            (t.get("rf-summary"), r.summary.clone()),
        ],
        Step::Eligibility(d) => {
            let mut facts = vec![
                (t.get("rf-evaluation"), word(t, "evaluation", &d.evaluation)),
                (
                    t.get("rf-categories"),
                    list(t, "category", d.categories.iter().map(|c| c.as_str())),
                ),
                (t.get("rf-needs-sdi"), yes(t, d.needs_sdi)),
                (
                    t.get("rf-determinant-factor"),
                    d.determinant_factor
                        .map_or_else(|| t.get("none-listed"), |f| t.term("exclusion", f.as_str())),
                ),
                (t.get("rf-eligible"), yes(t, d.eligible)),
            ];
            if let Some(sld) = &d.sld {
                facts.push((
                    t.get("rf-sld-method"),
                    t.term("sld-method", sld.method.as_str()),
                ));
                facts.push((
                    t.get("rf-sld-areas"),
                    list(t, "sld-area", sld.areas.iter().map(|a| a.as_str())),
                ));
                let members: Vec<String> = sld
                    .certifications
                    .iter()
                    .map(|c| {
                        if c.agrees {
                            t.with("certifies-agree", "member", &c.member)
                        } else {
                            t.with_args(
                                "certifies-disagree",
                                &[("member", &c.member), ("statement", &c.statement)],
                            )
                        }
                    })
                    .collect();
                facts.push((t.get("sld-certifications"), members.join("; ")));
            }
            if !d.explanation.is_empty() {
                facts.push((t.get("rf-explanation"), d.explanation.clone()));
            }
            facts
        }
        Step::Section504(d) => {
            let mut facts = vec![
                (t.get("rf-evaluation"), word(t, "evaluation", &d.evaluation)),
                (t.get("rf-impairment"), d.impairment.clone()),
                (
                    t.get("rf-impairment-kind"),
                    t.term("impairment-kind", d.impairment_kind.as_str()),
                ),
                (
                    t.get("rf-activities"),
                    list(t, "activity", d.activities.iter().map(|a| a.as_str())),
                ),
                (
                    t.get("rf-substantially-limits"),
                    yes(t, d.substantially_limits),
                ),
                (
                    t.get("rf-mitigating-measures-considered"),
                    yes(t, d.mitigating_measures_considered),
                ),
                (t.get("rf-episodic"), yes(t, d.episodic)),
                (t.get("rf-eligible"), yes(t, d.eligible)),
            ];
            if !d.explanation.is_empty() {
                facts.push((t.get("rf-explanation"), d.explanation.clone()));
            }
            facts
        }
    }
}

fn worded(t: &Tr, findings: &[Finding]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| (finding_text(t, f), f.citation.clone()))
        .collect()
}

/// A notice's label; one drafted from a Section 504 decision says so (34 CFR 104.36).
fn notice_label_for(t: &Tr, notice: &Notice) -> String {
    let label = notice_label(t, notice.notice.action, notice.notice.subject);
    match notice.kind {
        NoticeKind::Section504 => t.with("notice-label-504", "label", label),
        NoticeKind::PriorWrittenNotice => label,
    }
}

fn notice_label(t: &Tr, action: NoticeAction, subject: NoticeSubject) -> String {
    t.with_args(
        "notice-label",
        &[
            ("action", &word(t, "pwn-action", &action)),
            ("subject", &word(t, "pwn-subject", &subject)),
        ],
    )
}

/// The fields of one kind of step (`step`, as `Step::name`), after its date.
fn step_fields<'a>(t: &Tr, step: &str, b: Builder<'a>) -> Builder<'a> {
    let evaluation = || Input::Choice(choices(t, "evaluation", &["initial", "reevaluation"]));
    let consent_for = || {
        Input::Choice(choices(
            t,
            "consent-for",
            &["initial_evaluation", "reevaluation", "initial_services"],
        ))
    };
    match step {
        "referral" => b
            .field(
                "by",
                Input::Choice(choices(t, "requester", &["parent", "school", "other"])),
                true,
                "parent",
            )
            .field("requester", Input::Text, true, "")
            .field("written", Input::Choice(yes_no(t)), true, "yes")
            .field("concerns", Input::LongText, false, ""),
        "consent_request" => b.field("for", consent_for(), true, "initial_evaluation"),
        "consent_answer" => b
            .field("for", consent_for(), true, "initial_evaluation")
            .field("given", Input::Choice(yes_no(t)), true, "yes"),
        "plan" => b
            .field("evaluation", evaluation(), true, "initial")
            .field(
                "areas",
                Input::Checks(choices(t, "area", &codes_of(Area::ALL, Area::as_str))),
                true,
                "",
            )
            .field("assessments", Input::LongText, true, ""),
        "report" => b
            .field("evaluation", evaluation(), true, "initial")
            .field("procedures", Input::LongText, true, "")
            .field("summary", Input::LongText, true, ""),
        "eligibility" => {
            let mut factors = vec!["none"];
            factors.extend(codes_of(
                ExclusionaryFactor::ALL,
                ExclusionaryFactor::as_str,
            ));
            let mut methods = vec!["none"];
            methods.extend(codes_of(SldMethod::ALL, SldMethod::as_str));
            b.field("evaluation", evaluation(), true, "initial")
                .field(
                    "categories",
                    Input::Checks(choices(
                        t,
                        "category",
                        &codes_of(IdeaCategory::ALL, IdeaCategory::as_str),
                    )),
                    false,
                    "",
                )
                .field("needs_sdi", Input::Choice(yes_no(t)), true, "no")
                .field(
                    "determinant_factor",
                    Input::Choice(choices(t, "exclusion", &factors)),
                    true,
                    "none",
                )
                .field("eligible", Input::Choice(yes_no(t)), true, "no")
                .field("explanation", Input::LongText, false, "")
                .field(
                    "sld_method",
                    Input::Choice(choices(t, "sld-method", &methods)),
                    true,
                    "none",
                )
                .field(
                    "sld_areas",
                    Input::Checks(choices(
                        t,
                        "sld-area",
                        &codes_of(SldArea::ALL, SldArea::as_str),
                    )),
                    false,
                    "",
                )
                .field("sld_basis", Input::LongText, false, "")
                .field("sld_observed_behavior", Input::LongText, false, "")
                .field("sld_behavior_relationship", Input::LongText, false, "")
                .field("sld_medical_findings", Input::LongText, false, "")
                .field("sld_not_achieving", Input::Choice(yes_no(t)), false, "no")
                .field(
                    "sld_insufficient_progress",
                    Input::Choice(yes_no(t)),
                    false,
                    "no",
                )
                .field("sld_other_factors", Input::LongText, false, "")
                .field("sld_rti_strategies", Input::LongText, false, "")
                .field("sld_rti_data", Input::LongText, false, "")
                .field(
                    "sld_parents_notified",
                    Input::Choice(yes_no(t)),
                    false,
                    "no",
                )
                .field("sld_agreeing", Input::LongText, false, "")
                .field("sld_statements", Input::LongText, false, "")
        }
        "section504" => b
            .field("evaluation", evaluation(), true, "initial")
            .field("impairment", Input::Text, false, "")
            .field(
                "impairment_kind",
                Input::Choice(choices(
                    t,
                    "impairment-kind",
                    &codes_of(ImpairmentKind::ALL, ImpairmentKind::as_str),
                )),
                true,
                "physical",
            )
            .field(
                "activities",
                Input::Checks(choices(
                    t,
                    "activity",
                    &codes_of(MajorLifeActivity::ALL, MajorLifeActivity::as_str),
                )),
                false,
                "",
            )
            .field("substantially_limits", Input::Choice(yes_no(t)), true, "no")
            .field(
                "mitigating_measures_considered",
                Input::Choice(yes_no(t)),
                true,
                "no",
            )
            .field("episodic", Input::Choice(yes_no(t)), true, "no")
            .field("eligible", Input::Choice(yes_no(t)), true, "no")
            .field("explanation", Input::LongText, false, ""),
        _ => b,
    }
}

fn step_forms(t: &Tr, grant: &Grant, refused: &Refused, today: Date) -> Vec<FormView> {
    let s = &grant.student;
    let action = format!("/students/{}/evaluations", s.id);
    let today = today.to_string();
    let form = |anchor: &str, step: &str| {
        let (fields, errors) = refused.for_form(anchor);
        // The builder borrows what the refusal holds; the anchor names the heading and button.
        let b = Builder::new(
            t,
            anchor,
            &format!("{anchor}-heading"),
            action.clone(),
            &format!("{anchor}-button"),
            fields,
            errors,
        )
        .id_prefix(&format!("{anchor}-"))
        .hidden("step", step)
        .field("on", Input::Date, true, &today);
        step_fields(t, step, b).build()
    };
    let mut forms = Vec::new();
    let writes = grant.permits(Action::WritePlan);
    if writes {
        forms.push(form("record-referral", "referral"));
        forms.push(form("record-consent-request", "consent_request"));
    }
    if writes || grant.permits(Action::WriteParentEvent) {
        forms.push(form("record-consent-answer", "consent_answer"));
    }
    if !writes {
        return forms;
    }
    forms.push(form("record-plan", "plan"));
    forms.push(form("record-report", "report"));
    forms.push(form("record-eligibility", "eligibility"));
    forms.push(form("record-section504", "section504"));
    let (fields, errors) = refused.for_form("draft-notice");
    forms.push(
        Builder::new(
            t,
            "draft-notice",
            "draft-notice-heading",
            format!("/students/{}/notices", s.id),
            "draft-notice-button",
            fields,
            errors,
        )
        .id_prefix("draft-notice-")
        .field(
            "action",
            Input::Choice(choices(t, "pwn-action", &["propose", "refuse"])),
            true,
            "propose",
        )
        .field(
            "subject",
            Input::Choice(choices(
                t,
                "pwn-subject",
                &["identification", "evaluation", "placement", "fape"],
            )),
            true,
            "evaluation",
        )
        .build(),
    );
    forms
}

pub async fn page(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Query(query): Query<SavedQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let note = query
        .saved
        .is_some()
        .then(|| c.t.get("note-evaluation-saved"));
    evaluations_page(&state, grant, c, note, Refused::default(), StatusCode::OK).await
}

/// The page again with a refused form, its fields as sent and what to fix.
async fn refused_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    refused: Refused,
) -> Result<Response, AppError> {
    evaluations_page(
        state,
        grant,
        c,
        None,
        refused,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

async fn evaluations_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    note: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let for_read = grant.clone();
    let (steps, notices, events, interventions) = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let s = &for_read.student;
            policy::log_read(&for_read.caller, s, "view_evaluations")?;
            Ok((
                store::evaluations::list_steps(tx, s.id)?,
                store::evaluations::list_notices(tx, s.id)?,
                store::events::list(tx, s.id)?,
                store::rti::list_interventions(tx, s.id)?,
            ))
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let name = format!("{} {}", s.first_name, s.last_name);
    let warning = records::rti_delay_warning(&events, &interventions, today).then(|| {
        (
            t.get("rti-delay-warning"),
            records::RTI_DELAY_CITATION.to_owned(),
        )
    });
    // Each step once, at its current version; the versions it replaced are its history.
    let views = steps
        .iter()
        .rev()
        .filter(|r| r.is_current())
        .map(|r| step_view(t, &grant, r, &steps, &refused, today))
        .collect();
    let notices = notices
        .iter()
        .map(|n| NoticeRow {
            id: n.id,
            label: notice_label_for(t, n),
            status: n.sent_on.map_or_else(
                || t.get("notice-draft"),
                |d| t.with("notice-sent-on", "date", dates::long_text(d, t.lang)),
            ),
            missing: law::notice::missing(&n.notice, n.kind).len(),
        })
        .collect();
    let page = EvaluationsPage {
        id: s.id,
        heading: t.with("evaluations-title", "name", &name),
        name,
        note,
        warning,
        rule_problems: worded(t, &refused.rules),
        steps: views,
        notices,
        forms: step_forms(t, &grant, &refused, today),
        c: c.clone(),
    };
    Ok(render(status, &page))
}

fn step_view(
    t: &Tr,
    grant: &Grant,
    r: &StepRecord,
    steps: &[StepRecord],
    refused: &Refused,
    today: Date,
) -> StepView {
    let s = &grant.student;
    let mut history = Vec::new();
    let mut newer = r;
    while let Some(older) = newer
        .supersedes
        .and_then(|id| steps.iter().find(|x| x.id == id))
    {
        history.push(Superseded {
            heading: t.with(
                "step-superseded-heading",
                "date",
                dates::long_text(older.on, t.lang),
            ),
            facts: step_facts(t, &older.step),
            reason: t.with(
                "step-corrected-because",
                "reason",
                newer.correction_reason.clone().unwrap_or_default(),
            ),
        });
        newer = older;
    }
    let correct_anchor = format!("correct-{}", r.id);
    let correct_form = ev::may_correct(grant).then(|| {
        let (submitted, errors) = refused.for_form(&correct_anchor);
        // Starts from what was recorded, or from what a refused correction sent.
        let recorded = ev::fields_of(r.on, &r.step);
        let fields = if submitted.is_empty() {
            &recorded
        } else {
            submitted
        };
        let b = Builder::new(
            t,
            &correct_anchor,
            "correct-step-heading",
            format!("/students/{}/evaluations/{}/correct", s.id, r.id),
            "correct-step-button",
            fields,
            errors,
        )
        .level(4)
        .id_prefix(&format!("{correct_anchor}-"))
        .hidden("step", r.step.name())
        .field("on", Input::Date, true, &today.to_string());
        step_fields(t, r.step.name(), b)
            .field_labelled("reason", "correction-reason", Input::LongText, true, "")
            .build()
    });
    let checked = check(&r.step, r.on, s).unwrap_or_default();
    let anchor = format!("notice-from-{}", r.id);
    let notice_form = (grant.permits(Action::WritePlan) && is_notice_source(&r.step)).then(|| {
        let (fields, errors) = refused.for_form(&anchor);
        let builder = Builder::new(
            t,
            &anchor,
            "notice-from-heading",
            format!("/students/{}/notices", s.id),
            "draft-notice-button",
            fields,
            errors,
        )
        .level(4)
        .id_prefix(&format!("{anchor}-"))
        .hidden("step_id", r.id.to_string());
        match r.step {
            Step::Referral(_) => builder.field(
                "action",
                Input::Choice(choices(t, "pwn-action", &["propose", "refuse"])),
                true,
                "propose",
            ),
            _ => builder,
        }
        .build()
    });
    StepView {
        id: r.id,
        heading: t.with_args(
            "step-heading",
            &[
                ("step", &t.term("step", r.step.name())),
                ("date", &dates::long_text(r.on, t.lang)),
            ],
        ),
        facts: step_facts(t, &r.step),
        reasons: worded(t, &checked.reasons),
        problems: worded(t, &checked.problems),
        notice_form,
        correction: r
            .correction_reason
            .as_ref()
            .map(|why| t.with("step-corrects", "reason", why)),
        history,
        correct_form,
    }
}

fn back(student: i64) -> Response {
    Redirect::to(&format!("/students/{student}/evaluations?saved=1")).into_response()
}

/// Records one step; a decision the rules refuse comes back with the rules it breaks.
pub async fn add_step(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let anchor = match fields.iter().find(|(k, _)| k == "step") {
        Some((_, step)) => format!("record-{}", step.replace('_', "-")),
        None => "record-referral".into(),
    };
    let refuse = |errors: Vec<FieldError>, rules: Vec<Finding>, fields: Fields| Refused {
        anchor: anchor.clone(),
        fields,
        errors,
        rules,
    };
    let (on, step) = match step_from_fields(&fields, today) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return refused_page(&state, grant, c, refuse(errors, Vec::new(), fields)).await;
        }
    };
    if !may_record(&grant, &step) {
        return Err(AppError::Forbidden(
            "your role may not record this evaluation step",
        ));
    }
    if let Some((errors, rules)) = refused_on_form(&step, on, &grant.student) {
        return refused_page(&state, grant, c, refuse(errors, rules, fields)).await;
    }
    let student = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| record_step(tx, &grant, on, &step, today))?)
    })
    .await?;
    Ok(back(student))
}

/// Records a corrected version of a step with the reason; the original stays as history and
/// its case event is superseded. A refused correction comes back on its form.
pub async fn correct_step(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let original = path_id(&params, "step")?;
    if !ev::may_correct(&grant) {
        return Err(AppError::Forbidden(
            "your role may not correct an evaluation step",
        ));
    }
    let today = state.clock.today();
    let anchor = format!("correct-{original}");
    let reason = fields
        .iter()
        .find(|(k, _)| k == "reason")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let parsed = step_from_fields(&fields, today);
    let mut errors = match &parsed {
        Ok(_) => Vec::new(),
        Err(errors) => errors.clone(),
    };
    if reason.is_empty() || reason.chars().count() > store::evaluations::REASON_MAX {
        errors.push(FieldError {
            field: "reason",
            message_id: "error-correction-reason",
        });
    }
    let mut rules = Vec::new();
    if let Ok((on, step)) = &parsed
        && let Some((problems, broken)) = refused_on_form(step, *on, &grant.student)
    {
        errors.extend(problems);
        rules = broken;
    }
    let (on, step) = match parsed {
        Ok(parsed) if errors.is_empty() => parsed,
        _ => {
            let refused = Refused {
                anchor,
                fields,
                errors,
                rules,
            };
            return refused_page(&state, grant, c, refused).await;
        }
    };
    let student = grant.student.id;
    db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            ev::record_correction(tx, &grant, original, on, &step, &reason, today)
        })?)
    })
    .await?;
    Ok(back(student))
}

/// Drafts a notice from a step or from an action and subject, then opens it.
pub async fn add_notice(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    let step_id = get("step_id").and_then(|v| v.parse::<i64>().ok());
    let action: Option<NoticeAction> =
        get("action").and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok());
    let subject: Option<NoticeSubject> =
        get("subject").and_then(|v| serde_json::from_value(serde_json::Value::String(v)).ok());
    let anchor = step_id.map_or_else(
        || "draft-notice".to_owned(),
        |id| format!("notice-from-{id}"),
    );
    let mut errors = Vec::new();
    if action.is_none() && step_id.is_none() {
        errors.push(FieldError {
            field: "action",
            message_id: "error-field-choice",
        });
    }
    if subject.is_none() && step_id.is_none() {
        errors.push(FieldError {
            field: "subject",
            message_id: "error-field-choice",
        });
    }
    if !errors.is_empty() {
        let refused = Refused {
            anchor,
            fields,
            errors,
            rules: Vec::new(),
        };
        return refused_page(&state, grant, c, refused).await;
    }
    let student = grant.student.id;
    let t = c.t.clone();
    let notice = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| draft_notice(tx, &grant, &t, step_id, action, subject))?)
    })
    .await?;
    Ok(Redirect::to(&format!("/students/{student}/notices/{}", notice.id)).into_response())
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    c: Chrome,
    id: i64,
    name: String,
    heading: String,
    note: Option<String>,
    conflict: Option<String>,
    facts: Vec<(String, String)>,
    missing: Vec<(String, String)>,
    /// Each content as the printed notice frames it, shown once the notice is sent.
    sections: Vec<documents::NoticeSection>,
    pdf_en: String,
    pdf_es: String,
    edit_form: Option<FormView>,
    send_form: Option<FormView>,
}

#[derive(Debug, serde::Deserialize)]
pub struct NoticeQuery {
    saved: Option<String>,
}

fn notice_id(params: &HashMap<String, String>) -> Result<i64, AppError> {
    path_id(params, "notice")
}

pub async fn notice(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<NoticeQuery>,
    c: Chrome,
) -> Result<Response, AppError> {
    let id = notice_id(&params)?;
    let note = query.saved.is_some().then(|| c.t.get("note-notice-saved"));
    notice_page(
        &state,
        grant,
        c,
        id,
        note,
        None,
        Refused::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn notice_page(
    state: &AppState,
    grant: Grant,
    c: Chrome,
    id: i64,
    note: Option<String>,
    conflict: Option<String>,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, AppError> {
    let for_read = grant.clone();
    let notice: Notice = db::run(state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let s = &for_read.student;
            policy::log_read(&for_read.caller, s, "view_notice")?;
            store::evaluations::get_notice(tx, s.id, id)
        })?)
    })
    .await?;
    let t = &c.t;
    let s = &grant.student;
    let name = format!("{} {}", s.first_name, s.last_name);
    let missing = law::notice::missing(&notice.notice, notice.kind);
    let text = documents::notice_text(
        &notice.notice,
        notice.kind,
        &documents::NoticeFacts {
            district: String::new(),
            student: name.clone(),
            birth_date: None,
            sent_on: notice.sent_on,
        },
        match t.lang {
            crate::i18n::Lang::En => documents::Lang::En,
            crate::i18n::Lang::Es => documents::Lang::Es,
        },
    );
    let facts = vec![
        (
            t.get("rf-action"),
            word(t, "pwn-action", &notice.notice.action),
        ),
        (
            t.get("rf-subject"),
            word(t, "pwn-subject", &notice.notice.subject),
        ),
        (
            t.get("notice-status"),
            notice.sent_on.map_or_else(
                || t.get("notice-draft"),
                |d| t.with("notice-sent-on", "date", dates::long_text(d, t.lang)),
            ),
        ),
    ];
    let editable = !notice.is_sent() && grant.permits(Action::WritePlan);
    let base = format!("/students/{}/notices/{}", s.id, notice.id);
    let edit_form = editable.then(|| {
        let (fields, errors) = refused.for_form("edit-notice");
        let c = &notice.notice.contents;
        let form = Builder::new(
            t,
            "edit-notice",
            "edit-notice-heading",
            base.clone(),
            "edit-notice-button",
            fields,
            errors,
        )
        .id_prefix("edit-notice-")
        .hidden("revision", notice.revision.to_string());
        // Each content labelled as the notice's law words it, required when that law asks.
        NoticeField::ALL
            .iter()
            .fold(form, |form, &field| {
                let name = field.as_str().replace('_', "-");
                let label = match notice.kind {
                    NoticeKind::PriorWrittenNotice => format!("rf-{name}"),
                    NoticeKind::Section504 => format!("rf-504-notice-{name}"),
                };
                let required = law::notice::requirement(notice.kind, field).is_some();
                form.field_labelled(
                    field.as_str(),
                    &label,
                    Input::LongText,
                    required,
                    c.get(field),
                )
            })
            .build()
    });
    let send_form = editable.then(|| {
        let (fields, errors) = refused.for_form("send-notice");
        Builder::new(
            t,
            "send-notice",
            "send-notice-heading",
            format!("{base}/send"),
            "send-notice-button",
            fields,
            errors,
        )
        .id_prefix("send-notice-")
        .hidden("revision", notice.revision.to_string())
        .field("on", Input::Date, true, &state.clock.today().to_string())
        .build()
    });
    let page = NoticePage {
        id: s.id,
        heading: notice_label_for(t, &notice),
        name,
        note,
        conflict,
        facts,
        missing: worded(t, &missing),
        sections: if editable { Vec::new() } else { text.sections },
        pdf_en: format!("{base}/pdf?lang=en"),
        pdf_es: format!("{base}/pdf?lang=es"),
        edit_form,
        send_form,
        c: c.clone(),
    };
    Ok(render(status, &page))
}

/// Saves a draft (compare-and-set); a stale copy answers 409 with the current version.
pub async fn save_notice(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = notice_id(&params)?;
    let revision = fields
        .iter()
        .find(|(k, _)| k == "revision")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let contents = ev::contents_from_fields(&fields);
    let (revision, contents) = match (revision, contents) {
        (Some(r), Ok(c)) => (r, c),
        (_, Err(errors)) => {
            let refused = Refused {
                anchor: "edit-notice".into(),
                fields,
                errors,
                rules: Vec::new(),
            };
            return notice_page(
                &state,
                grant,
                c,
                id,
                None,
                None,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        (None, _) => {
            return Err(AppError::invalid(
                "revision",
                "the revision the edit was made from",
            ));
        }
    };
    let student = grant.student.id;
    let for_write = grant.clone();
    let saved = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            store::evaluations::update_notice(tx, for_write.student.id, id, revision, &contents)
        }))
    })
    .await?;
    match saved {
        Ok(_) => {
            Ok(Redirect::to(&format!("/students/{student}/notices/{id}?saved=1")).into_response())
        }
        Err(store::StoreError::Conflict(message)) => {
            notice_page(
                &state,
                grant,
                c,
                id,
                None,
                Some(message),
                Refused::default(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Sends a complete draft; a missing content comes back on the edit form, linked to its field.
pub async fn send(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let id = notice_id(&params)?;
    let today = state.clock.today();
    let revision = fields
        .iter()
        .find(|(k, _)| k == "revision")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid("revision", "the revision the notice was read at"))?;
    let on = fields
        .iter()
        .find(|(k, _)| k == "on")
        .and_then(|(_, v)| v.trim().parse::<Date>().ok());
    let Some(on) = on.filter(|d| *d <= today) else {
        let refused = Refused {
            anchor: "send-notice".into(),
            fields,
            errors: vec![FieldError {
                field: "on",
                message_id: "error-field-date",
            }],
            rules: Vec::new(),
        };
        return notice_page(
            &state,
            grant,
            c,
            id,
            None,
            None,
            refused,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let student = grant.student.id;
    let for_write = grant.clone();
    let sent = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| send_notice(tx, &for_write, id, revision, on, today)))
    })
    .await?;
    match sent {
        Ok(_) => {
            Ok(Redirect::to(&format!("/students/{student}/notices/{id}?saved=1")).into_response())
        }
        Err(store::StoreError::Conflict(message)) => {
            notice_page(
                &state,
                grant,
                c,
                id,
                None,
                Some(message),
                Refused::default(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(store::StoreError::Invalid(message)) => {
            let field = NoticeField::parse(message.split(':').next().unwrap_or_default())
                .unwrap_or(NoticeField::OtherFactors)
                .as_str();
            let refused = Refused {
                anchor: "edit-notice".into(),
                fields: Vec::new(),
                errors: vec![FieldError {
                    field,
                    message_id: "error-notice-incomplete",
                }],
                rules: Vec::new(),
            };
            notice_page(
                &state,
                grant,
                c,
                id,
                None,
                None,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct PdfQuery {
    lang: Option<String>,
}

/// The notice as a tagged PDF in English or Spanish; logged as a read of the record.
pub async fn pdf(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    Query(query): Query<PdfQuery>,
) -> Result<Response, AppError> {
    let id = notice_id(&params)?;
    let lang = match query.lang.as_deref() {
        None | Some("en") => documents::Lang::En,
        Some("es") => documents::Lang::Es,
        Some(_) => return Err(AppError::invalid("lang", "en or es")),
    };
    let (notice, district) = db::run(&state, move |conn| {
        Ok(conn.read_transaction(|tx| {
            let s = &grant.student;
            policy::log_read(&grant.caller, s, "print_notice")?;
            let notice = store::evaluations::get_notice(tx, s.id, id)?;
            let district = store::districts::get_district(tx, s.district_id)?.name;
            Ok((notice, (district, grant.student.clone())))
        })?)
    })
    .await?;
    let (district, s) = district;
    let facts = documents::NoticeFacts {
        district,
        student: format!("{} {}", s.first_name, s.last_name),
        birth_date: Some(s.birth_date),
        sent_on: notice.sent_on,
    };
    let bytes =
        documents::notice_pdf(&notice.notice, notice.kind, &facts, lang).map_err(|e| match e {
            documents::DocumentError::Input { .. } => AppError::invalid(
                "notice",
                format!(
                    "every content {} requires before printing ({e})",
                    law::notice::rule(notice.kind)
                ),
            ),
            _ => AppError::Internal("the notice could not be rendered"),
        })?;
    Ok(super::pdf_response(
        bytes,
        &documents::notice_file_name(notice.kind, id, lang),
        super::Disposition::Inline,
    ))
}
