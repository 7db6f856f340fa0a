//! The plan advisor (CONTRACT.md `advise`): from a parent's answers, which route fits (an IEP
//! under IDEA, a Section 504 plan, general-education support) and what to watch out for, each
//! reason and warning citing its rule, in English or Spanish.

use domain::codes::IdeaCategory;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Every answer is optional: a missing answer, `null` or `"unknown"` all mean "don't know".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answers {
    pub age: Option<u32>,
    pub suspected_disability: Answer,
    #[serde(deserialize_with = "category_or_unknown")]
    pub idea_category: Option<IdeaCategory>,
    pub needs_specially_designed_instruction: Answer,
    pub substantially_limits_major_life_activity: Answer,
    pub main_cause_is_lack_of_instruction_or_english_proficiency: Answer,
    pub in_rti: Answer,
    pub evaluation_requested_in_writing: Answer,
    pub has_iep: Answer,
    pub has_504: Answer,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    #[default]
    Unknown,
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Answer, D::Error> {
        struct AnswerVisitor;
        impl serde::de::Visitor<'_> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"true, false, "yes", "no", "unknown" or null"#)
            }
            fn visit_bool<E>(self, value: bool) -> Result<Answer, E> {
                Ok(if value { Answer::Yes } else { Answer::No })
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Answer, E> {
                match value {
                    "yes" | "true" => Ok(Answer::Yes),
                    "no" | "false" => Ok(Answer::No),
                    "unknown" | "" => Ok(Answer::Unknown),
                    other => Err(E::invalid_value(serde::de::Unexpected::Str(other), &self)),
                }
            }
            fn visit_unit<E>(self) -> Result<Answer, E> {
                Ok(Answer::Unknown)
            }
            fn visit_none<E>(self) -> Result<Answer, E> {
                Ok(Answer::Unknown)
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}

fn category_or_unknown<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<IdeaCategory>, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref() {
        None | Some("unknown") | Some("") => Ok(None),
        Some(name) => IdeaCategory::parse(name).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown category `{name}`, expected one of: {}, unknown",
                IdeaCategory::expected()
            ))
        }),
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AdvisorError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

/// Reads an answers file, reporting the JSON path of the first problem.
pub fn parse_answers(json: &str) -> Result<Answers, AdvisorError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let answers =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| AdvisorError::Input {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })?;
    deserializer.end().map_err(|e| AdvisorError::Input {
        path: ".".into(),
        message: e.to_string(),
    })?;
    Ok(answers)
}

pub use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Iep,
    RequestIepEvaluation,
    Section504,
    GeneralEducationSupport,
    NotCoveredByIdeaAge,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub recommendation: Recommendation,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub text: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub id: &'static str,
    pub text: String,
    pub citation: String,
}

/// One statement in both languages with the rule it rests on; the citation is never
/// translated so both renderings point at the same rule.
struct Msg {
    en: &'static str,
    es: &'static str,
    citation: &'static str,
}

impl Msg {
    fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
        .to_owned()
    }
}

mod reasons {
    use super::Msg;

    pub const OUTSIDE_IDEA_AGE: Msg = Msg {
        en: "Special education under IDEA is for children from their 3rd birthday through age 21, so an IEP is not available at this age.",
        es: "La educación especial bajo IDEA es para niños desde su tercer cumpleaños hasta los 21 años, así que un IEP no está disponible a esta edad.",
        citation: "34 CFR 300.101",
    };
    pub const UNDER_THREE: Msg = Msg {
        en: "Before age 3, a child with a delay or disability can get early intervention services (an IFSP) through your state's Part C program. Ask for a referral.",
        es: "Antes de los 3 años, un niño con un retraso o una discapacidad puede recibir servicios de intervención temprana (un IFSP) del programa Parte C de su estado. Pida una referencia.",
        citation: "34 CFR 303.21",
    };
    pub const SECTION_504_ANY_AGE: Msg = Msg {
        en: "Section 504 protects people with disabilities at any age, including in college and at work, if an impairment substantially limits a major life activity.",
        es: "La Sección 504 protege a las personas con discapacidad a cualquier edad, también en la universidad y el trabajo, si un impedimento limita sustancialmente una actividad principal de la vida.",
        citation: "34 CFR 104.3(j)",
    };
    pub const HAS_IEP: Msg = Msg {
        en: "Your child already has an IEP. It stays in effect, and the school must review it at least once a year.",
        es: "Su hijo ya tiene un IEP. Sigue vigente, y la escuela debe revisarlo al menos una vez al año.",
        citation: "34 CFR 300.324(b)(1)",
    };
    pub const TWO_PRONGS_MET: Msg = Msg {
        en: "Your answers meet both parts of IDEA's test: a disability in one of its categories, and a need for specially designed instruction because of it. That is what an IEP is for.",
        es: "Sus respuestas cumplen las dos partes de la prueba de IDEA: una discapacidad en una de sus categorías y, por ella, la necesidad de instrucción especialmente diseñada. Para eso existe el IEP.",
        citation: "34 CFR 300.8(a)",
    };
    pub const IEP_IS_SPECIAL_EDUCATION: Msg = Msg {
        en: "An IEP is special education: measurable goals, regular progress reports, services, and you are a required member of the team that writes it.",
        es: "Un IEP es educación especial: metas medibles, informes de progreso periódicos, servicios, y usted es miembro obligatorio del equipo que lo escribe.",
        citation: "34 CFR 300.320(a); 34 CFR 300.321(a)(1)",
    };
    pub const EVALUATION_CONFIRMS: Msg = Msg {
        en: "The school decides eligibility only after a full evaluation, so if your child has not been evaluated yet, ask for one.",
        es: "La escuela decide la elegibilidad solo después de una evaluación completa; si su hijo aún no ha sido evaluado, pídala.",
        citation: "34 CFR 300.301(b)",
    };
    pub const NEEDS_SDI_CATEGORY_UNKNOWN: Msg = Msg {
        en: "Your child seems to need specially designed instruction. A full evaluation looks at every area of suspected disability and finds out which IDEA category fits.",
        es: "Su hijo parece necesitar instrucción especialmente diseñada. Una evaluación completa revisa todas las áreas de posible discapacidad y determina qué categoría de IDEA corresponde.",
        citation: "34 CFR 300.304(c)(4)",
    };
    pub const SUSPECTED_SO_EVALUATE: Msg = Msg {
        en: "When a disability is suspected, the school must find out through an evaluation. You do not need to know the answers first: finding them is the evaluation's job.",
        es: "Cuando se sospecha una discapacidad, la escuela debe averiguarlo con una evaluación. Usted no necesita saber las respuestas antes: encontrarlas es el trabajo de la evaluación.",
        citation: "34 CFR 300.111(a); 34 CFR 300.301(b)",
    };
    pub const IEP_EXIT_NEEDS_REEVALUATION: Msg = Msg {
        en: "A school cannot end an IEP because it thinks your child no longer needs it without first reevaluating your child.",
        es: "La escuela no puede terminar un IEP porque cree que su hijo ya no lo necesita sin antes reevaluarlo.",
        citation: "34 CFR 300.305(e)(1)",
    };
    pub const NO_SDI_NEEDED: Msg = Msg {
        en: "An IEP requires a need for specially designed instruction. If your child needs only changes to how they learn or are tested, that fits a Section 504 plan.",
        es: "Un IEP requiere la necesidad de instrucción especialmente diseñada. Si su hijo solo necesita cambios en cómo aprende o cómo lo evalúan, eso corresponde a un plan 504.",
        citation: "34 CFR 300.8(a)",
    };
    pub const SECTION_504_DEFINITION: Msg = Msg {
        en: "Section 504 covers a physical or mental impairment that substantially limits a major life activity such as learning, reading, concentrating or thinking, judged without the help of medicine or other supports.",
        es: "La Sección 504 cubre un impedimento físico o mental que limita sustancialmente una actividad principal de la vida, como aprender, leer, concentrarse o pensar, sin tener en cuenta la ayuda de medicamentos u otros apoyos.",
        citation: "34 CFR 104.3(j); ADA Amendments Act of 2008",
    };
    pub const SECTION_504_FAPE: Msg = Msg {
        en: "A 504 plan gives your child the aids, services and accommodations needed to learn in school as well as other students do.",
        es: "Un plan 504 le da a su hijo las ayudas, servicios y adaptaciones que necesita para aprender en la escuela tan bien como los demás estudiantes.",
        citation: "34 CFR 104.33(b)",
    };
    pub const SECTION_504_EVALUATE: Msg = Msg {
        en: "Whether the condition substantially limits learning or another life activity is what a Section 504 evaluation decides; ask the school for one.",
        es: "Si la condición limita sustancialmente el aprendizaje u otra actividad de la vida es lo que decide una evaluación de la Sección 504; pídasela a la escuela.",
        citation: "34 CFR 104.35(a)",
    };
    pub const GENERAL_SUPPORT: Msg = Msg {
        en: "From your answers, extra help in general education (tutoring, classroom supports, interventions) is the place to start.",
        es: "Según sus respuestas, la ayuda adicional en educación general (tutoría, apoyos en el aula, intervenciones) es el punto de partida.",
        citation: "34 CFR 300.8(a); 34 CFR 104.3(j)",
    };
    pub const CAN_REQUEST_ANYTIME: Msg = Msg {
        en: "If you come to suspect a disability, you can ask for a special education evaluation at any time, even while your child gets general-education help.",
        es: "Si llega a sospechar una discapacidad, puede pedir una evaluación de educación especial en cualquier momento, aun mientras su hijo recibe ayuda de educación general.",
        citation: "34 CFR 300.301(b)",
    };
    pub const EXCLUSION_MEANS_INSTRUCTION: Msg = Msg {
        en: "When the main cause is missing instruction or learning English, the answer is good teaching and English-language support, not special education.",
        es: "Cuando la causa principal es la falta de instrucción o el aprendizaje del inglés, la respuesta es buena enseñanza y apoyo en inglés, no educación especial.",
        citation: "34 CFR 300.306(b)",
    };
    pub const DD_STATE_RANGE: Msg = Msg {
        en: "Developmental delay is an optional category: your state decides whether to use it and for which ages within 3 through 9.",
        es: "El retraso del desarrollo es una categoría opcional: su estado decide si la usa y para qué edades entre los 3 y los 9 años.",
        citation: "34 CFR 300.8(b); 34 CFR 300.111(b)",
    };
}

/// The citation of the "RTI cannot delay an evaluation" warning, for pages that show it on a case.
pub const RTI_CANNOT_DELAY_CITATION: &str = warnings::RTI_CANNOT_DELAY.citation;

/// OSEP Memo 11-07 on a case timeline: a parent's request for evaluation is pending (no consent
/// answer, eligibility decision or notice refusing the evaluation since) while the student is
/// in RTI — an `rti_started` without a later `rti_ended`, or `in_rti_now` from the caller's
/// intervention records.
pub fn evaluation_pending_during_rti(events: &[domain::event::Event], in_rti_now: bool) -> bool {
    use domain::event::{EventKind, NoticeAction, NoticeSubject, Requester};
    let mut sorted: Vec<&domain::event::Event> = events.iter().collect();
    sorted.sort_by_key(|e| e.on);
    let mut pending = false;
    let mut in_rti_by_events = false;
    for event in sorted {
        match &event.kind {
            EventKind::EvaluationRequested {
                by: Requester::Parent,
                ..
            } => pending = true,
            EventKind::ConsentReceived { .. }
            | EventKind::ConsentRefused { .. }
            | EventKind::EligibilityDetermined { .. }
            | EventKind::PriorWrittenNoticeSent {
                action: NoticeAction::Refuse,
                subject: NoticeSubject::Evaluation,
            } => pending = false,
            EventKind::RtiStarted { .. } => in_rti_by_events = true,
            EventKind::RtiEnded { .. } => in_rti_by_events = false,
            _ => {}
        }
    }
    pending && (in_rti_by_events || in_rti_now)
}

mod warnings {
    use super::Msg;

    pub const RTI_CANNOT_DELAY: Msg = Msg {
        en: "Being in RTI or MTSS interventions does not mean you have to wait. The school cannot use RTI to delay or deny an evaluation; you can ask for one now.",
        es: "Estar en intervenciones RTI o MTSS no significa que tenga que esperar. La escuela no puede usar RTI para retrasar o negar una evaluación; puede pedirla ahora.",
        citation: "OSEP Memo 11-07 (2011); 34 CFR 300.301(b)",
    };
    pub const NO_504_FIRST: Msg = Msg {
        en: "No law requires trying a 504 plan before an IEP. If the school offers a 504 instead, you can accept it and still ask for the IEP evaluation.",
        es: "Ninguna ley exige probar un plan 504 antes de un IEP. Si la escuela ofrece un 504 en su lugar, puede aceptarlo y aun así pedir la evaluación para el IEP.",
        citation: "34 CFR 300.301(b); 34 CFR 300.111(a)",
    };
    pub const BOTH_PLANS: Msg = Msg {
        en: "Having both an IEP and a 504 plan is redundant: the IEP can hold every accommodation, with the stronger protections of IDEA. Ask for the accommodations to be written into the IEP.",
        es: "Tener un IEP y un plan 504 a la vez es redundante: el IEP puede incluir todas las adaptaciones, con las protecciones más fuertes de IDEA. Pida que las adaptaciones se escriban en el IEP.",
        citation: "34 CFR 300.320(a)(4); 34 CFR 104.33(b)(2)",
    };
    pub const WRITE_IEP_REQUEST: Msg = Msg {
        en: "Put your request for an evaluation in writing, dated, and keep a copy. A written request starts the process and leaves a record.",
        es: "Haga su solicitud de evaluación por escrito, con fecha, y guarde una copia. Una solicitud escrita inicia el proceso y deja constancia.",
        citation: "34 CFR 300.301(b)",
    };
    pub const WRITE_504_REQUEST: Msg = Msg {
        en: "Put your request for a Section 504 evaluation in writing, dated, and keep a copy.",
        es: "Haga su solicitud de evaluación de la Sección 504 por escrito, con fecha, y guarde una copia.",
        citation: "34 CFR 104.35(a)",
    };
    pub const DD_OUT_OF_RANGE: Msg = Msg {
        en: "Developmental delay can be used only for young children (ages 3 through 9 under federal law, often fewer in your state). At this age the evaluation has to consider the other categories.",
        es: "El retraso del desarrollo solo se puede usar para niños pequeños (de 3 a 9 años según la ley federal, a menudo menos en su estado). A esta edad la evaluación debe considerar las otras categorías.",
        citation: "34 CFR 300.8(b)",
    };
    pub const DD_AGE_UNKNOWN: Msg = Msg {
        en: "Developmental delay can be used only for young children (ages 3 through 9 under federal law, often fewer in your state). Check your child's age against your state's range.",
        es: "El retraso del desarrollo solo se puede usar para niños pequeños (de 3 a 9 años según la ley federal, a menudo menos en su estado). Compare la edad de su hijo con el rango de su estado.",
        citation: "34 CFR 300.8(b)",
    };
    pub const EXCLUSIONARY: Msg = Msg {
        en: "A child cannot be found eligible for special education when the main cause of the difficulty is a lack of appropriate teaching in reading or math, or limited English. If you think a disability is also involved, say so and ask for an evaluation anyway.",
        es: "Un niño no puede ser elegible para educación especial cuando la causa principal de la dificultad es la falta de enseñanza adecuada en lectura o matemáticas, o el dominio limitado del inglés. Si cree que también hay una discapacidad, dígalo y pida la evaluación de todos modos.",
        citation: "34 CFR 300.306(b)",
    };
}

pub fn advise(answers: &Answers) -> Advice {
    advise_in(answers, Lang::En)
}

pub fn advise_in(answers: &Answers, lang: Lang) -> Advice {
    let (recommendation, reason_msgs, warning_msgs) = reason(answers);
    Advice {
        recommendation,
        reasons: reason_msgs
            .into_iter()
            .map(|m| Reason {
                text: m.text(lang),
                citation: m.citation.to_owned(),
            })
            .collect(),
        warnings: warning_msgs
            .into_iter()
            .map(|(id, m)| Warning {
                id,
                text: m.text(lang),
                citation: m.citation.to_owned(),
            })
            .collect(),
    }
}

type Reasoning = (
    Recommendation,
    Vec<&'static Msg>,
    Vec<(&'static str, &'static Msg)>,
);

fn reason(a: &Answers) -> Reasoning {
    use Answer::{No, Unknown, Yes};
    use Recommendation::*;
    let mut why: Vec<&'static Msg> = Vec::new();
    let mut warn: Vec<(&'static str, &'static Msg)> = Vec::new();

    if let Some(age) = a.age.filter(|age| !(3..=21).contains(age)) {
        why.push(&reasons::OUTSIDE_IDEA_AGE);
        if age < 3 {
            why.push(&reasons::UNDER_THREE);
        }
        if a.suspected_disability == Yes
            || a.substantially_limits_major_life_activity == Yes
            || a.idea_category.is_some()
        {
            why.push(&reasons::SECTION_504_ANY_AGE);
        }
        return (NotCoveredByIdeaAge, why, warn);
    }

    let is_dd = a.idea_category == Some(IdeaCategory::DevelopmentalDelay);
    let dd_out_of_range = is_dd && a.age.is_some_and(|age| !(3..=9).contains(&age));
    if is_dd {
        match a.age {
            Some(_) if dd_out_of_range => {
                warn.push(("developmental_delay_age", &warnings::DD_OUT_OF_RANGE))
            }
            Some(_) => why.push(&reasons::DD_STATE_RANGE),
            None => warn.push(("developmental_delay_age", &warnings::DD_AGE_UNKNOWN)),
        }
    }
    // A developmental delay outside its ages names no usable category; the evaluation has to
    // look for another one.
    let category_known = a.idea_category.is_some() && !dd_out_of_range;
    let excluded = a.main_cause_is_lack_of_instruction_or_english_proficiency == Yes;
    if excluded {
        warn.push(("exclusionary_factor", &warnings::EXCLUSIONARY));
        why.push(&reasons::EXCLUSION_MEANS_INSTRUCTION);
    }
    let suspected = a.suspected_disability == Yes || a.idea_category.is_some();
    let sdi = a.needs_specially_designed_instruction;

    let idea_route = if excluded {
        None
    } else if a.has_iep == Yes && sdi != No {
        why.push(&reasons::HAS_IEP);
        why.push(&reasons::IEP_IS_SPECIAL_EDUCATION);
        Some(Iep)
    } else if category_known && sdi == Yes {
        why.push(&reasons::TWO_PRONGS_MET);
        why.push(&reasons::IEP_IS_SPECIAL_EDUCATION);
        why.push(&reasons::EVALUATION_CONFIRMS);
        Some(Iep)
    } else if sdi == Yes {
        why.push(&reasons::NEEDS_SDI_CATEGORY_UNKNOWN);
        Some(RequestIepEvaluation)
    } else if sdi == Unknown && suspected {
        why.push(&reasons::SUSPECTED_SO_EVALUATE);
        Some(RequestIepEvaluation)
    } else {
        if sdi == No {
            if a.has_iep == Yes {
                why.push(&reasons::IEP_EXIT_NEEDS_REEVALUATION);
            }
            why.push(&reasons::NO_SDI_NEEDED);
        }
        None
    };

    let recommendation = match idea_route {
        Some(route) => route,
        None => match a.substantially_limits_major_life_activity {
            Yes => {
                why.push(&reasons::SECTION_504_DEFINITION);
                why.push(&reasons::SECTION_504_FAPE);
                Section504
            }
            Unknown if suspected && !excluded => {
                why.push(&reasons::SECTION_504_DEFINITION);
                why.push(&reasons::SECTION_504_EVALUATE);
                Section504
            }
            _ => {
                why.push(&reasons::GENERAL_SUPPORT);
                why.push(&reasons::CAN_REQUEST_ANYTIME);
                GeneralEducationSupport
            }
        },
    };

    let seeking_iep = matches!(recommendation, Iep | RequestIepEvaluation) && a.has_iep != Yes;
    if a.in_rti == Yes && a.has_iep != Yes && (seeking_iep || suspected) {
        warn.push(("rti_cannot_delay_evaluation", &warnings::RTI_CANNOT_DELAY));
    }
    if seeking_iep {
        warn.push(("no_504_first_requirement", &warnings::NO_504_FIRST));
    }
    if a.has_504 == Yes && (a.has_iep == Yes || recommendation == Iep) {
        warn.push(("both_plans_redundant", &warnings::BOTH_PLANS));
    }
    if a.evaluation_requested_in_writing != Yes {
        if seeking_iep {
            warn.push(("put_request_in_writing", &warnings::WRITE_IEP_REQUEST));
        } else if recommendation == Section504 && a.has_504 != Yes {
            warn.push(("put_request_in_writing", &warnings::WRITE_504_REQUEST));
        }
    }
    (recommendation, why, warn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(advice: &Advice) -> Vec<&'static str> {
        advice.warnings.iter().map(|w| w.id).collect()
    }

    fn parse(json: &str) -> Answers {
        parse_answers(json).unwrap()
    }

    /// One row per rule: the answers, the recommendation, the warnings expected (in order).
    #[test]
    fn rule_table() {
        use Recommendation::*;
        let rows: &[(&str, &str, Recommendation, &[&str])] = &[
            (
                "contract example: SLD, need unknown, in RTI, no written request",
                r#"{"age": 9, "suspected_disability": true, "idea_category": "specific_learning_disability",
                    "needs_specially_designed_instruction": "unknown",
                    "substantially_limits_major_life_activity": "yes",
                    "main_cause_is_lack_of_instruction_or_english_proficiency": false,
                    "in_rti": true, "evaluation_requested_in_writing": false,
                    "has_iep": false, "has_504": false}"#,
                RequestIepEvaluation,
                &[
                    "rti_cannot_delay_evaluation",
                    "no_504_first_requirement",
                    "put_request_in_writing",
                ],
            ),
            (
                "both prongs met, already asked in writing",
                r#"{"age": 8, "idea_category": "autism", "needs_specially_designed_instruction": "yes",
                    "evaluation_requested_in_writing": true}"#,
                Iep,
                &["no_504_first_requirement"],
            ),
            (
                "both prongs met while holding a 504",
                r#"{"age": 12, "idea_category": "other_health_impairment",
                    "needs_specially_designed_instruction": true, "has_504": true,
                    "evaluation_requested_in_writing": true}"#,
                Iep,
                &["no_504_first_requirement", "both_plans_redundant"],
            ),
            (
                "existing IEP and 504",
                r#"{"age": 14, "has_iep": true, "has_504": true}"#,
                Iep,
                &["both_plans_redundant"],
            ),
            (
                "needs SDI, category unknown",
                r#"{"age": 7, "needs_specially_designed_instruction": "yes"}"#,
                RequestIepEvaluation,
                &["no_504_first_requirement", "put_request_in_writing"],
            ),
            (
                "only a suspicion",
                r#"{"suspected_disability": "yes"}"#,
                RequestIepEvaluation,
                &["no_504_first_requirement", "put_request_in_writing"],
            ),
            (
                "no SDI needed but substantially limited",
                r#"{"age": 10, "suspected_disability": true, "idea_category": "other_health_impairment",
                    "needs_specially_designed_instruction": "no",
                    "substantially_limits_major_life_activity": "yes"}"#,
                Section504,
                &["put_request_in_writing"],
            ),
            (
                "no SDI, limitation unknown, 504 already in place",
                r#"{"age": 10, "suspected_disability": true, "needs_specially_designed_instruction": false,
                    "has_504": true}"#,
                Section504,
                &[],
            ),
            (
                "no disability suspected",
                r#"{"age": 10, "suspected_disability": false}"#,
                GeneralEducationSupport,
                &[],
            ),
            ("nothing known", r#"{}"#, GeneralEducationSupport, &[]),
            (
                "no SDI, not limited",
                r#"{"age": 10, "suspected_disability": true, "needs_specially_designed_instruction": "no",
                    "substantially_limits_major_life_activity": "no"}"#,
                GeneralEducationSupport,
                &[],
            ),
            (
                "exclusionary factor, not limited",
                r#"{"age": 8, "suspected_disability": true,
                    "main_cause_is_lack_of_instruction_or_english_proficiency": "yes"}"#,
                GeneralEducationSupport,
                &["exclusionary_factor"],
            ),
            (
                "exclusionary factor but substantially limited",
                r#"{"age": 8, "suspected_disability": true, "needs_specially_designed_instruction": "yes",
                    "main_cause_is_lack_of_instruction_or_english_proficiency": "yes",
                    "substantially_limits_major_life_activity": "yes"}"#,
                Section504,
                &["exclusionary_factor", "put_request_in_writing"],
            ),
            (
                "developmental delay at 11",
                r#"{"age": 11, "idea_category": "developmental_delay",
                    "needs_specially_designed_instruction": "yes"}"#,
                RequestIepEvaluation,
                &[
                    "developmental_delay_age",
                    "no_504_first_requirement",
                    "put_request_in_writing",
                ],
            ),
            (
                "developmental delay, age unknown",
                r#"{"idea_category": "developmental_delay", "needs_specially_designed_instruction": "yes",
                    "evaluation_requested_in_writing": "yes"}"#,
                Iep,
                &["developmental_delay_age", "no_504_first_requirement"],
            ),
            (
                "developmental delay at 5",
                r#"{"age": 5, "idea_category": "developmental_delay",
                    "needs_specially_designed_instruction": "yes", "evaluation_requested_in_writing": "yes"}"#,
                Iep,
                &["no_504_first_requirement"],
            ),
            (
                "in RTI with a suspected disability the school says needs no SDI",
                r#"{"age": 9, "suspected_disability": true, "in_rti": true,
                    "needs_specially_designed_instruction": "no", "substantially_limits_major_life_activity": "yes",
                    "evaluation_requested_in_writing": true}"#,
                Section504,
                &["rti_cannot_delay_evaluation"],
            ),
            (
                "age 2",
                r#"{"age": 2, "suspected_disability": true}"#,
                NotCoveredByIdeaAge,
                &[],
            ),
            (
                "age 22",
                r#"{"age": 22, "has_iep": true}"#,
                NotCoveredByIdeaAge,
                &[],
            ),
            (
                "age 21 is still covered",
                r#"{"age": 21, "has_iep": true}"#,
                Iep,
                &[],
            ),
            (
                "IEP, school says no SDI needed, still limited",
                r#"{"age": 15, "has_iep": true, "needs_specially_designed_instruction": "no",
                    "substantially_limits_major_life_activity": "yes", "has_504": false}"#,
                Section504,
                &["put_request_in_writing"],
            ),
        ];
        for (label, json, recommendation, warning_ids) in rows {
            let advice = advise(&parse(json));
            assert_eq!(advice.recommendation, *recommendation, "{label}");
            assert_eq!(ids(&advice), *warning_ids, "{label}");
            assert!(
                !advice.reasons.is_empty(),
                "{label}: every recommendation says why"
            );
        }
    }

    #[test]
    fn every_reason_and_warning_cites_a_rule() {
        let rich = r#"{"age": 12, "suspected_disability": true, "idea_category": "developmental_delay",
            "needs_specially_designed_instruction": "unknown", "in_rti": true, "has_504": true}"#;
        for lang in [Lang::En, Lang::Es] {
            let advice = advise_in(&parse(rich), lang);
            for reason in &advice.reasons {
                assert!(!reason.citation.is_empty() && !reason.text.is_empty());
            }
            for warning in &advice.warnings {
                assert!(!warning.citation.is_empty() && !warning.text.is_empty());
            }
        }
    }

    #[test]
    fn spanish_keeps_the_citations_and_changes_the_text() {
        let answers = parse(r#"{"suspected_disability": true, "in_rti": true}"#);
        let en = advise_in(&answers, Lang::En);
        let es = advise_in(&answers, Lang::Es);
        assert_eq!(en.recommendation, es.recommendation);
        let cites = |a: &Advice| {
            a.warnings
                .iter()
                .map(|w| w.citation.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(cites(&en), cites(&es));
        assert_ne!(en.warnings[0].text, es.warnings[0].text);
        assert_eq!(
            es.warnings[0].citation,
            "OSEP Memo 11-07 (2011); 34 CFR 300.301(b)"
        );
    }

    #[test]
    fn answers_accept_booleans_words_and_null() {
        let a = parse(
            r#"{"has_iep": "no", "has_504": null, "in_rti": true, "idea_category": "unknown"}"#,
        );
        assert_eq!(a.has_iep, Answer::No);
        assert_eq!(a.has_504, Answer::Unknown);
        assert_eq!(a.in_rti, Answer::Yes);
        assert_eq!(a.idea_category, None);
    }

    #[test]
    fn bad_answers_name_the_path_and_what_was_expected() {
        let AdvisorError::Input { path, message } =
            parse_answers(r#"{"in_rti": "maybe"}"#).unwrap_err();
        assert_eq!(path, "in_rti");
        assert!(message.contains(r#""unknown""#), "{message}");
        let AdvisorError::Input { path, message } =
            parse_answers(r#"{"idea_category": "dyslexia"}"#).unwrap_err();
        assert_eq!(path, "idea_category");
        assert!(
            message.contains("specific_learning_disability"),
            "{message}"
        );
    }

    #[test]
    fn contract_output_shape() {
        let advice = advise(&parse(r#"{"suspected_disability": true}"#));
        let out = serde_json::to_value(&advice).unwrap();
        assert_eq!(out["recommendation"], "request_iep_evaluation");
        assert!(out["reasons"][0]["text"].is_string());
        assert!(out["reasons"][0]["citation"].is_string());
        assert_eq!(out["warnings"][0]["id"], "no_504_first_requirement");
    }
}
