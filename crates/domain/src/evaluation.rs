//! The evaluation workflow as the team records it: referral, consent request and answer,
//! evaluation plan, evaluation report, the IDEA eligibility decision (with the SLD written
//! report of 34 CFR 300.311) and the Section 504 decision, and prior written notices.
//! Pure data; `law::eligibility` checks a decision against the rules.

use crate::codes::IdeaCategory;
use crate::event::{ConsentFor, EvaluationType, NoticeAction, NoticeSubject, Requester};
use crate::people::string_enum;
use serde::{Deserialize, Serialize};

string_enum! {
    /// The areas of suspected disability an evaluation plan covers (34 CFR 300.304(c)(4)).
    Area {
        Health = "health",
        Vision = "vision",
        Hearing = "hearing",
        SocialEmotional = "social_emotional",
        GeneralIntelligence = "general_intelligence",
        AcademicPerformance = "academic_performance",
        Communication = "communication",
        MotorAbilities = "motor_abilities",
    }
}

string_enum! {
    /// What may not be the determinant factor of an eligibility decision (34 CFR 300.306(b)).
    ExclusionaryFactor {
        ReadingInstruction = "reading_instruction",
        MathInstruction = "math_instruction",
        LimitedEnglish = "limited_english",
    }
}

string_enum! {
    /// How a specific learning disability was identified (34 CFR 300.307(a)).
    SldMethod {
        Rti = "rti",
        Psw = "psw",
        OtherStateAllowed = "other_state_allowed",
    }
}

string_enum! {
    /// The eight areas of underachievement of 34 CFR 300.309(a)(1).
    SldArea {
        OralExpression = "oral_expression",
        ListeningComprehension = "listening_comprehension",
        WrittenExpression = "written_expression",
        BasicReadingSkill = "basic_reading_skill",
        ReadingFluency = "reading_fluency",
        ReadingComprehension = "reading_comprehension",
        MathCalculation = "math_calculation",
        MathProblemSolving = "math_problem_solving",
    }
}

string_enum! {
    /// Major life activities, including major bodily functions (42 USC 12102(2)).
    MajorLifeActivity {
        Learning = "learning",
        Reading = "reading",
        Concentrating = "concentrating",
        Thinking = "thinking",
        Communicating = "communicating",
        Speaking = "speaking",
        Hearing = "hearing",
        Seeing = "seeing",
        Walking = "walking",
        Breathing = "breathing",
        Eating = "eating",
        Sleeping = "sleeping",
        CaringForOneself = "caring_for_oneself",
        PerformingManualTasks = "performing_manual_tasks",
        ImmuneFunction = "immune_function",
        DigestiveFunction = "digestive_function",
        NeurologicalFunction = "neurological_function",
        BrainFunction = "brain_function",
        RespiratoryFunction = "respiratory_function",
        EndocrineFunction = "endocrine_function",
    }
}

impl MajorLifeActivity {
    /// A major bodily function (42 USC 12102(2)(B)) rather than an activity.
    pub fn is_bodily_function(self) -> bool {
        self.as_str().ends_with("_function")
    }
}

string_enum! {
    /// The kind of impairment under 34 CFR 104.3(j)(2)(i).
    ImpairmentKind {
        Physical = "physical",
        Mental = "mental",
    }
}

/// A referral or request for an initial evaluation, as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub by: Requester,
    /// Who made it (a name or a role).
    pub requester: String,
    pub written: bool,
    /// The concerns the request states.
    #[serde(default)]
    pub concerns: String,
}

/// The district asked the parent for consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRequest {
    #[serde(rename = "for")]
    pub consent_for: ConsentFor,
}

/// The parent's answer to a consent request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentAnswer {
    #[serde(rename = "for")]
    pub consent_for: ConsentFor,
    pub given: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationPlan {
    pub evaluation: EvaluationType,
    pub areas: Vec<Area>,
    /// The assessments and other procedures planned.
    pub assessments: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationReport {
    pub evaluation: EvaluationType,
    /// Each procedure, assessment, record or report the evaluation used.
    pub procedures: String,
    pub summary: String,
}

/// One team member's answer to the SLD report (34 CFR 300.311(b)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certification {
    pub member: String,
    pub agrees: bool,
    /// Required when the member does not agree.
    #[serde(default)]
    pub statement: String,
}

/// The written report of an SLD determination (34 CFR 300.311(a)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SldReport {
    pub method: SldMethod,
    pub areas: Vec<SldArea>,
    pub basis: String,
    pub observed_behavior: String,
    pub behavior_relationship: String,
    pub medical_findings: String,
    /// Does not achieve adequately for age or state grade-level standards (300.309(a)(1)).
    pub not_achieving_adequately: bool,
    /// No sufficient progress under RTI, or a pattern of strengths and weaknesses (300.309(a)(2)).
    pub insufficient_progress_or_pattern: bool,
    /// The team's determination on environmental, cultural or economic disadvantage and the
    /// other factors of 300.311(a)(6).
    pub other_factors: String,
    #[serde(default)]
    pub rti_strategies: String,
    #[serde(default)]
    pub rti_data: String,
    #[serde(default)]
    pub parents_notified: bool,
    pub certifications: Vec<Certification>,
}

/// The team's IDEA eligibility decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeaDecision {
    pub evaluation: EvaluationType,
    /// The categories the team finds met (the first prong).
    pub categories: Vec<IdeaCategory>,
    /// Because of the disability, needs specially designed instruction (the second prong).
    pub needs_sdi: bool,
    /// An exclusionary factor the team found to be the determinant factor, if any.
    #[serde(default)]
    pub determinant_factor: Option<ExclusionaryFactor>,
    #[serde(default)]
    pub sld: Option<SldReport>,
    pub eligible: bool,
    #[serde(default)]
    pub explanation: String,
}

/// The team's Section 504 decision (34 CFR 104.3(j), 104.35; ADAAA, 42 USC 12102).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section504Decision {
    pub evaluation: EvaluationType,
    pub impairment: String,
    pub impairment_kind: ImpairmentKind,
    pub activities: Vec<MajorLifeActivity>,
    /// Substantially limits an activity, judged without mitigating measures (or, when
    /// episodic or in remission, when active).
    pub substantially_limits: bool,
    /// The team weighed mitigating measures (medication, devices, learned behavior) other than
    /// ordinary eyeglasses or contact lenses in judging the limitation.
    #[serde(default)]
    pub mitigating_measures_considered: bool,
    #[serde(default)]
    pub episodic: bool,
    pub eligible: bool,
    #[serde(default)]
    pub explanation: String,
}

/// One step of the workflow, tagged by `step`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    Referral(Referral),
    ConsentRequest(ConsentRequest),
    ConsentAnswer(ConsentAnswer),
    Plan(EvaluationPlan),
    Report(EvaluationReport),
    Eligibility(IdeaDecision),
    Section504(Section504Decision),
}

impl Step {
    pub const NAMES: &'static [&'static str] = &[
        "referral",
        "consent_request",
        "consent_answer",
        "plan",
        "report",
        "eligibility",
        "section504",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            Step::Referral(_) => "referral",
            Step::ConsentRequest(_) => "consent_request",
            Step::ConsentAnswer(_) => "consent_answer",
            Step::Plan(_) => "plan",
            Step::Report(_) => "report",
            Step::Eligibility(_) => "eligibility",
            Step::Section504(_) => "section504",
        }
    }
}

/// The seven contents of a prior written notice (34 CFR 300.503(b)), as the district writes
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NoticeContents {
    /// (1) The action proposed or refused.
    pub proposal: String,
    /// (2) Why the district proposes or refuses it.
    pub explanation: String,
    /// (3) Each evaluation procedure, assessment, record or report used as a basis.
    pub basis: String,
    /// (4) The parents' protection under the procedural safeguards and how to get a copy.
    pub safeguards: String,
    /// (5) Sources for parents to contact for help understanding the notice.
    pub sources: String,
    /// (6) Other options considered and why they were rejected.
    pub options_considered: String,
    /// (7) Other factors relevant to the proposal or refusal.
    pub other_factors: String,
}

string_enum! {
    /// One of the seven contents of a notice, by its field name.
    NoticeField {
        Proposal = "proposal",
        Explanation = "explanation",
        Basis = "basis",
        Safeguards = "safeguards",
        Sources = "sources",
        OptionsConsidered = "options_considered",
        OtherFactors = "other_factors",
    }
}

impl NoticeContents {
    pub fn get(&self, field: NoticeField) -> &str {
        match field {
            NoticeField::Proposal => &self.proposal,
            NoticeField::Explanation => &self.explanation,
            NoticeField::Basis => &self.basis,
            NoticeField::Safeguards => &self.safeguards,
            NoticeField::Sources => &self.sources,
            NoticeField::OptionsConsidered => &self.options_considered,
            NoticeField::OtherFactors => &self.other_factors,
        }
    }
}

string_enum! {
    /// Which law a notice answers to: an IDEA prior written notice (34 CFR 300.503), or the
    /// notice of a Section 504 decision under the district's 504 safeguards (34 CFR 104.36).
    NoticeKind {
        PriorWrittenNotice = "prior_written_notice",
        Section504 = "section504",
    }
}

/// The steps whose notice is not an IDEA prior written notice, by `Step::name`; every other
/// source, and a notice drafted without one, is an IDEA prior written notice.
const NOTICE_KIND_OF_STEP: &[(&str, NoticeKind)] = &[("section504", NoticeKind::Section504)];

impl NoticeKind {
    /// The kind of notice drafted from `source`.
    pub fn of(source: Option<&Step>) -> NoticeKind {
        NoticeKind::of_step_name(source.map(Step::name))
    }

    /// The same, from the source step's name (as stored beside the step).
    pub fn of_step_name(source: Option<&str>) -> NoticeKind {
        NOTICE_KIND_OF_STEP
            .iter()
            .find(|(name, _)| Some(*name) == source)
            .map_or(NoticeKind::PriorWrittenNotice, |(_, kind)| *kind)
    }
}

/// A prior written notice, drafted from a proposal or refusal and then sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorWrittenNotice {
    pub action: NoticeAction,
    pub subject: NoticeSubject,
    #[serde(flatten)]
    pub contents: NoticeContents,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_504_decision_calls_for_a_504_notice_and_every_other_source_for_a_pwn() {
        let decision = Step::Section504(Section504Decision {
            evaluation: EvaluationType::Initial,
            impairment: "Asthma".into(),
            impairment_kind: ImpairmentKind::Physical,
            activities: vec![MajorLifeActivity::Breathing],
            substantially_limits: false,
            mitigating_measures_considered: false,
            episodic: false,
            eligible: false,
            explanation: String::new(),
        });
        assert_eq!(NoticeKind::of(Some(&decision)), NoticeKind::Section504);
        let consent = Step::ConsentAnswer(ConsentAnswer {
            consent_for: ConsentFor::InitialEvaluation,
            given: true,
        });
        assert_eq!(
            NoticeKind::of(Some(&consent)),
            NoticeKind::PriorWrittenNotice
        );
        assert_eq!(NoticeKind::of(None), NoticeKind::PriorWrittenNotice);
        for (name, _) in NOTICE_KIND_OF_STEP {
            assert!(Step::NAMES.contains(name), "{name} is not a step");
        }
    }

    #[test]
    fn steps_are_tagged_by_name() {
        let step = Step::ConsentAnswer(ConsentAnswer {
            consent_for: ConsentFor::InitialEvaluation,
            given: true,
        });
        let json = serde_json::to_value(&step).unwrap();
        assert_eq!(json["step"], "consent_answer");
        assert_eq!(json["for"], "initial_evaluation");
        assert_eq!(step.name(), "consent_answer");
        assert!(Step::NAMES.contains(&step.name()));
        let back: Step = serde_json::from_value(json).unwrap();
        assert_eq!(back, step);
    }

    #[test]
    fn bodily_functions_are_major_life_activities() {
        assert!(MajorLifeActivity::ImmuneFunction.is_bodily_function());
        assert!(!MajorLifeActivity::Learning.is_bodily_function());
    }
}
