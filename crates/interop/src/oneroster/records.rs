//! The typed rows of a OneRoster 1.2 CSV roster and their fixed vocabularies. Field names follow
//! the specification's columns in snake case; only the columns iep504 uses are kept.

use jiff::civil::Date;
use serde::Serialize;

/// Declares a OneRoster vocabulary: its spellings, `parse`, `as_str` and the list for errors.
/// Values starting `ext:` are the specification's extension point and are kept verbatim.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $($variant,)+ Extension(String) }

        impl $name {
            pub fn parse(text: &str) -> Option<$name> {
                match text {
                    $($text => Some($name::$variant),)+
                    ext if ext.starts_with("ext:") => Some($name::Extension(ext.to_string())),
                    _ => None,
                }
            }
            pub fn as_str(&self) -> &str {
                match self { $($name::$variant => $text,)+ $name::Extension(text) => text }
            }
            pub(crate) const EXPECTED: &'static str =
                concat!($($text, ", ",)+ "or an ext: value");
        }
    };
}

/// `status` of a delta file's row; bulk files leave it blank, which means active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Active,
    ToBeDeleted,
}

impl Status {
    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "active" => Some(Status::Active),
            "tobedeleted" => Some(Status::ToBeDeleted),
            _ => None,
        }
    }
}

vocabulary! {
    OrgType {
        Department = "department",
        School = "school",
        District = "district",
        Local = "local",
        State = "state",
        National = "national",
    }
}

vocabulary! {
    RoleName {
        Aide = "aide",
        Counselor = "counselor",
        DistrictAdministrator = "districtAdministrator",
        Guardian = "guardian",
        Parent = "parent",
        Principal = "principal",
        Proctor = "proctor",
        Relative = "relative",
        SiteAdministrator = "siteAdministrator",
        Student = "student",
        SystemAdministrator = "systemAdministrator",
        Teacher = "teacher",
    }
}

impl RoleName {
    /// Roles whose holder may act for a student (linked through `agentSourcedIds`).
    pub fn is_guardian_like(&self) -> bool {
        matches!(
            self,
            RoleName::Guardian | RoleName::Parent | RoleName::Relative
        )
    }
}

vocabulary! {
    RoleType {
        Primary = "primary",
        Secondary = "secondary",
    }
}

vocabulary! {
    EnrollmentRole {
        Administrator = "administrator",
        Proctor = "proctor",
        Student = "student",
        Teacher = "teacher",
    }
}

vocabulary! {
    ClassType {
        Homeroom = "homeroom",
        Scheduled = "scheduled",
    }
}

vocabulary! {
    Sex {
        Male = "male",
        Female = "female",
        Other = "other",
        Unspecified = "unspecified",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    pub sourced_id: String,
    pub status: Status,
    pub name: String,
    pub org_type: OrgType,
    pub identifier: Option<String>,
    pub parent_sourced_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub sourced_id: String,
    pub status: Status,
    pub enabled_user: bool,
    pub username: String,
    pub given_name: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    pub identifier: Option<String>,
    pub email: Option<String>,
    /// Users who may act for this one: a student's guardians, or a guardian's students.
    pub agent_sourced_ids: Vec<String>,
    /// CEDS grade-level codes (`KG`, `01` … `12`, `PK`, …).
    pub grades: Vec<String>,
    pub primary_org_sourced_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub sourced_id: String,
    pub status: Status,
    pub user_sourced_id: String,
    pub role_type: RoleType,
    pub role: RoleName,
    pub org_sourced_id: String,
    pub begin_date: Option<Date>,
    pub end_date: Option<Date>,
}

/// One `demographics.csv` row; its `sourcedId` is the user's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Demographics {
    pub sourced_id: String,
    pub status: Status,
    pub birth_date: Option<Date>,
    pub sex: Option<Sex>,
    pub american_indian_or_alaska_native: Option<bool>,
    pub asian: Option<bool>,
    pub black_or_african_american: Option<bool>,
    pub native_hawaiian_or_other_pacific_islander: Option<bool>,
    pub white: Option<bool>,
    pub two_or_more_races: Option<bool>,
    pub hispanic_or_latino_ethnicity: Option<bool>,
}

impl Demographics {
    /// The EDFacts race/ethnicity code: Hispanic/Latino of any race is `HI7`, more than one race
    /// is `MU7`, else the one race marked; `None` when nothing is marked.
    pub fn race_ethnicity(&self) -> Option<&'static str> {
        if self.hispanic_or_latino_ethnicity == Some(true) {
            return Some("HI7");
        }
        let marked: Vec<&'static str> = [
            (self.american_indian_or_alaska_native, "AM7"),
            (self.asian, "AS7"),
            (self.black_or_african_american, "BL7"),
            (self.native_hawaiian_or_other_pacific_islander, "PI7"),
            (self.white, "WH7"),
        ]
        .into_iter()
        .filter(|(flag, _)| *flag == Some(true))
        .map(|(_, code)| code)
        .collect();
        if self.two_or_more_races == Some(true) || marked.len() > 1 {
            return Some("MU7");
        }
        marked.first().copied()
    }

    /// The EDFacts sex code (`M`, `F`, `X`); `None` when unspecified.
    pub fn sex_code(&self) -> Option<&'static str> {
        match self.sex {
            Some(Sex::Male) => Some("M"),
            Some(Sex::Female) => Some("F"),
            Some(Sex::Other) => Some("X"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Class {
    pub sourced_id: String,
    pub status: Status,
    pub title: String,
    pub class_type: ClassType,
    pub class_code: Option<String>,
    pub course_sourced_id: Option<String>,
    pub school_sourced_id: String,
    pub grades: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrollment {
    pub sourced_id: String,
    pub status: Status,
    pub class_sourced_id: String,
    pub school_sourced_id: String,
    pub user_sourced_id: String,
    pub role: EnrollmentRole,
    pub primary: Option<bool>,
    pub begin_date: Option<Date>,
    pub end_date: Option<Date>,
}
