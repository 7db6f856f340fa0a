//! The normalized records an Ed-Fi import yields and an Ed-Fi export starts from: students,
//! program associations (IDEA or Section 504) with federal codes already resolved, evaluation
//! eligibility records, and the case events those records imply, with ids stable across imports.

use domain::codes::{IdeaCategory, Program};
use domain::event::{ConsentFor, EvaluationType, Event, EventKind};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    /// EDFacts code of the lowest `orderOfDisability` (IDEA only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_disability: Option<String>,
    /// Every disability's EDFacts code, in `orderOfDisability` order, primary first.
    pub disabilities: Vec<String>,
    /// EDFacts educational-environment code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_date: Option<Date>,
    /// EDFacts basis-of-exit code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_eligibility: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iep_begin_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iep_end_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iep_review_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_evaluation_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section504_eligibility: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accommodation_plan: Option<bool>,
    /// The Section 504 disability descriptor URI as given (its 22 values have no federal code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section504_disability_descriptor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section504_meeting_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// What identifies a program association on import (a record read again replaces it) and
/// orders associations on export: student, program, begin date, education organization and
/// program reference.
pub type ProgramKey = (String, u8, Date, i64, i64, String, String);

/// What identifies an eligibility record: student, consent date, education organization and
/// program reference.
pub type EligibilityKey = (String, Date, i64, i64, String, String);

impl ProgramAssociation {
    pub fn key(&self) -> ProgramKey {
        (
            self.student_unique_id.clone(),
            match self.program {
                Program::Idea => 0,
                Program::Section504 => 1,
                Program::Rti => 2,
            },
            self.begin_date,
            self.education_organization_id,
            self.program_education_organization_id,
            self.program_name.clone(),
            self.program_type_descriptor.clone(),
        )
    }
}

impl EligibilityRecord {
    pub fn key(&self) -> EligibilityKey {
        (
            self.student_unique_id.clone(),
            self.consent_date,
            self.education_organization_id,
            self.program_education_organization_id,
            self.program_name.clone(),
            self.program_type_descriptor.clone(),
        )
    }
}

/// One record read from an Ed-Fi file, handed to whoever writes it as soon as it is read.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    School(School),
    Student(Student),
    Program(ProgramAssociation),
    Eligibility(EligibilityRecord),
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub determination_date: Option<Date>,
    pub evaluation: EvaluationType,
    /// Found eligible under IDEA, when the source says (`ideaIndicator`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_indicator: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_complete: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_delay_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_type_descriptor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// An IDEA association as the implied-event rules see it: when services began and under which
/// disabilities (EDFacts codes, primary first).
#[derive(Debug, Clone, Copy)]
pub struct IdeaServices<'a> {
    pub begin_date: Date,
    pub disabilities: &'a [String],
}

impl EligibilityRecord {
    /// The case events this evaluation record implies, given the student's IDEA associations:
    /// - consent on `consentToEvaluationReceivedDate` (`consent_received` for the initial
    ///   evaluation or the reevaluation, per the evaluation type);
    /// - `eligibility_determined` on `eligibilityDeterminationDate`. `eligible` is
    ///   `ideaIndicator`; when the source leaves it out, the student counts as eligible if an
    ///   IDEA association of theirs begins on or after the consent date (services followed the
    ///   evaluation). Categories come from that association's disabilities.
    pub fn implied_events(&self, idea_programs: &[IdeaServices<'_>]) -> Vec<Event> {
        let key = [
            self.student_unique_id.as_str(),
            &self.education_organization_id.to_string(),
            &self.program_education_organization_id.to_string(),
            &self.program_name,
            &self.program_type_descriptor,
            &self.consent_date.to_string(),
        ];
        let consent_for = match self.evaluation {
            EvaluationType::Initial => ConsentFor::InitialEvaluation,
            EvaluationType::Reevaluation => ConsentFor::Reevaluation,
        };
        let mut events = vec![Event {
            id: stable_id("edfi-consent", &key),
            on: self.consent_date,
            supersedes: None,
            kind: EventKind::ConsentReceived { consent_for },
        }];
        let Some(determined) = self.determination_date else {
            return events;
        };
        let following = idea_programs
            .iter()
            .filter(|p| p.begin_date >= self.consent_date)
            .min_by_key(|p| p.begin_date);
        let eligible = self.idea_indicator.unwrap_or(following.is_some());
        let categories = match (eligible, following) {
            (true, Some(program)) => program
                .disabilities
                .iter()
                .filter_map(|code| IdeaCategory::from_federal_code(code))
                .map(|category| category.as_str().to_string())
                .collect(),
            _ => Vec::new(),
        };
        events.push(Event {
            id: stable_id("edfi-eligibility", &key),
            on: determined,
            supersedes: None,
            kind: EventKind::EligibilityDetermined {
                evaluation: self.evaluation,
                eligible,
                categories,
            },
        });
        events
    }
}

impl ProgramAssociation {
    /// `exited` on an IDEA association's `specialEducationExitDate` with its basis.
    pub fn implied_exit(&self) -> Option<Event> {
        let (Program::Idea, Some(on), Some(basis)) =
            (self.program, self.exit_date, &self.exit_basis)
        else {
            return None;
        };
        let key = [
            self.student_unique_id.as_str(),
            &self.education_organization_id.to_string(),
            &self.program_name,
            &self.begin_date.to_string(),
        ];
        Some(Event {
            id: stable_id("edfi-exit", &key),
            on,
            supersedes: None,
            kind: EventKind::Exited {
                basis: basis.clone(),
            },
        })
    }
}

/// Orders implied events by student, date and id, the order they are appended in.
pub fn sort_implied(events: &mut [StudentEvent]) {
    events.sort_by(|a, b| {
        (&a.student_unique_id, a.event.on, &a.event.id).cmp(&(
            &b.student_unique_id,
            b.event.on,
            &b.event.id,
        ))
    });
}

impl Batch {
    /// Every record of the batch, schools and students first.
    pub fn records(&self) -> impl Iterator<Item = Record> + '_ {
        self.schools
            .iter()
            .cloned()
            .map(Record::School)
            .chain(self.students.iter().cloned().map(Record::Student))
            .chain(self.programs.iter().cloned().map(Record::Program))
            .chain(self.eligibility.iter().cloned().map(Record::Eligibility))
    }

    /// The case events the batch's records imply ([`EligibilityRecord::implied_events`] against
    /// the batch's own IDEA associations, and [`ProgramAssociation::implied_exit`]), sorted by
    /// student, date and id.
    pub fn implied_events(&self) -> Vec<StudentEvent> {
        // Each student's IDEA associations, so matching an eligibility record stays linear.
        let mut idea_programs: HashMap<&str, Vec<IdeaServices<'_>>> = HashMap::new();
        for program in self.programs.iter().filter(|p| p.program == Program::Idea) {
            idea_programs
                .entry(program.student_unique_id.as_str())
                .or_default()
                .push(IdeaServices {
                    begin_date: program.begin_date,
                    disabilities: &program.disabilities,
                });
        }
        let mut events = Vec::new();
        for record in &self.eligibility {
            let programs = idea_programs
                .get(record.student_unique_id.as_str())
                .map_or(&[][..], Vec::as_slice);
            events.extend(
                record
                    .implied_events(programs)
                    .into_iter()
                    .map(|event| StudentEvent {
                        student_unique_id: record.student_unique_id.clone(),
                        event,
                    }),
            );
        }
        events.extend(self.programs.iter().filter_map(|program| {
            program.implied_exit().map(|event| StudentEvent {
                student_unique_id: program.student_unique_id.clone(),
                event,
            })
        }));
        sort_implied(&mut events);
        events
    }
}
