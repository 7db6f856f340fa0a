//! What an IEP and a Section 504 plan say, as data, and the checks a plan editor shows before
//! a team finalizes: every element of 34 CFR 300.320 for an IEP (measurable goals, the service
//! grid, the environment code for the share of the day in regular class, transition and the
//! age-of-majority statement from the state's ages), the team of 300.321 with attendance and
//! written excusals, and for a 504 plan the impairment, major life activities and
//! accommodations (34 CFR 104.3(j), 104.33). Pure: the caller supplies the student's ages.

use crate::Date;
use crate::codes::{
    EARLY_CHILDHOOD_ENVIRONMENTS, SCHOOL_AGE_ENVIRONMENTS, early_childhood_environment,
    environment_for_regular_class_percent, is_early_childhood,
};
use serde::{Deserialize, Serialize};

/// The sections of an IEP, in the order the editor and the documents show them.
pub const IEP_SECTIONS: &[&str] = &[
    "meeting",
    "present_levels",
    "goals",
    "progress_reporting",
    "services",
    "accommodations",
    "assessment",
    "lre",
    "esy",
    "transition",
    "team",
];

/// The sections of a 504 plan.
pub const PLAN504_SECTIONS: &[&str] = &["meeting", "eligibility", "accommodations", "review"];

/// What an IEP meeting was for (the `purpose` of `iep_meeting_held`).
pub const IEP_PURPOSES: &[&str] = &["initial", "annual", "reevaluation", "amendment"];
/// What a 504 meeting was for (the `purpose` of `plan504_meeting_held`).
pub const PLAN504_PURPOSES: &[&str] = &["initial", "review", "reevaluation"];
/// The categories of the service grid (34 CFR 300.320(a)(4)).
pub const SERVICE_CATEGORIES: &[&str] =
    &["special_education", "related_service", "supplementary_aid"];
pub const SERVICE_PERIODS: &[&str] = &["week", "month"];
/// How the student takes state and district assessments (34 CFR 300.320(a)(6)).
pub const ASSESSMENT_PARTICIPATION: &[&str] = &["regular", "with_accommodations", "alternate"];
/// Where the student is served when not in a regular school (EDFacts codes).
pub const LRE_SETTINGS: &[&str] = &["regular_school", "SS", "RF", "HH", "CF", "PPPS"];
/// Where a child aged 3–5 not in kindergarten is served: a regular early-childhood program
/// (hours and where services are received below), or the separate setting's EDFacts code.
pub const LRE_EC_SETTINGS: &[&str] = &["regular_ec_program", "SC", "SS", "RF", "H", "SPL"];
pub const ESY_DECISIONS: &[&str] = &["eligible", "not_eligible"];
/// The members of 34 CFR 300.321(a).
pub const TEAM_ROLES: &[&str] = &[
    "parent",
    "regular_education_teacher",
    "special_education_teacher",
    "lea_representative",
    "evaluation_interpreter",
    "student",
    "related_service_provider",
    "other",
];
pub const ATTENDANCE: &[&str] = &["present", "excused", "absent"];
/// How the parent took part (34 CFR 300.322): in person, by phone or video, or the school's
/// documented attempts when the parent did not come (300.322(d)).
pub const PARENT_PARTICIPATION: &[&str] = &[
    "in_person",
    "phone",
    "video",
    "did_not_attend_after_attempts",
];

/// The IEP meeting this version comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Meeting {
    pub on: Option<Date>,
    pub purpose: String,
}

/// A measurable annual goal (34 CFR 300.320(a)(2)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanGoal {
    pub area: String,
    pub description: String,
    /// What is counted, e.g. "words correct per minute".
    pub measure: String,
    pub baseline: Option<f64>,
    pub baseline_on: Option<Date>,
    pub target: Option<f64>,
    /// How mastery is judged, e.g. "on 3 consecutive weekly probes".
    pub criterion: String,
    /// The date by which the target is met.
    pub by: Option<Date>,
    /// `increase` or `decrease`.
    pub direction: String,
    /// Short-term objectives or benchmarks (required with alternate assessment).
    pub objectives: Vec<String>,
    /// The progress-monitoring goal this one became when a version was finalized.
    pub goal_id: Option<i64>,
}

/// One row of the service grid (34 CFR 300.320(a)(4), 300.320(a)(7)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceLine {
    pub category: String,
    pub service: String,
    pub provider_role: String,
    pub minutes: i64,
    /// `week` or `month`.
    pub per: String,
    pub setting: String,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// The service-ledger row this line became when a version was finalized.
    pub service_id: Option<i64>,
}

/// An accommodation or modification: what, who provides it, where.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Support {
    pub description: String,
    pub provider: String,
    pub setting: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Assessment {
    pub participation: String,
    pub accommodations: String,
    /// Why the regular assessment is not appropriate (300.320(a)(6)(ii)).
    pub alternate_reason: String,
}

/// The least restrictive environment (34 CFR 300.320(a)(5), 300.114).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lre {
    /// `regular_school`, or the separate setting's federal code.
    pub setting: String,
    pub regular_class_percent: Option<u8>,
    /// Why the student is not with nondisabled peers the rest of the day.
    pub removal_explanation: String,
    /// Early childhood, in a regular program: `10_or_more` or `under_10` hours a week.
    pub ec_program_hours: String,
    /// Early childhood, in a regular program: where the majority of special education and
    /// related services are received, `in_program` or `elsewhere`.
    pub ec_services_location: String,
}

/// Extended school year (34 CFR 300.106).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Esy {
    pub decision: String,
    pub note: String,
}

/// Transition (34 CFR 300.320(b)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Transition {
    pub postsecondary_goals: String,
    pub services: String,
    pub course_of_study: String,
}

/// One member of the team (34 CFR 300.321) and whether they came.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    pub role: String,
    /// `present`, `excused` or `absent`.
    pub attendance: String,
    /// The parent agreed in writing and the member gave input in writing (300.321(e)).
    pub excusal_in_writing: bool,
    /// Can interpret the instructional implications of evaluation results (300.321(a)(5)).
    pub interprets_evaluations: bool,
}

/// The content of one IEP version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IepContent {
    pub meeting: Meeting,
    pub present_levels: String,
    pub goals: Vec<PlanGoal>,
    pub progress_reporting: String,
    /// The dates the family receives a written progress report (34 CFR 300.320(a)(3)(ii)).
    /// Without dates the schedule is every three months from the meeting (see
    /// [`IepContent::progress_report_schedule`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub progress_report_dates: Vec<Date>,
    pub services: Vec<ServiceLine>,
    pub accommodations: Vec<Support>,
    pub modifications: Vec<Support>,
    pub assessment: Assessment,
    pub lre: Lre,
    pub esy: Esy,
    pub transition: Transition,
    /// The statement that the student was told of the rights that transfer at the age of
    /// majority (300.320(c)).
    pub age_of_majority_statement: String,
    pub team: Vec<TeamMember>,
    pub parent_participation: String,
}

/// The content of one 504 plan version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Plan504Content {
    pub meeting: Meeting,
    pub impairment: String,
    pub major_life_activities: Vec<String>,
    pub accommodations: Vec<Support>,
    pub review_on: Option<Date>,
    pub coordinator: String,
}

/// The student's side of the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudentAges {
    pub birth_date: Date,
    /// In kindergarten (a 5-year-old in kindergarten is reported school-age).
    pub kindergarten: bool,
    /// The state's transition age (the profile's; 16 federally).
    pub transition_age: u8,
    /// The state's age of majority.
    pub majority_age: u8,
}

impl StudentAges {
    fn birthday(&self, years: u8) -> Option<Date> {
        self.birth_date
            .checked_add(jiff::Span::new().years(i64::from(years)))
            .ok()
    }

    /// Whole years of age on `on`.
    pub fn age_on(&self, on: Date) -> i64 {
        self.birth_date
            .until(on)
            .ok()
            .and_then(|span| {
                span.total((jiff::Unit::Year, self.birth_date))
                    .ok()
                    .map(|y| y.floor() as i64)
            })
            .unwrap_or(0)
    }

    /// Whether on `on` the child is reported in the early-childhood environments (3–5, not in
    /// kindergarten), so the IEP's LRE section records an early-childhood placement.
    pub fn early_childhood_on(&self, on: Date) -> bool {
        is_early_childhood(self.age_on(on), self.kindergarten)
    }

    /// Whether the IEP starting `on` is in effect when the student reaches the transition age
    /// (the first IEP in effect then must include transition: 300.320(b)).
    pub fn transition_required(&self, on: Date) -> bool {
        self.birthday(self.transition_age)
            .is_some_and(|birthday| birthday <= one_year_after(on))
    }

    /// Whether the student reaches the age of majority within a year of `on` (300.320(c)).
    pub fn majority_statement_required(&self, on: Date) -> bool {
        self.birthday(self.majority_age.saturating_sub(1))
            .is_some_and(|birthday| birthday <= on)
    }
}

fn one_year_after(on: Date) -> Date {
    on.checked_add(jiff::Span::new().years(1)).unwrap_or(on)
}

/// One thing a plan lacks, with the section it belongs to and the rule that asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub section: &'static str,
    pub code: &'static str,
    /// The row of a list section (goal, service, member), counted from 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
    /// What is missing, for a goal: `measure`, `baseline`, `target`, `criterion`, `by_date`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<&'static str>,
    pub citation: &'static str,
}

fn problem(section: &'static str, code: &'static str, citation: &'static str) -> Problem {
    Problem {
        section,
        code,
        item: None,
        missing: Vec::new(),
        citation,
    }
}

impl PlanGoal {
    /// The measurable-goal check: what keeps this goal from being measurable.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.measure.trim().is_empty() {
            missing.push("measure");
        }
        if self.baseline.is_none_or(|v| !v.is_finite()) {
            missing.push("baseline");
        }
        if self.target.is_none_or(|v| !v.is_finite()) {
            missing.push("target");
        }
        if self.criterion.trim().is_empty() {
            missing.push("criterion");
        }
        if self.by.is_none() {
            missing.push("by_date");
        }
        missing
    }

    pub fn is_measurable(&self) -> bool {
        self.missing().is_empty()
    }
}

impl Lre {
    /// The federal educational-environment code. School age (6–21, and 5 in kindergarten): a
    /// regular school maps the share of the day in regular class to RC80, RC79TO40 or RC39.
    /// Early childhood (3–5): a regular early-childhood program maps hours and where services
    /// are received to REC10YSVCS … REC09YOTHLOC (`codes::early_childhood_environment`). A
    /// separate setting is its own code in either vocabulary.
    pub fn environment_code(&self) -> Option<&'static str> {
        match self.setting.as_str() {
            "regular_school" | "" => self
                .regular_class_percent
                .filter(|p| *p <= 100)
                .map(environment_for_regular_class_percent),
            "regular_ec_program" => early_childhood_environment(
                &self.setting,
                &self.ec_program_hours,
                &self.ec_services_location,
            ),
            setting => LRE_SETTINGS
                .iter()
                .chain(LRE_EC_SETTINGS)
                .copied()
                .find(|s| *s == setting),
        }
    }

    /// The child spends the whole day with nondisabled peers: all day in regular class, or in
    /// a regular early-childhood program that is where most services are received.
    fn no_removal(&self) -> bool {
        (self.setting == "regular_school" && self.regular_class_percent == Some(100))
            || (self.setting == "regular_ec_program" && self.ec_services_location == "in_program")
    }

    /// Whether the child takes part in a regular education environment (300.321(a)(2)).
    fn in_regular_environment(&self) -> bool {
        self.regular_class_percent.is_some_and(|p| p > 0) || self.setting == "regular_ec_program"
    }
}

impl IepContent {
    /// The day the IEP takes effect: its first service's start, else the meeting date.
    pub fn starts_on(&self) -> Option<Date> {
        self.services
            .iter()
            .filter_map(|l| l.start)
            .min()
            .or(self.meeting.on)
    }

    /// Whether the IEP is written for a child in the early-childhood environments on the day it
    /// takes effect (`on` when it has no date yet).
    pub fn early_childhood(&self, ages: &StudentAges, on: Date) -> bool {
        ages.early_childhood_on(self.starts_on().unwrap_or(on))
    }
}

/// The team composition check of 34 CFR 300.321: each required member is on the team and either
/// came or was excused in writing; the student is invited when transition is discussed.
pub fn team_problems(team: &[TeamMember], regular_class: bool, transition: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    let attending = |m: &TeamMember| {
        m.attendance == "present" || (m.attendance == "excused" && m.excusal_in_writing)
    };
    let has = |role: &str| team.iter().any(|m| m.role == role);
    let mut required: Vec<(&str, &'static str, &'static str)> = vec![
        ("parent", "team_no_parent", "34 CFR 300.321(a)(1)"),
        (
            "special_education_teacher",
            "team_no_special_education_teacher",
            "34 CFR 300.321(a)(3)",
        ),
        (
            "lea_representative",
            "team_no_lea_representative",
            "34 CFR 300.321(a)(4)",
        ),
    ];
    if regular_class {
        required.push((
            "regular_education_teacher",
            "team_no_regular_education_teacher",
            "34 CFR 300.321(a)(2)",
        ));
    }
    if transition {
        required.push((
            "student",
            "team_student_not_invited",
            "34 CFR 300.321(b)(1)",
        ));
    }
    for (role, code, citation) in required {
        if !has(role) {
            out.push(problem("team", code, citation));
        }
    }
    if !team
        .iter()
        .any(|m| m.role == "evaluation_interpreter" || m.interprets_evaluations)
    {
        out.push(problem(
            "team",
            "team_no_evaluation_interpreter",
            "34 CFR 300.321(a)(5)",
        ));
    }
    for (i, member) in team.iter().enumerate() {
        if member.name.trim().is_empty() || !TEAM_ROLES.contains(&member.role.as_str()) {
            out.push(Problem {
                item: Some(i),
                ..problem("team", "team_member_incomplete", "34 CFR 300.321(a)")
            });
        }
        // The parent's absence is governed by 300.322(d), not by excusal.
        if member.role != "parent" && member.role != "student" && !attending(member) {
            let code = if member.attendance == "excused" {
                "team_excusal_not_in_writing"
            } else {
                "team_member_absent"
            };
            out.push(Problem {
                item: Some(i),
                ..problem("team", code, "34 CFR 300.321(e)")
            });
        }
    }
    out
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

fn service_complete(line: &ServiceLine) -> bool {
    SERVICE_CATEGORIES.contains(&line.category.as_str())
        && !blank(&line.service)
        && !blank(&line.provider_role)
        && line.minutes > 0
        && SERVICE_PERIODS.contains(&line.per.as_str())
        && !blank(&line.setting)
        && matches!((line.start, line.end), (Some(s), Some(e)) if s <= e)
}

fn support_complete(s: &Support) -> bool {
    !blank(&s.description) && !blank(&s.provider) && !blank(&s.setting)
}

/// How many reports a year the default schedule gives (quarterly) and how far apart they are.
const DEFAULT_REPORTS: i64 = 4;
const DEFAULT_REPORT_MONTHS: i64 = 3;

impl IepContent {
    /// The dates progress reports are due under this IEP, in order: the written dates, or when
    /// none are written every three months from the meeting for its year ("quarterly"), or
    /// none at all without a meeting date.
    pub fn progress_report_schedule(&self) -> Vec<Date> {
        if !self.progress_report_dates.is_empty() {
            let mut dates = self.progress_report_dates.clone();
            dates.sort();
            dates.dedup();
            return dates;
        }
        let Some(start) = self.meeting.on else {
            return Vec::new();
        };
        (1..=DEFAULT_REPORTS)
            .filter_map(|q| {
                start
                    .checked_add(jiff::Span::new().months(q * DEFAULT_REPORT_MONTHS))
                    .ok()
            })
            .collect()
    }

    /// Written reporting dates must fall in the IEP's year (after the meeting, at most a year
    /// later) and appear once.
    fn report_date_problems(&self) -> Vec<Problem> {
        let citation = "34 CFR 300.320(a)(3)(ii)";
        let mut out = Vec::new();
        for (i, on) in self.progress_report_dates.iter().enumerate() {
            let outside = self
                .meeting
                .on
                .is_some_and(|start| *on <= start || *on > one_year_after(start));
            if outside {
                out.push(Problem {
                    item: Some(i),
                    ..problem(
                        "progress_reporting",
                        "progress_report_date_outside_year",
                        citation,
                    )
                });
            }
            if self.progress_report_dates[..i].contains(on) {
                out.push(Problem {
                    item: Some(i),
                    ..problem(
                        "progress_reporting",
                        "progress_report_date_repeated",
                        citation,
                    )
                });
            }
        }
        out
    }

    /// Everything this IEP lacks before it can be finalized, section by section.
    pub fn problems(&self, ages: &StudentAges) -> Vec<Problem> {
        let mut out = Vec::new();
        match self.meeting.on {
            None => out.push(problem(
                "meeting",
                "meeting_date_missing",
                "34 CFR 300.324(a)",
            )),
            Some(_) if !IEP_PURPOSES.contains(&self.meeting.purpose.as_str()) => out.push(problem(
                "meeting",
                "meeting_purpose_missing",
                "34 CFR 300.324(a)",
            )),
            Some(_) => {}
        }
        if blank(&self.present_levels) {
            out.push(problem(
                "present_levels",
                "present_levels_missing",
                "34 CFR 300.320(a)(1)",
            ));
        }
        if self.goals.is_empty() {
            out.push(problem("goals", "no_goals", "34 CFR 300.320(a)(2)(i)"));
        }
        let alternate = self.assessment.participation == "alternate";
        for (i, goal) in self.goals.iter().enumerate() {
            let missing = goal.missing();
            if blank(&goal.description) || !missing.is_empty() {
                out.push(Problem {
                    item: Some(i),
                    missing,
                    ..problem("goals", "goal_not_measurable", "34 CFR 300.320(a)(2)(i)")
                });
            }
            if alternate && goal.objectives.iter().all(|o| blank(o)) {
                out.push(Problem {
                    item: Some(i),
                    ..problem("goals", "objectives_required", "34 CFR 300.320(a)(2)(ii)")
                });
            }
        }
        if blank(&self.progress_reporting) {
            out.push(problem(
                "progress_reporting",
                "progress_reporting_missing",
                "34 CFR 300.320(a)(3)",
            ));
        }
        out.extend(self.report_date_problems());
        if self.services.is_empty() {
            out.push(problem("services", "no_services", "34 CFR 300.320(a)(4)"));
        }
        for (i, line) in self.services.iter().enumerate() {
            if !service_complete(line) {
                out.push(Problem {
                    item: Some(i),
                    ..problem("services", "service_incomplete", "34 CFR 300.320(a)(7)")
                });
            }
        }
        for (i, s) in self
            .accommodations
            .iter()
            .chain(&self.modifications)
            .enumerate()
        {
            if !support_complete(s) {
                out.push(Problem {
                    item: Some(i),
                    ..problem(
                        "accommodations",
                        "support_incomplete",
                        "34 CFR 300.320(a)(4)",
                    )
                });
            }
        }
        match self.assessment.participation.as_str() {
            "regular" => {}
            "with_accommodations" if !blank(&self.assessment.accommodations) => {}
            "alternate" if !blank(&self.assessment.alternate_reason) => {}
            _ => out.push(problem(
                "assessment",
                "assessment_incomplete",
                "34 CFR 300.320(a)(6)",
            )),
        }
        let early = self
            .starts_on()
            .is_some_and(|on| ages.early_childhood_on(on));
        match self.lre.environment_code() {
            None => out.push(problem("lre", "lre_missing", "34 CFR 300.320(a)(5)")),
            Some(code) => {
                let reported: &[&str] = if early {
                    &EARLY_CHILDHOOD_ENVIRONMENTS
                } else {
                    &SCHOOL_AGE_ENVIRONMENTS
                };
                if !reported.contains(&code) {
                    out.push(problem(
                        "lre",
                        if early {
                            "lre_early_childhood"
                        } else {
                            "lre_school_age"
                        },
                        "34 CFR 300.320(a)(5), 300.640",
                    ));
                }
                if !self.lre.no_removal() && blank(&self.lre.removal_explanation) {
                    out.push(problem(
                        "lre",
                        "removal_not_explained",
                        "34 CFR 300.320(a)(5)",
                    ));
                }
            }
        }
        if !ESY_DECISIONS.contains(&self.esy.decision.as_str()) {
            out.push(problem("esy", "esy_undecided", "34 CFR 300.106"));
        }
        let on = self.meeting.on;
        let transition = on.is_some_and(|on| ages.transition_required(on));
        if transition {
            let t = &self.transition;
            if blank(&t.postsecondary_goals) {
                out.push(problem(
                    "transition",
                    "postsecondary_goals_missing",
                    "34 CFR 300.320(b)(1)",
                ));
            }
            if blank(&t.services) || blank(&t.course_of_study) {
                out.push(problem(
                    "transition",
                    "transition_services_missing",
                    "34 CFR 300.320(b)(2)",
                ));
            }
        }
        if on.is_some_and(|on| ages.majority_statement_required(on))
            && blank(&self.age_of_majority_statement)
        {
            out.push(problem(
                "transition",
                "age_of_majority_statement_missing",
                "34 CFR 300.320(c)",
            ));
        }
        let regular_class = self.lre.in_regular_environment();
        out.extend(team_problems(&self.team, regular_class, transition));
        if !PARENT_PARTICIPATION.contains(&self.parent_participation.as_str()) {
            out.push(problem(
                "team",
                "parent_participation_missing",
                "34 CFR 300.322",
            ));
        }
        out
    }
}

impl Plan504Content {
    /// Everything this 504 plan lacks before it can be finalized.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.meeting.on.is_none() || !PLAN504_PURPOSES.contains(&self.meeting.purpose.as_str()) {
            out.push(problem("meeting", "meeting_date_missing", "34 CFR 104.35"));
        }
        if blank(&self.impairment) {
            out.push(problem(
                "eligibility",
                "impairment_missing",
                "34 CFR 104.3(j)(1)",
            ));
        }
        if self.major_life_activities.iter().all(|a| blank(a)) {
            out.push(problem(
                "eligibility",
                "major_life_activities_missing",
                "34 CFR 104.3(j)(2)(ii)",
            ));
        }
        if self.accommodations.is_empty() {
            out.push(problem(
                "accommodations",
                "no_accommodations",
                "34 CFR 104.33(b)",
            ));
        }
        for (i, s) in self.accommodations.iter().enumerate() {
            if !support_complete(s) {
                out.push(Problem {
                    item: Some(i),
                    ..problem("accommodations", "support_incomplete", "34 CFR 104.33(b)")
                });
            }
        }
        if self.review_on.is_none() {
            out.push(problem("review", "review_date_missing", "34 CFR 104.35(d)"));
        }
        if blank(&self.coordinator) {
            out.push(problem("review", "coordinator_missing", "34 CFR 104.7(a)"));
        }
        out
    }
}

/// Top-level sections whose content differs between two versions of a plan (JSON objects):
/// what an amendment changed, or what another person saved since an editor's copy.
pub fn changed_sections(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let a = before.as_object().unwrap_or(&empty);
    let b = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| (*k).clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn goal() -> PlanGoal {
        PlanGoal {
            area: "Reading".into(),
            description: "Read grade-level text aloud".into(),
            measure: "words correct per minute".into(),
            baseline: Some(42.0),
            baseline_on: Some(d("2026-09-08")),
            target: Some(90.0),
            criterion: "on 3 consecutive weekly probes".into(),
            by: Some(d("2027-06-01")),
            direction: "increase".into(),
            objectives: Vec::new(),
            goal_id: None,
        }
    }

    fn member(role: &str, attendance: &str) -> TeamMember {
        TeamMember {
            name: format!("Member {role}"),
            role: role.into(),
            attendance: attendance.into(),
            excusal_in_writing: false,
            interprets_evaluations: role == "special_education_teacher",
        }
    }

    fn full_team() -> Vec<TeamMember> {
        [
            "parent",
            "regular_education_teacher",
            "special_education_teacher",
            "lea_representative",
        ]
        .iter()
        .map(|r| member(r, "present"))
        .collect()
    }

    fn ages(birth: &str) -> StudentAges {
        StudentAges {
            birth_date: d(birth),
            kindergarten: false,
            transition_age: 16,
            majority_age: 18,
        }
    }

    fn complete_iep() -> IepContent {
        IepContent {
            meeting: Meeting {
                on: Some(d("2026-10-01")),
                purpose: "annual".into(),
            },
            present_levels: "Reads at a second-grade level.".into(),
            goals: vec![goal()],
            progress_reporting: "Quarterly, with report cards".into(),
            progress_report_dates: Vec::new(),
            services: vec![ServiceLine {
                category: "special_education".into(),
                service: "Specialized reading instruction".into(),
                provider_role: "special_education_teacher".into(),
                minutes: 150,
                per: "week".into(),
                setting: "resource room".into(),
                start: Some(d("2026-10-02")),
                end: Some(d("2027-10-01")),
                service_id: None,
            }],
            accommodations: vec![Support {
                description: "Extended time (1.5x)".into(),
                provider: "all teachers".into(),
                setting: "tests and quizzes".into(),
            }],
            modifications: Vec::new(),
            assessment: Assessment {
                participation: "regular".into(),
                ..Assessment::default()
            },
            lre: Lre {
                setting: "regular_school".into(),
                regular_class_percent: Some(85),
                removal_explanation: "Reading instruction in a small group".into(),
                ..Lre::default()
            },
            esy: Esy {
                decision: "not_eligible".into(),
                note: String::new(),
            },
            transition: Transition::default(),
            age_of_majority_statement: String::new(),
            team: full_team(),
            parent_participation: "in_person".into(),
        }
    }

    #[test]
    fn a_complete_iep_has_no_problems() {
        assert_eq!(complete_iep().problems(&ages("2016-03-01")), vec![]);
    }

    #[test]
    fn the_reporting_schedule_is_the_written_dates_or_quarterly_from_the_meeting() {
        let mut iep = complete_iep();
        assert_eq!(
            iep.progress_report_schedule(),
            vec![
                d("2027-01-01"),
                d("2027-04-01"),
                d("2027-07-01"),
                d("2027-10-01")
            ]
        );
        iep.progress_report_dates = vec![d("2027-03-19"), d("2026-11-06"), d("2027-03-19")];
        assert_eq!(
            iep.progress_report_schedule(),
            vec![d("2026-11-06"), d("2027-03-19")]
        );
        iep.meeting.on = None;
        iep.progress_report_dates.clear();
        assert_eq!(iep.progress_report_schedule(), vec![]);
    }

    #[test]
    fn reporting_dates_must_fall_in_the_iep_year_once() {
        let mut iep = complete_iep();
        iep.progress_report_dates = vec![
            d("2026-12-18"),
            d("2026-10-01"),
            d("2027-10-02"),
            d("2026-12-18"),
            d("2027-10-01"),
        ];
        let problems: Vec<(&str, Option<usize>)> = iep
            .problems(&ages("2016-03-01"))
            .iter()
            .map(|p| {
                assert_eq!(p.section, "progress_reporting");
                assert_eq!(p.citation, "34 CFR 300.320(a)(3)(ii)");
                (p.code, p.item)
            })
            .collect();
        assert_eq!(
            problems,
            vec![
                ("progress_report_date_outside_year", Some(1)),
                ("progress_report_date_outside_year", Some(2)),
                ("progress_report_date_repeated", Some(3)),
            ]
        );
    }

    #[test]
    fn a_goal_without_baseline_or_date_is_not_measurable() {
        let mut g = goal();
        assert!(g.is_measurable());
        g.baseline = None;
        g.by = None;
        g.criterion = " ".into();
        assert_eq!(g.missing(), vec!["baseline", "criterion", "by_date"]);
        let mut iep = complete_iep();
        iep.goals = vec![g];
        let problems = iep.problems(&ages("2016-03-01"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "goal_not_measurable");
        assert_eq!(problems[0].item, Some(0));
        assert_eq!(problems[0].citation, "34 CFR 300.320(a)(2)(i)");
    }

    #[test]
    fn alternate_assessment_requires_objectives() {
        let mut iep = complete_iep();
        iep.assessment = Assessment {
            participation: "alternate".into(),
            accommodations: String::new(),
            alternate_reason: "Significant cognitive disability".into(),
        };
        let codes: Vec<_> = iep
            .problems(&ages("2016-03-01"))
            .iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(codes, vec!["objectives_required"]);
        iep.goals[0].objectives = vec!["By January, 60 wcpm".into()];
        assert!(iep.problems(&ages("2016-03-01")).is_empty());
    }

    #[test]
    fn the_team_needs_each_role_of_300_321() {
        assert!(team_problems(&full_team(), true, false).is_empty());
        let codes = |team: &[TeamMember], rc: bool, tr: bool| -> Vec<&'static str> {
            team_problems(team, rc, tr).iter().map(|p| p.code).collect()
        };
        assert_eq!(
            codes(&full_team()[..1], true, false),
            vec![
                "team_no_special_education_teacher",
                "team_no_lea_representative",
                "team_no_regular_education_teacher",
                "team_no_evaluation_interpreter",
            ]
        );
        // A student served entirely outside regular class needs no regular-education teacher.
        let mut team = full_team();
        team.retain(|m| m.role != "regular_education_teacher");
        assert!(codes(&team, false, false).is_empty());
        // Transition: the student is invited.
        assert_eq!(
            codes(&full_team(), true, true),
            vec!["team_student_not_invited"]
        );
    }

    #[test]
    fn absent_members_need_a_written_excusal() {
        let mut team = full_team();
        team[3].attendance = "excused".into();
        let problems = team_problems(&team, true, false);
        assert_eq!(problems[0].code, "team_excusal_not_in_writing");
        assert_eq!(problems[0].item, Some(3));
        assert_eq!(problems[0].citation, "34 CFR 300.321(e)");
        team[3].excusal_in_writing = true;
        assert!(team_problems(&team, true, false).is_empty());
        team[1].attendance = "absent".into();
        assert_eq!(
            team_problems(&team, true, false)[0].code,
            "team_member_absent"
        );
        // A parent who did not come is a matter of 300.322(d), not of excusal.
        let mut team = full_team();
        team[0].attendance = "absent".into();
        assert!(team_problems(&team, true, false).is_empty());
    }

    #[test]
    fn transition_from_the_state_age_and_majority_a_year_ahead() {
        let a = ages("2010-11-15");
        // Turns 16 on 2026-11-15, within the year of an IEP written 2026-10-01.
        assert!(a.transition_required(d("2026-10-01")));
        assert!(!a.transition_required(d("2025-11-01")));
        let mut iep = complete_iep();
        iep.team.push(member("student", "present"));
        let codes: Vec<_> = iep.problems(&a).iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            vec!["postsecondary_goals_missing", "transition_services_missing"]
        );
        let earlier = StudentAges {
            transition_age: 14,
            ..ages("2012-11-15")
        };
        assert!(earlier.transition_required(d("2026-10-01")));
        // Age of majority 18: the statement is due from the 17th birthday.
        let b = ages("2009-06-01");
        assert!(b.majority_statement_required(d("2026-10-01")));
        assert!(!b.majority_statement_required(d("2026-05-01")));
        assert_eq!(a.age_on(d("2026-11-14")), 15);
        assert_eq!(a.age_on(d("2026-11-15")), 16);
    }

    #[test]
    fn lre_maps_to_the_federal_environment_code() {
        let lre = |setting: &str, p: Option<u8>| Lre {
            setting: setting.into(),
            regular_class_percent: p,
            ..Lre::default()
        };
        assert_eq!(
            lre("regular_school", Some(85)).environment_code(),
            Some("RC80")
        );
        assert_eq!(
            lre("regular_school", Some(50)).environment_code(),
            Some("RC79TO40")
        );
        assert_eq!(
            lre("regular_school", Some(10)).environment_code(),
            Some("RC39")
        );
        assert_eq!(lre("SS", None).environment_code(), Some("SS"));
        assert_eq!(lre("regular_school", None).environment_code(), None);
        assert_eq!(lre("regular_school", Some(101)).environment_code(), None);
        assert_eq!(lre("moon", Some(50)).environment_code(), None);
        let mut iep = complete_iep();
        iep.lre = lre("regular_school", Some(100));
        assert!(iep.problems(&ages("2016-03-01")).is_empty());
        iep.lre = lre("regular_school", Some(60));
        assert_eq!(
            iep.problems(&ages("2016-03-01"))[0].code,
            "removal_not_explained"
        );
    }

    #[test]
    fn an_early_childhood_iep_reports_an_early_childhood_environment() {
        let mut iep = complete_iep();
        // The IEP starts 2026-10-02: a child born 2022-05-01 is 4 then.
        let four = ages("2022-05-01");
        assert!(iep.early_childhood(&four, d("2020-01-01")));
        // A school-age code is refused for a 4-year-old, and the other way round.
        let codes: Vec<_> = iep.problems(&four).iter().map(|p| p.code).collect();
        assert_eq!(codes, vec!["lre_early_childhood"]);
        iep.lre = Lre {
            setting: "regular_ec_program".into(),
            ec_program_hours: "10_or_more".into(),
            ec_services_location: "in_program".into(),
            ..Lre::default()
        };
        assert_eq!(iep.lre.environment_code(), Some("REC10YSVCS"));
        assert!(iep.problems(&four).is_empty(), "{:?}", iep.problems(&four));
        assert_eq!(iep.problems(&ages("2016-03-01"))[0].code, "lre_school_age");
        // Services elsewhere: the child leaves the program for them, which needs explaining.
        iep.lre.ec_services_location = "elsewhere".into();
        assert_eq!(iep.lre.environment_code(), Some("REC10YOTHLOC"));
        assert_eq!(iep.problems(&four)[0].code, "removal_not_explained");
        iep.lre.ec_program_hours = String::new();
        assert_eq!(iep.problems(&four)[0].code, "lre_missing");
        // A separate setting is its own code; home is early childhood only.
        iep.lre = Lre {
            setting: "H".into(),
            removal_explanation: "Services at home".into(),
            ..Lre::default()
        };
        assert_eq!(iep.lre.environment_code(), Some("H"));
        assert!(iep.problems(&four).is_empty());
        // A 5-year-old in kindergarten is school age.
        let kindergarten = StudentAges {
            kindergarten: true,
            ..ages("2021-06-01")
        };
        assert!(!iep.early_childhood(&kindergarten, d("2026-10-02")));
        assert_eq!(iep.problems(&kindergarten)[0].code, "lre_school_age");
    }

    #[test]
    fn plan504_needs_impairment_activities_accommodations_and_review() {
        let mut plan = Plan504Content::default();
        let codes: Vec<_> = plan.problems().iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            vec![
                "meeting_date_missing",
                "impairment_missing",
                "major_life_activities_missing",
                "no_accommodations",
                "review_date_missing",
                "coordinator_missing"
            ]
        );
        plan = Plan504Content {
            meeting: Meeting {
                on: Some(d("2026-09-15")),
                purpose: "initial".into(),
            },
            impairment: "ADHD".into(),
            major_life_activities: vec!["concentrating".into()],
            accommodations: vec![Support {
                description: "Preferential seating".into(),
                provider: "classroom teachers".into(),
                setting: String::new(),
            }],
            review_on: Some(d("2027-09-15")),
            coordinator: "Ms. Ortiz".into(),
        };
        let problems = plan.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "support_incomplete");
        plan.accommodations[0].setting = "all classes".into();
        assert!(plan.problems().is_empty());
    }

    #[test]
    fn changed_sections_name_the_differing_keys() {
        let a = serde_json::to_value(complete_iep()).unwrap();
        let mut iep = complete_iep();
        iep.esy.decision = "eligible".into();
        iep.goals[0].target = Some(95.0);
        let b = serde_json::to_value(iep).unwrap();
        assert_eq!(changed_sections(&a, &b), vec!["esy", "goals"]);
        assert!(changed_sections(&a, &a).is_empty());
    }

    proptest! {
        #[test]
        fn a_goal_is_measurable_exactly_when_nothing_is_missing(
            measure in "[a-z ]{0,5}", baseline in proptest::option::of(-1e6f64..1e6),
            target in proptest::option::of(-1e6f64..1e6), criterion in "[a-z ]{0,5}",
            dated in any::<bool>(),
        ) {
            let g = PlanGoal {
                measure: measure.clone(), baseline, target, criterion: criterion.clone(),
                by: dated.then(|| d("2027-06-01")), ..goal()
            };
            let expected = !measure.trim().is_empty() && baseline.is_some()
                && target.is_some() && !criterion.trim().is_empty() && dated;
            prop_assert_eq!(g.is_measurable(), expected);
        }

        #[test]
        fn every_percent_maps_to_one_school_age_code(p in 0u8..=100) {
            let code = Lre { setting: "regular_school".into(), regular_class_percent: Some(p),
                             ..Lre::default() }.environment_code();
            prop_assert!(code.is_some_and(|c| crate::codes::SCHOOL_AGE_ENVIRONMENTS.contains(&c)));
        }
    }
}
