//! Evaluations and prior written notices: reading a step from a form or a JSON body, checking
//! decisions against `law::eligibility`, recording each step with the case event it stands for
//! (in the same transaction, through the path that refreshes obligations), drafting a notice
//! from a proposal or refusal, and the JSON API over all of it. The pages call the same writers.

use crate::api::{json_response, read_logged};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::policy::Grant;
use crate::records_input::{FieldError, Fields, Reader};
use crate::state::AppState;
use crate::{dates, db, obligations};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::Date;
use domain::access::Action;
use domain::codes::IdeaCategory;
use domain::evaluation::{
    Area, Certification, ConsentAnswer, ConsentRequest, EvaluationPlan, EvaluationReport,
    ExclusionaryFactor, IdeaDecision, ImpairmentKind, MajorLifeActivity, NoticeContents,
    PriorWrittenNotice, Referral, Section504Decision, SldArea, SldMethod, SldReport, Step,
};
use domain::event::{
    ConsentFor, EvaluationType, Event, EventKind, NoticeAction, NoticeSubject, Plan504Purpose,
    Requester,
};
use law::eligibility::{Check, Finding};
use serde_json::{Value, json};
use std::collections::HashMap;
use store::StoreError;
use store::evaluations::{Notice, StepRecord};
use store::students::Student;

const SHORT: usize = 200;
const LONG: usize = 4000;

fn to_json(value: &impl serde::Serialize) -> Result<Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// A serde enum's code (`"initial"`), for forms and events.
pub(crate) fn code(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn from_code<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(Value::String(text.to_owned())).ok()
}

// ---------------------------------------------------------------------------------------------
// Reading a step from form fields.

// The shared reader (`records_input::Reader`) with the steps' own kinds of field.
impl Reader<'_> {
    fn code<T: serde::de::DeserializeOwned>(&mut self, field: &'static str) -> Option<T> {
        self.choice(field, from_code)
    }

    fn yes_no(&mut self, field: &'static str) -> Option<bool> {
        self.choice(field, |v| match v {
            "yes" | "true" => Some(true),
            "no" | "false" => Some(false),
            _ => None,
        })
    }

    /// Every ticked value of a checkbox group; an unknown one is refused.
    fn set<T>(&mut self, field: &'static str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        for (_, v) in self.fields.iter().filter(|(k, _)| k == field) {
            match parse(v.trim()) {
                Some(t) => out.push(t),
                None => self.fail(field, "error-field-choice"),
            }
        }
        out
    }
}

/// The step a form describes, and its date (`on`, not in the future).
pub fn step_from_fields(fields: &Fields, today: Date) -> Result<(Date, Step), Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let on = r.past_date("on", today);
    let step = match r.raw("step").unwrap_or_default() {
        "referral" => {
            let by: Option<Requester> = r.code("by");
            let requester = r.text("requester", true, SHORT);
            let written = r.yes_no("written");
            let concerns = r.text("concerns", false, LONG);
            by.zip(written).map(|(by, written)| {
                Step::Referral(Referral {
                    by,
                    requester,
                    written,
                    concerns,
                })
            })
        }
        "consent_request" => r
            .code("for")
            .map(|consent_for| Step::ConsentRequest(ConsentRequest { consent_for })),
        "consent_answer" => {
            let consent_for: Option<ConsentFor> = r.code("for");
            let given = r.yes_no("given");
            consent_for.zip(given).map(|(consent_for, given)| {
                Step::ConsentAnswer(ConsentAnswer { consent_for, given })
            })
        }
        "plan" => {
            let evaluation: Option<EvaluationType> = r.code("evaluation");
            let areas = r.set("areas", Area::parse);
            if areas.is_empty() {
                r.fail("areas", "error-field-pick-one");
            }
            let assessments = r.text("assessments", true, LONG);
            evaluation.map(|evaluation| {
                Step::Plan(EvaluationPlan {
                    evaluation,
                    areas,
                    assessments,
                })
            })
        }
        "report" => {
            let evaluation: Option<EvaluationType> = r.code("evaluation");
            let procedures = r.text("procedures", true, LONG);
            let summary = r.text("summary", true, LONG);
            evaluation.map(|evaluation| {
                Step::Report(EvaluationReport {
                    evaluation,
                    procedures,
                    summary,
                })
            })
        }
        "eligibility" => idea_decision(&mut r).map(Step::Eligibility),
        "section504" => {
            let evaluation: Option<EvaluationType> = r.code("evaluation");
            let impairment = r.text("impairment", false, SHORT);
            let impairment_kind = r.choice("impairment_kind", ImpairmentKind::parse);
            let activities = r.set("activities", MajorLifeActivity::parse);
            let substantially_limits = r.yes_no("substantially_limits");
            let mitigating = r.yes_no("mitigating_measures_considered");
            let episodic = r.yes_no("episodic");
            let eligible = r.yes_no("eligible");
            let explanation = r.text("explanation", false, LONG);
            match (
                evaluation,
                impairment_kind,
                substantially_limits,
                mitigating,
                episodic,
                eligible,
            ) {
                (Some(evaluation), Some(kind), Some(limits), Some(m), Some(ep), Some(eligible)) => {
                    Some(Step::Section504(Section504Decision {
                        evaluation,
                        impairment,
                        impairment_kind: kind,
                        activities,
                        substantially_limits: limits,
                        mitigating_measures_considered: m,
                        episodic: ep,
                        eligible,
                        explanation,
                    }))
                }
                _ => None,
            }
        }
        _ => {
            r.fail("step", "error-field-choice");
            None
        }
    };
    let value = on.zip(step);
    r.finish(value)
}

/// The form fields of a recorded step, so a correction starts from what was recorded
/// (`step_from_fields` reads them back to the same step).
pub fn fields_of(on: Date, step: &Step) -> Fields {
    let mut out: Fields = vec![
        ("step".into(), step.name().into()),
        ("on".into(), on.to_string()),
    ];
    let mut put = |k: &str, v: String| out.push((k.to_owned(), v));
    let yn = |b: bool| if b { "yes" } else { "no" }.to_owned();
    match step {
        Step::Referral(r) => {
            put("by", code(&r.by));
            put("requester", r.requester.clone());
            put("written", yn(r.written));
            put("concerns", r.concerns.clone());
        }
        Step::ConsentRequest(c) => put("for", code(&c.consent_for)),
        Step::ConsentAnswer(a) => {
            put("for", code(&a.consent_for));
            put("given", yn(a.given));
        }
        Step::Plan(p) => {
            put("evaluation", code(&p.evaluation));
            for a in &p.areas {
                put("areas", a.as_str().into());
            }
            put("assessments", p.assessments.clone());
        }
        Step::Report(r) => {
            put("evaluation", code(&r.evaluation));
            put("procedures", r.procedures.clone());
            put("summary", r.summary.clone());
        }
        Step::Eligibility(d) => {
            put("evaluation", code(&d.evaluation));
            for c in &d.categories {
                put("categories", c.as_str().into());
            }
            put("needs_sdi", yn(d.needs_sdi));
            put(
                "determinant_factor",
                d.determinant_factor.map_or("none", |f| f.as_str()).into(),
            );
            put("eligible", yn(d.eligible));
            put("explanation", d.explanation.clone());
            match &d.sld {
                None => put("sld_method", "none".into()),
                Some(sld) => {
                    put("sld_method", sld.method.as_str().into());
                    for a in &sld.areas {
                        put("sld_areas", a.as_str().into());
                    }
                    put("sld_basis", sld.basis.clone());
                    put("sld_observed_behavior", sld.observed_behavior.clone());
                    put(
                        "sld_behavior_relationship",
                        sld.behavior_relationship.clone(),
                    );
                    put("sld_medical_findings", sld.medical_findings.clone());
                    put("sld_not_achieving", yn(sld.not_achieving_adequately));
                    put(
                        "sld_insufficient_progress",
                        yn(sld.insufficient_progress_or_pattern),
                    );
                    put("sld_other_factors", sld.other_factors.clone());
                    put("sld_rti_strategies", sld.rti_strategies.clone());
                    put("sld_rti_data", sld.rti_data.clone());
                    put("sld_parents_notified", yn(sld.parents_notified));
                    let (agree, disagree): (Vec<_>, Vec<_>) =
                        sld.certifications.iter().partition(|c| c.agrees);
                    let agreeing: Vec<&str> = agree.iter().map(|c| c.member.as_str()).collect();
                    let statements: Vec<String> = disagree
                        .iter()
                        .map(|c| format!("{}: {}", c.member, c.statement))
                        .collect();
                    put("sld_agreeing", agreeing.join("\n"));
                    put("sld_statements", statements.join("\n"));
                }
            }
        }
        Step::Section504(d) => {
            put("evaluation", code(&d.evaluation));
            put("impairment", d.impairment.clone());
            put("impairment_kind", d.impairment_kind.as_str().into());
            for a in &d.activities {
                put("activities", a.as_str().into());
            }
            put("substantially_limits", yn(d.substantially_limits));
            put(
                "mitigating_measures_considered",
                yn(d.mitigating_measures_considered),
            );
            put("episodic", yn(d.episodic));
            put("eligible", yn(d.eligible));
            put("explanation", d.explanation.clone());
        }
    }
    out
}

fn idea_decision(r: &mut Reader<'_>) -> Option<IdeaDecision> {
    let evaluation: Option<EvaluationType> = r.code("evaluation");
    let categories = r.set("categories", IdeaCategory::parse);
    let needs_sdi = r.yes_no("needs_sdi");
    let determinant_factor = match r.raw("determinant_factor") {
        None | Some("none") => Some(None),
        Some(v) => match ExclusionaryFactor::parse(v) {
            Some(f) => Some(Some(f)),
            None => {
                r.fail("determinant_factor", "error-field-choice");
                None
            }
        },
    };
    let eligible = r.yes_no("eligible");
    let explanation = r.text("explanation", false, LONG);
    let sld = match r.raw("sld_method") {
        None | Some("none") => Some(None),
        Some(method) => match SldMethod::parse(method) {
            None => {
                r.fail("sld_method", "error-field-choice");
                None
            }
            Some(method) => {
                let areas = r.set("sld_areas", SldArea::parse);
                let basis = r.text("sld_basis", false, LONG);
                let observed_behavior = r.text("sld_observed_behavior", false, LONG);
                let behavior_relationship = r.text("sld_behavior_relationship", false, LONG);
                let medical_findings = r.text("sld_medical_findings", false, LONG);
                let not_achieving = r.yes_no("sld_not_achieving");
                let insufficient = r.yes_no("sld_insufficient_progress");
                let other_factors = r.text("sld_other_factors", false, LONG);
                let rti_strategies = r.text("sld_rti_strategies", false, LONG);
                let rti_data = r.text("sld_rti_data", false, LONG);
                let parents_notified = r.raw("sld_parents_notified") == Some("yes");
                let agreeing = r.text("sld_agreeing", false, LONG);
                let statements = r.text("sld_statements", false, LONG);
                let certifications = certifications(&agreeing, &statements);
                match (not_achieving, insufficient) {
                    (Some(a), Some(b)) => Some(Some(SldReport {
                        method,
                        areas,
                        basis,
                        observed_behavior,
                        behavior_relationship,
                        medical_findings,
                        not_achieving_adequately: a,
                        insufficient_progress_or_pattern: b,
                        other_factors,
                        rti_strategies,
                        rti_data,
                        parents_notified,
                        certifications,
                    })),
                    _ => None,
                }
            }
        },
    };
    match (evaluation, needs_sdi, determinant_factor, eligible, sld) {
        (
            Some(evaluation),
            Some(needs_sdi),
            Some(determinant_factor),
            Some(eligible),
            Some(sld),
        ) => Some(IdeaDecision {
            evaluation,
            categories,
            needs_sdi,
            determinant_factor,
            sld,
            eligible,
            explanation,
        }),
        _ => None,
    }
}

/// Members who agree, one per line; members who do not, one per line as `Name: statement`
/// (a line with no statement records a disagreement without one, which the rules refuse).
fn certifications(agreeing: &str, statements: &str) -> Vec<Certification> {
    let mut out: Vec<Certification> = agreeing
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|member| Certification {
            member: member.to_owned(),
            agrees: true,
            statement: String::new(),
        })
        .collect();
    out.extend(
        statements
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (member, statement) = line.split_once(':').unwrap_or((line, ""));
                Certification {
                    member: member.trim().to_owned(),
                    agrees: false,
                    statement: statement.trim().to_owned(),
                }
            }),
    );
    out
}

// ---------------------------------------------------------------------------------------------
// Checking and recording.

/// The student's profile, or the federal one for a jurisdiction without a profile.
fn profile_of(student: &Student) -> &'static law::Profile {
    law::profile(&student.jurisdiction)
        .or_else(|_| law::profile("US"))
        .expect("the federal profile is embedded")
}

/// The rules' view of a decision (None for steps that are not decisions).
pub fn check(step: &Step, on: Date, student: &Student) -> Option<Check> {
    match step {
        Step::Eligibility(d) => Some(law::eligibility::check_idea(
            d,
            law::eligibility::age_on(student.birth_date, on),
            profile_of(student),
        )),
        Step::Section504(d) => Some(law::eligibility::check_504(d)),
        _ => None,
    }
}

/// A finding in words, with its citation.
pub fn finding_text(t: &Tr, f: &Finding) -> String {
    let id = format!("elig-{}", f.code.replace('_', "-"));
    t.with(&id, "detail", f.detail.clone().unwrap_or_default())
}

/// The field a problem is about, so a refused form points at it.
fn problem_field(step: &Step, f: &Finding) -> &'static str {
    match (step, f.code) {
        (_, c) if c.starts_with("dd_") => "categories",
        (_, c) if c.starts_with("excluded_") => "determinant_factor",
        (_, "sld_report_missing") => "sld_method",
        (_, "sld_areas") => "sld_areas",
        (_, "sld_basis") => "sld_basis",
        (_, "sld_observed_behavior") => "sld_observed_behavior",
        (_, "sld_behavior_relationship") => "sld_behavior_relationship",
        (_, "sld_medical_findings") => "sld_medical_findings",
        (_, "sld_other_factors") => "sld_other_factors",
        (_, "sld_rti_strategies_data") => "sld_rti_strategies",
        (_, "sld_rti_parents_notified") => "sld_parents_notified",
        (_, "sld_certifications" | "sld_separate_statement") => "sld_statements",
        (_, "sld_criteria_not_met") => "sld_insufficient_progress",
        (Step::Section504(_), "no_impairment") => "impairment",
        (Step::Section504(_), "no_major_life_activity") => "activities",
        (Step::Section504(_), "mitigating_measures") => "mitigating_measures_considered",
        _ => "eligible",
    }
}

/// A decision the rules refuse, as its form shows it: the fields to fix and the rules broken.
pub fn refused_on_form(
    step: &Step,
    on: Date,
    student: &Student,
) -> Option<(Vec<FieldError>, Vec<Finding>)> {
    let checked = check(step, on, student).filter(|c| !c.ok())?;
    Some((problem_errors(step, &checked.problems), checked.problems))
}

/// The problems as field errors (each field once, pointing to the list of rules broken).
fn problem_errors(step: &Step, problems: &[Finding]) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = Vec::new();
    for f in problems {
        let field = problem_field(step, f);
        if !out.iter().any(|e| e.field == field) {
            out.push(FieldError {
                field,
                message_id: "error-eligibility-rule",
            });
        }
    }
    out
}

/// The case event a step records, if any: a referral is a request for evaluation, a consent
/// answer is the consent event, a decision is `eligibility_determined`; a Section 504 decision,
/// either way, is the 504 team's meeting (initial or reevaluation) with whether it found the
/// student eligible, so a refusal is on the timeline too (34 CFR 104.35, 104.36).
pub fn event_for(step: &Step) -> Option<EventKind> {
    match step {
        Step::Referral(r) => Some(EventKind::EvaluationRequested {
            by: r.by,
            written: r.written,
        }),
        Step::ConsentAnswer(a) if a.given => Some(EventKind::ConsentReceived {
            consent_for: a.consent_for,
        }),
        Step::ConsentAnswer(a) => Some(EventKind::ConsentRefused {
            consent_for: a.consent_for,
        }),
        Step::Eligibility(d) => Some(EventKind::EligibilityDetermined {
            evaluation: d.evaluation,
            eligible: d.eligible,
            categories: d.categories.iter().map(|c| c.as_str().to_owned()).collect(),
        }),
        Step::Section504(d) => Some(EventKind::Plan504MeetingHeld {
            purpose: match d.evaluation {
                EvaluationType::Initial => Plan504Purpose::Initial,
                EvaluationType::Reevaluation => Plan504Purpose::Reevaluation,
            },
            eligible: d.eligible,
        }),
        Step::ConsentRequest(_) | Step::Plan(_) | Step::Report(_) => None,
    }
}

/// Who may record a step: staff who write plans record any; a parent answers consent.
pub fn may_record(grant: &Grant, step: &Step) -> bool {
    grant.permits(Action::WritePlan)
        || (matches!(step, Step::ConsentAnswer(_)) && grant.permits(Action::WriteParentEvent))
}

/// Records a step and its event in the caller's transaction.
pub(crate) fn record_step(
    tx: &mut store::Conn,
    grant: &Grant,
    on: Date,
    step: &Step,
    as_of: Date,
) -> Result<StepRecord, StoreError> {
    let s = &grant.student;
    let user = grant.caller.user.id;
    let record = store::evaluations::add_step(tx, s.district_id, s.id, on, step, Some(user))?;
    let Some(kind) = event_for(step) else {
        return Ok(record);
    };
    let event = Event {
        id: format!("evaluation-{}", record.id),
        on,
        supersedes: None,
        kind,
    };
    obligations::append_and_refresh(tx, s, &event, user, as_of)?;
    store::evaluations::set_step_event(tx, s.id, record.id, &event.id)
}

/// Who may correct a step: staff who write plans (they may record every step).
pub fn may_correct(grant: &Grant) -> bool {
    grant.permits(Action::WritePlan)
}

/// Records a corrected version of step `original` with the reason, in the caller's
/// transaction. The original stays as it was (shown as superseded). Its case event is corrected
/// through the event store's own mechanism: the correction's event names it in `supersedes`, so
/// the law engine reads only the current version, and the obligations are refreshed.
pub(crate) fn record_correction(
    tx: &mut store::Conn,
    grant: &Grant,
    original: i64,
    on: Date,
    step: &Step,
    reason: &str,
    as_of: Date,
) -> Result<StepRecord, StoreError> {
    let s = &grant.student;
    let user = grant.caller.user.id;
    let before = store::evaluations::get_step(tx, s.id, original)?;
    let record = store::evaluations::correct_step(
        tx,
        s.district_id,
        s.id,
        original,
        on,
        step,
        reason,
        Some(user),
    )?;
    let Some(kind) = event_for(step) else {
        return Ok(record);
    };
    let event = Event {
        id: format!("evaluation-{}", record.id),
        on,
        supersedes: before.event_id,
        kind,
    };
    obligations::append_and_refresh(tx, s, &event, user, as_of)?;
    store::evaluations::set_step_event(tx, s.id, record.id, &event.id)
}

// ---------------------------------------------------------------------------------------------
// Prior written notices.

/// The action and subject of a notice drafted from `source`: a decision (IDEA or Section 504)
/// proposes (eligible) or refuses (not eligible) identification; a referral leads to a proposal
/// or a refusal to evaluate; a consent request is a proposal to evaluate. Without a source both
/// are given.
pub fn notice_kind(
    source: Option<&Step>,
    action: Option<NoticeAction>,
    subject: Option<NoticeSubject>,
) -> Option<(NoticeAction, NoticeSubject)> {
    match source {
        Some(Step::Eligibility(d)) => Some((
            if d.eligible {
                NoticeAction::Propose
            } else {
                NoticeAction::Refuse
            },
            NoticeSubject::Identification,
        )),
        Some(Step::Section504(d)) => Some((
            if d.eligible {
                NoticeAction::Propose
            } else {
                NoticeAction::Refuse
            },
            NoticeSubject::Identification,
        )),
        Some(Step::Referral(_)) => Some((action?, NoticeSubject::Evaluation)),
        Some(Step::ConsentRequest(_)) => Some((NoticeAction::Propose, NoticeSubject::Evaluation)),
        Some(_) => None,
        None => Some((action?, subject?)),
    }
}

/// Whether a step can be the source of a notice.
pub fn is_notice_source(step: &Step) -> bool {
    matches!(
        step,
        Step::Eligibility(_) | Step::Section504(_) | Step::Referral(_) | Step::ConsentRequest(_)
    )
}

/// A draft's contents, prefilled from its source: what is proposed or refused, the decision's
/// reasons with their citations, the evaluation procedures the latest report lists, and the
/// standard safeguards and help paragraphs. The team completes the rest before sending.
pub fn draft_contents(
    t: &Tr,
    student: &Student,
    source: Option<&StepRecord>,
    steps: &[StepRecord],
    action: NoticeAction,
    subject: NoticeSubject,
) -> NoticeContents {
    let mut c = NoticeContents {
        safeguards: t.get("pwn-default-safeguards"),
        sources: t.get("pwn-default-sources"),
        ..Default::default()
    };
    let verb = code(&action);
    let Some(source) = source else {
        c.proposal = t.with_args(
            "pwn-draft-description",
            &[
                ("action", &t.term("pwn-action", &verb)),
                ("subject", &t.term("pwn-subject", &code(&subject))),
            ],
        );
        return c;
    };
    let report = steps
        .iter()
        .filter(|s| s.is_current() && s.on <= source.on)
        .filter_map(|s| match &s.step {
            Step::Report(r) => Some(r.procedures.clone()),
            _ => None,
        })
        .next_back();
    match &source.step {
        Step::Eligibility(d) => {
            let categories: Vec<String> = d
                .categories
                .iter()
                .map(|c| t.term("category", c.as_str()))
                .collect();
            c.proposal = if d.eligible {
                t.with("pwn-draft-identify", "categories", categories.join(", "))
            } else {
                t.get("pwn-draft-not-identify")
            };
            let mut why: Vec<String> = Vec::new();
            if !d.explanation.is_empty() {
                why.push(d.explanation.clone());
            }
            if let Some(check) = check(&source.step, source.on, student) {
                why.extend(
                    check
                        .reasons
                        .iter()
                        .map(|f| format!("{} ({})", finding_text(t, f), f.citation)),
                );
            }
            c.explanation = why.join("\n");
            c.basis = report.unwrap_or_default();
        }
        Step::Section504(d) => {
            // Section 504 asks for notice of actions on identification, evaluation and placement
            // (34 CFR 104.36): the decision, why, on what information, the 504 safeguards
            // (records, an impartial hearing, review) and the district's 504 coordinator.
            c.proposal = t.get(if d.eligible {
                "pwn-draft-504-identify"
            } else {
                "pwn-draft-504-not-identify"
            });
            let mut why: Vec<String> = Vec::new();
            if !d.explanation.is_empty() {
                why.push(d.explanation.clone());
            }
            if let Some(check) = check(&source.step, source.on, student) {
                why.extend(
                    check
                        .reasons
                        .iter()
                        .map(|f| format!("{} ({})", finding_text(t, f), f.citation)),
                );
            }
            c.explanation = why.join("\n");
            c.basis = report.unwrap_or_default();
            c.safeguards = t.get("pwn-504-safeguards");
            c.sources = t.get("pwn-504-sources");
        }
        Step::Referral(r) => {
            c.proposal = t.get(if action == NoticeAction::Propose {
                "pwn-draft-evaluate"
            } else {
                "pwn-draft-not-evaluate"
            });
            c.basis = t.with_args(
                "pwn-draft-referral-basis",
                &[
                    ("date", &dates::long_text(source.on, t.lang)),
                    ("concerns", &r.concerns),
                ],
            );
        }
        Step::ConsentRequest(_) => {
            c.proposal = t.get("pwn-draft-evaluate");
            c.basis = report.unwrap_or_default();
        }
        _ => {}
    }
    c
}

/// Drafts a notice in the caller's transaction.
pub(crate) fn draft_notice(
    tx: &mut store::Conn,
    grant: &Grant,
    t: &Tr,
    source_id: Option<i64>,
    action: Option<NoticeAction>,
    subject: Option<NoticeSubject>,
) -> Result<Notice, StoreError> {
    let s = &grant.student;
    let steps = store::evaluations::list_steps(tx, s.id)?;
    let source = match source_id {
        Some(id) => Some(store::evaluations::get_step(tx, s.id, id)?),
        None => None,
    };
    let (action, subject) = notice_kind(source.as_ref().map(|r| &r.step), action, subject)
        .ok_or_else(|| {
            StoreError::Invalid(
                "a notice needs a proposal or refusal: a decision, referral or consent request as its source, or an action and a subject"
                    .into(),
            )
        })?;
    let contents = draft_contents(t, s, source.as_ref(), &steps, action, subject);
    store::evaluations::add_notice(
        tx,
        s.district_id,
        s.id,
        source_id,
        &PriorWrittenNotice {
            action,
            subject,
            contents,
        },
        Some(grant.caller.user.id),
    )
}

/// The seven contents from form fields or a JSON body.
pub fn contents_from_fields(fields: &Fields) -> Result<NoticeContents, Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let contents = NoticeContents {
        proposal: r.text("proposal", false, LONG),
        explanation: r.text("explanation", false, LONG),
        basis: r.text("basis", false, LONG),
        safeguards: r.text("safeguards", false, LONG),
        sources: r.text("sources", false, LONG),
        options_considered: r.text("options_considered", false, LONG),
        other_factors: r.text("other_factors", false, LONG),
    };
    r.finish(Some(contents))
}

/// Marks a complete draft sent and records `prior_written_notice_sent`, in one transaction.
pub(crate) fn send_notice(
    tx: &mut store::Conn,
    grant: &Grant,
    id: i64,
    revision: i64,
    on: Date,
    as_of: Date,
) -> Result<Notice, StoreError> {
    let s = &grant.student;
    let notice = store::evaluations::get_notice(tx, s.id, id)?;
    if let Some(missing) = law::notice::missing_contents(&notice.notice, notice.kind).first() {
        return Err(StoreError::Invalid(format!(
            "{}: the notice must contain it before it is sent ({})",
            missing.field, missing.citation
        )));
    }
    let event = Event {
        id: format!("pwn-{id}"),
        on,
        supersedes: None,
        kind: EventKind::PriorWrittenNoticeSent {
            action: notice.notice.action,
            subject: notice.notice.subject,
        },
    };
    let sent = store::evaluations::mark_sent(tx, s.id, id, revision, on, &event.id)?;
    obligations::append_and_refresh(tx, s, &event, grant.caller.user.id, as_of)?;
    Ok(sent)
}

// ---------------------------------------------------------------------------------------------
// The JSON API.

fn step_json(record: &StepRecord, student: &Student, en: &Tr) -> Result<Value, StoreError> {
    let mut value = to_json(record)?;
    if let Some(check) = check(&record.step, record.on, student) {
        let words = |fs: &[Finding]| -> Vec<Value> {
            fs.iter()
                .map(|f| json!({"code": f.code, "citation": f.citation, "text": finding_text(en, f)}))
                .collect()
        };
        value["reasons"] = json!(words(&check.reasons));
        value["problems"] = json!(words(&check.problems));
    }
    Ok(value)
}

fn notice_json(notice: &Notice) -> Result<Value, StoreError> {
    let mut value = to_json(notice)?;
    value["missing"] = to_json(&law::notice::missing(&notice.notice, notice.kind))?;
    Ok(value)
}

pub async fn evaluations(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    let en = state.i18n.tr(Lang::En);
    read_logged(&state, grant, "read_evaluations", move |tx, s| {
        let steps = store::evaluations::list_steps(tx, s.id)?
            .iter()
            .map(|r| step_json(r, s, &en))
            .collect::<Result<Vec<_>, _>>()?;
        let notices = store::evaluations::list_notices(tx, s.id)?
            .iter()
            .map(notice_json)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(json!({ "steps": steps, "notices": notices }))
    })
    .await
}

#[derive(serde::Deserialize)]
struct StepBody {
    on: Date,
    #[serde(flatten)]
    step: Step,
}

/// Records one step (a decision only if the rules allow it) with its case event.
pub async fn add_step(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let parsed: StepBody = serde_json::from_slice(&body)
        .map_err(|e| AppError::invalid("$", format!("not an evaluation step: {e}")))?;
    if !may_record(&grant, &parsed.step) {
        return Err(AppError::Forbidden(
            "your role may not record this evaluation step",
        ));
    }
    let today = state.clock.today();
    let en = state.i18n.tr(Lang::En);
    refused_step(&parsed.step, parsed.on, today, &grant.student, &en)?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let record = record_step(tx, &grant, parsed.on, &parsed.step, today)?;
            step_json(&record, &grant.student, &en)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

/// A step sent to be recorded (or as a correction) that may not be: a date in the future, or a
/// decision the rules refuse, as a problem naming the field and the rules with citations.
fn refused_step(
    step: &Step,
    on: Date,
    today: Date,
    student: &Student,
    en: &Tr,
) -> Result<(), AppError> {
    if on > today {
        return Err(AppError::invalid("on", "a date that is not in the future"));
    }
    if let Some(check) = check(step, on, student)
        && let Some(first) = check.problems.first()
    {
        let detail: Vec<String> = check
            .problems
            .iter()
            .map(|f| format!("{} ({})", finding_text(en, f), f.citation))
            .collect();
        return Err(AppError::invalid(
            problem_field(step, first),
            detail.join(" "),
        ));
    }
    Ok(())
}

#[derive(serde::Deserialize)]
struct CorrectionBody {
    on: Date,
    reason: String,
    #[serde(flatten)]
    step: Step,
}

/// Records a corrected version of a step, with the reason; answers 201 with the new version
/// (its `supersedes` names the original, which now lists `superseded_by`).
pub async fn correct_step(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let original = crate::api_records::path_id(&params, "step")?;
    let parsed: CorrectionBody = serde_json::from_slice(&body)
        .map_err(|e| AppError::invalid("$", format!("not a corrected evaluation step: {e}")))?;
    if !may_correct(&grant) {
        return Err(AppError::Forbidden(
            "your role may not correct an evaluation step",
        ));
    }
    let today = state.clock.today();
    let en = state.i18n.tr(Lang::En);
    refused_step(&parsed.step, parsed.on, today, &grant.student, &en)?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            let record = record_correction(
                tx,
                &grant,
                original,
                parsed.on,
                &parsed.step,
                &parsed.reason,
                today,
            )?;
            step_json(&record, &grant.student, &en)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

pub async fn notices(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
) -> Result<Response, AppError> {
    read_logged(&state, grant, "read_notices", |tx, s| {
        let notices = store::evaluations::list_notices(tx, s.id)?
            .iter()
            .map(notice_json)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(json!({ "notices": notices }))
    })
    .await
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftBody {
    #[serde(default)]
    step_id: Option<i64>,
    #[serde(default)]
    action: Option<NoticeAction>,
    #[serde(default)]
    subject: Option<NoticeSubject>,
}

/// Drafts a notice from a step (or an action and subject), prefilled as far as the record allows.
pub async fn add_notice(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Extension(t): Extension<Tr>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let draft: DraftBody = serde_json::from_slice(&body)
        .map_err(|e| AppError::invalid("$", format!("not a notice draft: {e}")))?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            notice_json(&draft_notice(
                tx,
                &grant,
                &t,
                draft.step_id,
                draft.action,
                draft.subject,
            )?)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

fn revision_of(fields: &Fields) -> Result<i64, AppError> {
    fields
        .iter()
        .find(|(k, _)| k == "revision")
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or_else(|| AppError::invalid("revision", "the revision the edit was made from"))
}

/// Saves a draft's contents (compare-and-set on `revision`).
pub async fn update_notice(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = crate::api_records::path_id(&params, "notice")?;
    let fields = crate::records_input::from_json(&body)?;
    let revision = revision_of(&fields)?;
    let contents = contents_from_fields(&fields)
        .map_err(|errors| crate::records_input::api_error(&errors, &state.i18n.tr(Lang::En)))?;
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| {
            notice_json(&store::evaluations::update_notice(
                tx,
                grant.student.id,
                id,
                revision,
                &contents,
            )?)
        })?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
}

/// Sends a complete draft: records `prior_written_notice_sent` on the timeline.
pub async fn send(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    Path(params): Path<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let id = crate::api_records::path_id(&params, "notice")?;
    let fields = crate::records_input::from_json(&body)?;
    let revision = revision_of(&fields)?;
    let today = state.clock.today();
    let on = match fields.iter().find(|(k, _)| k == "on") {
        None => today,
        Some((_, v)) => v
            .parse::<Date>()
            .ok()
            .filter(|d| *d <= today)
            .ok_or_else(|| AppError::invalid("on", "a date (YYYY-MM-DD) not in the future"))?,
    };
    let body = db::run(&state, move |conn| {
        Ok(conn.transaction(|tx| notice_json(&send_notice(tx, &grant, id, revision, on, today)?))?)
    })
    .await?;
    Ok(json_response(StatusCode::OK, body.to_string()))
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
    fn an_eligibility_form_reads_every_ticked_category() {
        let today: Date = "2026-11-01".parse().unwrap();
        let (on, step) = step_from_fields(
            &fields(&[
                ("step", "eligibility"),
                ("on", "2026-10-30"),
                ("evaluation", "initial"),
                ("categories", "autism"),
                ("categories", "speech_or_language_impairment"),
                ("needs_sdi", "yes"),
                ("determinant_factor", "none"),
                ("eligible", "yes"),
                ("sld_method", "none"),
            ]),
            today,
        )
        .unwrap();
        assert_eq!(on.to_string(), "2026-10-30");
        let Step::Eligibility(d) = step else {
            panic!("{step:?}")
        };
        assert_eq!(d.categories.len(), 2);
        assert!(d.sld.is_none());
    }

    #[test]
    fn a_bad_form_names_its_fields() {
        let today: Date = "2026-11-01".parse().unwrap();
        let errors = step_from_fields(
            &fields(&[
                ("step", "plan"),
                ("on", "2026-11-05"),
                ("evaluation", "initial"),
                ("areas", "telepathy"),
            ]),
            today,
        )
        .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, ["on", "areas", "assessments"]);
        assert_eq!(errors[0].message_id, "error-field-future");
    }

    #[test]
    fn a_recorded_step_reads_back_from_its_fields() {
        let today: Date = "2026-11-01".parse().unwrap();
        let on: Date = "2026-10-20".parse().unwrap();
        let steps = [
            Step::Referral(Referral {
                by: Requester::School,
                requester: "Ms. Lee".into(),
                written: false,
                concerns: "Reading".into(),
            }),
            Step::ConsentAnswer(ConsentAnswer {
                consent_for: ConsentFor::Reevaluation,
                given: false,
            }),
            Step::Plan(EvaluationPlan {
                evaluation: EvaluationType::Initial,
                areas: vec![Area::Health, Area::Communication],
                assessments: "CELF-5".into(),
            }),
            Step::Eligibility(IdeaDecision {
                evaluation: EvaluationType::Initial,
                categories: vec![IdeaCategory::SpecificLearningDisability],
                needs_sdi: true,
                determinant_factor: None,
                sld: Some(SldReport {
                    method: SldMethod::Rti,
                    areas: vec![SldArea::BasicReadingSkill],
                    basis: "Data".into(),
                    observed_behavior: "Avoids reading".into(),
                    behavior_relationship: "Related".into(),
                    medical_findings: "None".into(),
                    not_achieving_adequately: true,
                    insufficient_progress_or_pattern: true,
                    other_factors: "None".into(),
                    rti_strategies: "Tier 2".into(),
                    rti_data: "Probes".into(),
                    parents_notified: true,
                    certifications: vec![
                        Certification {
                            member: "Ms. Lee".into(),
                            agrees: true,
                            statement: String::new(),
                        },
                        Certification {
                            member: "Dr. Ko".into(),
                            agrees: false,
                            statement: "attention first".into(),
                        },
                    ],
                }),
                eligible: true,
                explanation: "Both prongs".into(),
            }),
            Step::Section504(Section504Decision {
                evaluation: EvaluationType::Reevaluation,
                impairment: "Asthma".into(),
                impairment_kind: ImpairmentKind::Physical,
                activities: vec![MajorLifeActivity::Breathing],
                substantially_limits: true,
                mitigating_measures_considered: false,
                episodic: true,
                eligible: true,
                explanation: String::new(),
            }),
        ];
        for step in steps {
            let (back_on, back) = step_from_fields(&fields_of(on, &step), today).unwrap();
            assert_eq!((back_on, back), (on, step));
        }
    }

    #[test]
    fn certifications_read_agreement_and_statements() {
        let c = certifications("Ms. Lee\n\nMr. Diaz", "Dr. Ko: attention first\nMs. Ray");
        assert_eq!(c.len(), 4);
        assert!(c[0].agrees && c[1].agrees);
        assert_eq!(c[2].statement, "attention first");
        assert!(!c[3].agrees && c[3].statement.is_empty());
    }

    #[test]
    fn notice_kinds_follow_the_source() {
        let refusal = Step::Eligibility(IdeaDecision {
            evaluation: EvaluationType::Initial,
            categories: vec![],
            needs_sdi: false,
            determinant_factor: None,
            sld: None,
            eligible: false,
            explanation: String::new(),
        });
        assert_eq!(
            notice_kind(Some(&refusal), None, None),
            Some((NoticeAction::Refuse, NoticeSubject::Identification))
        );
        assert_eq!(notice_kind(None, Some(NoticeAction::Propose), None), None);
        let referral = Step::Referral(Referral {
            by: Requester::Parent,
            requester: "P".into(),
            written: true,
            concerns: String::new(),
        });
        assert_eq!(
            notice_kind(Some(&referral), Some(NoticeAction::Refuse), None),
            Some((NoticeAction::Refuse, NoticeSubject::Evaluation))
        );
    }
}
