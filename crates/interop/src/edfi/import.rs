//! Ed-Fi JSON files → a normalized [`Batch`]: each file is an array of one resource's records or
//! an object of resource name → array. Every problem (bad JSON, a missing or mistyped field, an
//! unknown descriptor) is collected with its file and JSON path, so an import is all-or-nothing
//! with a full report.

use super::descriptors::{DescriptorKind, DescriptorMap, DescriptorProblem};
use super::resources::{
    EdfiEligibilityAssociation, EdfiSchool, EdfiSection504Association,
    EdfiSpecialEducationAssociation, EdfiStudent, Resource,
};
use crate::errors::ErrorList;
use crate::normalized::{
    Batch, EligibilityKey, EligibilityRecord, ProgramAssociation, ProgramKey, Record, School,
    Student,
};
use domain::codes::Program;
use domain::event::EvaluationType;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// One problem in an Ed-Fi file: `file: json.path: what was expected`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {path}: {problem}")]
pub struct EdfiError {
    pub file: String,
    /// JSON path inside the file (`students[3].birthDate`), or `line L column C` for bad JSON.
    pub path: String,
    pub problem: String,
}

pub type EdfiErrors = ErrorList<EdfiError>;

/// Parses Ed-Fi files given as (file name, contents) into one batch. Records with the same key
/// (students by `studentUniqueId`; associations by student, program and begin or consent date)
/// collapse to the last one read, and the batch is sorted by key, so re-import is idempotent.
pub fn parse_edfi(files: &[(&str, &[u8])], map: &DescriptorMap) -> Result<Batch, EdfiErrors> {
    let mut collector = Collector::default();
    let mut take = |record| collector.take(record);
    let mut ignore_progress = |_| {};
    let mut importer = Importer::new(map, &mut take, &mut ignore_progress);
    for (file, bytes) in files {
        importer.file(file, bytes);
    }
    importer.finish()?;
    Ok(collector.into_batch())
}

/// Gathers streamed records into a [`Batch`], the last record of each key winning.
#[derive(Default)]
pub(super) struct Collector {
    schools: BTreeMap<i64, School>,
    students: BTreeMap<String, Student>,
    programs: BTreeMap<ProgramKey, ProgramAssociation>,
    eligibility: BTreeMap<EligibilityKey, EligibilityRecord>,
}

impl Collector {
    pub(super) fn take(&mut self, record: Record) {
        match record {
            Record::School(school) => {
                self.schools.insert(school.school_id, school);
            }
            Record::Student(student) => {
                self.students.insert(student.unique_id.clone(), student);
            }
            Record::Program(program) => {
                self.programs.insert(program.key(), program);
            }
            Record::Eligibility(record) => {
                self.eligibility.insert(record.key(), record);
            }
        }
    }

    pub(super) fn into_batch(self) -> Batch {
        Batch {
            schools: self.schools.into_values().collect(),
            students: self.students.into_values().collect(),
            programs: self.programs.into_values().collect(),
            eligibility: self.eligibility.into_values().collect(),
        }
    }
}

/// Reads Ed-Fi files record by record, checking each and handing every valid one to `sink`
/// while no problem has been found; after the first problem the rest is only checked, so the
/// report names every problem in every file and the caller writes nothing.
pub(super) struct Importer<'m, 's> {
    map: &'m DescriptorMap,
    errors: EdfiErrors,
    sink: &'s mut dyn FnMut(Record),
    /// Hears the byte offset reached in the file being read, every [`PROGRESS_EVERY`] records.
    progress: &'s mut dyn FnMut(u64),
    /// Where the file being read starts in memory, to turn a record's position into an offset.
    file_start: usize,
    records_since_progress: u32,
}

const PROGRESS_EVERY: u32 = 4096;

/// serde says "invalid type: integer `5`, expected a string"; people read "expected …, got …".
fn reword(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((got, expected)) = rest.split_once(", expected ")
        {
            return format!("expected {expected}, got {got}");
        }
    }
    message.to_string()
}

impl<'m, 's> Importer<'m, 's> {
    pub(super) fn new(
        map: &'m DescriptorMap,
        sink: &'s mut dyn FnMut(Record),
        progress: &'s mut dyn FnMut(u64),
    ) -> Self {
        Importer {
            map,
            errors: EdfiErrors::default(),
            sink,
            progress,
            file_start: 0,
            records_since_progress: 0,
        }
    }

    pub(super) fn push_error(&mut self, error: EdfiError) {
        self.errors.push(error);
    }

    /// Nothing, or every problem found in every file.
    pub(super) fn finish(self) -> Result<(), EdfiErrors> {
        self.errors.into_result(())
    }

    fn emit(&mut self, record: Record) {
        if self.errors.is_empty() {
            (self.sink)(record);
        }
    }

    fn error(&mut self, file: &str, path: String, problem: String) {
        self.errors.push(EdfiError {
            file: file.to_string(),
            path,
            problem,
        });
    }

    /// Reads one file record by record: only the record being converted is held as a JSON
    /// tree, so a file of a million records never needs a million trees in memory.
    pub(super) fn file(&mut self, file: &str, bytes: &[u8]) {
        self.file_start = bytes.as_ptr() as usize;
        let mut reader = serde_json::Deserializer::from_slice(bytes);
        let read = DocumentSeed {
            importer: self,
            file,
        }
        .deserialize(&mut reader)
        .and_then(|()| reader.end());
        if let Err(e) = read {
            let problem = format!("expected valid JSON ({e})");
            self.error(
                file,
                format!("line {} column {}", e.line(), e.column()),
                problem,
            );
        }
    }

    fn record(&mut self, file: &str, name: &str, resource: Resource, i: usize, record: &RawValue) {
        self.records_since_progress += 1;
        if self.records_since_progress == PROGRESS_EVERY {
            self.records_since_progress = 0;
            let text = record.get();
            let end = (text.as_ptr() as usize + text.len()).saturating_sub(self.file_start);
            (self.progress)(end as u64);
        }
        let at = format!("{name}[{i}]");
        match resource {
            Resource::Schools => self.school(file, &at, record),
            Resource::Students => self.student(file, &at, record),
            Resource::SpecialEducation => self.special_education(file, &at, record),
            Resource::Section504 => self.section504(file, &at, record),
            Resource::Eligibility => self.eligibility_record(file, &at, record),
        }
    }

    /// The record as `T`; read straight from its text, and only when that fails read again as a
    /// JSON tree to name the field at fault.
    fn typed<T: DeserializeOwned>(&mut self, file: &str, at: &str, record: &RawValue) -> Option<T> {
        if let Ok(value) = serde_json::from_str::<T>(record.get()) {
            return Some(value);
        }
        let tree = match serde_json::from_str::<Value>(record.get()) {
            Ok(tree) => tree,
            Err(e) => {
                self.error(file, at.to_string(), format!("expected valid JSON ({e})"));
                return None;
            }
        };
        match serde_path_to_error::deserialize::<_, T>(&tree) {
            Ok(value) => Some(value),
            Err(error) => {
                let inner = error.path().to_string();
                let mut path = if inner == "." {
                    at.to_string()
                } else {
                    format!("{at}.{inner}")
                };
                let message = error.inner().to_string();
                let problem = match message
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.strip_suffix('`'))
                {
                    Some(field) => {
                        path = format!("{path}.{field}");
                        "expected a value: the field is required".to_string()
                    }
                    None => reword(&message),
                };
                self.error(file, path, problem);
                None
            }
        }
    }

    fn descriptor(
        &mut self,
        file: &str,
        path: String,
        kind: DescriptorKind,
        uri: Option<&str>,
    ) -> Option<String> {
        let uri = uri?;
        match self.map.resolve(kind, uri) {
            Ok(code) => Some(code),
            Err(DescriptorProblem::Unknown) => {
                self.error(
                    file,
                    path,
                    format!("unknown descriptor {uri:?}; add it to --descriptor-map"),
                );
                None
            }
            Err(DescriptorProblem::WrongKind { code, expected }) => {
                self.error(
                    file,
                    path,
                    format!("descriptor {uri:?} maps to {code:?}; expected {expected}"),
                );
                None
            }
        }
    }

    fn school(&mut self, file: &str, at: &str, record: &RawValue) {
        let Some(school) = self.typed::<EdfiSchool>(file, at, record) else {
            return;
        };
        self.emit(Record::School(School {
            school_id: school.school_id,
            name: school.name_of_institution,
            grade_levels: school
                .grade_levels
                .into_iter()
                .map(|g| g.grade_level_descriptor)
                .collect(),
        }));
    }

    fn student(&mut self, file: &str, at: &str, record: &RawValue) {
        let Some(student) = self.typed::<EdfiStudent>(file, at, record) else {
            return;
        };
        if student.student_unique_id.trim().is_empty() {
            return self.error(
                file,
                format!("{at}.studentUniqueId"),
                "expected a non-empty id".into(),
            );
        }
        self.emit(Record::Student(Student {
            unique_id: student.student_unique_id,
            first_name: student.first_name,
            middle_name: student.middle_name,
            last_surname: student.last_surname,
            birth_date: student.birth_date.0,
        }));
    }

    fn special_education(&mut self, file: &str, at: &str, record: &RawValue) {
        let Some(a) = self.typed::<EdfiSpecialEducationAssociation>(file, at, record) else {
            return;
        };
        // Primary = lowest orderOfDisability; unordered entries follow, in listed order.
        let mut order: Vec<(usize, Option<i32>)> = a
            .disabilities
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.order_of_disability))
            .collect();
        order.sort_by_key(|&(i, o)| (o.is_none(), o, i));
        let mut disabilities = Vec::new();
        let mut complete = true;
        for (i, _) in order {
            let code = self.descriptor(
                file,
                format!("{at}.disabilities[{i}].disabilityDescriptor"),
                DescriptorKind::Disability,
                Some(&a.disabilities[i].disability_descriptor),
            );
            match code {
                Some(code) => disabilities.push(code),
                None => complete = false,
            }
        }
        let environment = self.descriptor(
            file,
            format!("{at}.specialEducationSettingDescriptor"),
            DescriptorKind::Setting,
            a.special_education_setting_descriptor.as_deref(),
        );
        let exit_basis = self.descriptor(
            file,
            format!("{at}.specialEducationExitReasonDescriptor"),
            DescriptorKind::ExitReason,
            a.special_education_exit_reason_descriptor.as_deref(),
        );
        if !complete {
            return;
        }
        let program = ProgramAssociation {
            student_unique_id: a.student_reference.student_unique_id,
            program: Program::Idea,
            education_organization_id: a.education_organization_reference.education_organization_id,
            program_education_organization_id: a.program_reference.education_organization_id,
            program_name: a.program_reference.program_name,
            program_type_descriptor: a.program_reference.program_type_descriptor,
            begin_date: a.begin_date.0,
            end_date: a.end_date.map(|d| d.0),
            primary_disability: disabilities.first().cloned(),
            disabilities,
            environment,
            exit_date: a.special_education_exit_date.map(|d| d.0),
            exit_basis,
            idea_eligibility: a.idea_eligibility,
            iep_begin_date: a.iep_begin_date.map(|d| d.0),
            iep_end_date: a.iep_end_date.map(|d| d.0),
            iep_review_date: a.iep_review_date.map(|d| d.0),
            last_evaluation_date: a.last_evaluation_date.map(|d| d.0),
            section504_eligibility: None,
            accommodation_plan: None,
            section504_disability_descriptor: None,
            section504_meeting_date: None,
            section504_eligibility_decision_date: None,
        };
        self.emit(Record::Program(program));
    }

    fn section504(&mut self, file: &str, at: &str, record: &RawValue) {
        let Some(a) = self.typed::<EdfiSection504Association>(file, at, record) else {
            return;
        };
        let program = ProgramAssociation {
            student_unique_id: a.student_reference.student_unique_id,
            program: Program::Section504,
            education_organization_id: a.education_organization_reference.education_organization_id,
            program_education_organization_id: a.program_reference.education_organization_id,
            program_name: a.program_reference.program_name,
            program_type_descriptor: a.program_reference.program_type_descriptor,
            begin_date: a.begin_date.0,
            end_date: a.end_date.map(|d| d.0),
            primary_disability: None,
            disabilities: Vec::new(),
            environment: None,
            exit_date: None,
            exit_basis: None,
            idea_eligibility: None,
            iep_begin_date: None,
            iep_end_date: None,
            iep_review_date: None,
            last_evaluation_date: None,
            section504_eligibility: Some(a.section504_eligibility),
            accommodation_plan: a.accommodation_plan,
            section504_disability_descriptor: a.section504_disability_descriptor,
            section504_meeting_date: a.section504_meeting_date.map(|d| d.0),
            section504_eligibility_decision_date: a
                .section504_eligibility_decision_date
                .map(|d| d.0),
        };
        self.emit(Record::Program(program));
    }

    fn eligibility_record(&mut self, file: &str, at: &str, record: &RawValue) {
        let Some(a) = self.typed::<EdfiEligibilityAssociation>(file, at, record) else {
            return;
        };
        let evaluation = match a.eligibility_evaluation_type_descriptor.as_deref() {
            None => EvaluationType::Initial,
            Some(uri) => {
                match evaluation_type(uri) {
                    Some(evaluation) => evaluation,
                    None => {
                        return self.error(
                        file,
                        format!("{at}.eligibilityEvaluationTypeDescriptor"),
                        format!("expected a descriptor ending #Initial or #Reevaluation, got {uri:?}"),
                    );
                    }
                }
            }
        };
        let record = EligibilityRecord {
            student_unique_id: a.student_reference.student_unique_id,
            education_organization_id: a.education_organization_reference.education_organization_id,
            program_education_organization_id: a.program_reference.education_organization_id,
            program_name: a.program_reference.program_name,
            program_type_descriptor: a.program_reference.program_type_descriptor,
            consent_date: a.consent_to_evaluation_received_date.0,
            determination_date: a.eligibility_determination_date.map(|d| d.0),
            evaluation,
            idea_indicator: a.idea_indicator,
            evaluation_complete: a.evaluation_complete_indicator,
            evaluation_delay_days: a.evaluation_delay_days,
            evaluation_type_descriptor: a.eligibility_evaluation_type_descriptor,
            idea_part_descriptor: a.idea_part_descriptor,
        };
        self.emit(Record::Eligibility(record));
    }
}

/// `…#Initial` or `…#Reevaluation` (also spelled `Re-evaluation`), case-insensitively.
fn evaluation_type(uri: &str) -> Option<EvaluationType> {
    let value = uri.rsplit_once('#').map_or(uri, |(_, v)| v);
    let letters: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    match letters.as_str() {
        "initial" | "initialevaluation" => Some(EvaluationType::Initial),
        "reevaluation" => Some(EvaluationType::Reevaluation),
        _ => None,
    }
}

/// A whole file: an array of one resource's records (named by the file, or guessed from its
/// first record) or an object of resource name → array.
struct DocumentSeed<'i, 'm, 's, 'f> {
    importer: &'i mut Importer<'m, 's>,
    file: &'f str,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, reader: D) -> Result<(), D::Error> {
        reader.deserialize_any(self)
    }
}

const DOCUMENT_EXPECTED: &str =
    "expected an array of records or an object of resource name → array";

impl<'de> Visitor<'de> for DocumentSeed<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records or an object of resource name → array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut records: A) -> Result<(), A::Error> {
        let stem = std::path::Path::new(self.file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let mut resource = Resource::from_name(stem);
        let mut i = 0;
        while let Some(record) = records.next_element::<&'de RawValue>()? {
            if i == 0 && resource.is_none() {
                resource = serde_json::from_str::<Value>(record.get())
                    .ok()
                    .and_then(|tree| Resource::guess(&tree));
                if resource.is_none() {
                    self.importer.error(
                        self.file,
                        "[0]".into(),
                        format!(
                            "expected records of one of {} (name the file after the resource)",
                            Resource::expected()
                        ),
                    );
                }
            }
            if let Some(resource) = resource {
                self.importer.record(self.file, "", resource, i, record);
            }
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut resources: A) -> Result<(), A::Error> {
        while let Some(name) = resources.next_key::<String>()? {
            match Resource::from_name(&name) {
                Some(resource) => resources.next_value_seed(ResourceSeed {
                    importer: &mut *self.importer,
                    file: self.file,
                    name: &name,
                    resource,
                })?,
                None => {
                    self.importer.error(
                        self.file,
                        name.clone(),
                        format!("expected a resource name, one of {}", Resource::expected()),
                    );
                    resources.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.not_a_document()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.not_a_document()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.not_a_document()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.not_a_document()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.not_a_document()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.not_a_document()
    }
}

impl DocumentSeed<'_, '_, '_, '_> {
    fn not_a_document<E>(self) -> Result<(), E> {
        self.importer
            .error(self.file, "$".into(), DOCUMENT_EXPECTED.into());
        Ok(())
    }
}

/// The array under one resource name in an object-of-resources file.
struct ResourceSeed<'i, 'm, 's, 'f, 'n> {
    importer: &'i mut Importer<'m, 's>,
    file: &'f str,
    name: &'n str,
    resource: Resource,
}

impl<'de> DeserializeSeed<'de> for ResourceSeed<'_, '_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, reader: D) -> Result<(), D::Error> {
        reader.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResourceSeed<'_, '_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut records: A) -> Result<(), A::Error> {
        let mut i = 0;
        while let Some(record) = records.next_element::<&'de RawValue>()? {
            self.importer
                .record(self.file, self.name, self.resource, i, record);
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<(), A::Error> {
        while fields.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_an_array()
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.not_an_array()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.not_an_array()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.not_an_array()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.not_an_array()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.not_an_array()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.not_an_array()
    }
}

impl ResourceSeed<'_, '_, '_, '_, '_> {
    fn not_an_array<E>(self) -> Result<(), E> {
        self.importer.error(
            self.file,
            self.name.to_owned(),
            "expected an array of records".into(),
        );
        Ok(())
    }
}
