//! Evaluation records for the synthetic district, read off each student's generated timeline
//! so records and events agree: a referral for each request, a consent request and answer for
//! each consent event, an evaluation plan, report and eligibility decision (with the SLD
//! written report where SLD is found) for each decision, a Section 504 decision for each
//! initial 504 meeting (eligible or not), and a sent prior written notice for each notice event
//! that follows one. A few referrals entered wrong are corrected, with the correction's case
//! event superseding the original's.

use super::records::StudentRecords;
use crate::StoreError;
use crate::bulk::{BulkInsert, reserve_ids};
use crate::db::{Conn, Value};
use domain::Date;
use domain::codes::IdeaCategory;
use domain::evaluation::{
    Area, Certification, ConsentAnswer, ConsentRequest, EvaluationPlan, EvaluationReport,
    ExclusionaryFactor, IdeaDecision, ImpairmentKind, MajorLifeActivity, NoticeContents, Referral,
    Section504Decision, SldArea, SldMethod, SldReport, Step,
};
use domain::event::{EventKind, NoticeAction, NoticeSubject, Plan504Purpose, Requester};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(jiff::Span::new().days(n))
}

/// A separate random stream per student, so these records leave the rest of the district
/// exactly as before for a seed.
fn rng_for(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6576_616c_7561_7465);
    rng.set_stream(index);
    rng
}

const CONCERNS: &[&str] = &[
    "Struggles to read grade-level text and avoids reading aloud.",
    "Speech is hard to understand outside the family.",
    "Falls behind in math and cannot keep up with classwork.",
    "Has trouble paying attention and finishing work.",
    "Frequent meltdowns at transitions; few friendships.",
];

const IMPAIRMENTS: &[(&str, ImpairmentKind, MajorLifeActivity, bool)] = &[
    (
        "ADHD",
        ImpairmentKind::Mental,
        MajorLifeActivity::Concentrating,
        false,
    ),
    (
        "Type 1 diabetes",
        ImpairmentKind::Physical,
        MajorLifeActivity::EndocrineFunction,
        false,
    ),
    (
        "Asthma",
        ImpairmentKind::Physical,
        MajorLifeActivity::Breathing,
        true,
    ),
    (
        "Anxiety disorder",
        ImpairmentKind::Mental,
        MajorLifeActivity::Thinking,
        true,
    ),
    (
        "Food allergy",
        ImpairmentKind::Physical,
        MajorLifeActivity::ImmuneFunction,
        true,
    ),
];

const SAFEGUARDS: &str = "You have protection under the procedural safeguards of IDEA. \
    A copy of the Notice of Procedural Safeguards was given to you; ask the special education \
    office for another copy at any time.";
const SAFEGUARDS_504: &str = "To examine your child's records, or to ask for an impartial \
    hearing or a review of this decision, write to the district's Section 504 coordinator \
    (34 CFR 104.36).";
const SOURCES_504: &str = "The district's Section 504 coordinator answers questions about \
    this decision and gives copies of the district's Section 504 procedures.";
const SOURCES: &str = "The state Parent Training and Information Center and the district's \
    special education office can help you understand this notice.";

fn notice(
    action: NoticeAction,
    subject: NoticeSubject,
    description: &str,
    explanation: &str,
    basis: &str,
    options: &str,
) -> Text {
    (
        action,
        subject,
        NoticeContents {
            proposal: description.to_owned(),
            explanation: explanation.to_owned(),
            basis: basis.to_owned(),
            safeguards: SAFEGUARDS.to_owned(),
            sources: SOURCES.to_owned(),
            options_considered: options.to_owned(),
            other_factors: "None.".to_owned(),
        },
    )
}

fn sld_report(rng: &mut ChaCha8Rng) -> SldReport {
    let rti = rng.random_bool(0.6);
    SldReport {
        method: if rti { SldMethod::Rti } else { SldMethod::Psw },
        areas: vec![if rng.random_bool(0.7) {
            SldArea::BasicReadingSkill
        } else {
            SldArea::MathCalculation
        }],
        basis: "Standardized achievement testing, curriculum-based measures and classroom work."
            .into(),
        observed_behavior: "Avoids independent reading; asks peers for help.".into(),
        behavior_relationship: "Avoidance reduces practice and time on task.".into(),
        medical_findings: "None reported.".into(),
        not_achieving_adequately: true,
        insufficient_progress_or_pattern: true,
        other_factors: "Not primarily the result of a sensory or motor disability, intellectual \
            disability, emotional disturbance, cultural factors, environmental or economic \
            disadvantage, or limited English proficiency."
            .into(),
        rti_strategies: if rti {
            "Tier 2 small-group phonics, 30 minutes daily for 12 weeks.".into()
        } else {
            String::new()
        },
        rti_data: if rti {
            "Weekly oral reading fluency probes.".into()
        } else {
            String::new()
        },
        parents_notified: rti,
        certifications: vec![
            Certification {
                member: "School psychologist".into(),
                agrees: true,
                statement: String::new(),
            },
            Certification {
                member: "General education teacher".into(),
                agrees: true,
                statement: String::new(),
            },
        ],
    }
}

type Text = (NoticeAction, NoticeSubject, NoticeContents);

/// A step entered wrong and corrected later (as `store::evaluations::correct_step` records it,
/// with a case event superseding the original's).
struct Correction {
    /// Index into `steps` of the step corrected.
    original: usize,
    step: Step,
    reason: &'static str,
    kind: EventKind,
}

#[derive(Default)]
struct Out {
    steps: Vec<(Date, Step, Option<String>)>,
    /// (index into `steps` of the source, sent on, event id, notice)
    notices: Vec<(usize, Date, String, Text)>,
    corrections: Vec<Correction>,
}

/// Now and then the first referral was entered wrong: a written request entered as a phone
/// call, or the concerns copied from the wrong form. A correction fixes it.
fn correction(out: &Out, rng: &mut ChaCha8Rng) -> Option<Correction> {
    if !rng.random_bool(0.08) {
        return None;
    }
    let (original, referral) = out
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, (_, step, id))| match step {
            Step::Referral(r) if id.is_some() => Some((i, r)),
            _ => None,
        })?;
    let mut fixed = referral.clone();
    let reason = if referral.written {
        let next = CONCERNS
            .iter()
            .position(|c| *c == referral.concerns)
            .map_or(0, |i| (i + 1) % CONCERNS.len());
        fixed.concerns = CONCERNS[next].into();
        "The concerns were copied from another referral form; corrected from the signed referral."
    } else {
        fixed.written = true;
        "The request came as a signed letter; it was first entered as a phone call."
    };
    Some(Correction {
        original,
        kind: EventKind::EvaluationRequested {
            by: fixed.by,
            written: fixed.written,
        },
        step: Step::Referral(fixed),
        reason,
    })
}

fn student_records(s: &StudentRecords<'_>, rng: &mut ChaCha8Rng) -> Out {
    let mut out = Out::default();
    let mut last_referral: Option<usize> = None;
    let mut last_decision: Option<usize> = None;
    let mut consent_on: Option<Date> = None;
    for event in s.events {
        let on = event.on;
        let id = Some(event.id.clone());
        match &event.kind {
            EventKind::EvaluationRequested { by, written } => {
                let requester = match by {
                    Requester::Parent => "Parent",
                    Requester::School => "Classroom teacher",
                    Requester::Other => "Pediatrician",
                };
                out.steps.push((
                    on,
                    Step::Referral(Referral {
                        by: *by,
                        requester: requester.into(),
                        written: *written,
                        concerns: CONCERNS[rng.random_range(0..CONCERNS.len())].into(),
                    }),
                    id,
                ));
                last_referral = Some(out.steps.len() - 1);
                last_decision = None;
            }
            EventKind::ConsentReceived { consent_for }
            | EventKind::ConsentRefused { consent_for } => {
                let given = matches!(event.kind, EventKind::ConsentReceived { .. });
                let asked = add_days(on, -rng.random_range(1..6));
                out.steps.push((
                    asked,
                    Step::ConsentRequest(ConsentRequest {
                        consent_for: *consent_for,
                    }),
                    None,
                ));
                out.steps.push((
                    on,
                    Step::ConsentAnswer(ConsentAnswer {
                        consent_for: *consent_for,
                        given,
                    }),
                    id,
                ));
                consent_on = Some(on);
            }
            EventKind::EligibilityDetermined {
                evaluation,
                eligible,
                categories,
            } => {
                let categories: Vec<IdeaCategory> = categories
                    .iter()
                    .filter_map(|c| IdeaCategory::parse(c))
                    .collect();
                let planned = consent_on
                    .map_or(add_days(on, -40), |c| add_days(c, 1))
                    .min(on);
                let mut areas = vec![Area::AcademicPerformance, Area::GeneralIntelligence];
                if categories.contains(&IdeaCategory::SpeechOrLanguageImpairment) {
                    areas.push(Area::Communication);
                }
                if rng.random_bool(0.3) {
                    areas.push(Area::SocialEmotional);
                }
                out.steps.push((
                    planned,
                    Step::Plan(EvaluationPlan {
                        evaluation: *evaluation,
                        areas,
                        assessments: "Cognitive and achievement testing, classroom observation, \
                            review of records, parent and teacher rating scales."
                            .into(),
                    }),
                    None,
                ));
                out.steps.push((
                    add_days(on, -2).max(planned),
                    Step::Report(EvaluationReport {
                        evaluation: *evaluation,
                        procedures: "WISC-V; WIAT-4; classroom observation; records review; \
                            parent and teacher interviews."
                            .into(),
                        summary: if *eligible {
                            "Scores and observations show a disability that requires specially \
                             designed instruction."
                                .into()
                        } else {
                            "Scores are within the average range; the difficulties are met by \
                             general-education support."
                                .into()
                        },
                    }),
                    None,
                ));
                let sld = categories
                    .contains(&IdeaCategory::SpecificLearningDisability)
                    .then(|| sld_report(rng));
                let excluded = (!eligible && rng.random_bool(0.15)).then(|| {
                    if rng.random_bool(0.5) {
                        ExclusionaryFactor::ReadingInstruction
                    } else {
                        ExclusionaryFactor::LimitedEnglish
                    }
                });
                out.steps.push((
                    on,
                    Step::Eligibility(IdeaDecision {
                        evaluation: *evaluation,
                        needs_sdi: *eligible,
                        categories,
                        determinant_factor: excluded,
                        sld,
                        eligible: *eligible,
                        explanation: String::new(),
                    }),
                    id,
                ));
                last_decision = Some(out.steps.len() - 1);
            }
            EventKind::PriorWrittenNoticeSent { action, subject } => {
                let made = match (action, subject, last_decision, last_referral) {
                    (_, NoticeSubject::Identification, Some(decision), _)
                        if matches!(out.steps[decision].1, Step::Section504(_)) =>
                    {
                        let mut text = notice(
                            *action,
                            *subject,
                            "The district finds your child not eligible under Section 504.",
                            "The 504 team found an impairment that does not substantially limit a major life activity.",
                            "The 504 evaluation: grades, attendance, teacher reports and the parents' information.",
                            "A 504 plan was considered and rejected; general-education support remains available.",
                        );
                        text.2.safeguards = SAFEGUARDS_504.to_owned();
                        text.2.sources = SOURCES_504.to_owned();
                        Some((decision, text))
                    }
                    (_, NoticeSubject::Identification, Some(decision), _) => {
                        let eligible = matches!(
                            out.steps[decision].1,
                            Step::Eligibility(IdeaDecision { eligible: true, .. })
                        );
                        let text = if eligible {
                            notice(
                                *action,
                                *subject,
                                "The district proposes to identify your child as a child with a disability eligible for special education.",
                                "The evaluation found a disability and a need for specially designed instruction.",
                                "The evaluation report and its assessments, classroom observation and records review.",
                                "General-education support alone was considered and rejected because it would not meet your child's needs.",
                            )
                        } else {
                            notice(
                                *action,
                                *subject,
                                "The district refuses to identify your child as eligible for special education.",
                                "The evaluation did not find that your child needs specially designed instruction because of a disability.",
                                "The evaluation report and its assessments, classroom observation and records review.",
                                "Eligibility was considered and rejected; a Section 504 evaluation and general-education support remain available.",
                            )
                        };
                        Some((decision, text))
                    }
                    (NoticeAction::Propose, NoticeSubject::Evaluation, _, Some(referral)) => {
                        Some((
                            referral,
                            notice(
                                *action,
                                *subject,
                                "The district proposes to evaluate your child in all areas of suspected disability.",
                                "The referral describes concerns that suggest a disability.",
                                "The referral, classroom work and records review.",
                                "Continuing to monitor without an evaluation was considered and rejected.",
                            ),
                        ))
                    }
                    _ => None,
                };
                if let Some((source, text)) = made {
                    out.notices.push((source, on, event.id.clone(), text));
                }
            }
            EventKind::Plan504MeetingHeld {
                purpose: Plan504Purpose::Initial,
                eligible: false,
            } => {
                // An impairment the team found does not substantially limit a major life
                // activity, even without mitigating measures.
                let (impairment, kind, activity, _) =
                    IMPAIRMENTS[rng.random_range(0..IMPAIRMENTS.len())];
                out.steps.push((
                    on,
                    Step::Section504(Section504Decision {
                        evaluation: domain::event::EvaluationType::Initial,
                        impairment: impairment.into(),
                        impairment_kind: kind,
                        activities: vec![activity],
                        substantially_limits: false,
                        mitigating_measures_considered: false,
                        episodic: false,
                        eligible: false,
                        explanation: "Grades, attendance and teacher reports show no substantial \
                            limitation compared with most students; the school will keep \
                            monitoring."
                            .into(),
                    }),
                    id,
                ));
                last_decision = Some(out.steps.len() - 1);
            }
            EventKind::Plan504MeetingHeld {
                purpose: Plan504Purpose::Initial,
                eligible: true,
            } => {
                let (impairment, kind, activity, episodic) =
                    IMPAIRMENTS[rng.random_range(0..IMPAIRMENTS.len())];
                let mut activities = vec![activity];
                if activity != MajorLifeActivity::Learning {
                    activities.push(MajorLifeActivity::Learning);
                }
                out.steps.push((
                    on,
                    Step::Section504(Section504Decision {
                        evaluation: domain::event::EvaluationType::Initial,
                        impairment: impairment.into(),
                        impairment_kind: kind,
                        activities,
                        substantially_limits: true,
                        mitigating_measures_considered: false,
                        episodic,
                        eligible: true,
                        explanation: String::new(),
                    }),
                    id,
                ));
            }
            _ => {}
        }
    }
    out.corrections.extend(correction(&out, rng));
    out
}

pub(crate) fn write(
    tx: &mut Conn,
    district_id: i64,
    seed: u64,
    students: &[StudentRecords<'_>],
    created_at: &str,
) -> Result<(), StoreError> {
    let per_student: Vec<Out> = students
        .iter()
        .map(|s| student_records(s, &mut rng_for(seed, s.index)))
        .collect();
    let total: usize = per_student
        .iter()
        .map(|o| o.steps.len() + o.corrections.len())
        .sum();
    let ids = reserve_ids(tx, "evaluation_steps", "id", total)?;
    let mut steps = BulkInsert::new(
        "evaluation_steps",
        &[
            "id",
            "district_id",
            "student_id",
            "step",
            "on_date",
            "body",
            "event_id",
            "created_at",
        ],
    );
    let mut notice_rows: Vec<[Value; 10]> = Vec::new();
    let mut correction_rows: Vec<[Value; 10]> = Vec::new();
    let mut event_rows: Vec<[Value; 7]> = Vec::new();
    let mut next = ids.into_iter();
    for (s, out) in students.iter().zip(&per_student) {
        let mut step_ids = Vec::with_capacity(out.steps.len());
        for (on, step, event_id) in &out.steps {
            let id = next
                .next()
                .ok_or_else(|| StoreError::Corrupt("too few reserved ids".into()))?;
            step_ids.push(id);
            let body =
                serde_json::to_string(step).map_err(|e| StoreError::Invalid(e.to_string()))?;
            steps.push(
                tx,
                [
                    Value::Int(id),
                    Value::Int(district_id),
                    Value::Int(s.student_id),
                    Value::from(step.name()),
                    Value::from(*on),
                    Value::Text(body),
                    event_id.clone().map_or(Value::Null, Value::Text),
                    Value::from(created_at),
                ],
            )?;
        }
        for c in &out.corrections {
            let id = next
                .next()
                .ok_or_else(|| StoreError::Corrupt("too few reserved ids".into()))?;
            let (on, _, original_event) = &out.steps[c.original];
            let event = domain::event::Event {
                id: format!("evaluation-{id}"),
                on: *on,
                supersedes: original_event.clone(),
                kind: c.kind.clone(),
            };
            let body =
                serde_json::to_string(&c.step).map_err(|e| StoreError::Invalid(e.to_string()))?;
            correction_rows.push([
                Value::Int(id),
                Value::Int(district_id),
                Value::Int(s.student_id),
                Value::from(c.step.name()),
                Value::from(*on),
                Value::Text(body),
                Value::from(&event.id),
                Value::from(created_at),
                Value::Int(step_ids[c.original]),
                Value::from(c.reason),
            ]);
            let kind = crate::events::kind_tag(&event)?;
            event_rows.push([
                Value::Int(district_id),
                Value::Int(s.student_id),
                Value::from(&event.id),
                Value::from(*on),
                Value::from(kind),
                Value::Text(
                    serde_json::to_string(&event)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?,
                ),
                Value::from(created_at),
            ]);
        }
        for (source, sent_on, event_id, (action, subject, contents)) in &out.notices {
            let tag = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
            notice_rows.push([
                Value::Int(district_id),
                Value::Int(s.student_id),
                Value::Int(step_ids[*source]),
                Value::Text(tag(serde_json::json!(action))),
                Value::Text(tag(serde_json::json!(subject))),
                Value::Text(
                    serde_json::to_string(contents)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?,
                ),
                Value::from(*sent_on),
                Value::Text(event_id.clone()),
                Value::Int(2),
                Value::from(created_at),
            ]);
        }
    }
    steps.flush(tx)?;
    // Corrections point at the steps they correct, and their events supersede the originals'.
    let mut corrections = BulkInsert::new(
        "evaluation_steps",
        &[
            "id",
            "district_id",
            "student_id",
            "step",
            "on_date",
            "body",
            "event_id",
            "created_at",
            "supersedes",
            "correction_reason",
        ],
    );
    for row in correction_rows {
        corrections.push(tx, row)?;
    }
    corrections.flush(tx)?;
    let mut events = BulkInsert::new(
        "events",
        &[
            "district_id",
            "student_id",
            "event_id",
            "on_date",
            "kind",
            "body",
            "recorded_at",
        ],
    );
    for row in event_rows {
        events.push(tx, row)?;
    }
    events.flush(tx)?;
    // Notices point at steps, so they are written after every step is.
    let mut notices = BulkInsert::new(
        "prior_written_notices",
        &[
            "district_id",
            "student_id",
            "step_id",
            "action",
            "subject",
            "body",
            "sent_on",
            "event_id",
            "revision",
            "created_at",
        ],
    );
    for row in notice_rows {
        notices.push(tx, row)?;
    }
    notices.flush(tx)
}
