//! The normalized records an Ed-Fi import yields and an Ed-Fi export starts from: students,
//! program associations (IDEA or Section 504) with federal codes already resolved, evaluation
//! eligibility records, and the case events those records imply, with ids stable across imports.

use domain::codes::{IdeaCategory, Program};
use domain::event::{ConsentFor, EvaluationType, Event, EventKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Batch {
    pub schools: Vec<School>,
    pub students: Vec<Student>,
    pub programs: Vec<ProgramAssociation>,
    pub eligibility: Vec<EligibilityRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub school_id: i64,
    pub name: String,
    /// Ed-Fi `gradeLevelDescriptor` URIs, kept as given.
    pub grade_levels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Student {
    /// Ed-Fi `studentUniqueId`, the key a re-import updates by.
    pub unique_id: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub last_surname: String,
    pub birth_date: Date,
}

/// A student's participation in special education (IDEA) or Section 504, keyed by student,
/// program and begin date as CONTRACT.md says re-imports update it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramAssociation {
    pub student_unique_id: String,
    pub program: Program,
    pub education_organization_id: i64,
    pub program_education_organization_id: i64,
    pub program_name: String,
    pub program_type_descriptor: String,
    pub begin_date: Date,
    pub end_date: Option<Date>,
    /// EDFacts code of the lowest `orderOfDisability` (IDEA only).
    pub primary_disability: Option<String>,
    /// Every disability's EDFacts code, in `orderOfDisability` order, primary first.
    pub disabilities: Vec<String>,
    /// EDFacts educational-environment code.
    pub environment: Option<String>,
    pub exit_date: Option<Date>,
    /// EDFacts basis-of-exit code.
    pub exit_basis: Option<String>,
    pub idea_eligibility: Option<bool>,
    pub iep_begin_date: Option<Date>,
    pub iep_end_date: Option<Date>,
    pub iep_review_date: Option<Date>,
    pub last_evaluation_date: Option<Date>,
    pub section504_eligibility: Option<bool>,
    pub accommodation_plan: Option<bool>,
    /// The Section 504 disability descriptor URI as given (its 22 values have no federal code).
    pub section504_disability_descriptor: Option<String>,
    pub section504_meeting_date: Option<Date>,
    pub section504_eligibility_decision_date: Option<Date>,
}

impl ProgramAssociation {
    /// The association is in force on `day`: begun on or before it and not ended before it.
    pub fn active_on(&self, day: Date) -> bool {
        self.begin_date <= day && self.end_date.is_none_or(|end| end >= day)
    }

    /// The 504 disability's name, the descriptor's code value (`…#Dyslexia` → `Dyslexia`).
    pub fn section504_disability_text(&self) -> Option<&str> {
        let uri = self.section504_disability_descriptor.as_deref()?;
        Some(uri.rsplit_once('#').map_or(uri, |(_, value)| value))
    }
}

/// One evaluation's timeline facts from `studentSpecialEducationProgramEligibilityAssociations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EligibilityRecord {
    pub student_unique_id: String,
    pub education_organization_id: i64,
    pub program_education_organization_id: i64,
    pub program_name: String,
    pub program_type_descriptor: String,
    pub consent_date: Date,
    pub determination_date: Option<Date>,
    pub evaluation: EvaluationType,
    /// Found eligible under IDEA, when the source says (`ideaIndicator`).
    pub idea_indicator: Option<bool>,
    pub evaluation_complete: Option<bool>,
    pub evaluation_delay_days: Option<i32>,
    pub evaluation_type_descriptor: Option<String>,
    pub idea_part_descriptor: Option<String>,
}

/// A case event for one student.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudentEvent {
    pub student_unique_id: String,
    pub event: Event,
}

/// A short, stable id for a natural key: the same record imported again gets the same event id,
/// so re-import is idempotent. Fields are separated by a control character no key contains.
pub fn stable_id(prefix: &str, key: &[&str]) -> String {
    let digest = Sha256::digest(key.join("\u{1f}").as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}-{hex}")
}

impl Batch {
    /// The case events the records imply, sorted by student, date and id:
    /// - consent on `consentToEvaluationReceivedDate` (`consent_received` for the initial
    ///   evaluation or the reevaluation, per the evaluation type);
    /// - `eligibility_determined` on `eligibilityDeterminationDate`. `eligible` is
    ///   `ideaIndicator`; when the source leaves it out, the student counts as eligible if an
    ///   IDEA association of theirs begins on or after the consent date (services followed the
    ///   evaluation). Categories come from that association's disabilities;
    /// - `exited` on an IDEA association's `specialEducationExitDate` with its basis.
    pub fn implied_events(&self) -> Vec<StudentEvent> {
        let mut events = Vec::new();
        // Each student's IDEA associations, so matching an eligibility record stays linear.
        let mut idea_programs: std::collections::HashMap<&str, Vec<&ProgramAssociation>> =
            std::collections::HashMap::new();
        for program in self.programs.iter().filter(|p| p.program == Program::Idea) {
            idea_programs
                .entry(program.student_unique_id.as_str())
                .or_default()
                .push(program);
        }
        for record in &self.eligibility {
            let key = [
                record.student_unique_id.as_str(),
                &record.education_organization_id.to_string(),
                &record.program_education_organization_id.to_string(),
                &record.program_name,
                &record.program_type_descriptor,
                &record.consent_date.to_string(),
            ];
            let consent_for = match record.evaluation {
                EvaluationType::Initial => ConsentFor::InitialEvaluation,
                EvaluationType::Reevaluation => ConsentFor::Reevaluation,
            };
            events.push(StudentEvent {
                student_unique_id: record.student_unique_id.clone(),
                event: Event {
                    id: stable_id("edfi-consent", &key),
                    on: record.consent_date,
                    supersedes: None,
                    kind: EventKind::ConsentReceived { consent_for },
                },
            });
            let Some(determined) = record.determination_date else {
                continue;
            };
            let following = idea_programs
                .get(record.student_unique_id.as_str())
                .into_iter()
                .flatten()
                .filter(|p| p.begin_date >= record.consent_date)
                .min_by_key(|p| p.begin_date);
            let eligible = record.idea_indicator.unwrap_or(following.is_some());
            let categories = match (eligible, following) {
                (true, Some(program)) => program
                    .disabilities
                    .iter()
                    .filter_map(|code| IdeaCategory::from_federal_code(code))
                    .map(|category| category.as_str().to_string())
                    .collect(),
                _ => Vec::new(),
            };
            events.push(StudentEvent {
                student_unique_id: record.student_unique_id.clone(),
                event: Event {
                    id: stable_id("edfi-eligibility", &key),
                    on: determined,
                    supersedes: None,
                    kind: EventKind::EligibilityDetermined {
                        evaluation: record.evaluation,
                        eligible,
                        categories,
                    },
                },
            });
        }
        for program in &self.programs {
            let (Program::Idea, Some(on), Some(basis)) =
                (program.program, program.exit_date, &program.exit_basis)
            else {
                continue;
            };
            let key = [
                program.student_unique_id.as_str(),
                &program.education_organization_id.to_string(),
                &program.program_name,
                &program.begin_date.to_string(),
            ];
            events.push(StudentEvent {
                student_unique_id: program.student_unique_id.clone(),
                event: Event {
                    id: stable_id("edfi-exit", &key),
                    on,
                    supersedes: None,
                    kind: EventKind::Exited {
                        basis: basis.clone(),
                    },
                },
            });
        }
        events.sort_by(|a, b| {
            (&a.student_unique_id, a.event.on, &a.event.id).cmp(&(
                &b.student_unique_id,
                b.event.on,
                &b.event.id,
            ))
        });
        events
    }
}
