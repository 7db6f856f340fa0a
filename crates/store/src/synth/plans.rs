//! IEPs and 504 plans for the synthetic district, at every stage of their lifecycle: drafts,
//! drafts shared with the family (with a parent's comment), finalized versions whose
//! accommodations teachers have or have not acknowledged (with reminders), and amendments that
//! superseded an earlier version. Complete content that passes the plan checks, from the
//! student's age (transition and the age-of-majority statement appear when the law asks).
//! Every student whose IEP meeting is on the timeline has the IEP it finalized; its service
//! grid and goals are the case records the ledger and progress monitoring read (the records
//! module writes them from this content and fills in their ids, as finalizing does). Every
//! student on a 504 plan has the plan their last 504 meeting finalized.

use crate::db::Conn;
use crate::{StoreError, params};
use domain::Date;
use domain::plan_content::{
    Assessment, Esy, IepContent, Lre, Meeting, Plan504Content, PlanGoal, ServiceLine, StudentAges,
    Support, TeamMember, Transition,
};

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(jiff::Span::new().days(n))
}

fn member(name: &str, role: &str, interprets: bool) -> TeamMember {
    TeamMember {
        name: name.to_owned(),
        role: role.to_owned(),
        attendance: "present".into(),
        excusal_in_writing: false,
        interprets_evaluations: interprets,
    }
}

/// The people around one student, by name, for a plan's team and providers.
#[derive(Debug, Clone, Default)]
pub struct Team {
    pub parent: String,
    pub teacher: String,
    pub case_manager: String,
    pub coordinator: String,
}

const AREAS: [(&str, &str, &str, f64, f64); 3] = [
    (
        "Reading fluency",
        "will read a grade-level passage aloud",
        "words correct per minute",
        42.0,
        80.0,
    ),
    (
        "Written expression",
        "will write a paragraph with a topic sentence and three details",
        "rubric points out of 12",
        4.0,
        10.0,
    ),
    (
        "Math calculation",
        "will solve two-digit addition and subtraction problems",
        "problems correct in 2 minutes",
        6.0,
        18.0,
    ),
];

/// A complete IEP for a meeting on `meeting_on`: it passes `IepContent::problems`.
pub fn iep_content(
    first_name: &str,
    ages: &StudentAges,
    meeting_on: Date,
    purpose: &str,
    team: &Team,
    variant: u64,
) -> IepContent {
    let (area, text, measure, baseline, target) = AREAS[(variant % 3) as usize];
    let year_later = add_days(meeting_on, 364);
    let percent = [85u8, 65, 90, 45][(variant % 4) as usize];
    let transition = ages.transition_required(meeting_on);
    let majority = ages.majority_statement_required(meeting_on);
    let mut members = vec![
        member(&team.parent, "parent", false),
        member(&team.teacher, "regular_education_teacher", false),
        member(&team.case_manager, "special_education_teacher", true),
        member("Dana Whitfield", "lea_representative", false),
    ];
    if variant % 5 == 1 {
        // The district representative was excused in writing (300.321(e)).
        members[3].attendance = "excused".into();
        members[3].excusal_in_writing = true;
    }
    if transition {
        members.push(member(first_name, "student", false));
    }
    IepContent {
        meeting: Meeting {
            on: Some(meeting_on),
            purpose: purpose.to_owned(),
        },
        present_levels: format!(
            "{first_name} participates in class discussion and works well with peers. In {}, \
             {first_name} scores well below grade-level benchmarks ({baseline} {measure}), \
             which limits access to grade-level assignments.",
            area.to_lowercase()
        ),
        goals: vec![PlanGoal {
            area: area.to_owned(),
            description: format!("By {year_later}, {first_name} {text}."),
            measure: measure.to_owned(),
            baseline: Some(baseline),
            baseline_on: Some(meeting_on),
            target: Some(target),
            criterion: "on 3 consecutive weekly probes".into(),
            by: Some(year_later),
            direction: "increase".into(),
            objectives: Vec::new(),
            goal_id: None,
        }],
        progress_reporting: "Written progress reports each quarter, with report cards.".into(),
        // Half the plans name their reporting dates (about the ends of the grading periods);
        // the others report every three months from the meeting.
        progress_report_dates: if variant % 2 == 1 {
            [70, 140, 217, 357]
                .iter()
                .map(|&n| add_days(meeting_on, n))
                .collect()
        } else {
            Vec::new()
        },
        services: vec![
            ServiceLine {
                category: "special_education".into(),
                service: format!("Specialized instruction in {}", area.to_lowercase()),
                provider_role: "special_education_teacher".into(),
                minutes: [150, 200, 120, 250][(variant % 4) as usize],
                per: "week".into(),
                setting: "Resource room".into(),
                start: Some(add_days(meeting_on, 1)),
                end: Some(year_later),
                service_id: None,
            },
            ServiceLine {
                category: "related_service".into(),
                service: "Speech-language therapy".into(),
                provider_role: "speech_language_pathologist".into(),
                minutes: 60,
                per: "week".into(),
                setting: "Speech room (pull-out)".into(),
                start: Some(add_days(meeting_on, 1)),
                end: Some(year_later),
                service_id: None,
            },
        ],
        accommodations: vec![
            Support {
                description: "Extended time (time and a half) on tests and assignments".into(),
                provider: "All teachers".into(),
                setting: "All classes and tests".into(),
            },
            Support {
                description: "Directions read aloud and checked for understanding".into(),
                provider: "Classroom teachers".into(),
                setting: "General education classes".into(),
            },
        ],
        modifications: if variant % 3 == 2 {
            vec![Support {
                description: "Shortened spelling lists (10 words instead of 20)".into(),
                provider: "Classroom teacher".into(),
                setting: "Language arts".into(),
            }]
        } else {
            Vec::new()
        },
        assessment: Assessment {
            participation: "with_accommodations".into(),
            accommodations: "Extended time; small-group setting".into(),
            alternate_reason: String::new(),
        },
        lre: Lre {
            setting: "regular_school".into(),
            regular_class_percent: Some(percent),
            removal_explanation: "Specialized instruction in a small group in the resource \
                                  room; all other instruction in general education."
                .into(),
            ..Lre::default()
        },
        esy: Esy {
            decision: if variant % 4 == 3 {
                "eligible"
            } else {
                "not_eligible"
            }
            .into(),
            note: String::new(),
        },
        transition: if transition {
            Transition {
                postsecondary_goals: format!(
                    "After high school, {first_name} will attend community college and work \
                     part time."
                ),
                services: "Career interest inventory; job shadowing; visit to the community \
                           college's disability services office."
                    .into(),
                course_of_study: "General diploma track with career and technical electives."
                    .into(),
            }
        } else {
            Transition::default()
        },
        age_of_majority_statement: if majority {
            format!(
                "On {meeting_on}, {first_name} and the parents were told that the rights under \
                 IDEA transfer to {first_name} at the age of majority."
            )
        } else {
            String::new()
        },
        team: members,
        parent_participation: if variant % 7 == 6 {
            "phone"
        } else {
            "in_person"
        }
        .into(),
    }
}

/// A complete 504 plan for a meeting on `meeting_on`, reviewed on `review_on`.
pub fn plan504_content(
    meeting_on: Date,
    purpose: &str,
    review_on: Date,
    team: &Team,
    variant: u64,
) -> Plan504Content {
    let (impairment, activities, accommodations): (&str, &[&str], &[(&str, &str)]) =
        match variant % 3 {
            0 => (
                "Attention-deficit/hyperactivity disorder",
                &["concentrating", "learning"],
                &[
                    ("Preferential seating near instruction", "All classes"),
                    ("Breaks of 5 minutes when needed", "All classes"),
                    (
                        "Extended time (time and a half) on tests",
                        "Tests and quizzes",
                    ),
                ],
            ),
            1 => (
                "Type 1 diabetes",
                &["eating", "caring for oneself"],
                &[
                    ("Snacks and water in class", "All classes"),
                    (
                        "Blood glucose checks in class or the nurse's office",
                        "Whole school day",
                    ),
                    (
                        "Make-up work without penalty after health absences",
                        "All classes",
                    ),
                ],
            ),
            _ => (
                "Anxiety disorder",
                &["concentrating", "thinking"],
                &[
                    ("Testing in a quiet room", "Tests and quizzes"),
                    ("Advance notice of schedule changes", "All classes"),
                ],
            ),
        };
    Plan504Content {
        meeting: Meeting {
            on: Some(meeting_on),
            purpose: purpose.to_owned(),
        },
        impairment: impairment.to_owned(),
        major_life_activities: activities.iter().map(|a| (*a).to_owned()).collect(),
        accommodations: accommodations
            .iter()
            .map(|(what, where_)| Support {
                description: (*what).to_owned(),
                provider: format!("Classroom teachers ({})", team.teacher),
                setting: (*where_).to_owned(),
            })
            .collect(),
        review_on: Some(review_on),
        coordinator: team.coordinator.clone(),
    }
}

/// One student's part of the plans.
pub(crate) struct StudentPlans {
    pub index: u64,
    pub student_id: i64,
    pub first_name: String,
    pub ages: StudentAges,
    /// `on_iep`, `eligible_pending_iep` or `plan504`.
    pub stage: &'static str,
    /// The last meeting of the student's kind of plan on the timeline (IEP meetings for an
    /// IEP, 504 meetings for a 504 plan), with its purpose.
    pub meeting: Option<(Date, &'static str)>,
    pub guardian: Option<i64>,
    pub teacher: Option<i64>,
    pub case_manager: Option<i64>,
    pub coordinator: Option<i64>,
    /// The related-service provider (speech), when the student has one.
    pub provider: Option<i64>,
    pub team: Team,
    /// The federal environment code of the student's IDEA program association, which the
    /// IEP's LRE section states (and the child count then reads from the IEP in effect).
    pub environment: Option<&'static str>,
    /// The IEP the last meeting finalized (`on_iep` with a meeting): built by `iep_in_effect`,
    /// its service and goal ids filled in when the records module writes them.
    pub iep: Option<IepContent>,
}

/// The IEP a student's last IEP meeting finalized: the specialized instruction of its area,
/// speech-language therapy when the student has a provider, one measurable goal. `None`
/// without an IEP meeting on the timeline (no IEP was written).
pub(crate) fn iep_in_effect(s: &StudentPlans) -> Option<IepContent> {
    if s.stage != "on_iep" {
        return None;
    }
    let (meeting_on, purpose) = s.meeting?;
    let mut iep = iep_content(
        &s.first_name,
        &s.ages,
        meeting_on,
        purpose,
        &s.team,
        s.index,
    );
    iep.lre = lre_for(s.environment, iep.lre.regular_class_percent.unwrap_or(85));
    if s.provider.is_none() {
        iep.services.retain(|l| l.category != "related_service");
    }
    Some(iep)
}

/// The LRE section that yields `environment` (school-age or early-childhood code); without
/// one, the school-age share of the day in regular class `percent`.
pub fn lre_for(environment: Option<&str>, percent: u8) -> Lre {
    let explanation = |text: &str| text.to_owned();
    let (setting, percent, hours, location, why) = match environment {
        Some("RC80") | None => (
            "regular_school",
            Some(percent.max(80)),
            "",
            "",
            explanation(
                "Specialized instruction in a small group in the resource room; all other \
                 instruction in general education.",
            ),
        ),
        Some("RC79TO40") => (
            "regular_school",
            Some(60),
            "",
            "",
            explanation("Reading and writing instruction in the resource room each morning."),
        ),
        Some("RC39") => (
            "regular_school",
            Some(30),
            "",
            "",
            explanation("Most instruction in a special class; lunch, art and music with peers."),
        ),
        Some(code @ ("REC10YSVCS" | "REC10YOTHLOC" | "REC09YSVCS" | "REC09YOTHLOC")) => (
            "regular_ec_program",
            None,
            if code.starts_with("REC10") {
                "10_or_more"
            } else {
                "under_10"
            },
            if code.ends_with("SVCS") {
                "in_program"
            } else {
                "elsewhere"
            },
            explanation(if code.ends_with("SVCS") {
                ""
            } else {
                "Speech therapy at the district's early-childhood center twice a week."
            }),
        ),
        Some(code) => (
            code,
            None,
            "",
            "",
            explanation(
                "The team found the child's needs cannot be met with nondisabled peers at \
                 this time; the setting is reviewed at each IEP meeting.",
            ),
        ),
    };
    Lre {
        setting: setting.to_owned(),
        regular_class_percent: percent,
        removal_explanation: why,
        ec_program_hours: hours.to_owned(),
        ec_services_location: location.to_owned(),
    }
}

struct Writer<'a> {
    tx: &'a mut Conn,
    district_id: i64,
    student_id: i64,
    created_at: &'a str,
}

impl Writer<'_> {
    #[allow(clippy::too_many_arguments)]
    fn version(
        &mut self,
        kind: &str,
        version: i64,
        status: &str,
        content: &serde_json::Value,
        summary: Option<&str>,
        by: Option<i64>,
    ) -> Result<i64, StoreError> {
        let finalized = matches!(status, "finalized" | "superseded" | "ended");
        let (environment, starts_on) = if finalized && kind == "iep" {
            crate::plans::reported_environment(content)
        } else {
            (None, None)
        };
        let id = self
            .tx
            .query_one(
                "INSERT INTO plans (district_id, student_id, kind, version, status, content,
                                    change_summary, created_by, created_at, updated_at,
                                    finalized_at, finalized_by, environment, starts_on)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12, $13) RETURNING id",
                params![
                    self.district_id,
                    self.student_id,
                    kind,
                    version,
                    status,
                    content.to_string(),
                    summary,
                    by,
                    self.created_at,
                    finalized.then_some(self.created_at),
                    by.filter(|_| finalized),
                    environment,
                    starts_on
                ],
            )?
            .int(0)?;
        self.tx.execute(
            "INSERT INTO plan_edits (district_id, student_id, plan_id, revision, content, edited_by, edited_at)
             VALUES ($1, $2, $3, 1, $4, $5, $6)",
            params![
                self.district_id,
                self.student_id,
                id,
                content.to_string(),
                by,
                self.created_at
            ],
        )?;
        Ok(id)
    }

    fn delivery(
        &mut self,
        plan_id: i64,
        teacher: i64,
        acknowledged: bool,
        reminders: u32,
    ) -> Result<(), StoreError> {
        let id = self
            .tx
            .query_one(
                "INSERT INTO accommodation_deliveries (district_id, student_id, plan_id, teacher_id,
                                                       assigned_at, acknowledged_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                params![
                    self.district_id,
                    self.student_id,
                    plan_id,
                    teacher,
                    self.created_at,
                    acknowledged.then_some(self.created_at)
                ],
            )?
            .int(0)?;
        for _ in 0..reminders {
            self.tx.execute(
                "INSERT INTO accommodation_reminders (district_id, delivery_id, reminded_at)
                 VALUES ($1, $2, $3)",
                params![self.district_id, id, self.created_at],
            )?;
        }
        Ok(())
    }

    /// A parent's comment on a shared draft (the guardian's id and display name).
    fn comment(
        &mut self,
        plan_id: i64,
        (author, name): (i64, &str),
        body: &str,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO plan_comments (district_id, student_id, plan_id, author_id, author_name,
                                        author_role, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            params![
                self.district_id,
                self.student_id,
                plan_id,
                author,
                name,
                domain::people::Role::Parent.as_str(),
                body,
                self.created_at
            ],
        )?;
        Ok(())
    }
}

fn json(value: &impl serde::Serialize) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

const PARENT_COMMENT: &str = "Thank you for sending the draft. Could the reading goal include \
                              how we will hear about progress at home?";

pub(crate) fn write(
    tx: &mut Conn,
    district_id: i64,
    anchor: Date,
    students: &[StudentPlans],
    created_at: &str,
) -> Result<(), StoreError> {
    for s in students {
        let mut w = Writer {
            tx,
            district_id,
            student_id: s.student_id,
            created_at,
        };
        let variant = s.index;
        let parent = s.guardian.map(|g| (g, s.team.parent.as_str()));
        match (s.stage, &s.iep, s.meeting) {
            ("on_iep", Some(v1), Some((meeting_on, _))) => {
                let by = s.case_manager;
                match variant % 5 {
                    // Amended: version 1 superseded by a finalized version 2 (same services
                    // and goals, updated in place as finalizing an amendment does).
                    3 => {
                        w.version("iep", 1, "superseded", &json(v1)?, None, by)?;
                        let mut v2 = v1.clone();
                        v2.meeting = Meeting {
                            on: Some(add_days(meeting_on, 21).min(anchor)),
                            purpose: "amendment".into(),
                        };
                        v2.accommodations.push(Support {
                            description: "Use of a calculator on math assignments".into(),
                            provider: "Math teacher".into(),
                            setting: "Math class".into(),
                        });
                        let id = w.version(
                            "iep",
                            2,
                            "finalized",
                            &json(&v2)?,
                            Some("Adds a calculator for math assignments."),
                            by,
                        )?;
                        if let Some(t) = s.teacher {
                            w.delivery(id, t, true, 0)?;
                        }
                    }
                    // In effect, with an amendment shared with the family for comment.
                    2 => {
                        let id = w.version("iep", 1, "finalized", &json(v1)?, None, by)?;
                        if let Some(t) = s.teacher {
                            w.delivery(id, t, true, 0)?;
                        }
                        let mut v2 = v1.clone();
                        v2.meeting = Meeting {
                            on: None,
                            purpose: "amendment".into(),
                        };
                        v2.esy.decision = "eligible".into();
                        let draft = w.version(
                            "iep",
                            2,
                            "shared",
                            &json(&v2)?,
                            Some("Extended school year services this summer."),
                            by,
                        )?;
                        if let Some(parent) = parent {
                            w.comment(draft, parent, PARENT_COMMENT)?;
                        }
                    }
                    // In effect, the teacher has not acknowledged (reminded once or not yet).
                    n => {
                        let id = w.version("iep", 1, "finalized", &json(v1)?, None, by)?;
                        if let Some(t) = s.teacher {
                            let acknowledged = n == 0 || n == 4;
                            w.delivery(id, t, acknowledged, u32::from(n == 1))?;
                        }
                    }
                }
            }
            ("eligible_pending_iep", _, _) => {
                let mut content = iep_content(
                    &s.first_name,
                    &s.ages,
                    add_days(anchor, 7),
                    "initial",
                    &s.team,
                    variant,
                );
                content.lre = lre_for(s.environment, 85);
                if variant % 2 == 0 {
                    // A draft still being written: present levels only.
                    let draft = IepContent {
                        meeting: Meeting {
                            on: None,
                            purpose: "initial".into(),
                        },
                        present_levels: content.present_levels,
                        ..IepContent::default()
                    };
                    w.version("iep", 1, "draft", &json(&draft)?, None, s.case_manager)?;
                } else {
                    let id =
                        w.version("iep", 1, "shared", &json(&content)?, None, s.case_manager)?;
                    if let Some(parent) = parent {
                        w.comment(id, parent, PARENT_COMMENT)?;
                    }
                }
            }
            ("plan504", _, Some((meeting_on, purpose))) => {
                let by = s.coordinator;
                let content = plan504_content(
                    meeting_on,
                    purpose,
                    add_days(meeting_on, 365),
                    &s.team,
                    variant,
                );
                let id = w.version("plan504", 1, "finalized", &json(&content)?, None, by)?;
                if let Some(t) = s.teacher {
                    w.delivery(id, t, variant % 3 != 1, u32::from(variant % 3 == 1))?;
                }
                if variant % 6 == 5 {
                    // The coming review, being drafted.
                    let mut review = content.clone();
                    review.meeting = Meeting {
                        on: None,
                        purpose: "review".into(),
                    };
                    w.version(
                        "plan504",
                        2,
                        "draft",
                        &json(&review)?,
                        Some("Annual review: are the accommodations still the right ones?"),
                        by,
                    )?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
