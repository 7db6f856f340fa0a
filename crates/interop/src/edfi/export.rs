//! A normalized [`Batch`] → Ed-Fi resource records, one list per resource, in a stable order and
//! with canonical descriptor URIs, so export → import → export reproduces the same files.

use super::descriptors::{DescriptorKind, DescriptorMap};
use super::resources::{
    Disability, EdfiDate, EdfiEligibilityAssociation, EdfiSchool, EdfiSection504Association,
    EdfiSpecialEducationAssociation, EdfiStudent, EducationOrganizationCategory,
    EducationOrganizationReference, GradeLevel, ProgramReference, Resource, StudentReference,
};
use crate::normalized::{Batch, ProgramAssociation};
use domain::codes::Program;
use serde::Serialize;

/// Every resource's records, as `export edfi` writes them (one file per resource).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdfiExport {
    pub schools: Vec<EdfiSchool>,
    pub students: Vec<EdfiStudent>,
    pub student_special_education_program_associations: Vec<EdfiSpecialEducationAssociation>,
    #[serde(rename = "studentSection504ProgramAssociations")]
    pub student_section504_program_associations: Vec<EdfiSection504Association>,
    pub student_special_education_program_eligibility_associations: Vec<EdfiEligibilityAssociation>,
}

const SCHOOL_CATEGORY: &str = "uri://ed-fi.org/EducationOrganizationCategoryDescriptor#School";

/// The Ed-Fi records of `batch`. The batch's order is kept, and [`super::parse_edfi`] sorts by
/// key, so an imported batch exports in key order.
pub fn to_edfi(batch: &Batch) -> EdfiExport {
    let mut export = EdfiExport {
        schools: batch
            .schools
            .iter()
            .map(|s| EdfiSchool {
                school_id: s.school_id,
                name_of_institution: s.name.clone(),
                education_organization_categories: vec![EducationOrganizationCategory {
                    education_organization_category_descriptor: SCHOOL_CATEGORY.into(),
                }],
                grade_levels: s
                    .grade_levels
                    .iter()
                    .map(|g| GradeLevel {
                        grade_level_descriptor: g.clone(),
                    })
                    .collect(),
            })
            .collect(),
        students: batch
            .students
            .iter()
            .map(|s| EdfiStudent {
                student_unique_id: s.unique_id.clone(),
                birth_date: EdfiDate(s.birth_date),
                first_name: s.first_name.clone(),
                middle_name: s.middle_name.clone(),
                last_surname: s.last_surname.clone(),
            })
            .collect(),
        ..EdfiExport::default()
    };
    for p in &batch.programs {
        match p.program {
            Program::Idea => export
                .student_special_education_program_associations
                .push(special_education(p)),
            Program::Section504 => export
                .student_section504_program_associations
                .push(section504(p)),
            // RTI is not an Ed-Fi program association iep504 exchanges.
            Program::Rti => {}
        }
    }
    for e in &batch.eligibility {
        export
            .student_special_education_program_eligibility_associations
            .push(EdfiEligibilityAssociation {
                education_organization_reference: EducationOrganizationReference {
                    education_organization_id: e.education_organization_id,
                },
                program_reference: ProgramReference {
                    education_organization_id: e.program_education_organization_id,
                    program_name: e.program_name.clone(),
                    program_type_descriptor: e.program_type_descriptor.clone(),
                },
                student_reference: StudentReference {
                    student_unique_id: e.student_unique_id.clone(),
                },
                consent_to_evaluation_received_date: EdfiDate(e.consent_date),
                eligibility_determination_date: e.determination_date.map(EdfiDate),
                eligibility_evaluation_type_descriptor: e.evaluation_type_descriptor.clone(),
                evaluation_complete_indicator: e.evaluation_complete,
                evaluation_delay_days: e.evaluation_delay_days,
                idea_indicator: e.idea_indicator,
                idea_part_descriptor: e.idea_part_descriptor.clone(),
            });
    }
    export
}

fn references(
    p: &ProgramAssociation,
) -> (
    EducationOrganizationReference,
    ProgramReference,
    StudentReference,
) {
    (
        EducationOrganizationReference {
            education_organization_id: p.education_organization_id,
        },
        ProgramReference {
            education_organization_id: p.program_education_organization_id,
            program_name: p.program_name.clone(),
            program_type_descriptor: p.program_type_descriptor.clone(),
        },
        StudentReference {
            student_unique_id: p.student_unique_id.clone(),
        },
    )
}

fn special_education(p: &ProgramAssociation) -> EdfiSpecialEducationAssociation {
    let (education_organization_reference, program_reference, student_reference) = references(p);
    EdfiSpecialEducationAssociation {
        education_organization_reference,
        program_reference,
        student_reference,
        begin_date: EdfiDate(p.begin_date),
        end_date: p.end_date.map(EdfiDate),
        idea_eligibility: p.idea_eligibility,
        iep_begin_date: p.iep_begin_date.map(EdfiDate),
        iep_end_date: p.iep_end_date.map(EdfiDate),
        iep_review_date: p.iep_review_date.map(EdfiDate),
        last_evaluation_date: p.last_evaluation_date.map(EdfiDate),
        special_education_setting_descriptor: p
            .environment
            .as_deref()
            .map(|code| DescriptorMap::uri_for(DescriptorKind::Setting, code)),
        special_education_exit_date: p.exit_date.map(EdfiDate),
        special_education_exit_reason_descriptor: p
            .exit_basis
            .as_deref()
            .map(|code| DescriptorMap::uri_for(DescriptorKind::ExitReason, code)),
        disabilities: p
            .disabilities
            .iter()
            .zip(1..)
            .map(|(code, order)| Disability {
                disability_descriptor: DescriptorMap::uri_for(DescriptorKind::Disability, code),
                order_of_disability: Some(order),
            })
            .collect(),
    }
}

fn section504(p: &ProgramAssociation) -> EdfiSection504Association {
    let (education_organization_reference, program_reference, student_reference) = references(p);
    EdfiSection504Association {
        education_organization_reference,
        program_reference,
        student_reference,
        begin_date: EdfiDate(p.begin_date),
        end_date: p.end_date.map(EdfiDate),
        section504_eligibility: p.section504_eligibility.unwrap_or(true),
        accommodation_plan: p.accommodation_plan,
        section504_disability_descriptor: p.section504_disability_descriptor.clone(),
        section504_meeting_date: p.section504_meeting_date.map(EdfiDate),
        section504_eligibility_decision_date: p.section504_eligibility_decision_date.map(EdfiDate),
    }
}

impl EdfiExport {
    /// One pretty-printed JSON array per resource, named `<resource>.json` so an import knows
    /// each file's resource by its name.
    pub fn files(&self) -> Result<Vec<(String, String)>, serde_json::Error> {
        fn file<T: Serialize>(
            resource: Resource,
            records: &[T],
        ) -> Result<(String, String), serde_json::Error> {
            Ok((
                format!("{}.json", resource.name()),
                serde_json::to_string_pretty(records)? + "\n",
            ))
        }
        Ok(vec![
            file(Resource::Schools, &self.schools)?,
            file(Resource::Students, &self.students)?,
            file(
                Resource::SpecialEducation,
                &self.student_special_education_program_associations,
            )?,
            file(
                Resource::Section504,
                &self.student_section504_program_associations,
            )?,
            file(
                Resource::Eligibility,
                &self.student_special_education_program_eligibility_associations,
            )?,
        ])
    }
}
