//! Ed-Fi ODS/API (Data Standard 5.2) resource records in their JSON shape: camelCase names,
//! nested references, descriptor URIs. Only the fields iep504 reads or writes are declared;
//! others (`id`, `_etag`, `link`, …) are ignored on the way in.

use crate::dates::parse_iso_date;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `YYYY-MM-DD` date that says what it expected when it is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdfiDate(pub Date);

impl<'de> Deserialize<'de> for EdfiDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = EdfiDate;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a YYYY-MM-DD date")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<EdfiDate, E> {
                parse_iso_date(text)
                    .map(EdfiDate)
                    .ok_or_else(|| E::custom(format!("expected YYYY-MM-DD, got {text:?}")))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl Serialize for EdfiDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StudentReference {
    pub student_unique_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EducationOrganizationReference {
    pub education_organization_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramReference {
    pub education_organization_id: i64,
    pub program_name: String,
    pub program_type_descriptor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdfiStudent {
    pub student_unique_id: String,
    pub birth_date: EdfiDate,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    pub last_surname: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdfiSchool {
    pub school_id: i64,
    pub name_of_institution: String,
    #[serde(default)]
    pub education_organization_categories: Vec<EducationOrganizationCategory>,
    #[serde(default)]
    pub grade_levels: Vec<GradeLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EducationOrganizationCategory {
    pub education_organization_category_descriptor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GradeLevel {
    pub grade_level_descriptor: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Disability {
    pub disability_descriptor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_of_disability: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdfiSpecialEducationAssociation {
    pub education_organization_reference: EducationOrganizationReference,
    pub program_reference: ProgramReference,
    pub student_reference: StudentReference,
    pub begin_date: EdfiDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_eligibility: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iep_begin_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iep_end_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iep_review_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_evaluation_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_education_setting_descriptor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_education_exit_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_education_exit_reason_descriptor: Option<String>,
    #[serde(default)]
    pub disabilities: Vec<Disability>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdfiSection504Association {
    pub education_organization_reference: EducationOrganizationReference,
    pub program_reference: ProgramReference,
    pub student_reference: StudentReference,
    pub begin_date: EdfiDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<EdfiDate>,
    pub section504_eligibility: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accommodation_plan: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section504_disability_descriptor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section504_meeting_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section504_eligibility_decision_date: Option<EdfiDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdfiEligibilityAssociation {
    pub education_organization_reference: EducationOrganizationReference,
    pub program_reference: ProgramReference,
    pub student_reference: StudentReference,
    pub consent_to_evaluation_received_date: EdfiDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_determination_date: Option<EdfiDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_evaluation_type_descriptor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_complete_indicator: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_delay_days: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_indicator: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idea_part_descriptor: Option<String>,
}

/// The resources iep504 reads and writes, by their ODS/API names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    Schools,
    Students,
    SpecialEducation,
    Section504,
    Eligibility,
}

impl Resource {
    pub const ALL: [Resource; 5] = [
        Resource::Schools,
        Resource::Students,
        Resource::SpecialEducation,
        Resource::Section504,
        Resource::Eligibility,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Resource::Schools => "schools",
            Resource::Students => "students",
            Resource::SpecialEducation => "studentSpecialEducationProgramAssociations",
            Resource::Section504 => "studentSection504ProgramAssociations",
            Resource::Eligibility => "studentSpecialEducationProgramEligibilityAssociations",
        }
    }

    pub fn from_name(name: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Guesses the resource of a bare record by a field only it requires, for array files whose
    /// name is not a resource name.
    pub fn guess(record: &serde_json::Value) -> Option<Resource> {
        let has = |field: &str| record.get(field).is_some();
        if has("consentToEvaluationReceivedDate") {
            Some(Resource::Eligibility)
        } else if has("section504Eligibility") {
            Some(Resource::Section504)
        } else if has("programReference") {
            Some(Resource::SpecialEducation)
        } else if has("studentUniqueId") {
            Some(Resource::Students)
        } else if has("schoolId") {
            Some(Resource::Schools)
        } else {
            None
        }
    }

    pub fn expected() -> String {
        Resource::ALL.map(Resource::name).join(", ")
    }
}
